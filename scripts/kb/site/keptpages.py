"""Pages as last rendered, each with what it was made from, so that a page whose inputs are unchanged
is not rendered again.

While serving, every edit renders the whole site again in memory and compares it with what the engine
has (`kb.output.incremental`); at 10,000 claims the claim pages were two thirds of that (about 6.5 s of
10 s for both editions). A claim page names everything it reads (`ClaimPage.inputs`): records unchanged
since the last load are the same objects (`kb.records.parsed`), so comparing inputs is mostly identity.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


class KeptPages:
    """The last rendering of each page, by (edition language, site address, page path), with its inputs;
    and of snippets printed on many pages (a claim's item in the lists), by (edition language, snippet)."""

    def __init__(self) -> None:
        self._pages: dict[Hashable, tuple[tuple[object, ...], object]] = {}
        self._asked: set[Hashable] = set()
        """Pages asked for since the last `forget_the_rest`."""

    def page(self, key: Hashable, inputs: tuple[object, ...], render: Callable[[], T]) -> T:
        """The page (or snippet) under `key`: as kept when it was made from equal `inputs`, else `render()`,
        then kept."""
        self._asked.add(key)
        kept = self._pages.get(key)
        if kept is not None and kept[0] == inputs:
            return cast(T, kept[1])
        made = render()
        self._pages[key] = (inputs, made)
        return made

    def forget_the_rest(self) -> None:
        """Forget the pages not asked for since the last call (a claim removed or renamed), once every page
        of a site has been asked for."""
        for key in self._pages.keys() - self._asked:
            del self._pages[key]
        self._asked.clear()

    def __len__(self) -> int:
        return len(self._pages)
