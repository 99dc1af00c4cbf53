"""Edits while serving: the `kb` plugin's part that runs after the first full build under `mkdocs serve`.

A save loads and checks the records, builds the edited records' own pages first (`build_first`) and
returns, so that MkDocs' server serves again and the browsers reload to them; the rest of the edit
(`update_rest`: every page rendered again in memory and compared, the pages that changed rebuilt
through MkDocs' page stages, exports, search index) is built in a background thread, which a newer
save stops where it safely can. Anything the update cannot do falls back to MkDocs' own full build,
said in the terminal. See the README's design notes on serving.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..checks.check import CheckedKnowledgeBase
from ..output.generated import GeneratedSite, SiteInfo, generated_site
from ..output.incremental import BuiltCard, edited_record_pages, pages_with_new_cards, site_changes
from ..output.postbuild import json_files
from ..output.settings import BuildSettings
from ..search.search_site import write_search_index
from ..site.keptpages import KeptPages
from ..site.ogimage import CardCache
from ..site.render import some_edition_pages
from . import mkdocs_edition
from .gcpause import collect_now, gc_paused
from .mkdocs_incremental import ServedBuild, engine_inputs, rebuild_first, rebuild_pages
from .pipeline import load_and_check
from .servewatch import reload_when_idle, request_rebuild

# Outside the "mkdocs" logger so that, while serving, reported problems do not count as strict-mode warnings.
serve_log = logging.getLogger("kb.serve")
if not serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    serve_log.addHandler(_handler)
    serve_log.propagate = False
    serve_log.setLevel(logging.INFO)  # what each rebuild did, as MkDocs prints its own


def cache_root(config: MkDocsConfig) -> Path:
    """Where builds keep what the next build can reuse (preview images, compiled templates)."""
    return Path(config.config_file_path).parent / ".cache"


class ServedEdits:
    """The plugin's rebuilds after an edit while serving (mixed into `KnowledgeBasePlugin`, which sets
    these attributes in its events)."""

    settings: BuildSettings | None
    cards: CardCache | None
    checked: CheckedKnowledgeBase | None
    generated: GeneratedSite | None
    cards_built: dict[str, BuiltCard]
    served: ServedBuild | None
    server: Any
    rest: threading.Thread | None
    newer: threading.Event
    kept_pages: KeptPages

    def rebuild(self, full_build: Callable[[], None]) -> None:
        """After an edit while serving: update only what it changed, else run `full_build` and say why."""
        self.newer.set()  # the rest of the last edit stops where it safely can
        self.settle()
        self.newer.clear()
        start = time.monotonic()
        try:
            reason = self.update_served_site(start)
        except Exception as error:  # noqa: BLE001 - the site may be half updated: the full build makes it whole
            reason = f"updating only the changed pages failed ({type(error).__name__}: {error})"
        if reason is None:
            return
        serve_log.info("Rebuilding the whole site: %s", reason)
        self.served = None
        full_build()

    def settle(self) -> None:
        """Wait until the rest of the last edit is built, when it was being built after the edited records' pages."""
        if self.rest is not None:
            self.rest.join()
            self.rest = None

    def update_served_site(self, start: float) -> str | None:
        """Rebuild only the pages and files the records' edit changed; None when done (or, after the edited
        records' own pages, under way in the background), else why a full build is needed (nothing built
        yet, mkdocs.yml, docs or theme edited)."""
        served, settings = self.served, self.settings
        if served is None or settings is None:
            return "the last build did not finish"
        if not settings.search:
            return "Material's own search index lists the generated pages (search: false)"
        if engine_inputs(served.config) != served.engine_inputs:
            return "mkdocs.yml, the docs folder or the theme's overrides changed"
        clock = Stopwatch()
        checked, problems = load_and_check(settings.kb_dir)
        clock.lap("records read and checked")
        if checked is None or problems:
            report_kept(problems)
            return None
        if self.checked is not None and mkdocs_edition.english_site_name(self.checked) != mkdocs_edition.english_site_name(checked):
            return "the English edition's name changed (home.yaml), which every English page shows"
        with gc_paused():
            first = self.build_first(served, checked, clock)
        if not first:
            self.update_rest(served, checked, start)
            return None
        # The server shows the pages built so far once this returns (MkDocs' builder): the rest follows in
        # the background, and the browsers reload again when it is built. The next edit waits for it (`settle`).
        self.served = None  # until the rest is built: a failure sends the next edit to a full build
        self.rest = threading.Thread(target=self.finish_in_background, args=(served, checked, start),
                                     name="kb-rest-of-edit", daemon=True)
        self.rest.start()
        return None

    def update_rest(self, served: ServedBuild, checked: CheckedKnowledgeBase, start: float) -> None:
        """Render everything again in memory and rebuild what changed: pages, exports, search index. A newer
        edit (`self.newer` set) stops it before it writes a page, or before the search index: the newer
        edit's update then finds what is still to do, as nothing it has not done is recorded as done."""
        config, settings = served.config, self.settings
        assert settings is not None
        with gc_paused():
            clock = Stopwatch()
            site = SiteInfo(config.site_url or "", config.site_name, config.site_description or "")
            generated = generated_site(checked, site, cache_root(config), self.cards, kept=self.kept_pages)
            changes = site_changes(served.generated, generated)
            pages = sorted({*changes.pages, *changes.added_pages,
                            *pages_with_new_cards(served.cards, generated.cards, [*changes.pages, *changes.removed_pages])})
            clock.lap("rendered")
            if self.newer.is_set():
                self.served = served
                serve_log.info("Stopped before rebuilding %d page(s): a newer edit came", len(pages))
                return
            for path in changes.removed_pages:
                served.cards.pop(path, None)
            self.checked, self.generated, self.cards_built = checked, generated, served.cards
            self.served = None  # from here on a failure sends the next edit to a full build
            rebuild_pages(served, changes, generated, pages)
            served.generated = generated
            clock.lap("pages built")
            served.written.update(Path(config.site_dir), json_files(checked))
            clock.lap("exports")
            if self.newer.is_set():
                self.served = served
                serve_log.info("Rebuilt %d page(s); stopped before the search index: a newer edit came", len(pages))
                return
            if settings.search:  # the changed documents (prose pages read again, as just rebuilt) counted again
                served.search_index = write_search_index(checked, Path(config.site_dir), served.search_index, keep=True)
                clock.lap("search index")
        collect_now()
        clock.lap("memory collected")
        self.served = served
        removed = f"; removed {', '.join(changes.removed_pages)}" if changes.removed_pages else ""
        serve_log.info("Rebuilt %d page(s): %s%s", len(pages), ", ".join(pages[:5]) + (" …" if len(pages) > 5 else ""),
                       removed)
        serve_log.info("Updated the site in %.2f seconds (%s)", time.monotonic() - start, clock)

    def finish_in_background(self, served: ServedBuild, checked: CheckedKnowledgeBase, start: float) -> None:
        """`update_rest`, then the browsers reload; on failure the next build is a full one, asked for now."""
        try:
            with server_first():
                self.update_rest(served, checked, start)
        except Exception as error:  # noqa: BLE001 - the site may be half updated: the full build makes it whole
            serve_log.info("Updating only the changed pages failed (%s: %s); the whole site is rebuilt next",
                           type(error).__name__, error)
            self.served = None
            request_rebuild(self.server)
            return
        reload_when_idle(self.server)

    def build_first(self, served: ServedBuild, checked: CheckedKnowledgeBase, clock: Stopwatch) -> list[str]:
        """Build the pages of the edited records ahead of everything else the edit changed (an editor looks
        at what they edit first); returns them. Only while serving, with the last good records to compare."""
        if self.server is None or self.checked is None:
            return []
        pages = edited_record_pages(self.checked.kb, checked.kb)
        cache = cache_root(served.config) / "templates"
        markdown = some_edition_pages(checked, pages, served.config.site_url or "", cache, self.kept_pages)
        clock.lap("rendered")
        first = rebuild_first(served, {path: text for path, text in markdown.items() if text is not None})
        clock.lap("built")
        if first:
            serve_log.info("Rebuilt first: %s (%s)", ", ".join(first), clock)
        return first


SERVER_TURN = 0.0005
"""Seconds the rest of an edit, in its thread, keeps the interpreter while a server thread waits for it."""


@contextmanager
def server_first() -> Iterator[None]:
    """Let the server's threads take their turns often while the body runs in another thread.

    Python runs one thread at a time and, by default, lets a busy thread run 5 ms before another gets its
    turn. The rest of an edit is busy for seconds just when the browsers fetch the pages built first, and
    the server sends a page in 8 KB pieces, each waiting for a turn: sending 420 pieces (a 3.4 MB glossary
    at 10,000 claims) through a socket pair beside a busy thread took 0.55 s, against 0.04 s with turns
    every 0.5 ms."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(SERVER_TURN)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class Stopwatch:
    """Seconds spent in each stage of an update, for the terminal: where an editor's wait goes."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, stage: str) -> None:
        """`stage` took the time since the last lap."""
        now = time.monotonic()
        self.laps.append((stage, now - self.last))
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self.laps)


def report_kept(problems: Any) -> None:
    """Print every problem, and that the last good pages are still served."""
    for problem in problems.sorted():
        serve_log.error(str(problem))
    serve_log.error("%d problem(s) in the knowledge base; still serving the last good version", len(problems))
