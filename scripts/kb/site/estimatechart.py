"""The chart of timeline estimates on the home page, drawn at build time as inline SVG.

One row per estimate on a shared axis of years: a bar for stated years, a hatched bar for years
worked out from a quote, an arrow for an open-ended estimate, and a dashed arrow for one that is
only said to be earlier or later than another. Layout is a pure function of the records and the
drawing width.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markupsafe import Markup

from ..checks.estimates import Estimate, EstimateChart
from .catalogue import JAPANESE, Catalogue
from .svg import element, link_to, serialize, text_width, wrap


@dataclass(frozen=True)
class ChartStyle:
    """Sizes for one drawing width, in SVG user units."""

    width: float
    label_size: float
    label_lines: int
    group_size: float
    axis_size: float
    padding: float = 10.0
    bar_height: float = 14.0


WIDE = ChartStyle(width=720, label_size=13.5, label_lines=1, group_size=14, axis_size=12)
NARROW = ChartStyle(width=360, label_size=12.5, label_lines=2, group_size=13, axis_size=11)


@dataclass
class Axis:
    """Years mapped to x positions."""

    first: int
    last: int
    left: float
    right: float

    def x(self, year: float) -> float:
        """The x position of the start of `year`."""
        return self.left + (year - self.first) * (self.right - self.left) / (self.last - self.first)

    def ticks(self, font_size: float) -> list[Tick]:
        """The years labelled on the axis in labels of `font_size`: the first year, then the multiples
        of the smallest step of TICK_STEPS whose labels stand at least an em apart; a label that would
        still come closer to the one before it, or run past the axis, is left out."""
        gap = font_size
        per_year = (self.right - self.left) / (self.last - self.first)
        widest = max(text_width(str(year), font_size) for year in (self.first, self.last))
        step = next((s for s in TICK_STEPS if s * per_year >= widest + gap), TICK_STEPS[-1])
        years = [self.first] + [year for year in range(self.first + (-self.first) % step, self.last + 1, step)
                                if year != self.first]
        ticks: list[Tick] = []
        for year in years:
            tick = self.tick(year, font_size)
            if tick.left >= self.left and tick.right <= self.right and (not ticks or tick.left >= ticks[-1].right + gap):
                ticks.append(tick)
        return ticks

    def tick(self, year: int, font_size: float) -> Tick:
        """The label of `year`: starting at the axis's first year, ending at its last, else centred."""
        x, width = self.x(year), text_width(str(year), font_size)
        if year == self.first:
            return Tick(year, x, "start", x, x + width)
        if year == self.last:
            return Tick(year, x, "end", x - width, x)
        return Tick(year, x, "middle", x - width / 2, x + width / 2)


TICK_STEPS = (5, 10, 20, 25, 50, 100)
"""Years between labelled ticks, the smallest that keeps labels apart; the years 1900 to 2200 span
at most 305 years, which 100-year steps fit on the narrow chart's 340 units."""


@dataclass(frozen=True)
class Tick:
    """A labelled year on the axis: where its grid line stands, how its label is anchored, and the
    extent of the label."""

    year: int
    x: float
    anchor: str
    left: float
    right: float


@dataclass
class PlacedEstimate:
    """One estimate's row: its label lines and its mark on the axis."""

    estimate: Estimate
    url: str
    top: float
    label_lines: list[str]
    bar_y: float
    mark: str
    """bar, derived, open, earlier or later."""
    x1: float
    x2: float
    value: str


@dataclass
class PlacedGroup:
    """A group header."""

    title: str
    top: float


@dataclass
class ChartLayout:
    """Everything needed to draw the chart at one width."""

    style: ChartStyle
    axis: Axis
    height: float
    groups: list[PlacedGroup] = field(default_factory=list)
    rows: list[PlacedEstimate] = field(default_factory=list)


