"""UK phone number checks, using Google's ``phonenumbers`` metadata.

Why a library: UK numbering (0800 freephone, 0808, 116 xxx, 101, 999, the
18001 textphone relay prefix) has enough special cases that hand-written
patterns drift; ``phonenumbers`` carries Ofcom's plan and is well kept.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

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


def normalise(text: str) -> tuple[str | None, str | None, bool]:
    """A school's number as people type it ('01134960102', '+44 113 496 0102',
    '(0113) 496-0102', or '1134960102' after a spreadsheet dropped the 0) ->
    (printed in the standard UK grouping, why it is refused, whether a leading 0
    was restored). Short codes such as 101 are kept as they are.
    """
    raw = text.strip()
    if not re.fullmatch(r"[0-9+()\-. ]{3,25}", raw):
        return None, f"'{text}' is not a phone number (only digits, spaces, +, brackets and hyphens)", False
    digits = re.sub(r"\D", "", raw)
    if len(digits) <= 6 and not raw.startswith("+"):
        why = check_uk(digits, raw)
        return (None, why, False) if why else (digits, None, False)
    try:
        num = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None, f"'{text}' is not a UK phone number", False
    if not phonenumbers.is_valid_number_for_region(num, "GB"):
        return None, f"'{text}' is not a valid UK phone number (check the digits)", False
    printed = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    restored = not raw.startswith(("0", "+", "(0"))
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
