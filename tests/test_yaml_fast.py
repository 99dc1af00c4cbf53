"""The libyaml fast path of the record loader gives exactly what the pure-Python loader gives:
the same values and positions for good files, the same located problem for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.records import yamlloader
from kb.records.yamlfile import YamlDocument, YamlProblem, decode_text, parse_yaml
from kb_bench.synth import generate, write

REPO = Path(__file__).resolve().parents[1]

TRICKY = {
    "alias": "id: a\nx: &v [1, 2]\ny: *v\n",
    "anchor-only": "id: a\nx: &v [1, 2]\n",
    "star-in-text": "id: a\ntitle: '*強調*'\n",
    "deep": "id: a\nx: " + "[" * 40 + "]" * 40 + "\n",
    "just-deep-enough": "id: a\nx: " + "[" * 30 + "]" * 30 + "\n",
    "depth-31": "x: " + "[" * 30 + "1" + "]" * 30 + "\n",
    "depth-32": "x: " + "[" * 31 + "1" + "]" * 31 + "\n",
    "depth-32-empty": "x: " + "[" * 31 + "]" * 31 + "\n",
    "depth-33": "x: " + "[" * 32 + "]" * 32 + "\n",
    "deep-mapping-key": "x: " + "{" * 15 + "a: " + "{" * 15 + "b: 1" + "}" * 30 + "\n",
    "deep-block": "".join("  " * i + f"k{i}:\n" for i in range(34)) + "  " * 34 + "v: 1\n",
    "libyaml-nesting-limit": "x: " + "[" * 2000 + "]" * 2000 + "\n",
    "tab": "id: a\n\ttitle: x\n",
    "duplicate-key": "id: a\nid: b\n",
    "date": "id: a\nwhen: 2024-01-01\n",
    "tag": "id: a\nx: !!binary aGVsbG8=\n",
    "merge": "base: &b {x: 1}\nother:\n  <<: *b\n",
    "second-document": "id: a\n---\nid: b\n",
    "colon": "title: AGI: 10\n",
    "scalar-root": "just text\n",
    "null-root": "~\n",
    "escape": 'title: "\\u202e"\n',
    "unicode-columns": "title: 日本語のタイトル\nsummary: [一, 二, 三]\nquotes:\n  - text: 「引用」\n",
    "number-key": "id: a\n1: x\n",
    "text-tagged-number-key": "id: a\n!!str 1: x\n",
    "null-key": "id: a\n~: x\n",
    "escaped-control-in-key": 'id: a\n"k\\u0007": x\n',
    "harmless-escape": 'title: "caf\\u00e9 \\"x\\""\n',
    "text-tag-on-list": "x: !!str [1, 2]\n",
    "numbers-and-nulls": "x: [1, -2, 0x1f, 1.5, .inf, true, off, ~, null, '', 1_000]\n",
    "int-tag-on-word": "id: a\nx: !!int abc\n",
    "int-tag-on-word-key": "id: a\n!!int abc: x\n",
    "bool-tag-on-word": "id: a\nx: !!bool maybe\n",
    "map-tag-on-text": "id: a\nx: !!map abc\n",
}


def outcome(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """What load_yaml gives for `path` with or without the fast path: the document (positions included,
    which the fast path works out only when asked), the problem, or the error nobody foresaw."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlloader, "libyaml_tree", lambda text: None)
        try:
            document: YamlDocument = parse_yaml(decode_text(path.read_bytes()), path.name)
        except YamlProblem as problem:
            return ("problem", problem.message, problem.line, problem.column)
        except Exception as error:  # noqa: BLE001 - a crash must at least be the same crash both ways
            return ("error", type(error).__name__, str(error).splitlines()[0])  # libyaml's marks quote no line
        return ("document", document.data, document.values, document.keys)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_file_loads_the_same_both_ways(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(TRICKY[name], encoding="utf-8")
    assert outcome(path, True, monkeypatch) == outcome(path, False, monkeypatch)


def test_every_record_of_real_fixture_and_synthetic_knowledge_bases_loads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(generate(60, 5), tmp_path / "synth")
    files = [*REPO.glob("*.yaml"), *REPO.glob("[cgs]*/*.yaml"), *(REPO / "tests" / "fixtures").rglob("*.yaml"),
             *(tmp_path / "synth").rglob("*.yaml")]
    assert len(files) > 150
    for path in files:
        assert outcome(path, True, monkeypatch) == outcome(path, False, monkeypatch), path
    fast = [path for path in files if yamlloader.compose_fast(path.read_text(encoding="utf-8")) is not None]
    assert len(fast) > 0.9 * len(files), "well-formed records take the libyaml path"
