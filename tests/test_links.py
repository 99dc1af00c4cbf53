"""Link integrity: every internal link and anchor of a whole built site resolves.

Walks every HTML page of the real, small and hostile sites: each href/src that stays on the site
names a file that exists, each #fragment an id (or <a name>) that exists on the target page, and no
page loads anything (script, style, image, frame, font) from another host. The sitemap and the
URLs published in claims.json are checked the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

SITE_URL = "http://127.0.0.1:8000/"  # the default site_url of mkdocs.yml, used in canonical links
BASE = "http://site.invalid/"
LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data", "formaction"}
# Elements whose URL the browser fetches by itself (as opposed to a link the reader may follow).
LOADED = {"script", "img", "iframe", "frame", "embed", "object", "source", "audio", "video", "track", "input"}
LOADED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


@dataclass
class Link:
    """One URL found in a page."""

    page: str
    tag: str
    attribute: str
    url: str
    loaded: bool


@dataclass
class PageScan:
    """The ids a page defines and the URLs it refers to."""

    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.scan = PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.ids.add(values["name"])
        rels = set(values.get("rel", "").lower().split())
        for name in LINK_ATTRIBUTES & values.keys():
            loaded = tag in LOADED or (tag == "link" and bool(rels & LOADED_LINK_RELS))
            self.scan.links.append(Link(self.page, tag, name, values[name].strip(), loaded))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = re.search(r"url=(.+)$", values.get("content", ""), re.IGNORECASE)
            if target:
                self.scan.links.append(Link(self.page, tag, "content", target.group(1).strip("'\" "), False))


@cache
def scan_page(path: Path, page: str) -> PageScan:
    """Ids and links of one HTML file (cached: a page is read once however often it is a target)."""
    scanner = _Scanner(page)
    scanner.feed(path.read_text(encoding="utf-8"))
    return scanner.scan


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, relative to its root."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def target_file(site: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment an absolute URL names when it stays on the site, else None."""
    if url.startswith(SITE_URL):
        url = BASE + url[len(SITE_URL):]
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE:
        return None
    path = site / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every internal link of the site that names a missing file or anchor, and every outside load."""
    broken = []
    for page in site_pages(site):
        for link in scan_page(site / page, page).links:
            problem = link_problem(site, link)
            if problem:
                broken.append(f"{page}: <{link.tag} {link.attribute}={link.url!r}>: {problem}")
    return broken


def link_problem(site: Path, link: Link) -> str | None:
    """What is wrong with one link, or None."""
    scheme = urlsplit(link.url).scheme.lower()
    if scheme in ("javascript", "vbscript", "data", "file"):
        return f"{scheme}: URL"
    if scheme == "mailto" or link.url in ("", "#"):
        return None
    target = target_file(site, urljoin(BASE + link.page, link.url))
    if target is None:
        return "loads from another host" if link.loaded else None
    return missing(site, *target)


def missing(site: Path, path: Path, fragment: str) -> str | None:
    """Why `path#fragment` does not resolve inside `site`, or None."""
    if not path.resolve().is_relative_to(site.resolve()):
        return "points outside the site"
    if not path.is_file():
        return f"no file {path.relative_to(site).as_posix()}"
    if fragment and path.suffix == ".html":
        ids = scan_page(path, path.relative_to(site).as_posix()).ids
        if fragment not in ids:
            return f"no anchor #{fragment} in {path.relative_to(site).as_posix()}"
    return None


def published_urls(site: Path) -> list[str]:
    """Site-relative URLs of claims.json (pages and anchors) and every page of the sitemap."""
    document = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    found = [claim["url"] for claim in document["claims"]]
    found += [quote["url"] for claim in document["claims"] for quote in claim["quotes"]]
    found += [term["url"] for term in document["terms"]]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    found += [loc[len(SITE_URL):] for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    return found


@pytest.fixture(params=["real", "small", "hostile"])
def any_site(request: pytest.FixtureRequest) -> Path:
    site: Path = request.getfixturevalue(f"{request.param}_site")
    return site


def test_every_internal_link_and_anchor_resolves(any_site: Path) -> None:
    pages = site_pages(any_site)
    assert len(pages) > 10
    assert broken_links(any_site) == []


def test_published_urls_resolve(any_site: Path) -> None:
    urls = published_urls(any_site)
    assert any("#q1" in url for url in urls)
    problems = [f"{url}: {missing(any_site, *target_file(any_site, BASE + url))}"  # type: ignore[misc]
                for url in urls if missing(any_site, *target_file(any_site, BASE + url))]  # type: ignore[misc]
    assert problems == []


def test_the_walker_finds_broken_links(tmp_path: Path) -> None:
    """The checker itself: a missing page, a missing anchor and an outside script are all reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a href="../b/#top">b</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/#top">ok</a><a href="a/#nowhere">x</a><a href="missing/">y</a>'
        '<script src="https://cdn.example/x.js"></script><a href="https://example.org/">outside link</a>'
        '<a href="javascript:alert(1)">z</a>',
        encoding="utf-8",
    )
    assert broken_links(tmp_path) == [
        "a/index.html: <a href='../b/#top'>: no file b/index.html",
        "index.html: <a href='a/#nowhere'>: no anchor #nowhere in a/index.html",
        "index.html: <a href='missing/'>: no file missing/index.html",
        "index.html: <script src='https://cdn.example/x.js'>: loads from another host",
        "index.html: <a href='javascript:alert(1)'>: javascript: URL",
    ]
