"""The settings of the MkDocs plugin `kb` (`plugins: - kb:` in mkdocs.yml), validated by MkDocs.

    plugins:
      - kb:
          kb_dir: .          # the knowledge base; default: the folder of mkdocs.yml
          search: true       # our Japanese search; false: Material's stock search
          previews: true     # a link-preview image per claim; false: none (no CJK font needed)

The environment variables KB_DIR, KB_SEARCH and KB_OG_IMAGES override them (`kb.output.settings`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..output.settings import BuildSettings, with_environment


class KnowledgeBaseConfig(base.Config):
    """`plugins: - kb:` options; MkDocs reports a wrong type or an unknown option with its name."""

    kb_dir = c.Optional(c.Dir(exists=True))
    """The knowledge-base folder, relative to mkdocs.yml; default: the folder of mkdocs.yml."""
    search = c.Type(bool, default=True)
    """Our Japanese search; false gives Material's stock search back."""
    previews = c.Type(bool, default=True)
    """A link-preview image per claim, drawn with a CJK font."""


def build_settings(config: KnowledgeBaseConfig, config_file: str | None,
                   environ: Mapping[str, str] = os.environ) -> tuple[BuildSettings, list[str]]:
    """The plugin's settings with the environment's overrides, and a message for each bad override."""
    folder = config.kb_dir or (str(Path(config_file).parent) if config_file else os.curdir)
    return with_environment(BuildSettings(Path(folder), config.search, config.previews), environ)
