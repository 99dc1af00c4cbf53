"""Search normalization and segmentation (the Python half; the browser half is checked against the
same cases in tests/browser/test_search.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kb.search.search_text import exact_token, fnv1a, normalize, shard_key, shard_of, tokens

DATA = yaml.safe_load((Path(__file__).parent / "search_text_cases.yaml").read_text(encoding="utf-8"))
CASES = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_normalization_and_tokens(case: dict[str, object]) -> None:
    assert normalize(str(case["text"])) == case["normalized"]
    assert tokens(str(case["text"])) == case["tokens"]


@pytest.mark.parametrize("case", DATA["exact"], ids=[c["text"] for c in DATA["exact"]])
def test_exact_tokens(case: dict[str, str]) -> None:
    assert exact_token(case["text"]) == case["token"]


def test_fnv1a_matches_reference_values_for_ascii() -> None:
    # Published FNV-1a 32-bit test vectors (ASCII code points are single bytes).
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_words_share_a_shard_with_their_prefix() -> None:
    assert shard_key("reinforcement") == "rei"
    assert shard_of("reinforcement", 64) == shard_of("rei", 64) == shard_of("reinforce", 64)
    assert shard_key("学習") == "学習"


def test_query_forms_meet_the_indexed_forms() -> None:
    indexed = set(tokens("システムプロンプト学習とは、カルパシーが提案したものです。"))
    for query in ("ｼｽﾃﾑﾌﾟﾛﾝﾌﾟﾄ", "プロンプト学習", "システム　プロンプト"):
        assert set(tokens(query)) <= indexed, query
