"""The records' watch under `make serve` asks for a rebuild when a record is written, never when one is
only read (every load reads every record: a rebuild asked for by its own reading would follow each one,
and at 10,000 claims handling the reads' events alone slowed each load twofold)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from conftest import copy_fixture
from kb.adapters.servewatch import stop_watching, watch_knowledge_base
from watchdog.observers.polling import PollingObserver


class Server:
    """The parts of MkDocs' live-reload server a watch uses."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.observer = PollingObserver()


def wait_for_rebuild(server: Server, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not server._want_rebuild:
        time.sleep(0.01)
    return server._want_rebuild


def test_reading_records_asks_for_no_rebuild_and_writing_one_does(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    server = Server()
    watch = watch_knowledge_base(server, kb)
    try:
        assert watch.observer is not server.observer  # the native watcher (inotify), which can report reads
        records = sorted(kb.rglob("*.yaml"))
        for _ in range(3):
            for record in records:
                record.read_bytes()
        assert not wait_for_rebuild(server, 0.5)
        record = kb / "claims" / "agi-decade.yaml"
        record.write_bytes(record.read_bytes() + b"\n")
        assert wait_for_rebuild(server, 5.0)
    finally:
        stop_watching(watch)
