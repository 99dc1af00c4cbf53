"""Reading polish (issue 19): Japanese typography, contrast in both colour schemes, the transcript's
quiet highlight, accessible names, one copy confirmation at a time, and the popovers of terms and
claims (docs/assets/kb-popover.js). Each test drives the built real site in Chromium and measures
what a reader gets: where lines break, computed sizes, axe-core's verdict, what a tap opens.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it
PAGE_TYPES = [
    "", "claims/", "claims/decade-of-agents/", "claims/karpathy-coined-terms/", "topics/", "topics/agi-timeline/",
    "speakers/", "speakers/karpathy/", "glossary/", "sources/", "sources/karpathy-decade-of-agents/",
    "contributing/", "404.html",
]
CLAIM = "claims/decade-of-agents/"
TRANSCRIPT = "sources/karpathy-decade-of-agents/"
PHONE: ViewportSize = {"width": 390, "height": 844}

# Characters a Japanese line must not start with under strict line breaking (JIS X 4051 kinsoku):
# the long-vowel mark, small kana, iteration marks and closing punctuation.
NO_LINE_START = "ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿヽヾゝゞ々、。，．・：；？！）」』】〕〉》"

# The characters that begin each visual line of an element but the first, measured on its laid-out
# text: a character whose box is lower than the previous one's starts a new line.
LINE_STARTS = """el => {
    const starts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let previous = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (!box || !node.data[i].trim()) { continue; }
            if (previous !== null && box.top > previous.top + previous.height / 2) { starts.push(node.data[i]); }
            previous = box;
        }
    }
    return starts;
}"""


def font_px(page: Page, selector: str) -> float:
    return float(page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)"))


def style(page: Page, selector: str, name: str) -> str:
    return str(page.eval_on_selector(selector, "(el, name) => getComputedStyle(el)[name]", name))


# 1. Japanese typography

def test_no_line_of_the_transcript_or_a_claim_starts_with_a_forbidden_character(browser: Browser,
                                                                                real_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        checked = 0
        for path, selector in [(TRANSCRIPT, "p.kb-para"), (CLAIM, ".md-content article :is(h1, p, li, blockquote)")]:
            page.goto(real_url + path)
            for element in page.query_selector_all(selector):
                starts = element.evaluate(LINE_STARTS)
                checked += len(starts)
                bad = [c for c in starts if c in NO_LINE_START]
                assert bad == [], f"{path}: a line starts with {bad!r} in {element.text_content()!r:.80}"
        assert checked > 200, "too few line breaks to tell anything"
    finally:
        context.close()


def test_headings_break_between_phrases_not_inside_a_word(browser: Browser, real_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(real_url)
        title = page.locator(".md-content h1").first
        assert style(page, ".md-content h1", "wordBreak") == "auto-phrase"
        assert len(title.evaluate(LINE_STARTS)) >= 1, "the home title fits one line: nothing measured"
        text = title.text_content() or ""
        word = "ナレッジベース"
        assert word in text
        # every character of the word on one line
        tops = title.evaluate("""(el, word) => {
            const node = [...el.childNodes].find(n => n.nodeType === 3 && n.data.includes(word));
            const start = node.data.indexOf(word);
            const range = document.createRange();
            return [...word].map((_, i) => { range.setStart(node, start + i); range.setEnd(node, start + i + 1);
                                            return Math.round(range.getClientRects()[0].top); });
        }""", word)
        assert len(set(tops)) == 1, f"「{word}」 is broken across lines: {tops}"
        for selector in (".md-content h2", ".md-typeset .kb-chip"):
            page.goto(real_url + CLAIM)
            assert style(page, selector, "wordBreak") == "auto-phrase", selector
    finally:
        context.close()


def test_japanese_system_fonts_and_no_font_download(page: Page, real_url: str) -> None:
    fonts: list[str] = []
    page.on("request", lambda request: fonts.append(request.url) if request.resource_type == "font" else None)
    page.goto(real_url + CLAIM)
    page.wait_for_load_state("networkidle")
    family = style(page, ".md-typeset p", "fontFamily")
    assert re.search(r'"?(Hiragino Sans|Yu Gothic|Meiryo|Noto Sans CJK JP)"?', family), family
    assert family.rstrip().endswith("sans-serif")
    assert fonts == []


def test_annotations_read_at_body_size_and_marks_stay_readable(page: Page, real_url: str) -> None:
    page.goto(real_url + "claims/karpathy-coined-terms/")
    body = font_px(page, ".md-content .md-typeset")
    assert font_px(page, ".admonition[class*='kb-note-'] p") == body
    assert font_px(page, ".md-typeset .kb-chip") >= 0.85 * body
    page.goto(real_url + TRANSCRIPT)
    paragraph = "p.kb-para:not(.kb-noncontent)"
    assert font_px(page, paragraph) == body
    assert font_px(page, f"{paragraph} .kb-pnum") >= 0.84 * body
    assert font_px(page, ".kb-cites .kb-chip") >= 0.85 * body


# 2. Contrast in both colour schemes, measured by axe-core

# axe's context after the page scrolled to what a test points at: Material's tabs fade out as the
# page scrolls, and axe would measure them half faded (the page at rest is checked whole)
MOVED = {"exclude": [".md-tabs"]}


def axe_source() -> str:
    """axe-core's script, installed from npm by `make test` under build/ (a page never loads it)."""
    if not AXE.is_file():
        message = f"{AXE} is missing: run 'make {AXE.relative_to(REPO)}'"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, rules: list[str] | None = None, within: object = None) -> list[str]:
    """axe-core's violations on the page as it is now (or in the axe context `within`), one line
    per element: rule, element, why."""
    page.add_script_tag(content=axe_source())
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "rule", "values": rules}} if rules else {})}
    found = page.evaluate("""async ([within, options]) => (await axe.run(within || document, options)).violations.flatMap(
        v => v.nodes.map(n => `${v.id} ${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`))""",
                          [within, options])
    return list(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page_type(browser: Browser, real_url: str, scheme: Any) -> None:
    """Every rule of axe-core (WCAG A and AA: contrast, names, landmarks, ...), light and dark."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        found = []
        for path in PAGE_TYPES:
            page.goto(real_url + path)
            page.wait_for_load_state("networkidle")
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
            found += [f"{path or 'home'}: {line}" for line in axe_violations(page)]
        assert found == []
    finally:
        context.close()


def settled(page: Page) -> None:
    """Wait until the colour transitions a hover or focus started have ended: measured mid-fade, a
    button's colours are neither its resting nor its focused ones (a loaded machine caught it there)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_links_and_buttons_stay_legible_when_pointed_at_or_focused(browser: Browser, real_url: str,
                                                                   scheme: Any) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(real_url + CLAIM)
        found = []
        for selector in (".kb-related-item > a", ".md-typeset a.kb-term", "dl.kb-facts a.kb-chip", "dl.kb-facts dd > a"):
            page.locator(selector).first.hover()
            settled(page)
            found += [f"{selector}: {line}" for line in axe_violations(page, ["color-contrast"], MOVED)]
            page.mouse.move(0, 0)
        page.locator(".kb-cite .kb-copy").first.focus()
        settled(page)
        found += [f"copy button: {line}" for line in axe_violations(page, ["color-contrast"], MOVED)]
        assert found == []
    finally:
        context.close()


