"""The registry of published claim ids: ids once public keep working, renames redirect, no reuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture, run_kb
from kb.adapters.pipeline import load_and_check
from kb.checks.published import HEADER, parse_registry
from kb.records.problems import Problems
from kb.site.redirects import redirect_pages

RENAMED = "agi-more-than-a-decade"


@pytest.fixture
def cite_kb(tmp_path: Path) -> Path:
    """A writable copy of the fixture with a renamed claim and a registry."""
    return copy_fixture("cite", tmp_path)


def problems_of(root: Path) -> list[str]:
    """Every problem of the knowledge base at `root`, as printed."""
    _checked, problems = load_and_check(root)
    return [str(p) for p in problems.sorted()]


def write_registry(root: Path, *lines: str) -> None:
    (root / "published-ids.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_fixture_registry_passes(cite_kb: Path) -> None:
    assert problems_of(cite_kb) == []


def test_knowledge_base_without_registry_has_published_nothing(cite_kb: Path) -> None:
    (cite_kb / "published-ids.txt").unlink()
    assert problems_of(cite_kb) == []


def test_published_id_that_disappears_is_located(cite_kb: Path) -> None:
    (cite_kb / "claims" / "narrator-optimism.yaml").unlink()
    problems = [p for p in problems_of(cite_kb) if p.startswith("published-ids.txt")]
    assert problems == [
        ("published-ids.txt:7:1: published claim 'narrator-optimism' has disappeared without a redirect; "
        "expected claims/narrator-optimism.yaml or 'narrator-optimism' in the former_ids of the claim that "
        "replaced it; found neither")
    ]


def test_rename_without_former_id_is_reported(cite_kb: Path) -> None:
    claim = cite_kb / "claims" / f"{RENAMED}.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("former_ids: [agi-decade]\n", ""), encoding="utf-8")
    assert problems_of(cite_kb) == [
        ("published-ids.txt:4:1: published claim 'agi-decade' has disappeared without a redirect; expected "
        "claims/agi-decade.yaml or 'agi-decade' in the former_ids of the claim that replaced it; found neither "
        f"(did you mean '{RENAMED}'?)")
    ]


def test_renamed_id_recorded_as_plain_entry_passes(cite_kb: Path) -> None:
    write_registry(cite_kb, "agi-decade", RENAMED, "hostile-title", "narrator-optimism")
    assert problems_of(cite_kb) == []


def test_retired_id_cannot_be_taken_by_a_new_claim(cite_kb: Path) -> None:
    claim = cite_kb / "claims" / f"{RENAMED}.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("former_ids: [agi-decade]\n", ""), encoding="utf-8")
    (cite_kb / "claims" / "agi-decade.yaml").write_text(
        "id: agi-decade\ntitle: 新しい主張\ntitle_en: A new claim\nsummary: 新しい主張。\nsummary_en: A new claim.\n"
        "speaker: narrator\nkind: opinion\ntopics: [agi-timeline]\n"
        "quotes:\n  - source: talk\n    text: 私は彼よりもはるかに楽観的です\n",
        encoding="utf-8",
    )
    assert problems_of(cite_kb) == [
        ("claims/agi-decade.yaml:1:5: claim 'agi-decade': id already used by a published claim that was renamed "
        f"to '{RENAMED}' (published-ids.txt:4:1); expected a new id (ids are never reused); found 'agi-decade'")
    ]


def test_former_id_of_a_live_claim_is_rejected(cite_kb: Path) -> None:
    claim = cite_kb / "claims" / "narrator-optimism.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "former_ids: [hostile-title]\n", encoding="utf-8")
    assert problems_of(cite_kb) == [
        ("claims/narrator-optimism.yaml:26:14: claim 'narrator-optimism': former id 'hostile-title' is the id of "
        "a current claim; expected an id no longer in use; found a live claim")
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["Bad_Id"], ("published-ids.txt:1:1: malformed entry; expected a claim id or 'old-id -> new-id' "
                     "(lowercase ASCII kebab-case); found 'Bad_Id'")),
        (["a -> "], ("published-ids.txt:1:1: malformed entry; expected a claim id or 'old-id -> new-id' "
                    "(lowercase ASCII kebab-case); found 'a ->'")),
        (["a", "a"], ("published-ids.txt:2:1: published id 'a' listed twice; expected each id once; found it "
                     "again (first at published-ids.txt:1)")),
        (["b", "a"], ("published-ids.txt:2:1: entries out of order; expected sorted ids (run `kb publish` to "
                     "rewrite the file); found 'a' after 'b'")),
    ],
)
def test_malformed_registry_lines(lines: list[str], message: str) -> None:
    problems = Problems()
    parse_registry("".join(line + "\n" for line in lines), problems)
    assert [str(p) for p in problems.sorted()] == [message]


def test_comments_and_blank_lines_are_ignored() -> None:
    problems = Problems()
    entries = parse_registry(HEADER + "\n  \nabc\nold -> new\n", problems)
    assert not problems
    assert [(e.id, e.line, e.renamed_to) for e in entries] == [("abc", 6, None), ("old", 7, "new")]


def test_all_problems_reported_in_one_run(cite_kb: Path) -> None:
    write_registry(cite_kb, "zzz", "agi-decade", "gone")
    problems = problems_of(cite_kb)
    assert [p.split(": ")[0] for p in problems] == ["published-ids.txt:1:1", "published-ids.txt:2:1", "published-ids.txt:3:1"]


def test_publish_adds_new_claims_and_records_renames(cite_kb: Path) -> None:
    write_registry(cite_kb, "narrator-optimism")
    result = run_kb("publish", "--kb", str(cite_kb))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"published-ids.txt: 2 id(s) added: {RENAMED}, hostile-title\n"
    assert (cite_kb / "published-ids.txt").read_text(encoding="utf-8") == HEADER + (
        f"agi-decade -> {RENAMED}\n{RENAMED}\nhostile-title\nnarrator-optimism\n"
    )
    again = run_kb("publish", "--kb", str(cite_kb))
    assert again.stdout == "published-ids.txt: 0 id(s) added\n"


def test_publish_check_fails_on_unregistered_claims(cite_kb: Path) -> None:
    write_registry(cite_kb, "agi-decade", RENAMED, "narrator-optimism")
    result = run_kb("publish", "--kb", str(cite_kb), "--check")
    assert result.returncode == 1
    assert "1 claim id(s) not in published-ids.txt: hostile-title; run `make publish-ids`" in result.stderr
    (cite_kb / "published-ids.txt").write_text(HEADER + f"agi-decade -> {RENAMED}\n{RENAMED}\nhostile-title\n"
                                               "narrator-optimism\n", encoding="utf-8")
    assert run_kb("publish", "--kb", str(cite_kb), "--check").returncode == 0


def test_publish_refuses_a_broken_knowledge_base(cite_kb: Path) -> None:
    (cite_kb / "claims" / "narrator-optimism.yaml").unlink()
    before = (cite_kb / "published-ids.txt").read_text(encoding="utf-8")
    result = run_kb("publish", "--kb", str(cite_kb))
    assert result.returncode == 1
    assert "published-ids.txt:7:1: published claim 'narrator-optimism' has disappeared" in result.stderr
    assert (cite_kb / "published-ids.txt").read_text(encoding="utf-8") == before


def test_real_registry_is_consistent() -> None:
    from conftest import REPO

    assert problems_of(REPO) == []
    assert (REPO / "published-ids.txt").is_file()


def test_redirect_page_keeps_fragment_and_names_the_canonical_url(cite_kb: Path) -> None:
    checked, _ = load_and_check(cite_kb)
    assert checked is not None
    pages = redirect_pages(checked.kb, "https://example.org/kb/")
    assert list(pages) == ["claims/agi-decade/index.html", "en/claims/agi-decade/index.html"]  # both editions
    page = pages["claims/agi-decade/index.html"]
    assert f'<link rel="canonical" href="https://example.org/kb/claims/{RENAMED}/">' in page
    assert f'<meta http-equiv="refresh" content="0; url=../{RENAMED}/">' in page
    assert f'location.replace("../{RENAMED}/" + location.hash);' in page


def test_registry_is_read_as_records_are_read(cite_kb: Path) -> None:
    """A byte-order mark and CRLF line ends are fine; a byte that is not UTF-8 is located by line."""
    registry = cite_kb / "published-ids.txt"
    text = registry.read_text(encoding="utf-8")
    registry.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert problems_of(cite_kb) == []
    registry.write_bytes(text.encode("utf-8") + b"caf\xe9\n")
    line = text.count("\n") + 1
    assert problems_of(cite_kb) == [
        f"published-ids.txt:{line}:4: file is not valid UTF-8; expected UTF-8 text; found byte 0xe9"]


def test_registry_is_checked_even_when_a_claim_fails_to_load(cite_kb: Path) -> None:
    """One run shows every problem: the registry's own, beside a claim that does not load, and that
    claim's published id is not called missing."""
    claim = cite_kb / "claims" / "narrator-optimism.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("kind: opinion", "kinds: opinion"), encoding="utf-8")
    registry = cite_kb / "published-ids.txt"
    registry.write_text(registry.read_text(encoding="utf-8") + "Not An Id\n", encoding="utf-8")
    problems = problems_of(cite_kb)
    assert any(p.startswith("claims/narrator-optimism.yaml:") and "unknown field 'kinds'" in p for p in problems)
    assert any(p.startswith("published-ids.txt:") and "malformed entry" in p for p in problems)
    assert not any("has disappeared" in p for p in problems), problems


def test_estimates_are_checked_even_when_a_claim_fails_to_load(tmp_path: Path) -> None:
    kb = copy_fixture("hostile", tmp_path)
    estimates = kb / "estimates.yaml"
    text = estimates.read_text(encoding="utf-8")
    evidence = next(line for line in text.splitlines() if line.lstrip().startswith("evidence: "))
    estimates.write_text(text.replace(evidence, "    evidence: どこにもない言葉", 1), encoding="utf-8")
    broken = max((kb / "claims").glob("*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "unknown_field: 1\n", encoding="utf-8")
    problems = problems_of(kb)
    assert any(p.startswith(f"claims/{broken.name}:") for p in problems), problems
    assert any(p.startswith("estimates.yaml:") and "evidence not found in quote" in p for p in problems), problems
