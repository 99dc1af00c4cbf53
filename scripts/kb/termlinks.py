"""Find the glossary terms a claim names in its own text, so pages can link them.

Pure functions over record values: no Jinja, no MkDocs. The renderer turns the runs into links
with the definition as a tooltip; quotes are never passed here, so they stay verbatim.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
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


def _matcher(terms: Sequence[Term]) -> tuple[re.Pattern[str] | None, list[Term]]:
    """One regex whose numbered groups are the terms; longer forms first, so that at any position
    the longest form wins ('システムプロンプト学習' before 'システムプロンプト')."""
    forms = sorted(
        ((form, number) for number, term in enumerate(terms) for form in term_forms(term)),
        key=lambda item: (-len(item[0]), item[1], item[0]),
    )
    if not forms:
        return None, []
    owners = [terms[number] for _, number in forms]
    alternatives = "|".join(f"({_form_pattern(form)})" for form, _ in forms)
    return _compiled(alternatives), owners


@functools.lru_cache(maxsize=4096)
def _compiled(alternatives: str) -> re.Pattern[str]:
    # Every text of a claim is searched for the same terms: compile their pattern once, not once
    # per text (the re module's own cache holds 512 patterns, fewer than a large site's claims).
    return re.compile(alternatives)


def link_terms(text: str, terms: Iterable[Term], *, first_only: bool = True) -> list[TextRun]:
    """Split `text` into runs, marking each run that names one of `terms`.

    Matches are found left to right, the longest form winning at each position. With
    `first_only`, only the first mention of each term is marked; later mentions stay plain text
    (and are not re-searched for shorter terms inside them).
    """
    pattern, owners = _matcher(list(terms))
    if pattern is None:
        return [TextRun(text)] if text else []
    runs: list[TextRun] = []
    linked: set[str] = set()
    position = 0
    for match in pattern.finditer(text):
        term = owners[(match.lastindex or 1) - 1]
        if first_only and term.id in linked:
            continue
        linked.add(term.id)
        if match.start() > position:
            runs.append(TextRun(text[position : match.start()]))
        runs.append(TextRun(match.group(), term))
        position = match.end()
    if position < len(text):
        runs.append(TextRun(text[position:]))
    return runs
