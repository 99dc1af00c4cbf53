"""The real knowledge base builds strictly, and its exports keep their contract."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_kb
from kb.exports.exports import json_schemas


def test_real_knowledge_base_checks_clean() -> None:
    result = run_kb("check")
    assert result.returncode == 0, result.stderr
    assert "all checks passed" in result.stdout
    assert "coverage of source 'karpathy-decade-of-agents'" in result.stdout


def test_every_claim_has_a_page_and_json(real_site: Path) -> None:
    claims = json.loads((real_site / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert claims, "the real knowledge base has no claims"
    for claim in claims:
        assert (real_site / claim["url"] / "index.html").is_file(), claim["url"]
        per_claim = json.loads((real_site / "claims" / f"{claim['id']}.json").read_text(encoding="utf-8"))
        assert per_claim == claim


def test_claims_json_contract(small_site: Path) -> None:
    document = json.loads((small_site / "claims.json").read_text(encoding="utf-8"))
    assert list(document) == ["version", "claims", "terms", "speakers", "topics", "sources"]
    claim = next(c for c in document["claims"] if c["id"] == "agi-decade")
    assert {k: claim[k] for k in ("id", "url", "speaker", "topics", "kind", "terms")} == {
        "id": "agi-decade",
        "url": "claims/agi-decade/",
        "speaker": "karpathy",
        "topics": ["agi-timeline"],
        "kind": "prediction",
        "terms": ["agi"],
    }
    assert claim["quotes"] == [
        {"text": "彼はAGIは10年以上先だと言いました", "source": "talk", "paragraph": 2, "url": "claims/agi-decade/#q1",
         "voice": "reported"}
    ]
    assert (claim["status"], claim["primary_source"], claim["removed_quotes"]) == ("no-issues", None, [])
    assert claim["related"] == [{"id": "narrator-optimism", "relation": "contrasts"}]
    assert claim["annotations"][0]["kind"] == "context" and "verdict" not in claim["annotations"][0]
    corrected = next(c for c in document["claims"] if c["id"] == "narrator-optimism")
    assert corrected["status"] == "corrected"
    assert corrected["annotations"] == [{"kind": "correction", "text": "Darkh は Dwarkesh の誤り。",
                                         "text_en": "Darkh is a mistake for Dwarkesh.", "verdict": "corrected",
                                         "finding": "Darkh は Dwarkesh の誤り",
                                         "finding_en": "Darkh is a mistake for Dwarkesh"}]
    source = document["sources"][0]
    assert (source["narrator"], source["original"], source["primary_sources"]) == (None, None, [])
    term = next(t for t in document["terms"] if t["id"] == "agi")
    assert term == {
        "id": "agi",
        "url": "glossary/#agi",
        "term": "AGI",
        "reading": "えーじーあい",
        "en": "artificial general intelligence",
        "aliases": ["汎用人工知能"],
    }
    assert {"id": "karpathy", "name": "Andrej Karpathy"}.items() <= document["speakers"][0].items()


def test_published_json_schemas_are_up_to_date() -> None:
    for name, text in json_schemas().items():
        committed = REPO / "docs" / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"{name} is stale: run 'make schema'"


def test_all_problems_reported_in_one_run(tmp_path: Path) -> None:
    from conftest import copy_fixture

    kb = copy_fixture("small", tmp_path)
    claim = kb / "claims" / "agi-decade.yaml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace("speaker: karpathy", "speaker: karpathi").replace("kind: prediction", "kind: predicton")
    claim.write_text(text, encoding="utf-8")
    (kb / "glossary" / "agi.yaml").write_text("id: agi\nterm: AGI\nterm: AGI2\n", encoding="utf-8")
    result = run_kb("check", "--kb", str(kb))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "glossary/agi.yaml:3:1: duplicate key 'term'; expected each field once; found it again (first at line 2)" in lines
    assert any(
        line.startswith("claims/agi-decade.yaml:7:7: claim 'agi-decade': field 'kind': unknown value;")
        and "found text 'predicton' (did you mean 'prediction'?)" in line
        for line in lines
    ), lines
    # The claim failed the schema (kind), yet its valid fields are checked too: the misspelt speaker.
    assert any(line.startswith("claims/agi-decade.yaml:6:10: claim 'agi-decade': unknown speaker 'karpathi'")
               for line in lines), lines
    assert lines[-1] == "3 problem(s) found; nothing was built."


def test_dangling_speaker_reported_with_location(tmp_path: Path) -> None:
    from conftest import copy_fixture

    kb = copy_fixture("small", tmp_path)
    claim = kb / "claims" / "agi-decade.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("speaker: karpathy", "speaker: karpathi"), encoding="utf-8")
    result = run_kb("check", "--kb", str(kb))
    assert result.returncode == 1
    assert (
        "claims/agi-decade.yaml:6:10: claim 'agi-decade': unknown speaker 'karpathi'; "
        "expected one of the defined ids; found 'karpathi' (did you mean 'karpathy'?)"
    ) in result.stderr.splitlines()
