"""The MkDocs plugin `kb`: MkDocs' events, each handing over to the engine-free core (`kb.output`).

Enabled in mkdocs.yml as `plugins: - kb:` (entry point in pyproject.toml), settings in
`mkdocs_config`. ProperDocs, the continuation of MkDocs 1.x, runs it unchanged.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..checks.check import CheckedKnowledgeBase
from ..output.generated import GeneratedSite, SiteInfo, generated_site, preview_cache
from ..output.incremental import BuiltCard, WrittenFiles
from ..output.postbuild import json_files, write_exports
from ..output.settings import BuildSettings
from ..site.edition import ENGLISH_EDITION, EditionTheme, page_theme, unpaired_pages
from ..site.keptpages import KeptPages
from ..site.ogimage import CardCache, FontNotFound
from ..site.urls import HOME_PAGE, site_url_problem
from .gcpause import collect_now, gc_paused
from .mkdocs_config import KnowledgeBaseConfig, build_settings
from .mkdocs_edition import SwitchOnly, english_nav, heading_links_in, render_english_404, site_name_markup
from .mkdocs_incremental import ServedBuild, engine_inputs
from .mkdocs_serving import ServedEdits, cache_root, report_kept
from .pipeline import load_and_check
from .rawhtml import GeneratedListsExtension
from .servewatch import KnowledgeBaseWatch, stop_watching, watch_knowledge_base

# "mkdocs.plugins.kb", or "properdocs.plugins.kb" under ProperDocs: where its strict mode counts warnings.
log = logging.getLogger(BasePlugin.__module__.replace(".plugins", "") + ".plugins.kb")


class KnowledgeBasePlugin(ServedEdits, BasePlugin[KnowledgeBaseConfig]):
    """Adds the knowledge base's pages to a MkDocs build and its exports to the built site.

    MkDocs keeps one instance for a whole `mkdocs serve` (it has `on_startup`), so the last good
    knowledge base survives a rebuild that finds problems."""

    def __init__(self) -> None:
        self.command = "build"
        self.given_kb_dir: Path | None = None
        self.settings: BuildSettings | None = None
        self.cards: CardCache | None = None
        self.checked: CheckedKnowledgeBase | None = None
        self.generated: GeneratedSite | None = None
        self.nav_pages: dict[str, Any] = {}
        self.lit_section: Any = None
        self.env: Any = None
        self.editions: EditionTheme | None = None
        self.site_name: str | None = None
        # While serving: what the build under way keeps for incremental rebuilds, and the last full build's.
        self.nav: Any = None
        self.files: Files | None = None
        self.cards_built: dict[str, BuiltCard] = {}
        self.started_inputs: tuple = ()
        self.served: ServedBuild | None = None
        self.watch: KnowledgeBaseWatch | None = None
        self.server: Any = None
        self.rest: threading.Thread | None = None
        """The rest of an edit being built in the background, after the edited records' pages (`update_served_site`)."""
        self.newer = threading.Event()
        """Set when an edit comes while the rest of the last one is being built."""
        self.kept_pages = KeptPages()
        """While serving: pages as last rendered, reused by the next build where their inputs are unchanged."""

    def use_knowledge_base(self, folder: Path) -> None:
        """Build `folder` whatever mkdocs.yml or KB_DIR say (`kb build --kb`)."""
        self.given_kb_dir = folder

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = self.settings = self._settings(config)
        check_site_url(config.site_url or "")
        config.extra["kb_search"] = settings.search  # read by overrides/partials/kb-search.html
        if not any(isinstance(extension, GeneratedListsExtension) for extension in config.markdown_extensions):
            config.markdown_extensions.append(GeneratedListsExtension())
        self.cards = _preview_cache(config, settings.previews)
        if self.command == "serve":
            self.served, self.cards_built = None, {}
            self.started_inputs = engine_inputs(config)
        checked, problems = load_and_check(settings.kb_dir)
        if checked is not None and not problems:
            self.checked = checked
            return config
        if self.command == "serve" and self.checked is not None:
            # While editing, a half-written file must not take the site down: report and keep the last good pages.
            report_kept(problems)
            return config
        for problem in problems.sorted():
            log.error(str(problem))
        raise PluginError(f"{len(problems)} problem(s) in the knowledge base; nothing was built")

    def _settings(self, config: MkDocsConfig) -> BuildSettings:
        settings, errors = build_settings(self.config, config.config_file_path)
        if errors:
            raise PluginError("; ".join(errors) + "; nothing was built")
        if self.given_kb_dir is not None:
            settings = BuildSettings(self.given_kb_dir, settings.search, settings.previews)
        return settings

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """The words and edition the theme overrides (overrides/*.html) print on a page without its own
        (404.html): the home page's, as `config.extra.kb_theme`; each page gets its own in `on_page_context`."""
        editions = EditionTheme(config.site_url or "")
        config.extra["kb_theme"] = page_theme(HOME_PAGE)
        env.globals["kb_alternates"] = editions.url_alternates
        self.env = env
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.checked is not None
        with gc_paused():
            site = SiteInfo(config.site_url or "", config.site_name, config.site_description or "")
            kept = self.kept_pages if self.command == "serve" else None
            self.generated = generated_site(self.checked, site, cache_root(config), self.cards, kept=kept)
            unpaired = unpaired_pages([*self.generated.pages, *self.generated.redirects])
            if unpaired:
                raise PluginError("the two editions differ; every page needs its counterpart: " + "; ".join(unpaired))
            self.editions = EditionTheme(site.url)
            self.files = files
            files = add_generated(files, config, self.generated)
            if self.command != "serve":  # read by MkDocs from its files from now on (`on_page_markdown`)
                self.generated = replace(self.generated, pages={})
            return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        if self.settings and self.settings.search:
            page.meta["search"] = {"exclude": True}  # Material's own index stays empty: ours replaces it
        if self.command != "serve" and page.file.generated_by is not None:
            # MkDocs keeps the page's Markdown (`page.markdown`) until the build ends; a build has no use for
            # the generated file's copy of it (at 10,000 claims, both editions, about 0.4 GB).
            page.file.content_string = ""
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        assert self.editions is not None
        return heading_links_in(html, config, self.editions.language(page.file.src_uri))

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav_pages = {page.file.src_uri: page for page in nav.pages}
        self.nav = nav
        return nav

    def on_page_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        assert self.generated is not None
        description = page.meta.get("description")
        page.meta["kb_card"] = card = self.generated.cards.for_page(page.file.src_uri, page.title, description)
        if self.command == "serve":
            self.cards_built[page.file.src_uri] = BuiltCard(card, page.title, description)
        if description:  # Material prints it into an attribute as it is (MkDocs' templates do not escape)
            page.meta["description"] = escape(description)
        # The page's edition: <html lang>, Material's labels, our strings, the language switch, the tabs.
        editions = self.editions
        assert editions is not None and self.checked is not None
        page.meta["kb_theme"] = page_theme(page.file.src_uri)
        config.extra["alternate"] = SwitchOnly(editions.alternates(page.file.src_uri))
        if editions.language(page.file.src_uri) != "ja":
            context["nav"] = english_nav(editions.nav(page.file.src_uri))
            self.site_name = config.site_name
            name = editions.site_name(page.file.src_uri, self.checked.kb)
            config.site_name = site_name_markup(name) if name else config.site_name
            return context
        # A claim, topic, speaker or source page is not in the nav (listing them all would make the build
        # quadratic), so its section's list page is marked active while it renders: the reader sees which
        # tab the page belongs to. MkDocs resets only the page it renders; on_post_page resets this one.
        section = self.nav_pages.get(page.file.src_uri.split("/", 1)[0] + "/index.md")
        if section is not None and page.file.src_uri not in self.nav_pages:
            section.active = True
            self.lit_section = section
        return context

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        config.extra.pop("alternate", None)  # set per page; the static pages (404.html) have none
        if self.site_name is not None:
            config.site_name, self.site_name = self.site_name, None
        if self.lit_section is not None:
            self.lit_section.active = False
            self.lit_section = None
        return output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        assert self.settings is not None
        root = self.settings.kb_dir
        self.watch = watch_knowledge_base(server, root)
        self.server = server
        log.info(f"Watching the knowledge base for changes: '{root}' (its records, as they come and go)")
        full_build = server.builder
        server.builder = lambda: self.rebuild(full_build)
        return server

    def on_shutdown(self) -> None:
        self.newer.set()  # the rest of an edit under way stops where it safely can: the served folder is deleted next
        self.settle()
        if self.watch is not None:
            stop_watching(self.watch)
            self.watch = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.checked is not None and self.settings is not None and self.generated is not None
        site = Path(config.site_dir)
        self.write_english_404(config)
        with gc_paused():
            if self.command != "serve":
                write_exports(self.checked, site, self.settings.search)
                return
            written = WrittenFiles(json_files(self.checked))
            search_index = write_exports(self.checked, site, self.settings.search, keep_search=True)
        assert self.files is not None
        self.served = ServedBuild(config, self.files, self.nav, None, self.generated, self.cards_built, written,
                                  self.started_inputs, search_index)
        collect_now()  # before serving, not inside the first edit

    def write_english_404(self, config: MkDocsConfig) -> None:
        """en/404.html: the English edition's 404 page, rendered as MkDocs renders 404.html."""
        assert self.editions is not None and self.checked is not None and self.files is not None
        path = ENGLISH_EDITION.page("404.html")
        output = render_english_404(self.env, config, self.files, self.editions, self.checked.kb)
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        self.served = None

