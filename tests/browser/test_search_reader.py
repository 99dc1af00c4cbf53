"""Readers' queries typed into the real search box of the real built site, in headless Chromium:
hiragana, romaji, typos, variants, questions, half-remembered phrases, synonyms and English
(tests/search_reader_queries.yaml), and what the reader sees after: highlights for what matched,
no word listed as missing while marked, the note of a correction, suggestions for an empty result.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import pytest
from kb.search.search_text import normalize
from kb.site.catalogue import catalogue
from kb_bench.search_probe import READER_QUERIES, SearchBox, SearchCase, load_cases
from playwright.sync_api import Browser, Page, expect

CASES = load_cases(READER_QUERIES)
CATEGORIES = {"hiragana", "romaji", "typo", "variant", "question", "phrase", "synonym", "english"}
KNOWN_MISSES = {
    "yuurei to doubutsu": "the romaji particle 'to' is also an English word, so it is searched as one",
    "文脈の長さ": "文脈 is in the content (文脈を理解した), so its synonym コンテキスト is ranked below it",
}
"""Readers' queries whose expected page is not in the top three: each fails the test if it starts passing."""
NONSENSE = ["ブロックチェーン", "xyzzy", "asdfghjkl", "ほげほげふが", "qwertyuiop", "ゾゾゾゾ"]


@pytest.fixture(scope="module")
def search_page(browser: Browser, real_url: str) -> Iterator[Page]:
    """One page on the real site's home page, reused by every query."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(real_url)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def search_box(search_page: Page, real_url: str) -> SearchBox:
    box = SearchBox(search_page, real_url)
    box.open()
    return box


def hint(page: Page) -> str:
    """The note under the result count (corrections, suggestions), or ''."""
    return page.evaluate("(document.querySelector('.kb-search-hint:not([hidden])') || {}).textContent || ''")


def test_at_least_two_hundred_queries_in_eight_categories() -> None:
    kinds = Counter(case.kind for case in CASES)
    assert set(kinds) == CATEGORIES
    assert len(CASES) >= 200
    assert min(kinds.values()) >= 25, kinds
    assert set(KNOWN_MISSES) <= {case.query for case in CASES}


def reader_case(case: SearchCase) -> object:
    if case.query in KNOWN_MISSES:
        return pytest.param(case, id=case.query, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[case.query]))
    return pytest.param(case, id=case.query)


@pytest.mark.parametrize("case", [reader_case(case) for case in CASES])
def test_reader_query_shows_expected_page_in_top_three(search_box: SearchBox, case: SearchCase) -> None:
    outcome = search_box.search(case.query)
    assert outcome.results, f"{case.query!r} ({case.kind}): no results ({outcome.meta})"
    assert outcome.found(case.expect), (
        f"{case.query!r} ({case.kind}): none of {case.expect} in the top three; got {outcome.results[:3]}"
    )


@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_still_finds_nothing_and_gets_advice(search_box: SearchBox, query: str) -> None:
    outcome = search_box.search(query)
    assert outcome.results == [], outcome.results[:3]
    expect(search_box.page.locator(".kb-search-hint")).to_contain_text("カタカナ")


_MARKS = "() => Array.from(document.querySelectorAll('.md-search-result__list mark')).map(m => m.textContent)"
_LINKS = """
() => Array.from(document.querySelectorAll('.md-search-result__list > .md-search-result__item'))
  .map(item => new URL(item.querySelector('a[href]').href).searchParams.get('h') || '')
