"""The site's interface strings: one keyed catalogue per language, `strings/<language>.yaml`.

Every word the site prints that does not come from a record (headings, labels, buttons, notes,
the words of the vocabularies) is looked up here by its key, `section.name`; adding a language is
adding its file. A value is our own text, printed as written (Markdown or HTML in it is meant);
`{name}` in a value is filled in by the code that prints it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import yaml

from .escape import script_json

STRINGS = Path(__file__).parent / "strings"
DEFAULT_LANGUAGE = "ja"


class Catalogue:
    """The strings of one language, by dotted key."""

    def __init__(self, language: str, strings: Mapping[str, str]) -> None:
        self.language = language
        self.strings = dict(strings)

    def __call__(self, key: str, **values: object) -> str:
        """The string of `key`, its `{name}` placeholders filled with `values`."""
        text = self.strings[key]
        return text.format(**values) if values else text

    def words(self, section: str) -> dict[str, str]:
        """The strings of a section by their last key part, in the file's order: a vocabulary's
        words (`vocabulary.kind` gives each claim kind's label)."""
        prefix = section + "."
        return {key[len(prefix):]: text for key, text in self.strings.items() if key.startswith(prefix)}


def flattened(tree: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    """A nested mapping of strings as one mapping by dotted key."""
    flat: dict[str, str] = {}
    for name, value in tree.items():
        if isinstance(value, Mapping):
            flat.update(flattened(value, f"{prefix}{name}."))
        elif isinstance(value, str):
            flat[f"{prefix}{name}"] = value
        else:
            raise TypeError(f"{STRINGS}: {prefix}{name}: expected a string; found {type(value).__name__}")
    return flat


@functools.cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> Catalogue:
    """The catalogue of `language`, read once per process."""
    # libyaml when it is there: the pure-Python loader takes 12 ms for this file, in every build's start-up
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tree = yaml.load((STRINGS / f"{language}.yaml").read_text(encoding="utf-8"), Loader=loader)
    return Catalogue(language, flattened(tree))


SEARCH_SCRIPT_KEYS = ("script.search_corrected", "script.search_suggest", "script.search_tips", "text.list_separator",
                      "script.search_dialog", "script.search_area", "script.term_onward", "script.popover_close")
"""The strings the scripts show on every page: the search box's (docs/assets/kb-search/input.js), the
search dialog's names (kb-landmarks.js) and the term popover's (kb-popover.js)."""

PASSAGE_SCRIPT_KEYS = ("script.passage_copy", "script.passage_copied", "script.copy_failed")
"""The strings of the button that copies a link to the selected passage (docs/assets/kb-passage.js)."""


def script_strings(ui: Catalogue, keys: tuple[str, ...] = SEARCH_SCRIPT_KEYS) -> str:
    """Strings for a page's scripts as the text of a `<script type="application/json">` element
    (`escape.script_json`: no value can end the element)."""
    return script_json({key: ui(key) for key in keys})


THEME_SECTION = "theme"
"""The section of the strings the theme overrides print (each by its whole key, `kb.ui["theme.og_locale"]`,
so that tests/test_catalogue.py finds it used)."""


def theme_words(language: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The words the theme overrides print, as plain data: `ui`, the strings of `THEME_SECTION` by their whole
    key, and `script_strings`, the scripts' strings (the search box's and the passage button's, see `script_strings`)."""
    ui = catalogue(language)
    return {"ui": {key: text for key, text in ui.strings.items() if key.split(".", 1)[0] == THEME_SECTION},
            "script_strings": script_strings(ui, SEARCH_SCRIPT_KEYS + PASSAGE_SCRIPT_KEYS)}


def languages() -> list[str]:
    """The languages that have a catalogue."""
    return sorted(path.stem for path in STRINGS.glob("*.yaml"))


JAPANESE = catalogue("ja")
"""The catalogue of the default language, the default of functions that take one."""
