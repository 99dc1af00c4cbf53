"""What the search finds: one search document per claim, glossary entry, topic, speaker, source,
source paragraph and section of a prose page, each with weighted fields.

Fields say how much a match counts (see `index.FIELD_WEIGHTS`): a claim's title, its reading
(the title read aloud and the glossary readings of its terms, so a title's words or a term typed in
hiragana or romaji, きょうかがくしゅう, find it), the names of the glossary terms it uses (Japanese
term, English name, aliases and misheard forms, so that "system prompt learning" or a misheard
"Dwaresh" finds the claims), its summaries, then its quotes and notes. Nothing here knows about MkDocs; prose pages are read from the HTML MkDocs wrote.

One builder for both editions (`edition`; the English one's index is `search/kb-en/`, its pages under
`en/`): the edition's fields (`Edition.text`) where a match counts most. The Japanese edition ranks
both languages' names as titles; the English one puts the Japanese names below its English titles
(`ranked_names`), so an English query ranks English titles first and a Japanese query typed on an
English page still finds its page. Results show the edition's titles.
"""

from __future__ import annotations

import html.parser
from dataclasses import dataclass, field
from typing import ClassVar

from ..checks.check import CheckedKnowledgeBase
from ..records.knowledge import LoadedSource
from ..records.model import Claim, Speaker, Term, Topic
from ..records.review import claim_review
from ..site import urls
from ..site.catalogue import catalogue
from ..site.edition import JAPANESE_EDITION, Edition
from .search_readings import reading

EXCERPT_LENGTH = 240
"""Characters of text kept per document for the result teaser (the index itself covers all text)."""
NONCONTENT_SEGMENTS = frozenset({"plug", "sponsor", "greeting", "outro", "debris", "summary"})


@dataclass
class SearchDocument:
    """A search result: where it is, what it is called, and its text by field."""

    url: str
    """Site-relative URL, with a fragment for a part of a page (`glossary/#agi`, `sources/x/#p3`)."""
    title: str
    """Title shown in the result list."""
    kind: str
    """claim, term, topic, speaker, source, paragraph, noncontent (a sponsor read...) or page."""
    fields: dict[str, list[str]] = field(default_factory=dict)
    """Field name (title, names, terms, summary, body) to the texts indexed under it."""
    excerpt: str = ""
    """Text shown under the title, searched for highlights in the browser."""
    group: str = ""
    """URL of the page under which results are shown together (glossary entries, source paragraphs)."""
    group_title: str = ""
    """Title of that page."""


def search_documents(checked: CheckedKnowledgeBase, edition: Edition = JAPANESE_EDITION) -> list[SearchDocument]:
    """Every record of the knowledge base as search documents of `edition` (its pages, its language's
    fields where a match counts most), in a stable order."""
    kb = checked.kb
    documents = [term_document(term, edition) for term in sorted(kb.terms.values(), key=lambda t: t.id)]
    documents += [claim_document(checked, claim, edition) for claim in sorted(kb.claims.values(), key=lambda c: c.id)]
    documents += [topic_document(topic, edition) for topic in kb.topics.values()]
    documents += [speaker_document(speaker, edition) for speaker in kb.speakers.values()]
    for source_id in sorted(kb.sources):
        documents += source_documents(checked, kb.sources[source_id], edition)
    return documents


def term_names(term: Term) -> list[str]:
    """Every name a term goes by: the Japanese term, its English name, aliases, misheard and probable forms."""
    return [term.term, term.en, *term.aliases, *term.misheard, *term.probable_forms]


def readings(texts: list[str]) -> list[str]:
    """The readings of those of `texts` that hold a kanji (`search_readings.reading`)."""
    return [spoken for spoken in map(reading, texts) if spoken]


def ranked_names(edition: Edition, japanese: str, english: str, english_first: bool = False) -> tuple[list[str], list[str]]:
    """A record's two names as its `title` texts and the texts that start its `reading`: in the
    Japanese edition both are titles (a reader types either; `english_first` where the record's own
    name is the English one, a speaker's); in the English edition the Japanese name ranks below the
    English titles, with the readings."""
    if edition.english:
        return [english], [japanese]
    return ([english, japanese] if english_first else [japanese, english]), []


