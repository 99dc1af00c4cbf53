"""Invisible and blank-looking characters: the whole of Unicode's format category and every other
default-ignorable character is refused, except what Japanese text needs where it does its job."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from kb.records.invisible import find_invisible, invisible_character_kind
from kb.records.model import Claim
from pydantic import ValidationError

FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1)
                     if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) == "Cf"]
# Default_Ignorable_Code_Point, from Unicode 16's DerivedCoreProperties.txt (Python's character
# database does not carry the property): drawn as nothing when a font has no glyph for them.
DEFAULT_IGNORABLE = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
                     (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
                     (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
                     (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)]


def test_every_format_character_is_refused_between_letters() -> None:
    allowed = [f"U+{ord(c):04X}" for c in FORMAT_CHARACTERS if find_invisible(f"a{c}b") is None]
    assert allowed == []
    assert len(FORMAT_CHARACTERS) > 150


def test_every_default_ignorable_character_is_refused_at_the_start_of_a_text() -> None:
    allowed = [f"U+{c:04X}" for first, last in DEFAULT_IGNORABLE for c in range(first, last + 1)
               if find_invisible(f"{chr(c)}b") is None]
    assert allowed == []


@pytest.mark.parametrize("text", [
    "葛\U000e0100城市",  # an ideographic variation sequence: the kanji's registered glyph
    "辻\U000e0101",
    "❤\ufe0f と ☺\ufe0e",  # emoji and text presentation
    "1\ufe0f\u20e3 #\ufe0f\u20e3 ‼\ufe0f 〽\ufe0f ™\ufe0e",  # keycaps, punctuation and symbols with an emoji style
    "≩\ufe00 神\ufe00",  # standardized variation sequences: a mathematical symbol, a compatibility kanji's glyph
    "👩\u200d💻 👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 👍🏽 👩🏽\u200d🚀",  # emoji sequences joined by U+200D
    "全角　スペース、ｶﾀｶﾅ、か\u3099、ＡＢＣ",
])
def test_japanese_text_and_emoji_pass(text: str) -> None:
    assert find_invisible(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("\ufe0f葛", "a variation selector that modifies no character before it"),
    ("葛 \U000e0100", "a variation selector that modifies no character before it"),
    ("葛\U000e0100\U000e0100", "a variation selector that modifies no character before it"),
    ("'\ufe0f'", "a variation selector that modifies no character before it"),
    ("AGI\ufe0f", "a variation selector that modifies no character before it"),  # 'AGI' and 'AGI' + VS16 would differ unseen
    ("か\U000e0100", "a variation selector that modifies no character before it"),  # IVS only for kanji
    ("❤\U000e0100", "a variation selector that modifies no character before it"),
    ("A\u200dB", "a zero width joiner outside an emoji sequence"),
    ("👩\u200d", "a zero width joiner outside an emoji sequence"),
    ("\u200d💻", "a zero width joiner outside an emoji sequence"),
    ("ｱ\u3164", "a blank filler character"),
    ("a\u061cb", "an invisible text-direction control"),
    ("a\U000e0041", "an invisible formatting character"),
])
def test_misplaced_characters_are_named(text: str, kind: str) -> None:
    found = find_invisible(text)
    assert found is not None
    assert invisible_character_kind(found.group()) == kind


CLAIM = {"id": "c", "title_en": "t", "summary": "s", "summary_en": "s", "speaker": "s", "kind": "opinion",
         "topics": ["t"], "quotes": [{"source": "s", "text": "q"}]}


@pytest.mark.parametrize("title", ["\u2800", "\u3000\u2800 ", "\u3099", "\u0301\u0301", "\ufe0f", "\u3164", "\u200d",
                                   "\u115f\u1160", "\uffa0"])
def test_titles_that_only_look_blank_are_refused(title: str) -> None:
    with pytest.raises(ValidationError, match="string_pattern_mismatch|should match pattern"):
        Claim.model_validate({**CLAIM, "title": title})


@pytest.mark.parametrize("title", ["⠀A", "か\u3099", "葛\U000e0100", "👩\u200d💻", "。"])
def test_titles_with_one_drawn_character_pass(title: str) -> None:
    assert Claim.model_validate({**CLAIM, "title": title}).title == title
