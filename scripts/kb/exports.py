"""Machine-readable exports: `claims.json` (a public contract), one JSON file per claim, JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from . import urls
from .check import CheckedKnowledgeBase
from .estimates import EstimateChart
from .model import SCHEMAS, Claim

CONTRACT_VERSION = 1


def claim_record(checked: CheckedKnowledgeBase, claim: Claim) -> dict[str, Any]:
    """One claim as published in `claims.json`."""
    return {
        "id": claim.id,
        "url": urls.claim_url(claim.id),
        "title": claim.title,
        "title_en": claim.title_en,
        "speaker": claim.speaker,
        "topics": list(claim.topics),
        "summary": claim.summary,
        "summary_en": claim.summary_en,
        "kind": claim.kind,
        "quotes": [
            {
                "text": quote.text,
                "source": quote.source,
                "paragraph": checked.quote_spans[(claim.id, number)].paragraph,
                "url": f"{urls.claim_url(claim.id)}#q{number + 1}",
            }
            for number, quote in enumerate(claim.quotes)
        ],
        "terms": list(claim.terms),
        "related": [{"id": r.id, "relation": r.relation} for r in claim.related],
        "annotations": [
            {"kind": a.kind, "text": a.text}
            | ({"reference": {"title": a.reference.title, "url": a.reference.url}} if a.reference else {})
            for a in claim.annotations
        ],
    }


def claims_document(checked: CheckedKnowledgeBase) -> dict[str, Any]:
    """The whole `claims.json` object."""
    kb = checked.kb
    return {
        "version": CONTRACT_VERSION,
        "claims": [claim_record(checked, c) for c in sorted(kb.claims.values(), key=lambda c: c.id)],
        "terms": [
            {
                "id": t.id,
                "url": f"{urls.page_url(urls.GLOSSARY_PAGE)}#{t.id}",
                "term": t.term,
                "reading": t.reading,
                "en": t.en,
                "aliases": list(t.aliases),
            }
            for t in sorted(kb.terms.values(), key=lambda t: t.id)
        ],
        "speakers": [
            {"id": s.id, "name": s.name, "url": urls.page_url(urls.speaker_page(s.id))}
            for s in sorted(kb.speakers.values(), key=lambda s: s.id)
        ],
        "topics": [
            {"id": t.id, "name": t.name, "name_en": t.name_en, "url": urls.page_url(urls.topic_page(t.id))}
            for t in sorted(kb.topics.values(), key=lambda t: t.id)
        ],
        "sources": [
            {
                "id": s.meta.id,
                "url": urls.page_url(urls.source_page(s.meta.id)),
                "title": s.meta.title,
                "title_en": s.meta.title_en,
                "language": s.meta.language,
                "kind": s.meta.kind,
                "paragraphs": len(s.text.paragraphs),
            }
            for s in sorted(kb.sources.values(), key=lambda s: s.meta.id)
        ],
    }


def to_json(value: Any) -> str:
    """Stable, readable JSON text (sorted keys are not used: field order is part of the contract)."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def each_json_file(checked: CheckedKnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every JSON file to publish, as (site-relative path, text), one at a time so that writing
    them never holds every text at once."""
    yield "claims.json", to_json(claims_document(checked))
    for claim in checked.kb.claims.values():
        yield urls.claim_json_url(claim.id), to_json(claim_record(checked, claim))


def json_schemas() -> dict[str, str]:
    """The JSON Schema of every record type, by file name, generated from the models."""
    schemas = {}
    models: dict[str, type[BaseModel]] = {**SCHEMAS, "estimates": EstimateChart}
    for name, model in models.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schemas[f"{name}.schema.json"] = to_json(schema)
    return schemas
