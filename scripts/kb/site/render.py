"""Render the checked knowledge base into Markdown pages: the claim pages (`claimpage`) and the
others from the Jinja2 templates (`templating`), with one context per page.

Every value a template prints is escaped by the environment's `finalize` hook (`escape.EscapeOnce`)
unless it was marked safe on purpose (`Markup`), so record text is always data, never markup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..checks.check import CheckedKnowledgeBase
from ..records.knowledge import LoadedSource
from ..records.model import Claim, Speaker, Topic
from . import figures, siteindex, urls
from .catalogue import catalogue
from .claimmap import RELATION_ORDER
from .claimpage import ClaimPage
from .edition import ENGLISH_EDITION, edition_of, layout_edition, root_path
from .editors import schema_tables
from .escape import EscapeOnce, attr, safe_id, safe_url, yaml_string
from .estimatechart import value_text
from .glossaryindex import alphabetical_rows, glossary_rows
from .keptpages import KeptPages
from .labels import LABELS, labels
from .snippets import Snippets
from .templating import TEMPLATES, environment, href, link
from .transcript import paragraph_pieces

__all__ = ["LABELS", "Renderer"]


class Renderer:
    """Renders every page: claim pages in Python (`ClaimPage`), the others from the templates."""

    def __init__(self, checked: CheckedKnowledgeBase, templates: Path = TEMPLATES, site_url: str = "",
                 cache: Path | None = None, language: str = "ja", index: siteindex.SiteIndex | None = None,
                 kept: KeptPages | None = None) -> None:
        """`cache`: a folder where compiled templates are kept between builds (none when None);
        `language`: the string catalogue of the interface; `index`: the knowledge base's site index when
        another renderer of the same build made it; `kept`: pages as last rendered, reused where their
        inputs are unchanged (while serving)."""
        self.checked = checked
        self.edition = layout_edition(language)
        """The edition whose layout the pages take (the claim page's and the snippets' fields, the templates)."""
        self.english = self.edition.english
        """The English edition's layout (`templates/en/`) rather than the Japanese one."""
        self.ui = catalogue(language)
        self.labels = labels(self.ui)
        self.index = index if index is not None else siteindex.build_index(checked)
        self.escape = EscapeOnce()
        """How every printed value is escaped: Jinja's `finalize` and the claim page's."""
        self.snippets = Snippets(checked, self.index, self.escape, self.ui, self.edition, kept)
        self.env = environment(templates / "en" if self.english else templates, cache, self.escape)
        self.env.filters.update(attr=attr, link=link, href=href, yaml=yaml_string,
                                safe_id=safe_id, safe_url=safe_url)
        snippets = self.snippets
        self.env.globals.update(urls=urls, relation_order=RELATION_ORDER, labels=self.labels, ui=self.template_string, checked=checked, estimate_value=functools.partial(value_text, ui=self.ui),
                                claim_list=snippets.claim_list, used_by=snippets.used_by,
                                term_link=snippets.term_link, text_piece=snippets.text_piece,
                                status_chip=snippets.status_chip,
                                speaker_label=self.edition.speaker_name,
                                estimate_derivation=self.estimate_derivation,
                                filter_options=self.filter_options, dated_link=snippets.dated_link)
        self.site_url = site_url
        self.kept = kept
        self.claim_pages = ClaimPage(checked, snippets, self.env, site_url, kept)

    def template_string(self, key: str, **values: Any) -> Markup:
        """The catalogue's string of `key` for a template, printed as written, with `values` escaped
        as printed values are (Markup passes as it is)."""
        return Markup(self.ui(key, **{name: self.escape(value) for name, value in values.items()}))

    def render(self, template: str, page_src: str, **values: Any) -> str:
        """Render one page; `page_src` is the Markdown path links are made relative to."""
        kb = self.checked.kb
        context = dict(kb=kb, index=self.index, page_src=page_src, **values)
        return self.env.get_template(template).render(context)

    def pages(self) -> dict[str, str]:
        """Every generated page: Markdown source path to Markdown text."""
        return {path: make() for path, make in self.page_makers().items()}

    def page(self, path: str) -> str | None:
        """The Markdown of the generated page `path` alone, None when no such page is made."""
        make = self.page_makers().get(path)
        return make() if make is not None else None

    def page_makers(self) -> dict[str, Callable[[], str]]:
        """Every generated page's Markdown source path, in site order, with what renders it."""
        kb, render = self.checked.kb, self.render
        makers: dict[str, Callable[[], str]] = {
            urls.HOME_PAGE: lambda: render(
                "home.md.j2", urls.HOME_PAGE,
                claim_map=figures.claim_map(self.checked, siteindex.claims_in_reading_order(self.checked), urls.HOME_PAGE,
                                            self.ui, english=self.english),
                estimate_chart=figures.estimate_chart(self.checked, urls.HOME_PAGE, self.ui, english=self.english),
            ),
            urls.CLAIMS_PAGE: lambda: render("claims.md.j2", urls.CLAIMS_PAGE),
            urls.TOPICS_PAGE: lambda: render("topics.md.j2", urls.TOPICS_PAGE),
            urls.SPEAKERS_PAGE: lambda: render("speakers.md.j2", urls.SPEAKERS_PAGE),
            urls.SOURCES_PAGE: lambda: render("sources.md.j2", urls.SOURCES_PAGE),
            urls.GLOSSARY_PAGE: lambda: render("glossary.md.j2", urls.GLOSSARY_PAGE,
                                               rows=alphabetical_rows(kb) if self.english else glossary_rows(kb)),
            urls.CONTRIBUTING_PAGE: lambda: render("contributing.md.j2", urls.CONTRIBUTING_PAGE, models=schema_tables()),
        }
        for claim in kb.claims.values():
            page = urls.claim_page(claim.id)
            makers[page] = functools.partial(self.claim_page, claim, page)
        for topic in kb.topics.values():
            page = urls.topic_page(topic.id)
            makers[page] = self.kept_page(page, functools.partial(self.topic_inputs, topic),
                                          functools.partial(render, "topic.md.j2", page, topic=topic))
        for speaker in kb.speakers.values():
            page = urls.speaker_page(speaker.id)
            makers[page] = self.kept_page(page, functools.partial(self.speaker_inputs, speaker),
                                          functools.partial(render, "speaker.md.j2", page, speaker=speaker))
        for source in kb.sources.values():
            page = urls.source_page(source.meta.id)
            makers[page] = self.kept_page(page, functools.partial(self.source_inputs, source), functools.partial(
                render, "source.md.j2", page,
                pieces=lambda n, t, s=source.meta.id: paragraph_pieces(self.index, s, n, t), source=source))
        return makers

    def kept_page(self, page: str, inputs: Callable[[], tuple[object, ...]], make: Callable[[], str]) -> Callable[[], str]:
        """`make`, or with kept pages (while serving), what renders `page` only when its `inputs` changed."""
        kept = self.kept
        if kept is None:
            return make
        return lambda: kept.page((self.edition.language, self.site_url, page), inputs(), make)

    # What the pages of the templates topic.md.j2, speaker.md.j2 and source.md.j2 (and their English
    # twins) print besides the edition's words: pages of equal inputs are equal. Any record or figure
    # a template reads must be here (the kept-pages tests compare kept pages with fresh ones after edits).

    def topic_inputs(self, topic: Topic) -> tuple[object, ...]:
        """A topic's page: the topic and its claims (`Snippets.claim_list`), their speakers too."""
        claims = tuple(self.index.claims_by_topic.get(topic.id, ()))
        speakers = self.checked.kb.speakers
        return topic, claims, tuple(speakers[claim.speaker] for claim in claims)

    def speaker_inputs(self, speaker: Speaker) -> tuple[object, ...]:
        """A speaker's page: the speaker, their claims and every topic (their claims are grouped by topic)."""
        return speaker, tuple(self.index.claims_by_speaker.get(speaker.id, ())), tuple(self.checked.kb.topics.values())

    def source_inputs(self, source: LoadedSource) -> tuple[object, ...]:
        """A transcript's page: the source, its narrator and, for each paragraph, the quotes citing it (their
        claims and places) and the misheard forms in it."""
        meta, index, spans = source.meta, self.index, self.checked.quote_spans
        narrator = self.checked.kb.speakers[meta.narrator] if meta.narrator else None
        paragraphs = tuple(
            (tuple((claim, number, spans[(claim.id, number)]) for claim, number in index.citations.get((meta.id, n), ())),
             tuple(index.corrections_in_paragraph(meta.id, n)))
            for n in range(1, len(source.text.paragraphs) + 1))
        return meta, source.text, narrator, paragraphs

    def estimate_derivation(self, estimate: Any) -> Markup:
        """How an estimate's year was computed, in the edition's language when the record has it."""
        english = estimate.derivation_en if self.english else None
        if english or not self.english:
            return Markup(self.escape(english or estimate.derivation))
        return Markup(f'<span lang="ja">{self.escape(estimate.derivation)}</span>')

    def claim_page(self, claim: Claim, page_src: str) -> str:
        """The page of one claim, as Markdown (`claimpage.ClaimPage`)."""
        return self.claim_pages.page(claim, page_src)

    def filter_options(self) -> dict[str, list[tuple[str, str, int]]]:
        """The claims list's filter: per field, (value, label, number of claims) of each choice, the
        speakers' and topics' names in the edition's language."""
        kb, edition = self.checked.kb, self.edition
        statuses = [review.status for review in self.index.reviews.values()]
        return {
            "status": [(s, label, statuses.count(s)) for s, label in self.labels["status"].items()],  # type: ignore[arg-type]
            "speaker": [(s.id, edition.speaker_name(s), len(self.index.claims_by_speaker.get(s.id, []))) for s in kb.speakers.values()],
            "kind": [(k, label, sum(c.kind == k for c in kb.claims.values())) for k, label in self.labels["kind"].items()],
            "topic": [(t.id, edition.text(t, "name"), len(self.index.claims_by_topic.get(t.id, []))) for t in kb.topics.values()],
        }


