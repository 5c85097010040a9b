"""UK phone number checks, using Google's ``phonenumbers`` metadata.

Why a library: UK numbering (0800 freephone, 0808, 116 xxx, 101, 999, the
18001 textphone relay prefix) has enough special cases that hand-written
patterns drift; ``phonenumbers`` carries Ofcom's plan and is well kept.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

from .terminal import quote

PRINTED_RE = re.compile(r"[0-9]+( [0-9]+)*")
RELAY_PREFIX = "18001"  # Relay UK: textphone users dial 18001 before the number


def check_pair(printed: str, dialled: str, *, textphone: bool = False) -> str | None:
    """Return why the printed and dialled forms are wrong or disagree, or None."""
    if not PRINTED_RE.fullmatch(printed):
        return (f"'{printed}' is not printed as digits in groups separated by single spaces "
                "(e.g. '0808 800 5000')")
    digits = printed.replace(" ", "")
    dial = dialled.removeprefix("+44")
    if dialled.startswith("+44"):
        dial = "0" + dial
    if digits != dial:
        return f"printed '{printed}' and dialled '{dialled}' are different numbers"
    number = digits
    if textphone:
        if not number.startswith(RELAY_PREFIX):
            return f"'{printed}' is not a Relay UK textphone number (they start {RELAY_PREFIX})"
        number = number[len(RELAY_PREFIX):]
    return check_uk(number, printed)


# What a school or council may print as its own number, by how the number begins (Ofcom's
# National Telephone Numbering Plan). Anything else is refused with the reason, so that a
# worried parent or a child is never sent to a number that costs a fortune, forwards
# elsewhere, or is not the school's at all.
SCHOOL_RANGES_HELP = "a school's or council's own number: 01, 02, 03, 0800, 0808 or a mobile (07)"
SHORT_CODES = {
    "999": "the emergency number",
    "112": "the emergency number",
    "101": "the police non-emergency number",
    "111": "the NHS non-emergency number",
    "105": "the power cut line",
    "100": "the operator",
}
REFUSED_PREFIXES = [  # (prefix, what it is); the longest matching prefix wins
    ("09", "a premium-rate number (09): callers pay a high charge, and many phones, children's "
           "especially, cannot call it"),
    ("070", "a personal number (070): it forwards calls elsewhere and can cost callers far more than an "
            "ordinary call"),
    ("076", "a pager number (076): it cannot take a call"),
    ("087", "a service-charge number (087x): callers pay an extra charge on top of the call"),
    ("084", "a service-charge number (084x): callers pay an extra charge on top of the call"),
    ("055", "a corporate number (055): callers pay a high charge"),
    ("056", "an internet-phone number (056): not every phone can call it"),
    ("0500", "in a freephone range that has been withdrawn (0500)"),
]
ALLOWED_PREFIXES = ("01", "02", "03", "0800", "0808", "07")


def school_number_problem(digits: str, typed: str) -> str | None:
    """Why a number (digits only, national form) cannot be printed as a school's or council's, or None."""
    shown = quote(typed)
    if len(digits) <= 6:
        if digits in SHORT_CODES:
            what = SHORT_CODES[digits]
            return (f"{shown} is {what}, not the school's or council's own; the national posters print it "
                    f"already. Give {SCHOOL_RANGES_HELP}")
        if digits.startswith("118"):
            return (f"{shown} is a directory enquiries number (118): calls are charged at a high rate. "
                    f"Give {SCHOOL_RANGES_HELP}")
        if digits.startswith("116"):
            return (f"{shown} is a national helpline (116 xxx), not the school's or council's own. "
                    f"Give {SCHOOL_RANGES_HELP}")
        return f"{shown} is a short code, not a full phone number. Give {SCHOOL_RANGES_HELP}"
    for prefix, what in sorted(REFUSED_PREFIXES, key=lambda p: -len(p[0])):
        if digits.startswith(prefix):
            return f"{shown} is {what}. Give {SCHOOL_RANGES_HELP}"
    if not digits.startswith(ALLOWED_PREFIXES):
        return f"{shown} is not {SCHOOL_RANGES_HELP}"
    return None


def normalise(text: str) -> tuple[str | None, str | None, bool]:
    """A school's or council's number as people type it ('01134960102', '+44 113 496 0102',
    '(0113) 496-0102', or '1134960102' after a spreadsheet dropped the 0) ->
    (printed in the standard UK grouping, why it is refused, whether a leading 0
    was restored). Only the ranges in ALLOWED_PREFIXES are accepted (see
    school_number_problem), and the number must be allocated in the plan.
    """
    raw = text.strip()
    if not re.fullmatch(r"[0-9+()\-. ]{3,25}", raw):
        return None, f"{quote(text)} is not a phone number (only digits, spaces, +, brackets and hyphens)", False
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        if not digits.startswith("44"):
            return None, f"'{text}' is not a UK number (UK numbers start +44)", False
        national = "0" + digits[2:].removeprefix("0")  # +44 (0)113 ... as some people write it
    elif digits.startswith("0044"):
        national = "0" + digits[4:]
    else:
        national = digits
    restored = len(national) >= 9 and not national.startswith("0")  # a spreadsheet dropped the 0
    if restored:
        national = "0" + national
    why = school_number_problem(national, text)
    if why:
        return None, why, False
    try:
        num = phonenumbers.parse(national, "GB")
    except phonenumbers.NumberParseException:
        return None, f"'{text}' is not a UK phone number", False
    if not phonenumbers.is_valid_number_for_region(num, "GB"):
        return None, f"'{text}' is not a valid UK phone number (check the digits)", False
    printed = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    return printed, None, restored


def check_uk(digits: str, printed: str) -> str | None:
    """A full UK number (valid per the numbering plan) or a UK short code."""
    try:
        num = phonenumbers.parse(digits, "GB")
    except phonenumbers.NumberParseException:
        return f"'{printed}' is not a UK phone number"
    if len(digits) <= 6:
        if shortnumberinfo.is_valid_short_number_for_region(num, "GB"):
            return None
        return f"'{printed}' is not a valid UK short number"
    if phonenumbers.is_valid_number_for_region(num, "GB"):
        return None
    return f"'{printed}' is not a valid UK phone number (check the digits)"
