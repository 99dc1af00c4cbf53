"""The English edition: every page of the Japanese edition has its English counterpart under en/,
in English interface words, with English record text first and quotes verbatim in Japanese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.site import urls
from kb.site.catalogue import catalogue
from kb.site.edition import NAV, EditionTheme, counterparts, root_path
from kb.site.render import edition_pages
from kb.site.siteindex import build_index
from mkdocs.config import load_config

_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def small() -> CheckedKnowledgeBase:
    checked, problems = load_and_check(REPO / "tests" / "fixtures" / "small")
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


@pytest.fixture(scope="module")
def pages(small: CheckedKnowledgeBase) -> dict[str, str]:
    return edition_pages(small, site_url="https://example.org/kb/")


def test_both_editions_have_the_same_pages(pages: dict[str, str]) -> None:
    japanese = {path for path in pages if not path.startswith("en/")}
    english = {root_path(path) for path in pages if path.startswith("en/")}
    assert japanese and english == japanese


def test_counterparts_keep_the_path() -> None:
    assert counterparts("claims/x.md") == {"ja": "claims/x.md", "en": "en/claims/x.md"}
    assert counterparts("en/index.md") == {"ja": "index.md", "en": "en/index.md"}


def record_strings(value: object) -> list[str]:
    """Every string held by a record (dumped), longest first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in record_strings(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in record_strings(item)]
    return []


def test_english_pages_print_no_japanese_interface_words(pages: dict[str, str], small: CheckedKnowledgeBase) -> None:
    kb = small.kb
    records = [*kb.claims.values(), *kb.terms.values(), *kb.topics.values(), *kb.speakers.values(),
               *(source.meta for source in kb.sources.values()), *([kb.home] if kb.home else [])]
    transcripts = [p.text for source in kb.sources.values() for p in source.text.paragraphs]
    held = sorted({*transcripts, *(s for record in records for s in record_strings(record.model_dump()))},
                  key=len, reverse=True)
    japanese_words = [text for text in catalogue("ja").strings.values() if len(text) >= 3 and _JAPANESE.search(text)
                      and "{" not in text]
    assert japanese_words
    for path, text in pages.items():
        if path.startswith("en/"):
            for record_text in held:  # record text in Japanese is data shown beside the English
                text = text.replace(record_text, "")
            found = [word for word in japanese_words if word in text]
            assert found == [], path


def test_english_claim_page(pages: dict[str, str], small: CheckedKnowledgeBase) -> None:
    claim = small.kb.claims["agi-decade"]
    page = pages["en/" + urls.claim_page(claim.id)]
    assert page.splitlines()[4].startswith("# ")
    assert page.splitlines()[4].endswith(f" is more than a decade away {{ #{urls.CLAIM_TITLE_ANCHOR} }}")
    assert f"> {claim.quotes[0].text}\n{{ lang=\"ja\" }}" in page  # the quote, verbatim, marked Japanese
    assert "## Quotes { #quotes }" in page and '<div class="kb-quote" id="q1" markdown>' in page
    assert "https://example.org/kb/en/claims/agi-decade/" in page  # the citation links the English page
    assert f"Claim by {small.kb.speakers[claim.speaker].name} (editors&#x27; summary): {claim.title_en}" in page


def test_english_claim_page_has_the_breadcrumb(pages: dict[str, str], small: CheckedKnowledgeBase) -> None:
    claim = small.kb.claims["agi-decade"]
    topic = small.kb.topics[claim.topics[0]]
    lines = pages["en/" + urls.claim_page(claim.id)].splitlines()
    en = catalogue("en")
    assert lines[4].startswith("# ") and lines[5] == ""  # under the title, as on the Japanese page
    assert lines[6:9] == [f'<nav class="kb-breadcrumb" aria-label="{en("claim_page.breadcrumb")}" markdown>',
                          f"[{en('claims.title')}](index.md) › [{topic.name_en}](../topics/{topic.id}.md)", "</nav>"]
    japanese = pages[urls.claim_page(claim.id)].splitlines()
    assert japanese[6:9] == [f'<nav class="kb-breadcrumb" aria-label="{catalogue("ja")("claim_page.breadcrumb")}" markdown>',
                             f"[{catalogue('ja')('claims.title')}](index.md) › [{topic.name}](../topics/{topic.id}.md)",
                             "</nav>"]


