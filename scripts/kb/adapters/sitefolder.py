"""The site folder: built aside, swapped in whole, never left half-written.

A build writes into a staging folder next to the site (`.site.new-*`) and, once it succeeded,
exchanges the two in one step (Linux's renameat2 with RENAME_EXCHANGE), so that `site/` is at
every moment either the last good site or the new one, even when the build is killed. Where the
system cannot exchange, two renames do it and `.site.old` holds the last good site between them;
the next build puts it back if it was killed there. Staging folders that killed builds left behind
are removed by the next build. Builds into one folder take turns (a lock on the folder around the
site), so none removes the staging folder of another that is still running.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..records.layout import INPUT_NAMES

SITE_MARKERS = ("index.html", "claims.json")
"""Files every built site has at its top: a folder holding both is an earlier build, safe to replace."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def site_dir_refusal(site: Path, kb: Path, project: Path) -> str | None:
    """Why the build must not replace `site` (it swaps the whole folder), or None when it may.
    All three paths are resolved."""
    for folder, what in ((kb, "the knowledge base"), (project, "the MkDocs project")):
        if site == folder or site in folder.parents:
            return f"expected a folder of its own for the built site; found the folder of {what} ({folder})"
    inside = _kb_part_holding(site, kb)
    if inside is not None:
        return (f"expected a folder outside the records and hidden folders of the knowledge base; "
                f"found one inside {inside}")
    if site.is_relative_to(project / "docs"):
        return f"expected a folder outside the docs folder; found one inside {project / 'docs'}"
    blocker = next((path for path in (site, *site.parents) if path.exists() and not path.is_dir()), None)
    if blocker is not None:
        return f"expected a folder path; found a file in the way ({blocker})"
    if site.is_dir() and any(site.iterdir()) and not all((site / name).is_file() for name in SITE_MARKERS):
        return ("expected a new or empty folder, or an earlier build (with " + " and ".join(SITE_MARKERS)
                + f"), since the build replaces it whole; found a folder with other files ({site})")
    return None


def _kb_part_holding(site: Path, kb: Path) -> Path | None:
    """The record path or hidden folder of the knowledge base that `site` lies in (`claims/`, `.git/`), if any.
    Elsewhere inside the knowledge base (its `site/`, a `build/` folder) a site does no harm: nothing reads it."""
    if not site.is_relative_to(kb):
        return None
    top = site.relative_to(kb).parts[0]
    return kb / top if top in INPUT_NAMES or top.startswith(".") else None


def build_into(site: Path, build: Callable[[Path], bool], on_wait: Callable[[], None]) -> tuple[bool, list[str]]:
    """Run `build(staging)` on a fresh folder next to `site` and swap it in only when it returns True.

    Returns whether the site was replaced, and a line when the old site could not be removed after
    the swap (the new one is complete either way). `on_wait` is called when another build holds the
    folder. OSError (a folder that cannot be written, a full disk) is raised; `site` is then as it was.
    Call `recover` first.
    """
    site.parent.mkdir(parents=True, exist_ok=True)
    leftovers: list[str] = []
    with _locked(site.parent, on_wait):
        _restore(site)  # in case a build was killed between `recover` and here
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(site), dir=site.parent))
        try:
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is read by web servers
            if not build(staging):
                return False, leftovers
            staging = _swap_in(staging, site)  # now the folder holding the old site, if there was one
            return True, leftovers
        except OSError as error:
            _name_in_site(error, staging, site)
            raise
        finally:
            leftovers += _remove(staging)


def recover(site: Path, on_wait: Callable[[], None]) -> list[str]:
    """Undo what killed builds left next to `site`: the last good site put back if one was killed between
    the two renames of the fallback swap, and their staging folders removed. Run it first, before the
    records are checked, so that a build that stops on bad records still leaves a site. Returns a line
    for each folder that could not be removed."""
    if not site.parent.is_dir():
        return []
    with _locked(site.parent, on_wait):
        return _recover(site)


def _restore(site: Path) -> None:
    retired = retired_path(site)
    if retired.is_dir() and not os.path.lexists(site):
        os.rename(retired, site)


def _name_in_site(error: OSError, staging: Path, site: Path) -> None:
    """Say where in the site a file failed, not where in the staging folder, which is gone by the time it is read."""
    for attribute in ("filename", "filename2"):
        name = getattr(error, attribute)
        if isinstance(name, str) and Path(name).is_relative_to(staging):
            setattr(error, attribute, str(site / Path(name).relative_to(staging)))


def _staging_prefix(site: Path) -> str:
    return f".{site.name}.new-"


def retired_path(site: Path) -> Path:
    """Where the two-rename swap keeps the last good site between its renames."""
    return site.parent / f".{site.name}.old"


def _recover(site: Path) -> list[str]:
    """Undo what a killed build left: the last good site put back if it was killed between the two
    renames of the fallback swap, then every staging folder removed. Lines for what could not be removed."""
    _restore(site)
    retired = retired_path(site)
    stale = [retired] if retired.exists() else []
    stale += sorted(site.parent.glob(_staging_prefix(site) + "*"))
    return [line for path in stale for line in _remove(path)]


def _swap_in(staging: Path, site: Path) -> Path:
    """Put the complete `staging` at `site`; returns the path now holding what was at `site` (to remove)."""
    if not os.path.lexists(site):
        os.rename(staging, site)  # the site appears whole
        return staging
    if exchange(staging, site):
        return staging
    retired = retired_path(site)
    os.rename(site, retired)  # a kill here leaves the last good site in `retired`: `_recover` puts it back
    os.rename(staging, site)
    os.rename(retired, staging)  # under a staging name, so that a half-removed old site is never put back
    return staging


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False when the system or file system cannot (nothing was changed)."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


@functools.cache
def _renameat2() -> Any:
    """glibc's renameat2, or None where there is none (not Linux, or an older or other C library)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _remove(folder: Path) -> list[str]:
    """Remove `folder` if it exists; a line naming it when that failed (say it belongs to another user)."""
    failures: list[OSError] = []

    def failed(function: Any, path: str, error: Any) -> None:
        failures.append(error[1] if isinstance(error, tuple) else error)

    if os.path.lexists(folder):
        if sys.version_info >= (3, 12):
            shutil.rmtree(folder, onexc=failed)
        else:
            shutil.rmtree(folder, onerror=failed)
    if not failures:
        return []
    first = failures[0]
    line = (f"could not remove the leftover folder {folder} ({first.strerror}: {first.filename}); "
            "remove it by hand, with sudo if another user owns it")
    return [line]


@contextmanager
def _locked(folder: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (an advisory flock; none where the system has no fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows: builds into one folder do not take turns
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except OSError as error:
            if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
                raise  # a file system without locks (some network ones) builds without taking turns
        yield
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
