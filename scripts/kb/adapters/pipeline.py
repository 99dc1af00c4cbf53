"""Load then check a knowledge base, caching the result per folder state.

The command line checks before it starts MkDocs and the MkDocs plugin asks again; the cache
makes the second ask free while any edited, added or removed file forces a fresh load.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..checks.check import CheckedKnowledgeBase, check_knowledge_base
from ..checks.estimates import check_estimates
from ..checks.published import check_published
from ..records.knowledge import load_knowledge_base
from ..records.layout import INPUT_NAMES
from ..records.problems import Problems
from .gcpause import gc_paused

_cache: dict[Path, tuple[tuple, CheckedKnowledgeBase | None, Problems]] = {}


def watched_paths(root: Path) -> list[Path]:
    """Folders and files whose changes require a rebuild."""
    return [root / name for name in INPUT_NAMES]


def fingerprint(root: Path) -> tuple:
    """Names, sizes, modification and change times of every input file."""
    entries = []
    for path in watched_paths(root):
        if path.is_dir():
            try:
                with os.scandir(path) as folder:  # DirEntry.stat() saves building a Path per file
                    files: list[os.DirEntry[str] | Path] = sorted(folder, key=lambda entry: entry.name)
            except OSError:  # unreadable: the load reports it, and runs again once it can be read
                entries.append((path.name, "", -1, -1, -1))
                continue
        else:
            files = [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            # The change time too: a file made readable again (chmod) has its old size and modification time.
            entries.append((file.name, path.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return tuple(entries)


def load_and_check(root: Path) -> tuple[CheckedKnowledgeBase | None, Problems]:
    """The checked knowledge base under `root` (None when there are problems) and all problems."""
    root = root.resolve()
    stamp = fingerprint(root)
    cached = _cache.get(root)
    if cached and cached[0] == stamp:
        return cached[1], cached[2]
    with gc_paused():  # loading makes millions of long-lived objects and no cycles
        checked, problems = _load_and_check(root)
    _cache[root] = (stamp, checked, problems)
    return checked, problems


def _load_and_check(root: Path) -> tuple[CheckedKnowledgeBase | None, Problems]:
    kb, problems = load_knowledge_base(root)
    checked: CheckedKnowledgeBase | None = check_knowledge_base(kb, problems)
    # Both look past records that failed to load (already reported), so that one run shows every problem.
    check_published(kb, problems)
    if kb.estimates is not None and check_estimates(*kb.estimates, kb, problems) and checked:
        checked.estimates = kb.estimates[0]
    if problems:
        checked = None
    else:
        # Documents (their data, text and any positions) only serve problem messages; the build
        # never needs them.
        kb.documents.clear()
    return checked, problems
