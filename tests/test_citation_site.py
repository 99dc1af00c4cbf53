"""Citable claims in built sites: URLs and anchors, link previews, JSON-LD, redirects, sitemap, 404."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES, build_site, copy_fixture, run_kb
from kb.site.catalogue import catalogue
from kb.site.labels import LABELS
from PIL import Image

EXAMPLE_SITE = "https://example.org/kb/"
ui = catalogue("ja")


@dataclass
class ParsedPage:
    """What the citation features put in a page: ids, head metadata, scripts, every tag."""

    ids: set[str] = field(default_factory=set)
    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    json_ld: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    headings_with_permalink: int = 0
    headings: int = 0


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.page.tags.append((tag, values))
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        if tag == "meta" and (values.get("property") or values.get("name")):
            key = values.get("property") or values.get("name") or ""
            self.page.meta.setdefault(key, []).append(values.get("content") or "")
        if tag == "link" and values.get("rel"):
            self.page.links.setdefault(values["rel"] or "", []).append(values.get("href") or "")
        if tag == "script":
            self._script, self._text = values, []
        if tag in ("h2", "h3") and values.get("id"):
            self.page.headings += 1
            self._heading = True
        if tag == "a" and self._heading and "headerlink" in (values.get("class") or ""):
            self.page.headings_with_permalink += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._text)
            self.page.scripts.append(text)
            if self._script.get("type") == "application/ld+json":
                self.page.json_ld.append(text)
            self._script = None
        if tag in ("h2", "h3"):
            self._heading = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)


def parse_page(path: Path) -> ParsedPage:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


def page_file(site: Path, url: str) -> Path:
    """The file a site-relative URL (without fragment) is served from."""
    path = url.split("#", 1)[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def one(page: ParsedPage, key: str) -> str:
    values = page.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


@pytest.fixture(scope="module")
def claims_json(real_site: Path) -> dict[str, Any]:
    return json.loads((real_site / "claims.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site_url(real_site: Path) -> str:
    """The public address the real site was built for (its home page's canonical link)."""
    return parse_page(real_site / "index.html").links["canonical"][0]


@pytest.fixture(scope="module")
def cite_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with a renamed claim and hostile text, built for https://example.org/kb/."""
    site = tmp_path_factory.mktemp("cite") / "site"
    result = run_kb("build", "--kb", str(FIXTURES / "cite"), "--site-dir", str(site), env={"SITE_URL": EXAMPLE_SITE})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_every_url_and_anchor_in_claims_json_resolves(real_site: Path, claims_json: dict[str, Any]) -> None:
    targets = []
    for claim in claims_json["claims"]:
        targets.append(claim["url"])
        targets += [quote["url"] for quote in claim["quotes"]]
        targets += [f"sources/{quote['source']}/#p{quote['paragraph']}" for quote in claim["quotes"]]
    for kind in ("terms", "speakers", "topics", "sources"):
        targets += [record["url"] for record in claims_json[kind]]
    assert len(targets) > 4 * len(claims_json["claims"])
    unresolved = []
    pages: dict[Path, ParsedPage] = {}
    for url in targets:
        path = page_file(real_site, url)
        if not path.is_file():
            unresolved.append(url)
            continue
        page = pages.setdefault(path, parse_page(path))
        anchor = url.partition("#")[2]
        if anchor and anchor not in page.ids:
            unresolved.append(url)
    assert unresolved == []


def test_each_claim_has_its_json_next_to_its_page(real_site: Path, claims_json: dict[str, Any]) -> None:
    for claim in claims_json["claims"]:
        exported = json.loads((real_site / "claims" / f"{claim['id']}.json").read_text(encoding="utf-8"))
        assert exported == claim


def test_annotations_have_anchors_and_headings_keep_permalinks(real_site: Path, claims_json: dict[str, Any]) -> None:
    annotated = [c for c in claims_json["claims"] if c["annotations"]]
    assert annotated
    for claim in annotated:
        page = parse_page(page_file(real_site, claim["url"]))
        assert {f"a{n}" for n in range(1, len(claim["annotations"]) + 1)} <= page.ids
        assert page.headings and page.headings == page.headings_with_permalink


def test_claim_pages_carry_previews_and_json_ld(real_site: Path, claims_json: dict[str, Any], site_url: str) -> None:
    speakers = {s["id"]: s["name"] for s in claims_json["speakers"]}
    for claim in claims_json["claims"]:
        page = parse_page(page_file(real_site, claim["url"]))
        url = site_url + claim["url"]
        assert page.links["canonical"] == [url]
        assert one(page, "og:title") == claim["title"]
        status = claim["status"]
        assert one(page, "og:description") == one(page, "description") == f"［{LABELS['status'][status]}］ {claim['summary']}"
        assert one(page, "og:url") == url
        assert one(page, "og:type") == "article"
        assert one(page, "og:locale") == "ja_JP" and one(page, "og:locale:alternate") == "en_US"
        assert one(page, "twitter:card") == "summary_large_image"
        image = one(page, "og:image")
        assert image == f"{site_url}claims/{claim['id']}.png"
        with Image.open(real_site / image[len(site_url):]) as png:
            assert png.size == (1200, 630)
        assert len(page.json_ld) == 1
        data = json.loads(page.json_ld[0])
        assert data["@type"] == "Claim"
        assert (data["url"], data["name"], data["text"]) == (url, claim["title"], claim["summary"])
        assert data["author"]["@type"] == "Person" and data["author"]["name"] == speakers[claim["speaker"]]
        assert data["firstAppearance"]["url"] == f"{site_url}sources/{claim['quotes'][0]['source']}/"
        assert [q["text"] for q in data["appearance"]] == [q["text"] for q in claim["quotes"] if q["voice"] == "reported"]
        review = data["review"]
        assert (review["@type"], review["itemReviewed"], review["url"]) == ("ClaimReview", {"@id": url}, url + "#status")
        assert (review["reviewRating"]["name"], review["reviewRating"]["alternateName"]) == (LABELS["status"][status], LABELS["status_en"][status])
        verdicts = [a for a in claim["annotations"] if a.get("verdict") == claim["status"]]
        explanation = verdicts[0]["finding"] if claim["status"] != "no-issues" else LABELS["status_meaning"][status]
        assert review["reviewRating"]["ratingExplanation"] == explanation
        assert [c["text"] for c in data.get("comment", [])] == [a["text"] for a in claim["annotations"]]


def test_every_page_has_canonical_link_and_preview(real_site: Path, site_url: str) -> None:
    pages = [p for p in real_site.rglob("index.html")]
    assert len(pages) > 60
    for path in pages:
        page = parse_page(path)
        relative = path.parent.relative_to(real_site).as_posix()
        url = site_url + ("" if relative == "." else relative + "/")
        assert page.links.get("canonical") == [url], path
        assert one(page, "og:url") == url
        assert one(page, "og:title") and one(page, "og:description") and one(page, "og:image")
        english = relative == "en" or relative.startswith("en/")
        assert one(page, "og:locale") == ("en_US" if english else "ja_JP")
        assert one(page, "og:locale:alternate") == ("ja_JP" if english else "en_US")


def test_english_claim_pages_carry_english_previews_and_json_ld(real_site: Path, claims_json: dict[str, Any],
                                                                site_url: str) -> None:
    for claim in claims_json["claims"]:
        english_url = "en/" + claim["url"]
        page = parse_page(page_file(real_site, english_url))
        assert page.links["canonical"] == [site_url + english_url]
        assert "alternate" not in page.links  # the sitemap holds them (see mkdocs_hooks.SwitchOnly)
        assert one(page, "og:title") == claim["title_en"]
        assert one(page, "og:image") == f"{site_url}en/claims/{claim['id']}.png"
        with Image.open(real_site / "en" / "claims" / f"{claim['id']}.png") as png:
            assert png.size == (1200, 630)
        assert len(page.json_ld) == 1
        data = json.loads(page.json_ld[0])
        assert (data["inLanguage"], data["name"], data["url"]) == ("en", claim["title_en"], site_url + english_url)
        assert data["review"]["url"] == site_url + english_url + "#status"


def test_home_and_index_pages_preview_as_themselves(real_site: Path) -> None:
    """The home page's card is titled with the site's name, not its tab's 「ホーム」; each index page
    describes itself rather than repeating the site's description."""
    home = parse_page(real_site / "index.html")
    site_name = one(home, "og:site_name")
    assert one(home, "og:title") == one(home, "twitter:title") == site_name
    site_description = one(home, "og:description")
    descriptions = {}
    for folder, key in (("claims", "claims"), ("topics", "topics"), ("speakers", "speakers"),
                        ("sources", "sources"), ("glossary", "glossary")):
        page = parse_page(real_site / folder / "index.html")
        description = one(page, "og:description")
        assert description == one(page, "description") != site_description, folder
        written = re.escape(" ".join(ui(f"{key}.description", count="COUNT").split())).replace("COUNT", r"\d+")
        assert re.fullmatch(written, description), (folder, description)
        descriptions[folder] = description
    assert len(set(descriptions.values())) == len(descriptions)


def test_sitemap_lists_every_claim(real_site: Path, claims_json: dict[str, Any], site_url: str) -> None:
    tree = ElementTree.parse(real_site / "sitemap.xml")
    locations = {el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {site_url + c["url"] for c in claims_json["claims"]} <= locations


def test_sitemap_lists_both_editions_of_each_page(real_site: Path, site_url: str) -> None:
    tree = ElementTree.parse(real_site / "sitemap.xml")
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    entries = list(tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}url"))
    assert len(entries) > 60
    locations = set()
    for entry in entries:
        loc = entry.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") or ""
        locations.add(loc)
        page = loc[len(site_url):]
        root = page.removeprefix("en/") if page.startswith("en/") else page
        alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(xhtml)}
        assert alternates == {"ja": site_url + root, "en": site_url + "en/" + root}, loc
    assert all(site_url + "en/" + loc[len(site_url):] in locations for loc in locations if "/en/" not in loc)


def test_404_page_offers_search(real_site: Path) -> None:
    page = parse_page(real_site / "404.html")
    forms = [attrs for tag, attrs in page.tags if tag == "form" and attrs.get("method") == "get"]
    inputs = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("name") == "q"]
    assert [form["action"] for form in forms] == ["/./"] and len(inputs) == 1


