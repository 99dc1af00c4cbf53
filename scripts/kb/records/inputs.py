"""The files a knowledge base is read from: each must resolve inside its folder, and is read bounded.

A committed link can point anywhere: `sources/notes.txt -> ../.git/config` (where a CI checkout
keeps its token) or `claims/x.yaml -> /etc/passwd`. A link in any position (the file, a folder such
as `claims/` itself, a chain of links, `..` inside a target) is followed only when the place it
finally resolves to lies inside the knowledge-base folder and outside its hidden folders (`.git/`,
`.cache/`, `.venv/`). Anything else is refused before a byte of it is read, so no message can quote
it, and the refusal reads the same whether or not the target exists. Every read of the build goes
through `read_text` here; a file's size is checked on the open file, before it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import printable
from .yamlfile import MAX_BYTES, YamlDocument, YamlProblem, decode_text, parse_yaml


class Refused(Exception):
    """A path the build will not read; the message is 'what is wrong; expected ...; found ...'."""


class KnowledgeBaseFolder:
    """A knowledge-base folder as the build reads it: paths relative to it, each checked to resolve inside."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._root = str(self.root)
        self._folders: dict[str, str | None] = {"": None}

    def refusal(self, relative: str) -> str | None:
        """Why the entry `relative` (a file or folder, `/`-separated) may not be read, or None when it may."""
        folder = relative.rpartition("/")[0]
        if folder not in self._folders:
            self._folders[folder] = self.refusal(folder)
        refused = self._folders[folder]
        if refused is not None:
            return refused
        path = os.path.join(self._root, relative)
        # Only a link can lead out of a folder that resolves inside: a plain entry costs one lstat.
        return self._outside(path) if os.path.islink(path) else None

    def _outside(self, path: str) -> str | None:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.root) or real == self.root:
            target = str(real)
        elif any(part.startswith(".") for part in real.relative_to(self.root).parts):
            target = real.relative_to(self.root).as_posix()
        else:
            return None
        return ("link resolves outside the knowledge base; expected a path inside the knowledge-base folder "
                f"and outside its hidden folders such as .git/; found a link to {printable(target)}")

    def path(self, relative: str) -> str:
        """The entry `relative`, once it is known to resolve inside; raises Refused otherwise."""
        reason = self.refusal(relative)
        if reason is not None:
            raise Refused(reason)
        return os.path.join(self._root, relative)


def read_bytes(folder: KnowledgeBaseFolder, relative: str, limit: int) -> bytes:
    """The bytes of the regular file `relative`, at most `limit` of them; raises Refused for a path that
    resolves outside, a file that is not a regular file or is too large, and OSError when it cannot be read."""
    path = folder.path(relative)
    # Non-blocking, so that a named pipe put in the place of a record cannot hang the build.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Refused(f"not a regular file; expected a text file; found {_kind(status.st_mode)}")
        if status.st_size > limit:  # before reading: a sparse file of many gigabytes costs nothing here
            raise Refused(f"file is too large; expected at most {limit:,} bytes; found {status.st_size:,} bytes")
        raw = os.read(descriptor, status.st_size + 1)  # a buffer of the file's size, not of the limit
        if len(raw) != status.st_size:  # it changed as we read, or the size was not told: read on to the limit
            raw += _read_to_end(descriptor, limit + 1 - len(raw))
    finally:
        os.close(descriptor)
    if len(raw) > limit:
        raise Refused(f"file is too large; expected at most {limit:,} bytes; found more")
    return raw


def _read_to_end(descriptor: int, most: int) -> bytes:
    chunks = []
    while most > 0:
        chunk = os.read(descriptor, min(most, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        most -= len(chunk)
    return b"".join(chunks)


def read_text(folder: KnowledgeBaseFolder, relative: str, limit: int = MAX_BYTES) -> str:
    """The text of the file `relative` with LF line ends; a YamlProblem (line 1, column 1 unless the
    text itself is at fault) for every reason it cannot be used, reading failures of the machine included."""
    return decode_text(read_raw(folder, relative, limit))


def read_raw(folder: KnowledgeBaseFolder, relative: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the file `relative` (`read_bytes`), every reason they cannot be read a YamlProblem at
    line 1, column 1; `decode_text` makes them text."""
    try:
        return read_bytes(folder, relative, limit)
    except Refused as error:
        raise YamlProblem(str(error)) from None
    except OSError as error:
        raise YamlProblem(unreadable(error, "file")) from None


def load_yaml(folder: KnowledgeBaseFolder, relative: str, display: str) -> YamlDocument:
    """The YAML record file `relative`, parsed; raises YamlProblem with a position on any defect."""
    text = read_text(folder, relative)
    return parse_yaml(text, display)


def unreadable(error: OSError, what: str) -> str:
    """A problem message for a file or folder the machine would not let us read."""
    action = {"file": "a file you can read", "folder": "a folder you can list and enter"}[what]
    return f"cannot read the {what}; expected {action} (check its permissions); found {error.strerror or error}"


def special_file_kind(path: Path) -> str:
    """What `path` is when it is neither a regular file nor a folder: 'a named pipe', 'a device', 'a socket'."""
    return _kind(path.stat().st_mode)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"
