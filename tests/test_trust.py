"""Voice and status without a browser: the vocabularies and what derives from them, quote numbers
that survive a removed quote, a claim's review, and how the claim page, the lists, the glossary,
the exports and the citation show them. Messages of the checks are in tests/bad_input/cases.yaml."""

from __future__ import annotations

import json
import re
import typing

import pytest
from conftest import FIXTURES, REPO, copy_fixture
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.exports.exports import claim_record, claims_document
from kb.records.model import Annotation, Claim
from kb.records.review import claim_review
from kb.records.vocabulary import STATUSES, VOICES, Status, Voice, css_class, most_serious, seriousness
from kb.site import urls
from kb.site.citation import claim_citation, claim_json_ld, claim_preview
from kb.site.labels import LABELS, published_text
from kb.site.render import Renderer

CSS = (REPO / "docs" / "assets" / "kb-trust.css").read_text(encoding="utf-8")


def test_each_vocabulary_is_declared_once_and_everything_derives_from_it() -> None:
    assert tuple(VOICES) == typing.get_args(Voice)
    assert tuple(STATUSES) == typing.get_args(Status)
    for vocabulary in ("status", "status_en", "status_meaning"):
        assert list(LABELS[vocabulary]) == list(STATUSES)
    assert list(LABELS["voice"]) == list(VOICES)
    schema = Claim.model_json_schema()
    assert schema["properties"]["status"]["anyOf"][0]["enum"] == list(STATUSES)
    assert schema["$defs"]["Quote"]["properties"]["voice"]["enum"] == list(VOICES)
    assert Annotation.model_json_schema()["properties"]["verdict"]["anyOf"][0]["enum"] == list(STATUSES)
    for status in STATUSES:
        assert f".{css_class('status', status)} " in CSS, f"no colour for status {status}"
        assert status in schema["properties"]["status"]["description"]
    assert f".{css_class('voice', 'gloss')} " in CSS


def test_statuses_are_ordered_by_seriousness() -> None:
    assert [seriousness(status) for status in STATUSES] == list(range(len(STATUSES)))
    assert most_serious([]) == "no-issues"
    assert most_serious(["corrected", "disputed", "unverified"]) == "disputed"


def claim(**fields: object) -> Claim:
    base: dict[str, object] = {
        "id": "x", "title": "t", "title_en": "t", "summary": "s", "summary_en": "s", "speaker": "karpathy",
        "kind": "opinion", "topics": ["a"], "quotes": [{"source": "talk", "text": f"q{n}"} for n in range(3)],
    }
    return Claim.model_validate(base | fields)


def test_removed_quotes_keep_every_other_quote_number() -> None:
    assert claim().quote_numbers() == [1, 2, 3]
    removed_first = claim(removed_quotes=[{"number": 1, "reason": "r", "reason_en": "r"}])
    assert removed_first.quote_numbers() == [2, 3, 4]
    assert removed_first.numbered_quote(1) is None
    assert removed_first.numbered_quote(2) == removed_first.quotes[0]
    assert claim(removed_quotes=[{"number": 2, "reason": "r", "reason_en": "r"}]).quote_numbers() == [1, 3, 4]


def test_review_is_the_most_serious_verdict_and_the_first_annotation_giving_it() -> None:
    notes = [
        {"kind": "context", "text": "c", "text_en": "c"},
        {"kind": "fact-check", "text": "f", "text_en": "f", "verdict": "no-issues"},
        {"kind": "correction", "text": "m", "text_en": "m", "verdict": "corrected", "finding": "misheard",
         "finding_en": "misheard"},
        {"kind": "fact-check", "text": "d", "text_en": "d", "verdict": "unverified", "finding": "not confirmed",
         "finding_en": "not confirmed"},
        {"kind": "fact-check", "text": "e", "text_en": "e", "verdict": "unverified", "finding": "second",
         "finding_en": "second"},
    ]
    review = claim_review(claim(annotations=notes))
    assert (review.status, review.annotation, review.finding) == ("unverified", 4, "not confirmed")
    assert claim_review(claim(annotations=notes[:2])) == type(review)("no-issues", None, None)


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> CheckedKnowledgeBase:
    """The small fixture with a narrator, a gloss, a removed quote, a disputed fact-check, a probable
    form and a cross-reference."""
    kb = copy_fixture("small", tmp_path_factory.mktemp("trust"))
    source = kb / "sources" / "talk.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "narrator: narrator\nprimary_sources:\n  - id: episode\n"
                      "    title: 出演回\n    title_en: The episode\n    kind: podcast-episode\n    speaker: karpathy\n"
                      "    published: 2025-10\n    url: unknown\n", encoding="utf-8")
    agi = kb / "claims" / "agi-decade.yaml"
    agi.write_text(agi.read_text(encoding="utf-8").replace(
        "terms: [agi]", "  - source: talk\n    text: これは「エージェントの10年」だということです\n    voice: gloss\n"
        "removed_quotes:\n  - number: 2\n    reason: 語り手の<まとめ>だった。\n    reason_en: The narrator's <summary>.\n"
        "primary_source: episode\nterms: [agi]"
    ) + "  - kind: fact-check\n    text: 疑わしい。\n    text_en: Doubtful.\n    verdict: disputed\n"
        "    finding: 10年以上という点は疑わしい\n    finding_en: More than ten years is doubtful\n",
        encoding="utf-8")
    term = kb / "glossary" / "dwarkesh-patel.yaml"
    term.write_text(term.read_text(encoding="utf-8").replace("misheard: [Darkh]", "misheard: []\n"
                    "probable_forms: [Darkh]\nindex_as:\n  - text: パテル\n    reading: ぱてる"), encoding="utf-8")
    checked, problems = load_and_check(kb)
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


