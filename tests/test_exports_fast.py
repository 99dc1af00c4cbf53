"""The JSON exports are written without `json.dumps(..., indent=2)` and with each claim written once,
yet every file is byte for byte what `json.dumps` gives for the published records (a contract)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from kb.adapters.pipeline import load_and_check
from kb.exports.exports import (
    claim_record,
    claims_document,
    each_json_file,
    json_schemas,
    preview_labels,
    to_json,
    write_files,
)
from kb.records.model import SCHEMAS
from kb.site import urls
from kb_bench.synth import generate, write


def reference(value: Any) -> str:
    """The JSON text the exports promise: the standard library's, indented by two."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


keys = st.text(max_size=8) | st.integers() | st.floats() | st.booleans() | st.none()
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert to_json(value) == reference(value)


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": []}, [[[]]], (), {1: "int", "1": "text", 1.5: "", False: 0, None: [None]},
    [float("nan"), float("inf"), -float("inf"), 1e300, -0.0, 10**40], "\x00\x1f\"\\\n\t\u2028\ud800☃🎉",
])
def test_edge_values_are_written_as_json_dumps_writes_them(value: Any) -> None:
    assert to_json(value) == reference(value)


@pytest.mark.parametrize("value", [{"a": object()}, [{1, 2}], {(1, 2): "tuple key"}])
def test_values_json_cannot_write_fail_as_in_json_dumps(value: Any) -> None:
    with pytest.raises(TypeError) as expected:
        reference(value)
    with pytest.raises(TypeError, match=str(expected.value)):
        to_json(value)


@pytest.mark.parametrize("name", ["small", "real", "synthetic"])
def test_every_exported_file_is_the_json_dumps_text_of_its_record(name: str, tmp_path: Path) -> None:
    if name == "synthetic":
        write(generate(60, 5), tmp_path / "synth")
    root = {"small": FIXTURES / "small", "real": REPO, "synthetic": tmp_path / "synth"}[name]
    checked, problems = load_and_check(root)
    assert checked is not None, problems.sorted()
    expected = {"claims.json": reference(claims_document(checked))}
    for claim in checked.kb.claims.values():
        expected[urls.claim_json_url(claim.id)] = reference(claim_record(checked, claim))
    expected[urls.PREVIEW_LABELS_JSON] = reference(preview_labels(checked))
    files = list(each_json_file(checked))
    assert [path for path, _ in files] == list(expected), "claims.json first, then each claim in load order, the labels"
    for path, text in files:
        assert text == expected[path], path


def test_json_schemas_are_the_json_dumps_text_of_the_model_schemas() -> None:
    schemas = json_schemas()
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        assert schemas[f"{name}.schema.json"] == reference(schema)


def test_written_files_hold_exactly_their_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "a.json").write_text("an older, longer file " * 20, encoding="utf-8")
    real_write = os.write
    # A write may take fewer bytes than it is given; every byte must still land.
    monkeypatch.setattr(os, "write", lambda descriptor, data: real_write(descriptor, bytes(data[:3])))
    files: list[tuple[str, str | bytes]] = [
        ("claims/a.json", "認知コア\n"), ("search/kb/s/0.bin", b"\x00\xff\n\r\n"), ("claims.json", "[]\n")
    ]
    write_files(tmp_path, files)
    assert (tmp_path / "claims" / "a.json").read_bytes() == "認知コア\n".encode()
    assert (tmp_path / "search" / "kb" / "s" / "0.bin").read_bytes() == b"\x00\xff\n\r\n"
    assert (tmp_path / "claims.json").read_bytes() == b"[]\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "claims.json").stat().st_mode) == 0o666 & ~umask


def test_claims_json_carries_the_english_text_beside_the_japanese() -> None:
    """Issue 21: one file for both languages; every note, finding and removal reason of the real
    knowledge base in English next to its Japanese."""
    checked, problems = load_and_check(REPO)
    assert checked is not None, problems.sorted()
    claims = {claim["id"]: claim for claim in claims_document(checked)["claims"]}
    notes = removals = 0
    for claim in checked.kb.claims.values():
        published = claims[claim.id]
        for note, record in zip(claim.annotations, published["annotations"], strict=True):
            assert (record["text"], record["text_en"]) == (note.text, note.text_en)
            assert record.get("finding_en") == (note.finding_en if note.verdict else None)
            notes += 1
        for removed, record in zip(claim.removed_quotes, published["removed_quotes"], strict=True):
            assert (record["reason"], record["reason_en"]) == (removed.reason, removed.reason_en)
            removals += 1
    assert notes >= 50 and removals >= 2, "the real knowledge base lost its annotations"
