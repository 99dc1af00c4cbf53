"""Checks of what tells a reader how far to trust a claim.

Whose words each quote is (`voice`), the claim's review `status` against its annotations'
verdicts, the numbers of removed quotes, primary sources, and quotation marks in titles (a copied
citation prints the title: quotation marks in it must hold words found in a source, not the
editors'). Runs after the reference and quote checks, on the claims that passed their schema.
"""

from __future__ import annotations

import re

from ..records.knowledge import KnowledgeBase, LoadedSource
from ..records.model import Annotation, Claim
from ..records.problems import Problems, did_you_mean, shorten
from ..records.review import claim_review
from ..records.sourcetext import fold
from ..records.vocabulary import STATUSES, VERDICT_KINDS

_QUOTED = re.compile(r"「([^「」]*)」|『([^『』]*)』")
_CORRECTION_VERDICTS = [status for status in STATUSES if status != "no-issues"]


def check_trust(kb: KnowledgeBase, problems: Problems) -> None:
    """Add a located problem for each claim, source or term whose trust fields contradict each other."""
    for claim in kb.claims.values():
        _check_voices(kb, claim, problems)
        for index, note in enumerate(claim.annotations):
            _check_verdict(kb, claim, index, note, problems)
        _check_status(kb, claim, problems)
        _check_removed_quotes(kb, claim, problems)
        _check_primary_source(kb, claim, problems)
        _check_title_quotation_marks(kb, claim, problems)
    for source in kb.sources.values():
        _check_source(kb, source, problems)
    for term_id in kb.terms:
        _check_probable_forms(kb, term_id, problems)


def narrator_of(kb: KnowledgeBase, source_id: str) -> str | None:
    """The speaker id of a source's narrator, None when it names none (or is not loaded)."""
    source = kb.sources.get(source_id)
    return source.meta.narrator if source else None


def _problem(kb: KnowledgeBase, claim: Claim, path: tuple[str | int, ...], problems: Problems, message: str) -> None:
    problems.add(kb.document("claims", claim.id).location(path), f"claim '{claim.id}': {message}")


def _check_voices(kb: KnowledgeBase, claim: Claim, problems: Problems) -> None:
    for index, quote in enumerate(claim.quotes):
        if quote.voice != "gloss" or quote.source not in kb.sources:
            continue
        narrator = narrator_of(kb, quote.source)
        at = ("quotes", index, "voice")
        if narrator is None:
            _problem(kb, claim, at, problems, f"quotes[{index}] is a gloss but source '{quote.source}' names no "
                     f"narrator; expected 'narrator:' in the source record, or voice 'reported'; found voice 'gloss'")
        elif claim.speaker == narrator:
            _problem(kb, claim, at, problems, f"quotes[{index}] is a gloss in a claim of the narrator "
                     f"'{narrator}'; expected voice 'reported' (all of it is the narrator's own words); "
                     "found voice 'gloss'")
        elif index == 0:
            _problem(kb, claim, at, problems, f"the first quote is a gloss (the narrator's words) but the claim's "
                     f"speaker is '{claim.speaker}'; expected a first quote that reports the speaker (voice "
                     "'reported'); found voice 'gloss'")


def _check_verdict(kb: KnowledgeBase, claim: Claim, index: int, note: Annotation, problems: Problems) -> None:
    label = f"annotations[{index}] ({note.kind})"
    if note.kind not in VERDICT_KINDS:
        if note.verdict is not None or note.finding is not None:
            field = "verdict" if note.verdict is not None else "finding"
            _problem(kb, claim, ("annotations", index, field), problems, f"{label} has a {field}; expected a "
                     f"verdict and finding only on a {' or '.join(VERDICT_KINDS)}; found {field} on a {note.kind}")
        return
    if note.verdict is None:
        _problem(kb, claim, ("annotations", index), problems, f"{label} has no verdict; expected 'verdict:' "
                 f"with one of {', '.join(STATUSES)}; found none")
        return
    if note.kind == "correction" and note.verdict == "no-issues":
        _problem(kb, claim, ("annotations", index, "verdict"), problems, f"{label} finds nothing wrong; expected "
                 f"one of {', '.join(_CORRECTION_VERDICTS)} (a correction says the transcript is wrong); "
                 "found verdict 'no-issues'")
    if note.verdict != "no-issues" and note.finding is None:
        _problem(kb, claim, ("annotations", index, "verdict"), problems, f"{label} has verdict '{note.verdict}' "
                 "but no finding; expected 'finding:', one line for the claim's status badge; found none")


