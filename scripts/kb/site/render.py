"""Render the checked knowledge base into Markdown pages through Jinja2 templates.

This is the only module that touches Jinja. Every value a template prints is escaped for
Markdown and HTML by the environment's `finalize` hook unless it was marked safe on purpose
(`Markup`), so record text is always data, never markup.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import figures, urls
from ..checks.check import CheckedKnowledgeBase
from .citation import claim_citation, speaker_label
from .estimatechart import value_text
from ..checks.estimates import Estimate, EstimateChart, EstimateGroup
from .gojuon import gojuon_row, kana_sort_key
from ..records.model import (
    ID_PATTERN,
    UNKNOWN,
    Annotation,
    Claim,
    IndexForm,
    OriginalWork,
    PrimarySource,
    Quote,
    Reference,
    Relation,
    RemovedQuote,
    Segment,
    Source,
    Speaker,
    Term,
    Topic,
)
from ..records.review import Review, claim_review
from ..records.vocabulary import STATUSES, VOICES, css_class
from .termlinks import TermMatcher, TextRun

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "prediction": "予測", "opinion": "意見", "critique": "批判", "proposal": "提案",
        "observation": "観察", "anecdote": "逸話", "explanation": "説明", "challenge": "挑戦",
        "reply": "返答",
    },
    "relation": {
        "supports": "この主張が支持している主張", "contrasts": "この主張が対比している主張",
        "elaborates": "この主張が詳しく述べている主張", "responds-to": "この主張が応答している主張",
        "example-of": "この主張が例となっている主張",
    },
    "relation_en": {
        "supports": "supports", "contrasts": "contrasts with", "elaborates": "elaborates on",
        "responds-to": "responds to", "example-of": "is an example of",
    },
    "backlink": {
        "supports": "この主張を支持する主張", "contrasts": "この主張と対比される主張",
        "elaborates": "この主張を詳しく述べる主張", "responds-to": "この主張への応答",
        "example-of": "この主張の例",
    },
    "backlink_en": {
        "supports": "supported by", "contrasts": "contrasted by", "elaborates": "elaborated by",
        "responds-to": "responded to by", "example-of": "has as example",
    },
    "relation_short": {
        "supports": "支持", "contrasts": "対比", "elaborates": "詳述", "responds-to": "応答", "example-of": "例示",
    },
    "annotation": {"context": "背景", "correction": "訂正", "fact-check": "ファクトチェック", "note": "注記"},
    "admonition": {"context": "info", "correction": "warning", "fact-check": "question", "note": "note"},
    "status": {status: word.label for status, word in STATUSES.items()},
    "filter": {"status": "状態", "speaker": "発言者", "kind": "種類", "topic": "トピック"},
    "language": {"en": "英語", "ja": "日本語"},
    "segment": {
        "summary": "要約（本文外）", "heading": "見出し", "plug": "告知（本文外）",
        "sponsor": "スポンサー（本文外）", "greeting": "挨拶（本文外）", "outro": "締めくくり（本文外）",
        "debris": "ページの残骸（本文外）",
    },
}
TEMPLATES = Path(__file__).parent / "templates"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_PUNCTUATION = set(string.punctuation) - set(_ENTITIES)
_ESCAPES = {**_ENTITIES, **{char: "\\" + char for char in _PUNCTUATION}}
# One regex finds the few characters to escape: scanning in C is ten times faster than a Python
# loop, or than str.translate, over Japanese text.
_TO_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_WHITESPACE = re.compile(r"\s+")
_MARKDOWN_ACTIVE = re.compile(r"[`\\\[\]{}*_|]")


def _escape_match(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def md_escape(value: object) -> str:
    """Plain text made inert in Markdown (with pymdownx.escapeall) and HTML; each run of whitespace
    becomes one space (kept at the edges, where a quoted span meets the rest of its paragraph)."""
    return _TO_ESCAPE.sub(_escape_match, _WHITESPACE.sub(" ", str(value)))


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


SHORT_TEXT = 80
"""Printed values up to this length (names, labels, titles) are escaped once per site, not once per page."""


class _EscapeOnce:
    """`_finalize` remembering the escaped form of short texts: the same speaker names, topic names,
    labels and claim titles are printed on thousands of pages."""

    def __init__(self) -> None:
        self.escaped: dict[str, Markup] = {}

    def __call__(self, value: object) -> object:
        if type(value) is str:
            if len(value) > SHORT_TEXT:
                return Markup(md_escape(value))
            escaped = self.escaped.get(value)
            if escaped is None:
                escaped = self.escaped[value] = Markup(md_escape(value))
            return escaped
        if type(value) is Markup:  # what the Renderer's snippets return: printed as it is
            return value
        return _finalize(value)


def attr(value: object) -> Markup:
    """Text for an HTML attribute (or text) inside raw HTML, whitespace folded.

    Besides `&<>"'`, the characters Markdown's inline patterns and attribute lists react to
    become character references: those patterns (code spans, links, escapes) run before raw HTML
    is set aside and would otherwise rewrite the attribute's text, or break out of it.
    """
    text = html.escape(" ".join(str(value).split()), quote=True)
    return Markup(_MARKDOWN_ACTIVE.sub(lambda match: f"&#{ord(match.group())};", text))


def term_names(term: Term) -> str:
    """A term's name with its English name in brackets, once when the two are the same (xAI)."""
    return term.term if term.en == term.term else f"{term.term}（{term.en}）"


