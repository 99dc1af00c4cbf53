"""Invisible and blank-looking characters: which are refused in records and transcripts, where the
two that Japanese text needs are allowed, and how a message names them."""

from __future__ import annotations

import re
import unicodedata

# Characters that are invisible, blank-looking or break line counting: C0/C1 controls but tab and
# line feed, lone surrogates (only reachable through escapes), Unicode line/paragraph separators,
# noncharacters, every format character (category Cf: bidirectional controls, zero-width spaces
# and joiners, U+061C, U+180E, a byte order mark after the start, tag characters...) and every other
# character Unicode marks as default-ignorable, i.e. drawn as nothing (U+034F COMBINING GRAPHEME
# JOINER, Hangul fillers such as U+3164, Mongolian variation selectors...). The ranges hold Unicode
# 16's format characters (U+13439-1343F were added in 15.0), so a newer Python refuses no fewer;
# tests/test_invisible.py checks them against the running Python's character database.
# Japanese text needs two of them, allowed only where they do their job (`_allowed_here`):
# variation selectors after a character they can modify (ideographic variation sequences choose a
# kanji's glyph, as in 葛󠄀 for names; VS15/VS16 choose text or emoji style) and U+200D ZERO WIDTH
# JOINER between two emoji (👩‍💻).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
"""What may stand between an emoji and a joiner: the emoji-style selector, a skin tone."""
_HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
                  0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def character_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character named so that invisible ones can be found."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name and 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    return f"U+{code:04X} {name}".rstrip()


def invisible_character_kind(char: str) -> str:
    """What sort of unwanted character `char` is, for a message."""
    code = ord(char)
    if code == 0xFEFF:
        return "a byte order mark inside the text"
    if code in (0x2028, 0x2029):
        return "a Unicode line or paragraph separator"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x061C):
        return "an invisible text-direction control"
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate"
    if unicodedata.category(char) == "Cc":
        return "a control character"
    if char in _HANGUL_FILLERS:
        return "a blank filler character"
    if _VARIATION_SELECTORS.fullmatch(char):
        return "a variation selector that modifies no character before it"
    if char == _ZERO_WIDTH_JOINER:
        return "a zero width joiner outside an emoji sequence"
    if 0xFDD0 <= code <= 0xFDEF or code in (0xFFFE, 0xFFFF):
        return "a Unicode noncharacter"
    return "an invisible formatting character"


def find_invisible(text: str) -> re.Match[str] | None:
    """The first character of `text` that is invisible, blank-looking or breaks line counting, and
    is not one that Japanese text needs where it stands (see `_INVISIBLE`)."""
    for found in _INVISIBLE.finditer(text):
        if not _allowed_here(text, found.start()):
            return found
    return None


def _allowed_here(text: str, at: int) -> bool:
    """Whether the character at `at` is a variation selector after a character it can modify, or a
    zero width joiner between two emoji."""
    char = text[at]
    if _VARIATION_SELECTORS.fullmatch(char):
        return at > 0 and _selector_fits(text[at - 1], char)
    if char == _ZERO_WIDTH_JOINER:
        start = at
        while start and _EMOJI_MODIFIERS.fullmatch(text[start - 1]):
            start -= 1
        after = text[at + 1] if at + 1 < len(text) else ""
        return start > 0 and _emoji(text[start - 1]) and _emoji(after)
    return False


def _selector_fits(base: str, selector: str) -> bool:
    """Whether `selector` can modify `base`: an ideographic variation selector (U+E0100-E01EF) a kanji,
    VS1-VS14 a kanji or a symbol, VS15/VS16 (text or emoji style) a symbol, a digit or one of the
    few other characters that have an emoji style (# * ‼ ⁉ ℹ 〰 〽). After anything else, a letter
    say, it would only make two texts that look alike differ."""
    ideograph = unicodedata.name(base, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
    if selector >= "\U000e0100":
        return ideograph
    symbol = unicodedata.category(base).startswith("S")
    if selector < "\ufe0e":
        return ideograph or symbol
    return symbol or unicodedata.category(base) == "Nd" or base in _EMOJI_STYLE_PUNCTUATION


_EMOJI_STYLE_PUNCTUATION = "#*\u203c\u2049\u2139\u3030\u303d"
"""Characters outside the symbols and digits that take VS15/VS16 (Unicode's emoji-variation-sequences)."""


def _emoji(char: str) -> bool:
    """Whether `char` can stand on either side of a joiner in an emoji sequence (emoji are symbols, So)."""
    return bool(char) and unicodedata.category(char) == "So"
