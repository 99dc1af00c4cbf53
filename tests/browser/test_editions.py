"""Both editions in Chromium: every page type in Japanese and in English has its language, a switch
to the same page (and anchor) in the other edition, a search answering in its language, and, on a
claim page, a citation copied in the reader's language, the permanent #title anchor, "read in
context" landing on the quote's own span, and topic navigation and a claims filter in its language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import REPO
from kb.adapters.pipeline import load_and_check
from kb.site import urls
from kb.site.catalogue import catalogue
from kb.site.citation import claim_citation
from kb.site.edition import counterparts
from playwright.sync_api import Page, expect
from test_trust_browser import claims_json, matching, visible_claims

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


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_claim_title_has_the_permanent_anchor(page: Page, real_site: Path, real_url: str, language: str) -> None:
    """A link to a claim's title (`#title`) survives an edit of the title in both editions: English
    h1 ids were slugs of the English title."""
    claims = real_site / EDITIONS[language] / "claims"
    titles = {path.parent.name: re.findall(r"<h1[^>]*>", path.read_text(encoding="utf-8"))
              for path in claims.glob("*/index.html")}
    assert len(titles) > 50
    anchor = urls.CLAIM_TITLE_ANCHOR
    assert {claim_id: h1 for claim_id, h1 in titles.items() if h1 != [f'<h1 id="{anchor}">']} == {}
    claim = claims_json(real_site)["claims"][-1]
    page.goto(real_url + EDITIONS[language] + f"claims/{claim['id']}/#{anchor}")
    heading = page.locator(f"article h1#{anchor}")
    expect(heading).to_contain_text(claim["title_en" if language == "en" else "title"])
    expect(heading).to_be_in_viewport()
    expect(heading.locator("a.headerlink")).to_have_attribute(
        "href", re.compile(rf"(^|/{EDITIONS[language]}claims/{claim['id']}/)#{anchor}$"))


def test_english_read_in_context_lands_on_the_quotes_own_span(page: Page, real_site: Path, real_url: str) -> None:
    claim_id = claims_json(real_site)["claims"][0]["id"]
    page.goto(real_url + f"en/claims/{claim_id}/")
    page.locator("#q1 a.kb-in-context").click()
    page.wait_for_url(re.compile(r"[^#]*/en/sources/[^#]+#.+"))  # instant navigation: the address changes after the click
    fragment = page.url.rsplit("#", 1)[1]
    assert fragment == urls.quote_span_anchor(claim_id, 1)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    lit = page.locator(f"[data-kb-spans~='{fragment}']")
    expect(lit.first).to_be_in_viewport()
    expect(lit.first).to_have_class(re.compile(r"\bkb-quoted--landed\b"))


def test_every_english_in_context_link_names_a_span_of_its_english_transcript(real_site: Path) -> None:
    transcripts: dict[str, str] = {}
    checked = 0
    for page_file in sorted((real_site / "en" / "claims").glob("*/index.html")):
        html = page_file.read_text(encoding="utf-8")
        page_url = "http://site/" + page_file.relative_to(real_site).parent.as_posix() + "/"
        for href in re.findall(r'<a class="kb-in-context" href="([^"]+)"', html):
            target, _, anchor = urljoin(page_url, href).partition("#")
            assert target.startswith("http://site/en/sources/") and re.fullmatch(r".+-q\d+", anchor), (page_file, href)
            if target not in transcripts:
                transcripts[target] = (real_site / target.removeprefix("http://site/") / "index.html").read_text(encoding="utf-8")
            assert f'id="{anchor}"' in transcripts[target], (page_file, href)
            checked += 1
    assert checked > 50


def test_english_topic_navigation_is_in_english(page: Page, real_site: Path, real_url: str) -> None:
    """Previous and next name the claims by their English titles and the topic by its English name,
    and lead on within the English edition."""
    data = claims_json(real_site)
    titles = {claim["id"]: claim["title_en"] for claim in data["claims"]}
    topic = data["topics"][0]
    listed = [claim["id"] for claim in data["claims"] if topic["id"] in claim["topics"]]
    assert len(listed) >= 3
    page.goto(real_url + f"en/claims/{listed[0]}/")
    nav = page.locator(f"nav.kb-topic-nav:has(a[href$='topics/{topic['id']}/'])")
    expect(nav).to_have_count(1)
    expect(nav).to_have_attribute("aria-label", catalogue("en")("claim_page.topic_navigation", topic=topic["name_en"]))
    expect(nav.locator(".kb-topic-nav-name a")).to_have_text(topic["name_en"])
    steps = nav.locator("a.kb-previous, a.kb-next")
    assert steps.count() >= 1
    for step in steps.all():
        neighbour = str(step.get_attribute("href")).rstrip("/").rsplit("/", 1)[1]
        expect(step).to_have_text(titles[neighbour])
    steps.first.click()
    page.wait_for_url(re.compile(r"/en/claims/[^/]+/$"))
    expect(page.locator("article h1")).to_contain_text(titles[page.url.rstrip("/").rsplit("/", 1)[1]])


def test_english_claims_filter_names_speakers_and_topics_in_english(page: Page, real_site: Path, real_url: str) -> None:
    checked, _ = load_and_check(REPO)
    assert checked is not None
    data = claims_json(real_site)
    page.goto(real_url + "en/claims/")
    form = page.locator("form.kb-filter")
    expect(form).to_be_visible()
    option = catalogue("en")("claims.filter_option", label="{label}", count="{count}")
    speakers = form.locator("select[name=speaker] option:not([value=''])")
    expect(speakers).to_have_text([option.format(label=s.name, count=len(matching(data, speaker=s.id)))
                                   for s in checked.kb.speakers.values()])
    topics = form.locator("select[name=topic] option:not([value=''])")
    expect(topics).to_have_text([option.format(label=t.name_en, count=len(matching(data, topic=t.id)))
                                 for t in checked.kb.topics.values()])
    topic = next(iter(checked.kb.topics.values()))
    form.locator("select[name=topic]").select_option(label=option.format(label=topic.name_en,
                                                                         count=len(matching(data, topic=topic.id))))
    assert visible_claims(page) == matching(data, topic=topic.id)
