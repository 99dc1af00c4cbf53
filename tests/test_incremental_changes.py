"""What an edit changed (kb.output.incremental), without an engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from kb.output.generated import GeneratedSite
from kb.output.incremental import BuiltCard, WrittenFiles, pages_with_new_cards, site_changes
from kb.site.citation import PageCard, SiteCards


def site(pages: dict[str, str], redirects: dict[str, str] | None = None,
         images: dict[str, Path] | None = None) -> GeneratedSite:
    return GeneratedSite(pages, redirects or {}, images or {}, cast(SiteCards, None))


def test_changed_added_and_removed_pages_redirects_and_images_are_told_apart() -> None:
    before = site({"a.md": "A", "b.md": "B", "c.md": "C"}, {"old/index.html": "1", "older/index.html": "2"},
                  {"a.png": Path("/cache/a1.png"), "c.png": Path("/cache/c.png")})
    after = site({"a.md": "A2", "b.md": "B", "d.md": "D"}, {"old/index.html": "1", "older/index.html": "3",
                                                            "c/index.html": "4"},
                 {"a.png": Path("/cache/a2.png"), "d.png": Path("/cache/d.png")})
    changes = site_changes(before, after)
    assert changes.pages == ["a.md"]
    assert changes.added_pages == ["d.md"]
    assert changes.removed_pages == ["c.md"]
    assert changes.redirects == {"older/index.html": "3", "c/index.html": "4"}
    assert changes.images == {"a.png": Path("/cache/a2.png"), "d.png": Path("/cache/d.png")}
    assert changes.removed_files == ["c.png"]
    assert changes.reshaped


def test_an_unchanged_site_changes_nothing() -> None:
    changes = site_changes(site({"a.md": "A"}, {"r/index.html": "R"}), site({"a.md": "A"}, {"r/index.html": "R"}))
    assert (changes.pages, changes.redirects, changes.images, changes.removed_files) == ([], {}, {}, [])
    assert not changes.reshaped


def test_only_files_whose_bytes_changed_are_written_and_files_no_longer_made_are_removed(tmp_path: Path) -> None:
    written = WrittenFiles({})
    assert written.update(tmp_path, {"claims.json": b"1", "claims/a.json": b"a", "claims/b.json": b"b"}) == [
        "claims.json", "claims/a.json", "claims/b.json"]
    (tmp_path / "claims/a.json").write_bytes(b"left alone")  # proves that an unchanged file is not rewritten
    assert written.update(tmp_path, {"claims.json": b"2", "claims/a.json": b"a"}) == ["claims.json", "claims/b.json"]
    assert (tmp_path / "claims.json").read_bytes() == b"2"
    assert (tmp_path / "claims/a.json").read_bytes() == b"left alone"
    assert not (tmp_path / "claims/b.json").exists()


class Cards:
    """Cards whose title carries a version: stands for a claim's status shown in its preview."""

    def __init__(self, versions: dict[str, int]) -> None:
        self.versions = versions

    def for_page(self, src_uri: str, title: str | None, description: str | None) -> PageCard:
        return PageCard(f"{title} v{self.versions.get(src_uri, 0)}", description or "", src_uri, "article", None, "")


def test_pages_whose_card_changed_with_the_same_title_are_found_and_rebuilt_ones_skipped() -> None:
    old = Cards({})
    built = {path: BuiltCard(old.for_page(path, "T", None), "T", None) for path in ("a.md", "b.md", "c.md")}
    new = cast(Any, Cards({"b.md": 1, "c.md": 1}))
    assert pages_with_new_cards(built, new, skip=["c.md"]) == ["b.md"]
