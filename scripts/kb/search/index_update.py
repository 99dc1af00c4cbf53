"""The search index made again after an edit, counting the tokens of the changed documents only.

`index.build_search_index` normalizes every field of every document and counts its tokens, which is
most of its cost. That count depends on nothing but the document's own kind and fields, so a
`CountedDocuments` keeps it per document (`DocumentCounts`), keyed by that content, from one build
to the next: the caller holds it (the served site between edits), so its life is plain, and each
build keeps only the documents it indexed, so it never outgrows the knowledge base. What depends on
all documents, the average field lengths and so every weight, then the postings grouped by token, is
done again each time, on arrays. The index equals `build_search_index`'s, posting for posting
(tests/test_search_index_update.py).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count, islice
from typing import Any

import numpy as np
import numpy.typing as npt

from .index import (
    BATCH_CHARACTERS,
    FIELD_BITS,
    K1,
    MAX_WEIGHT,
    WORD_KEYS,
    B,
    FieldBatch,
    SearchIndex,
    WeightedField,
    document_fields,
    token_occurrences,
    token_of,
)
from .search_documents import SearchDocument

KEY_BITS = 64 - FIELD_BITS
"""Bits of a token key (`index.WORD_KEYS`: every key is below 1 << 44)."""
TEXT_MASK = (1 << FIELD_BITS) - 1
ContentKey = tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]
"""A document's kind and fields: all its index depends on besides the other documents."""


@dataclass(frozen=True)
class DocumentCounts:
    """What indexing one document costs, kept: its fields' lengths and its tokens counted per field."""

    lengths: tuple[tuple[str, int], ...]
    """Every field's name and the total length of its texts (blank ones too): what the averages add up."""
    fields: tuple[tuple[str, int, float], ...]
    """The non-blank fields, longest first: name, length of the texts joined by newlines, field weight."""
    exact: dict[str, int]
    """Exact tokens (`search_text.exact_token`) and their weights."""
    tokens: npt.NDArray[np.unsignedinteger[Any]]
    """Token numbers (`CountedDocuments.token_names`), field by field (`postings` groups them by token)."""
    field_numbers: npt.NDArray[np.uint8]
    """For each token, the position in `fields` of the field it was counted in."""
    counts: npt.NDArray[np.unsignedinteger[Any]]
    """For each token, how many times it is in that field."""


def content_key(document: SearchDocument) -> ContentKey:
    """The key a document's counts are kept under."""
    return document.kind, tuple((name, tuple(texts)) for name, texts in document.fields.items())


