"""Links to passages: a quote's own span in the transcript, and a link to any selected text that
lands on exactly that text, with Chromium's text fragments and with our own script (forced here,
as in a browser without them). Hostile selected text stays text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hostile_pages import ARTICLE, KB, PAYLOADS, watch
from kb.site import urls
from kb.site.catalogue import catalogue
from playwright.sync_api import Browser, Page, expect
from test_reading_polish import axe_violations

UI = catalogue("ja")
FORCE_FALLBACK = "window.kbPassageFallback = true"
TRANSCRIPT = "sources/talk/"


def select(page: Page, selector: str, needle: str) -> str:
    """Select `needle` in the first text node holding it under the first element matching
    `selector`, as a reader does, and return the selected text."""
    return str(page.evaluate(
        """([selector, needle]) => {
          const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT)
          let node = walker.nextNode()
          while (node && node.data.indexOf(needle) < 0) { node = walker.nextNode() }
          const range = document.createRange()
          range.setStart(node, node.data.indexOf(needle))
          range.setEnd(node, node.data.indexOf(needle) + needle.length)
          getSelection().removeAllRanges()
          getSelection().addRange(range)
          document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }))
          return getSelection().toString()
        }""", [selector, needle]))


def copied_link(page: Page) -> str:
    button = page.locator("button.kb-passage-link")
    expect(button).to_be_visible()
    expect(button).to_have_text(UI("script.passage_copy"))
    button.click()
    expect(page.locator("#kb-passage-status")).to_have_text(UI("script.passage_copied"))
    url = page.evaluate("navigator.clipboard.readText()")
    assert url == button.get_attribute("data-kb-url")
    return str(url)


def marked(page: Page) -> str:
    return str(page.evaluate("Array.from(document.querySelectorAll('mark.kb-passage'), m => m.textContent).join('')"))


def test_in_context_link_lands_on_the_quotes_own_span(page: Page, small_url: str) -> None:
    page.goto(small_url + "claims/narrator-optimism/")
    page.locator("#q2 a.kb-in-context").click()
    expect(page).to_have_url(re.compile(r"/sources/talk/#narrator-optimism-q2$"))
    span = page.locator("a.kb-quoted[data-kb-spans~='narrator-optimism-q2']")
    expect(span).to_be_in_viewport()
    # Nothing is focused on arrival: a focused span's tooltip would cover the text the reader came for.
    assert page.evaluate("document.activeElement === document.body")
    expect(page.locator(".kb-tooltip:visible")).to_have_count(0)
    expect(span).to_have_text("同じ文です。")
    expect(span).to_have_class(re.compile(r"\bkb-quoted--landed\b"))
    # The same sentence just before it, not quoted, stays unlit: the link names the span, not the paragraph.
    other = page.locator("a.kb-quoted[data-kb-spans~='narrator-optimism-q1']")
    lit, unlit = (element.evaluate("el => getComputedStyle(el).backgroundColor") for element in (span, other))
    assert lit != unlit
    paragraph_text = page.locator("#p4").inner_text()
    assert paragraph_text.count("同じ文です。") == 2


def test_every_quote_of_the_real_site_has_its_span(page: Page, real_url: str) -> None:
    page.goto(real_url + "claims/")
    claim_links = page.locator("article li a[href*='claims/']").evaluate_all("els => els.map(e => e.href)")
    page.goto(claim_links[0])
    page.locator("#q1 a.kb-in-context").click()
    claim_id = urlsplit(claim_links[0]).path.rstrip("/").rsplit("/", 1)[1]
    page.wait_for_url(re.compile(r"[^#]*/sources/[^#]+#.+"))  # instant navigation: the address changes after the click
    fragment = page.url.rsplit("#", 1)[1]
    assert fragment == urls.quote_span_anchor(claim_id, 1)
    lit = page.locator(f"[data-kb-spans~='{fragment}']")
    expect(lit.first).to_be_in_viewport()
    expect(lit.first).to_have_class(re.compile(r"\bkb-quoted--landed\b"))
    # Every claim's "in context" links name an anchor that its transcript has.
    anchors: dict[str, set[str]] = {}
    for link in sorted(set(claim_links))[:40]:
        page.goto(link)
        for href in page.locator("a.kb-in-context").evaluate_all("els => els.map(e => e.href)"):
            where, _, anchor = href.partition("#")
            if where not in anchors:
                page.goto(where)
                anchors[where] = set(page.locator("[id]").evaluate_all("els => els.map(e => e.id)"))
                page.go_back()
            assert re.fullmatch(r".+-q\d+", anchor) and anchor in anchors[where], href


def test_selection_on_a_transcript_links_to_exactly_that_text(page: Page, small_url: str) -> None:
    page.goto(small_url + TRANSCRIPT)
    text = select(page, "#p2", "AGIは10年以上")
    url = copied_link(page)
    # The text occurs in a claim's title under the paragraph too: the link names the text before it.
    assert url.startswith(small_url + TRANSCRIPT + "#:~:text=") and quote(text, safe="") in url and "-," in url
    # Our script, as in a browser without text fragments: the exact text marked and shown.
    page.add_init_script(FORCE_FALLBACK)
    page.goto("about:blank")
    page.goto(url)
    expect(page.locator("#p2 mark.kb-passage").first).to_be_in_viewport()
    assert marked(page) == text


def test_selection_on_a_claim_page_round_trips_natively_and_by_our_script(page: Page, small_url: str, browser: object) -> None:
    page.set_viewport_size({"width": 390, "height": 400})
    page.goto(small_url + "claims/agi-decade/")
    text = select(page, "#q1 blockquote", "10年以上先")
    url = copied_link(page)
    # With Chromium's own text fragments the quote comes into view (Chromium's matching, or ours
    # where Chromium's word boundaries of Japanese miss a prefix).
    native = browser.new_page(viewport={"width": 390, "height": 400})  # type: ignore[attr-defined]
    native.goto(url)
    expect(native.locator("#q1 blockquote")).to_be_in_viewport()
    assert native.evaluate("scrollY") > 0
    native.close()
    forced = browser.new_page(viewport={"width": 390, "height": 400})  # type: ignore[attr-defined]
    forced.add_init_script(FORCE_FALLBACK)
    forced.goto(url)
    assert marked(forced) == text
    expect(forced.locator("#q1 blockquote mark.kb-passage").first).to_be_in_viewport()
    forced.close()


def test_a_text_alone_on_its_page_is_linked_as_it_is(page: Page, small_url: str) -> None:
    page.goto(small_url + TRANSCRIPT)
    text = select(page, "#p3", "はるかに楽観的")
    assert copied_link(page) == small_url + TRANSCRIPT + "#:~:text=" + quote(text, safe="")


NOT_SECURE = """
  window.kbReadClipboard = navigator.clipboard.readText.bind(navigator.clipboard)
  Object.defineProperty(window, "isSecureContext", { value: false })
  Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined })
