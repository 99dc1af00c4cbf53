"""Search text: the normalization and segmentation shared by the index builder and the browser.

`docs/assets/kb-search/text.js` implements the same rules for queries; `tests/search_text_cases.yaml`
holds cases both implementations must agree on. Change one, change the other.

Normalization (`normalize`), in this order:

1. Unicode NFKC (full-width ＡＧＩ and half-width ｼｽﾃﾑ become AGI and システム), lowercase, the middle
   dot ・ dropped (アンドレイ・カルパシー and アンドレイカルパシー are the same name);
2. kana folded (`fold_kana`): hiragana to katakana, small kana to large (ョ → ヨ, ッ → ツ), ヂ ヅ
   to ジ ズ, so しまうま finds シマウマ and a reading typed in hiragana meets the text;
3. iteration marks spelled out: 人々 → 人人, ヽ ヾ → the kana before (voiced for ヾ);
4. long vowels dropped: the mark ー, and a vowel kana that only lengthens the one before (アア, イイ,
   エイ, ウウ, オウ, オオ...), so ドワーケシュ, ドワケシュ and どわーけしゅ are one word, and so are
   きょうか, キョーカ and the romaji kyouka / kyōka / kyoka once converted.

Segmentation: a run of Japanese/Chinese characters gives its overlapping character bigrams
(システム → シス ステ テム) and, for each kanji, the kanji alone (so 脳 or 年 can be searched); a run
of Latin letters and digits gives the word. No dictionary is involved, so a query is always cut
the same way as the text it should find, whatever its word boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

CJK_CLASS = "\u3005\u3006\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
"""Characters segmented into bigrams: 々〆, hiragana, katakana, ー, CJK ideographs, hangul."""
WORD_CLASS = "0-9a-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
"""Characters of words: digits and (lowercased) Latin, Greek and Cyrillic letters."""
KANJI_CLASS = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Characters also indexed alone: kanji (a single kanji is often a word)."""

_RUN = re.compile(f"([{CJK_CLASS}]+)|([{WORD_CLASS}]+)")
_WORD_START = re.compile(f"[{WORD_CLASS}]")
_KANJI = re.compile(f"[{KANJI_CLASS}]")
PREFIX_LENGTH = 3
"""A Latin word's shard is chosen by its first three letters, so the last query word can match as a prefix."""


def _kana_folds() -> dict[int, int | None]:
    katakana = {code: code + 0x60 for code in range(0x3041, 0x3097)}
    katakana |= {ord("ゝ"): ord("ヽ"), ord("ゞ"): ord("ヾ")}
    pairs = zip("ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿヂヅ", "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロジズ", strict=True)
    larger = {ord(small): ord(large) for small, large in pairs}
    folds: dict[int, int | None] = {code: larger.get(kana, kana) for code, kana in katakana.items()}
    return folds | larger | {ord("\u30fb"): None}


KANA_FOLDS = _kana_folds()
"""Code point to code point (or None, dropped) after NFKC: hiragana to katakana (ぁ..ゖ → ァ..ヶ, then
small to large), ヂ ヅ to ジ ズ (ヲ stays: as オ, the particle を would vanish after an o-row kana), the hiragana iteration marks to the katakana ones, ・ dropped."""
VOWEL_COLUMNS = {
    "ア": "アカガサザタダナハバパマヤラワ",
    "イ": "イキギシジチニヒビピミリ",
    "ウ": "ウクグスズツヌフブプムユルヴ",
    "エ": "エケゲセゼテデネヘベペメレ",
    "オ": "オコゴソゾトドノホボポモヨロ",
}
"""Katakana (after `KANA_FOLDS`) by the vowel they end in."""
LENGTHENED_BY = {"ア": "ア", "イ": "イエ", "ウ": "ウオ", "エ": "エ", "オ": "オ"}
"""A vowel kana is a long-vowel spelling after a kana ending in one of these vowels (エイ, オウ...)."""
_LONG_VOWEL = re.compile(
    "ー|" + "|".join(f"(?<=[{''.join(VOWEL_COLUMNS[v] for v in after)}]){vowel}" for vowel, after in LENGTHENED_BY.items())
)
_ITERATION = re.compile("(.)([々ヽヾ])")


def _spell_out(match: re.Match[str]) -> str:
    before, mark = match[1], match[2]
    if mark == "ヾ":
        return before + unicodedata.normalize("NFC", before + "\u3099")
    return before + before


def fold_kana(text: str) -> str:
    """Steps 2 to 4 of the normalization, on text already NFKC and lowercase."""
    folded = text.translate(KANA_FOLDS)
    if "々" in folded or "ヽ" in folded or "ヾ" in folded:
        folded = _ITERATION.sub(_spell_out, folded)
    return _LONG_VOWEL.sub("", folded)


def normalize(text: str) -> str:
    """NFKC, lowercase, kana folded, iteration marks spelled out, long vowels dropped (see the module)."""
    return fold_kana(unicodedata.normalize("NFKC", text).lower())


def runs(normalized: str) -> Iterator[tuple[str, bool]]:
    """The runs of normalized text: (run, True) for a Japanese run, (run, False) for a word."""
    for match in _RUN.finditer(normalized):
        if match.group(1):
            yield match.group(1), True
        else:
            yield match.group(2), False


def run_tokens(run: str) -> list[str]:
    """Tokens of one Japanese run: its bigrams (or the character of a one-character run) and its kanji."""
    if len(run) == 1:
        return [run]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return bigrams + _KANJI.findall(run)


def tokens(text: str) -> list[str]:
    """Every token of `text` (normalized first), in order, with repeats."""
    found: list[str] = []
    for run, japanese in runs(normalize(text)):
        if japanese:
            found.extend(run_tokens(run))
        else:
            found.append(run)
    return found


EXACT_MARK = "="


def exact_token(text: str) -> str:
    """The token of a whole title or name, for exact-match ranking: its runs joined by spaces, marked.

    `=システムプロンプト` for 「システムプロンプト」, `=cognitive core` for "Cognitive Core".
    """
    return EXACT_MARK + " ".join(run for run, _ in runs(normalize(text)))


def shard_key(token: str) -> str:
    """The part of a token that picks its shard: a word's first letters, a Japanese token whole."""
    if _WORD_START.match(token):
        return token[:PREFIX_LENGTH]
    return token


@lru_cache(maxsize=1 << 17)
def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points of `text` (each code point taken as up to 4 bytes, low first).

    Kept by text (128 Ki of them, more than the 28,000 shard keys of 10,000 claims): an index written
    again after an edit (`index_update`) hashes the same tokens, and this loop in Python was a third
    of the time of cutting the index into files."""
    value = 0x811C9DC5
    for char in text:
        code = ord(char)
        while True:
            value = ((value ^ (code & 0xFF)) * 0x01000193) & 0xFFFFFFFF
            code >>= 8
            if not code:
                break
    return value


def shard_of(token: str, shard_count: int) -> int:
    """The shard (0 .. shard_count-1) holding the postings of `token`."""
    return fnv1a(shard_key(token)) % shard_count
