"""What the search knows besides postings: readings (build time only), other names of words, the
curated synonyms and the index's vocabulary (kb.search.search_readings, search_lexicon)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.search.index import build_search_index, index_words
from kb.search.search_documents import search_documents
from kb.search.search_lexicon import curated_synonyms, lexicon, vocabulary
from kb.search.search_readings import kanji_words, reading
from kb.search.search_text import normalize


@pytest.fixture(scope="module")
def real() -> CheckedKnowledgeBase:
    checked, problems = load_and_check(REPO)
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


def test_reading_replaces_only_the_words_written_in_kanji() -> None:
    assert reading("強化学習はノイズが多い") == "キョウカガクシュウはノイズがオオイ"
    assert reading("Grok 5とは競争するより協働したい") == "Grok 5とはキョウソウするよりキョウドウしたい"
    assert reading("シマウマ") == ""


def test_kanji_words_give_each_word_and_each_run_of_them() -> None:
    found = kanji_words(["強化学習はノイズが多い"])
    assert found[normalize("キョウカ")] == "強化"
    assert found[normalize("ガクシュウ")] == "学習"
    assert found[normalize("キョウカガクシュウ")] == "強化学習"


def test_claims_are_found_by_their_title_read_aloud(real: CheckedKnowledgeBase) -> None:
    documents = {d.url: d for d in search_documents(real)}
    claim = documents["claims/rl-is-noisy/"]
    # its title read aloud, then the glossary readings of its terms (not in the terms field, whose
    # length would otherwise weigh down the names of the terms of a claim using many)
    assert claim.fields["reading"] == ["キョウカガクシュウはノイズがオオイ", "きょうかがくしゅう", "けっかべーすのほうしゅう"]


def test_lexicon_maps_readings_to_the_words_they_stand_for(real: CheckedKnowledgeBase) -> None:
    readings = lexicon(real)["readings"]
    assert readings[normalize("きょうかがくしゅう")] == "強化学習"
    assert readings[normalize("ゆうれい")] == "幽霊"
    assert all(len(spoken) >= 2 for spoken in readings), "a one-kana reading would turn stray kana into kanji"


def test_lexicon_groups_every_name_of_a_term(real: CheckedKnowledgeBase) -> None:
    data = lexicon(real)
    groups = {names[0]: names for names in data["groups"]}
    assert groups["強化学習"] == ["強化学習", "reinforcement learning", "RL"]
    rl = list(groups).index("強化学習")
    related = {data["groups"][other][0] for other in data["related"][rl]}
    assert related == {"結果ベースの報酬", "プロセス監督", "ファインチューニング"}


def test_every_curated_synonym_is_a_word_the_content_uses(real: CheckedKnowledgeBase) -> None:
    # The curated list maps readers' words to the content's: a target the content lacks finds nothing.
    text = normalize("\n".join(
        text for document in search_documents(real) for texts in document.fields.values() for text in texts
    ))
    missing = sorted({target for targets in curated_synonyms().values() for target in targets if normalize(target) not in text})
    assert missing == []


def test_vocabulary_holds_the_index_words_and_names(real: CheckedKnowledgeBase) -> None:
    index = build_search_index(search_documents(real))
    words = vocabulary(real, index_words(index))
    assert {"karpathy", "kasparov", "reinforcement", "ドワルケシュ", "ドワルケシュ・パテル", "強化学習", "混合自律性"} <= set(words)
    assert words == sorted(words)
    assert not [word for word in words if word.isdigit()]


def test_kb_check_does_not_import_the_reading_dictionary() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kb.adapters.cli", "check", "--kb", str(FIXTURES / "small")],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    imported = [line for line in result.stderr.splitlines() if "import time:" in line]
    assert imported, "no import times"
    assert not [line for line in imported if "sudachi" in line.lower()]