def test_each_claim_page_prints_the_other_language_beside_its_own(pages: dict[str, str],
                                                                 small: CheckedKnowledgeBase) -> None:
    claim = small.kb.claims["agi-decade"]
    speaker = small.kb.speakers[claim.speaker]
    english, japanese = pages["en/" + urls.claim_page(claim.id)], pages[urls.claim_page(claim.id)]
    assert '{ .kb-title-ja lang="ja" }' in english and '{ .kb-summary-ja lang="ja" }' in english
    assert f'<span class="kb-muted" lang="ja">{speaker.name_ja}</span>' in english
    assert 'lang="en"' not in english  # nothing glossed in English on the English page
    assert '{ .kb-title-en lang="en" }' in japanese and '{ .kb-summary-en lang="en" }' in japanese
    assert f'<span class="kb-muted" lang="en">{speaker.name}</span>' in japanese
    ja = catalogue("ja")
    assert f'<dt>{ja("claim_page.speaker")} <span lang="en">{ja("claim_page.speaker_en")}</span></dt>' in japanese


def test_every_claim_title_has_the_permanent_anchor_in_both_editions(pages: dict[str, str],
                                                                     small: CheckedKnowledgeBase) -> None:
    """A link to an English claim's title survives an edit of the title, as a Japanese one does."""
    for claim in small.kb.claims.values():
        for path in (urls.claim_page(claim.id), "en/" + urls.claim_page(claim.id)):
            heading = pages[path].splitlines()[4]
            assert heading.startswith("# ") and heading.endswith(f" {{ #{urls.CLAIM_TITLE_ANCHOR} }}"), path


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_read_in_context_links_each_quotes_own_span(pages: dict[str, str], small: CheckedKnowledgeBase,
                                                    prefix: str) -> None:
    for claim in small.kb.claims.values():
        targets = re.findall(r"\]\(([^)]+)\)\{ \.kb-in-context \}", pages[prefix + urls.claim_page(claim.id)])
        spans = [f"../{urls.quote_span_link(quote.source, claim.id, number)}"
                 for number, quote in zip(claim.quote_numbers(), claim.quotes, strict=True)]
        assert sorted(targets) == sorted(spans) and spans, claim.id


def topic_navigation(page: str) -> str:
    start = page.index('<nav class="kb-topic-nav"')
    return page[start:page.index("</nav>", start)]


def test_topic_navigation_names_claims_and_topics_in_the_editions_language(pages: dict[str, str],
                                                                          small: CheckedKnowledgeBase) -> None:
    claim = small.kb.claims["agi-decade"]
    topic = small.kb.topics[claim.topics[0]]
    neighbours = [other for other in build_index(small).claims_by_topic[topic.id] if other.id != claim.id]
    assert neighbours
    english = topic_navigation(pages["en/" + urls.claim_page(claim.id)])
    japanese = topic_navigation(pages[urls.claim_page(claim.id)])
    assert f"“{topic.name_en}”" in english and f"[{topic.name_en}](../topics/{topic.id}.md)" in english
    assert f"「{topic.name}」" in japanese and f"[{topic.name}](../topics/{topic.id}.md)" in japanese
    for other in neighbours:
        assert f"[{other.title_en}]({other.id}.md)" in english and other.title not in english
        assert f"[{other.title}]({other.id}.md)" in japanese
    assert topic.name not in english


def filter_labels(page: str) -> dict[str, str]:
    """The claims list's filter choices: value -> label without its count."""
    return {value: re.sub(r" \(\d+\)$|（\d+）$", "", label)
            for value, label in re.findall(r'<option value="([^"]+)">([^<]*)</option>', page)}


def test_claims_filter_names_speakers_and_topics_in_the_editions_language(pages: dict[str, str],
                                                                         small: CheckedKnowledgeBase) -> None:
    english, japanese = filter_labels(pages["en/" + urls.CLAIMS_PAGE]), filter_labels(pages[urls.CLAIMS_PAGE])
    speakers, topics = small.kb.speakers.values(), small.kb.topics.values()
    assert any(speaker.name_ja for speaker in speakers) and any(topic.name != topic.name_en for topic in topics)
    for speaker in speakers:
        assert english[speaker.id] == speaker.name and japanese[speaker.id] == (speaker.name_ja or speaker.name)
    for topic in topics:
        assert english[topic.id] == topic.name_en and japanese[topic.id] == topic.name


