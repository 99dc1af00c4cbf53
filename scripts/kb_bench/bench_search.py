"""Search benchmark: our Japanese search beside Material's stock search (`lang: ja`) on the same content.

Both sites are built from the same knowledge base with the same mkdocs.yml; the stock one with
KB_SEARCH=false, which leaves Material's search plugin and lunr worker as they come. Both are served
on 127.0.0.1 without compression and searched in headless Chromium through the header search box,
the way tests/browser/test_search.py searches (kb_bench.search_probe).

    python -m kb_bench.bench_search compare
        The queries of tests/search_queries.yaml on the real knowledge base: rank of the expected
        page for ours and for stock, and both scores ("expected page in the top three").

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
import statistics
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb_bench import synth
from kb_bench.search_probe import CHROMIUM, CHROMIUM_ARGS, SearchBox, SearchCase, load_cases, served

REPO = Path(__file__).resolve().parents[2]
SITES = ("ours", "stock")
RECORD_FOLDERS = ("claims", "glossary", "sources")


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
    """The real knowledge base plus `claims` synthetic claims (with their terms, sources, topics)."""
    folder = out / f"kb-{claims}"
    synth.write(synth.generate(claims), folder)
    for name in RECORD_FOLDERS:
        for path in (REPO / name).iterdir():
            if path.is_file():
                shutil.copy2(path, folder / name / path.name)
    for registry, key in (("topics.yaml", "topics"), ("speakers.yaml", "speakers")):
        real = yaml.safe_load((REPO / registry).read_text(encoding="utf-8"))[key]
        generated = yaml.safe_load((folder / registry).read_text(encoding="utf-8"))[key]
        (folder / registry).write_text(synth.to_yaml({key: real + generated}), encoding="utf-8")
    return folder


def index_bytes(site: Path, search: str) -> tuple[int, int, int]:
    """Total bytes of the search index, its number of files, and its largest file."""
    files = [p for p in (site / "search").rglob("*") if p.is_file()]
    if search == "stock":
        files = [site / "search" / "search_index.json"]
    sizes = [p.stat().st_size for p in files]
    return sum(sizes), len(sizes), max(sizes)


# ---------------------------------------------------------------------------------------------
# Measuring in the browser


@dataclass
class QueryRun:
    """One query typed into one site."""

    query: str
    kind: str
    rank: int | None
    milliseconds: float
    bytes: int
    results: list[list[str]]


@dataclass
class SiteRun:
    """Every query on one site, the first on a fresh page."""

    search: str
    index_bytes: int
    index_files: int
    largest_file: int
    build_seconds: float
    page_load_search_bytes: int = 0
    queries: list[QueryRun] = field(default_factory=list)

    @property
    def found(self) -> int:
        """Queries whose expected page is in the top three."""
        return top_three(self.queries)

    @property
    def empty(self) -> int:
        """Queries with no result at all."""
        return sum(1 for q in self.queries if not q.results)


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
    box = SearchBox(page, base_url)
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


def measure(kb: Path, out: Path, cases: list[SearchCase], reuse: bool, searches: list[str]) -> dict[str, SiteRun]:
    """Build `kb` with each of `searches` (ours, stock) and run `cases` on each."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, SiteRun] = {}
    for search in searches:
        site = out / f"site-{search}"
        seconds = 0.0 if reuse and (site / "index.html").is_file() else build(kb, site, search)
        print(f"{search} site: {site} (built in {seconds:.0f} s)", flush=True)
        runs[search] = SiteRun(search, *index_bytes(site, search), build_seconds=seconds)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for search, run in runs.items():
                with served(out / f"site-{search}") as base_url:
                    run_queries(browser, base_url, cases, run)
        finally:
            browser.close()
    return runs


