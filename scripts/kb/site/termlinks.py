"""Find the glossary terms a claim names in its own text, so pages can link them.

Pure functions over record values: no Jinja, no MkDocs. The renderer turns the runs into links
with the definition as a tooltip; quotes are never passed here, so they stay verbatim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..records.model import Term

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class TextRun:
    """A run of record text; `term` is the glossary entry the run names, None for plain text."""

    text: str
    term: Term | None = None


def term_forms(term: Term) -> list[str]:
    """Every written form of a term that may appear in text: the term, its aliases, its English name."""
    forms: list[str] = []
    for form in (term.term, *term.aliases, term.en):
        form = form.strip()
        if form and form not in forms:
            forms.append(form)
    return forms


def _form_pattern(form: str) -> str:
    """Regex for one form: acronyms match case-sensitively, other Latin words in any case, and a
    form starting or ending in a Latin letter or digit must not touch another one (so 'RL' is not
    found inside 'URL')."""
    pattern = re.escape(form)
    if re.search(r"[a-z]", form):
        pattern = f"(?i:{pattern})"
    if _ASCII_WORD.match(form[0]):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _ASCII_WORD.match(form[-1]):
        pattern += r"(?![A-Za-z0-9])"
    return pattern


@dataclass(frozen=True)
class _Form:
    """One written form of a term, and how to find it: by plain substring search when it is ASCII or
    matches only as written (nearly every form), else by its pattern."""

    text: str
    needle: str
    """The form itself when it matches only as written; lower-cased when it is ASCII and matches in
    any case; empty when only the pattern can find it (a non-ASCII form matching in any case)."""
    case_folded: bool
    """Whether `needle` is to be looked for in the lower-cased text."""
    left_edge: bool
    """Whether the form starts with a Latin letter or digit, so the character before a match must not be one."""
    right_edge: bool
    """Whether the form ends with a Latin letter or digit, so the character after a match must not be one."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The form's regex, finding overlapping places too (lookahead)."""
        return _pattern(self.text)


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    # Compiled once per form, and only when a text needs it: compiling costs about 60 us a form.
    return re.compile(f"(?=({_form_pattern(text)}))")


# Characters outside ASCII that the re module matches to ASCII letters when ignoring case (its
# extra case equivalences, and letters whose simple lower case is ASCII). In a text without them, an
# ASCII form matches in any case exactly where the lower-cased text holds the lower-cased form, at
# the same offsets (U+0130 is the one character whose lower case is longer than itself).
_ASCII_CASE_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")
_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
"""What `_ASCII_WORD` matches, for the edge tests of a plain search."""


@functools.cache
def _form(text: str) -> _Form:
    # One per written form for the whole site: the forms are the glossary's, few, while the sets of
    # terms claims name are nearly all different.
    edges = bool(_ASCII_WORD.match(text[0])), bool(_ASCII_WORD.match(text[-1]))
    if not re.search(r"[a-z]", text):
        return _Form(text, text, False, *edges)
    if text.isascii():
        return _Form(text, text.lower(), True, *edges)
    return _Form(text, "", False, *edges)


class TermMatcher:
    """Finds the mentions of a fixed list of terms in texts (a claim's terms in each of its texts)."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = list(terms)
        self._forms = [(number, _form(form)) for number, term in enumerate(self.terms) for form in term_forms(term)]

    def occurrences(self, text: str) -> list[tuple[int, int, int, str, int]]:
        """Every place a form matches, overlapping places included, as tuples that sort in the
        order a match is chosen: (start, -form length, term number, form, end)."""
        found = []
        lowered = None if _ASCII_CASE_LOOKALIKES.search(text) else text.lower()
        for number, form in self._forms:
            haystack = lowered if form.case_folded else text
            if form.needle and haystack is not None:
                found += _places(form, number, haystack, text)
                continue
            for match in form.pattern.finditer(text):
                start, end = match.span(1)
                found.append((start, -len(form.text), number, form.text, end))
        return found

    def runs(self, text: str, *, first_only: bool = True) -> list[TextRun]:
        """Split `text` into runs, marking each run that names one of the terms.

        Matches are found left to right, the longest form winning at each position (then the term
        listed first). With `first_only`, only the first mention of each term is marked; later
        mentions stay plain text (and are not re-searched for shorter terms inside them).
        """
        runs: list[TextRun] = []
        linked: set[str] = set()
        plain_from = consumed = 0
        for start, _, number, _, end in sorted(self.occurrences(text)):
            if start < consumed:
                continue  # inside the match chosen before
            consumed = end
            term = self.terms[number]
            if first_only and term.id in linked:
                continue
            linked.add(term.id)
            if start > plain_from:
                runs.append(TextRun(text[plain_from:start]))
            runs.append(TextRun(text[start:end], term))
            plain_from = end
        if plain_from < len(text):
            runs.append(TextRun(text[plain_from:]))
        return runs


def _places(form: _Form, number: int, haystack: str, text: str) -> list[tuple[int, int, int, str, int]]:
    """`TermMatcher.occurrences` of one form found by plain search of `haystack` (the text, or the
    text lower-cased at the same offsets), overlapping places included; the Latin-word edges are
    tested on `text` as the pattern's lookbehind and lookahead test them."""
    places = []
    size = len(form.needle)
    start = haystack.find(form.needle)
    while start >= 0:
        end = start + size
        if not (form.left_edge and start and text[start - 1] in _WORD_CHARACTERS) \
                and not (form.right_edge and end < len(text) and text[end] in _WORD_CHARACTERS):
            places.append((start, -len(form.text), number, form.text, end))
        start = haystack.find(form.needle, start + 1)
    return places


def link_terms(text: str, terms: Iterable[Term], *, first_only: bool = True) -> list[TextRun]:
    """`text` split into runs, each mention of one of `terms` marked (see `TermMatcher.runs`)."""
    return TermMatcher(terms).runs(text, first_only=first_only)
