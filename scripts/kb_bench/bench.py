"""Build benchmark: our build of synthetic knowledge bases beside a plain Material build of the same pages.

For each size N it writes a synthetic knowledge base (`kb_bench.synth`), then measures three things, each in
a child process of its own so that peak memory is per build:

1. our build, as `kb build` does it: load and check, then MkDocs with our hooks; the time spent in our
   code (importing it, load, check, and every MkDocs event handler defined in the `kb` package) is
   split from the rest;
2. a dump of every page and asset MkDocs was given after our hooks ran (not timed);
3. the baseline: a plain Material build of that dump, with the same theme, Markdown extensions and
   navigation but none of our hooks.

The two built sites go to a memory-backed folder (/dev/shm) when it has room (`sites_root` says why;
`--sites` chooses another). It prints the figures and ratios, writes a JSON report and draws a chart
of time and memory against N.
The figures depend on the machine; the ratios against the same-run baseline are what to compare.

    python -m kb_bench.bench --claims 100 1000 10000 --out build/bench
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import inspect
import json
import os
import platform
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .baseline import THEME_STRINGS, baseline_config, measure_baseline, theme_strings
from .bench_report import (
    SEARCH_STAGE,
    TARGETS,
    claim_page_figures,
    draw_chart,
    folder_bytes,
    growth,
    search_bytes,
    search_line,
    stage_lines,
    table,
    verdicts,
)
from .measure import Clock, Stopwatch, peak_memory_mb, quiet_mkdocs, run_mkdocs

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "scripts" / "kb"
CARD_CACHE_ENV = "KB_OG_CACHE"
"""Environment variable naming the preview-image cache folder (kb.site.ogimage); one per size here."""
MEMORY_FOLDER = Path("/dev/shm")
"""Where the built sites go when it has room: a memory-backed folder (see `sites_root`)."""
SITE_BYTES_PER_CLAIM = 250_000
"""Room asked for per claim for both built sites (each is about 80 kB per claim at 1,000 and 10,000)."""


# ---------------------------------------------------------------------------------------------
# Measuring inside a child process


def is_ours(callback: Callable[..., Any]) -> bool:
    """Whether an MkDocs event handler is defined in the `kb` package (our hooks and plugins)."""
    code = getattr(getattr(callback, "__func__", callback), "__code__", None)
    return code is not None and Path(code.co_filename).resolve().is_relative_to(PACKAGE)


def time_our_event_handlers(plugins: Any, watch: Stopwatch) -> None:
    """Replace each of our MkDocs event handlers by a timed one, keeping its origin for MkDocs."""
    for event, handlers in plugins.events.items():
        for position, handler in enumerate(handlers):
            if is_ours(handler):
                timed = watch.wrap(f"on_{event}", handler)
                plugins._event_origins[timed] = plugins._event_origins.get(handler, "<unknown>")
                handlers[position] = timed
    for plugin in plugins.values():
        if isinstance(plugin, types.ModuleType):
            time_hook_calls(plugin, watch)


def time_hook_calls(hooks: types.ModuleType, watch: Stopwatch) -> None:
    """Time each function of ours that a hooks module calls (rendering, exports, images, search index)."""
    for name, value in list(vars(hooks).items()):
        if inspect.isfunction(value) and not name.startswith("on_") and is_ours(value):
            setattr(hooks, name, watch.wrap(name, value))


def time_our_stages(watch: Stopwatch) -> None:
    """Time the stages inside the hooks: load, check, the site index (links) and page rendering."""
    from kb.adapters import pipeline
    from kb.site import render, siteindex

    pipeline.load_knowledge_base = watch.wrap("load", pipeline.load_knowledge_base)  # type: ignore[assignment]
    pipeline.check_knowledge_base = watch.wrap("check", pipeline.check_knowledge_base)  # type: ignore[assignment]
    siteindex.build_index = watch.wrap("index", siteindex.build_index)  # type: ignore[assignment]
    render.Renderer.pages = watch.wrap("render", render.Renderer.pages)  # type: ignore[method-assign]


def import_mkdocs() -> None:
    """Import what `run_mkdocs` imports first: MkDocs' own start-up, which the plain build pays inside its
    clock. Libraries that MkDocs loads later but our modules load first stay counted as ours."""
    for name in ("mkdocs.commands.build", "mkdocs.config", "mkdocs.config.defaults"):
        importlib.import_module(name)


def import_our_code() -> types.ModuleType:
    """Import our build's modules (and the libraries only they use, such as pydantic): our start-up cost.
    Returns `kb.adapters.pipeline`."""
    importlib.import_module("kb.adapters.mkdocs_hooks")
    return importlib.import_module("kb.adapters.pipeline")


def measure_our_build(kb: Path, site: Path, config_file: Path) -> dict[str, Any]:
    """Our build as `kb build` runs it, with the time in our code split out.

    The clock starts before MkDocs or our code is imported, as in `measure_baseline`. MkDocs' own
    imports count as MkDocs' time; importing our modules (after MkDocs', so only what we add) is ours.
    The child is started with nothing of ours imported but this module."""
    quiet_mkdocs()
    clock = Clock()
    import_mkdocs()
    watch = Stopwatch()
    pipeline = watch.wrap("import", import_our_code)()
    time_our_stages(watch)
    os.environ["KB_DIR"] = str(kb.resolve())
    before = Clock()
    checked, problems = pipeline.load_and_check(kb)
    first_wall, first_cpu = before.elapsed()
    if checked is None:
        raise SystemExit("\n".join(str(p) for p in problems.sorted()))
    run_mkdocs(config_file, site, lambda config: time_our_event_handlers(config.plugins, watch))
    wall, cpu = clock.elapsed()
    # Ours: importing our code, the load and check before MkDocs starts (as `kb build` does) and every
    # one of our event handlers; load/check/index/render are a breakdown of those, not added again.
    counted = [name for name in watch.cpu if name.startswith("on_") or name == "import"]
    ours_wall = first_wall + sum(watch.wall[name] for name in counted)
    ours_cpu = first_cpu + sum(watch.cpu[name] for name in counted)
    return {
        "total": round(wall, 3), "ours": round(ours_wall, 3), "mkdocs": round(wall - ours_wall, 3),
        "cpu": {"total": round(cpu, 3), "ours": round(ours_cpu, 3), "mkdocs": round(cpu - ours_cpu, 3)},
        "stages": {name: round(seconds, 3) for name, seconds in sorted(watch.wall.items())},
        "stages_cpu": {name: round(seconds, 3) for name, seconds in sorted(watch.cpu.items())},
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }


def dump_pages(kb: Path, config_file: Path, out: Path) -> dict[str, Any]:
    """Write every page and asset MkDocs is given after our hooks ran, as a plain docs folder.

    This is also the first build of this knowledge base: it fills the cache of preview images
    (drawn once per claim, then reused while the claim is unchanged) and returns how long our
    hooks took doing so."""
    from mkdocs.commands.build import get_files
    from mkdocs.config import load_config

    quiet_mkdocs()
    os.environ["KB_DIR"] = str(kb.resolve())
    watch = Stopwatch()
    config = load_config(str(config_file), site_dir=str(out / "unused-site"), strict=True)
    time_our_event_handlers(config.plugins, watch)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    docs = Path(config.docs_dir).resolve()
    for file in files:
        if file.src_dir is not None and Path(file.src_dir).resolve() != docs:
            continue  # a theme file: the baseline's theme brings its own
        target = out / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content_bytes)
    config.plugins.on_shutdown()
    return {"stages": {name: round(s, 3) for name, s in sorted(watch.wall.items())},
            "stages_cpu": {name: round(s, 3) for name, s in sorted(watch.cpu.items())}}


# ---------------------------------------------------------------------------------------------
# The parent: sizes, child processes, report


def run_child(mode: str, *args: str, cards: Path) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and return what it wrote; `cards` is the
    preview-image cache the child's build uses."""
    with subprocess.Popen(
        [sys.executable, "-m", "kb_bench.bench", mode, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, CARD_CACHE_ENV: str(cards)},
    ) as child:
        stdout, stderr = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"kb_bench.bench {mode} failed:\n{stderr[-4000:]}")
    lines = stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def bench_size(claims: int, out: Path, config_file: Path, seed: int, sites_root: Path | None = None) -> dict[str, Any]:
    """Every figure for one size N; the two built sites go under `sites_root` (else the work folder)."""
    work = out / f"n{claims}"
    sites = (sites_root or out) / f"n{claims}-sites"
    kb = work / "kb"
    clock = Clock()
    for folder in (work, sites):
        if folder.exists():
            shutil.rmtree(folder)
    from kb_bench import synth

    synth.write(synth.generate(claims, seed), kb)
    synth_seconds = clock.elapsed()[0]
    cards = work / "card-cache"
    # The dump is the first build: it draws the preview images; the measured build reuses them, as
    # every later build of an unchanged claim does. The first drawing is reported on its own.
    first = run_child("dump-pages", str(kb), str(config_file), str(work / "baseline"), cards=cards)
    ours = run_child("measure-build", str(kb), str(sites / "site"), str(config_file), cards=cards)
    plain = baseline_config(config_file, work / "baseline" / "docs")
    plain_file = work / "baseline" / "mkdocs.yml"
    plain_file.write_text(json.dumps(plain, ensure_ascii=False, indent=1), encoding="utf-8")
    (plain_file.parent / THEME_STRINGS).write_text(theme_strings(), encoding="utf-8")
    baseline = run_child("measure-baseline", str(plain_file), str(sites / "baseline-site"), cards=cards)
    result = {
        "claims": claims,
        "synth_seconds": round(synth_seconds, 2),
        "ours": ours,
        "first_build_hooks": first,
        "sites_folder": str(sites),
        "site_bytes": folder_bytes(sites / "site"),
        "search_bytes": search_bytes(sites / "site"),
        **claim_page_figures(sites / "site"),
        "baseline": {
            **baseline,
            "site_bytes": folder_bytes(sites / "baseline-site"),
            "search_bytes": search_bytes(sites / "baseline-site"),
        },
    }
    result["ratios"] = {
        "ours_share": round(ours["ours"] / ours["total"], 3),
        "total_vs_baseline": round(ours["total"] / baseline["total"], 3),
        "ours_share_cpu": round(ours["cpu"]["ours"] / ours["cpu"]["total"], 3),
        "total_vs_baseline_cpu": round(ours["cpu"]["total"] / baseline["cpu"]["total"], 3),
        "memory_vs_baseline": round(ours["peak_memory_mb"] / baseline["peak_memory_mb"], 3),
        # For the record, not a target: our share when our search index, which takes the place of
        # Material's search indexing in the plain build, is left out.
        "ours_share_cpu_without_search_index": round(
            (ours["cpu"]["ours"] - ours["stages_cpu"].get(SEARCH_STAGE, 0.0)) / ours["cpu"]["total"], 3),
    }
    return result


