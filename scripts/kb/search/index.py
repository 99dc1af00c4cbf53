"""The search index: a BM25F-style weighted posting list of every token of the search documents.

A posting's weight is a BM25F-style score of the token in the document, computed here so the
browser only adds weights times the token's rarity: per field, `W_f * tf / (tf + K1 * (1 - B + B *
len_f / avg_f))`, summed over fields, times the weight of the document's kind, in fifths. Titles
and names are also indexed whole (`search_text.exact_token`) so an exact match can rank first.
`shards` cuts the index into the files the browser fetches.
"""

from __future__ import annotations

import os
import re
import sys
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import count, repeat
from operator import mul
from typing import NamedTuple

# The builder does no linear algebra, yet numpy's OpenBLAS starts a pool of threads when numpy is
# imported: 0.09 s of CPU on two cores, more than the index of a small knowledge base takes. One
# thread is enough; a value the user set wins, and nothing changes if numpy is already imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import numpy.typing as npt

from .search_documents import SearchDocument
from .search_text import CJK_CLASS, KANJI_CLASS, WORD_CLASS, exact_token, normalize

FIELD_WEIGHTS = {"title": 10.0, "names": 8.0, "reading": 6.0, "terms": 3.0, "summary": 2.0, "body": 1.0}
"""How much a match in each field counts: a title or a term's own names far above a mention."""
EXACT_FIELDS = ("title", "names")
"""Fields whose every text is also indexed whole (`exact_token`): the browser ranks an exact title or
name match first."""
KIND_WEIGHTS = {
    "claim": 1.0,
    "term": 1.0,
    "topic": 0.8,
    "speaker": 0.8,
    "source": 0.6,
    "paragraph": 0.5,
    "page": 0.4,
    "noncontent": 0.2,
}
"""How much a document of each kind counts: the transcript and prose pages below claims and terms."""
K1 = 1.2
B = 0.75
WEIGHT_SCALE = 5


@dataclass
class SearchIndex:
    """Documents in id order and, per token, its postings: `document id << 8 | weight`, by id."""

    documents: list[SearchDocument]
    postings: dict[str, array] = field(default_factory=dict)

    @property
    def posting_count(self) -> int:
        """Total number of (token, document) pairs."""
        return sum(len(packed) for packed in self.postings.values())

    def weights_of(self, token: str) -> dict[int, int]:
        """Document id to weight for one token."""
        return {p >> 8: p & 0xFF for p in self.postings.get(token, ())}


def field_lengths(documents: list[SearchDocument]) -> dict[str, float]:
    """Average length in characters of each field over the documents that have it."""
    totals: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for document in documents:
        for name, texts in document.fields.items():
            totals[name] += sum(len(text) for text in texts)
            counts[name] += 1
    return {name: max(1.0, totals[name] / counts[name]) for name in totals}


MAX_WEIGHT = 255
"""Weights are capped to fit the byte of a posting."""


class WeightedField(NamedTuple):
    """A non-blank field of a document, ready to be counted."""

    text: str
    """The field's texts joined by newlines, normalized (`search_text.normalize`)."""
    field_weight: float
    """`W_f` times the weight of the document's kind, in fifths: the weight a token tends to as its count grows."""
    norm: float
    """`K1 * (1 - B + B * len_f / avg_f)`: a token counted tf times weighs `field_weight * tf / (tf + norm)`."""


def document_fields(document: SearchDocument) -> tuple[list[tuple[str, tuple[str, int, float]]], dict[str, int]]:
    """The document's non-blank fields, longest first, normalized, each with (name, length joined, field
    weight), and its exact tokens with their weights, (`weighted_fields` with the averages; the index update keeps them per document)."""
    weighted: list[tuple[str, tuple[str, int, float]]] = []
    exact: dict[str, int] = {}
    kind = KIND_WEIGHTS[document.kind]
    for name, texts in sorted(document.fields.items(), key=lambda item: -sum(map(len, item[1]))):
        text = "\n".join(texts)
        if not text.strip():
            continue
        field_weight = FIELD_WEIGHTS[name] * kind * WEIGHT_SCALE
        weighted.append((normalize(text), (name, len(text), field_weight)))
        if name in EXACT_FIELDS:
            for whole in texts:
                token = exact_token(whole)
                if len(token) > 1:
                    exact[token] = max(1, int(field_weight + 0.5))
    return weighted, exact


def weighted_fields(document: SearchDocument, averages: dict[str, float]) -> tuple[list[WeightedField], dict[str, int]]:
    """The document's non-blank fields, longest first, and its exact tokens with their weights (an exact
    token is set, not added: the last field holding the whole text decides)."""
    fields, exact = document_fields(document)
    return [WeightedField(text, weight, K1 * (1 - B + B * length / averages[name]))
            for text, (name, length, weight) in fields], exact


