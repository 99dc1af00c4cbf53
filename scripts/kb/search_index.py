"""The search index: weighted postings of every token, cut into shards the browser fetches lazily.

Layout under `search/kb/` in the site:

- `manifest.json`: number of documents and shards, the size of document chunks, the groups of
  documents shown together (a source and its paragraphs), and a version string for cache busting;
- `s/<n>.bin`: shard n, the postings of every token whose `shard_of` is n (binary, see `shard_bytes`);
- `d/<n>.json`: documents n*CHUNK .. n*CHUNK+CHUNK-1 as `[url, title, excerpt, kind]`.

A query fetches the manifest once, then only the shards of its tokens and the chunks of the
documents it shows, so what a reader downloads does not grow with the size of the knowledge base.

A posting's weight is a BM25F-style score of the token in the document, computed here so the
browser only adds weights times the token's rarity: per field, `W_f * tf / (tf + K1 * (1 - B + B *
len_f / avg_f))`, summed over fields, times the weight of the document's kind, in fifths. Titles
and names are also indexed whole (`search_text.exact_token`) so an exact match can rank first.
"""

from __future__ import annotations

import hashlib
import json
import struct
from array import array
from collections import Counter
from dataclasses import dataclass, field

from .search_documents import SearchDocument
from .search_text import exact_token, shard_of, token_counts

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
CHUNK = 8
"""Documents per chunk file: small, as a query fetches one chunk per result shown."""
SHARD_TARGET_BYTES = 16_000
"""Aimed-for average shard size; the shard count is the power of two that comes closest."""
FORMAT = 1


@dataclass
class SearchIndex:
    """Documents in id order and, per token, the ids of the documents holding it and the weights."""

    documents: list[SearchDocument]
    doc_ids: dict[str, array] = field(default_factory=dict)
    weights: dict[str, array] = field(default_factory=dict)

    @property
    def posting_count(self) -> int:
        """Total number of (token, document) pairs."""
        return sum(len(ids) for ids in self.doc_ids.values())


def field_lengths(documents: list[SearchDocument]) -> dict[str, float]:
    """Average length in characters of each field over the documents that have it."""
    totals: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for document in documents:
        for name, texts in document.fields.items():
            totals[name] += sum(len(text) for text in texts)
            counts[name] += 1
    return {name: max(1.0, totals[name] / counts[name]) for name in totals}


def document_weights(document: SearchDocument, averages: dict[str, float]) -> dict[str, float]:
    """Each token of the document with its weight (before scaling)."""
    weights: dict[str, float] = {}
    kind = KIND_WEIGHTS[document.kind]
    for name, texts in document.fields.items():
        text = "\n".join(texts)
        if not text.strip():
            continue
        norm = K1 * (1 - B + B * len(text) / averages[name])
        field_weight = FIELD_WEIGHTS[name] * kind
        for token, tf in token_counts(text).items():
            weights[token] = weights.get(token, 0.0) + field_weight * tf / (tf + norm)
        if name in EXACT_FIELDS:
            for whole in texts:
                exact = exact_token(whole)
                if len(exact) > 1:
                    weights[exact] = field_weight
    return weights


def build_search_index(documents: list[SearchDocument]) -> SearchIndex:
    """Postings for every token of every document."""
    index = SearchIndex(documents)
    averages = field_lengths(documents)
    for doc_id, document in enumerate(documents):
        for token, weight in document_weights(document, averages).items():
            ids = index.doc_ids.get(token)
            if ids is None:
                ids = index.doc_ids[token] = array("I")
                index.weights[token] = array("B")
            ids.append(doc_id)
            index.weights[token].append(min(255, max(1, round(weight * WEIGHT_SCALE))))
    return index


def shard_count(index: SearchIndex) -> int:
    """A power of two giving shards of about SHARD_TARGET_BYTES (5 bytes a posting)."""
    estimate = (index.posting_count * 5 + sum(len(t.encode()) + 5 for t in index.doc_ids)) / SHARD_TARGET_BYTES
    count = 1
    while count < estimate:
        count *= 2
    return count


def shard_bytes(tokens: list[str], index: SearchIndex) -> bytes:
    """One shard, little-endian: uint32 token count, uint32 byte length of the tokens, the tokens in
    UTF-8 joined by newlines, zero padding to a multiple of 4, uint32 posting count per token,
    uint32 document ids of all postings, uint8 weights of all postings (all in token order)."""
    names = "\n".join(tokens).encode("utf-8")
    padding = b"\0" * (-len(names) % 4)
    counts = array("I", (len(index.doc_ids[token]) for token in tokens))
    ids = array("I")
    weights = array("B")
    for token in tokens:
        ids.extend(index.doc_ids[token])
        weights.extend(index.weights[token])
    for numbers in (counts, ids):
        if numbers.itemsize != 4:
            raise RuntimeError("array('I') is not 32-bit on this platform")
    header = struct.pack("<II", len(tokens), len(names))
    return header + names + padding + _little_endian(counts) + _little_endian(ids) + weights.tobytes()


def _little_endian(numbers: array) -> bytes:
    if struct.pack("=I", 1) != struct.pack("<I", 1):
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
    files: dict[str, bytes] = {}
    shards = shard_count(index)
    by_shard: dict[int, list[str]] = {}
    for token in sorted(index.doc_ids):
        by_shard.setdefault(shard_of(token, shards), []).append(token)
    for number in range(shards):
        files[f"s/{number}.bin"] = shard_bytes(by_shard.get(number, []), index)
    documents = index.documents
    for start in range(0, len(documents), CHUNK):
        files[f"d/{start // CHUNK}.json"] = chunk_json(documents[start : start + CHUNK]).encode("utf-8")
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode())
        digest.update(files[path])
    manifest = {
        "format": FORMAT,
        "version": digest.hexdigest()[:16],
        "documents": len(documents),
        "shards": shards,
        "chunk": CHUNK,
        "groups": groups(documents),
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return files