def some_edition_pages(checked: CheckedKnowledgeBase, paths: list[str], site_url: str = "", cache: Path | None = None,
                       kept: KeptPages | None = None) -> dict[str, str | None]:
    """The Markdown of each generated page of `paths`, of either edition, as `edition_pages` makes it; None
    for a path neither edition makes."""
    index = siteindex.build_index(checked)
    renderers: dict[str, Renderer] = {}

    def renderer(language: str) -> Renderer:
        if language not in renderers:
            renderers[language] = Renderer(checked, site_url=site_url, cache=cache, language=language, index=index, kept=kept)
        return renderers[language]

    return {path: renderer(edition_of(path).language).page(root_path(path)) for path in paths}


def edition_pages(checked: CheckedKnowledgeBase, site_url: str = "", cache: Path | None = None,
                  kept: KeptPages | None = None) -> dict[str, str]:
    """The pages of both editions: the Japanese at the root, the English under `en/` (same paths
    after the prefix, so their relative links stay inside their edition)."""
    index = siteindex.build_index(checked)
    pages = Renderer(checked, site_url=site_url, cache=cache, index=index, kept=kept).pages()
    english = Renderer(checked, site_url=site_url, cache=cache, language=ENGLISH_EDITION.language, index=index,
                       kept=kept).pages()
    pages.update({ENGLISH_EDITION.page(path): text for path, text in english.items()})
    if kept is not None:
        kept.forget_the_rest()
    return pages
