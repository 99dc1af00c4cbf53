"""Failures of the machine, made for real: folders a user may not read or write, a `.cache/` left by a
run with sudo, a full disk, a file-size limit, a record of 6 GB, a build killed during the swap.

Each gets one line naming the path and what to do, exit 1, never "internal error ... a bug", and the
last good site stays whole. Permission bits do not bind root, so as root the commands run as the
unprivileged user `nobody` (subprocess's `user=`); a full disk is a small tmpfs, which only root can
mount. Everything happens in folders made for the test, never in the repository.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from test_bad_input import tree_digest

IS_ROOT = os.geteuid() == 0
NOBODY = 65534
OLD_TITLE = "AGIは10年以上先"
NEW_TITLE = "AGIは十年以上先（改訂）"
CLAIM = "claims/agi-decade.yaml"


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder that the unprivileged user can enter (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="kb-faults-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # give every folder back to root so it can be removed
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def as_user() -> dict[str, Any]:
    """Options of `kb` that run it without root's power over permission bits: as root, through `setpriv` as
    the user nobody (which can still start this virtualenv's Python where it lies in root's home folder)."""
    return {"prefix": ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]} if IS_ROOT else {}


def give_to_user(path: Path) -> None:
    """Make `path` and everything under it belong to the user the commands run as."""
    if IS_ROOT:
        for item in [path, *path.rglob("*")]:
            os.chown(item, NOBODY, NOBODY, follow_symlinks=False)


def project(folder: Path) -> Path:
    """A project folder of its own: the small knowledge base and a mkdocs.yml whose `.cache/` lies beside it."""
    folder.mkdir()
    shutil.copytree(FIXTURES / "small", folder / "kb")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for relative in ("docs_dir: docs", "custom_dir: overrides"):
        assert relative + "\n" in text, f"mkdocs.yml no longer says {relative!r}: update this copy"
        key, _, value = relative.rpartition(" ")
        text = text.replace(relative + "\n", f"{key} {REPO / value}\n")
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return folder


def kb(*args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None,
       **options: Any) -> subprocess.CompletedProcess[str]:
    """The `kb` command in a subprocess, as a user runs it."""
    environment = {key: value for key, value in os.environ.items() if key not in ("KB_OG_CACHE", "KB_TRACEBACK")}
    options.setdefault("timeout", 600)
    return subprocess.run([*(prefix or []), sys.executable, "-m", "kb.adapters.cli", *args], cwd="/", capture_output=True,
                          text=True, env={**environment, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
                          check=False, **options)


def build(folder: Path, site: Path, **options: Any) -> subprocess.CompletedProcess[str]:
    return kb("build", "--kb", str(folder / "kb"), "--config", str(folder / "mkdocs.yml"), "--site-dir", str(site),
              **options)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The message a failed command ends with; no traceback, no 'internal error' anywhere."""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


def retitle(folder: Path) -> None:
    record = folder / "kb" / CLAIM
    text = record.read_text(encoding="utf-8")
    assert f"title: {OLD_TITLE}\n" in text
    record.write_text(text.replace(f"title: {OLD_TITLE}\n", f"title: {NEW_TITLE}\n"), encoding="utf-8")


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("closed", ["claims", CLAIM])
def test_an_unreadable_record_folder_or_file_is_named_with_what_to_do(shared: Path, closed: str) -> None:
    folder = project(shared / "p")
    (folder / "kb" / closed).chmod(0)
    what = "folder; expected a folder you can list and enter" if closed == "claims" else \
        "file; expected a file you can read"
    expected = f"{closed}:1:1: cannot read the {what} (check its permissions); found Permission denied"
    for command in ("check", "build"):
        args = ["--kb", str(folder / "kb")] + (["--config", str(folder / "mkdocs.yml"), "--site-dir",
                                                str(shared / "site")] if command == "build" else [])
        result = kb(command, *args, **as_user())
        assert result.returncode == 1, result.stderr
        assert last_line(result) == "1 problem(s) found; nothing was built."
        assert expected in result.stderr.splitlines(), result.stderr
    assert not (shared / "site").exists()


