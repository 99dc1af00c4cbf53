"""A reader follows a quote's "in context" link to its highlighted passage in the transcript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_in_context_link_lands_on_highlighted_passage(page: Page, small_url: str) -> None:
    page.goto(small_url + "claims/agi-decade/")
    quote = page.locator("#q1")
    expect(quote).to_contain_text("彼はAGIは10年以上先だと言いました")
    quote.locator("a.kb-in-context").click()
    expect(page).to_have_url(re.compile(r"/sources/talk/#agi-decade-q1$"))
    paragraph = page.locator("#p2")
    expect(paragraph).to_be_in_viewport()
    highlighted = paragraph.locator("#agi-decade-q1 + a.kb-quoted")
    expect(highlighted).to_have_text("彼はAGIは10年以上先だと言いました")
    background = highlighted.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    highlighted.click()
    expect(page).to_have_url(re.compile(r"/claims/agi-decade/#q1$"))


def test_real_claim_quote_link_resolves(page: Page, real_url: str) -> None:
    page.goto(real_url + "claims/")
    page.locator("article li a[href*='claims/']").first.click()
    page.locator("#q1 a.kb-in-context").click()
    fragment = page.url.rsplit("#", 1)[1]
    assert re.fullmatch(r".+-q1", fragment)
    expect(page.locator(f"[data-kb-spans~='{fragment}']").first).to_be_visible()
