"""Hostile record text stays inert when a reader does things: points at and focuses every element
with a title and every element our scripts enhance, on every page type; types hostile text into
the search and opens the results; presses the copy buttons; lands on the 404 page and a redirect.

Record text reaches a page's scripts through titles (tooltips), data attributes (copy buttons,
toasts), the search index (results) and the address (404 page). Every free-text field of the
fixture holds markup that runs only when such a script inserts it as HTML (hostile_pages.PAYLOADS),
each setting the sentinel `__pwned`, which reports to Python when set. Nothing may run, no dialog
open, no console message appear, no element be injected; tooltips, results and copied text must
read exactly as the editor wrote the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from conftest import FIXTURES, hosted
from hostile_pages import ARTICLE, KB, PAYLOADS, Watch, fold, watch
from kb.records.review import claim_review
from kb.site import urls
from kb.site.citation import claim_citation, speaker_label
from kb.site.labels import LABELS, term_names, term_tooltip
from playwright.sync_api import Browser, ElementHandle, Locator, Page, expect

FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]"
PREVIEWED = "a.kb-chip, .kb-related-item > a"  # links that kb-popover.js previews when they lead to a claim
# The id of the claim a previewed link inside the content leads to, or null
PREVIEWED_CLAIM = f"""el => el.matches('{PREVIEWED}') && el.closest('.md-content')
    && (/\\/claims\\/([^/]+)\\/$/.exec(new URL(el.href).pathname) || [])[1] || null"""
MISSING = "claims/" + quote(PAYLOADS["img onerror"]) + "/"
REDIRECT = urls.claim_url(KB.claims["evil-claim"].former_ids[0])


def expected_titles() -> dict[str, set[str]]:
    """Record text that a page shows in titles: glossary definitions and topic names on claim pages,
    the quoting claims' titles and the corrections of misheard names on transcript pages."""
    claims = {
        urls.claim_url(claim.id): {term_tooltip(KB.terms[t], lang) for t in claim.terms for lang in ("ja", "en")}
        | {KB.topics[t].name_en for t in claim.topics}
        for claim in KB.claims.values()
    }
    sources = {}
    for source in KB.sources.values():
        quoting = [c for c in KB.claims.values() if any(q.source == source.meta.id for q in c.quotes)]
        misheard = [t for t in KB.terms.values() if any(form in p.text for form in t.misheard for p in source.text.paragraphs)]
        sources[urls.page_url(urls.source_page(source.meta.id))] = (
            {c.title for c in quoting} | {c.title_en for c in quoting} | {f"正しくは {term_names(t)}" for t in misheard})
    return {**claims, **sources}


TITLES = expected_titles()
PAGE_TYPES = sorted({
    "", "claims/", "topics/", "speakers/", "glossary/", "sources/", "contributing/",
    *(urls.claim_url(c) for c in KB.claims), *(urls.page_url(urls.topic_page(t)) for t in KB.topics),
    *(urls.page_url(urls.speaker_page(s)) for s in KB.speakers),
    *(urls.page_url(urls.source_page(s)) for s in KB.sources), MISSING, REDIRECT,
})


def expected_preview(claim_id: str) -> list[str]:
    """The lines of a claim's preview, from the record: title, English title, status and speaker, summary."""
    claim = KB.claims[claim_id]
    meta = f"{LABELS['status'][claim_review(claim).status]} · {speaker_label(KB.speakers[claim.speaker])}"
    return [fold(line) for line in (claim.title, claim.title_en, meta, claim.summary)]


def shown_preview(page: Page, claim_id: str, what: str) -> list[str]:
    """The preview's lines once it shows the claim; fails when it never does."""
    tooltip = page.locator("#kb-tooltip.kb-tooltip--preview")
    expect(tooltip, what).to_be_visible()
    expect(tooltip.locator(".kb-tooltip__line"), what).to_have_text(expected_preview(claim_id))
    return [fold(line) for line in tooltip.locator(".kb-tooltip__line").all_text_contents()]


def is_in(element: ElementHandle, selector: str) -> bool:
    return bool(element.evaluate("(el, selector) => !!el.closest(selector)", selector))


