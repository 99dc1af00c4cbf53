"""The passage of a text most like a quote that does not occur in it, in bounded work per quote.

A 'not found verbatim' message shows the closest passage so the editor sees the typo. Comparing the
quote with every paragraph (difflib) costs the product of their lengths: a 3,900-character quote
against a 5 MB transcript took minutes. Instead, the quote's character trigrams vote for alignments:
every place where one of its trigrams occurs in the text says "the quote would start here". The
trigrams are looked up in a sorted index of the text's trigrams, built once per text, and only the
rarest trigrams are used (up to HIT_BUDGET votes), so a quote costs O(m log n) for m characters of
quote and n of text, plus the votes. A typo changes three trigrams and moves no vote; a missing or
extra character shifts the votes after it by one, which the band of nearby alignments absorbs.
Quotes too short to keep a trigram whole after a typo vote with pairs or single characters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as in search.index: no linear algebra here, no thread pool

import numpy as np

GRAM = 3
"""Characters per anchor: three 21-bit code points fill 63 bits of one integer, without collisions."""
SHORT_QUOTE = 12
"""Quotes shorter than this are aligned by single characters, shorter than twice this by pairs."""
HIT_BUDGET = 200_000
"""At most this many occurrences of a quote's trigrams are looked at, the rarest trigrams first."""
CANDIDATE_REGIONS = 16
"""Pairs of neighbouring bins whose votes are compared alignment by alignment."""


@dataclass(frozen=True)
class Alignment:
    """Where a quote lines up best with the text: the text offset its first character falls on
    (negative when the quote would start before the text) and the text offset of the median vote."""

    start: int
    anchor: int


def gram_codes(text: str, size: int) -> np.ndarray:
    """The integer code of each `size`-character gram of `text` (size at most GRAM), in text order."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    grams = codes[:count].copy()
    for k in range(1, size):
        grams = (grams << np.uint64(21)) | codes[k : k + count]
    return grams


class GramIndex:
    """Every `size`-character gram of a text with its offsets, sorted by gram for binary search."""

    def __init__(self, text: str, size: int) -> None:
        self.size = size
        grams = gram_codes(text, size)
        order = np.argsort(grams, kind="stable")  # offsets of one gram stay in text order
        self.grams = grams[order]
        self.offsets = order.astype(np.int32)  # a source text holds at most 5 million characters

    def votes(self, quote: str, budget: int = HIT_BUDGET) -> tuple[np.ndarray, np.ndarray]:
        """(quote offset, text offset) of occurrences of the quote's grams, rarest grams first, at
        most `budget` of them (the rarest gram's first ones when even it occurs more often)."""
        wanted = gram_codes(quote, self.size)
        first = np.searchsorted(self.grams, wanted, side="left")
        counts = np.searchsorted(self.grams, wanted, side="right") - first
        by_rarity = np.argsort(counts, kind="stable")
        taken = by_rarity[np.cumsum(counts[by_rarity]) <= budget]
        if taken.size == 0:
            taken = by_rarity[counts[by_rarity] > 0][:1]
        lengths = np.minimum(counts[taken], budget)
        # Entry k of gram j's run in the sorted index: its first entry plus k.
        run_starts = np.cumsum(lengths) - lengths
        within = np.arange(int(lengths.sum())) - np.repeat(run_starts, lengths)
        entries = np.repeat(first[taken], lengths) + within
        return np.repeat(taken, lengths).astype(np.int64), self.offsets[entries].astype(np.int64)


def gram_size(length: int) -> int:
    """Grams used for a quote of `length` characters: in a short quote one typo leaves few trigrams
    whole, so single characters and pairs vote instead (a whole region of common ones still loses to
    the place where they stand in the quote's order)."""
    return 1 if length < SHORT_QUOTE else 2 if length < 2 * SHORT_QUOTE else GRAM


class PassageSearch:
    """Aligns quotes with one text; its gram indexes are built on first use and kept."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._indexes: dict[int, GramIndex] = {}

    def align(self, quote: str) -> Alignment | None:
        """Where `quote` lines up best with the text; None when not one of its characters occurs."""
        size = gram_size(len(quote))
        if size == 0:
            return None
        if size not in self._indexes:
            self._indexes[size] = GramIndex(self.text, size)
        return best_alignment(self._indexes[size], quote)


def best_alignment(index: GramIndex, quote: str) -> Alignment | None:
    """The alignment of `quote` in the band of nearby alignments with the most votes (of equal
    bands, the earliest), None when none of its grams occurs. In the band, the alignment that
    places the quote's earliest gram is taken, so that after a missing or extra character the
    window still starts where the quote does; one stray vote does not count unless no alignment
    has more. Votes are first counted in bins a band wide, and only those in the strongest pairs of
    neighbouring bins are sorted (sorting every vote cost more than all the rest)."""
    quote_offsets, text_offsets = index.votes(quote)
    if text_offsets.size == 0:
        return None
    starts = text_offsets - quote_offsets
    band = max(1, len(quote) // 16)
    width = 2 * band + 1
    binned = (starts - int(starts.min())) // width
    bins = np.bincount(binned)
    pairs = bins[:-1] + bins[1:] if len(bins) > 1 else bins
    strongest = np.argpartition(-pairs, min(CANDIDATE_REGIONS, len(pairs)) - 1)[:CANDIDATE_REGIONS]
    chosen = np.zeros(len(bins), dtype=bool)
    chosen[strongest] = True
    chosen[np.minimum(strongest + 1, len(bins) - 1)] = True
    region = chosen[binned]
    return _strongest_band(starts[region], quote_offsets[region], text_offsets[region], band)


def _strongest_band(starts: np.ndarray, quote_offsets: np.ndarray, text_offsets: np.ndarray, band: int) -> Alignment:
    """Of the alignments of a few bands' width, the band with the most votes, and in it the
    alignment placing the quote's earliest gram among those with at least two votes (or with the
    most, when none has two)."""
    alignments, votes = np.unique(starts, return_counts=True)
    running = np.concatenate(([0], np.cumsum(votes)))
    near = (running[np.searchsorted(alignments, alignments + band, side="right")]
            - running[np.searchsorted(alignments, alignments - band, side="left")])
    centre = alignments[int(np.argmax(near))]
    in_band = np.abs(alignments - centre) <= band
    alignments, votes = alignments[in_band], votes[in_band]
    needed = min(2, int(votes.max()))
    earliest = {int(a): int(quote_offsets[starts == a].min()) for a, v in zip(alignments, votes) if v >= needed}
    start = min(earliest, key=lambda a: (earliest[a], -int(votes[alignments == a][0])))
    on_it = np.sort(text_offsets[starts == start])
    return Alignment(start, int(on_it[len(on_it) // 2]))
