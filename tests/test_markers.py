"""The `browser` marker: `-m browser` selects exactly the tests that drive Chromium, `-m "not browser"`
exactly the others (the marker is set once for tests/browser/ in conftest.py)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def collected(*args: str) -> set[str]:
    """The test files pytest selects with `args`, as paths relative to the repository."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode in (0, 5), result.stdout + result.stderr  # 5: nothing selected
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


def test_browser_marker_selects_the_browser_folder_and_nothing_else() -> None:
    browser_files = {f"tests/browser/{path.name}" for path in (REPO / "tests" / "browser").glob("test_*.py")}
    assert collected("-m", "browser", "tests") == browser_files
    others = collected("-m", "not browser", "tests")
    assert others and not others & browser_files
    assert "tests/test_markers.py" in others