# 3. The transcript as evidence

SPANS = "p.kb-para a.kb-quoted"
TRANSPARENT = "rgba(0, 0, 0, 0)"


def span_style(page: Page, index: int) -> dict[str, str]:
    return dict(page.locator(SPANS).nth(index).evaluate("""el => { const c = getComputedStyle(el);
        return {background: c.backgroundColor, line: c.textDecorationLine, colour: c.textDecorationColor}; }"""))


def test_quoted_spans_are_underlined_at_rest_and_light_up_whole_when_pointed_at(page: Page, real_url: str) -> None:
    page.goto(real_url + TRANSCRIPT)
    hrefs = page.locator(SPANS).evaluate_all("spans => spans.map(s => s.getAttribute('href'))")
    assert len(hrefs) > 50
    at_rest = [span_style(page, i) for i in range(len(hrefs))]
    assert {s["background"] for s in at_rest} == {TRANSPARENT}, "a highlight at rest carries no information"
    assert {s["line"] for s in at_rest} == {"underline"}
    # a quote split into several spans (by a correction, say): pointing at one lights them all
    split = next(h for h in hrefs if hrefs.count(h) > 1)
    first = hrefs.index(split)
    page.locator(SPANS).nth(first).hover()
    settled(page)
    lit = [i for i in range(len(hrefs)) if span_style(page, i)["background"] != TRANSPARENT]
    assert lit == [i for i, h in enumerate(hrefs) if h == split]
    page.mouse.move(0, 0)
    settled(page)
    assert span_style(page, first)["background"] == TRANSPARENT
    page.locator(SPANS).nth(first).focus()
    settled(page)
    assert span_style(page, hrefs.index(split, first + 1))["background"] != TRANSPARENT


