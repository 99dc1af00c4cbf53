"""The English edition's layout (pages under `en/`): English record fields first, the Japanese
ones beside them marked `lang="ja"`; quotes and the transcript stay verbatim Japanese.

The Japanese layout (`snippets.Snippets`, `claimpage.ClaimPage`, `templates/*.md.j2`) prints the
Japanese text first with English glosses; this one overrides only the parts whose record fields or
order differ, so both editions share their escaping, anchors and links. Its templates are
`templates/en/*.md.j2`.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from ..records.model import Annotation, Claim, Quote, RemovedQuote, Speaker, Term
from ..records.vocabulary import css_class
from . import urls
from .citation import ClaimCitation, claim_citation
from .claimpage import ClaimPage
from .escape import attr, safe_id, yaml_string
from .snippets import Snippets
from .templating import link


def speaker_name(speaker: Speaker) -> str:
    """The speaker's name as an English reader knows it."""
    return speaker.name


def japanese(text: str, escape: Any, tag: str = "span", classes: str = "kb-ja") -> str:
    """Japanese record text printed beside English, marked as Japanese."""
    return f'<{tag} class="{classes}" lang="ja">{escape(text)}</{tag}>'


class EnglishSnippets(Snippets):
    """The snippets of the English edition: English titles, names and terms."""

    @jinja2.pass_context
    def claim_link(self, context: Any, claim: Claim) -> Markup:
        """A Markdown link to a claim page, titled with the claim's English title."""
        return Markup(f"[{self.escape(claim.title_en)}]({link(context, urls.claim_page(claim.id))})")

    @jinja2.pass_context
    def term_link(self, context: Any, term: Term) -> Markup:
        """A Markdown link to a glossary entry, titled with the term's English name."""
        return Markup(f"[{self.escape(term.en)}]({link(context, urls.term_link(term.id))})")

    @jinja2.pass_context
    def claim_item(self, context: Any, claim: Claim, with_speaker: bool = True) -> Markup:
        """A claim as an item of a Markdown list: linked English title, kind, status, speaker,
        English summary, and the Japanese title."""
        escape = self.escape

        def around() -> tuple[str, str]:
            speaker = f' <span class="kb-item-speaker">{escape(speaker_name(self.checked.kb.speakers[claim.speaker]))}</span>' \
                if with_speaker else ""
            status = self.index.reviews[claim.id].status
            return (f"- **[{escape(claim.title_en)}](",
                    (f")** {self.kind_chip(claim.kind)} {self.status_chip(status)}{speaker}<br>\n  {escape(claim.summary_en)}<br>\n"
                     f"  {japanese(claim.title, escape)}\n"
                     f"  {{ .kb-claim-item data-kb-claim={safe_id(claim.id)} data-kb-status={safe_id(status)} "
                     f"data-kb-speaker={safe_id(claim.speaker)} data-kb-kind={safe_id(claim.kind)} }}"))

        return self._around_link(context, ("item", claim.id, with_speaker), urls.claim_page(claim.id), around)

    def related_item(self, context: Any, claim: Claim) -> Markup:
        """A related claim or a backlink: linked English title, status, speaker, Japanese title."""
        escape = self.escape

        def around() -> tuple[str, str]:
            status = self.index.reviews[claim.id].status
            return (f"- [{escape(claim.title_en)}](",
                    (f") {self.status_chip(status)} <span class=\"kb-item-speaker\">"
                     f"{escape(speaker_name(self.checked.kb.speakers[claim.speaker]))}</span>"
                     f"<br>{japanese(claim.title, escape)}\n"
                     f"  {{ .kb-related-item data-kb-claim={safe_id(claim.id)} data-kb-status={safe_id(status)} }}"))

        return self._around_link(context, ("related", claim.id, False), urls.claim_page(claim.id), around)

    def topic_chip(self, context: Any, topic_id: str) -> Markup:
        """A claim's topic as a linked chip, titled with the topic's Japanese name."""
        topic = self.checked.kb.topics[topic_id]

        def around() -> tuple[str, str]:
            return f"[{self.escape(topic.name_en)}](", f'){{ .kb-chip title="{attr(topic.name)}" }}'

        return self._around_link(context, ("topic", topic_id, False), urls.topic_page(topic_id), around)

    def quoted_title(self, claim: Claim) -> str:
        """The title a quoted span of the transcript shows when pointed at: the claim's English title."""
        return claim.title_en


