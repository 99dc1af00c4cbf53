"""Edit-to-refresh under `make serve`: ours beside plain `mkdocs serve` of the same dumped pages.

For each knowledge base (the real one, and synthetic ones of N claims) it starts `mkdocs serve` with
our plugin, and `mkdocs serve` of a plain Material configuration reading the pages our plugin
generated (dumped by `kb_bench.bench dump-pages`), each on its own port of 127.0.0.1. Then, for each
kind of edit (a claim's title, a glossary entry's definition, a topic's description), several times:
ours saves the record with a new marker in the field, the plain side saves the page's Markdown with
the marker appended, and the clock runs from the save until the served page (polled over HTTP every
10 ms) shows the marker. The plain server notices a save by MkDocs' file polling (every 0.5 s), ours by the
records' native watch (`kb.adapters.servewatch`); both then wait MkDocs' 0.1 s for saves to stop. Ours
builds the edited record's page first and reloads the browsers, then the rest: both times are reported. The machine is shared, so beside the wall
clock it reports the CPU time the server process spent from the save to the change being served
(from /proc, so Linux only; it includes the file polling's few milliseconds). It prints the medians
side by side and writes a JSON report.

    python -m kb_bench.bench_serve --claims real 1000 --repeat 5 --out build/bench-serve
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from kb.records.layout import INPUT_NAMES

from . import synth
from .baseline import THEME_HOOK, THEME_STRINGS, theme_strings
from .bench import REPO, baseline_config, run_child

START_TIMEOUT = 1800.0
EDIT_TIMEOUT = 1200.0  # a plain rebuild at 10,000 claims takes minutes on a loaded machine


@dataclass(frozen=True)
class Edit:
    """One kind of edit: the record and field ours changes, the page the plain side changes, the page polled."""

    kind: str
    record: str
    field: str
    page: str
    """The generated Markdown page (`claims/<id>.md`) whose served URL shows the change."""

    @property
    def url(self) -> str:
        return "" if self.page == "index.md" else re.sub(r"(index)?\.md$", "", self.page).rstrip("/") + "/"


def edits_of(kb: Path) -> list[Edit]:
    """A claim's title, the first glossary entry's definition and the first topic's description."""
    claim = min((kb / "claims").glob("*.yaml"))
    term = min((kb / "glossary").glob("*.yaml"))
    topic = yaml.safe_load((kb / "topics.yaml").read_text(encoding="utf-8"))["topics"][0]["id"]
    return [
        Edit("claim text", f"claims/{claim.name}", "title", f"claims/{claim.stem}.md"),
        Edit("glossary entry", f"glossary/{term.name}", "definition", "glossary/index.md"),
        Edit("topic", "topics.yaml", "description", f"topics/{topic}.md"),
    ]


def with_marker(text: str, field: str, marker: str) -> str:
    """`text` (YAML) with `marker` appended to the first `field:` value, written as a JSON string."""
    match = re.search(rf"^(\s*(?:- )?){field}: (.*)$", text, flags=re.MULTILINE)
    assert match, field
    value = str(yaml.safe_load(match.group(2))) + marker
    return text[: match.start()] + f"{match.group(1)}{field}: {json.dumps(value, ensure_ascii=False)}" + text[match.end():]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(url: str, marker: str, timeout: float, gone: bool = False) -> float:
    """Seconds until the page at `url` holds `marker` (with `gone`, no longer holds it), polled every 10 ms."""
    start = time.monotonic()
    def waiting() -> bool:
        page = fetch(url)
        return (not page or marker in page) if gone else marker not in page

    while waiting():
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"{url} did not {'drop' if gone else 'show'} {marker!r} within {timeout:.0f} s")
        time.sleep(0.01)
    return time.monotonic() - start


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def serving(config: Path, kb: Path, log: Path, env: dict[str, str]) -> Iterator[Server]:
    """`mkdocs serve -f config` on a free port of 127.0.0.1, once it answers."""
    port = free_port()
    with log.open("wb") as output, subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO, env={**os.environ, **env, "KB_DIR": str(kb)}, stdout=output, stderr=subprocess.STDOUT,
    ) as process:
        url = f"http://127.0.0.1:{port}/"
        try:
            start = time.monotonic()
            while not fetch(url):
                if process.poll() is not None or time.monotonic() - start > START_TIMEOUT:
                    raise RuntimeError(f"mkdocs serve -f {config} did not start; see {log}")
                time.sleep(0.2)
            yield Server(url, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)


DONE = "Updated the site in "
"""What our server prints when everything an edit changed is built (`kb.adapters.mkdocs_plugin`)."""


def time_edits(server: Server, edits: list[Edit], repeat: int, save: dict[str, Path],
               plain: bool, log: Path) -> dict[str, dict[str, list[float]]]:
    """Each edit `repeat` times: wall-clock and the server's CPU seconds from the save to the page showing
    it, and (ours) the wall-clock to the whole site built, told by `log`: ours builds the edited record's
    page first and the rest after. The plain server builds everything at once: both figures are the page's."""
    times: dict[str, dict[str, list[float]]] = {}
    for edit in edits:
        target = save[edit.kind]
        original = target.read_text(encoding="utf-8")
        for number in range(repeat):
            marker = f"改訂{'平' if plain else '当'}{number}号"
            edited = original + f"\n\n{marker}\n" if plain else with_marker(original, edit.field, marker)
            time.sleep(1.0)  # the server idle, as between an editor's saves
            cpu, done = cpu_seconds(server.pid), _count(log, DONE)
            start = time.monotonic()
            target.write_text(edited, encoding="utf-8")
            wall = wait_until(server.url + edit.url, marker, EDIT_TIMEOUT)
            whole = wall if plain else wait_whole(log, done, start)
            figures = times.setdefault(edit.kind, {"wall": [], "cpu": [], "whole": []})
            figures["wall"].append(round(wall, 3))
            figures["whole"].append(round(whole, 3))
            figures["cpu"].append(round(cpu_seconds(server.pid) - cpu, 3))
        done = _count(log, DONE)
        target.write_text(original, encoding="utf-8")
        # The next kind's first edit must not find this rebuild under way on either side.
        if plain:
            wait_until(server.url + edit.url, marker, EDIT_TIMEOUT, gone=True)
        else:
            wait_whole(log, done, time.monotonic())
    return times