def test_annotation_heading_glosses_the_kind_on_japanese_pages_only(pages: dict[str, str],
                                                                    small: CheckedKnowledgeBase) -> None:
    """The kind's id after its label is an English gloss of a Japanese word; on English pages it would
    repeat the label ("Context · context")."""
    claim = small.kb.claims["agi-decade"]
    kind = claim.annotations[0].kind
    english, japanese = catalogue("en")(f"vocabulary.annotation.{kind}"), catalogue("ja")(f"vocabulary.annotation.{kind}")
    assert f"\n/// admonition | {english}\n" in pages["en/" + urls.claim_page(claim.id)]
    assert f"\n/// admonition | {japanese} · {kind}\n" in pages[urls.claim_page(claim.id)]


def test_english_glossary_is_alphabetical(pages: dict[str, str], small: CheckedKnowledgeBase) -> None:
    glossary = pages["en/" + urls.GLOSSARY_PAGE]
    shown = re.findall(r"^### (.+) \{ #", glossary, re.MULTILINE)
    assert sorted(shown, key=str.casefold) == shown and len(shown) == len(small.kb.terms)


def test_the_japanese_tabs_are_mkdocs_yml_nav() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    nav = [(title, page) for entry in config["nav"] for title, page in entry.items()]
    ja = catalogue("ja")
    assert nav == [(ja(key), page) for key, page in NAV]


def test_alternates_and_tabs_of_an_english_page() -> None:
    theme = EditionTheme("https://example.org/kb/")
    alternates = theme.alternates("en/claims/x.md")
    assert [(a["lang"], a["link"], a["relative"], a["current"]) for a in alternates] == [
        ("ja", "https://example.org/kb/claims/x/", "claims/x/", ""),
        ("en", "https://example.org/kb/en/claims/x/", "en/claims/x/", "true"),
    ]
    tabs = theme.nav("en/claims/x.md")
    assert [tab.url for tab in tabs if tab.active] == ["en/claims/"]
    assert all(tab.url.startswith("en/") for tab in tabs)
    assert [tab.url for tab in theme.nav("en/index.md") if tab.active] == ["en/"]


def test_redirects_in_both_editions(tmp_path: Path) -> None:
    from kb.site.redirects import redirect_pages
    checked, _ = load_and_check(REPO)
    assert checked is not None
    pages = redirect_pages(checked.kb, "https://example.org/kb/")
    english = [path for path in pages if path.startswith("en/")]
    assert len(english) * 2 == len(pages)
    for path in english:
        assert '<html lang="en">' in pages[path] and "https://example.org/kb/en/claims/" in pages[path]


def test_a_page_without_its_counterpart_is_named() -> None:
    from kb.site.edition import unpaired_pages
    assert unpaired_pages(["claims/a.md", "en/claims/a.md", "en/topics/t.md"]) == ["en/topics/t.md: no topics/t.md"]


def test_headings_links_are_titled_in_each_editions_language(real_site: Path) -> None:
    """The ¶ link of every heading: mkdocs.yml's title (the catalogue's Japanese words) on Japanese pages,
    the English catalogue's on English ones."""
    config = load_config(str(REPO / "mkdocs.yml"))
    assert config.mdx_configs["toc"]["permalink_title"] == catalogue("ja")("theme.heading_link")
    for page, language in (("claims/agi-more-than-a-decade-away/index.html", "ja"),
                           ("en/claims/agi-more-than-a-decade-away/index.html", "en")):
        html = (real_site / page).read_text(encoding="utf-8")
        titles = set(re.findall(r'<a class="headerlink" href="[^"]*" title="([^"]*)"', html))
        assert titles == {catalogue(language)("theme.heading_link")}, page


def test_english_pages_describe_themselves_in_english(real_site: Path) -> None:
    """What a link to an English page unfurls as (its description, Open Graph title, description and image
    text) is English: not mkdocs.yml's site name and description, which are the Japanese edition's."""
    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    meta = re.compile(r'<meta (?:name="description"|property="og:(?:title|description|image:alt)") content="([^"]*)"')
    pages = sorted((real_site / "en").rglob("index.html"))
    assert len(pages) > 60
    found = {str(page.relative_to(real_site)): [value for value in meta.findall(page.read_text(encoding="utf-8"))
                                                  if japanese.search(value)] for page in pages}
    assert {page: values for page, values in found.items() if values} == {}
    assert all(len(meta.findall(page.read_text(encoding="utf-8"))) == 4 for page in pages)
