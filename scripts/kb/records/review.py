"""A claim's review: its status and the annotation that gives the reason, derived from the verdicts of
its corrections and fact-checks (the claim's own `status`, when given, is checked against this)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Claim
from .vocabulary import Status, most_serious


@dataclass(frozen=True)
class Review:
    """What the editors' review found about one claim."""

    status: Status
    annotation: int | None
    """Number N of the annotation (`#aN`) whose verdict sets the status; None when none does."""
    finding: str | None
    """That annotation's one-line finding."""


def claim_review(claim: Claim) -> Review:
    """The most serious verdict among the claim's annotations, and the first annotation giving it."""
    verdicts = [(number, note) for number, note in enumerate(claim.annotations, start=1) if note.verdict]
    status = most_serious(note.verdict for _, note in verdicts if note.verdict)
    for number, note in verdicts:
        if note.verdict == status and status != "no-issues":
            return Review(status, number, note.finding)
    return Review(status, None, None)
