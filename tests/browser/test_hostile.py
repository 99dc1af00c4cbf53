"""Hostile record text renders as inert, literal text (tests/fixtures/hostile).

Every free-text field of the hostile fixture holds HTML, script, event-handler attributes,
`javascript:` URLs, raw HTML blocks, Markdown link/image/block syntax, attribute-breaking quotes,
template syntax, snippet-include syntax and markup that runs only when a script inserts it as HTML
(hostile_pages.PAYLOADS). In Chromium, on every page: no script of a record runs, no dialog opens,
no element is injected, no request leaves 127.0.0.1, and the text reads literally. Pointing,
focusing, searching and copying are in test_hostile_interaction.py.
"""

from __future__ import annotations

import html.parser
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_pages import ARTICLE, ESTIMATES, KB, PAYLOADS, fold, watch
from kb.exports.exports import FILE_SCHEMAS
from kb.records.knowledge import KnowledgeBase
from kb.site import urls
from kb.site.redirects import redirect_page_path
from playwright.sync_api import Page
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo


def page_texts(kb: KnowledgeBase) -> dict[str, list[str]]:
    """For each page URL: record text that must appear on it, literally."""
    claim_pages = {
        urls.claim_url(claim.id): [claim.title, claim.title_en, claim.summary, claim.summary_en,
                                   kb.speakers[claim.speaker].name, *(q.text for q in claim.quotes),
                                   *(a.text for a in claim.annotations),
                                   *(a.reference.title for a in claim.annotations if a.reference),
                                   *[a.finding for a in claim.annotations if a.finding and a.verdict != "no-issues"][:1],
                                   *(r.reason for r in claim.removed_quotes),
                                   *(p.title for s in kb.sources.values() for p in s.meta.primary_sources
                                     if p.id == claim.primary_source),
                                   *(kb.topics[t].name for t in claim.topics), *(kb.terms[t].term for t in claim.terms)]
        for claim in kb.claims.values()
    }
    topic_pages = {
        urls.page_url(urls.topic_page(topic.id)): [topic.name, topic.name_en, topic.description, topic.description_en]
        for topic in kb.topics.values()
    }
    speaker_pages = {
        urls.page_url(urls.speaker_page(s.id)): [s.name, *([s.name_ja] if s.name_ja else []), s.description,
                                                 s.description_en]
        for s in kb.speakers.values()
    }
    source_pages = {
        urls.page_url(urls.source_page(s.meta.id)): [s.meta.title, s.meta.title_en, s.meta.summarises,
                                                     *([s.meta.reliability] if s.meta.reliability else []),
                                                     *(text for p in s.meta.primary_sources for text in (p.title, p.title_en)),
                                                     *(p.text for p in s.text.paragraphs if "Zss" not in p.text)]
        for s in kb.sources.values()
    }
    glossary = [text for term in kb.terms.values()
                for text in (term.term, term.en, term.definition, *term.aliases, *term.misheard, *term.probable_forms,
                             *(form.text for form in term.index_as),
                             *([term.definition_en] if term.definition_en else []))]
    estimates = [ESTIMATES.title, ESTIMATES.title_en, *(text for group in ESTIMATES.groups for text in (
        group.title, group.title_en, *(text for e in group.estimates
                                       for text in (e.label, e.label_en, *([e.derivation] if e.derivation else []))),
    ))]
    indexes = {
        "": [s.meta.title for s in kb.sources.values()] + [t.name for t in kb.topics.values()]
            + ([kb.home.title, kb.home.intro, kb.home.intro_en] if kb.home else [])
            + [s.name for s in kb.speakers.values()] + estimates,
        "claims/": [c.title for c in kb.claims.values()] + [c.summary for c in kb.claims.values()],
        "topics/": [t.description for t in kb.topics.values()],
        "speakers/": [s.description for s in kb.speakers.values()],
        "sources/": [s.meta.summarises for s in kb.sources.values()],
        "glossary/": glossary,
    }
    return {**indexes, **claim_pages, **topic_pages, **speaker_pages, **source_pages}


