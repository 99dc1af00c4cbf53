"""Pages stay readable and small as the knowledge base grows."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.adapters.pipeline import load_and_check
from kb.site import figures, urls
from kb.site.render import Renderer

SMALL = Path(__file__).parent / "fixtures" / "small"


def home_page() -> str:
    checked, problems = load_and_check(SMALL)
    assert checked is not None, problems.sorted()
    return Renderer(checked).pages()[urls.HOME_PAGE]


def test_the_map_is_drawn_for_a_small_knowledge_base() -> None:
    page = home_page()
    assert '<figure class="kb-figure kb-map">' in page
    assert "地図は省略しています" not in page


def test_above_the_limit_the_home_page_says_the_map_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "MAP_MAX_CLAIMS", 1)
    page = home_page()
    assert '<figure class="kb-figure kb-map">' not in page
    assert "件の主張は図にするには多すぎるため、地図は省略しています。" in page
    assert "claims/" in page.split("## 主張の地図", 1)[1].split("## ", 1)[0], "the list of claims is linked instead"