"""


@pytest.mark.parametrize(("query", "shown"), [
    ("Karpathi", "karpathy"),
    ("きょうかがくしゅう", "強化学習"),
    ("kyouka gakushuu", "強化"),
    ("ドワーケシュ", "ドワルケシュ"),
    ("強可学習", "強化学習"),
    ("しまうま", "シマウマ"),
    ("ゆうれい", "幽霊"),
])
def test_results_mark_and_link_the_form_that_matched(search_box: SearchBox, query: str, shown: str) -> None:
    # The result marks the word as the text has it, and its link carries that form (?h=), which
    # Material marks on the page after the click: not the typed kana, romaji or misspelling.
    outcome = search_box.search(query)
    assert outcome.results, query
    marks = [mark.lower() for mark in search_box.page.evaluate(_MARKS)]
    assert shown in marks, (query, marks[:10])
    links = search_box.page.evaluate(_LINKS)
    assert any(shown in h.lower().split() for h in links[:3]), (query, links[:3])


@pytest.mark.parametrize("query", [
    "ゆうれい", "カルパシーは強化学習についてどう思っている", "大きくなってから小さくなる", "なぜ強化学習はノイズが多いのか",
    "1000倍安い", "ストローで吸う", "スロプ",
])
def test_snippets_mark_whole_words_never_stray_kana(search_box: SearchBox, query: str) -> None:
    search_box.search(query)
    marks = search_box.page.evaluate(_MARKS)
    assert marks, query
    small = re.compile("^[ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮー]")
    for mark in marks:
        assert not small.match(mark), (query, mark)
        assert not re.fullmatch("[ぁ-ゖ]{1,3}", mark), (query, mark)  # a particle or an ending alone


_MISSING_AND_MARKED = """
() => Array.from(document.querySelectorAll('.md-search-result__article')).flatMap(article => {
  const missing = Array.from(article.querySelectorAll('.md-search-result__terms del')).map(d => d.textContent)
  const marked = Array.from(article.querySelectorAll('mark')).map(m => m.textContent)
  return missing.length ? [[missing, marked]] : []
})
"""


@pytest.mark.parametrize("query", [
    "認知コア 小型モデル", "強化学習 ノイズ", "量子コンピュータ", "LLMは幽霊のようなもの", "Karpathi ストロー",
    "エージェントの10年",
])
def test_no_word_listed_as_missing_where_it_is_marked(search_box: SearchBox, query: str) -> None:
    search_box.search(query)
    for missing, marked in search_box.page.evaluate(_MISSING_AND_MARKED):
        for word in missing:
            assert not any(normalize(word) in normalize(mark) or normalize(mark) in normalize(word) for mark in marked), (
                query, word, marked,
            )


def test_a_correction_is_told_under_the_result_count(search_box: SearchBox) -> None:
    search_box.search("Kasparof")
    assert hint(search_box.page) == catalogue()("script.search_corrected") + "kasparov"


def test_an_empty_result_suggests_a_query_that_finds_something(search_box: SearchBox) -> None:
    # Three edits from "kasparov": too far to search it unasked, near enough to suggest it.
    outcome = search_box.search("Kaasparoff")
    assert outcome.results == []
    suggestions = search_box.page.locator(".kb-search-hint__suggestion")
    expect(suggestions).to_have_text(["kasparov"])
    suggestions.first.click()
    expect(search_box.page.locator(".md-search__input")).to_have_value("kasparov")
    expect(search_box.page.locator(".md-search-result__item").first).to_contain_text("Kasparov")


def test_the_question_wording_never_decides_the_result(search_box: SearchBox) -> None:
    asked = search_box.search("認知コアとは何ですか")
    plain = search_box.search("認知コア")
    assert asked.results[:5] == plain.results[:5]


_INJECT = """
() => new Promise(resolve => {
  const box = document.querySelector('.md-search__input')
  const query = box.value
  const channel = new BroadcastChannel('kb-search')
  const markup = '<img src=x onerror="window.__kbInjected = 1"><b>bold</b>'
  channel.postMessage({ query: query, corrected: [[query, markup]], suggestions: [], empty: false })
  setTimeout(() => {
    channel.postMessage({ query: query, corrected: [], suggestions: [markup], empty: true })
    setTimeout(() => resolve({
      text: document.querySelector('.kb-search-hint').textContent,
      elements: document.querySelectorAll('.kb-search-hint img, .kb-search-hint b').length,
      injected: window.__kbInjected || 0,
    }), 300)
  }, 300)
})
"""


def test_hints_show_words_as_text_never_markup(search_box: SearchBox) -> None:
    # Suggestions and corrections come from the index's words, that is from record text: data only.
    search_box.search("xyzzy")
    shown = search_box.page.evaluate(_INJECT)
    suggest = catalogue()("script.search_suggest")
    assert shown == {"text": suggest + '<img src=x onerror="window.__kbInjected = 1"><b>bold</b>', "elements": 0, "injected": 0}


def test_landing_page_highlights_the_kana_query_as_written(page: Page, real_url: str) -> None:
    page.goto(real_url)
    page.locator("body").press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    page.keyboard.insert_text("きょうかがくしゅう")
    box.press("End")
    first = page.locator(".md-search-result__list > .md-search-result__item").first
    expect(first).to_be_visible()
    first.locator("a").first.click()
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()
    marked = {unicodedata.normalize("NFKC", m) for m in page.locator("article mark[data-md-highlight]").all_text_contents()}
    assert "強化学習" in marked, marked


@pytest.mark.parametrize("query", ["<", "？", "・", "ー", "とは", "what is"])
def test_a_query_of_no_searchable_word_answers_without_error(page: Page, real_url: str, query: str) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(real_url)
    box = SearchBox(page, real_url)
    box.open()
    outcome = box.search(query)
    assert outcome.meta, query
    assert errors == []
