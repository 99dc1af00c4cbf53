"""Machine-readable exports: `claims.json` (a public contract), one JSON file per claim, JSON Schemas."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..checks.check import CheckedKnowledgeBase
from ..records.estimates import EstimateChart
from ..records.model import SCHEMAS, Annotation, Claim
from ..records.review import claim_review
from ..site import urls
from ..site.citation import speaker_label
from ..site.labels import LABELS

CONTRACT_VERSION = 1


def claim_record(checked: CheckedKnowledgeBase, claim: Claim) -> dict[str, Any]:
    """One claim as published in `claims.json`."""
    url = urls.claim_url(claim.id)
    numbers = claim.quote_numbers()
    return {
        "id": claim.id,
        "url": url,
        "title": claim.title,
        "title_en": claim.title_en,
        "speaker": claim.speaker,
        "topics": list(claim.topics),
        "summary": claim.summary,
        "summary_en": claim.summary_en,
        "kind": claim.kind,
        "status": claim_review(claim).status,
        "primary_source": claim.primary_source,
        "quotes": [
            {
                "text": quote.text,
                "source": quote.source,
                "paragraph": checked.quote_spans[(claim.id, index)].paragraph,
                "url": urls.quote_url(claim.id, numbers[index]),
                "voice": quote.voice,
            }
            for index, quote in enumerate(claim.quotes)
        ],
        "removed_quotes": [
            {"url": urls.quote_url(claim.id, removed.number), "reason": removed.reason,
             "reason_en": removed.reason_en}
            for removed in claim.removed_quotes
        ],
        "terms": list(claim.terms),
        "related": [{"id": r.id, "relation": r.relation} for r in claim.related],
        "annotations": [_annotation_record(a) for a in claim.annotations],
    }


def _annotation_record(note: Annotation) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": note.kind, "text": note.text, "text_en": note.text_en}
    if note.reference:
        record["reference"] = {"title": note.reference.title, "url": note.reference.url}
    if note.verdict:
        record["verdict"] = note.verdict
        record["finding"] = note.finding
        record["finding_en"] = note.finding_en
    return record


def claims_document(checked: CheckedKnowledgeBase) -> dict[str, Any]:
    """The whole `claims.json` object."""
    return _document(checked, [claim_record(checked, c) for c in sorted(checked.kb.claims.values(), key=lambda c: c.id)])


def _document(checked: CheckedKnowledgeBase, claims: list[Any]) -> dict[str, Any]:
    """The `claims.json` object around `claims`, the claims' records in id order."""
    kb = checked.kb
    return {
        "version": CONTRACT_VERSION,
        "claims": claims,
        "terms": [
            {
                "id": t.id,
                "url": urls.term_url(t.id),
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
                "narrator": s.meta.narrator,
                "original": s.meta.original.model_dump() if s.meta.original else None,
                "primary_sources": [primary.model_dump() for primary in s.meta.primary_sources],
            }
            for s in sorted(kb.sources.values(), key=lambda s: s.meta.id)
        ],
    }


def to_json(value: Any) -> str:
    """Stable, readable JSON text (sorted keys are not used: field order is part of the contract).

    Byte for byte `json.dumps(value, ensure_ascii=False, indent=2)` and a final newline for the
    acyclic values it is given, written a few times faster: the standard library gives up its C
    encoder as soon as there is an indent.
    """
    pieces: list[str] = []
    _write(value, "", pieces)
    pieces.append("\n")
    return "".join(pieces)  # the one copy of a large text


