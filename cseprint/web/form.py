"""The school form: its fields are the batch spreadsheet's columns, and it becomes the same profile.

Nothing here is a second schema. The field list is read from the code that
reads spreadsheets (``spreadsheet.COLUMNS``, the person fields of
``schools.PERSON`` for each deputy), so a column added there appears in the
form; the form's values are turned into a profile mapping by the same
function that turns a spreadsheet row into one; and ``schools.build_school``
checks it, reporting every problem with the key it concerns. This module only
adds what a person filling in a web page needs: labels, hints, which box a
problem belongs beside, and the saved profile (YAML) that fills the form in
again next year.

Pure: no file is opened and nothing is printed. Images arrive as bytes and
leave as ``CleanImage`` (see ``images.py``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem
from ..habits import NATION_NAMES, NATIONS, read_date
from ..load import LDict
from ..schema import quote
from ..schools import ID_RE, MAX_DEPUTIES, PERSON, PROFILE, RESERVED_IDS
from ..spreadsheet import COLUMNS as CSV_COLUMNS
from ..spreadsheet import DEPUTY_RE, Sheet, row_to_profile  # a spreadsheet row -> its profile, reused as is
from .images import CleanImage

FORM_NAME = "form"  # the "file" named in the problems of a form (a spreadsheet's are its path)
DEFAULT_DEPUTIES = 2  # empty deputy boxes shown on a new form; "Add another deputy" gives more
PERSON_KEYS = tuple(PERSON.fields)  # name, role, photo, phone, location
FINISHES = (("both", "For the school's printer and for a print shop"),
            ("office", "For the school's printer only"),
            ("print-shop", "For a print shop only (with bleed and crop marks)"))


@dataclass(frozen=True)
class Field:
    """One input of the form, named exactly as its spreadsheet column."""

    name: str
    label: str
    hint: str = ""
    kind: str = "text"  # text | tel | date | url | select | file
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    width: str = "wide"  # css class: how many characters the box shows

    @property
    def is_image(self) -> bool:
        return self.kind == "file"


# Labels and hints by column (people's by their key: dsl_name and deputy3_name share "name").
# A column missing here still gets a box, labelled from its name; tests/webapp checks none is missing.
SCHOOL_TEXT = {
    "name": ("School name", "As it should appear on the posters.", "text", "wide"),
    "id": ("Short name for the files", "Lower-case letters, digits and hyphens, for example oakfield-primary. "
           "Leave it blank to make one from the school name.", "text", "medium"),
    "nation": ("Nation", "Chooses the name of the safeguarding role and the advice for your nation.", "select", "medium"),
    "role_name": ("Name of the safeguarding lead's role", "Leave it blank for your nation's usual name (in "
                  "England, Designated Safeguarding Lead).", "text", "wide"),
    "deputy_role_name": ("Name of the deputies' role", "Leave it blank for your nation's usual name (in England, "
                         "Deputy Designated Safeguarding Lead).", "text", "wide"),
    "checked_on": ("Date these names and numbers were checked", "The posters are due for a new check a year later.",
                   "date", "short"),
    "logo": ("School logo", "PNG or JPEG, up to 8 MB.", "file", "wide"),
    "language": ("Language of the posters", "The school's own posters and leaflet in this language.", "text",
                 "short"),
    "partnership_web": ("Local safeguarding partnership's website", "Starts with https://", "url", "wide"),
}
CHOICE_NAMES = {"en-GB": "English", "cy": "Welsh (Cymraeg)", "bilingual": "Welsh and English together"}
PERSON_TEXT = {
    "name": ("Full name", "", "text", "wide"),
    "role": ("Job title", "For example Deputy Headteacher.", "text", "wide"),
    "photo": ("Photo", "PNG or JPEG, up to 8 MB. A head-and-shoulders photo helps a child recognise the person.",
              "file", "wide"),
    "phone": ("Phone number", "A UK number, for example 0113 496 0101.", "tel", "medium"),
    "location": ("Where to find them", "For example Room 12, main building.", "text", "wide"),
}
COUNCIL_TEXT = {
    "name": ("Name of the council's children's services", "For example Exampleshire Council children's services.",
             "text", "wide"),
    "phone": ("Phone number in office hours", "", "tel", "medium"),
    "hours": ("Office hours", "For example Monday to Friday, 9am to 5pm.", "text", "wide"),
    "out_of_hours": ("Phone number out of hours", "The emergency duty team, nights and weekends.", "tel", "medium"),
}


def _schema(path: str) -> Any:
    """The profile schema's field for a key ("council.phone", "deputies.name"), or None."""
    node: Any = PROFILE
    for part in path.split("."):
        fields = getattr(node, "fields", None)
        if fields is None and hasattr(node, "item"):  # a list of records (deputies)
            fields = node.item.fields
        if not fields or part not in fields:
            return None
        node = fields[part]
    return node