def test_renamed_claim_has_a_redirect_page(cite_site: Path) -> None:
    page = parse_page(cite_site / "claims" / "agi-decade" / "index.html")
    assert page.links["canonical"] == [f"{EXAMPLE_SITE}claims/agi-more-than-a-decade/"]
    assert page.meta["robots"] == ["noindex"]
    assert page.meta["viewport"] == ["width=device-width,initial-scale=1"]
    # The data and the preview image stay at their former addresses too, as the claim now is.
    claims = cite_site / "claims"
    assert (claims / "agi-decade.json").read_bytes() == (claims / "agi-more-than-a-decade.json").read_bytes()
    assert json.loads((claims / "agi-decade.json").read_text(encoding="utf-8"))["id"] == "agi-more-than-a-decade"
    assert (claims / "agi-decade.png").read_bytes() == (claims / "agi-more-than-a-decade.png").read_bytes()
    sitemap = (cite_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "claims/agi-decade/" not in sitemap and "claims/agi-more-than-a-decade/" in sitemap


def test_hostile_text_stays_inside_meta_and_json_ld(cite_site: Path) -> None:
    claim = json.loads((cite_site / "claims" / "hostile-title.json").read_text(encoding="utf-8"))
    page = parse_page(cite_site / "claims" / "hostile-title" / "index.html")
    assert one(page, "og:title") == " ".join(claim["title"].split())
    assert one(page, "og:description") == one(page, "description") == "［指摘なし］ " + " ".join(claim["summary"].split())
    assert one(page, "twitter:title") == one(page, "og:title")
    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    assert (data["name"], data["text"], data["comment"][0]["text"]) == (
        claim["title"], claim["summary"], claim["annotations"][0]["text"])
    assert not any("alert" in script for script in page.scripts if script not in page.json_ld)
    assert not [(tag, a) for tag, a in page.tags if tag == "img" or any(k.startswith("on") for k in a)]


def test_build_fails_when_a_published_claim_disappears(tmp_path: Path) -> None:
    kb = copy_fixture("cite", tmp_path)
    site = build_site(kb, tmp_path / "site")
    claim = kb / "claims" / "agi-more-than-a-decade.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("former_ids: [agi-decade]\n", ""), encoding="utf-8")
    result = run_kb("build", "--kb", str(kb), "--site-dir", str(site))
    assert result.returncode == 1
    assert "published-ids.txt:4:1: published claim 'agi-decade' has disappeared without a redirect" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "claims" / "agi-decade" / "index.html").is_file()