def point_and_focus(page: Page, seen: Watch, element: ElementHandle) -> list[str]:
    """Hover `element`, then focus it and press Escape, checking after each that nothing ran; the
    tooltips it showed, as text."""
    title = element.get_attribute("title")
    ours = title is not None and is_in(element, ".md-content")  # Material's header keeps the browser's own
    previewed = element.evaluate(PREVIEWED_CLAIM)  # a claim's preview takes the tooltip's place
    what = f"<{element.evaluate('el => el.localName')} title={title!r}>"
    tooltip = page.locator("#kb-tooltip")
    shown: list[str] = []

    def check(action: str) -> None:
        page.wait_for_timeout(50)  # a tooltip's markup would run on the next frames
        assert seen.ran + seen.dialogs == [], f"{action} {what}"
        if previewed:
            lines = shown_preview(page, previewed, f"{action} {what}")  # exactly the record's text, not markup
            page.wait_for_timeout(50)
            assert seen.ran + seen.dialogs == [], f"{action} {what}, previewed"
            shown.extend(line for line in lines if title is not None and line == fold(title))
        elif ours:
            expect(tooltip).to_be_visible()
            expect(tooltip).to_have_text(fold(title or ""))  # exactly the title: text, not markup
            shown.append(tooltip.text_content() or "")

    if element.is_visible():
        element.hover(force=True)
        check("pointing at")
    page.mouse.move(0, 0)
    if element.evaluate(f"el => el.matches('{FOCUSABLE}')") and element.is_visible():
        element.focus()
        check("focusing")
        page.keyboard.press("Escape")
        expect(tooltip).to_be_hidden()
    return shown


def point_at_everything(page: Page, seen: Watch) -> set[str]:
    """Point at and focus every element with a title and every element our scripts enhance (copy
    buttons, the 404 page's search box); the tooltip texts seen."""
    elements = page.query_selector_all(f"[title], [data-kb-copy], .kb-404 input, .md-search__input, {PREVIEWED}")
    assert elements, "nothing to point at"
    return {text for element in elements for text in point_and_focus(page, seen, element)}


def click_and_wait_for_new_content(page: Page, link: Locator) -> None:
    """Click `link` and wait until the page shows the new content (Material's instant navigation
    changes the address before it replaces the article)."""
    page.evaluate(f"document.querySelector('{ARTICLE}').kbOld = true")
    link.click()
    page.wait_for_function(f"document.querySelector('{ARTICLE}') && !document.querySelector('{ARTICLE}').kbOld")
    page.wait_for_load_state("networkidle")


def open_page(page: Page, site: str, path: str) -> Watch:
    """Open `path` of the site at `site`, watched; the 404 page's own status is the one console message allowed."""
    seen = watch(page, site, expected_console=("status of 404",) if path == MISSING else ())
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    return seen


@pytest.mark.parametrize("path", PAGE_TYPES, ids=lambda p: p or "home")
def test_pointing_and_focusing_runs_nothing_and_tooltips_read_literally(page: Page, hostile_url: str,
                                                                        path: str) -> None:
    seen = open_page(page, hostile_url, path)
    if path == REDIRECT:
        expect(page).to_have_url(hostile_url + urls.claim_url("evil-claim"))
    shown = {fold(text) for text in point_at_everything(page, seen)}
    assert seen.problems() == []
    landed = urlsplit(page.url).path.lstrip("/")
    missing = {fold(title) for title in TITLES.get(landed, set())} - shown
    assert missing == set(), "record text not shown in a tooltip exactly as written"


def test_tooltips_work_after_instant_navigation(page: Page, hostile_url: str) -> None:
    seen = open_page(page, hostile_url, "claims/")
    page.evaluate("window.kbSamePage = true")
    click_and_wait_for_new_content(page, page.locator(f"{ARTICLE} a[href$='evil-claim/']").first)
    expect(page).to_have_url(re.compile(re.escape(hostile_url + urls.claim_url("evil-claim"))))
    assert page.evaluate("window.kbSamePage") is True, "expected Material's instant navigation, not a page load"
    shown = {fold(text) for text in point_at_everything(page, seen)}
    assert {fold(title) for title in TITLES[urls.claim_url("evil-claim")]} <= shown
    assert seen.problems() == []


@pytest.mark.parametrize("payload", sorted(PAYLOADS), ids=lambda p: p.replace(" ", "-"))
def test_hostile_search_runs_nothing_and_results_read_literally(page: Page, hostile_url: str, payload: str) -> None:
    seen = open_page(page, hostile_url, "")
    page.keyboard.press("/")
    page.locator("input.md-search__input").fill(PAYLOADS[payload])  # one query: no result of a prefix to race with
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15_000)
    expect(page.locator(".md-search-result__list")).to_contain_text(PAYLOADS[payload])
    assert seen.problems() == []
    link = result.locator("a").first
    target = link.get_attribute("href") or ""
    click_and_wait_for_new_content(page, link)
    assert page.url == target
    assert seen.problems() == []
    assert PAYLOADS[payload] in fold(page.locator(ARTICLE).text_content() or ""), "the result's page lost the text"
    point_at_everything(page, seen)
    assert seen.problems() == []