def test_claim_page_opens_with_the_status_and_sets_glosses_and_removed_quotes_apart(trusted: CheckedKnowledgeBase) -> None:
    page = Renderer(trusted).pages()["claims/agi-decade.md"]
    head, rest = page.split("\n## 引用 { #quotes }\n", 1)
    assert 'description: "［疑義あり］ AGIの実現には10年以上かかる。"' in head
    status = re.search(r"\n(<span class=\"kb-status kb-status--disputed\".*)\n\{ #status \.kb-status-line \}\n", head)
    assert status and "10年以上という点は疑わしい → [注記 2](#a2)" in status.group(1)
    assert head.index("{ #status .kb-status-line }") < head.index("{ .kb-title-en")
    assert "出演回（2025年10月）" in head and "URL不明" in head
    reported, glosses = rest.split("\n### ナレーターの補足 { #glosses .kb-glosses }\n", 1)
    assert '<div class="kb-quote" id="q1" markdown>' in reported and "kb-quote--gloss" not in reported
    assert '<div class="kb-quote kb-quote--gloss" id="q3" markdown>' in glosses  # number 2 was removed
    assert "資料の語り手であるナレーターによる説明や言い換えです" in glosses
    removed = glosses.split('<div class="kb-quote kb-quote--removed" id="q2" markdown>', 1)[1]
    assert removed.startswith("\n\n引用 2 は削除されました。語り手の&lt;まとめ&gt;だった。\n")


def test_quotes_and_transcript_mark_probable_names_as_probable(trusted: CheckedKnowledgeBase) -> None:
    pages = Renderer(trusted).pages()
    source = pages["sources/talk.md"]
    assert ('<span class="kb-misheard kb-probable" title="おそらく ドワルケシュ・パテル（Dwarkesh Patel）（確証はありません）">'
            "Darkh</span>[→ おそらく Dwarkesh Patel](../glossary/index.md#dwarkesh-patel){ .kb-correction }") in source
    assert "語り手:" in source and "出演回（2025年10月）" in source
    # a gloss highlighted on the transcript says whose words it is
    assert 'title="AGIは10年以上先（ナレーターの補足）"' in source
    glossary = pages["glossary/index.md"]
    assert "パテル → [ドワルケシュ・パテル](index.md#dwarkesh-patel)\n{ .kb-term-see }" in glossary
    assert "おそらくこの語を指している表現（確証はありません）: 「Darkh」" in glossary


def test_lists_carry_status_and_filter_data(trusted: CheckedKnowledgeBase) -> None:
    pages = Renderer(trusted).pages()
    for page in ("claims/index.md", "topics/agi-timeline.md", "speakers/karpathy.md"):
        item = pages[page].split('<li class="kb-claim-item" data-kb-claim="agi-decade" ', 1)[1].split("</li>", 1)[0]
        assert item.startswith('data-kb-kind="prediction" data-kb-speaker="karpathy" data-kb-status="disputed">'), page
        assert '<span class="kb-status kb-status--disputed"' in item, page
    other = pages["claims/narrator-optimism.md"]
    related, backlinks = other.split("## 関連する主張 { #related }", 1)[1].split("## この主張を参照している主張", 1)
    for part in (related, backlinks):
        assert ("- [AGIは10年以上先](agi-decade.md) <span class=\"kb-status kb-status--disputed\"" in part
                and "{ .kb-related-item data-kb-claim=agi-decade data-kb-status=disputed }" in part), part
    listing = pages["claims/index.md"]
    assert '<form class="kb-filter" data-kb-filter data-kb-total="2" data-kb-shown="' in listing
    assert ' hidden aria-label=' in listing.split("<form", 1)[1].split(">", 1)[0]
    assert '<option value="disputed">疑義あり（1）</option>' in listing
    assert '<option value="karpathy">アンドレイ・カルパシー（1）</option>' in listing
    assert '<section class="kb-filter-group" data-kb-filter-group data-kb-topic="agi-timeline" markdown>' in listing


