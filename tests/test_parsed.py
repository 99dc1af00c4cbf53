"""Loading again reuses the records of unchanged files and reads every changed one afresh."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_fixture
from kb.records.knowledge import load_knowledge_base


def test_a_reload_keeps_unchanged_records_and_reads_changed_ones(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    first, problems = load_knowledge_base(kb)
    assert not problems
    edited, untouched = sorted(first.claims)[:2]
    path = kb / "claims" / f"{edited}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改訂", 1), encoding="utf-8")
    second, problems = load_knowledge_base(kb)
    assert not problems
    assert second.claims[untouched] is first.claims[untouched]
    assert second.claims[edited] is not first.claims[edited]
    assert second.claims[edited].title == "改訂" + first.claims[edited].title


def test_a_broken_file_is_reported_on_every_load_and_its_repair_is_read(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    first, _ = load_knowledge_base(kb)
    claim = min(first.claims)
    path = kb / "claims" / f"{claim}.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: ", "title: [", 1), encoding="utf-8")
    for _ in range(2):
        broken, problems = load_knowledge_base(kb)
        assert claim not in broken.claims
        assert [p for p in problems.sorted() if f"claims/{claim}.yaml" in str(p)]
    path.write_text(good, encoding="utf-8")
    repaired, problems = load_knowledge_base(kb)
    assert not problems and repaired.claims[claim] == first.claims[claim]
