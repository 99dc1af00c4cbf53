"""In Chromium: copy-link and copy-citation buttons fill the clipboard, old URLs redirect, 404 searches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, hosted
from kb.adapters.pipeline import load_and_check
from kb.site.citation import claim_citation
from playwright.sync_api import Dialog, Page, expect

CLAIM = "agi-more-than-a-decade-away"


@pytest.fixture(scope="module")
def cite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture with a renamed claim and hostile text, hosted on 127.0.0.1 with a 404 page."""
    with hosted(FIXTURES / "cite", tmp_path_factory.mktemp("cite-browser") / "site") as url:
        yield url


def clipboard(page: Page) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def canonical(page: Page) -> str:
    return str(page.locator("link[rel=canonical]").get_attribute("href"))


def expected_citation(root: Path, claim_id: str, site_url: str) -> Any:
    checked, _ = load_and_check(root)
    assert checked is not None
    return claim_citation(checked.kb, checked.kb.claims[claim_id], site_url)


def site_url_of(page: Page, claim_id: str) -> str:
    return canonical(page).removesuffix(f"claims/{claim_id}/")


def test_claim_buttons_copy_link_and_citations(page: Page, real_url: str, real_site: Path) -> None:
    page.goto(real_url + f"claims/{CLAIM}/")
    url = canonical(page)
    record = json.loads((real_site / "claims" / f"{CLAIM}.json").read_text(encoding="utf-8"))
    expected = expected_citation(REPO, CLAIM, site_url_of(page, CLAIM))
    buttons = page.locator(".kb-cite button")
    expect(buttons).to_have_text(["リンクをコピー", "出典をコピー（Markdown）", "出典をコピー（テキスト）"])

    buttons.nth(0).click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("リンクをコピーしました")
    expect(page.locator(".md-dialog__inner")).to_have_text("リンクをコピーしました")
    assert clipboard(page) == url

    buttons.nth(1).click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("出典（Markdown）をコピーしました")
    markdown = clipboard(page)
    assert markdown == expected.markdown
    assert f"[{record['title']}]({url})" in markdown and "アンドレイ・カルパシー" in markdown

    buttons.nth(2).click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("出典（テキスト）をコピーしました")
    plain = clipboard(page)
    assert plain == expected.plain
    assert record["title"] in plain and plain.endswith(url) and "アンドレイ・カルパシー" in plain
    source_title = page.locator("#q1 a.kb-in-context").inner_text()
    assert expected.sources[0] in source_title


def test_each_quote_copies_its_own_link(page: Page, real_url: str) -> None:
    page.goto(real_url + f"claims/{CLAIM}/")
    quotes = page.locator(".kb-quote[id]")
    count = quotes.count()
    assert count >= 1
    expect(page.locator(".kb-quote .kb-copy-quote")).to_have_count(count)
    for number in range(1, count + 1):
        quote = page.locator(f"#q{number}")
        quote.locator(".kb-copy-quote").click()
        expect(quote.locator(".kb-cite-status")).to_have_text("引用へのリンクをコピーしました")
        assert clipboard(page) == f"{canonical(page)}#q{number}"


def test_buttons_work_after_instant_navigation(page: Page, cite_url: str) -> None:
    page.goto(cite_url + "claims/")
    page.evaluate("window.kbSamePage = true")
    page.locator("article a[href$='agi-more-than-a-decade/']").first.click()
    expect(page).to_have_url(cite_url + "claims/agi-more-than-a-decade/")
    expect(page.locator("h1")).to_contain_text("AGIは10年以上先")
    assert page.evaluate("window.kbSamePage") is True, "expected Material's instant navigation, not a page load"
    page.locator("#q1 .kb-copy-quote").click()
    assert clipboard(page) == f"{cite_url}claims/agi-more-than-a-decade/#q1"
    page.locator(".kb-cite button").first.click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("リンクをコピーしました")
    assert clipboard(page) == f"{cite_url}claims/agi-more-than-a-decade/"


def test_renamed_claims_old_url_redirects_keeping_the_fragment(page: Page, cite_url: str) -> None:
    page.goto(cite_url + "claims/agi-decade/#q1")
    expect(page).to_have_url(cite_url + "claims/agi-more-than-a-decade/#q1")
    expect(page.locator("h1")).to_contain_text("AGIは10年以上先")
    expect(page.locator("#q1")).to_be_in_viewport()


def test_old_url_redirects_without_javascript(browser: Any, cite_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(cite_url + "claims/agi-decade/")
        expect(page).to_have_url(cite_url + "claims/agi-more-than-a-decade/")
    finally:
        context.close()


def test_hostile_title_is_copied_as_text_and_runs_nothing(page: Page, cite_url: str) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto(cite_url + "claims/hostile-title/")
    expected = expected_citation(FIXTURES / "cite", "hostile-title", site_url_of(page, "hostile-title"))
    page.locator(".kb-cite button").nth(2).click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("出典（テキスト）をコピーしました")
    assert clipboard(page) == expected.plain
    assert '</script><script>alert("title")</script>' in expected.plain
    page.locator(".kb-cite button").nth(1).click()
    expect(page.locator(".kb-cite .kb-cite-status")).to_have_text("出典（Markdown）をコピーしました")
    assert clipboard(page) == expected.markdown
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img[onerror], [onmouseover]').length") == 0


def test_404_page_searches_for_the_missing_address(page: Page, cite_url: str) -> None:
    response = page.goto(cite_url + "claims/agent-decade-typo/")
    assert response is not None and response.status == 404
    box = page.locator(".kb-404 input[name=q]")
    expect(box).to_have_value("agent decade typo")
    box.fill("楽観的")
    page.locator(".kb-404 button[type=submit]").click()
    expect(page.locator(".md-search__input")).to_have_value("楽観的")
    expect(page.locator(".md-search-result__item").first).to_contain_text("楽観的")
