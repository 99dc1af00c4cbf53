"""Incremental rebuilds under `mkdocs serve`: after any sequence of edits, the served site equals a clean
full build of the same records, byte for byte.

The serve side runs in this process as `mkdocs serve` runs it (the plugin started for "serve", a first
full build, then the plugin's rebuild after each edit with a full build as its fallback); the clean
build is `mkdocs build` in a child process. Both date the sitemap from SOURCE_DATE_EPOCH, so nothing is
excluded from the comparison.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import pytest
from conftest import REPO, copy_fixture
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from kb.adapters.mkdocs_plugin import KnowledgeBasePlugin, plugin_of
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_determinism import differences

SERVE_URL = "http://127.0.0.1:8000/"
DATE = "1000000000"
CLAIM = "claims/agi-decade.yaml"
OTHER = "claims/narrator-optimism.yaml"
TERM = "glossary/agi.yaml"


@dataclass
class Served:
    """A knowledge base served in this process, as `mkdocs serve` builds it."""

    kb: Path
    site: Path
    plugin: KnowledgeBasePlugin
    terminal: list[str] = field(default_factory=list)
    """What the plugin printed while serving."""
    full_builds: list[str] = field(default_factory=list)
    """Why each rebuild after the first was a full one (the line printed before it)."""
    clock: int = 0
    live_reload: LiveReload | None = None
    hurried: bool = False
    """Whether the next save comes while the rest of this one may still be being built (the next stops it)."""

    def config(self) -> object:
        config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def full_build(self) -> None:
        self.full_builds.append(self.terminal[-1] if self.terminal else "")
        build(self.config(), serve_url=SERVE_URL)  # type: ignore[arg-type]

    def rebuild(self) -> None:
        self.plugin.rebuild(self.full_build)
        if not self.hurried:
            self.plugin.settle()  # the rest of the edit, built in the background after the edited record's pages

    def write(self, relative: str, text: str | None) -> None:
        """Save (or, with None, delete) a record as an editor does, then rebuild."""
        self.save(relative, text)
        self.rebuild()

    def save(self, relative: str, text: str | None) -> None:
        path = self.kb / relative
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
            # Each save a distinct modification time, as saves by hand are (several here fall in one clock tick).
            self.clock += 1
            os.utime(path, ns=(self.clock * 10**9, self.clock * 10**9))


@pytest.fixture
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], Served]]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DATE)
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.chdir(REPO)
    handlers: list[logging.Handler] = []

    def start(kb: Path) -> Served:
        monkeypatch.setenv("KB_DIR", str(kb))
        site = kb.parent / "served"
        site.mkdir(exist_ok=True)
        config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(site))
        watched = kb.parent / "watched.txt"  # stands for mkdocs.yml, docs/ and the theme, which are the repository's
        watched.write_text("one", encoding="utf-8")
        config.watch.append(str(watched))
        config.plugins.on_startup(command="serve", dirty=False)
        served = Served(kb, site, plugin_of(config))  # type: ignore[arg-type]
        served.plugin.server = served.live_reload = LiveReload()
        handler = Recorder(served.terminal)
        logging.getLogger("kb.serve").addHandler(handler)
        handlers.append(handler)
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        return served

    yield start
    for handler in handlers:
        logging.getLogger("kb.serve").removeHandler(handler)


class LiveReload:
    """Stands for MkDocs' live-reload server as the plugin uses it: its epochs, their locks, whether a
    build is asked for; counts the reloads the plugin asks for itself."""

    def __init__(self) -> None:
        self._wanted_epoch = self._visible_epoch = 1
        self._want_rebuild = False
        self._epoch_cond = self._rebuild_cond = self
        self.reloads = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def notify_all(self) -> None:
        self.reloads += 1


class Recorder(logging.Handler):
    """Keeps each message of the plugin's terminal output."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def clean_build(kb: Path, site: Path) -> Path:
    """`mkdocs build` of `kb` in a fresh process, addressed as the served site is."""
    env = {**os.environ, "KB_DIR": str(kb), "SITE_URL": SERVE_URL, "SOURCE_DATE_EPOCH": DATE}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return site


def assert_same_as_clean_build(served: Served) -> None:
    clean = clean_build(served.kb, served.kb.parent / "clean")
    assert differences(served.site, clean) == []
    shutil.rmtree(clean)


