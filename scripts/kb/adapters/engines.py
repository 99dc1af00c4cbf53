"""The static-site generators `kb build --engine` runs, each with what it needs to build the knowledge base.

- `mkdocs` (default): MkDocs 1.6 with the `kb` plugin, in this process.
- `properdocs`: ProperDocs, the maintained continuation of MkDocs 1.x, with the same plugin: its
  `properdocs.replacement` makes every `mkdocs.*` import (ours and Material's) its own.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}
"""Engine name on the command line: its name in messages."""


def build_site(engine: str, config_file: Path, kb: Path, staging: Path) -> bool:
    """Build the site of `kb` with `engine` into `staging`; False (after printing why) when it failed."""
    if engine == "properdocs":
        try:
            import properdocs.replacement  # noqa: F401  (mkdocs.* is properdocs.* from here on)
        except ImportError:
            print("ProperDocs is not installed: run `.venv/bin/pip install -e '.[engines]'`", file=sys.stderr)
            return False
    return _mkdocs_family_build(config_file, kb, staging)


def _mkdocs_family_build(config_file: Path, kb: Path, staging: Path) -> bool:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import plugin_of

    _show_mkdocs_log()
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True)
        plugin_of(config).use_knowledge_base(kb)
        build(config)
    except (MkDocsException, SystemExit) as error:
        message = str(error)
        if message:
            print(message, file=sys.stderr)
        return False
    return True


def _show_mkdocs_log() -> None:
    for name in ENGINES:
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