class EnglishClaimPage(ClaimPage):
    """The claim page of the English edition: English title, summary and notes first; the quotes
    verbatim in Japanese, marked as such."""

    def front_matter(self, claim: Claim) -> str:
        """The page's description: its status and English summary."""
        status = self.ui("text.status_bracket", status=self.words["status"][self.index.reviews[claim.id].status])
        return f"---\ndescription: {yaml_string(f'{status} {claim.summary_en}')}\n---\n\n"

    def heading(self, context: Any, claim: Claim) -> str:
        """The English title, the status line, the Japanese title and both summaries, terms linked."""
        linked = self.snippets.linked
        return (f'# {linked(context, claim.title_en, claim, "en")}\n\n'
                f"{self.status_line(claim)}\n\n"
                f'{linked(context, claim.title, claim)}\n{{ .kb-title-ja lang="ja" }}\n\n'
                f'{linked(context, claim.summary_en, claim, "en")}\n{{ .kb-summary }}\n\n'
                f'{linked(context, claim.summary, claim)}\n{{ .kb-summary-ja lang="ja" }}\n\n')

    def status_line(self, claim: Claim) -> str:
        """The status badge and why, linking to the annotation that says so."""
        review = self.index.reviews[claim.id]
        esc = self.escape
        if review.annotation is None:
            reason = esc(self.words["status_meaning"][review.status])
        else:
            anchor = urls.annotation_anchor(review.annotation)
            note = self.ui("claim_page.annotation_link", number=review.annotation)
            reason = f"{self.finding(claim, review.annotation)} → [{note}](#{anchor})"
        return (f"{self.snippets.status_chip(review.status, explained=True)} {reason}\n"
                f"{{ #{urls.STATUS_ANCHOR} .kb-status-line }}")

    def finding(self, claim: Claim, number: int) -> str:
        """What the review found, as the annotation `number` says it in English."""
        note = claim.annotations[number - 1]
        english = note.finding_en
        return str(self.escape(english)) if english else japanese(note.finding or "", self.escape)

    def facts(self, context: Any, claim: Claim) -> str:
        """Speaker, kind, topics, primary source and id, as a definition list."""
        esc = self.escape
        speaker = self.checked.kb.speakers[claim.speaker]
        name_ja = f" {japanese(speaker.name_ja, esc, classes='kb-muted')}" if speaker.name_ja else ""
        topics = " ".join(self.snippets.topic_chip(context, topic_id) for topic_id in claim.topics)
        return ('<dl class="kb-facts" markdown>\n'
                f"<dt>{self.ui('claim_page.speaker')}</dt>\n"
                f"<dd markdown>[{esc(speaker_name(speaker))}]({link(context, urls.speaker_page(speaker.id))}){name_ja}</dd>\n"
                f"<dt>{self.ui('claim_page.kind')}</dt>\n"
                f"<dd markdown>{self.snippets.kind_chip(claim.kind)}</dd>\n"
                f"<dt>{self.ui('claim_page.topics')}</dt>\n"
                f"<dd markdown>{topics}</dd>\n"
                f"{self.primary_source_fact(claim)}"
                "<dt>ID</dt>\n"
                f"<dd markdown>`{safe_id(claim.id)}`</dd>\n"
                "</dl>\n\n")

    def primary_source_fact(self, claim: Claim) -> str:
        """The fact row naming the primary source the claim traces to, if any."""
        if claim.primary_source is None:
            return ""
        primary = next(p for q in claim.quotes for p in self.checked.kb.sources[q.source].meta.primary_sources
                       if p.id == claim.primary_source)
        return (f"<dt>{self.ui('claim_page.primary_source')}</dt>\n"
                f"<dd markdown>{self.snippets.dated_link(primary.title_en, primary.published, primary.url)}</dd>\n")

    def citation(self, claim: Claim) -> ClaimCitation:
        """The claim's citation in English, linking to its English page."""
        return claim_citation(self.checked.kb, claim, self.site_url, self.ui, english=True)

    def quote_block(self, context: Any, claim: Claim, index: int, number: int, quote: Quote) -> str:
        """One quote, verbatim in Japanese, with its place in the source and its own link."""
        esc = self.escape
        paragraph = self.checked.quote_spans[(claim.id, index)].paragraph
        in_context = link(context, urls.paragraph_link(quote.source, paragraph))
        anchor = urls.quote_anchor(number)
        gloss = quote.voice == "gloss"
        label = (f'<span class="kb-voice {css_class("voice", "gloss")}">{esc(self.words["voice"]["gloss"])}</span> · '
                 if gloss else "")
        classes = f"kb-quote kb-quote--{safe_id(quote.voice)}" if gloss else "kb-quote"
        corrections = self.index.corrections_in_paragraph(quote.source, paragraph)
        source_title = esc(self.checked.kb.sources[quote.source].meta.title_en)
        return (
            f'<div class="{classes}" id="{anchor}" markdown>\n\n> '
            f"{self.snippets.marked_text(context, quote.text, corrections)}\n"
            '{ lang="ja" }\n\n'
            f'{label}[{self.ui("claim_page.in_context")} ¶{paragraph} <span class="kb-in-context-source">{source_title}'
            f"</span>]({in_context}){{ .kb-in-context }} · [{self.ui('claim_page.quote_link', number=number)}]"
            f"(#{anchor}){{ .kb-quote-link }}"
            "\n\n</div>\n\n"
        )

    def glosses_heading(self, claim: Claim) -> str:
        """The heading and note that set a claim's glosses apart."""
        kb = self.checked.kb
        narrators = {kb.sources[q.source].meta.narrator for q in claim.quotes if q.voice == "gloss"}
        names = self.ui("text.list_separator").join(speaker_name(kb.speakers[n]) for n in sorted(n for n in narrators if n))
        esc = self.escape
        intro = self.ui("claim_page.glosses_intro", speaker=esc(speaker_name(kb.speakers[claim.speaker])), narrators=esc(names))
        return (f"### {esc(self.words['voice']['gloss'])} {{ #glosses .kb-glosses }}\n\n"
                f"{intro}\n"
                "{ .kb-gloss-intro }\n\n")

    def removed_reason(self, removed: RemovedQuote) -> str:
        """Why a quote was removed, in English when the record says it in English."""
        english = removed.reason_en
        return str(self.escape(english)) if english else japanese(removed.reason, self.escape)

    def annotation_text(self, context: Any, note: Annotation, claim: Claim) -> str:
        """An annotation's English text, glossary terms linked."""
        english = note.text_en
        if english:
            return str(self.snippets.linked(context, english, claim, "en"))
        return f'<div lang="ja" markdown>\n\n{self.snippets.linked(context, note.text, claim)}\n\n</div>'

    def relation_group(self, context: Any, labels: str, kind: str, claims: list[Claim]) -> str:
        """One kind of relation: a heading and the related claims as a list."""
        items = "".join(f"{self.snippets.related_item(context, other)}\n" for other in claims)
        return (f"**{self.escape(self.words[labels][kind])}**\n"
                f"{{ .kb-relation-heading .kb-rel-{safe_id(kind)} }}\n\n{items}\n")

    def terms(self, context: Any, claim: Claim) -> str:
        """The glossary terms the claim uses, with their English definitions."""
        if not claim.terms:
            return ""
        esc = self.escape
        out = [f"## {self.ui('claim_page.terms')} {{ #terms }}\n\n"]
        for term_id in claim.terms:
            term = self.checked.kb.terms[term_id]
            name_ja = f" {japanese(term.term, esc)}" if term.en != term.term else ""
            definition = esc(term.definition_en) if term.definition_en else japanese(term.definition, esc)
            out.append(f"- **{self.snippets.term_link(context, term)}**{name_ja} — {definition}\n")
        return "".join(out)

