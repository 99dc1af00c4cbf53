"""The search index as files, cut into shards the browser fetches lazily.

Layout under `search/kb/` in the site:

- `manifest.json`: number of documents and shards, the size of document chunks, the groups of
  documents shown together (glossary entries, a source and its paragraphs), and a version string
  for cache busting;
- `s/<n>.bin`: shard n, the postings of every token whose `shard_of` is n (binary, see `shard_bytes`);
- `d/<n>.json`: documents n*CHUNK .. n*CHUNK+CHUNK-1 as `[url, title, excerpt, kind]`;
- `lexicon.json` and `vocabulary.json`: other names of words and the index's own words
  (`search_lexicon`).

A query fetches the manifest once, then only the shards of its tokens and the chunks of the
documents it shows: what a reader downloads grows with the postings of the query's tokens, not
with the whole index.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping
from functools import partial

from .index import SearchIndex
from .search_documents import SearchDocument
from .search_text import shard_of

CHUNK = 4
"""Documents per chunk file: small, as a query fetches one chunk per result shown."""
SHARD_TARGET_BYTES = 16_000
"""Aimed-for average shard size; the shard count is the power of two that comes closest."""
FORMAT = 1


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
    return json.dumps(list(map(list, chunk_rows(documents))), ensure_ascii=False, separators=(",", ":"))


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


def index_files(index: SearchIndex, extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of the index, by path relative to the index folder."""
    return dict(each_index_file(index, extra))


def each_index_file(
    index: SearchIndex, extra: dict[str, bytes] | None = None, kept: Mapping[str, bytes] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every file of the index as (path relative to the index folder, bytes), made one at a time so
    that writing them never holds the whole index twice: the shards, document chunks and `extra`
    files (`search_lexicon`) in the order of their paths, then the manifest, whose version is a
    digest of them all. A shard or chunk in `kept` (known to be unchanged, `unchanged_files`) is not
    made again."""
    shards = shard_count(index)
    by_shard: dict[int, list[str]] = {}
    for token in sorted(index.postings):
        by_shard.setdefault(shard_of(token, shards), []).append(token)
    documents = index.documents
    kept = kept or {}
    makers: dict[str, Callable[[], bytes]] = {}
    for number in range(shards):
        path = f"s/{number}.bin"
        makers[path] = partial(_given, kept[path]) if path in kept else partial(shard_bytes, by_shard.get(number, []), index)
    for start in range(0, len(documents), CHUNK):
        path = f"d/{start // CHUNK}.json"
        makers[path] = partial(_given, kept[path]) if path in kept else partial(_chunk_bytes, documents[start : start + CHUNK])
    for path, data in (extra or {}).items():
        makers[path] = partial(_given, data)
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


def _given(data: bytes) -> bytes:
    return data


def chunk_rows(documents: list[SearchDocument]) -> list[tuple[str, str, str, str]]:
    """What each document's chunk holds of it: url, title, excerpt, kind."""
    return [(d.url, d.title, d.excerpt, d.kind) for d in documents]


def unchanged_files(
    index: SearchIndex, before: SearchIndex, rows_before: list[tuple[str, str, str, str]], files: Mapping[str, bytes]
) -> dict[str, bytes]:
    """The shards and chunks of `files` (the files of `before`, whose documents' chunk rows were
    `rows_before`) that `index` would make the same: a shard none of whose tokens' postings changed
    (with as many shards), a chunk of the same documents' rows."""
    kept: dict[str, bytes] = {}
    shards = shard_count(index)
    if shards == sum(path.startswith("s/") for path in files):  # as many shards as `before` had
        changed = {token for token, packed in index.postings.items() if before.postings.get(token) != packed}
        changed.update(token for token in before.postings if token not in index.postings)
        dirty = {shard_of(token, shards) for token in changed}
        kept |= {path: files[path] for number in range(shards) if number not in dirty and (path := f"s/{number}.bin") in files}
    rows = chunk_rows(index.documents)
    for start in range(0, len(rows), CHUNK):
        path = f"d/{start // CHUNK}.json"
        if path in files and rows[start : start + CHUNK] == rows_before[start : start + CHUNK]:
            kept[path] = files[path]
    return kept
