"""Files outside the knowledge base are never read: a link in any position that resolves outside the
knowledge-base folder, or into one of its hidden folders, is refused at its place, and nothing of
what it points to reaches any output, the site included. Links that stay inside are followed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, run_kb
from kb.adapters.cli import main

SECRET = "SECRET-7f3a9c"
REFUSED = "link resolves outside the knowledge base; expected a path inside the knowledge-base folder and outside " \
          "its hidden folders such as .git/; found a link to "

# Where a link is put (path in the knowledge base) and what it points to (`outside/...` is a folder beside
# the knowledge base holding records and a transcript that carry SECRET; `.git/config` one inside it).
POSITIONS = {
    "claims/passwd.yaml": "{outside}/secret.yaml",
    "glossary/passwd.yaml": "{outside}/secret.yaml",
    "sources/talk.txt": "{outside}/secret.txt",
    "topics.yaml": "{outside}/secret.yaml",
    "speakers.yaml": "{outside}/secret.yaml",
    "estimates.yaml": "{outside}/secret.yaml",
    "published-ids.txt": "{outside}/secret.txt",
    "claims": "{outside}/claims",
    "glossary": "{outside}/glossary",
    "sources": "{outside}/sources",
    "claims/chain.yaml": "../glossary/../.hop",  # .hop -> outside/secret.yaml
    "claims/dots.yaml": "../claims/../../kb/../outside/secret.yaml",
    "claims/git.yaml": "../.git/config",
}


def outside_folder(base: Path) -> Path:
    """Files beside the knowledge base, each worth stealing: valid records and a transcript carrying SECRET."""
    outside = base / "outside"
    for folder in ("claims", "glossary", "sources"):
        shutil.copytree(FIXTURES / "small" / folder, outside / folder)
    claim = outside / "claims" / "agi-decade.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("title: AGIは10年以上先", f"title: {SECRET}"),
                     encoding="utf-8")
    transcript = outside / "sources" / "talk.txt"
    transcript.write_text(transcript.read_text(encoding="utf-8") + f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.yaml").write_text(f"id: {SECRET}\ntitle: {SECRET}\ntopics:\n  - id: {SECRET}\n",
                                         encoding="utf-8")
    (outside / "secret.txt").write_text(f"{SECRET}\n{SECRET}です。\n", encoding="utf-8")
    return outside


def knowledge_base_with_links(base: Path, positions: list[str]) -> Path:
    """A copy of the small fixture with a link at each of `positions`."""
    outside = outside_folder(base)
    kb = base / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    (kb / ".git").mkdir()
    (kb / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n", encoding="utf-8")
    (kb / ".hop").symlink_to(outside / "secret.yaml")
    for position in positions:
        link = kb / position
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists():
            link.unlink()
        link.symlink_to(POSITIONS[position].format(outside=outside))
    return kb


@pytest.mark.parametrize("position", sorted(POSITIONS))
def test_a_link_out_is_refused_at_its_place_and_nothing_of_its_target_is_printed(
    position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = knowledge_base_with_links(tmp_path, [position])
    assert main(["check", "--kb", str(kb)]) == 1
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    target = ".git/config" if position == "claims/git.yaml" else str((kb / position).resolve())
    assert err.splitlines() == [f"{position}:1:1: {REFUSED}{target}", "1 problem(s) found; nothing was built."]


def test_the_target_is_named_the_same_whether_it_exists_or_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Otherwise the message would tell whether a file outside exists."""
    kb = knowledge_base_with_links(tmp_path, [])
    (kb / "claims" / "there.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    (kb / "claims" / "not-there.yaml").symlink_to(tmp_path / "outside" / "missing.yaml")
    assert main(["check", "--kb", str(kb)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"claims/not-there.yaml:1:1: {REFUSED}{tmp_path / 'outside' / 'missing.yaml'}",
        f"claims/there.yaml:1:1: {REFUSED}{tmp_path / 'outside' / 'secret.yaml'}",
        "2 problem(s) found; nothing was built.",
    ]


def test_a_build_with_every_link_out_prints_and_publishes_nothing_of_them(tmp_path: Path) -> None:
    files = [position for position in POSITIONS if position not in ("claims", "glossary", "sources")]
    kb = knowledge_base_with_links(tmp_path, files)
    site = tmp_path / "site"
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site))
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert result.stderr.splitlines()[-1] == f"{len(files)} problem(s) found; nothing was built."
    assert not site.exists()


def test_links_that_stay_inside_are_followed(tmp_path: Path, small_site: Path) -> None:
    """Records kept in another folder of the knowledge base and linked in build the same site."""
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    (kb / "data").mkdir()
    shutil.move(kb / "claims", kb / "data" / "claims")
    (kb / "claims").symlink_to("data/claims")  # a record folder that is a link
    shutil.move(kb / "sources" / "talk.txt", kb / "data" / "talk.txt")
    (kb / "sources" / "talk.txt").symlink_to("../data/../data/talk.txt")  # `..` that stays inside
    shutil.move(kb / "topics.yaml", kb / "data" / "topics.yaml")
    (kb / "data" / "topics-link.yaml").symlink_to("topics.yaml")
    (kb / "topics.yaml").symlink_to("data/topics-link.yaml")  # a chain of links
    assert main(["check", "--kb", str(kb)]) == 0
    site = tmp_path / "site"
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    for page in ("claims.json", "claims/agi-decade/index.html", "sources/talk/index.html", "topics/index.html"):
        assert (site / page).read_bytes() == (small_site / page).read_bytes(), page


def test_the_publish_workflow_leaves_no_token_in_the_checkout() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    checkouts = [step for job in workflow["jobs"].values() for step in job["steps"]
                 if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    assert all(step.get("with", {}).get("persist-credentials") is False for step in checkouts)