# ---------------------------------------------------------------- writing


def test_a_read_only_folder_around_the_site_is_named_and_the_site_kept(shared: Path) -> None:
    folder = project(shared / "p")
    out = shared / "out"
    out.mkdir()
    give_to_user(folder)
    give_to_user(out)
    assert build(folder, out / "site", **as_user()).returncode == 0
    before = tree_digest(out / "site")
    out.chmod(0o555)
    retitle(folder)
    result = build(folder, out / "site", **as_user())
    assert result.returncode == 1
    line = last_line(result)
    assert line.startswith(f"kb build: {out}/.site.new-"), line
    assert line.endswith(f": Permission denied; {out} is yours but closed to you: open it (chmod u+rwx {out}) "
                         f"or write elsewhere, then run again; {out / 'site'} was left as it was."), line
    assert tree_digest(out / "site") == before
    assert sorted(path.name for path in out.iterdir()) == ["site"]


@pytest.mark.skipif(not IS_ROOT, reason="a .cache/ of another user needs root to make (as `sudo make build` does)")
def test_a_cache_left_by_a_run_with_sudo_is_named_and_the_next_build_recovers(shared: Path) -> None:
    folder = project(shared / "p")
    give_to_user(folder)
    assert build(folder, folder / "site").returncode == 0  # as root: `sudo make build`
    assert (folder / ".cache" / "og-images").stat().st_uid == 0
    retitle(folder)  # a new preview image to draw
    result = build(folder, folder / "site", **as_user())
    assert result.returncode == 1
    line = last_line(result)
    cache = folder / ".cache"  # the folder the run with sudo made, though a file in a folder inside it failed
    assert line.startswith(f"kb build: {cache}/"), line
    assert line.endswith(f": Permission denied; {cache} belongs to root, not to you (made by a run with sudo?): make "
                         f"it yours (sudo chown -R $USER {cache}) or write elsewhere, then run again; "
                         f"{folder / 'site'} was left as it was."), line
    assert NEW_TITLE not in (folder / "site" / "claims" / "agi-decade" / "index.html").read_text(encoding="utf-8")

    give_to_user(folder / ".cache")  # what the message says to do (chown); site/ still belongs to root
    result = build(folder, folder / "site", **as_user())
    assert result.returncode == 0, result.stderr
    assert NEW_TITLE in (folder / "site" / "claims" / "agi-decade" / "index.html").read_text(encoding="utf-8")
    warning = result.stderr.strip().splitlines()[-1]  # the old site of root's could not be removed: said, not hidden
    assert warning.startswith(f"kb build: warning: could not remove the leftover folder {folder}/.site.new-"), warning
    assert warning.endswith("remove it by hand, with sudo if another user owns it"), warning


@pytest.fixture
def small_disk(shared: Path) -> Iterator[Path]:
    """A tmpfs of 5 MB: room for one small site (3 MB) but not for a second one beside it."""
    if not IS_ROOT:
        pytest.skip("a full disk is made with a small tmpfs, which needs root to mount")
    mount = shared / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m,mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_is_named_and_the_site_kept(shared: Path, small_disk: Path) -> None:
    folder = project(shared / "p")
    site = small_disk / "site"
    assert build(folder, site).returncode == 0
    before = tree_digest(site)
    retitle(folder)
    result = build(folder, site)
    assert result.returncode == 1
    line = last_line(result)  # the file that found no room is named if the failing write knew it, else the folder
    assert re.fullmatch(f"kb build: {small_disk}(/site/[^:]+)?: No space left on device; the disk holding "
                        f"{small_disk}(/site/[^ ]+)? is full: free some space on it or write elsewhere, then run "
                        f"again; {site} was left as it was.", line), line
    assert tree_digest(site) == before
    assert sorted(path.name for path in small_disk.iterdir()) == ["site"]


