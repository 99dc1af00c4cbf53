"""What an edit of the records changed in a built site: the engine-free half of incremental rebuilds.

While serving, every save renders the whole knowledge base in memory again (cheap) and compares the
result with what the last build was given: only the pages whose Markdown or link-preview card
changed need the engine again, and only the JSON exports whose bytes changed need writing. Pages, redirects and images added or removed (a claim added, removed or renamed) are
named too, for the engine's file list and sitemap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..exports.exports import write_files
from ..records.knowledge import KnowledgeBase
from ..site import urls
from ..site.citation import PageCard, SiteCards
from ..site.edition import counterparts
from .generated import GeneratedSite


@dataclass
class SiteChanges:
    """How one generated site differs from the one built before it."""

    pages: list[str] = field(default_factory=list)
    """Generated pages whose Markdown changed, by Markdown path."""
    added_pages: list[str] = field(default_factory=list)
    """Generated pages that are new (a claim added or renamed)."""
    removed_pages: list[str] = field(default_factory=list)
    """Generated pages no longer made."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Redirect pages new or with new HTML, by path."""
    images: dict[str, Path] = field(default_factory=dict)
    """Preview images new or drawn anew (another file in the cache), by site path."""
    removed_files: list[str] = field(default_factory=list)
    """Redirect pages and preview images no longer made, by site path."""

    @property
    def reshaped(self) -> bool:
        """Whether pages came or went: the engine's file list and sitemap change too."""
        return bool(self.added_pages or self.removed_pages)


def site_changes(before: GeneratedSite, after: GeneratedSite) -> SiteChanges:
    """The pages, redirects and images of `after` that are new or differ from `before`, and those gone."""
    return SiteChanges(
        pages=_changed(before.pages, after.pages),
        added_pages=sorted(after.pages.keys() - before.pages.keys()),
        removed_pages=sorted(before.pages.keys() - after.pages.keys()),
        redirects={path: after.redirects[path] for path in _new_or_changed(before.redirects, after.redirects)},
        images={path: after.images[path] for path in _new_or_changed(before.images, after.images)},
        removed_files=sorted((before.redirects.keys() - after.redirects.keys()) | (before.images.keys() - after.images.keys())),
    )


def _changed(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """Paths in both whose value differs."""
    return sorted(path for path, value in new.items() if path in old and old[path] != value)


def _new_or_changed(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    return sorted(path for path, value in new.items() if old.get(path) != value)


FIRST_PAGES_AT_MOST = 8
"""More edited records' pages than this (a checkout, a search-and-replace) are not built ahead of the rest."""


def edited_record_pages(before: KnowledgeBase, after: KnowledgeBase) -> list[str]:
    """The pages, in both editions, of the records an edit changed that existed before it (a claim's page for
    a claim, the glossary for a term, a topic's, speaker's or source's page): the pages an editor looking at
    what they edit waits for, built first. Empty when there are more than FIRST_PAGES_AT_MOST, and when
    records came or went (a page built first would link pages the engine does not have yet)."""
    kinds = ("claims", "terms", "topics", "speakers", "sources")
    if any(getattr(before, kind).keys() != getattr(after, kind).keys() for kind in kinds):
        return []

    def edited(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
        return [key for key, value in new.items() if key in old and old[key] is not value and old[key] != value]

    roots = [urls.claim_page(key) for key in edited(before.claims, after.claims)]
    roots += [urls.GLOSSARY_PAGE] if edited(before.terms, after.terms) else []
    roots += [urls.topic_page(key) for key in edited(before.topics, after.topics)]
    roots += [urls.speaker_page(key) for key in edited(before.speakers, after.speakers)]
    old_sources = {key: source.meta for key, source in before.sources.items()}
    roots += [urls.source_page(key) for key in edited(old_sources, {k: s.meta for k, s in after.sources.items()})]
    pages = [page for root in roots for page in counterparts(root).values()]
    return pages if len(pages) <= FIRST_PAGES_AT_MOST else []


@dataclass(frozen=True)
class BuiltCard:
    """A page's link-preview card as the last build printed it, with what it was made from."""

    card: PageCard
    title: str | None
    description: str | None


def pages_with_new_cards(built: Mapping[str, BuiltCard], cards: SiteCards, skip: Iterable[str] = ()) -> list[str]:
    """Pages (outside `skip`, which are rebuilt anyway) whose card, made from the same title and
    description, differs under `cards`: a claim's status or speaker shown in its preview, say."""
    skipped = set(skip)
    return sorted(path for path, old in built.items()
                  if path not in skipped and cards.for_page(path, old.title, old.description) != old.card)


class WrittenFiles:
    """Files our build wrote into a site after the engine (the JSON exports), as last written,
    so that the next build writes only those whose bytes changed and removes those no longer made."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)

    def update(self, site: Path, files: Mapping[str, bytes]) -> list[str]:
        """Write into `site` the files that differ from the last written, remove the ones gone; the paths touched."""
        changed = sorted(path for path, data in files.items() if self.files.get(path) != data)
        gone = sorted(self.files.keys() - files.keys())
        write_files(site, ((path, files[path]) for path in changed))
        for path in gone:
            os.remove(site / path)
        self.files = dict(files)
        return changed + gone