def test_an_edit_of_a_claim_title_rebuilds_the_pages_showing_it_and_nothing_else(
        tmp_path: Path, serving: Callable[[Path], Served]) -> None:
    served = serving(copy_fixture("small", tmp_path))
    text = (served.kb / CLAIM).read_text(encoding="utf-8")
    served.write(CLAIM, text.replace("title: AGIは10年以上先\n", "title: AGIは十年以上先\n"))
    assert served.full_builds == []
    rebuilt = next(line for line in served.terminal if line.startswith("Rebuilt "))
    assert "claims/agi-decade.md" in rebuilt and "contributing.md" not in rebuilt
    assert "AGIは十年以上先" in (served.site / "claims/agi-decade/index.html").read_text(encoding="utf-8")
    assert_same_as_clean_build(served)


def test_the_edited_claims_page_is_built_before_the_rest(tmp_path: Path, serving: Callable[[Path], Served]) -> None:
    """The builder returns (so MkDocs' server serves again and the browsers reload) once the edited claim's
    pages are built; the rest follows in the background, then the browsers reload again."""
    served = serving(copy_fixture("small", tmp_path))
    text = (served.kb / CLAIM).read_text(encoding="utf-8")
    served.save(CLAIM, text.replace("title: AGIは10年以上先\n", "title: AGIは十年以上先\n"))
    served.plugin.rebuild(served.full_build)
    assert "AGIは十年以上先" in (served.site / "claims/agi-decade/index.html").read_text(encoding="utf-8")
    assert any(line.startswith("Rebuilt first: claims/agi-decade.md, en/claims/agi-decade.md (records read and checked ")
               for line in served.terminal), served.terminal
    served.plugin.settle()
    live = served.live_reload
    assert live is not None and live.reloads == 1 and live._visible_epoch == live._wanted_epoch > 1
    assert served.full_builds == []
    assert "AGIは十年以上先" in (served.site / "claims/index.html").read_text(encoding="utf-8")
    assert_same_as_clean_build(served)


TITLES = ["AGIは十年以上先", "AGIは当分来ない <b>本当に</b>", "AGI & 10年"]
RENAMED = "agi-later"
EXTRA = "claims/extra-claim.yaml"


