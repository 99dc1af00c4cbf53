"""The search index updated for the changed documents only (kb.search.index_update, and
`write_search_index` given the state its last call returned) equals the index built whole, file for file."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, copy_fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.search.index import build_search_index
from kb.search.index_update import CountedDocuments, content_key, narrowest
from kb.search.search_documents import SearchDocument, search_documents
from kb.search.search_site import INDEX_FOLDER, write_search_index
from kb.search.shards import chunk_rows, each_index_file, index_files, unchanged_files
from kb.site.edition import ENGLISH_EDITION, JAPANESE_EDITION


def checked_of(kb: Path) -> CheckedKnowledgeBase:
    checked, problems = load_and_check(kb)
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


@pytest.fixture(scope="module")
def documents() -> list[SearchDocument]:
    small = checked_of(FIXTURES / "small")
    return search_documents(small, JAPANESE_EDITION) + search_documents(small, ENGLISH_EDITION)


TEXTS = st.sampled_from([
    "", " ", "強化学習は報酬から学ぶ", "エージェントはまだ動かない", "agents reinforcement learning",
    "AGIは10年以上先 agi decade", "ａｇｉ　ＡＧＩ", "システムプロンプト学習", "x" * 300, "ドワーケシュ Dwarkesh",
])
FIELDS = st.sampled_from(["title", "names", "reading", "terms", "summary", "body"])
KINDS = st.sampled_from(["claim", "term", "topic", "speaker", "source", "paragraph", "page", "noncontent"])
Step = tuple[str, int, int, str, str, str]
STEPS = st.tuples(
    st.sampled_from(["edit", "add", "remove", "move", "copy", "kind"]),
    st.integers(0, 10_000), st.integers(0, 10_000), FIELDS, TEXTS, KINDS,
)


def changed(documents: list[SearchDocument], step: Step) -> tuple[list[SearchDocument], int]:
    """`documents` after one editor's step, and at most how many documents it makes to count."""
    action, first, second, name, text, kind = step
    documents = list(documents)
    i, j = first % len(documents), second % (len(documents) + 1)
    document = documents[i]
    edited = replace(document, fields={**document.fields, name: [*document.fields.get(name, []), text]})
    if action == "edit":
        documents[i] = edited
    elif action == "add":
        documents.insert(j, replace(edited, url=f"{edited.url}#added-{first}"))
    elif action == "remove" and len(documents) > 1:
        del documents[i]
    elif action == "move":
        documents.insert(j, documents.pop(i))
    elif action == "copy":  # a second document with the same content: counted once
        documents.insert(j, replace(document, url=f"{document.url}#copy"))
    elif action == "kind":
        documents[i] = replace(document, kind=kind)
    return documents, int(action in ("edit", "add", "kind"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEPS, min_size=1, max_size=8))
def test_an_index_updated_after_any_edits_equals_the_index_built_whole(
        documents: list[SearchDocument], steps: list[Step]) -> None:
    counted = CountedDocuments()
    index = counted.build(documents)
    files = index_files(index)
    assert files == index_files(build_search_index(documents))
    assert counted.counted == len({content_key(document) for document in documents})  # equal ones once
    for step in steps:
        rows = chunk_rows(documents)
        documents, at_most = changed(documents, step)
        updated = counted.build(documents)
        whole = index_files(build_search_index(documents))
        assert index_files(updated) == whole, step
        assert counted.counted <= at_most, step
        assert len(counted.by_content) <= len(documents)
        kept = unchanged_files(updated, index, rows, files)
        assert all(whole[path] == data for path, data in kept.items()), step
        files, index = dict(each_index_file(updated, None, kept)), updated
        assert files == whole, step


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_written_index_updated_after_edits_equals_one_written_whole(tmp_path: Path) -> None:
    """Both ways between the small fixture and an edited copy with one claim more (so more document
    chunks: files added, then removed); files whose bytes did not change are not written again."""
    kb = copy_fixture("small", tmp_path)
    before = checked_of(kb)
    claim = kb / "claims/agi-decade.yaml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("title: AGIは10年以上先\n", "title: AGIは十年以上先\n"), encoding="utf-8")
    (kb / "claims/extra-claim.yaml").write_text(
        text.replace("id: agi-decade\n", "id: extra-claim\n", 1).replace("title: AGIは10年以上先", "title: 追加の主張"),
        encoding="utf-8")
    after = checked_of(kb)
    site = tmp_path / "served"
    state = write_search_index(before, site, keep=True)
    assert state is not None
    for checked, files_change in ((after, True), (before, True), (before, False)):
        folder = site / INDEX_FOLDER
        old = files_of(folder)
        for path in folder.rglob("*"):
            os.utime(path, (1, 1))
        state = write_search_index(checked, site, state)
        whole = tmp_path / f"whole-{len(checked.kb.claims)}"
        write_search_index(checked, whole)
        assert files_of(site / "search") == files_of(whole / "search")
        new = files_of(folder)
        assert (old.keys() != new.keys()) == files_change
        untouched = {path for path, data in new.items() if old.get(path) == data}
        assert {path for path in new if (folder / path).stat().st_mtime_ns == 10**9} == untouched
    assert untouched == new.keys()


def test_documents_kept_in_narrower_integers_give_the_same_index(documents: list[SearchDocument]) -> None:
    """Token numbers are kept in 8, 16 or 32 bits as they fit; documents of different widths together,
    and numbers above 65,535 (sorted in two 16-bit passes), give the index built whole."""
    counted = CountedDocuments()
    counted.build(documents[:5])
    # The tokens numbered next are from 65,536 on: their low 16 bits are those of the first ones.
    counted.token_names += ["never used"] * (65_536 - len(counted.token_names))
    index = counted.build(documents)
    widths = {kept.tokens.dtype for kept in counted.by_content.values()}
    assert np.dtype(np.uint32) in widths and len(widths) > 1
    assert index_files(index) == index_files(build_search_index(documents))


def test_the_narrowest_unsigned_integers() -> None:
    assert [narrowest(np.array(values)).dtype for values in ([], [0, 255], [256], [65_535], [65_536])] == [
        np.uint8, np.uint8, np.uint16, np.uint16, np.uint32]
    with pytest.raises(ValueError, match="4294967296 does not fit 32 bits"):
        narrowest(np.array([1 << 32]))
