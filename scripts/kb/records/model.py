"""Record schemas: the one source of truth for record fields, checks and the published JSON Schema.

Field docstrings become the schema's descriptions and the contributor page's text.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .english_fields import english_pairs_schema
from .layout import HOME_FILE  # noqa: F401  (re-exported: the record and its file name together)
from .vocabulary import STATUSES, VERDICT_KINDS, VOICES, Status, Voice, described

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KANA_PATTERN = r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe・ ]+$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
VISIBLE_PATTERN = r"[^\s\p{M}\p{Cf}\u2800\u115F\u1160\u3164\uFFA0]"
"""Text must hold a character that is drawn: not only spaces, marks with nothing to sit on, format
characters or blank-looking letters (U+2800 BRAILLE PATTERN BLANK, the Hangul fillers); a blank
title still passes a length check. Written for the regex engines of pydantic (Rust) and of editors
reading the JSON Schema (ECMAScript with the u flag); invisible characters are refused anyway when
the file is read (`yamlfile.find_invisible`)."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=VISIBLE_PATTERN)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=VISIBLE_PATTERN)]
QuoteText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
"""A quote's span: a blank one is reported by the quote check, which names the source to copy from."""


_HTTP_URL = re.compile(r"https?://[^\s/$.?#\\`<>\"'][^\s<>\"'`\\]*")


def _http_url(value: str) -> str:
    if not _HTTP_URL.fullmatch(value):
        raise ValueError("expected an http:// or https:// URL")
    return value


HttpUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]

UNKNOWN = "unknown"
"""What the editors write where they are not sure of a primary source's address or date."""


def _url_or_unknown(value: str) -> str:
    if value != UNKNOWN and not _HTTP_URL.fullmatch(value):
        raise ValueError(f"expected an http:// or https:// URL, or '{UNKNOWN}' when the editors are not sure of it")
    return value


def _date_or_unknown(value: str) -> str:
    if value != UNKNOWN and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, or '{UNKNOWN}' when the editors are not sure of it")
    return value


UrlOrUnknown = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_url_or_unknown)]
DateOrUnknown = Annotated[str, StringConstraints(max_length=10), AfterValidator(_date_or_unknown)]
Kana = Annotated[str, StringConstraints(pattern=KANA_PATTERN, max_length=200)]

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

    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True,
                              json_schema_extra=english_pairs_schema)


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
    voice: Voice = Field("reported", description=f"Whose words the span is: {described(VOICES)}. "
                         "A gloss is never the first quote of a claim whose speaker is not the narrator.")


class RemovedQuote(Record):
    """A quote taken out of a published claim: its anchor `#qN` keeps landing on the claim, on this note."""

    number: Annotated[int, Field(ge=1)]
    """The removed quote's number N (its anchor `#qN`); the other quotes keep their numbers."""
    reason: Text
    """Why it was removed, in Japanese; shown where the quote was."""
    reason_en: Text
    """Why it was removed, in English, faithful to the Japanese `reason`; shown on the English page."""


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
    text_en: Text
    """The note in English, faithful to the Japanese `text`; no fact it does not state, the same hedges where it is unsure, the Japanese of a word it discusses in parentheses; plain text, shown on the English page."""
    reference: Reference | None = None
    """Optional outside reference; give one only when certain it exists."""
    verdict: Status | None = Field(None, description=(
        f"What a {' or '.join(VERDICT_KINDS)} found (required on those kinds, refused on others): "
        f"{described(STATUSES)}. The claim's status is the most serious verdict of its annotations."))
    finding: ShortText | None = None
    """The verdict in one Japanese line, shown beside the claim's status badge; required unless the verdict is no-issues."""
    finding_en: ShortText | None = None
    """The finding in one English line, faithful to the Japanese `finding`; required when there is a finding, refused when there is none."""


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
    status: Status | None = Field(None, description=(
        f"What the editors' review found: {described(STATUSES)}. Leave it out to take the most serious "
        "verdict of the annotations; `make check` refuses a status that contradicts them."))
    primary_source: Id | None = None
    """Id of the primary source this claim traces to (one listed under `primary_sources` by a quoted source), when the transcript makes it clear."""
    removed_quotes: list[RemovedQuote] = []
    """Quotes taken out after publication: their numbers stay taken, so every other `#qN` keeps its quote."""

    def quote_numbers(self) -> list[int]:
        """The public number of each quote (its anchor `#qN`), in order: 1, 2, 3... skipping removed quotes."""
        removed = {quote.number for quote in self.removed_quotes}
        numbers: list[int] = []
        candidate = 0
        for _ in self.quotes:
            candidate += 1
            while candidate in removed:
                candidate += 1
            numbers.append(candidate)
        return numbers

    def numbered_quote(self, number: int) -> Quote | None:
        """The quote whose public number is `number`; None when there is none (or it was removed)."""
        numbers = self.quote_numbers()
        return self.quotes[numbers.index(number)] if number in numbers else None


