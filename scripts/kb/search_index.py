"""The search index: weighted postings of every token, cut into shards the browser fetches lazily.

Layout under `search/kb/` in the site:

- `manifest.json`: number of documents and shards, the size of document chunks, the groups of
  documents shown together (glossary entries, a source and its paragraphs), and a version string
  for cache busting;
- `s/<n>.bin`: shard n, the postings of every token whose `shard_of` is n (binary, see `shard_bytes`);
- `d/<n>.json`: documents n*CHUNK .. n*CHUNK+CHUNK-1 as `[url, title, excerpt, kind]`.

A query fetches the manifest once, then only the shards of its tokens and the chunks of the
documents it shows: what a reader downloads grows with the postings of the query's tokens, not
with the whole index.

A posting's weight is a BM25F-style score of the token in the document, computed here so the
browser only adds weights times the token's rarity: per field, `W_f * tf / (tf + K1 * (1 - B + B *
len_f / avg_f))`, summed over fields, times the weight of the document's kind, in fifths. Titles
and names are also indexed whole (`search_text.exact_token`) so an exact match can rank first.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import add, or_

from .search_documents import SearchDocument
from .search_text import bigram_of, exact_token, pair_counts, shard_of

FIELD_WEIGHTS = {"title": 10.0, "names": 8.0, "terms": 3.0, "summary": 2.0, "body": 1.0}
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
CHUNK = 4
"""Documents per chunk file: small, as a query fetches one chunk per result shown."""
SHARD_TARGET_BYTES = 16_000
"""Aimed-for average shard size; the shard count is the power of two that comes closest."""
FORMAT = 1


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


WeightedField = tuple[Counter[int], Counter[str], dict[int, int]]
"""A field's bigram counts (by `pair_key`), its other token counts, and the weight of each count."""
MAX_WEIGHT = 255
"""Weights are capped to fit the byte of a posting."""


def weighted_fields(
    document: SearchDocument, averages: dict[str, float]
) -> tuple[list[WeightedField], dict[str, int]]:
    """The document's non-blank fields, longest first, each with its token counts and the weight of a
    token counted tf times (`saturation[tf]`); and its exact tokens with their weights (an exact
    token is set, not added: the last field holding the whole text decides)."""
    weighted: list[WeightedField] = []
    exact: dict[str, int] = {}
    kind = KIND_WEIGHTS[document.kind]
    for name, texts in sorted(document.fields.items(), key=lambda item: -sum(map(len, item[1]))):
        text = "\n".join(texts)
        if not text.strip():
            continue
        norm = K1 * (1 - B + B * len(text) / averages[name])
        field_weight = FIELD_WEIGHTS[name] * kind * WEIGHT_SCALE
        pairs, others = pair_counts(text)
        counted = {*pairs.values(), *others.values()}
        saturation = {tf: max(1, int(field_weight * tf / (tf + norm) + 0.5)) for tf in counted}
        weighted.append((pairs, others, saturation))
        if name in EXACT_FIELDS:
            for whole in texts:
                token = exact_token(whole)
                if len(token) > 1:
                    exact[token] = max(1, int(field_weight + 0.5))
    return weighted, exact


def _add_weights(
    weights: dict[int | str, int], counts: Mapping[int, int] | Mapping[str, int], saturation: dict[int, int]
) -> None:
    """Add to `weights` the weight `saturation[tf]` of every token counted tf times (in C: chained maps)."""
    added = map(saturation.__getitem__, counts.values())
    if weights:
        added = map(add, map(weights.get, counts, repeat(0)), added)
    weights.update(zip(counts, added))


def append_postings(
    postings: defaultdict[int | str, array], doc_id: int, document: SearchDocument, averages: dict[str, float]
) -> None:
    """Append the document's postings, `doc_id << 8 | weight`, to the arrays of its tokens (a bigram
    as its `pair_key`).

    A token's weight is the sum over fields of its weight in each, capped at MAX_WEIGHT (an exact
    token's is set by its field). No dictionary of the document's weights is made: the longest field
    (most of the tokens) is read straight from its counts, plus what the other fields, merged first,
    give its tokens; then come the other fields' remaining tokens and the exact tokens. Each step is
    a chain of `map`s, so no Python code runs per token: this is where the index builder spends its
    time."""
    fields, exact = weighted_fields(document, averages)
    base = doc_id << 8
    highest = sum(max(saturation.values(), default=0) for _, _, saturation in fields)
    capped = max(highest, *exact.values(), 0) > MAX_WEIGHT
    rest: dict[int | str, int] = {}
    for pairs, others, saturation in fields[1:]:
        _add_weights(rest, pairs, saturation)
        _add_weights(rest, others, saturation)
    if fields:
        pairs, others, saturation = fields[0]
        posting_of = {tf: base | weight for tf, weight in saturation.items()}
        for counts in (pairs, others):
            packed = map(posting_of.__getitem__, counts.values())
            if rest:
                # Without the cap a weight fits its byte, so `base + weight` is `base | weight`.
                packed = map(add, packed, map(rest.pop, counts, repeat(0)))
            _append_each(postings, counts, packed, base if capped else None)
    _append_each(postings, rest, map(or_, repeat(base), rest.values()), base if capped else None)
    _append_each(postings, exact, map(or_, repeat(base), exact.values()), base if capped else None)


