"""Put the search index into a built site and keep Material's own index empty.

Material's search plugin stays in mkdocs.yml for its search box, keyboard shortcuts and result
list; `overrides/partials/kb-search.html` points that user interface at our web worker
(`docs/assets/kb-search/worker.js`), which reads the index written here. The build setting
`search: false` (`plugins: - kb:` in mkdocs.yml, or KB_SEARCH=false) gives back Material's stock
lunr search (used by `kb_bench.bench_search`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..checks.check import CheckedKnowledgeBase
from ..exports.exports import write_files
from ..site import urls
from ..site.edition import EDITIONS, JAPANESE_EDITION, Edition
from .search_documents import SearchDocument, page_documents, search_documents
from .search_lexicon import lexicon, vocabulary

if TYPE_CHECKING:
    from .index import SearchIndex
    from .index_update import CountedDocuments



def index_folder(edition: Edition) -> str:
    """The folder of an edition's index in the site (docs/assets/kb-search/worker.js reads it when
    started with ?index=<its name>: `search/kb`, `search/kb-en`)."""
    return f"search/{edition.search_index}"


INDEX_FOLDER = index_folder(JAPANESE_EDITION)
"""The Japanese edition's index folder."""
PROSE_PAGES = (urls.HOME_PAGE, urls.CONTRIBUTING_PAGE)
"""Pages not made from records whose text is searched, section by section."""


def prose_documents(site: Path, prefix: str = "") -> list[SearchDocument]:
    """Sections of the prose pages of an edition (`prefix`: its folder), read from the built HTML."""
    documents = []
    for page in PROSE_PAGES:
        url = prefix + urls.page_url(page)
        built = site / url / "index.html"
        if built.is_file():
            documents += page_documents(built.read_text(encoding="utf-8"), url or "./")
    return documents


@dataclass
class WrittenIndex:
    """An edition's index as written: its documents' token counts, its postings, its documents' rows
    in the chunks and every file, by path."""

    counted: CountedDocuments
    postings: SearchIndex
    """The index's postings (without its documents)."""
    rows: list[tuple[str, str, str, str]]
    files: dict[str, bytes]


@dataclass
class SearchIndexState:
    """What `write_search_index` wrote, for the next call to update: each edition's `WrittenIndex`."""

    index: SearchIndex
    """The Japanese edition's index."""
    editions: dict[str, WrittenIndex]
    """Index folder (relative to the site) to what was written there."""


def write_search_index(
    checked: CheckedKnowledgeBase, site: Path, previous: SearchIndexState | None = None, keep: bool = False
) -> SearchIndexState | None:
    """Build the indexes of the knowledge base and the prose pages, one per edition, and write them
    under `site`. With `keep` or `previous`, returns what the next call needs to update them (each
    document's token counts, kept: `index_update`); else, for a build no edit follows, builds them
    with `build_search_index`, which holds nothing and is a little faster, and returns None.

    With `previous` (what the last call returned for the same `site`, whose index folders nothing else
    has written since), only the documents that changed are counted again, only the shards and chunks
    they change are made again, and only the files whose bytes changed are written (those no longer
    in the index removed); the files are the same as a call without it writes."""
    # Imported here, not with this module: the builder brings numpy (0.06 s of CPU, 17 MiB), which only
    # an index build needs, and its import then counts in the time of the stage that needs it.
    from .index import SearchIndex, build_search_index, index_words
    from .index_update import CountedDocuments
    from .shards import chunk_rows, each_index_file, unchanged_files

    shared = lexicon_bytes(checked)
    editions = {}
    for edition in EDITIONS:
        folder = index_folder(edition)
        documents = search_documents(checked, edition) + prose_documents(site, edition.prefix)
        if not (keep or previous):  # as before there was anything to keep: every file made and written once
            index = build_search_index(documents)
            extra = {"lexicon.json": shared, "vocabulary.json": vocabulary_bytes(checked, index_words(index))}
            shutil.rmtree(site / folder, ignore_errors=True)
            write_files(site / folder, each_index_file(index, extra))
            continue
        last = previous.editions.get(folder) if previous else None
        counted = last.counted if last else CountedDocuments()
        index = counted.build(documents)
        extra = {"lexicon.json": shared, "vocabulary.json": vocabulary_bytes(checked, index_words(index))}
        kept = unchanged_files(index, last.postings, last.rows, last.files) if last else {}
        files = write_changed_files(site / folder, each_index_file(index, extra, kept), last.files if last else None)
        editions[folder] = WrittenIndex(counted, SearchIndex([], index.postings), chunk_rows(documents), files)
        if folder == INDEX_FOLDER:
            japanese = index
    return SearchIndexState(japanese, editions) if editions else None


def write_changed_files(
    folder: Path, files: Iterable[tuple[str, bytes]], written: dict[str, bytes] | None
) -> dict[str, bytes]:
    """Write those of `files` that are not as in `written` (path to the bytes the folder holds; None:
    the folder is made anew), remove the files of `written` not among them, and return `files`."""
    if written is None:
        shutil.rmtree(folder, ignore_errors=True)
        written = {}
    made: dict[str, bytes] = {}

    def changed() -> Iterator[tuple[str, bytes]]:
        for path, data in files:
            made[path] = data
            old = written.get(path)
            if old is not data and old != data:
                yield path, data

    write_files(folder, changed())
    for path in sorted(written.keys() - made.keys()):
        (folder / path).unlink()
        parent = (folder / path).parent
        if parent != folder and not any(parent.iterdir()):
            parent.rmdir()
    return made


def _compact(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def lexicon_bytes(checked: CheckedKnowledgeBase) -> bytes:
    """`lexicon.json` (see `search_lexicon`), the same for both editions."""
    return _compact(lexicon(checked))


def vocabulary_bytes(checked: CheckedKnowledgeBase, words: list[str]) -> bytes:
    """`vocabulary.json` (see `search_lexicon`) of an index holding `words`."""
    return _compact(vocabulary(checked, words))


def lexicon_files(checked: CheckedKnowledgeBase, words: list[str]) -> dict[str, bytes]:
    """`lexicon.json` and `vocabulary.json` (see `search_lexicon`)."""
    return {"lexicon.json": lexicon_bytes(checked), "vocabulary.json": vocabulary_bytes(checked, words)}
