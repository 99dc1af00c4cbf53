"""Problems found in the knowledge base, each with the place it was found."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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
class Problems:
    """Collects every problem of a run so they can be reported together."""

    items: list[Problem] = field(default_factory=list)

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


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix when a close choice exists, else ''."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
