"""School profiles: who to tell in *this* school, from YAML or from a spreadsheet row.

A profile adds to the national content, never changes it: the school's name,
its Designated Safeguarding Lead (DSL) and deputies, and its council's
children's services numbers. Its numbers become contacts in the registry
(``school-council``, ``school-council-ooh``, ``school-partnership``) so they
pass the same checks and reach text through the same placeholders.

The nation chooses the role's name and its deputy's, from the build
language's ``nations.yaml`` (Designated Safeguarding Lead in England,
Designated Safeguarding Person in Wales, child protection coordinator in
Scotland, Designated Teacher in Northern Ireland; sources in facts.yaml). A
profile may name them itself (``role_name``, ``deputy_role_name``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import phones
from .errors import InputError, Location, Problem
from .habits import NATIONS, Nation, UKDate  # noqa: F401  (NATIONS: the ids, for code that imports them from here)
from .load import LDict, display_name, load_yaml
from .models import Contact, Content, ImageRef
from .schema import MISSING, Checker, ListOf, Record, Str, quote

LANGUAGES = ("en-GB", "cy", "bilingual")  # what each builds: see languages.py
MAX_IMAGE_BYTES = 8_000_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_DEPUTIES = 12
ID_RE = r"[a-z0-9][a-z0-9-]{0,60}"
RESERVED_IDS = ("print-shop", "web", "previews", "packs", *NATIONS)  # folders of the output
DEFAULT_ID_RE = r"row-[0-9]+"  # the id a spreadsheet row without one gets: never given, so never shared
REVIEW_DAYS = 365


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    photo: ImageRef | None  # checked to be a real image inside the content folder
    phone: str | None
    location: str | None
    loc: Location


@dataclass(frozen=True)
class School:
    id: str
    name: str
    nation: str
    role_name: str | None  # the profile's own; else the nation's, from content/<locale>/nations.yaml
    deputy_role_name: str | None
    logo: ImageRef | None
    dsl: Person
    deputies: tuple[Person, ...]
    council_name: str
    council_phone: str
    council_hours: str
    council_out_of_hours: str
    partnership_web: str | None
    checked_on: dt.date
    loc: Location
    warnings: tuple = ()  # Problems to show but not to stop on (a restored leading 0)
    language: str | None = None  # en-GB | cy | bilingual; None: the build's --locale (see languages.py)

    @property
    def people(self) -> tuple[Person, ...]:
        return (self.dsl, *self.deputies)


PHONE = Str(required=False, max_len=30, multiline=False)
PERSON = Record({
    "name": Str(max_len=80, multiline=False),
    "role": Str(required=False, max_len=80, multiline=False),
    "photo": Str(required=False, max_len=300, multiline=False),
    "phone": PHONE,
    "location": Str(required=False, max_len=60, multiline=False),
})
PROFILE = Record({
    "id": Str(required=False, pattern=ID_RE, pattern_help="lower-case letters, digits and hyphens, e.g. oakfield-primary"),
    "name": Str(max_len=150, multiline=False),
    "nation": Nation(),  # England, Wales/Cymru, Scotland, Northern Ireland/NI, in any case
    "language": Str(required=False, choices=LANGUAGES),
    "role_name": Str(required=False, max_len=60, multiline=False),
    "deputy_role_name": Str(required=False, max_len=80, multiline=False),
    "logo": Str(required=False, max_len=300, multiline=False),
    "dsl": PERSON,
    "deputies": ListOf(PERSON, required=False, default=[], max_items=MAX_DEPUTIES),
    "council": Record({
        "name": Str(max_len=120, multiline=False),
        "phone": Str(max_len=30, multiline=False),
        "hours": Str(max_len=120, multiline=False),
        "out_of_hours": Str(max_len=30, multiline=False),
    }),
    "partnership_web": Str(required=False, pattern=r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*)?",
                           pattern_help="an https:// address with no spaces"),
    "checked_on": UKDate(),  # 2026-11-20, 20/11/2026, 20 Nov 2026: day first, and a warning saying how it was read
})


def check_phone(typed: str | None, raw: object, field: str, key: str, ck: Checker) -> str | None:
    """A school's number, validated and printed in the standard UK grouping (None if refused)."""
    if typed is None:
        return None
    loc = raw.loc_of(field) if isinstance(raw, LDict) else Location("")
    printed, why, restored = phones.normalise(typed)
    if why:
        ck.error(loc, key, why)
        return None
    if restored:
        ck.warn(loc, key, f"'{typed}' had lost its leading 0 (spreadsheets drop it); printed as '{printed}': check it")
    return printed


