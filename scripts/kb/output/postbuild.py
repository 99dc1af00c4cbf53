"""`kb postbuild`: what is written into a built site whatever engine built it.

claims.json and per-claim JSON, our search index; and for an engine without our plugin the redirect
pages and preview images too."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..checks.check import CheckedKnowledgeBase
from ..exports.exports import each_json_file, write_files
from ..search.search_site import SearchIndexState, write_search_index
from .generated import GeneratedSite


def write_exports(
    checked: CheckedKnowledgeBase, site: Path, search: bool, keep_search: bool = False
) -> SearchIndexState | None:
    """claims.json, claims/<id>.json and, when our search is on, its index under search/kb/; with
    `keep_search` (a site served, edits to follow), returns what `write_search_index` needs to update it.

    Runs once the engine has written its pages: the search index reads the prose pages' built HTML."""
    write_files(site, each_json_file(checked))
    return write_search_index(checked, site, keep=keep_search) if search else None


def json_files(checked: CheckedKnowledgeBase) -> dict[str, bytes]:
    """The JSON exports `write_exports` writes, by path relative to the site, in memory (for builds
    that write only the files that changed)."""
    return {path: text.encode("utf-8") for path, text in each_json_file(checked)}


def write_generated_files(generated: GeneratedSite, site: Path) -> None:
    """The redirect pages and preview images, for an engine that was not handed them (the MkDocs plugin is)."""
    write_files(site, generated.redirects.items())
    for path, image in generated.images.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image, site / path)
