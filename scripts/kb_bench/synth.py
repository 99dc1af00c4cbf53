"""A synthetic knowledge base of any size, for benchmarks: valid records with realistic Japanese text.

The text comes from the real transcript: its sentences are cut into clauses and the clauses are
recombined into new sentences, paragraphs and source texts. Every quote is a whole synthetic
sentence that occurs exactly once in its source, so the generated folder passes `kb check`.
The same seed and size always give the same folder.

    python -m kb_bench.synth --claims 2000 --out build/synth-2000 [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import sys
import typing
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from kb.records.model import AnnotationKind, ClaimKind, RelationKind, TermCategory
from kb.records.vocabulary import STATUSES, VERDICT_KINDS

REPO = Path(__file__).resolve().parents[2]
TRANSCRIPT = REPO / "sources" / "karpathy-decade-of-agents.txt"
KINDS = typing.get_args(ClaimKind)
RELATIONS = typing.get_args(RelationKind)
ANNOTATION_KINDS = typing.get_args(AnnotationKind)
TERM_CATEGORIES = typing.get_args(TermCategory)
ENGLISH = [
    "agents", "decade", "progress", "learning", "models", "reinforcement", "reward", "signal", "memory",
    "context", "prompt", "system", "core", "cognition", "timeline", "research", "industry", "hype",
    "benchmark", "evaluation", "autonomy", "tools", "software", "data", "training", "inference", "humans",
    "animals", "evolution", "ghosts", "imitation", "internet", "knowledge", "reasoning", "skills",
    "generalization", "robots", "atoms", "bits", "economy", "deployment", "safety", "reliability", "errors",
    "judges", "supervision", "process", "outcome", "experience", "interaction", "parameters", "weights",
    "notes", "strategies", "problems", "solutions",
]
CLAIMS_PER_SOURCE = 250
MARKER = ".kb-synth"


@dataclass
class Corpus:
    """Pieces of the real transcript to recombine: clauses, whole sentences and katakana words."""

    openers: list[str]
    closers: list[str]
    sentences: list[str]
    katakana: list[str]

    def without(self, forms: Collection[str]) -> Corpus:
        """This corpus less every piece that holds one of `forms` (compared after `fold`)."""
        folded = [fold(form) for form in forms if fold(form)]

        def keep(pieces: list[str]) -> list[str]:
            return [piece for piece in pieces if not any(form in piece for form in folded)]

        return Corpus(keep(self.openers), keep(self.closers), keep(self.sentences), keep(self.katakana))


@dataclass
class SynthSource:
    """A generated source: paragraphs of synthetic sentences and the sentences free to quote."""

    id: str
    paragraphs: list[str] = field(default_factory=list)
    quotable: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """NFKC and whitespace folding, so generated text is already in the form quotes are compared in."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def read_corpus(transcript: Path = TRANSCRIPT) -> Corpus:
    """Cut the transcript into sentences and clauses (split after 、)."""
    text = fold(transcript.read_text(encoding="utf-8"))
    sentences = [s.strip() for s in re.findall(r"[^。！？!?]+[。！？!?]", text) if len(s.strip()) >= 8]
    openers: list[str] = []
    closers: list[str] = []
    for sentence in sentences:
        clauses = [c.strip() for c in re.split(r"(?<=、)", sentence) if c.strip()]
        openers.extend(c for c in clauses[:-1] if len(c) >= 4)
        closers.append(clauses[-1])
    katakana = sorted(set(re.findall(r"[ァ-ヺー]{3,}", text)) - {"ー"})
    return Corpus(sorted(set(openers)), sorted(set(closers)), sentences, katakana)