def test_adjacent_spans_of_different_claims_read_apart(page: Page, real_url: str) -> None:
    page.goto(real_url + TRANSCRIPT)
    pairs = page.locator("p.kb-para").evaluate_all("""paragraphs => paragraphs.flatMap(p => {
        const spans = [...p.querySelectorAll('a.kb-quoted')];
        return spans.slice(1).map((span, i) => [spans[i], span])
            .filter(([a, b]) => a.href.split('#')[0] !== b.href.split('#')[0])
            .map(pair => pair.map(s => [s.textContent, getComputedStyle(s).textDecorationColor]));
    })""")
    assert len(pairs) >= 5, "too few neighbouring spans of different claims to tell anything"
    same = [(a[0], b[0]) for a, b in pairs if a[1] == b[1]]
    assert same == [], "neighbouring spans of different claims underlined alike"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_landed_paragraph_colours_its_spans_legibly(browser: Browser, real_url: str, scheme: Any) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(real_url + TRANSCRIPT + "#p12")
        spans = page.locator("#p12 a.kb-quoted")
        assert spans.count() >= 2
        colours = spans.evaluate_all("spans => spans.map(s => getComputedStyle(s).backgroundColor)")
        assert TRANSPARENT not in colours
        elsewhere = page.locator("p.kb-para:not(#p12) a.kb-quoted").nth(20)
        assert elsewhere.evaluate("s => getComputedStyle(s).backgroundColor") == TRANSPARENT
        settled(page)
        assert axe_violations(page, ["color-contrast"]) == []
        elsewhere.hover()  # a pointed-at span, outside the landed paragraph
        settled(page)
        assert elsewhere.evaluate("s => getComputedStyle(s).backgroundColor") != TRANSPARENT
        assert axe_violations(page, ["color-contrast"], MOVED) == []
    finally:
        context.close()


# 4. Accessible names and a stable title anchor

def test_search_dialog_and_both_search_forms_of_the_404_page_are_named(page: Page, real_url: str) -> None:
    page.goto(real_url + CLAIM)
    page.keyboard.press("/")
    expect(page.get_by_role("dialog", name="サイト内検索")).to_be_attached()
    page.goto(real_url + "404.html")
    searches = page.get_by_role("search")
    expect(searches).to_have_count(2)
    names = [searches.nth(i).get_attribute("aria-label") for i in range(2)]
    assert all(names) and len(set(names)) == 2, names


def test_every_claim_title_has_the_same_meaningful_anchor(page: Page, real_url: str, real_site: Path) -> None:
    titles = {path.parent.name: re.findall(r"<h1[^>]*>", path.read_text(encoding="utf-8"))
              for path in (real_site / "claims").glob("*/index.html")}
    assert len(titles) > 50
    assert {page_id: h1 for page_id, h1 in titles.items() if h1 != ['<h1 id="title">']} == {}
    page.goto(real_url + "claims/karpathy-coined-terms/#title")
    heading = page.locator("h1#title")
    expect(heading).to_be_in_viewport()
    expect(heading.locator("a.headerlink")).to_have_attribute("href", re.compile(r"(^|/claims/karpathy-coined-terms/)#title$"))


# 5. One confirmation after a copy

DRAWN_WITH_TEXT = """text => [...document.querySelectorAll('body *')].filter(el => {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.data.includes(text))) { return false; }
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility === 'visible' && style.clipPath === 'none';
}).map(el => el.className)"""


def test_a_copy_is_confirmed_once_on_screen_and_announced_once(page: Page, real_url: str) -> None:
    page.goto(real_url + CLAIM)
    for button in [page.locator(".kb-cite [data-kb-copy]").first, page.locator(".kb-quote [data-kb-copy]").first]:
        done = button.get_attribute("data-kb-done") or ""
        button.click()
        expect(page.locator(".md-dialog")).to_have_class(re.compile("md-dialog--active"))
        expect(page.locator(".md-dialog__inner")).to_have_text(done)
        assert page.evaluate(DRAWN_WITH_TEXT, done) == ["md-dialog__inner md-typeset"]
        live = button.locator("xpath=..").locator("[role=status][aria-live=polite]")
        expect(live).to_have_text(done)  # what a screen reader hears


