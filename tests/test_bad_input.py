"""The bad-input corpus (tests/bad_input/cases.yaml): every defect gets its located message, a
non-zero exit and no traceback, and a failed build leaves the last good site exactly as it was."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO, run_kb
from kb.adapters.cli import main
from kb.adapters.pipeline import load_and_check

CASES_FILE = Path(__file__).parent / "bad_input" / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
BAD = [case for case in CASES if case["expect"]]
ACCEPTED = [case for case in CASES if not case["expect"]]
ONE_PER_KIND = list({case["kind"]: case for case in reversed(BAD)}.values())[::-1]
# Issue 2's list of what `make check` must reject, each with file:line and the field named.
REQUIRED_KINDS = {
    "malformed YAML", "missing field", "wrong type", "unknown key", "duplicate key", "duplicate id",
    "id not matching the file name", "dangling reference", "quote not in the source",
}
MESSAGE_FORMAT = re.compile(r"^(?P<at>.+?:\d+:\d+): (?P<what>.+?); expected .+; found .+$")
# A fixed build date, so that an accepted case's site can be compared with the fixture's.
FIXED_DATE = {"SOURCE_DATE_EPOCH": "1700000000"}


def apply_case(case: dict[str, Any], target: Path) -> Path:
    """A copy of the small fixture knowledge base with the case's edits applied."""
    kb = target / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    for relative, edit in case["edit"].items():
        apply_edit(kb / relative, edit)
    return kb


def apply_edit(path: Path, edit: dict[str, Any]) -> None:
    """Apply one file's edit (see the header of cases.yaml)."""
    if edit.get("delete"):
        path.unlink()
        return
    if "symlink" in edit or "sparse" in edit:
        replace_with_special_file(path, edit)
        return
    text = edit["write"] if "write" in edit else path.read_bytes().decode("utf-8")
    for old, new in edit.get("replace", []):
        assert old in text, f"{path.name}: {old!r} does not occur; the case is out of date"
        text = text.replace(old, new)
    text += edit.get("append", "")
    if "append_repeated" in edit:
        piece, count = edit["append_repeated"]
        text += piece * count
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def replace_with_special_file(path: Path, edit: dict[str, Any]) -> None:
    """Put a link (`symlink: target`) or a sparse file of a given size (`sparse: bytes`) at `path`."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if "symlink" in edit:
        path.symlink_to(edit["symlink"])
    else:
        with path.open("wb") as file:
            file.truncate(edit["sparse"])  # holes: gigabytes that take no room on the disk


def reported(kb: Path) -> list[str]:
    """Every problem of loading and checking `kb` (registries and estimates included), as printed, in
    reported order."""
    _, problems = load_and_check(kb)
    return [str(problem) for problem in problems.sorted()]


def assert_matches(lines: list[str], expect: list[dict[str, str]]) -> None:
    """`lines` are exactly the expected problems: same count, each at its place saying its fragment."""
    assert len(lines) == len(expect), "\n".join(lines)
    for line, wanted in zip(lines, expect):
        assert line.startswith(f"{wanted['at']}: "), f"{line}\n  expected at {wanted['at']}"
        assert wanted["says"] in line, f"{line}\n  expected to say {wanted['says']}"
        assert MESSAGE_FORMAT.match(line), f"not 'path:line:col: what; expected ...; found ...': {line}"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def case_id(case: dict[str, Any]) -> str:
    return str(case["case"])


def test_corpus_is_large_and_covers_every_required_kind() -> None:
    assert len(BAD) >= 40
    assert REQUIRED_KINDS <= {case["kind"] for case in CASES}
    names = [case["case"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"


@pytest.mark.parametrize("case", BAD, ids=case_id)
def test_loader_reports_each_problem_at_its_place(case: dict[str, Any], tmp_path: Path) -> None:
    kb = apply_case(case, tmp_path)
    assert_matches(reported(kb), case["expect"])


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture built once with a fixed date; failing builds must leave it untouched."""
    site = tmp_path_factory.mktemp("good") / "site"
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site), env=FIXED_DATE)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def good_digest(good_site: Path) -> dict[str, str]:
    return tree_digest(good_site)


@pytest.mark.parametrize("case", BAD, ids=case_id)
def test_kb_check_prints_every_problem_and_fails(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = apply_case(case, tmp_path)
    assert main(["check", "--kb", str(kb)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == f"{len(case['expect'])} problem(s) found; nothing was built."
    assert_matches(lines[:-1], case["expect"])


@pytest.mark.parametrize("case", ONE_PER_KIND, ids=case_id)
def test_commands_fail_without_traceback_and_keep_the_site(
    case: dict[str, Any], tmp_path: Path, good_site: Path, good_digest: dict[str, str]
) -> None:
    """As a user runs them: `kb check` and `kb build` in a subprocess, one case of each kind."""
    kb = apply_case(case, tmp_path)
    check = run_kb("check", "--kb", str(kb))
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert_matches(check.stderr.splitlines()[:-1], case["expect"])

    build = run_kb("build", "--kb", str(kb), "--site-dir", str(good_site), env=FIXED_DATE)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert build.stderr == check.stderr
    assert tree_digest(good_site) == good_digest, "a failed build changed the last good site"
    assert sorted(p.name for p in good_site.parent.iterdir()) == ["site"], "a staging folder was left behind"


@pytest.mark.parametrize("case", ACCEPTED, ids=case_id)
def test_accepted_input_builds(case: dict[str, Any], tmp_path: Path, good_digest: dict[str, str]) -> None:
    kb = apply_case(case, tmp_path)
    assert reported(kb) == []
    site = tmp_path / "site"
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site), env=FIXED_DATE)
    assert result.returncode == 0, result.stderr
    if case.get("same_site"):
        assert tree_digest(site) == good_digest


def test_failing_mkdocs_build_keeps_the_last_good_site(tmp_path: Path, good_digest: dict[str, str]) -> None:
    """Records that pass the checks but a MkDocs configuration that fails: still nothing is swapped."""
    site = tmp_path / "site"
    assert run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site), env=FIXED_DATE).returncode == 0
    config = tmp_path / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("docs_dir: docs", f"docs_dir: {REPO / 'docs'}")
                      .replace("nav:\n", "nav:\n  - 行方不明: missing-page.md\n"), encoding="utf-8")
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site), "--config", str(config),
                    env=FIXED_DATE)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "was left as it was" in result.stderr
    assert tree_digest(site) == good_digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml", "site"]


def test_an_unexpected_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in the build (not bad input) still ends in one clear line, not a traceback."""
    import kb.adapters.cli

    def broken(root: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(kb.adapters.cli, "load_and_check", broken)
    monkeypatch.delenv("KB_TRACEBACK", raising=False)
    assert main(["check", "--kb", str(FIXTURES / "small")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kb check: internal error: RuntimeError: boom; nothing was changed.")


def test_links_and_folders_that_hold_no_records_are_named(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    (kb / "claims" / "gone.yaml").symlink_to("nowhere.yaml")
    shutil.rmtree(kb / "glossary")
    (kb / "glossary").write_text("", encoding="utf-8")
    shutil.rmtree(kb / "sources")
    lines = reported(kb)
    assert "claims/gone.yaml:1:1: broken link; expected a record file; found a link to nothing" in lines
    assert "glossary:1:1: not a folder; expected the folder glossary/ of records; found a file" in lines
    assert f"sources:1:1: folder not found; expected the folder sources/ in {kb}; found nothing" in lines
