"""Folding a paragraph that folding leaves unchanged takes a shortcut with exactly the same result."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kb.records.sourcetext import _already_folded, _fold_each_cluster, fold_with_origins

# Japanese, ASCII, spaces of several kinds, full-width forms, combining marks and kana voicing marks.
ALPHABET = st.sampled_from(list("あいうかがカガｶﾞ日本語。、「」ＡＢａ１ab1 .,:\u3000\u00a0\t\u3099\u309a\u0301\u0308e\uff9e"))


@settings(max_examples=2000, deadline=None)
@given(st.text(ALPHABET, max_size=40))
def test_shortcut_gives_what_the_cluster_by_cluster_fold_gives(text: str) -> None:
    assert fold_with_origins(text) == _fold_each_cluster(text)


def test_plain_japanese_takes_the_shortcut() -> None:
    assert _already_folded("彼はAGIは10年以上先だと言いました。 Andrej Karpathy")
    assert not _already_folded("全角　スペース")
    assert not _already_folded("か\u3099")
