"""The words the site prints for the records' vocabularies (kinds, relations, annotation kinds,
statuses...) and for terms and dates, from the string catalogue."""

from __future__ import annotations

from ..records.model import UNKNOWN, Term
from .catalogue import JAPANESE, Catalogue, catalogue

VOCABULARIES = ("kind", "relation", "relation_en", "backlink", "backlink_en", "relation_short", "annotation",
                "status", "status_en", "status_meaning", "voice", "filter", "language", "segment")
"""The catalogue's sections of words, `vocabulary.<name>`, each keyed by the values of a vocabulary."""

ADMONITION = {"context": "info", "correction": "warning", "fact-check": "question", "note": "note"}
"""The Material admonition type (its colour and icon) of each annotation kind."""


def labels(ui: Catalogue) -> dict[str, dict[str, str]]:
    """Each vocabulary's words in the language of `ui`, by vocabulary and value."""
    return {**{name: ui.words(f"vocabulary.{name}") for name in VOCABULARIES}, "admonition": ADMONITION}


LABELS = labels(catalogue())
"""The words of the default language."""


def term_names(term: Term, ui: Catalogue = JAPANESE) -> str:
    """A term's name with its English name in brackets, once when the two are the same (xAI)."""
    return term.term if term.en == term.term else ui("text.names", term=term.term, en=term.en)


def term_tooltip(term: Term, lang: str = "ja", ui: Catalogue = JAPANESE) -> str:
    """Plain text shown when pointing at a glossary term in text of language `lang`: its names and
    its definition."""
    if lang == "en" and term.definition_en:
        return f"{term.en}: {term.definition_en}"
    return f"{term_names(term, ui)}: {term.definition}"


def published_text(published: str, ui: Catalogue = JAPANESE) -> str:
    """A publication date as the site prints it: 2025年10月, or 日付不明 when the editors are not sure."""
    if published == UNKNOWN:
        return ui("text.date_unknown")
    parts = published.split("-")
    return "".join(f"{int(part)}{unit}" for part, unit in zip(parts, ui("text.date_units").split(",")))