def test_a_file_size_limit_is_named_and_the_site_kept(shared: Path) -> None:
    folder = project(shared / "p")
    site = shared / "site"
    assert build(folder, site).returncode == 0
    before = tree_digest(site)
    retitle(folder)
    limit = 64 * 1024  # smaller than Material's script bundle, larger than any record

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = build(folder, site, preexec_fn=limited)
    assert result.returncode == 1
    line = last_line(result)  # Material's script bundle, named where it would have been in the site
    assert re.fullmatch(f"kb build: {site}/assets/javascripts/bundle[.][0-9a-f]+[.]min[.]js: File too large; a file "
                        "went over this shell's file-size limit: raise it [(]ulimit -f unlimited[)] and build again; "
                        f"{site} was left as it was.", line), line
    assert tree_digest(site) == before
    assert sorted(path.name for path in shared.iterdir()) == ["p", "site"]


def test_a_six_gigabyte_record_is_refused_without_reading_it(shared: Path) -> None:
    """Under a 1.5 GB address-space limit: reading the file whole first would end in MemoryError."""
    folder = project(shared / "p")
    for relative in ("claims/huge.yaml", "sources/talk.txt"):
        with (folder / "kb" / relative).open("wb") as file:
            file.truncate(6_000_000_000)

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    result = kb("check", "--kb", str(folder / "kb"), preexec_fn=bounded)
    assert result.returncode == 1
    assert last_line(result) == "2 problem(s) found; nothing was built."
    assert result.stderr.splitlines()[:2] == [
        "claims/huge.yaml:1:1: file is too large; expected at most 1,000,000 bytes; found 6,000,000,000 bytes",
        "sources/talk.txt:1:1: file is too large; expected at most 5,000,000 bytes; found 6,000,000,000 bytes",
    ]


def test_a_named_pipe_in_place_of_a_record_does_not_hang_the_build(shared: Path) -> None:
    folder = project(shared / "p")
    transcript = folder / "kb" / "sources" / "talk.txt"
    transcript.unlink()
    os.mkfifo(transcript)
    (folder / "kb" / "claims" / "pipe.yaml").symlink_to("../sources/talk.txt")
    result = kb("check", "--kb", str(folder / "kb"), timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "claims/pipe.yaml:1:1: not a regular file; expected a text file; found a named pipe",
        "sources/talk.txt:1:1: not a regular file; expected a text file; found a named pipe",
        "2 problem(s) found; nothing was built.",
    ]
    assert stat.S_ISFIFO(transcript.stat().st_mode)


# ---------------------------------------------------------------- killed during the swap

# Runs `kb build` and kills it (SIGKILL, which nothing can catch) at a chosen point of the swap: the
# point is reached by wrapping the function that gets there, so no timing decides where it dies.
KILLER = """
import os, shutil, signal, sys
import kb.adapters.sitefolder as folder
from kb.adapters.cli import main

point = sys.argv[1]
real_exchange, real_rename, real_unlink = folder.exchange, os.rename, os.unlink
armed = {"renames": 0, "unlinks": None}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def exchange(first, second):
    if point == "before-exchange":
        die()
    if point.startswith("fallback"):
        armed["renames"] = 0
        return False
    done = real_exchange(first, second)
    if point == "after-exchange":
        die()
    armed["unlinks"] = 0
    return done

def rename(source, target, *args, **kwargs):
    real_rename(source, target, *args, **kwargs)
    if point.startswith("fallback") and armed["renames"] is not None and ".site" in str(source) + str(target):
        armed["renames"] += 1
        if point == f"fallback-after-rename-{armed['renames']}":
            die()
        if armed["renames"] == 3:
            armed["unlinks"] = 0

def unlink(path, *args, **kwargs):
    real_unlink(path, *args, **kwargs)
    if armed["unlinks"] is not None and point.endswith("removing-the-old-site"):
        armed["unlinks"] += 1
        if armed["unlinks"] == 20:
            die()

folder.exchange, os.rename, os.unlink = exchange, rename, unlink
armed["renames"] = None
sys.exit(main(["build", *sys.argv[2:]]))
"""


@pytest.fixture
def two_sites(shared: Path) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """A project whose site was built once (the old digest), with a record edited since; and the digest
    a build of the edited record gives (the new one, built elsewhere)."""
    folder = project(shared / "p")
    site = shared / "out" / "site"
    assert build(folder, site).returncode == 0
    old = tree_digest(site)
    retitle(folder)
    assert build(folder, shared / "elsewhere" / "site").returncode == 0
    new = tree_digest(shared / "elsewhere" / "site")
    assert old != new
    return folder, site, old, new


