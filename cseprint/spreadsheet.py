"""A local authority's spreadsheet of schools, read the way spreadsheets are really saved.

Why its own module: a CSV exported by Excel, LibreOffice or Google Sheets
varies in ways a person cannot see: the delimiter (a semicolon where the
decimal mark is a comma, a tab from "Unicode Text"), the encoding (UTF-8,
with or without a byte-order mark, or Windows-1252 from "CSV (Comma
delimited)"), blank columns the program carried along, and a comma typed
into a cell that was never quoted. Each is handled or explained here, so
``schools.py`` deals only with what a row means.

``COLUMNS`` is the one list of column names: the README's table, the web
form's fields and the checks all come from it.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, Problem
from .habits import read_date, read_nation
from .load import LDict, LList, display_name
from .terminal import quote

COLUMNS = ["id", "name", "nation", "language", "role_name", "deputy_role_name", "logo", "checked_on",
           "dsl_name", "dsl_role", "dsl_photo", "dsl_phone", "dsl_location",
           "council_name", "council_phone", "council_hours", "council_out_of_hours", "partnership_web"]
REQUIRED = ["name", "nation", "dsl_name", "council_name", "council_phone", "checked_on"]
DEPUTY_FIELDS = ("name", "role", "photo", "phone", "location")
DEPUTY_RE = re.compile(r"deputy([1-9][0-9]?)_(name|role|photo|phone|location)")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_BYTES = 20_000_000


@dataclass
class Sheet:
    """What was read: rows as profile mappings (with their line numbers), and what was found."""

    rows: list[tuple[int, LDict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file as a whole cannot be used
    warnings: list[Problem] = field(default_factory=list)  # about the whole file; rows carry their own
    delimiter: str = ","
    encoding: str = "utf-8"


def known_column(name: str) -> bool:
    return name in COLUMNS or DEPUTY_RE.fullmatch(name) is not None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def header_name(cell: str) -> str:
    """A header as typed ('DSL Name', 'dsl-name ') -> the column name ('dsl_name')."""
    return re.sub(r"[\s\-]+", "_", cell.replace("\ufeff", "").strip().lower())


def decode(data: bytes, name: str) -> tuple[str | None, str, list[Problem]]:
    """(text, encoding, problems): UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            return None, "", [Problem(Location(name), "", "starts like UTF-16 text but is not; export the sheet "
                                      "as 'CSV UTF-8'")]
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, "", [Problem(Location(name), "", f"neither UTF-8 nor Windows-1252 text (byte {exc.start}); "
                                  "export the sheet as 'CSV UTF-8'")]
    return text, "windows-1252", [Problem(Location(name), "", (
        "not UTF-8, so it was read as Windows-1252 (what Excel's 'CSV (Comma delimited)' saves); that format "
        "cannot hold letters such as the Welsh ŵ and ŷ, which come out as '?': if a name shows one, export "
        "the sheet as 'CSV UTF-8' instead"), warning=True)]


def sniff(lines: list[str]) -> tuple[str, int]:
    """(delimiter, how many header cells it makes into known columns), from the header line.

    Knowing the column names is a better guide than counting characters
    (csv.Sniffer can be misled by commas inside the first rows' text).
    """
    header = lines[0] if lines else ""
    best, score = ",", -1
    for delim in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delim), [])
        n = sum(known_column(header_name(c)) for c in cells)
        if n > score:
            best, score = delim, n
    if score < 2:
        try:
            best = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
        except csv.Error:
            pass
    return best, max(score, 0)


