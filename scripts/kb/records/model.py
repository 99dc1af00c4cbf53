"""Record schemas: the one source of truth for record fields, checks and the published JSON Schema.

Field docstrings become the schema's descriptions and the contributor page's text.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KANA_PATTERN = r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe・ ]+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
VISIBLE_PATTERN = r"\S"
"""Text must hold something besides spaces: a blank title still passes a length check."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=VISIBLE_PATTERN)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=VISIBLE_PATTERN)]
QuoteText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
"""A quote's span: a blank one is reported by the quote check, which names the source to copy from."""


def _http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/$.?#\\`<>\"'][^\s<>\"'`\\]*", value):
        raise ValueError("expected an http:// or https:// URL")
    return value


HttpUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]

ClaimKind = Literal[
    "prediction",
    "opinion",
    "critique",
    "proposal",
    "observation",
    "anecdote",
    "explanation",
    "challenge",
    "reply",
]
RelationKind = Literal["supports", "contrasts", "elaborates", "responds-to", "example-of"]
AnnotationKind = Literal["context", "correction", "fact-check", "note"]
TermCategory = Literal[
    "concept", "person", "organization", "product", "model", "paper", "benchmark", "event"
]
SegmentKind = Literal["summary", "heading", "plug", "sponsor", "greeting", "outro", "debris"]


class Record(BaseModel):
    """Base of all records: unknown keys rejected, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)


class IdentifiedRecord(Record):
    """A record with a permanent id; subclasses document what the id becomes."""

    id: Id
    """Permanent id: lowercase ASCII kebab-case."""


class Quote(Record):
    """A verbatim span of a source that carries the claim (a W3C TextQuoteSelector)."""

    source: Id
    """Id of the source the span is taken from (a file `sources/<id>.yaml`)."""
    text: QuoteText
    """The span, copied verbatim from one paragraph of the source (compared after Unicode NFKC and whitespace folding)."""
    prefix: ShortText | None = None
    """Text right before the span; only needed when the span occurs more than once."""
    suffix: ShortText | None = None
    """Text right after the span; only needed when the span occurs more than once."""


class Relation(Record):
    """A typed link from this claim to another claim."""

    id: Id
    """Id of the other claim."""
    relation: RelationKind
    """How this claim relates to the other: supports (agrees with it or gives it evidence), contrasts (sets a different or opposing view beside it), elaborates (develops it further), responds-to (reacts to it; it must come first) or example-of (is a case of it)."""


class Reference(Record):
    """An outside reference backing an annotation."""

    title: ShortText
    """Title of the referenced page or paper."""
    url: HttpUrl
    """Its address; only http:// and https:// are accepted."""


class Annotation(Record):
    """An editorial note on a claim."""

    kind: AnnotationKind
    """context (background), correction (a wrong or misheard name), fact-check (what is known and how sure) or note."""
    text: Text
    """The note, in Japanese; plain text."""
    reference: Reference | None = None
    """Optional outside reference; give one only when certain it exists."""


class Claim(IdentifiedRecord):
    """One claim made in a source, attributed to the speaker who asserts it."""

    id: Id
    """Permanent id: lowercase ASCII kebab-case, equal to the file name; it becomes the URL `claims/<id>/`."""
    title: ShortText
    """Japanese title."""
    title_en: ShortText
    """English title."""
    summary: Text
    """The claim in one Japanese sentence."""
    summary_en: Text
    """The claim in one English sentence."""
    speaker: Id
    """Id of the speaker who asserts the claim (see `speakers.yaml`)."""
    kind: ClaimKind
    """What sort of claim: prediction, opinion, critique, proposal, observation, anecdote, explanation, challenge or reply."""
    topics: list[Id] = Field(min_length=1)
    """One or more topic ids (see `topics.yaml`)."""
    quotes: list[Quote] = Field(min_length=1)
    """One or more verbatim quotes from sources."""
    terms: list[Id] = []
    """Glossary ids of the terms the claim uses."""
    related: list[Relation] = []
    """Relations to other claims."""
    annotations: list[Annotation] = []
    """Editorial annotations."""
    former_ids: list[Id] = []
    """Ids this claim was published under before a rename; each keeps redirecting to the new URL."""