# ---------------------------------------------------------------------------------------------
# Reports


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (East Asian wide characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def megabytes(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def print_comparison(runs: dict[str, SiteRun]) -> None:
    """Per query: rank of the expected page, ours beside stock; then the scores."""
    ours, stock = runs["ours"], runs["stock"]
    print()
    print(f"{pad('query', 28)} {'kind':<18} {'ours':>5} {'stock':>6}")
    for mine, theirs in zip(ours.queries, stock.queries, strict=True):
        def rank(q: QueryRun) -> str:
            return "none" if not q.results else str(q.rank or "-")

        print(f"{pad(mine.query, 28)} {mine.kind:<18} {rank(mine):>5} {rank(theirs):>6}")
    total = len(ours.queries)
    print()
    print(f"expected page in the top three: ours {ours.found}/{total} vs stock {stock.found}/{total}")
    print(f"queries with no result at all:  ours {ours.empty}/{total} vs stock {stock.empty}/{total}")
    for kind in dict.fromkeys(q.kind for q in ours.queries):
        of_kind = [q for q in ours.queries if q.kind == kind]
        stock_of_kind = [q for q in stock.queries if q.kind == kind]
        print(f"  {kind:<20} ours {top_three(of_kind)}/{len(of_kind)}  stock {top_three(stock_of_kind)}/{len(stock_of_kind)}")


def top_three(queries: list[QueryRun]) -> int:
    """How many of `queries` show their expected page in the top three."""
    return sum(1 for q in queries if q.rank is not None and q.rank <= 3)


def scale_row(claims: int, run: SiteRun) -> dict[str, Any]:
    """The figures of one site at one size."""
    first, later = run.queries[0], run.queries[1:]
    later_ms = [q.milliseconds for q in later]
    return {
        "claims": claims,
        "search": run.search,
        "build_seconds": round(run.build_seconds, 1),
        "index_bytes": run.index_bytes,
        "index_files": run.index_files,
        "largest_file_bytes": run.largest_file,
        "page_load_search_bytes": run.page_load_search_bytes,
        "first_query_ms": round(first.milliseconds, 1),
        "first_query_bytes": first.bytes,
        "later_median_ms": round(statistics.median(later_ms), 1) if later_ms else None,
        "later_max_ms": round(max(later_ms), 1) if later_ms else None,
        "later_max_bytes": max((q.bytes for q in later), default=0),
        "found_top3": run.found,
        "no_results": run.empty,
        "queries": len(run.queries),
    }


def print_scale(rows: list[dict[str, Any]]) -> None:
    """One line per size and site."""
    print()
    print("Search at scale: real knowledge base + N synthetic claims; headless Chromium, 127.0.0.1, no compression")
    print("(cold = first query on a fresh page, index loading included; bytes = fetched for that query)")
    header = (f"{'claims':>7} {'search':<6} {'index':>10} {'files':>6} {'largest':>9} {'on load':>9} "
              f"{'cold':>9} {'cold bytes':>10} {'later med':>9} {'later max':>9} {'max bytes':>9} {'top 3':>6}")
    print(header)
    for row in rows:
        print(f"{row['claims']:>7} {row['search']:<6} {megabytes(row['index_bytes']):>10} {row['index_files']:>6} "
              f"{megabytes(row['largest_file_bytes']):>9} {megabytes(row['page_load_search_bytes']):>9} "
              f"{row['first_query_ms'] / 1000:>8.2f}s {megabytes(row['first_query_bytes']):>10} "
              f"{row['later_median_ms']:>7.0f}ms {row['later_max_ms']:>7.0f}ms {megabytes(row['later_max_bytes']):>9} "
              f"{row['found_top3']:>3}/{row['queries']}")


def write_report(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nreport written to {path}")


# ---------------------------------------------------------------------------------------------
# Commands


def command_compare(args: argparse.Namespace) -> int:
    out = args.out / "real"
    runs = measure(REPO, out, load_cases(), args.reuse, list(SITES))
    print_comparison(runs)
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
        runs = measure(kb, out, load_cases(), args.reuse, args.search)
        rows += [scale_row(claims, runs[search]) for search in args.search]
        print_scale(rows)
    write_report(args.out / "scale.json", rows)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "search-bench", help="working folder")
    parser.add_argument("--reuse", action="store_true", help="reuse sites and knowledge bases already built")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("compare", help="the query list on the real knowledge base").set_defaults(run=command_compare)
    scale = commands.add_parser("scale", help="index size and speed at N synthetic claims")
    scale.add_argument("--claims", type=int, nargs="+", default=[1000, 10000])
    scale.add_argument("--search", nargs="+", choices=SITES, default=list(SITES), help="which searches to measure")
    scale.set_defaults(run=command_scale)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
