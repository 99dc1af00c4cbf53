"""The site's two editions: Japanese at the root, English under `en/`, with the same pages and
permanent ids. Every page of one edition has its counterpart in the other at the same path but for
the prefix, so a reader switching language stays on the same page (and anchor)."""

from __future__ import annotations

from dataclasses import dataclass

from ..records.english_fields import english_field
from ..records.knowledge import KnowledgeBase
from ..records.model import Speaker, Term
from . import urls
from .catalogue import Catalogue, catalogue, theme_words

ENGLISH_PREFIX = "en/"


@dataclass(frozen=True)
class Edition:
    """One language of the site: its catalogue's language, `<html lang>`, og:locale and folder, and
    which record fields its pages print first (`text`) and beside them (`beside`).

    Records are written in Japanese with an English twin of each text field (`<field>_en`, see
    `records.english_fields`): an edition prints the fields of its language first, the other
    language's beside them, marked with their `lang`."""

    language: str
    prefix: str
    search_index: str
    """The folder of its search index under `search/` (the worker is started with ?index=<it>)."""
    beside_language: str
    """The language of the record text printed beside the edition's own (the `lang` that marks it)."""
    glossed: bool
    """Whether the edition glosses what it prints in English: interface words (fact names, kinds,
    statuses, relations) and the claims of its lists, with their English titles and summaries. The
    English edition prints only the Japanese record text beside its own (titles, names, quotes)."""

    @property
    def english(self) -> bool:
        """Whether this is the English edition, whose own fields are the records' English twins."""
        return self.language == "en"

    def page(self, path: str) -> str:
        """The Markdown path (or site-relative URL) of a page of this edition, from its path at the root."""
        return self.prefix + path

    def text(self, record: object, field: str) -> str:
        """A record's text `field` (named by its Japanese field) in this edition's language: the field
        itself in the Japanese edition, its English twin (`<field>_en`) in the English one."""
        return str(getattr(record, english_field(field) if self.english else field) or "")

    def beside(self, record: object, field: str) -> str:
        """The same text in the other language, printed beside the edition's own."""
        return str(getattr(record, field if self.english else english_field(field)) or "")

    def both(self, record: object, field: str) -> list[str]:
        """A record's text `field` in this edition's language, then in the other."""
        return [self.text(record, field), self.beside(record, field)]

    def with_japanese(self, record: object, field: str) -> list[str]:
        """A record's text `field` in this edition's language and, in the English edition, the Japanese
        it translates after it (a Japanese query typed on an English page still finds its page)."""
        own = self.text(record, field)
        return [own, str(getattr(record, field) or "")] if self.english else [own]

    def speaker_name(self, speaker: Speaker) -> str:
        """The speaker's name as the edition's readers know it: in Latin script in English; in Japanese
        the Japanese name (`name_ja`) when there is one."""
        return speaker.name if self.english else speaker.name_ja or speaker.name

    def speaker_name_beside(self, speaker: Speaker) -> str:
        """The speaker's name in the other language; "" for a speaker with one name only."""
        if not speaker.name_ja:
            return ""
        return speaker.name_ja if self.english else speaker.name

    def term_name(self, term: Term) -> str:
        """A glossary term's name in the edition's language (`en` in English, `term` in Japanese)."""
        return term.en if self.english else term.term

    def term_name_beside(self, term: Term) -> str:
        """A glossary term's name in the other language."""
        return term.term if self.english else term.en


JAPANESE_EDITION = Edition("ja", "", "kb", beside_language="en", glossed=True)
ENGLISH_EDITION = Edition("en", ENGLISH_PREFIX, "kb-en", beside_language="ja", glossed=False)
EDITIONS = (JAPANESE_EDITION, ENGLISH_EDITION)


def layout_edition(language: str) -> Edition:
    """The edition whose layout pages in `language`'s interface strings take: the English one for
    English, the Japanese one (the default) for any other catalogue."""
    return ENGLISH_EDITION if language == ENGLISH_EDITION.language else JAPANESE_EDITION


def edition_prefix(english: bool) -> str:
    """Where the pages of the English (or Japanese) edition live."""
    return ENGLISH_PREFIX if english else ""


def edition_of(path: str) -> Edition:
    """The edition a Markdown path or site-relative URL belongs to."""
    return ENGLISH_EDITION if path.startswith(ENGLISH_PREFIX) or path == ENGLISH_PREFIX.rstrip("/") else JAPANESE_EDITION


def root_path(path: str) -> str:
    """A page's path without its edition's prefix (the same for both editions)."""
    return path[len(ENGLISH_PREFIX):] if edition_of(path) is ENGLISH_EDITION and path.startswith(ENGLISH_PREFIX) else path


