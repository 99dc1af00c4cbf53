"""Search benchmark: our Japanese search beside Material's stock search (`lang: ja`) and Pagefind on the
same content.

Our site and the stock one are built from the same knowledge base with the same mkdocs.yml; the stock
one with KB_SEARCH=false, which leaves Material's search plugin and lunr worker as they come. Pagefind
(the extended build that the npm package runs, with its Japanese segmentation) indexes the stock
site's pages, their article only (`--root-selector`), into `pagefind/`. All are served on 127.0.0.1
without compression and searched in headless Chromium: ours and stock through the header search box,
the way tests/browser/test_search.py searches (kb_bench.search_probe), Pagefind through its
JavaScript API, a result being its page and first three sections as its own user interface shows.

    python -m kb_bench.bench_search compare [--pagefind PATH]
        The direct queries of tests/search_queries.yaml and the readers' queries of
        tests/search_reader_queries.yaml on the real knowledge base: rank of the expected page for
        each search, and per category how many show it in the top three.

    python -m kb_bench.bench_search index-cost --claims 1000 10000 [--baseline main]
        Index size and CPU seconds to make it (documents, readings, postings, files) with this
        checkout's code and with a baseline revision's, on the same knowledge bases, in one run.

    python -m kb_bench.bench_search scale --claims 1000 10000
        For each N: the real knowledge base plus N synthetic claims (kb_bench.synth), built twice; index
        size, time from the first query on a fresh page to its results (cold), times of the later
        queries, bytes fetched per query, and the score of the same queries at that size.

Figures are printed and written to <out>/compare.json or <out>/scale.json. Nothing is asserted:
this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from kb.records.layout import RECORD_FOLDERS

from kb_bench import synth
from kb_bench.search_probe import (
    CHROMIUM,
    CHROMIUM_ARGS,
    QUERIES,
    READER_QUERIES,
    PagefindBox,
    SearchBox,
    SearchCase,
    load_cases,
    served,
)
from kb_bench.search_report import (
    QueryRun,
    SiteRun,
    megabytes,
    print_comparison,
    print_scale,
    scale_row,
    write_report,
)

REPO = Path(__file__).resolve().parents[2]
SITES = ("ours", "stock")
"""The searches built as sites of their own; Pagefind indexes the stock site."""
PAGEFIND = "pagefind"


# ---------------------------------------------------------------------------------------------
# Building


def build(kb: Path, site: Path, search: str) -> float:
    """Build `kb` into `site` with our search (`ours`) or Material's (`stock`); seconds taken."""
    env = {**os.environ, "KB_SEARCH": "true" if search == "ours" else "false"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "kb.adapters.cli", "build", "--kb", str(kb), "--site-dir", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"build of {kb} ({search} search) failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def merged_knowledge_base(claims: int, out: Path) -> Path:
    """The real knowledge base plus `claims` synthetic claims (with their terms, sources, topics).

    A misheard name belongs to the talk in which it was misheard: the synthetic transcripts stand
    for other talks, so they are recombined from the real transcript's clauses less those holding
    a misheard form of the real glossary. Recombined from all of them, 10,000 claims' transcripts
    held 'Dwaresh' 185 times, and `kb check` refuses a misheard form found in over 100 places."""
    folder = out / f"kb-{claims}"
    corpus = synth.read_corpus().without(misheard_forms(REPO))
    synth.write(synth.generate(claims, corpus=corpus), folder)
    for name in RECORD_FOLDERS:
        for path in (REPO / name).iterdir():
            if path.is_file():
                shutil.copy2(path, folder / name / path.name)
    for registry, key in (("topics.yaml", "topics"), ("speakers.yaml", "speakers")):
        real = yaml.safe_load((REPO / registry).read_text(encoding="utf-8"))[key]
        generated = yaml.safe_load((folder / registry).read_text(encoding="utf-8"))[key]
        (folder / registry).write_text(synth.to_yaml({key: real + generated}), encoding="utf-8")
    return folder


def misheard_forms(kb: Path) -> set[str]:
    """The misheard forms of the terms in `kb`'s glossary."""
    forms: set[str] = set()
    for path in sorted((kb / "glossary").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        forms.update(record.get("misheard") or [])
    return forms


def index_with_pagefind(pagefind: Path, site: Path) -> float:
    """Index the pages of `site` (their article) with Pagefind into `site/pagefind`; seconds taken."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(
        [str(pagefind), "--site", str(site), "--root-selector", "article.md-content__inner"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"pagefind failed on {site}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - start


def index_bytes(site: Path, search: str) -> tuple[int, int, int]:
    """Total bytes of the search index, its number of files, and its largest file."""
    files = [p for p in (site / "search").rglob("*") if p.is_file()]
    if search == "stock":
        files = [site / "search" / "search_index.json"]
    if search == PAGEFIND:
        files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    sizes = [p.stat().st_size for p in files]
    return sum(sizes), len(sizes), max(sizes)


# ---------------------------------------------------------------------------------------------
# Measuring in the browser


def response_bytes(requests: list[Any]) -> int:
    """Bytes of the bodies of finished requests (Content-Length when the server sent one)."""
    total = 0
    for request in requests:
        response = request.response()
        length = response.headers.get("content-length") if response else None
        total += int(length) if length else request.sizes()["responseBodySize"]
    return total


def is_search_request(url: str) -> bool:
    return "/search/" in url or "/kb-search/" in url or "/workers/search" in url


def run_queries(browser: Any, base_url: str, cases: list[SearchCase], run: SiteRun) -> None:
    """Open a fresh page, type every case's query in turn and record rank, time and bytes."""
    context = browser.new_context()
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(base_url, wait_until="load")
    box: SearchBox | PagefindBox = PagefindBox(page, base_url) if run.search == PAGEFIND else SearchBox(page, base_url)
    box.open()
    run.page_load_search_bytes = response_bytes([r for r in finished if is_search_request(r.url)])
    for number, case in enumerate(cases):
        if number:
            box.clear()
        before = len(finished)
        milliseconds = box.timed(case.query)
        box.settle()
        results = box.results()
        rank = next((i for i, urls in enumerate(results, 1) if any(u in case.expect for u in urls)), None)
        run.queries.append(
            QueryRun(case.query, case.kind, rank, milliseconds, response_bytes(finished[before:]), results[:3])
        )
        print(f"  {run.search:5} {milliseconds:9.0f} ms  rank {rank or '-':>2}  {case.query}", flush=True)
    context.close()


def site_of(out: Path, search: str) -> Path:
    """The built site a search is measured on (Pagefind's index lives in the stock site)."""
    return out / f"site-{'stock' if search == PAGEFIND else search}"


def measure(
    kb: Path, out: Path, cases: list[SearchCase], reuse: bool, searches: list[str], pagefind: Path | None = None
) -> dict[str, SiteRun]:
    """Build `kb` with each of `searches` (ours, stock), index the stock site with `pagefind` if given,
    and run `cases` on each."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, SiteRun] = {}
    for search in searches:
        site = site_of(out, search)
        seconds = 0.0 if reuse and (site / "index.html").is_file() else build(kb, site, search)
        print(f"{search} site: {site} (built in {seconds:.0f} s)", flush=True)
        runs[search] = SiteRun(search, *index_bytes(site, search), build_seconds=seconds)
    if pagefind is not None:
        site = site_of(out, PAGEFIND)
        seconds = index_with_pagefind(pagefind, site)
        print(f"pagefind index: {site / 'pagefind'} (made in {seconds:.1f} s)", flush=True)
        runs[PAGEFIND] = SiteRun(PAGEFIND, *index_bytes(site, PAGEFIND), build_seconds=seconds)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for search, run in runs.items():
                with served(site_of(out, search)) as base_url:
                    run_queries(browser, base_url, cases, run)
        finally:
            browser.close()
    return runs


# ---------------------------------------------------------------------------------------------
# Reports


def command_compare(args: argparse.Namespace) -> int:
    out = args.out / "real"
    sets = {"direct": load_cases(QUERIES), "reader": load_cases(READER_QUERIES)}
    cases = [case for group in sets.values() for case in group]
    runs = measure(REPO, out, cases, args.reuse, list(SITES), args.pagefind)
    print_comparison(runs, sets)
    write_report(args.out / "compare.json", {search: asdict(run) for search, run in runs.items()})
    return 0


def command_scale(args: argparse.Namespace) -> int:
    rows = []
    for claims in args.claims:
        out = args.out / f"n{claims}"
        kb = out / f"kb-{claims}"
        if not (args.reuse and kb.is_dir()):
            kb = merged_knowledge_base(claims, out)
        print(f"\n== {claims} synthetic claims + the real knowledge base ({kb})", flush=True)
        direct = load_cases(QUERIES)
        runs = measure(kb, out, direct + load_cases(READER_QUERIES), args.reuse, args.search)
        rows += [scale_row(claims, runs[search], len(direct)) for search in args.search]
        print_scale(rows)
    write_report(args.out / "scale.json", rows)
    return 0


# A baseline revision may predate fields the records carry now (status, voice, index_as...), which
# its models refuse as unknown: each code reads the records with the fields it does not know ignored,
# so it indexes what it knows of the same knowledge base.
_INDEX_COST = """
import gc, json, sys, time
from pathlib import Path
from pydantic import BaseModel
from kb.records import model
models = [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == model.__name__]
for c in models:
    if c.model_config.get("extra") == "forbid":
        c.model_config["extra"] = "ignore"
for _ in range(2):  # a record's model is rebuilt after the models it holds
    for c in models:
        c.model_rebuild(force=True)
from kb.adapters.pipeline import load_and_check
checked, problems = load_and_check(Path(sys.argv[1]))
assert checked is not None, [str(p) for p in problems.sorted()]
try:  # this revision's layout, or the baseline's (one module before issue 16)
    from kb.search import index as search_index, search_site, shards
except ImportError:
    from kb.search import search_index, search_site
    shards = search_index
from kb.search.search_documents import search_documents
gc.collect()
gc.disable()
start = time.process_time()
documents = search_documents(checked)
documents_done = time.process_time()
index = search_index.build_search_index(documents)
index_done = time.process_time()
extra = {}
if hasattr(search_site, "lexicon_files"):
    extra = search_site.lexicon_files(checked, search_index.index_words(index))
sizes = [len(data) for _, data in shards.each_index_file(index, *([extra] if extra else []))]
done = time.process_time()
print(json.dumps({
    "documents_seconds": documents_done - start, "postings_seconds": index_done - documents_done,
    "files_seconds": done - index_done, "total_seconds": done - start,
    "index_bytes": sum(sizes), "index_files": len(sizes),
}))
"""


def index_cost(kb: Path, source: Path) -> dict[str, Any]:
    """CPU seconds of making the search index of `kb` (documents, postings, files, not written) and
    its size, with the `kb` package under `source` (a checkout's `scripts/`), in a child process."""
    env = {**os.environ, "PYTHONPATH": str(source), "PYTHONDONTWRITEBYTECODE": "1", "KB_OG_IMAGES": "off"}
    result = subprocess.run(
        [sys.executable, "-c", _INDEX_COST, str(kb)], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"index cost with {source} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def command_index_cost(args: argparse.Namespace) -> int:
    """Our index beside the baseline revision's on the same knowledge bases, in the same run."""
    baseline = args.out / f"baseline-{args.baseline}"
    shutil.rmtree(baseline, ignore_errors=True)
    baseline.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", args.baseline, "scripts"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
    rows = []
    for claims in args.claims:
        out = args.out / f"n{claims}"
        kb = out / f"kb-{claims}"
        if not (args.reuse and kb.is_dir()):
            kb = merged_knowledge_base(claims, out)
        for name, source in ((args.baseline, baseline / "scripts"), ("ours", REPO / "scripts")):
            rows.append({"claims": claims, "code": name, **index_cost(kb, source)})
            row = rows[-1]
            print(f"{claims:>7} {name:<8} index {megabytes(row['index_bytes']):>9} in {row['index_files']:>6} files; "
                  f"CPU {row['total_seconds']:.2f} s (documents {row['documents_seconds']:.2f}, postings "
                  f"{row['postings_seconds']:.2f}, files {row['files_seconds']:.2f})", flush=True)
        ours, base = rows[-1], rows[-2]
        print(f"{claims:>7} ours / {args.baseline}: index {ours['index_bytes'] / base['index_bytes']:.3f}x, "
              f"CPU {ours['total_seconds'] - base['total_seconds']:+.2f} s", flush=True)
    write_report(args.out / "index-cost.json", rows)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "search-bench", help="working folder")
    parser.add_argument("--reuse", action="store_true", help="reuse sites and knowledge bases already built")
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser("compare", help="the query lists on the real knowledge base")
    compare.add_argument("--pagefind", type=Path, help="Pagefind's command, to measure it too")
    compare.set_defaults(run=command_compare)
    scale = commands.add_parser("scale", help="index size and speed at N synthetic claims")
    scale.add_argument("--claims", type=int, nargs="+", default=[1000, 10000])
    scale.add_argument("--search", nargs="+", choices=SITES, default=list(SITES), help="which searches to measure")
    scale.set_defaults(run=command_scale)
    cost = commands.add_parser("index-cost", help="index size and CPU time of making it, beside a baseline revision")
    cost.add_argument("--claims", type=int, nargs="+", default=[1000, 10000])
    cost.add_argument("--baseline", default="main", help="git revision to compare with (default: main)")
    cost.set_defaults(run=command_index_cost)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
