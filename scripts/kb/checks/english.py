"""Checks that every record carries its English text, for the English edition.

An English field is one named `en` or `<field>_en`; `<field>` is its Japanese twin. The schema makes
most English fields required, so pydantic reports those missing; what it cannot say is checked here:
an optional English field (`finding_en`, `reliability_en`) given exactly when its twin is, and
English fields that hold Japanese instead (the Japanese pasted in, not yet translated). Runs on the
records that passed their schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records.knowledge import KnowledgeBase
from ..records.model import Record, english_twin, is_english_field
from ..records.problems import Problems, shorten
from ..records.schema_messages import field_expectation
from ..records.yamlfile import FieldPath, YamlDocument, field_name

_JAPANESE = re.compile(r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def check_english(kb: KnowledgeBase, problems: Problems) -> None:
    """Add a located problem for each English field missing beside its twin, given without it, or
    written in Japanese, in every record that passed its schema."""
    for document, at, label, record in _all_records(kb):
        check_english_record(document, at, label, record, problems)


def check_english_record(document: YamlDocument, at: FieldPath, label: str, record: Record,
                         problems: Problems) -> None:
    """The English fields of `record` (found at `at` in `document`) and of every record nested in it;
    messages start with `label` ("claim 'x'")."""
    for inner, part in _parts(record, ()):
        _check_part(document, at, label, inner, part, problems)


def _all_records(kb: KnowledgeBase) -> Iterator[tuple[YamlDocument, FieldPath, str, Record]]:
    """(document, path of the record in it, label for messages, record) for every loaded record."""
    for claim in kb.claims.values():
        yield kb.document("claims", claim.id), (), f"claim '{claim.id}'", claim
    for term in kb.terms.values():
        yield kb.document("glossary", term.id), (), f"term '{term.id}'", term
    for source in kb.sources.values():
        yield kb.document("sources", source.meta.id), (), f"source '{source.meta.id}'", source.meta
    for key, registry, noun in (("topics", kb.topics, "topic"), ("speakers", kb.speakers, "speaker")):
        for entry_id, entry in registry.items():
            document = kb.document(key, entry_id)
            yield document, (key, _first_position(document, key, entry_id)), f"{noun} '{entry_id}'", entry


def _first_position(document: YamlDocument, key: str, entry_id: str) -> int:
    """Where in a registry file's list the entry with `entry_id` is (the first, as the registry keeps it)."""
    entries = document.data[key]
    return next(i for i, entry in enumerate(entries) if isinstance(entry, dict) and entry.get("id") == entry_id)


def _parts(record: Record, path: FieldPath) -> Iterator[tuple[FieldPath, Record]]:
    """The record and every record nested in it (annotations, removed quotes...), each with its path."""
    yield path, record
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, Record):
            yield from _parts(value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Record):
                    yield from _parts(item, (*path, name, index))


def _check_part(document: YamlDocument, at: FieldPath, label: str, inner: FieldPath, part: Record,
                problems: Problems) -> None:
    """The English fields of one record or nested part of it; `inner` is the part's path in the record."""
    fields = type(part).model_fields
    owner = f"{label}: {field_name(inner)}" if inner else f"{label}: the record"
    for name, info in fields.items():
        if not is_english_field(name):
            continue
        english, twin = getattr(part, name), english_twin(name)
        japanese = getattr(part, twin) if twin in fields else None
        if twin in fields and japanese is not None and english is None:
            problems.add(document.location((*at, *inner, twin)), f"{owner} has {twin} but no {name}; "
                         f"expected {field_expectation(info)}; found no key '{name}'")
        elif twin in fields and japanese is None and english is not None:
            problems.add(document.location((*at, *inner, name)), f"{owner} has {name} but no {twin}; "
                         f"expected {name} only beside a {twin}; found {name} alone")
        elif isinstance(english, str) and _mostly_japanese(english):
            problems.add(document.location((*at, *inner, name)), f"{label}: field '{field_name((*inner, name))}' "
                         f"is in Japanese; expected {field_expectation(info)} (Japanese only for words it "
                         f"discusses); found {shorten(english)!r}")


def _mostly_japanese(text: str) -> bool:
    """More kana and kanji than Latin letters: Japanese, perhaps with a few English words in it."""
    return len(_JAPANESE.findall(text)) > len(_LATIN.findall(text))
