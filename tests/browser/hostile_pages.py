"""The hostile fixture (tests/fixtures/hostile) and a watch on a Chromium page for any sign that
record text ran: shared by the hostile-rendering and hostile-interaction browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import FIXTURES
from kb.adapters.pipeline import load_and_check
from kb.checks.check import CheckedKnowledgeBase
from kb.checks.estimates import EstimateChart
from playwright.sync_api import ConsoleMessage, Dialog, Page, Route


def _load() -> tuple[CheckedKnowledgeBase, EstimateChart]:
    checked, problems = load_and_check(FIXTURES / "hostile")
    assert checked is not None and checked.estimates is not None, [str(p) for p in problems.sorted()]
    return checked, checked.estimates


CHECKED, ESTIMATES = _load()
KB = CHECKED.kb

# Markup that runs when a script inserts text with innerHTML (a tooltip, a search result, a toast),
# though not when the page is parsed with the text escaped once. Each sets the sentinel __pwned.
# Every free-text field of the fixture holds each of them (test_hostile checks).
PAYLOADS = {
    "img onerror": "<img src=x onerror=__pwned=1>",
    "details ontoggle": "<details open ontoggle=__pwned=1>",
    "svg animate onbegin": "<svg><animate onbegin=__pwned=1 attributeName=x dur=1s>",
    "entity-encoded img": "&lt;img src=x onerror=__pwned=1&gt;",
}

ARTICLE = "article.md-content__inner"
"""The page's content (search results are articles too)."""

# Elements no template emits inside the article; any of them there came from a record.
INJECTED = ("script, style, iframe, frame, object, embed, img, svg, animate, set, details, video, audio, "
            "textarea, plaintext, form, input, select, base, meta, link, b, i, em, del, s, u, h3, h4, h5, h6")
# ...except these, which templates do emit: the home page's figures and estimates, glossary
# entries, topic groups, the 404 page's search form, a claim's glosses heading, the claims list's filter.
TEMPLATE_MADE = ("figure.kb-figure > div > svg, details.kb-estimates, h3.kb-term-entry, h3.kb-topic-group, "
                 ".kb-404 form, .kb-404 input, h3.kb-glosses, form.kb-filter, form.kb-filter select")
FIND_INJECTIONS = """
(injected) => {
  const TEMPLATE_MADE = '""" + TEMPLATE_MADE + """';
  const found = [];
  const article = document.querySelector('""" + ARTICLE + """');
  if (!article) return ['no <article> element'];
  article.querySelectorAll(injected).forEach(el => {
    if (!el.matches(TEMPLATE_MADE)) found.push('<' + el.localName + '> in the article');
  });
  if (article.querySelectorAll('h1').length !== 1) found.push(article.querySelectorAll('h1').length + ' <h1>');
  const tooltip = document.getElementById('kb-tooltip');
  if (tooltip && tooltip.children.length) found.push('an element inside the tooltip');
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push('<' + el.localName + ' ' + attr.name + '>');
      if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data', 'xlink:href'].includes(attr.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attr.value)) {
        found.push('<' + el.localName + ' ' + attr.name + '="' + attr.value + '">');
      }
    }
  }
  for (const script of document.scripts) {
    const data = /json/.test(script.type);  // data blocks (JSON-LD) are not run, but must stay valid JSON
    if (data) { try { JSON.parse(script.textContent); } catch (e) { found.push('a broken JSON script'); } }
    else if (/alert\\(|__pwned/.test(script.textContent)) found.push('a script of a record');
  }
  for (const style of document.querySelectorAll('style')) {
    if (style.textContent.includes('display:none')) found.push('a record <style>');
  }
  for (const link of article.querySelectorAll('a[href]')) {
    const url = new URL(link.href);
    if (url.origin !== location.origin && url.hostname !== 'example.org') found.push('link to ' + link.href);
  }
  return found;
}
"""
# Material's own elements in the search results: "more results" and the query words not found.
SEARCH_MADE = "details.md-search-result__more, .md-search-result__terms > del"
FIND_SEARCH_INJECTIONS = """
(injected) => Array.from(document.querySelectorAll('.md-search-result')).flatMap(results =>
  Array.from(results.querySelectorAll(injected)).filter(el => !el.matches('""" + SEARCH_MADE + """'))
    .map(el => '<' + el.localName + '> in the search results'))
"""
# Before any script of the page: dialogs and window.open report instead of opening, and so does
# setting the sentinel `__pwned`, to Python, so that a payload is caught even on a page left since.
SPIES = """
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[name] = (...args) => { window.kbReport(name + '(' + args.join(',') + ') on ' + location.href); };
}
Object.defineProperty(window, '__pwned', {
  configurable: true,
  get() { return this.__pwnedValue; },
  set(value) { this.__pwnedValue = value; window.kbReport('__pwned = ' + value + ' on ' + location.href); },
});
"""


@dataclass
class Watch:
    """What happened on a page that only a record payload would cause."""

    page: Page
    ran: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything seen so far: payloads that ran, dialogs, requests leaving 127.0.0.1, console
        messages, and what is wrong with the page now (injected elements, handlers, scripts, in the
        article, the tooltip and the search results)."""
        found = [f"ran: {m}" for m in self.ran] + [f"dialog: {m}" for m in self.dialogs]
        found += [f"request to {u}" for u in self.outside] + [f"console: {m}" for m in self.console]
        if self.page.evaluate("typeof window.__pwnedValue") != "undefined":
            found.append("window.__pwned is set")
        found += self.page.evaluate(FIND_SEARCH_INJECTIONS, INJECTED)
        return found + list(self.page.evaluate(FIND_INJECTIONS, INJECTED))


def watch(page: Page, origin: str, expected_console: tuple[str, ...] = ()) -> Watch:
    """Watch `page` from now on; requests to any origin but `origin` (http://127.0.0.1:port) are
    refused and reported. Console messages are reported unless they contain one of `expected_console`."""
    seen = Watch(page)

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((origin, "data:", "blob:")):
            route.continue_()
        else:
            seen.outside.append(url)
            route.abort()

    def dismiss(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    def console(message: ConsoleMessage) -> None:
        if not any(text in message.text for text in expected_console):
            seen.console.append(f"{message.type}: {message.text}")

    page.expose_function("kbReport", lambda message: seen.ran.append(str(message)))
    page.add_init_script(SPIES)
    page.context.route("**/*", guard)
    page.on("dialog", dismiss)
    page.on("console", console)
    page.on("pageerror", lambda error: seen.console.append(f"uncaught: {error}"))
    return seen


def fold(text: str) -> str:
    """Whitespace folded as in a page's text (and as attributes hold record text)."""
    return " ".join(text.split())
