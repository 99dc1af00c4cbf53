"""What a reader needs to cite a claim: citation text, link-preview metadata and JSON-LD.

Pure functions of the checked records and the public site address; no MkDocs here. The MkDocs
plugin puts a `PageCard` in each page's `meta` (`kb render` writes its fields into the front
matter), read by `overrides/main.html`; the claim template prints a `ClaimCitation` through the
renderer's escaping.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks.check import CheckedKnowledgeBase
from ..records.knowledge import KnowledgeBase, LoadedSource
from ..records.model import Claim, Speaker
from ..records.review import claim_review
from . import urls
from .catalogue import JAPANESE, Catalogue, catalogue
from .edition import ENGLISH_EDITION, JAPANESE_EDITION, Edition, EditionTheme, edition_of, edition_prefix, root_path
from .escape import script_json
from .labels import labels
from .ogimage import Card, CardCache

SCHEMA_CONTEXT = "https://schema.org"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~#&])")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class ClaimCitation:
    """How to cite one claim: its permanent URL and ready-made citation lines."""

    url: str
    title: str
    speaker: str
    sources: tuple[str, ...]
    markdown: str
    plain: str


@dataclass(frozen=True)
class PageCard:
    """The link-preview metadata of one page (Open Graph, Twitter card, JSON-LD)."""

    title: str
    description: str
    url: str
    type: str
    image: str | None
    image_alt: str
    json_ld: str | None = None

    @property
    def twitter_card(self) -> str:
        """A large-image card when there is an image."""
        return "summary_large_image" if self.image else "summary"


def speaker_label(speaker: Speaker) -> str:
    """The speaker's name as a Japanese reader knows it."""
    return JAPANESE_EDITION.speaker_name(speaker)


def claim_sources(kb: KnowledgeBase, claim: Claim) -> list[LoadedSource]:
    """The sources a claim quotes, each once, in the order of its quotes."""
    ids = list(dict.fromkeys(quote.source for quote in claim.quotes))
    return [kb.sources[source_id] for source_id in ids]


def markdown_text(text: str) -> str:
    """Plain text made literal inside a Markdown link text: `&lt;` stays the four characters typed
    rather than becoming `<` wherever the citation is pasted."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def claim_citation(kb: KnowledgeBase, claim: Claim, site_url: str, ui: Catalogue = JAPANESE,
                   english: bool = False) -> ClaimCitation:
    """The permanent URL of a claim and its citation in plain text and in Markdown; `english`: the
    English edition's (English title, speaker and source names, the page under `en/`).

    The title is the editors' summary, not anyone's words: it is said to be one and never put in
    quotation marks (the source titles neither, for the same reason); the review status follows it
    in brackets."""
    edition = _edition(english)
    url = urls.absolute(site_url, edition.page(urls.claim_url(claim.id)))
    speaker = edition.speaker_name(kb.speakers[claim.speaker])
    title = edition.text(claim, "title")
    sources = claim_sources(kb, claim)
    titles = tuple(edition.text(source.meta, "title") for source in sources)
    status = ui("text.status_bracket", status=ui(f"vocabulary.status.{claim_review(claim).status}"))
    separator, source_word = ui("text.list_separator"), ui("citation.source")
    plain = f"{ui('citation.claim_of', speaker=speaker)}{title} {status}{source_word}{separator.join(titles)} {url}"
    markdown_sources = separator.join(
        f"[{markdown_text(name)}]({urls.absolute(site_url, edition.page(urls.page_url(urls.source_page(s.meta.id))))})"
        for s, name in zip(sources, titles)
    )
    markdown = (f"{ui('citation.claim_of', speaker=markdown_text(speaker))}[{markdown_text(title)}]({url}) "
                f"{status}{source_word}{markdown_sources}")
    return ClaimCitation(url, title, speaker, titles, " ".join(markdown.split()), " ".join(plain.split()))


def claim_json_ld(checked: CheckedKnowledgeBase, claim: Claim, site_url: str, site_name: str,
                  ui: Catalogue = JAPANESE, english: bool = False) -> dict[str, Any]:
    """A schema.org `Claim`: its text, speaker, where it appears (quotes in sources), annotations;
    `english`: the English edition's page (English text first, its addresses under `en/`)."""
    kb = checked.kb
    edition = _edition(english)
    absolute = lambda url: urls.absolute(site_url, edition.page(url))
    first, second = edition.both(claim, "title")
    url = absolute(urls.claim_url(claim.id))
    speaker = kb.speakers[claim.speaker]
    sources = claim_sources(kb, claim)
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Claim",
        "@id": url,
        "url": url,
        "name": first,
        "alternateName": second,
        "text": edition.text(claim, "summary"),
        "inLanguage": edition.language,
        "author": {
            "@type": "Person",
            "name": speaker.name,
            **({"alternateName": speaker.name_ja} if speaker.name_ja else {}),
            "url": absolute(urls.page_url(urls.speaker_page(speaker.id))),
        },
        "firstAppearance": _source_work(sources[0], absolute, edition),
        "appearance": [
            {
                "@type": "Quotation",
                "text": quote.text,
                "url": absolute(urls.paragraph_url(quote.source, checked.quote_spans[(claim.id, number)].paragraph)),
                "isPartOf": _source_work(kb.sources[quote.source], absolute, edition),
            }
            for number, quote in enumerate(claim.quotes)
            if quote.voice == "reported"  # a gloss is the narrator's words, not where the claim appears
        ],
        "about": [
            {"@type": "Thing", "name": edition.text(kb.topics[t], "name"), "url": absolute(urls.page_url(urls.topic_page(t)))}
            for t in claim.topics
        ],
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": absolute("")},
    }
    data["review"] = _claim_review(claim, url, site_name, absolute, ui, edition)
    if claim.annotations:
        data["comment"] = [
            {
                "@type": "Comment",
                "additionalType": note.kind,
                "text": edition.text(note, "text"),
                "url": absolute(urls.annotation_url(claim.id, number)),
                **({"citation": {"@type": "CreativeWork", "name": note.reference.title, "url": note.reference.url}}
                   if note.reference else {}),
            }
            for number, note in enumerate(claim.annotations, start=1)
        ]
    return data


