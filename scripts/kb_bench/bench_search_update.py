"""The search index after an edit: written whole beside updated for the changed documents only.

For each knowledge base (the real one, and synthetic ones of N claims), in this process, with the
garbage collector paused as the plugin pauses it: the CPU seconds of writing both editions' indexes
as a build did before the update existed (`build_search_index`, every file written), of
`write_search_index(keep=True)` without a previous state (the first build under `make serve`, which
keeps the token counts), and of `write_search_index` given the last state after each kind of edit: a claim's
title, a glossary entry's definition, a topic's description (several times each, a new marker each
time), a claim added and that claim removed. The records are loaded and checked between the calls,
untimed. Also: the files the update wrote out of all, and the memory the kept state holds (traced
with tracemalloc in a separate call: numpy's arrays included, and the texts' readings kept by
`search_readings.words`). The site holds no built pages, so the prose pages are not indexed (a dozen
sections, in either case). Nothing is asserted: this is a measurement, not a test.

    python -m kb_bench.bench_search_update --claims real 1000 10000 --repeat 3 --out build/bench-search-update
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.exports.exports import write_files
from kb.search.search_documents import search_documents
from kb.search.search_readings import text_kanji_words, words
from kb.search.search_site import SearchIndexState, index_folder, lexicon_files, write_search_index
from kb.search.search_text import fnv1a
from kb.site.edition import EDITIONS

from .bench import REPO
from .bench_serve import edits_of, prepare, with_marker


def checked_of(kb: Path) -> CheckedKnowledgeBase:
    checked, problems = load_and_check(kb)
    if checked is None or problems:
        raise SystemExit("\n".join(str(problem) for problem in problems.sorted()))
    return checked


def forget_kept() -> None:
    """Empty what is kept by text across calls (readings, shard hashes), so a whole build starts cold."""
    words.cache_clear()
    text_kanji_words.cache_clear()
    fnv1a.cache_clear()


def cpu_seconds(call: Callable[[], Any], cold: bool = False) -> tuple[float, Any]:
    if cold:
        forget_kept()
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = call()
        return time.process_time() - start, result
    finally:
        gc.enable()


def write_as_before(checked: CheckedKnowledgeBase, site: Path) -> None:
    """Both indexes built whole and every file written, as `write_search_index` did before `index_update`."""
    from kb.search.index import build_search_index, index_words
    from kb.search.shards import each_index_file

    for edition in EDITIONS:
        folder = index_folder(edition)
        index = build_search_index(search_documents(checked, edition))
        shutil.rmtree(site / folder, ignore_errors=True)
        write_files(site / folder, each_index_file(index, lexicon_files(checked, index_words(index))))


def files_written(before: SearchIndexState, after: SearchIndexState) -> tuple[int, int]:
    """(files whose digest changed or that are new, all files) over both editions."""
    changed = total = 0
    for folder, written in after.editions.items():
        old = before.editions[folder].files
        changed += sum(old.get(path) != data for path, data in written.files.items())
        total += len(written.files)
    return changed, total


def retained_mib(checked: CheckedKnowledgeBase, site: Path) -> tuple[float, float]:
    """MiB held after a whole `write_search_index` while its state is kept, and its peak, traced."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    state = write_search_index(checked, site, keep=True)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del state
    return (current - base) / 2**20, (peak - base) / 2**20


def edit_steps(kb: Path, repeat: int) -> list[tuple[str, Callable[[int], object]]]:
    """(kind, a function making its n-th edit of `kb`)."""
    claim, term, topic = edits_of(kb)
    texts = {edit.record: (kb / edit.record).read_text(encoding="utf-8") for edit in (claim, term, topic)}

    def marked(record: str, field: str) -> Callable[[int], object]:
        return lambda n: (kb / record).write_text(with_marker(texts[record], field, f" 印{n}"), encoding="utf-8")

    added = kb / "claims" / "zz-bench-added.yaml"
    claim_text = texts[claim.record].replace(f"id: {Path(claim.record).stem}\n", "id: zz-bench-added\n", 1)
    steps = [("claim title", marked(claim.record, "title")), ("glossary definition", marked(term.record, "definition")),
             ("topic description", marked(topic.record, "description"))]
    return [*(step for step in steps for _ in range(repeat)),
            ("claim added", lambda n: added.write_text(claim_text, encoding="utf-8")),
            ("claim removed", lambda n: added.unlink())]


def bench_size(size: str, out: Path, repeat: int, seed: int) -> dict[str, Any]:
    work = out / f"n-{size}"
    kb = prepare(size, work, seed)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    checked = checked_of(kb)
    before = min(cpu_seconds(lambda: write_as_before(checked, site), cold=True)[0] for _ in range(repeat))
    wholes = [cpu_seconds(lambda: write_search_index(checked, site, keep=True), cold=True) for _ in range(repeat)]
    state = wholes[-1][1]
    updates: dict[str, list[float]] = {}
    written: dict[str, list[int]] = {}
    total = 0
    for number, (kind, edit) in enumerate(edit_steps(kb, repeat)):
        edit(number)
        edited = checked_of(kb)
        seconds, new_state = cpu_seconds(partial(write_search_index, edited, site, state))
        changed, total = files_written(state, new_state)
        state = new_state
        updates.setdefault(kind, []).append(seconds)
        written.setdefault(kind, []).append(changed)
    forget_kept()
    retained, peak = retained_mib(checked_of(kb), work / "traced")
    claims = len(list((kb / "claims").glob("*.yaml")))
    return {"size": size, "claims": claims, "before": before, "whole": min(s for s, _ in wholes),
            "updates": updates, "files_written": written, "files": total, "retained_mib": retained, "peak_mib": peak}


def table(runs: list[dict[str, Any]]) -> str:
    lines = ["| claims | edit | update CPU s (median) | whole CPU s | before CPU s | update / before | files written |",
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        for kind, seconds in run["updates"].items():
            update = statistics.median(seconds)
            lines.append(f"| {run['claims']:,} ({run['size']}) | {kind} | {update:.3f} | {run['whole']:.3f} | "
                         f"{run['before']:.3f} | {update / run['before']:.2f} | "
                         f"{statistics.median(run['files_written'][kind]):.0f} of {run['files']:,} |")
    lines.append("")
    lines += [f"{run['claims']:,} claims: the state kept holds {run['retained_mib']:.1f} MiB (peak while writing "
              f"{run['peak_mib']:.1f} MiB, traced)" for run in runs]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", nargs="+", default=["real", "1000"], help='"real" or a number of synthetic claims')
    parser.add_argument("--repeat", type=int, default=3, help="edits of each kind, and whole builds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench-search-update")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    for size in args.claims:
        print(f"{size}: preparing, writing whole, editing ...", flush=True)
        runs.append(bench_size(size, args.out, args.repeat, args.seed))
        print(table(runs[-1:]), flush=True)
    report = {"runs": runs, "load_average": os.getloadavg()}
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(runs))
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