def term_tooltip(term: Term, lang: str = "ja") -> str:
    """Plain text shown when pointing at a glossary term: its names and its definition."""
    if lang == "en" and term.definition_en:
        return f"{term.en}: {term.definition_en}"
    return f"{term_names(term)}: {term.definition}"


def published_text(published: str) -> str:
    """A publication date as the site prints it: 2025年10月, or 日付不明 when the editors are not sure."""
    if published == UNKNOWN:
        return "日付不明"
    parts = published.split("-")
    return "".join(f"{int(part)}{unit}" for part, unit in zip(parts, ("年", "月", "日")))


@dataclass(frozen=True)
class GlossaryEntry:
    """A place in the glossary's gojūon index: a term's entry, or a cross-reference pointing to it."""

    term: Term
    reading: str
    see_from: IndexForm | None = None
    """The cross-reference's form (e.g. a family name); None for the entry itself."""


def yaml_string(value: object) -> Markup:
    """A YAML double-quoted scalar (JSON is valid YAML) for front matter."""
    return Markup(json.dumps(" ".join(str(value).split()), ensure_ascii=False))


_ID = re.compile(ID_PATTERN)
_PLAIN_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def safe_id(value: str) -> Markup:
    """An id, checked against the id pattern, for anchors and attribute lists."""
    if not _ID.fullmatch(value):
        raise ValueError(f"not an id: {value!r}")
    return Markup(value)


def safe_url(value: str) -> Markup:
    """An outside http(s) URL already validated by the schema, made safe inside <...>."""
    if not _PLAIN_URL.fullmatch(value):
        raise ValueError(f"not a plain http(s) URL: {value!r}")
    return Markup(value)


@jinja2.pass_context
def link(context: Any, target: str) -> Markup:
    """Relative link from the page being rendered to the page (and anchor) `target`."""
    return Markup(urls.relative(target, context["page_src"]))


@jinja2.pass_context
def href(context: Any, target: str) -> Markup:
    """Relative URL for raw HTML from the page being rendered to the page (and anchor) `target`."""
    return Markup(html.escape(urls.relative_url(target, context["page_src"]), quote=True))


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

    @property
    def tooltip(self) -> str:
        """Plain text saying what the form stands for, and how sure that is."""
        if self.probable:
            return f"おそらく {term_names(self.term)}（確証はありません）"
        return f"正しくは {term_names(self.term)}"


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


@dataclass
class Piece:
    """A run of paragraph text and what covers it: quoting claims, a misheard-name correction, and
    the kind of a non-content segment (`segment_starts` on the segment's first run)."""

    text: str
    quotes: list[tuple[Claim, int]]
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
        corrections = [c[2] for c in active if isinstance(c[2], Correction)]
        segments = [c for c in active if isinstance(c[2], _SegmentCover)]
        pieces.append(Piece(text[start:end], quotes, corrections[0] if corrections else None,
                            segments[0][2].kind if segments else None, bool(segments) and segments[0][0] == start))
    return pieces