def _check_status(kb: KnowledgeBase, claim: Claim, problems: Problems) -> None:
    if claim.status is None:
        return  # derived from the verdicts
    review = claim_review(claim)
    if claim.status == review.status:
        return
    because = (f"annotations[{review.annotation - 1}] gives verdict '{review.status}'" if review.annotation
               else "no annotation gives a verdict")
    _problem(kb, claim, ("status",), problems, f"status '{claim.status}' contradicts the annotations ({because}); "
             f"expected '{review.status}', the most serious verdict of its annotations; found '{claim.status}'")


def _check_removed_quotes(kb: KnowledgeBase, claim: Claim, problems: Problems) -> None:
    last = len(claim.quotes) + len(claim.removed_quotes)
    seen: set[int] = set()
    for index, removed in enumerate(claim.removed_quotes):
        at = ("removed_quotes", index, "number")
        if removed.number in seen:
            _problem(kb, claim, at, problems, f"removed_quotes[{index}] repeats number {removed.number}; expected "
                     f"each removed quote once; found {removed.number} again")
        elif removed.number > last:
            _problem(kb, claim, at, problems, f"removed_quotes[{index}] is not a quote number of this claim; "
                     f"expected a number from 1 to {last} (its quotes and removed quotes); found {removed.number}")
        seen.add(removed.number)


def _check_primary_source(kb: KnowledgeBase, claim: Claim, problems: Problems) -> None:
    if claim.primary_source is None:
        return
    known = {primary.id for quote in claim.quotes if quote.source in kb.sources
             for primary in kb.sources[quote.source].meta.primary_sources}
    if claim.primary_source not in known:
        sources = ", ".join(sorted({quote.source for quote in claim.quotes}))
        _problem(kb, claim, ("primary_source",), problems, f"unknown primary source '{claim.primary_source}'; "
                 f"expected the id of a primary source listed by a quoted source ({sources}); "
                 f"found '{claim.primary_source}'{did_you_mean(claim.primary_source, known)}")


def _check_title_quotation_marks(kb: KnowledgeBase, claim: Claim, problems: Problems) -> None:
    """Quotation marks in a title hold words of a quoted source, nothing else: a copied citation
    prints the title, and a reader takes what is in quotation marks for someone's words."""
    source_ids = dict.fromkeys(quote.source for quote in claim.quotes)
    if not all(source_id in kb.sources for source_id in source_ids):
        return  # an unknown or unloaded source is reported already
    sources = [kb.sources[source_id] for source_id in source_ids]
    for match in _QUOTED.finditer(claim.title):
        inner = match.group(1) or match.group(2) or ""
        if fold(inner) and not any(source.text.find(inner) for source in sources):
            _problem(kb, claim, ("title",), problems, "title has quotation marks around words no quoted source holds; "
                     "expected them only around a source's own words (the title is the "
                     f"editors' summary); found {shorten(match.group())!r}")


def _check_source(kb: KnowledgeBase, source: LoadedSource, problems: Problems) -> None:
    meta = source.meta
    document = kb.document("sources", meta.id)
    if meta.narrator is not None and meta.narrator not in meta.speakers:
        problems.add(document.location(("narrator",)), f"source '{meta.id}': narrator '{meta.narrator}' is not "
                     f"one of its speakers; expected one of {', '.join(meta.speakers) or 'its speakers'}; "
                     f"found '{meta.narrator}'")
    seen: dict[str, int] = {}
    for index, primary in enumerate(meta.primary_sources):
        if primary.id in seen:
            problems.add(document.location(("primary_sources", index, "id")), f"source '{meta.id}': duplicate "
                         f"primary source id; expected each id once; found '{primary.id}' again (first at "
                         f"primary_sources[{seen[primary.id]}])")
        seen.setdefault(primary.id, index)
        if primary.speaker not in kb.speakers and not kb.failed_to_load("speakers", primary.speaker):
            problems.add(document.location(("primary_sources", index, "speaker")), f"source '{meta.id}': unknown "
                         f"speaker '{primary.speaker}'; expected one of the defined ids; found '{primary.speaker}'"
                         f"{did_you_mean(primary.speaker, kb.speakers)}")


def _check_probable_forms(kb: KnowledgeBase, term_id: str, problems: Problems) -> None:
    term = kb.terms[term_id]
    document = kb.document("glossary", term_id)
    for index, form in enumerate(term.probable_forms):
        at = document.location(("probable_forms", index))
        if form in term.misheard:
            problems.add(at, f"term '{term_id}': '{form}' is both misheard and probable; expected a form in one "
                         "list (misheard when the correction is certain); found it in both")
        elif not any(kind == "sources" for kind, _ in kb.unloaded) and not any(
                source.text.find(form) for source in kb.sources.values()):
            problems.add(at, f"term '{term_id}': probable form not found in any source; expected text as it "
                         f"occurs in a transcript; found {form!r}")