def wait_whole(log: Path, done: int, start: float) -> float:
    """Seconds from `start` until our server has printed DONE more than `done` times: the whole site built."""
    while _count(log, DONE) <= done:
        if time.monotonic() - start > EDIT_TIMEOUT:
            raise RuntimeError(f"the whole site was not built within {EDIT_TIMEOUT:.0f} s; see {log}")
        time.sleep(0.01)
    return time.monotonic() - start


def _count(log: Path, text: str) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count(text)


def prepare(size: str, work: Path, seed: int) -> Path:
    """The knowledge base of `size` ("real": a copy of this repository's) under `work`."""
    kb = work / "kb"
    if kb.exists():
        shutil.rmtree(kb)
    if size == "real":
        kb.mkdir(parents=True)
        for name in INPUT_NAMES:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, kb / name)
            elif source.exists():
                shutil.copyfile(source, kb / name)
    else:
        synth.write(synth.generate(int(size), seed), kb)
    return kb


def write_theme_hook(folder: Path) -> Path:
    """The hook file and its strings beside the plain configuration; returns the hook's path."""
    (folder / THEME_STRINGS).write_text(theme_strings(), encoding="utf-8")
    hook = folder / "theme_hook.py"
    hook.write_text(THEME_HOOK, encoding="utf-8")
    return hook


def bench_size(size: str, out: Path, repeat: int, seed: int) -> dict[str, object]:
    work = out / f"n-{size}"
    kb = prepare(size, work, seed)
    cards = work / "card-cache"
    env = {"KB_OG_CACHE": str(cards)}
    config = REPO / "mkdocs.yml"
    dump = work / "baseline"
    if dump.exists():
        shutil.rmtree(dump)
    run_child("dump-pages", str(kb), str(config), str(dump), cards=cards)
    plain_config = dump / "mkdocs.yml"
    plain = baseline_config(config, dump / "docs")
    plain["hooks"] = [str(write_theme_hook(dump).resolve())]  # the overrides print the catalogue's words, as our on_env gives them
    plain_config.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
    edits = edits_of(kb)
    with serving(config, kb, work / "ours.log", env) as server:
        ours = time_edits(server, edits, repeat, {e.kind: kb / e.record for e in edits}, False, work / "ours.log")
    with serving(plain_config, kb, work / "plain.log", env) as server:
        plain = time_edits(server, edits, repeat, {e.kind: dump / "docs" / e.page for e in edits}, True, work / "plain.log")
    claims = len(list((kb / "claims").glob("*.yaml")))
    return {"size": size, "claims": claims, "ours": ours, "plain": plain,
            "full_builds": (work / "ours.log").read_text(encoding="utf-8", errors="replace").count("Rebuilding the whole")}


def import_seconds(module: str, runs: int = 7) -> dict[str, float]:
    """Median wall-clock and CPU seconds of `python -c "import <module>"` less `python -c pass`, in fresh processes."""
    def median(code: str) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(runs):
            start, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls.append(time.monotonic() - start)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return statistics.median(walls), statistics.median(cpus)

    (wall, cpu), (bare_wall, bare_cpu) = median(f"import {module}"), median("pass")
    return {"wall": round(wall - bare_wall, 3), "cpu": round(cpu - bare_cpu, 3)}


def table(runs: list[dict[str, object]]) -> str:
    lines = [("| claims | edit | ours: page shown, wall (CPU to the whole site) s | ours: whole site, wall s | "
              "plain mkdocs serve: wall (CPU) s | ours / plain: page wall, whole wall (CPU) | full builds |"),
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        ours, plain = run["ours"], run["plain"]
        assert isinstance(ours, dict) and isinstance(plain, dict)
        for kind in ours:
            mine, theirs = ({key: statistics.median(side[kind][key]) for key in ("wall", "cpu", "whole")}
                            for side in (ours, plain))
            lines.append(f"| {run['claims']:,} ({run['size']}) | {kind} | {mine['wall']:.2f} ({mine['cpu']:.2f}) | "
                         f"{mine['whole']:.2f} | {theirs['wall']:.2f} ({theirs['cpu']:.2f}) | "
                         f"{mine['wall'] / theirs['wall']:.2f}, {mine['whole'] / theirs['wall']:.2f} "
                         f"({mine['cpu'] / max(theirs['cpu'], 0.001):.2f}) | {run['full_builds']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", nargs="+", default=["real", "1000"], help='"real" or a number of synthetic claims')
    parser.add_argument("--repeat", type=int, default=5, help="edits of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "bench-serve")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    for size in args.claims:
        print(f"{size}: preparing, dumping the pages, serving both, editing ...", flush=True)
        runs.append(bench_size(size, args.out, args.repeat, args.seed))
        print(table(runs[-1:]), flush=True)
    startup = import_seconds("kb.adapters.cli")
    report = {"runs": runs, "import_kb_check_seconds": startup, "load_average": os.getloadavg()}
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(runs))
    print(f"importing the package for `kb check` (kb.adapters.cli): {startup['wall']:.3f} s wall, "
          f"{startup['cpu']:.3f} s CPU (target < 0.3 s); load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
