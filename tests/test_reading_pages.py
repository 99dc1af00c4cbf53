"""Rendered reading pages: term links and tooltips, escaping, transcript segments, glossary order."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest
from conftest import build_site, copy_fixture
from kb.adapters.pipeline import load_and_check
from kb.site import urls
from kb.site.escape import attr
from kb.site.render import Renderer
from kb.site.transcript import paragraph_pieces

FIXTURE = Path(__file__).parent / "fixtures" / "small"


def pages(kb: Path = FIXTURE) -> dict[str, str]:
    checked, problems = load_and_check(kb)
    assert not problems, [str(p) for p in problems.sorted()]
    assert checked is not None
    return Renderer(checked).pages()


class Elements(html.parser.HTMLParser):
    """Every start tag of a page with its attributes and the text right inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.tags.append((tag, {k: v or "" for k, v in attrs}, text))
        self._open.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].append(data)

    def find(self, tag: str, css_class: str) -> list[tuple[dict[str, str], str]]:
        return [(a, "".join(t)) for name, a, t in self.tags if name == tag and css_class in a.get("class", "").split()]


def parse(file: Path) -> Elements:
    parser = Elements()
    parser.feed(file.read_text(encoding="utf-8"))
    return parser


def test_terms_link_in_claim_text_but_never_in_quotes() -> None:
    page = pages()["claims/agi-decade.md"]
    summary = page.split("{ .kb-summary }")[0].rsplit("\n\n", 1)[1]
    assert summary.startswith('<a class="kb-term" href="../../glossary/#agi" title="AGI（artificial general intelligence）'
                              ': 人間並みに幅広い課題をこなせるAI。">AGI</a>の実現には10年以上かかる。')
    quotes = page.split("## 引用")[1].split("##")[0]
    assert "> 彼はAGIは10年以上先だと言いました\n" in quotes
    assert "kb-term" not in quotes


def test_glossary_lists_rows_in_gojuon_order() -> None:
    glossary = pages()["glossary/index.md"]
    assert glossary.index("## あ行") < glossary.index("### AGI {") < glossary.index("## た行")
    assert glossary.index("## た行") < glossary.index("### ドワルケシュ・パテル {")
    assert '<p class="kb-used-by">使われている主張（1）: <a class="kb-chip" href="../claims/agi-decade/">AGIは10年以上先</a></p>' in glossary


def test_backlinks_are_grouped_by_relation() -> None:
    page = pages()["claims/narrator-optimism.md"]
    backlinks = page.split("## この主張を参照している主張 { #backlinks }")[1].split("\n## ")[0]
    assert "**この主張と対比される主張** <span class=\"kb-en\" lang=\"en\">contrasted by</span>" in backlinks
    assert "[AGIは10年以上先](agi-decade.md)" in backlinks


def test_attribute_text_is_inert_in_markdown_and_html() -> None:
    assert attr('a "b" <c> `d` [e](f) \\g & h {i} *j* _k_ |l|') == (
        "a &quot;b&quot; &lt;c&gt; &#96;d&#96; &#91;e&#93;(f) &#92;g &amp; h &#123;i&#125; &#42;j&#42; &#95;k&#95; "
        "&#124;l&#124;")


def test_linked_terms_keep_the_spaces_that_separate_words() -> None:
    page = pages()["claims/agi-decade.md"]
    assert '">AGI</a> is more than a decade away\n{ .kb-title-en lang="en" }' in page
    assert '">AGI</a> will take more than ten years\\.\n' in page


def test_relative_urls_for_raw_html() -> None:
    assert urls.relative_url("glossary/index.md#agi", "claims/x.md") == "../../glossary/#agi"
    assert urls.relative_url("claims/y.md#q2", "index.md") == "claims/y/#q2"
    assert urls.relative_url("index.md", "sources/s.md") == "../../"
    assert urls.relative_url("#p3", "sources/s.md") == "#p3"


def test_hostile_definitions_and_titles_stay_text_in_the_built_site(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    hostile = 'x" onmouseover="alert(1)" `code` [link](javascript:alert(2)) <script>alert(3)</script> \\* &amp;'
    term = kb / "glossary" / "agi.yaml"
    term.write_text(term.read_text(encoding="utf-8").replace(
        "definition: 人間並みに幅広い課題をこなせるAI。", f"definition: '{hostile}'").replace(
        "definition_en: AI that can handle as broad a range of tasks as a human.", f"definition_en: '{hostile}'"),
        encoding="utf-8")
    claim = kb / "claims" / "agi-decade.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace(
        "title_en: AGI is more than a decade away", "title_en: '<b>AGI</b> is [more](x) than `a` decade'"),
        encoding="utf-8")
    site = build_site(kb, tmp_path / "site")
    page = parse(site / "claims" / "agi-decade" / "index.html")
    links = page.find("a", "kb-term")
    # in Japanese text the Japanese definition, in English text (title_en, summary_en) the English one
    assert {a["title"] for a, _ in links} == {f"AGI（artificial general intelligence）: {hostile}",
                                             f"artificial general intelligence: {hostile}"}
    assert all(set(a) == {"class", "href", "title"} for a, _ in links)
    assert [text for _, text in links][:2] == ["AGI", "AGI"]
    for document in (page, parse(site / "glossary" / "index.html")):
        assert not [a for _, a, _ in document.tags if "onmouseover" in a]
        assert not [a for t, a, _ in document.tags if t == "a" and a.get("href", "").startswith("javascript")]
        assert not [t for t, _, text in document.tags if t == "script" and "alert" in "".join(text)]
        assert not [t for t, _, _ in document.tags if t == "b"]
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in glossary
    source = parse(site / "sources" / "talk" / "index.html")
    chips = source.find("a", "kb-chip")
    assert chips and chips[0][0]["title"] == "<b>AGI</b> is [more](x) than `a` decade"


