"""Other engines than MkDocs build the same knowledge base: ProperDocs the same site, byte for byte but
its generator tag; Zensical (from `kb render`'s pages, then `kb postbuild`) the same claim pages."""

from __future__ import annotations

import gzip
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, build_site, run_kb
from test_bad_input import tree_digest

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


class ArticleText(HTMLParser):
    """The text a reader sees in a page's article (scripts and styles left out), whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside |= tag == "article"
        self.hidden += self.inside and tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= self.inside and tag in ("script", "style")
        self.inside &= tag != "article"

    def handle_data(self, data: str) -> None:
        if self.inside and not self.hidden:
            self.parts.append(data)


def article_text(page: Path) -> str:
    parser = ArticleText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge base built with Zensical (`kb render`, Zensical, `kb postbuild`)."""
    return build_site(REPO, tmp_path_factory.mktemp("zensical") / "site", engine="zensical")


def claims_of(site: Path) -> list[dict[str, Any]]:
    return list(json.loads((site / "claims.json").read_text(encoding="utf-8"))["claims"])


def test_zensical_claim_pages_read_as_the_mkdocs_ones(real_site: Path, zensical_site: Path) -> None:
    claims = claims_of(real_site)
    assert len(claims) > 40
    differing = []
    for claim in claims:
        page = Path("claims") / claim["id"] / "index.html"
        ours, theirs = article_text(real_site / page), article_text(zensical_site / page)
        assert claim["title"] in ours
        if ours != theirs:
            differing.append(claim["id"])
    assert differing == []
    assert 'content="zensical-' in (zensical_site / "index.html").read_text(encoding="utf-8")


def test_zensical_claim_pages_carry_title_quotes_status_and_json_ld(zensical_site: Path) -> None:
    for claim in claims_of(zensical_site):
        page = (zensical_site / "claims" / claim["id"] / "index.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
        assert title is not None and html.unescape(title[1]).startswith(claim["title"] + " - "), claim["id"]
        for number in range(1, len(claim["quotes"]) + len(claim["removed_quotes"]) + 1):
            assert f'id="q{number}"' in page, (claim["id"], number)
        assert 'id="status"' in page and f'kb-status--{claim["status"]}' in page
        found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
        assert found is not None, claim["id"]
        data = json.loads(found[1])
        assert (data["@type"], data["name"], data["review"]["@type"]) == ("Claim", claim["title"], "ClaimReview")
        assert '<meta property="og:image" content="' in page


def test_zensical_site_has_the_exports_previews_and_redirects_of_the_mkdocs_site(
    real_site: Path, zensical_site: Path
) -> None:
    ours, theirs = tree_digest(real_site), tree_digest(zensical_site)
    made_by_us = [name for name in ours if name.endswith((".json", ".png")) and name.startswith("claims")]
    made_by_us += ["claims.json"] + [name for name in ours if name.startswith("claims/") and name.endswith("/index.html")
                                     and 'http-equiv="refresh"' in (real_site / name).read_text(encoding="utf-8")]
    assert len([name for name in made_by_us if name.endswith(".png")]) >= len(claims_of(real_site))
    assert {name: theirs.get(name) for name in made_by_us} == {name: ours[name] for name in made_by_us}


def test_zensical_indexes_every_claim_page_for_its_own_search(zensical_site: Path) -> None:
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    locations = {item["location"].split("#")[0] for item in index["items"]}
    assert {f"claims/{claim['id']}/" for claim in claims_of(zensical_site)} <= locations


def test_zensical_prints_no_record_text_as_markup_into_the_head(tmp_path: Path) -> None:
    """Zensical's templates print page.meta.description as it is: the rendered front matter holds it escaped."""
    site = build_site(FIXTURES / "hostile", tmp_path / "site", env={"KB_OG_IMAGES": "off"}, engine="zensical")
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8").partition("</head>")[0]
        for value in re.findall(r'<meta [^>]*content="([^"]*)"', head):
            assert "<" not in value and ">" not in value, (page, value)
        title = re.search(r"<title>(.*?)</title>", head, re.DOTALL)
        assert title is not None and "<" not in title[1], page


def test_zensical_sitemap_is_dated_as_the_mkdocs_one(real_site: Path, zensical_site: Path) -> None:
    def dated(site: Path) -> dict[str, str]:
        text = (site / "sitemap.xml").read_text(encoding="utf-8")
        assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
        # MkDocs' sitemap (our override) lists each page's editions as alternates between the two
        return dict(re.findall(r"<loc>([^<]*)</loc>(?:\s*<xhtml:link [^>]*/>)*\s*<lastmod>([^<]*)</lastmod>", text))

    ours, theirs = dated(real_site), dated(zensical_site)
    assert len(ours) > 50
    assert theirs == ours
    assert (zensical_site / "sitemap.xml.gz").read_bytes()[4:8] == (real_site / "sitemap.xml.gz").read_bytes()[4:8]


def test_zensical_build_refuses_an_unusable_site_url_as_mkdocs_does(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site), "--engine", "zensical",
                    env={"SITE_URL": "https://example.org/a b/", "KB_OG_IMAGES": "off"})
    assert result.returncode == 1
    assert ("site_url 'https://example.org/a b/' (from SITE_URL, else site_url in mkdocs.yml): not a usable public "
            "address; expected an http:// or https:// URL") in result.stderr
    assert "Zensical build failed; " in result.stderr and "Traceback" not in result.stderr
    assert not site.exists()


