"""Reading the built site in Chromium: tooltips, backlinks and "in context" links, the home page's
figures, no console errors or third-party requests, and screenshots at desktop and phone widths.

Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PAGE_TYPES = [
    "", "claims/", "claims/decade-of-agents/", "topics/", "topics/agi-timeline/", "speakers/", "speakers/karpathy/",
    "glossary/", "sources/", "sources/karpathy-decade-of-agents/", "contributing/", "404.html",
]
PHONE_PAGE_TYPES = ["", "claims/decade-of-agents/", "sources/karpathy-decade-of-agents/", "glossary/"]


TRANSCRIPT_TEXT = """el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.kb-pnum, .kb-correction, .kb-segment-label').forEach(added => added.remove());
    return copy.textContent;
}"""


def claims(site: Path) -> dict[str, Any]:
    return json.loads((site / "claims.json").read_text(encoding="utf-8"))


def folded(text: str) -> str:
    return " ".join(text.split())


def test_glossary_tooltip_appears_on_hover_and_on_keyboard_focus(page: Page, real_url: str, real_site: Path) -> None:
    terms = {t["id"]: t for t in claims(real_site)["terms"]}
    page.goto(real_url + "claims/agentic-interaction-over-rl/")
    summary_terms = page.locator(".kb-summary a.kb-term")
    expect(summary_terms.first).to_be_visible()
    first = summary_terms.first
    term_id = first.get_attribute("href").rsplit("#", 1)[1]  # type: ignore[union-attr]
    assert term_id in terms
    definition = first.get_attribute("title") or ""
    assert definition.startswith(terms[term_id]["term"])
    first.hover()
    tooltip = page.locator("#kb-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(definition)
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()

    second = page.locator(".kb-summary a.kb-term").nth(1)
    second_definition = second.get_attribute("title") or ""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.kb-summary a.kb-term')") and \
                page.evaluate("document.activeElement.textContent") == second.text_content():
            break
    else:
        pytest.fail("Tab never reached the second glossary term of the summary")
    expect(page.locator("#kb-tooltip")).to_have_text(second_definition)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary/#[a-z0-9-]+$"))
    fragment = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"h3#{fragment}")).to_be_in_viewport()


def test_in_context_links_land_on_the_quoted_span(page: Page, real_url: str, real_site: Path) -> None:
    for claim in claims(real_site)["claims"][:4]:
        page.goto(real_url + claim["url"])
        for number, quote in enumerate(claim["quotes"], start=1):
            link = page.locator(f"#q{number} a.kb-in-context")
            href = link.get_attribute("href") or ""
            assert href.endswith(f"#{claim['id']}-q{number}"), (claim["id"], href)
            assert f"¶{quote['paragraph']}" in link.inner_text()
        page.locator("#q1 a.kb-in-context").click()
        paragraph_id = f"p{claim['quotes'][0]['paragraph']}"
        expect(page).to_have_url(re.compile(rf"/sources/[a-z0-9-]+/#{claim['id']}-q1$"))
        paragraph = page.locator(f"#{paragraph_id}")
        expect(paragraph.locator(f"[data-kb-spans~='{claim['id']}-q1']").first).to_be_in_viewport()
        assert folded(claim["quotes"][0]["text"]) in folded(paragraph.evaluate(TRANSCRIPT_TEXT))
        citing = page.locator(f"#{paragraph_id} + .kb-cites a.kb-chip")
        assert claim["url"] in [urlsplit(urljoin(page.url, h)).path.lstrip("/")
                                for h in citing.evaluate_all("els => els.map(e => e.getAttribute('href'))")]


def test_highlighted_quote_leads_to_its_claim_quote(page: Page, real_url: str) -> None:
    page.goto(real_url + "sources/karpathy-decade-of-agents/#p12")
    highlight = page.locator("#p12 a.kb-quoted").first
    text = folded(highlight.text_content() or "")
    highlight.click()
    expect(page).to_have_url(re.compile(r"/claims/[a-z0-9-]+/#q\d+$"))
    quote = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    expect(quote).to_be_in_viewport()
    assert text in folded(quote.locator("blockquote").text_content() or "")


def test_backlinks_lead_to_claims_that_point_back(page: Page, real_url: str, real_site: Path) -> None:
    data = claims(real_site)["claims"]
    pointing: dict[str, set[str]] = {}
    for claim in data:
        for relation in claim["related"]:
            pointing.setdefault(relation["id"], set()).add(claim["id"])
    target = max(pointing, key=lambda claim_id: (len(pointing[claim_id]), claim_id))
    page.goto(real_url + f"claims/{target}/")
    section = page.locator("h2#backlinks ~ ul a")
    hrefs = section.evaluate_all("els => els.map(e => e.href)")
    ids = {re.search(r"/claims/([a-z0-9-]+)/$", h).group(1) for h in hrefs if "/claims/" in h}  # type: ignore[union-attr]
    assert ids >= pointing[target]
    back = min(pointing[target])
    page.locator(f"h2#backlinks ~ ul a[href$='{back}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/claims/{back}/$"))
    related = page.locator("h2#related ~ ul a").evaluate_all("els => els.map(e => e.href)")
    assert any(h.endswith(f"/claims/{target}/") for h in related)


def test_map_and_chart_link_to_claims(page: Page, real_url: str, real_site: Path) -> None:
    data = claims(real_site)
    page.set_viewport_size(DESKTOP)
    page.goto(real_url)
    wide_nodes = page.locator(".kb-figure-wide .kb-map-node")
    expect(wide_nodes).to_have_count(len(data["claims"]))
    expect(page.locator(".kb-figure-narrow .kb-map-svg")).to_be_hidden()
    linked = sorted(n.get_attribute("data-claim") or "" for n in wide_nodes.all())
    assert linked == sorted(c["id"] for c in data["claims"])
    rows = page.locator(".kb-figure-wide .kb-chart-row")
    assert rows.count() >= 4
    node = page.locator(".kb-figure-wide .kb-map-node[data-claim='decade-of-agents']")
    node.click()
    expect(page).to_have_url(re.compile(r"/claims/decade-of-agents/$"))
    page.go_back()
    chart_row = page.locator(".kb-figure-wide .kb-chart-row").first
    chart_row.click()
    expect(page).to_have_url(re.compile(r"/claims/[a-z0-9-]+/#q\d+$"))
    expect(page.locator(f"#{page.url.rsplit('#', 1)[1]}")).to_be_in_viewport()


class PageWatch:
    """Console errors, uncaught exceptions and requests to other hosts seen by a page."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.outside: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", lambda request: self.request(request.url))

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def request(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("data", "blob") and parts.netloc != self.origin:
            self.outside.append(url)


def test_no_console_errors_and_no_third_party_requests(browser: Browser, real_url: str) -> None:
    for viewport, paths in ((DESKTOP, PAGE_TYPES), (PHONE, PHONE_PAGE_TYPES)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        watch = PageWatch(page, urlsplit(real_url).netloc)
        for path in paths:
            page.goto(real_url + path)
            page.wait_for_load_state("networkidle")
            term = page.locator("a.kb-term")
            if term.count():
                term.first.hover()
            assert watch.problems == [], (viewport["width"], path)
        context.close()
        assert watch.outside == [], viewport["width"]


def png_size(file: Path) -> tuple[int, int]:
    header = file.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_fit_the_screen(browser: Browser, real_url: str, name: str, viewport: ViewportSize) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    shots = {"home": "", "claim": "claims/decade-of-agents/", "transcript": "sources/karpathy-decade-of-agents/",
             "glossary": "glossary/"}
    for label, path in shots.items():
        page.goto(real_url + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at {viewport['width']}px"
        file = SCREENSHOTS / f"{label}-{name}.png"
        page.screenshot(path=str(file), full_page=label in ("home", "claim"))
        assert png_size(file)[0] == viewport["width"]
    page.goto(real_url + "#map")
    shown = ".kb-figure-narrow" if name == "phone" else ".kb-figure-wide"
    sizes = page.locator(f"{shown} .kb-map-svg text.kb-map-title").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 11, f"map labels render {min(sizes):.1f}px high at {viewport['width']}px"
    page.add_style_tag(content=".md-header, .md-tabs { position: static !important; }")  # not over the figure
    page.locator(f"{shown} .kb-map-svg").screenshot(path=str(SCREENSHOTS / f"map-{name}.png"))
    page.locator(f"{shown} .kb-chart-svg").screenshot(path=str(SCREENSHOTS / f"timeline-{name}.png"))
    context.close()


CONTRAST = """el => {
    const rgb = value => value.match(/[0-9.]+/g).slice(0, 3).map(Number).map(c => c / 255)
        .map(c => c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    const luminance = value => { const [r, g, b] = rgb(value); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const style = getComputedStyle(el);
    const [high, low] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
    return [el.textContent, (high + 0.05) / (low + 0.05)];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_claim_kind_badges_are_legible_in_both_colour_schemes(browser: Browser, real_url: str, scheme: str) -> None:
    """Every kind badge's text against its own background: at least WCAG AA's 4.5:1."""
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(real_url + "claims/")
        badges = page.locator(".kb-kind")
        assert badges.count() >= 5
        ratios = {label: ratio for label, ratio in badges.evaluate_all(f"els => els.map({CONTRAST})")}
        assert len(ratios) >= 5, ratios  # several kinds, not one repeated
        assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    finally:
        context.close()


def test_a_quote_reads_larger_than_its_caption(page: Page, real_url: str) -> None:
    """The verbatim quote is the evidence; the 'in context' line under it is a caption."""
    page.goto(real_url + "claims/decade-of-agents/")
    sizes = page.locator("#q1").evaluate(
        "el => [el.querySelector('blockquote p'), el.querySelector(':scope > blockquote + p')]"
        ".map(p => parseFloat(getComputedStyle(p).fontSize))")
    quote, caption = sizes
    assert quote > caption, sizes
    body = page.locator("article p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert quote >= body, (quote, body)
