"""Escaping, in one place: record text made inert for every sink of a generated page.

Templates print values through `EscapeOnce` (Jinja's `finalize`); the claim page and the snippets
written in Python call the same functions, so record text is always data, never markup.
"""

from __future__ import annotations

import html
import json
import re
import string
from typing import Any

from markupsafe import Markup

from ..records.model import ID_PATTERN

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_PUNCTUATION = set(string.punctuation) - set(_ENTITIES)
_ESCAPES = {**_ENTITIES, **{char: "\\" + char for char in _PUNCTUATION}}
# One regex finds the few characters to escape: scanning in C is ten times faster than a Python
# loop, or than str.translate, over Japanese text.
_TO_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_WHITESPACE = re.compile(r"\s+")
_MARKDOWN_ACTIVE = re.compile(r"[`\\\[\]{}*_|]")


def _escape_match(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def md_escape(value: object) -> str:
    """Plain text made inert in Markdown (with pymdownx.escapeall) and HTML; each run of whitespace
    becomes one space (kept at the edges, where a quoted span meets the rest of its paragraph)."""
    return _TO_ESCAPE.sub(_escape_match, _WHITESPACE.sub(" ", str(value)))


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


SHORT_TEXT = 80
"""Printed values up to this length (names, labels, titles) are escaped once per site, not once per page."""


class EscapeOnce:
    """`_finalize` remembering the escaped form of short texts: the same speaker names, topic names,
    labels and claim titles are printed on thousands of pages."""

    def __init__(self) -> None:
        self.escaped: dict[str, Markup] = {}

    def __call__(self, value: object) -> object:
        if type(value) is str:
            if len(value) > SHORT_TEXT:
                return Markup(md_escape(value))
            escaped = self.escaped.get(value)
            if escaped is None:
                escaped = self.escaped[value] = Markup(md_escape(value))
            return escaped
        if type(value) is Markup:  # what the Renderer's snippets return: printed as it is
            return value
        return _finalize(value)


def attr(value: object) -> Markup:
    """Text for an HTML attribute (or text) inside raw HTML, whitespace folded.

    Besides `&<>"'`, the characters Markdown's inline patterns and attribute lists react to
    become character references: those patterns (code spans, links, escapes) run before raw HTML
    is set aside and would otherwise rewrite the attribute's text, or break out of it.
    """
    text = html.escape(" ".join(str(value).split()), quote=True)
    return Markup(_MARKDOWN_ACTIVE.sub(lambda match: f"&#{ord(match.group())};", text))



def yaml_string(value: object) -> Markup:
    """A YAML double-quoted scalar (JSON is valid YAML) for front matter."""
    return Markup(json.dumps(" ".join(str(value).split()), ensure_ascii=False))


_ID = re.compile(ID_PATTERN)
_PLAIN_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def safe_id(value: str) -> Markup:
    """An id, checked against the id pattern, for anchors and attribute lists."""
    if not _ID.fullmatch(value):
        raise ValueError(f"not an id: {value!r}")
    return Markup(value)


def safe_url(value: str) -> Markup:
    """An outside http(s) URL already validated by the schema, made safe inside <...>."""
    if not _PLAIN_URL.fullmatch(value):
        raise ValueError(f"not a plain http(s) URL: {value!r}")
    return Markup(value)



_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_PATTERN = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no `<`, `>` or `&` can end or confuse it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Substring tests first: a regex class scans Japanese text 15 times slower, and these characters are rare.
    if any(character in text for character in _SCRIPT_UNSAFE):
        return _SCRIPT_UNSAFE_PATTERN.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)
    return text
