"""The public address (SITE_URL, else site_url in mkdocs.yml) is printed into canonical links,
previews, JSON-LD and copied citations: one that would need escaping there stops the build at
configuration time with a message, and the last good site stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run_kb
from kb.site.urls import site_url_problem
from test_bad_input import tree_digest

ACCEPTED = ["", "http://127.0.0.1:8000/", "https://example.org/kb/", "https://kb.example.org",
            "http://[::1]:8000/", "https://example.org/a%20b/", "https://xn--r8jz45g.jp/"]
REFUSED = {
    'https://example.org/"><script>alert(1)</script>':
        "found the character '\"' (U+0022), which an address holds only escaped, as %22",
    "https://example.org/<kb>/": "found the character '<' (U+003C), which an address holds only escaped, as %3C",
    "https://example.org/it's/": "found the character \"'\" (U+0027), which an address holds only escaped, as %27",
    "https://example.org/a b/": "found the character ' ' (U+0020), which an address holds only escaped, as %20",
    "https://例え.jp/": "found the character '例' (U+4F8B), which an address holds only escaped, as %E4%BE%8B "
                       "(a host name in its xn-- form)",
    "https://example.org/%zz/": "found a '%' that does not start an escape such as %20",
    "https://example.org/?x=1": "found a query or fragment ('?' or '#'), which a site's address has no use for",
    "https://example.org/#top": "found a query or fragment ('?' or '#'), which a site's address has no use for",
    "javascript:alert(1)": "found the scheme 'javascript:'",
    "ftp://example.org/": "found the scheme 'ftp:'",
    "example.org/kb/": "found no http:// or https:// at its start",
    "https:///kb/": "found no host name",
    "https://user:secret@example.org/": "found a user name or password in the address",
    "https://example.org:99999/": "found a port that is not a number from 0 to 65535",
    "https://example.org/[x]/": "found '[' outside the host",
}


@pytest.mark.parametrize("site_url", ACCEPTED)
def test_usable_addresses_are_accepted(site_url: str) -> None:
    assert site_url_problem(site_url) is None


@pytest.mark.parametrize(("site_url", "found"), REFUSED.items())
def test_each_unusable_address_gets_its_reason(site_url: str, found: str) -> None:
    assert site_url_problem(site_url) == found


def test_build_with_a_hostile_site_url_stops_and_keeps_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site)).returncode == 0
    before = tree_digest(site)
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site),
                    env={"SITE_URL": 'https://example.org/"><script>alert(1)</script>'})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("site_url 'https://example.org/\"><script>alert(1)</script>/' (from SITE_URL, else site_url in "
            "mkdocs.yml): not a usable public address; expected an http:// or https:// URL such as "
            "https://example.org/kb/; found the character '\"' (U+0022), which an address holds only escaped, "
            "as %22; nothing was built") in result.stderr
    assert tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