def preview_tags(page: Path) -> dict[str, Any]:
    """A page's link-preview tags and JSON-LD, values unescaped (each engine escapes in its own way)."""
    head = page.read_text(encoding="utf-8").partition("</head>")[0]
    tags: dict[str, Any] = {name: html.unescape(value) for name, value in re.findall(
        r'<meta (?:property|name)="((?:og|twitter):[^"]*|description)" content="([^"]*)"', head)}
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)
    tags["json-ld"] = json.loads(found[1]) if found else None
    return tags


def content_pages(site: Path) -> list[Path]:
    """Every page of a built site but the redirects, relative to the site."""
    return [page.relative_to(site) for page in sorted(site.rglob("index.html"))
            if 'http-equiv="refresh"' not in page.read_text(encoding="utf-8")]


def test_zensical_pages_carry_the_link_previews_of_the_mkdocs_pages(real_site: Path, zensical_site: Path) -> None:
    # Both editions' pages: each page's front matter (kb_theme) gives it its edition's locale. Not the
    # alternates, nor an English page's English site name: Zensical runs no plugin events, which set them
    # per page (README, Engines).
    pages = content_pages(real_site)
    assert len([page for page in pages if page.parts[0] == "en"]) > 60 and len(pages) > 120

    def tags(site: Path, page: Path) -> dict[str, object]:
        left_out = {"og:locale:alternate"} | ({"og:site_name"} if page.parts[0] == "en" else set())
        return {name: value for name, value in preview_tags(site / page).items() if name not in left_out}

    differing = {str(page): (tags(real_site, page), tags(zensical_site, page))
                 for page in pages if tags(real_site, page) != tags(zensical_site, page)}
    assert differing == {}


def page_chrome(page: Path) -> tuple[str, dict[str, str]]:
    """A page's `<html lang>` and the words its scripts show (the #kb-strings block)."""
    text = page.read_text(encoding="utf-8")
    lang = re.search(r'<html [^>]*lang="([^"]*)"', text)
    words = re.search(r'<script type="application/json" id="kb-strings">(.*?)</script>', text, re.DOTALL)
    assert lang is not None and words is not None, page
    return lang[1], json.loads(words[1])


def test_zensical_pages_speak_their_edition_s_language_as_the_mkdocs_ones(real_site: Path, zensical_site: Path) -> None:
    """An English page's language and its scripts' words are English in both builds, a Japanese page's Japanese."""
    pages = content_pages(real_site)
    chrome = {str(page): page_chrome(zensical_site / page) for page in pages}
    assert {str(page): page_chrome(real_site / page) for page in pages} == chrome
    assert {lang for name, (lang, _) in chrome.items() if name.startswith("en/")} == {"en"}
    assert {lang for name, (lang, _) in chrome.items() if not name.startswith("en/")} == {"ja"}
    assert chrome["en/index.html"][1] != chrome["index.html"][1]


def test_zensical_404_page_is_the_japanese_edition_s(real_site: Path, zensical_site: Path) -> None:
    """A 404 page has no front matter: its words are the root edition's (config.extra.kb_theme), as in MkDocs' 404.html."""
    def words(page: Path) -> str:
        found = re.search(r'<div class="kb-404">(.*?)</div>', page.read_text(encoding="utf-8"), re.DOTALL)
        assert found is not None, page
        return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())

    assert words(zensical_site / "404.html") == words(real_site / "404.html")
    assert page_chrome(zensical_site / "404.html") == page_chrome(real_site / "404.html")
    assert page_chrome(real_site / "404.html")[0] == "ja" and page_chrome(real_site / "en" / "404.html")[0] == "en"