class IndexForm(Record):
    """A cross-reference in the glossary's index: a form and its reading, pointing to an entry."""

    text: ShortText
    """The form, e.g. a family name."""
    reading: Kana
    """Its reading in kana, which places it in the index."""


class Term(IdentifiedRecord):
    """A glossary entry: a technical term or a named entity."""

    id: Id
    """Permanent id, equal to the file name; it becomes the anchor `glossary/#<id>`."""
    term: ShortText
    """The term as written in Japanese on the site."""
    reading: Kana
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
    definition_en: Text
    """English definition, faithful to the Japanese `definition`."""
    related: list[Id] = []
    """Ids of related glossary entries."""
    probable_forms: list[ShortText] = []
    """Forms in a source transcript that probably stand for this term but not certainly (a garbled or unnamed mention); flagged there with 「おそらく」."""
    index_as: list[IndexForm] = []
    """Other places in the glossary's gojūon index that point to this entry, e.g. a person under the family name."""


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
    """Name in Latin script, which is also the English name; the display name when there is no `name_ja`."""
    name_ja: ShortText | None = None
    """Name in Japanese script, if any; the display name on the Japanese pages."""
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


class OriginalWork(Record):
    """The work a source was made from."""

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] | None = None
    """Its language code, e.g. `en`."""
    url: UrlOrUnknown
    """Its address, only when the editors are sure of it; else `unknown`."""
    published: DateOrUnknown
    """When it was published (YYYY, YYYY-MM or YYYY-MM-DD), only when the editors are sure of it; else `unknown`."""


class PrimarySource(Record):
    """An original that a source covers: a post, an episode, a reply."""

    id: Id
    """Id, unique within the source; a claim's `primary_source` names it."""
    title: ShortText
    """Japanese description of it (the editors' words, not its own title)."""
    title_en: ShortText
    """English description of it."""
    kind: Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]
    """What sort of original, e.g. `post`, `reply`, `podcast-episode`."""
    speaker: Id
    """Id of the speaker whose words it holds (see `speakers.yaml`)."""
    published: DateOrUnknown
    """When it was published (YYYY, YYYY-MM or YYYY-MM-DD), only when the editors are sure of it; else `unknown`."""
    url: UrlOrUnknown
    """Its address, only when the editors are sure of it; else `unknown`."""


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
    summarises_en: Text
    """What the source summarises, in English."""
    speakers: list[Id] = []
    """Ids of the speakers heard or reported in the source."""
    reliability: Text | None = None
    """How far the source can be trusted, in Japanese."""
    reliability_en: Text | None = None
    """How far the source can be trusted, in English; required when there is a `reliability`, refused when there is none."""
    segments: list[Segment] = []
    """Paragraphs that are not substantive content (headings, sponsor reads...)."""
    narrator: Id | None = None
    """Id of the speaker who narrates the source (one of `speakers`): quotes in the narrator's own words are glosses."""
    original: OriginalWork | None = None
    """The work the source was made from (e.g. the video of a transcript)."""
    primary_sources: list[PrimarySource] = []
    """The primary sources the source covers (posts, episodes), which claims can name as what they trace to."""


class TopicRegistry(Record):
    """The file `topics.yaml`."""

    topics: list[Topic] = Field(min_length=1)
    """All topics."""


class SpeakerRegistry(Record):
    """The file `speakers.yaml`."""

    speakers: list[Speaker] = Field(min_length=1)
    """All speakers."""


class Home(Record):
    """The file `home.yaml` (optional): what the knowledge base is about, for the top of its home
    page. Without it the home page has a generic title and no introduction."""

    title: ShortText
    """Japanese title of the home page."""
    title_en: ShortText
    """English title."""
    intro: Text
    """A Japanese paragraph saying whose remarks, on what, from which source."""
    intro_en: Text
    """The same in English; the number of claims follows it."""


SCHEMAS: dict[str, type[Record]] = {
    "claim": Claim,
    "term": Term,
    "source": Source,
    "topics": TopicRegistry,
    "speakers": SpeakerRegistry,
    "home": Home,
}
