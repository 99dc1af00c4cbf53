"""The glossary's gojūon index: entries and their cross-references grouped by kana row."""

from __future__ import annotations

from dataclasses import dataclass

from ..records.knowledge import KnowledgeBase
from ..records.model import IndexForm, Term
from .gojuon import gojuon_row, kana_sort_key


@dataclass(frozen=True)
class GlossaryEntry:
    """A place in the glossary's gojūon index: a term's entry, or a cross-reference pointing to it."""

    term: Term
    reading: str
    see_from: IndexForm | None = None
    """The cross-reference's form (e.g. a family name); None for the entry itself."""


def glossary_rows(kb: KnowledgeBase) -> list[tuple[str, list[GlossaryEntry]]]:
    """Glossary entries and their cross-references (`Term.index_as`), grouped by gojūon row (あ, か, ...),
    rows and entries in the order of their readings."""
    entries = [GlossaryEntry(term, term.reading) for term in kb.terms.values()]
    entries += [GlossaryEntry(term, form.reading, form) for term in kb.terms.values() for form in term.index_as]
    entries.sort(key=lambda e: (kana_sort_key(e.reading), e.term.id, e.see_from.text if e.see_from else ""))
    rows: dict[str, list[GlossaryEntry]] = {}
    for entry in entries:
        rows.setdefault(gojuon_row(entry.reading), []).append(entry)
    return list(rows.items())
