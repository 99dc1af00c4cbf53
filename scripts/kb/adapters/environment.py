"""Failures of the machine, not of the records: a folder that cannot be written, a full disk, a
file-size limit. Each becomes one line naming the path and saying what to do, never "a bug"."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def environment_message(error: OSError, where: Path | None = None) -> str:
    """'path: what happened; what to do' for `error`; `where` names the path when the error does not
    (a write that fails for lack of room is not told which file it was writing)."""
    named = error.filename2 if _out_of_room(error.errno) and error.filename2 else error.filename
    path = Path(os.fsdecode(named)) if named else where
    happened = error.strerror or str(error)
    return f"{path if path is not None else 'a file'}: {happened}; {advice(error.errno, path)}"


def _out_of_room(code: int | None) -> bool:
    """Whether `code` says a write found no room: then of a copy the file written is named, not the one read."""
    return code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def advice(code: int | None, path: Path | None) -> str:
    """What to do about an OSError with the code `code` met at `path`."""
    if code in (errno.EACCES, errno.EPERM):
        return _permission_advice(path)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk{_of(path)} is full: free some space on it or write elsewhere, then run again"
    if code == errno.EFBIG:
        return ("a file went over this shell's file-size limit: raise it (ulimit -f unlimited) and build again")
    if code == errno.EROFS:
        return "the file system is read-only: write elsewhere, then run again"
    if code in (errno.EMFILE, errno.ENFILE):
        return "too many open files: raise the limit (ulimit -n 4096) and build again"
    return "check that the path exists and is usable by you, then run again"


def _of(path: Path | None) -> str:
    folder = _existing(path)
    return f" holding {folder}" if folder is not None else ""


def _permission_advice(path: Path | None) -> str:
    folder = _existing(path)
    if folder is None:
        return "check the permissions of the folders on the way to it"
    owner = os.stat(folder).st_uid
    if hasattr(os, "geteuid") and owner != os.geteuid():
        folder = _taken_over(folder, owner)
        return (f"{folder} belongs to {_user(owner)}, not to you (made by a run with sudo?): make it yours "
                f"(sudo chown -R $USER {folder}) or write elsewhere, then run again")
    return f"{folder} is yours but closed to you: open it (chmod u+rwx {folder}) or write elsewhere, then run again"


def _taken_over(folder: Path, owner: int) -> Path:
    """The outermost folder around `folder` that `owner` made inside one of ours (`.cache/` for a
    `.cache/templates/` that a run with sudo made); `folder` itself when none of its folders is ours."""
    outermost = folder
    for parent in folder.parents:
        found = os.stat(parent).st_uid
        if found == os.geteuid():
            return outermost
        if found != owner:
            break
        outermost = parent
    return folder


def _existing(path: Path | None) -> Path | None:
    """`path` or its nearest folder that exists: where the permission or the disk is decided."""
    if path is None:
        return None
    return next((candidate for candidate in (path, *path.parents) if candidate.exists()), None)


def _user(uid: int) -> str:
    try:
        import pwd
    except ImportError:
        return f"user {uid}"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"
