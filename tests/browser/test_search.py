"""The header search box of the real built site, driven in headless Chromium as a reader uses it.

Every query of tests/search_queries.yaml must show its expected page among the first three
results (kb_bench.bench_search runs the same queries against Material's stock search).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import REPO
from kb.search.search_text import exact_token, fnv1a, normalize, shard_of, tokens
from kb_bench.search_probe import SearchBox, SearchCase, load_cases
from playwright.sync_api import Browser, Page, expect

CASES = load_cases()
TEXT_DATA = yaml.safe_load((REPO / "tests" / "search_text_cases.yaml").read_text(encoding="utf-8"))
TEXT_CASES = TEXT_DATA["cases"]
TEXT_JS = REPO / "docs" / "assets" / "kb-search" / "text.js"


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


def test_at_least_thirty_queries_of_every_kind() -> None:
    assert len(CASES) >= 30
    kinds = {case.kind for case in CASES}
    assert kinds == {
        "glossary term", "part of a compound", "katakana", "kanji compound", "several words",
        "width", "English name", "misheard",
    }


@pytest.mark.parametrize("case", CASES, ids=[c.query for c in CASES])
def test_query_shows_expected_page_in_top_three(search_box: SearchBox, real_site: Path, case: SearchCase) -> None:
    for url in case.expect:
        path, _, anchor = url.partition("#")
        built = real_site / path / "index.html"
        assert built.is_file(), f"{case.query}: expected page {url} does not exist in the site"
        if anchor:
            assert f'id="{anchor}"' in built.read_text(encoding="utf-8"), f"{url}: no such anchor"
    outcome = search_box.search(case.query)
    assert outcome.results, f"{case.query!r}: no results ({outcome.meta})"
    assert outcome.found(case.expect), (
        f"{case.query!r}: none of {case.expect} in the top three; got {outcome.results[:3]}"
    )


def test_normalization_and_tokens_are_the_same_in_the_browser(page: Page) -> None:
    page.add_script_tag(path=str(TEXT_JS))
    texts = [str(case["text"]) for case in TEXT_CASES]
    in_browser = page.evaluate(
        "texts => texts.map(t => [KBSearchText.normalize(t), KBSearchText.tokens(t)])", texts
    )
    for case, (normalized, found) in zip(TEXT_CASES, in_browser):
        assert normalized == case["normalized"] == normalize(str(case["text"])), case["text"]
        assert found == case["tokens"] == tokens(str(case["text"])), case["text"]
    exact = [str(case["text"]) for case in TEXT_DATA["exact"]]
    in_browser_exact = page.evaluate("texts => texts.map(t => KBSearchText.exactToken(t))", exact)
    assert in_browser_exact == [case["token"] for case in TEXT_DATA["exact"]] == [exact_token(t) for t in exact]


_QUERY_RULES = """
(data) => ({
  romaji: data.romaji.map(c => KBSearchText.romaji(c.word)),
  questions: data.questions.map(c => KBSearchText.understand(c.query).words),
  content: data.content.map(c => KBSearchText.contentWords(c.text)),
  origins: data.origins.map(c => {
    const o = KBSearchText.normalizedWithOrigins(c.text)
    const last = o.starts.length - 1
    return [o.text, c.text.slice(o.starts[0], o.ends[0]), c.text.slice(o.starts[last], o.ends[last])]
  }),
})
"""


def test_query_rules_in_the_browser(page: Page) -> None:
    page.add_script_tag(path=str(TEXT_JS))
    got = page.evaluate(_QUERY_RULES, TEXT_DATA)
    for case, read in zip(TEXT_DATA["romaji"], got["romaji"], strict=True):
        assert (read and read["kana"]) == case["kana"], case
        if "loan" in case:
            assert read["loan"] == case["loan"], case
    for case, words in zip(TEXT_DATA["questions"], got["questions"], strict=True):
        assert words == case["words"], case
    for case, words in zip(TEXT_DATA["content"], got["content"], strict=True):
        assert words == case["words"], case
    for case, origins in zip(TEXT_DATA["origins"], got["origins"], strict=True):
        assert origins == [case["normalized"], case["first"], case["last"]], case
        assert case["normalized"] == normalize(case["text"])


def test_shards_are_chosen_the_same_in_the_browser(page: Page) -> None:
    page.add_script_tag(path=str(TEXT_JS))
    samples = ["システム", "学習", "脳", "reinforcement", "rei", "𠮷野家", "ｼｽﾃﾑ", "straße", "ας"]
    in_browser = page.evaluate(
        "samples => samples.map(s => [KBSearchText.fnv1a(s), KBSearchText.shardOf(s, 4096)])", samples
    )
    assert in_browser == [[fnv1a(s), shard_of(s, 4096)] for s in samples]


def test_results_highlight_the_matched_text(search_box: SearchBox, search_page: Page) -> None:
    search_box.search("ｼｽﾃﾑﾌﾟﾛﾝﾌﾟﾄ")
    marks = search_page.locator(".md-search-result__item mark").all_text_contents()
    assert "システムプロンプト" in marks


_UNMARKED = """
(needle) => Array.from(document.querySelectorAll('.md-search-result__article')).flatMap(article => {
  const shown = article.cloneNode(true)
  shown.querySelectorAll('.md-search-result__terms').forEach(terms => terms.remove())
  const count = text => text.split(needle).length - 1
  const marked = Array.from(shown.querySelectorAll('mark')).reduce((n, mark) => n + count(mark.textContent), 0)
  return count(shown.textContent) > marked ? [shown.innerHTML] : []
})
"""


@pytest.mark.parametrize(("query", "shown"), [
    ("システムプロンプト学習", "システムプロンプト"),  # the part of a run longer than the bigrams looked up
    ("Gemini 2.0 Nano", "2.0"),  # a word of several runs, the point between them included
    ("fine-tuning", "fine-tuning"),
])
def test_highlight_covers_the_whole_matched_part_of_the_query(
    search_box: SearchBox, search_page: Page, query: str, shown: str
) -> None:
    outcome = search_box.search(query)
    assert outcome.results, query
    unmarked = search_page.evaluate(_UNMARKED, shown)
    assert unmarked == [], f"{query!r}: {shown!r} not marked whole in {unmarked[:3]}"


_MISSING_WORDS = """
() => Array.from(document.querySelectorAll('.md-search-result__list > .md-search-result__item'))
  .map(item => Math.max(0, ...Array.from(item.querySelectorAll(':scope > a[href]'))
    .map(link => link.querySelectorAll('.md-search-result__terms del').length)))
