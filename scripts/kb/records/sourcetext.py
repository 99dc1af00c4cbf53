"""Source transcripts: numbered paragraphs and verbatim quote lookup.

Quotes are compared after Unicode NFKC and whitespace folding only. The folded text keeps a map
back to the original characters so a found quote can be highlighted in the original paragraph.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .passage_search import PassageSearch

_JOINERS = {"\u3099", "\u309a", "\uff9e", "\uff9f"}


def fold(text: str) -> str:
    """NFKC plus whitespace folding: the only normalization applied when matching quotes."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Paragraph:
    """One non-empty line of a source text."""

    number: int
    line: int
    text: str


@dataclass(frozen=True)
class Span:
    """A quote found in a paragraph: original character offsets [start, end)."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class FoldedParagraph:
    """A paragraph's folded text with, for each folded character, its original offset."""

    text: str
    origin: tuple[int, ...]


def fold_with_origins(text: str) -> FoldedParagraph:
    """Fold `text` like `fold`, recording where each folded character came from."""
    if _already_folded(text):
        # Most paragraphs: each character stays itself; a space is credited to the character after it.
        origin = list(range(len(text)))
        for match in _SPACE.finditer(text):
            origin[match.start()] += 1
        return FoldedParagraph(text, tuple(origin))
    return _fold_each_cluster(text)


_SPACE = re.compile(" ")


def _already_folded(text: str) -> bool:
    """Whether folding leaves `text` as it is and every character stands alone (no combining marks)."""
    return fold(text) == text and _JOINERS.isdisjoint(text) and not any(map(unicodedata.combining, text))


def _fold_each_cluster(text: str) -> FoldedParagraph:
    """`fold_with_origins` character cluster by character cluster, for text that folding changes."""
    out: list[str] = []
    origin: list[int] = []
    i = 0
    pending_space = False
    while i < len(text):
        j = i + 1
        while j < len(text) and (text[j] in _JOINERS or unicodedata.combining(text[j])):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        for char in piece:
            if char.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                origin.append(i)
                pending_space = False
            out.append(char)
            origin.append(i)
        i = j
    return FoldedParagraph("".join(out), tuple(origin))


def split_paragraphs(text: str) -> list[Paragraph]:
    """Number every non-empty line of `text`, from 1, keeping its 1-based line number."""
    paragraphs: list[Paragraph] = []
    for line_number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.strip():
            paragraphs.append(Paragraph(len(paragraphs) + 1, line_number, line.strip()))
    return paragraphs


@dataclass
class SourceText:
    """The paragraphs of one source, ready for quote lookup."""

    paragraphs: list[Paragraph]

    def __post_init__(self) -> None:
        self._folded = [fold_with_origins(p.text) for p in self.paragraphs]
        self._document = "\n".join(f.text for f in self._folded)
        self._starts = []
        offset = 0
        for folded in self._folded:
            self._starts.append(offset)
            offset += len(folded.text) + 1
        self._found: dict[tuple[str, str | None, str | None], tuple[Span, ...]] = {}
        """`find`'s answers: a kept source text (`kb.records.parsed`) is asked the same on every reload."""

    def find(self, text: str, prefix: str | None = None, suffix: str | None = None) -> list[Span]:
        """Every place the folded `text` occurs within one paragraph, narrowed by prefix/suffix."""
        key = (text, prefix, suffix)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = tuple(self._search(text, prefix, suffix))
        return list(found)

    def _search(self, text: str, prefix: str | None, suffix: str | None) -> list[Span]:
        needle = fold(text)
        if not needle:
            return []
        before, after = fold(prefix or ""), fold(suffix or "")
        spans = []
        start = self._document.find(needle)
        while start != -1:
            if self._context_matches(start, len(needle), before, after):
                spans.append(self._span_at(start, len(needle)))
            start = self._document.find(needle, start + 1)
        return spans

    def count(self, text: str) -> int:
        """How many times the folded `text` occurs in the paragraphs, not overlapping."""
        needle = fold(text)
        return self._document.count(needle) if needle else 0

    def crosses_paragraphs(self, text: str) -> bool:
        """Whether `text` occurs only when paragraphs are read as one running text."""
        needle = fold(text)
        return bool(needle) and (needle in self._running_text[0] or needle in self._running_text[1])

    @cached_property
    def _running_text(self) -> tuple[str, str]:
        """The paragraphs run together without a break and with a space: made once, when a quote is not found."""
        return self._document.replace("\n", ""), self._document.replace("\n", " ")

    def closest(self, text: str) -> tuple[int, str]:
        """The paragraph number and passage most similar to `text`, for 'not found' messages: the
        window of the quote's length where its grams line up best (see `passage_search`)."""
        needle = fold(text)
        alignment = self._passage_search.align(needle)
        if alignment is None:  # not one character of the quote occurs in the text
            return self.paragraphs[0].number, self._folded[0].text[: len(needle)]
        index = bisect.bisect_right(self._starts, alignment.anchor) - 1
        start = max(0, alignment.start - self._starts[index])
        return self.paragraphs[index].number, self._folded[index].text[start : start + len(needle)]

    @cached_property
    def _passage_search(self) -> PassageSearch:
        from .passage_search import PassageSearch  # numpy is imported only when a quote is not found

        return PassageSearch(self._document)

    def _context_matches(self, start: int, length: int, prefix: str, suffix: str) -> bool:
        """Whether the folded `prefix` ends right before the span and the folded `suffix` starts right
        after it, paragraphs read as one running text and spaces at the span's edges ignored."""
        before_matches = not prefix or _running_before(self._document, start, len(prefix)).endswith(prefix)
        return before_matches and (not suffix or _running_after(self._document, start + length, len(suffix)).startswith(suffix))

    def _span_at(self, start: int, length: int) -> Span:
        index = bisect.bisect_right(self._starts, start) - 1  # the paragraph holding `start`
        folded = self._folded[index]
        local = start - self._starts[index]
        first = folded.origin[local]
        last = folded.origin[local + length - 1]
        end = last + 1
        original = self.paragraphs[index].text
        while end < len(original) and (original[end] in _JOINERS or unicodedata.combining(original[end])):
            end += 1
        return Span(self.paragraphs[index].number, first, end)


def _running_before(document: str, end: int, length: int) -> str:
    """The text before `end` with paragraph breaks removed and spaces at its end dropped, as far
    back as `length` characters of it can reach: only a bounded piece is copied, whatever `end`.
    In the folded document no paragraph is empty and no space touches a break or another space, so
    at most every other character is a break, and 2 * length + 2 characters hold `length` of them."""
    return document[max(0, end - 2 * length - 2) : end].replace("\n", "").rstrip()


def _running_after(document: str, start: int, length: int) -> str:
    """`_running_before` mirrored: the text from `start` on, breaks removed, leading spaces dropped."""
    return document[start : start + 2 * length + 2].replace("\n", "").lstrip()