def read_csv(path: Path) -> Sheet:
    """Every row of a schools spreadsheet as a profile mapping, or the problems that stop the file.

    Row-level trouble (an unquoted comma, a '?' where a letter was lost) does
    not stop the file: it is attached to the row (``row_problems``,
    ``row_warnings``), so only that school fails.
    """
    name = display_name(path)
    sheet = Sheet()
    try:
        data = path.read_bytes()
    except OSError as exc:
        sheet.problems.append(Problem(Location(name), "", f"cannot read: {exc.strerror}"))
        return sheet
    if len(data) > MAX_BYTES:
        sheet.problems.append(Problem(Location(name), "", f"is {len(data):,} bytes; the limit is {MAX_BYTES:,}"))
        return sheet
    text, sheet.encoding, found = decode(data, name)
    sheet.warnings += [p for p in found if p.warning]
    sheet.problems += [p for p in found if not p.warning]
    if text is None:
        return sheet
    lines = text.splitlines()
    first = 0
    m = re.fullmatch(r'"?sep=(.)"?,*', lines[0].strip()) if lines else None
    if m:  # Excel's own hint line, "sep=;"
        sheet.delimiter, first = m.group(1), 1
    else:
        sheet.delimiter, _ = sniff(lines)
    body = "\n".join(lines[first:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sheet.delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        sheet.problems.append(Problem(Location(name), "", "the file is empty"))
        return sheet
    except csv.Error as exc:
        sheet.problems.append(Problem(Location(name, 1 + first, 1), "", f"not a CSV file: {exc}"))
        return sheet
    cols = [header_name(h) for h in header]
    sheet.problems += header_problems(name, 1 + first, header, cols, sheet.delimiter)
    if sheet.problems:
        return sheet
    try:
        for row in reader:
            line = reader.line_num + first
            if not any(cell.strip() for cell in row):
                continue
            sheet.rows.append((line, row_to_profile(name, line, cols, row, sheet)))
    except csv.Error as exc:
        sheet.problems.append(Problem(Location(name, reader.line_num + first, 1), "", f"broken CSV: {exc}"))
        sheet.rows = []
    return sheet


def header_problems(name: str, line: int, header: list[str], cols: list[str], delim: str) -> list[Problem]:
    """Unknown, duplicate and missing columns, each naming the column by its letter and header."""
    problems = []
    first_at: dict[str, int] = {}
    for i, c in enumerate(cols):
        loc = Location(name, line, i + 1)
        if c == "":
            continue  # a blank column a spreadsheet carried along; a value under it is reported per row
        if c in first_at:
            j = first_at[c]
            problems.append(Problem(loc, "", (
                f"column {quote(header[i])} ({column_letter(i)}) repeats column {quote(header[j])} "
                f"({column_letter(j)}); delete one of the two, so it is clear which value to print")))
            continue
        first_at[c] = i
        if not known_column(c):
            hint = difflib.get_close_matches(c, COLUMNS, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(Problem(loc, "", f"column {quote(header[i])} ({column_letter(i)}) is not a column this "
                                    f"generator knows{extra}; see the README for the columns"))
    if len([c for c in cols if c]) == 1 and delim == ",":
        problems.append(Problem(Location(name, line, 1), "", (
            "the header is one long column: the file may use a delimiter other than a comma, semicolon or tab; "
            "export the sheet as 'CSV UTF-8'")))
        return problems
    for need in REQUIRED:
        if need not in cols:
            hint = "" if problems else f"; the header has: {', '.join(quote(h) for h in header if h.strip())}"
            problems.append(Problem(Location(name, line, 1), "", f"required column {quote(need)} is missing{hint}"))
    return problems


def _mapping(loc: Location) -> LDict:
    d = LDict()
    d.loc, d.key_locs, d.value_locs = loc, {}, {}
    return d


def row_to_profile(name: str, line: int, cols: list[str], row: list[str], sheet: Sheet) -> LDict:
    """One row as the mapping a YAML profile would give (dsl.*, council.*, deputies[])."""
    loc = Location(name, line, 1)
    prof = _mapping(loc)
    prof.row_problems, prof.row_warnings = [], []
    dsl, council = _mapping(loc), _mapping(loc)
    deputies: dict[int, LDict] = {}
    for i, col in enumerate(cols):
        value = row[i].strip() if i < len(row) else ""
        if value == "":
            continue
        cloc = Location(name, line, i + 1)
        if col == "":
            prof.row_problems.append(Problem(cloc, "", (
                f"{quote(value)} is in column {column_letter(i)}, which has no header; give the column its name "
                "or move the value")))
            continue
        if sheet.encoding == "windows-1252" and re.search(r"\w\?|\?\w", value):
            prof.row_warnings.append(Problem(cloc, col, (
                f"{quote(value)} has a '?' inside a word: a letter the file could not hold (ŵ, ŷ...)? "
                "Export the sheet as 'CSV UTF-8'")))
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
    extra = len(row) - len(cols)
    if extra > 0 and any(c.strip() for c in row[len(cols):]):
        prof.row_problems.append(Problem(Location(name, line, len(cols) + 1), "",
                                         extra_cells_message(cols, row, sheet.delimiter)))
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


def _fits(col: str, value: str) -> bool:
    """Does a cell look like what its column holds? (Only for columns with a recognisable shape.)"""
    v = value.strip()
    if not v:
        return col not in REQUIRED
    if col == "nation":
        return read_nation(v)[0] is not None
    if col == "checked_on":
        return read_date(v)[0] is not None
    if col.endswith(("_phone", "out_of_hours")):
        return re.fullmatch(r"[0-9+()\-. ]{3,25}", v) is not None
    if col == "partnership_web":
        return v.startswith("https://")
    if col == "language":
        return v in ("en-GB", "cy", "bilingual")
    if col.endswith(("_photo", "logo")):
        return v.lower().endswith((".png", ".jpg", ".jpeg"))
    if col == "id":
        return re.fullmatch(r"[a-z0-9][a-z0-9-]*", v) is not None
    return True


def extra_cells_message(cols: list[str], row: list[str], delim: str) -> str:
    """Why a row has more cells than the header, with the likeliest column named.

    A delimiter typed into a cell without quotes splits it in two and shifts
    every later cell one column right. Each possible split is undone in turn;
    the one after which the most cells fit their columns (a date under
    checked_on, a number under council_phone...) names the column.
    """
    extra = len(row) - len(cols)
    what = DELIMITERS.get(delim, quote(delim))
    best, best_score = None, -1
    for i in range(len(cols)):
        merged = row[:i] + [delim.join(row[i:i + extra + 1])] + row[i + extra + 1:]
        score = sum(_fits(c, v) for c, v in zip(cols, merged, strict=False))
        score += 0.5 * row[i + 1][:1].isspace() if i + 1 < len(row) else 0  # "Mon-Fri, 9am": a space after it
        if score > best_score and row[i].strip():
            best, best_score = i, score
    count = f"{len(row)} cells but the header has {len(cols)} columns"
    if best is None:
        return f"has {count}: an unquoted {what} in one of its cells? Put such cells in double quotes"
    cell = delim.join(row[best:best + extra + 1]).strip()
    return (f"has {count}: an unquoted {what} in column {quote(cols[best])} ({column_letter(best)})? It would read "
            f"{quote(cell)}. Put that cell in double quotes, or export the sheet again from the spreadsheet "
            "program (it adds the quotes)")
