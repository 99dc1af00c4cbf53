"""The home page's figures, built from the checked records: the map of claims and the chart of
timeline estimates, each drawn at a desktop and a phone width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..checks.check import CheckedKnowledgeBase
from ..records.model import Claim
from ..records.review import claim_review
from . import claimmap, estimatechart, urls
from .catalogue import JAPANESE, Catalogue

MAP_MAX_CLAIMS = 500
"""Above this many claims the map is left out: it would be megabytes of SVG that no one can read
(16 MB at 10,000 claims), and the list of claims says the same as text."""
WIDTHS = ("wide", "narrow")


@dataclass(frozen=True)
class Figure:
    """One figure drawn at both widths; CSS shows the one that fits the screen."""

    wide: Markup
    narrow: Markup


def claim_map(checked: CheckedKnowledgeBase, claims_in_order: Sequence[Claim], page: str,
              ui: Catalogue = JAPANESE, english: bool = False) -> Figure | None:
    """Every claim under its first topic, in reading order, with every relation as an arc; None
    when there are more than MAP_MAX_CLAIMS claims."""
    kb = checked.kb
    if len(claims_in_order) > MAP_MAX_CLAIMS:
        return None
    speakers = list(kb.speakers)
    sections = []
    statuses = {claim.id: claim_review(claim).status for claim in claims_in_order}
    for topic in kb.topics.values():
        nodes = [
            claimmap.MapNode(claim.id, *_in_order(claim.title, claim.title_en, english),
                             urls.relative_url(urls.claim_page(claim.id), page), speakers.index(claim.speaker),
                             status, ui("text.status_bracket", status=ui(f"vocabulary.status.{status}")))
            for claim in claims_in_order
            if claim.topics[0] == topic.id
            for status in (statuses[claim.id],)
        ]
        if nodes:
            sections.append(claimmap.MapSection(*_in_order(topic.name, topic.name_en, english),
                                                urls.relative_url(urls.topic_page(topic.id), page), nodes))
    edges = [claimmap.MapEdge(claim.id, relation.id, relation.relation)
             for claim in claims_in_order for relation in claim.related]
    wide, narrow = (claimmap.draw_map(claimmap.layout_map(sections, edges, style), f"kb-map-{name}",
                                                   ui("figures.map_title"), second_language="ja" if english else "en")
                    for name, style in zip(WIDTHS, (claimmap.WIDE, claimmap.NARROW)))
    return Figure(wide, narrow)


def _in_order(japanese: str, english: str, english_first: bool) -> tuple[str, str]:
    """A record's two names, the edition's language first."""
    return (english, japanese) if english_first else (japanese, english)


def estimate_chart(checked: CheckedKnowledgeBase, page: str, ui: Catalogue = JAPANESE,
                   english: bool = False) -> Figure | None:
    """The estimates of `estimates.yaml` side by side, each linking to the quote that states it."""
    chart = checked.estimates
    if chart is None:
        return None
    links = {e.id: urls.relative_url(urls.quote_link(e.claim, e.quote), page) for e in chart.all_estimates()}
    title = " / ".join(_in_order(chart.title, chart.title_en, english))
    wide, narrow = (
        estimatechart.draw_chart(estimatechart.layout_chart(chart, links, style, ui, english), f"kb-chart-{name}", title)
        for name, style in zip(WIDTHS, (estimatechart.WIDE, estimatechart.NARROW))
    )
    return Figure(wide, narrow)
