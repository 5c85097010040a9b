"""The tiny markup that content text may use, and {contact.field} placeholders.

Why our own parser: reportlab's paragraph markup is a language (``<img src>``
reads local files, ``<font>`` changes sizes, ``&`` and ``<`` break it). Content
text is never handed to it. We accept exactly ``<b>``, ``<i>`` and ``<br>``;
every other character, ``&``, ``<`` and ``>`` included, prints literally.

Numbers and addresses come only from the contacts registry through
placeholders such as ``{nspcc.phone}``; a text that types a phone number, web
address or email itself is refused, so one fix in the registry fixes every
product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Location
from .models import Contact, Edition, Text
from .schema import Checker, quote

TOKEN_RE = re.compile(r"<(/?)([bi])>|<br\s*/?>|\{\{|\}\}|\{([^{}\n]{0,80})\}")
PLACEHOLDER_RE = re.compile(r"([a-z0-9][a-z0-9-]*)\.([a-z_]+)")
CONTACT_FIELDS = ("name", "short_name", "phone", "textphone", "email", "web", "hours")
EDITION_FIELDS = ("version", "date", "checked")  # checked: the oldest verified_on of the confirmed contacts
SCHOOL_FIELDS = ("name", "role_name", "deputy_role_name", "dsl_name")  # from a school profile (see schools.py)
NATION = "nation"  # {nation.KEY}: the build's nation's text (content/<locale>/nations.yaml; keys checked there)
SCHOOL_CONTACT_PREFIX = "school-"  # contacts a school profile adds: school-council, school-council-ooh, ...

# Literal contact details that must come from the registry instead. They are matched on the
# text after letter_o_as_zero, so "O8OO 1111" is seen as the number it spells; digits may be
# separated by spaces, dots or hyphens ("0 8 0 8 8 0 0 5 0 0 0", "0808.800.5000").
LITERAL_PATTERNS = [
    (re.compile(r"(?<![\d.,£$€])(?:\+\s?4\s?4\s?\(?\s?0?\s?\)?\s?\d|0)(?:[\s.\-]{0,3}\d){6,11}(?!\d)"),
     "a phone number"),
    (re.compile(r"(?<![\d.,£$€])\b(?:9[ .]?9[ .]?9|1[ .]?1[ .]?2|1 ?0 ?1|1 ?1 ?1|1 ?0 ?5|1 ?1 ?6(?: ?\d){3}"
                r"|1 ?8 ?0 ?0 ?1\s?\d{3,11})\b(?![.,]?\d)"), "a phone number"),
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "an email address"),
    (re.compile(r"(?i)\b(?:https?://|www\.)\S+"), "a web address"),
    (re.compile(r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|police|nhs|ac|co|uk|wales|scot)(?:\.uk)?\b(?:/\S*)?"),
     "a web address"),
]
# What a phone pattern may match that is not a number: a date written with dots or slashes.
NOT_A_NUMBER = re.compile(r"\d{1,2}([./\-])\d{1,2}\1\d{2,4}")
_DIGIT_RUN = re.compile(r"(?<![^\W\d_])[0-9Oo](?:[ .\-]?[0-9Oo])+(?![^\W\d_])")


def letter_o_as_zero(text: str) -> str:
    """``text`` with the letter O read as zero wherever it stands among digits ("O8OO 1111" -> "0800 1111").

    Only inside a run of digits and Os (separated by at most one space, dot or
    hyphen) that holds at least two real digits and touches no other letter,
    so "O level", "Ooh" and "O2" are left alone. The length never changes, so
    a match in the result points at the same characters in ``text``.
    """
    def swap(m: re.Match) -> str:
        run = m.group(0)
        return run.replace("O", "0").replace("o", "0") if sum(ch.isdigit() for ch in run) >= 2 else run

    return _DIGIT_RUN.sub(swap, text)


def literal_contact(flat: str) -> tuple[str, str] | None:
    """(what, the text as written) for the first number or address typed into ``flat``, or None."""
    canon = letter_o_as_zero(flat)
    for pattern, what in LITERAL_PATTERNS:
        for m in pattern.finditer(canon):
            if what == "a phone number" and NOT_A_NUMBER.fullmatch(m.group(0).strip()):
                continue
            return what, flat[m.start():m.end()].strip()
    return None


@dataclass(frozen=True)
class Span:
    """A run of text in one style. ``nobreak`` spans (numbers, addresses) stay whole."""

    text: str
    bold: bool = False
    italic: bool = False
    nobreak: bool = False
    url: bool = False
    contact: str | None = None
    school: bool = False  # came from the school profile


LINE_BREAK = Span("\n")


def check_markup(text: str, key: str, loc: Location, ck: Checker) -> None:
    """Report unbalanced tags and literal numbers/addresses in plain text."""
    open_tags: list[str] = []
    plain: list[str] = []
    pos = 0
    for m in TOKEN_RE.finditer(text):
        plain.append(text[pos:m.start()])
        pos = m.end()
        close, tag = m.group(1), m.group(2)
        if tag:
            if close:
                if not open_tags or open_tags[-1] != tag:
                    ck.error(loc, key, f"</{tag}> closes nothing; tags must be opened and closed in order")
                    return
                open_tags.pop()
            else:
                if tag in open_tags:
                    ck.error(loc, key, f"<{tag}> inside <{tag}>; close the first one before opening another")
                    return
                open_tags.append(tag)
        plain.append("" if tag else " ")  # <b>0808</b> 800 5000 is still one number
    plain.append(text[pos:])
    if open_tags:
        ck.error(loc, key, f"<{open_tags[-1]}> is never closed; add </{open_tags[-1]}>")
    found = literal_contact("".join(plain))
    if found:
        what, typed = found
        ck.error(loc, key, f"contains {what} typed into the text ({quote(typed)}); numbers and "
                 "addresses must come from contacts.yaml through a placeholder such as {nspcc.phone}")


def check_placeholders(text: Text, contacts: dict[str, Contact], ck: Checker,
                       skip: frozenset[str] | set[str] = frozenset()) -> None:
    """Every {contact.field} must name a real contact and a field it has (``skip``: contacts
    already reported as broken, so one mistake is not reported again for each text naming it)."""
    for m in TOKEN_RE.finditer(text.value):
        ph = m.group(3)
        if ph is None or ph.strip().split(".")[0] in skip:
            continue
        why = _placeholder_problem(ph, contacts)
        if why:
            ck.error(text.loc, text.key, why)


def _placeholder_problem(ph: str, contacts: dict[str, Contact]) -> str | None:
    pm = PLACEHOLDER_RE.fullmatch(ph.strip())
    if not pm:
        return (f"{{{ph}}} is not a placeholder; write {{contact.field}} such as {{nspcc.phone}}, "
                "or {{ and }} for literal braces")
    cid, fld = pm.groups()
    if cid == "edition":
        return None if fld in EDITION_FIELDS else f"{{{ph}}}: the edition has only {', '.join(EDITION_FIELDS)}"
    if cid == "school":
        return None if fld in SCHOOL_FIELDS else f"{{{ph}}}: a school has only {', '.join(SCHOOL_FIELDS)}"
    if cid == NATION:
        return None
    if cid.startswith(SCHOOL_CONTACT_PREFIX) and cid not in contacts:
        return None if fld in CONTACT_FIELDS else f"{{{ph}}}: '{fld}' is not a contact field"
    if cid not in contacts:
        import difflib
        hint = difflib.get_close_matches(cid, list(contacts), n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"{{{ph}}} names an unknown contact '{cid}'{extra}"
    if fld not in CONTACT_FIELDS:
        return f"{{{ph}}}: '{fld}' is not a contact field; use one of {', '.join(CONTACT_FIELDS)}"
    if getattr(contacts[cid], fld) is None:
        return f"{{{ph}}}: contact '{cid}' has no {fld}"
    return None


class NeedsSchool(LookupError):
    """A text names school details ({school.name}, {school-council.phone}) but no profile was given."""


def parse(text: str, contacts: dict[str, Contact], edition: Edition, *, bold: bool = False,
          italic: bool = False, school: dict[str, str] | None = None,
          nation: dict[str, Text] | None = None, used: set[str] | None = None) -> list[Span]:
    """Turn validated text into spans. Placeholders become nobreak spans.

    ``nation`` maps each {nation.KEY} to the build's nation's text, which is parsed in
    turn (it may name contacts, never another nation text); the keys of the nation
    texts used are added to ``used``, so governance can see what was printed.
    """
    spans: list[Span] = []
    b, i = bold, italic
    pos = 0

    def plain(s: str) -> None:
        if s:
            spans.append(Span(s, b, i))

    for m in TOKEN_RE.finditer(text):
        plain(text[pos:m.start()])
        pos = m.end()
        tok = m.group(0)
        if m.group(2):
            on = not m.group(1)
            if m.group(2) == "b":
                b = on or bold
            else:
                i = on or italic
        elif tok.startswith("<br"):
            spans.append(LINE_BREAK)
        elif tok == "{{":
            plain("{")
        elif tok == "}}":
            plain("}")
        else:
            cid, fld = m.group(3).strip().split(".")
            if cid == "edition":
                value = getattr(edition, fld)
                value = "(never)" if value is None else str(value)  # no confirmed contact at all
                spans.append(Span(value, b, i, nobreak=True))
            elif cid == NATION:
                if not nation or fld not in nation:
                    raise NeedsSchool(f"{{{cid}.{fld}}}")
                if used is not None:
                    used.add(nation[fld].key)
                spans.extend(parse(nation[fld].value, contacts, edition, bold=b, italic=i, school=school))
            elif cid == "school":
                if not school or not school.get(fld):
                    raise NeedsSchool(f"{{{cid}.{fld}}}")
                spans.append(Span(school[fld], b, i, nobreak=False, school=True))
            else:
                if cid not in contacts or getattr(contacts[cid], fld) is None:
                    raise NeedsSchool(f"{{{cid}.{fld}}}")
                value = getattr(contacts[cid], fld)
                # numbers and addresses stay whole; names and opening hours are words and may wrap
                spans.append(Span(value, b, i, nobreak=fld not in ("name", "hours"), url=fld == "web", contact=cid))
    plain(text[pos:])
    return spans
