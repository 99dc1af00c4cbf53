"""A record file parsed and validated, a transcript split and folded, again only when its bytes changed.

While serving, every edit loads the whole knowledge base again, and most files are as they were. Each
file is still read (through `inputs`, its path checked each time), but its bytes are decoded, checked
for invisible characters, parsed and validated only when they differ from the last good reading of
the same path with the same schema: at 1,000 claims that was most of a reload's time, at 10,000 the
transcripts' folding for quote lookup too. A file with problems is never kept, so its problems are
found and reported again on every load. Records and source texts are not changed after loading, so a
kept one can be handed out again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .inputs import KnowledgeBaseFolder, read_raw
from .model import Record
from .problems import Problems, describe, printable
from .schema_messages import schema_problems
from .sourcetext import SourceText, split_paragraphs
from .yamlfile import MAX_SOURCE_BYTES, YamlDocument, YamlProblem, decode_text, parse_yaml, problem_from

R = TypeVar("R", bound=Record)

_kept: dict[tuple[Path, str], tuple[bytes, type[Record], YamlDocument, Record]] = {}
"""(knowledge-base folder, path) to the bytes, schema, document and record of its last good reading."""
_kept_texts: dict[tuple[Path, str], tuple[bytes, SourceText | None]] = {}
"""(knowledge-base folder, transcript path) to its bytes and source text (None: no paragraphs)."""


def parsed_record(files: KnowledgeBaseFolder, relative: str, model: type[R], label: str,
                  problems: Problems) -> tuple[YamlDocument | None, R | None]:
    """The document of the file `relative` and its record validated against `model` (`label` names it in
    messages); None for what could not be made, with every problem added."""
    key = (files.root, relative)
    kept = _kept.get(key)
    display = printable(relative)
    try:
        raw = read_raw(files, relative)
        if kept is not None and kept[0] == raw and kept[1] is model:
            record: Any = kept[3]
            return kept[2], record
        _kept.pop(key, None)
        document = parse_yaml(decode_text(raw), display)
    except YamlProblem as error:
        problems.extend([problem_from(error, display)])
        return None, None
    fresh = validated(document, model, label, problems)
    if fresh is not None:
        _kept[key] = (raw, model, document, fresh)
    return document, fresh


def source_text(files: KnowledgeBaseFolder, relative: str) -> SourceText | None:
    """The numbered paragraphs of the transcript `relative`, None when it has none; a YamlProblem when it
    cannot be read or decoded."""
    key = (files.root, relative)
    raw = read_raw(files, relative, MAX_SOURCE_BYTES)
    kept = _kept_texts.get(key)
    if kept is not None and kept[0] == raw:
        return kept[1]
    _kept_texts.pop(key, None)
    paragraphs = split_paragraphs(decode_text(raw))
    text = SourceText(paragraphs) if paragraphs else None
    _kept_texts[key] = (raw, text)
    return text


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
