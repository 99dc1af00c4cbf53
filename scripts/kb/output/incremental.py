"""What an edit of the records changed in a built site: the engine-free half of incremental rebuilds.

While serving, every save renders the whole knowledge base in memory again (cheap) and compares the
result with what the last build was given: only the pages whose Markdown or link-preview card
changed need the engine again, and only the exports and search-index files whose bytes changed
need writing. A change of the site's shape (a page, redirect or preview image added or removed)
is reported as a reason for a full build: the engine's navigation and file list depend on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..exports.exports import write_files
from ..site.citation import PageCard, SiteCards
from .generated import GeneratedSite


@dataclass
class SiteChanges:
    """How one generated site differs from the one built before it."""

    pages: list[str] = field(default_factory=list)
    """Generated pages whose Markdown changed, by Markdown path."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Redirect pages whose HTML changed, by path."""
    images: dict[str, Path] = field(default_factory=dict)
    """Preview images drawn anew (another file in the cache), by site path."""
    reshaped: str | None = None
    """Why only a full build will do (paths added or removed), None when the changes above are all."""


def site_changes(before: GeneratedSite, after: GeneratedSite) -> SiteChanges:
    """The pages, redirects and images of `after` that differ from `before`, or why the site's shape changed."""
    for what, old, new in (("page", before.pages, after.pages), ("redirect", before.redirects, after.redirects),
                           ("preview image", before.images, after.images)):
        reshaped = _reshaped(what, old.keys(), new.keys())
        if reshaped:
            return SiteChanges(reshaped=reshaped)
    return SiteChanges(
        pages=_changed(before.pages, after.pages),
        redirects={path: after.redirects[path] for path in _changed(before.redirects, after.redirects)},
        images={path: after.images[path] for path in _changed(before.images, after.images)},
    )


def _reshaped(what: str, old: Iterable[str], new: Iterable[str]) -> str | None:
    """A sentence naming the paths added and removed, None when both sets are the same."""
    old_paths, new_paths = set(old), set(new)
    if old_paths == new_paths:
        return None
    parts = [f"{label} {', '.join(sorted(paths)[:3])}{' …' if len(paths) > 3 else ''}"
             for label, paths in (("added", new_paths - old_paths), ("removed", old_paths - new_paths)) if paths]
    return f"{what}s {'; '.join(parts)}"


def _changed(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    return sorted(path for path, value in new.items() if old[path] != value)


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
    """The files our build wrote into a site after the engine (exports, search index), as last written,
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
