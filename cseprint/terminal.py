"""Text that is safe to show on a terminal.

Why: messages echo what people typed or what a file holds (school ids, CSV
headers, YAML keys, file names). A value holding an escape sequence
(``ESC [2J`` clears the screen, ``ESC ]8;;`` makes a link, U+202E turns the
rest of a line backwards) would otherwise act on the terminal instead of
being shown. Every value is quoted where it is echoed (``quote``), and every
line the CLI prints passes through ``visible`` as a last guard, so nothing a
file holds can reach the terminal as a control code.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

# Characters that change how text is shown without being control characters:
# bidirectional overrides and isolates (the "Trojan Source" characters).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escape_char(ch: str) -> str:
    """One character as a visible escape, the way Python writes it: \\x1b, \\u202e."""
    n = ord(ch)
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if ch == "\n":
        return "\\n"
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def unsafe(ch: str) -> bool:
    """Would this character act on a terminal, or be invisible, rather than show as itself?"""
    if ch in BIDI_CONTROLS:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def escape(text: str) -> str:
    """``text`` with every unsafe character (newlines and tabs included) written as an escape."""
    return "".join(escape_char(ch) if unsafe(ch) else ch for ch in text)


def quote(value: Any, limit: int = 60) -> str:
    """A value for a message: in single quotes, escapes visible, shortened past ``limit`` characters."""
    text = escape(value if isinstance(value, str) else str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def visible(line: str) -> str:
    """A whole message made safe to print: line breaks and tabs kept, every other control shown as an escape."""
    return "\n".join("\t".join(escape(part) for part in ln.split("\t")) for ln in line.split("\n"))


class SafeStream:
    """A text stream that shows control characters as escapes (see ``visible``) and never fails on a
    character the terminal's encoding lacks (a Windows console in cp1252 has no 'ŵ': it prints '\\u0175')."""

    def __init__(self, raw: Any):
        self.raw = raw

    def write(self, text: str) -> int:
        safe = visible(text)
        try:
            self.raw.write(safe)
        except UnicodeEncodeError:
            enc = getattr(self.raw, "encoding", None) or "ascii"
            self.raw.write(safe.encode(enc, "backslashreplace").decode(enc))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding... as the real stream
        return getattr(self.raw, name)


@contextlib.contextmanager
def safe_streams() -> Iterator[tuple[Any, Any]]:
    """Route ``sys.stdout`` and ``sys.stderr`` through SafeStream; yields the raw (stdout, stderr) for a
    progress bar, which draws with carriage returns on purpose."""
    raw_out, raw_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(raw_out), SafeStream(raw_err)
    try:
        yield raw_out, raw_err
    finally:
        sys.stdout, sys.stderr = raw_out, raw_err
