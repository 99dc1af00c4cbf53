"""Read one YAML record file into plain values, remembering the line and column of each value.

Only the safe, plain subset of YAML is accepted: no tags beyond the standard scalar types, no
aliases (so no "billion laughs"), no duplicate keys, bounded size and nesting depth, no invisible
control characters. A byte order mark at the start of a file is ignored and CRLF or CR line ends
are read as LF, so such files load exactly like clean ones and line numbers match an editor's.
Dates are not a type of their own: `2024-01-01` is read as the text it looks like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Location, Problem, describe

Key = str | int
FieldPath = tuple[Key, ...]

MAX_BYTES = 1_000_000
MAX_SOURCE_BYTES = 5_000_000
MAX_DEPTH = 32
BOM = b"\xef\xbb\xbf"
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# Characters that are invisible, blank-looking or break line counting: C0/C1 controls but tab and
# line feed, lone surrogates (only reachable through escapes), Unicode line/paragraph separators,
# noncharacters, every format character (category Cf: bidirectional controls, zero-width spaces
# and joiners, U+061C, U+180E, a byte order mark after the start, tag characters...) and every other
# character Unicode marks as default-ignorable, i.e. drawn as nothing (U+034F COMBINING GRAPHEME
# JOINER, Hangul fillers such as U+3164, Mongolian variation selectors...). The ranges hold Unicode
# 16's format characters (U+13439-1343F were added in 15.0), so a newer Python refuses no fewer;
# tests/test_invisible.py checks them against the running Python's character database.
# Japanese text needs two of them, allowed only where they do their job (`_allowed_here`):
# variation selectors after a character they can modify (ideographic variation sequences choose a
# kanji's glyph, as in 葛󠄀 for names; VS15/VS16 choose text or emoji style) and U+200D ZERO WIDTH
# JOINER between two emoji (👩‍💻).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
"""What may stand between an emoji and a joiner: the emoji-style selector, a skin tone."""
_HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
                  0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML; carries its 1-based line and column."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


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


def character_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character named so that invisible ones can be found."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name and 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    return f"U+{code:04X} {name}".rstrip()


def invisible_character_kind(char: str) -> str:
    """What sort of unwanted character `char` is, for a message."""
    code = ord(char)
    if code == 0xFEFF:
        return "a byte order mark inside the text"
    if code in (0x2028, 0x2029):
        return "a Unicode line or paragraph separator"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x061C):
        return "an invisible text-direction control"
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate"
    if unicodedata.category(char) == "Cc":
        return "a control character"
    if char in _HANGUL_FILLERS:
        return "a blank filler character"
    if _VARIATION_SELECTORS.fullmatch(char):
        return "a variation selector that modifies no character before it"
    if char == _ZERO_WIDTH_JOINER:
        return "a zero width joiner outside an emoji sequence"
    if 0xFDD0 <= code <= 0xFDEF or code in (0xFFFE, 0xFFFF):
        return "a Unicode noncharacter"
    return "an invisible formatting character"


def find_invisible(text: str) -> re.Match[str] | None:
    """The first character of `text` that is invisible, blank-looking or breaks line counting, and
    is not one that Japanese text needs where it stands (see `_INVISIBLE`)."""
    for found in _INVISIBLE.finditer(text):
        if not _allowed_here(text, found.start()):
            return found
    return None


def _allowed_here(text: str, at: int) -> bool:
    """Whether the character at `at` is a variation selector after a character it can modify, or a
    zero width joiner between two emoji."""
    char = text[at]
    if _VARIATION_SELECTORS.fullmatch(char):
        return at > 0 and _selector_fits(text[at - 1], char)
    if char == _ZERO_WIDTH_JOINER:
        start = at
        while start and _EMOJI_MODIFIERS.fullmatch(text[start - 1]):
            start -= 1
        after = text[at + 1] if at + 1 < len(text) else ""
        return start > 0 and _emoji(text[start - 1]) and _emoji(after)
    return False


def _selector_fits(base: str, selector: str) -> bool:
    """Whether `selector` can modify `base`: an ideographic variation selector (U+E0100-E01EF) a kanji,
    VS1-VS14 a kanji or a symbol, VS15/VS16 (text or emoji style) a symbol, a digit or one of the
    few other characters that have an emoji style (# * ‼ ⁉ ℹ 〰 〽). After anything else, a letter
    say, it would only make two texts that look alike differ."""
    ideograph = unicodedata.name(base, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
    if selector >= "\U000e0100":
        return ideograph
    symbol = unicodedata.category(base).startswith("S")
    if selector < "\ufe0e":
        return ideograph or symbol
    return symbol or unicodedata.category(base) == "Nd" or base in _EMOJI_STYLE_PUNCTUATION


_EMOJI_STYLE_PUNCTUATION = "#*\u203c\u2049\u2139\u3030\u303d"
"""Characters outside the symbols and digits that take VS15/VS16 (Unicode's emoji-variation-sequences)."""


def _emoji(char: str) -> bool:
    """Whether `char` can stand on either side of a joiner in an emoji sequence (emoji are symbols, So)."""
    return bool(char) and unicodedata.category(char) == "So"


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting; node conversion is done by `_Converter`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            raise YamlProblem(
                "YAML aliases (*name) are not allowed in records; expected the value written out; "
                "found an alias",
                mark.line + 1,
                mark.column + 1,
            )
        if self.depth >= MAX_DEPTH:
            raise YamlProblem(
                f"YAML nesting is too deep; expected at most {MAX_DEPTH} levels; found more",
                mark.line + 1,
                mark.column + 1,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _without_base_60(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """YAML 1.1's int or float pattern without its base-60 form, which reads 1:20 as the integer 80."""
    return re.compile("(?!.*:)" + pattern.pattern, pattern.flags)  # base 60 is its only form with a colon


_BASE_60_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# A date-like value such as 2024-01-01 stays text (records have no date fields), and so does a time-like
# one such as 1:20 (YAML 1.2 dropped base 60; a title '1:20' is not the number 80).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, _without_base_60(pattern) if tag in _BASE_60_TAGS else pattern)
            for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser and composer with `_Loader`'s resolvers and constructors: the same nodes and
    marks for a well-formed file, several times faster. Any defect is reported by `_Loader` instead."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    yaml_constructors = _Loader.yaml_constructors

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without one: `Resolver.resolve` for a loader without path resolvers,
        with the implicit resolvers of each first character joined once (a tenth of composing)."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT_BY_FIRST.get(value[:1], _IMPLICIT_ANY):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


assert not _FastLoader.yaml_path_resolvers, "resolve() ignores path resolvers"
_ImplicitResolvers = list[tuple[str, re.Pattern[str]]]
_IMPLICIT_ANY: _ImplicitResolvers = _Loader.yaml_implicit_resolvers.get(None, [])
_IMPLICIT_BY_FIRST: dict[str, _ImplicitResolvers] = {
    first: resolvers + _IMPLICIT_ANY for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None
}


def _libyaml_tree(text: str) -> tuple[Any, Any] | None:
    """libyaml's loader and node tree of a well-formed file without aliases, or None to take the slow path."""
    if "*" in text or not yaml.__with_libyaml__:
        return None  # libyaml resolves aliases silently; `_Loader` reports them with their position
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        node = None
    if node is None:
        loader.dispose()
        return None
    return loader, node


def _compose_fast(text: str) -> tuple[Any, Any] | None:
    """`_libyaml_tree` of a file whose nesting `_Loader` accepts, or None to take the slow path."""
    tree = _libyaml_tree(text)
    if tree is not None and not _shallow(tree[1]):
        tree[0].dispose()
        return None
    return tree


def _shallow(root: yaml.Node) -> bool:
    """Whether no node is nested MAX_DEPTH levels deep (`_Loader` stops at that level, with its place)."""
    collections = [] if isinstance(root, yaml.ScalarNode) else [root]  # the collections at depth 0, then 1, ...
    for _ in range(MAX_DEPTH - 1):
        collections = [child for node in collections for child in _children(node)
                       if not isinstance(child, yaml.ScalarNode)]
        if not collections:
            return True
    return not any(node.value for node in collections)  # their children would lie at MAX_DEPTH


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value  # type: ignore[no-any-return]


_DEFECTIVE = object()


class _NotPlain(Exception):
    """Raised inside `_PlainConverter` where `_Converter` would report a problem."""


def _plain_data_fast(text: str) -> Any:
    """The data of a well-formed file exactly as `_read_with_positions` gives it, without recording
    positions (most of the reading time); `_DEFECTIVE` when the reference reading must decide."""
    tree = _libyaml_tree(text)
    if tree is None:
        return _DEFECTIVE
    loader, root = tree
    try:
        # Only text written with escapes can hold characters that `read_text` has not already refused.
        return _PlainConverter(loader, escapes="\\" in text).convert(root, 0)
    except Exception:  # noqa: BLE001 - the reference reading meets the same defect and reports or raises it
        return _DEFECTIVE
    finally:
        loader.dispose()


class _PlainConverter:
    """`_Converter` without positions: the same values for a file that it accepts, `_NotPlain` where
    it would report a problem (which it then does, in its words and at its place)."""

    def __init__(self, loader: _Loader, escapes: bool) -> None:
        self.construct = loader.construct_object
        self.escapes = escapes

    def convert(self, node: yaml.Node, depth: int) -> Any:
        """The value of `node`, found `depth` levels below the root."""
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            raise _NotPlain
        if isinstance(node, yaml.ScalarNode):
            if tag != _STR_TAG:
                return self.construct(node, deep=True)  # a number, true/false or null: never text
            if self.escapes and find_invisible(node.value):
                raise _NotPlain
            return node.value
        if node.value and depth + 1 >= MAX_DEPTH:
            raise _NotPlain  # `_Loader` refuses a node nested MAX_DEPTH levels deep
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key in result:
                raise _NotPlain
            result[key] = self.convert(value_node, depth + 1)
        return result

    def key(self, node: yaml.Node) -> str:
        # Of the plain tags only the text tag constructs to text, the one kind of key accepted.
        if node.tag != _STR_TAG or not isinstance(node, yaml.ScalarNode):
            raise _NotPlain
        if self.escapes and find_invisible(node.value):
            raise _NotPlain
        return node.value  # type: ignore[no-any-return]


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
    data = _plain_data_fast(text)
    if data is not _DEFECTIVE:
        return YamlDocument(display, data, text)
    data, values, keys = _read_with_positions(text)
    return YamlDocument(display, data, text, (values, keys))


def _read_with_positions(text: str) -> tuple[Any, Positions, Positions]:
    """The data of a non-empty text with the position of every value and key; raises YamlProblem
    with a position on any defect. This is the reference reading that `_plain_data_fast` matches."""
    fast = _compose_fast(text)
    if fast is not None:
        try:
            return _Converter(fast[0]).read(fast[1])
        except YamlProblem:
            pass  # reported again below, exactly as the slow path words and places it
        finally:
            fast[0].dispose()
    loader = _Loader(text)
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

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.values: Positions = {}
        self.keys: Positions = {}

    def read(self, root: yaml.Node) -> tuple[Any, Positions, Positions]:
        """The data of the tree under `root`, the positions of its values and those of its keys."""
        return self.convert(root, ()), self.values, self.keys

    def convert(self, node: yaml.Node, path: FieldPath) -> Any:
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
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
        value = node.value if node.tag == _STR_TAG else self._construct(node)
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
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                "mapping key must be plain text; expected a field name; found a complex key", line, column
            )
        key = key_node.value if key_node.tag == _STR_TAG else self._construct(key_node)
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