def axis_for(chart: EstimateChart, style: ChartStyle) -> Axis:
    """From the base year (or an earlier stated year) to five years past the latest stated year, in
    whole lustra."""
    years = [chart.base_year]
    for estimate in chart.all_estimates():
        years += [y for y in (estimate.start, estimate.end) if y is not None]
    first = min(years)
    last = first + 5 * math.ceil((max(years) + 5 - first) / 5)
    return Axis(first, last, style.padding + 4, style.width - style.padding - 4)


def value_text(estimate: Estimate, ui: Catalogue = JAPANESE) -> str:
    """The years of an estimate as printed beside its mark."""
    if estimate.start is None:
        return ui("figures.no_figure")
    if estimate.open_ended:
        return f"{estimate.start}–"
    if estimate.end is None or estimate.end == estimate.start:
        return str(estimate.start)
    years = f"{estimate.start}–{estimate.end}"
    return years + ui("figures.rough") if estimate.derivation else years


def _span(estimate: Estimate, anchors: dict[str, Estimate], axis: Axis) -> tuple[str, float, float]:
    if estimate.start is None:
        anchor = anchors[estimate.relative_to or ""]
        at = axis.x(anchor.start or axis.first)
        reach = (axis.right - axis.left) * 0.3
        if estimate.direction == "earlier":
            return "earlier", at, max(axis.left, at - reach)
        return "later", at, min(axis.right, at + reach)
    end = estimate.end if estimate.end is not None and estimate.end > estimate.start else estimate.start + 1
    if estimate.open_ended:
        return "open", axis.x(estimate.start), axis.right
    return ("derived" if estimate.derivation else "bar"), axis.x(estimate.start), axis.x(end)


def layout_chart(chart: EstimateChart, urls: dict[str, str], style: ChartStyle, ui: Catalogue = JAPANESE,
                 english: bool = False) -> ChartLayout:
    """Place the axis, the group headers and one row per estimate; `urls` maps estimate ids to links;
    `english`: English labels first (the English edition)."""
    axis = axis_for(chart, style)
    anchors = {e.id: e for e in chart.all_estimates()}
    layout = ChartLayout(style, axis, 0.0)
    y = style.axis_size * 2.2
    for group in chart.groups:
        names = (group.title_en, group.title) if english else (group.title, group.title_en)
        layout.groups.append(PlacedGroup(wrap(" · ".join(names), axis.right - axis.left,
                                              style.group_size, 1)[0], y))
        y += style.group_size * 2.0
        for estimate in group.estimates:
            lines = wrap(estimate.label_en if english else estimate.label, axis.right - axis.left, style.label_size, style.label_lines)
            bar_y = y + len(lines) * style.label_size * 1.3 + 4
            mark, x1, x2 = _span(estimate, anchors, axis)
            layout.rows.append(PlacedEstimate(estimate, urls[estimate.id], y, lines, bar_y, mark, x1, x2,
                                              value_text(estimate, ui)))
            y = bar_y + style.bar_height + 12
        y += 4
    layout.height = y + style.padding
    return layout


def draw_chart(layout: ChartLayout, id_prefix: str, title: str) -> Markup:
    """The chart as inline SVG; `id_prefix` keeps ids unique when several drawings share a page."""
    style, axis = layout.style, layout.axis
    root = element("svg", viewBox=f"0 0 {style.width:.0f} {layout.height:.0f}", class_="kb-chart-svg",
                   role="group", aria_labelledby=f"{id_prefix}-title")
    element("title", root, title, id=f"{id_prefix}-title")
    _draw_defs(root, id_prefix)
    _draw_axis(root, layout)
    for group in layout.groups:
        element("text", root, group.title, x=axis.left, y=group.top + style.group_size * 1.2,
                font_size=style.group_size, class_="kb-chart-group")
    for row in layout.rows:
        _draw_row(root, row, style, id_prefix)
    return serialize(root)


