"""The editors' page: every record type with its fields, from the schema models."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..checks.estimates import Estimate, EstimateChart, EstimateGroup
from ..records.model import (
    Annotation,
    Claim,
    Home,
    IndexForm,
    OriginalWork,
    PrimarySource,
    Quote,
    Reference,
    Relation,
    RemovedQuote,
    Segment,
    Source,
    Speaker,
    Term,
    Topic,
)
from .escape import md_escape


@dataclass
class FieldRow:
    """One field of a record type, for the contributor page."""

    name: Markup
    required: bool
    description: Markup


@dataclass
class ModelTable:
    """A record type and its fields, for the contributor page."""

    name: str
    anchor: str
    description: Markup
    fields: list[FieldRow]


def schema_tables() -> list[ModelTable]:
    """Every record type and nested type with its field descriptions, from the schema models."""
    tables = []
    for model in (Claim, Quote, RemovedQuote, Relation, Annotation, Reference, Term, IndexForm, Source, Segment,
                  OriginalWork, PrimarySource, Topic, Speaker, Home, EstimateChart, EstimateGroup, Estimate):
        rows = [FieldRow(code_name(name), info.is_required(), docstring_markdown(info.description or ""))
                for name, info in model.model_fields.items()]
        tables.append(ModelTable(model.__name__, model.__name__.lower(), docstring_markdown(model.__doc__ or ""), rows))
    return tables


def code_name(name: str) -> Markup:
    """A field name for a Markdown code span: an identifier, printed as it is (escapes show in code)."""
    if not name.isidentifier():
        raise ValueError(f"not a field name: {name!r}")
    return Markup(name)


def docstring_markdown(text: str) -> Markup:
    """A schema docstring (our code's text, not a record's) for Markdown: its `code` spans stay code
    spans, where escapes would print as they are; the text between them is escaped as usual."""
    parts = text.strip().split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans
        return Markup(md_escape(text.strip()))
    return Markup("".join(f"`{part}`" if i % 2 else md_escape(part) for i, part in enumerate(parts)))
