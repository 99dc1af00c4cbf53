"""Building blocks for the diagrams drawn at build time: an SVG element tree, and text measured
and wrapped without a font engine.

SVG is built with ElementTree, whose serializer escapes every text and attribute value: record
text reaches the page through that one place, never pasted into markup.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import budoux
from markupsafe import Markup

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
ELLIPSIS = "…"
_NO_BREAK_BEFORE = "、。，．）」』】〕ー・…ぁぃぅぇぉっゃゅょァィゥェォッャュョ"  # kinsoku: never start a line
_NO_BREAK_AFTER = "（「『【〔"  # never end a line


def element(tag: str, parent: ET.Element | None = None, text: str | None = None, **attributes: object) -> ET.Element:
    """A new SVG element; attribute names use `_` for `-` (`font_size` is `font-size`), values
    are formatted (floats to one decimal) and None values are left out."""
    values = {name.rstrip("_").replace("_", "-"): _format(value) for name, value in attributes.items() if value is not None}
    node = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        node.text = text
    return node


def link_to(parent: ET.Element, url: str, **attributes: object) -> ET.Element:
    """An SVG link. It uses `xlink:href`: Material's scripts rewrite the `href` of every element
    that has one, which fails on SVG links (their `href` is read-only)."""
    node = element("a", parent, None, **attributes)
    node.set("xlink:href", url)
    return node


def _format(value: object) -> str:
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.removesuffix(".0")
    return str(value)


def serialize(root: ET.Element) -> Markup:
    """The element tree as one line of inline SVG markup, escaped by ElementTree."""
    root.set("xmlns", SVG_NAMESPACE)
    root.set("xmlns:xlink", XLINK_NAMESPACE)
    return Markup(ET.tostring(root, encoding="unicode", short_empty_elements=True))


@functools.cache
def char_width(char: str) -> float:
    """Approximate advance width of a character in ems (CJK and full-width 1, Latin narrower)."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in "il.,:;'|!()[] ":
        return 0.3
    if char.isupper() or char in "mwMW@%&":
        return 0.68
    return 0.55


def text_width(text: str, font_size: float) -> float:
    """Approximate width of `text` in user units at `font_size`."""
    return sum(map(char_width, text)) * font_size


def _prefix_widths(text: str) -> list[float]:
    """Width in ems of each prefix of `text`: element i is the width of `text[:i]`, summed in the
    same order as `text_width`, so both give the same figure to the last bit."""
    widths = [0.0]
    total: float = 0
    for char in text:
        total += char_width(char)
        widths.append(total)
    return widths


def _break_points(text: str) -> Iterable[int]:
    """Indexes where a line may break: after a space, or between two wide (CJK) characters."""
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        wide_pair = char_width(before) == 1.0 and char_width(after) == 1.0
        if before == " " or (wide_pair and before not in _NO_BREAK_AFTER and after not in _NO_BREAK_BEFORE):
            yield index


@functools.cache
def _japanese_phrases() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def _phrase_break_points(text: str, offset: int, starts: frozenset[int]) -> list[int]:
    """The break points of `text`, found at `offset` in a text whose phrases begin at `starts`,
    that fall between phrases: after a space, or where a phrase begins."""
    return [index for index in _break_points(text) if text[index - 1] == " " or offset + index in starts]


@functools.lru_cache(maxsize=4096)  # a title is wrapped for the wide and the narrow figure alike
def _phrase_starts(text: str) -> frozenset[int]:
    """Where the phrases of Japanese text begin, by BudouX's model (the one behind Chromium's
    `word-break: auto-phrase`), so that a label in a figure breaks as a heading does:
    「（ナレーターの / 意見）」, not 「（ナレー / ターの意見）」. Read once for the whole text."""
    if text.isascii():  # no Japanese: only spaces break it, and the model costs 0.2 ms a label
        return frozenset()
    return frozenset(itertools.accumulate(len(phrase) for phrase in _japanese_phrases().parse(text)))


def wrap(text: str, width: float, font_size: float, max_lines: int) -> list[str]:
    """`text` broken into at most `max_lines` lines no wider than `width`, between phrases where a
    phrase fits, else between characters; the last line ends in an ellipsis when text had to be
    left out."""
    text = " ".join(text.split())  # so the only spaces left are single ones between words
    lines: list[str] = []
    start = 0
    while start < len(text) and len(lines) < max_lines:
        rest = text[start:]
        prefix = _prefix_widths(rest)
        if prefix[-1] * font_size <= width:
            lines.append(rest)
            return lines
        if len(lines) == max_lines - 1:
            lines.append(truncate(rest, width, font_size))
            return lines
        phrases = _phrase_break_points(rest, start, _phrase_starts(text))
        fits = ([i for i in phrases if prefix[len(rest[:i].rstrip())] * font_size <= width]
                or [i for i in _break_points(rest) if prefix[len(rest[:i].rstrip())] * font_size <= width])
        cut = max(fits) if fits else _longest_fit(prefix, width, font_size)
        lines.append(rest[:cut].rstrip())
        start += cut
    return lines


def _longest_fit(prefix: list[float], width: float, font_size: float) -> int:
    """How many leading characters fit in `width` (at least one), given the prefix widths."""
    count = 1
    while count < len(prefix) - 1 and prefix[count + 1] * font_size <= width:
        count += 1
    return count


def truncate(text: str, width: float, font_size: float) -> str:
    """`text` cut to fit `width`, ending in an ellipsis when anything was cut."""
    prefix = _prefix_widths(text)
    if prefix[-1] * font_size <= width:
        return text
    room = width - text_width(ELLIPSIS, font_size)
    kept = 0
    while kept < len(text) and prefix[kept + 1] * font_size <= room:
        kept += 1
    return text[:kept].rstrip() + ELLIPSIS
