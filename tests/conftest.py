"""Shared fixtures: the repository, built sites, a static server on 127.0.0.1 and headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from kb_bench.search_probe import CHROMIUM, CHROMIUM_ARGS, served

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def build_site(kb: Path, site: Path) -> Path:
    """Build the knowledge base `kb` into `site`; fails the test with the output on error."""
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


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
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile fixture knowledge base (every free-text field an injection attempt), built once."""
    return build_site(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile") / "site")


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    """Base URL of the hostile fixture site served on 127.0.0.1."""
    yield from serve(hostile_site)


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
