"""The map of claims on the home page: an arc diagram drawn at build time as inline SVG.

Claims are listed top to bottom by topic, in the order the source discusses them; each relation
is an arc on the left from one claim's dot to the other's, arrow at the claim it points to. The
layout is a pure function of the records and the drawing width, so builds are deterministic and
the diagram is tested without a browser. Two widths are drawn (desktop and phone); CSS shows one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markupsafe import Markup

from .svg import element, link_to, serialize, wrap

RELATION_ORDER = ("supports", "elaborates", "example-of", "responds-to", "contrasts")
"""The order relations are drawn and listed in (the map and its legend): every `RelationKind` once."""


@dataclass(frozen=True)
class MapNode:
    """A claim on the map."""

    claim_id: str
    title: str
    title_en: str
    url: str
    speaker: int
    """Index of the claim's speaker among the map's speakers (it picks the dot's colour)."""
    status: str = ""
    """The claim's review status (`data-status` of its link)."""
    status_label: str = ""
    """The status as the tooltip shows it after the title (its label in brackets)."""


@dataclass(frozen=True)
class MapSection:
    """A topic and the claims filed under it."""

    name: str
    name_en: str
    url: str
    nodes: list[MapNode]


@dataclass(frozen=True)
class MapEdge:
    """A relation from one claim to another."""

    source: str
    target: str
    relation: str


@dataclass(frozen=True)
class MapStyle:
    """Sizes for one drawing width, in SVG user units (CSS pixels at scale 1)."""

    width: float
    arc_room: float
    title_size: float
    title_en_size: float
    title_lines: int
    section_size: float
    padding: float = 8.0
    dot_radius: float = 5.0

    @property
    def label_x(self) -> float:
        return self.arc_room + 14.0

    @property
    def label_width(self) -> float:
        return self.width - self.label_x - self.padding


WIDE = MapStyle(width=720, arc_room=170, title_size=14, title_en_size=11.5, title_lines=2, section_size=14)
NARROW = MapStyle(width=360, arc_room=62, title_size=13, title_en_size=11, title_lines=3, section_size=13)


@dataclass
class PlacedNode:
    """A claim's row: where its dot sits and the lines of its label."""

    node: MapNode
    top: float
    height: float
    dot_y: float
    title_lines: list[str]
    title_en_line: str


@dataclass
class PlacedSection:
    """A topic's header row."""

    section: MapSection
    top: float
    height: float
    name_line: str


@dataclass
class PlacedArc:
    """A relation drawn as a cubic curve left of the dots."""

    edge: MapEdge
    path: str
    reach: float
    """How far left of the dots the curve bulges."""


@dataclass
class MapLayout:
    """Everything needed to draw the map at one width."""

    style: MapStyle
    height: float
    sections: list[PlacedSection] = field(default_factory=list)
    nodes: list[PlacedNode] = field(default_factory=list)
    arcs: list[PlacedArc] = field(default_factory=list)


def layout_map(sections: list[MapSection], edges: list[MapEdge], style: MapStyle) -> MapLayout:
    """Place section headers and claim rows top to bottom and route every relation."""
    layout = MapLayout(style, 0.0)
    y = style.padding
    for section in sections:
        header = _place_section(section, y, style)
        layout.sections.append(header)
        y += header.height
        for node in section.nodes:
            row = _place_node(node, y, style)
            layout.nodes.append(row)
            y += row.height
        y += style.padding
    layout.height = y
    dots = {row.node.claim_id: row.dot_y for row in layout.nodes}
    for edge in sorted(edges, key=lambda e: (RELATION_ORDER.index(e.relation), e.source, e.target)):
        if edge.source in dots and edge.target in dots:
            layout.arcs.append(_route(edge, dots[edge.source], dots[edge.target], style))
    return layout


def _place_section(section: MapSection, top: float, style: MapStyle) -> PlacedSection:
    line = wrap(f"{section.name} · {section.name_en}", style.width - style.label_x - style.padding, style.section_size, 1)[0]
    return PlacedSection(section, top, style.section_size * 2.2, line)


def _place_node(node: MapNode, top: float, style: MapStyle) -> PlacedNode:
    lines = wrap(node.title, style.label_width, style.title_size, style.title_lines)
    english = wrap(node.title_en, style.label_width, style.title_en_size, 1)
    height = len(lines) * style.title_size * 1.3 + style.title_en_size * 1.4 + 8
    dot_y = top + 4 + style.title_size * 0.65
    return PlacedNode(node, top, height, dot_y, lines, english[0] if english else "")


def _route(edge: MapEdge, y1: float, y2: float, style: MapStyle) -> PlacedArc:
    """A curve from the source dot to just short of the target dot, bulging left in proportion
    to the distance so that nested relations do not hide each other."""
    x = style.arc_room - style.dot_radius - 1
    reach = min(style.arc_room - style.padding, 10 + abs(y2 - y1) * 0.35) / 0.75
    control = x - reach
    path = f"M{x:.1f},{y1:.1f} C{control:.1f},{y1:.1f} {control:.1f},{y2:.1f} {x - 3:.1f},{y2:.1f}"
    return PlacedArc(edge, path, reach * 0.75)


def draw_map(layout: MapLayout, id_prefix: str, title: str, second_language: str = "en") -> Markup:
    """The map as inline SVG; `id_prefix` keeps ids unique when several drawings share a page;
    `second_language`: the language of each claim's second, smaller title line."""
    style = layout.style
    root = element("svg", viewBox=f"0 0 {style.width:.0f} {layout.height:.0f}", class_="kb-map-svg",
                   role="group", aria_labelledby=f"{id_prefix}-title")
    element("title", root, title, id=f"{id_prefix}-title")
    _draw_markers(root, id_prefix)
    for section in layout.sections:
        _draw_section(root, section, style)
    arcs = element("g", root, class_="kb-arcs", aria_hidden="true")
    for arc in layout.arcs:
        element("path", arcs, d=arc.path, class_=f"kb-arc kb-rel-{arc.edge.relation}",
                marker_end=f"url(#{id_prefix}-arrow-{arc.edge.relation})")
    for row in layout.nodes:
        _draw_node(root, row, style, second_language)
    return serialize(root)


def _draw_markers(root: ET.Element, id_prefix: str) -> None:
    defs = element("defs", root)
    for relation in RELATION_ORDER:
        marker = element("marker", defs, id=f"{id_prefix}-arrow-{relation}", viewBox="0 0 10 10", refX=8, refY=5,
                         markerWidth=7, markerHeight=7, orient="auto-start-reverse")
        element("path", marker, d="M0,0 L10,5 L0,10 z", class_=f"kb-arrow kb-rel-{relation}")


def _draw_section(root: ET.Element, placed: PlacedSection, style: MapStyle) -> None:
    link = link_to(root, placed.section.url, class_="kb-map-section")
    element("rect", link, x=style.label_x - 6, y=placed.top + 2, width=style.width - style.label_x + 6 - style.padding / 2,
            height=placed.height - 6, rx=4, class_="kb-map-band")
    element("text", link, placed.name_line, x=style.label_x, y=placed.top + placed.height * 0.62,
            font_size=style.section_size, class_="kb-map-section-name")


def _draw_node(root: ET.Element, row: PlacedNode, style: MapStyle, second_language: str) -> None:
    node = row.node
    link = link_to(root, node.url, class_="kb-map-node", data_claim=node.claim_id, data_status=node.status)
    status = node.status_label
    element("title", link, f"{node.title}{status} — {node.title_en}")
    element("rect", link, x=style.arc_room - style.dot_radius - 3, y=row.top, width=style.width - style.arc_room,
            height=row.height - 2, rx=3, class_="kb-map-hit")
    element("circle", link, cx=style.arc_room, cy=row.dot_y, r=style.dot_radius, class_=f"kb-map-dot kb-speaker-{node.speaker}")
    baseline = row.top + 4 + style.title_size
    for line in row.title_lines:
        element("text", link, line, x=style.label_x, y=baseline, font_size=style.title_size, class_="kb-map-title")
        baseline += style.title_size * 1.3
    element("text", link, row.title_en_line, x=style.label_x, y=baseline + 1, font_size=style.title_en_size,
            class_="kb-map-title-en", lang=second_language)
