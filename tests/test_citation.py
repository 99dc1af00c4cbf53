"""Citation text, JSON-LD serialisation and link-preview images, without building a site."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, REPO
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.site.citation import claim_citation, claim_json_ld, claim_preview, markdown_text, script_json
from kb.site.labels import LABELS
from kb.site.ogimage import (
    BAND_HEIGHT,
    CARD_SIZE,
    LEVEL_PAPER,
    MARGIN,
    NO_LINE_END,
    NO_LINE_START,
    Card,
    CardCache,
    CardPainter,
    FontNotFound,
    find_font,
    max_lines,
    wrap,
)
from kb.site.render import Renderer
from PIL import Image

SITE = "https://example.org/kb/"
HOSTILE = '</script><script>alert("x")</script><!-- "\'><img src=x onerror=alert(1)> & \u2028 {{ x }}'


def checked_kb(root: Path) -> CheckedKnowledgeBase:
    checked, problems = load_and_check(root)
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


@pytest.fixture(scope="module")
def cite() -> CheckedKnowledgeBase:
    return checked_kb(FIXTURES / "cite")


@pytest.fixture(scope="module")
def real() -> CheckedKnowledgeBase:
    return checked_kb(REPO)


@pytest.fixture(scope="module")
def painter() -> CardPainter:
    return CardPainter(find_font())


def test_citation_of_a_claim(cite: CheckedKnowledgeBase) -> None:
    claim = cite.kb.claims["agi-more-than-a-decade"]
    citation = claim_citation(cite.kb, claim, SITE)
    assert citation.url == "https://example.org/kb/claims/agi-more-than-a-decade/"
    assert citation.plain == (
        "アンドレイ・カルパシーの主張（編集者による要約）: AGIは10年以上先 ［指摘なし］ 出典: テスト用の講演 "
        "https://example.org/kb/claims/agi-more-than-a-decade/"
    )
    assert citation.markdown == (
        "アンドレイ・カルパシーの主張（編集者による要約）: [AGIは10年以上先](https://example.org/kb/claims/agi-more-than-a-decade/)"
        " ［指摘なし］ 出典: [テスト用の講演](https://example.org/kb/sources/talk/)"
    )


def test_speaker_without_japanese_name_uses_name(cite: CheckedKnowledgeBase) -> None:
    citation = claim_citation(cite.kb, cite.kb.claims["narrator-optimism"], SITE)
    assert citation.speaker == "ナレーター"
    assert citation.plain.startswith("ナレーターの主張（編集者による要約）: ナレーターはより楽観的 ［書き起こしを訂正］ ")


@pytest.mark.parametrize("claim_id", ["agi-more-than-a-decade", "narrator-optimism", "hostile-title"])
def test_citation_puts_no_quotation_marks_around_the_editors_words(cite: CheckedKnowledgeBase, claim_id: str) -> None:
    claim = cite.kb.claims[claim_id]
    citation = claim_citation(cite.kb, claim, SITE)
    for text in (citation.plain, re.sub(r"\\(.)", r"\1", citation.markdown)):
        title = " ".join(claim.title.split())
        at = text.index(title)
        assert text[at - 1] not in "「『“\"" and text[at + len(title)] not in "」』”\"", text
        assert not re.search("[「」『』“”]", text.replace(title, "").replace(cite.kb.sources["talk"].meta.title, "")), text


def test_markdown_citation_keeps_hostile_title_literal(cite: CheckedKnowledgeBase) -> None:
    citation = claim_citation(cite.kb, cite.kb.claims["hostile-title"], SITE)
    link_text = citation.markdown.split("（編集者による要約）: [", 1)[1].split("](https://example.org/kb/claims/hostile-title/)", 1)[0]
    assert "](" not in link_text.replace("\\]", "").replace("\\(", "")
    assert re.sub(r"\\(.)", r"\1", link_text) == " ".join(cite.kb.claims["hostile-title"].title.split())


@pytest.mark.parametrize(("text", "expected"), [
    ("a [b](c) *d* _e_ `f` <g> \\h #i |j ~k !l", "a \\[b\\](c) \\*d\\* \\_e\\_ \\`f\\` \\<g\\> \\\\h \\#i \\|j \\~k \\!l"),
    ("改行\nと  空白", "改行 と 空白"),
    ("&lt;img src=x onerror=f()&gt; &amp; a & b", "\\&lt;img src=x onerror=f()\\&gt; \\&amp; a \\& b"),
])
def test_markdown_text(text: str, expected: str) -> None:
    assert markdown_text(text) == expected


def test_script_json_cannot_close_the_script_element() -> None:
    value = {"name": HOSTILE, "list": [HOSTILE]}
    text = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


@pytest.mark.parametrize("character", ["<", ">", "&", "\u2028", "\u2029"])
def test_script_json_escapes_each_unsafe_character_alone(character: str) -> None:
    text = script_json({"name": f"認知コア{character}cognitive core"})
    assert character not in text
    assert json.loads(text) == {"name": f"認知コア{character}cognitive core"}


def test_json_ld_of_a_claim(cite: CheckedKnowledgeBase) -> None:
    claim = cite.kb.claims["agi-more-than-a-decade"]
    data = claim_json_ld(cite, claim, SITE, "KB")
    assert data["@type"] == "Claim"
    assert data["url"] == data["@id"] == "https://example.org/kb/claims/agi-more-than-a-decade/"
    assert (data["name"], data["text"]) == (claim.title, claim.summary)
    assert data["author"] == {"@type": "Person", "name": "Andrej Karpathy", "alternateName": "アンドレイ・カルパシー",
                              "url": "https://example.org/kb/speakers/karpathy/"}
    assert data["firstAppearance"]["@type"] == "CreativeWork"
    assert data["firstAppearance"]["url"] == "https://example.org/kb/sources/talk/"
    assert data["appearance"] == [{
        "@type": "Quotation", "text": "彼はAGIは10年以上先だと言いました", "url": "https://example.org/kb/sources/talk/#p2",
        "isPartOf": data["firstAppearance"],
    }]
    assert data["comment"] == [{
        "@type": "Comment", "additionalType": "context", "text": "ポッドキャストでの発言。",
        "url": "https://example.org/kb/claims/agi-more-than-a-decade/#a1",
        "citation": {"@type": "CreativeWork", "name": "Example", "url": "https://example.org/page_(x)"},
    }]


def test_rendered_buttons_carry_escaped_citations(cite: CheckedKnowledgeBase) -> None:
    markdown = Renderer(cite, site_url=SITE).pages()["claims/hostile-title.md"]
    block = markdown.split('<div class="kb-cite"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in block and "<img" not in block
    assert '&lt;/script&gt;&lt;script&gt;alert(&quot;title&quot;)' in block
    assert re.search(r'\n\n<div class="kb-cite"[^\n]*>\n(<button [^\n]*</button>\n){3}<span [^\n]*</span>\n</div>\n\n', markdown)


def test_card_is_1200_by_630_and_deterministic(painter: CardPainter, cite: CheckedKnowledgeBase,
                                               tmp_path: Path) -> None:
    card = claim_preview(cite.kb, cite.kb.claims["agi-more-than-a-decade"], "サイト名", LABELS["kind"])
    first, second = painter.png(card), painter.png(card)
    assert first == second
    (tmp_path / "card.png").write_bytes(first)
    with Image.open(tmp_path / "card.png") as image:
        assert image.size == CARD_SIZE
        assert image.format == "PNG"


def test_every_real_title_and_speaker_has_glyphs(painter: CardPainter, real: CheckedKnowledgeBase) -> None:
    missing = {}
    for claim in real.kb.claims.values():
        card = claim_preview(real.kb, claim, "Karpathy「エージェントの10年」注釈付きナレッジベース", LABELS["kind"])
        for text in (card.title, card.byline, card.footer, card.site):
            if painter.missing_glyphs(text):
                missing[claim.id] = painter.missing_glyphs(text)
    assert missing == {}


def test_missing_glyphs_are_detected(painter: CardPainter) -> None:
    assert painter.missing_glyphs("AGI「認知コア」😀\U000e0001") == ["😀", "\U000e0001"]


def test_title_ink_reaches_the_card(painter: CardPainter) -> None:
    blank = painter.draw(Card("サイト", "", "発言者", "主張"))
    titled = painter.draw(Card("サイト", "認知コア", "発言者", "主張"))
    assert blank.tobytes() != titled.tobytes()


@pytest.mark.parametrize("title", [
    "「エージェントの年」と「エージェントの10年」は意味が違う（ナレーターの解釈）",
    "事前学習は知識、ファインチューニングは習慣、人間の学習はシステムプロンプトの変化に近い" * 2,
    "AGI、AGI、AGI、AGI。" * 8,
])
def test_wrapped_lines_respect_kinsoku_and_width(painter: CardPainter, title: str) -> None:
    font = painter.font(58)
    lines = wrap(title, font, 1056)
    assert "".join(lines) == title
    for line in lines:
        assert font.getlength(line) <= 1056 + font.size
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, lines


def test_latin_words_are_not_split(painter: CardPainter) -> None:
    lines = wrap("Claudeのシステムプロンプトは1万7000語あり、Andrej Karpathy が supervision を語る", painter.font(64), 500)
    words = {"Claude", "Andrej", "Karpathy", "supervision", "7000"}
    assert all(any(word in line for line in lines) for word in words), lines


UNBROKEN_TITLES = [
    "A" * 300,
    "W" * 300,
    "Ｗ" * 300,
    "https://example.org/" + "a" * 280,
    "AGIは10年以上先" + "x" * 280,
    "「" * 300,
    "。" * 300,
    "supercalifragilistic " * 14,
]


@pytest.mark.parametrize("title", UNBROKEN_TITLES)
def test_title_lines_fit_the_card_whatever_the_title(painter: CardPainter, title: str) -> None:
    size, lines = painter.title_layout(title, 1056)
    font = painter.font(size)
    assert lines and all(font.getlength(line) <= 1056 for line in lines), [font.getlength(line) for line in lines]
    assert len(lines) <= max_lines(size)
    if len(title) >= 300:
        assert lines[-1].endswith("…")  # 300 characters never fit: the cut is marked


@pytest.mark.parametrize("title", UNBROKEN_TITLES)
def test_title_ink_stays_inside_the_margins(painter: CardPainter, title: str) -> None:
    """Drawn without site, byline or footer, every pixel of ink below the band is the title's: it
    lies within the side margins and above the byline."""
    levels = np.asarray(painter.draw(Card("", title, "", "")))  # palette indices: the grey levels drawn
    byline_top = CARD_SIZE[1] - 128 - 34
    rows, columns = np.nonzero(levels[BAND_HEIGHT + 1 : CARD_SIZE[1] - 100] != LEVEL_PAPER)
    assert columns.size, "no title drawn"
    assert MARGIN - 8 <= columns.min() and columns.max() < CARD_SIZE[0] - MARGIN + 8, (columns.min(), columns.max())
    assert rows.max() + BAND_HEIGHT + 1 < byline_top, "the title runs into the byline"


def test_overlong_title_is_cut_with_an_ellipsis(painter: CardPainter) -> None:
    size, lines = painter.title_layout("長い題名" * 80, 1056)
    assert size == 42 and len(lines) == 4 and lines[-1].endswith("…")


def test_cache_draws_each_card_once(tmp_path: Path, painter: CardPainter) -> None:
    cache = CardCache(tmp_path / "cache", painter)
    card = Card("サイト", "認知コア", "発言者: ナレーター", "主張")
    first = cache.image(card)
    assert cache.image(card) == first and cache.drawn == 1
    cache.image(Card("サイト", "認知コアの特徴", "発言者: ナレーター", "主張"))
    assert cache.drawn == 2
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".png", ".png"]


def test_a_new_cache_reuses_the_images_already_in_its_folder(tmp_path: Path, painter: CardPainter) -> None:
    card = Card("サイト", "認知コア", "発言者: ナレーター", "主張")
    drawn = CardCache(tmp_path / "cache", painter).image(card)
    (tmp_path / "cache" / "unrelated.tmp").write_bytes(b"")
    later = CardCache(tmp_path / "cache", painter)
    assert later.image(card) == drawn and later.drawn == 0
    drawn.unlink()  # removed between builds: the next build draws it again
    again = CardCache(tmp_path / "cache", painter)
    assert again.image(card) == drawn and again.drawn == 1 and drawn.is_file()


def test_a_build_whose_cards_are_cached_does_not_load_pillow(tmp_path: Path, painter: CardPainter) -> None:
    card = Card("サイト", "認知コア", "発言者: ナレーター", "主張")
    drawn = CardCache(tmp_path / "cache", painter).image(card)
    code = (
        "import sys; from pathlib import Path; import kb.adapters.mkdocs_plugin; from kb.site.ogimage import Card, card_cache;"
        f"cache = card_cache(Path({str(tmp_path / 'cache')!r}));"
        "path = cache.image(Card('サイト', '認知コア', '発言者: ナレーター', '主張'));"
        "print(path, cache.drawn, 'PIL' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == [str(drawn), "0", "False"]


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_OG_FONT", "/nonexistent/font.otf")
    with pytest.raises(FontNotFound, match=r"fonts-noto-cjk.*KB_OG_FONT.*/nonexistent/font\.otf.*KB_OG_IMAGES=off"):
        find_font()


def test_switch_turns_cards_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kb.output.generated import preview_cache

    monkeypatch.setenv("KB_OG_FONT", "/nonexistent/font.otf")  # not even looked for
    assert preview_cache(tmp_path, previews=False) is None


def test_publish_workflow_builds_with_make_and_deploys_to_pages() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build]
    uses = [step.get("uses", "") for step in build + workflow["jobs"]["deploy"]["steps"]]
    make_build = next(step for step in build if step.get("run") == "make build")
    assert "vars.SITE_URL" in make_build["env"]["SITE_URL"]
    assert any("kb publish --check" in run for run in runs)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


@pytest.mark.parametrize(("text", "size"), [("認知コアの特徴：AGI、Andrej Karpathy（2025年）", 64), ("発言者: ナレーター / Narrator", 34)])
def test_cached_glyphs_draw_what_pillow_draws(painter: CardPainter, text: str, size: int) -> None:
    from PIL import ImageDraw

    expected = Image.new("L", (1200, 200), 0)
    ImageDraw.Draw(expected).text((40, 120), text, font=painter.font(size), fill=127, anchor="ls")
    drawn = Image.new("L", (1200, 200), 0)
    painter.text(drawn, (40, 120), text, size, 127)
    painter.text(drawn.copy(), (40, 120), text, size, 127)
    assert expected.getbbox() is not None
    assert drawn.tobytes() == expected.tobytes()
