"""Read one YAML record file into plain values, remembering the line and column of each value.

Only the safe, plain subset of YAML is accepted: no tags beyond the standard scalar types, no
aliases (so no "billion laughs"), no duplicate keys, bounded size and nesting depth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .problems import Location, Problem

Key = Union[str, int]
FieldPath = tuple[Key, ...]

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML; carries its 1-based line and column."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class YamlDocument:
    """A parsed record file: its data and where each value (and each mapping key) starts."""

    path: str
    data: Any
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, path: FieldPath, at_key: bool = False) -> Location:
        """The location of the value at `path`, or of the nearest enclosing value that exists."""
        table = self.keys if at_key else self.values
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            if prefix in table:
                return Location(self.path, *table[prefix])
            if prefix in self.values:
                return Location(self.path, *self.values[prefix])
        return Location(self.path, 1, 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases; node conversion is done by `_Converter`."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlProblem(
                "YAML aliases (*name) are not allowed in records; expected the value written out; "
                "found an alias",
                mark.line + 1,
                mark.column + 1,
            )
        return super().compose_node(parent, index)


def read_text(file: Path, display: str) -> str:
    """The file's text, or a YamlProblem for files that are too big, not UTF-8 or contain NUL."""
    raw = file.read_bytes()
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            f"file is too large; expected at most {MAX_BYTES:,} bytes; found {len(raw):,} bytes"
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem(
            f"file is not valid UTF-8; expected UTF-8 text; found byte 0x{raw[error.start]:02x}",
            line,
            column,
        ) from None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        raise YamlProblem(
            "file contains a NUL character; expected plain text; found U+0000",
            before.count("\n") + 1,
            len(before) - (before.rfind("\n") + 1) + 1,
        )
    return text.replace("\r\n", "\n")


def load_yaml(file: Path, display: str) -> YamlDocument:
    """Parse `file` into a YamlDocument; raises YamlProblem with a position on any defect."""
    text = read_text(file, display)
    if not text.strip():
        raise YamlProblem("file is empty; expected a YAML mapping of fields; found nothing")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or "invalid YAML"
        if error.context:
            detail = f"{error.context}, {detail}"
        raise YamlProblem(
            f"invalid YAML: {detail}; expected well-formed YAML",
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}; expected well-formed YAML") from None
    except RecursionError:
        raise YamlProblem(
            f"YAML nesting is too deep; expected at most {MAX_DEPTH} levels; found more"
        ) from None
    finally:
        loader.dispose()
    document = YamlDocument(display, None)
    if node is None:
        raise YamlProblem("file is empty; expected a YAML mapping of fields; found nothing")
    document.data = _Converter(loader, document).convert(node, (), 0)
    return document


class _Converter:
    """Turns a composed node tree into dicts, lists and scalars, recording positions."""

    def __init__(self, loader: _Loader, document: YamlDocument) -> None:
        self.loader = loader
        self.document = document

    def convert(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        mark = node.start_mark
        self.document.values[path] = (mark.line + 1, mark.column + 1)
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"YAML nesting is too deep; expected at most {MAX_DEPTH} levels; found more",
                mark.line + 1,
                mark.column + 1,
            )
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                f"YAML tag {node.tag!r} is not allowed; expected plain text, numbers, lists "
                "and mappings; found a tagged value",
                mark.line + 1,
                mark.column + 1,
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise YamlProblem(
                    "mapping key must be plain text; expected a field name; found a complex key",
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            key = self.loader.construct_object(key_node)
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("YAML merge keys (<<) are not allowed", key_mark.line + 1)
            if isinstance(key, str) and key in result:
                first = self.document.keys[path + (key,)]
                raise YamlProblem(
                    f"duplicate key {key!r}; expected each field once; found it again "
                    f"(first at line {first[0]})",
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            if not isinstance(key, str):
                raise YamlProblem(
                    f"mapping key must be text; expected a field name; found {key!r}",
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            self.document.keys[path + (key,)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result


def problem_from(error: YamlProblem, display: str) -> Problem:
    """A Problem located in `display` for a YamlProblem."""
    return Problem(Location(display, error.line, error.column), error.message)
