"""The English edition's MkDocs glue: the tabs of an English page, the language switch without
`<link rel=alternate>`, the English site name, the English 404 page and headings' links titled in English."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation

from ..checks.check import CheckedKnowledgeBase
from ..records.knowledge import KnowledgeBase
from ..site.catalogue import catalogue
from ..site.edition import ENGLISH_EDITION, EditionTheme, NavEntry, page_theme


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


def site_name_markup(name: str) -> Any:
    """Record text (home.yaml's title_en) where the theme prints the configured name unescaped: given
    as escaped Markup, which |e leaves as it is."""
    return Markup(html.escape(name))


def render_english_404(env: Any, config: MkDocsConfig, files: Files, editions: EditionTheme, kb: KnowledgeBase) -> str:
    """The English edition's 404 page, rendered from the theme's 404.html as MkDocs renders an error page."""
    path = ENGLISH_EDITION.page("404.html")
    base_url = urlsplit(config.site_url or "/").path or "/"  # as MkDocs does for an error page
    context = get_context(english_nav(editions.nav(path)), files, config, base_url=base_url)
    site_name, name = config.site_name, editions.site_name(path, kb)
    config.site_name = site_name_markup(name) if name else site_name
    theme = config.extra["kb_theme"]
    config.extra["kb_theme"] = page_theme(path)  # a 404 page has no front matter: see overrides/main.html
    try:
        return str(env.get_template("404.html").render(context))
    finally:
        config.site_name = site_name
        config.extra["kb_theme"] = theme


def heading_links_in(content: str, config: MkDocsConfig, language: str) -> str:
    """A page's HTML with its headings' ¶ links titled in `language`: mkdocs.yml's `permalink_title` (the
    toc extension's, one value for the whole site) is the Japanese edition's."""
    japanese = (config.mdx_configs.get("toc") or {}).get("permalink_title")
    if not japanese or language == "ja":
        return content
    title = html.escape(catalogue(language)("theme.heading_link"))
    anchor = re.compile(r'(<a class="headerlink" href="[^"]*" title=")' + re.escape(html.escape(japanese)) + '"')
    return anchor.sub(lambda match: match[1] + title + '"', content)


def english_site_name(checked: CheckedKnowledgeBase) -> str:
    """The English edition's name, in the header of every English page (`on_page_context`)."""
    return EditionTheme("").english_card(checked.kb)[0]
