"""School teams for the "who to tell" tests: any size, with or without photos, short or long names.

``team(...)`` makes a school profile (as a mapping, the way a profile file or a
spreadsheet row is read); ``Posters`` builds its "who to tell" posters in this
process through the real pipeline (validate the profile, compose, preflight,
render, verify), with content, layouts and fonts loaded once per language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cseprint.build import Options, chain, compose_all, load
from cseprint.errors import Location
from cseprint.fonts import FontBook
from cseprint.schema import Checker
from cseprint.schools import build_school, with_school
from cseprint.verify import verify
from cseprint.write_pdf import render

from .conftest import FONTS, PROJECT, TODAY

PHOTOS = ["schools/photos/sam-example.png", "schools/photos/alex-sample.png", "schools/photos/jo-placeholder.png"]
SHORT = ["Sam Lee", "Jo Khan", "Alex Kaur", "Ffion Ng", "Ama Ode", "Zoë Orr", "Llŷr Ap", "Ian Roe", "Bo Hill",
         "Pat Oak", "Kit Ash", "Eve Wu", "Dan Ray"]
# 35-letter surnames with no hyphen in them, too long for a column of a 3-column poster
UNBREAKABLE = ["Wolfeschlegelsteinhausenbergerdorff", "Llanfairpwllgwyngyllgogerychwyrndro"]
ROLE_80 = "Assistant Head Teacher (Pastoral Care, Behaviour, Attendance and Family Support)"
SCHOOL_150 = ("The Most Holy Trinity and Saint Mary Magdalene Roman Catholic and Church of England Joint Voluntary "
              "Aided Primary and Nursery School, Great Walsingham")


def long_name(i: int) -> str:
    """A 60-character name, different for each person."""
    base = f"Siobhán Máire O'Connor-Ní Bhriain Fitzwilliam-Llewellyn {i:02d}"
    return (base + " Xyzabcdefghij")[:60].rstrip()


VARIANTS = ("short", "names60", "roles80", "unbreakable", "school150", "long")


def person(i: int, names: str, photo: bool, rich: bool = True) -> dict:
    """Person ``i`` (0 is the lead). In a team with ``names60`` names the lead and every third deputy
    have a 60-character name; with ``roles80``, an 80-character role; with ``unbreakable``, a
    35-letter surname; with ``long``, a 60-character name and an 80-character role (and the school a
    150-character name); with ``longest``, everyone has every field at its longest."""
    odd = i % 3 == 0 or names == "longest"
    if names in ("names60", "long", "longest") and odd:
        name = long_name(i)
    elif names == "unbreakable" and odd:
        name = f"Ann {UNBREAKABLE[i % 2]}"
    else:
        name = SHORT[i % len(SHORT)]
    long_role = names in ("roles80", "long", "longest") and odd
    p = {"name": name, "role": ROLE_80 if long_role else "Head of Year 9"}
    if rich:
        p["location"] = "Room 12, main building"
        p["phone"] = f"0113 496 0{100 + i:03d}"
    if photo:
        p["photo"] = PHOTOS[i % len(PHOTOS)]
    return p


def team(deputies: int, photos: str = "all", names: str = "short", school_name: str | None = None,
         language: str | None = None, nation: str = "england", partnership: bool = True, rich: bool = True,
         lead_role: str | None = None) -> dict:
    """A profile: ``photos`` all | none | most (every third person has none), ``names`` one of
    VARIANTS (or ``longest``); the school's name is 150 characters for school150, long and longest."""
    def has_photo(i: int) -> bool:
        return photos == "all" or (photos == "most" and i % 3 != 2)

    if school_name is None:
        school_name = SCHOOL_150 if names in ("school150", "long", "longest") else "Oakfield Primary School"
    lead = person(0, names, has_photo(0), rich=True)
    if lead_role:
        lead["role"] = lead_role
    prof = {
        "id": "test-school", "name": school_name, "nation": nation, "checked_on": TODAY, "dsl": lead,
        "deputies": [person(i, names, has_photo(i), rich) for i in range(1, deputies + 1)],
        "council": {"name": "Exampleshire Council children's services", "phone": "0113 496 0000",
                    "hours": "Monday to Friday, 9am to 5pm", "out_of_hours": "020 7946 0999"},
    }
    if partnership:
        prof["partnership_web"] = "https://www.exampleshire-safeguarding.example.org.uk/worried-about-a-child/"
    if language:
        prof["language"] = language
    return prof


def people_names(prof: dict) -> list[str]:
    return [prof["dsl"]["name"], *[d["name"] for d in prof["deputies"]]]


@dataclass
class Poster:
    path: str
    layout: str
    data: bytes
    doc: object


class Posters:
    """Builds a profile's "who to tell" posters with the project's own content and layouts."""

    def __init__(self, content: Path = PROJECT / "content", layouts: Path = PROJECT / "layouts"):
        self.content, self.layouts = content, layouts
        self._loaded: dict[str, tuple] = {}

    def inputs(self, locale: str):
        if locale not in self._loaded:
            opts = Options(content=self.content, layouts=self.layouts, fonts=FONTS, out=Path("/nonexistent"),
                           locale=locale, finish="office", today=dt.date.fromisoformat(TODAY))
            content, styles, layouts = load(opts)
            self._loaded[locale] = (opts, content, styles, layouts, FontBook(styles, FONTS))
        return self._loaded[locale]

    def build(self, prof: dict, names: list[str], locale: str = "en-GB") -> list[Poster]:
        """Check, compose, preflight, render and verify the named layouts; raise on any problem."""
        import dataclasses

        opts, content, styles, layouts, fonts = self.inputs(locale)
        ck = Checker()
        school = build_school(prof, Location("profile.yaml", 1, 1), "test-school", self.content, ck)
        assert school is not None and not ck.errors, [str(p) for p in ck.errors]
        opts = dataclasses.replace(opts, names=names)
        p = compose_all(with_school(content, school, chain(opts)), styles, {n: layouts[n] for n in names}, fonts, opts)
        out = []
        for path, doc in p.docs:
            data = render(doc)
            failures = verify(doc, data)
            assert not failures, failures
            out.append(Poster(path, doc.layout, data, doc))
        return out
