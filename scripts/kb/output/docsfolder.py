"""`kb render`: the generated pages as a docs folder any MkDocs-family engine can build.

Each page gets front matter carrying what the MkDocs plugin otherwise sets in memory: its title,
its description (HTML-escaped, as the plugin does), its link-preview card (`kb_card`, printed by `overrides/main.html`, JSON-LD
included), the words and edition the theme overrides print (`kb_theme`, `edition.page_theme`: its
edition's, so an English page gets English ones) and, with our search, Material's `search: exclude`.
The project's own docs folder (assets, schemas) and template overrides are copied beside the pages as
they are.
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
from ..site.citation import PageCard
from ..site.edition import page_theme
from .generated import GeneratedSite

_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
_HEADING = re.compile(r"^# (?P<title>.+)$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")
_H1_EXTENSIONS = ["attr_list", "pymdownx.escapeall"]


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
        meta["kb_theme"] = page_theme(path)
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
    write_files(out / "docs", rendered_pages(generated, search, nav_titles).items())

