"""The Jinja2 environment: the templates' folder, options, compiled-template cache and link filters.

The only module that creates a Jinja environment. Every value a template prints is escaped by the
environment's `finalize` hook (`escape.EscapeOnce`) unless it was marked safe on purpose (`Markup`).
"""

from __future__ import annotations

import functools
import hashlib
import html
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import urls
from .escape import EscapeOnce

TEMPLATES = Path(__file__).parent / "templates"

TEMPLATE_OPTIONS: dict[str, Any] = {
    # finalize (`EscapeOnce`) escapes every printed value that is not Markup, and the templates hold
    # no macros or captured blocks whose output would reach it as plain text: Jinja's own autoescaping
    # would only wrap each escaped value in a second Markup (a tenth of a claim page's rendering).
    "autoescape": False,
    "auto_reload": False,
    "undefined": jinja2.StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def template_cache(folder: Path) -> jinja2.FileSystemBytecodeCache | None:
    """Compiled templates kept in `folder` (a twentieth of a second saved per build), or None when the
    folder cannot be made. Jinja finds a template's entry by its name and checks its source; the file
    names also carry what else shapes the compiled code (Jinja's version and the options above), so a
    change of either never reads old code."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    shape = repr((jinja2.__version__, sorted(TEMPLATE_OPTIONS.items()), EscapeOnce.__qualname__))
    return jinja2.FileSystemBytecodeCache(str(folder), f"{hashlib.sha256(shape.encode()).hexdigest()[:12]}-%s.cache")


@jinja2.pass_context
def link(context: Any, target: str) -> Markup:
    """Relative link from the page being rendered to the page (and anchor) `target`."""
    return Markup(urls.relative(target, context["page_src"]))


@jinja2.pass_context
def href(context: Any, target: str) -> Markup:
    """Relative URL for raw HTML from the page being rendered to the page (and anchor) `target`."""
    return _href(target, context["page_src"])


@functools.lru_cache(maxsize=1 << 18)  # while serving, every edit prints the same links again: 100,000 at 10,000 claims
def _href(target: str, page_src: str) -> Markup:
    return Markup(html.escape(urls.relative_url(target, page_src), quote=True))



def environment(templates: Path, cache: Path | None, finalize: EscapeOnce) -> jinja2.Environment:
    """The environment rendering the templates of `templates`, printing values through `finalize`;
    `cache`: a folder where compiled templates are kept between builds (none when None)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=template_cache(cache) if cache else None,
        finalize=finalize,
        **TEMPLATE_OPTIONS,
    )
