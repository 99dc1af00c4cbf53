"""What is written into a built site whatever engine built it: claims.json and per-claim JSON, our search index."""

from __future__ import annotations

from pathlib import Path

from ..checks.check import CheckedKnowledgeBase
from ..exports.exports import each_json_file, write_files
from ..search.search_site import write_search_index


def write_exports(checked: CheckedKnowledgeBase, site: Path, search: bool) -> None:
    """claims.json, claims/<id>.json and, when our search is on, its index under search/kb/.

    Runs once the engine has written its pages: the search index reads the prose pages' built HTML."""
    write_files(site, each_json_file(checked))
    if search:
        write_search_index(checked, site)
