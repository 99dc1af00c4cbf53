"""Live editing: while `mkdocs serve` runs, a half-written record shows its problem in the terminal
and the last good pages stay served; the next good save brings the new text."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture

TIMEOUT = 90.0  # seconds for any one step; a step normally takes one or two
CLAIM = "claims/agi-decade.yaml"
OLD_TITLE = "AGIは10年以上先"
NEW_TITLE = "AGIは十年以上先（改訂）"


def shows_title(html: str | None, title: str) -> bool:
    """Whether a page is the claim page with this title (its window title, which holds nothing else)."""
    return f"<title>{title} - " in (html or "")


@dataclass
class Server:
    """A running `mkdocs serve` and the file its terminal output goes to."""

    url: str
    log: Path
    kb: Path

    def terminal(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(what: str, condition: Callable[[], bool], server: Server) -> None:
    """Poll `condition` until it holds; fail with the terminal output after TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; terminal output:\n{server.terminal()}")
        time.sleep(0.25)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    kb = copy_fixture("small", tmp_path)
    log = tmp_path / "terminal.txt"
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=REPO, env={**os.environ, "KB_DIR": str(kb)}, stdout=output, stderr=subprocess.STDOUT,
        )
    running = Server(f"http://127.0.0.1:{port}/", log, kb)
    try:
        wait_for("the first build", lambda: shows_title(fetch(running.url + "claims/agi-decade/"), OLD_TITLE), running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_half_written_record_keeps_last_good_pages_until_the_next_good_save(server: Server) -> None:
    record = server.kb / CLAIM
    good = record.read_text(encoding="utf-8")
    page = server.url + "claims/agi-decade/"

    edited = good.replace(f"title: {OLD_TITLE}\n", f"title: {NEW_TITLE}\n")
    half = edited[: edited.index("彼はAGIは10年")] + '"彼はAGIは'  # saved in the middle of typing a quote
    record.write_text(half, encoding="utf-8")
    expected = "claims/agi-decade.yaml:11:18: invalid YAML: the file ends inside a quoted value"
    wait_for("the problem in the terminal", lambda: expected in server.terminal(), server)
    wait_for("the rebuild after the problem", lambda: "still serving the last good version" in server.terminal(),
             server)
    for _ in range(3):  # the last good pages, not an error page and not the half-written text
        wait_for("the last good page", lambda: shows_title(fetch(page), OLD_TITLE), server)
        assert NEW_TITLE not in (fetch(page) or "")
        time.sleep(0.5)

    record.write_text(edited, encoding="utf-8")
    wait_for("the page with the saved text", lambda: shows_title(fetch(page), NEW_TITLE), server)
    assert "Traceback" not in server.terminal()


def retitled(server: Server, title: str) -> None:
    """Give the claim a new title and wait until the served page shows it."""
    record = server.kb / CLAIM
    text = record.read_text(encoding="utf-8")
    current = next(line for line in text.splitlines() if line.startswith("title: "))
    record.write_text(text.replace(current + "\n", f"title: {title}\n"), encoding="utf-8")
    wait_for(f"the page titled {title}", lambda: shows_title(fetch(server.url + "claims/agi-decade/"), title), server)


@pytest.mark.parametrize("how", ["moved away and back", "removed and restored from a copy"])
def test_a_record_folder_that_goes_and_comes_back_is_watched_again(server: Server, tmp_path: Path, how: str) -> None:
    claims, away = server.kb / "claims", tmp_path / "claims-away"
    if how.startswith("removed"):
        shutil.copytree(claims, away)
        shutil.rmtree(claims)
    else:
        shutil.move(claims, away)
    missing = f"claims:1:1: folder not found; expected the folder claims/ in {server.kb}; found nothing"
    wait_for("the missing folder in the terminal", lambda: missing in server.terminal(), server)
    wait_for("the last good pages kept", lambda: "still serving the last good version" in server.terminal(), server)
    assert shows_title(fetch(server.url + "claims/agi-decade/"), OLD_TITLE)

    if how.startswith("moved"):
        shutil.move(away, claims)
    else:
        shutil.copytree(away, claims)
    retitled(server, NEW_TITLE)  # an edit after the folder came back is noticed
    retitled(server, OLD_TITLE + "（再）")  # and the next one too: the folder stays watched
    assert "Traceback" not in server.terminal()


@pytest.mark.parametrize(("name", "text", "problem"), [
    ("estimates.yaml", "title: [", "estimates.yaml:1:9: invalid YAML"),
    ("published-ids.txt", "Not An Id\n", "published-ids.txt:1:1: malformed entry"),
])
def test_a_file_created_while_serving_is_watched(server: Server, name: str, text: str, problem: str) -> None:
    created = server.kb / name
    created.write_text(text, encoding="utf-8")
    wait_for(f"the problem of the new {name} in the terminal", lambda: problem in server.terminal(), server)
    created.unlink()
    retitled(server, NEW_TITLE)  # once it is gone again, the site builds with the next edit
