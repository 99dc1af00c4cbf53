"""Redirect pages from the URL of a renamed claim's former id to its current page.

Each page works without JavaScript (meta refresh), tells search engines where the claim lives now
(canonical link) and, with JavaScript, keeps the `#fragment` so links to a quote (`#q2`) still
land on the quote.
"""

from __future__ import annotations

import html
import json
import posixpath
import string

from ..checks.published import redirect_targets
from ..records.knowledge import KnowledgeBase
from . import urls
from .catalogue import JAPANESE, Catalogue, catalogue
from .edition import EDITIONS, ENGLISH_EDITION, JAPANESE_EDITION, Edition

_PAGE = string.Template("""\
<!doctype html>
<html lang="$language">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>$title</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="$canonical">
<meta http-equiv="refresh" content="0; url=$target">
<script>location.replace($target_js + location.hash);</script>
</head>
<body>
<p>$moved</p>
</body>
</html>
""")


def redirect_page_path(old_id: str) -> str:
    """The site path of the redirect page that answers the former URL `claims/<old_id>/`."""
    return urls.claim_url(old_id) + "index.html"


def redirect_page(kb: KnowledgeBase, old_id: str, new_id: str, site_url: str, ui: Catalogue = JAPANESE,
                  edition: Edition = JAPANESE_EDITION) -> str:
    """The HTML of the page at the former URL of a claim, sending readers to its current URL (in the
    same edition: `en/claims/<old>/` to `en/claims/<new>/`)."""
    target = posixpath.relpath(urls.claim_url(new_id), urls.claim_url(old_id)) + "/"
    claim = kb.claims[new_id]
    plain_title = claim.title_en if edition is ENGLISH_EDITION else claim.title
    title = html.escape(plain_title)
    return _PAGE.substitute(
        language=ui.language,
        title=html.escape(ui("redirect.title", title=plain_title)),
        moved=ui("redirect.moved", link=f'<a href="{html.escape(target)}">{title}</a>'),
        canonical=html.escape(urls.absolute(site_url, edition.page(urls.claim_url(new_id)))),
        target=html.escape(target),
        target_js=json.dumps(target).replace("<", "\\u003c"),
    )


def redirect_pages(kb: KnowledgeBase, site_url: str) -> dict[str, str]:
    """Every redirect page of the knowledge base, in both editions: site path to HTML."""
    return {
        edition.page(redirect_page_path(old)): redirect_page(kb, old, new, site_url, catalogue(edition.language), edition)
        for edition in EDITIONS
        for old, new in sorted(redirect_targets(kb).items())
    }

