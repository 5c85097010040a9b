"""Tiny inline layouts composed with simple metrics, so geometry can be worked out by hand.

WeasyPrint's layout tests use a font whose every glyph has the same advance
(``tests/resources/weasyprint.otf``); ``HalfEm`` is that for us: every character
is half an em wide, so 10 pt text is 5 pt a character and a line of "aaaa bbbb"
is 45 pt. A layout is written inline as YAML; its content is a few short texts
in a small content folder of its own (one edition, two real contacts).
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from cseprint.compose import OFFICE, compose
from cseprint.document import Document, Page, Rect, mm
from cseprint.errors import Location
from cseprint.schema import Checker
from cseprint.schools import build_school, with_school
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS, PROJECT

MM = mm(1)
BODY = 10.0  # pt: the body size of every layout here
LINE = BODY * 1.25  # the body style's leading


@dataclass(frozen=True)
class HalfEmFace:
    name: str

    def width(self, text: str, size: float) -> float:
        return 0.5 * size * len(text)


REGULAR, BOLD = HalfEmFace("halfem"), HalfEmFace("halfem-bold")


class HalfEm:
    """The Typesetter's Metrics with every character half an em wide (bold has a face of its own,
    so a test can tell which faces a document embeds), and no hyphenation dictionary."""

    def __init__(self) -> None:
        self.blocks: dict = {}

    def split(self, text: str, family: str, bold: bool, italic: bool):
        return [(BOLD if bold else REGULAR, text, False)]

    def path(self, face: str) -> str:
        return f"{face}.ttf"

    def hyphenate(self, word: str) -> list[int]:
        return []


CONTACTS = """\
contacts:
  c1:
    name: "Childline"
    phone: "0800 1111"
    dial: "08001111"
    audience: "Children"
    anonymous: "unknown"
    status: confirmed
    source: "test"
    verified_on: 2026-11-01
    review_by: 2027-05-01
  c2:
    name: "NSPCC Helpline"
    phone: "0808 800 5000"
    dial: "08088005000"
    audience: "Adults"
    anonymous: "optional"
    status: confirmed
    source: "test"
    verified_on: 2026-11-01
    review_by: 2027-05-01
"""

TEXTS = {
    "title": "T",
    "one": "aaaa",  # 20 pt
    "three": "aaaa bbbb cccc",  # 70 pt
    "six": "aaaa bbbb cccc dddd eeee ffff",
    "twelve": " ".join(["aaaa"] * 12),
    "heading": "Hhhh",
    "calls": "Call {c2.phone}",
    "intro": {"zero": "Ask our lead", "one": "Ask our lead or deputy", "other": "Ask one of us"},
    "deputies": {"one": "Our deputy", "other": "Our deputies"},
}


def content_folder(root: Path, texts: dict | None = None, welsh: dict | None = None) -> Path:
    """A content folder with ``TEXTS`` (and ``texts``) in en-GB, and ``welsh`` in cy if given."""
    c = root / "content"
    (c / "en-GB").mkdir(parents=True, exist_ok=True)
    (c / "edition.yaml").write_text('version: "1"\ndate: 2026-11-28\nauthor: "Test"\n', encoding="utf-8")
    (c / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    (c / "en-GB" / "t.yaml").write_text(yaml.safe_dump({**TEXTS, **(texts or {})}, allow_unicode=True),
                                        encoding="utf-8")
    (c / "en-GB" / "nations.yaml").write_text("".join(f'{n}: {{role: "Lead", deputy_role: "Deputy lead"}}\n' for n in (
        "england", "wales", "scotland", "northern-ireland")), encoding="utf-8")
    if welsh is not None:
        (c / "cy").mkdir(exist_ok=True)
        (c / "cy" / "t.yaml").write_text(yaml.safe_dump(welsh, allow_unicode=True), encoding="utf-8")
        (c / "cy" / "nations.yaml").write_text('wales: {role: "Arweinydd", deputy_role: "Dirprwy"}\n',
                                               encoding="utf-8")
    return c


HEAD = """\
kind: poster
audience: staff
page: {size: A4, orientation: portrait, bleed: 3, safe: 0}
min_body_pt: 10
type_scale: {small: 7, body: 10, number: 10, lead: 12, heading: 12, name: 14, display: 16}
title: t.title
subject: t.title
"""


def layout_folder(root: Path, body: str, name: str = "t") -> Path:
    """``layouts/`` with the project's styles and one layout: ``HEAD`` and then ``body`` (YAML)."""
    d = root / "layouts"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "layouts" / "_styles.yaml", d / "_styles.yaml")
    (d / f"{name}.yaml").write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return d


def lay(root: Path, body: str, texts: dict | None = None, school: dict | None = None, locale: str = "en-GB",
        fallback: str | None = None, welsh: dict | None = None) -> Document:
    """Compose an inline layout with HalfEm metrics; the document (nothing is written)."""
    content = load_content(content_folder(root, texts, welsh))
    chain = [locale] + ([fallback] if fallback else [])
    styles, layouts = load_layouts(layout_folder(root, body), FONTS, content, ["t"], [chain])
    if school is not None:
        ck = Checker()
        s = build_school(school, Location("p.yaml", 1, 1), "s", root / "content", ck)
        assert s is not None and not ck.errors, ck.errors
        content = with_school(content, s, chain)
    return compose(layouts["t"], styles, content, HalfEm(), locale, OFFICE, school=content.school_id,
                   fallback=fallback)[0]


def report(page: Page, name: str):
    return next(r for r in page.boxes if r.box == name)


def in_mm(page: Page, r: Rect) -> tuple[float, float, float, float]:
    """A rectangle as x, y from the trim's top-left and w, h, in millimetres (the layout's terms)."""
    return ((r.x - page.trim.x) / MM, (page.trim.y1 - r.y1) / MM, r.w / MM, r.h / MM)


def lines_of(page: Page, box: str) -> list[str]:
    return [ln.text for ln in page.lines if ln.box == box]


def school(deputies: int, **lead) -> dict:
    return {"name": "Oak School", "nation": "england", "checked_on": "2026-11-20",
            "dsl": {"name": "Sam Lee", **lead},
            "deputies": [{"name": f"Dep {i}"} for i in range(1, deputies + 1)],
            "council": {"name": "Council", "phone": "0113 496 0000", "hours": "9 to 5",
                        "out_of_hours": "020 7946 0999"}}
