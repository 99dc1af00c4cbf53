"""Check benchmark: `kb check` of a knowledge base with a 5 MB transcript and the quotes and records
that made checks quadratic, beside a plain load of the same knowledge base in the same run.

It writes a synthetic knowledge base (`kb_bench.synth`, N claims) and adds a source whose transcript fills
the 5 MB limit, with claims and terms that each exercise one slow path of the checks:

- a 3,900-character quote with one typo (the closest passage of a quote not found);
- `text: 。` with a wrong `prefix:` (the context of each of the tens of thousands of occurrences);
- `text: 。` alone (ambiguous: every place is found, ten are named);
- 200 quotes of 200 characters, each with one typo;
- a quote across two paragraphs;
- a misheard form found thousands of times;
- a claim listing one topic 20,000 times and relating to 10,000 claims that do not exist;
- 200 quotes that are found, and the synthetic claims' own quotes.

Each measurement runs in a child process: the baseline loads the knowledge base (read, parse,
schema), `kb check` loads and checks it and prints every problem, and a third child times each
case's check on its own after one load. CPU seconds are the steadier figure on a shared machine.

    python -m kb_bench.bench_check --claims 1000 --out build/bench-check
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kb.records.yamlfile import MAX_SOURCE_BYTES

from .synth import Generator, generate, read_corpus, write

REPO = Path(__file__).resolve().parents[2]
SOURCE_ID = "large-transcript"
TYPO = "〓"
"""Replaces one character of a quote; occurs in no transcript."""


@dataclass
class Case:
    """Records added to the knowledge base to exercise one path of the checks."""

    name: str
    claims: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)


LARGE_TRANSCRIPT_BYTES = MAX_SOURCE_BYTES - 10_000
"""The large transcript fills the size limit of a source text, but for a line's worth."""


def large_transcript(generator: Generator, limit: int) -> list[str]:
    """Paragraphs of recombined transcript sentences filling `limit` bytes of UTF-8, one of them
    long enough for a 3,900-character quote."""
    paragraphs = ["".join(generator.sentence() for _ in range(90))]
    size = len(paragraphs[0].encode("utf-8")) + 1
    while True:
        paragraph = "".join(generator.sentence() for _ in range(generator.rng.randint(2, 6)))
        size += len(paragraph.encode("utf-8")) + 1
        if size > limit:
            return paragraphs
        paragraphs.append(paragraph)


def cases(paragraphs: list[str], template: dict[str, Any], seed: int) -> list[Case]:
    """The claims and terms of each case, quoting the large transcript."""
    rng = random.Random(seed)
    document = "\n".join(paragraphs)

    def claim(name: str, number: int, quotes: list[dict[str, str]], **fields: Any) -> dict[str, Any]:
        record = {**template, "id": f"bench-{name}-{number:03d}", "quotes": quotes, "related": [], **fields}
        record.pop("former_ids", None)
        return record

    def quote(text: str, **context: str) -> dict[str, str]:
        return {"source": SOURCE_ID, "text": text, **context}

    def unique_span(length: int) -> str:
        while True:
            paragraph = rng.choice(paragraphs)
            if len(paragraph) < length:
                continue
            start = rng.randrange(len(paragraph) - length + 1)
            span = paragraph[start : start + length]
            if span == span.strip() and document.count(span) == 1:
                return span

    def mistyped(span: str) -> str:
        at = len(span) // 2
        return span[:at] + TYPO + span[at + 1 :]

    long_quote = paragraphs[0][10:3910]
    return [
        Case("3,900-character quote with one typo", [claim("long-typo", 1, [quote(mistyped(long_quote))])]),
        Case("。 with a wrong prefix", [claim("period-prefix", 1, [quote("。", prefix="違う文です")])]),
        Case("。 alone (ambiguous)", [claim("period-alone", 1, [quote("。")])]),
        Case("200 quotes of 200 characters, each with one typo",
             [claim("typos", i, [quote(mistyped(unique_span(200)))]) for i in range(200)]),
        Case("a quote across two paragraphs", [claim("across", 1, [quote(paragraphs[1][-20:] + paragraphs[2][:20])])]),
        Case("a misheard form found thousands of times", terms=[{
            "id": "bench-common-misheard", "term": "ベンチ", "reading": "べんち", "en": "bench",
            "misheard": ["です"], "definition": "よくある語を誤認として登録した例。",
            "definition_en": "An example of a common word registered as a misheard form."}]),
        Case("20,000 topics listed, 10,000 unknown claims related", [claim(
            "long-lists", 1, [quote(unique_span(40))], topics=[template["topics"][0]] * 20_000,
            related=[{"id": f"no-such-claim-{i:05d}", "relation": "supports"} for i in range(10_000)])]),
        Case("200 quotes that are found", [claim("found", i, [quote(unique_span(60))]) for i in range(200)]),
    ]