def test_build_without_a_cjk_font_fails_clearly_and_keeps_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name in ("index.html", "claims.json", "marker"):  # an earlier build, as far as the build can tell
        (site / name).write_text("last good site", encoding="utf-8")
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site),
                    env={"KB_OG_FONT": str(tmp_path / "no-font.otf"), "KB_OG_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 1
    assert "no Japanese (CJK) font found for the link-preview images; expected Debian's fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["claims.json", "index.html", "marker"]


def test_images_can_be_switched_off(tmp_path: Path) -> None:
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(tmp_path / "site"),
                    env={"KB_OG_IMAGES": "off", "KB_OG_FONT": str(tmp_path / "no-font.otf")})
    assert result.returncode == 0, result.stderr
    assert not list((tmp_path / "site" / "claims").rglob("*.png"))
    assert not (tmp_path / "site" / "assets" / "kb-card.png").exists()
    page = parse_page(tmp_path / "site" / "claims" / "agi-decade" / "index.html")
    assert "og:image" not in page.meta
    assert one(page, "twitter:card") == "summary"
    assert one(page, "og:title") == "AGIは10年以上先"


def test_images_come_from_the_cache_on_rebuild(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"KB_OG_CACHE": str(cache)}
    for name in ("one", "two"):
        result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(tmp_path / name), env=env)
        assert result.returncode == 0, result.stderr
    assert len(list(cache.glob("*.png"))) == 6  # three per edition
    for image in ("claims/agi-decade.png", "claims/narrator-optimism.png", "assets/kb-card.png",
                  "en/claims/agi-decade.png", "en/claims/narrator-optimism.png", "en/assets/kb-card.png"):
        assert (tmp_path / "one" / image).read_bytes() == (tmp_path / "two" / image).read_bytes()
    assert not re.search(r"\.tmp$", " ".join(p.name for p in cache.iterdir()))
