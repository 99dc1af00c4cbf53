"""MkDocs hooks: the thin glue between MkDocs and the knowledge-base core.

Configured in mkdocs.yml under `hooks:`. The knowledge-base folder is the folder of mkdocs.yml
unless the environment variable KB_DIR names another one.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation

from kb.adapters.gcpause import gc_paused
from kb.adapters.pipeline import load_and_check
from kb.adapters.servewatch import watch_knowledge_base
from kb.exports.exports import each_json_file, write_files
from kb.search.search_site import search_enabled, write_search_index
from kb.site.citation import SiteCards, english_preview_images, preview_images
from kb.site.edition import ENGLISH_EDITION, EditionTheme, NavEntry, unpaired_pages
from kb.site.ogimage import CardCache, FontNotFound, cache_folder, card_cache
from kb.site.redirects import redirect_pages
from kb.site.render import LABELS, edition_pages
from kb.site.urls import HOME_PAGE, site_url_problem

log = logging.getLogger("mkdocs.plugins.kb")
# Outside the "mkdocs" logger so that, while serving, reported problems do not count as strict-mode warnings.
serve_log = logging.getLogger("kb.serve")
if not serve_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    serve_log.addHandler(_handler)
    serve_log.propagate = False
_state: dict[str, Any] = {}
_mode: dict[str, str] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _mode["command"] = command


def knowledge_base_folder(config: MkDocsConfig) -> Path:
    """The folder holding claims/, glossary/, sources/, topics.yaml and speakers.yaml."""
    return Path(os.environ.get("KB_DIR") or Path(config.config_file_path).parent)


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """The string catalogue for the theme overrides (overrides/*.html)."""
    editions = EditionTheme(config.site_url or "")
    env.globals.update(editions.page_globals(HOME_PAGE))
    env.globals["kb_alternates"] = editions.url_alternates
    _state["env"] = env
    return env


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    check_site_url(config.site_url or "")
    _state["cards"] = preview_cache(config)
    _state["search"] = search_enabled(config.extra)
    checked, problems = load_and_check(knowledge_base_folder(config))
    if checked is not None and not problems:
        _state["checked"] = checked
        return config
    if _mode["command"] == "serve" and "checked" in _state:
        # While editing, a half-written file must not take the site down: report and keep the last good pages.
        for problem in problems.sorted():
            serve_log.error(str(problem))
        serve_log.error("%d problem(s) in the knowledge base; still serving the last good version", len(problems))
        return config
    for problem in problems.sorted():
        log.error(str(problem))
    raise PluginError(f"{len(problems)} problem(s) in the knowledge base; nothing was built")


def check_site_url(site_url: str) -> None:
    """Stop at configuration time when the public address cannot be printed into links as it is."""
    problem = site_url_problem(site_url)
    if problem:
        raise PluginError(f"site_url {site_url!r} (from SITE_URL, else site_url in mkdocs.yml): not a usable "
                          f"public address; expected an http:// or https:// URL such as https://example.org/kb/; "
                          f"{problem}; nothing was built")


def cache_root(config: MkDocsConfig) -> Path:
    """Where builds keep what the next build can reuse (preview images, compiled templates)."""
    return Path(config.config_file_path).parent / ".cache"


def preview_cache(config: MkDocsConfig) -> CardCache | None:
    """Where link-preview images are drawn and kept; a missing CJK font stops the build here."""
    try:
        return card_cache(cache_folder(cache_root(config) / "og-images"))
    except FontNotFound as error:
        raise PluginError(str(error)) from None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    with gc_paused():
        return _add_pages(files, config)


def _add_pages(files: Files, config: MkDocsConfig) -> Files:
    """Our generated pages, redirects and preview images added to MkDocs' files."""
    checked, site_url = _state["checked"], config.site_url or ""
    pages = edition_pages(checked, site_url=site_url, cache=cache_root(config) / "templates")
    redirects = redirect_pages(checked.kb, site_url)
    unpaired = unpaired_pages([*pages, *redirects])
    if unpaired:
        raise PluginError("the two editions differ; every page needs its counterpart: " + "; ".join(unpaired))
    for path, markdown in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    for path, page in redirects.items():
        files.append(File.generated(config, path, content=page))
    cache = _state["cards"]
    images = preview_images(checked.kb, cache, config.site_name, config.site_description or "",
                            LABELS["kind"]) if cache else {}
    if cache:
        english = EditionTheme(site_url).english_card(checked.kb)
        images.update(english_preview_images(checked.kb, cache, *english))
    for path, image in images.items():
        files.append(File.generated(config, path, abs_src_path=str(image)))
    _state["site_cards"] = SiteCards(checked, site_url, config.site_name, config.site_description or "", images)
    _state["editions"] = EditionTheme(site_url)
    return files


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    if _state["search"]:
        page.meta["search"] = {"exclude": True}  # Material's own index stays empty: ours replaces it
    return markdown


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    _state["nav_pages"] = {page.file.src_uri: page for page in nav.pages}
    _state["files"] = files
    return nav


def on_page_context(context: Any, page: Any, config: MkDocsConfig, nav: Any) -> Any:
    page.meta["kb_card"] = _state["site_cards"].for_page(page.file.src_uri, page.title, page.meta.get("description"))
    # The page's edition: <html lang>, Material's labels, our strings, the language switch, the nav.
    editions: EditionTheme = _state["editions"]
    context.update(editions.page_globals(page.file.src_uri))
    config.extra["alternate"] = SwitchOnly(editions.alternates(page.file.src_uri))
    if editions.language(page.file.src_uri) != "ja":
        context["nav"] = english_nav(editions.nav(page.file.src_uri))
        _state["site_name"] = config.site_name
        # Record text (home.yaml's title_en), which the theme prints unescaped where it prints the
        # configured name: given as escaped Markup, which |e leaves as it is.
        name = editions.site_name(page.file.src_uri, _state["checked"].kb)
        config.site_name = Markup(html.escape(name)) if name else config.site_name
        return context
    # A claim, topic, speaker or source page is not in the nav (listing them all would make the build
    # quadratic), so its section's list page is marked active while it renders: the reader sees which
    # tab the page belongs to. MkDocs resets only the page it renders; on_post_page resets this one.
    in_nav = _state["nav_pages"]
    section = in_nav.get(page.file.src_uri.split("/", 1)[0] + "/index.md")
    if section is not None and page.file.src_uri not in in_nav:
        section.active = True
        _state["lit_section"] = section
    return context


class SwitchOnly:
    """The page's alternates for the header's language switch, which Material shows when
    `extra.alternate` is set, but not iterable, so that Material prints no `<link rel=alternate>`:
    its script fetches `sitemap.xml` beside every such link (a request per page for a file that is
    not there, and to another host when SITE_URL differs). The sitemap holds the hreflang alternates."""

    def __init__(self, entries: list[dict[str, str]]) -> None:
        self.entries = entries


def english_nav(entries: list[NavEntry]) -> Navigation:
    """The tabs of an English page as MkDocs links (the nav of mkdocs.yml is the Japanese edition's)."""
    links = []
    for entry in entries:
        item = Link(entry.title, entry.url)
        item.active = entry.active
        links.append(item)
    nav = Navigation(links, [])
    nav.homepage = links[0]  # type: ignore[assignment]  # Material reads only its url
    return nav


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    config.extra.pop("alternate", None)  # set per page; the static pages (404.html) have none
    config.site_name = _state.pop("site_name", config.site_name)
    section = _state.pop("lit_section", None)
    if section is not None:
        section.active = False
    return output


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = knowledge_base_folder(config)
    watch_knowledge_base(server, root)
    log.info(f"Watching the knowledge base for changes: '{root}' (its records, as they come and go)")
    return server


def write_english_404(config: MkDocsConfig) -> None:
    """en/404.html: the 404 page of the English edition, rendered as MkDocs renders 404.html."""
    editions: EditionTheme = _state["editions"]
    path = ENGLISH_EDITION.page("404.html")
    base_url = urlsplit(config.site_url or "/").path or "/"  # as MkDocs does for an error page
    context: dict[str, Any] = {**get_context(english_nav(editions.nav(path)), _state["files"], config, base_url=base_url),
                               **editions.page_globals(path)}
    site_name, name = config.site_name, editions.site_name(path, _state["checked"].kb)
    config.site_name = Markup(html.escape(name)) if name else site_name
    try:
        output = _state["env"].get_template("404.html").render(context)
    finally:
        config.site_name = site_name
    target = Path(config.site_dir) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    write_english_404(config)
    with gc_paused():
        write_files(site, each_json_file(_state["checked"]))
        if _state["search"]:
            write_search_index(_state["checked"], site)