def test_exports_citation_json_ld_and_preview_carry_the_review(trusted: CheckedKnowledgeBase) -> None:
    agi = trusted.kb.claims["agi-decade"]
    record = claim_record(trusted, agi)
    assert record["status"] == "disputed" and record["primary_source"] == "episode"
    assert [(q["url"], q["voice"]) for q in record["quotes"]] == [
        ("claims/agi-decade/#q1", "reported"), ("claims/agi-decade/#q3", "gloss")]
    assert record["removed_quotes"] == [{"url": "claims/agi-decade/#q2", "reason": "語り手の<まとめ>だった。",
                                         "reason_en": "The narrator's <summary>."}]
    assert record["annotations"][1] == {"kind": "fact-check", "text": "疑わしい。", "text_en": "Doubtful.",
                                        "verdict": "disputed", "finding": "10年以上という点は疑わしい",
                                        "finding_en": "More than ten years is doubtful"}
    source = claims_document(trusted)["sources"][0]
    assert source["narrator"] == "narrator"
    assert source["primary_sources"][0] == {"id": "episode", "title": "出演回", "title_en": "The episode",
                                            "kind": "podcast-episode", "speaker": "karpathy",
                                            "published": "2025-10", "url": "unknown"}
    json.dumps(record)  # plain data
    citation = claim_citation(trusted.kb, agi, "https://example.org/")
    assert citation.plain == ("アンドレイ・カルパシーの主張（編集者による要約）: AGIは10年以上先 ［疑義あり］ "
                              "出典: テスト用の講演 https://example.org/claims/agi-decade/")
    data = claim_json_ld(trusted, agi, "https://example.org/", "KB")
    assert [q["text"] for q in data["appearance"]] == ["彼はAGIは10年以上先だと言いました"]  # not the gloss
    assert data["review"]["reviewRating"] == {
        "@type": "Rating", "name": "疑義あり", "alternateName": "disputed",
        "ratingExplanation": "10年以上という点は疑わしい", "url": "https://example.org/claims/agi-decade/#a2"}
    assert claim_preview(trusted.kb, agi, "KB", LABELS["kind"]).badge == "確認: 疑義あり"


@pytest.mark.parametrize(("published", "shown"), [("2025", "2025年"), ("2025-01", "2025年1月"),
                                                  ("2025-10-17", "2025年10月17日"), ("unknown", "日付不明")])
def test_publication_dates_print_as_given(published: str, shown: str) -> None:
    assert published_text(published) == shown


def test_real_knowledge_base_marks_every_quote_and_claim() -> None:
    for path in sorted((REPO / "claims").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.count("  - source: ") == text.count("    voice: "), f"{path.name}: a quote without voice"
        assert re.search(r"^status: ", text, re.MULTILINE), f"{path.name}: no status"
    checked, problems = load_and_check(REPO)
    assert checked is not None, [str(p) for p in problems.sorted()]
    statuses = [claim_review(c).status for c in checked.kb.claims.values()]
    assert statuses.count("disputed") >= 1 and statuses.count("corrected") >= 1
    ghosts = checked.kb.claims["llms-are-ghosts-not-animals"]
    assert ghosts.quote_numbers()[0] == 2, "the removed first quote keeps #q1 for its note"


def test_fixtures_used_elsewhere_stay_valid() -> None:
    for name in ("small", "cite", "hostile"):
        checked, problems = load_and_check(FIXTURES / name)
        assert checked is not None, (name, [str(p) for p in problems.sorted()])


def test_anchors_come_from_one_place() -> None:
    assert (urls.quote_anchor(3), urls.annotation_anchor(2), urls.STATUS_ANCHOR) == ("q3", "a2", "status")
    assert (urls.paragraph_anchor(12), urls.term_anchor("rl")) == ("p12", "rl")
    assert urls.quote_url("c", 2) == urls.claim_url("c") + "#q2"
    assert urls.term_url("rl") == "glossary/#rl" and urls.paragraph_url("s", 3) == "sources/s/#p3"
    # Every other module and template asks urls for an anchor: none writes #qN, #pN, #aN or a term's
    # anchor by hand (the forms they took before, in ten places).
    hand_written = re.compile(r"""#[pqa]\{|#[pqa]\{\{|'#[pqa]'|"#[pqa]"|id="[pqa]\{|GLOSSARY_PAGE\)?}#|\{ #\{\{ term\.id""")
    code = [*(REPO / "scripts" / "kb").rglob("*.py"), *(REPO / "scripts" / "kb").rglob("*.j2")]
    for path in sorted(p for p in code if p.name != "urls.py"):
        found = hand_written.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(REPO)}: {found and found.group()}"
