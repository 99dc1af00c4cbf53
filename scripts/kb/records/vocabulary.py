"""The editors' two vocabularies of trust, each declared once.

`Voice` says whose words a quote is; `Status` says what the editors' review found about a claim.
The record schema (`model`), the checks (`checks.trust`), the JSON exports, the site's labels and
CSS classes and the tests all derive from the declarations here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

Voice = Literal["reported", "gloss"]
"""Whose words a quote is."""
Status = Literal["no-issues", "corrected", "unverified", "disputed"]
"""What the review found about a claim, least serious first."""


@dataclass(frozen=True)
class Word:
    """One value of a vocabulary: what it means. Its words on the site are in the string catalogue
    (`vocabulary.voice`, `vocabulary.status` and its `_en` and `_meaning` sections of
    `kb/site/strings/<language>.yaml`)."""

    meaning: str
    """What it means, in English (the schema's description)."""


VOICES: dict[Voice, Word] = {
    "reported": Word("the passage reports the claim's speaker, in a transcript through the narrator's rendering"),
    "gloss": Word("the narrator's own explanation or paraphrase, not the speaker's words"),
}

STATUSES: dict[Status, Word] = {
    "no-issues": Word("the editors' review, against the transcript, found nothing wrong"),
    "corrected": Word("the transcript gets a name or detail wrong and an annotation corrects it; the claim stands"),
    "unverified": Word("a fact the claim states or rests on could not be confirmed by the editors"),
    "disputed": Word("a fact the claim states is doubtful or contradicted by what is known"),
}

VERDICT_KINDS = ("correction", "fact-check")
"""Annotation kinds that give a verdict: the others (context, note) report no finding."""


V = TypeVar("V", bound=str)


def described(words: Mapping[V, Word]) -> str:
    """A vocabulary spelt out for a schema description: `a (meaning), b (meaning) or c (meaning)`."""
    items = [f"{value} ({word.meaning})" for value, word in words.items()]
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def seriousness(status: Status) -> int:
    """Rank of a status, 0 for no issues: a claim's status is the most serious of its verdicts."""
    return list(STATUSES).index(status)


def most_serious(statuses: Iterable[Status]) -> Status:
    """The most serious of `statuses`, `no-issues` when there are none."""
    return max(statuses, key=seriousness, default="no-issues")


def css_class(vocabulary: Literal["status", "voice"], value: str) -> str:
    """The CSS class of a vocabulary value, e.g. `kb-status--disputed`."""
    return f"kb-{vocabulary}--{value}"
