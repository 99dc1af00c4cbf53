"""The search benchmark's records and figures: each query's run on a site, the comparison per
category, the rows at each size, and the JSON report (`kb_bench.bench_search`)."""

from __future__ import annotations

import json
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb_bench.search_probe import SearchCase


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


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (East Asian wide characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def megabytes(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 100_000 else f"{count / 1e3:.1f} kB"


def print_comparison(runs: dict[str, SiteRun], sets: dict[str, list[SearchCase]]) -> None:
    """Per query: rank of the expected page for each search; then, per query set and category, how
    many show it in the top three, and how many show nothing at all."""
    names = list(runs)
    queries = {name: iter(run.queries) for name, run in runs.items()}
    for title, cases in sets.items():
        print(f"\n{title} queries: rank of the expected page (- not in the results shown, none: no result)")
        print(f"{pad('query', 34)} {'kind':<18} " + " ".join(f"{name:>8}" for name in names))
        per_set: dict[str, list[QueryRun]] = {name: [next(queries[name]) for _ in cases] for name in names}
        for number, case in enumerate(cases):
            ranks = " ".join(f"{rank_text(per_set[name][number]):>8}" for name in names)
            print(f"{pad(case.query, 34)} {case.kind:<18} {ranks}")
        print_categories(title, per_set)


def rank_text(query: QueryRun) -> str:
    return "none" if not query.results else str(query.rank or "-")


def print_categories(title: str, per_set: dict[str, list[QueryRun]]) -> None:
    """The table of a query set: per category, expected page in the top three for each search."""
    names = list(per_set)
    first = per_set[names[0]]
    kinds = list(dict.fromkeys(q.kind for q in first))
    print(f"\n{title} queries, expected page in the top three (no result at all)")
    print(f"{'category':<20} {'queries':>7} " + " ".join(f"{name:>14}" for name in names))
    for kind in [*kinds, "all"]:
        rows = {name: [q for q in queries if kind in ("all", q.kind)] for name, queries in per_set.items()}
        cells = " ".join(f"{top_three(rows[name]):>6} ({empty(rows[name]):>3})    " for name in names)
        print(f"{kind:<20} {len(rows[names[0]]):>7} {cells}")


def empty(queries: list[QueryRun]) -> int:
    """How many of `queries` showed no result at all."""
    return sum(1 for q in queries if not q.results)


def top_three(queries: list[QueryRun]) -> int:
    """How many of `queries` show their expected page in the top three."""
    return sum(1 for q in queries if q.rank is not None and q.rank <= 3)


def scale_row(claims: int, run: SiteRun, direct: int) -> dict[str, Any]:
    """The figures of one site at one size (its first `direct` queries are the direct ones)."""
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
        "direct_top3": top_three(run.queries[:direct]),
        "direct_queries": direct,
        "reader_top3": top_three(run.queries[direct:]),
        "reader_queries": len(run.queries) - direct,
        "no_results": run.empty,
        "queries": len(run.queries),
    }


def print_scale(rows: list[dict[str, Any]]) -> None:
    """One line per size and site."""
    print()
    print("Search at scale: real knowledge base + N synthetic claims; headless Chromium, 127.0.0.1, no compression")
    print("(cold = first query on a fresh page, index loading included; bytes = fetched for that query;")
    print(" direct, reader = expected page in the top three for tests/search_queries.yaml, tests/search_reader_queries.yaml)")
    header = (f"{'claims':>7} {'search':<6} {'index':>10} {'files':>6} {'largest':>9} {'on load':>9} "
              f"{'cold':>9} {'cold bytes':>10} {'later med':>9} {'later max':>9} {'max bytes':>9} {'direct':>6} {'reader':>8}")
    print(header)
    for row in rows:
        print(f"{row['claims']:>7} {row['search']:<6} {megabytes(row['index_bytes']):>10} {row['index_files']:>6} "
              f"{megabytes(row['largest_file_bytes']):>9} {megabytes(row['page_load_search_bytes']):>9} "
              f"{row['first_query_ms'] / 1000:>8.2f}s {megabytes(row['first_query_bytes']):>10} "
              f"{row['later_median_ms']:>7.0f}ms {row['later_max_ms']:>7.0f}ms {megabytes(row['later_max_bytes']):>9} "
              f"{row['direct_top3']:>3}/{row['direct_queries']} {row['reader_top3']:>4}/{row['reader_queries']}")


def write_report(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nreport written to {path}")


# ---------------------------------------------------------------------------------------------
# Commands
