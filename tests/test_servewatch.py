"""The records' watch under `make serve` asks for a rebuild when a record is written, never when one is
only read (every load reads every record: a rebuild asked for by its own reading would follow each one)."""

from __future__ import annotations

import threading
from pathlib import Path

from conftest import copy_fixture
from kb.adapters.servewatch import KnowledgeBaseWatch
from watchdog.events import FileClosedEvent, FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent
from watchdog.observers.polling import PollingObserver


class Server:
    """The parts of MkDocs' live-reload server a watch uses."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.observer = PollingObserver()


def test_reading_a_record_asks_for_no_rebuild_and_writing_one_does(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    server = Server()
    watch = KnowledgeBaseWatch(server, kb, server.observer)
    watch.start()
    record = str(kb / "claims" / "agi-decade.yaml")
    for read in (FileOpenedEvent(record), FileClosedNoWriteEvent(record)):
        watch.on_any_event(read)
    assert not server._want_rebuild
    for written in (FileModifiedEvent(record), FileClosedEvent(record)):
        server._want_rebuild = False
        watch.on_any_event(written)
        assert server._want_rebuild, written
