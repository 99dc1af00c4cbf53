"""The benchmark's figures: sizes of the built sites, growth between sizes, the verdict on each
target, the table printed and the chart drawn."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

SEARCH_FOLDERS = ("search", "pagefind")
SEARCH_STAGE = "write_search_index"
"""The stage of our build that makes the search index (timed through the hooks module)."""
TARGETS = {"ours_share": 0.10, "total_vs_baseline": 1.25, "growth_per_tenfold": 11.0, "peak_memory_mb": 1024.0}


def folder_bytes(folder: Path) -> int:
    """Total size of the files under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def search_bytes(site: Path) -> int:
    """What the site ships for search: every file under its search folders."""
    return sum(folder_bytes(site / name) for name in SEARCH_FOLDERS if (site / name).is_dir())


def claim_page_figures(site: Path) -> dict[str, int]:
    """Size of one claim page and how many links its navigation holds (it must not list every claim)."""
    pages = sorted((site / "claims").glob("*/index.html"))
    if not pages:
        return {"claim_page_bytes": 0, "claim_page_nav_links": 0}
    html = pages[0].read_text(encoding="utf-8")
    return {"claim_page_bytes": len(html.encode()), "claim_page_nav_links": html.count('class="md-nav__link')}


def growth(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Between consecutive sizes: how much N grew and how much the total time and baseline grew."""
    steps = []
    for small, large in itertools.pairwise(runs):
        steps.append({
            "from": small["claims"], "to": large["claims"],
            "claims_factor": round(large["claims"] / small["claims"], 2),
            "time_factor": round(large["ours"]["total"] / small["ours"]["total"], 2),
            "time_factor_cpu": round(large["ours"]["cpu"]["total"] / small["ours"]["cpu"]["total"], 2),
            "baseline_factor": round(large["baseline"]["total"] / small["baseline"]["total"], 2),
        })
    return steps


def verdicts(runs: list[dict[str, Any]], steps: list[dict[str, Any]]) -> list[str]:
    """One line per target: the figure, the limit, and whether it is met. Time targets are judged on
    CPU time, steadier than wall-clock time on a shared machine; the wall-clock figure is shown beside it."""
    lines = []
    for run in runs:
        n, ratios = f"N={run['claims']:,}", run["ratios"]
        lines.append(_verdict(f"{n}: our share of the total", ratios["ours_share_cpu"], ratios["ours_share"],
                              TARGETS["ours_share"], "{:.1%}"))
        lines.append(_verdict(f"{n}: total / plain Material", ratios["total_vs_baseline_cpu"],
                              ratios["total_vs_baseline"], TARGETS["total_vs_baseline"], "{:.2f}x"))
        memory = run["ours"]["peak_memory_mb"]
        lines.append(_verdict(f"{n}: peak memory", memory, memory, TARGETS["peak_memory_mb"], "{:.0f} MiB"))
    for step in steps:
        limit = TARGETS["growth_per_tenfold"] * step["claims_factor"] / 10
        lines.append(_verdict(f"N={step['from']:,}->{step['to']:,}: time growth", step["time_factor_cpu"],
                              step["time_factor"], limit, "{:.2f}x"))
    return lines


def _verdict(label: str, cpu: float, wall: float, limit: float, style: str) -> str:
    state = "meets" if cpu <= limit else "MISSES"
    shown = style.format(cpu) if cpu == wall else f"{style.format(cpu)} CPU, {style.format(wall)} wall-clock"
    return f"{label}: {shown} ({state} the target of at most {style.format(limit)})"


def table(runs: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table: wall-clock seconds, then the ratios in wall-clock and CPU time."""
    head = ("| claims | ours (s) | MkDocs (s) | total (s) | plain Material (s) | ours share | total / plain "
            "| CPU: ours share | CPU: total / plain | peak memory (MiB) | plain memory (MiB) | site (MB) "
            "| search payload (MB) | claim-page nav links |")
    rows = [head, "|" + "---|" * 14]
    for run in runs:
        ours, base, ratios = run["ours"], run["baseline"], run["ratios"]
        rows.append(
            f"| {run['claims']:,} | {ours['ours']:.2f} | {ours['mkdocs']:.2f} | {ours['total']:.2f} "
            f"| {base['total']:.2f} | {ratios['ours_share']:.1%} | {ratios['total_vs_baseline']:.2f} "
            f"| {ratios['ours_share_cpu']:.1%} | {ratios['total_vs_baseline_cpu']:.2f} "
            f"| {ours['peak_memory_mb']:.0f} | {base['peak_memory_mb']:.0f} | {run['site_bytes'] / 1e6:.1f} "
            f"| {run['search_bytes'] / 1e6:.2f} | {run['claim_page_nav_links']} |"
        )
    return "\n".join(rows)


def stage_lines(run: dict[str, Any]) -> str:
    """Where our time went for one size, in CPU seconds, largest first; then the first build's images."""
    cpu = run["ours"]["stages_cpu"]
    parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(cpu.items(), key=lambda i: -i[1])
                      if seconds >= 0.01)
    first = run["first_build_hooks"]["stages_cpu"].get("preview_images")
    drawn = f"; the first build drew the preview images in {first:.2f}" if first is not None else ""
    return f"N={run['claims']:,}, CPU seconds in our code: {parts}{drawn}"


def search_line(run: dict[str, Any]) -> str:
    """Search indexing on both sides, in CPU seconds, and our share without ours (for the record)."""
    ours = run["ours"]["stages_cpu"].get(SEARCH_STAGE, 0.0)
    material = run["baseline"].get("search_index_cpu", 0.0)
    without = run["ratios"]["ours_share_cpu_without_search_index"]
    return (f"N={run['claims']:,}, search indexing in CPU seconds: ours {ours:.2f} (counted in our share), "
            f"Material's search plugin {material:.2f} in the plain build; our share without our index: {without:.1%}")


def draw_chart(runs: list[dict[str, Any]], target: Path) -> Path:
    """Time and peak memory against N, ours beside the plain Material baseline, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    sizes = [r["claims"] for r in runs]
    figure, (timing, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    timing.plot(sizes, [r["ours"]["total"] for r in runs], "o-", color="C0", label="our build, wall-clock")
    timing.plot(sizes, [r["ours"]["cpu"]["total"] for r in runs], "o:", color="C0", label="our build, CPU")
    timing.plot(sizes, [r["baseline"]["total"] for r in runs], "s-", color="C1", label="plain Material, wall-clock")
    timing.plot(sizes, [r["baseline"]["cpu"]["total"] for r in runs], "s:", color="C1", label="plain Material, CPU")
    timing.plot(sizes, [r["ours"]["cpu"]["ours"] for r in runs], "v-", color="C3",
                label="our code in our build, CPU")
    timing.set(xscale="log", yscale="log", xlabel="claims", ylabel="seconds", title="Build time")
    timing.legend(fontsize=8)
    timing.grid(True, which="both", alpha=0.3)
    memory.plot(sizes, [r["ours"]["peak_memory_mb"] for r in runs], "o-", label="our build")
    memory.plot(sizes, [r["baseline"]["peak_memory_mb"] for r in runs], "s--", label="plain Material")
    memory.axhline(TARGETS["peak_memory_mb"], color="red", linewidth=0.8, label="1 GiB target")
    memory.set(xscale="log", xlabel="claims", ylabel="MiB", title="Peak memory")
    memory.legend(fontsize=8)
    memory.grid(True, which="both", alpha=0.3)
    for axes in (timing, memory):
        axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    timing.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}"))
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
