"""Lookups derived from the records that several pages need: backlinks, claims per topic, speaker
and term, the quotes of each transcript paragraph, the transcript's corrections, each claim's review."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks.check import CheckedKnowledgeBase
from ..records.model import Claim, Term
from ..records.review import Review, claim_review
from .catalogue import Catalogue
from .labels import term_names


@dataclass
class Backlink:
    """A claim pointing at another claim."""

    claim: Claim
    relation: str


@dataclass
class SiteIndex:
    """Lookups derived from the records that several pages need."""

    checked: CheckedKnowledgeBase
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    claims_by_topic: dict[str, list[Claim]] = field(default_factory=dict)
    claims_by_speaker: dict[str, list[Claim]] = field(default_factory=dict)
    claims_by_term: dict[str, list[Claim]] = field(default_factory=dict)
    citations: dict[tuple[str, int], list[tuple[Claim, int]]] = field(default_factory=dict)
    """(source, paragraph) to the (claim, index in `claim.quotes`) of each quote in the paragraph."""
    corrections: list[Correction] = field(default_factory=list)
    reviews: dict[str, Review] = field(default_factory=dict)
    _in_paragraph: dict[tuple[str, int], list[Correction]] = field(default_factory=dict)
    _places_in_topic: dict[str, dict[str, int]] = field(default_factory=dict)

    def place_in_topic(self, topic_id: str, claim_id: str) -> int:
        """Where the claim is (from 0) in the topic's reading order (`claims_by_topic`)."""
        places = self._places_in_topic.get(topic_id)
        if places is None:
            places = self._places_in_topic[topic_id] = {
                claim.id: at for at, claim in enumerate(self.claims_by_topic.get(topic_id, []))}
        return places[claim_id]

    def corrections_in_paragraph(self, source_id: str, number: int) -> list[Correction]:
        """The corrections whose forms occur in a paragraph, found once per paragraph: its transcript
        piece and the quotes taken from it only look for these."""
        key = (source_id, number)
        found = self._in_paragraph.get(key)
        if found is None:
            text = self.checked.kb.sources[source_id].text.paragraphs[number - 1].text
            found = self._in_paragraph[key] = [c for c in self.corrections if c.form in text]
        return found


def build_index(checked: CheckedKnowledgeBase) -> SiteIndex:
    """Backlinks, per-topic/speaker/term claim lists and per-paragraph citations."""
    index = SiteIndex(checked)
    for claim in claims_in_reading_order(checked):
        for relation in claim.related:
            index.backlinks.setdefault(relation.id, []).append(Backlink(claim, relation.relation))
        for topic in claim.topics:
            index.claims_by_topic.setdefault(topic, []).append(claim)
        index.claims_by_speaker.setdefault(claim.speaker, []).append(claim)
        for term in claim.terms:
            index.claims_by_term.setdefault(term, []).append(claim)
        for number, quote in enumerate(claim.quotes):
            span = checked.quote_spans[(claim.id, number)]
            index.citations.setdefault((quote.source, span.paragraph), []).append((claim, number))
    terms = checked.kb.terms.values()
    index.corrections = [Correction(form, term, False) for term in terms for form in term.misheard]
    index.corrections += [Correction(form, term, True) for term in terms for form in term.probable_forms]
    index.reviews = {claim.id: claim_review(claim) for claim in checked.kb.claims.values()}
    return index


@dataclass(frozen=True)
class Correction:
    """A wrong or unclear form in a transcript and the glossary term it stands for."""

    form: str
    term: Term
    probable: bool
    """True when the term is only the likely meaning (`Term.probable_forms`), not a certain correction."""

    @property
    def name(self) -> str:
        """The term's name in the script of the form: スラップ → スロップ, Gary Kasparov → Garry Kasparov."""
        return self.term.en if self.form.isascii() else self.term.term

    def tooltip(self, ui: Catalogue) -> str:
        """Plain text saying what the form stands for, and how sure that is."""
        key = "text.correction_probable" if self.probable else "text.correction_certain"
        return ui(key, names=term_names(self.term, ui))


def corrections_in(text: str, corrections: list[Correction]) -> list[tuple[int, int, Correction]]:
    """Every place in `text` where a correction's form occurs, as (start, end, correction)."""
    found = []
    for correction in corrections:
        start = text.find(correction.form)
        while start != -1:
            found.append((start, start + len(correction.form), correction))
            start = text.find(correction.form, start + len(correction.form))
    return found


def claims_in_reading_order(checked: CheckedKnowledgeBase) -> list[Claim]:
    """Claims in the order a reader meets them: by source, then the place of their first quote."""
    def position(claim: Claim) -> tuple[str, int, int, str]:
        span = checked.quote_spans[(claim.id, 0)]
        return (claim.quotes[0].source, span.paragraph, span.start, claim.id)
    return sorted(checked.kb.claims.values(), key=position)

