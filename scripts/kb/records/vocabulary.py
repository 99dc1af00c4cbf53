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
    """One value of a vocabulary: its labels on the site and what it means."""

    label: str
    """Japanese label (badges, filters, the preview image)."""
    label_en: str
    """English label."""
    meaning: str
    """What it means, in English (the schema's description)."""
    meaning_ja: str
    """What it means, in Japanese (shown beside the badge when no annotation says more)."""


VOICES: dict[Voice, Word] = {
    "reported": Word(
        "発言の紹介", "reported",
        "the passage reports the claim's speaker, in a transcript through the narrator's rendering",
        "発言者の言葉を（資料の語り手を通して）伝えている部分です。",
    ),
    "gloss": Word(
        "ナレーターの補足", "narrator's gloss",
        "the narrator's own explanation or paraphrase, not the speaker's words",
        "発言者の言葉ではなく、資料のナレーターによる説明や言い換えです。",
    ),
}

STATUSES: dict[Status, Word] = {
    "no-issues": Word(
        "指摘なし", "no issues found",
        "the editors' review, against the transcript, found nothing wrong",
        "編集者の確認では、書き起こしとの食い違いや事実の誤りは見つかっていません。",
    ),
    "corrected": Word(
        "書き起こしを訂正", "transcript corrected",
        "the transcript gets a name or detail wrong and an annotation corrects it; the claim stands",
        "書き起こしの誤り（聞き間違いなど）を注記で訂正しています。主張そのものは成り立ちます。",
    ),
    "unverified": Word(
        "未確認の点あり", "unverified",
        "a fact the claim states or rests on could not be confirmed by the editors",
        "主張が述べる、または前提とする事実を、編集者が確認できていません。",
    ),
    "disputed": Word(
        "疑義あり", "disputed",
        "a fact the claim states is doubtful or contradicted by what is known",
        "主張が述べる事実に疑問があるか、知られている事実と食い違います。",
    ),
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
