"""Typed models: what the rest of the pipeline may rely on after validation.

Each model keeps the ``Location`` it was read from, so that later stages
(compose, preflight) can still point a user at the line to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

from .errors import Location


@dataclass(frozen=True)
class Text:
    """One piece of content text: tiny markup and {contact.field} placeholders."""

    value: str
    key: str
    loc: Location


@dataclass(frozen=True)
class Item:
    """A member of a content list (a sign, a form of abuse, a route, a statistic)."""

    id: str
    key: str
    loc: Location
    fields: dict[str, Text]

    def get(self, name: str) -> Text | None:
        return self.fields.get(name)


Node = Union[Text, Item, "Namespace", list]


@dataclass(frozen=True)
class Namespace:
    """A mapping inside a locale's text files, e.g. ``signs`` or ``about.grooming``."""

    key: str
    loc: Location
    entries: dict[str, Node]


@dataclass(frozen=True)
class Contact:
    """One entry in the contacts registry: the only source of numbers and addresses."""

    id: str
    name: str
    short_name: str | None
    phone: str | None
    dial: str | None
    textphone: str | None
    textphone_dial: str | None
    email: str | None
    web: str | None
    hours: str | None
    hours_status: str | None
    hours_note: str | None
    audience: str
    anonymous: str
    free: bool | None
    status: str
    source: str
    verified_on: dt.date
    review_by: dt.date
    note: str | None
    loc: Location
    field_locs: dict[str, Location] = field(default_factory=dict, compare=False)
    printed_with: tuple[str, ...] = ()  # content refs: a product printing this contact must print one of them

    def field_loc(self, name: str) -> Location:
        return self.field_locs.get(name, self.loc)


@dataclass(frozen=True)
class Fact:
    """One checked statement in ``facts.yaml``: what it says, the public source it rests on,
    and the content it backs (``printed_as``), so governance can refuse to print it when it is
    unconfirmed, retired or past its review date, as it does for a contact."""

    id: str
    claim: str
    source: str
    verified_on: dt.date
    review_by: dt.date
    status: str  # confirmed | unconfirmed | retired
    printed_as: tuple[str, ...]
    note: str | None
    loc: Location
    field_locs: dict[str, Location] = field(default_factory=dict, compare=False)

    def field_loc(self, name: str) -> Location:
        return self.field_locs.get(name, self.loc)


@dataclass(frozen=True)
class Edition:
    version: str
    date: dt.date
    author: str
    loc: Location
    checked: dt.date | None = None  # the oldest verified_on among confirmed contacts: printed as {edition.checked}


@dataclass(frozen=True)
class ImageRef:
    """A checked PNG/JPEG inside the content folder, with its size read once when checked,
    so compose can fit it without opening files."""

    path: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class LocaleInfo:
    """A locale's ``_locale.yaml``: drafted translations stay flagged until a fluent reviewer says so."""

    code: str
    name: str
    reviewed: bool
    note: str | None
    english_terms: tuple[str, ...] = ()  # English names inside this language's text (marked lang in web copies)


@dataclass(frozen=True)
class Content:
    """Everything a material may print, for every locale found."""

    root: str
    edition: Edition
    contacts: dict[str, Contact]
    locales: dict[str, Namespace]
    locale_info: dict[str, LocaleInfo] = field(default_factory=dict)
    school_id: str | None = None
    school_fields: dict[str, str] = field(default_factory=dict)  # {school.name}, {school.role_name}, ...
    school_people: tuple = ()  # schools.Person: the DSL first, then the deputies
    school_roles: dict[str, dict[str, str]] = field(default_factory=dict)  # locale -> role_name, deputy_role_name
    school_logo: ImageRef | None = None
    facts: dict[str, Fact] = field(default_factory=dict)
    nation: str = "england"  # the build's nation: {nation.KEY} reads content/<locale>/nations.yaml's namespace for it


@dataclass(frozen=True)
class Colour:
    """A palette colour in CMYK, each 0..1 (the palette is written once, in CMYK)."""

    name: str
    c: float
    m: float
    y: float
    k: float

    def rgb(self) -> tuple[float, float, float]:
        """Naive CMYK -> sRGB for screen output and contrast (no ICC profile)."""
        return ((1 - self.c) * (1 - self.k), (1 - self.m) * (1 - self.k), (1 - self.y) * (1 - self.k))


@dataclass(frozen=True)
class FontFamily:
    name: str
    files: dict[str, str]  # variant (regular, bold, italic, bold_italic) -> file name in fonts/


@dataclass(frozen=True)
class TextStyle:
    name: str
    family: str
    bold: bool
    italic: bool
    size: str  # a name in the layout's type scale
    leading: float
    colour: str
    align: str
    role: str  # body | heading | small
    loc: Location


