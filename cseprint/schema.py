"""A small declarative schema, after mkdocs' config options.

Each field knows its type and limits and converts a loaded YAML value into a
Python value. Every problem is collected in a ``Checker`` rather than raised, so
one run reports all mistakes in all files together. Messages quote the bad
value and say what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import Location, Problem
from .load import LDict, LList
from .terminal import escape

MISSING: Any = object()
LOCALE_RE = r"[a-z]{2,3}(-[A-Z]{2})?"
ID_RE = r"[a-z0-9][a-z0-9-]*"


def quote(value: Any, limit: int = 60) -> str:
    """Quote a user's value for a message, shortened and with controls made visible."""
    text = escape(repr(value) if not isinstance(value, str) else value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass
class Checker:
    """Collects problems; ``where`` turns (container, key) into a location."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, loc: Location | None, key: str, message: str) -> None:
        self.problems.append(Problem(loc, key, message))

    def warn(self, loc: Location | None, key: str, message: str) -> None:
        self.problems.append(Problem(loc, key, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


class Field:
    """Base: subclasses convert ``value`` or report and return MISSING."""

    required = True
    default: Any = None
    expected = "a value"

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        raise NotImplementedError

    def bad(self, value: Any, loc: Location, key: str, ck: Checker, why: str | None = None) -> Any:
        ck.error(loc, key, why or f"got {type_name(value)} {quote(value)}; expected {self.expected}")
        return MISSING


def clean_text(value: str) -> tuple[str, str | None]:
    """Normalise text to NFC and say why it is unacceptable, if it is.

    NFC first, so "w" + combining circumflex becomes the single letter "ŵ" that
    the font's character map can be checked for.
    """
    text = unicodedata.normalize("NFC", value)
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\n":
            continue
        if cat in ("Cc", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            return text, f"contains the invisible control character U+{ord(ch):04X}; delete it"
        if cat == "Cf":
            return text, f"contains the invisible formatting character U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}); delete it"
        if unicodedata.bidirectional(ch) in ("R", "AL", "AN"):
            return text, (f"contains right-to-left text ({unicodedata.name(ch, 'unnamed').split(' ')[0].title()} script, "
                          f"'{ch}'), which this generator cannot yet print correctly (letters must join and words "
                          "run right to left); it is refused rather than printed garbled")
    return text, None


class Str(Field):
    def __init__(self, *, required: bool = True, default: Any = None, choices: tuple[str, ...] | None = None,
                 pattern: str | None = None, pattern_help: str = "", max_len: int = 2000, multiline: bool = True,
                 allow_empty: bool = False):
        self.required, self.default = required, default
        self.choices, self.max_len, self.multiline, self.allow_empty = choices, max_len, multiline, allow_empty
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help = pattern_help
        self.expected = "one of " + ", ".join(choices) if choices else (pattern_help or "text")

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value is None:
            return self.bad(value, loc, key, ck)
        if not isinstance(value, str):
            if self.choices or self.pattern:
                value = str(value)
            else:
                return self.bad(value, loc, key, ck, f"got the number {value}; put text in quotes (e.g. \"{value}\")")
        text, why = clean_text(value)
        if why:
            return self.bad(value, loc, key, ck, why)
        if not text.strip() and not self.allow_empty:
            return self.bad(value, loc, key, ck, "is empty; write the text or remove the key")
        if len(text) > self.max_len:
            return self.bad(value, loc, key, ck, f"is {len(text)} characters long; the limit is {self.max_len}")
        if not self.multiline and "\n" in text.strip():
            return self.bad(value, loc, key, ck, "must be on one line")
        if self.choices and text not in self.choices:
            hint = difflib.get_close_matches(text, self.choices, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            return self.bad(value, loc, key, ck, f"{quote(text)} is not allowed{extra}; expected one of: {', '.join(self.choices)}")
        if self.pattern and not self.pattern.fullmatch(text):
            return self.bad(value, loc, key, ck, f"{quote(text)} is not valid; expected {self.pattern_help}")
        return text.strip() if not self.multiline else text


class Num(Field):
    def __init__(self, *, required: bool = True, default: Any = None, min: float | None = None,
                 max: float | None = None, integer: bool = False, unit: str = ""):
        self.required, self.default, self.min, self.max, self.integer, self.unit = required, default, min, max, integer, unit
        self.expected = ("a whole number" if integer else "a number") + (f" in {unit}" if unit else "")

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.bad(value, loc, key, ck)
        if self.integer and not float(value).is_integer():
            return self.bad(value, loc, key, ck)
        if value != value or value in (float("inf"), float("-inf")):
            return self.bad(value, loc, key, ck)
        lo = "" if self.min is None else self.min
        hi = "" if self.max is None else self.max
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            return self.bad(value, loc, key, ck, f"{value} is out of range; expected {self.expected} from {lo} to {hi}")
        return int(value) if self.integer else float(value)


class Bool(Field):
    expected = "true or false"

    def __init__(self, *, required: bool = True, default: Any = None, nullable: bool = False):
        self.required, self.default, self.nullable = required, default, nullable
        if nullable:
            self.expected = "true, false or null"

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if value is None and self.nullable:
            return None
        if not isinstance(value, bool):
            return self.bad(value, loc, key, ck)
        return value


class Date(Field):
    expected = "a date written YYYY-MM-DD"
    # a checked or review date outside these is a typo (and 9999-12-31 plus a year would not be a date at all)
    EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)

    def __init__(self, *, required: bool = True, default: Any = None):
        self.required, self.default = required, default

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        got = self.parse(value)
        if got is None:
            return self.bad(value, loc, key, ck)
        if not self.EARLIEST <= got <= self.LATEST:
            return self.bad(value, loc, key, ck, f"{got.isoformat()} is not a plausible date; expected one from "
                            f"{self.EARLIEST.year} to {self.LATEST.year}")
        return got

    @staticmethod
    def parse(value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return None


class Any_(Field):
    """Accept anything; a later, more specific check looks at it."""

    def __init__(self, *, required: bool = True, default: Any = None):
        self.required, self.default = required, default

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        return value


class ListOf(Field):
    def __init__(self, item: Field, *, required: bool = True, default: Any = None, min_items: int = 0,
                 max_items: int = 500, scalar_ok: bool = False):
        self.item, self.required, self.default = item, required, default
        self.min_items, self.max_items, self.scalar_ok = min_items, max_items, scalar_ok
        self.expected = f"a list of {item.expected}"

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if self.scalar_ok and not isinstance(value, list):
            value = LList([value])
            value.loc, value.item_locs = loc, [loc]
        if not isinstance(value, list):
            return self.bad(value, loc, key, ck)
        if len(value) < self.min_items:
            return self.bad(value, loc, key, ck, f"has {len(value)} items; at least {self.min_items} needed")
        if len(value) > self.max_items:
            return self.bad(value, loc, key, ck, f"has {len(value)} items; at most {self.max_items} allowed")
        out = []
        ok = True
        for i, item in enumerate(value):
            item_loc = value.loc_of(i) if isinstance(value, LList) else loc
            got = self.item.check(item, item_loc, f"{key}[{i}]", ck)
            ok = ok and got is not MISSING
            out.append(got)
        return out if ok else MISSING


class Record(Field):
    """A mapping with declared keys; unknown keys get a 'did you mean'."""

    def __init__(self, fields: dict[str, Field], *, required: bool = True, default: Any = None,
                 build: Callable[..., Any] | None = None, expected: str = "a mapping of keys to values"):
        self.fields, self.required, self.default, self.build = fields, required, default, build
        self.expected = expected

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if not isinstance(value, dict):
            return self.bad(value, loc, key, ck)
        out: dict[str, Any] = {"_loc": loc, "_key": key}
        ok = True
        names = list(self.fields)
        for k in value:
            if k not in self.fields:
                kloc = value.key_loc(k) if isinstance(value, LDict) else loc
                hint = difflib.get_close_matches(str(k), names, n=1, cutoff=0.6)
                extra = f"did you mean '{hint[0]}'? " if hint else ""
                ck.error(kloc, join(key, k), f"unknown key; {extra}expected one of: {', '.join(names)}")
                ok = False
        for name, fld in self.fields.items():
            sub = join(key, name)
            if name not in value:
                if fld.required:
                    ck.error(loc, sub, f"missing; expected {fld.expected}")
                    ok = False
                out[name] = fld.default
                continue
            vloc = value.loc_of(name) if isinstance(value, LDict) else loc
            got = fld.check(value[name], vloc, sub, ck)
            if got is MISSING:
                ok = False
            out[name] = got
        if not ok:
            return MISSING
        return self.build(**out) if self.build else out


class MapOf(Field):
    """A mapping whose keys are ids (checked by pattern) and values share one field."""

    def __init__(self, value: Field, *, key_pattern: str = r"[a-z0-9][a-z0-9-]*",
                 key_help: str = "lower-case letters, digits and hyphens", required: bool = True, default: Any = None,
                 min_items: int = 0):
        self.value, self.required, self.default, self.min_items = value, required, default, min_items
        self.key_pattern, self.key_help = re.compile(key_pattern), key_help
        self.expected = f"a mapping of ids to {value.expected}"

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        if not isinstance(value, dict):
            return self.bad(value, loc, key, ck)
        if len(value) < self.min_items:
            return self.bad(value, loc, key, ck, f"has {len(value)} entries; at least {self.min_items} needed")
        out: dict[str, Any] = {}
        ok = True
        for k, v in value.items():
            sub = join(key, k)
            if not self.key_pattern.fullmatch(str(k)):
                kloc = value.key_loc(k) if isinstance(value, LDict) else loc
                ck.error(kloc, sub, f"id {quote(str(k))} is not valid; ids use {self.key_help}")
                ok = False
                continue
            vloc = value.loc_of(k) if isinstance(value, LDict) else loc
            got = self.value.check(v, vloc, sub, ck)
            if got is MISSING:
                ok = False
            out[str(k)] = got
        return out if ok else MISSING


def join(key: str, name: Any) -> str:
    return f"{key}.{name}" if key else str(name)


def unknown(what: str, name: str, known: Any) -> str:
    """'unknown style 'bdy'; did you mean 'body'? known: ...' for a name that is not among ``known``."""
    hint = difflib.get_close_matches(name, list(known), n=1)
    extra = f"did you mean '{hint[0]}'? " if hint else ""
    return f"unknown {what} {quote(name)}; {extra}known: {', '.join(sorted(known))}"