def each_json_file(checked: CheckedKnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every JSON file to publish, as (site-relative path, text), one at a time.

    Each claim is written once, at its place in `claims.json`, and its own file is that text moved
    back to the left margin. The texts are kept until their files are yielded, as much memory as
    `claims.json` itself; the stage still peaks lower than with json.dumps (17 MiB, was 28 MiB, at
    2,000 claims), which held every record as objects and `claims.json` as small pieces.
    """
    texts = {claim.id: _written(claim_record(checked, claim), _CLAIM_INDENT)
             for claim in sorted(checked.kb.claims.values(), key=lambda c: c.id)}
    yield "claims.json", to_json(_document(checked, list(texts.values())))
    for claim in checked.kb.claims.values():
        text = to_json(texts.pop(claim.id))
        yield urls.claim_json_url(claim.id), text
        for old in claim.former_ids:  # a renamed claim's data stays at its former address too
            yield urls.claim_json_url(old), text
    yield urls.PREVIEW_LABELS_JSON, to_json(preview_labels(checked))


def preview_labels(checked: CheckedKnowledgeBase) -> dict[str, Any]:
    """What a claim's preview (docs/assets/kb-popover.js) shows for the ids in its JSON file: each
    status's label and each speaker's name, as the pages print them. Fetched once per page, not per
    claim; not part of the `claims.json` contract."""
    return {
        "statuses": dict(LABELS["status"]),
        "speakers": {s.id: speaker_label(s) for s in sorted(checked.kb.speakers.values(), key=lambda s: s.id)},
    }


_CLAIM_INDENT = "    "  # a claim's in `claims.json` (an item of the array under "claims"); else it is re-indented


@dataclass(frozen=True)
class _Written:
    """JSON text already written for a place indented by `indent`."""

    text: str
    indent: str


def _written(value: Any, indent: str) -> _Written:
    """`value` written as JSON text for a place indented by `indent`."""
    pieces: list[str] = []
    _write(value, indent, pieces)
    return _Written("".join(pieces), indent)


def _write(value: Any, indent: str, out: list[str]) -> None:
    """Append the JSON text of `value` to `out` in `json.dumps(..., ensure_ascii=False, indent=2)`'s
    layout, its lines after the first starting with `indent` (that of the line it starts on)."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        _write_object(value, indent, out)
    elif kind is list:
        _write_array(value, indent, out)
    elif kind is _Written:
        # Every line break in JSON text ends a line: moving the text is replacing its indentation.
        out.append(value.text if value.indent == indent else value.text.replace("\n" + value.indent, "\n" + indent))
    else:
        _write_other(value, indent, out)


def _write_object(value: dict[Any, Any], indent: str, out: list[str]) -> None:
    if not value:
        out.append("{}")
        return
    inner = indent + "  "
    separator = "{\n" + inner
    for key, item in value.items():
        out.append(f"{separator}{encode_basestring(key if type(key) is str else _key_text(key))}: ")
        _write(item, inner, out)
        separator = ",\n" + inner
    out.append("\n" + indent + "}")


def _write_array(value: list[Any] | tuple[Any, ...], indent: str, out: list[str]) -> None:
    if not value:
        out.append("[]")
        return
    inner = indent + "  "
    separator = "[\n" + inner
    for item in value:
        out.append(separator)
        _write(item, inner, out)
        separator = ",\n" + inner
    out.append("\n" + indent + "]")


def _write_other(value: Any, indent: str, out: list[str]) -> None:
    """`_write` for the rarer values: numbers, constants, subclasses, tuples."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None or isinstance(value, (bool, int, float)):
        out.append(json.dumps(value))  # the standard library's spelling of null, true, 1e+100, NaN...
    elif isinstance(value, dict):
        _write_object(value, indent, out)
    elif isinstance(value, (list, tuple)):
        _write_array(value, indent, out)
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key_text(key: Any) -> str:
    """A dictionary key that is not text, as `json.dumps` writes it."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def write_files(folder: Path, files: Iterable[tuple[str, str | bytes]]) -> None:
    """Write each (path relative to `folder`, text in UTF-8 or bytes), one at a time, making each folder once.

    Through `os.open`/`os.write` on string paths: a text file object and a `Path` per file cost three
    times the Python time (0.11 s more for the 16,000 files of 10,000 claims)."""
    made: set[str] = set()
    root = os.fspath(folder)
    for relative, content in files:
        target = os.path.join(root, relative)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        _write_file(target, content if isinstance(content, bytes) else content.encode("utf-8"))


def _write_file(path: str, data: bytes) -> None:
    """Create or truncate `path` and write all of `data` (a write may take less than it is given)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


FILE_SCHEMAS: dict[str, type[BaseModel]] = {**SCHEMAS, "estimates": EstimateChart}
"""The model of every kind of file an editor writes (records, registries, estimates), by schema name."""


def json_schemas() -> dict[str, str]:
    """The JSON Schema of every record type, by file name, generated from the models."""
    schemas = {}
    for name, model in FILE_SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schemas[f"{name}.schema.json"] = to_json(schema)
    return schemas
