"""What the browser knows about words besides the postings: other names of a word, and the words of
the index, for a query that finds little as typed.

Two files beside the index (`shards` writes them):

- `lexicon.json`, read with the manifest: `groups`, the names of each glossary term (Japanese term,
  English name, aliases, misheard forms), any of which stands for the others; `related`, per group
  the groups of the terms it lists as `related`; `curated`, everyday words a reader types and the
  words the content uses for them (`search_synonyms.yaml`); `readings`, a normalized reading to the
  word written in kanji (glossary readings, and the kanji words of titles, topics and names from
  `search_readings`), so きょうかがくしゅう is searched and highlighted as 強化学習.
- `vocabulary.json`, read only when a query finds little: the index's own words a misspelling may
  be meant for (Latin words of the index, glossary names, titles' words), for "did you mean".

How the browser weighs them (worker.js): a reading is the same word (factor 1), another name of a
term counts SYNONYM_FACTOR, a curated word CURATED_FACTOR, a related term RELATED_FACTOR, so a literal
match always ranks first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..checks.check import CheckedKnowledgeBase
from .search_readings import kanji_words
from .search_text import CJK_CLASS, WORD_CLASS, normalize

CURATED = Path(__file__).with_name("search_synonyms.yaml")
MIN_VOCABULARY_WORD = 4
"""Latin words shorter than this are not offered as corrections (too many are one letter apart)."""
MIN_READING = 2
"""Readings of one kana (化 → カ) would turn a stray kana into a kanji."""
_DIGITS = re.compile("[0-9０-９]")
_LATIN_WORD = re.compile(f"^[{WORD_CLASS}]+$")
_KATAKANA_RUN = re.compile("[\u30a1-\u30fa\u30fc]{3,}")
_NAME_PARTS = re.compile(f"[^{CJK_CLASS}{WORD_CLASS}A-Z]+")


def curated_synonyms(path: Path = CURATED) -> dict[str, list[str]]:
    """The curated list: a reader's word to the words the content uses for it."""
    status = path.stat()
    return {word: list(others) for word, others in _read_synonyms(path, status.st_size, status.st_mtime_ns).items()}


@functools.lru_cache(maxsize=4)
def _read_synonyms(path: Path, size: int, mtime_ns: int) -> dict[str, tuple[str, ...]]:
    # Read once per version of the file: each rebuild while serving makes the lexicon again, and the
    # pure-Python YAML parser spends about 0.1 s on this file each time.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(word): tuple(str(other) for other in others) for word, others in data["synonyms"].items()}


def term_groups(checked: CheckedKnowledgeBase) -> tuple[list[list[str]], list[list[int]]]:
    """The names of each glossary term (in term id order), and per term the positions of its related terms."""
    terms = sorted(checked.kb.terms.values(), key=lambda term: term.id)
    position = {term.id: number for number, term in enumerate(terms)}
    groups = [list(dict.fromkeys([term.term, term.en, *term.aliases, *term.misheard])) for term in terms]
    related = [[position[other] for other in term.related if other in position] for term in terms]
    return groups, related


def reading_map(checked: CheckedKnowledgeBase) -> dict[str, str]:
    """Normalized reading to the word it is read from: each glossary term's reading, then the kanji
    words of claim titles, topic names and speakers' Japanese names."""
    kb = checked.kb
    found = {normalize(term.reading): term.term for term in sorted(kb.terms.values(), key=lambda t: t.id) if term.reading}
    texts = [claim.title for claim in sorted(kb.claims.values(), key=lambda c: c.id)]
    texts += [topic.name for topic in kb.topics.values()]
    texts += [speaker.name_ja or "" for speaker in kb.speakers.values()]
    for spoken, surface in kanji_words(texts).items():
        if len(spoken) >= MIN_READING and not _DIGITS.search(surface):
            found.setdefault(spoken, surface)
    return dict(sorted(found.items()))


def lexicon(checked: CheckedKnowledgeBase) -> dict[str, Any]:
    """The content of `lexicon.json`."""
    groups, related = term_groups(checked)
    return {
        "groups": groups,
        "related": related,
        "curated": sorted(curated_synonyms().items()),
        "readings": reading_map(checked),
    }


def vocabulary(checked: CheckedKnowledgeBase, index_words: Iterable[str]) -> list[str]:
    """Words a misspelled query word may be meant for, sorted: the Latin words of the index (at least
    MIN_VOCABULARY_WORD letters, not numbers), every glossary name and its parts, topic and speaker
    names, and the kanji words and katakana runs of claim titles."""
    kb = checked.kb
    words = {word for word in index_words if len(word) >= MIN_VOCABULARY_WORD and _LATIN_WORD.match(word) and not word.isdigit()}
    names = [name for term in kb.terms.values() for name in [term.term, *term.aliases, *term.misheard]]
    names += [name for topic in kb.topics.values() for name in (topic.name,)]
    names += [name for speaker in kb.speakers.values() for name in (speaker.name_ja or "",)]
    for name in names:
        parts = [part for part in _NAME_PARTS.split(name) if part]
        words.update(part for part in parts if not _LATIN_WORD.match(normalize(part)))
        if len(parts) > 1 and not _LATIN_WORD.match(normalize(name).replace(" ", "")):
            words.add(name)
    titles = [claim.title for claim in kb.claims.values()]
    words.update(kanji_words(titles).values())
    words.update(run for title in titles for run in _KATAKANA_RUN.findall(title))
    return sorted(word for word in words if len(normalize(word)) >= 2)