def _required(path: str) -> bool:
    """Whether the profile schema requires this key: the form marks the others optional."""
    return bool(getattr(_schema(path), "required", False))


def _field(name: str, text: tuple[str, str, str, str] | None, required: bool) -> Field:
    if text is None:  # a column this module has no words for yet: still a labelled box
        text = (name.replace("_", " ").capitalize(), "", "text", "wide")
    label, hint, kind, width = text
    choices: tuple[tuple[str, str], ...] = ()
    if name == "nation":
        choices = tuple((n, NATION_NAMES.get(n, n)) for n in NATIONS)
    elif getattr(_schema(name), "choices", None):  # the schema lists the values (language: en-GB, cy...)
        choices = tuple((v, CHOICE_NAMES.get(v, v)) for v in _schema(name).choices)
        kind = "select"
    return Field(name, label, hint, kind, required, choices, width)


def school_fields() -> list[Field]:
    """The school's own columns (people and council apart), in the spreadsheet's order except that the
    name comes first and the file name last: what a person fills in first, and what most leave blank."""
    cols = [c for c in CSV_COLUMNS if not c.startswith(("dsl_", "council_")) and c != "partnership_web"]
    cols.sort(key=lambda c: {"name": -1, "id": 1}.get(c, 0))
    return [_field(c, SCHOOL_TEXT.get(c), _required(c)) for c in cols]


def person_fields(prefix: str) -> list[Field]:
    """``dsl`` or ``deputyN``: the person's columns, named as in the spreadsheet."""
    schema_key = "dsl" if prefix == "dsl" else "deputies"
    return [_field(f"{prefix}_{k}", PERSON_TEXT.get(k), _required(f"{schema_key}.{k}")) for k in PERSON_KEYS]


def council_fields() -> list[Field]:
    out = [_field(c, COUNCIL_TEXT.get(c.removeprefix("council_")), _required(f"council.{c.removeprefix('council_')}"))
           for c in CSV_COLUMNS if c.startswith("council_")]
    if "partnership_web" in CSV_COLUMNS:
        out.append(_field("partnership_web", SCHOOL_TEXT["partnership_web"], _required("partnership_web")))
    return out


def deputy_columns(n: int) -> list[str]:
    cols = [f"deputy{n}_{k}" for k in PERSON_KEYS]
    assert all(DEPUTY_RE.fullmatch(c) for c in cols), cols
    return cols


def all_fields(deputies: int = MAX_DEPUTIES) -> dict[str, Field]:
    """Every input the form may send, by name (deputies 1 to ``deputies``)."""
    out = {f.name: f for f in [*school_fields(), *person_fields("dsl"), *council_fields()]}
    for n in range(1, deputies + 1):
        out.update((f.name, f) for f in person_fields(f"deputy{n}"))
    return out


FIELDS = all_fields()
IMAGE_FIELDS = tuple(n for n, f in FIELDS.items() if f.is_image)
TEXT_FIELDS = tuple(n for n, f in FIELDS.items() if not f.is_image)


# --- one submission -------------------------------------------------------------------------------

@dataclass
class Entry:
    """What one form holds: text as typed, images as cleaned, the deputies shown, the files wanted."""

    values: dict[str, str] = field(default_factory=dict)
    images: dict[str, CleanImage] = field(default_factory=dict)
    deputies: list[int] = field(default_factory=lambda: list(range(1, DEFAULT_DEPUTIES + 1)))
    finish: str = "both"

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def present_deputies(self) -> list[int]:
        """Deputy numbers with anything typed or chosen, in order: the profile's deputies[0], [1], ..."""
        return [n for n in self.deputies
                if any(self.values.get(c, "").strip() or c in self.images for c in deputy_columns(n))]

    def renumbered(self) -> Entry:
        """The same entry with the deputies shown numbered 1, 2, 3... (after one is removed)."""
        values = {k: v for k, v in self.values.items() if not DEPUTY_RE.fullmatch(k)}
        images = {k: v for k, v in self.images.items() if not DEPUTY_RE.fullmatch(k)}
        for new, old in enumerate(self.deputies, start=1):
            for key in PERSON_KEYS:
                if f"deputy{old}_{key}" in self.values:
                    values[f"deputy{new}_{key}"] = self.values[f"deputy{old}_{key}"]
                if f"deputy{old}_{key}" in self.images:
                    images[f"deputy{new}_{key}"] = self.images[f"deputy{old}_{key}"]
        return Entry(values, images, list(range(1, len(self.deputies) + 1)), self.finish)


