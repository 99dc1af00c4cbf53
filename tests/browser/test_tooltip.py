"""Tooltips drawn from titles as text (docs/assets/kb-tooltip.js), on the real site in Chromium:
shown on hover and on keyboard focus, hidden by Escape, by leaving and by blurring, reachable by
the pointer, readable in the light and dark schemes and kept inside a phone's screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

CLAIM = "claims/agentic-interaction-over-rl/"
TERM = ".kb-summary a.kb-term"

CONTRAST = """
() => {
  const rgba = (colour) => { const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const style = getComputedStyle(document.getElementById('kb-tooltip'));
  const background = rgba(style.backgroundColor);
  const text = rgba(style.color);
  const shown = text.slice(0, 3).map((c, i) => c * text[3] + background[i] * (1 - text[3]));  // text is translucent
  const luminance = (rgb) => rgb.map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [light, dark] = [luminance(shown), luminance(background.slice(0, 3))].sort((a, b) => b - a);
  return { ratio: (light + 0.05) / (dark + 0.05), background: style.backgroundColor, opaque: background[3] === 1 };
}
"""


def test_hover_shows_the_title_as_text_and_leaving_hides_it(page: Page, real_url: str) -> None:
    page.goto(real_url + CLAIM)
    term = page.locator(TERM).first
    title = term.get_attribute("title") or ""
    assert title
    term.hover()
    tooltip = page.locator("#kb-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(title)
    expect(tooltip).to_have_attribute("role", "tooltip")
    expect(term).to_have_attribute("aria-describedby", "kb-tooltip")
    expect(term).not_to_have_attribute("title", title)  # or the browser would draw its own over ours
    box = tooltip.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(400)
    expect(tooltip).to_be_visible()  # the pointer can move onto it to read it (WCAG 1.4.13)
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    expect(term).to_have_attribute("title", title)
    assert term.get_attribute("aria-describedby") is None


def test_keyboard_focus_shows_it_and_escape_or_blur_hides_it(page: Page, real_url: str) -> None:
    page.goto(real_url + CLAIM)
    terms = page.locator(TERM)
    first, second = terms.nth(0).get_attribute("title"), terms.nth(1).get_attribute("title")
    tooltip = page.locator("#kb-tooltip")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches('{TERM}')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term")
    expect(tooltip).to_have_text(first or "")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()  # stays closed while the focus stays
    page.keyboard.press("Tab")
    expect(tooltip).to_have_text(second or "")
    page.locator("h1").click()
    expect(tooltip).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_both_colour_schemes(browser: Browser, real_url: str, scheme: Any) -> None:
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(real_url + CLAIM)
        expected = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        page.locator(TERM).first.hover()
        expect(page.locator("#kb-tooltip")).to_be_visible()
        contrast = page.evaluate(CONTRAST)
        assert contrast["opaque"] and contrast["ratio"] >= 7, contrast  # WCAG AAA for body text
    finally:
        context.close()


def test_kept_inside_a_phone_screen(browser: Browser, real_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(real_url + CLAIM)
        for term in page.locator(TERM).all():
            term.focus()
            box = page.locator("#kb-tooltip").bounding_box()
            assert box is not None
            assert 0 <= box["x"] and box["x"] + box["width"] <= 390, box  # relative to the window
    finally:
        context.close()
