"""The page of one claim, the page readers paste into discussions, as small named parts.

Written in Python, not as a template like the other pages: a site has one of these per claim, and
Jinja's cost per printed value and call (the context lookups, `finalize`, the loop objects) was half
of each one's rendering. Values are escaped as the templates escape them (`finalize`, `attr`,
`safe_id`, `safe_url`, `yaml_string`) and the snippets are the same `Snippets` methods. The golden
files hold its bytes, `tests/test_claim_page.py` its sections for claims of every shape.

The page, top to bottom: front matter, title, breadcrumb, status line, the title in the other
language, summaries, facts, citation buttons, quotes (the speaker's, then the narrator's glosses,
then removed ones), annotations, related claims, backlinks, terms, the topics' previous and next.

One page for both editions: the edition (`snippets.edition`) says which record fields come first
(`Edition.text`) and which beside them, marked with their `lang` (`Snippets.beside`), and whether
interface words get an English gloss (`gloss`). Quotes stay verbatim Japanese in both.
"""

from __future__ import annotations

import itertools
from typing import Any

import jinja2

from ..checks.check import CheckedKnowledgeBase
from ..records.model import Annotation, Claim, Quote, RemovedQuote
from ..records.vocabulary import css_class
from . import urls
from .citation import ClaimCitation, claim_citation
from .escape import attr, safe_id, safe_url, yaml_string
from .keptpages import KeptPages
from .labels import ADMONITION
from .siteindex import Backlink
from .snippets import Snippets
from .templating import link


def _relation_kind(relation: Any) -> str:
    return relation.relation


