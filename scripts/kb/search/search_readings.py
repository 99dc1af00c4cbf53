"""Readings of Japanese text for the search index, from SudachiPy's dictionary, at build time only.

A reader who types a title's words in hiragana (or in romaji, which the browser turns into kana)
should find it: the index holds, beside a title, the title with each word written in kanji
replaced by its reading (強化学習はノイズが多い → キョウカガクシュウはノイズが多い), and the browser
folds every kana query to katakana. The dictionary stays here: the browser only meets readings
that are already in the index, so it never downloads one.

SudachiPy with its small dictionary is used because it is maintained (releases through 2026), gives
a reading per word in about 50 µs a title (pykakasi took 0.9 ms, and 0.8 s to import), and cuts
compounds into the words a reader types (強化 / 学習). It is imported by the search index stage
only, never by `kb check`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from .search_text import KANJI_CLASS, normalize

_HAS_KANJI = re.compile(f"[{KANJI_CLASS}]")
MAX_READING_TEXT = 4_000
"""Characters of one text read (titles and names are far shorter; a longer text is cut)."""


@cache
def _tokenizer() -> Any:
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="small").tokenizer(mode=SplitMode.B)


WORDS_KEPT = 1 << 16
"""Texts whose words are kept (`words`): more than the titles and names of 10,000 claims, a few MiB."""


@lru_cache(maxsize=WORDS_KEPT)
def words(text: str) -> tuple[tuple[str, str], ...]:
    """Each word of `text` as (surface, reading in katakana), in order.

    Kept by text: an index updated after an edit (`index_update`) reads the same titles again, and
    SudachiPy takes most of the time of making the documents and the lexicon."""
    if not text:
        return ()
    return tuple((m.surface(), m.reading_form()) for m in _tokenizer().tokenize(text[:MAX_READING_TEXT]))


def reading(text: str) -> str:
    """`text` with every word holding a kanji replaced by its reading, or "" if it holds no kanji."""
    if not _HAS_KANJI.search(text):
        return ""
    return "".join(spoken if _HAS_KANJI.search(surface) else surface for surface, spoken in words(text))


def kanji_words(texts: Iterable[str]) -> dict[str, str]:
    """Normalized reading to surface for every word holding a kanji in `texts`, and for every run of
    such words (強化 and 学習, and 強化学習), the first surface met for a reading kept."""
    found: dict[str, str] = {}
    for text in texts:
        for spoken, surface in text_kanji_words(text):
            found.setdefault(spoken, surface)
    return found


@lru_cache(maxsize=WORDS_KEPT)
def text_kanji_words(text: str) -> tuple[tuple[str, str], ...]:
    """`kanji_words` of one text as (normalized reading, surface) pairs in the order met, kept by text."""
    if not _HAS_KANJI.search(text):
        return ()
    found: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    for surface, spoken in [*words(text), ("", "")]:
        if surface and _HAS_KANJI.search(surface) and not _HAS_KANJI.sub("", surface):
            run.append((surface, spoken))
            found.append((normalize(spoken), surface))
            continue
        if surface and _HAS_KANJI.search(surface):
            found.append((normalize(spoken), surface))
        if len(run) > 1:
            found.append((normalize("".join(s for _, s in run)), "".join(s for s, _ in run)))
        run = []
    return tuple(found)