def environment() -> dict[str, Any]:
    """What the figures were measured on."""
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
    }


def sites_root(choice: Path | None, claims: int) -> Path | None:
    """Where the two built sites of size `claims` go: `choice` when given, else a folder in
    MEMORY_FOLDER when it has room, else None (the work folder).

    Why memory: the build writes the site last, our search index and exports after MkDocs' pages.
    On a disk, a burst of new files right after MkDocs wrote hundreds of megabytes of pages cost us
    5 to 10 times the system time of the same files written alone (0.4 against 0.05 ms a file, from
    0.6 to 2.9 s at 10,000 claims between two runs), as the kernel writes MkDocs' pages back. In
    memory, every file costs what writing it costs, on both sides."""
    if choice is not None:
        return choice
    try:
        free = shutil.disk_usage(MEMORY_FOLDER).free
    except OSError:
        return None
    return MEMORY_FOLDER / f"kb-bench-{os.getpid()}" if free > claims * SITE_BYTES_PER_CLAIM else None


def compile_our_code() -> None:
    """Compile our modules to bytecode before the children import them.

    pip compiles MkDocs, Material and every package it installs when it installs them; it does not
    compile the source of an editable install such as ours. Python would write our bytecode on the
    first import, except where PYTHONDONTWRITEBYTECODE is set (as on the machines this was measured
    on): every child would then compile our source again, about 0.03 s of CPU counted as ours that a
    user's second build does not pay. Stale bytecode is never used: Python checks it against the source."""
    compileall.compile_dir(PACKAGE, quiet=1)


