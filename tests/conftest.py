"""Shared fixtures: the repository, built sites, a static server on 127.0.0.1 and headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb_bench.search_probe import CHROMIUM, CHROMIUM_ARGS, served

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ drives Chromium, so the folder is marked `browser` here, once,
    before `-m` selects (as is any other test asking for the `browser` fixture): `-m "not browser"`
    runs everything else, `-m browser` only these."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS) or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def run_kb(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `kb` command line in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kb.adapters.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
        check=False,
    )


def build_site(kb: Path, site: Path, env: dict[str, str] | None = None, engine: str = "mkdocs") -> Path:
    """Build the knowledge base `kb` into `site` with `engine`; fails the test with the output on error."""
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site), "--engine", engine, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site the way a static host does: unknown paths get 404.html."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def hosted(kb: Path, site: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`kb` built into `site` for its own address on 127.0.0.1 (and with `env`) and served there as
    a static host serves it (404.html for unknown paths). With the site_url the page's real
    address, Material's instant navigation (which trusts only URLs in the sitemap) is active."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        build_site(kb, site, env={**(env or {}), "SITE_URL": url})
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge base of this repository, built once per test session."""
    return build_site(REPO, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture knowledge base, built once per test session."""
    return build_site(FIXTURES / "small", tmp_path_factory.mktemp("small") / "site")


def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 on a free port; yields the base URL."""
    with served(site) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The hostile fixture knowledge base (every free-text field an injection attempt), built once
    and hosted on 127.0.0.1: its folder and base URL."""
    site = tmp_path_factory.mktemp("hostile") / "site"
    with hosted(FIXTURES / "hostile", site) as url:
        yield site, url


@pytest.fixture(scope="session")
def hostile_site(hostile_host: tuple[Path, str]) -> Path:
    """The built hostile fixture site."""
    return hostile_host[0]


@pytest.fixture(scope="session")
def hostile_url(hostile_host: tuple[Path, str]) -> str:
    """Base URL of the hostile fixture site served on 127.0.0.1."""
    return hostile_host[1]


@pytest.fixture(scope="session")
def real_url(real_site: Path) -> Iterator[str]:
    """Base URL of the real site served on 127.0.0.1."""
    yield from serve(real_site)


@pytest.fixture(scope="session")
def small_url(small_site: Path) -> Iterator[str]:
    """Base URL of the small fixture site served on 127.0.0.1."""
    yield from serve(small_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright. In CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is missing; run 'make test' as root to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page with clipboard permissions; closed after the test."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def copy_fixture(name: str, target: Path) -> Path:
    """A writable copy of a fixture knowledge base."""
    destination = target / name
    shutil.copytree(FIXTURES / name, destination)
    return destination


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ from the current output",
    )