def english_page_texts(kb: KnowledgeBase) -> dict[str, list[str]]:
    """For each page of the English edition (under en/): record text that must appear on it, literally."""
    claim_pages = {
        "en/" + urls.claim_url(claim.id): [
            claim.title, claim.title_en, claim.summary, claim.summary_en, kb.speakers[claim.speaker].name,
            *(q.text for q in claim.quotes), *(a.text_en for a in claim.annotations),
            *(a.reference.title for a in claim.annotations if a.reference),
            *(r.reason_en for r in claim.removed_quotes),
            *[a.finding_en for a in claim.annotations if a.finding_en and a.verdict != "no-issues"][:1],
            *(p.title_en for s in kb.sources.values() for p in s.meta.primary_sources if p.id == claim.primary_source),
            *(kb.topics[t].name_en for t in claim.topics), *(kb.terms[t].en for t in claim.terms)]
        for claim in kb.claims.values()
    }
    topic_pages = {"en/" + urls.page_url(urls.topic_page(t.id)): [t.name, t.name_en, t.description_en]
                   for t in kb.topics.values()}
    speaker_pages = {"en/" + urls.page_url(urls.speaker_page(s.id)): [s.name, *([s.name_ja] if s.name_ja else []),
                                                                      s.description_en]
                     for s in kb.speakers.values()}
    source_pages = {
        "en/" + urls.page_url(urls.source_page(s.meta.id)): [
            s.meta.title, s.meta.title_en, *([s.meta.summarises_en] if s.meta.summarises_en else []),
            *([s.meta.reliability_en] if s.meta.reliability_en else []),
            *(p.title_en for p in s.meta.primary_sources),
            *(p.text for p in s.text.paragraphs if "Zss" not in p.text)]
        for s in kb.sources.values()
    }
    glossary = [text for term in kb.terms.values()
                for text in (term.term, term.en, term.definition_en or term.definition, *term.aliases, *term.misheard,
                             *term.probable_forms)]
    estimates = [ESTIMATES.title, ESTIMATES.title_en, *(text for group in ESTIMATES.groups for text in (
        group.title, group.title_en, *(text for e in group.estimates
                                       for text in (e.label_en, *([e.derivation_en] if e.derivation_en else []))),
    ))]
    indexes = {
        "en/": [s.meta.title_en for s in kb.sources.values()] + [t.name_en for t in kb.topics.values()]
            + ([kb.home.title, kb.home.title_en, kb.home.intro_en] if kb.home else [])
            + [s.name for s in kb.speakers.values()] + estimates,
        "en/claims/": [c.title_en for c in kb.claims.values()] + [c.summary_en for c in kb.claims.values()]
            + [c.title for c in kb.claims.values()],
        "en/topics/": [t.description_en for t in kb.topics.values()],
        "en/speakers/": [s.description_en for s in kb.speakers.values()],
        "en/sources/": [s.meta.title_en for s in kb.sources.values()],
        "en/glossary/": glossary,
    }
    return {**indexes, **claim_pages, **topic_pages, **speaker_pages, **source_pages}


PAGES = {**page_texts(KB), **english_page_texts(KB)}


def test_hostile_fixture_is_valid_and_hostile() -> None:
    texts = [text for texts in PAGES.values() for text in texts]
    for needle in ("<script>", "onerror=", "javascript:", "{{", "{%", "--8<--", "![", "](", '">', "<!--", "///",
                   "a < b", "<tag>", *PAYLOADS.values()):
        assert any(needle in text for text in texts), f"the fixture lost its {needle!r} payloads"