CODE_POINT_BITS = 21
"""Every code point is below 1 << 21, so a bigram's two fit in one key."""
PAIR_KEYS = 1 << 2 * CODE_POINT_BITS
WORD_KEYS = 2 << 2 * CODE_POINT_BITS
"""A token's key, below 1 << 44: a lone character (kanji, lone kana) is its code point, a bigram
`PAIR_KEYS | first << 21 | second`, a word `WORD_KEYS` plus a number of its own (`build_search_index`)."""
FIELD_BITS = 20
"""Bits under a token key (in a 64-bit occurrence) for the field, within its batch, the occurrence is in."""
BATCH_CHARACTERS = 1 << 17
"""Characters of the fields counted together: enough to make numpy's cost per call small, few enough
that a batch's arrays stay within about 20 MB. Below 1 << FIELD_BITS, with each field's separator."""
CJK_BIT, KANJI_BIT, WORD_BIT = 1, 2, 4
_WORDS = re.compile(f"[{WORD_CLASS}]+")


@cache
def character_classes() -> npt.NDArray[np.uint8]:
    """For every code point, bit flags for the `search_text` classes it is in: CJK_BIT (segmented into
    bigrams), KANJI_BIT (also indexed alone), WORD_BIT (part of a word)."""
    classes = np.zeros(sys.maxunicode + 1, np.uint8)
    for bit, characters in ((CJK_BIT, CJK_CLASS), (KANJI_BIT, KANJI_CLASS), (WORD_BIT, WORD_CLASS)):
        for first, last in class_ranges(characters):
            classes[ord(first) : ord(last) + 1] |= bit
    return classes


_CLASS_ITEM = re.compile(r"([^\\\]\-^])(?:-([^\\\]\-^]))?")


def class_ranges(characters: str) -> list[tuple[str, str]]:
    """The (first, last) ranges of a regular-expression character class body made of single characters
    and ranges, such as `search_text.WORD_CLASS`; anything else in it is an error, not a guess."""
    ranges = []
    position = 0
    while position < len(characters):
        item = _CLASS_ITEM.match(characters, position)
        if item is None:
            raise ValueError(f"unsupported character class syntax at {position} in {characters!r}")
        ranges.append((item[1], item[2] or item[1]))
        position = item.end()
    return ranges


@dataclass
class FieldBatch:
    """Fields of consecutive documents, counted together."""

    texts: list[str] = field(default_factory=list)
    doc_ids: list[int] = field(default_factory=list)
    field_weights: list[float] = field(default_factory=list)
    norms: list[float] = field(default_factory=list)
    characters: int = 0
    """Characters of the texts, with a separator each."""

    def add(self, doc_id: int, fields: list[WeightedField]) -> None:
        """Add a document's fields."""
        for text, field_weight, norm in fields:
            self.texts.append(text)
            self.doc_ids.append(doc_id)
            self.field_weights.append(field_weight)
            self.norms.append(norm)
            self.characters += len(text) + 1


def token_occurrences(texts: list[str], word_keys: dict[str, int], new_keys: Iterator[int]) -> npt.NDArray[np.uint64]:
    """Every token of the texts as `key << FIELD_BITS | the number of its text`, in no particular order.

    The texts are joined by newlines (in no class, so no token crosses from one to the next) and their
    characters classified through `character_classes`: a bigram is two CJK neighbours, a lone character
    a kanji or a CJK run of one, a word a run of word characters, numbered in `word_keys` (a new word
    takes the next of `new_keys`)."""
    joined = "\n" + "\n".join(texts) + "\n"
    codes = np.frombuffer(joined.encode("utf-32-le"), "<u4")
    classes = character_classes()[codes]
    cjk = (classes & CJK_BIT).astype(bool)
    kanji = (classes & KANJI_BIT).astype(bool)
    word = (classes & WORD_BIT).astype(bool)
    pairs = np.flatnonzero(cjk[:-1] & cjk[1:])
    # The joined text starts and ends with a newline: every character looked at has two neighbours.
    lone = np.flatnonzero(kanji[1:-1] | cjk[1:-1] & ~cjk[:-2] & ~cjk[2:]) + 1
    found = _WORDS.findall(joined)
    words = np.fromiter(map(word_keys.setdefault, found, new_keys), np.uint64, len(found))
    positions = np.concatenate((pairs, lone, np.flatnonzero(word[1:] & ~word[:-1]) + 1))
    field_starts = np.cumsum([1, *(len(text) + 1 for text in texts)])
    occurrences = np.concatenate(
        (
            PAIR_KEYS | codes[pairs].astype(np.uint64) << CODE_POINT_BITS | codes[pairs + 1],
            codes[lone].astype(np.uint64),
            words,
        )
    )
    occurrences <<= FIELD_BITS
    occurrences |= (np.searchsorted(field_starts, positions, side="right") - 1).astype(np.uint64)
    return occurrences