def _draw_defs(root: ET.Element, id_prefix: str) -> None:
    defs = element("defs", root)
    hatch = element("pattern", defs, id=f"{id_prefix}-hatch", width=6, height=6, patternUnits="userSpaceOnUse",
                    patternTransform="rotate(45)")
    element("rect", hatch, width=6, height=6, class_="kb-hatch-ground")
    element("line", hatch, x1=0, y1=0, x2=0, y2=6, class_="kb-hatch-line")
    for name in ("arrow", "arrow-faint"):
        marker = element("marker", defs, id=f"{id_prefix}-{name}", viewBox="0 0 10 10", refX=8, refY=5,
                         markerWidth=12, markerHeight=12, markerUnits="userSpaceOnUse", orient="auto-start-reverse")
        element("path", marker, d="M0,0 L10,5 L0,10 z", class_=f"kb-chart-{name}")


def _draw_axis(root: ET.Element, layout: ChartLayout) -> None:
    style, axis = layout.style, layout.axis
    grid = element("g", root, class_="kb-chart-axis", aria_hidden="true")
    for tick in axis.ticks(style.axis_size):
        element("line", grid, x1=tick.x, y1=style.axis_size * 1.5, x2=tick.x, y2=layout.height - style.padding,
                class_="kb-chart-grid")
        element("text", grid, str(tick.year), x=tick.x, y=style.axis_size * 1.1, font_size=style.axis_size,
                text_anchor=tick.anchor)


def _draw_row(root: ET.Element, row: PlacedEstimate, style: ChartStyle, id_prefix: str) -> None:
    estimate = row.estimate
    link = link_to(root, row.url, class_=f"kb-chart-row kb-chart-row--{row.mark}", data_estimate=estimate.id)
    element("title", link, f"{estimate.label} — {estimate.label_en}: {row.value}")
    element("rect", link, x=0, y=row.top - 2, width=style.width, height=row.bar_y + style.bar_height + 8 - row.top,
            class_="kb-chart-hit")
    baseline = row.top + style.label_size
    for line in row.label_lines:
        element("text", link, line, x=style.padding + 4, y=baseline, font_size=style.label_size, class_="kb-chart-label")
        baseline += style.label_size * 1.3
    _draw_mark(link, row, style, id_prefix)
    _draw_value(link, row, style)


def _draw_mark(link: ET.Element, row: PlacedEstimate, style: ChartStyle, id_prefix: str) -> None:
    middle = row.bar_y + style.bar_height / 2
    if row.mark in ("earlier", "later"):
        element("line", link, x1=row.x1, y1=middle, x2=row.x2, y2=middle, class_="kb-chart-relative",
                marker_end=f"url(#{id_prefix}-arrow-faint)")
        element("circle", link, cx=row.x1, cy=middle, r=3.5, class_="kb-chart-anchor")
        return
    width = max(row.x2 - row.x1, 6.0)
    fill = f"url(#{id_prefix}-hatch)" if row.mark == "derived" else None
    if row.mark == "open":
        element("rect", link, x=row.x1, y=row.bar_y, width=min(width, 18.0), height=style.bar_height, rx=3,
                class_="kb-chart-bar")
        element("line", link, x1=row.x1 + 10, y1=middle, x2=row.x2 - 2, y2=middle, class_="kb-chart-open",
                marker_end=f"url(#{id_prefix}-arrow)")
        return
    element("rect", link, x=row.x1, y=row.bar_y, width=width, height=style.bar_height, rx=3,
            class_="kb-chart-bar", fill=fill)


def _draw_value(link: ET.Element, row: PlacedEstimate, style: ChartStyle) -> None:
    """The years beside the mark: after it when there is room, else before it."""
    size = max(11.0, style.label_size * 0.85)
    room_after = style.width - style.padding - max(row.x1, row.x2) - 6
    y = row.bar_y + style.bar_height - 2
    if text_width(row.value, size) <= room_after:
        element("text", link, row.value, x=max(row.x1, row.x2) + 6, y=y, font_size=size, class_="kb-chart-value")
    else:
        element("text", link, row.value, x=min(row.x1, row.x2) - 6, y=y, font_size=size, class_="kb-chart-value",
                text_anchor="end")