def record_types(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every record type nested in its fields (quotes, annotations, estimates...)."""
    yield model
    for info in model.model_fields.values():
        pending: list[Any] = [info.annotation]
        while pending:
            annotation = pending.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from record_types(annotation)
            else:
                pending.extend(typing.get_args(annotation))


def is_free_text(info: FieldInfo) -> bool:
    """Whether a field takes text an editor writes freely: it accepts markup, alone or in a list
    (an id, a kana reading, a URL, a file name or a fixed word refuses it)."""
    annotation: Any = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for value in (PAYLOADS["img onerror"], [PAYLOADS["img onerror"]]):
        try:
            adapter.validate_python(value, strict=True)
            return True
        except ValidationError:
            pass
    return False


def records(value: Any) -> Iterator[BaseModel]:
    """Every record and nested record (quote, annotation, reference...) inside `value`."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from records(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from records(item)


def fixture_records() -> list[BaseModel]:
    """Every record of the hostile fixture, nested ones included."""
    found = [r for group in (KB.claims, KB.terms, KB.topics, KB.speakers) for r in records(list(group.values()))]
    found += [r for source in KB.sources.values() for r in records(source.meta)]
    return found + list(records(ESTIMATES)) + ([KB.home] if KB.home else [])


def test_free_text_is_recognised() -> None:
    """The rule below finds the fields an editor writes prose in, and only those."""
    from kb.records.model import Claim, Quote, Reference, Term
    assert is_free_text(Claim.model_fields["title"]) and is_free_text(Term.model_fields["aliases"])
    assert is_free_text(Quote.model_fields["prefix"]) and is_free_text(Term.model_fields["definition_en"])
    for model, name in ((Claim, "id"), (Claim, "kind"), (Claim, "topics"), (Term, "reading"), (Reference, "url")):
        assert not is_free_text(model.model_fields[name]), name


def test_every_free_text_field_of_every_record_type_is_hostile() -> None:
    """Kept complete as the schema grows: a new text field, in any file an editor writes, fails here
    until the fixture fills it with every payload that runs under innerHTML."""
    all_records = fixture_records()
    models = {model for root in FILE_SCHEMAS.values() for model in record_types(root)}
    missing = []
    for model in sorted(models, key=lambda m: m.__name__):
        for name, info in model.model_fields.items():
            if not is_free_text(info):
                continue
            values = [getattr(record, name) for record in all_records if type(record) is model]
            text = " ".join(t for value in values for t in (value if isinstance(value, list) else [value]) if t)
            missing += [f"{model.__name__}.{name}: {kind}" for kind, payload in PAYLOADS.items() if payload not in text]
    assert missing == [], "fields without these payloads in tests/fixtures/hostile"


@pytest.mark.parametrize("path", sorted(PAGES), ids=lambda p: p or "home")
def test_record_text_is_inert_and_literal(page: Page, hostile_url: str, path: str) -> None:
    seen = watch(page, hostile_url)
    page.goto(hostile_url + path)
    page.wait_for_load_state("networkidle")
    article = fold(page.locator(ARTICLE).text_content() or "")
    for text in PAGES[path]:
        assert fold(text) in article, f"not shown literally: {text!r}"
    assert seen.problems() == []


TITLED_PAGES = {
    **{urls.claim_url(c.id): c.title for c in KB.claims.values()},
    **{urls.page_url(urls.topic_page(t.id)): t.name for t in KB.topics.values()},
    **{urls.page_url(urls.speaker_page(s.id)): s.name_ja or s.name for s in KB.speakers.values()},  # Japanese names first
    **{urls.page_url(urls.source_page(s.meta.id)): s.meta.title for s in KB.sources.values()},
    **{"en/" + urls.claim_url(c.id): c.title_en for c in KB.claims.values()},
    **{"en/" + urls.page_url(urls.topic_page(t.id)): t.name_en for t in KB.topics.values()},
    **{"en/" + urls.page_url(urls.speaker_page(s.id)): s.name for s in KB.speakers.values()},
    **{"en/" + urls.page_url(urls.source_page(s.meta.id)): s.meta.title_en for s in KB.sources.values()},
}


@pytest.mark.parametrize("path", sorted(TITLED_PAGES))
def test_window_title_is_the_record_title_as_text(page: Page, hostile_url: str, path: str) -> None:
    """Material prints titles unescaped into <title>: a '</title><script>' title must stay text."""
    seen = watch(page, hostile_url)
    page.goto(hostile_url + path)
    assert page.title().startswith(fold(TITLED_PAGES[path]) + " - ")
    assert seen.problems() == []


def test_description_is_plain_text(page: Page, hostile_url: str) -> None:
    claim = KB.claims["evil-claim"]
    watch(page, hostile_url)
    page.goto(hostile_url + urls.claim_url(claim.id))
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == "［疑義あり］ " + fold(claim.summary)
    assert page.locator("head iframe, head img, body > iframe").count() == 0


def test_annotation_link_keeps_its_exact_http_url(page: Page, hostile_url: str) -> None:
    claim = KB.claims["evil-claim"]
    reference: Any = next(a.reference for a in claim.annotations if a.reference)
    watch(page, hostile_url)
    page.goto(hostile_url + urls.claim_url(claim.id))
    links = page.locator(f"{ARTICLE} a", has_text=fold(reference.title).split(" ")[1])
    assert links.count() == 1
    assert links.first.get_attribute("href") == reference.url


@pytest.mark.parametrize("edition", ["", "en/"], ids=["ja", "en"])
def test_search_results_are_inert(page: Page, hostile_url: str, edition: str) -> None:
    seen = watch(page, hostile_url)
    page.goto(hostile_url + edition)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("alert", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert "<script>" in (page.locator(".md-search-result").text_content() or "")
    assert seen.problems() == []


def test_no_record_payload_reached_the_file_system(hostile_site: Path) -> None:
    """Snippet-include and template syntax stayed text: mkdocs.yml was not pulled into any page."""
    for html_file in hostile_site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "markdown_extensions" not in text, html_file
        assert "Karpathy「エージェントの10年」注釈付きナレッジベース" not in text.split("<article", 1)[-1], html_file


class _Texts(html.parser.HTMLParser):
    """The text of each element of a page, by tag name (entities decoded as a browser does)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: set[str] = set()
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in ("meta", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.texts.setdefault(self.open[-1], []).append(data)


def test_redirect_page_names_the_claim_as_text(hostile_site: Path) -> None:
    """The page at a former id (written without Markdown or Material) shows the title as typed."""
    claim = KB.claims["evil-claim"]
    parser = _Texts()
    parser.feed((hostile_site / redirect_page_path(claim.former_ids[0])).read_text(encoding="utf-8"))
    assert parser.texts["title"] == [f"移動しました: {claim.title}"]
    assert parser.texts["a"] == [claim.title]
    assert parser.tags == {"html", "head", "meta", "title", "link", "script", "body", "p", "a"}