def killed_build(folder: Path, site: Path, point: str) -> None:
    args = ["--kb", str(folder / "kb"), "--config", str(folder / "mkdocs.yml"), "--site-dir", str(site)]
    result = subprocess.run([sys.executable, "-c", KILLER, point, *args], capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == -9, result.stderr


@pytest.mark.parametrize(("point", "left"), [
    ("before-exchange", "old"),
    ("after-exchange", "new"),
    ("after-exchange-removing-the-old-site", "new"),
])
def test_a_build_killed_during_the_swap_leaves_a_whole_site(
    two_sites: tuple[Path, Path, dict[str, str], dict[str, str]], point: str, left: str
) -> None:
    folder, site, old, new = two_sites
    killed_build(folder, site, point)
    assert tree_digest(site) == {"old": old, "new": new}[left]
    assert any(path.name.startswith(".site.new-") for path in site.parent.iterdir())  # what the kill left
    assert build(folder, site).returncode == 0
    assert tree_digest(site) == new
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]


def test_the_swap_exchanges_in_one_step_on_linux(tmp_path: Path) -> None:
    from kb.adapters.sitefolder import _renameat2, exchange

    if sys.platform.startswith("linux"):
        assert _renameat2() is not None, "glibc's renameat2 was not found: builds would swap in two renames"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("a", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "from-b").write_text("b", encoding="utf-8")
    assert exchange(tmp_path / "a", tmp_path / "b")
    assert [path.name for path in (tmp_path / "a").iterdir()] == ["from-b"]
    assert [path.name for path in (tmp_path / "b").iterdir()] == ["from-a"]


def test_killed_between_the_two_renames_of_the_fallback_the_next_build_puts_the_last_good_site_back(
    two_sites: tuple[Path, Path, dict[str, str], dict[str, str]]
) -> None:
    """Where the system cannot exchange, `site/` is missing between two renames; the next build, even one
    that fails on its records, puts the last good site back and removes what the killed build left."""
    folder, site, old, _ = two_sites
    killed_build(folder, site, "fallback-after-rename-1")
    assert not site.exists()
    assert tree_digest(site.parent / ".site.old") == old
    (folder / "kb" / CLAIM).write_text("id: [broken\n", encoding="utf-8")
    result = build(folder, site)
    assert result.returncode == 1
    assert tree_digest(site) == old
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("point", ["fallback-after-rename-2", "fallback-after-rename-3",
                                   "fallback-removing-the-old-site"])
def test_killed_later_in_the_fallback_the_new_site_is_whole(
    two_sites: tuple[Path, Path, dict[str, str], dict[str, str]], point: str
) -> None:
    folder, site, _, new = two_sites
    killed_build(folder, site, point)
    assert tree_digest(site) == new
    assert build(folder, site).returncode == 0
    assert sorted(path.name for path in site.parent.iterdir()) == ["site"]


def test_builds_into_one_folder_take_turns(shared: Path) -> None:
    """While another build holds the folder around the site, a build waits instead of removing the other's
    staging folder as a leftover; it goes on once the folder is free."""
    import fcntl

    folder = project(shared / "p")
    out = shared / "out"
    out.mkdir()
    other = out / ".site.new-other"  # the staging folder of the build that holds the lock
    other.mkdir()
    holder = os.open(out, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    waiting = subprocess.Popen([sys.executable, "-m", "kb.adapters.cli", "build", "--kb", str(folder / "kb"), "--config",
                                str(folder / "mkdocs.yml"), "--site-dir", str(out / "site")],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert waiting.stderr is not None
        assert waiting.stderr.readline() == f"waiting for another build into {out} to finish…\n"
        assert other.is_dir() and not (out / "site").exists()
    finally:
        os.close(holder)
    assert waiting.wait(timeout=600) == 0
    assert (out / "site" / "claims.json").is_file()
    assert not other.exists()  # once the lock was free, it was a leftover
