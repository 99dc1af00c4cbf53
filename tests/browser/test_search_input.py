"""Text that reaches the search box without a key up (an input method's commit, a paste) is searched."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_committed_text_without_key_up_is_searched(page: Page, real_url: str) -> None:
    page.goto(real_url)
    page.locator("body").press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    page.keyboard.insert_text("システムプロンプト学習")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
    expect(page.locator(".md-search-result__list")).to_contain_text("システムプロンプト学習")


def test_pasted_text_is_searched(page: Page, real_url: str) -> None:
    page.goto(real_url)
    page.locator("body").press("/")
    page.locator(".md-search__input").fill("認知コア")
    expect(page.locator(".md-search-result__list")).to_contain_text("認知コア", timeout=30_000)
