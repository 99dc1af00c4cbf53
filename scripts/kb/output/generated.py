"""Everything generated from the checked knowledge base that an engine builds pages from.

The MkDocs plugin hands these to MkDocs in memory; `kb render` writes them into a docs folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..checks.check import CheckedKnowledgeBase
from ..site.citation import SiteCards, english_preview_images, preview_images
from ..site.edition import EditionTheme
from ..site.keptpages import KeptPages
from ..site.ogimage import CardCache, card_cache
from ..site.redirects import redirect_pages
from ..site.render import LABELS, edition_pages


@dataclass(frozen=True)
class SiteInfo:
    """What the site says about itself: its public address, name and description."""

    url: str
    name: str
    description: str


@dataclass
class GeneratedSite:
    """The generated pages, redirect pages and preview images of one build, by site path."""

    pages: dict[str, str]
    """Markdown page path (`claims/<id>.md`): its Markdown."""
    redirects: dict[str, str]
    """HTML path of a former URL: the redirect page."""
    images: dict[str, Path]
    """Preview image path (`claims/<id>.png`): the image file in the cache."""
    cards: SiteCards
    """Link-preview data (Open Graph, JSON-LD) of every page."""


def preview_cache(cache_root: Path, previews: bool) -> CardCache | None:
    """Where link-preview images are drawn and kept, None when they are off; FontNotFound without a font."""
    from ..site.ogimage import cache_folder

    return card_cache(cache_folder(cache_root / "og-images")) if previews else None


def generated_site(checked: CheckedKnowledgeBase, site: SiteInfo, cache_root: Path,
                   cards: CardCache | None, with_pages: bool = True, kept: KeptPages | None = None) -> GeneratedSite:
    """Every generated page of both editions (none unless `with_pages`), redirect and preview image of the
    knowledge base; `kept`: pages as last rendered, reused where their inputs are unchanged."""
    pages = edition_pages(checked, site_url=site.url, cache=cache_root / "templates", kept=kept) if with_pages else {}
    redirects = redirect_pages(checked.kb, site.url)
    images = preview_images(checked.kb, cards, site.name, site.description, LABELS["kind"]) if cards else {}
    if cards:
        images.update(english_preview_images(checked.kb, cards, *EditionTheme(site.url).english_card(checked.kb)))
    return GeneratedSite(pages, redirects, images, SiteCards(checked, site.url, site.name, site.description, images))
