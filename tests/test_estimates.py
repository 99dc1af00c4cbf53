"""`estimates.yaml`: every figure of the timeline chart is tied to a checked quote."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture
from kb.adapters.pipeline import load_and_check
from kb.site.render import Renderer

VALID = """\
title: 時間軸
title_en: Timeline
base_year: 2025
groups:
  - title: AGI
    title_en: AGI
    estimates:
      - id: agi
        label: AGIは10年以上先
        label_en: AGI is more than a decade away
        claim: agi-decade
        quote: 1
        evidence: 10年以上先
        start: 2035
        open_ended: true
      - id: narrator
        label: ナレーター
        label_en: The narrator
        claim: narrator-optimism
        quote: 1
        evidence: はるかに楽観的
        relative_to: agi
        direction: earlier
"""


def check(tmp_path: Path, estimates: str) -> tuple[object, list[str]]:
    kb = copy_fixture("small", tmp_path)
    (kb / "estimates.yaml").write_text(estimates, encoding="utf-8")
    checked, problems = load_and_check(kb)
    return checked, [str(p) for p in problems.sorted()]


def test_valid_estimates_are_drawn_on_the_home_page(tmp_path: Path) -> None:
    checked, problems = check(tmp_path, VALID)
    assert problems == []
    assert checked is not None and checked.estimates is not None  # type: ignore[attr-defined]
    home = Renderer(checked).pages()["index.md"]  # type: ignore[arg-type]
    assert home.count('class="kb-chart-svg"') == 2  # desktop and phone drawings
    assert 'xlink:href="claims/agi-decade/#q1"' in home
    assert "「彼はAGIは10年以上先だと言いました」" in home


def test_without_the_file_there_is_no_chart(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    checked, problems = load_and_check(kb)
    assert not problems and checked is not None and checked.estimates is None
    assert "kb-chart-svg" not in Renderer(checked).pages()["index.md"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("claim: agi-decade", "claim: agi-decad", [
            ("estimates.yaml:11:16: estimate 'agi': unknown claim 'agi-decad'; expected the id of a claim; "
            "found 'agi-decad'")]),
        ("quote: 1\n        evidence: 10年", "quote: 3\n        evidence: 10年", [
            ("estimates.yaml:12:16: estimate 'agi': no quote 3 in claim 'agi-decade'; expected a number from 1 to 1; "
            "found 3")]),
        ("evidence: 10年以上先", "evidence: 20年以上先", [
            ("estimates.yaml:13:19: estimate 'agi': evidence not found in quote 1 of claim 'agi-decade'; expected words "
            "copied from the quote; found '20年以上先'"),
            ("estimates.yaml:14:16: estimate 'agi': year 2035 is not stated in the evidence; expected '2035' or '10年' "
            "in it, or a 'derivation'; found '20年以上先'")]),
        ("start: 2035", "start: 2036", [
            ("estimates.yaml:14:16: estimate 'agi': year 2036 is not stated in the evidence; expected '2036' or '11年' "
            "in it, or a 'derivation'; found '10年以上先'")]),
        ("start: 2035", "start: 2025", [  # the 0年 of 10年 is not the base year plus nothing
            ("estimates.yaml:14:16: estimate 'agi': year 2025 is not stated in the evidence; expected '2025' or '0年' "
            "in it, or a 'derivation'; found '10年以上先'")]),
        ("start: 2035", "start: 12035", [
            ("estimates.yaml:14:16: estimates.yaml: field 'groups[0].estimates[0].start': out of range; expected at "
            "most 2200; found integer 12035")]),
        ("relative_to: agi", "relative_to: ag", [
            ("estimates.yaml:22:22: estimate 'narrator': unknown estimate 'ag'; expected the id of an estimate with "
            "years; found 'ag'")]),
        ("        direction: earlier\n", "        direction: earlier\n        start: 2030\n", [
            ("estimates.yaml:22:22: estimate 'narrator': expected either years ('start') or a comparison "
            "('relative_to' and 'direction'); found both"),
            ("estimates.yaml:24:16: estimate 'narrator': year 2030 is not stated in the evidence; expected '2030' or "
            "'5年' in it, or a 'derivation'; found 'はるかに楽観的'")]),
        ("      - id: narrator", "      - id: agi", [
            ("estimates.yaml:16:13: estimate 'agi': duplicate id; expected each id once; found it again (first at "
            "estimates.yaml:8:13)")]),
        ("open_ended: true", "open_ended: yes please", [
            ("estimates.yaml:15:21: estimates.yaml: field 'groups[0].estimates[0].open_ended': wrong type; expected "
            "true or false; found text 'yes please'")]),
        ("direction: earlier", "directon: earlier", [
            ("estimates.yaml:23:9: estimates.yaml: unknown field 'groups[0].estimates[1].directon'; expected one of id, "
            "label, label_en, claim, quote, evidence, start, end, open_ended, derivation, derivation_en, relative_to, "
            "direction; "
            "found 'directon' (did you mean 'direction'?)")]),
    ],
)
def test_each_problem_is_reported_at_its_place(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert old in VALID
    checked, problems = check(tmp_path, VALID.replace(old, new))
    assert checked is None
    assert problems == expected


def test_full_width_evidence_matches_as_quotes_match_their_source(tmp_path: Path) -> None:
    """Evidence is compared with its quote after the quotes' own folding (NFKC): １０年 is 10年."""
    checked, problems = check(tmp_path, VALID.replace("evidence: 10年以上先", "evidence: １０年以上先"))
    assert problems == [] and checked is not None


def test_a_derivation_allows_years_the_quote_does_not_state(tmp_path: Path) -> None:
    derived = VALID.replace("start: 2035\n", "start: 2026\n        end: 2027\n        derivation: 10年を5〜10で割った\n"
                            "        derivation_en: Ten years divided by 5 to 10\n")
    derived = derived.replace("        open_ended: true\n", "")
    checked, problems = check(tmp_path, derived)
    assert problems == [] and checked is not None


def test_a_derivation_without_its_english_is_named(tmp_path: Path) -> None:
    """The English edition draws the chart too: a derivation needs its English (issue 21)."""
    derived = VALID.replace("start: 2035\n", "start: 2026\n        derivation: 10年を5〜10で割った\n")
    checked, problems = check(tmp_path, derived)
    assert checked is None
    assert problems == [("estimates.yaml:15:21: estimates.yaml: groups[0].estimates[0] has derivation but no "
                         "derivation_en; expected how the years were worked out, in English; found no key "
                         "'derivation_en'")]


def test_problems_in_records_and_in_estimates_are_reported_together(tmp_path: Path) -> None:
    kb = copy_fixture("small", tmp_path)
    (kb / "estimates.yaml").write_text(VALID.replace("base_year: 2025", "base_year: soon"), encoding="utf-8")
    claim = kb / "claims" / "agi-decade.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("kind: prediction", "kind: guess"), encoding="utf-8")
    checked, problems = load_and_check(kb)
    assert checked is None
    assert [p.location.path for p in problems.sorted()] == ["claims/agi-decade.yaml", "estimates.yaml"]
