"""Gojūon order of kana readings (kb.site.gojuon)."""

from __future__ import annotations

import pytest
from kb.site.gojuon import gojuon_row, kana_sort_key


def ordered(*readings: str) -> list[str]:
    return sorted(readings, key=kana_sort_key)


def test_rows_in_gojuon_order() -> None:
    assert ordered("わ", "ら", "や", "ま", "は", "な", "た", "さ", "か", "あ", "ん") == [
        "あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ", "ん",
    ]


def test_voiced_kana_sort_with_their_plain_kana() -> None:
    # が is filed under か: 'かく' < 'がし' < 'かす' because か = が at the first level
    assert ordered("かす", "がし", "かく") == ["かく", "がし", "かす"]


def test_plain_before_voiced_before_semi_voiced_on_a_tie() -> None:
    assert ordered("ぱん", "ばん", "はん") == ["はん", "ばん", "ぱん"]


def test_small_kana_sort_as_full_size_and_before_them_on_a_tie() -> None:
    assert ordered("きつね", "きっと", "きつと") == ["きっと", "きつと", "きつね"]
    assert kana_sort_key("ちゃ")[0] == "ちや"


def test_long_vowel_mark_counts_as_the_vowel_it_lengthens() -> None:
    assert kana_sort_key("かーど")[0] == "かあと"
    assert kana_sort_key("るーる")[0] == "るうる"
    assert kana_sort_key("ちゃーと")[0] == "ちやあと"
    # 'あーく' (aaku) comes before 'あい' (ai), as in a dictionary; ignoring ー would invert them
    assert ordered("あいびーえむ", "あーくぷらいず") == ["あーくぷらいず", "あいびーえむ"]
    assert ordered("かあど", "かーど") == ["かーど", "かあど"]


def test_katakana_sorts_as_hiragana_and_after_it_on_a_tie() -> None:
    assert kana_sort_key("カード")[0] == kana_sort_key("かーど")[0]
    assert ordered("ハン", "はん") == ["はん", "ハン"]
    assert ordered("ヴァ", "うあ", "ゔぁ") == ["うあ", "ゔぁ", "ヴァ"]


def test_separators_are_ignored() -> None:
    assert kana_sort_key("あんどれい・かるぱしー")[0] == kana_sort_key("あんどれいかるぱしー")[0]


def test_iteration_mark_repeats_the_previous_kana() -> None:
    assert kana_sort_key("いすゞ")[0] == "いすす"


@pytest.mark.parametrize(
    ("reading", "row"),
    [("えーじーあい", "あ"), ("ぐーぐる", "か"), ("じぜんがくしゅう", "さ"), ("でぃーぷまいんど", "た"),
     ("なのちゃっと", "な"), ("ぱらめーた", "は"), ("もでるおーばーはんぐ", "ま"), ("ゆうれい", "や"),
     ("ろーら", "ら"), ("をかし", "わ"), ("", "")],
)
def test_row_of_a_reading(reading: str, row: str) -> None:
    assert gojuon_row(reading) == row
