"""The names a knowledge-base folder holds: one list of everything a build reads.

The load reads them, `mkdocs serve` watches them, the site folder may not lie among them, and the
site's date (sitemap `lastmod`) is the last change to any of them, so a chart edit dates the site too.
"""

from __future__ import annotations

RECORD_FOLDERS = ("claims", "glossary", "sources")
"""Folders of records, one file per record (and a transcript beside each source)."""
REGISTRY_FILES = ("topics.yaml", "speakers.yaml")
"""Registries the records refer to."""
ESTIMATES_FILE = "estimates.yaml"
"""Timeline estimates drawn on the home page (optional)."""
HOME_FILE = "home.yaml"
"""The site's title and introduction (optional)."""
PUBLISHED_IDS_FILE = "published-ids.txt"
"""Every claim id ever published (optional until something is published)."""
INPUT_NAMES = RECORD_FOLDERS + REGISTRY_FILES + (HOME_FILE, ESTIMATES_FILE, PUBLISHED_IDS_FILE)
"""Everything a build reads from a knowledge-base folder, by name."""
