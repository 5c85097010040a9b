"""One small exception tree. Only the CLI turns these into messages and exit codes.

Every user-facing problem carries where it came from (file, line, column) and the
key path inside the data, so the message can read
``content/contacts.yaml:12:5: contacts.nspcc.phone: ...``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was read: a file and a 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs, reported together with its siblings."""

    location: Location | None
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class CsePrintError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(CsePrintError):
    """The inputs (content, layouts, fonts, options) are wrong: exit status 1.

    Holds every problem found, not just the first, so a user fixes them all in
    one round instead of re-running once per mistake.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            dict.fromkeys(problems),  # one mistake reached twice (a base layout and its extension) is one problem
            key=lambda p: (p.location or Location(""), p.key, p.message),
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class PreflightError(InputError):
    """The composed document would print badly (text cut off, tiny QR code...)."""


class VerifyError(CsePrintError):
    """A written PDF failed its read-back check: this is a bug, not a user error.

    It still aborts the build before anything reaches ``output/``.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class OutputError(CsePrintError):
    """The output folder cannot be written as asked (read-only or full disk, a file of the user's in
    the way, another tool's manifest): exit status 1, with a plain sentence saying what to do."""