def write_knowledge_base(claims: int, seed: int, out: Path, transcript_bytes: int) -> dict[str, Any]:
    """The synthetic knowledge base with the large transcript and every case; returns what it holds."""
    corpus = read_corpus()
    kb = generate(claims, seed, corpus)
    paragraphs = large_transcript(Generator(claims, seed + 1, corpus), transcript_bytes)
    meta = {**kb.sources[0][0], "id": SOURCE_ID, "file": f"{SOURCE_ID}.txt", "title_en": "A 5 MB transcript"}
    kb.sources.append((meta, "\n".join(paragraphs) + "\n"))
    for term in kb.terms:  # chosen to occur once or twice in the synthetic sources, they recur in the large one
        term["misheard"] = []
    added = cases(paragraphs, kb.claims[0], seed)
    kb.claims += [record for case in added for record in case.claims]
    kb.terms += [record for case in added for record in case.terms]
    write(kb, out)
    (out / "cases.json").write_text(json.dumps(
        [{"name": case.name, "claims": [c["id"] for c in case.claims], "terms": [t["id"] for t in case.terms]}
         for case in added], ensure_ascii=False), encoding="utf-8")
    return {"claims": len(kb.claims), "terms": len(kb.terms), "paragraphs": len(paragraphs),
            "transcript_bytes": (out / "sources" / f"{SOURCE_ID}.txt").stat().st_size,
            "claim_file_bytes": max(p.stat().st_size for p in (out / "claims").glob("bench-long-lists-*.yaml"))}


# ---------------------------------------------------------------------------------------------
# Child measurements


def measure_load(kb: Path) -> dict[str, Any]:
    """The baseline: read, parse and schema-check every record and transcript, no cross-checks."""
    wall, cpu = time.perf_counter(), time.process_time()
    from kb.records.knowledge import load_knowledge_base

    _, problems = load_knowledge_base(kb)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "problems": len(problems)}


def measure_check(kb: Path) -> dict[str, Any]:
    """`kb check` as a user runs it: load, check and print every problem (to a buffer here)."""
    wall, cpu = time.perf_counter(), time.process_time()
    from kb.adapters.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["check", "--kb", str(kb)])
    lines = err.getvalue().splitlines()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "exit": status,
            "problems": len(lines) - 1, "longest_line": max(map(len, lines), default=0)}


def measure_cases(kb: Path) -> dict[str, Any]:
    """Each case's check on its own, after one load: the synthetic records alone, then each case's
    records alone (the other cases' records left out)."""
    from kb.checks.check import check_knowledge_base
    from kb.records.knowledge import load_knowledge_base
    from kb.records.problems import Problems

    loaded, _ = load_knowledge_base(kb)
    added = json.loads((kb / "cases.json").read_text(encoding="utf-8"))
    bench_claims = {claim for case in added for claim in case["claims"]}
    bench_terms = {term for case in added for term in case["terms"]}
    plain = {cid: c for cid, c in loaded.claims.items() if cid not in bench_claims}
    plain_terms = {tid: t for tid, t in loaded.terms.items() if tid not in bench_terms}
    timings = {}
    for name, claims, terms in [("synthetic records without the cases", [], [])] + [
            (case["name"], case["claims"], case["terms"]) for case in added]:
        view = replace(loaded, claims={**plain, **{c: loaded.claims[c] for c in claims}},
                       terms={**plain_terms, **{t: loaded.terms[t] for t in terms}})
        wall, cpu = time.perf_counter(), time.process_time()
        problems = Problems()
        check_knowledge_base(view, problems)
        timings[name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                         "problems": len(problems)}
    return timings


