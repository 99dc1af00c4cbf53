"""Quote lookup in bounded work: the closest passage found by trigram votes points at the place a
mistyped quote came from, and prefix/suffix checks on a bounded piece agree with the whole text."""

from __future__ import annotations

import random

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from kb.records.passage_search import SHORT_QUOTE, GramIndex, PassageSearch, gram_codes
from kb.records.sourcetext import SourceText, fold, split_paragraphs
from kb_bench.synth import Generator, read_corpus

TRANSCRIPT = REPO / "sources" / "karpathy-decade-of-agents.txt"
MARK = "〓"  # occurs in no transcript


@pytest.fixture(scope="module")
def source() -> SourceText:
    return SourceText(split_paragraphs(TRANSCRIPT.read_text(encoding="utf-8")))


def mistyped_quotes(source: SourceText, count: int, seed: int) -> list[tuple[str, int, str]]:
    """(quote with one character replaced, added or dropped, its paragraph, the passage it was
    copied from) for spans of 12 to 400 characters that occur once; the edit leaves at least four
    characters in front of it whole, so that the start of the quote can be seen."""
    rng = random.Random(seed)
    document = "\n".join(folded.text for folded in source._folded)
    cases: list[tuple[str, int, str]] = []
    while len(cases) < count:
        number = rng.randrange(len(source.paragraphs))
        text = source._folded[number].text
        if len(text) < 12:
            continue
        length = rng.randint(12, min(400, len(text)))
        start = rng.randrange(len(text) - length + 1)
        span = text[start : start + length]
        if document.count(span) != 1 or span != span.strip():
            continue
        at = rng.randrange(4, length)
        quote = rng.choice([span[:at] + MARK + span[at + 1 :], span[:at] + MARK + span[at:], span[:at] + span[at + 1 :]])
        if quote in document:  # dropping one of two equal characters can leave a span that occurs
            continue
        cases.append((quote, source.paragraphs[number].number, text[start : start + len(quote)]))
    return cases


def test_a_mistyped_quote_shows_the_passage_it_was_copied_from(source: SourceText) -> None:
    for quote, paragraph, passage in mistyped_quotes(source, 300, seed=1):
        assert source.closest(quote) == (paragraph, passage), quote


def test_a_mistyped_quote_is_placed_in_a_megabyte_of_recombined_text() -> None:
    """The synthetic transcripts recombine the real one's clauses: every trigram recurs hundreds of
    times, the hard case for voting. A 3,900-character quote is among the cases."""
    generator = Generator(10, 7, read_corpus())
    paragraphs: list[str] = []
    while sum(map(len, paragraphs)) < 350_000:  # about a megabyte of UTF-8
        paragraphs.append("".join(generator.sentence() for _ in range(generator.rng.randint(2, 40))))
    long = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
    paragraphs[long] = "".join(generator.sentence() for _ in range(80))
    source = SourceText(split_paragraphs("\n".join(paragraphs)))
    long_quote = source._folded[long].text[5:3905]
    assert len(long_quote) == 3900
    typo = long_quote[:1950] + MARK + long_quote[1951:]
    assert source.closest(typo) == (long + 1, long_quote)
    for quote, paragraph, passage in mistyped_quotes(source, 60, seed=2):
        assert source.closest(quote) == (paragraph, passage), quote


def test_short_and_long_quotes_align_by_their_own_grams() -> None:
    assert [PassageSearch("x").align(q) is None for q in ("", "y")] == [True, True]
    search = PassageSearch("彼はAGIは10年以上先だと言いました\n私は彼よりもはるかに楽観的です")
    alignment = search.align("彼はAGIは20年以上先だと言いました")
    assert alignment is not None and alignment.start == 0
    short = search.align("楽観X")  # one character of three wrong: single characters vote
    assert short is not None and short.start == search.text.index("楽観")
    assert len("楽観X") < SHORT_QUOTE


def test_quote_before_the_start_of_its_paragraph_is_clipped() -> None:
    source = SourceText(split_paragraphs("一行目です。\n二行目の文章がここにあります。\n"))
    assert source.closest("余分な二行目の文章がここにあります。") == (2, "二行目の文章がここにあります。")


def test_no_common_character_falls_back_to_the_first_paragraph() -> None:
    source = SourceText(split_paragraphs("abc\ndef\n"))
    assert source.closest("xyz") == (1, "abc")


def test_gram_codes_are_exact() -> None:
    assert list(gram_codes("abcd", 3)) == [(97 << 42) | (98 << 21) | 99, (98 << 42) | (99 << 21) | 100]
    assert list(gram_codes("\U0010ffff", 1)) == [0x10FFFF]
    assert list(gram_codes("ab", 3)) == []


def test_votes_are_capped_by_the_budget_rarest_first() -> None:
    index = GramIndex("aab" * 1000 + "xyz", 1)
    _, text_offsets = index.votes("axyz", budget=100)
    # x, y and z occur once each (3 votes); a occurs 2,000 times, more than the budget left
    assert sorted(text_offsets.tolist()) == [3000, 3001, 3002]
    _, text_offsets = index.votes("aaa", budget=100)
    assert len(text_offsets) == 100  # even the rarest gram is too common: its first hits only


def reference_find(source: SourceText, text: str, prefix: str | None, suffix: str | None) -> list[tuple[int, int]]:
    """The prefix/suffix check as it was before it was bounded: the whole text before and after
    each occurrence, paragraph breaks removed."""
    document = "\n".join(folded.text for folded in source._folded)
    needle, found, start = fold(text), [], -1
    while needle and (start := document.find(needle, start + 1)) != -1:
        before = document[:start].replace("\n", "").rstrip()
        after = document[start + len(needle):].replace("\n", "").lstrip()
        if (not prefix or before.endswith(fold(prefix))) and (not suffix or after.startswith(fold(suffix))):
            span = source._span_at(start, len(needle))
            found.append((span.paragraph, span.start))
    return found


LETTERS = st.sampled_from(list("あいう。 　\n"))


@settings(max_examples=1500, deadline=None)
@given(text=st.text(LETTERS, min_size=1, max_size=40), quote=st.text(LETTERS, min_size=1, max_size=3),
       prefix=st.none() | st.text(LETTERS, min_size=1, max_size=8),
       suffix=st.none() | st.text(LETTERS, min_size=1, max_size=8))
def test_bounded_context_check_agrees_with_the_whole_text(text: str, quote: str, prefix: str | None,
                                                          suffix: str | None) -> None:
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        return
    source = SourceText(paragraphs)
    found = [(span.paragraph, span.start) for span in source.find(quote, prefix, suffix)]
    assert found == reference_find(source, quote, prefix, suffix)
