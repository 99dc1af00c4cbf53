"""Pages kept from the last rendering (`kb.site.keptpages`): after any edits of the records, rendering with
the kept pages gives every page exactly as rendering afresh does.

The real knowledge base is edited in a copy: its relations, backlinks, glosses, misheard forms and
topics of many claims are what a claim page reads from other records. An edit that leaves problems is
undone (the build would keep the last good pages).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from kb.adapters.pipeline import load_and_check
from kb.records.layout import INPUT_NAMES
from kb.site.keptpages import KeptPages
from kb.site.render import edition_pages, some_edition_pages

FREE_TEXT = {"title", "title_en", "summary", "summary_en", "name", "name_en", "name_ja", "definition",
             "definition_en", "description", "description_en", "finding", "finding_en", "reason", "reason_en",
             "text_en", "misheard", "probable_forms"}
"""Fields whose text an edit may change without breaking a reference or a quote."""


def copy_of_real_kb(folder: Path) -> Path:
    kb = folder / "kb"
    kb.mkdir()
    for name in INPUT_NAMES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, kb / name)
        elif source.exists():
            shutil.copyfile(source, kb / name)
    return kb


def text_fields(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of the free-text strings in a record's data."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in text_fields(value, (*path, key))]
    if isinstance(data, list):
        return [found for number, value in enumerate(data) for found in text_fields(value, (*path, number))]
    named = [part for part in path if isinstance(part, str)]
    return [path] if isinstance(data, str) and named and named[-1] in FREE_TEXT else []


class Editor:
    """Edits of the records in a knowledge-base copy, each chosen by a seed."""

    def __init__(self, kb: Path) -> None:
        self.kb = kb

    def records(self) -> list[Path]:
        return sorted([*self.kb.glob("claims/*.yaml"), *self.kb.glob("glossary/*.yaml"), *self.kb.glob("sources/*.yaml"),
                       self.kb / "topics.yaml", self.kb / "speakers.yaml"])

    def claims(self) -> list[Path]:
        return sorted(self.kb.glob("claims/*.yaml"))

    def apply(self, kind: str, chance: random.Random) -> None:
        if kind == "transcript":
            self.add_to_transcript(chance)
            return
        if kind == "misheard":
            self.add_misheard_form(chance)
            return
        records = {"text": self.records(), "registry text": [self.kb / "speakers.yaml", self.kb / "topics.yaml"],
                   "speaker name": [self.kb / "speakers.yaml"]}
        path = chance.choice(records.get(kind) or self.claims())
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids = [claim.stem for claim in self.claims()]
        if kind in records:
            fields = [path for path in text_fields(data) if kind != "speaker name" or path[-1] in {"name", "name_ja"}]
            if not fields:
                return
            *parents, last = chance.choice(fields)
            holder = data
            for part in parents:
                holder = holder[part]
            holder[last] += f"改{chance.randrange(100)}"
        elif kind == "relation" and data.get("related"):
            data["related"][0]["id"] = chance.choice(ids)
        elif kind == "topics":
            topics = yaml.safe_load((self.kb / "topics.yaml").read_text(encoding="utf-8"))["topics"]
            data["topics"] = sorted({topic["id"] for topic in chance.sample(topics, 2)})
        elif kind == "speaker":
            speakers = yaml.safe_load((self.kb / "speakers.yaml").read_text(encoding="utf-8"))["speakers"]
            data["speaker"] = chance.choice(speakers)["id"]
        self.write(path, data)

    def add_misheard_form(self, chance: random.Random) -> None:
        """A term says that a few characters of a transcript paragraph are its misheard form."""
        transcript = chance.choice(sorted(self.kb.glob("sources/*.txt"))).read_text(encoding="utf-8")
        paragraph = chance.choice([line for line in transcript.splitlines() if len(line) > 10])
        start = chance.randrange(len(paragraph) - 4)
        path = chance.choice(sorted(self.kb.glob("glossary/*.yaml")))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["misheard"] = [*data.get("misheard", []), paragraph[start:start + 4]]
        self.write(path, data)

    def add_to_transcript(self, chance: random.Random) -> None:
        """A transcript paragraph ends with a term's misheard form, or a word."""
        path = chance.choice(sorted(self.kb.glob("sources/*.txt")))
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = chance.choice([number for number, line in enumerate(lines) if len(line) > 10])
        forms = [form for term in self.kb.glob("glossary/*.yaml")
                 for form in yaml.safe_load(term.read_text(encoding="utf-8")).get("misheard", [])]
        lines[at] = lines[at].rstrip("\n") + chance.choice([*forms, "追記"]) + "\n"
        path.write_text("".join(lines), encoding="utf-8")

    @staticmethod
    def write(path: Path, data: Any) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


EDITS = st.lists(st.tuples(st.sampled_from(["text", "registry text", "speaker name", "relation", "topics", "speaker",
                                            "misheard", "transcript"]),
                           st.integers(0, 2**32)), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example renders the site often
@given(edits=EDITS)
def test_after_any_edits_the_kept_pages_are_the_pages_rendered_afresh(edits: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kb = copy_of_real_kb(Path(folder))
        editor, kept = Editor(kb), KeptPages()
        checked, problems = load_and_check(kb)
        assert checked is not None, problems
        assert len(kept) == 0
        edition_pages(checked, kept=kept)
        records = checked.kb  # each page but the lists, glossary and home, and each claim's items in them
        assert len(kept) > 2 * (len(records.claims) + len(records.topics) + len(records.speakers) + len(records.sources))
        for kind, seed in edits:
            before = {path: path.read_bytes() for path in kb.rglob("*") if path.is_file()}
            editor.apply(kind, random.Random(seed))
            checked, problems = load_and_check(kb)
            if checked is None:  # undone, as a build keeps the last good pages
                for path, data in before.items():
                    path.write_bytes(data)
                continue
            assert edition_pages(checked, kept=kept) == edition_pages(checked), (kind, seed)


def test_a_page_made_alone_is_the_page_made_with_the_site(tmp_path: Path) -> None:
    """What the edited record's page built first shows is what the whole site's rendering makes."""
    checked, problems = load_and_check(copy_of_real_kb(tmp_path))
    assert checked is not None, problems
    pages = edition_pages(checked)
    chosen = ["claims/agentic-interaction-over-rl.md", "en/claims/agentic-interaction-over-rl.md", "glossary/index.md", "en/topics/agi-timeline.md",
              "sources/karpathy-decade-of-agents.md", "no/such/page.md"]
    assert some_edition_pages(checked, chosen, kept=KeptPages()) == {path: pages.get(path) for path in chosen}


def test_a_page_is_rendered_again_only_when_its_inputs_change_and_pages_no_longer_made_are_forgotten() -> None:
    kept, renderings = KeptPages(), []

    def render(text: str) -> Callable[[], str]:
        def rendering() -> str:
            renderings.append(text)
            return text
        return rendering

    assert kept.page("a", ("title",), render("A")) == "A"
    assert kept.page("b", ("title",), render("B")) == "B"
    kept.forget_the_rest()
    assert kept.page("a", ("title",), render("A again")) == "A"  # equal inputs: as kept
    assert kept.page("a", ("new title",), render("A2")) == "A2"
    kept.forget_the_rest()  # "b" was not asked for: a page no longer made
    assert len(kept) == 1
    assert kept.page("b", ("title",), render("B again")) == "B again"
    assert renderings == ["A", "B", "A2", "B again"]