def check_site_url(site_url: str) -> None:
    """Stop at configuration time when the public address cannot be printed into links as it is."""
    problem = site_url_problem(site_url)
    if problem:
        raise PluginError(site_url_message(site_url, problem))


def site_url_message(site_url: str, problem: str) -> str:
    """What is wrong with the public address, for every engine."""
    return (f"site_url {site_url!r} (from SITE_URL, else site_url in mkdocs.yml): not a usable public address; "
            f"expected an http:// or https:// URL such as https://example.org/kb/; {problem}; nothing was built")


def _preview_cache(config: MkDocsConfig, previews: bool) -> CardCache | None:
    try:
        return preview_cache(cache_root(config), previews)
    except FontNotFound as error:
        raise PluginError(str(error)) from None


def add_generated(files: Files, config: MkDocsConfig, generated: GeneratedSite) -> Files:
    """MkDocs' files with our generated pages (replacing any of the same path), redirects and images."""
    for path, markdown in generated.pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    for path, page in generated.redirects.items():
        files.append(File.generated(config, path, content=page))
    for path, image in generated.images.items():
        files.append(File.generated(config, path, abs_src_path=str(image)))
    return files


def plugin_of(config: MkDocsConfig) -> KnowledgeBasePlugin:
    """The `kb` plugin of a loaded configuration; PluginError when mkdocs.yml does not enable it."""
    plugin = config.plugins.get("kb")
    if not isinstance(plugin, KnowledgeBasePlugin):
        raise PluginError(f"{config.config_file_path}: plugins: expected the knowledge-base plugin "
                          "('- kb'); found none, so no claim page would be built")
    return plugin