"""
"""A page as a browser serves it over plain http from another host: no Clipboard API (the test keeps a way to read it)."""


def test_a_passage_link_is_copied_outside_a_secure_context_too(page: Page, small_url: str) -> None:
    """Without the Clipboard API the link is copied by kbPage.copyText's fallback (docs/assets/kb-common.js),
    as the claim page's copy buttons are; the passage button used to say the copy failed."""
    page.add_init_script(NOT_SECURE)
    page.goto(small_url + TRANSCRIPT)
    assert page.evaluate("[window.isSecureContext, typeof navigator.clipboard]") == [False, "undefined"]
    text = select(page, "#p3", "はるかに楽観的")
    button = page.locator("button.kb-passage-link")
    button.click()
    expect(page.locator("#kb-passage-status")).to_have_text(UI("script.passage_copied"))
    assert page.evaluate("window.kbReadClipboard()") == small_url + TRANSCRIPT + "#:~:text=" + quote(text, safe="")


def test_no_link_is_offered_outside_claims_and_transcripts(page: Page, small_url: str) -> None:
    page.goto(small_url + "glossary/")
    select(page, "article h1", UI("glossary.title")[:2])
    expect(page.locator("button.kb-passage-link")).to_have_count(0)


def test_hostile_selected_text_stays_text(page: Page, hostile_url: str) -> None:
    """A passage of hostile record text, selected, linked and marked from the fragment, reads as
    written and runs nothing."""
    seen = watch(page, hostile_url)
    page.add_init_script(FORCE_FALLBACK)
    payload = PAYLOADS["img onerror"]
    claim = next(c for c in KB.claims.values() if payload in c.quotes[0].text)
    page.goto(hostile_url + urls.claim_url(claim.id))
    text = select(page, f"{ARTICLE} #q1 blockquote", payload)
    assert text == payload
    url = copied_link(page)
    page.goto("about:blank")
    page.goto(url)
    assert marked(page) == payload
    assert not seen.problems(), seen.problems()


