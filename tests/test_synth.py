"""The synthetic knowledge-base generator writes folders that pass every check, reproducibly."""

from __future__ import annotations

from pathlib import Path

from kb.adapters.pipeline import load_and_check
from kb_bench.synth import generate, main, read_corpus, write


def folder_text(root: Path) -> dict[str, str]:
    """Every file of a folder, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_knowledge_base_passes_every_check(tmp_path: Path) -> None:
    assert main(["--claims", "120", "--out", str(tmp_path / "kb"), "--seed", "3"]) == 0
    checked, problems = load_and_check(tmp_path / "kb")
    assert [str(p) for p in problems.sorted()] == []
    assert checked is not None
    kb = checked.kb
    assert (len(kb.claims), len(kb.terms), len(kb.sources)) == (120, 12, 3)
    assert len(checked.quote_spans) == sum(len(c.quotes) for c in kb.claims.values())
    assert any(c.related for c in kb.claims.values()) and any(c.annotations for c in kb.claims.values())
    assert any(t.misheard for t in kb.terms.values())


def test_same_seed_same_folder_other_seed_other_folder(tmp_path: Path) -> None:
    corpus = read_corpus()
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        write(generate(40, seed, corpus), tmp_path / name)
    assert folder_text(tmp_path / "a") == folder_text(tmp_path / "b")
    assert folder_text(tmp_path / "a") != folder_text(tmp_path / "c")


def test_text_comes_from_the_transcript() -> None:
    corpus = read_corpus()
    kb = generate(30, 1, corpus)
    sentence = kb.claims[0]["quotes"][0]["text"]
    assert any(sentence.startswith(opener) for opener in corpus.openers)
    assert any(sentence.endswith(closer) for closer in corpus.closers)


def test_non_positive_size_is_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--claims", "0", "--out", str(tmp_path / "kb")]) == 2
    assert "expected a positive number; found 0" in capsys.readouterr().err
    assert not (tmp_path / "kb").exists()


def test_a_folder_not_written_by_the_generator_is_never_replaced(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    precious = tmp_path / "kb"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["--claims", "10", "--out", str(precious)]) == 2
    assert "was not written by kb_bench.synth" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert main(["--claims", "10", "--out", str(tmp_path / "fresh")]) == 0
    assert main(["--claims", "12", "--out", str(tmp_path / "fresh")]) == 0
    assert len(list((tmp_path / "fresh" / "claims").iterdir())) == 12


def test_a_corpus_without_forms_holds_no_piece_with_them() -> None:
    corpus = read_corpus()
    form = "Dwaresh"
    assert any(form in sentence for sentence in corpus.sentences), "the transcript holds the form"
    less = corpus.without([form, "Ｎａｎｏ Chat"])  # compared after folding, as quotes are
    pieces = less.openers + less.closers + less.sentences + less.katakana
    assert not any(form in piece or "Nano Chat" in piece for piece in pieces)
    assert len(less.sentences) == sum(1 for s in corpus.sentences if form not in s and "Nano Chat" not in s)
    text = "".join(paragraph for _, source in generate(300, 1, less).sources for paragraph in source)
    assert form not in text and "Nano Chat" not in text