def claim_document(checked: CheckedKnowledgeBase, claim: Claim, edition: Edition = JAPANESE_EDITION) -> SearchDocument:
    """A claim page, findable by its titles, the names of its terms, its summaries, quotes and notes."""
    kb = checked.kb
    speaker = kb.speakers[claim.speaker]
    quotes = [quote.text for quote in claim.quotes]
    notes = [text for note in claim.annotations for text in edition.with_japanese(note, "text")]
    topics = [name for topic_id in claim.topics for name in edition.both(kb.topics[topic_id], "name")]
    titles, japanese_title = ranked_names(edition, claim.title, claim.title_en)
    summaries = edition.both(claim, "summary")
    return SearchDocument(
        url=edition.page(urls.claim_url(claim.id)),
        # The review status follows the title shown in the results, as it does in every list; the
        # indexed title (fields) stays the claim's own.
        title=f"{edition.text(claim, 'title')} {_status_bracket(claim, edition)}",
        kind="claim",
        fields={
            "title": titles,
            "terms": [name for term_id in claim.terms for name in term_names(kb.terms[term_id])],
            "reading": [*japanese_title, *readings([claim.title]), *(kb.terms[term_id].reading for term_id in claim.terms)],
            "summary": summaries,
            # English notes before the (Japanese) quotes on the English edition
            "body": [*([*notes, *quotes] if edition.english else [*quotes, *notes]), speaker.name, speaker.name_ja or "",
                     *topics, claim.id.replace("-", " ")],
        },
        excerpt=excerpt([*summaries, *quotes, *notes] if edition.glossed else [summaries[0], *quotes]),
    )


def _status_bracket(claim: Claim, edition: Edition) -> str:
    ui = catalogue(edition.language)
    return ui("text.status_bracket", status=ui(f"vocabulary.status.{claim_review(claim).status}"))


def term_document(term: Term, edition: Edition = JAPANESE_EDITION) -> SearchDocument:
    """A glossary entry, findable by all its names and its definition: its name in the edition's
    language as its title."""
    # Misheard forms are the Japanese transcript's: the English excerpt leaves them out
    misheard = [] if edition.english else term.misheard
    return SearchDocument(
        url=edition.page(urls.term_url(term.id)),
        title=edition.term_name(term),
        kind="term",
        fields={
            "title": [edition.term_name(term)],
            "names": [edition.term_name_beside(term), *term.aliases, *term.misheard, *term.probable_forms, term.reading],
            "summary": edition.both(term, "definition"),
        },
        excerpt=excerpt([f"{term.en} — {edition.text(term, 'definition')}", *term.aliases, *misheard]),
        group=edition.page(urls.page_url(urls.GLOSSARY_PAGE)),
        group_title=catalogue(edition.language)("search.glossary_group"),
    )


def topic_document(topic: Topic, edition: Edition = JAPANESE_EDITION) -> SearchDocument:
    """A topic page, by its names and description (not by the claims it lists)."""
    titles, japanese_name = ranked_names(edition, topic.name, topic.name_en)
    descriptions = edition.both(topic, "description")
    return SearchDocument(
        url=edition.page(urls.page_url(urls.topic_page(topic.id))),
        title=edition.text(topic, "name"),
        kind="topic",
        fields={
            "title": titles,
            "reading": [*japanese_name, *readings([topic.name])],
            "summary": descriptions,
        },
        excerpt=excerpt(descriptions if edition.glossed else descriptions[:1]),
    )


def speaker_document(speaker: Speaker, edition: Edition = JAPANESE_EDITION) -> SearchDocument:
    """A speaker page, by the speaker's names and description."""
    titles, japanese_name = ranked_names(edition, speaker.name_ja or "", speaker.name, english_first=True)
    return SearchDocument(
        url=edition.page(urls.page_url(urls.speaker_page(speaker.id))),
        title=edition.speaker_name(speaker),
        kind="speaker",
        fields={
            "title": titles,
            "reading": [*japanese_name, *readings([speaker.name_ja or ""])],
            "summary": edition.both(speaker, "description"),
        },
        excerpt=excerpt([speaker.name, edition.text(speaker, "description")]),
    )