@dataclass
class CountedDocuments:
    """Token counts of the documents of the last build, and the numbering of every token met so far."""

    by_content: dict[ContentKey, DocumentCounts] = field(default_factory=dict)
    known_keys: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, np.uint64))
    """The key (`index.token_occurrences`) of every token numbered, in increasing order."""
    known_numbers: npt.NDArray[np.uint32] = field(default_factory=lambda: np.zeros(0, np.uint32))
    """The number of each of `known_keys`."""
    token_names: list[str] = field(default_factory=list)
    """Token number to token."""
    word_keys: dict[str, int] = field(default_factory=dict)
    """Word to its key (`index.token_occurrences`)."""
    word_names: dict[int, str] = field(default_factory=dict)
    """Word key to word."""
    new_keys: Iterator[int] = field(default_factory=lambda: count(WORD_KEYS))
    counted: int = 0
    """Documents counted (not found kept) by the last build, for benchmarks and tests."""

    def build(self, documents: list[SearchDocument]) -> SearchIndex:
        """The index of `documents`, equal to `build_search_index(documents)`; counts only the documents
        not kept from the last build, then keeps those of `documents` only."""
        if len(documents) >= 1 << 24:
            raise ValueError(f"{len(documents)} search documents; at most {1 << 24} fit the posting format")
        keys = [content_key(document) for document in documents]
        # Each key looked up once: hashing and comparing every text of every document is not free.
        found = list(map(self.by_content.get, keys))
        missing = {key: document for key, document, kept in zip(keys, documents, found) if kept is None}
        self.counted = len(missing)
        counted = self.count(list(missing.values()))
        counts = [kept or counted[key] for key, kept in zip(keys, found)]
        self.by_content = dict(zip(keys, counts))
        return SearchIndex(documents, self.postings(counts))

    def count(self, documents: list[SearchDocument]) -> dict[ContentKey, DocumentCounts]:
        """Count the tokens of `documents`, a batch of fields at a time as `build_search_index` does."""
        found: dict[ContentKey, DocumentCounts] = {}
        batch: list[SearchDocument] = []
        characters = 0
        for document in documents:
            batch.append(document)
            characters += sum(len(text) + 1 for texts in document.fields.values() for text in texts)
            if characters >= BATCH_CHARACTERS:
                found |= self.count_batch(batch)
                batch, characters = [], 0
        return found | self.count_batch(batch)

    def count_batch(self, documents: list[SearchDocument]) -> dict[ContentKey, DocumentCounts]:
        """Counts of a batch of documents."""
        if not documents:
            return {}
        fields = [document_fields(document) for document in documents]
        batch = FieldBatch()
        for number, (weighted, _) in enumerate(fields):
            batch.add(number, [WeightedField(text, 0.0, 0.0) for text, _ in weighted])
        known_words = len(self.word_keys)
        occurrences = token_occurrences(batch.texts, self.word_keys, self.new_keys)
        self.word_names.update((key, word) for word, key in islice(self.word_keys.items(), known_words, None))
        # Text first, then token key: a document's texts are next to each other in the batch, so sorted
        # this way each document's counts are one run, and within it each field's.
        occurrences = (occurrences & np.uint64(TEXT_MASK)) << np.uint64(KEY_BITS) | occurrences >> np.uint64(FIELD_BITS)
        occurrences.sort()
        changed = np.ones(len(occurrences), bool)
        changed[1:] = occurrences[1:] != occurrences[:-1]
        firsts = np.flatnonzero(changed)
        counts = narrowest(np.diff(firsts, append=len(occurrences)))
        keyed = occurrences[firsts]
        texts = (keyed >> np.uint64(KEY_BITS)).astype(np.intp)
        tokens = narrowest(self.numbers_of(keyed & np.uint64((1 << KEY_BITS) - 1)))
        first_text = np.cumsum([0, *(len(weighted) for weighted, _ in fields)], dtype=np.intp)
        local = (texts - first_text[np.array(batch.doc_ids, np.intp)[texts]]).astype(np.uint8)
        ends = np.searchsorted(texts, first_text[1:]).tolist()
        result: dict[ContentKey, DocumentCounts] = {}
        start = 0
        for document, (weighted, exact), end in zip(documents, fields, ends):
            result[content_key(document)] = DocumentCounts(
                lengths=tuple((name, sum(map(len, texts))) for name, texts in document.fields.items()),
                fields=tuple(described for _, described in weighted),
                exact=exact,
                tokens=tokens[start:end],
                field_numbers=local[start:end],
                counts=counts[start:end],
            )
            start = end
        return result

    def numbers_of(self, keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
        """The token numbers of token keys, numbering the new ones. Numbers are never taken back: a token
        no document holds any more keeps its number (and 4 bytes in `postings`' counts) for the
        session, which grows with the words typed, not with the edits."""
        unique, inverse = np.unique(keys, return_inverse=True)
        known = np.searchsorted(self.known_keys, unique)
        found = known < len(self.known_keys)
        found[found] = self.known_keys[known[found]] == unique[found]
        new = unique[~found]
        if len(new):
            first = len(self.token_names)
            self.token_names += [token_of(key, self.word_names) for key in new.tolist()]
            all_keys = np.concatenate((self.known_keys, new))
            all_numbers = np.concatenate((self.known_numbers, np.arange(first, len(self.token_names), dtype=np.uint32)))
            by_key = np.argsort(all_keys)
            self.known_keys, self.known_numbers = all_keys[by_key], all_numbers[by_key]
        return self.known_numbers[np.searchsorted(self.known_keys, unique)][inverse.reshape(-1)]

    def postings(self, documents: list[DocumentCounts]) -> dict[str, array]:
        """Every token's postings, `document id << 8 | weight` by document id, from the kept counts."""
        averages = field_averages(documents)
        names = [name for counts in documents for name, _, _ in counts.fields]
        lengths = np.array([length for counts in documents for _, length, _ in counts.fields], np.float64)
        field_weights = np.array([weight for counts in documents for _, _, weight in counts.fields], np.float64)
        # As `index.weighted_fields` and `index.batch_postings` compute them, operation for operation, so
        # the floats are the same.
        norms = K1 * ((1 - B) + B * lengths / np.array([averages[name] for name in names], np.float64))
        sizes = np.array([len(counts.tokens) for counts in documents], np.intp)
        first_field = np.cumsum([0, *(len(counts.fields) for counts in documents)], dtype=np.intp)[:-1]
        rows = np.repeat(first_field, sizes) + _concatenate([counts.field_numbers for counts in documents], np.uint8)
        tf = _concatenate([counts.counts for counts in documents], np.uint32).astype(np.float64)
        weights = np.maximum(1, (field_weights[rows] * tf / (tf + norms[rows]) + 0.5).astype(np.int32))
        del rows, tf
        # As wide as the widest document's (numpy's concatenation widens the narrower ones).
        tokens = _concatenate([counts.tokens for counts in documents], np.uint32)
        # Grouped by token, each token's in document order, each document's by field.
        order = stable_order(tokens)
        tokens = tokens[order]
        doc_ids = np.repeat(np.arange(len(documents), dtype=np.uint32), sizes)[order]
        weights = weights[order]
        del order
        changed = np.ones(len(tokens), bool)
        changed[1:] = (tokens[1:] != tokens[:-1]) | (doc_ids[1:] != doc_ids[:-1])
        firsts = np.flatnonzero(changed)
        summed = np.minimum(np.add.reduceat(weights, firsts), MAX_WEIGHT).astype(np.uint32) if len(firsts) else \
            np.zeros(0, np.uint32)
        packed = doc_ids[firsts] << np.uint32(8) | summed
        per_token = np.bincount(tokens[firsts], minlength=len(self.token_names))
        return split_by_token(packed, per_token, self.token_names) | exact_postings(documents)


def field_averages(documents: list[DocumentCounts]) -> dict[str, float]:
    """Average length of each field over the documents that have it (`index.field_lengths`)."""
    totals: defaultdict[str, int] = defaultdict(int)
    numbers: defaultdict[str, int] = defaultdict(int)
    for counts in documents:
        for name, length in counts.lengths:
            totals[name] += length
            numbers[name] += 1
    return {name: max(1.0, totals[name] / numbers[name]) for name in totals}


def exact_postings(documents: list[DocumentCounts]) -> dict[str, array]:
    """The postings of the exact tokens, by document id."""
    postings: defaultdict[str, array] = defaultdict(lambda: array("I"))
    for doc_id, counts in enumerate(documents):
        for token, weight in counts.exact.items():
            postings[token].append(doc_id << 8 | min(weight, MAX_WEIGHT))
    return postings


def narrowest(values: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.unsignedinteger[Any]]:
    """`values` (none negative) as the narrowest unsigned integers that hold them all, 8 to 32 bits: what
    is kept of each document takes half the memory or less (token numbers under 65,536, counts under 256)."""
    largest = int(values.max()) if len(values) else 0
    for dtype in (np.uint8, np.uint16, np.uint32):
        if largest <= np.iinfo(dtype).max:
            return values.astype(dtype)
    raise ValueError(f"{largest} does not fit 32 bits")


def stable_order(tokens: npt.NDArray[np.unsignedinteger[Any]]) -> npt.NDArray[np.intp]:
    """The order that sorts `tokens` keeping equal ones in place: radix sorts of 16 bits (numpy's stable
    sort of 16-bit integers), low half first, so the cost grows with the number of tokens only."""
    if tokens.dtype.itemsize <= 2:  # numbers below 65,536, as at 10,000 claims: one pass
        return np.argsort(tokens, kind="stable")
    tokens = tokens.astype(np.uint32, copy=False)
    order = np.argsort((tokens & 0xFFFF).astype(np.uint16), kind="stable")
    high = (tokens >> 16).astype(np.uint16)
    if high.any():
        order = order[np.argsort(high[order], kind="stable")]
    return order


def split_by_token(packed: npt.NDArray[np.uint32], sizes: npt.NDArray[np.intp], names: list[str]) -> dict[str, array]:
    """`packed` (postings grouped by token number) cut into one array per token present."""
    if packed.itemsize != array("I").itemsize:
        raise RuntimeError("array('I') is not 32-bit on this platform")
    data = packed.data.cast("B")
    ends = np.cumsum(sizes) * 4
    postings: dict[str, array] = {}
    for number in np.flatnonzero(sizes).tolist():
        end = int(ends[number])
        postings[names[number]] = token_postings = array("I")
        token_postings.frombytes(data[end - int(sizes[number]) * 4 : end])
    return postings


def _concatenate(parts: list[npt.NDArray[Any]], dtype: type) -> npt.NDArray[Any]:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)
