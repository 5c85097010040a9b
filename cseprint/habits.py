"""How people in UK schools type dates and nations, read without surprises.

Why: a school's profile is typed by office staff and exported from
spreadsheets. "England" with a capital, "Cymru", "NI", 20/11/2026 and
"20 Nov 2026" all mean one thing; refusing them teaches nothing. Dates are
always read day first (the UK order) and every date not written YYYY-MM-DD
gets a warning showing how it was read, so 03/04/2026 can never silently
become the 4th of March. What is truly unclear (11/20/2026, "UK") is refused
with a sentence saying what to write.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from typing import Any

from .errors import Location
from .schema import Checker, Field, quote

NATIONS = ("england", "wales", "scotland", "northern-ireland")
NATION_NAMES = {"england": "England", "wales": "Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland"}
_NATION_SPELLINGS = {
    "england": "england", "eng": "england",
    "wales": "wales", "cymru": "wales",
    "scotland": "scotland", "alba": "scotland",
    "northern ireland": "northern-ireland", "ni": "northern-ireland", "n ireland": "northern-ireland",
    "n i": "northern-ireland", "norn iron": "northern-ireland",
}
_WHOLE_UK = {"uk", "u k", "united kingdom", "great britain", "gb", "britain"}
_IRELAND = {"ireland", "eire", "éire", "republic of ireland", "roi"}


def read_nation(text: str) -> tuple[str | None, str | None]:
    """(nation id, None) for any everyday spelling, or (None, why it is refused)."""
    key = re.sub(r"[\s_.\-]+", " ", text.strip().lower()).strip()
    if key in _NATION_SPELLINGS:
        return _NATION_SPELLINGS[key], None
    choices = "England, Wales, Scotland or Northern Ireland"
    if key in _WHOLE_UK:
        return None, (f"{quote(text)} is the whole UK, but safeguarding law and contacts differ between its "
                      f"nations: write {choices}")
    if key in _IRELAND:
        return None, (f"{quote(text)}: this generator prints UK contacts only; for a school in Northern "
                      "Ireland write Northern Ireland")
    hint = difflib.get_close_matches(key, list(_NATION_SPELLINGS), n=1, cutoff=0.6)
    extra = f" (did you mean {NATION_NAMES[_NATION_SPELLINGS[hint[0]]]}?)" if hint else ""
    return None, f"{quote(text)} is not a UK nation{extra}; write {choices}"


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})")
_WORDS = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2}|\d{4})")
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2})?$")  # Excel's exports may add 00:00
ISO_HELP = "write it YYYY-MM-DD (e.g. 2026-11-20) or day first, e.g. 20/11/2026"


def read_date(text: str) -> tuple[dt.date | None, str | None, bool]:
    """(date, why refused, whether it needs a 'read as' warning) for a date as people type it."""
    raw = _TIME.sub("", text.strip())
    low = raw.lower()
    if m := _ISO.fullmatch(raw):
        y, mo, d = (int(g) for g in m.groups())
        return _make(text, y, mo, d, warn=False)
    if m := _NUMERIC.fullmatch(raw):
        d, mo, y = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if mo > 12 and d <= 12:
            return None, (f"{quote(text)} has no month {mo}: dates are read day first, the UK order; "
                          f"if you mean {_name(y, d, mo)}, write {mo}/{d}/{y} or {y}-{d:02d}-{mo:02d}"), False
        return _make(text, y, mo, d, warn=True)
    if m := _WORDS.fullmatch(low):
        month = MONTHS.get(m.group(2))
        if month is None:
            return None, f"{quote(text)}: {quote(m.group(2))} is not a month; {ISO_HELP}", False
        return _make(text, _year(m.group(3)), month, int(m.group(1)), warn=True)
    return None, f"{quote(text)} is not a date; {ISO_HELP}", False


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _name(y: int, mo: int, d: int) -> str:
    return f"{d} {calendar.month_name[mo]} {y}" if 1 <= mo <= 12 else f"{d}/{mo}/{y}"


def _make(text: str, y: int, mo: int, d: int, warn: bool) -> tuple[dt.date | None, str | None, bool]:
    if not 1 <= mo <= 12:
        return None, f"{quote(text)} has no month {mo}; {ISO_HELP}", False
    if not 2000 <= y <= 2099:
        return None, f"{quote(text)}: the year {y} cannot be right for a check of a school's details", False
    last = calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        return None, f"{quote(text)}: {calendar.month_name[mo]} {y} has no day {d}", False
    return dt.date(y, mo, d), None, warn


def how_read(text: str, date: dt.date) -> str:
    """The warning for a date not written YYYY-MM-DD: how it was read."""
    return (f"read {quote(text)} as {date.day} {calendar.month_name[date.month]} {date.year} (day first, the UK "
            f"order); check it, or write {date.isoformat()} to silence this")


class UKDate(Field):
    """A date from YAML (a real date) or typed as text in any UK form; warns how text was read."""

    expected = "a date, e.g. 2026-11-20 or 20/11/2026"

    def __init__(self, *, required: bool = True, default: Any = None):
        self.required, self.default = required, default

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):  # a real date from YAML: the same years as typed ones (9999-12-31 overflows)
            date, why, _ = _make(value.isoformat(), value.year, value.month, value.day, warn=False)
            return date if date else self.bad(value, loc, key, ck, why)
        if not isinstance(value, str):
            return self.bad(value, loc, key, ck)
        date, why, warn = read_date(value)
        if why:
            return self.bad(value, loc, key, ck, why)
        if warn:
            ck.warn(loc, key, how_read(value, date))
        return date


class Nation(Field):
    """A UK nation in any case and its everyday names (Cymru, NI); stored as england, wales, ..."""

    expected = "England, Wales, Scotland or Northern Ireland"

    def __init__(self, *, required: bool = True, default: Any = None):
        self.required, self.default = required, default

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if not isinstance(value, str):
            return self.bad(value, loc, key, ck)
        nation, why = read_nation(value)
        if why:
            return self.bad(value, loc, key, ck, why)
        return nation
