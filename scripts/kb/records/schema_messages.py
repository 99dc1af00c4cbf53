"""Turn pydantic validation errors into located, plain-language problems."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from .invisible import character_name
from .model import ID_PATTERN, KANA_PATTERN, VISIBLE_PATTERN
from .problems import Problem, describe, did_you_mean
from .yamlfile import FieldPath, YamlDocument, field_name, shown

_PATTERNS = {
    ID_PATTERN: "a lowercase ASCII kebab-case id such as 'agi-timeline'",
    KANA_PATTERN: "kana only (hiragana, katakana, ー)",
    VISIBLE_PATTERN: "visible text, not only spaces or blank-looking characters",
}
_TYPES = {
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "int_type": "an integer",
    "bool_type": "true or false",
}


def schema_problems(document: YamlDocument, error: ValidationError, model: type[BaseModel], label: str) -> list[Problem]:
    """One Problem per pydantic error, located at the offending key or value."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
        kind = item["type"]
        at_key = kind in ("extra_forbidden", "missing")
        location = document.location(loc, at_key=at_key)
        message = _message(kind, loc, item, model)
        problems.append(Problem(location, f"{label}: {message}"))
    return problems


def _message(kind: str, loc: FieldPath, item: Any, model: type[BaseModel]) -> str:
    name = field_name(loc)
    found = describe(item.get("input"))
    ctx = item.get("ctx") or {}
    if kind == "missing":
        return f"missing field '{name}'; expected {_expected_field(model, loc)}; found no such key"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        key = shown(str(loc[-1]))
        return (
            f"unknown field '{name}'; expected one of {', '.join(allowed)}; "
            f"found '{key}'{did_you_mean(key, allowed)}"
        )
    if kind == "literal_error":
        choices = [c.strip(" '") for c in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        value = item.get("input")
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        return f"field '{name}': unknown value; expected one of {', '.join(choices)}; found {found}{hint}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        expected = _PATTERNS.get(pattern, f"text matching {pattern}")
        hint = id_hint(item.get("input")) if pattern == ID_PATTERN else ""
        return f"field '{name}': malformed value; expected {expected}; found {found}{hint}"
    if kind in _TYPES:
        return f"field '{name}': wrong type; expected {_TYPES[kind]}; found {found}{_quote_hint(kind, item.get('input'))}"
    if kind in ("too_short", "string_too_short"):
        minimum = ctx.get("min_length", 1)
        unit = "character" if isinstance(item.get("input"), str) else "item"
        return f"field '{name}': too short; expected at least {minimum} {unit}(s); found {found}"
    if kind in ("too_long", "string_too_long"):
        value = item.get("input")
        unit = "character" if isinstance(value, str) else "item"
        size = len(value) if isinstance(value, (str, list)) else ctx.get("actual_length")
        return f"field '{name}': too long; expected at most {ctx.get('max_length')} {unit}(s); found {size}"
    if kind == "greater_than_equal":
        return f"field '{name}': out of range; expected at least {ctx.get('ge')}; found {found}"
    if kind == "less_than_equal":
        return f"field '{name}': out of range; expected at most {ctx.get('le')}; found {found}"
    if kind == "value_error":
        reason = str(ctx.get("error", item.get("msg")))
        return f"field '{name}': invalid value; {reason}; found {found}"
    return f"field '{name}': {item.get('msg')}; found {found}"


def id_hint(value: object) -> str:
    """Why text is not an id, when the reason is hard to see: a look-alike letter or upper case."""
    if not isinstance(value, str):
        return ""
    for char in value:
        if not char.isascii():
            return f" ({character_name(char)} is not ASCII)"
    for char in value:
        if char.isupper():
            return f" (upper case {char!r} is not allowed)"
    for char in value:
        if char in "/\\." or char.isspace():
            return f" ({char!r} is not allowed in an id)"
    return ""


def _quote_hint(kind: str, value: object) -> str:
    if kind == "string_type" and isinstance(value, (bool, int, float)):
        return " (put the value in quotes to make it text)"
    return ""


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
        return None
    return annotation


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target else []


def _expected_field(model: type[BaseModel], loc: FieldPath) -> str:
    target = _model_at(model, loc[:-1])
    if target is None:
        return "this field"
    info = target.model_fields.get(str(loc[-1]))
    return field_expectation(info) if info else "this field"


def field_expectation(info: FieldInfo) -> str:
    """What a field expects, for a message: the first clause of its description, in lower case
    unless it starts with a proper word ("Japanese title", "the span, copied verbatim ...")."""
    description = (info.description or "").split(";")[0].rstrip(".")
    if not description:
        return "this field"
    if description.split(maxsplit=1)[0] in _PROPER_WORDS:  # "Japanese title", not "japanese title"
        return description
    return description[0].lower() + description[1:]


_PROPER_WORDS = {"Japanese", "English", "ASCII", "JSON", "YAML", "URL", "W3C", "Karpathy"}
