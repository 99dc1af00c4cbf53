"""A Python-Markdown extension that sets our generated lists of raw HTML aside whole, unparsed.

Python-Markdown finds where a block of raw HTML ends by feeding all of it to its HTML parser, tag
by tag (with `md_in_html`, its own subclass): at 10,000 claims the all-claims page, 10 MB of HTML
per edition, took it 2.7 s, and the same lists on the topic and speaker pages as much again. Our
lists are made by `Snippets.claim_list` and `Snippets.used_by` with their ends on lines of their
own, and every text in them escaped (`attr`), so no line inside can look like their end: this
preprocessor stores each whole list in Python-Markdown's stash of raw HTML, as its own block
preprocessor would have, without reading it. The HTML written is the same, line for line
(`tests/test_rawhtml.py` converts every page of three knowledge bases both ways); only inside a
`markdown` section (the all-claims page's topics), where Python-Markdown had parsed the list into
elements and written them out again, a blank line now follows it.

The `kb` plugin adds it to MkDocs' Markdown extensions (`on_config`); the pages' Markdown is
unchanged, so any other engine (or a plain build of dumped pages) converts the same lists the
slow way.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ..site.snippets import CLAIM_LIST_END, CLAIM_LIST_START, USED_BY_START

PRIORITY = 24
"""After Python-Markdown's `normalize_whitespace` (30) and fenced code (25: a list shown in a fence
stays code), before its raw HTML block preprocessor (20)."""


class GeneratedLists(Preprocessor):
    """Replaces each generated list by a placeholder of the stash, alone between blank lines."""

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash
        kept: list[str] = []
        at, count = 0, len(lines)
        while at < count:
            end = _list_end(lines, at)
            if end < 0:
                kept.append(lines[at])
                at += 1
                continue
            # Python-Markdown keeps the end of the line with a block followed by a blank line.
            ending = "\n" if end + 2 < count and not lines[end + 1].strip(" ") else ""
            kept += ["", stash.store("\n".join(lines[at:end + 1]) + ending), ""]
            at = end + 1
        return kept


def _list_end(lines: list[str], at: int) -> int:
    """The index of the last line of the generated list starting at `at`, or -1 when none starts there
    (or it has no end of its own: left to Python-Markdown)."""
    line = lines[at]
    if line == CLAIM_LIST_START:
        try:
            return lines.index(CLAIM_LIST_END, at + 1)
        except ValueError:
            return -1
    return at if line.startswith(USED_BY_START) and line.endswith("</p>") else -1


class GeneratedListsExtension(Extension):
    """Registers `GeneratedLists` on a Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(GeneratedLists(md), "kb_generated_lists", PRIORITY)
