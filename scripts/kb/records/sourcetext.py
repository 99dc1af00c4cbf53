"""Source transcripts: numbered paragraphs and verbatim quote lookup.

Quotes are compared after Unicode NFKC and whitespace folding only. The folded text keeps a map
back to the original characters so a found quote can be highlighted in the original paragraph.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass

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

    def find(self, text: str, prefix: str | None = None, suffix: str | None = None) -> list[Span]:
        """Every place the folded `text` occurs within one paragraph, narrowed by prefix/suffix."""
        needle = fold(text)
        if not needle:
            return []
        spans = []
        start = self._document.find(needle)
        while start != -1:
            if "\n" not in needle and self._context_matches(start, len(needle), prefix, suffix):
                spans.append(self._span_at(start, len(needle)))
            start = self._document.find(needle, start + 1)
        return spans

    def crosses_paragraphs(self, text: str) -> bool:
        """Whether `text` occurs only when paragraphs are read as one running text."""
        needle = fold(text)
        joined = self._document.replace("\n", "")
        joined_spaced = self._document.replace("\n", " ")
        return bool(needle) and (needle in joined or needle in joined_spaced)

    def closest(self, text: str) -> tuple[int, str]:
        """The paragraph number and passage most similar to `text`, for 'not found' messages."""
        needle = fold(text)
        best: tuple[float, int, str] = (-1.0, 0, "")
        for paragraph, folded in zip(self.paragraphs, self._folded):
            matcher = difflib.SequenceMatcher(None, needle, folded.text, autojunk=False)
            block = matcher.find_longest_match(0, len(needle), 0, len(folded.text))
            start = max(0, block.b - block.a)
            window = folded.text[start : start + len(needle)]
            score = difflib.SequenceMatcher(None, needle, window, autojunk=False).ratio()
            if score > best[0]:
                best = (score, paragraph.number, window)
        return best[1], best[2]

    def _context_matches(self, start: int, length: int, prefix: str | None, suffix: str | None) -> bool:
        if prefix:
            folded_prefix = fold(prefix)
            # Folding strips the prefix's edge spaces, so compare against the text before the span likewise.
            before = self._document[:start].replace("\n", "").rstrip()
            if not before.endswith(folded_prefix):
                return False
        if suffix:
            folded_suffix = fold(suffix)
            after = self._document[start + length :].replace("\n", "").lstrip()
            if not after.startswith(folded_suffix):
                return False
        return True

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
