"""Glossary terms found in claim text (kb.termlinks), without MkDocs."""

from __future__ import annotations

from kb.model import Term
from kb.termlinks import TextRun, link_terms, term_forms


def term(term_id: str, name: str, en: str, aliases: list[str] | None = None) -> Term:
    return Term(id=term_id, term=name, reading="よみ", en=en, aliases=aliases or [], definition="定義。")


RL = term("reinforcement-learning", "強化学習", "reinforcement learning", ["RL"])
SYSTEM_PROMPT = term("system-prompt", "システムプロンプト", "system prompt")
SYSTEM_PROMPT_LEARNING = term("system-prompt-learning", "システムプロンプト学習", "system prompt learning")
AGI = term("agi", "AGI（汎用人工知能）", "artificial general intelligence", ["AGI"])
X = term("x-twitter", "X（旧Twitter）", "X (formerly Twitter)", ["X", "Twitter"])


def linked(runs: list[TextRun]) -> list[tuple[str, str]]:
    return [(run.text, run.term.id) for run in runs if run.term]


def test_runs_cover_the_text_exactly() -> None:
    text = "カルパシーは強化学習には弱気で、RL より別の方法を推す。"
    runs = link_terms(text, [RL])
    assert "".join(run.text for run in runs) == text
    assert linked(runs) == [("強化学習", "reinforcement-learning")]


def test_only_the_first_mention_of_a_term_is_linked() -> None:
    runs = link_terms("強化学習は強化学習だ", [RL])
    assert [(r.text, r.term is not None) for r in runs] == [("強化学習", True), ("は強化学習だ", False)]


def test_every_mention_when_asked() -> None:
    runs = link_terms("強化学習は強化学習だ", [RL], first_only=False)
    assert linked(runs) == [("強化学習", "reinforcement-learning"), ("強化学習", "reinforcement-learning")]


def test_longest_form_wins_at_a_position() -> None:
    runs = link_terms("システムプロンプト学習とシステムプロンプト", [SYSTEM_PROMPT, SYSTEM_PROMPT_LEARNING])
    assert linked(runs) == [("システムプロンプト学習", "system-prompt-learning"), ("システムプロンプト", "system-prompt")]


def test_a_later_mention_of_a_linked_term_is_not_searched_for_shorter_terms() -> None:
    text = "システムプロンプト学習、またシステムプロンプト学習"
    runs = link_terms(text, [SYSTEM_PROMPT, SYSTEM_PROMPT_LEARNING])
    assert linked(runs) == [("システムプロンプト学習", "system-prompt-learning")]
    assert "".join(run.text for run in runs) == text


def test_aliases_and_english_names_are_forms() -> None:
    assert term_forms(RL) == ["強化学習", "RL", "reinforcement learning"]
    assert linked(link_terms("Karpathy is bearish on Reinforcement Learning.", [RL])) == [
        ("Reinforcement Learning", "reinforcement-learning")
    ]


def test_latin_forms_match_whole_words_only() -> None:
    assert linked(link_terms("a URL and CRLF", [RL])) == []
    assert linked(link_terms("5–10x more pessimistic than Twitter", [X])) == [("Twitter", "x-twitter")]
    assert linked(link_terms("RLは", [RL])) == [("RL", "reinforcement-learning")]


def test_acronyms_match_in_their_own_case_only() -> None:
    assert linked(link_terms("agi and Agi are not AGI", [AGI])) == [("AGI", "agi")]
    assert linked(link_terms("an x-ray", [X])) == []


def test_terms_not_given_are_not_linked() -> None:
    assert linked(link_terms("強化学習とAGI", [AGI])) == [("AGI", "agi")]


def test_no_terms_or_empty_text() -> None:
    assert link_terms("本文", []) == [TextRun("本文")]
    assert link_terms("", [RL]) == []


def test_markup_in_text_is_kept_as_text() -> None:
    text = "<b>強化学習</b> [RL](x)"
    runs = link_terms(text, [RL])
    assert "".join(run.text for run in runs) == text
    assert linked(runs) == [("強化学習", "reinforcement-learning")]
