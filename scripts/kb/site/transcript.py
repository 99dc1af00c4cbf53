"""A transcript paragraph cut into pieces at every quote, correction and segment boundary."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ..records.model import Claim
from .siteindex import Correction, SiteIndex, corrections_in


@dataclass
class Piece:
    """A run of paragraph text and what covers it: quoting claims, a misheard-name correction, and
    the kind of a non-content segment (`segment_starts` on the segment's first run); `starts`: the
    quotes whose span begins with this run, where their anchors go."""

    text: str
    quotes: list[tuple[Claim, int]]
    starts: list[tuple[Claim, int]] = field(default_factory=list)
    correction: Correction | None = None
    segment: str | None = None
    segment_starts: bool = False


@dataclass(frozen=True)
class _SegmentCover:
    kind: str


def paragraph_pieces(index: SiteIndex, source_id: str, number: int, text: str) -> list[Piece]:
    """Split a paragraph at every quote, misheard-name and partial-segment boundary."""
    covers: list[tuple[int, int, Any]] = []
    for claim, quote_number in index.citations.get((source_id, number), []):
        span = index.checked.quote_spans[(claim.id, quote_number)]
        covers.append((span.start, span.end, (claim, quote_number)))
    covers.extend(corrections_in(text, index.corrections_in_paragraph(source_id, number)))
    source = index.checked.kb.sources[source_id]
    for segment in source.meta.segments:
        if segment.text is not None and segment.paragraphs == [number]:
            for span in source.text.find(segment.text):
                if span.paragraph == number:
                    covers.append((span.start, span.end, _SegmentCover(segment.kind)))
    cuts = sorted({0, len(text), *(c[0] for c in covers), *(c[1] for c in covers)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        active = [c for c in covers if c[0] <= start and end <= c[1]]
        quotes = [c[2] for c in active if isinstance(c[2], tuple)]
        starts = [c[2] for c in active if isinstance(c[2], tuple) and c[0] == start]
        corrections = [c[2] for c in active if isinstance(c[2], Correction)]
        segments = [c for c in active if isinstance(c[2], _SegmentCover)]
        pieces.append(Piece(text[start:end], quotes, starts, corrections[0] if corrections else None,
                            segments[0][2].kind if segments else None, bool(segments) and segments[0][0] == start))
    return pieces