def deputies_shown(names: list[str]) -> list[int]:
    """The deputy numbers a submitted form showed (1 to MAX_DEPUTIES), from its field names."""
    shown = set()
    for name in names:
        m = DEPUTY_RE.fullmatch(name.removesuffix("_kept").removesuffix("_remove"))
        if m and 1 <= int(m.group(1)) <= MAX_DEPUTIES:
            shown.add(int(m.group(1)))
    return sorted(shown)


def default_id(name: str) -> str:
    """A usable school id from the school's name ("St Mary's C of E Primary" -> "st-marys-c-of-e-primary")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.replace("'", "").replace("\u2019", "")).strip("-")[:60].strip("-")
    if not re.fullmatch(ID_RE, slug) or slug in RESERVED_IDS or re.fullmatch(r"[a-z]{2,3}", slug):
        return "school"
    return slug


def to_profile(entry: Entry, image_names: dict[str, str]) -> LDict:
    """The profile mapping a spreadsheet row with these cells would give (``image_names``: column -> the
    file name the caller gave the cleaned image in its scratch folder).

    The lead and the council are always present, empty if nothing was typed, so the schema names each
    missing box ("council.phone: missing") rather than only the group ("council: missing").
    """
    cols, row = [], []
    for name in TEXT_FIELDS:
        m = DEPUTY_RE.fullmatch(name)
        if m and int(m.group(1)) not in entry.deputies:
            continue
        if entry.values.get(name, "").strip():
            cols.append(name)
            row.append(entry.values[name])
    for name, file_name in image_names.items():
        cols.append(name)
        row.append(file_name)
    profile = row_to_profile(FORM_NAME, 1, cols, row, Sheet())  # a form is UTF-8 and has no delimiters
    for key in ("dsl", "council"):
        if key not in profile:
            sub = LDict()
            sub.loc, sub.key_locs, sub.value_locs = profile.loc, {}, {}
            profile[key] = sub
            profile.value_locs[key] = profile.loc
    return profile


# --- problems beside their boxes --------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A problem as the page shows it: beside ``field`` (None: only in the summary at the top)."""

    field: str | None
    message: str
    warning: bool = False


def place(problems: list[Problem], entry: Entry) -> list[Shown]:
    """Put each problem beside the box it is about, from its key (``deputies[1].phone`` -> the second
    deputy who has anything typed, e.g. ``deputy3_phone``)."""
    present = entry.present_deputies()
    out = []
    for p in problems:
        name = field_for(p.key, present)
        message = plain(p.message) if name or not p.key else f"{p.key}: {p.message}"  # say which poster, box...
        out.append(Shown(name, message, p.warning))
    return out


def field_for(key: str, present: list[int]) -> str | None:
    m = re.fullmatch(r"deputies\[(\d+)\](?:\.(\w+))?", key)
    if m:
        i = int(m.group(1))
        if i >= len(present):
            return None
        return f"deputy{present[i]}_{m.group(2) or 'name'}"
    if key in ("dsl", "council"):
        return f"{key}_name"
    if "." in key:
        group, sub = key.split(".", 1)
        name = f"{group}_{sub}"
        return name if name in FIELDS else None
    return key if key in FIELDS else None


def plain(message: str) -> str:
    """The schema's wording for a missing key, said as a form says it."""
    if message.startswith("missing; expected"):
        return "Fill this in."
    return message[:1].upper() + message[1:]


# --- the saved profile ------------------------------------------------------------------------------

SAVED_HEADER = """\
# The profile of {name}, saved by the web form on {date}.
# Next year: open the web form, choose this file (or the whole zip) under "Load a saved
# profile", check every entry and make a new pack.
# With the command line: copy what is in the zip's folder profile/ into content/ (so this
# file becomes content/schools/{id}.yaml) and run:
#   python generate.py build --school content/schools/{id}.yaml
"""