def source_documents(checked: CheckedKnowledgeBase, source: LoadedSource,
                     edition: Edition = JAPANESE_EDITION) -> list[SearchDocument]:
    """A source page, then one document per paragraph of its (Japanese) transcript, grouped under the page."""
    meta = source.meta
    page = edition.page(urls.page_url(urls.source_page(meta.id)))
    title = edition.text(meta, "title")
    titles, japanese_title = ranked_names(edition, meta.title, meta.title_en)
    summarises, reliability = edition.both(meta, "summarises"), edition.text(meta, "reliability")
    documents = [
        SearchDocument(
            url=page,
            title=title,
            kind="source",
            fields={
                "title": titles,
                **({"reading": japanese_title} if japanese_title else {}),
                # The English edition's reliability before the Japanese summary; the Japanese edition's after both summaries
                "summary": [summarises[0], reliability, summarises[1]] if edition.english else [*summarises, reliability],
            },
            excerpt=excerpt([summarises[0] or title]),
            group=page,
            group_title=title,
        )
    ]
    segments = {number: segment.kind for segment in meta.segments for number in segment.paragraphs}
    corrections = misheard_corrections(checked)
    for paragraph in source.text.paragraphs:
        corrected = [name for form, names in corrections.items() if form in paragraph.text for name in names]
        documents.append(
            SearchDocument(
                url=edition.page(urls.paragraph_url(meta.id, paragraph.number)),
                title=f"{title} ¶{paragraph.number}",
                kind="noncontent" if segments.get(paragraph.number) in NONCONTENT_SEGMENTS else "paragraph",
                fields={"body": [paragraph.text, *corrected]},
                excerpt=excerpt([paragraph.text]),
                group=page,
                group_title=title,
            )
        )
    return documents


def misheard_corrections(checked: CheckedKnowledgeBase) -> dict[str, list[str]]:
    """Misheard form to the correct names the source page shows next to it."""
    corrections: dict[str, list[str]] = {}
    for term in checked.kb.terms.values():
        for form in (*term.misheard, *term.probable_forms):
            corrections.setdefault(form, []).extend([term.term, term.en])
    return corrections


def excerpt(texts: list[str]) -> str:
    """The first EXCERPT_LENGTH characters of the non-empty texts, one space apart."""
    joined = " ".join(" ".join(text.split()) for text in texts if text)
    return joined[:EXCERPT_LENGTH]


_ARTICLE_START = '<article class="md-content__inner'


class _SectionParser(html.parser.HTMLParser):
    """Splits the article of a Material page into sections at h1/h2 headings that carry an id."""

    SKIPPED: ClassVar[frozenset[str]] = frozenset({"script", "style", "nav", "button"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, str, list[str]]] = []
        self._depth = 0
        self._skip = 0
        self._heading: str | None = None
        self._heading_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article" and "md-content__inner" in (values.get("class") or ""):
            self._depth = 1
            return
        if not self._depth:
            return
        if tag == "article":
            self._depth += 1
        if tag in self.SKIPPED or (tag == "a" and "headerlink" in (values.get("class") or "")):
            self._skip += 1
        elif tag in ("h1", "h2"):
            self._heading = values.get("id") or ""
            self._heading_text = []

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        if tag == "article":
            self._depth -= 1
        elif self._skip and tag in self.SKIPPED | {"a"}:
            self._skip -= 1
        elif tag in ("h1", "h2") and self._heading is not None:
            self.sections.append((self._heading, " ".join("".join(self._heading_text).split()), []))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if not self._depth or self._skip:
            return
        if self._heading is not None:
            self._heading_text.append(data)
        elif self.sections:
            self.sections[-1][2].append(data)


def page_documents(page_html: str, url: str) -> list[SearchDocument]:
    """A prose page (built HTML) as one document per h1/h2 section."""
    parser = _SectionParser()
    # The parser reads nothing before the article: skip the header and navigation unparsed.
    start = page_html.find(_ARTICLE_START)
    parser.feed(page_html[start:] if start > 0 else page_html)
    documents: list[SearchDocument] = []
    for number, (anchor, heading, texts) in enumerate(parser.sections):
        body = " ".join(" ".join(texts).split())
        documents.append(
            SearchDocument(
                url=url if number == 0 or not anchor else f"{url}#{anchor}",
                title=heading,
                kind="page",
                fields={"title": [heading], "body": [body]},
                excerpt=body[:EXCERPT_LENGTH],
                group=url,
                group_title=documents[0].title if documents else heading,
            )
        )
    return documents