class ClaimPage:
    """Writes the claim pages of one edition with the snippets, escaping and Jinja environment of one build."""

    def __init__(self, checked: CheckedKnowledgeBase, snippets: Snippets, env: jinja2.Environment,
                 site_url: str, kept: KeptPages | None = None) -> None:
        """`kept`: the pages as last rendered, reused where a claim's `inputs` are unchanged (while serving)."""
        self.checked = checked
        self.kept = kept
        self.snippets = snippets
        self.index = snippets.index
        self.escape = snippets.escape
        self.edition = snippets.edition
        self.ui = snippets.ui
        self.words = snippets.labels
        self.env = env
        self.site_url = site_url
        self._fixed: dict[tuple[str, ...], str] = {}
        """Parts that are the same on every claim page (fact names, buttons), made once."""

    def page(self, claim: Claim, page_src: str) -> str:
        """The page of `claim`, as Markdown; `page_src` is the path links are made relative to."""
        if self.kept is None:
            return self.rendered(claim, page_src)
        key = (self.edition.language, self.site_url, page_src)
        return self.kept.page(key, self.inputs(claim), lambda: self.rendered(claim, page_src))

    def inputs(self, claim: Claim) -> tuple[object, ...]:
        """Everything the page of `claim` is made from besides the edition and the site's address: pages
        of equal inputs are equal. Any record or figure a part of the page reads must be here (the
        incremental-build tests compare every page kept with a fresh rendering after random edits)."""
        kb, index = self.checked.kb, self.index
        related = tuple(kb.claims[relation.id] for relation in claim.related)
        backlinks = tuple(index.backlinks.get(claim.id, ()))
        sources = tuple(kb.sources[quote.source].meta for quote in claim.quotes)
        spans = tuple(self.checked.quote_spans[(claim.id, number)] for number in range(len(claim.quotes)))
        corrections = tuple(tuple(index.corrections_in_paragraph(quote.source, span.paragraph))
                            for quote, span in zip(claim.quotes, spans))
        others = (*related, *(backlink.claim for backlink in backlinks))
        speakers = {claim.speaker, *(other.speaker for other in others),
                    *(source.narrator for source in sources if source.narrator)}
        return (claim, related, backlinks, sources, spans, corrections,
                tuple(kb.speakers[speaker] for speaker in sorted(speakers)),
                tuple(kb.terms[term] for term in claim.terms),
                tuple((kb.topics[topic], *self.neighbours(claim, topic)) for topic in claim.topics))

    def neighbours(self, claim: Claim, topic_id: str) -> tuple[Claim | None, Claim | None, int, int]:
        """The claims before and after `claim` in the topic's reading order (None at either end), its
        place (from 0) and the number of claims in the topic."""
        claims = self.index.claims_by_topic.get(topic_id, [])
        at = self.index.place_in_topic(topic_id, claim.id)
        return (claims[at - 1] if at > 0 else None, claims[at + 1] if at + 1 < len(claims) else None,
                at, len(claims))

    def rendered(self, claim: Claim, page_src: str) -> str:
        """The page of `claim` rendered anew."""
        context = jinja2.runtime.new_context(self.env, "claim page", {}, {"page_src": page_src})
        return "".join((
            self.front_matter(claim),
            self.heading(context, claim),
            self.facts(context, claim),
            self.citation_buttons(claim),
            self.quotes(context, claim),
            self.annotations(context, claim),
            self.related(context, claim),
            self.backlinks(context, claim),
            self.terms(context, claim),
            self.topic_navigation(context, claim),
        ))

    def breadcrumb(self, context: Any, claim: Claim) -> str:
        """Where the page sits, under its title (MkDocs takes a page's title from its first element
        only): the claims list, then the claim's first topic."""
        topic = self.checked.kb.topics[claim.topics[0]]
        return (f'<nav class="kb-breadcrumb" aria-label="{attr(self.ui("claim_page.breadcrumb"))}" markdown>\n'
                f"[{self.ui('claims.title')}]({link(context, urls.CLAIMS_PAGE)}) › "
                f"[{self.escape(self.edition.text(topic, 'name'))}]({link(context, urls.topic_page(topic.id))})\n</nav>\n\n")

    def topic_navigation(self, context: Any, claim: Claim) -> str:
        """For each topic of the claim, the claims before and after it in the topic's reading order,
        their titles and the topic's name in the edition's language."""
        out = []
        esc, text = self.escape, self.edition.text
        for topic_id in claim.topics:
            before, after, at, count = self.neighbours(claim, topic_id)
            topic = self.checked.kb.topics[topic_id]
            steps = [(before, "claim_page.previous", "kb-previous")] if before is not None else []
            steps += [(after, "claim_page.next", "kb-next")] if after is not None else []
            links = "".join(f'<span class="kb-step {name}-step"><span class="kb-step-name">{self.ui(word)}</span> '
                            f"[{esc(text(other, 'title'))}]({link(context, urls.claim_page(other.id))}){{ .{name} }}</span>\n"
                            for other, word, name in steps)
            name = text(topic, "name")
            topic_link = f"[{esc(name)}]({link(context, urls.topic_page(topic_id))})"
            label = self.ui("claim_page.topic_navigation", topic=name)
            place = self.ui("claim_page.in_topic", topic=topic_link, number=at + 1, count=count)
            out.append(f'\n<nav class="kb-topic-nav" aria-label="{attr(label)}" markdown>\n'
                       f'<span class="kb-topic-nav-name">{place}</span>\n{links}</nav>\n\n')
        return "".join(out)

    def front_matter(self, claim: Claim) -> str:
        """The page's description: its status and summary (link previews, search engines)."""
        status = self.ui("text.status_bracket", status=self.words["status"][self.index.reviews[claim.id].status])
        summary = self.edition.text(claim, "summary")
        return f"---\ndescription: {yaml_string(f'{status} {summary}')}\n---\n\n"

    def heading(self, context: Any, claim: Claim) -> str:
        """The title, the breadcrumb, the status line, the title in the other language and both
        summaries, terms linked; the other language's text marked with its `lang`."""
        linked, edition = self.snippets.linked, self.edition
        language, other = edition.language, edition.beside_language
        title, title_beside = edition.both(claim, "title")
        summary, summary_beside = edition.both(claim, "summary")
        return (f"# {linked(context, title, claim, language)} {{ #{urls.CLAIM_TITLE_ANCHOR} }}\n\n"
                f"{self.breadcrumb(context, claim)}"
                f"{self.status_line(claim)}\n\n"
                f'{linked(context, title_beside, claim, other)}\n{{ .kb-title-{other} lang="{other}" }}\n\n'
                f"{linked(context, summary, claim, language)}\n{{ .kb-summary }}\n\n"
                f'{linked(context, summary_beside, claim, other)}\n{{ .kb-summary-{other} lang="{other}" }}\n\n')

    def gloss(self, text: object, classes: str = "") -> str:
        """Markup `text`, the English of an interface word, after it (with a space) in an edition that
        glosses them (`Edition.glossed`); nothing in another."""
        if not self.edition.glossed:
            return ""
        return f' <span class="{classes}" lang="en">{text}</span>' if classes else f' <span lang="en">{text}</span>'

    def status_line(self, claim: Claim) -> str:
        """The line under a claim page's title: its status badge and why, linking to the annotation."""
        review = self.index.reviews[claim.id]
        esc, words = self.escape, self.words
        english = self.gloss(esc(words["status_en"][review.status]), "kb-muted")
        if review.annotation is None:
            reason = esc(words["status_meaning"][review.status])
        else:
            anchor = urls.annotation_anchor(review.annotation)
            note = self.ui("claim_page.annotation_link", number=review.annotation)
            finding = self.edition.text(claim.annotations[review.annotation - 1], "finding")
            reason = f"{esc(finding)} → [{note}](#{anchor})"
        return (f"{self.snippets.status_chip(review.status, explained=True)}{english} {reason}\n"
                f"{{ #{urls.STATUS_ANCHOR} .kb-status-line }}")

    def facts(self, context: Any, claim: Claim) -> str:
        """Speaker, kind, topics, primary source and id, as a definition list."""
        esc, edition = self.escape, self.edition
        speaker = self.checked.kb.speakers[claim.speaker]
        name_beside = edition.speaker_name_beside(speaker)
        beside = f" {self.snippets.beside(esc(name_beside), 'kb-muted')}" if name_beside else ""
        topics = " ".join(self.snippets.topic_chip(context, topic_id) for topic_id in claim.topics)
        speaker_link = f"[{esc(edition.speaker_name(speaker))}]({link(context, urls.speaker_page(speaker.id))})"
        return ('<dl class="kb-facts" markdown>\n'
                f"{self.fact_name('claim_page.speaker', 'claim_page.speaker_en')}"
                f"<dd markdown>{speaker_link}{beside}</dd>\n"
                f"{self.fact_name('claim_page.kind', 'claim_page.kind_en')}"
                f'<dd markdown>{self.snippets.kind_chip(claim.kind)}{self.gloss(esc(claim.kind), "kb-muted")}</dd>\n'
                f"{self.fact_name('claim_page.topics', 'claim_page.topics_en')}"
                f"<dd markdown>{topics}</dd>\n"
                f"{self.primary_source_fact(claim)}"
                "<dt>ID</dt>\n"
                f"<dd markdown>`{safe_id(claim.id)}`</dd>\n"
                "</dl>\n\n")

    def fact_name(self, name: str, name_en: str) -> str:
        """The name of a fact row (the catalogue's `name`), with its English gloss (`name_en`, `gloss`)."""
        part = self._fixed.get((name, name_en))
        if part is None:
            part = self._fixed[(name, name_en)] = f"<dt>{self.ui(name)}{self.gloss(self.ui(name_en))}</dt>\n"
        return part

    def primary_source_fact(self, claim: Claim) -> str:
        """The fact row naming the primary source the claim traces to, if any."""
        if claim.primary_source is None:
            return ""
        primary = next(p for q in claim.quotes for p in self.checked.kb.sources[q.source].meta.primary_sources
                       if p.id == claim.primary_source)
        return (f"{self.fact_name('claim_page.primary_source', 'claim_page.primary_source_en')}"
                f"<dd markdown>{self.snippets.dated_link(self.edition.text(primary, 'title'), primary.published, primary.url)}</dd>\n")

    def citation_buttons(self, claim: Claim) -> str:
        """The copy buttons: the claim's link and its citation in Markdown and in plain text."""
        citation = self.citation(claim)
        words = self._fixed.get(("cite",))
        if words is None:  # what kb-cite.js says on the quote buttons it adds and when copying fails
            ui = self.ui
            words = self._fixed[("cite",)] = (f' data-kb-quote-copy="{attr(ui("script.quote_copy"))}"'
                                              f' data-kb-quote-copied="{attr(ui("script.quote_copied"))}"'
                                              f' data-kb-failed="{attr(ui("script.copy_failed"))}"')
        return (f'<div class="kb-cite" data-kb-url="{attr(citation.url)}"{words}>\n'
                f"{self.copy_button(citation.url, 'claim_page.copy_link', 'claim_page.copied_link')}"
                f"{self.copy_button(citation.markdown, 'claim_page.copy_markdown', 'claim_page.copied_markdown')}"
                f"{self.copy_button(citation.plain, 'claim_page.copy_text', 'claim_page.copied_text')}"
                '<span class="kb-cite-status" role="status" aria-live="polite"></span>\n'
                "</div>\n\n\n")

    def citation(self, claim: Claim) -> ClaimCitation:
        """The claim's link and citation the copy buttons copy."""
        return claim_citation(self.checked.kb, claim, self.site_url, self.ui, english=self.edition.english)

    def copy_button(self, text: str, label: str, done: str) -> str:
        """A button copying `text`, labelled with the catalogue's `label`, saying `done` once it has."""
        end = self._fixed.get((label, done))
        if end is None:
            end = self._fixed[(label, done)] = f'data-kb-done="{attr(self.ui(done))}">{self.ui(label)}</button>\n'
        return f'<button type="button" class="md-button kb-copy" data-kb-copy="{attr(text)}" {end}'

    def quotes(self, context: Any, claim: Claim) -> str:
        """The quotes reporting the speaker, then the narrator's glosses, then where removed ones were."""
        out = [f"## {self.ui('claim_page.quotes')} {{ #quotes }}\n\n"]
        numbered = list(zip(range(len(claim.quotes)), claim.quote_numbers(), claim.quotes))
        out += [self.quote_block(context, claim, index, number, quote)
                for index, number, quote in numbered if quote.voice == "reported"]
        glosses = [(index, number, quote) for index, number, quote in numbered if quote.voice == "gloss"]
        if glosses:
            out.append(self.glosses_heading(claim))
            out += [self.quote_block(context, claim, index, number, quote) for index, number, quote in glosses]
        out += [self.removed_quote_block(removed) for removed in claim.removed_quotes]
        return "".join(out)

    def quote_block(self, context: Any, claim: Claim, index: int, number: int, quote: Quote) -> str:
        """One quote, verbatim (marked Japanese on the pages of another language), with its place in the
        source and its own link; a gloss is labelled."""
        esc = self.escape
        paragraph = self.checked.quote_spans[(claim.id, index)].paragraph
        in_context = link(context, urls.quote_span_link(quote.source, claim.id, number))
        anchor = urls.quote_anchor(number)
        gloss = quote.voice == "gloss"
        label = (f'<span class="kb-voice {css_class("voice", "gloss")}">{esc(self.words["voice"]["gloss"])}</span> · '
                 if gloss else "")
        classes = f"kb-quote kb-quote--{safe_id(quote.voice)}" if gloss else "kb-quote"
        corrections = self.index.corrections_in_paragraph(quote.source, paragraph)
        source_title = esc(self.edition.text(self.checked.kb.sources[quote.source].meta, "title"))
        japanese = "" if self.edition.language == "ja" else '\n{ lang="ja" }'
        return (
            f'<div class="{classes}" id="{anchor}" markdown>\n\n> '
            f"{self.snippets.marked_text(context, quote.text, corrections)}{japanese}\n\n"
            f'{label}[{self.ui("claim_page.in_context")} ¶{paragraph} <span class="kb-in-context-source">{source_title}'
            f"</span>]({in_context}){{ .kb-in-context }} · [{self.ui('claim_page.quote_link', number=number)}]"
            f"(#{anchor}){{ .kb-quote-link }}"
            "\n\n</div>\n\n"
        )

    def glosses_heading(self, claim: Claim) -> str:
        """The heading and note that set a claim's glosses apart from the quotes reporting its speaker."""
        kb = self.checked.kb
        narrators = {kb.sources[q.source].meta.narrator for q in claim.quotes if q.voice == "gloss"}
        name = self.edition.speaker_name
        names = self.ui("text.list_separator").join(name(kb.speakers[n]) for n in sorted(n for n in narrators if n))
        esc = self.escape
        intro = self.ui("claim_page.glosses_intro", speaker=esc(name(kb.speakers[claim.speaker])), narrators=esc(names))
        return (f"### {esc(self.words['voice']['gloss'])} {{ #glosses .kb-glosses }}\n\n"
                f"{intro}\n"
                "{ .kb-gloss-intro }\n\n")

    def removed_quote_block(self, removed: RemovedQuote) -> str:
        """Where a removed quote was: its anchor lands here, on why it was removed."""
        anchor = urls.quote_anchor(removed.number)
        return (f'<div class="kb-quote kb-quote--removed" id="{anchor}" markdown>\n\n'
                f"{self.ui('claim_page.quote_removed', number=removed.number)}{self.removed_reason(removed)}\n\n</div>\n\n")

    def removed_reason(self, removed: RemovedQuote) -> str:
        """Why a quote was removed."""
        return str(self.escape(self.edition.text(removed, "reason")))

    def annotations(self, context: Any, claim: Claim) -> str:
        """Each annotation as an admonition with its permanent anchor and its reference, if any; its
        heading the kind's label, glossed with the kind's (English) id in an edition that glosses."""
        if not claim.annotations:
            return ""
        esc = self.escape
        out = [f"## {self.ui('claim_page.annotations')} {{ #annotations }}\n\n"]
        for number, note in enumerate(claim.annotations, start=1):
            reference = (f"\n{self.ui('claim_page.reference')}: [{esc(note.reference.title)}](<{safe_url(note.reference.url)}>)\n"
                         if note.reference else "")
            kind_id = f" · {esc(note.kind)}" if self.edition.glossed else ""
            out.append(
                f"/// admonition | {esc(self.words['annotation'][note.kind])}{kind_id}\n"
                f"    type: {esc(ADMONITION[note.kind])}\n"
                f"    attrs: {{id: {urls.annotation_anchor(number)}, class: kb-note-{safe_id(note.kind)}}}\n\n"
                f"{self.annotation_text(context, note, claim)}\n{reference}///\n\n"
            )
        return "".join(out)

    def annotation_text(self, context: Any, note: Annotation, claim: Claim) -> str:
        """An annotation's text, glossary terms linked."""
        return str(self.snippets.linked(context, self.edition.text(note, "text"), claim, self.edition.language))

    def related(self, context: Any, claim: Claim) -> str:
        """The claims this one points at, grouped by relation."""
        if not claim.related:
            return ""
        claims = self.checked.kb.claims
        out = [f"## {self.ui('claim_page.related')} {{ #related }}\n\n"]
        for kind, relations in itertools.groupby(sorted(claim.related, key=_relation_kind), _relation_kind):
            out.append(self.relation_group(context, "relation", kind, [claims[relation.id] for relation in relations]))
        return "".join(out)

    def backlinks(self, context: Any, claim: Claim) -> str:
        """The claims pointing at this one, grouped by relation."""
        backlinks: list[Backlink] | None = self.index.backlinks.get(claim.id)
        if not backlinks:
            return ""
        out = [f"## {self.ui('claim_page.backlinks')} {{ #backlinks }}\n\n"]
        for kind, links in itertools.groupby(sorted(backlinks, key=_relation_kind), _relation_kind):
            out.append(self.relation_group(context, "backlink", kind, [backlink.claim for backlink in links]))
        return "".join(out)

    def relation_group(self, context: Any, labels: str, kind: str, claims: list[Claim]) -> str:
        """One kind of relation: a heading and the related claims as a list."""
        esc = self.escape
        items = "".join(f"{self.snippets.related_item(context, other)}\n" for other in claims)
        words = self.words
        return (f'**{esc(words[labels][kind])}**{self.gloss(esc(words[labels + "_en"][kind]), "kb-en")}\n'
                f"{{ .kb-relation-heading .kb-rel-{safe_id(kind)} }}\n\n{items}\n")

    def terms(self, context: Any, claim: Claim) -> str:
        """The glossary terms the claim uses, with their definitions."""
        if not claim.terms:
            return ""
        esc, edition = self.escape, self.edition
        out = [f"## {self.ui('claim_page.terms')} {{ #terms }}\n\n"]
        for term_id in claim.terms:
            term = self.checked.kb.terms[term_id]
            beside = f" {self.snippets.beside(esc(edition.term_name_beside(term)))}" if term.en != term.term else ""
            definition = esc(edition.text(term, "definition"))
            out.append(f"- **{self.snippets.term_link(context, term)}**{beside} — {definition}\n")
        return "".join(out)
