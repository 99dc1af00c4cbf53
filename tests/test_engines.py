"""Other engines than MkDocs build the same knowledge base: ProperDocs the same site, byte for byte but
its generator tag; Zensical (from `kb render`'s pages, then `kb postbuild`) the same claim pages."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO, build_site

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def without_generator(path: Path) -> bytes:
    """The bytes of a built file with its generator tag blanked (HTML pages only carry one)."""
    return GENERATOR.sub(b'<meta name="generator">', path.read_bytes())


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): without_generator(path)
            for path in sorted(site.rglob("*")) if path.is_file()}


def test_properdocs_builds_the_mkdocs_site_but_for_the_generator_tag(real_site: Path, tmp_path: Path) -> None:
    properdocs = build_site(REPO, tmp_path / "site", engine="properdocs")
    ours, theirs = site_files(real_site), site_files(properdocs)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    page = (properdocs / "index.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="mkdocs-ProperDocs ' in page  # it did build with ProperDocs
    assert '<meta name="generator" content="mkdocs-1.' in (real_site / "index.html").read_text(encoding="utf-8")
