"""Problems found in the knowledge base, each with the place it was found."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in a record file: path relative to the knowledge base, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, phrased as what is wrong, what was expected, what was found."""

    location: Location
    message: str

    def __str__(self) -> str:
        # Record text quoted in a message may hold line breaks or controls; a problem is one line.
        return f"{self.location}: {printable(self.message)}"


@dataclass
class SuggestionBudget:
    """Work a run may spend on 'did you mean' among defined ids. An unknown reference is compared
    with every id of its kind, and the full comparison (difflib's ratio) costs up to half a
    millisecond: a file of ten thousand dangling references took minutes. Past either limit,
    problems are reported without a suggestion."""

    candidates: int = 100_000
    """Ids looked at (their length and letters compared: a few microseconds each)."""
    comparisons: int = 2_000
    """Full comparisons of the ids that come close enough on those."""


@dataclass
class Problems:
    """Collects every problem of a run so they can be reported together."""

    items: list[Problem] = field(default_factory=list)
    suggestions: SuggestionBudget = field(default_factory=SuggestionBudget)
    """What is left of the run's work on suggestions."""

    def suggestion(self, value: str, choices: Collection[str]) -> str:
        """`did_you_mean(value, choices)` while the run's budget for suggestions lasts, else ''."""
        return did_you_mean(value, choices, self.suggestions)

    def add(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


def describe(value: object) -> str:
    """Say what a YAML value is, for the 'found' part of a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    if isinstance(value, str):
        return f"text {shorten(value)!r}" if value else "empty text"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return f"a mapping with {len(value)} key(s)"
    return type(value).__name__


def printable(text: str) -> str:
    """`text` with invisible characters written as escapes, so a message stays on one line."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def shorten(text: str, limit: int = 60) -> str:
    """Cut long text for a message, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


CLOSE_ENOUGH = 0.6
"""difflib's ratio from which a defined name is suggested (difflib.get_close_matches' default)."""


def did_you_mean(value: str, choices: Iterable[str], budget: SuggestionBudget | None = None) -> str:
    """A ' (did you mean ...?)' suffix when a close choice exists, else ''."""
    close = closest_choice(value, list(choices), budget or SuggestionBudget(sys.maxsize, sys.maxsize))
    return f" (did you mean {close!r}?)" if close else ""


def closest_choice(value: str, choices: list[str], budget: SuggestionBudget) -> str | None:
    """`difflib.get_close_matches(value, choices, n=1)`, spending `budget`: the ids are ranked by
    difflib's quick upper bound and fully compared only while that bound can still beat the best
    found; None when nothing comes close or the budget does not stretch that far."""
    if len(choices) > budget.candidates:
        return None
    budget.candidates -= len(choices)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(value)
    bounds = []
    for choice in choices:
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= CLOSE_ENOUGH and (bound := matcher.quick_ratio()) >= CLOSE_ENOUGH:
            bounds.append((bound, choice))
    best: tuple[float, str] | None = None
    for bound, choice in sorted(bounds, reverse=True):
        if best is not None and bound < best[0]:
            break
        if budget.comparisons <= 0:
            return None
        budget.comparisons -= 1
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= CLOSE_ENOUGH and (best is None or (score, choice) > best):
            best = (score, choice)
    return best[1] if best else None
