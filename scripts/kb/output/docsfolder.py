"""`kb render`: the generated pages as a docs folder any MkDocs-family engine can build.

Each page gets front matter carrying what the MkDocs plugin otherwise sets in memory: its title,
its description (HTML-escaped, as the plugin does), its link-preview card (`kb_card`, printed by `overrides/main.html`, JSON-LD
included) and, with our search, Material's `search: exclude`. The project's own docs folder
(assets, schemas) and template overrides are copied beside the pages, with the words they take
from the string catalogue written in (an engine without plugin events has no `kb_ui` global).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import markdown as python_markdown
from markupsafe import escape

from ..exports.exports import write_files
from ..site.catalogue import theme_globals
from ..site.citation import PageCard
from .generated import GeneratedSite

_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
_HEADING = re.compile(r"^# (?P<title>.+)$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")
_H1_EXTENSIONS = ["attr_list", "pymdownx.escapeall"]
_THEME_STRING = re.compile(r'\{\{\s*kb_ui\("(?P<key>[a-z0-9_.]+)"\)\s*\|\s*e\s*\}\}')
_EDITION_PREFIX = re.compile(r'\(\s*kb_prefix\s*~\s*(?P<path>"[^"]*")\s*\)')
_SCRIPT_STRINGS = re.compile(r"\{\{\s*kb_script_strings\s*\}\}")


def page_title(page: str) -> str | None:
    """A page's first `# ` heading as MkDocs makes its page title: HTML text, tags left out, entities kept."""
    found = _HEADING.search(page)
    if found is None:
        return None
    rendered = python_markdown.markdown("# " + found["title"], extensions=_H1_EXTENSIONS)
    return _TAG.sub("", rendered).strip() or None


def card_data(card: PageCard) -> dict[str, Any]:
    """A page's preview card as front matter data (the same fields the template reads from a PageCard)."""
    return {**asdict(card), "twitter_card": card.twitter_card}


def with_front_matter(page: str, meta: dict[str, Any]) -> str:
    """`page` with `meta` in its front matter (each value as JSON, which is YAML), replacing keys it had."""
    found = _FRONT_MATTER.match(page)
    lines = [line for line in found["yaml"].splitlines() if line.partition(":")[0] not in meta] if found else []
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    body = page[found.end():] if found else "\n" + page
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def rendered_pages(generated: GeneratedSite, search: bool, nav_titles: dict[str, str]) -> dict[str, str]:
    """Every generated page with its front matter, by path in the docs folder. A page in the navigation
    is titled as there (as MkDocs titles it), any other by its first heading."""
    pages = {}
    for path, page in generated.pages.items():
        title = str(escape(nav_titles[path])) if path in nav_titles else page_title(page)
        found = _FRONT_MATTER.match(page)
        description = _description(found["yaml"]) if found else None
        meta: dict[str, Any] = {"title": title} if title else {}
        meta["kb_card"] = card_data(generated.cards.for_page(path, title, description))
        if description:  # Material's templates print it into an attribute as it is, Zensical's too
            meta["description"] = str(escape(description))
        if search:
            meta["search"] = {"exclude": True}  # Material's own index stays empty: ours replaces it
        pages[path] = with_front_matter(page, meta)
    return pages


def _description(front_matter: str) -> str | None:
    for line in front_matter.splitlines():
        if line.startswith("description: "):
            return str(json.loads(line.removeprefix("description: ")))
    return None


def write_docs_folder(generated: GeneratedSite, docs: Path, overrides: Path | None, out: Path, search: bool,
                      nav_titles: dict[str, str]) -> None:
    """`out/docs`: the project's docs folder with every generated page; `out/overrides`: its templates."""
    shutil.rmtree(out / "docs", ignore_errors=True)
    shutil.copytree(docs, out / "docs")
    if overrides is not None:
        shutil.rmtree(out / "overrides", ignore_errors=True)
        # Not the sitemap override: it lists the editions' alternates through the kb plugin's
        # kb_alternates; another engine writes its own sitemap, which `kb postbuild` dates.
        shutil.copytree(overrides, out / "overrides", ignore=shutil.ignore_patterns("sitemap.xml"))
        for template in sorted((out / "overrides").rglob("*.html")):
            template.write_text(with_theme_strings(template.read_text(encoding="utf-8"), template), encoding="utf-8")
    write_files(out / "docs", rendered_pages(generated, search, nav_titles).items())


def with_theme_strings(template: str, path: Path) -> str:
    """A theme override with its catalogue words written in, as the MkDocs plugin's `on_env` globals print them.

    Only the two forms the overrides use are resolved: `{{ kb_ui("key") | e }}` and `{{ kb_script_strings }}`;
    any other use of the globals is an error here rather than an undefined name in another engine."""
    globals_ = theme_globals()
    ui = globals_["kb_ui"]

    def raw(text: str) -> str:  # our words are printed as they are, never read as template syntax
        return "{% raw %}" + text + "{% endraw %}"

    text = _THEME_STRING.sub(lambda match: raw(str(escape(ui(match["key"])))), template)  # type: ignore[operator]
    text = _SCRIPT_STRINGS.sub(lambda match: raw(str(globals_["kb_script_strings"])), text)
    text = _EDITION_PREFIX.sub(lambda match: match["path"], text)  # the Japanese edition's pages, at the root
    leftover = re.search(r"\bkb_ui\b|\bkb_script_strings\b|\bkb_prefix\b", re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL))
    if leftover:
        raise ValueError(f"{path}: uses {leftover[0]} in a form kb render cannot write in; "
                         'expected {{ kb_ui("key") | e }} or {{ kb_script_strings }}')
    return text
