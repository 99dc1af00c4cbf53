"""Incremental rebuilds under `mkdocs serve`: after an edit of the records, only the pages it changed
go through MkDocs' page pipeline again, and only changed exports and search-index files are written.

MkDocs glue. It keeps what the last full build made (configuration, files, navigation, template
environment, the generated pages, the cards and files written) and drives MkDocs' own page stages
(`_populate_page`, `_build_page` and the anchor check of `mkdocs.commands.build`, MkDocs 1.x: the
incremental-build tests fail if they change). What changed is decided by `kb.output.incremental`,
which knows no engine.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import CountHandler

from ..exports.exports import write_files
from ..output.generated import GeneratedSite
from ..output.incremental import BuiltCard, SiteChanges, WrittenFiles


@dataclass
class ServedBuild:
    """What the last full build under `mkdocs serve` left, for rebuilding only what an edit changed."""

    config: MkDocsConfig
    files: Files
    nav: Any
    env: Any
    generated: GeneratedSite
    """What MkDocs was given (or the last incremental rebuild wrote)."""
    cards: dict[str, BuiltCard]
    """Each page's link-preview card as printed."""
    written: WrittenFiles
    """Exports and search index as written."""
    engine_inputs: tuple
    """`engine_inputs` when that build started: any change there needs a full build."""


def engine_inputs(config: MkDocsConfig) -> tuple:
    """Names, sizes, modification and change times of everything MkDocs reads besides our records:
    mkdocs.yml, the docs folder, the theme's custom folder and any other watched path."""
    roots = [config.config_file_path, config.docs_dir, config.theme.custom_dir, *config.watch]
    return tuple(entry for root in roots if root for entry in _stats(os.fspath(root)))


def _stats(root: str) -> Iterator[tuple[str, int, int, int]]:
    paths = [root] if not os.path.isdir(root) else [
        os.path.join(folder, name) for folder, _, names in sorted(os.walk(root)) for name in sorted(names)]
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            yield path, -1, -1, -1
            continue
        yield path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def rebuild_pages(served: ServedBuild, changes: SiteChanges, generated: GeneratedSite, pages: list[str]) -> None:
    """Give MkDocs the changed Markdown, render and write `pages`, check every page's anchors again (as a
    strict build would, stopping on warnings), then write the changed redirects and preview images.

    The plugin's events run as in a full build (its cards and search exclusion included)."""
    config, files = served.config, served.files
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    if config.strict:
        mkdocs_log.addHandler(counter)
    try:
        for path in changes.pages:
            file = files.get_file_from_path(path)
            assert file is not None
            file.content_string = generated.pages[path]
        chosen = [_page_of(files, path) for path in pages]
        for page in chosen:
            _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in chosen:
            _build_page(page, config, doc_files, served.nav, served.env, excluded=page.file.inclusion.is_excluded())
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if counts := counter.get_counts():
            raise Abort("Aborted with " + ", ".join(f"{v} {k.lower()}s" for k, v in counts) + " in strict mode!")
    finally:
        mkdocs_log.removeHandler(counter)
    site = Path(config.site_dir)
    write_files(site, changes.redirects.items())
    for path, image in changes.images.items():
        shutil.copyfile(image, site / path)


def _page_of(files: Files, path: str) -> Any:
    file = files.get_file_from_path(path)
    assert file is not None and file.page is not None, path
    return file.page
