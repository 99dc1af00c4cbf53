"""Link-preview images (Open Graph cards, 1200x630 PNG) drawn at build time with Pillow.

The Japanese text needs a CJK font: Debian's fonts-noto-cjk (Noto Sans CJK JP), or any font file
named by the environment variable KB_OG_FONT. There is no network access and no fallback that would
draw boxes instead of glyphs: without a font the build stops with a message saying what to install.

Cards are cached by a hash of everything drawn on them, so a rebuild only draws changed claims.
Pillow is imported only when a card is drawn: a build whose cards are all cached does not load it.
Whether cards are drawn is the build setting `previews` (`kb.output.settings`; KB_OG_IMAGES=off).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

CARD_SIZE = (1200, 630)
DRAWING_VERSION = "3"
"""Bump when the drawing changes, so cached cards are drawn again."""

FONT_ENV = "KB_OG_FONT"
SWITCH_ENV = "KB_OG_IMAGES"
CACHE_ENV = "KB_OG_CACHE"
DEBIAN_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
FONT_MISSING = (
    "no Japanese (CJK) font found for the link-preview images; expected Debian's fonts-noto-cjk "
    "(`sudo apt-get install fonts-noto-cjk`, done by `make install` when run as root) or a font "
    "file named by {env}=/path/to/font.otf; found none of {paths}. "
    "Set {switch}=off to build without per-page preview images."
)

# The card is drawn in 8-bit grey levels read through a palette of two ramps, which keeps drawing
# and PNG encoding fast and files small: levels 0-127 run from paper to ink, 128-255 from the
# band colour (Material's indigo, the site's primary colour) to white.
PAPER = (255, 255, 255)
INK = (33, 33, 48)
BAND = (63, 81, 181)
WHITE = (255, 255, 255)
LEVEL_PAPER, LEVEL_INK, LEVEL_MUTED = 0, 127, 92
LEVEL_BAND, LEVEL_BAND_TEXT = 128, 255
MARGIN = 72
BAND_HEIGHT = 96
TITLE_SIZES = (64, 58, 52, 46, 42)
TITLE_TOP = BAND_HEIGHT + 40
TITLE_BOTTOM = CARD_SIZE[1] - 200
TITLE_MAX_LINES = 4
LINE_HEIGHT = 1.35
BADGE_SIZE, BADGE_HEIGHT, BADGE_PADDING, BADGE_MAX_WIDTH = 30, 56, 18, 420
PNG_COMPRESSION = 3  # zlib level: 6 takes twice the time for files about 10 % smaller
GLYPH_CACHE_LIMIT = 20_000

# Japanese line breaking (kinsoku): these never start a line / never end one.
NO_LINE_START = set("、。，．,.・：；:;！？!?）)］]｝}〕〉》」』】〙〗ゝゞーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…‥")
NO_LINE_END = set("（(［[｛{〔〈《「『【〘〖")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,%\-]*|\s+|.", re.DOTALL)


def _ramp(start: tuple[int, int, int], end: tuple[int, int, int]) -> list[int]:
    return [round(a + (b - a) * step / 127) for step in range(128) for a, b in zip(start, end)]


PALETTE = _ramp(PAPER, INK) + _ramp(BAND, WHITE)


class FontNotFound(Exception):
    """No usable CJK font: the message says what to install."""


def find_font() -> Path:
    """The font file to draw with: KB_OG_FONT, else the first Debian Noto CJK font present."""
    named = os.environ.get(FONT_ENV)
    candidates = [Path(named)] if named else list(DEBIAN_FONTS)
    for path in candidates:
        if path.is_file():
            return path
    raise FontNotFound(FONT_MISSING.format(
        env=FONT_ENV, switch=SWITCH_ENV, paths=", ".join(str(p) for p in candidates)))


@dataclass(frozen=True)
class Card:
    """What one preview image says: the site's name, a title, who said it, a footer, and a badge
    drawn in the band's right corner (a claim's review status), if any."""

    site: str
    title: str
    byline: str
    footer: str
    badge: str = ""

    def digest(self, font: str) -> str:
        """A hash of everything that decides the image's pixels; `font` is the `font_identity` of the
        font file (worked out once for all cards of a build: it asks the file system)."""
        parts = [DRAWING_VERSION, font, self.site, self.title, self.byline, self.footer, self.badge]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def font_identity(font: Path) -> str:
    """The font file's real path, size and modification time, as `Card.digest` hashes them."""
    stat = font.stat()
    return "\x1f".join([str(font.resolve()), str(stat.st_size), str(stat.st_mtime_ns)])


@dataclass(frozen=True)
class Glyph:
    """A rasterised character: its ink (None for blank ones), where the ink sits relative to the
    pen position on the baseline, and how far the pen moves."""

    mask: Image.Image | None
    left: int
    top: int
    advance: float


