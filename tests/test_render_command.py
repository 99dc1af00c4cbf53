"""`kb render` (a docs folder any MkDocs-family engine builds) and `kb postbuild` (what any engine's site lacks)."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO, copy_fixture, run_kb
from kb.adapters.pipeline import load_and_check
from kb.output.docsfolder import page_title, with_front_matter
from kb.site.catalogue import catalogue
from markupsafe import escape

OFF = {"KB_OG_IMAGES": "off"}


def front_matter(page: Path) -> dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), page
    return dict(yaml.safe_load(text[4:text.index("\n---\n", 4)]))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render")
    result = run_kb("render", "--kb", str(FIXTURES / "hostile"), "--out", str(out), env=OFF)
    assert result.returncode == 0, result.stderr
    return out


def test_render_writes_a_docs_folder_with_assets_templates_and_a_configuration(rendered: Path) -> None:
    assert (rendered / "docs" / "assets" / "kb.css").read_bytes() == (REPO / "docs" / "assets" / "kb.css").read_bytes()
    for name in ("main.html", "404.html", "partials/language.html"):  # as they are: their words come as data
        assert (rendered / "overrides" / name).read_bytes() == (REPO / "overrides" / name).read_bytes()
    assert not (rendered / "overrides" / "sitemap.xml").exists()
    config = yaml.safe_load((rendered / "mkdocs.yml").read_text(encoding="utf-8"))
    assert (config["docs_dir"], config["theme"]["custom_dir"]) == ("docs", "overrides")
    assert [entry for entry in config["plugins"] if "kb" in entry] == []
    assert config["extra"]["kb_search"] is True
    # a page without front matter (404.html) gets the root's edition: the Japanese one
    theme = config["extra"]["kb_theme"]
    assert (theme["language"], theme["prefix"]) == ("ja", "")
    assert theme["ui"]["theme.not_found_title"] == catalogue("ja")("theme.not_found_title")


@pytest.mark.parametrize(("page", "language", "prefix"), [("claims/index.md", "ja", ""), ("en/claims/index.md", "en", "en/"),
                                                         ("index.md", "ja", ""), ("en/index.md", "en", "en/")])
def test_every_page_carries_the_words_and_edition_of_its_edition(rendered: Path, page: str, language: str,
                                                                  prefix: str) -> None:
    theme = front_matter(rendered / "docs" / page)["kb_theme"]
    words = catalogue(language)
    assert (theme["language"], theme["prefix"]) == (language, prefix)
    assert theme["ui"]["theme.og_locale"] == words("theme.og_locale")
    assert json.loads(theme["script_strings"])["script.passage_copy"] == words("script.passage_copy")
    assert theme["search_index"] == ("kb-en" if language == "en" else "kb")


def test_every_claim_page_carries_its_card_as_data(rendered: Path) -> None:
    """The hostile fixture's titles and summaries (markup, quotes, YAML syntax) come back verbatim."""
    checked, problems = load_and_check(FIXTURES / "hostile")
    assert checked is not None, problems
    for claim in checked.kb.claims.values():
        meta = front_matter(rendered / "docs" / "claims" / f"{claim.id}.md")
        card = meta["kb_card"]
        assert card["title"] == claim.title
        assert meta["description"] == str(escape(card["description"])) and card["description"].endswith(claim.summary)
        assert meta["search"] == {"exclude": True}
        ld = json.loads(card["json_ld"])
        assert (ld["@type"], ld["name"], ld["text"]) == ("Claim", claim.title, claim.summary)
        assert "</" not in card["json_ld"] and "<" not in card["json_ld"]  # safe inside <script>
        assert card["twitter_card"] == "summary"  # KB_OG_IMAGES=off: no image


def test_every_other_page_gets_a_card_titled_by_its_heading(rendered: Path) -> None:
    checked, problems = load_and_check(FIXTURES / "hostile")
    assert checked is not None, problems
    for speaker in checked.kb.speakers.values():
        meta = front_matter(rendered / "docs" / "speakers" / f"{speaker.id}.md")
        assert meta["kb_card"]["title"].startswith(speaker.name_ja or speaker.name), speaker.id
        assert html.unescape(meta["title"]) == meta["kb_card"]["title"]  # HTML text, as MkDocs' page.title


def test_page_title_is_the_text_of_the_first_heading() -> None:
    assert page_title("intro\n\n# A \\*starred\\* &amp; <b>bold</b> title { #top }\n\n# second") == \
        "A *starred* &amp; bold title"
    assert page_title("no heading") is None


def test_front_matter_is_added_to_an_existing_block_or_made() -> None:
    assert with_front_matter("---\ndescription: \"d\"\n---\n\n# T\n", {"title": "a: \"b\""}) == \
        '---\ndescription: "d"\ntitle: "a: \\"b\\""\n---\n\n# T\n'
    assert with_front_matter("# T\n", {"n": 1}) == "---\nn: 1\n---\n\n# T\n"
    assert with_front_matter("---\ndescription: \"d\"\n---\n# T\n", {"description": "e"}) == \
        '---\ndescription: "e"\n---\n# T\n'  # replaced, not given twice


def test_render_reports_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    claim = next((kb / "claims").glob("*.yaml"))
    claim.write_text(claim.read_text(encoding="utf-8").replace("speaker: ", "speaker: nobody-"), encoding="utf-8")
    result = run_kb("render", "--kb", str(kb), "--out", str(tmp_path / "out"), env=OFF)
    assert result.returncode == 1
    assert "problem(s) found; nothing was built." in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_postbuild_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    result = run_kb("postbuild", str(tmp_path), "--kb", str(FIXTURES / "small"), env=OFF)
    assert result.returncode == 1
    assert result.stderr == (f"kb postbuild: {tmp_path}: expected a built site (with index.html); found none; "
                             "nothing was written.\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("inside", ["docs", "overrides", "kb", "."])
def test_render_refuses_a_folder_inside_what_it_reads(tmp_path: Path, inside: str) -> None:
    """kb render replaces out/docs whole: writing inside the project, its docs or the knowledge base would destroy them.
    (A project of its own here: a broken guard must not be able to touch the repository.)"""
    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    kb = copy_fixture("small", project)
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    out = {"docs": project / "docs" / "rendered", "overrides": project / "overrides" / "rendered",
           "kb": kb / "rendered", ".": project}[inside]
    result = run_kb("render", "--kb", str(kb), "--config", str(project / "mkdocs.yml"), "--out", str(out), env=OFF)
    assert result.returncode == 1
    assert "expected a folder outside the project, its docs, templates and knowledge base; found it inside " \
        in result.stderr and result.stderr.endswith("; nothing was written.\n")
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_render_refuses_a_folder_of_other_files_and_reuses_its_own(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_kb("render", "--kb", str(FIXTURES / "small"), "--out", str(tmp_path), env=OFF)
    assert result.returncode == 1
    assert "expected a new or empty folder, or an earlier `kb render` output; found other files in it (notes.txt)" \
        in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    (tmp_path / "notes.txt").unlink()
    for _ in range(2):  # an earlier output is replaced
        assert run_kb("render", "--kb", str(FIXTURES / "small"), "--out", str(tmp_path), env=OFF).returncode == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "overrides"]
