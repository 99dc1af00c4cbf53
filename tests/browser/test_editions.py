"""Both editions in Chromium: every page type in Japanese and in English has its language, a switch
to the same page (and anchor) in the other edition, a search answering in its language, and, on a
claim page, a citation copied in the reader's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO
from kb.adapters.pipeline import load_and_check
from kb.site.citation import claim_citation
from kb.site.edition import counterparts
from playwright.sync_api import Page, expect

EDITIONS = {"ja": "", "en": "en/"}
OTHER = {"ja": "en", "en": "ja"}
QUERIES = {"ja": "エージェント", "en": "agents"}


def pages_of_each_type(site: Path) -> dict[str, tuple[str, str]]:
    """For each kind of page: its site-relative URL (at the root) and an anchor on it to keep."""
    document = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    claim = document["claims"][0]
    source = document["sources"][0]["id"]
    term = document["terms"][0]["id"]
    return {
        "home": ("", ""), "claims": ("claims/", ""), "claim": (claim["url"], "#q1"), "topics": ("topics/", ""),
        "topic": (f"topics/{document['topics'][0]['id']}/", ""), "speakers": ("speakers/", ""),
        "speaker": (f"speakers/{document['speakers'][0]['id']}/", ""), "glossary": ("glossary/", f"#{term}"),
        "sources": ("sources/", ""), "source": (f"sources/{source}/", "#p3"), "contributing": ("contributing/", ""),
    }


KINDS = ["home", "claims", "claim", "topics", "topic", "speakers", "speaker", "glossary", "sources", "source",
         "contributing"]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_page_switches_to_the_same_place_in_the_other_edition(page: Page, real_site: Path, real_url: str,
                                                               kind: str, language: str) -> None:
    url, anchor = pages_of_each_type(real_site)[kind]
    page.goto(real_url + EDITIONS[language] + url + anchor)
    assert page.locator("html").get_attribute("lang") == language
    other = OTHER[language]
    switch = page.locator(f"a.kb-language-link[hreflang={other}]")
    expect(switch).to_have_count(1)
    switch.evaluate("link => link.click()")
    # Waits for the other edition's page itself: a script of the page may first move to its own
    # #anchor (a same-document navigation), which would satisfy a wait for any navigation.
    page.wait_for_url(real_url + EDITIONS[other] + url + anchor)
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    if anchor:
        expect(page.locator(anchor)).to_have_count(1)
    switches = page.locator("a.kb-language-link[hreflang]")
    assert sorted(switches.evaluate_all("links => links.map(l => l.hreflang)")) == ["en", "ja"]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_search_answers_in_the_edition_of_the_page(page: Page, real_site: Path, real_url: str, kind: str,
                                                   language: str) -> None:
    url, _ = pages_of_each_type(real_site)[kind]
    page.goto(real_url + EDITIONS[language] + url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(QUERIES[language], delay=20)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=15_000)
    links = results.evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith(real_url + "en/") == (language == "en") for link in links), links


def test_japanese_query_on_an_english_page_finds_english_results(page: Page, real_url: str) -> None:
    page.goto(real_url + "en/")
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("強化学習", delay=20)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=15_000)
    assert (first.get_attribute("href") or "").startswith(real_url + "en/")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_copied_citation_is_in_the_readers_language(page: Page, real_site: Path, real_url: str,
                                                    language: str) -> None:
    claim_id = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))["claims"][0]["id"]
    page.goto(real_url + EDITIONS[language] + f"claims/{claim_id}/")
    canonical = str(page.locator("link[rel=canonical]").get_attribute("href"))
    site_url = canonical.removesuffix(EDITIONS[language] + f"claims/{claim_id}/")
    checked, _ = load_and_check(REPO)
    assert checked is not None
    from kb.site.catalogue import catalogue
    expected = claim_citation(checked.kb, checked.kb.claims[claim_id], site_url, catalogue(language),
                              english=language == "en")
    page.locator(".kb-cite button").nth(2).click()
    assert page.evaluate("navigator.clipboard.readText()") == expected.plain
    assert expected.url == canonical


@pytest.mark.parametrize("language", ["ja", "en"])
def test_claim_page_breadcrumb_stays_in_its_edition(page: Page, real_site: Path, real_url: str, language: str) -> None:
    """The breadcrumb under a claim's title names the claims list and the claim's first topic in the
    page's language, and leads to them in the same edition."""
    from kb.site.catalogue import catalogue
    from kb.site.edition import layout_edition
    checked, _ = load_and_check(REPO)
    assert checked is not None
    claim_id = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))["claims"][0]["id"]
    topic = checked.kb.topics[checked.kb.claims[claim_id].topics[0]]
    page.goto(real_url + EDITIONS[language] + f"claims/{claim_id}/")
    crumbs = page.locator("article nav.kb-breadcrumb")
    expect(crumbs).to_have_attribute("aria-label", catalogue(language)("claim_page.breadcrumb"))
    links = crumbs.locator("a")
    expect(links).to_have_text([catalogue(language)("claims.title"), layout_edition(language).text(topic, "name")])
    hrefs = links.evaluate_all("links => links.map(l => l.href)")
    assert hrefs == [real_url + EDITIONS[language] + "claims/", real_url + EDITIONS[language] + f"topics/{topic.id}/"]


def test_each_page_has_its_counterpart_in_the_built_site(real_site: Path) -> None:
    built = {path.relative_to(real_site).as_posix() for path in real_site.rglob("index.html")}
    for path in built:
        if path.startswith("search/"):
            continue
        for counterpart in counterparts(path).values():
            assert counterpart in built, f"{path} has no counterpart {counterpart}"
