"""Find the glossary terms a claim names in its own text, so pages can link them.

Pure functions over record values: no Jinja, no MkDocs. The renderer turns the runs into links
with the definition as a tooltip; quotes are never passed here, so they stay verbatim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Term

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
    """One written form of a term, with its compiled pattern and what a plain substring test needs
    to rule a text out before the pattern runs."""

    text: str
    pattern: re.Pattern[str]
    needle: str
    """The form itself when it matches only as written; lower-cased when it is ASCII and matches in
    any case; empty when no substring test applies (a non-ASCII form matching in any case)."""
    case_folded: bool
    """Whether `needle` is to be looked for in the lower-cased text."""


# Characters outside ASCII that the re module matches to ASCII letters when ignoring case (its
# extra case equivalences, and letters whose simple lower case is ASCII). In a text without them, an
# ASCII form matches in any case only where the lower-cased text holds the lower-cased form.
_ASCII_CASE_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")


@functools.cache
def _form(text: str) -> _Form:
    # One small pattern per written form, compiled once for the whole site: the forms are the
    # glossary's, few, while the sets of terms claims name are nearly all different (one pattern
    # per set cost a compile per claim). The lookahead finds overlapping places too.
    pattern = re.compile(f"(?=({_form_pattern(text)}))")
    if not re.search(r"[a-z]", text):
        return _Form(text, pattern, text, False)
    if text.isascii():
        return _Form(text, pattern, text.lower(), True)
    return _Form(text, pattern, "", False)


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
            if form.needle:
                if not form.case_folded:
                    if form.needle not in text:
                        continue
                elif lowered is not None and form.needle not in lowered:
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


def link_terms(text: str, terms: Iterable[Term], *, first_only: bool = True) -> list[TextRun]:
    """`text` split into runs, each mention of one of `terms` marked (see `TermMatcher.runs`)."""
    return TermMatcher(terms).runs(text, first_only=first_only)
