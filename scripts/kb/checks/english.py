"""Checks that every record carries its English text, for the English edition.

An English field is one named `en` or `<field>_en`; `<field>` is its Japanese twin. The schema makes
most English fields required, so pydantic reports those missing; what it cannot say is checked here:
an optional English field (`finding_en`, `reliability_en`, `derivation_en`) given exactly when its
twin is, and English fields that hold Japanese instead (the Japanese pasted in, not yet
translated). The check reads the records' YAML data, so a claim that failed its schema (a missing
`text_en`) still has the rest of its English checked in the same run.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic.fields import FieldInfo

from ..records.english_fields import is_english_field, optional_english_pairs
from ..records.knowledge import KnowledgeBase
from ..records.model import Claim, Record, Source, Speaker, Term, Topic
from ..records.problems import Problems, shorten
from ..records.schema_messages import field_expectation
from ..records.yamlfile import FieldPath, YamlDocument, field_name

_JAPANESE = re.compile(r"[\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def check_english(kb: KnowledgeBase, problems: Problems) -> None:
    """Add a located problem for each optional English field missing beside its twin or given
    without it, and each English field written in Japanese, in every record of `kb` (claims that
    failed their schema included)."""
    for document, at, label, model in _all_records(kb):
        check_english_record(document, at, label, model, problems)


def check_english_record(document: YamlDocument, at: FieldPath, label: str, model: type[Record],
                         problems: Problems) -> None:
    """The English fields of the record of type `model` found at `at` in `document`, and of every
    record nested in it; messages start with `label` ("claim 'x'")."""
    data: Any = document.data
    for key in at:
        data = data[key]
    for inner, part_model, part in _parts(model, data, ()):
        _check_part(document, at, label, inner, part_model, part, problems)


def _all_records(kb: KnowledgeBase) -> Iterator[tuple[YamlDocument, FieldPath, str, type[Record]]]:
    """(document, path of the record in it, label for messages, record type) for every record."""
    for claim_id in [*kb.claims, *kb.invalid_claims]:
        yield kb.document("claims", claim_id), (), f"claim '{claim_id}'", Claim
    for term_id in kb.terms:
        yield kb.document("glossary", term_id), (), f"term '{term_id}'", Term
    for source_id in kb.sources:
        yield kb.document("sources", source_id), (), f"source '{source_id}'", Source
    for key, registry, noun, model in (("topics", kb.topics, "topic", Topic),
                                       ("speakers", kb.speakers, "speaker", Speaker)):
        for entry_id in registry:
            document = kb.document(key, entry_id)
            yield document, (key, _first_position(document, key, entry_id)), f"{noun} '{entry_id}'", model


def _first_position(document: YamlDocument, key: str, entry_id: str) -> int:
    """Where in a registry file's list the entry with `entry_id` is (the first, as the registry keeps it)."""
    entries = document.data[key]
    return next(i for i, entry in enumerate(entries) if isinstance(entry, dict) and entry.get("id") == entry_id)


@dataclass(frozen=True)
class _Plan:
    """What the check looks at in one record type, worked out once per type."""

    pairs: dict[str, str]
    """Optional English field -> its optional Japanese twin."""
    english: list[tuple[str, FieldInfo]]
    """Every English field."""
    nested: list[tuple[str, type[Record]]]
    """Fields holding records (alone, in a list, or optional), with their type."""


@cache
def _plan(model: type[Record]) -> _Plan:
    fields = model.model_fields
    nested = [(name, found) for name, info in fields.items() if (found := _record_type(info.annotation)) is not None]
    return _Plan(optional_english_pairs(model), [(n, i) for n, i in fields.items() if is_english_field(n)], nested)


def _parts(model: type[Record], data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, type[Record], dict[str, Any]]]:
    """The record's data and the data of every record nested in it (annotations, removed quotes...),
    each with its path and type; what is not shaped as the schema says is skipped (reported already)."""
    if not isinstance(data, dict):
        return
    yield path, model, data
    for name, nested in _plan(model).nested:
        value = data.get(name)
        if isinstance(value, dict):
            yield from _parts(nested, value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from _parts(nested, item, (*path, name, index))


def _record_type(annotation: Any) -> type[Record] | None:
    """The record type a field holds, alone, in a list or optional; None for other fields."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if (found := _record_type(arg)) is not None:
                return found
    return None


def _check_part(document: YamlDocument, at: FieldPath, label: str, inner: FieldPath, model: type[Record],
                data: dict[str, Any], problems: Problems) -> None:
    """The English fields of one record or nested part of it; `inner` is the part's path in the record."""
    plan = _plan(model)
    for name, twin in plan.pairs.items():
        english, japanese = data.get(name), data.get(twin)
        if japanese is not None and english is None:
            problems.add(document.location((*at, *inner, twin)), f"{_owner(label, inner)} has {twin} but no {name}; "
                         f"expected {field_expectation(model.model_fields[name])}; found no key '{name}'")
        elif japanese is None and english is not None:
            problems.add(document.location((*at, *inner, name)), f"{_owner(label, inner)} has {name} but no {twin}; "
                         f"expected {name} only beside a {twin}; found {name} alone")
    for name, info in plan.english:
        english = data.get(name)
        if isinstance(english, str) and _mostly_japanese(english):
            problems.add(document.location((*at, *inner, name)), f"{label}: field '{field_name((*inner, name))}' "
                         f"is in Japanese; expected {field_expectation(info)} (Japanese only for words it "
                         f"discusses); found {shorten(english)!r}")


def _owner(label: str, inner: FieldPath) -> str:
    """"claim 'x': annotations[0]" for a nested part, "claim 'x': the record" for the record itself."""
    return f"{label}: {field_name(inner)}" if inner else f"{label}: the record"


def _mostly_japanese(text: str) -> bool:
    """More kana and kanji than Latin letters: Japanese, perhaps with a few English words in it."""
    if text.isascii():  # most English text: no need to count
        return False
    return len(_JAPANESE.findall(text)) > len(_LATIN.findall(text))