class CardPainter:
    """Draws cards with one CJK font file (a .ttc collection: its Japanese face is used)."""

    def __init__(self, font_path: Path) -> None:
        self.font_path = font_path
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}
        self._glyphs: dict[tuple[int, str], Glyph] = {}

    @cached_property
    def index(self) -> int:
        """The Japanese face's index in the font file."""
        return japanese_face_index(self.font_path)

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        """The font at `size` pixels, loaded once."""
        from PIL import ImageFont

        if size not in self._fonts:
            self._fonts[size] = ImageFont.truetype(str(self.font_path), size, index=self.index,
                                                   layout_engine=ImageFont.Layout.BASIC)
        return self._fonts[size]

    @cached_property
    def _notdef(self) -> bytes:
        return bytes(self.font(40).getmask("\U0010fffd"))

    def missing_glyphs(self, text: str) -> list[str]:
        """Characters of `text` the font would draw as a box (its .notdef glyph)."""
        font = self.font(40)
        return sorted({char for char in text if not char.isspace() and bytes(font.getmask(char)) == self._notdef})

    def draw(self, card: Card) -> Image.Image:
        """The card as a 1200x630 palette image."""
        from PIL import Image, ImageDraw

        image = Image.new("L", CARD_SIZE, LEVEL_PAPER)
        draw = ImageDraw.Draw(image)
        width = CARD_SIZE[0] - 2 * MARGIN
        draw.rectangle((0, 0, CARD_SIZE[0], BAND_HEIGHT), fill=LEVEL_BAND)
        site_width = width
        if card.badge:
            site_width = width - self.badge(image, card.badge) - 24
        self.text(image, (MARGIN, self.middle_baseline(30, BAND_HEIGHT // 2)),
                  fit_line(card.site, self.font(30), site_width), 30, LEVEL_BAND_TEXT)
        size, lines = self.title_layout(card.title, width)
        step = round(size * LINE_HEIGHT)
        y = (TITLE_TOP + TITLE_BOTTOM - step * len(lines)) // 2
        for line in lines:
            self.text(image, (MARGIN, self.middle_baseline(size, y + step // 2)), line, size, LEVEL_INK)
            y += step
        self.text(image, (MARGIN, CARD_SIZE[1] - 128), fit_line(card.byline, self.font(34), width), 34, LEVEL_MUTED)
        draw.line((MARGIN, CARD_SIZE[1] - 96, CARD_SIZE[0] - MARGIN, CARD_SIZE[1] - 96), fill=LEVEL_BAND, width=3)
        self.text(image, (MARGIN, CARD_SIZE[1] - 48), fit_line(card.footer, self.font(26), width), 26, LEVEL_MUTED)
        image.putpalette(PALETTE)
        return image

    def badge(self, image: Image.Image, text: str) -> int:
        """Draw `text` in a white box at the band's right end, in the band's colour; its width."""
        from PIL import ImageDraw

        font = self.font(BADGE_SIZE)
        text = fit_line(text, font, BADGE_MAX_WIDTH)
        box_width = round(font.getlength(text)) + 2 * BADGE_PADDING
        right, top, bottom = CARD_SIZE[0] - MARGIN, (BAND_HEIGHT - BADGE_HEIGHT) // 2, (BAND_HEIGHT + BADGE_HEIGHT) // 2
        ImageDraw.Draw(image).rounded_rectangle((right - box_width, top, right, bottom), radius=8, fill=LEVEL_BAND_TEXT)
        self.text(image, (right - box_width + BADGE_PADDING, self.middle_baseline(BADGE_SIZE, BAND_HEIGHT // 2)),
                  text, BADGE_SIZE, LEVEL_BAND)
        return box_width

    def middle_baseline(self, size: int, middle: int) -> int:
        """The baseline that centres a line of `size` pixels on `middle` (Pillow's 'm' anchor)."""
        ascent, descent = self.font(size).getmetrics()
        return middle + (ascent - descent) // 2

    def text(self, image: Image.Image, origin: tuple[int, int], text: str, size: int, level: int) -> None:
        """Draw one line on its baseline, glyph by glyph from the cache: the same pixels as
        ImageDraw.text with the basic layout, without rasterising each glyph again."""
        x, baseline = float(origin[0]), origin[1]
        for char in text:
            glyph = self.glyph(size, char)
            if glyph.mask is not None:
                image.paste(level, (round(x) + glyph.left, baseline + glyph.top), glyph.mask)
            x += glyph.advance

    def glyph(self, size: int, char: str) -> Glyph:
        """One character rasterised once at `size`, cropped to its ink."""
        key = (size, char)
        if key not in self._glyphs:
            if len(self._glyphs) >= GLYPH_CACHE_LIMIT:
                self._glyphs.clear()
            self._glyphs[key] = self._rasterise(size, char)
        return self._glyphs[key]

    def _rasterise(self, size: int, char: str) -> Glyph:
        from PIL import Image, ImageDraw

        font = self.font(size)
        ascent, descent = font.getmetrics()
        advance = font.getlength(char)
        pad = size // 2
        canvas = Image.new("L", (int(advance) + 2 * pad, ascent + descent + 2 * pad), 0)
        ImageDraw.Draw(canvas).text((pad, pad + ascent), char, font=font, fill=255, anchor="ls")
        box = canvas.getbbox()
        if box is None:
            return Glyph(None, 0, 0, advance)
        return Glyph(canvas.crop(box), box[0] - pad, box[1] - pad - ascent, advance)

    def title_layout(self, title: str, width: int) -> tuple[int, list[str]]:
        """The largest title size whose wrapped lines fit; the smallest size, cut with '…', else."""
        for size in TITLE_SIZES:
            lines = wrap(title, self.font(size), width)
            if len(lines) <= max_lines(size):
                return size, lines
        size = TITLE_SIZES[-1]
        lines = wrap(title, self.font(size), width)[: max_lines(size)]
        lines[-1] = fit_line(lines[-1] + "……", self.font(size), width)
        return size, lines

    def png(self, card: Card) -> bytes:
        """The card encoded as PNG (deterministic: no timestamps or text chunks)."""
        buffer = io.BytesIO()
        self.draw(card).save(buffer, format="PNG", optimize=False, compress_level=PNG_COMPRESSION)
        return buffer.getvalue()


def max_lines(size: int) -> int:
    """How many title lines of `size` pixels fit between the band and the byline."""
    return min(TITLE_MAX_LINES, (TITLE_BOTTOM - TITLE_TOP) // round(size * LINE_HEIGHT))


def japanese_face_index(font_path: Path) -> int:
    """Index of the Japanese face in a font collection (Noto CJK .ttc holds JP, KR, SC, TC...)."""
    from PIL import ImageFont

    for index in range(16):
        try:
            name = ImageFont.truetype(str(font_path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if name.endswith(" JP"):
            return index
    return 0


def tokens(text: str) -> list[str]:
    """Units a line may break between: Latin words and numbers stay whole, other characters alone."""
    return _WORD.findall(" ".join(text.split()))


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking within `width` pixels, with Japanese kinsoku rules where they can be
    kept; a word wider than the line (a 300-letter title, a long address) is broken between letters."""
    lines: list[str] = []
    line, line_width = "", 0.0
    for token in _fitting_tokens(tokens(text), font, width):
        if not line and token.isspace():
            continue
        token_width = font.getlength(token)
        if line_width + token_width <= width or not line:
            line, line_width = line + token, line_width + token_width
            continue
        line, carried = _kinsoku(line, token, font, width)
        lines.append(line.rstrip())
        line = carried.lstrip()
        line_width = font.getlength(line)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _fitting_tokens(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> Iterator[str]:
    """`words`, each one wider than `width` given letter by letter."""
    for word in words:
        if len(word) > 1 and font.getlength(word) > width:
            yield from word
        else:
            yield word


KINSOKU_MOVES = 2
"""At most this many characters move to the next line to keep kinsoku; a run of more (「「「…) breaks
where it must."""


def _kinsoku(line: str, token: str, font: ImageFont.FreeTypeFont, width: int) -> tuple[str, str]:
    """Split before `token`, moving up to KINSOKU_MOVES characters so no line starts or ends with a
    forbidden one, as long as the next line still fits; else split right before `token`."""
    kept, carried = line, token
    for _ in range(KINSOKU_MOVES):
        if len(kept) <= 1 or not (carried[0] in NO_LINE_START or kept[-1] in NO_LINE_END):
            break
        kept, carried = kept[:-1], kept[-1] + carried
    if (carried[0] in NO_LINE_START or kept[-1] in NO_LINE_END) or font.getlength(carried) > width:
        return line, token
    return kept, carried


def fit_line(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """`text` on one line, cut and ended with '…' when wider than `width` pixels."""
    text = " ".join(text.split())
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip("…") + "…"


def card_cache(folder: Path) -> CardCache:
    """The cache to draw cards through; FontNotFound without a font. (Whether cards are drawn at all
    is a build setting, `previews`, in `kb.output.settings`.)"""
    return CardCache(folder, CardPainter(find_font()))


def cache_folder(default: Path) -> Path:
    """Where cards are cached: KB_OG_CACHE, else `default` (kept outside the site folder)."""
    return Path(os.environ.get(CACHE_ENV) or default)


class CardCache:
    """Card PNG files kept by content hash in a folder outside the site."""

    def __init__(self, folder: Path, painter: CardPainter) -> None:
        self.folder = folder
        self.painter = painter
        self.drawn = 0
        self._cached: set[str] | None = None
        self._font: str | None = None

    def image(self, card: Card) -> Path:
        """The PNG file of `card`, drawn now only if no cached copy exists."""
        if self._font is None:
            self._font = font_identity(self.painter.font_path)
        name = f"{card.digest(self._font)}.png"
        path = self.folder / name
        if self._cached is None:
            self._cached = self._cached_names()
        if name not in self._cached:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(self.painter.png(card))
            os.replace(temporary, path)
            self.drawn += 1
            self._cached.add(name)
        return path

    def _cached_names(self) -> set[str]:
        """The images in the folder, listed once (a stat per claim cost 0.3 s at 10,000 claims)."""
        try:
            with os.scandir(self.folder) as entries:
                return {entry.name for entry in entries if entry.name.endswith(".png") and entry.is_file()}
        except FileNotFoundError:
            return set()
