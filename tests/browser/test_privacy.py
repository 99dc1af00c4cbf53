"""Privacy: on every page type of the real site, Chromium requests nothing from any host but the
site's own (no web fonts, CDN, analytics), also while searching and after scrolling."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route


def page_of_each_type(site: Path, edition: str = "") -> dict[str, str]:
    """One site-relative URL for each kind of page of an edition (`edition`: its folder, "" or "en/"),
    taken from the built site itself."""
    document = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    pages = {
        "home": "", "claims": "claims/", "claim": document["claims"][0]["url"], "topics": "topics/",
        "topic": f"topics/{document['topics'][0]['id']}/", "speakers": "speakers/",
        "speaker": f"speakers/{document['speakers'][0]['id']}/", "glossary": "glossary/",
        "sources": "sources/", "source": f"sources/{document['sources'][0]['id']}/",
        "contributing": "contributing/", "not found": "404.html",
    }
    pages = {kind: edition + url for kind, url in pages.items()}
    for kind, url in pages.items():
        assert (site / url / "index.html").is_file() or (site / url).is_file(), f"{kind}: {url} was not built"
    return pages


def visit_recording_requests(page: Page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`, scroll, search; return the URLs requested on the site and those elsewhere."""
    site_origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    local: list[str] = []
    elsewhere: list[str] = []

    def record(route: Route) -> None:
        request_url = route.request.url
        if request_url.startswith(("data:", "blob:", site_origin + "/")):
            local.append(request_url)
            route.continue_()
        else:
            elsewhere.append(request_url)
            route.abort()

    page.context.route("**/*", record)
    page.on("websocket", lambda socket: elsewhere.append(socket.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 100_000)
    page.keyboard.press("/")
    page.keyboard.type("エージェント", delay=20)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    return local, elsewhere


@pytest.mark.parametrize("edition", ["", "en/"], ids=["ja", "en"])
@pytest.mark.parametrize("kind", ["home", "claims", "claim", "topics", "topic", "speakers", "speaker", "glossary",
                                  "sources", "source", "contributing", "not found"])
def test_page_requests_only_its_own_site(page: Page, real_site: Path, real_url: str, kind: str, edition: str) -> None:
    url = real_url + page_of_each_type(real_site, edition)[kind]
    local, elsewhere = visit_recording_requests(page, url)
    assert elsewhere == []
    assert any(request.endswith(".css") for request in local), "the page loaded no stylesheet: nothing was watched"
    assert any(request.endswith(".js") for request in local)