def check_image(rel: str | None, content_root: Path, loc: Location, key: str, ck: Checker) -> ImageRef | None:
    """A photo or logo must be a real PNG/JPEG inside the content folder, of sane size."""
    if rel is None:
        return None
    root = content_root.resolve()
    path = (content_root / rel).resolve()
    if Path(rel).is_absolute() or not path.is_relative_to(root):
        ck.error(loc, key, f"image path {quote(rel)} must stay inside the content folder {display_name(content_root)}/")
        return None
    if not path.is_file():
        ck.error(loc, key, f"image {quote(rel)} not found in {display_name(content_root)}/")
        return None
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        ck.error(loc, key, f"image {quote(rel)} is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
        return None
    head = path.read_bytes()[:8]
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        ck.error(loc, key, f"image {quote(rel)} is not a PNG or JPEG file")
        return None
    try:
        from PIL import Image

        with Image.open(path) as im:
            w, h = im.size
            if w * h > MAX_IMAGE_PIXELS:
                ck.error(loc, key, f"image {quote(rel)} is {w} x {h} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
                return None
            im.verify()  # the file's structure (PNG chunks and their checksums)
        with Image.open(path) as im:  # and every byte of its pixels: a truncated file fails here, not when printed
            im.draft(im.mode, (1, 1))  # a JPEG is decoded at 1/8 scale: all its data is read, little memory used
            im.load()
    except Exception as exc:  # PIL raises many types for broken files
        ck.error(loc, key, f"image {quote(rel)} cannot be read, or is damaged or cut short: {exc}")
        return None
    return ImageRef(str(path), w, h)


def build_school(raw: Any, loc: Location, default_id: str, content_root: Path, ck: Checker) -> School | None:
    for p in getattr(raw, "row_problems", ()):  # a spreadsheet row's own trouble (spreadsheet.py)
        ck.error(p.location, p.key, p.message)
    for p in getattr(raw, "row_warnings", ()):
        ck.warn(p.location, p.key, p.message)
    if ck.errors:
        return None
    got = PROFILE.check(raw, loc, "", ck)
    if got is MISSING:
        return None
    nation = got["nation"]
    role = got["role_name"]  # None: the locale's nations.<nation>.role at build time
    if got["id"] and re.fullmatch(DEFAULT_ID_RE, got["id"]):
        ck.error(loc, "id", f"{quote(got['id'])} looks like the id a row without one is given (row-N, from its row "
                 "number), so two schools could share it; choose another id")
        return None
    sid = got["id"] or default_id
    if not re.fullmatch(ID_RE, sid):
        ck.error(loc, "id", f"{quote(sid)} is not a usable id; write id: with lower-case letters, digits and hyphens")
        return None
    if sid in RESERVED_IDS or re.fullmatch(r"[a-z]{2,3}", sid):  # "cy" and the like are language folders
        ck.error(loc, "id", f"{quote(sid)} is the name of an output folder or a language; choose another id")
        return None

    def person(p: dict, rawp: object, key: str) -> Person:
        phone = check_phone(p["phone"], rawp, "phone", f"{key}.phone", ck)
        ploc = rawp.loc_of("photo") if isinstance(rawp, LDict) else p["_loc"]
        photo = check_image(p["photo"], content_root, ploc, f"{key}.photo", ck)
        return Person(p["name"], p["role"], photo, phone, p["location"], p["_loc"])

    dsl = person(got["dsl"], raw["dsl"], "dsl")
    deputies = tuple(person(d, raw["deputies"][i], f"deputies[{i}]") for i, d in enumerate(got["deputies"]))
    council = got["council"]
    council_phone = check_phone(council["phone"], raw["council"], "phone", "council.phone", ck)
    out_of_hours = check_phone(council["out_of_hours"], raw["council"], "out_of_hours", "council.out_of_hours", ck)
    logo = check_image(got["logo"], content_root, raw.loc_of("logo") if isinstance(raw, LDict) else loc, "logo", ck)
    if ck.errors:
        return None
    return School(sid, got["name"], nation, role, got["deputy_role_name"], logo, dsl, deputies, council["name"], council_phone,
                  council["hours"], out_of_hours, got["partnership_web"], got["checked_on"], loc,
                  tuple(p for p in ck.warnings), got["language"])


def load_profile(path: Path, content_root: Path) -> School:
    raw = load_yaml(path)
    ck = Checker()
    school = build_school(raw, getattr(raw, "loc", Location(display_name(path))), path.stem, content_root, ck)
    if ck.errors or school is None:
        raise InputError(ck.errors or [Problem(Location(display_name(path)), "", "not a school profile")])
    return school


# --- joining the national content -----------------------------------------------------------------

def role_names(content: Content, school: School, chain: list[str]) -> tuple[str, str]:
    """The safeguarding role's name and its deputy's: the profile's own, else the nation's in the
    build's language (a profile that names only the role keeps the nation's deputy title)."""
    from .lookup import nation_texts

    texts = nation_texts(content, chain, school.nation) or {}
    found = []
    for own, key in ((school.role_name, "role"), (school.deputy_role_name, "deputy_role")):
        if own:
            found.append(own)
        elif key in texts:
            found.append(texts[key].value)
        else:
            raise InputError([Problem(school.loc, "role_name", f"no {key} for {school.nation} in "
                                      f"{content.root}/{chain[0]}/nations.yaml; add it or set {key}_name")])
    return found[0], found[1]


def with_school(content: Content, school: School, chain: list[str]) -> Content:
    """The national content plus the school's contacts, fields and people.

    The school's numbers join the registry as ``school-council``,
    ``school-council-ooh`` and ``school-partnership``, verified on the
    profile's ``checked_on`` and due for review a year later.
    """
    review = school.checked_on + dt.timedelta(days=REVIEW_DAYS)
    base = dict(short_name=None, textphone=None, textphone_dial=None, email=None, web=None, hours=None,
                hours_status=None, hours_note=None, anonymous="unknown", free=None, status="confirmed",
                source=f"school profile {school.loc.file}", verified_on=school.checked_on, review_by=review,
                note=None, loc=school.loc, audience="anyone worried about a child", phone=None, dial=None)
    extra = {"school-council": Contact(**(base | dict(
        id="school-council", name=school.council_name, phone=school.council_phone,
        dial=school.council_phone.replace(" ", ""), hours=school.council_hours,
        hours_status="confirmed" if school.council_hours else None)))}
    extra["school-council-ooh"] = Contact(**(base | dict(
        id="school-council-ooh", name=f"{school.council_name} (out of hours)", phone=school.council_out_of_hours,
        dial=school.council_out_of_hours.replace(" ", ""))))
    if school.partnership_web:
        extra["school-partnership"] = Contact(**(base | dict(
            id="school-partnership", name="Local safeguarding partnership", web=school.partnership_web)))
    role, deputy = role_names(content, school, chain)
    fields = {"name": school.name, "role_name": role, "deputy_role_name": deputy, "dsl_name": school.dsl.name}
    roles = {}  # the role's names in every language, for bilingual layouts
    for locale in content.locales:
        try:
            mine, theirs = role_names(content, school, [locale])
        except InputError:
            continue
        roles[locale] = {"role_name": mine, "deputy_role_name": theirs}
    return dataclasses.replace(content, contacts=content.contacts | extra, school_id=school.id, nation=school.nation,
                               school_fields=fields, school_people=school.people, school_logo=school.logo,
                               school_roles=roles)
