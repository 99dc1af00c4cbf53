"""Glossary terms found in claim text (kb.site.termlinks), without MkDocs."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from kb.records.model import Term
from kb.site.termlinks import _ASCII_CASE_LOOKALIKES, TextRun, _form_pattern, link_terms, term_forms


def term(term_id: str, name: str, en: str, aliases: list[str] | None = None) -> Term:
    return Term(id=term_id, term=name, reading="よみ", en=en, aliases=aliases or [], definition="定義。",
                definition_en="A definition.")


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


def reference_link_terms(text: str, terms: list[Term]) -> list[TextRun]:
    """The plain definition, as one regex: alternatives longest form first (then the term listed
    first), scanned left to right; a later mention of a linked term stays plain text."""
    forms = sorted(((form, number) for number, t in enumerate(terms) for form in term_forms(t)),
                   key=lambda item: (-len(item[0]), item[1], item[0]))
    if not forms:
        return [TextRun(text)] if text else []
    pattern = re.compile("|".join(f"({_form_pattern(form)})" for form, _ in forms))
    runs: list[TextRun] = []
    linked_ids: set[str] = set()
    position = 0
    for match in pattern.finditer(text):
        owner = terms[forms[(match.lastindex or 1) - 1][1]]
        if owner.id in linked_ids:
            continue
        linked_ids.add(owner.id)
        if match.start() > position:
            runs.append(TextRun(text[position : match.start()]))
        runs.append(TextRun(match.group(), owner))
        position = match.end()
    if position < len(text):
        runs.append(TextRun(text[position:]))
    return runs


FORM = st.text(alphabet="aAbkKsiIR L9-学習強化\u0130\u0131\u017f\u212a", min_size=1, max_size=4).filter(lambda form: form.strip() == form)


@given(
    st.lists(st.tuples(FORM, st.lists(FORM, max_size=2)), min_size=0, max_size=4),
    st.text(alphabet="aAbkKsiIR L9-学習強化x\u0130\u0131\u017f\u212a", max_size=30),
)
@example([("強化", []), ("化化", [])], "強化化化")
@example([("sk", [])], "\u017f\u212a ſK")  # the long s and the Kelvin sign match s and k when case is ignored  # "化化" after "強化", overlapping its own first place
@example([("RL", []), ("9", [])], "RL-9 URL RL9 -RL")  # edges: a Latin letter or digit next to a match
@example([("ab", [])], "xAB AB- aB")
@settings(max_examples=1000, deadline=None)
def test_same_runs_as_one_regex_of_all_forms(specs: list[tuple[str, list[str]]], text: str) -> None:
    # Overlapping forms ("aa" in "aaa"), forms inside longer forms, case and word boundaries.
    terms = [Term(id=f"t{number}", term=name, reading="よみ", en=name, aliases=aliases, definition="定義。",
                  definition_en="A definition.")
             for number, (name, aliases) in enumerate(specs)]
    assert link_terms(text, terms) == reference_link_terms(text, terms)


def test_the_case_lookalikes_are_every_non_ascii_character_re_matches_to_an_ascii_letter() -> None:
    # TermMatcher rules texts out with a lower-cased substring test unless they hold one of these.
    letter = re.compile("(?i)[a-z]")
    matching = {chr(code) for code in range(0x80, 0x110000)
                if not 0xD800 <= code <= 0xDFFF and letter.fullmatch(chr(code))}
    assert matching == {chr(code) for code in (0x130, 0x131, 0x17F, 0x212A)}
    assert all(_ASCII_CASE_LOOKALIKES.fullmatch(char) for char in matching)


def test_lower_casing_keeps_offsets_in_a_text_without_case_lookalikes() -> None:
    # Case-folded forms are searched for in text.lower() at the offsets of the text itself.
    longer = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and len(chr(code).lower()) != 1]
    assert longer == [0x130]
    assert _ASCII_CASE_LOOKALIKES.fullmatch("\u0130")
