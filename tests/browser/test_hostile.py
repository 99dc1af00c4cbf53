"""Hostile record text renders as inert, literal text (tests/fixtures/hostile).

Every free-text field of the hostile fixture holds HTML, script, event-handler attributes,
`javascript:` URLs, raw HTML blocks, Markdown link/image/block syntax, attribute-breaking quotes,
template syntax and snippet-include syntax. In Chromium, on every page: no script of a record runs,
no dialog opens, no element is injected, no request leaves 127.0.0.1, and the text reads literally.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from kb.records.knowledge import KnowledgeBase, load_knowledge_base
from kb.records.model import SCHEMAS
from kb.site import urls
from playwright.sync_api import Dialog, Page, Route
from pydantic import AfterValidator, BaseModel

pytestmark = pytest.mark.browser

KB, PROBLEMS = load_knowledge_base(FIXTURES / "hostile")
# Elements no template emits inside the article; any of them there came from a record.
INJECTED = "script, style, iframe, frame, object, embed, img, svg, textarea, plaintext, form, input, " \
           "select, base, meta, link, b, i, em, del, s, u, h3, h4, h5, h6"
# ...except these, which templates do emit: the home page's figures, glossary entries, topic groups.
TEMPLATE_MADE = "figure.kb-figure > div > svg, h3.kb-term-entry, h3.kb-topic-group, h3.kb-glosses, " \
                "form.kb-filter, form.kb-filter select"
FIND_INJECTIONS = """
(injected) => {
  const TEMPLATE_MADE = '""" + TEMPLATE_MADE + """';
  const found = [];
  const article = document.querySelector('article');
  if (!article) return ['no <article> element'];
  article.querySelectorAll(injected).forEach(el => {
    if (!el.matches(TEMPLATE_MADE)) found.push('<' + el.localName + '> in the article');
  });
  if (article.querySelectorAll('h1').length !== 1) found.push(article.querySelectorAll('h1').length + ' <h1>');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push('<' + el.localName + ' ' + attr.name + '>');
      if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data', 'xlink:href'].includes(attr.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attr.value)) {
        found.push('<' + el.localName + ' ' + attr.name + '="' + attr.value + '">');
      }
    }
  }
  for (const script of document.scripts) {
    const data = /json/.test(script.type);  // data blocks (JSON-LD) are not run, but must stay valid JSON
    if (data) { try { JSON.parse(script.textContent); } catch (e) { found.push('a broken JSON script'); } }
    else if (script.textContent.includes('alert(')) found.push('a script calling alert()');
  }
  for (const style of document.querySelectorAll('style')) {
    if (style.textContent.includes('display:none')) found.push('a record <style>');
  }
  for (const link of article.querySelectorAll('a[href]')) {
    const url = new URL(link.href);
    if (url.origin !== location.origin && url.hostname !== 'example.org') found.push('link to ' + link.href);
  }
  return found;
}
"""
SPY_ON_DIALOGS = """
window.__calls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[name] = (...args) => { window.__calls.push(name + '(' + args.join(',') + ')'); };
}
"""


def fold(text: str) -> str:
    return " ".join(text.split())


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
    indexes = {
        "": [s.meta.title for s in kb.sources.values()] + [t.name for t in kb.topics.values()]
            + [s.name for s in kb.speakers.values()],
        "claims/": [c.title for c in kb.claims.values()] + [c.summary for c in kb.claims.values()],
        "topics/": [t.description for t in kb.topics.values()],
        "speakers/": [s.description for s in kb.speakers.values()],
        "sources/": [s.meta.summarises for s in kb.sources.values()],
        "glossary/": glossary,
    }
    return {**indexes, **claim_pages, **topic_pages, **speaker_pages, **source_pages}


PAGES = page_texts(KB)


def test_hostile_fixture_is_valid_and_hostile() -> None:
    assert not PROBLEMS, [str(p) for p in PROBLEMS.sorted()]
    texts = [text for texts in PAGES.values() for text in texts]
    for needle in ("<script>", "onerror=", "javascript:", "{{", "{%", "--8<--", "![", "](", '">', "<!--", "///"):
        assert any(needle in text for text in texts), f"the fixture lost its {needle!r} payloads"


def is_free_text(annotation: Any, metadata: tuple[Any, ...] = ()) -> bool:
    """Whether a field holds text an editor writes freely (no id pattern, no format validator)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        return is_free_text(base, (*metadata, *extra))
    if origin in (list, typing.Union, types.UnionType):
        return any(is_free_text(arg, metadata) for arg in typing.get_args(annotation))
    if annotation is str:
        return not any(getattr(item, "pattern", None) or isinstance(item, AfterValidator) for item in metadata)
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