def test_a_claim_page_says_where_it_is_and_leads_on_within_its_topics(page: Page, real_url: str, real_site: Path) -> None:
    """The breadcrumb names the claims list and the claim's first topic; each topic of the claim has
    its previous and next claims in the topic page's order, and following them walks the topic."""
    page.set_viewport_size({"width": 1280, "height": 800})
    topic_page = real_url + "topics/agi-timeline/"
    page.goto(topic_page)
    listed = page.locator("article li.kb-claim-item > strong > a, article .kb-claim-item a").evaluate_all(
        "els => els.map(e => e.href).filter(h => /\\/claims\\/[^/]+\\/$/.test(h))")
    order = list(dict.fromkeys(listed))
    assert len(order) >= 3
    page.goto(order[0])
    crumbs = page.locator("nav.kb-breadcrumb a")
    expect(crumbs).to_have_text([UI("claims.title"), re.compile(".+")])
    walked = [page.url]
    while True:
        nav = page.locator("nav.kb-topic-nav:has(a[href$='topics/agi-timeline/'])")
        expect(nav).to_have_count(1)
        expect(nav.locator(".kb-topic-nav-name")).to_contain_text(f"{len(walked)} ")
        following = nav.locator("a.kb-next")
        if following.count() == 0:
            break
        following.click()
        page.wait_for_url(re.compile(r"/claims/[^/]+/$"))
        walked.append(page.url)
        expect(nav.locator("a.kb-previous")).to_have_attribute("href", re.compile(".+"))
    assert walked == order
    # The empty left column is gone on a wide screen: the text is wider than the default grid left it.
    assert page.locator(".md-sidebar--primary").evaluate("el => getComputedStyle(el).display") == "none"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator(".md-sidebar--primary").evaluate("el => getComputedStyle(el).display") != "none"


def test_relation_directions_read_apart() -> None:
    """「…が詳しく述べている主張」 and 「…を詳しく述べる主張」 differed by a particle and a tense."""
    outgoing, incoming = UI("vocabulary.relation.elaborates"), UI("vocabulary.backlink.elaborates")
    same = sum(a == b for a, b in zip(outgoing, incoming, strict=False))
    assert len(outgoing) - same > 3 and "元" in outgoing and "元" not in incoming, (outgoing, incoming)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_landed_span_a_marked_passage_and_the_button_are_legible(browser: Browser, real_url: str, scheme: str) -> None:
    """axe-core's contrast rule on a span reached by its anchor, a passage marked by our script and the
    passage button, in both colour schemes."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800},  # type: ignore[arg-type]
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(real_url + "claims/decade-of-agents/")
        page.locator("#q1 a.kb-in-context").click()
        landed = page.locator(".kb-quoted--landed")
        expect(landed.first).to_be_in_viewport()
        assert axe_violations(page, ["color-contrast"], ".kb-para") == []
        paragraph = page.locator(".kb-para").nth(3)
        text = select(page, f"#{paragraph.get_attribute('id')}", paragraph.evaluate(
            "p => Array.from(p.childNodes).filter(n => n.nodeType === 3).map(n => n.data).sort((a, b) => b.length - a.length)[0].trim().slice(0, 12)"))
        button = page.locator("button.kb-passage-link")
        expect(button).to_be_visible()
        assert axe_violations(page, ["color-contrast"], "button.kb-passage-link") == []
        url = copied_link(page)
        page.add_init_script(FORCE_FALLBACK)
        page.goto("about:blank")
        page.goto(url)
        assert marked(page) == text
        assert axe_violations(page, ["color-contrast"], "mark.kb-passage") == []
    finally:
        context.close()


def test_a_titles_permalink_takes_no_line_of_its_own_on_a_phone(browser: Browser, real_url: str) -> None:
    """The hidden ¶ after a title wrapped onto a line of its own at 390 px: an empty line under the
    title of the home page and of claim pages."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for path in ("", "claims/decade-of-agents/"):
            page.goto(real_url + path)
            lines = page.evaluate("""() => {
                const title = document.querySelector("article h1")
                const text = document.createRange()
                text.setStartBefore(title.firstChild)
                text.setEndBefore(title.querySelector(".headerlink"))
                const tops = new Set(Array.from(text.getClientRects(), r => Math.round(r.bottom)))
                return [Math.max(...tops), Math.round(title.getBoundingClientRect().bottom)]
            }""")
            assert abs(lines[0] - lines[1]) <= 2, (path, lines)  # the text's last line ends the title
    finally:
        page.close()