def run_benchmark(sizes: list[int], out: Path, config_file: Path, seed: int, keep: bool,
                  sites: Path | None = None) -> dict[str, Any]:
    """Measure every size, print as it goes, write the report and chart; returns the report."""
    out.mkdir(parents=True, exist_ok=True)
    compile_our_code()
    runs = []
    for claims in sorted(sizes):
        print(f"N={claims:,}: generating, building, dumping the pages, building the plain baseline ...", flush=True)
        root = sites_root(sites, claims)
        try:
            runs.append(bench_size(claims, out, config_file, seed, root))
        finally:
            if not keep:
                shutil.rmtree(out / f"n{claims}", ignore_errors=True)
                shutil.rmtree((root or out) / f"n{claims}-sites", ignore_errors=True)
                if root is not None and sites is None:
                    shutil.rmtree(root, ignore_errors=True)
        print(table(runs[-1:]).splitlines()[-1], flush=True)
    steps = growth(runs)
    lines = verdicts(runs, steps)
    report: dict[str, Any] = {"environment": environment(), "seed": seed, "targets": TARGETS, "runs": runs,
                              "growth": steps, "verdicts": lines}
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    report["chart"] = str(draw_chart(runs, out / "chart.png"))
    print()
    print(table(runs))
    print()
    for run in runs:
        print(stage_lines(run))
        print(search_line(run))
    for step in steps:
        print(f"N={step['from']:,}->{step['to']:,}: claims x{step['claims_factor']}, our build x{step['time_factor']} "
              f"(x{step['time_factor_cpu']} CPU), plain Material x{step['baseline_factor']}")
    print()
    print("\n".join(lines))
    print(f"\nreport: {out / 'report.json'}\nchart:  {out / 'chart.png'}")
    return report


