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


def alphabetical_rows(kb: KnowledgeBase) -> list[tuple[str, list[GlossaryEntry]]]:
    """Glossary entries grouped by the first letter of their English names (A, B, ...; "" for a name
    starting otherwise), rows and entries in alphabetical order: the English edition's glossary."""
    entries = sorted((GlossaryEntry(term, term.reading) for term in kb.terms.values()),
                     key=lambda e: (e.term.en.casefold(), e.term.id))
    rows: dict[str, list[GlossaryEntry]] = {}
    for entry in entries:
        first = entry.term.en[:1].upper()
        rows.setdefault(first if first.isascii() and first.isalpha() else "", []).append(entry)
    return sorted(rows.items(), key=lambda row: (row[0] == "", row[0]))
