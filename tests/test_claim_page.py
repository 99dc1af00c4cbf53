"""The claim page, written by `Renderer.claim_page` (Python, not a template): its sections and links
for claims of every shape. The golden files hold its exact bytes for the small fixture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.site import urls
from kb.site.labels import LABELS
from kb.site.render import Renderer
from kb_bench.synth import generate, write

SECTIONS = ["## 引用 { #quotes }", "## 注記 { #annotations }", "## 関連する主張 { #related }",
            "## この主張を参照している主張 { #backlinks }", "## 用語 { #terms }"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> CheckedKnowledgeBase:
    folder = tmp_path_factory.mktemp("synth") / "kb"
    write(generate(300, seed=7), folder)
    checked, problems = load_and_check(folder)
    assert checked is not None, [str(p) for p in problems.sorted()][:5]
    return checked


def test_sections_appear_in_order_exactly_when_the_claim_has_them(synthetic: CheckedKnowledgeBase) -> None:
    renderer = Renderer(synthetic)
    kb = synthetic.kb
    shapes = set()
    for claim in kb.claims.values():
        page = renderer.claim_page(claim, urls.claim_page(claim.id))
        present = [bool(claim.quotes), bool(claim.annotations), bool(claim.related),
                   bool(renderer.index.backlinks.get(claim.id)), bool(claim.terms)]
        shapes.add(tuple(present))
        found = [section for section in SECTIONS if f"\n{section}\n" in page]
        assert found == [section for section, wanted in zip(SECTIONS, present, strict=True) if wanted], claim.id
        assert page.startswith("---\ndescription: ") and page.endswith("\n") and "\n\n\n\n" not in page
    assert len(shapes) >= 4, f"the synthetic claims should vary in shape: {shapes}"


def test_quotes_relations_and_terms_link_where_they_should(synthetic: CheckedKnowledgeBase) -> None:
    renderer = Renderer(synthetic)
    kb = synthetic.kb
    for claim in list(kb.claims.values())[:120]:
        page = renderer.claim_page(claim, urls.claim_page(claim.id))
        for number, quote in enumerate(claim.quotes, start=1):
            paragraph = synthetic.quote_spans[(claim.id, number - 1)].paragraph
            assert f'<div class="kb-quote" id="q{number}" markdown>' in page
            assert f"¶{paragraph} " in page  # the label names the paragraph; the link lands on the quote's own span
            assert f"](../sources/{quote.source}.md#{claim.id}-q{number}){{ .kb-in-context }}" in page
        headings = re.findall(r"\{ \.kb-relation-heading \.kb-rel-([a-z-]+) \}", page)
        related = sorted({r.relation for r in claim.related})
        backlinks = sorted({b.relation for b in renderer.index.backlinks.get(claim.id, [])})
        assert headings == related + backlinks, claim.id  # each group once, kinds in alphabetical order
        for relation in claim.related:
            assert f"]({relation.id}.md) <span class=\"kb-status " in page
        for term_id in claim.terms:
            assert f"](../glossary/index.md#{term_id})** " in page
        for kind in related:
            assert f"**{LABELS['relation'][kind]}**" in page


def test_hostile_record_text_stays_text() -> None:
    # The front matter is YAML, written by `yaml_string`; everything after it is Markdown and HTML.
    fixture = Path(__file__).parent / "fixtures" / "hostile"
    checked, problems = load_and_check(fixture)
    assert checked is not None, [str(p) for p in problems.sorted()]
    renderer = Renderer(checked)
    for claim in checked.kb.claims.values():
        body = renderer.claim_page(claim, urls.claim_page(claim.id)).split("\n---\n", 1)[1]
        assert "<script" not in body.lower() and "<textarea" not in body.lower()
        assert "&amp;lt;b&amp;gt;" not in body  # escaped once (the fixture's own '&lt;' forms do become '&amp;lt;')