"""


@pytest.mark.parametrize("query", [c.query for c in CASES], ids=[c.query for c in CASES])
def test_results_holding_every_query_word_rank_above_those_missing_one(
    search_box: SearchBox, search_page: Page, query: str
) -> None:
    # Material lists under a result the query words it lacks ("検索に含まれない"); a result missing
    # more words must never rank above one missing fewer.
    outcome = search_box.search(query)
    missing = search_page.evaluate(_MISSING_WORDS)  # per result item, the words its shown entries list as missing
    assert missing == sorted(missing), str(list(zip(missing, (urls[0] for urls in outcome.results))))
    if len(unicodedata.normalize("NFKC", query).split()) == 1:
        assert not any(missing), "a one-word query lists no missing word under a result that holds it"


def test_pages_holding_the_phrase_rank_above_a_title_missing_part_of_it(search_box: SearchBox) -> None:
    outcome = search_box.search("エージェントの10年")
    ranks = {urls[0]: rank for rank, urls in enumerate(outcome.results, 1)}
    # エージェント in its title, no 年 anywhere: ranked below, or past the ten results Material shows first
    missing = ranks.get("claims/agents-not-ready-for-long-autonomy/", len(outcome.results) + 1)
    assert ranks[""] < missing and ranks["sources/karpathy-decade-of-agents/"] < missing, outcome.results


def test_transcript_is_one_result_below_the_claims(search_box: SearchBox) -> None:
    outcome = search_box.search("Grok")
    transcript = [rank for rank, urls in enumerate(outcome.results, 1) if urls[0].startswith("sources/")]
    assert transcript, "the transcript mentions Grok in several paragraphs"
    assert len(transcript) == 1, outcome.results
    assert transcript[0] > 3, outcome.results[:4]
    assert sum(urls[0].startswith("claims/") for urls in outcome.results[:3]) >= 2, outcome.results[:3]


def test_title_match_ranks_above_mentions(search_box: SearchBox) -> None:
    outcome = search_box.search("シマウマ")
    assert outcome.results[0][0] == "claims/newborn-zebra/", outcome.results[:3]


def test_no_result_for_words_absent_from_the_knowledge_base(search_box: SearchBox) -> None:
    outcome = search_box.search("ブロックチェーン")
    assert outcome.results == []
    assert outcome.meta == search_box.page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.none']"
    )


def test_shortcut_enter_and_highlight_after_instant_navigation(page: Page, real_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(real_url)
    page.locator(".md-tabs__link", has_text="用語集").click()  # instant navigation, no reload
    expect(page).to_have_url(re.compile(r"/glossary/$"))
    page.locator("body").press("s")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    page.keyboard.insert_text("認知コア")
    box.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(page.locator(".md-search-result__item mark").first).to_be_visible()
    box.press("Enter")  # Material opens the best result
    expect(page).to_have_url(re.compile(r"/(claims/cognitive-core[^/]*/|glossary/)\?h="))
    expect(page.locator("article mark[data-md-highlight]").first).to_be_visible()
    hosts = {urlsplit(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, hosts
