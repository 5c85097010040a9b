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
class Box:
    """A named rectangle on a page (mm from the trim's top-left) and what fills it."""

    name: str
    kind: str  # text | list | contacts | qr | fill | edition
    x: float
    y: float
    w: float
    h: float
    loc: Location
    style: str = "body"
    background: str | None = None
    padding: float = 0.0
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


@dataclass(frozen=True)
class PageDef:
    name: str
    boxes: tuple[Box, ...]
    background: str | None


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
    audience: str = "staff"  # pupils | staff | parents
    max_reading_grade: float | None = None  # Flesch-Kincaid grade no box's prose may exceed (checked in preflight)
    draft_band: str = "top"  # where an unreviewed translation's band goes: top | bottom