@dataclass
class Editor:
    """An editor's session on the small fixture: what it saves, with a model of where things are."""

    served: Served
    good: dict[str, str] = field(default_factory=dict)
    """Each file currently saved half-written, with its last good text."""
    claim: str = CLAIM

    def text(self, relative: str) -> str:
        return self.good.get(relative) or (self.served.kb / relative).read_text(encoding="utf-8")

    def replace_line(self, relative: str, start: str, value: str) -> None:
        lines = self.text(relative).splitlines(keepends=True)
        at = next(number for number, line in enumerate(lines) if line.lstrip().startswith(start))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        lines[at] = f"{indent}{start} {value}\n"
        self.good.pop(relative, None)
        self.served.write(relative, "".join(lines))

    def apply(self, kind: str, choice: int) -> None:
        if kind == "claim title":
            self.replace_line(self.claim, "title:", TITLES[choice])
        elif kind == "claim summary":
            self.replace_line(OTHER, "summary:", f"ナレーターはもっと楽観的だ（{choice}）。")
        elif kind == "glossary entry":
            self.replace_line(TERM, "definition:", f"人間並みに幅広い課題をこなせるAI（版{choice}）。")
        elif kind == "topic":
            self.replace_line("topics.yaml", "name:", f"AGIの到来時期{choice}")
        elif kind == "speaker":
            self.replace_line("speakers.yaml", "name_ja:", f"アンドレイ・カルパシー{'氏' * choice}")
        elif kind == "broken record":
            relative = [self.claim, TERM, "topics.yaml"][choice]
            good = self.text(relative)
            self.good[relative] = good
            self.served.write(relative, good[: len(good) // 2] + '"未完')
        elif kind == "repair":
            self.repair()
        elif kind == "rename" and self.claim == CLAIM:
            self.rename()
        elif kind == "add or delete":
            self.served.write(EXTRA, None if (self.served.kb / EXTRA).exists() else self.extra_claim())

    def rename(self) -> None:
        """agi-decade becomes agi-later, keeping its former id; the claim relating to it follows."""
        text = self.text(CLAIM).replace("id: agi-decade\n", f"id: {RENAMED}\nformer_ids: [agi-decade]\n", 1)
        self.claim = f"claims/{RENAMED}.yaml"
        self.good.pop(CLAIM, None)
        self.served.write(self.claim, text)
        self.served.write(CLAIM, None)
        self.served.write(OTHER, self.text(OTHER).replace("id: agi-decade\n", f"id: {RENAMED}\n"))

    def extra_claim(self) -> str:
        text = (self.served.kb.parent / "original" / CLAIM).read_text(encoding="utf-8")
        return text.replace("id: agi-decade\n", "id: extra-claim\n", 1).replace("title: AGIは10年以上先", "title: 追加の主張")

    def repair(self) -> None:
        for relative, good in sorted(self.good.items()):
            del self.good[relative]
            self.served.write(relative, good)


EDITS = st.tuples(st.sampled_from(["claim title", "claim summary", "glossary entry", "topic", "speaker",
                                   "broken record", "repair", "rename", "add or delete"]), st.integers(0, 2),
                  st.booleans())


@settings(max_examples=int(os.environ.get("KB_INCREMENTAL_EXAMPLES", "3")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example builds sites for seconds
@given(edits=st.lists(EDITS, min_size=1, max_size=8))
def test_after_any_edits_the_served_site_equals_a_clean_build(
        tmp_path: Path, serving: Callable[[Path], Served], edits: list[tuple[str, int, bool]]) -> None:
    """Some saves are hurried: the next comes while the rest of the edit may still be being built, and
    stops it wherever it is (which varies from run to run)."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    shutil.copytree(REPO / "tests/fixtures/small", folder / "original")
    editor = Editor(serving(copy_fixture("small", folder)))
    for kind, choice, hurried in edits:
        editor.served.hurried = hurried
        editor.apply(kind, choice)
    editor.served.hurried = False
    editor.repair()  # the last save of every file is a good one
    editor.served.plugin.settle()
    assert_same_as_clean_build(editor.served)
    assert editor.served.full_builds == []  # records alone were edited: never a full build


def test_an_edit_outside_the_records_rebuilds_the_whole_site_and_says_why(
        tmp_path: Path, serving: Callable[[Path], Served]) -> None:
    served = serving(copy_fixture("small", tmp_path))
    (tmp_path / "watched.txt").write_text("two", encoding="utf-8")
    text = (served.kb / CLAIM).read_text(encoding="utf-8")
    served.write(CLAIM, text.replace("title: AGIは10年以上先\n", "title: AGIは十年以上先\n"))
    assert served.full_builds == ["Rebuilding the whole site: mkdocs.yml, the docs folder or the theme's overrides changed"]
    assert_same_as_clean_build(served)
    served.write(CLAIM, text)  # and the next edit of a record is incremental again
    assert len(served.full_builds) == 1
    assert_same_as_clean_build(served)


def test_a_new_english_name_rebuilds_the_whole_site(tmp_path: Path, serving: Callable[[Path], Served]) -> None:
    """home.yaml's English title is the name in every English page's header, which no page's Markdown holds."""
    served = serving(copy_fixture("small", tmp_path))
    text = (served.kb / "home.yaml").read_text(encoding="utf-8")
    assert "\ntitle_en: " in text
    served.write("home.yaml", text.replace("\ntitle_en: ", "\ntitle_en: Renamed ", 1))
    assert served.full_builds == [
        "Rebuilding the whole site: the English edition's name changed (home.yaml), which every English page shows"]
    assert_same_as_clean_build(served)


def test_a_save_during_the_rest_of_an_edit_stops_it_and_the_site_ends_whole(
        tmp_path: Path, serving: Callable[[Path], Served]) -> None:
    """Two saves of a claim in quick succession, the second putting the first title back: the first edit's
    rest is stopped (or not, by timing), and the site ends equal to a clean build of the last records."""
    served = serving(copy_fixture("small", tmp_path))
    text = (served.kb / CLAIM).read_text(encoding="utf-8")
    served.hurried = True
    served.write(CLAIM, text.replace("title: AGIは10年以上先\n", "title: AGIは十年以上先\n"))
    served.write(CLAIM, text)
    served.plugin.settle()
    assert served.full_builds == []
    assert "AGIは十年以上先" not in (served.site / "claims/agi-decade/index.html").read_text(encoding="utf-8")
    assert_same_as_clean_build(served)
