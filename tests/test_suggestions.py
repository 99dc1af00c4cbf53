"""'Did you mean' picks what difflib.get_close_matches picks, in work bounded per run."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st
from kb.records.problems import Problems, SuggestionBudget, closest_choice

NAMES = st.text("abcde-", min_size=1, max_size=8)


@settings(max_examples=1000, deadline=None)
@given(value=NAMES, choices=st.lists(NAMES, unique=True, max_size=12))
def test_the_suggestion_is_difflibs_closest_match(value: str, choices: list[str]) -> None:
    expected = difflib.get_close_matches(value, choices, n=1)
    assert closest_choice(value, choices, SuggestionBudget(10**9, 10**9)) == (expected[0] if expected else None)


def test_suggestions_stop_when_the_runs_budget_is_spent() -> None:
    problems = Problems(suggestions=SuggestionBudget(candidates=5, comparisons=10**9))
    ids = ["karpathy", "narrator"]
    assert problems.suggestion("karpaty", ids) == " (did you mean 'karpathy'?)"
    assert problems.suggestion("narator", ids) == " (did you mean 'narrator'?)"
    assert problems.suggestion("karpathi", ids) == ""  # 4 ids looked at, 1 left: not enough for 2
    problems = Problems(suggestions=SuggestionBudget(candidates=10**9, comparisons=1))
    assert problems.suggestion("karpaty", ids) == " (did you mean 'karpathy'?)"
    assert problems.suggestion("karpaty", ids) == ""


def test_only_ids_that_can_beat_the_best_are_compared_in_full() -> None:
    ids = [f"claim-{i:05d}" for i in range(10_000)]
    budget = SuggestionBudget()
    assert closest_choice("claim-00042x", ids, budget) == "claim-00042"
    assert budget.candidates == 100_000 - 10_000
    assert 2_000 - budget.comparisons < 50  # of the 10,000 ids, which all pass difflib's quick bounds
