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

from ..site.snippets import CLAIM_LIST_START, USED_BY_START

CLAIM_LIST_END = "</ul>"
PRIORITY = 24
"""After Python-Markdown's `normalize_whitespace` (30) and fenced code (25: a list shown in a fence
stays code), before its raw HTML block preprocessor (20)."""


class GeneratedLists(Preprocessor):
    """Replaces each generated list by a placeholder of the stash, alone between blank lines."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(line == CLAIM_LIST_START or line.startswith(USED_BY_START) for line in lines):
            return lines
        stash = self.md.htmlStash
        kept: list[str] = []
        at, count = 0, len(lines)
        while at < count:
            line = lines[at]
            end = at
            if line == CLAIM_LIST_START:
                end = _index(lines, CLAIM_LIST_END, at + 1)
            elif not (line.startswith(USED_BY_START) and line.endswith("</p>")):
                kept.append(line)
                at += 1
                continue
            if end < 0:  # a list with no end of its own: left to Python-Markdown
                kept.append(line)
                at += 1
                continue
            # Python-Markdown keeps the end of the line with a block followed by a blank line.
            ending = "\n" if end + 2 < count and not lines[end + 1].strip(" ") else ""
            kept += ["", stash.store("\n".join(lines[at:end + 1]) + ending), ""]
            at = end + 1
        return kept


def _index(lines: list[str], line: str, start: int) -> int:
    """Where `line` is next in `lines` from `start`, or -1."""
    try:
        return lines.index(line, start)
    except ValueError:
        return -1


class GeneratedListsExtension(Extension):
    """Registers `GeneratedLists` on a Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(GeneratedLists(md), "kb_generated_lists", PRIORITY)
