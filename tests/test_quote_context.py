"""Quote prefix and suffix narrow a repeated span, whatever spaces surround them."""

from __future__ import annotations

import pytest
from kb.records.sourcetext import SourceText, split_paragraphs

SOURCE = SourceText(split_paragraphs("He said go. Then we go home.\nWe go now.\n"))


def test_repeated_span_is_ambiguous_without_context() -> None:
    assert [span.paragraph for span in SOURCE.find("go")] == [1, 1, 2]


@pytest.mark.parametrize(
    ("prefix", "suffix", "paragraph", "start"),
    [
        ("Then we ", None, 1, 20),
        ("Then we", None, 1, 20),
        (None, " now", 2, 3),
        (None, "now.", 2, 3),
        ("said", ".", 1, 8),
    ],
)
def test_context_with_or_without_edge_spaces_selects_one_span(
    prefix: str | None, suffix: str | None, paragraph: int, start: int
) -> None:
    spans = SOURCE.find("go", prefix, suffix)
    assert [(s.paragraph, s.start) for s in spans] == [(paragraph, start)]


def test_context_that_does_not_occur_matches_nothing() -> None:
    assert SOURCE.find("go", prefix="They ") == []
