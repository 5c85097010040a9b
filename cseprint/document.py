"""The composed document: pages of placed boxes, in PDF points.

This is the contract between compose (which makes it), preflight (which
judges it) and write_pdf (which draws it). It is plain data, so layout
positions can be tested without a PDF. Coordinates are points (1/72 inch)
with the origin at the bottom-left of the media, as in PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Location

MM = 72 / 25.4
FIT_TOL = 0.5  # pt: what "fits" means, for compose choosing an arrangement and for preflight judging it


def mm(v: float) -> float:
    return v * MM


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    def contains(self, other: Rect, tol: float = 0.01) -> bool:
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.x1 <= self.x1 + tol and other.y1 <= self.y1 + tol)

    def overlaps(self, other: Rect, tol: float = 0.01) -> bool:
        return (other.x < self.x1 - tol and other.x1 > self.x + tol
                and other.y < self.y1 - tol and other.y1 > self.y + tol)

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True)
class Fill:
    """A filled rectangle. ``background`` fills may run into the bleed."""

    rect: Rect
    colour: str
    box: str
    background: bool = True


@dataclass(frozen=True)
class Run:
    """Text in one face, size and colour, drawn from ``x`` on its line's baseline."""

    x: float
    text: str
    font: str  # face name (the TTF's file stem)
    size: float
    colour: str
    missing: bool = False  # no face in the chain has these characters


@dataclass(frozen=True)
class TextLine:
    y: float  # baseline
    runs: tuple[Run, ...]
    box: str
    key: str
    role: str  # body | heading | small
    rect: Rect  # the glyphs' extent, within the line's slot in its box (for safe-zone checks)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class QRCode:
    """A QR symbol drawn as vector modules; ``rect`` excludes the quiet zone."""

    rect: Rect
    module: float
    matrix: tuple[tuple[bool, ...], ...]
    payload: str
    level: str
    quiet: int
    box: str
    key: str
    colour: str
    paper: str

    @property
    def quiet_rect(self) -> Rect:
        q = self.quiet * self.module
        return Rect(self.rect.x - q, self.rect.y - q, self.rect.w + 2 * q, self.rect.h + 2 * q)


@dataclass(frozen=True)
class Image:
    """A photo or logo (PNG/JPEG inside the content folder), fitted into ``rect``."""

    rect: Rect
    path: str
    box: str
    dpi: float  # effective resolution at this printed size


@dataclass(frozen=True)
class Mark:
    """A hairline outside the trim: a crop mark or a fold mark."""

    x1: float
    y1: float
    x2: float
    y2: float
    kind: str  # crop | fold


@dataclass
class BoxReport:
    """What compose learnt while filling one box, for preflight to judge."""

    page: str
    box: str
    kind: str
    rect: Rect
    loc: Location
    keys: tuple[str, ...]
    needed: float = 0.0  # height the content needs (pt)
    available: float = 0.0
    too_wide: list[tuple[str, float]] = field(default_factory=list)  # (unbreakable word, width it had, pt)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (character, content key)
    background: str | None = None  # the colour under the text (palette name)
    parent: str | None = None  # the stack or grid holding it
    chosen: str | None = None  # the alternative printed, when the box declares alternatives
    tried: list[tuple[str, float, float]] = field(default_factory=list)  # (alternative, needs, has) in pt, in order


@dataclass
class Page:
    name: str
    media_w: float
    media_h: float
    trim: Rect
    bleed: Rect
    safe: Rect
    fills: list[Fill] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    qrcodes: list[QRCode] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    boxes: list[BoxReport] = field(default_factory=list)
    folds: list[float] = field(default_factory=list)  # x of each crease (pt, media), mirrored on a back page


@dataclass
class Document:
    """One PDF to be written."""

    layout: str
    variant: str  # single | sheet
    finish: str  # office | print-shop
    locale: str
    title: str
    subject: str
    author: str
    pages: list[Page]
    palette: dict[str, tuple[float, float, float, float]]
    fonts: dict[str, str]  # face name -> TTF path, every face used
    contacts: set[str]  # contact ids printed
    min_body_pt: float
    kind: str
    file: str  # layout file, for messages
    school: str | None = None
    fell_back: list[str] = field(default_factory=list)  # content keys printed from the fallback locale
    uses_school: bool = False  # anything school-specific on it (else it is the national product)
    fit: dict[str, str] = field(default_factory=dict)  # "page.box" -> the alternative chosen (or shown / left out)
    larger: str | None = None  # the layout to suggest when something does not fit (the A3 poster)
    nation: str = "england"  # whose guidance, roles and routes it prints
    audience: str = "staff"  # pupils | staff | parents (the layout's)
    printed: frozenset = frozenset()  # (locale, content key) of every text printed: facts governance reads it
    reading_grade: float | None = None  # the highest Flesch-Kincaid grade of its boxes' prose (set by preflight)
