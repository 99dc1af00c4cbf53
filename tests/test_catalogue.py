"""The string catalogue: every interface string comes from `kb/site/strings/<language>.yaml`.

A key used by the code and missing from a catalogue, a key no code uses, a vocabulary whose words
do not match its declared values, and Japanese interface text written outside the catalogue in
`scripts/kb` all fail here.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture
from kb.adapters.pipeline import load_and_check
from kb.records.model import AnnotationKind, ClaimKind, RelationKind, SegmentKind
from kb.records.vocabulary import STATUSES, VOICES
from kb.site import urls
from kb.site.catalogue import STRINGS, catalogue, languages
from kb.site.claimmap import RELATION_ORDER
from kb.site.labels import VOCABULARIES
from kb.site.render import Renderer
from kb_bench import synth

PACKAGE = REPO / "scripts" / "kb"
CODE = sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2")])
THEME = sorted((REPO / "overrides").rglob("*.html"))
SCRIPTS = sorted((REPO / "docs" / "assets").rglob("*.js"))
SCRIPT_LANGUAGE_DATA = {"kb-search/text.js": "the normalization's kana tables and question endings, as search_text.py"}
"""Scripts whose Japanese is language data the code works with, not text it shows."""
SECTIONS = sorted({key.split(".")[0] for key in catalogue().strings})
_SECTION = "|".join(map(re.escape, SECTIONS))
_KEY = re.compile(r"""["']((?:""" + _SECTION + r""")\.[A-Za-z0-9_.\-]*)(\{|["'])""")
_FILE_NAME = re.compile(r"\.(j2|ya?ml|py|md|json|txt|html|js|css|png)$")
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
"""Kana and kanji: Japanese words (punctuation alone is not looked for)."""

LANGUAGE_DATA = {
    "search/search_text.py": "the normalization's kana tables (folding, long vowels, iteration marks)",
    "site/gojuon.py": "the kana of each gojūon row",
    "site/ogimage.py": "characters a Japanese line may not start or end with",
    "site/svg.py": "characters a Japanese line may not start or end with",
    "records/sourcetext.py": "combining and half-width voiced sound marks",
    "records/yamlfile.py": "invisible characters refused in records (Hangul fillers)",
    "records/model.py": "the kana a reading may hold",
    "search/search_lexicon.py": "character classes of numbers and katakana words",
    "checks/estimates.py": "the year sign 年 an estimate's evidence must state",
}
"""Modules whose Japanese is language data the code works with, not text it shows."""


def referenced_keys() -> tuple[set[str], set[str]]:
    """Catalogue keys written in the code and templates, and the prefixes of keys the code builds
    (an f-string such as `vocabulary.status.{status}`)."""
    keys, prefixes = set(), set()
    for path in CODE + THEME + SCRIPTS:
        for match in _KEY.finditer(path.read_text(encoding="utf-8")):
            key, end = match.groups()
            if end == "{":
                prefixes.add(key)
            elif not _FILE_NAME.search(key):
                keys.add(key)
    return keys, prefixes


def test_every_key_the_code_uses_is_in_every_catalogue() -> None:
    keys, prefixes = referenced_keys()
    assert keys, "no key found: the scan is broken"
    for language in languages():
        strings = catalogue(language).strings
        assert sorted(keys - set(strings)) == [], f"{language}.yaml lacks these keys"
        for prefix in prefixes:
            assert any(key.startswith(prefix) for key in strings), f"{language}.yaml: nothing under {prefix}"


def test_every_key_of_the_catalogue_is_used() -> None:
    keys, prefixes = referenced_keys()
    # A section of words is read whole, by the values of its vocabulary (`labels.labels`).
    words = tuple(f"vocabulary.{name}." for name in VOCABULARIES)
    assert all(prefix.startswith("vocabulary.") for prefix in prefixes), prefixes
    unused = [key for key in catalogue().strings if key not in keys and not key.startswith(words + tuple(prefixes))]
    assert unused == []


def test_each_language_has_the_same_keys() -> None:
    assert "ja" in languages()
    japanese = list(catalogue("ja").strings)
    for language in languages():
        assert list(catalogue(language).strings) == japanese, language


@pytest.mark.parametrize(("section", "values"), [
    ("kind", typing.get_args(ClaimKind)),
    ("relation", typing.get_args(RelationKind)),
    ("relation_en", typing.get_args(RelationKind)),
    ("backlink", typing.get_args(RelationKind)),
    ("backlink_en", typing.get_args(RelationKind)),
    ("relation_short", typing.get_args(RelationKind)),
    ("annotation", typing.get_args(AnnotationKind)),
    ("segment", typing.get_args(SegmentKind)),
    ("status", tuple(STATUSES)),
    ("status_en", tuple(STATUSES)),
    ("status_meaning", tuple(STATUSES)),
    ("voice", tuple(VOICES)),
])
def test_each_vocabulary_has_a_word_for_each_value(section: str, values: tuple[str, ...]) -> None:
    assert section in VOCABULARIES
    for language in languages():
        assert set(catalogue(language).words(f"vocabulary.{section}")) == set(values), (language, section)


