"""The site's date, and the sitemap an engine without MkDocs' own is completed with.

MkDocs stamps sitemap.xml (`lastmod`) and the gzip header of sitemap.xml.gz with SOURCE_DATE_EPOCH
when it is set; `kb build` sets it to `content_date`, so building the same input twice gives
byte-identical sites. `kb postbuild` gives another engine's sitemap the same date and the
compressed copy.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import time
from pathlib import Path

from ..records.layout import INPUT_NAMES

_LOC = re.compile(r"(?P<indent>[ \t]*)(?P<loc><loc>[^<]*</loc>)")


def content_date(kb: Path) -> int:
    """Seconds since the epoch of the last change to the knowledge base, for reproducible site dates:
    the last commit touching it when it is tracked by git and unmodified, else the newest modification
    time of its input files (`kb.records.layout.INPUT_NAMES`, estimates.yaml and published-ids.txt
    included)."""
    return _git_commit_date(kb) or _newest_mtime(kb)


def _git_commit_date(kb: Path) -> int | None:
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(kb), *args, "--", *INPUT_NAMES],
                                capture_output=True, text=True, timeout=60, check=False)
        return result.stdout.strip() if result.returncode == 0 else "!"
    try:
        changed = git("status", "--porcelain", "--untracked-files=all")
        stamp = git("log", "-1", "--format=%ct")
    except (OSError, subprocess.SubprocessError):
        return None
    return int(stamp) if not changed and stamp.isdigit() else None


def _newest_mtime(kb: Path) -> int:
    stamps = [int(path.stat().st_mtime) for name in INPUT_NAMES
              for path in [kb / name, *((kb / name).rglob("*") if (kb / name).is_dir() else [])]
              if path.exists()]
    return max(stamps, default=0)




def site_date(kb: Path) -> int:
    """SOURCE_DATE_EPOCH when it is set (as MkDocs reads it), else the content date of `kb`."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(stamp) if stamp.isdigit() else content_date(kb)


def complete_sitemap(site: Path, when: int) -> None:
    """Give the sitemap of `site` what MkDocs' has: a `lastmod` per address and `sitemap.xml.gz`."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    if "<lastmod>" not in text:
        day = time.strftime("%Y-%m-%d", time.gmtime(when))
        text = _LOC.sub(lambda found: f"{found['indent']}{found['loc']}\n{found['indent']}<lastmod>{day}</lastmod>", text)
        sitemap.write_text(text, encoding="utf-8")
    compressed = site / "sitemap.xml.gz"
    if not compressed.exists():
        with compressed.open("wb") as file, gzip.GzipFile(fileobj=file, mode="wb", mtime=when - when % 86_400) as out:
            out.write(text.encode("utf-8"))