# 6. Definitions and previews in place (docs/assets/kb-popover.js)

TERMS_PAGE = "claims/agentic-interaction-over-rl/"


def test_tapping_a_term_opens_its_definition_in_place_with_a_link_onward(browser: Browser, real_url: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(real_url + TERMS_PAGE)
        term = page.locator(".kb-summary a.kb-term").first
        definition = term.get_attribute("title") or ""
        glossary = term.get_attribute("href") or ""
        assert definition and "glossary/#" in glossary
        term.tap()
        popover = page.get_by_role("dialog", name=term.text_content() or "")
        expect(popover).to_be_visible()
        expect(popover.locator(".kb-popover__text")).to_have_text(definition)
        expect(page).to_have_url(real_url + TERMS_PAGE)
        box = popover.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        expect(page.locator("#kb-tooltip")).to_be_hidden()  # one box, not a tooltip beside it
        assert axe_violations(page) == []  # named, legible, its button and link named
        page.keyboard.press("Escape")
        expect(popover).to_be_hidden()
        term.tap()
        expect(popover).to_be_visible()
        page.locator("h1").tap()  # elsewhere
        expect(popover).to_be_hidden()
        term.tap()
        popover.get_by_role("link").tap()
        expect(page).to_have_url(re.compile(re.escape(glossary.rsplit("#", 1)[1]) + "$"))
        expect(page.locator("#" + glossary.rsplit("#", 1)[1])).to_be_in_viewport()
    finally:
        context.close()


def test_a_second_tap_on_an_open_term_goes_on_to_the_glossary(browser: Browser, real_url: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(real_url + TERMS_PAGE)
        term = page.locator(".kb-summary a.kb-term").first
        term.tap()
        expect(page.locator(".kb-popover")).to_be_visible()
        term.tap()
        expect(page).to_have_url(re.compile(r"/glossary/#[a-z0-9-]+$"))
    finally:
        context.close()


def claim_preview(site: Path, claim_id: str) -> list[str]:
    """The lines a claim's preview shows, from the published files."""
    claim = json.loads((site / "claims" / f"{claim_id}.json").read_text(encoding="utf-8"))
    labels = json.loads((site / "assets" / "kb-labels.json").read_text(encoding="utf-8"))
    meta = f"{labels['statuses'][claim['status']]} · {labels['speakers'][claim['speaker']]}"
    return [claim["title"], claim["title_en"], meta, claim["summary"]]


def shown_preview(page: Page) -> list[str]:
    tooltip = page.locator("#kb-tooltip.kb-tooltip--preview")
    expect(tooltip).to_be_visible()
    return [str(line) for line in tooltip.locator(".kb-tooltip__line").all_text_contents()]


def test_claim_links_preview_the_claim_on_hover_and_focus_one_request_each(page: Page, real_url: str,
                                                                          real_site: Path) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".json") else None)
    page.goto(real_url + CLAIM)
    related = page.locator(".kb-related-item > a")
    assert related.count() >= 2
    first_id = (related.first.get_attribute("href") or "").strip("/").rsplit("/", 1)[-1]
    related.first.hover()
    assert shown_preview(page) == claim_preview(real_site, first_id)
    assert axe_violations(page, ["color-contrast"], MOVED) == []
    page.mouse.move(0, 0)
    expect(page.locator("#kb-tooltip")).to_be_hidden()
    related.first.hover()
    assert shown_preview(page) == claim_preview(real_site, first_id)
    page.keyboard.press("Escape")
    expect(page.locator("#kb-tooltip")).to_be_hidden()
    second = related.nth(1)
    second.focus()
    second_id = (second.get_attribute("href") or "").strip("/").rsplit("/", 1)[-1]
    assert shown_preview(page) == claim_preview(real_site, second_id)
    claim_files = [url for url in fetched if "/claims/" in url]
    assert sorted(claim_files) == sorted({real_url + f"claims/{first_id}.json", real_url + f"claims/{second_id}.json"})
    assert [url for url in fetched if url.endswith("kb-labels.json")] == [real_url + "assets/kb-labels.json"]


def test_transcript_chips_preview_their_claim(page: Page, real_url: str, real_site: Path) -> None:
    page.goto(real_url + TRANSCRIPT)
    chip = page.locator(".kb-cites a.kb-chip").first
    claim_id = (chip.get_attribute("href") or "").strip("/").rsplit("/", 1)[-1]
    chip.hover()
    assert shown_preview(page) == claim_preview(real_site, claim_id)