TEMPLATE_OPTIONS: dict[str, Any] = {
    # finalize (`_EscapeOnce`) escapes every printed value that is not Markup, and the templates hold
    # no macros or captured blocks whose output would reach it as plain text: Jinja's own autoescaping
    # would only wrap each escaped value in a second Markup (a tenth of a claim page's rendering).
    "autoescape": False,
    "auto_reload": False,
    "undefined": jinja2.StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def template_cache(folder: Path) -> jinja2.FileSystemBytecodeCache | None:
    """Compiled templates kept in `folder` (a twentieth of a second saved per build), or None when the
    folder cannot be made. Jinja finds a template's entry by its name and checks its source; the file
    names also carry what else shapes the compiled code (Jinja's version and the options above), so a
    change of either never reads old code."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    shape = repr((jinja2.__version__, sorted(TEMPLATE_OPTIONS.items()), _EscapeOnce.__qualname__))
    return jinja2.FileSystemBytecodeCache(str(folder), f"{hashlib.sha256(shape.encode()).hexdigest()[:12]}-%s.cache")


def _relation_kind(relation: Relation | Backlink) -> str:
    return relation.relation


class Renderer:
    """Renders every page: claim pages in Python (`claim_page`), the others from the templates."""

    def __init__(self, checked: CheckedKnowledgeBase, templates: Path = TEMPLATES, site_url: str = "",
                 cache: Path | None = None) -> None:
        """`cache`: a folder where compiled templates are kept between builds (none when None)."""
        self.checked = checked
        self.index = build_index(checked)
        self.escape = _EscapeOnce()
        """How every printed value is escaped: Jinja's `finalize` and the claim page's."""
        self._matcher: tuple[str, TermMatcher] | None = None
        """The matcher of the claim whose texts were linked last: a claim's texts are on its own page only."""
        self._chips: dict[str, Markup] = {}
        self._around_links: dict[tuple[str, str, bool], tuple[str, str]] = {}
        """Snippets printed on many pages, by (snippet, record id, variant): the text before and after
        their one relative link, which is all that changes from page to page."""
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            bytecode_cache=template_cache(cache) if cache else None,
            finalize=self.escape,
            **TEMPLATE_OPTIONS,
        )
        self.env.filters.update(attr=attr, link=link, href=href, yaml=yaml_string,
                                safe_id=safe_id, safe_url=safe_url)
        self.env.globals.update(urls=urls, labels=LABELS, checked=checked, estimate_value=value_text,
                                claim_item=self.claim_item, claim_link=self.claim_link, term_link=self.term_link,
                                text_piece=self.text_piece, status_chip=self.status_chip, speaker_label=speaker_label,
                                filter_options=self.filter_options, dated_link=self.dated_link)
        self.site_url = site_url

    def render(self, template: str, page_src: str, **values: Any) -> str:
        """Render one page; `page_src` is the Markdown path links are made relative to."""
        kb = self.checked.kb
        context = dict(kb=kb, index=self.index, page_src=page_src, **values)
        return self.env.get_template(template).render(context)

    def pages(self) -> dict[str, str]:
        """Every generated page: Markdown source path to Markdown text."""
        kb = self.checked.kb
        pages = {
            urls.HOME_PAGE: self.render(
                "home.md.j2", urls.HOME_PAGE,
                claim_map=figures.claim_map(self.checked, claims_in_reading_order(self.checked), urls.HOME_PAGE),
                estimate_chart=figures.estimate_chart(self.checked, urls.HOME_PAGE),
            ),
            urls.CLAIMS_PAGE: self.render("claims.md.j2", urls.CLAIMS_PAGE),
            urls.TOPICS_PAGE: self.render("topics.md.j2", urls.TOPICS_PAGE),
            urls.SPEAKERS_PAGE: self.render("speakers.md.j2", urls.SPEAKERS_PAGE),
            urls.SOURCES_PAGE: self.render("sources.md.j2", urls.SOURCES_PAGE),
            urls.GLOSSARY_PAGE: self.render("glossary.md.j2", urls.GLOSSARY_PAGE, rows=self.glossary_rows()),
        }
        pages[urls.CONTRIBUTING_PAGE] = self.render("contributing.md.j2", urls.CONTRIBUTING_PAGE, models=schema_tables())
        for claim in kb.claims.values():
            page = urls.claim_page(claim.id)
            pages[page] = self.claim_page(claim, page)
        for topic in kb.topics.values():
            page = urls.topic_page(topic.id)
            pages[page] = self.render("topic.md.j2", page, topic=topic)
        for speaker in kb.speakers.values():
            page = urls.speaker_page(speaker.id)
            pages[page] = self.render("speaker.md.j2", page, speaker=speaker)
        for source in kb.sources.values():
            page = urls.source_page(source.meta.id)
            pages[page] = self.render(
                "source.md.j2", page, source=source, pieces=lambda n, t, s=source.meta.id: paragraph_pieces(self.index, s, n, t)
            )
        return pages

    def claim_page(self, claim: Claim, page_src: str) -> str:
        """The page of one claim, as Markdown.

        Written here in Python, not as a template like the other pages: a site has one of these per
        claim, and Jinja's cost per printed value and call (the context lookups, `finalize`, the
        loop objects) was half of each one's rendering. Values are escaped as the templates escape
        them (`finalize`, `attr`, `safe_id`, `safe_url`, `yaml_string`) and the snippets are the
        same `Renderer` methods. The golden files hold its bytes, `tests/test_claim_page.py` its
        sections for claims of every shape."""
        kb = self.checked.kb
        context = jinja2.runtime.new_context(self.env, "claim page", {}, {"page_src": page_src})
        esc = self.escape
        speaker = kb.speakers[claim.speaker]
        citation = claim_citation(kb, claim, self.site_url)
        name_en = f' <span class="kb-muted" lang="en">{esc(speaker.name)}</span>' if speaker.name_ja else ""
        topics = " ".join(self.topic_chip(context, topic_id) for topic_id in claim.topics)
        head = (
            f"---\ndescription: {yaml_string(f'［{STATUSES[self.index.reviews[claim.id].status].label}］ {claim.summary}')}\n---\n\n"
            f"# {self.linked(context, claim.title, claim)} {{ #{urls.CLAIM_TITLE_ANCHOR} }}\n\n"
            f"{self.status_line(claim)}\n\n"
            f'{self.linked(context, claim.title_en, claim, "en")}\n{{ .kb-title-en lang="en" }}\n\n'
            f"{self.linked(context, claim.summary, claim)}\n{{ .kb-summary }}\n\n"
            f'{self.linked(context, claim.summary_en, claim, "en")}\n{{ .kb-summary-en lang="en" }}\n\n'
            '<dl class="kb-facts" markdown>\n'
            '<dt>発言者 <span lang="en">Speaker</span></dt>\n'
            f"<dd markdown>[{esc(speaker_label(speaker))}]({link(context, urls.speaker_page(speaker.id))}){name_en}</dd>\n"
            '<dt>種類 <span lang="en">Kind</span></dt>\n'
            f'<dd markdown>{self.kind_chip(claim.kind)} <span class="kb-muted" lang="en">{esc(claim.kind)}</span></dd>\n'
            '<dt>トピック <span lang="en">Topics</span></dt>\n'
            f"<dd markdown>{topics}</dd>\n"
            f"{self.primary_source_fact(claim)}"
            "<dt>ID</dt>\n"
            f"<dd markdown>`{safe_id(claim.id)}`</dd>\n"
            "</dl>\n\n"
            f'<div class="kb-cite" data-kb-url="{attr(citation.url)}">\n'
            f'<button type="button" class="md-button kb-copy" data-kb-copy="{attr(citation.url)}" '
            'data-kb-done="リンクをコピーしました">リンクをコピー</button>\n'
            f'<button type="button" class="md-button kb-copy" data-kb-copy="{attr(citation.markdown)}" '
            'data-kb-done="出典（Markdown）をコピーしました">出典をコピー（Markdown）</button>\n'
            f'<button type="button" class="md-button kb-copy" data-kb-copy="{attr(citation.plain)}" '
            'data-kb-done="出典（テキスト）をコピーしました">出典をコピー（テキスト）</button>\n'
            '<span class="kb-cite-status" role="status" aria-live="polite"></span>\n'
            "</div>\n\n\n"
            "## 引用 { #quotes }\n\n"
        )
        out = [head]
        numbered = list(zip(range(len(claim.quotes)), claim.quote_numbers(), claim.quotes))
        for index, number, quote in numbered:
            if quote.voice == "reported":
                out.append(self.quote_block(context, claim, index, number, quote))
        glosses = [(index, number, quote) for index, number, quote in numbered if quote.voice == "gloss"]
        if glosses:
            out.append(self.glosses_heading(claim))
            for index, number, quote in glosses:
                out.append(self.quote_block(context, claim, index, number, quote))
        for removed in claim.removed_quotes:
            out.append(self.removed_quote_block(removed))
        if claim.annotations:
            out.append("## 注記 { #annotations }\n\n")
            for number, note in enumerate(claim.annotations, start=1):
                reference = (f"\n参考: [{esc(note.reference.title)}](<{safe_url(note.reference.url)}>)\n"
                             if note.reference else "")
                out.append(
                    f"/// admonition | {esc(LABELS['annotation'][note.kind])} · {esc(note.kind)}\n"
                    f"    type: {esc(LABELS['admonition'][note.kind])}\n"
                    f"    attrs: {{id: {urls.annotation_anchor(number)}, class: kb-note-{safe_id(note.kind)}}}\n\n"
                    f"{self.linked(context, note.text, claim)}\n{reference}///\n\n"
                )
        if claim.related:
            out.append("## 関連する主張 { #related }\n\n")
            for kind, relations in itertools.groupby(sorted(claim.related, key=_relation_kind), _relation_kind):
                out.append(self._relation_group(context, "relation", kind,
                                                [kb.claims[relation.id] for relation in relations]))
        backlinks = self.index.backlinks.get(claim.id)
        if backlinks:
            out.append("## この主張を参照している主張 { #backlinks }\n\n")
            for kind, links in itertools.groupby(sorted(backlinks, key=_relation_kind), _relation_kind):
                out.append(self._relation_group(context, "backlink", kind, [backlink.claim for backlink in links]))
        if claim.terms:
            out.append("## 用語 { #terms }\n\n")
            for term_id in claim.terms:
                term = kb.terms[term_id]
                english = f' <span class="kb-en" lang="en">{esc(term.en)}</span>' if term.en != term.term else ""
                out.append(f"- **{self.term_link(context, term)}**{english} — {esc(term.definition)}\n")
        return "".join(out)

    def _relation_group(self, context: Any, labels: str, kind: str, claims: list[Claim]) -> str:
        """One kind of relation of a claim page: a heading and the related claims as a list."""
        esc = self.escape
        items = "".join(f"{self.related_item(context, other)}\n" for other in claims)
        return (f'**{esc(LABELS[labels][kind])}** <span class="kb-en" lang="en">{esc(LABELS[labels + "_en"][kind])}</span>\n'
                f"{{ .kb-relation-heading .kb-rel-{safe_id(kind)} }}\n\n{items}\n")

    def status_line(self, claim: Claim) -> str:
        """The line under a claim page's title: its status badge and why, linking to the annotation."""
        review = self.index.reviews[claim.id]
        esc = self.escape
        english = f'<span class="kb-muted" lang="en">{esc(STATUSES[review.status].label_en)}</span>'
        if review.annotation is None:
            reason = esc(STATUSES[review.status].meaning_ja)
        else:
            anchor = urls.annotation_anchor(review.annotation)
            reason = f"{esc(review.finding or '')} → [注記 {review.annotation}](#{anchor})"
        return (f"{self.status_chip(review.status, explained=True)} {english} {reason}\n"
                f"{{ #{urls.STATUS_ANCHOR} .kb-status-line }}")

    def primary_source_fact(self, claim: Claim) -> str:
        """The claim page's fact row naming the primary source the claim traces to, if any."""
        if claim.primary_source is None:
            return ""
        primary = next(p for q in claim.quotes for p in self.checked.kb.sources[q.source].meta.primary_sources
                       if p.id == claim.primary_source)
        return ('<dt>一次資料 <span lang="en">Primary source</span></dt>\n'
                f"<dd markdown>{self.dated_link(primary.title, primary.published, primary.url)}</dd>\n")

    def dated_link(self, text: str, published: str, url: str) -> Markup:
        """A primary source or original as Markdown: its description and date, linked only when the
        editors are sure of its address."""
        esc = self.escape
        date = esc(published_text(published))
        if url == UNKNOWN:
            return Markup(f'{esc(text)}（{date}） <span class="kb-muted" title="編集者が確かめられていない URL は載せていません">'
                          "URL不明</span>")
        return Markup(f"[{esc(text)}](<{safe_url(url)}>)（{date}）")

    def quote_block(self, context: Any, claim: Claim, index: int, number: int, quote: Quote) -> str:
        """One quote of a claim page, with its place in the source and its own link; a gloss is labelled."""
        esc = self.escape
        kb = self.checked.kb
        paragraph = self.checked.quote_spans[(claim.id, index)].paragraph
        in_context = link(context, f"{urls.source_page(quote.source)}#p{paragraph}")
        anchor = urls.quote_anchor(number)
        gloss = quote.voice == "gloss"
        label = (f'<span class="kb-voice {css_class("voice", "gloss")}">{esc(VOICES["gloss"].label)}</span> · '
                 if gloss else "")
        classes = f"kb-quote kb-quote--{safe_id(quote.voice)}" if gloss else "kb-quote"
        return (
            f'<div class="{classes}" id="{anchor}" markdown>\n\n> '
            f"{self.marked_text(context, quote.text, self.index.corrections_in_paragraph(quote.source, paragraph))}\n\n"
            f'{label}[文脈で読む ¶{paragraph} <span class="kb-in-context-source">{esc(kb.sources[quote.source].meta.title)}'
            f"</span>]({in_context}){{ .kb-in-context }} · [引用 {number} へのリンク](#{anchor}){{ .kb-quote-link }}"
            "\n\n</div>\n\n"
        )

    def glosses_heading(self, claim: Claim) -> str:
        """The heading and note that set a claim's glosses apart from the quotes reporting its speaker."""
        kb = self.checked.kb
        narrators = {kb.sources[q.source].meta.narrator for q in claim.quotes if q.voice == "gloss"}
        names = "、".join(speaker_label(kb.speakers[n]) for n in sorted(n for n in narrators if n))
        esc = self.escape
        return (f"### {esc(VOICES['gloss'].label)} {{ #glosses .kb-glosses }}\n\n"
                f"次の引用は{esc(speaker_label(kb.speakers[claim.speaker]))}の言葉ではなく、資料の語り手である"
                f"{esc(names)}による説明や言い換えです。主張の根拠ではなく、文脈として示しています。\n"
                "{ .kb-gloss-intro }\n\n")

    def removed_quote_block(self, removed: RemovedQuote) -> str:
        """Where a removed quote was: its anchor lands here, on why it was removed."""
        anchor = urls.quote_anchor(removed.number)
        return (f'<div class="kb-quote kb-quote--removed" id="{anchor}" markdown>\n\n'
                f"引用 {removed.number} は削除されました。{self.escape(removed.reason)}\n\n</div>\n\n")

    def marked_text(self, context: Any, text: str, corrections: list[Correction]) -> Markup:
        """Quoted text with its misheard and probable names (among `corrections`) marked as on the
        transcript page."""
        found = corrections_in(text, corrections)
        if not found:
            return Markup(md_escape(text))
        cuts = sorted({0, len(text), *(start for start, _, _ in found), *(end for _, end, _ in found)})
        parts: list[str] = []
        for start, end in itertools.pairwise(cuts):
            covering = [c for s, e, c in found if s <= start and end <= e]
            piece = text[start:end]
            parts.append(self.correction_mark(context, covering[0], piece, False) if covering else md_escape(piece))
        return Markup("".join(parts))

    def correction_mark(self, context: Any, correction: Correction, text: str, in_quote: bool) -> str:
        """A misheard or unclear form, marked, with the glossary term it stands for after it."""
        escape = self.escape
        classes = "kb-misheard" + (" kb-in-quote" if in_quote else "") + (" kb-probable" if correction.probable else "")
        prefix = "おそらく " if correction.probable else ""
        target = link(context, f"{urls.GLOSSARY_PAGE}#{correction.term.id}")
        return (f'<span class="{classes}" title="{attr(correction.tooltip)}">{escape(text)}</span>'
                f"[→ {prefix}{escape(correction.name)}]({target}){{ .kb-correction }}")

    def status_chip(self, status: str, explained: bool = False) -> Markup:
        """A claim's review status as a badge; `explained` adds its meaning as the badge's title (on the
        claim page only: in lists, badges sit close together and the label says enough)."""
        key = f"status:{status}:{explained}"
        chip = self._chips.get(key)
        if chip is None:
            word = STATUSES[status]  # type: ignore[index]
            title = f' title="{attr(word.label_en + ": " + word.meaning_ja)}"' if explained else ""
            chip = self._chips[key] = Markup(
                f'<span class="kb-status {css_class("status", safe_id(status))}"{title}>{self.escape(word.label)}</span>')
        return chip

    def filter_options(self) -> dict[str, list[tuple[str, str, int]]]:
        """The claims list's filter: per field, (value, label, number of claims) of each choice."""
        kb = self.checked.kb
        statuses = [review.status for review in self.index.reviews.values()]
        return {
            "status": [(s, STATUSES[s].label, statuses.count(s)) for s in STATUSES],
            "speaker": [(s.id, speaker_label(s), len(self.index.claims_by_speaker.get(s.id, []))) for s in kb.speakers.values()],
            "kind": [(k, label, sum(c.kind == k for c in kb.claims.values())) for k, label in LABELS["kind"].items()],
            "topic": [(t.id, t.name, len(self.index.claims_by_topic.get(t.id, []))) for t in kb.topics.values()],
        }

    def terms_by_reading(self) -> list[Term]:
        """Glossary entries in gojūon order of their reading."""
        return sorted(self.checked.kb.terms.values(), key=lambda t: (kana_sort_key(t.reading), t.id))

    def glossary_rows(self) -> list[tuple[str, list[GlossaryEntry]]]:
        """Glossary entries and their cross-references (`Term.index_as`), grouped by gojūon row (あ, か, ...),
        rows and entries in the order of their readings."""
        entries = [GlossaryEntry(term, term.reading) for term in self.checked.kb.terms.values()]
        entries += [GlossaryEntry(term, form.reading, form) for term in self.checked.kb.terms.values()
                    for form in term.index_as]
        entries.sort(key=lambda e: (kana_sort_key(e.reading), e.term.id, e.see_from.text if e.see_from else ""))
        rows: dict[str, list[GlossaryEntry]] = {}
        for entry in entries:
            rows.setdefault(gojuon_row(entry.reading), []).append(entry)
        return list(rows.items())

    def term_runs(self, text: str, claim: Claim) -> list[TextRun]:
        """`text` of `claim` split into runs, the first mention of each of its terms marked."""
        if self._matcher is None or self._matcher[0] != claim.id:
            self._matcher = (claim.id, TermMatcher(self.checked.kb.terms[t] for t in claim.terms))
        return self._matcher[1].runs(text)

    # Snippets printed on many pages are written here rather than as template macros: a Jinja
    # macro call costs more than the whole snippet written in Python (an item of the all-claims,
    # topic and speaker pages, printed four times per claim, took three nested calls). Values are
    # escaped as `_finalize` escapes printed values (the environment's finalize), ids as `safe_id`,
    # attributes as `attr` and `href`, links as `link`; the bytes are those the macros wrote. Those
    # without `pass_context` are called from Python only (`claim_page`, `claim_item`), with the
    # context of the page being written.

    def _around_link(self, context: Any, key: tuple[str, str, bool], target: str,
                     make: Callable[[], tuple[str, str]]) -> Markup:
        """A snippet whose only page-dependent part is its link to `target`: the text around the link
        is made once (`make`) and kept under `key`."""
        parts = self._around_links.get(key)
        if parts is None:
            parts = self._around_links[key] = make()
        return Markup(f"{parts[0]}{link(context, target)}{parts[1]}")

    @jinja2.pass_context
    def claim_link(self, context: Any, claim: Claim) -> Markup:
        """A Markdown link to a claim page, titled with the claim's title."""
        return Markup(f"[{self.escape(claim.title)}]({link(context, urls.claim_page(claim.id))})")

    def kind_chip(self, kind: str) -> Markup:
        """The label of a claim's kind (prediction, critique...) as a coloured chip."""
        chip = self._chips.get(kind)
        if chip is None:
            safe = safe_id(kind)
            chip = self._chips[kind] = Markup(
                f'<span class="kb-kind kb-kind--{safe}" title="{attr(safe)}">{self.escape(LABELS["kind"][safe])}</span>')
        return chip

    @jinja2.pass_context
    def term_link(self, context: Any, term: Term) -> Markup:
        """A Markdown link to a glossary entry, titled with the term."""
        return Markup(f"[{self.escape(term.term)}]({link(context, f'{urls.GLOSSARY_PAGE}#{term.id}')})")

    @jinja2.pass_context
    def claim_item(self, context: Any, claim: Claim, with_speaker: bool = True) -> Markup:
        """A claim as an item of a Markdown list: linked title, kind, speaker, summary, English title
        and summary (printed on the all-claims page and on each of the claim's topic and speaker pages)."""
        escape = self.escape

        def around() -> tuple[str, str]:
            speaker = f' <span class="kb-item-speaker">{escape(speaker_label(self.checked.kb.speakers[claim.speaker]))}</span>' \
                if with_speaker else ""
            status = self.index.reviews[claim.id].status
            return (f"- **[{escape(claim.title)}](",
                    (f")** {self.kind_chip(claim.kind)} {self.status_chip(status)}{speaker}<br>\n  {escape(claim.summary)}<br>\n"
                    f'  <span class="kb-en" lang="en">**{escape(claim.title_en)}** — {escape(claim.summary_en)}</span>\n'
                    f"  {{ .kb-claim-item data-kb-claim={safe_id(claim.id)} data-kb-status={safe_id(status)} "
                    f"data-kb-speaker={safe_id(claim.speaker)} data-kb-kind={safe_id(claim.kind)} }}"))

        return self._around_link(context, ("item", claim.id, with_speaker), urls.claim_page(claim.id), around)

    def related_item(self, context: Any, claim: Claim) -> Markup:
        """A related claim or a backlink as an item of a Markdown list: linked title, speaker, English title."""
        escape = self.escape

        def around() -> tuple[str, str]:
            status = self.index.reviews[claim.id].status
            return (f"- [{escape(claim.title)}](",
                    (f") {self.status_chip(status)} <span class=\"kb-item-speaker\">"
                     f"{escape(speaker_label(self.checked.kb.speakers[claim.speaker]))}</span>"
                     f'<br><span class="kb-en" lang="en">{escape(claim.title_en)}</span>\n'
                     f"  {{ .kb-related-item data-kb-claim={safe_id(claim.id)} data-kb-status={safe_id(status)} }}"))

        return self._around_link(context, ("related", claim.id, False), urls.claim_page(claim.id), around)

    def topic_chip(self, context: Any, topic_id: str) -> Markup:
        """A claim's topic as a linked chip, titled with the topic's English name."""
        topic = self.checked.kb.topics[topic_id]

        def around() -> tuple[str, str]:
            return f"[{self.escape(topic.name)}](", f'){{ .kb-chip title="{attr(topic.name_en)}" }}'

        return self._around_link(context, ("topic", topic_id, False), urls.topic_page(topic_id), around)

    @jinja2.pass_context
    def text_piece(self, context: Any, piece: Piece) -> Markup:
        """One run of transcript text: a misheard name with its correction, a quoted span linking to
        the quote in its claim, or plain text."""
        escape = self.escape
        text = escape(piece.text)
        if piece.correction:
            return Markup(self.correction_mark(context, piece.correction, piece.text, bool(piece.quotes)))
        if piece.quotes:
            claim, index = piece.quotes[0]
            anchor = urls.quote_anchor(claim.quote_numbers()[index])
            target = link(context, f"{urls.claim_page(claim.id)}#{anchor}")
            gloss = "（ナレーターの補足）" if claim.quotes[index].voice == "gloss" else ""
            return Markup(f'[{text}]({target}){{ .kb-quoted title="{attr(claim.title + gloss)}" }}')
        return Markup(text)

    def linked(self, context: Any, text: str, claim: Claim, lang: str = "ja") -> Markup:
        """Record text of `claim` with the first mention of each of its glossary terms linked to the
        glossary; the definition is the link's title, which kb-tooltip.js shows as a tooltip.

        Written here rather than as a template macro: it runs for every title, summary and note, and
        a Jinja loop over the runs cost a third of a claim page's rendering. Escaped as `_finalize`
        escapes printed values, and attributes as `attr` and `href` do."""
        parts = []
        for run in self.term_runs(text, claim):
            if run.term is None:
                parts.append(md_escape(run.text))
                continue
            glossary_entry = href(context, f"{urls.GLOSSARY_PAGE}#{run.term.id}")
            tooltip = attr(term_tooltip(run.term, lang))
            parts.append(f'<a class="kb-term" href="{glossary_entry}" title="{tooltip}">{md_escape(run.text)}</a>')
        return Markup("".join(parts))


