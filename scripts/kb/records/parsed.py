"""A record file parsed and validated, again only when its text changed.

While serving, every edit loads the whole knowledge base again, and most files are as they were. Each
file is still read (through `inputs`, its path checked each time), but its text is parsed and
validated only when it differs from the last good reading of the same path with the same schema: at
1,000 claims that was most of a reload's time. A file with problems is never kept, so its problems are
found and reported again on every load. Records are not changed after loading, so a kept one can be
handed out again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .inputs import KnowledgeBaseFolder, read_text
from .model import Record
from .problems import Problems, describe, printable
from .schema_messages import schema_problems
from .yamlfile import YamlDocument, YamlProblem, parse_yaml, problem_from

R = TypeVar("R", bound=Record)

_kept: dict[tuple[Path, str], tuple[str, type[Record], YamlDocument, Record]] = {}
"""(knowledge-base folder, path) to the text, schema, document and record of its last good reading."""


def parsed_record(files: KnowledgeBaseFolder, relative: str, model: type[R], label: str,
                  problems: Problems) -> tuple[YamlDocument | None, R | None]:
    """The document of the file `relative` and its record validated against `model` (`label` names it in
    messages); None for what could not be made, with every problem added."""
    key = (files.root, relative)
    kept = _kept.get(key)
    display = printable(relative)
    try:
        text = read_text(files, relative)
    except YamlProblem as error:
        problems.extend([problem_from(error, display)])
        return None, None
    if kept is not None and kept[0] == text and kept[1] is model:
        record: Any = kept[3]
        return kept[2], record
    _kept.pop(key, None)
    try:
        document = parse_yaml(text, display)
    except YamlProblem as error:
        problems.extend([problem_from(error, display)])
        return None, None
    fresh = validated(document, model, label, problems)
    if fresh is not None:
        _kept[key] = (text, model, document, fresh)
    return document, fresh


def validated(document: YamlDocument, model: type[R], label: str, problems: Problems) -> R | None:
    """The document's data as a `model` record, or None with the schema's problems added."""
    if not isinstance(document.data, dict):
        problems.add(
            document.location(()),
            f"{label}: wrong type; expected a YAML mapping of fields; found {describe(document.data)}",
        )
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(schema_problems(document, error, model, label))
        return None