def _edition(english: bool) -> Edition:
    """The edition of the English (or Japanese) pages."""
    return ENGLISH_EDITION if english else JAPANESE_EDITION


def _claim_review(claim: Claim, url: str, site_name: str, absolute: Callable[[str], str],
                  ui: Catalogue, edition: Edition) -> dict[str, Any]:
    """The editors' review as a schema.org `ClaimReview` of the claim. Its rating is the status as a
    name, with no number: the statuses say what the review found (a transcript corrected, a fact
    unverified), not a scale of truth."""
    review = claim_review(claim)
    finding = edition.text(claim.annotations[review.annotation - 1], "finding") if review.annotation else None
    explanation = finding if finding else ui(f"vocabulary.status_meaning.{review.status}")
    return {
        "@type": "ClaimReview",
        "url": absolute(urls.status_url(claim.id)),
        "claimReviewed": edition.text(claim, "title"),
        "itemReviewed": {"@id": url},
        "author": {"@type": "Organization", "name": site_name, "url": absolute("")},
        "reviewRating": {
            "@type": "Rating",
            "name": ui(f"vocabulary.status.{review.status}"),
            "alternateName": ui(f"vocabulary.status_en.{review.status}"),
            "ratingExplanation": explanation,
            **({"url": absolute(urls.annotation_url(claim.id, review.annotation))} if review.annotation else {}),
        },
    }


def _source_work(source: LoadedSource, absolute: Callable[[str], str], edition: Edition) -> dict[str, Any]:
    names = edition.both(source.meta, "title")
    return {
        "@type": "CreativeWork",
        "name": names[0],
        "alternateName": names[1],
        "inLanguage": source.meta.language,
        "url": absolute(urls.page_url(urls.source_page(source.meta.id))),
    }


def claim_preview(kb: KnowledgeBase, claim: Claim, site_name: str, kind_labels: dict[str, str],
                  ui: Catalogue = JAPANESE, english: bool = False) -> Card:
    """What the link-preview image of a claim shows: its title and speaker (`english`: the English
    edition's image, its English title)."""
    speaker = kb.speakers[claim.speaker]
    byline = (ui("citation.preview_byline_both", name_ja=speaker.name_ja, name=speaker.name) if speaker.name_ja
              else ui("citation.preview_byline", name=speaker.name))
    status = ui(f"vocabulary.status.{claim_review(claim).status}")
    footer = ui("citation.preview_kind", kind=kind_labels.get(claim.kind, claim.kind),
                url=_edition(english).page(urls.claim_url(claim.id)))
    return Card(site_name, _edition(english).text(claim, "title"), byline, footer, badge=ui("citation.preview_badge", status=status))


