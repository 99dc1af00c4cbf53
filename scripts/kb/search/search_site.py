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


def index_folder(edition: Edition) -> str:
    """The folder of an edition's index in the site (docs/assets/kb-search/worker.js reads it when
    started with ?index=<its name>: `search/kb`, `search/kb-en`)."""
    return f"search/{edition.search_index}"

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


def write_search_index(checked: CheckedKnowledgeBase, site: Path) -> SearchIndex:
    """Build the indexes of the knowledge base and the prose pages, one per edition, and write them
    under `site`; returns the Japanese edition's."""
    # Imported here, not with this module: the builder brings numpy (0.06 s of CPU, 17 MiB), which only
    # an index build needs, and its import then counts in the time of the stage that needs it.
    from .index import build_search_index, index_words
    from .shards import each_index_file

    indexes = {}
    for edition in EDITIONS:
        index = indexes[edition] = build_search_index(search_documents(checked, edition) + prose_documents(site, edition.prefix))
        folder = site / index_folder(edition)
        shutil.rmtree(folder, ignore_errors=True)
        write_files(folder, each_index_file(index, lexicon_files(checked, index_words(index))))
    return indexes[JAPANESE_EDITION]


def lexicon_files(checked: CheckedKnowledgeBase, words: list[str]) -> dict[str, bytes]:
    """`lexicon.json` and `vocabulary.json` (see `search_lexicon`)."""
    def compact(data: object) -> bytes:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return {"lexicon.json": compact(lexicon(checked)), "vocabulary.json": compact(vocabulary(checked, words))}