def test_a_segment_can_mark_part_of_a_paragraph(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    meta = kb / "sources" / "talk.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "  - paragraphs: [3]\n    kind: plug\n"
                    "    text: Darkhポッドキャストでの話です。\n", encoding="utf-8")
    checked, problems = load_and_check(kb)
    assert not problems and checked is not None
    assert checked.coverage()[0].substantive == [2, 3, 4]
    renderer = Renderer(checked)
    pieces = paragraph_pieces(renderer.index, "talk", 3, checked.kb.sources["talk"].text.paragraphs[2].text)
    assert [(p.text, p.segment, p.segment_starts, bool(p.quotes), p.correction is not None) for p in pieces] == [
        ("私は彼よりもはるかに楽観的です", None, False, True, False),
        ("。", None, False, False, False),
        ("Darkh", "plug", True, False, True),
        ("ポッドキャストでの話です。", "plug", False, False, False),
    ]
    page = renderer.pages()["sources/talk.md"]
    assert '<span class="kb-noncontent-span" data-kb-label="告知（本文外）"><span class="kb-misheard"' in page


def test_segment_span_problems_are_located(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    meta = kb / "sources" / "talk.yaml"
    meta.write_text(meta.read_text(encoding="utf-8")
                    + "  - paragraphs: [3]\n    kind: plug\n    text: ニュースレター\n"
                    + "  - paragraphs: [2, 3]\n    kind: sponsor\n    text: 彼は\n"
                    + "  - paragraphs: [4]\n    kind: plug\n    text: 同じ文です。\n", encoding="utf-8")
    checked, problems = load_and_check(kb)
    assert checked is None
    assert [str(p) for p in problems.sorted()] == [
        ("sources/talk.yaml:17:11: source 'talk': segments[1]: text must occur exactly once in paragraph 3; "
        "expected a verbatim span of p3; found 'ニュースレター' nowhere in it"),
        ("sources/talk.yaml:18:17: source 'talk': segments[2]: a segment with 'text' marks part of one paragraph; "
        "expected one paragraph number; found 2"),
        ("sources/talk.yaml:23:11: source 'talk': segments[3]: text must occur exactly once in paragraph 4; "
        "expected a verbatim span of p4; found it more than once"),
    ]


def test_field_reference_shows_names_and_code_as_written(small_site: Path) -> None:
    """Field names and the docstrings' `code` spans print as an editor must type them: no escapes."""
    page = (small_site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert "<code>title_en</code>" in page
    assert "<code>former_ids</code>" in page
    assert "<code>claims/&lt;id&gt;/</code>" in page  # from the `id` field's docstring
    assert "<code>speakers.yaml</code>" in page
    assert "\\_" not in page
    assert "`" not in page.split("<article", 1)[1].split("</article>", 1)[0]


def test_a_name_equal_in_both_languages_is_printed_once() -> None:
    """xAI, Deep Blue, Grok 5: the same in Japanese and English, so no 'Grok 5 Grok 5' or 'xAI（xAI）'."""
    repo = Path(__file__).resolve().parents[1]
    rendered = pages(repo)
    claim = rendered["claims/musk-grok-5-challenge.md"]
    assert "## 用語 { #terms }" in claim  # the term list is there, each name in it once
    assert 'lang="en">Grok 5</span>' not in claim and 'lang="en">xAI</span>' not in claim
    assert "Grok 5（Grok 5）" not in claim and "xAI（xAI）" not in claim
    assert "Grok 5: xAIが開発を進めている" in claim  # the tooltip names it once
    glossary = rendered[urls.GLOSSARY_PAGE]
    assert 'lang="en">Deep Blue</span>' not in glossary
    assert 'lang="en">artificial general intelligence</span>' in glossary  # different names still both shown


ACTIVE_TAB = re.compile(r'md-tabs__item--active">\s*<a href="[^"]*"[^>]*>\s*([^<\s]+)')


@pytest.mark.parametrize(("page", "tab"), [
    ("claims/decade-of-agents", "主張"), ("topics/agi-timeline", "トピック"), ("speakers/karpathy", "発言者"),
    ("sources/karpathy-decade-of-agents", "資料"), ("claims", "主張"), ("glossary", "用語集"),
])
def test_every_page_shows_the_tab_of_its_section(real_site: Path, page: str, tab: str) -> None:
    """Claim, topic, speaker and source pages are not in the nav, yet their section's tab is marked."""
    html = (real_site / page / "index.html").read_text(encoding="utf-8")
    assert ACTIVE_TAB.findall(html) == [tab]
