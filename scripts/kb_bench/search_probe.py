"""Drive the header search box of a built site in a browser, as a reader does, and read the results.

Used by the browser tests (tests/browser/test_search.py) and by the comparison and scale benchmark
(kb_bench.bench_search), so both judge our search and Material's stock search the same way.
Needs Playwright (a test dependency); it is imported by the callers, not here.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUERIES = Path(__file__).resolve().parents[2] / "tests" / "search_queries.yaml"
"""Direct queries: the content's own words, as typed in many forms."""
READER_QUERIES = Path(__file__).resolve().parents[2] / "tests" / "search_reader_queries.yaml"
"""Readers' queries in eight categories: kana, romaji, typos, variants, questions, phrases, synonyms, English."""
TOP = 3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Debian's Chromium and the flags every browser run of this project uses (as tests/conftest.py)."""


@dataclass(frozen=True)
class SearchCase:
    """A query and the pages of which one must be among the first results."""

    query: str
    kind: str
    expect: tuple[str, ...]


def load_cases(path: Path = QUERIES) -> list[SearchCase]:
    """The queries of `tests/search_queries.yaml`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [SearchCase(str(q["query"]), str(q["kind"]), tuple(q["expect"])) for q in data["queries"]]


@dataclass
class SearchOutcome:
    """What the search box showed for one query."""

    query: str
    results: list[list[str]]
    """Per result item, in order: the site-relative URLs of its page link and visible section links."""
    meta: str
    """The line above the list ('12件見つかりました', 'no results'...)."""
    seconds: float
    """From the query being entered to the result list being shown."""

    def rank_of(self, expected: tuple[str, ...]) -> int | None:
        """1-based rank of the first result item showing one of `expected`, or None."""
        for rank, urls in enumerate(self.results, start=1):
            if any(url in expected for url in urls):
                return rank
        return None

    def found(self, expected: tuple[str, ...], top: int = TOP) -> bool:
        """Whether one of `expected` is among the first `top` result items."""
        rank = self.rank_of(expected)
        return rank is not None and rank <= top


_READ_RESULTS = """
(base) => Array.from(document.querySelectorAll('.md-search-result__list > .md-search-result__item'))
  .map(item => Array.from(item.querySelectorAll(':scope > a[href]')).map(a => {
    const url = new URL(a.getAttribute('href'), location.href)
    return url.pathname.slice(new URL(base).pathname.length) + url.hash
  }))
"""

_WAIT_FOR_ANSWER = """
([placeholder, before]) => {
  const meta = document.querySelector('.md-search-result__meta')
  return meta && meta.textContent.trim() !== placeholder && meta.textContent.trim() !== before
}
"""


_MEASURE = """
([query, waiting]) => new Promise(resolve => {
  const input = document.querySelector('.md-search__input')
  const meta = document.querySelector('.md-search-result__meta')
  const answered = () => !waiting.includes(meta.textContent.trim())
  const start = performance.now()
  const observer = new MutationObserver(() => {
    if (answered()) { observer.disconnect(); resolve(performance.now() - start) }
  })
  observer.observe(meta, { childList: true, characterData: true, subtree: true })
  input.value = query
  input.dispatchEvent(new KeyboardEvent('keyup', { key: 'End', bubbles: true }))
})
"""


_SETTLED = """
(quiet) => new Promise(resolve => {
  const output = document.querySelector('.md-search-result')
  let timer = setTimeout(done, quiet)
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet) })
  function done() { observer.disconnect(); resolve() }
  observer.observe(output, { childList: true, characterData: true, subtree: true })
})
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real web server (files carry Content-Length)
    disable_nagle_algorithm = True  # else headers and body in two packets wait for a delayed ACK

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (no compression) on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class SearchBox:
    """The search box of a page already opened on the site at `base_url`."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        translations = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations")
        self.placeholder = translations["search.result.placeholder"]
        self.initializer = (page.locator(".md-search-result__meta").text_content() or "").strip()

    def open(self) -> None:
        """Open the search with Material's keyboard shortcut '/' and wait for the box to have focus."""
        self.page.locator("body").press("/")
        self.page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")

    def clear(self) -> None:
        """Empty the box and wait for the placeholder, so the next answer is the next query's."""
        box = self.page.locator(".md-search__input")
        box.fill("")
        box.press("End")
        self.page.wait_for_function(
            "(p) => document.querySelector('.md-search-result__meta').textContent.trim() === p",
            arg=self.placeholder,
            timeout=600_000,
        )

    def search(self, query: str, timeout_ms: float = 30_000) -> SearchOutcome:
        """Type `query` as an input method commits it (one insertion, then a key up) and read the results."""
        self.clear()
        box = self.page.locator(".md-search__input")
        before = self.page.locator(".md-search-result__meta").text_content() or ""
        start = time.perf_counter()
        box.focus()
        self.page.keyboard.insert_text(query)
        box.press("End")
        self.page.wait_for_function(_WAIT_FOR_ANSWER, arg=[self.placeholder, before.strip()], timeout=timeout_ms)
        seconds = time.perf_counter() - start
        self.settle()
        results = self.results()
        meta = (self.page.locator(".md-search-result__meta").text_content() or "").strip()
        return SearchOutcome(query, results, meta, seconds)

    def timed(self, query: str) -> float:
        """Milliseconds, measured in the page, from entering `query` to the result list being shown.

        Works on a page just opened (the search may still be loading its index: that time counts)."""
        return float(self.page.evaluate(_MEASURE, [query, [self.placeholder, self.initializer]]))

    def settle(self, quiet_ms: int = 200) -> None:
        """Wait until the result list has not changed for `quiet_ms` (the worker answers a query with
        its leading results first, then with all of them)."""
        self.page.evaluate(_SETTLED, quiet_ms)

    def results(self) -> list[list[str]]:
        """The result items now shown (see `SearchOutcome.results`)."""
        return list(self.page.evaluate(_READ_RESULTS, self.base_url))


