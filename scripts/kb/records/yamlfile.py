"""Read one YAML record file into plain values, remembering the line and column of each value.

Only the safe, plain subset of YAML is accepted: no tags beyond the standard scalar types, no
aliases (so no "billion laughs"), no duplicate keys, bounded size and nesting depth, no invisible
control characters. A byte order mark at the start of a file is ignored and CRLF or CR line ends
are read as LF, so such files load exactly like clean ones and line numbers match an editor's.
Dates are not a type of their own: `2024-01-01` is read as the text it looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .invisible import character_name, find_invisible, invisible_character_kind
from .problems import Location, Problem, describe
from .yamlloader import (
    BOM,
    DEFECTIVE,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_SOURCE_BYTES,
    PLAIN_TAGS,
    STR_TAG,
    Loader,
    YamlProblem,
    compose_fast,
    plain_data_fast,
)

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_SOURCE_BYTES", "YamlDocument", "YamlProblem", "decode_text", "parse_yaml",
           "problem_from"]

Key = str | int
FieldPath = tuple[Key, ...]

Positions = dict[FieldPath, tuple[int, int]]


@dataclass
class YamlDocument:
    """A parsed record file: its data and where each value (and each mapping key) starts.

    Positions serve only problem messages, so a well-formed file is read without them and they
    are worked out from its text the first time one is asked for.
    """

    path: str
    data: Any
    text: str = field(repr=False)
    """The text the data was read from, for working out positions."""
    located: tuple[Positions, Positions] | None = field(default=None, repr=False)
    """The positions of values and of keys, once worked out."""

    @property
    def values(self) -> Positions:
        """Line and column of each value, by field path."""
        return self._positions()[0]

    @property
    def keys(self) -> Positions:
        """Line and column of each mapping key, by the field path of its value."""
        return self._positions()[1]

    def _positions(self) -> tuple[Positions, Positions]:
        if self.located is None:
            self.located = _read_with_positions(self.text)[1:]
        return self.located

    def location(self, path: FieldPath, at_key: bool = False) -> Location:
        """The location of the value at `path`, or of the nearest enclosing value that exists."""
        values, keys = self._positions()
        table = keys if at_key else values
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            if prefix in table:
                return Location(self.path, *table[prefix])
            if prefix in values:
                return Location(self.path, *values[prefix])
        return Location(self.path, 1, 1)


def field_name(loc: FieldPath) -> str:
    """`quotes[0].text` for the loc ('quotes', 0, 'text')."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return shown(name) or "(top level)"


