"""Under `mkdocs serve`, a page open in the browser reloads by itself after a save of its record, shows
the new text, and keeps the reader where they were on the page: once when the record's own page is
built, and again when the rest of the edit is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from test_live_edit import CLAIM, OLD_TITLE, Server, fetch, server, wait_for

__all__ = ["server"]  # the fixture: a `mkdocs serve` of the small knowledge base

NEW_TITLE = "AGIは十年以上先（保存後）"


def page_version(page: Page) -> int | None:
    """The version of the site the open page was served from (MkDocs' live-reload script holds it)."""
    try:
        found = re.search(r"livereload\((\d+),", page.content())
    except PlaywrightError:  # between two pages
        return None
    return int(found[1]) if found else None


def evaluated(page: Page, expression: str) -> Any:
    """`expression` in the page as loaded; evaluated again when a reload (the rest of the edit, which may
    follow the first at once) replaces the page while it runs."""
    for _ in range(20):
        page.wait_for_load_state("load")
        try:
            return page.evaluate(expression)
        except PlaywrightError as error:
            if "Execution context was destroyed" not in str(error):
                raise
    raise AssertionError(f"the page kept reloading while {expression!r} was evaluated")


def served_version(server: Server) -> int:
    """The server's last version of the site, answered at once to a browser that has none."""
    return int(fetch(server.url + "livereload/0/0") or 0)


def test_a_saved_claim_reloads_its_open_page_in_place(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 480, "height": 400})
    page.goto(server.url + "claims/agi-decade/")
    expect(page.locator("h1")).to_contain_text(OLD_TITLE)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 800, "the page is long enough to scroll in this window"
    page.evaluate("window.scrollTo(0, 300)")
    page.wait_for_function("scrollY === 300")
    page.evaluate("window.kbBeforeSave = true")  # gone once the page has reloaded
    record = Path(server.kb) / CLAIM
    record.write_text(record.read_text(encoding="utf-8").replace(f"title: {OLD_TITLE}\n", f"title: {NEW_TITLE}\n"),
                      encoding="utf-8")
    expect(page.locator("h1")).to_contain_text(NEW_TITLE, timeout=60_000)
    assert evaluated(page, "window.kbBeforeSave") is None, "the browser reloaded the page"
    assert abs(evaluated(page, "scrollY") - 300) < 40, "the reader stays where they were"
    # The claim's own page came first; the rest of the edit follows, and the browser reloads again unless the
    # rest was built before the first reload (the live-reload server's version of the site tells).
    wait_for("the rest of the edit", lambda: "Updated the site in" in server.terminal(), server)
    wait_for("the page at the site's last version", lambda: page_version(page) == served_version(server), server)
    assert abs(evaluated(page, "scrollY") - 300) < 40, "the reader still stays where they were"
    page.goto(server.url + "claims/")
    expect(page.locator("article")).to_contain_text(NEW_TITLE)