class Term(IdentifiedRecord):
    """A glossary entry: a technical term or a named entity."""

    id: Id
    """Permanent id, equal to the file name; it becomes the anchor `glossary/#<id>`."""
    term: ShortText
    """The term as written in Japanese on the site."""
    reading: Annotated[str, StringConstraints(pattern=KANA_PATTERN, max_length=200)]
    """Reading in kana, used for gojūon ordering."""
    en: ShortText
    """English term."""
    category: TermCategory = "concept"
    """concept, person, organization, product, model, paper, benchmark or event."""
    aliases: list[ShortText] = []
    """Other names: English names, abbreviations, spelling variants."""
    misheard: list[ShortText] = []
    """Wrong forms as they occur in a source transcript; flagged there with this term as the correction."""
    definition: Text
    """Concise Japanese definition, in our own words."""
    definition_en: Text | None = None
    """Optional English definition."""
    related: list[Id] = []
    """Ids of related glossary entries."""


class Topic(IdentifiedRecord):
    """A theme that groups claims."""

    id: Id
    """Permanent id; it becomes the URL `topics/<id>/`."""
    name: ShortText
    """Japanese name."""
    name_en: ShortText
    """English name."""
    description: Text
    """One or two Japanese sentences."""
    description_en: Text
    """One or two English sentences."""


class Speaker(IdentifiedRecord):
    """A person whose claims are recorded."""

    id: Id
    """Permanent id; it becomes the URL `speakers/<id>/`."""
    name: ShortText
    """Display name."""
    name_ja: ShortText | None = None
    """Name in Japanese script, if any."""
    description: Text
    """Who the speaker is, in Japanese."""
    description_en: Text
    """Who the speaker is, in English."""


class Segment(Record):
    """Paragraphs of a source that are not substantive content."""

    paragraphs: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    """Paragraph numbers (1-based, counting non-empty lines)."""
    kind: SegmentKind
    """summary, heading, plug, sponsor, greeting, outro or debris."""
    text: Text | None = None
    """A verbatim span of the one listed paragraph, when only that part of it is not content (a plug inside a paragraph)."""


class Source(IdentifiedRecord):
    """Metadata of a source text kept next to it in `sources/`."""

    id: Id
    """Permanent id, equal to the file name; it becomes the URL `sources/<id>/`."""
    title: ShortText
    """Japanese title."""
    title_en: ShortText
    """English title."""
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$")]
    """Name of the UTF-8 text file in `sources/`; each non-empty line is a numbered paragraph."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]
    """Language code, e.g. `ja`."""
    kind: ShortText
    """What sort of source, e.g. `video-transcript`."""
    summarises: Text
    """What the source summarises, in Japanese."""
    summarises_en: Text | None = None
    """What the source summarises, in English."""
    speakers: list[Id] = []
    """Ids of the speakers heard or reported in the source."""
    reliability: Text | None = None
    """How far the source can be trusted, in Japanese."""
    reliability_en: Text | None = None
    """How far the source can be trusted, in English."""
    segments: list[Segment] = []
    """Paragraphs that are not substantive content (headings, sponsor reads...)."""


class TopicRegistry(Record):
    """The file `topics.yaml`."""

    topics: list[Topic] = Field(min_length=1)
    """All topics."""


class SpeakerRegistry(Record):
    """The file `speakers.yaml`."""

    speakers: list[Speaker] = Field(min_length=1)
    """All speakers."""


SCHEMAS: dict[str, type[Record]] = {
    "claim": Claim,
    "term": Term,
    "source": Source,
    "topics": TopicRegistry,
    "speakers": SpeakerRegistry,
}