def shown(text: str) -> str:
    """`text` on one line: unprintable characters (a newline in a key) written as escapes."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)



def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1



def decode_text(raw: bytes) -> str:
    """The text of a file's bytes with LF line ends; a YamlProblem for bytes that are not UTF-8 or
    hold an invisible control character. Reading the file (and its size limit) is `inputs`' job."""
    raw = raw.removeprefix(BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            f"file is not valid UTF-8; expected UTF-8 text; found byte 0x{raw[error.start]:02x}",
            raw[: error.start].count(b"\n") + 1,
            column,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = find_invisible(text)
    if found:
        char = found.group()
        raise YamlProblem(
            f"file contains {invisible_character_kind(char)}; expected visible text; found {character_name(char)}",
            *_line_and_column(text, found.start()),
        )
    return text


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse the text of the file `display` into a YamlDocument; raises YamlProblem with a position on
    any defect."""
    if not text.strip():
        raise YamlProblem("file is empty; expected a YAML mapping of fields; found nothing")
    data = plain_data_fast(text)
    if data is not DEFECTIVE:
        return YamlDocument(display, data, text)
    data, values, keys = _read_with_positions(text)
    return YamlDocument(display, data, text, (values, keys))


def _read_with_positions(text: str) -> tuple[Any, Positions, Positions]:
    """The data of a non-empty text with the position of every value and key; raises YamlProblem
    with a position on any defect. This is the reference reading that `plain_data_fast` matches."""
    fast = compose_fast(text)
    if fast is not None:
        try:
            return _Converter(fast[0]).read(fast[1])
        except YamlProblem:
            pass  # reported again below, exactly as the slow path words and places it
        finally:
            fast[0].dispose()
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(
            syntax_message(error.context, error.problem),
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML; expected well-formed YAML; found {error}") from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem("file is empty; expected a YAML mapping of fields; found nothing")
    return _Converter(loader).read(node)


_SYNTAX_HINTS: list[tuple[str, str]] = [
    (r"found character '\\t' that cannot start any token",
     "invalid YAML: a tab character; expected spaces for indentation; found a tab"),
    (r"mapping values are not allowed here",
     "invalid YAML: a second ': ' on one line; expected the value in quotes when it contains ': '; found ':' inside a value"),
    (r"found unexpected end of stream",
     "invalid YAML: the file ends inside {context}; expected its closing character; found the end of the file"),
    (r"found unknown escape character (.+)",
     "invalid YAML: unknown escape in a double-quoted text; expected one of \\\\ \\\" \\n \\t \\uXXXX; found {0}"),
    (r"but found another document",
     "invalid YAML: a second document in one file; expected one record per file; found another '---'"),
    (r"could not find expected ':'",
     "invalid YAML{in_context}; expected 'key: value'; found a line without ':'"),
    (r"expected (.+), but (?:got|found) (.+)",
     "invalid YAML{in_context}; expected {0}; found {1}"),
    (r"found (.+)",
     "invalid YAML{in_context}; expected well-formed YAML; found {0}"),
]


_TOKENS = {
    "<block end>": "the indentation of the lines above",
    "'<block mapping start>'": "a line indented more than the lines above",
    "'<block sequence start>'": "a list item ('-') indented more than the lines above",
    "'<block end>'": "a line indented less than expected",
    "'<stream end>'": "the end of the file",
    "<document start>": "the start of a document",
    "'<scalar>'": "a value",
    "'<alias>'": "an alias",
    "'<anchor>'": "an anchor",
}


def syntax_message(context: str | None, problem: str | None) -> str:
    """A PyYAML syntax error rephrased as 'what is wrong; expected ...; found ...'."""
    problem = problem or "invalid YAML"
    for token, words in _TOKENS.items():
        problem = problem.replace(token, words)
    where = (context or "").removeprefix("while ").replace("scanning ", "").replace("parsing ", "")
    where = where.replace("scalar", "value")
    for pattern, template in _SYNTAX_HINTS:
        match = re.search(pattern, problem)
        if match:
            return template.format(
                *match.groups(), context=where or "a value", in_context=f" ({context})" if context else ""
            )
    suffix = f" ({context})" if context else ""
    return f"invalid YAML{suffix}; expected well-formed YAML; found {problem}"


class _Converter:
    """Turns a composed node tree into dicts, lists and scalars, recording positions."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.values: Positions = {}
        self.keys: Positions = {}

    def read(self, root: yaml.Node) -> tuple[Any, Positions, Positions]:
        """The data of the tree under `root`, the positions of its values and those of its keys."""
        return self.convert(root, ()), self.values, self.keys

    def convert(self, node: yaml.Node, path: FieldPath) -> Any:
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if node.tag not in PLAIN_TAGS:
            raise YamlProblem(
                f"YAML tag {node.tag!r} is not allowed; expected plain text, numbers, lists "
                "and mappings; found a tagged value",
                mark.line + 1,
                mark.column + 1,
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: FieldPath) -> Any:
        # A text scalar constructs to its value as is; skipping the constructor halves the load time.
        value = node.value if node.tag == STR_TAG else self._construct(node)
        found = find_invisible(value) if isinstance(value, str) else None
        if found:
            char = found.group()
            raise YamlProblem(
                f"field '{field_name(path)}' contains {invisible_character_kind(char)} (written as an escape); "
                f"expected visible text; found {character_name(char)}",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        return value

    def _construct(self, node: yaml.Node) -> Any:
        """The value of a scalar node that is not plain text (a number, a boolean, null), or a problem
        when an explicit tag does not fit it (`!!int abc`, `!!bool maybe`, `!!map x`)."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, KeyError, TypeError, yaml.YAMLError):
            raise YamlProblem(
                f"YAML tag {node.tag!r} does not fit its value; expected a value of that type, or no tag; "
                f"found {describe(node.value)}",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            key_mark = key_node.start_mark
            if key in result:
                first = self.keys[path + (key,)]
                raise YamlProblem(
                    f"duplicate key {key!r}; expected each field once; found it again "
                    f"(first at line {first[0]})",
                    key_mark.line + 1,
                    key_mark.column + 1,
                )
            self.keys[path + (key,)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.convert(value_node, path + (key,))
        return result

    def _key(self, key_node: yaml.Node) -> str:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(
                "YAML merge keys (<<) are not allowed; expected every field written out; found '<<'", line, column
            )
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in PLAIN_TAGS:
            raise YamlProblem(
                "mapping key must be plain text; expected a field name; found a complex key", line, column
            )
        key = key_node.value if key_node.tag == STR_TAG else self._construct(key_node)
        if not isinstance(key, str):
            raise YamlProblem(f"mapping key must be text; expected a field name; found {describe(key)}", line, column)
        found = find_invisible(key)
        if found:
            raise YamlProblem(
                f"field name contains {invisible_character_kind(found.group())}; expected a plain field name; "
                f"found {character_name(found.group())}",
                line,
                column,
            )
        return key


def problem_from(error: YamlProblem, display: str) -> Problem:
    """A Problem located in `display` for a YamlProblem."""
    return Problem(Location(display, error.line, error.column), error.message)