def batch_postings(
    batch: FieldBatch, word_keys: dict[str, int], new_keys: Iterator[int]
) -> tuple[list[int], list[int], npt.NDArray[np.uint32]]:
    """The postings of a batch: the keys of its tokens in increasing order, where the postings of each
    start, and the postings, `doc_id << 8 | weight`, by token, then document.

    A token's weight in a document is the sum over fields of its weight in each, `field_weight * tf /
    (tf + norm)` rounded (at least 1, in float64 and in this order, as the reference does), capped at
    MAX_WEIGHT. All of it is done on arrays: sorting the occurrences groups them by token, then field
    (so document), which counts tf and gives the postings of each token in document order."""
    occurrences = token_occurrences(batch.texts, word_keys, new_keys)
    occurrences.sort()
    first = _starts_of_runs(occurrences)
    tf = np.diff(first, append=len(occurrences)).astype(np.float64)
    keyed = occurrences[first]
    del occurrences
    fields = (keyed & np.uint64((1 << FIELD_BITS) - 1)).astype(np.intp)
    field_weight = np.array(batch.field_weights)[fields]
    norm = np.array(batch.norms)[fields]
    weights = np.maximum(1, (field_weight * tf / (tf + norm) + 0.5).astype(np.int64))
    tokens = keyed >> np.uint64(FIELD_BITS)
    doc_ids = np.array(batch.doc_ids, np.uint32)[fields]
    firsts = _starts_of_runs(tokens, doc_ids)
    summed = np.minimum(np.add.reduceat(weights, firsts), MAX_WEIGHT).astype(np.uint32)
    postings = doc_ids[firsts] << np.uint32(8) | summed
    tokens = tokens[firsts]
    token_starts = _starts_of_runs(tokens)
    return tokens[token_starts].tolist(), token_starts.tolist(), postings


def _starts_of_runs(*keys: npt.NDArray[np.generic]) -> npt.NDArray[np.intp]:
    """Where each run of equal rows of `keys` (arrays of the same length) starts."""
    changed = np.zeros(len(keys[0]), bool)
    changed[:1] = True
    for column in keys:
        changed[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(changed)


def append_postings(
    postings: defaultdict[int, array], batch: FieldBatch, word_keys: dict[str, int], new_keys: Iterator[int]
) -> None:
    """Append the postings of a batch to the arrays of its tokens (by key)."""
    if not batch.texts:
        return
    tokens, starts, packed = batch_postings(batch, word_keys, new_keys)
    if packed.itemsize != array("I").itemsize:
        raise RuntimeError("array('I') is not 32-bit on this platform")
    data = packed.data.cast("B")
    ends = [*starts[1:], len(packed)]
    slices = map(slice, map(mul, starts, repeat(4)), map(mul, ends, repeat(4)))
    # One C call chain per token of the batch, not per posting.
    deque(map(array.frombytes, map(postings.__getitem__, tokens), map(data.__getitem__, slices)), maxlen=0)


def token_of(key: int, words: dict[int, str]) -> str:
    """The token a key stands for (`words`: word keys to words)."""
    if key >= WORD_KEYS:
        return words[key]
    if key >= PAIR_KEYS:
        return chr(key >> CODE_POINT_BITS & (1 << CODE_POINT_BITS) - 1) + chr(key & (1 << CODE_POINT_BITS) - 1)
    return chr(key)


def build_search_index(documents: list[SearchDocument]) -> SearchIndex:
    """Postings for every token of every document, counted with numpy a batch of documents at a time."""
    if len(documents) >= 1 << 24:
        raise ValueError(f"{len(documents)} search documents; at most {1 << 24} fit the posting format")
    postings: defaultdict[int, array] = defaultdict(lambda: array("I"))
    exact_postings: defaultdict[str, array] = defaultdict(lambda: array("I"))
    word_keys: dict[str, int] = {}
    # Drawn once per occurrence (by setdefault), so numbers are skipped but never given to two words.
    new_keys = count(WORD_KEYS)
    averages = field_lengths(documents)
    batch = FieldBatch()
    for doc_id, document in enumerate(documents):
        fields, exact = weighted_fields(document, averages)
        batch.add(doc_id, fields)
        for token, weight in exact.items():
            exact_postings[token].append(doc_id << 8 | min(weight, MAX_WEIGHT))
        if batch.characters >= BATCH_CHARACTERS:
            append_postings(postings, batch, word_keys, new_keys)
            batch = FieldBatch()
    append_postings(postings, batch, word_keys, new_keys)
    words = {key: word for word, key in word_keys.items()}
    named = {token_of(key, words): packed for key, packed in postings.items()}
    return SearchIndex(documents, named | exact_postings)


def index_words(index: SearchIndex) -> list[str]:
    """The Latin words (and numbers) the index holds."""
    return [token for token in index.postings if _WORDS.fullmatch(token)]
