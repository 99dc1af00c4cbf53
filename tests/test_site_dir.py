"""`kb build --site-dir` replaces the folder whole: it refuses any folder that is not a site, and the
site it leaves is readable by a web server running as another user.

Every refusal is tried on copies under tmp_path (a project folder with its own mkdocs.yml and docs/),
never on this repository: if the guard ever broke, a test must not be what deletes the work."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_kb
from test_bad_input import tree_digest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: a copy of mkdocs.yml, a docs/ folder, and the knowledge base inside it."""
    folder = tmp_path / "project"
    shutil.copytree(FIXTURES / "small", folder / "kb")
    (folder / "docs").mkdir()
    (folder / "docs" / "page.md").write_text("# keep me\n", encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def refused(project: Path, site_dir: Path) -> str:
    result = run_kb("build", "--kb", str(project / "kb"), "--config", str(project / "mkdocs.yml"),
                    "--site-dir", str(site_dir))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "nothing was built" in result.stderr
    return result.stderr


def test_the_knowledge_base_and_the_project_are_never_replaced(project: Path) -> None:
    before = tree_digest(project)
    assert "found the folder of the knowledge base" in refused(project, project / "kb")
    assert "found the folder of the knowledge base" in refused(project, project.parent)  # holds the kb too
    assert "expected a folder outside the docs folder" in refused(project, project / "docs")
    assert "expected a folder outside the docs folder" in refused(project, project / "docs" / "built")
    assert tree_digest(project) == before


def test_the_project_folder_is_never_replaced(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "kb-elsewhere"
    shutil.move(project / "kb", outside)
    before = tree_digest(project)
    result = run_kb("build", "--kb", str(outside), "--config", str(project / "mkdocs.yml"), "--site-dir", str(project))
    assert result.returncode == 1
    assert "found the folder of the MkDocs project" in result.stderr
    assert tree_digest(project) == before


def test_a_folder_with_other_files_is_refused_and_kept(project: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    message = refused(project, notes)
    assert "expected a new or empty folder, or an earlier build (with index.html and claims.json)" in message
    assert f"found a folder with other files ({notes})" in message
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"


def test_a_path_below_a_file_is_refused_with_a_message(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert f"found a file in the way ({blocker})" in refused(project, blocker / "site")
    assert f"found a file in the way ({blocker})" in refused(project, blocker)


def test_an_empty_folder_and_an_earlier_build_are_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for _ in range(2):  # first into the empty folder, then over the build it left
        result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site))
        assert result.returncode == 0, result.stderr
        assert (site / "claims.json").is_file()


def test_the_site_is_readable_by_others_under_the_umask(tmp_path: Path) -> None:
    site = tmp_path / "site"
    mask = os.umask(0o022)
    try:
        result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site))
    finally:
        os.umask(mask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert stat.S_IMODE((site / "claims").stat().st_mode) == 0o755


@pytest.mark.parametrize("inside", ["claims/site", "sources/built", "glossary", ".git/site", ".cache/site"])
def test_a_site_among_the_records_or_hidden_folders_of_the_knowledge_base_is_refused(project: Path, inside: str) -> None:
    """The build would write into what it reads (or into .git/): refused before anything is touched."""
    shutil.rmtree(project / "kb" / "glossary")  # an absent record folder would be taken otherwise
    before = tree_digest(project)
    top = inside.split("/")[0]
    message = refused(project, project / "kb" / inside)
    assert ("expected a folder outside the records and hidden folders of the knowledge base; found one inside "
            f"{project / 'kb' / top}; nothing was built.") in message
    assert tree_digest(project) == before
    assert not (project / "kb" / inside).exists()


def test_a_site_elsewhere_inside_the_knowledge_base_is_built(project: Path) -> None:
    """`make build` puts site/ inside the repository, which is the knowledge base: that stays allowed."""
    site = project / "kb" / "site"
    result = run_kb("build", "--kb", str(project / "kb"), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "claims.json").is_file()
