"""The English edition's search documents (index `search/kb-en/`, pages under `en/`): the same
records as `search_documents`, with the English fields where a match counts most and the Japanese
ones below them, so an English query ranks English titles first and a Japanese query typed on an
English page still finds its page. Results show the English titles.

A claim is also found through the names and aliases of the glossary terms it uses (`terms`), so an
English query reaches claims whose English text says it in other words."""

from __future__ import annotations

from ..checks.check import CheckedKnowledgeBase
from ..records.knowledge import LoadedSource
from ..records.model import Claim, Speaker, Term, Topic
from ..records.review import claim_review
from ..site import urls
from ..site.catalogue import catalogue
from ..site.edition import ENGLISH_EDITION
from .search_documents import NONCONTENT_SEGMENTS, SearchDocument, excerpt, misheard_corrections, readings, term_names

ENGLISH = catalogue(ENGLISH_EDITION.language)
page = ENGLISH_EDITION.page


def english_search_documents(checked: CheckedKnowledgeBase) -> list[SearchDocument]:
    """Every record of the knowledge base as the English edition's search documents, in a stable order."""
    kb = checked.kb
    documents = [term_document(term) for term in sorted(kb.terms.values(), key=lambda t: t.id)]
    documents += [claim_document(checked, claim) for claim in sorted(kb.claims.values(), key=lambda c: c.id)]
    documents += [topic_document(topic) for topic in kb.topics.values()]
    documents += [speaker_document(speaker) for speaker in kb.speakers.values()]
    for source_id in sorted(kb.sources):
        documents += source_documents(checked, kb.sources[source_id])
    return documents


def _status_bracket(claim: Claim) -> str:
    return ENGLISH("text.status_bracket", status=ENGLISH(f"vocabulary.status.{claim_review(claim).status}"))


def claim_document(checked: CheckedKnowledgeBase, claim: Claim) -> SearchDocument:
    """A claim's English page: its English title first, then its terms' names, the Japanese title,
    both summaries, its notes and quotes."""
    kb = checked.kb
    speaker = kb.speakers[claim.speaker]
    quotes = [quote.text for quote in claim.quotes]
    notes = [text for note in claim.annotations for text in (note.text_en, note.text) if text]
    topics = [name for topic_id in claim.topics for name in (kb.topics[topic_id].name_en, kb.topics[topic_id].name)]
    return SearchDocument(
        url=page(urls.claim_url(claim.id)),
        title=f"{claim.title_en} {_status_bracket(claim)}",
        kind="claim",
        fields={
            "title": [claim.title_en],
            "terms": [name for term_id in claim.terms for name in term_names(kb.terms[term_id])],
            "reading": [claim.title, *readings([claim.title]), *(kb.terms[term_id].reading for term_id in claim.terms)],
            "summary": [claim.summary_en, claim.summary],
            "body": [*notes, *quotes, speaker.name, speaker.name_ja or "", *topics, claim.id.replace("-", " ")],
        },
        excerpt=excerpt([claim.summary_en, *quotes]),
    )


def term_document(term: Term) -> SearchDocument:
    """A glossary entry of the English glossary, by its English name first, then all its other names."""
    return SearchDocument(
        url=page(urls.term_url(term.id)),
        title=term.en,
        kind="term",
        fields={
            "title": [term.en],
            "names": [term.term, *term.aliases, *term.misheard, *term.probable_forms, term.reading],
            "summary": [term.definition_en or "", term.definition],
        },
        excerpt=excerpt([f"{term.en} — {term.definition_en or term.definition}", *term.aliases]),
        group=page(urls.page_url(urls.GLOSSARY_PAGE)),
        group_title=ENGLISH("search.glossary_group"),
    )


def topic_document(topic: Topic) -> SearchDocument:
    """A topic's English page, by its English name, then its Japanese name and both descriptions."""
    return SearchDocument(
        url=page(urls.page_url(urls.topic_page(topic.id))),
        title=topic.name_en,
        kind="topic",
        fields={
            "title": [topic.name_en],
            "reading": [topic.name, *readings([topic.name])],
            "summary": [topic.description_en, topic.description],
        },
        excerpt=excerpt([topic.description_en]),
    )


def speaker_document(speaker: Speaker) -> SearchDocument:
    """A speaker's English page, by the speaker's names and descriptions."""
    return SearchDocument(
        url=page(urls.page_url(urls.speaker_page(speaker.id))),
        title=speaker.name,
        kind="speaker",
        fields={
            "title": [speaker.name],
            "reading": [speaker.name_ja or "", *readings([speaker.name_ja or ""])],
            "summary": [speaker.description_en, speaker.description],
        },
        excerpt=excerpt([speaker.name, speaker.description_en]),
    )


def source_documents(checked: CheckedKnowledgeBase, source: LoadedSource) -> list[SearchDocument]:
    """A source's English page, then one document per paragraph of its (Japanese) transcript."""
    meta = source.meta
    source_page = page(urls.page_url(urls.source_page(meta.id)))
    documents = [
        SearchDocument(
            url=source_page,
            title=meta.title_en,
            kind="source",
            fields={
                "title": [meta.title_en],
                "reading": [meta.title],
                "summary": [meta.summarises_en or "", meta.reliability_en or "", meta.summarises],
            },
            excerpt=excerpt([meta.summarises_en or meta.title_en]),
            group=source_page,
            group_title=meta.title_en,
        )
    ]
    segments = {number: segment.kind for segment in meta.segments for number in segment.paragraphs}
    corrections = misheard_corrections(checked)
    for paragraph in source.text.paragraphs:
        corrected = [name for form, names in corrections.items() if form in paragraph.text for name in names]
        documents.append(
            SearchDocument(
                url=page(urls.paragraph_url(meta.id, paragraph.number)),
                title=f"{meta.title_en} ¶{paragraph.number}",
                kind="noncontent" if segments.get(paragraph.number) in NONCONTENT_SEGMENTS else "paragraph",
                fields={"body": [paragraph.text, *corrected]},
                excerpt=excerpt([paragraph.text]),
                group=source_page,
                group_title=meta.title_en,
            )
        )
    return documents
