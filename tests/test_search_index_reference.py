"""The index builder (kb.search.index, written for speed) against a plain reference kept here.

The reference spells out the documented weighting one token at a time with `tokens`; the builder
must give exactly the same postings, so the browser reads the same index whatever the builder does
to be fast.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kb.search import index as search_index
from kb.search.index import EXACT_FIELDS, FIELD_WEIGHTS, KIND_WEIGHTS, build_search_index
from kb.search.search_documents import SearchDocument
from kb.search.search_text import CJK_CLASS, KANJI_CLASS, WORD_CLASS, exact_token, tokens


def reference_averages(documents: list[SearchDocument]) -> dict[str, float]:
    """Mean length in characters of each field over the documents that have it, at least 1."""
    lengths: dict[str, list[int]] = {}
    for document in documents:
        for name, texts in document.fields.items():
            lengths.setdefault(name, []).append(sum(len(text) for text in texts))
    return {name: max(1.0, sum(values) / len(values)) for name, values in lengths.items()}


def reference_weights(document: SearchDocument, averages: dict[str, float]) -> dict[str, int]:
    """Token to weight, field by field from the longest, as the module docstring describes.

    An exact token is set, not added: the last field holding the whole text decides its weight."""
    kind = KIND_WEIGHTS[document.kind]
    weights: dict[str, int] = {}
    fields = sorted(document.fields.items(), key=lambda item: -sum(len(text) for text in item[1]))
    for name, texts in fields:
        text = "\n".join(texts)
        if not text.strip():
            continue
        norm = search_index.K1 * (1 - search_index.B + search_index.B * len(text) / averages[name])
        field_weight = FIELD_WEIGHTS[name] * kind * search_index.WEIGHT_SCALE
        for token, tf in Counter(tokens(text)).items():
            weights[token] = weights.get(token, 0) + max(1, int(field_weight * tf / (tf + norm) + 0.5))
        if name in EXACT_FIELDS:
            for whole in texts:
                exact = exact_token(whole)
                if len(exact) > 1:
                    weights[exact] = max(1, int(field_weight + 0.5))
    return weights


def reference_postings(documents: list[SearchDocument]) -> dict[str, list[int]]:
    """Token to `document id << 8 | weight` (weight capped at 255), by document id."""
    averages = reference_averages(documents)
    postings: dict[str, list[int]] = {}
    for doc_id, document in enumerate(documents):
        for token, weight in reference_weights(document, averages).items():
            postings.setdefault(token, []).append(doc_id << 8 | min(weight, 255))
    return postings


def built_postings(documents: list[SearchDocument]) -> dict[str, list[int]]:
    return {token: list(packed) for token, packed in build_search_index(documents).postings.items()}


TEXT = st.text(
    alphabet=st.sampled_from(list("あのをシステムプロンプトー学習認知脳々ｼｽﾃﾑﾌﾟ・、。 　AGIagi10１０-'ßΣ𠀋😀\nきょうおえいゝゞヽヾァッヂ")),
    max_size=30,
)
TEXTS = st.lists(TEXT, max_size=3)
DOCUMENT = st.builds(
    SearchDocument,
    url=st.just("x/"),
    title=st.just("x"),
    kind=st.sampled_from(sorted(KIND_WEIGHTS)),
    fields=st.dictionaries(st.sampled_from(sorted(FIELD_WEIGHTS)), TEXTS, max_size=len(FIELD_WEIGHTS)),
)
DOCUMENTS = st.lists(DOCUMENT, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)  # time is never a verdict: a loaded machine must not fail it
@given(DOCUMENTS)
def test_postings_equal_the_reference(documents: list[SearchDocument]) -> None:
    assert built_postings(documents) == reference_postings(documents)


@settings(max_examples=100, deadline=None)
@given(DOCUMENTS)
def test_postings_counted_in_small_batches_equal_the_reference(documents: list[SearchDocument]) -> None:
    # Batches of a field or two: tokens and words met again in later batches, postings joined across them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "BATCH_CHARACTERS", 16)
        assert built_postings(documents) == reference_postings(documents)


@pytest.mark.parametrize("batch_characters", [1, 100, 1 << 17])
def test_long_repeated_text_gives_the_reference_postings(
    monkeypatch: pytest.MonkeyPatch, batch_characters: int
) -> None:
    # Many documents sharing tokens, fields of very different lengths, repeats up to high counts.
    monkeypatch.setattr(search_index, "BATCH_CHARACTERS", batch_characters)
    words = "システムプロンプト学習 AGI agi 強化学習 cognitive core 々 ー あ 脳"
    documents = [
        SearchDocument(
            url=f"d{n}/",
            title=f"d{n}",
            kind=sorted(KIND_WEIGHTS)[n % len(KIND_WEIGHTS)],
            fields={
                "title": [words.split()[n % 10], "Cognitive Core"],
                "names": ["AGI", words.split()[n % 7]],
                "summary": [words * (n % 3)],
                "body": [words * n, "\n" * (n % 2)],
            },
        )
        for n in range(40)
    ]
    assert built_postings(documents) == reference_postings(documents)


def test_weights_over_255_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "WEIGHT_SCALE", 50)
    documents = [
        SearchDocument(url="a/", title="AGI", kind="claim", fields={"title": ["AGI"], "names": ["AGI"], "body": ["脳"]}),
        SearchDocument(url="b/", title="脳", kind="page", fields={"body": ["AGI 脳 " * 5]}),
    ]
    postings = built_postings(documents)
    assert postings == reference_postings(documents)
    assert postings["agi"][0] & 0xFF == 255
    assert 0 < postings["脳"][0] & 0xFF < 255


def test_character_table_matches_the_classes_as_regular_expressions() -> None:
    # The builder reads each class's ranges; `search_text` uses the same strings as regex classes.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    table = search_index.character_classes()
    for bit, characters in ((search_index.CJK_BIT, CJK_CLASS), (search_index.KANJI_BIT, KANJI_CLASS),
                            (search_index.WORD_BIT, WORD_CLASS)):
        members = {run.start() for run in re.finditer(f"[{characters}]", every)}
        assert set((table & bit).nonzero()[0].tolist()) == members, characters


@pytest.mark.parametrize("body", ["a-", "\\d", "[a]", "^a", "a-\\z"])
def test_character_class_syntax_beyond_characters_and_ranges_is_refused(body: str) -> None:
    with pytest.raises(ValueError, match="unsupported character class syntax"):
        search_index.class_ranges(body)
