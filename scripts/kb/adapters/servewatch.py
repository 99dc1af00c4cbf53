"""`mkdocs serve` keeps listening to a knowledge base whose folders come and go.

MkDocs' own `server.watch(path)` goes deaf when a watched folder is removed or moved away: its
polling watcher stops for good, and a folder put back is never watched again. A file that did not
exist when serving started (`estimates.yaml`, `published-ids.txt`) is never watched at all. So the
knowledge-base folder itself is watched (not recursively: its registries, and its record folders
appearing, vanishing or being replaced), each record folder recursively, and a record folder's watch
is made again whenever it has died or the folder is no longer the one it watched.

The records are watched by an observer of their own, the platform's native one (inotify on Linux):
MkDocs' server polls every 0.5 s, which alone made an editor wait 0.25 s on average before a rebuild
began. Where no native observer can watch (no inotify, its watch limit reached), the server's polling
observer is used as before. A native watch also ends when its folder is removed, so the rearming
below serves both.

This is MkDocs glue: watchdog's public API, and a rebuild asked for as the server's own watches do,
through its rebuild condition (MkDocs 1.x; the live-edit tests fail if that changes).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..records.layout import INPUT_NAMES, RECORD_FOLDERS

CHANGES = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
           DirCreatedEvent, DirModifiedEvent, DirDeletedEvent, DirMovedEvent]
"""The events watched: changes, not reads. A native watcher can report a file opened and closed unwritten,
and every load opens every record: at 10,000 claims, handling those 22,000 events in the watcher's thread,
beside the load, made it take 1.1 to 1.3 s instead of 0.5 s. Left out of the watch, the kernel does not
report them at all (watchdog's inotify mask follows the filter)."""


class KnowledgeBaseWatch(FileSystemEventHandler):
    """Watches of one knowledge-base folder on a live-reload server's observer."""

    def __init__(self, server: Any, root: Path, observer: BaseObserver) -> None:
        self.server = server
        self.root = root
        self.observer = observer
        self.folders: dict[str, tuple[Any, tuple[int, int]]] = {}
        """Each watched record folder's watch and the identity (device, inode) of the folder it watches."""
        self.lock = threading.Lock()

    def start(self) -> None:
        """Watch the knowledge-base folder and every record folder it holds now."""
        self.observer.schedule(self, str(self.root), recursive=False, event_filter=CHANGES)
        self.rearm()

    def on_any_event(self, event: FileSystemEvent) -> None:
        changed = self.rearm()
        if changed or self._names(event) & set(INPUT_NAMES):
            request_rebuild(self.server)

    def _names(self, event: FileSystemEvent) -> set[str]:
        """The names, at the top of the knowledge base, of the paths an event is about."""
        names = set()
        for path in (event.src_path, getattr(event, "dest_path", "")):
            relative = os.path.relpath(os.fsdecode(path), self.root) if path else os.pardir
            if not relative.startswith(os.pardir):
                names.add(Path(relative).parts[0] if relative != os.curdir else "")
        return names

    def rearm(self) -> bool:
        """Watch each record folder that exists now, again when its watch died or the folder was replaced;
        stop watching folders that are gone. True when any watch was made or dropped."""
        with self.lock:
            changed = False
            for name in RECORD_FOLDERS:
                changed |= self._rearm_folder(name)
            return changed

    def _rearm_folder(self, name: str) -> bool:
        identity = _identity(self.root / name)
        watched = self.folders.get(name)
        if watched is not None and (watched[1] != identity or not self._alive(watched[0])):
            self.observer.unschedule(watched[0])
            del self.folders[name]
        if identity is not None and name not in self.folders:
            self.folders[name] = (self.observer.schedule(self, str(self.root / name), recursive=True, event_filter=CHANGES), identity)
            return True
        return watched is not None and name not in self.folders

    def _alive(self, watch: Any) -> bool:
        """Whether the watcher of `watch` still runs (a watcher stops when its folder vanishes)."""
        observer = self.observer
        if not observer.is_alive():
            return True  # not started yet: its watchers start with it
        return any(emitter.watch == watch and emitter.is_alive() for emitter in observer.emitters)


def _identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the folder at `path`, or None when there is no folder there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if os.path.isdir(path) else None


def request_rebuild(server: Any) -> None:
    """Ask the live-reload server for a rebuild, as its own watches do when a file changes."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def reload_when_idle(server: Any) -> None:
    """Have the browsers reload to the site as it is now, unless a build is asked for or under way (its end
    reloads them). The live-reload server's epochs, under both its locks, as its build loop sets them (MkDocs 1.x)."""
    with server._rebuild_cond, server._epoch_cond:
        if server._visible_epoch == server._wanted_epoch and not server._want_rebuild:
            server._wanted_epoch = server._visible_epoch = max(round(time.monotonic() * 1000), server._visible_epoch + 1)
            server._epoch_cond.notify_all()


def watch_knowledge_base(server: Any, root: Path) -> KnowledgeBaseWatch:
    """Keep `server` rebuilding on every change to the knowledge base at `root`, whatever comes and goes:
    watched by a native observer started here (`stop_watching` ends it), else by the server's own."""
    root = root.resolve()
    native = Observer()
    try:
        watch = KnowledgeBaseWatch(server, root, native)
        watch.start()
        native.start()
    except OSError:  # no native watching here (e.g. the inotify watch limit): poll with the server
        native.unschedule_all()
        watch = KnowledgeBaseWatch(server, root, server.observer)
        watch.start()
    return watch


def stop_watching(watch: KnowledgeBaseWatch) -> None:
    """End the records' own observer (not the server's: the server stops that one)."""
    if watch.observer is not watch.server.observer and watch.observer.is_alive():
        watch.observer.stop()
        watch.observer.join(timeout=5)
