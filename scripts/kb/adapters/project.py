"""A project's mkdocs.yml read for the commands that run no MkDocs build: `kb render`, `kb postbuild`.

MkDocs validates it (the `kb` plugin's options included), so these commands see the settings, the
site's name and address, and the folders exactly as a MkDocs build would.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..output.generated import SiteInfo
from ..output.settings import BuildSettings
from ..site.edition import page_theme
from ..site.urls import HOME_PAGE, site_url_problem


class ProjectError(Exception):
    """mkdocs.yml cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Project:
    """What the commands need from mkdocs.yml."""

    config_file: Path
    settings: BuildSettings
    site: SiteInfo
    docs_dir: Path
    custom_dir: Path | None
    cache_root: Path
    """Where builds keep what the next build can reuse (preview images, compiled templates)."""
    config: dict[str, Any]
    """mkdocs.yml as written, `!ENV` values resolved: the base of another engine's configuration."""


def load_project(config_file: Path, kb: Path | None) -> Project:
    """mkdocs.yml validated by MkDocs, with `kb` (when given) as the knowledge base."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    from .mkdocs_config import build_settings
    from .mkdocs_plugin import plugin_of, site_url_message

    show_engine_log()
    try:
        config = load_config(str(config_file), strict=True)
        settings, errors = build_settings(plugin_of(config).config, config.config_file_path)
        with config_file.open(encoding="utf-8") as stream:
            raw = yaml_load(stream)
    except (MkDocsException, SystemExit) as error:
        raise ProjectError(str(error) or f"{config_file}: not a usable MkDocs configuration") from None
    if errors:
        raise ProjectError("; ".join(errors))
    problem = site_url_problem(config.site_url or "")
    if problem:
        raise ProjectError(site_url_message(config.site_url or "", problem))
    if kb is not None:
        settings = BuildSettings(kb, settings.search, settings.previews)
    custom_dir = config.theme.custom_dir
    return Project(
        config_file=config_file,
        settings=settings,
        site=SiteInfo(config.site_url or "", config.site_name, config.site_description or ""),
        docs_dir=Path(config.docs_dir),
        custom_dir=Path(custom_dir) if custom_dir else None,
        cache_root=config_file.parent / ".cache",
        config=raw,
    )


def engine_config(project: Project, site_dir: Path, *, drop_plugins: tuple[str, ...] = ("kb",)) -> dict[str, Any]:
    """The project's configuration for a build of a rendered folder (`docs/`, `overrides/` beside it)."""
    config = dict(project.config)
    config["docs_dir"] = "docs"
    config["site_dir"] = os.fspath(site_dir)
    config["site_url"] = project.site.url
    theme = dict(config.get("theme") or {})
    if project.custom_dir is not None:
        theme["custom_dir"] = "overrides"
    config["theme"] = theme
    config["plugins"] = [entry for entry in config.get("plugins") or [] if plugin_name(entry) not in drop_plugins]
    # The theme's words and edition on a page without front matter (404.html): the root's (overrides/main.html)
    config["extra"] = {**(config.get("extra") or {}), "kb_search": project.settings.search, "kb_theme": page_theme(HOME_PAGE)}
    return config


def nav_titles(project: Project) -> dict[str, str]:
    """The title the navigation of mkdocs.yml gives a page, by the page's path (its top level only)."""
    entries = project.config.get("nav") or []
    return {path: str(title) for entry in entries if isinstance(entry, dict)
            for title, path in entry.items() if isinstance(path, str)}


def plugin_name(entry: Any) -> str:
    """The name of an entry of mkdocs.yml's `plugins` (a name, or a mapping of the name to its options)."""
    return entry if isinstance(entry, str) else next(iter(entry))


def show_engine_log() -> None:
    """Print MkDocs' (and ProperDocs') log on stderr, as their own command does."""
    for name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
