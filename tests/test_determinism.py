"""Two builds of the same input are byte-identical, wherever they are built and whenever.

MkDocs dates sitemap.xml (`lastmod`) and the gzip header of sitemap.xml.gz with the build day
unless SOURCE_DATE_EPOCH is set; `kb build` sets it from the records (last git commit touching
them, else their newest modification time), so the date no longer depends on the clock.
"""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from kb.output.sitemap import content_date
from test_bad_input import tree_digest

RECORDS_DATE = 1_000_000_000  # 2001-09-09T01:46:40Z


def build_without_a_fixed_date(kb: Path, site: Path) -> Path:
    """`kb build` as a user runs it, with SOURCE_DATE_EPOCH unset."""
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "kb.adapters.cli", "build", "--kb", str(kb), "--site-dir", str(site)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    return site


def differences(one: Path, two: Path) -> list[str]:
    first, second = tree_digest(one), tree_digest(two)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def test_two_builds_of_the_real_knowledge_base_are_identical(tmp_path: Path) -> None:
    one = build_without_a_fixed_date(REPO, tmp_path / "one" / "site")
    two = build_without_a_fixed_date(REPO, tmp_path / "two" / "public")
    assert len(tree_digest(one)) > 50
    assert differences(one, two) == []


def test_site_date_comes_from_the_records_not_the_clock(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    for path in [kb, *kb.rglob("*")]:
        os.utime(path, (RECORDS_DATE, RECORDS_DATE))
    site = build_without_a_fixed_date(kb, tmp_path / "site")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<lastmod>2001-09-09</lastmod>") == sitemap.count("<lastmod>") > 5
    header = (site / "sitemap.xml.gz").read_bytes()[:10]
    midnight = RECORDS_DATE - RECORDS_DATE % 86_400  # MkDocs stamps the gzip header with the day
    assert struct.unpack("<I", header[4:8])[0] == midnight
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap

    moved = tmp_path / "elsewhere" / "kb"
    shutil.copytree(kb, moved)  # copies modification times too
    again = build_without_a_fixed_date(moved, tmp_path / "elsewhere" / "site")
    assert differences(site, again) == []


@pytest.mark.parametrize("name", ["estimates.yaml", "published-ids.txt", "topics.yaml", "sources"])
def test_site_date_follows_every_input_of_the_build(tmp_path: Path, name: str) -> None:
    """A chart edit or a newly published id dates the site as a claim edit does (one list of inputs)."""
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "small", kb)
    for path in [kb, *kb.rglob("*")]:
        os.utime(path, (RECORDS_DATE, RECORDS_DATE))
    assert content_date(kb) == RECORDS_DATE
    (kb / name).touch()  # made or touched now
    os.utime(kb / name, (RECORDS_DATE + 86_400, RECORDS_DATE + 86_400))
    assert content_date(kb) == RECORDS_DATE + 86_400
    (kb / "notes.md").touch()  # not an input: does not date the site
    assert content_date(kb) == RECORDS_DATE + 86_400
