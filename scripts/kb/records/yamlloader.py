"""The YAML loaders of record files: the reference loader (positions, aliases and nesting refused)
and libyaml's fast path, which reads a well-formed file to the same values without positions."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .invisible import find_invisible

MAX_BYTES = 1_000_000
MAX_SOURCE_BYTES = 5_000_000
MAX_DEPTH = 32
BOM = b"\xef\xbb\xbf"
STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAGS = {
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



class Loader(yaml.SafeLoader):
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
Loader.yaml_implicit_resolvers = {
    first: [(tag, _without_base_60(pattern) if tag in _BASE_60_TAGS else pattern)
            for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser and composer with `Loader`'s resolvers and constructors: the same nodes and
    marks for a well-formed file, several times faster. Any defect is reported by `Loader` instead."""

    yaml_implicit_resolvers = Loader.yaml_implicit_resolvers
    yaml_constructors = Loader.yaml_constructors

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


assert not FastLoader.yaml_path_resolvers, "resolve() ignores path resolvers"
_ImplicitResolvers = list[tuple[str, re.Pattern[str]]]
_IMPLICIT_ANY: _ImplicitResolvers = Loader.yaml_implicit_resolvers.get(None, [])
_IMPLICIT_BY_FIRST: dict[str, _ImplicitResolvers] = {
    first: resolvers + _IMPLICIT_ANY for first, resolvers in Loader.yaml_implicit_resolvers.items() if first is not None
}


def libyaml_tree(text: str) -> tuple[Any, Any] | None:
    """libyaml's loader and node tree of a well-formed file without aliases, or None to take the slow path."""
    if "*" in text or not yaml.__with_libyaml__:
        return None  # libyaml resolves aliases silently; `Loader` reports them with their position
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        node = None
    if node is None:
        loader.dispose()
        return None
    return loader, node


def compose_fast(text: str) -> tuple[Any, Any] | None:
    """`libyaml_tree` of a file whose nesting `Loader` accepts, or None to take the slow path."""
    tree = libyaml_tree(text)
    if tree is not None and not _shallow(tree[1]):
        tree[0].dispose()
        return None
    return tree


def _shallow(root: yaml.Node) -> bool:
    """Whether no node is nested MAX_DEPTH levels deep (`Loader` stops at that level, with its place)."""
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


DEFECTIVE = object()


class NotPlain(Exception):
    """Raised inside `PlainConverter` where `_Converter` would report a problem."""


def plain_data_fast(text: str) -> Any:
    """The data of a well-formed file exactly as `_read_with_positions` gives it, without recording
    positions (most of the reading time); `DEFECTIVE` when the reference reading must decide."""
    tree = libyaml_tree(text)
    if tree is None:
        return DEFECTIVE
    loader, root = tree
    try:
        # Only text written with escapes can hold characters that `read_text` has not already refused.
        return PlainConverter(loader, escapes="\\" in text).convert(root, 0)
    except Exception:  # noqa: BLE001 - the reference reading meets the same defect and reports or raises it
        return DEFECTIVE
    finally:
        loader.dispose()


class PlainConverter:
    """`_Converter` without positions: the same values for a file that it accepts, `NotPlain` where
    it would report a problem (which it then does, in its words and at its place)."""

    def __init__(self, loader: Loader, escapes: bool) -> None:
        self.construct = loader.construct_object
        self.escapes = escapes

    def convert(self, node: yaml.Node, depth: int) -> Any:
        """The value of `node`, found `depth` levels below the root."""
        tag = node.tag
        if tag not in PLAIN_TAGS:
            raise NotPlain
        if isinstance(node, yaml.ScalarNode):
            if tag != STR_TAG:
                return self.construct(node, deep=True)  # a number, true/false or null: never text
            if self.escapes and find_invisible(node.value):
                raise NotPlain
            return node.value
        if node.value and depth + 1 >= MAX_DEPTH:
            raise NotPlain  # `Loader` refuses a node nested MAX_DEPTH levels deep
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key in result:
                raise NotPlain
            result[key] = self.convert(value_node, depth + 1)
        return result

    def key(self, node: yaml.Node) -> str:
        # Of the plain tags only the text tag constructs to text, the one kind of key accepted.
        if node.tag != STR_TAG or not isinstance(node, yaml.ScalarNode):
            raise NotPlain
        if self.escapes and find_invisible(node.value):
            raise NotPlain
        return node.value  # type: ignore[no-any-return]
