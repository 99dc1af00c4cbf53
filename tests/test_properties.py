"""Property-based tests of loading, checking and rendering (Hypothesis).

Whatever a record file holds — arbitrary text, arbitrary bytes, any YAML document, a valid record
with a field removed, retyped or renamed, a line cut or duplicated — loading and checking end in
a valid knowledge base (which then renders) or in located problems, never in an exception.
Example counts stay modest so the suite stays fast; the bad-input corpus pins known cases.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kb.checks.check import CheckedKnowledgeBase, check_knowledge_base
from kb.records.knowledge import load_knowledge_base
from kb.records.problems import Problems
from kb.records.yamlfile import MAX_DEPTH
from kb.site.render import Renderer
from markdown import Markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CLAIM = "claims/agi-decade.yaml"
MESSAGE_FORMAT = re.compile(r"^[^:\n]+:\d+:\d+: [^\n]+; expected [^\n]+; found [^\n]*$")
VALID_CLAIM: dict[str, Any] = yaml.safe_load((FIXTURES / "small" / CLAIM).read_text(encoding="utf-8"))

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def kb_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the small fixture; each example rewrites one of its files."""
    target = tmp_path_factory.mktemp("prop") / "kb"
    shutil.copytree(FIXTURES / "small", target)
    return target


def load_and_check_folder(kb: Path) -> tuple[CheckedKnowledgeBase, Problems]:
    """Load and check `kb` afresh (no cache: the files change between examples)."""
    knowledge, problems = load_knowledge_base(kb)
    return check_knowledge_base(knowledge, problems), problems


def assert_valid_or_reported(kb: Path) -> None:
    """The property: problems are located and phrased, or the knowledge base renders."""
    checked, problems = load_and_check_folder(kb)
    for problem in problems.sorted():
        assert problem.location.line >= 1 and problem.location.column >= 1
        assert problem.location.path and not problem.location.path.startswith("/"), str(problem)
        assert MESSAGE_FORMAT.match(str(problem)), str(problem)
    if not problems:
        pages = Renderer(checked).pages()
        assert pages


def write(kb: Path, relative: str, content: str | bytes) -> None:
    path = kb / relative
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape"))


def restore(kb: Path, *relatives: str) -> None:
    for relative in relatives:
        shutil.copyfile(FIXTURES / "small" / relative, kb / relative)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_as_a_record(kb_copy: Path, text: str) -> None:
    write(kb_copy, CLAIM, text)
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, CLAIM)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_as_a_record(kb_copy: Path, data: bytes) -> None:
    write(kb_copy, "glossary/agi.yaml", data)
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, "glossary/agi.yaml")


@SETTINGS
@given(values)
def test_any_yaml_document_as_a_record(kb_copy: Path, document: Any) -> None:
    write(kb_copy, CLAIM, yaml.safe_dump(document, allow_unicode=True))
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, CLAIM)


def field_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a record."""
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += field_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += field_paths(item, prefix + (index,))
    return paths


def mutated(record: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    """A copy of `record` with the value at `path` replaced, removed or given a sibling."""
    copy = yaml.safe_load(yaml.safe_dump(record))
    if not path:
        return value
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "remove":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"{last}_x" if isinstance(value, str) else "extra"] = value
    else:
        parent.insert(last, value)
    return copy


@SETTINGS
@given(st.data(), st.sampled_from(["remove", "replace", "add"]), values)
def test_mutations_of_a_valid_claim(kb_copy: Path, data: st.DataObject, action: str, value: Any) -> None:
    path = data.draw(st.sampled_from(field_paths(VALID_CLAIM)))
    write(kb_copy, CLAIM, yaml.safe_dump(mutated(VALID_CLAIM, path, action, value), allow_unicode=True))
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, CLAIM)


@SETTINGS
@given(st.sampled_from(["claims/agi-decade.yaml", "claims/narrator-optimism.yaml", "glossary/agi.yaml",
                        "sources/talk.yaml", "sources/talk.txt", "topics.yaml", "speakers.yaml"]),
       st.integers(min_value=0, max_value=2_000), st.integers(min_value=0, max_value=40),
       st.text(max_size=20))
def test_edits_of_the_text_of_any_file(kb_copy: Path, relative: str, at: int, cut: int, insert: str) -> None:
    """An editor's slip: some characters cut at a place and others typed there, in any input file."""
    original = (FIXTURES / "small" / relative).read_text(encoding="utf-8")
    at %= len(original) + 1
    write(kb_copy, relative, original[:at] + insert + original[at + cut:])
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, relative)


@SETTINGS
@given(st.integers(min_value=1, max_value=3 * MAX_DEPTH), st.sampled_from(["[", "{a: ", "- "]))
def test_nesting_of_any_depth(kb_copy: Path, depth: int, opener: str) -> None:
    nested = "x:\n" + "".join("  " * i + opener for i in range(depth)) + "deep\n" if opener == "- " \
        else "x: " + opener * depth + "\n"
    write(kb_copy, CLAIM, (FIXTURES / "small" / CLAIM).read_text(encoding="utf-8") + nested)
    assert_valid_or_reported(kb_copy)
    restore(kb_copy, CLAIM)


@pytest.fixture(scope="module")
def site_markdown() -> Markdown:
    """Python-Markdown with the extensions and settings of mkdocs.yml."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


printable_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"),
    min_size=1, max_size=80,
).filter(lambda text: text.strip() != "")


@pytest.fixture(scope="module")
def small_checked() -> CheckedKnowledgeBase:
    knowledge, problems = load_knowledge_base(FIXTURES / "small")
    checked = check_knowledge_base(knowledge, problems)
    assert not problems
    return checked


@settings(SETTINGS, max_examples=40)
@given(printable_text)
@example("*em* __strong__ `code` ~~del~~")
@example("<b>bold</b> &amp; &lt; <script>alert(1)</script>")
@example("[link](javascript:alert(1)) ![img](x) <https://example.org>")
@example("# heading { #id .class onclick=x } {: .y }")
@example("\\ trailing backslash \\")
@example("{{ 7*7 }} {% raw %} --8<-- 'mkdocs.yml'")
def test_any_title_is_printed_as_its_literal_text(
    small_checked: CheckedKnowledgeBase, site_markdown: Markdown, title: str
) -> None:
    """Whatever an editor writes as a claim title, the page's heading shows exactly that text."""
    claims = small_checked.kb.claims
    original = claims["agi-decade"]
    claims["agi-decade"] = original.model_copy(update={"title": title})
    try:
        markdown, _ = get_data(Renderer(small_checked).pages()["claims/agi-decade.md"])
    finally:
        claims["agi-decade"] = original
    html = site_markdown.reset().convert(markdown)
    heading = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", html, re.DOTALL)
    assert heading, html[:500]
    assert unescape(re.sub(r"<[^>]+>", "", heading.group(1))) == " ".join(title.split())


def test_templates_print_nothing_that_finalize_would_escape_twice() -> None:
    # Jinja's autoescape is off because the environment's finalize escapes every printed value that
    # is not Markup. A macro's output or a captured {% set %} block would reach finalize as plain
    # text and be escaped a second time: such snippets belong in kb.site.snippets as Markup-returning methods.
    from kb.site.templating import TEMPLATES

    for template in sorted(TEMPLATES.glob("*.j2")):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"{%-?\s*(macro|call|filter)\b", source), template.name
        assert not re.search(r"{%-?\s*set\s+\w+\s*-?%}", source), f"{template.name}: captured block"
