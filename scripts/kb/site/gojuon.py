"""Gojūon (Japanese dictionary) order for kana readings.

Dictionaries compare readings first with every kana reduced to its plain full-size hiragana form
(が as か, ぱ as は, small ゃ as や, ー as the vowel it lengthens), and only break ties by the finer
distinctions: plain before voiced before semi-voiced, small before full-size, the long-vowel mark
before a written vowel, hiragana before katakana (after JIS X 4061).
"""

from __future__ import annotations

import unicodedata

_KATAKANA_OFFSET = 0x60
_SMALL_TO_FULL = dict(zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ"))
_VOWEL_ROWS = {
    "あ": "あかさたなはまやらわ",
    "い": "いきしちにひみりゐ",
    "う": "うくすつぬふむゆる",
    "え": "えけせてねへめれゑ",
    "お": "おこそとのほもよろを",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
ROWS = "あかさたなはまやらわ"
"""The first kana of each gojūon row (あ行, か行, ...), in order; ん belongs to わ行."""
_ROW_ENDS = "おこそとのほもよろん"
_LONG_VOWEL_MARK = "ー"
_ITERATION_MARK = "ゝ"
_IGNORED = set("・ 　")

PLAIN, VOICED, SEMI_VOICED = 0, 1, 2
SMALL, FULL = 0, 1
LONG_MARK, WRITTEN = 0, 1
HIRAGANA, KATAKANA = 0, 1


def _to_hiragana(char: str) -> tuple[str, int]:
    code = ord(char)
    if 0x30A1 <= code <= 0x30F6 or char == "ヽ":
        return chr(code - _KATAKANA_OFFSET), KATAKANA
    return char, HIRAGANA


def _split_voicing(char: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 2 and decomposed[1] == "\u3099":
        return decomposed[0], VOICED
    if len(decomposed) == 2 and decomposed[1] == "\u309a":
        return decomposed[0], SEMI_VOICED
    return char, PLAIN


SortKey = tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def kana_sort_key(reading: str) -> SortKey:
    """Key that orders kana readings as a Japanese dictionary does.

    The first part is the reading reduced to plain full-size hiragana, so か/が/カ and つ/っ compare
    equal there; ties are broken level by level: voicing, then size, then long-vowel mark, then
    script, each compared character by character.
    """
    primary: list[str] = []
    ties: list[tuple[int, int, int, int]] = []  # per character: voicing, size, mark, script
    for char in reading:
        if char in _IGNORED:
            continue
        unvoiced, voice = _split_voicing(char)
        base, script = _to_hiragana(unvoiced)
        if base == _LONG_VOWEL_MARK:
            primary.append(_VOWEL_OF.get(primary[-1], base) if primary else base)
            ties.append((PLAIN, FULL, LONG_MARK, script))
            continue
        if base == _ITERATION_MARK and primary:
            base = primary[-1]
        size = SMALL if base in _SMALL_TO_FULL else FULL
        primary.append(_SMALL_TO_FULL.get(base, base))
        ties.append((voice, size, WRITTEN, script))
    voicings, sizes, marks, scripts = (tuple(tie[level] for tie in ties) for level in range(4))
    return "".join(primary), voicings, sizes, marks, scripts


def gojuon_row(reading: str) -> str:
    """The row (あ, か, さ, ...) a reading is filed under in a dictionary; '' if it starts with no kana."""
    first = kana_sort_key(reading)[0][:1]
    for row, end in zip(ROWS, _ROW_ENDS):
        if first and row <= first <= end:
            return row
    return ""
