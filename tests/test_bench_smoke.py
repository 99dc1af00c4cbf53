"""Smoke test of the build benchmark at a small size: it completes and writes its report and chart.

Figures are printed, never asserted: timing depends on the machine.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kb.adapters.pipeline import load_and_check
from kb_bench import bench, bench_search

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_writes_its_report_and_chart(tmp_path: Path) -> None:
    out, sites = tmp_path / "bench", tmp_path / "sites"
    result = subprocess.run(
        [sys.executable, "-m", "kb_bench.bench", "--claims", "20", "40", "--out", str(out), "--sites", str(sites)],
        check=False, cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(report) >= {"environment", "seed", "targets", "runs", "growth", "verdicts"}
    assert [run["claims"] for run in report["runs"]] == [20, 40]
    for run in report["runs"]:
        assert set(run["ours"]) >= {"total", "ours", "mkdocs", "cpu", "stages", "stages_cpu", "peak_memory_mb"}
        assert {"load", "check", "render", "on_files"} <= set(run["ours"]["stages"])
        assert set(run["baseline"]) >= {"total", "peak_memory_mb", "site_bytes", "search_bytes", "search_index_cpu"}
        assert run["baseline"]["search_index_cpu"] > 0, "Material's search indexing is timed in the plain build"
        assert run["ours"]["stages_cpu"]["write_search_index"] > 0
        # Importing our modules is our start-up cost: timed, and inside our share.
        assert 0 < run["ours"]["stages_cpu"]["import"] <= run["ours"]["cpu"]["ours"]
        assert set(run["ratios"]) == {"ours_share", "total_vs_baseline", "ours_share_cpu", "total_vs_baseline_cpu",
                                     "memory_vs_baseline", "ours_share_cpu_without_search_index"}
        assert run["sites_folder"] == str(sites / f"n{run['claims']}-sites")
        assert run["site_bytes"] > run["search_bytes"] > 0
        assert 0 < run["claim_page_nav_links"] < 40
    assert report["growth"][0]["claims_factor"] == 2.0
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| claims | ours (s) |" in result.stdout
    assert "Material's search plugin" in result.stdout
    assert not (out / "n20").exists(), "work folders are removed unless --keep is given"
    assert not list(sites.iterdir()), "built sites are removed unless --keep is given"


def test_sites_go_to_memory_when_it_has_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "MEMORY_FOLDER", tmp_path)
    free = shutil.disk_usage(tmp_path).free
    monkeypatch.setattr(bench, "SITE_BYTES_PER_CLAIM", free // 100)
    in_memory = bench.sites_root(None, 10)
    assert in_memory is not None and in_memory.parent == tmp_path
    assert bench.sites_root(None, 1000) is None, "no room: the sites go to the work folder"
    assert bench.sites_root(tmp_path / "chosen", 1000) == tmp_path / "chosen"
    monkeypatch.setattr(bench, "MEMORY_FOLDER", tmp_path / "missing")
    assert bench.sites_root(None, 10) is None


def test_benchmark_refuses_a_size_below_one(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kb_bench.bench", "--claims", "0", "--out", str(tmp_path)],
        check=False, cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "expected positive sizes; found 0" in result.stderr


def test_check_benchmark_reports_each_case(tmp_path: Path) -> None:
    """`make bench-check` at a small size: kb check fails with the cases' problems, each case is
    timed on its own, and the figures are printed beside the plain load."""
    out = tmp_path / "bench-check"
    result = subprocess.run(
        [sys.executable, "-m", "kb_bench.bench_check", "--claims", "20", "--transcript-bytes", "300000",
         "--out", str(out)], check=False, cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["load"]["problems"] == 0 and report["check"]["exit"] == 1
    problems = {name: figures["problems"] for name, figures in report["cases"].items()}
    assert problems == {
        "synthetic records without the cases": 0,
        "3,900-character quote with one typo": 1,
        "。 with a wrong prefix": 1,
        "。 alone (ambiguous)": 1,
        "200 quotes of 200 characters, each with one typo": 200,
        "a quote across two paragraphs": 1,
        "a misheard form found thousands of times": 1,
        "20,000 topics listed, 10,000 unknown claims related": 29_999,
        "200 quotes that are found": 0,
    }
    assert report["check"]["problems"] == sum(problems.values())
    assert "plain load (baseline)" in result.stdout and "kb check (load, check, print)" in result.stdout


def test_search_benchmark_knowledge_base_passes_every_check(tmp_path: Path) -> None:
    """The real knowledge base plus synthetic claims: the synthetic transcripts hold none of the real
    glossary's misheard forms (recombined, they would recur in every one, past the limit of 100)."""
    forms = bench_search.misheard_forms(REPO)
    assert "Dwaresh" in forms
    kb = bench_search.merged_knowledge_base(300, tmp_path)
    synthetic = [p.read_text(encoding="utf-8") for p in (kb / "sources").glob("synth-source-*.txt")]
    assert len(synthetic) == 3
    assert not [form for form in forms for text in synthetic if form in text]
    checked, problems = load_and_check(kb)
    assert [str(p) for p in problems.sorted()] == []
    assert checked is not None and len(checked.kb.claims) > 300


def test_search_index_cost_reads_the_records_with_the_baseline_code_too(tmp_path: Path) -> None:
    """index-cost (make search-bench's second step) with the Makefile's baseline, a revision whose
    models predate fields the records carry now: both codes index the same knowledge base."""
    baseline = re.search(r"^SEARCH_BASELINE \?= (\S+)", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert baseline is not None
    argv = ["--out", str(tmp_path), "index-cost", "--claims", "30", "--baseline", baseline[1]]
    assert bench_search.main(argv) == 0
    rows = json.loads((tmp_path / "index-cost.json").read_text(encoding="utf-8"))
    assert [(row["claims"], row["code"]) for row in rows] == [(30, baseline[1]), (30, "ours")]
    assert all(row["index_bytes"] > 100_000 and row["index_files"] > 10 for row in rows)


def test_serve_benchmark_times_both_servers(tmp_path: Path) -> None:
    """`make bench-serve` at a small size: both `mkdocs serve` processes start (the plain one with the
    theme hook), every edit shows up, and ours rebuilt incrementally (no full build)."""
    out = tmp_path / "bench-serve"
    result = subprocess.run(
        [sys.executable, "-m", "kb_bench.bench_serve", "--claims", "20", "--repeat", "1", "--out", str(out)],
        check=False, cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    [run] = report["runs"]
    assert run["claims"] == 20 and run["full_builds"] == 0
    for side in ("ours", "plain"):
        assert set(run[side]) == {"claim text", "glossary entry", "topic"}
        assert all(len(figures["wall"]) == 1 and figures["wall"][0] > 0 for figures in run[side].values())
    assert "| claims | edit | ours: page shown" in result.stdout
    assert all(len(figures["whole"]) == 1 for figures in run["ours"].values())
