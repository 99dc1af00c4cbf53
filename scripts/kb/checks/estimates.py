"""Timeline estimates mentioned in the sources (the optional file `estimates.yaml`).

Each estimate is tied to a quote of a claim, so the chart on the home page never shows a figure
the transcript does not carry: a stated year or number of years must occur in the quoted words;
anything else must say how it was derived, or be drawn only relative to another estimate.
"""

from __future__ import annotations

import re

from ..records.estimates import Estimate, EstimateChart, EstimateGroup
from ..records.knowledge import KnowledgeBase
from ..records.layout import ESTIMATES_FILE
from ..records.problems import Location, Problems
from ..records.sourcetext import fold
from ..records.yamlfile import YamlDocument
from .english import check_english_record

__all__ = ["ESTIMATES_FILE", "Estimate", "EstimateChart", "EstimateGroup", "check_estimates"]


def check_estimates(chart: EstimateChart, document: YamlDocument, kb: KnowledgeBase, problems: Problems) -> bool:
    """Check every estimate against the claims and quotes it cites; True when all is well."""
    before = len(problems)
    seen: dict[str, Location] = {}
    for group_number, group in enumerate(chart.groups):
        for number, estimate in enumerate(group.estimates):
            where = _Where(document, ("groups", group_number, "estimates", number), estimate.id)
            if estimate.id in seen:
                where.add(problems, ("id",), f"duplicate id; expected each id once; found it again "
                          f"(first at {seen[estimate.id]})")
            seen.setdefault(estimate.id, where.location(("id",)))
            _check_quote(estimate, kb, where, problems)
            _check_years(estimate, chart.base_year, where, problems)
            _check_relative(estimate, chart, where, problems)
    check_english_record(document, (), ESTIMATES_FILE, EstimateChart, problems)
    return len(problems) == before


class _Where:
    """Locates problems of one estimate in the file."""

    def __init__(self, document: YamlDocument, prefix: tuple[str | int, ...], estimate_id: str) -> None:
        self.document, self.prefix, self.estimate_id = document, prefix, estimate_id

    def location(self, path: tuple[str, ...]) -> Location:
        return self.document.location((*self.prefix, *path))

    def add(self, problems: Problems, path: tuple[str, ...], message: str) -> None:
        problems.add(self.location(path), f"estimate '{self.estimate_id}': {message}")


def _check_quote(estimate: Estimate, kb: KnowledgeBase, where: _Where, problems: Problems) -> None:
    claim = kb.claims.get(estimate.claim)
    if claim is None and kb.failed_to_load("claims", estimate.claim):
        return  # its own problems are reported; its quotes are unknown
    if claim is None:
        where.add(problems, ("claim",), f"unknown claim '{estimate.claim}'; expected the id of a claim; "
                  f"found '{estimate.claim}'")
        return
    numbered = claim.numbered_quote(estimate.quote)
    if numbered is None:
        numbers = claim.quote_numbers()
        expected = (f"a number from 1 to {len(numbers)}" if numbers == list(range(1, len(numbers) + 1))
                    else f"one of its quote numbers {', '.join(map(str, numbers))}")
        where.add(problems, ("quote",), f"no quote {estimate.quote} in claim '{claim.id}'; expected {expected}; "
                  f"found {estimate.quote}")
        return
    quote = numbered.text
    if fold(estimate.evidence) not in fold(quote):  # compared as quotes are compared with their source
        where.add(problems, ("evidence",), f"evidence not found in quote {estimate.quote} of claim '{claim.id}'; "
                  f"expected words copied from the quote; found '{estimate.evidence}'")


def _stated(year: int, base_year: int, evidence: str) -> bool:
    """Whether `evidence` gives `year` as a number of its own ('2035', '２０３５') or as years after
    `base_year` ('10年'): not inside another number, as the 0年 of 10年 or the 203 of 2035."""
    text = fold(evidence)
    return bool(re.search(rf"(?<![0-9]){year}(?![0-9])", text)
                or re.search(rf"(?<![0-9]){year - base_year}年", text))


def _check_years(estimate: Estimate, base_year: int, where: _Where, problems: Problems) -> None:
    if estimate.start is None:
        if estimate.end is not None:
            where.add(problems, ("end",), "end without start; expected 'start' too; found only 'end'")
        return
    if estimate.end is not None and estimate.end < estimate.start:
        where.add(problems, ("end",), f"end before start; expected a year from {estimate.start}; found {estimate.end}")
    if estimate.derivation is not None:
        return
    for name in ("start", "end"):
        year = getattr(estimate, name)
        if year is not None and not _stated(year, base_year, estimate.evidence):
            where.add(problems, (name,), f"year {year} is not stated in the evidence; expected '{year}' or "
                      f"'{year - base_year}年' in it, or a 'derivation'; found '{estimate.evidence}'")


def _check_relative(estimate: Estimate, chart: EstimateChart, where: _Where, problems: Problems) -> None:
    if (estimate.start is None) == (estimate.relative_to is None):
        where.add(problems, ("relative_to",) if estimate.relative_to else (),
                  "expected either years ('start') or a comparison ('relative_to' and 'direction'); "
                  + ("found both" if estimate.start is not None else "found neither"))
        return
    if estimate.relative_to is None:
        return
    if estimate.direction is None:
        where.add(problems, ("relative_to",), "missing field 'direction'; expected earlier or later; found no such key")
    anchor = next((e for e in chart.all_estimates() if e.id == estimate.relative_to), None)
    if anchor is None or anchor.start is None:
        where.add(problems, ("relative_to",), f"unknown estimate '{estimate.relative_to}'; expected the id of an "
                  f"estimate with years; found '{estimate.relative_to}'")
