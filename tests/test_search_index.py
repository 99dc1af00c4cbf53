"""The search index built from a knowledge base: documents, weights, shards and chunks."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.search.index import build_search_index
from kb.search.search_documents import SearchDocument, page_documents, search_documents
from kb.search.search_text import shard_of
from kb.search.shards import index_files, shard_count


@pytest.fixture(scope="module")
def small() -> CheckedKnowledgeBase:
    checked, problems = load_and_check(FIXTURES / "small")
    assert checked is not None, [str(p) for p in problems.sorted()]
    return checked


def read_shard(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """Decode a shard as the browser does (layout documented in kb.search.shards.shard_bytes)."""
    count, names_length = struct.unpack_from("<II", data, 0)
    names = data[8 : 8 + names_length].decode("utf-8").split("\n") if count else []
    offset = 8 + names_length + (-names_length % 4)
    counts = struct.unpack_from(f"<{count}I", data, offset)
    total = sum(counts)
    packed = struct.unpack_from(f"<{total}I", data, offset + 4 * count)
    assert len(data) == offset + 4 * count + 4 * total
    postings, start = {}, 0
    for name, n in zip(names, counts, strict=True):
        postings[name] = [(p >> 8, p & 0xFF) for p in packed[start : start + n]]
        start += n
    return postings


def by_url(documents: list[SearchDocument]) -> dict[str, SearchDocument]:
    return {d.url: d for d in documents}


def test_claims_are_found_by_the_names_of_their_terms(small: CheckedKnowledgeBase) -> None:
    documents = by_url(search_documents(small))
    claim = documents["claims/agi-decade/"]
    term = small.kb.terms["agi"]
    for name in [term.term, term.en, *term.aliases, *term.misheard]:
        assert name in claim.fields["terms"]


def test_every_record_becomes_a_document(small: CheckedKnowledgeBase) -> None:
    kb = small.kb
    urls = set(by_url(search_documents(small)))
    assert {f"claims/{c}/" for c in kb.claims} <= urls
    assert {f"glossary/#{t}" for t in kb.terms} <= urls
    assert {f"topics/{t}/" for t in kb.topics} <= urls
    assert {f"speakers/{s}/" for s in kb.speakers} <= urls
    for source_id, source in kb.sources.items():
        assert {f"sources/{source_id}/#p{p.number}" for p in source.text.paragraphs} <= urls


def test_a_title_match_outweighs_a_mention(small: CheckedKnowledgeBase) -> None:
    documents = search_documents(small)
    index = build_search_index(documents)
    claim = next(i for i, d in enumerate(documents) if d.url == "claims/agi-decade/")
    paragraph = next(i for i, d in enumerate(documents) if d.kind == "paragraph" and "AGI" in d.excerpt)
    weights = index.weights_of("agi")
    assert weights[claim] > 3 * weights[paragraph]


def test_shards_hold_every_posting_where_the_browser_looks(small: CheckedKnowledgeBase) -> None:
    index = build_search_index(search_documents(small))
    files = index_files(index)
    manifest = json.loads(files["manifest.json"])
    assert manifest["shards"] == shard_count(index)
    assert manifest["documents"] == len(index.documents)
    seen = 0
    for number in range(manifest["shards"]):
        for token, postings in read_shard(files[f"s/{number}.bin"]).items():
            assert shard_of(token, manifest["shards"]) == number
            assert postings == sorted(index.weights_of(token).items())
            seen += 1
    assert seen == len(index.postings)


def test_chunks_list_documents_in_id_order(small: CheckedKnowledgeBase) -> None:
    index = build_search_index(search_documents(small))
    files = index_files(index)
    chunk = json.loads(files["manifest.json"])["chunk"]
    rows = [row for n in range(0, len(index.documents), chunk) for row in json.loads(files[f"d/{n // chunk}.json"])]
    assert [row[0] for row in rows] == [d.url for d in index.documents]


def test_glossary_entries_and_paragraphs_are_grouped_under_their_page(small: CheckedKnowledgeBase) -> None:
    documents = search_documents(small)
    files = index_files(build_search_index(documents))
    groups = json.loads(files["manifest.json"])["groups"]
    for first, last, url, _title in groups:
        assert {d.group for d in documents[first : last + 1]} == {url}
    grouped = {i for first, last, _, _ in groups for i in range(first, last + 1)}
    assert grouped == {i for i, d in enumerate(documents) if d.group}


def test_prose_page_sections(tmp_path: Path) -> None:
    html = """<html><body><nav>menu</nav><article class="md-content__inner md-typeset">
    <h1 id="guide">Guide<a class="headerlink" href="#guide">¶</a></h1><p>Intro text.</p>
    <h2 id="quotes">引用の書き方</h2><p>prefix と suffix を使う。</p><script>var x</script>
    </article><footer>foot</footer></body></html>"""
    documents = page_documents(html, "contributing/")
    assert [(d.url, d.title, d.fields["body"]) for d in documents] == [
        ("contributing/", "Guide", ["Intro text."]),
        ("contributing/#quotes", "引用の書き方", ["prefix と suffix を使う。"]),
    ]


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("3", "3")])
def test_the_index_builder_asks_openblas_for_one_thread_unless_told(preset: str | None, expected: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    code = "import os, sys, kb.search.index; print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == [expected, "True"]