def parser() -> argparse.ArgumentParser:
    """Arguments of `python -m kb_bench.bench`; the child modes are internal."""
    root = argparse.ArgumentParser(prog="kb_bench.bench", description=__doc__.split("\n\n")[0])
    modes = root.add_subparsers(dest="mode")
    build = modes.add_parser("measure-build")
    build.add_argument("kb", type=Path)
    build.add_argument("site", type=Path)
    build.add_argument("config", type=Path)
    dump = modes.add_parser("dump-pages")
    dump.add_argument("kb", type=Path)
    dump.add_argument("config", type=Path)
    dump.add_argument("out", type=Path)
    base = modes.add_parser("measure-baseline")
    base.add_argument("config", type=Path)
    base.add_argument("site", type=Path)
    root.add_argument("--claims", type=int, nargs="+", default=[100, 1000, 10_000], help="sizes N to build")
    root.add_argument("--out", type=Path, default=REPO / "build" / "bench", help="work folder and report")
    root.add_argument("--config", type=Path, default=REPO / "mkdocs.yml")
    root.add_argument("--seed", type=int, default=1)
    root.add_argument("--keep", action="store_true",
                      help="keep the generated knowledge bases and sites (the report names the sites' folder)")
    root.add_argument("--sites", type=Path, default=None,
                      help=f"folder for the built sites (default: {MEMORY_FOLDER} when it has room, else --out)")
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point: the benchmark, or one of its child measurements."""
    args = parser().parse_args(argv)
    if args.mode == "measure-build":
        print(json.dumps(measure_our_build(args.kb, args.site, args.config)))
    elif args.mode == "dump-pages":
        print(json.dumps(dump_pages(args.kb, args.config, args.out)))
    elif args.mode == "measure-baseline":
        print(json.dumps(measure_baseline(args.config, args.site)))
    else:
        if any(n < 1 for n in args.claims):
            print("kb_bench.bench: --claims: expected positive sizes; found " + " ".join(map(str, args.claims)), file=sys.stderr)
            return 2
        run_benchmark(args.claims, args.out.resolve(), args.config.resolve(), args.seed, args.keep,
                      args.sites.resolve() if args.sites else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