def _append_each(
    postings: defaultdict[int | str, array], tokens: Iterable[int | str], packed: Iterable[int], capped_base: int | None
) -> None:
    """Append each posting to its token's array; with `capped_base`, cap the weight of each at MAX_WEIGHT."""
    if capped_base is not None:
        packed = map(min, packed, repeat(capped_base | MAX_WEIGHT))
    # map calls array.append once per posting, in C; the deque of length 0 only drains it.
    deque(map(array.append, map(postings.__getitem__, tokens), packed), maxlen=0)


def build_search_index(documents: list[SearchDocument]) -> SearchIndex:
    """Postings for every token of every document."""
    if len(documents) >= 1 << 24:
        raise ValueError(f"{len(documents)} search documents; at most {1 << 24} fit the posting format")
    postings: defaultdict[int | str, array] = defaultdict(lambda: array("I"))
    averages = field_lengths(documents)
    for doc_id, document in enumerate(documents):
        append_postings(postings, doc_id, document, averages)
    named = {bigram_of(token) if isinstance(token, int) else token: packed for token, packed in postings.items()}
    return SearchIndex(documents, named)


def shard_count(index: SearchIndex) -> int:
    """A power of two giving shards of about SHARD_TARGET_BYTES (4 bytes a posting)."""
    estimate = (index.posting_count * 4 + sum(len(t.encode()) + 5 for t in index.postings)) / SHARD_TARGET_BYTES
    count = 1
    while count < estimate:
        count *= 2
    return count


def shard_bytes(tokens: list[str], index: SearchIndex) -> bytes:
    """One shard, little-endian: uint32 token count, uint32 byte length of the tokens, the tokens in
    UTF-8 joined by newlines, zero padding to a multiple of 4, uint32 posting count per token, then
    the postings of every token in token order, each a uint32 `document id << 8 | weight`."""
    names = "\n".join(tokens).encode("utf-8")
    padding = b"\0" * (-len(names) % 4)
    counts = array("I", (len(index.postings[token]) for token in tokens))
    packed = array("I")
    for token in tokens:
        packed.extend(index.postings[token])
    if packed.itemsize != 4:
        raise RuntimeError("array('I') is not 32-bit on this platform")
    header = struct.pack("<II", len(tokens), len(names))
    return header + names + padding + _little_endian(counts) + _little_endian(packed)


def _little_endian(numbers: array) -> bytes:
    if sys.byteorder != "little":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def chunk_json(documents: list[SearchDocument]) -> str:
    """One chunk of documents: `[url, title, excerpt, kind]` each."""
    rows = [[d.url, d.title, d.excerpt, d.kind] for d in documents]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def groups(documents: list[SearchDocument]) -> list[list[object]]:
    """Runs of consecutive documents shown as one result: `[first id, last id, page url, page title]`."""
    found: list[list[object]] = []
    for doc_id, document in enumerate(documents):
        if not document.group:
            continue
        if found and found[-1][2] == document.group and found[-1][1] == doc_id - 1:
            found[-1][1] = doc_id
        else:
            found.append([doc_id, doc_id, document.group, document.group_title])
    return found


def index_files(index: SearchIndex) -> dict[str, bytes]:
    """Every file of the index, by path relative to the index folder."""
    return dict(each_index_file(index))


def each_index_file(index: SearchIndex) -> Iterator[tuple[str, bytes]]:
    """Every file of the index as (path relative to the index folder, bytes), made one at a time so
    that writing them never holds the whole index twice: the shards and document chunks in the
    order of their paths, then the manifest, whose version is a digest of them all."""
    shards = shard_count(index)
    by_shard: dict[int, list[str]] = {}
    for token in sorted(index.postings):
        by_shard.setdefault(shard_of(token, shards), []).append(token)
    documents = index.documents
    makers: dict[str, Callable[[], bytes]] = {}
    for number in range(shards):
        makers[f"s/{number}.bin"] = partial(shard_bytes, by_shard.get(number, []), index)
    for start in range(0, len(documents), CHUNK):
        makers[f"d/{start // CHUNK}.json"] = partial(_chunk_bytes, documents[start : start + CHUNK])
    digest = hashlib.sha256()
    for path in sorted(makers):
        data = makers[path]()
        digest.update(path.encode())
        digest.update(data)
        yield path, data
    manifest = {
        "format": FORMAT,
        "version": digest.hexdigest()[:16],
        "documents": len(documents),
        "shards": shards,
        "chunk": CHUNK,
        "groups": groups(documents),
    }
    yield "manifest.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8")


def _chunk_bytes(documents: list[SearchDocument]) -> bytes:
    return chunk_json(documents).encode("utf-8")
