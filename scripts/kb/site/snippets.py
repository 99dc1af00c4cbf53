"""Snippets printed on many pages: chips, claim items, links, transcript pieces, linked record text.

Written in Python rather than as template macros: a Jinja macro call costs more than the whole
snippet written here (an item of the all-claims, topic and speaker pages, printed four times per
claim, took three nested calls). Values are escaped as `escape.EscapeOnce` escapes printed values
(the environment's finalize), ids as `safe_id`, attributes as `attr` and `href`, links as `link`;
the bytes are those the macros wrote. Methods without `pass_context` are called from Python only
(the claim page, `claim_item`), with the context of the page being written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from ..checks.check import CheckedKnowledgeBase
from ..records.model import UNKNOWN, Claim, Term
from ..records.vocabulary import css_class
from . import urls
from .catalogue import Catalogue
from .edition import JAPANESE_EDITION, Edition
from .escape import EscapeOnce, attr, md_escape, safe_id, safe_url
from .keptpages import KeptPages
from .labels import labels, published_text, term_tooltip
from .siteindex import Correction, SiteIndex, corrections_in
from .templating import href, link
from .termlinks import TermMatcher, TextRun
from .transcript import Piece

CLAIM_LIST_START = '<ul class="kb-claim-list">'
"""The line a claim list (`Snippets.claim_list`) starts with."""
CLAIM_LIST_END = "</ul>"
"""The line a claim list ends with."""
USED_BY_START = '<p class="kb-used-by">'
"""The start of a glossary entry's claims (`Snippets.used_by`), one line of raw HTML."""


def quote_span_anchor(claim: Claim, index: int) -> str:
    """The transcript anchor of the quote at `index` (0-based) of `claim`."""
    return urls.quote_span_anchor(safe_id(claim.id), claim.quote_numbers()[index])