def site_preview(site_name: str, description: str, ui: Catalogue = JAPANESE) -> Card:
    """The link-preview image shared by every page that is not a claim."""
    return Card(site_name, description, ui("citation.site_preview_byline"), ui("citation.site_preview_footer"))


def preview_images(kb: KnowledgeBase, cache: CardCache, site_name: str, site_description: str,
                   kind_labels: dict[str, str]) -> dict[str, Path]:
    """Every preview image, drawn or taken from the cache: site path to image file."""
    images = {urls.SITE_IMAGE_URL: cache.image(site_preview(site_name, site_description))}
    for claim in sorted(kb.claims.values(), key=lambda c: c.id):
        image = images[urls.claim_image_url(claim.id)] = cache.image(claim_preview(kb, claim, site_name, kind_labels))
        for old in claim.former_ids:  # previews already unfurled from the former URL keep their image
            images[urls.claim_image_url(old)] = image
    return images


def english_preview_images(kb: KnowledgeBase, cache: CardCache, site_name: str, site_description: str,
                           ui: Catalogue) -> dict[str, Path]:
    """The English edition's preview images (`en/claims/<id>.png`, `en/assets/kb-card.png`): site path to file."""
    prefix = edition_prefix(True)
    images = {prefix + urls.SITE_IMAGE_URL: cache.image(site_preview(site_name, site_description, ui))}
    kinds = labels(ui)["kind"]
    for claim in sorted(kb.claims.values(), key=lambda c: c.id):
        image = images[prefix + urls.claim_image_url(claim.id)] = cache.image(
            claim_preview(kb, claim, site_name, kinds, ui, english=True))
        for old in claim.former_ids:
            images[prefix + urls.claim_image_url(old)] = image
    return images


class SiteCards:
    """The link-preview metadata of every page, from the records where a page shows one."""

    def __init__(self, checked: CheckedKnowledgeBase, site_url: str, site_name: str, site_description: str,
                 images: dict[str, Path], ui: Catalogue = JAPANESE) -> None:
        """`ui`: the string catalogue of the pages' language."""
        self.checked = checked
        self.ui = ui
        self.site_url = site_url
        self.site_name = site_name
        self.site_description = site_description
        self.images = images
        self.claims_by_page = {urls.claim_page(c.id): c for c in checked.kb.claims.values()}

    def image_url(self, path: str, prefix: str = "") -> str | None:
        """The absolute URL of a preview image when it was made, else the site card's (of the edition
        of `prefix`, else the Japanese one), else None."""
        for candidate in (path, prefix + urls.SITE_IMAGE_URL, urls.SITE_IMAGE_URL):
            if candidate in self.images:
                return urls.absolute(self.site_url, candidate)
        return None

    def for_page(self, src_uri: str, title: str | None, description: str | None) -> PageCard:
        """The card of the page built from the Markdown file `src_uri` (of either edition)."""
        url = urls.absolute(self.site_url, urls.page_url(src_uri))
        edition = edition_of(src_uri)
        english, prefix = edition.english, edition.prefix
        claim = self.claims_by_page.get(root_path(src_uri))
        if claim is not None:
            ui = catalogue(edition.language) if english else self.ui
            status = ui(f"vocabulary.status.{claim_review(claim).status}")
            speaker = edition.speaker_name(self.checked.kb.speakers[claim.speaker])
            claim_title = edition.text(claim, "title")
            return PageCard(
                title=claim_title,
                description=f"{ui('text.status_bracket', status=status)} {edition.text(claim, 'summary')}",
                url=url,
                type="article",
                image=self.image_url(prefix + urls.claim_image_url(claim.id), prefix),
                image_alt=ui("citation.preview_image_alt", title=claim_title, status=status, speaker=speaker),
                json_ld=script_json(claim_json_ld(self.checked, claim, self.site_url, self.site_name, ui, english)),
            )
        # the site's name and description in the page's edition (mkdocs.yml's are the Japanese edition's)
        site_name, site_description = (EditionTheme(self.site_url).english_card(self.checked.kb)[:2] if english
                                       else (self.site_name, self.site_description))
        # the home page's title in the navigation (「ホーム」) says nothing in a preview: the site's name does
        text_title = ("" if root_path(src_uri) == urls.HOME_PAGE else html.unescape(_TAG.sub("", title or "")).strip()) or site_name
        return PageCard(
            title=text_title,
            description=" ".join((description or site_description).split()),
            url=url,
            type="website",
            image=self.image_url(prefix + urls.SITE_IMAGE_URL, prefix),
            image_alt=site_name,
        )
