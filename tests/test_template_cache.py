"""Compiled templates kept between builds: the same pages, and never old code for a changed template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.site import templating, urls
from kb.site.render import Renderer
from kb.site.templating import TEMPLATES

FIXTURE = Path(__file__).parent / "fixtures" / "small"


@pytest.fixture(scope="module")
def checked() -> CheckedKnowledgeBase:
    checked, problems = load_and_check(FIXTURE)
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


def test_cached_templates_render_the_same_pages(checked: CheckedKnowledgeBase, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "templates"
    plain = Renderer(checked).pages()
    assert Renderer(checked, cache=cache).pages() == plain  # compiles and writes the cache
    entries = sorted(cache.iterdir())
    assert entries, "nothing was cached"
    assert Renderer(checked, cache=cache).pages() == plain  # reads it
    assert sorted(cache.iterdir()) == entries


def test_an_edited_template_is_compiled_again(checked: CheckedKnowledgeBase, tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    shutil.copytree(TEMPLATES, templates)
    Renderer(checked, templates=templates, cache=cache).pages()
    topic = templates / "topic.md.j2"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nedited-mark\n", encoding="utf-8")
    pages = Renderer(checked, templates=templates, cache=cache).pages()
    topic_pages = [text for path, text in pages.items() if path.startswith("topics/") and path != urls.TOPICS_PAGE]
    assert topic_pages and all(text.endswith("edited-mark\n") for text in topic_pages)


def test_other_template_options_use_other_cache_files(
    checked: CheckedKnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Renderer(checked, cache=tmp_path).pages()
    first = {path.name for path in tmp_path.iterdir()}
    monkeypatch.setitem(templating.TEMPLATE_OPTIONS, "trim_blocks", False)
    Renderer(checked, cache=tmp_path).pages()
    second = {path.name for path in tmp_path.iterdir()} - first
    assert second and {name.split("-")[0] for name in second}.isdisjoint(name.split("-")[0] for name in first)


def test_a_cache_folder_that_cannot_be_made_only_costs_the_cache(
    checked: CheckedKnowledgeBase, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert Renderer(checked, cache=blocker / "templates").pages() == Renderer(checked).pages()
