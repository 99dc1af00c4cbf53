"""The words the site prints for the records' vocabularies (kinds, relations, annotation kinds,
statuses...) and for terms and dates."""

from __future__ import annotations

from ..records.model import UNKNOWN, Term
from ..records.vocabulary import STATUSES

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "prediction": "予測", "opinion": "意見", "critique": "批判", "proposal": "提案",
        "observation": "観察", "anecdote": "逸話", "explanation": "説明", "challenge": "挑戦",
        "reply": "返答",
    },
    "relation": {
        "supports": "この主張が支持している主張", "contrasts": "この主張が対比している主張",
        "elaborates": "この主張が詳しく述べている主張", "responds-to": "この主張が応答している主張",
        "example-of": "この主張が例となっている主張",
    },
    "relation_en": {
        "supports": "supports", "contrasts": "contrasts with", "elaborates": "elaborates on",
        "responds-to": "responds to", "example-of": "is an example of",
    },
    "backlink": {
        "supports": "この主張を支持する主張", "contrasts": "この主張と対比される主張",
        "elaborates": "この主張を詳しく述べる主張", "responds-to": "この主張への応答",
        "example-of": "この主張の例",
    },
    "backlink_en": {
        "supports": "supported by", "contrasts": "contrasted by", "elaborates": "elaborated by",
        "responds-to": "responded to by", "example-of": "has as example",
    },
    "relation_short": {
        "supports": "支持", "contrasts": "対比", "elaborates": "詳述", "responds-to": "応答", "example-of": "例示",
    },
    "annotation": {"context": "背景", "correction": "訂正", "fact-check": "ファクトチェック", "note": "注記"},
    "admonition": {"context": "info", "correction": "warning", "fact-check": "question", "note": "note"},
    "status": {status: word.label for status, word in STATUSES.items()},
    "filter": {"status": "状態", "speaker": "発言者", "kind": "種類", "topic": "トピック"},
    "language": {"en": "英語", "ja": "日本語"},
    "segment": {
        "summary": "要約（本文外）", "heading": "見出し", "plug": "告知（本文外）",
        "sponsor": "スポンサー（本文外）", "greeting": "挨拶（本文外）", "outro": "締めくくり（本文外）",
        "debris": "ページの残骸（本文外）",
    },
}


def term_names(term: Term) -> str:
    """A term's name with its English name in brackets, once when the two are the same (xAI)."""
    return term.term if term.en == term.term else f"{term.term}（{term.en}）"


def term_tooltip(term: Term, lang: str = "ja") -> str:
    """Plain text shown when pointing at a glossary term: its names and its definition."""
    if lang == "en" and term.definition_en:
        return f"{term.en}: {term.definition_en}"
    return f"{term_names(term)}: {term.definition}"


def published_text(published: str) -> str:
    """A publication date as the site prints it: 2025年10月, or 日付不明 when the editors are not sure."""
    if published == UNKNOWN:
        return "日付不明"
    parts = published.split("-")
    return "".join(f"{int(part)}{unit}" for part, unit in zip(parts, ("年", "月", "日")))