def counterparts(path: str) -> dict[str, str]:
    """The same page in every edition, by language: `claims/x.md` -> {ja: claims/x.md, en: en/claims/x.md}."""
    root = root_path(path)
    return {edition.language: edition.page(root) for edition in EDITIONS}


NAV = (
    ("theme.nav_home", urls.HOME_PAGE),
    ("theme.nav_claims", urls.CLAIMS_PAGE),
    ("theme.nav_topics", urls.TOPICS_PAGE),
    ("theme.nav_speakers", urls.SPEAKERS_PAGE),
    ("theme.nav_glossary", urls.GLOSSARY_PAGE),
    ("theme.nav_sources", urls.SOURCES_PAGE),
    ("theme.nav_contributing", urls.CONTRIBUTING_PAGE),
)
"""The site's tabs, by catalogue key: the Japanese edition's are mkdocs.yml's nav (a test ties the two)."""


def page_theme(src_uri: str) -> dict[str, object]:
    """What the theme overrides print in the edition of the page built from `src_uri`, as plain data (every
    engine hands it to them as `page.meta.kb_theme`, a page without one as `config.extra.kb_theme`): its
    words (`catalogue.theme_words`), its `language`, its folder (`prefix`) and its `search_index`."""
    edition = edition_of(src_uri)
    return {**theme_words(edition.language), "language": edition.language, "prefix": edition.prefix,
            "search_index": edition.search_index}


@dataclass(frozen=True)
class NavEntry:
    """A tab of an edition's navigation."""

    title: str
    url: str
    """Site-relative URL."""
    active: bool


class EditionTheme:
    """What the theme prints per edition: the page's language, its strings, its alternates (the
    language switch and hreflang links) and its tabs. Knows nothing of the engine."""

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url

    def language(self, src_uri: str) -> str:
        """The language of the page built from `src_uri`."""
        return edition_of(src_uri).language

    def alternates(self, src_uri: str) -> list[dict[str, str]]:
        """The page in each edition, as Material's `extra.alternate` entries: `name` (the language's
        own name), `lang`, `link` (absolute, for hreflang), `relative` (site-relative, for the switch),
        `current` ("true" for the page's own edition) and `locale` (for og:locale:alternate)."""
        here = edition_of(src_uri)
        return [
            {
                "name": catalogue(edition.language)(f"vocabulary.language.{edition.language}"),
                "lang": edition.language,
                "link": urls.absolute(self.site_url, urls.page_url(path)),
                "relative": urls.page_url(path),
                "current": "true" if edition == here else "",
                "locale": catalogue(edition.language)("theme.og_locale"),
            }
            for edition, path in ((e, e.page(root_path(src_uri))) for e in EDITIONS)
        ]

    def site_name(self, src_uri: str, kb: KnowledgeBase) -> str | None:
        """The site's name in the page's edition; None for the Japanese edition (mkdocs.yml's)."""
        if edition_of(src_uri) is JAPANESE_EDITION:
            return None
        return self.english_card(kb)[0]

    def english_card(self, kb: KnowledgeBase) -> tuple[str, str, Catalogue]:
        """The English edition's site name, description and catalogue, for its preview images."""
        ui = catalogue(ENGLISH_EDITION.language)
        name = kb.home.title_en if kb.home else ui("home.default_title")
        return name, kb.home.intro_en if kb.home else name, ui

    def url_alternates(self, url: str) -> list[tuple[str, str]]:
        """A page's address in every edition, from its site-relative URL: (language, absolute URL),
        for the sitemap's alternates."""
        root = root_path(url)
        return [(edition.language, urls.absolute(self.site_url, edition.page(root))) for edition in EDITIONS]

    def nav(self, src_uri: str) -> list[NavEntry]:
        """The tabs of the page's edition, the one of its section active."""
        edition = edition_of(src_uri)
        ui = catalogue(edition.language)
        section = root_path(src_uri).split("/", 1)[0]
        return [NavEntry(ui(key), urls.page_url(edition.page(page)),
                         section == page.split("/", 1)[0] or (page == urls.HOME_PAGE and section == "index.md"))
                for key, page in NAV]


def unpaired_pages(paths: list[str]) -> list[str]:
    """The pages among `paths` whose counterpart in another edition is missing, each with the missing
    path ("en/claims/x.md: no claims/x.md"); the build stops on any."""
    present = set(paths)
    return [f"{path}: no {other}" for path in sorted(present) for other in counterparts(path).values()
            if other not in present]
