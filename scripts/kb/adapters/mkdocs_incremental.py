"""Incremental rebuilds under `mkdocs serve`: after an edit of the records, only the pages it changed
go through MkDocs' page pipeline again.

MkDocs glue. It keeps what the last full build made (configuration, files, navigation, template
environment, the generated pages, the cards and files written) and drives MkDocs' own page stages
(`_populate_page`, `_build_page`, `_build_theme_template` and the anchor check of `mkdocs.commands.build`, MkDocs 1.x: the
incremental-build tests fail if they change). What changed is decided by `kb.output.incremental`,
which knows no engine.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, copy_file

from ..exports.exports import write_files
from ..output.generated import GeneratedSite
from ..output.incremental import BuiltCard, SiteChanges, WrittenFiles
from ..search.search_site import SearchIndexState


@dataclass
class ServedBuild:
    """What the last full build under `mkdocs serve` left, for rebuilding only what an edit changed."""

    config: MkDocsConfig
    files: Files
    nav: Any
    env: Any
    """The theme's template environment, made on the first incremental rebuild as a build makes it."""
    generated: GeneratedSite
    """What MkDocs was given (or the last incremental rebuild wrote)."""
    cards: dict[str, BuiltCard]
    """Each page's link-preview card as printed."""
    written: WrittenFiles
    """The JSON exports as written."""
    engine_inputs: tuple
    """`engine_inputs` when that build started: any change there needs a full build."""
    search_index: SearchIndexState | None = None
    """The search index as written (`write_search_index` updates it for the changed documents)."""


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
    """Give MkDocs the new generated files and Markdown, remove what is no longer made, render and write
    `pages` (with every page added), check every page's anchors again (as a strict build would, stopping
    on warnings), then write the sitemap when pages came or went, and the new redirects and images.

    The plugin's events run as in a full build (its cards and search exclusion included)."""
    config, before = served.config, served.generated
    if served.env is None:
        served.env = config.plugins.on_env(config.theme.get_env(), config=config, files=served.files)
    gone = [_file_of(served.files, path).abs_dest_path for path in changes.removed_pages + changes.removed_files]
    if changes.reshaped or changes.redirects or changes.images or changes.removed_files:
        served.files = regenerated_files(served.files, before, generated, config)
    files = served.files
    for path in changes.pages:
        _file_of(files, path).content_string = generated.pages[path]
    for path in gone:
        _remove_output(path, config.site_dir)
    chosen = [_page_of(files, path, config) for path in sorted({*pages, *changes.added_pages})]
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    if config.strict:
        mkdocs_log.addHandler(counter)
    try:
        for page in chosen:
            _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in chosen:
            _build_page(page, config, doc_files, served.nav, served.env, excluded=page.file.inclusion.is_excluded())
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if changes.reshaped:  # the sitemap lists every page
            for template in config.theme.static_templates:
                _build_theme_template(template, served.env, files, config, served.nav)
        if counts := counter.get_counts():
            raise Abort("Aborted with " + ", ".join(f"{v} {k.lower()}s" for k, v in counts) + " in strict mode!")
    finally:
        mkdocs_log.removeHandler(counter)
    site = Path(config.site_dir)
    write_files(site, changes.redirects.items())
    for path, image in changes.images.items():
        copy_file(os.fspath(image), os.fspath(site / path))


def rebuild_first(served: ServedBuild, markdown: dict[str, str]) -> list[str]:
    """Build ahead of the rest the pages of `markdown` (path to its new Markdown) that the last build made and
    whose Markdown changed, with the last build's navigation and cards; returns their paths. They are
    recorded as built (`served.generated`), so the rest of the edit builds them again only if their
    link-preview card changed (`pages_with_new_cards`), and an edit that puts the old text back builds
    them again even if the rest was stopped."""
    config, files = served.config, served.files
    if served.env is None:
        served.env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    chosen = [path for path, text in markdown.items() if path in served.generated.pages and served.generated.pages[path] != text]
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for path in chosen:
        file = _file_of(files, path)
        file.content_string = markdown[path]
        page = _page_of(files, path, config)
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, served.nav, served.env, excluded=file.inclusion.is_excluded())
    served.generated = replace(served.generated, pages={**served.generated.pages, **{path: markdown[path] for path in chosen}})
    return chosen


def regenerated_files(files: Files, before: GeneratedSite, after: GeneratedSite, config: MkDocsConfig) -> Files:
    """MkDocs' files with the generated files of `after` in its order, as `add_generated` lists them in a
    full build, keeping the file (and its rendered page) of every page that stays."""
    made_before = before.pages.keys() | before.redirects.keys() | before.images.keys()
    kept = {file.src_uri: file for file in files if file.src_uri in before.pages}
    result = Files([file for file in files if file.src_uri not in made_before])
    for path, markdown in after.pages.items():
        result.append(kept.get(path) or File.generated(config, path, content=markdown))
    for path, html in after.redirects.items():
        result.append(File.generated(config, path, content=html))
    for path, image in after.images.items():
        result.append(File.generated(config, path, abs_src_path=str(image)))
    set_exclusions(result, config)
    return result


def _remove_output(path: str, site_dir: str) -> None:
    """Remove a built file no longer made, and its folders left empty (as a full build would not make them)."""
    if os.path.exists(path):
        os.remove(path)
    folder = os.path.dirname(path)
    while os.path.abspath(folder) != os.path.abspath(site_dir) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)


def _file_of(files: Files, path: str) -> File:
    file = files.get_file_from_path(path)
    assert file is not None, path
    return file


def _page_of(files: Files, path: str, config: MkDocsConfig) -> Page:
    """The page of a generated Markdown file, made as a full build makes one outside the nav."""
    file = _file_of(files, path)
    return file.page if file.page is not None else Page(None, file, config)