def profile_yaml(entry: Entry, school_id: str, image_paths: dict[str, str], today: dt.date) -> str:
    """The entry as a school profile file (``image_paths``: column -> path inside content/)."""
    raw = to_profile(entry, image_paths)
    data = _plain(raw, tuple(PROFILE.fields))
    data["id"] = school_id
    for key in ("dsl", "council"):
        if not data.get(key):
            data.pop(key, None)
    if isinstance(data.get("checked_on"), str):
        try:
            data["checked_on"] = dt.date.fromisoformat(data["checked_on"])
        except ValueError:
            pass
    ordered = {"id": data.pop("id"), **data}
    header = SAVED_HEADER.format(name=_one_line(entry.value("name")), date=today.isoformat(), id=school_id)
    return header + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:120]


def _plain(value: Any, order: tuple[str, ...] = ()) -> Any:
    """Plain dicts and lists (for yaml.safe_dump), keys in the schema's order: a file a person can read."""
    if isinstance(value, dict):
        keys = [k for k in order if k in value] + [k for k in value if k not in order]
        inner = {"dsl": PERSON_KEYS, "deputies": PERSON_KEYS, "council": tuple(PROFILE.fields["council"].fields)}
        return {str(k): _plain(value[k], inner.get(str(k), ())) for k in keys}
    if isinstance(value, list):
        return [_plain(v, order) for v in value]
    return value


@dataclass
class Loaded:
    """A saved profile turned back into form values: the photos it names are looked up by the caller."""

    entry: Entry
    photos: dict[str, str]  # column -> the path the profile names (never opened: only a zip's members)
    problems: list[Shown]


def from_profile(raw: Any, name: str) -> Loaded:
    """Form values from a loaded profile mapping (as ``load.load_yaml_text`` gives); what does not fit the
    form is reported, not dropped silently."""
    entry = Entry(deputies=[])
    photos: dict[str, str] = {}
    problems: list[Shown] = []
    if not isinstance(raw, dict):
        return Loaded(Entry(), {}, [Shown("profile", f"{name} is not a school profile (it holds no keys and values)")])

    def put(column: str, value: Any, key: str) -> None:
        fld = FIELDS.get(column)
        if fld is None:
            problems.append(Shown(None, f"{name}: {key}: not a box of this form; left out"))
            return
        if value is None:
            return
        if isinstance(value, (dict, list)):
            problems.append(Shown(column, f"{name}: {key}: expected a single value; left out"))
            return
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if fld.kind == "date":  # "20/11/2026" in a profile typed by hand: a date box holds only 2026-11-20
            day, _, _ = read_date(text)
            if day is None:
                problems.append(Shown(column, f"{name}: {key}: {quote(text)} is not a date this form can show; "
                                              "choose the date again"))
                return
            text = day.isoformat()
        if fld.is_image:
            photos[column] = text
        else:
            entry.values[column] = text

    for key, value in raw.items():
        key = str(key)
        if key in ("dsl", "council") and isinstance(value, dict):
            for sub, v in value.items():
                put(f"{key}_{sub}", v, f"{key}.{sub}")
        elif key == "deputies" and isinstance(value, list):
            for i, person in enumerate(value[:MAX_DEPUTIES]):
                if not isinstance(person, dict):
                    problems.append(Shown(None, f"{name}: deputies[{i}]: expected a person's name, role...; left out"))
                    continue
                entry.deputies.append(i + 1)
                for sub, v in person.items():
                    put(f"deputy{i + 1}_{sub}", v, f"deputies[{i}].{sub}")
            if len(value) > MAX_DEPUTIES:
                problems.append(Shown(None, f"{name}: deputies: {len(value)} deputies; the form holds "
                                            f"{MAX_DEPUTIES}, the rest are left out"))
        elif key in ("dsl", "council", "deputies"):
            problems.append(Shown(None, f"{name}: {key}: not in the form a profile writes it; left out"))
        else:
            put(key, value, key)
    if not entry.deputies:
        entry.deputies = list(range(1, DEFAULT_DEPUTIES + 1))
    return Loaded(entry, photos, problems)


__all__ = ["Entry", "Field", "FIELDS", "IMAGE_FIELDS", "TEXT_FIELDS", "Loaded", "Shown", "from_profile",
           "place", "profile_yaml", "to_profile", "default_id", "deputies_shown"]
