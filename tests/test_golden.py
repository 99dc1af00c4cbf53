"""Golden tests: the rendered Markdown of the small fixture knowledge base.

After an intended change to templates, regenerate with `pytest tests/test_golden.py --update-golden`
and review the diff before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.adapters.pipeline import load_and_check
from kb.site.render import Renderer

GOLDEN = Path(__file__).parent / "golden" / "small"
FIXTURE = Path(__file__).parent / "fixtures" / "small"


def rendered_pages() -> dict[str, str]:
    checked, problems = load_and_check(FIXTURE)
    assert not problems, [str(p) for p in problems.sorted()]
    assert checked is not None
    return Renderer(checked).pages()


PAGES = rendered_pages()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matches_golden(page: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / page
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[page], encoding="utf-8")
    assert golden.is_file(), f"no golden file for {page}; run with --update-golden"
    assert PAGES[page] == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files() -> None:
    stale = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")} - set(PAGES)
    assert not stale, f"golden files for pages no longer rendered: {sorted(stale)}"
