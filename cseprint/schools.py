"""School profiles: who to tell in *this* school, from YAML or from a spreadsheet row.

A profile adds to the national content, never changes it: the school's name,
its Designated Safeguarding Lead (DSL) and deputies, and its council's
children's services numbers. Its numbers become contacts in the registry
(``school-council``, ``school-council-ooh``, ``school-partnership``) so they
pass the same checks and reach text through the same placeholders.

The nation chooses the role's name (the notes: Designated Safeguarding Lead
in England, Designated Safeguarding Person in Wales, Designated Teacher in
Northern Ireland). For Scotland our sources give no name, so a Scottish
profile must say ``role_name`` itself.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import phones
from .errors import InputError, Location, Problem
from .load import LDict, LList, display_name, load_yaml
from .models import Contact, Content, ImageRef
from .schema import MISSING, Checker, Date, ListOf, Record, Str, quote

NATIONS = ("england", "wales", "scotland", "northern-ireland")
LANGUAGES = ("en-GB", "cy", "bilingual")  # what each builds: see languages.py
MAX_IMAGE_BYTES = 8_000_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_DEPUTIES = 12
ID_RE = r"[a-z0-9][a-z0-9-]{0,60}"
RESERVED_IDS = ("print-shop", "web", "previews", "packs")  # folders of the output
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
    role_name: str | None  # the profile's own; else the nation's, from content/<locale>/roles.yaml
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
    "nation": Str(choices=NATIONS),
    "language": Str(required=False, choices=LANGUAGES),
    "role_name": Str(required=False, max_len=60, multiline=False),
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
    "checked_on": Date(),
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
            im.verify()
    except Exception as exc:  # PIL raises many types for broken files
        ck.error(loc, key, f"image {quote(rel)} cannot be read: {exc}")
        return None
    return ImageRef(str(path), w, h)


def build_school(raw: Any, loc: Location, default_id: str, content_root: Path, ck: Checker) -> School | None:
    got = PROFILE.check(raw, loc, "", ck)
    if got is MISSING:
        return None
    nation = got["nation"]
    role = got["role_name"]  # None: the locale's roles.<nation> at build time
    if role is None and nation == "scotland":
        ck.error(loc, "role_name", "missing; for a school in Scotland write the safeguarding role's name "
                 "(our sources give none for Scotland)")
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
    return School(sid, got["name"], nation, role, logo, dsl, deputies, council["name"], council_phone,
                  council["hours"], out_of_hours, got["partnership_web"], got["checked_on"], loc,
                  tuple(p for p in ck.warnings), got["language"])


def load_profile(path: Path, content_root: Path) -> School:
    raw = load_yaml(path)
    ck = Checker()
    school = build_school(raw, getattr(raw, "loc", Location(display_name(path))), path.stem, content_root, ck)
    if ck.errors or school is None:
        raise InputError(ck.errors or [Problem(Location(display_name(path)), "", "not a school profile")])
    return school


# --- spreadsheets ---------------------------------------------------------------------------------

CSV_COLUMNS = ["id", "name", "nation", "language", "role_name", "logo", "checked_on",
               "dsl_name", "dsl_role", "dsl_photo", "dsl_phone", "dsl_location",
               "council_name", "council_phone", "council_hours", "council_out_of_hours", "partnership_web"]
DEPUTY_RE = re.compile(r"deputy([1-9][0-9]?)_(name|role|photo|phone|location)")


def read_csv(path: Path) -> tuple[list[tuple[int, LDict]], list[Problem]]:
    """Rows of a local authority's spreadsheet as profile mappings, with row numbers.

    UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); headers are
    matched case-insensitively with spaces as underscores.
    """
    name = display_name(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(Location(name), "", f"not UTF-8 (byte {exc.start}); export the sheet as 'CSV UTF-8'")]
    except OSError as exc:
        return [], [Problem(Location(name), "", f"cannot read: {exc.strerror}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(Location(name), "", "the file is empty")]
    except csv.Error as exc:
        return [], [Problem(Location(name, 1, 1), "", f"not a CSV file: {exc}")]
    cols = [re.sub(r"\s+", "_", h.strip().lower()) for h in header]
    problems = []
    for i, c in enumerate(cols):
        if c not in CSV_COLUMNS and not DEPUTY_RE.fullmatch(c):
            import difflib
            hint = difflib.get_close_matches(c, CSV_COLUMNS, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(Problem(Location(name, 1, i + 1), c, f"unknown column{extra}; see the README for the columns"))
    for need in ("name", "nation", "dsl_name", "council_name", "council_phone", "checked_on"):
        if need not in cols:
            problems.append(Problem(Location(name, 1, 1), need, "required column is missing"))
    if problems:
        return [], problems
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows.append((line, _row_to_profile(name, line, cols, row)))
    except csv.Error as exc:
        return [], [Problem(Location(name, reader.line_num, 1), "", f"broken CSV: {exc}")]
    return rows, []


def _mapping(loc: Location) -> LDict:
    d = LDict()
    d.loc, d.key_locs, d.value_locs = loc, {}, {}
    return d


def _row_to_profile(name: str, line: int, cols: list[str], row: list[str]) -> LDict:
    loc = Location(name, line, 1)
    prof = _mapping(loc)
    dsl, council = _mapping(loc), _mapping(loc)
    deputies: dict[int, LDict] = {}
    for i, col in enumerate(cols):
        value = row[i].strip() if i < len(row) else ""
        if value == "":
            continue
        cloc = Location(name, line, i + 1)
        m = DEPUTY_RE.fullmatch(col)
        if m:
            target, key = deputies.setdefault(int(m.group(1)), _mapping(cloc)), m.group(2)
        elif col.startswith("dsl_"):
            target, key = dsl, col[4:]
        elif col.startswith("council_"):
            target, key = council, col[8:]
        else:
            target, key = prof, col
        target[key] = value
        target.value_locs[key] = target.key_locs[key] = cloc
    if len(row) > len(cols):
        extra = [c for c in row[len(cols):] if c.strip()]
        if extra:
            prof["_extra_cells"] = extra
            prof.value_locs["_extra_cells"] = Location(name, line, len(cols) + 1)
    for key, sub in (("dsl", dsl), ("council", council)):
        if sub:
            prof[key] = sub
            prof.value_locs[key] = sub.loc
    if deputies:
        lst = LList(deputies[k] for k in sorted(deputies))
        lst.loc, lst.item_locs = loc, [deputies[k].loc for k in sorted(deputies)]
        prof["deputies"] = lst
        prof.value_locs["deputies"] = loc
    return prof


# --- joining the national content -----------------------------------------------------------------

def role_name(content: Content, school: School, chain: list[str]) -> str:
    """The profile's role_name, else the nation's name for the role in the build's language."""
    if school.role_name:
        return school.role_name
    from .lookup import resolve_in

    node, why = resolve_in(content, chain, f"roles.{school.nation}")
    if node is None or not hasattr(node, "value"):
        raise InputError([Problem(school.loc, "role_name", f"no role name for {school.nation} in "
                                  f"{content.root}/{chain[0]}/roles.yaml ({why}); add it or set role_name")])
    return node.value


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
    fields = {"name": school.name, "role_name": role_name(content, school, chain), "dsl_name": school.dsl.name}
    roles = {}  # the role's name in every language, for bilingual layouts
    for locale in content.locales:
        try:
            roles[locale] = role_name(content, school, [locale])
        except InputError:
            continue
    return dataclasses.replace(content, contacts=content.contacts | extra, school_id=school.id,
                               school_fields=fields, school_people=school.people, school_logo=school.logo,
                               school_roles=roles)
