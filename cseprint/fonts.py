"""Font metrics and character coverage, read with fontTools (no reportlab here).

Why measure ourselves: compose must know, before anything is drawn, whether
text fits its box and whether every character has a real glyph. reportlab
prints empty boxes for missing glyphs without complaint, so the character map
is checked here and a fallback family used where it has the glyph. Widths are
the fonts' own advance widths (what reportlab also uses; it applies no
kerning), so positions computed here are the positions drawn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pyphen
from fontTools.ttLib import TTFont

from .errors import InputError, Location, Problem
from .models import Styles

VARIANT_OF = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}


@dataclass(frozen=True)
class Face:
    """One TrueType file: its name in the PDF, cmap and advance widths (per em)."""

    name: str
    path: str
    widths: dict[int, float]
    ascent: float
    descent: float

    def has(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def width(self, text: str, size: float) -> float:
        w = self.widths
        return sum(w.get(ord(c), 0.0) for c in text) * size


@functools.lru_cache(maxsize=64)
def load_face(path: str) -> Face:
    """Read a TTF once per process (cached: batch builds reuse it)."""
    try:
        font = TTFont(path, lazy=True, checkChecksums=2)
        for tag in font.reader.keys():  # read every table: a damaged or cut-short one fails its checksum here
            font.reader[tag]
        if "glyf" not in font:
            raise InputError([Problem(Location(path), "", "not a TrueType (glyf) font; reportlab cannot embed "
                                      "OpenType/CFF outlines: use a .ttf with TrueType outlines")])
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        cmap = font.getBestCmap() or {}
        widths = {cp: hmtx[g][0] / upem for cp, g in cmap.items() if g in hmtx}
        hhea = font["hhea"]
        face = Face(Path(path).stem, path, widths, hhea.ascent / upem, -hhea.descent / upem)
        font.close()
        return face
    except InputError:
        raise
    except OSError as exc:
        raise InputError([Problem(Location(path), "", f"cannot read font: {exc.strerror or exc}")]) from None
    except Exception as exc:  # fontTools raises many kinds for a damaged file (TTLibError, struct.error, ...)
        raise InputError([Problem(Location(path), "", f"the font file is damaged or not a font ({exc}); replace it "
                                  "with a good copy")]) from None


HYPHENATION = "en_GB"  # pyphen's patterns; it has none for Welsh, and names come from every language


@functools.lru_cache(maxsize=4)
def hyphenator(lang: str = HYPHENATION) -> pyphen.Pyphen:
    """The hyphenation dictionary, read once per process (pyphen reads its file here, never later)."""
    return pyphen.Pyphen(lang=lang)


class FontBook:
    """Chooses, for each character, the first face of the style's chain that has it.

    It is the Typesetter's ``Metrics`` (see compose.text): faces, their files and where a
    word may be hyphenated, all read when it is made, so compose never opens a file.
    """

    def __init__(self, styles: Styles, fonts_dir: Path):
        self.styles = styles
        self.fonts_dir = fonts_dir
        self._chains: dict[tuple[str, bool, bool], tuple[Face, ...]] = {}
        self.blocks: dict = {}  # compose.Typesetter's memo of set paragraphs (per process)
        self.paths: dict[str, str] = {}  # face name -> file, for every face handed out
        # read every face now, so that compose, which asks for them, never touches a file
        for family in styles.families:
            for bold in (False, True):
                for italic in (False, True):
                    self.chain(family, bold, italic)
        self._hyphens = hyphenator()

    def path(self, face: str) -> str:
        return self.paths[face]

    def hyphenate(self, word: str) -> list[int]:
        """Offsets where ``word`` may take a hyphen (pyphen's en_GB patterns)."""
        return list(self._hyphens.positions(word))

    def chain(self, family: str, bold: bool, italic: bool) -> tuple[Face, ...]:
        """The style's face followed by the fallback families' faces (memoised)."""
        key = (family, bold, italic)
        if key not in self._chains:
            self._chains[key] = self._chain(family, bold, italic)
        return self._chains[key]

    def _chain(self, family: str, bold: bool, italic: bool) -> tuple[Face, ...]:
        faces = []
        for fam_name in (family, *[f for f in self.styles.fallback if f != family]):
            fam = self.styles.families[fam_name]
            variant = VARIANT_OF[(bold, italic)]
            file = fam.files.get(variant) or fam.files.get("bold" if bold else "regular") or fam.files["regular"]
            face = load_face(str(self.fonts_dir / file))
            self.paths[face.name] = face.path
            faces.append(face)
        return tuple(faces)

    def split(self, text: str, family: str, bold: bool, italic: bool) -> list[tuple[Face, str, bool]]:
        """Split text into (face, substring, missing) runs by glyph coverage.

        ``missing`` is True for characters no face in the chain has: they are
        measured in the primary face and reported by preflight, never drawn
        silently as empty boxes.
        """
        chain = self.chain(family, bold, italic)
        out: list[tuple[Face, str, bool]] = []
        for ch in text:
            face, missing = chain[0], False
            if ch != " " and not chain[0].has(ch):
                for f in chain[1:]:
                    if f.has(ch):
                        face = f
                        break
                else:
                    missing = True
            if out and out[-1][0] is face and out[-1][2] == missing:
                out[-1] = (face, out[-1][1] + ch, missing)
            else:
                out.append((face, ch, missing))
        return out