@pytest.fixture(scope="module")
def stock_search_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile fixture built with Material's own search (KB_SEARCH=false), hosted on 127.0.0.1."""
    with hosted(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile-stock") / "site", {"KB_SEARCH": "false"}) as url:
        yield url


def test_hostile_search_with_materials_own_index_runs_nothing(page: Page, stock_search_url: str) -> None:
    seen = open_page(page, stock_search_url, "")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    for payload in PAYLOADS.values():
        box.fill("")
        box.press_sequentially(payload, delay=10)
        expect(page.locator(".md-search-result__list")).to_contain_text(payload)
        assert seen.problems() == [], payload


@pytest.mark.parametrize("claim_id", sorted(KB.claims))
def test_copy_buttons_copy_the_text_as_written_and_run_nothing(page: Page, hostile_url: str, claim_id: str) -> None:
    claim = KB.claims[claim_id]
    seen = open_page(page, hostile_url, urls.claim_url(claim_id))
    citation = claim_citation(KB, claim, hostile_url)
    expected = [citation.url, citation.markdown, citation.plain,
                *(f"{citation.url}#q{n}" for voice in ("reported", "gloss")  # glosses are listed after
                  for n, quote in zip(claim.quote_numbers(), claim.quotes) if quote.voice == voice)]
    copied = []
    for button in page.query_selector_all("[data-kb-copy]"):
        button.click()
        done = button.get_attribute("data-kb-done") or ""
        expect(page.locator(".md-dialog__inner")).to_have_text(done)
        copied.append(page.evaluate("navigator.clipboard.readText()"))
    assert copied == expected
    assert fold(claim.title) in citation.plain
    assert seen.problems() == []


def test_404_with_a_hostile_address_runs_nothing_and_searches_for_it(page: Page, hostile_url: str) -> None:
    seen = open_page(page, hostile_url, MISSING)
    box = page.locator(".kb-404 input[name=q]")
    expect(box).to_have_value(re.compile(re.escape("<img src=x onerror=")))
    page.locator(".kb-404 button[type=submit]").click()
    expect(page.locator(".md-search__input")).to_have_value(re.compile(re.escape("<img src=x onerror=")))
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    expect(page.locator(".md-search-result__list")).to_contain_text("<img src=x onerror=")
    assert seen.problems() == []


def test_redirect_keeps_the_quote_and_runs_nothing(page: Page, hostile_url: str) -> None:
    seen = open_page(page, hostile_url, REDIRECT + "#q2")
    expect(page).to_have_url(hostile_url + urls.claim_url("evil-claim") + "#q2")
    expect(page.locator("h1")).to_contain_text(fold(KB.claims["evil-claim"].title))
    assert seen.problems() == []


CLAIM_PAGES = sorted(urls.claim_url(c) for c in KB.claims)


@pytest.mark.parametrize("path", CLAIM_PAGES)
def test_tapping_terms_runs_nothing_and_definitions_read_literally(browser: Browser, hostile_url: str,
                                                                   path: str) -> None:
    """A tap on each glossary term opens its definition (kb-popover.js) as the editor wrote it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        seen = open_page(page, hostile_url, path)
        claim = KB.claims[path.strip("/").rsplit("/", 1)[-1]]
        definitions = {fold(term_tooltip(KB.terms[t], lang)) for t in claim.terms for lang in ("ja", "en")}
        terms = page.locator(f"{ARTICLE} a.kb-term")
        assert terms.count() > 0, "no term to tap"
        opened = set()
        for index in range(terms.count()):
            term = terms.nth(index)
            if not term.is_visible():
                continue
            term.tap()
            popover = page.locator(".kb-popover")
            expect(popover).to_be_visible()
            page.wait_for_timeout(50)
            assert seen.ran + seen.dialogs == [], f"tapping term {index}"
            text = fold(popover.locator(".kb-popover__text").text_content() or "")
            assert text in definitions, "a definition not shown exactly as written"
            expect(popover).to_have_attribute("aria-label", term.text_content() or "")
            opened.add(text)
            page.keyboard.press("Escape")
            expect(popover).to_be_hidden()
        assert opened, "no term opened"
        assert seen.problems() == []
    finally:
        context.close()