class Snippets:
    """The snippets of one edition of one build, each made once per site where only its link changes
    per page: the edition's record text first (`Edition.text`), the other language's beside it."""

    def __init__(self, checked: CheckedKnowledgeBase, index: SiteIndex, escape: EscapeOnce, ui: Catalogue,
                 edition: Edition = JAPANESE_EDITION, kept: KeptPages | None = None) -> None:
        """`kept`: snippets as last made, reused where their inputs are unchanged (while serving)."""
        self.checked = checked
        self.kept = kept
        self.ui = ui
        self.edition = edition
        self.labels = labels(ui)
        self.index = index
        self.escape = escape
        self._matcher: tuple[str, TermMatcher] | None = None
        """The matcher of the claim whose texts were linked last: a claim's texts are on its own page only."""
        self._chips: dict[str, Markup] = {}
        self._around_links: dict[tuple[str, str, bool], tuple[str, str]] = {}
        """Snippets by (snippet, record id, variant): the text before and after their one relative
        link, which is all that changes from page to page."""

    def _around_link(self, context: Any, key: tuple[str, str, bool], target: str,
                     make: Callable[[], tuple[str, str]]) -> Markup:
        """A snippet whose only page-dependent part is its link to `target`: the text around the link
        is made once (`make`) and kept under `key`."""
        parts = self._around_links.get(key)
        if parts is None:
            parts = self._around_links[key] = make()
        return Markup(f"{parts[0]}{link(context, target)}{parts[1]}")

    def status_chip(self, status: str, explained: bool = False) -> Markup:
        """A claim's review status as a badge; `explained` adds its meaning as the badge's title (on the
        claim page only: in lists, badges sit close together and the label says enough)."""
        key = f"status:{status}:{explained}"
        chip = self._chips.get(key)
        if chip is None:
            words = self.labels
            meaning = f"{words['status_en'][status]}: {words['status_meaning'][status]}"
            title = f' title="{attr(meaning)}"' if explained else ""
            chip = self._chips[key] = Markup(f'<span class="kb-status {css_class("status", safe_id(status))}"{title}>'
                                             f"{attr(words['status'][status])}</span>")
        return chip

    def kind_chip(self, kind: str) -> Markup:
        """The label of a claim's kind (prediction, critique...) as a coloured chip."""
        chip = self._chips.get(kind)
        if chip is None:
            safe = safe_id(kind)
            chip = self._chips[kind] = Markup(
                f'<span class="kb-kind kb-kind--{safe}" title="{attr(safe)}">{attr(self.labels["kind"][safe])}</span>')
        return chip

    def beside(self, text: object, classes: str = "") -> str:
        """Markup `text` in the other language than the edition's, printed beside its own and marked with
        its `lang`; `classes` (by default `kb-en` or `kb-ja`, after the language) style it."""
        language = self.edition.beside_language
        return f'<span class="{classes or "kb-" + language}" lang="{language}">{text}</span>'

    def speaker_name(self, claim: Claim) -> str:
        """The name of the claim's speaker in the edition's language, escaped."""
        return str(self.escape(self.edition.speaker_name(self.checked.kb.speakers[claim.speaker])))

    @jinja2.pass_context
    def _around_href(self, context: Any, key: tuple[str, str, bool], target: str,
                     make: Callable[[], tuple[str, str]], inputs: tuple[object, ...]) -> str:
        """A snippet of raw HTML whose only page-dependent part is its URL of `target` (`href`), the text
        around it made once (`make`, from `inputs`) and kept under `key`; while serving, kept from the
        last rendering of the site when its inputs are unchanged."""
        parts = self._around_links.get(key)
        if parts is None:
            kept = self.kept
            parts = make() if kept is None else kept.page((self.edition.language, *key), inputs, make)
            self._around_links[key] = parts
        return f"{parts[0]}{href(context, target)}{parts[1]}"

    @jinja2.pass_context
    def term_link(self, context: Any, term: Term) -> Markup:
        """A Markdown link to a glossary entry, titled with the term."""
        return Markup(f"[{self.escape(self.edition.term_name(term))}]({link(context, urls.term_link(term.id))})")

    @jinja2.pass_context
    def claim_list(self, context: Any, claims: list[Claim], with_speaker: bool = True) -> Markup:
        """Claims as a list in raw HTML (printed on the all-claims page and on each topic and speaker page),
        each item its linked title, kind, status, speaker (unless not `with_speaker`), summary and the
        claim in the other language. Raw HTML, which Python-Markdown sets aside as it is: at 10,000
        claims, the all-claims page written as a Markdown list took it 5 s per edition."""
        if not claims:
            return Markup("")
        items = "".join(self.claim_item(context, claim, with_speaker) for claim in claims)
        return Markup(f"{CLAIM_LIST_START}\n{items}{CLAIM_LIST_END}")

    def claim_item(self, context: Any, claim: Claim, with_speaker: bool) -> str:
        """One item of `claim_list`; its text made once per site, with only its link made per page."""
        def around() -> tuple[str, str]:
            text = self.edition.text
            speaker = (f' <span class="kb-item-speaker">{attr(self.edition.speaker_name(self.checked.kb.speakers[claim.speaker]))}</span>'
                       if with_speaker else "")
            status = self.index.reviews[claim.id].status
            return ((f'<li class="kb-claim-item" data-kb-claim="{safe_id(claim.id)}" data-kb-kind="{safe_id(claim.kind)}" '
                     f'data-kb-speaker="{safe_id(claim.speaker)}" data-kb-status="{safe_id(status)}"><strong><a href="'),
                    (f'">{attr(text(claim, "title"))}</a></strong> {self.kind_chip(claim.kind)} {self.status_chip(status)}{speaker}<br>\n'
                     f"  {attr(text(claim, 'summary'))}<br>\n  {self.beside(self.claim_beside(claim))}</li>\n"))

        inputs = (claim, self.checked.kb.speakers[claim.speaker]) if with_speaker else (claim,)
        return self._around_href(context, ("item", claim.id, with_speaker), urls.claim_page(claim.id), around, inputs)

    def claim_beside(self, claim: Claim) -> str:
        """A claim in the other language under its list item, as HTML: its title, and its summary too
        in an edition that glosses its lists in English (`Edition.glossed`)."""
        title = attr(self.edition.beside(claim, "title"))
        if not self.edition.glossed:
            return str(title)
        return f"<strong>{title}</strong> — {attr(self.edition.beside(claim, 'summary'))}"

    @jinja2.pass_context
    def used_by(self, context: Any, label: str, claims: list[Claim]) -> Markup:
        """The claims using a glossary term, after `label` (markup), as a paragraph of linked chips in raw
        HTML (a term of 10,000 claims' glossary is used by dozens: as Markdown, the glossary took
        Python-Markdown 1.7 s); the status of each claim with issues after its chip."""
        def chip(claim: Claim) -> str:
            def around() -> tuple[str, str]:
                status = self.index.reviews[claim.id].status
                after = f" {self.status_chip(status)}" if status != "no-issues" else ""
                return '<a class="kb-chip" href="', f'">{attr(self.edition.text(claim, "title"))}</a>{after}'

            return self._around_href(context, ("chip", claim.id, False), urls.claim_page(claim.id), around, (claim,))

        return Markup(f'{USED_BY_START}{label}{" ".join(chip(claim) for claim in claims)}</p>')

    def related_item(self, context: Any, claim: Claim) -> Markup:
        """A related claim or a backlink as an item of a Markdown list: linked title, speaker, title in
        the other language."""
        escape = self.escape

        def around() -> tuple[str, str]:
            status = self.index.reviews[claim.id].status
            return (f"- [{escape(self.edition.text(claim, 'title'))}](",
                    (f") {self.status_chip(status)} <span class=\"kb-item-speaker\">{self.speaker_name(claim)}</span>"
                     f"<br>{self.beside(escape(self.edition.beside(claim, 'title')))}\n"
                     f"  {{ .kb-related-item data-kb-claim={safe_id(claim.id)} data-kb-status={safe_id(status)} }}"))

        return self._around_link(context, ("related", claim.id, False), urls.claim_page(claim.id), around)

    def topic_chip(self, context: Any, topic_id: str) -> Markup:
        """A claim's topic as a linked chip, titled with the topic's name in the other language."""
        topic = self.checked.kb.topics[topic_id]

        def around() -> tuple[str, str]:
            name, name_beside = self.edition.both(topic, "name")
            return f"[{self.escape(name)}](", f'){{ .kb-chip title="{attr(name_beside)}" }}'

        return self._around_link(context, ("topic", topic_id, False), urls.topic_page(topic_id), around)

    @jinja2.pass_context
    def text_piece(self, context: Any, piece: Piece) -> Markup:
        """One run of transcript text: a misheard name with its correction, a quoted span linking to
        the quote in its claim, or plain text."""
        escape = self.escape
        text = escape(piece.text)
        if piece.correction:
            return Markup(self.span_starts(piece.starts)
                          + self.correction_mark(context, piece.correction, piece.text, bool(piece.quotes)))
        if piece.quotes:
            claim, index = piece.quotes[0]
            target = link(context, urls.quote_link(claim.id, claim.quote_numbers()[index]))
            gloss = self.ui("text.quoted_gloss") if claim.quotes[index].voice == "gloss" else ""
            spans = " ".join(quote_span_anchor(c, i) for c, i in piece.quotes)
            return Markup(f"{self.span_starts(piece.starts)}[{text}]({target})"
                          f'{{ .kb-quoted data-kb-spans="{spans}" title="{attr(self.edition.text(claim, "title") + gloss)}" }}')
        return Markup(text)

    @staticmethod
    def span_starts(quotes: list[tuple[Claim, int]]) -> str:
        """Where quotes begin: an empty element holding each one's anchor, just before its first run.
        Not on the run's link: Chromium focuses a link reached by its anchor, and its tooltip then
        covers the very text the reader came to see."""
        return "".join(f'<span class="kb-span-start" id="{quote_span_anchor(c, i)}"></span>' for c, i in quotes)

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
            glossary_entry = href(context, urls.term_link(run.term.id))
            tooltip = attr(term_tooltip(run.term, lang, self.ui))
            parts.append(f'<a class="kb-term" href="{glossary_entry}" title="{tooltip}">{md_escape(run.text)}</a>')
        return Markup("".join(parts))


    def term_runs(self, text: str, claim: Claim) -> list[TextRun]:
        """`text` of `claim` split into runs, the first mention of each of its terms marked."""
        if self._matcher is None or self._matcher[0] != claim.id:
            self._matcher = (claim.id, TermMatcher(self.checked.kb.terms[t] for t in claim.terms))
        return self._matcher[1].runs(text)


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
        prefix = self.ui("text.correction_probable_prefix") if correction.probable else ""
        target = link(context, urls.term_link(correction.term.id))
        return (f'<span class="{classes}" title="{attr(correction.tooltip(self.ui))}">{escape(text)}</span>'
                f"[→ {prefix}{escape(correction.name)}]({target}){{ .kb-correction }}")


    def dated_link(self, text: str, published: str, url: str) -> Markup:
        """A primary source or original as Markdown: its description and date, linked only when the
        editors are sure of its address."""
        esc, ui = self.escape, self.ui
        date = esc(published_text(published, ui))
        if url == UNKNOWN:
            return Markup(f'{ui("text.dated", text=esc(text), date=date)} <span class="kb-muted" '
                          f'title="{attr(ui("text.url_unknown_title"))}">{ui("text.url_unknown")}</span>')
        return Markup(ui("text.dated", text=f"[{esc(text)}](<{safe_url(url)}>)", date=date))