@dataclass
class FieldRow:
    """One field of a record type, for the contributor page."""

    name: Markup
    required: bool
    description: Markup


@dataclass
class ModelTable:
    """A record type and its fields, for the contributor page."""

    name: str
    anchor: str
    description: Markup
    fields: list[FieldRow]


def schema_tables() -> list[ModelTable]:
    """Every record type and nested type with its field descriptions, from the schema models."""
    tables = []
    for model in (Claim, Quote, RemovedQuote, Relation, Annotation, Reference, Term, IndexForm, Source, Segment,
                  OriginalWork, PrimarySource, Topic, Speaker, EstimateChart, EstimateGroup, Estimate):
        rows = [FieldRow(code_name(name), info.is_required(), docstring_markdown(info.description or ""))
                for name, info in model.model_fields.items()]
        tables.append(ModelTable(model.__name__, model.__name__.lower(), docstring_markdown(model.__doc__ or ""), rows))
    return tables


def code_name(name: str) -> Markup:
    """A field name for a Markdown code span: an identifier, printed as it is (escapes show in code)."""
    if not name.isidentifier():
        raise ValueError(f"not a field name: {name!r}")
    return Markup(name)


def docstring_markdown(text: str) -> Markup:
    """A schema docstring (our code's text, not a record's) for Markdown: its `code` spans stay code
    spans, where escapes would print as they are; the text between them is escaped as usual."""
    parts = text.strip().split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans
        return Markup(md_escape(text.strip()))
    return Markup("".join(f"`{part}`" if i % 2 else md_escape(part) for i, part in enumerate(parts)))