def run_child(mode: str, kb: Path) -> dict[str, Any]:
    """One measurement in a fresh Python process: what it printed last, as JSON."""
    result = subprocess.run([sys.executable, "-m", "kb_bench.bench_check", mode, str(kb)], cwd=REPO, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"kb_bench.bench_check {mode} failed:\n{result.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


# ---------------------------------------------------------------------------------------------
# Report


def report_lines(report: dict[str, Any]) -> list[str]:
    """The figures as printed: the check beside the baseline, then each case."""
    kb, load, check = report["knowledge_base"], report["load"], report["check"]
    lines = [
        (f"kb check on a {kb['transcript_bytes'] / 1e6:.2f} MB transcript ({kb['paragraphs']:,} paragraphs), "
        f"{kb['claims']:,} claims, {kb['terms']:,} terms (one claim file {kb['claim_file_bytes'] / 1e6:.2f} MB)"),
        f"{'':56} {'CPU s':>8} {'wall s':>8}",
        f"{'plain load (baseline)':56} {load['cpu']:8.2f} {load['wall']:8.2f}",
        (f"{'kb check (load, check, print)':56} {check['cpu']:8.2f} {check['wall']:8.2f}"
        f"   {check['problems']:,} problems, exit {check['exit']}, longest line {check['longest_line']:,} characters"),
        f"{'kb check / plain load':56} {check['cpu'] / load['cpu']:8.2f} {check['wall'] / load['wall']:8.2f}",
        "checking each case alone, after the load:",
    ]
    for name, figures in report["cases"].items():
        lines.append(f"  {name:54} {figures['cpu']:8.2f} {figures['wall']:8.2f}   {figures['problems']:,} problems")
    return lines


def run_benchmark(claims: int, seed: int, out: Path, transcript_bytes: int = LARGE_TRANSCRIPT_BYTES) -> dict[str, Any]:
    """Write the knowledge base, measure the three children, print and save the report."""
    kb = out / "kb"
    report: dict[str, Any] = {"seed": seed, "knowledge_base": write_knowledge_base(claims, seed, kb, transcript_bytes)}
    report["load"] = run_child("measure-load", kb)
    report["check"] = run_child("measure-check", kb)
    report["cases"] = run_child("measure-cases", kb)
    report["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child
    print("\n".join(report_lines(report)))
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"report written to {out / 'report.json'}")
    return report


def parser() -> argparse.ArgumentParser:
    """Arguments of `python -m kb_bench.bench_check`; the child modes are internal."""
    root = argparse.ArgumentParser(prog="kb_bench.bench_check", description=__doc__.split("\n\n")[0])
    modes = root.add_subparsers(dest="mode")
    for mode in ("measure-load", "measure-check", "measure-cases"):
        modes.add_parser(mode).add_argument("kb", type=Path)
    root.add_argument("--claims", type=int, default=1000, help="synthetic claims besides the cases")
    root.add_argument("--seed", type=int, default=1)
    root.add_argument("--transcript-bytes", type=int, default=LARGE_TRANSCRIPT_BYTES,
                      help="size of the large transcript (default: the limit of a source text, 5 MB)")
    root.add_argument("--out", type=Path, default=REPO / "build" / "bench-check", help="work folder and report")
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point: the benchmark, or one of its child measurements."""
    args = parser().parse_args(argv)
    children = {"measure-load": measure_load, "measure-check": measure_check, "measure-cases": measure_cases}
    if args.mode in children:
        print(json.dumps(children[args.mode](args.kb.resolve())))
        return 0
    if args.claims < 1:
        print(f"kb_bench.bench_check: --claims: expected a positive number; found {args.claims}", file=sys.stderr)
        return 2
    run_benchmark(args.claims, args.seed, args.out.resolve(), args.transcript_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