@dataclass(frozen=True)
class Styles:
    palette: dict[str, Colour]
    families: dict[str, FontFamily]
    fallback: tuple[str, ...]
    styles: dict[str, TextStyle]
    source: str


@dataclass(frozen=True)
class Alternative:
    """One designed arrangement of a box (or a page), tried in the order declared.

    ``box`` is the whole box with the alternative's changes applied, made once
    when the layout is checked; ``boxes`` (page alternatives) is the whole page.
    """

    name: str
    loc: Location
    box: Box | None = None
    boxes: tuple[Box, ...] = ()
    changes: tuple[tuple[str, object], ...] = ()  # what it changes in its box (kept to re-apply after a page's)


@dataclass(frozen=True)
class Box:
    """A named rectangle on a page (mm from the trim's top-left) and what fills it.

    A box on the page has x, y, w and h. A box inside a ``stack`` or ``grid`` is
    placed by its container: x and y are None, w too unless it is fixed, and h is
    None when its height comes from its content (within ``min_h`` and ``max_h``).
    """

    name: str
    kind: str  # text | list | contacts | qr | fill | edition | people | logo | stack | grid
    x: float | None
    y: float | None
    w: float | None
    h: float | None
    loc: Location
    style: str = "body"
    background: str | None = None
    padding: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # top, right, bottom, left (mm)
    valign: str = "top"
    align: str | None = None
    text: tuple[str, ...] = ()
    heading: str | None = None
    heading_style: str = "heading"
    items: str | None = None
    only: tuple[str, ...] = ()
    show: str = "label+detail"
    label_style: str | None = None
    columns: int = 1
    column_gap: float = 5.0
    gap: float = 2.0
    bullet: bool = True
    contacts: tuple[str, ...] = ()
    contact_field: str = "phone"
    contact_name: str = "short"  # short: the name that says who the number is for (tight spaces); name: the full name
    number_style: str = "number"
    qr: str | None = None
    qr_size: float = 30.0
    qr_level: str = "M"
    caption: bool = True
    caption_style: str = "caption"
    label: str | None = None
    when: str = "always"  # always | school | no-school
    locale: str | None = None  # pin this box to one language (bilingual layouts)
    photo_size: float = 25.0
    deputies_heading: str | None = None  # people: say the deputies' title once, above them
    # flow (stack and grid)
    boxes: tuple[Box, ...] = ()  # a stack's or grid's boxes, in order
    direction: str = "down"  # stack: down (one under another) | across (side by side)
    grow: float = 0.0  # share of a stack's spare room this box takes
    min_h: float | None = None
    max_h: float | None = None
    optional: bool = False  # in a stack: shown only if there is room once the others are placed
    needs_contact: str | None = None  # drawn only when the registry holds this contact (school-partnership)
    alternatives: tuple[Alternative, ...] = ()  # designed arrangements, tried in order
    type_step: int = 0  # this many steps down the layout's type scale (never below its minimum)
    # people
    photos: bool = True
    lead_style: str | None = None  # the lead's name (default: label_style)
    lead_photo_size: float | None = None  # default: photo_size
    arrangement: str = "cards"  # cards (photo beside lines) | list (a name, then its details) | lines (one paragraph each)
    languages: tuple[str, ...] = ()  # titles and headings in each of these languages (bilingual)


@dataclass(frozen=True)
class PageDef:
    name: str
    boxes: tuple[Box, ...]
    background: str | None
    alternatives: tuple[Alternative, ...] = ()  # whole pages, tried in order after ``boxes``


@dataclass(frozen=True)
class Imposition:
    """Step-and-repeat on a sheet; how many fit is computed per finish (see compose.impose)."""

    sheet: str
    loc: Location


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str  # poster | card | leaflet
    trim_w: float
    trim_h: float
    bleed: float
    safe: float
    min_body_pt: float
    scale: float
    type_scale: dict[str, float]
    pages: tuple[PageDef, ...]
    title: str
    subject: str
    imposition: Imposition | None
    folds: tuple[float, ...]
    needs_school: bool
    languages: tuple[str, ...]  # a bilingual layout's languages, first = the --locale that builds it
    reading_order: tuple[str, ...]  # "page.box" in the order a reader meets them (web copy); () = page order
    file: str
    loc: Location
    larger: str | None = None  # the layout to suggest when nothing fits (the A3 poster for the A4 one)
    audience: str = "staff"  # pupils | staff | parents
    max_reading_grade: float | None = None  # Flesch-Kincaid grade no box's prose may exceed (checked in preflight)
    draft_band: str = "top"  # where an unreviewed translation's band goes: top | bottom
    finishes: tuple[str, ...] = ("office", "print-shop")  # what it is made for (instructions are office-only)