_PAGEFIND_SEARCH = """
async ([query, base, shown]) => {
  if (!window.__kbPagefind) {
    window.__kbPagefind = import(new URL('pagefind/pagefind.js', base).href).then(async pagefind => {
      await pagefind.init()
      return pagefind
    })
  }
  const pagefind = await window.__kbPagefind
  const start = performance.now()
  const found = await pagefind.search(query)
  const data = await Promise.all(found.results.slice(0, 10).map(result => result.data()))
  const root = new URL(base).pathname
  const relative = url => { const at = new URL(url, base); return at.pathname.slice(root.length) + at.hash }
  return {
    milliseconds: performance.now() - start,
    results: data.map(d => [relative(d.url)].concat((d.sub_results || []).slice(0, shown).map(s => relative(s.url)))),
  }
}
"""


class PagefindBox:
    """Pagefind's JavaScript API on a page of a site indexed by Pagefind (`pagefind/` at its root),
    read as its default user interface shows a result: the page and its first three sections.

    Offers the methods of `SearchBox` that the benchmark uses."""

    SHOWN_SECTIONS = 3

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self._results: list[list[str]] = []

    def open(self) -> None:
        """Nothing to open: Pagefind is loaded by the first query."""

    def clear(self) -> None:
        self._results = []

    def timed(self, query: str) -> float:
        """Milliseconds from the query to its first ten results' data (Pagefind loaded by the first)."""
        start = time.perf_counter()
        answer = self.page.evaluate(_PAGEFIND_SEARCH, [query, self.base_url, self.SHOWN_SECTIONS])
        self._results = answer["results"]
        return (time.perf_counter() - start) * 1000

    def settle(self) -> None:
        """Pagefind answers once: nothing to wait for."""

    def results(self) -> list[list[str]]:
        return self._results


_ZENSICAL_RESULTS = """
(base) => {
  const host = Array.from(document.querySelectorAll('body > div')).find(element => element.shadowRoot)
  const list = host && host.shadowRoot.querySelector('ol[role=listbox]')
  if (!list) return null
  return Array.from(list.querySelectorAll(':scope > li > a[href]')).map(a => {
    const url = new URL(a.getAttribute('href'), location.href)
    return [url.pathname.slice(new URL(base).pathname.length) + url.hash]
  })
}
"""

_ZENSICAL_STATUS = """
() => {
  const host = Array.from(document.querySelectorAll('body > div')).find(element => element.shadowRoot)
  const status = host && host.shadowRoot.querySelector('[role=status]')
  return status ? status.textContent.trim() : ''
}
"""


class ZensicalSearchBox:
    """Zensical's own search dialog (in an open shadow root) on a page already opened at `base_url`."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self) -> None:
        """Open the dialog with the header's search button and wait for its input."""
        self.page.locator(".md-search__button").click()
        self.page.locator("dialog input[role=combobox]").wait_for()

    def search(self, query: str, quiet_ms: int = 300, timeout_ms: float = 30_000) -> SearchOutcome:
        """Type `query` into the dialog and read the results once the list has not changed for `quiet_ms`."""
        box = self.page.locator("dialog input[role=combobox]")
        box.fill("")
        start = time.perf_counter()
        box.fill(query)
        self.page.wait_for_function(f"({_ZENSICAL_STATUS})() !== ''", timeout=timeout_ms)
        previous: Any = None
        while True:
            self.page.wait_for_timeout(quiet_ms)
            results = self.page.evaluate(_ZENSICAL_RESULTS, self.base_url)
            if results == previous:
                break
            previous = results
        seconds = time.perf_counter() - start
        return SearchOutcome(query, list(results or []), str(self.page.evaluate(_ZENSICAL_STATUS)), seconds)