class Generator:
    """Draws every record from one seeded random generator, in a fixed order."""

    def __init__(self, claims: int, seed: int, corpus: Corpus) -> None:
        self.count = claims
        self.rng = random.Random(seed)
        self.corpus = corpus
        self.claim_ids = [f"claim-{i:05d}" for i in range(1, claims + 1)]
        self.term_ids = [f"term-{i:05d}" for i in range(1, max(1, claims // 10) + 1)]
        self.topic_ids = [f"topic-{i:03d}" for i in range(1, max(6, round(math.sqrt(claims))) + 1)]
        self.speaker_ids = [f"speaker-{i:02d}" for i in range(1, max(3, claims // 500) + 1)]
        self.source_ids = [f"synth-source-{i:03d}" for i in range(1, max(3, math.ceil(claims / CLAIMS_PER_SOURCE)) + 1)]

    # text -------------------------------------------------------------------------------------

    def sentence(self) -> str:
        """A new sentence: one to three opening clauses from anywhere, then a closing clause."""
        openers = self.rng.sample(self.corpus.openers, self.rng.randint(1, 3))
        return "".join(openers) + self.rng.choice(self.corpus.closers)

    def sentences(self, low: int, high: int) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def english(self, low: int, high: int) -> str:
        words = self.rng.choices(ENGLISH, k=self.rng.randint(low, high))
        return " ".join(words).capitalize()

    def short_title(self) -> str:
        clause = self.rng.choice(self.corpus.openers).rstrip("、")
        # No quotation marks: `kb check` refuses them around words the claim's source does not hold.
        return "".join(char for char in clause if char not in "「」『』")[:60]

    # records ----------------------------------------------------------------------------------

    def quote_counts(self) -> list[int]:
        return self.rng.choices([1, 2, 3], weights=[40, 40, 20], k=self.count)

    def sources(self, quote_counts: list[int]) -> list[SynthSource]:
        """Source texts with enough uniquely occurring sentences for every claim's quotes."""
        needed = [0] * len(self.source_ids)
        for number, quotes in enumerate(quote_counts):
            needed[number % len(self.source_ids)] += quotes
        return [self.source(source_id, want) for source_id, want in zip(self.source_ids, needed)]

    def source(self, source_id: str, want: int) -> SynthSource:
        source = SynthSource(source_id, [self.short_title()])
        candidates: list[str] = []
        while len(candidates) < want * 1.1 + 5:
            paragraph = [self.sentence() for _ in range(self.rng.randint(2, 5))]
            source.paragraphs.append("".join(paragraph))
            candidates.extend(paragraph)
        document = "\n".join(source.paragraphs)
        source.quotable = [s for s in candidates if document.count(s) == 1]
        self.rng.shuffle(source.quotable)
        if len(source.quotable) < want:
            raise RuntimeError(f"source {source_id}: only {len(source.quotable)} unique sentences for {want} quotes")
        return source

    def term(self, number: int, term_id: str, names: list[str], misheard: str | None) -> dict[str, Any]:
        name = names[number]
        record: dict[str, Any] = {
            "id": term_id,
            "term": name,
            "reading": name,
            "en": f"{self.english(1, 3)} {number + 1}",
            "category": self.rng.choice(TERM_CATEGORIES),
            "aliases": [f"{self.english(1, 2)} term {number + 1}"] if self.rng.random() < 0.4 else [],
            "misheard": [misheard] if misheard else [],
            "definition": self.sentences(1, 3),
            "definition_en": self.english(8, 20) + ".",
        }
        others = [t for t in self.rng.sample(self.term_ids, min(3, len(self.term_ids))) if t != term_id]
        record["related"] = others[: self.rng.randint(0, 2)]
        return record

    def term_names(self) -> list[str]:
        """Distinct katakana names: pairs of transcript words joined by ・, then triples if needed."""
        words = self.corpus.katakana
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < len(self.term_ids):
            parts = self.rng.sample(words, 2 if len(seen) < len(words) ** 2 // 2 else 3)
            name = "・".join(parts)
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def misheard_forms(self, sources: list[SynthSource]) -> list[str]:
        """A few short spans that occur once or twice in the sources, flagged as misheard names."""
        texts = ["\n".join(s.paragraphs) for s in sources]
        forms: list[str] = []
        attempts = 0
        while len(forms) < max(1, len(self.term_ids) // 50) and attempts < 10_000:
            attempts += 1
            paragraph = self.rng.choice(self.rng.choice(sources).paragraphs[1:])
            start = self.rng.randrange(max(1, len(paragraph) - 5))
            form = paragraph[start : start + 4]
            plain = form.strip() == form and "、" not in form and "。" not in form and form not in forms
            if plain and 1 <= sum(t.count(form) for t in texts) <= 2:
                forms.append(form)
        return forms

    def claim(self, number: int, quotes: list[dict[str, str]]) -> dict[str, Any]:
        claim_id = self.claim_ids[number]
        record: dict[str, Any] = {
            "id": claim_id,
            "title": self.short_title(),
            "title_en": self.english(4, 8),
            "summary": self.sentences(1, 2),
            "summary_en": self.english(10, 20) + ".",
            "speaker": self.rng.choice(self.speaker_ids),
            "kind": self.rng.choice(KINDS),
            "topics": self.rng.sample(self.topic_ids, self.rng.randint(1, 2)),
            "quotes": quotes,
            "terms": self.rng.sample(self.term_ids, min(len(self.term_ids), self.rng.randint(1, 4))),
            "related": self.relations(claim_id),
            "annotations": [self.annotation(number, i) for i in range(self.rng.randint(1, 3))],
        }
        return record

    def relations(self, claim_id: str) -> list[dict[str, str]]:
        relations = []
        for other in self.rng.sample(self.claim_ids, min(len(self.claim_ids), self.rng.randint(0, 3))):
            if other != claim_id:
                relation = self.rng.choice(RELATIONS)
                if relation == "responds-to" and other > claim_id:
                    relation = "elaborates"  # a claim responds to one made before it, so responses never cycle
                relations.append({"id": other, "relation": relation})
        return relations

    def annotation(self, number: int, index: int) -> dict[str, Any]:
        note: dict[str, Any] = {"kind": self.rng.choice(ANNOTATION_KINDS), "text": self.sentences(4, 7),
                                "text_en": self.english(30, 60) + "."}
        if note["kind"] in VERDICT_KINDS:  # no draw from the generator: the rest of the folder stays as it was
            note["verdict"] = "corrected" if note["kind"] == "correction" else list(STATUSES)[(number + index) % len(STATUSES)]
            note["finding"] = note["text"][:40]
            note["finding_en"] = note["text_en"][:60]
        if self.rng.random() < 0.3:
            note["reference"] = {"title": self.english(3, 6), "url": f"https://example.org/synth/{number + 1}/{index + 1}"}
        return note

    def topic(self, topic_id: str, number: int) -> dict[str, Any]:
        return {
            "id": topic_id,
            "name": f"{self.rng.choice(self.corpus.katakana)}と{self.rng.choice(self.corpus.katakana)} {number + 1}",
            "name_en": f"{self.english(2, 4)} {number + 1}",
            "description": self.sentences(1, 2),
            "description_en": self.english(10, 20) + ".",
        }

    def speaker(self, speaker_id: str, number: int) -> dict[str, Any]:
        return {
            "id": speaker_id,
            "name": f"Speaker {number + 1:02d}",
            "name_ja": f"{self.rng.choice(self.corpus.katakana)}{number + 1}",
            "description": self.sentences(1, 2),
            "description_en": self.english(8, 14) + ".",
        }

    def source_meta(self, source: SynthSource, number: int) -> dict[str, Any]:
        return {
            "id": source.id,
            "title": f"合成資料 {number + 1}: {self.short_title()}",
            "title_en": f"Synthetic source {number + 1}",
            "file": f"{source.id}.txt",
            "language": "ja",
            "kind": "video-transcript",
            "summarises": self.sentences(1, 2),
            "summarises_en": self.english(10, 20) + ".",
            "speakers": list(self.speaker_ids),
            "reliability": self.sentences(1, 1),
            "reliability_en": self.english(8, 14) + ".",
            "segments": [{"paragraphs": [1], "kind": "heading"}],
        }


@dataclass
class SynthKnowledgeBase:
    """Every record of a generated knowledge base, as plain data ready to be written as YAML."""

    claims: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    speakers: list[dict[str, Any]]
    sources: list[tuple[dict[str, Any], str]]


def generate(claims: int, seed: int = 1, corpus: Corpus | None = None) -> SynthKnowledgeBase:
    """A valid knowledge base of `claims` claims, claims/10 terms and a source per 250 claims (at least 3)."""
    if claims < 1:
        raise ValueError("expected at least one claim")
    gen = Generator(claims, seed, corpus or read_corpus())
    counts = gen.quote_counts()
    sources = gen.sources(counts)
    claim_records = []
    for number, want in enumerate(counts):
        source = sources[number % len(sources)]
        quotes = [{"source": source.id, "text": source.quotable.pop()} for _ in range(want)]
        claim_records.append(gen.claim(number, quotes))
    names = gen.term_names()
    forms = gen.misheard_forms(sources)
    terms = [gen.term(i, term_id, names, forms[i] if i < len(forms) else None) for i, term_id in enumerate(gen.term_ids)]
    return SynthKnowledgeBase(
        claims=claim_records,
        terms=terms,
        topics=[gen.topic(t, i) for i, t in enumerate(gen.topic_ids)],
        speakers=[gen.speaker(s, i) for i, s in enumerate(gen.speaker_ids)],
        sources=[(gen.source_meta(s, i), "\n".join(s.paragraphs) + "\n") for i, s in enumerate(sources)],
    )


def to_yaml(data: Any) -> str:
    """Block-style YAML, Japanese kept as is, as an editor would write it."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


def write(kb: SynthKnowledgeBase, out: Path) -> None:
    """Write the records into `out` (replaced if it exists) as a knowledge-base folder."""
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise FileExistsError(f"{out} exists and was not written by kb_bench.synth; expected a new or synthetic folder")
        shutil.rmtree(out)
    for folder in ("claims", "glossary", "sources"):
        (out / folder).mkdir(parents=True)
    for claim in kb.claims:
        (out / "claims" / f"{claim['id']}.yaml").write_text(to_yaml(claim), encoding="utf-8")
    for term in kb.terms:
        (out / "glossary" / f"{term['id']}.yaml").write_text(to_yaml(term), encoding="utf-8")
    for meta, text in kb.sources:
        (out / "sources" / f"{meta['id']}.yaml").write_text(to_yaml(meta), encoding="utf-8")
        (out / "sources" / meta["file"]).write_text(text, encoding="utf-8")
    (out / "topics.yaml").write_text(to_yaml({"topics": kb.topics}), encoding="utf-8")
    (out / "speakers.yaml").write_text(to_yaml({"speakers": kb.speakers}), encoding="utf-8")
    (out / MARKER).write_text("Written by kb_bench.synth; replaced by the next run.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point: `python -m kb_bench.synth --claims N --out FOLDER [--seed S]`."""
    parser = argparse.ArgumentParser(prog="kb_bench.synth", description="Write a synthetic knowledge base for benchmarks.")
    parser.add_argument("--claims", type=int, default=1000, help="number of claims (terms: a tenth of it)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.claims < 1:
        print("kb_bench.synth: --claims: expected a positive number; found " + str(args.claims), file=sys.stderr)
        return 2
    kb = generate(args.claims, args.seed)
    try:
        write(kb, args.out)
    except FileExistsError as error:
        print(f"kb_bench.synth: {error}", file=sys.stderr)
        return 2
    print(f"wrote {len(kb.claims)} claims, {len(kb.terms)} terms, {len(kb.topics)} topics, "
          f"{len(kb.speakers)} speakers and {len(kb.sources)} sources to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
