"""Where each record lives in the site: Markdown source paths and public site-relative URLs.

These paths are permanent: published links depend on them.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import SplitResult, quote, urlsplit


def claim_page(claim_id: str) -> str:
    return f"claims/{claim_id}.md"


def claim_url(claim_id: str) -> str:
    return f"claims/{claim_id}/"


def claim_json_url(claim_id: str) -> str:
    return f"claims/{claim_id}.json"


PREVIEW_LABELS_JSON = "assets/kb-labels.json"
"""Status labels and speaker names for the claim previews (docs/assets/kb-popover.js)."""


def claim_image_url(claim_id: str) -> str:
    """The link-preview image of a claim."""
    return f"claims/{claim_id}.png"


SITE_IMAGE_URL = "assets/kb-card.png"


def quote_anchor(number: int) -> str:
    """The anchor of a claim's quote N on its page (N is the quote's public number, `Claim.quote_numbers`)."""
    return f"q{number}"


def annotation_anchor(number: int) -> str:
    """The anchor of a claim's annotation N (1 for the first) on its page."""
    return f"a{number}"


def paragraph_anchor(number: int) -> str:
    """The anchor of a transcript's paragraph N (1 for the first) on its source page."""
    return f"p{number}"


def quote_span_anchor(claim_id: str, number: int) -> str:
    """The anchor of the span a claim's quote N covers in its transcript (N is the quote's public
    number). Made of the claim's id and the quote's number, both permanent, and not of the paragraph's
    number, so that it survives an edit of other paragraphs."""
    return f"{claim_id}-q{number}"


def term_anchor(term_id: str) -> str:
    """The anchor of a term's entry on the glossary page."""
    return term_id


STATUS_ANCHOR = "status"
"""The anchor of a claim page's review status line."""

CLAIM_TITLE_ANCHOR = "title"
"""The anchor of a claim page's title (its h1): the same on every claim page, where the heading's
own slug was `_1` for a title of kana and kanji only, or a fragment such as `10`."""


def quote_link(claim_id: str, number: int) -> str:
    """Quote N of a claim, as a Markdown page and anchor (for `relative`)."""
    return f"{claim_page(claim_id)}#{quote_anchor(number)}"


def quote_url(claim_id: str, number: int) -> str:
    """The site-relative URL of quote N of a claim."""
    return f"{claim_url(claim_id)}#{quote_anchor(number)}"


def annotation_url(claim_id: str, number: int) -> str:
    """The site-relative URL of annotation N of a claim."""
    return f"{claim_url(claim_id)}#{annotation_anchor(number)}"


def status_url(claim_id: str) -> str:
    """The site-relative URL of a claim's review status line."""
    return f"{claim_url(claim_id)}#{STATUS_ANCHOR}"


def paragraph_url(source_id: str, number: int) -> str:
    """The site-relative URL of paragraph N of a transcript."""
    return f"{page_url(source_page(source_id))}#{paragraph_anchor(number)}"


def quote_span_link(source_id: str, claim_id: str, number: int) -> str:
    """The span of a claim's quote N in its transcript, as a Markdown page and anchor (for `relative`)."""
    return f"{source_page(source_id)}#{quote_span_anchor(claim_id, number)}"


def term_link(term_id: str) -> str:
    """A term's glossary entry, as a Markdown page and anchor (for `relative`)."""
    return f"{GLOSSARY_PAGE}#{term_anchor(term_id)}"


def term_url(term_id: str) -> str:
    """The site-relative URL of a term's glossary entry."""
    return f"{page_url(GLOSSARY_PAGE)}#{term_anchor(term_id)}"


def absolute(site_url: str, url: str) -> str:
    """A site-relative URL made absolute against the public site address (unchanged without one)."""
    return site_url.rstrip("/") + "/" + url if site_url else url


_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/@!$&()*+,;=%\[\]]")
"""What a site's address may hold unescaped: RFC 3986's characters but the quote ', ? and #; [ ] only
around an IPv6 host. Everything else (", <, spaces, non-ASCII) would need escaping wherever the
address is printed: canonical links, previews, JSON-LD and copied citations."""


def site_url_problem(site_url: str) -> str | None:
    """Why `site_url` cannot be the public address printed into canonical links, previews and
    citations ('found …'), or None when it can (an empty one means no public address)."""
    if not site_url:
        return None
    if "?" in site_url or "#" in site_url:
        return "found a query or fragment ('?' or '#'), which a site's address has no use for"
    odd = next((char for char in site_url if not _URL_CHARACTERS.fullmatch(char)), None)
    if odd is not None:
        escape = quote(odd, safe="")
        return (f"found the character {odd!r} (U+{ord(odd):04X}), which an address holds only escaped, as {escape}"
                + (" (a host name in its xn-- form)" if not odd.isascii() else ""))
    if re.search(r"%(?![0-9A-Fa-f]{2})", site_url):
        return "found a '%' that does not start an escape such as %20"
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https"):
        return f"found the scheme '{parts.scheme}:'" if parts.scheme else "found no http:// or https:// at its start"
    if not _valid_port(parts):
        return "found a port that is not a number from 0 to 65535"
    if not parts.hostname or "[" in parts.path:
        return "found no host name" if not parts.hostname else "found '[' outside the host"
    if parts.username is not None:
        return "found a user name or password in the address"
    return None


def _valid_port(parts: SplitResult) -> bool:
    try:
        return parts.port is None or parts.port >= 0  # reading it raises for a bad one
    except ValueError:
        return False


def topic_page(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def speaker_page(speaker_id: str) -> str:
    return f"speakers/{speaker_id}.md"


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


GLOSSARY_PAGE = "glossary/index.md"
CLAIMS_PAGE = "claims/index.md"
TOPICS_PAGE = "topics/index.md"
SPEAKERS_PAGE = "speakers/index.md"
SOURCES_PAGE = "sources/index.md"
HOME_PAGE = "index.md"
CONTRIBUTING_PAGE = "contributing.md"


def page_url(page: str) -> str:
    """The directory URL MkDocs gives a Markdown page (use_directory_urls)."""
    if page == "index.md":
        return ""
    stem = page[: -len(".md")]
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(target: str, from_page: str) -> str:
    """Link from the Markdown page `from_page` to the Markdown page (or page#anchor) `target`."""
    path, _, anchor = target.partition("#")
    rel = relative_path(path, posixpath.dirname(from_page) or ".") if path else ""
    return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 16)  # pages link to the same few pages over and over
def relative_path(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for paths inside the docs folder, computed from the strings
    alone: relpath asks the OS for the working directory twice per call, thousands of times a build."""
    there, here = posixpath.normpath(path).split("/"), posixpath.normpath(start).split("/")
    if ".." in (there[0], here[0]):
        return posixpath.relpath(path, start)
    there, here = [p for p in there if p != "."], [p for p in here if p != "."]
    common = 0
    while common < min(len(there), len(here)) and there[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def relative_url(target: str, from_page: str) -> str:
    """URL from the page built from `from_page` to the page (or page#anchor) `target`, both given as
    Markdown paths; for raw HTML, where MkDocs does not rewrite `.md` links."""
    path, _, anchor = target.partition("#")
    fragment = f"#{anchor}" if anchor else ""
    if not path:
        return fragment
    here = page_url(from_page).rstrip("/") or "."
    there = page_url(path).rstrip("/") or "."
    return relative_path(there, here) + "/" + fragment
