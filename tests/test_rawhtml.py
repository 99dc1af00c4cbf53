"""The generated lists set aside unparsed (`kb.adapters.rawhtml`) convert to the same HTML as before."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from kb.adapters.pipeline import load_and_check
from kb.adapters.rawhtml import GeneratedLists, GeneratedListsExtension
from kb.site.render import edition_pages
from kb.site.snippets import CLAIM_LIST_START, USED_BY_START
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = load_config(str(ROOT / "mkdocs.yml"))


def convert(text: str, ours: bool) -> tuple[str, int]:
    """`text` converted with mkdocs.yml's Markdown extensions (and ours when `ours`), and how many
    blocks of raw HTML were stashed."""
    extensions = [*CONFIG.markdown_extensions, *([GeneratedListsExtension()] if ours else [])]
    md = markdown.Markdown(extensions=extensions, extension_configs=CONFIG.mdx_configs)
    html = md.convert(text)
    return html, md.htmlStash.html_counter


def lines_of(html: str) -> list[str]:
    """The lines of `html` that are not blank: inside a `markdown` section Python-Markdown wrote a list
    back without the blank line after it, which means nothing between two elements."""
    return [line for line in html.split("\n") if line.strip()]


def lists_set_aside(text: str) -> int:
    """How many lists our preprocessor finds in `text`."""
    md = markdown.Markdown()
    before = md.htmlStash.html_counter
    GeneratedLists(md).run(text.split("\n"))
    return md.htmlStash.html_counter - before


@pytest.mark.parametrize("kb", [ROOT, FIXTURES / "hostile", FIXTURES / "small"], ids=["real", "hostile", "small"])
def test_every_generated_page_converts_to_the_same_html_with_its_lists_set_aside(kb: Path) -> None:
    checked, problems = load_and_check(kb)
    assert checked is not None and not problems
    pages = edition_pages(checked)
    with_lists = 0
    for path, text in pages.items():
        lists = text.count(f"\n{CLAIM_LIST_START}\n") + text.count(f"\n{USED_BY_START}")
        assert lists_set_aside(text) == lists, path
        with_lists += bool(lists)
        html, before = convert(text, ours=True)[0], convert(text, ours=False)[0]
        assert (html == before) if " markdown>" not in text else (lines_of(html) == lines_of(before)), path
    assert with_lists >= 6, "the all-claims page, the glossary, a topic and a speaker page in both editions"


def test_a_list_shown_in_a_fence_stays_code() -> None:
    text = f"```html\n{CLAIM_LIST_START}\n<li>x</li>\n</ul>\n```\n"
    html, _ = convert(text, ours=True)
    assert html == convert(text, ours=False)[0]
    assert "<code>" in html and CLAIM_LIST_START not in html


def test_a_list_without_its_end_is_left_to_python_markdown() -> None:
    text = f"Before\n\n{CLAIM_LIST_START}\n<li>x</li>\n\nAfter *this*\n"
    assert lists_set_aside(text) == 0
    assert convert(text, ours=True)[0] == convert(text, ours=False)[0]


def test_text_beside_a_list_is_still_markdown() -> None:
    text = f"*Before*\n{CLAIM_LIST_START}\n<li>x</li>\n</ul>\n*After*\n"
    html, _ = convert(text, ours=True)
    assert "<em>Before</em>" in html and "<em>After</em>" in html and '<ul class="kb-claim-list">\n<li>x</li>\n</ul>' in html
    assert lists_set_aside(text) == 1