def string_literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings, with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for before, statement in zip([None, *body], body):
            is_doc = before is None or isinstance(before, (ast.Assign, ast.AnnAssign))
            if is_doc and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                docstrings.add(id(statement.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_japanese_interface_text_outside_the_catalogue() -> None:
    found = []
    for path in CODE:
        name = path.relative_to(PACKAGE).as_posix()
        if name in LANGUAGE_DATA:
            continue
        if path.suffix == ".py":
            found += [f"{name}:{line}: {text[:40]!r}" for line, text in string_literals(path) if _JAPANESE.search(text)]
        else:  # a template: its text outside {{ }}, {% %} and {# #}
            text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
            found += [f"{name}: {line.strip()[:40]!r}" for line in text.splitlines() if _JAPANESE.search(line)]
    assert found == []


def test_no_japanese_interface_text_in_the_theme_or_the_scripts() -> None:
    """The theme overrides print the catalogue's words (kb.ui, from edition.page_theme); the scripts read theirs from the page."""
    found = []
    for path in THEME:
        text = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        found += [f"{path.name}: {line.strip()[:40]!r}" for line in text.splitlines() if _JAPANESE.search(line)]
    for path in SCRIPTS:
        name = path.relative_to(REPO / "docs" / "assets").as_posix()
        if name in SCRIPT_LANGUAGE_DATA:
            continue
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        found += [f"{name}: {literal[:40]!r}" for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"', code)
                  if _JAPANESE.search(literal)]
    assert found == []


def test_the_scan_finds_japanese_text_where_it_is() -> None:
    sample = Path(__file__).parent / "fixtures" / "catalogue_scan_sample.py"
    lines = [line for line, text in string_literals(sample) if _JAPANESE.search(text)]
    assert lines == [6]  # the literal, not the docstrings


def test_the_catalogues_are_where_the_package_installs_them() -> None:
    assert STRINGS == PACKAGE / "site" / "strings"
    assert '"strings/*.yaml"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_claim_kinds_and_relations_are_declared_once() -> None:
    """`ClaimKind` and `RelationKind` (records.model) are the lists; the catalogue's words, the CSS
    classes, the map's order and the synthetic data derive from or are checked against them."""
    css = (REPO / "docs" / "assets" / "kb.css").read_text(encoding="utf-8")
    for kind in typing.get_args(ClaimKind):
        assert f".kb-kind--{kind}" in css, kind
    assert sorted(RELATION_ORDER) == sorted(typing.get_args(RelationKind))
    for relation in RELATION_ORDER:
        assert f".kb-rel-{relation} " in css, relation
    assert (synth.KINDS, synth.RELATIONS) == (typing.get_args(ClaimKind), typing.get_args(RelationKind))
    for template in (PACKAGE / "site" / "templates").glob("*.j2"):
        names = "|".join(map(re.escape, typing.get_args(RelationKind)))
        listed = re.findall(f'"({names})"', template.read_text(encoding="utf-8"))
        assert listed == [], f"{template.name} lists relations again: {listed}"


def test_the_home_page_comes_from_the_knowledge_base(tmp_path: Path) -> None:
    folder = copy_fixture("small", tmp_path)
    checked, problems = load_and_check(folder)
    assert checked is not None and checked.kb.home is not None, [str(p) for p in problems.sorted()]
    home = Renderer(checked).pages()[urls.HOME_PAGE]
    assert home.startswith(f"# {checked.kb.home.title}\n")
    (folder / "home.yaml").unlink()
    checked, problems = load_and_check(folder)
    assert checked is not None and checked.kb.home is None, [str(p) for p in problems.sorted()]
    home = Renderer(checked).pages()[urls.HOME_PAGE]
    assert home.startswith(f"# {catalogue()('home.default_title')}\n")
    assert "Karpathy" not in home.split("## ")[0]


def test_another_language_is_one_more_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue `xx.yaml` with the same keys is all the renderer needs to print every page in `xx`."""
    import string

    import yaml
    from kb.site import catalogue as catalogue_module

    strings = tmp_path / "strings"
    strings.mkdir()
    (strings / "ja.yaml").write_text((STRINGS / "ja.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    def mark(key: str) -> str:  # no punctuation, which escaping would change
        return "ZZ" + re.sub("[^a-z0-9]", "", key)

    def marked(key: str, value: str) -> str:
        fields = [name for _, name, _, _ in string.Formatter().parse(value) if name]
        return " ".join([mark(key), *(f"{{{name}}}" for name in fields)])

    tree: dict[str, object] = {}
    for key, value in catalogue().strings.items():
        *sections, last = key.split(".")
        node = tree
        for section in sections:
            node = node.setdefault(section, {})  # type: ignore[assignment, union-attr]
        node[last] = marked(key, value)  # type: ignore[index]
    (strings / "xx.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "STRINGS", strings)
    catalogue_module.catalogue.cache_clear()
    try:
        assert languages() == ["ja", "xx"]
        checked, problems = load_and_check(REPO / "tests" / "fixtures" / "small")
        assert checked is not None, [str(p) for p in problems.sorted()]
        pages = Renderer(checked, language="xx").pages()
    finally:
        catalogue_module.catalogue.cache_clear()
    claim = pages[urls.claim_page("agi-decade")]
    assert f"## {mark('claim_page.quotes')} {{ #quotes }}" in claim and "## 引用" not in claim
    assert mark("vocabulary.kind.prediction") in claim and mark("claim_page.copy_link") in claim
    assert mark("vocabulary.status.no-issues") in claim and mark("citation.claim_of") in claim
    assert f"\n# {mark('glossary.title')}\n" in pages[urls.GLOSSARY_PAGE]
    assert f"{mark('script.filter_shown')} &#123;count&#125; &#123;total&#125;" in pages[urls.CLAIMS_PAGE]
    for page, text in pages.items():
        for japanese in ("主張一覧", "五十音索引", "件を表示", "編集者向けガイド", "この資料について", "文脈で読む"):
            assert japanese not in text, (page, japanese)