def test_every_free_text_field_of_every_record_type_is_hostile() -> None:
    """Kept complete as the schema grows: a new text field fails here until the fixture fills it."""
    all_records = [r for group in (KB.claims, KB.terms, KB.topics, KB.speakers) for r in records(list(group.values()))]
    all_records += [r for source in KB.sources.values() for r in records(source.meta)]
    models = {type(record) for record in all_records} | set(SCHEMAS.values())
    missing = []
    for model in models:
        for name, info in model.model_fields.items():
            if not is_free_text(info.annotation, tuple(info.metadata)):
                continue
            values = [getattr(record, name) for record in all_records if type(record) is model]
            texts = [text for value in values for text in (value if isinstance(value, list) else [value]) if text]
            if not any("<" in text for text in texts):
                missing.append(f"{model.__name__}.{name}")
    assert missing == [], "fields with no hostile value in tests/fixtures/hostile"


def open_page(page: Page, url: str) -> tuple[list[str], list[str]]:
    """Open `url` watching for dialogs and for requests to any host but the site's; returns both."""
    dialogs: list[str] = []
    outside: list[str] = []
    origin = url.split("/", 3)[:3]

    def guard(route: Route) -> None:
        if route.request.url.split("/", 3)[:3] == origin or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.context.route("**/*", guard)
    page.add_init_script(SPY_ON_DIALOGS)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return dialogs, outside


@pytest.mark.parametrize("path", sorted(PAGES), ids=lambda p: p or "home")
def test_record_text_is_inert_and_literal(page: Page, hostile_url: str, path: str) -> None:
    dialogs, outside = open_page(page, hostile_url + path)
    assert page.evaluate(FIND_INJECTIONS, INJECTED) == []
    article = fold(page.locator("article").text_content() or "")
    for text in PAGES[path]:
        assert fold(text) in article, f"not shown literally: {text!r}"
    for link in page.locator("article a:visible").all()[:10]:  # the phone-width figure is hidden at this width
        link.hover()
    assert page.evaluate("window.__calls") == []
    assert dialogs == []
    assert outside == []


TITLED_PAGES = {
    **{urls.claim_url(c.id): c.title for c in KB.claims.values()},
    **{urls.page_url(urls.topic_page(t.id)): t.name for t in KB.topics.values()},
    **{urls.page_url(urls.speaker_page(s.id)): s.name_ja or s.name for s in KB.speakers.values()},  # Japanese names first
    **{urls.page_url(urls.source_page(s.meta.id)): s.meta.title for s in KB.sources.values()},
}


@pytest.mark.parametrize("path", sorted(TITLED_PAGES))
def test_window_title_is_the_record_title_as_text(page: Page, hostile_url: str, path: str) -> None:
    """Material prints titles unescaped into <title>: a '</title><script>' title must stay text."""
    open_page(page, hostile_url + path)
    assert page.title().startswith(fold(TITLED_PAGES[path]) + " - ")
    assert page.evaluate(FIND_INJECTIONS, INJECTED) == []


def test_description_is_plain_text(page: Page, hostile_url: str) -> None:
    claim = KB.claims["evil-claim"]
    open_page(page, hostile_url + urls.claim_url(claim.id))
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == "［疑義あり］ " + fold(claim.summary)
    assert page.locator("head iframe, head img, body > iframe").count() == 0


def test_annotation_link_keeps_its_exact_http_url(page: Page, hostile_url: str) -> None:
    claim = KB.claims["evil-claim"]
    reference: Any = next(a.reference for a in claim.annotations if a.reference)
    open_page(page, hostile_url + urls.claim_url(claim.id))
    links = page.locator("article a", has_text=fold(reference.title).split(" ")[1])
    assert links.count() == 1
    assert links.first.get_attribute("href") == reference.url


def test_search_results_are_inert(page: Page, hostile_url: str) -> None:
    dialogs, outside = open_page(page, hostile_url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("alert", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    injected = page.locator(".md-search-result").locator(INJECTED.replace(", meta, link", ""))
    assert injected.count() == 0
    assert "<script>" in (page.locator(".md-search-result").text_content() or "")
    assert page.evaluate("window.__calls") == []
    assert dialogs == []
    assert outside == []


def test_no_record_payload_reached_the_file_system(hostile_site: Path) -> None:
    """Snippet-include and template syntax stayed text: mkdocs.yml was not pulled into any page."""
    for html in hostile_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "markdown_extensions" not in text, html
        assert "Karpathy「エージェントの10年」注釈付きナレッジベース" not in text.split("<article", 1)[-1], html
