"""Which record fields hold English text, and which Japanese field each translates.

The naming rule of the English edition: `en` or `<field>_en` is English, `<field>` its Japanese
twin. The schema publishes optional pairs as `dependentRequired`; `kb.checks.english` checks them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def english_field(name: str) -> str:
    """The English field translating the Japanese field `name` (`text_en` for `text`)."""
    return f"{name}_en"


def english_twin(name: str) -> str | None:
    """The Japanese field an English field translates (`text` for `text_en`); None for other fields."""
    return name[: -len("_en")] if name.endswith("_en") else None


def is_english_field(name: str) -> bool:
    """Whether a record field holds English text for the English edition: `en` or `<field>_en`."""
    return name == "en" or english_twin(name) is not None


def optional_english_pairs(model: type[BaseModel]) -> dict[str, str]:
    """English field -> its Japanese twin, for the pairs of `model` where both are optional: given
    together or not at all (`finding` and `finding_en`). A required one the schema asks for already."""
    fields = model.model_fields
    return {name: twin for name in fields if (twin := english_twin(name)) in fields
            and not fields[name].is_required() and not fields[twin].is_required()}


def english_pairs_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The optional English pairs in the published JSON Schema, as `dependentRequired`."""
    for name, twin in optional_english_pairs(model).items():
        schema.setdefault("dependentRequired", {}).update({twin: [name], name: [twin]})
