"""Cross-reference and quote checks over a loaded knowledge base.

Runs after every file has been loaded, so each reference can be resolved against all records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..records.knowledge import KnowledgeBase, LoadedSource, reserved_id
from ..records.model import Claim, Quote, Relation
from ..records.problems import Problems, shorten
from ..records.sourcetext import Span, fold
from ..records.yamlfile import YamlDocument
from .english import check_english
from .estimates import EstimateChart
from .relationgraph import relation_cycles
from .trust import check_trust


@dataclass
class Coverage:
    """Which substantive paragraphs of a source are quoted by at least one claim."""

    source: str
    substantive: list[int]
    uncited: list[int]


@dataclass
class CheckedKnowledgeBase:
    """A knowledge base whose references all resolve, with every quote located."""

    kb: KnowledgeBase
    quote_spans: dict[tuple[str, int], Span] = field(default_factory=dict)
    estimates: EstimateChart | None = None

    def coverage(self) -> list[Coverage]:
        """Per source: substantive paragraphs and the ones no quote cites."""
        report = []
        for source_id, source in sorted(self.kb.sources.items()):
            excluded = {n for segment in source.meta.segments if segment.text is None for n in segment.paragraphs}
            cited = {span.paragraph for (claim_id, _), span in self.quote_spans.items()
                     if self.kb.claims[claim_id].quotes[_].source == source_id}
            substantive = [p.number for p in source.text.paragraphs if p.number not in excluded]
            report.append(Coverage(source_id, substantive, [n for n in substantive if n not in cited]))
        return report


def check_knowledge_base(kb: KnowledgeBase, problems: Problems) -> CheckedKnowledgeBase:
    """Resolve every reference and quote, adding a located problem for each failure."""
    checked = CheckedKnowledgeBase(kb)
    former: dict[str, str] = {}
    for claim in kb.claims.values():
        _check_claim_references(kb, claim, problems)
        _check_former_ids(kb, claim, former, problems)
        for index, quote in enumerate(claim.quotes):
            span = _locate_quote(kb, claim, index, problems)
            if span is not None:
                checked.quote_spans[(claim.id, index)] = span
    for claim_id in kb.invalid_claims:
        # Its schema problems are reported; what is valid in it is checked too, so that one run shows
        # an unknown speaker or a quote not in the source beside a misspelt field.
        partial = PartialClaim.salvage(claim_id, kb.document("claims", claim_id).data)
        _check_claim_references(kb, partial, problems)
        for index, salvaged in enumerate(partial.quotes):
            if salvaged is not None:
                _locate_quote(kb, partial, index, problems)
    _check_responses(kb, problems)
    for term in kb.terms.values():
        _check_term(kb, term.id, problems)
    _check_term_names(kb, problems)
    for source in kb.sources.values():
        _check_source(kb, source.meta.id, problems)
    check_trust(kb, problems)
    check_english(kb, problems)
    return checked


@dataclass
class PartialClaim:
    """The fields of a claim that failed the schema which are valid on their own (None or left out
    where not), shaped like a `Claim` for the reference and quote checks."""

    id: str
    speaker: str | None
    topics: list[str]
    terms: list[str]
    quotes: list[Quote | None]
    related: list[Relation | None]

    @classmethod
    def salvage(cls, claim_id: str, data: dict[str, Any]) -> PartialClaim:
        def valid(name: str, value: Any, default: Any) -> Any:
            try:
                return _field_adapter(name).validate_python(value)
            except ValidationError:
                return default

        def each(model: type[Quote | Relation], items: Any) -> list[Any]:
            if not isinstance(items, list):
                return []
            return [_valid_model(model, item) for item in items]

        return cls(claim_id, valid("speaker", data.get("speaker"), None), valid("topics", data.get("topics", []), []),
                   valid("terms", data.get("terms", []), []), each(Quote, data.get("quotes")),
                   each(Relation, data.get("related")))


@cache
def _field_adapter(name: str) -> TypeAdapter[Any]:
    info = Claim.model_fields[name]
    return TypeAdapter(info.rebuild_annotation(), config=Claim.model_config)


def _valid_model(model: type[Quote | Relation], value: Any) -> Quote | Relation | None:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


_KINDS = {"speaker": "speakers", "topic": "topics", "term": "glossary", "source": "sources",
          "related claim": "claims", "related term": "glossary"}


def _reference(kb: KnowledgeBase, folder: str, owner: str, path: tuple, noun: str,
               value: str, known: dict, problems: Problems) -> None:
    # A reference to a record whose own file failed to load is not reported twice.
    if value not in known and not kb.failed_to_load(_KINDS[noun.split(":")[1]], value):
        problems.add(
            kb.document(folder, owner).location(path),
            f"{noun.split(':')[0]} '{owner}': unknown {noun.split(':')[1]} '{value}'; "
            f"expected one of the defined ids; found '{value}'{problems.suggestion(value, known)}",
        )


def _check_claim_references(kb: KnowledgeBase, claim: Claim | PartialClaim, problems: Problems) -> None:
    ref = lambda path, what, value, known: _reference(
        kb, "claims", claim.id, path, f"claim:{what}", value, known, problems)
    if claim.speaker is not None:
        ref(("speaker",), "speaker", claim.speaker, kb.speakers)
    for i, topic in enumerate(claim.topics):
        ref(("topics", i), "topic", topic, kb.topics)
    for i, term in enumerate(claim.terms):
        ref(("terms", i), "term", term, kb.terms)
    for i, quote in enumerate(claim.quotes):
        if quote is not None:
            ref(("quotes", i, "source"), "source", quote.source, kb.sources)
    document = kb.document("claims", claim.id)
    seen: set[tuple[str, str]] = set()
    for i, relation in enumerate(claim.related):
        if relation is None:
            continue
        if relation.id == claim.id:
            problems.add(
                document.location(("related", i, "id")),
                f"claim '{claim.id}': relation to itself; expected the id of another claim; found '{relation.id}'",
            )
            continue
        ref(("related", i, "id"), "related claim", relation.id, kb.claims)
        if (relation.id, relation.relation) in seen:
            problems.add(
                document.location(("related", i)),
                f"claim '{claim.id}': duplicate relation; expected each relation once; "
                f"found '{relation.relation}' to '{relation.id}' again",
            )
        seen.add((relation.id, relation.relation))
    for field_name in ("topics", "terms"):
        for i in _repeats(getattr(claim, field_name)):
            value = getattr(claim, field_name)[i]
            problems.add(
                document.location((field_name, i)),
                f"claim '{claim.id}': field '{field_name}' lists '{value}' twice; expected each id once; found a repeat",
            )


def _repeats(values: list[str]) -> list[int]:
    """Positions of the values that occur earlier in the list (a set, so a long list stays linear)."""
    seen: set[str] = set()
    repeats = []
    for i, value in enumerate(values):
        if value in seen:
            repeats.append(i)
        seen.add(value)
    return repeats


def _check_former_ids(kb: KnowledgeBase, claim: Claim, former: dict[str, str], problems: Problems) -> None:
    for i, old in enumerate(claim.former_ids):
        used = reserved_id("claims", old)
        if used:  # its redirect page and exports would take the reserved name
            _claim_problem(kb, claim, ("former_ids", i), problems, f"claim '{claim.id}': former id '{old}' is "
                           f"reserved for {used}; expected an id that was never reserved; found '{old}'")
        elif old in kb.claims:
            _claim_problem(kb, claim, ("former_ids", i), problems, f"claim '{claim.id}': former id '{old}' is "
                           "the id of a current claim; expected an id no longer in use; found a live claim")
        elif old in former:
            _claim_problem(kb, claim, ("former_ids", i), problems, f"claim '{claim.id}': former id '{old}' is "
                           f"also a former id of '{former[old]}'; expected each old id to redirect to one claim; "
                           "found two")
        else:
            former[old] = claim.id


def _locate_quote(kb: KnowledgeBase, claim: Claim | PartialClaim, index: int, problems: Problems) -> Span | None:
    quote = claim.quotes[index]
    assert quote is not None
    source = kb.sources.get(quote.source)
    if source is None:
        return None
    label = f"claim '{claim.id}': quotes[{index}]"
    if not fold(quote.text):
        _claim_problem(kb, claim, ("quotes", index, "text"), problems, f"{label}: blank quote; expected a span "
                       f"of source '{quote.source}'; found only whitespace")
        return None
    spans = source.text.find(quote.text, quote.prefix, quote.suffix)
    if len(spans) == 1:
        return spans[0]
    if len(spans) > 1:
        message = (f"{label}: ambiguous quote; expected a span that occurs once in source "
                   f"'{quote.source}' (add prefix: or suffix:); found it {len(spans):,} times ({_places(spans)})")
    elif source.text.find(quote.text):
        field, side = (("prefix", "before") if quote.prefix and not source.text.find(quote.text, quote.prefix)
                       else ("suffix", "after") if quote.suffix and not source.text.find(quote.text, None, quote.suffix)
                       else ("prefix", "before and after"))
        _claim_problem(kb, claim, ("quotes", index, field), problems,
                       f"{label}: {field} does not match; expected the text right {side} the span in source "
                       f"'{quote.source}'; found no occurrence of the span with that context")
        return None
    elif source.text.crosses_paragraphs(quote.text):
        message = (f"{label}: quote crosses a paragraph boundary; expected a span within one "
                   f"paragraph of source '{quote.source}'; found it only across paragraphs")
    else:
        number, passage = source.text.closest(quote.text)
        message = (f"{label}: quote not found verbatim; expected a span of source "
                   f"'{quote.source}'; found {shorten(quote.text)!r}, closest passage is "
                   f"p{number}: {shorten(passage, 80)!r}")
    _claim_problem(kb, claim, ("quotes", index, "text"), problems, message)
    return None


MAX_PLACES_SHOWN = 10
"""An ambiguous quote names this many of its places (a quote of 。 may occur 50,000 times)."""


def _places(spans: list[Span]) -> str:
    """'p4, p4' for the paragraphs of the spans, the first MAX_PLACES_SHOWN of them and '…' if more."""
    shown = ", ".join(f"p{span.paragraph}" for span in spans[:MAX_PLACES_SHOWN])
    return shown + (", …" if len(spans) > MAX_PLACES_SHOWN else "")


def _claim_problem(kb: KnowledgeBase, claim: Claim | PartialClaim, path: tuple, problems: Problems,
                   message: str) -> None:
    # Located only once there is a problem: a file's positions are worked out from its text on first use.
    problems.add(kb.document("claims", claim.id).location(path), message)


def _check_responses(kb: KnowledgeBase, problems: Problems) -> None:
    """A claim responds to one that came before it, so `responds-to` never leads back to where it
    started: each cycle is reported once, at the relation of its claim with the smallest id."""
    responds = {claim.id: sorted({r.id for r in claim.related if r.relation == "responds-to" and r.id in kb.claims})
                for claim in kb.claims.values()}
    for cycle in relation_cycles(responds):
        first = kb.claims[cycle[0]]
        position = next(i for i, r in enumerate(first.related) if r.relation == "responds-to" and r.id == cycle[1])
        path = " -> ".join(f"'{claim_id}'" for claim_id in cycle + [cycle[0]])
        _claim_problem(kb, first, ("related", position, "id"), problems,
                       f"claim '{first.id}': responses form a cycle; expected each claim to respond only to "
                       f"claims made before it; found {path} (each responds-to the next)")


def _check_term_names(kb: KnowledgeBase, problems: Problems) -> None:
    """Two glossary entries for one term would split its claims and links between two anchors: each
    term is written once (compared after NFKC and case folding, so ＡＧＩ and agi are AGI)."""
    first: dict[str, str] = {}
    for term in kb.terms.values():
        key = fold(term.term).casefold()
        if key not in first:
            first[key] = term.id
            continue
        earlier = kb.terms[first[key]]
        place = kb.document("glossary", earlier.id).location(("term",))
        problems.add(kb.document("glossary", term.id).location(("term",)),
                     f"term '{term.id}': duplicate term {term.term!r}; expected each term once in the glossary; "
                     f"found it also as {earlier.term!r} in {place}")


def _check_term(kb: KnowledgeBase, term_id: str, problems: Problems) -> None:
    term = kb.terms[term_id]
    document = kb.document("glossary", term_id)
    repeats = set(_repeats(term.related))
    for i, related in enumerate(term.related):
        if related == term_id:
            problems.add(document.location(("related", i)),
                         f"term '{term_id}': related to itself; expected another term's id; found '{related}'")
        elif i in repeats:
            problems.add(document.location(("related", i)), f"term '{term_id}': field 'related' lists "
                         f"'{related}' twice; expected each id once; found a repeat")
        else:
            _reference(kb, "glossary", term_id, ("related", i), "term:related term", related, kb.terms, problems)
    for i, form in enumerate(term.misheard):
        problem = _misheard_problem(kb, form)
        if problem:
            problems.add(document.location(("misheard", i)), f"term '{term_id}': {problem}")


MIN_MISHEARD_LENGTH = 2
"""A misheard form is marked wherever it occurs in a transcript: one character would mark every こ."""
MAX_MISHEARD_MARKS = 100
"""A misheard name recurs a few dozen times in a long talk at most; a form found more often is a
common word or a piece of one, and marking it would flag correct text all over the transcript."""


def _misheard_problem(kb: KnowledgeBase, form: str) -> str | None:
    """What is wrong with a misheard form: too short, in no source, or in too many places."""
    if len(fold(form)) < MIN_MISHEARD_LENGTH:
        return (f"misheard form too short; expected at least {MIN_MISHEARD_LENGTH} characters, so that only "
                f"the misheard word is marked; found {form!r}")
    if any(kind == "sources" for kind, _ in kb.unloaded):
        return None  # a source that failed to load may hold the form
    marks = sum(source.text.count(form) for source in kb.sources.values())
    if marks == 0:
        return f"misheard form not found in any source; expected text as it occurs in a transcript; found {form!r}"
    if marks > MAX_MISHEARD_MARKS:
        return (f"misheard form marks too many places; expected a misheard name that occurs at most "
                f"{MAX_MISHEARD_MARKS} times in the sources; found {form!r} {marks:,} times")
    return None


def _check_source(kb: KnowledgeBase, source_id: str, problems: Problems) -> None:
    source = kb.sources[source_id]
    document = kb.document("sources", source_id)
    for i, speaker in enumerate(source.meta.speakers):
        _reference(kb, "sources", source_id, ("speakers", i), "source:speaker", speaker, kb.speakers, problems)
    last = len(source.text.paragraphs)
    for i, segment in enumerate(source.meta.segments):
        for j, number in enumerate(segment.paragraphs):
            if number > last:
                problems.add(document.location(("segments", i, "paragraphs", j)),
                             f"source '{source_id}': paragraph out of range; expected 1 to {last}; found {number}")
        if segment.text is not None:
            _check_segment_span(source, i, document, problems)


def _check_segment_span(source: LoadedSource, index: int, document: YamlDocument, problems: Problems) -> None:
    segment = source.meta.segments[index]
    label = f"source '{source.meta.id}': segments[{index}]"
    if len(segment.paragraphs) != 1:
        problems.add(document.location(("segments", index, "paragraphs")),
                     f"{label}: a segment with 'text' marks part of one paragraph; expected one paragraph "
                     f"number; found {len(segment.paragraphs)}")
        return
    number = segment.paragraphs[0]
    spans = [span for span in source.text.find(segment.text or "") if span.paragraph == number]
    if len(spans) != 1:
        found = "it more than once" if spans else f"{shorten(segment.text or '')!r} nowhere in it"
        problems.add(document.location(("segments", index, "text")),
                     f"{label}: text must occur exactly once in paragraph {number}; expected a verbatim span "
                     f"of p{number}; found {found}")
