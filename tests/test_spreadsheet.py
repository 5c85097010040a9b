"""Spreadsheet habits: nations and dates as people type them, the delimiter and encoding a program chose,
a repeated column, a comma typed into a cell, and escape sequences that must never reach the terminal."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from cseprint.habits import read_date, read_nation
from cseprint.spreadsheet import COLUMNS, column_letter, read_csv

from .conftest import PROJECT, Workspace, pdf_text

EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"
COLS = ["id", "name", "nation", "role_name", "checked_on", "dsl_name", "dsl_phone", "council_name", "council_phone",
        "council_hours", "council_out_of_hours"]


def row(**over: str) -> list[str]:
    base = {"id": "oak-school", "name": "Oak School", "nation": "england", "role_name": "", "checked_on": "2026-11-01",
            "dsl_name": "Ann Example", "dsl_phone": "0113 496 0102", "council_name": "Example Council",
            "council_phone": "0113 496 0000", "council_hours": "Mon-Fri 9-5", "council_out_of_hours": "020 7946 0999"}
    base.update(over)
    return [base[c] for c in COLS]


def write(tmp_path: Path, rows: list[list[str]], *, delim: str = ",", encoding: str = "utf-8",
          header: list[str] | None = None, name: str = "schools.csv") -> Path:
    def cell(v: str) -> str:
        return f'"{v}"' if (delim in v or '"' in v) else v

    lines = [delim.join(header or COLS)] + [delim.join(cell(v) for v in r) for r in rows]
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def norm(s: str) -> str:
    return " ".join(s.split())


# --- nations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, nation", [
    ("england", "england"), ("England", "england"), ("ENGLAND", "england"), (" England ", "england"),
    ("Wales", "wales"), ("Cymru", "wales"), ("CYMRU", "wales"),
    ("Scotland", "scotland"), ("Alba", "scotland"),
    ("Northern Ireland", "northern-ireland"), ("northern-ireland", "northern-ireland"), ("NI", "northern-ireland"),
    ("N. Ireland", "northern-ireland"), ("northern_ireland", "northern-ireland"), ("N.I.", "northern-ireland"),
])
def test_nations_in_any_case_and_common_spellings(typed: str, nation: str):
    assert read_nation(typed) == (nation, None)


@pytest.mark.parametrize("typed, fragment", [
    ("UK", "the whole UK"), ("United Kingdom", "the whole UK"), ("Great Britain", "the whole UK"),
    ("Ireland", "UK contacts only"), ("Englnd", "did you mean England?"), ("Walse", "did you mean Wales?"),
    ("France", "is not a UK nation"),
])
def test_what_is_not_one_nation_is_refused_with_a_reason(typed: str, fragment: str):
    nation, why = read_nation(typed)
    assert nation is None and fragment in why and f"'{typed}'" in why


def test_a_spreadsheet_of_nations_as_people_write_them_builds(ws: Workspace, tmp_path: Path):
    rows = [row(id="st-eng", nation="England"), row(id="st-cym", nation="Cymru"), row(id="st-ni", nation="NI"),
            row(id="st-sco", nation="SCOTLAND", role_name="Child Protection Coordinator")]
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write(tmp_path, rows)), "--finish", "office", "--layout", "who-to-tell-a4",
                 "--jobs", "1")
    assert r.code == 0, r.err
    roles = {"st-eng": "Designated Safeguarding Lead", "st-cym": "Designated Safeguarding Person",
             "st-ni": "Designated Teacher", "st-sco": "Child Protection Coordinator"}
    for sid, role in roles.items():
        assert role in norm(pdf_text(out / sid / "who-to-tell-a4.pdf")), sid


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, date, warns", [
    ("2026-11-20", dt.date(2026, 11, 20), False),
    ("20/11/2026", dt.date(2026, 11, 20), True),
    ("03/04/2026", dt.date(2026, 4, 3), True),  # always day first: the 3rd of April, never March the 4th
    ("3/4/26", dt.date(2026, 4, 3), True),
    ("20.11.2026", dt.date(2026, 11, 20), True),
    ("20-11-2026", dt.date(2026, 11, 20), True),
    ("20 Nov 2026", dt.date(2026, 11, 20), True),
    ("20 November 2026", dt.date(2026, 11, 20), True),
    ("20th November 2026", dt.date(2026, 11, 20), True),
    ("1 Sept 2026", dt.date(2026, 9, 1), True),
    ("20-Nov-26", dt.date(2026, 11, 20), True),  # Excel's d-mmm-yy
    ("Friday 20 November 2026", dt.date(2026, 11, 20), True),
    ("20/11/2026 00:00", dt.date(2026, 11, 20), True),  # an export that kept the time
])
def test_dates_as_people_type_them(typed: str, date: dt.date, warns: bool):
    assert read_date(typed) == (date, None, warns)


@pytest.mark.parametrize("typed, fragment", [
    ("11/20/2026", "has no month 20: dates are read day first, the UK order; if you mean 20 November 2026, "
                   "write 20/11/2026 or 2026-11-20"),
    ("31/02/2026", "February 2026 has no day 31"),
    ("20 Novembr 2026", "'novembr' is not a month"),
    ("next Tuesday", "is not a date"),
    ("20/11/1926", "the year 1926 cannot be right"),
    ("13/13/2026", "has no month 13"),
])
def test_dates_that_cannot_be_read_say_why(typed: str, fragment: str):
    date, why, _ = read_date(typed)
    assert date is None and fragment in why


def test_each_date_in_a_spreadsheet_warns_how_it_was_read(ws: Workspace, tmp_path: Path):
    rows = [row(id="a", checked_on="20/11/2026"), row(id="b", checked_on="3/4/26"), row(id="c", checked_on="2026-11-01"),
            row(id="d", checked_on="20 Nov 2026")]
    r = ws.check("--schools", str(write(tmp_path, rows)), "--jobs", "1", "--layout", "who-to-tell-a4")
    assert r.code == 0, r.err
    lines = [ln for ln in r.err.splitlines() if "checked_on" in ln]
    assert len(lines) == 3, r.err  # the ISO date needs no warning
    assert any("row 2 ('a')" in ln and "schools.csv:2:5: checked_on: read '20/11/2026' as 20 November 2026" in ln
               for ln in lines)
    assert any("row 3 ('b')" in ln and "read '3/4/26' as 3 April 2026 (day first" in ln for ln in lines)
    assert any("row 5 ('d')" in ln and "read '20 Nov 2026' as 20 November 2026" in ln for ln in lines)


def test_a_us_order_date_fails_its_row_only(ws: Workspace, tmp_path: Path):
    rows = [row(id="good"), row(id="us", checked_on="11/20/2026")]
    r = ws.check("--schools", str(write(tmp_path, rows)), "--jobs", "1", "--layout", "who-to-tell-a4")
    assert r.code == 1
    assert "FAILED row 3 ('us')" in r.err and "schools.csv:3:5: checked_on: '11/20/2026' has no month 20" in r.err
    assert "1 ok, 1 with problems" in r.out


def test_a_yaml_profile_takes_a_uk_date_too_and_says_how_it_read_it(ws: Workspace, tmp_path: Path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["checked_on"] = "20/11/2026"
    data["nation"] = "England"
    path = tmp_path / "oak-school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--school", str(path), "--layout", "who-to-tell-a4", "--finish", "office")
    assert r.code == 0, r.err
    line = next(ln for ln in r.err.splitlines() if "checked_on" in ln)
    assert line.startswith("warning: ") and "oak-school.yaml:" in line and "read '20/11/2026' as 20 November 2026" in line
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["school"] == "oak-school"


# --- how the file was saved ----------------------------------------------------------------------

@pytest.mark.parametrize("delim", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delim: str):
    rows = [row(id="a", council_hours="Mon-Fri, 9am-5pm; closed in August"), row(id="b")]
    sheet = read_csv(write(tmp_path, rows, delim=delim))
    assert sheet.problems == [] and sheet.delimiter == delim
    assert [raw["council"]["hours"] for _, raw in sheet.rows] == ["Mon-Fri, 9am-5pm; closed in August", "Mon-Fri 9-5"]


def test_excels_sep_line_is_obeyed(tmp_path: Path):
    path = tmp_path / "schools.csv"
    path.write_text("sep=;\n" + ";".join(COLS) + "\n" + ";".join(row()) + "\n", encoding="utf-8")
    sheet = read_csv(path)
    assert sheet.problems == [] and sheet.delimiter == ";"
    assert sheet.rows[0][0] == 3  # the row's line number counts the sep= line


def test_a_semicolon_spreadsheet_builds(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write(tmp_path, [row()], delim=";")), "--finish", "office",
                 "--layout", "who-to-tell-a4", "--jobs", "1")
    assert r.code == 0, r.err
    assert "Ann Example" in norm(pdf_text(out / "oak-school" / "who-to-tell-a4.pdf"))


def test_a_windows_1252_file_is_read_and_a_lost_letter_is_pointed_at(ws: Workspace, tmp_path: Path):
    # Excel's "CSV (Comma delimited)": é survives in Windows-1252, the Welsh ŷ becomes '?'
    rows = [row(id="a", name="École Sainte-Thérèse", dsl_name="Ll?r ap Gwilym")]
    path = write(tmp_path, rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(path), "--finish", "office", "--layout", "who-to-tell-a4", "--jobs", "1")
    assert r.code == 0, r.err
    assert "read as Windows-1252" in r.err and "'CSV UTF-8'" in r.err
    assert "schools.csv:2:6: dsl_name: 'Ll?r ap Gwilym' has a '?' inside a word" in r.err
    assert "École Sainte-Thérèse" in norm(pdf_text(out / "a" / "who-to-tell-a4.pdf"))


def test_excels_unicode_text_is_utf16_with_tabs(tmp_path: Path):
    path = write(tmp_path, [row(dsl_name="Llŷr ap Gwilym")], delim="\t", encoding="utf-16")
    sheet = read_csv(path)
    assert sheet.problems == [] and sheet.encoding == "utf-16" and sheet.delimiter == "\t"
    assert sheet.rows[0][1]["dsl"]["name"] == "Llŷr ap Gwilym"


# --- columns and cells ---------------------------------------------------------------------------

def test_a_duplicate_column_is_refused_naming_both(ws: Workspace, tmp_path: Path):
    header = [*COLS, "DSL Phone"]
    path = write(tmp_path, [[*row(), "0113 496 0999"]], header=header)
    r = ws.check("--schools", str(path))
    assert r.code == 1
    assert ("schools.csv:1:12: column 'DSL Phone' (L) repeats column 'dsl_phone' (G); delete one of the two"
            in r.err), r.err


@pytest.mark.parametrize("column, typed", [
    ("council_hours", "Mon-Fri, 9am-5pm"),
    ("name", "St Mary's, Leeds"),
    ("dsl_name", "Example, Ann"),
])
def test_extra_cells_are_explained_naming_the_column(ws: Workspace, tmp_path: Path, column: str, typed: str):
    good = ",".join(row(id="good"))
    bad = row(id="bad")
    bad[COLS.index(column)] = typed  # written without quotes, as a hand-edited file would be
    path = tmp_path / "schools.csv"
    path.write_text(",".join(COLS) + "\n" + good + "\n" + ",".join(bad) + "\n", encoding="utf-8")
    r = ws.check("--schools", str(path), "--jobs", "1", "--layout", "who-to-tell-a4")
    assert r.code == 1
    letter = column_letter(COLS.index(column))
    assert (f"schools.csv:3:12: has 12 cells but the header has 11 columns: an unquoted comma in column "
            f"'{column}' ({letter})? It would read '{typed}'") in r.err, r.err
    assert "FAILED row 3 ('bad')" in r.err and "1 ok, 1 with problems" in r.out


def test_an_unquoted_semicolon_is_called_a_semicolon(tmp_path: Path):
    path = tmp_path / "schools.csv"
    bad = row(council_hours="Mon-Fri; 9-5")
    path.write_text(";".join(COLS) + "\n" + ";".join(bad) + "\n", encoding="utf-8")
    (_, raw), = read_csv(path).rows
    assert "an unquoted semicolon in column 'council_hours' (J)?" in raw.row_problems[0].message


def test_blank_columns_a_spreadsheet_carried_along_are_ignored(tmp_path: Path):
    path = write(tmp_path, [[*row(), "", ""]], header=[*COLS, "", ""])
    sheet = read_csv(path)
    assert sheet.problems == [] and sheet.rows[0][1].row_problems == []


def test_column_letters_are_the_spreadsheets():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_every_column_in_the_readme_table_is_a_known_column():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| column | required | meaning |"):]
    table = table[:table.index("\n\n")]
    named = set(re.findall(r"`([a-z_0-9]+)`", table))
    assert {c for c in named if not re.match(r"deputy(\d|N_|$)", c) and not c.startswith("_")} == set(COLUMNS)


# --- terminal safety -----------------------------------------------------------------------------

ESC = "\x1b]0;pwned\x07\x1b[2J"  # set the window title, then clear the screen


def assert_no_controls(text: str) -> None:
    bad = [ch for ch in text if ord(ch) < 32 and ch not in "\n\t" or ch in "\x7f\x9b\u202e"]
    assert not bad, repr(text)


def test_escape_sequences_in_csv_ids_are_shown_escaped(ws: Workspace, tmp_path: Path):
    rows = [row(id=f"oak-school{ESC}"), row(id=f"oak-school{ESC}")]  # a bad id, given twice
    r = ws.check("--schools", str(write(tmp_path, rows)), "--jobs", "1")
    assert r.code == 1
    assert_no_controls(r.err + r.out)
    assert "school id 'oak-school\\x1b]0;pwned\\x07\\x1b[2J' is also used on row 2" in r.err


def test_escape_sequences_in_a_bad_csv_id_row_are_shown_escaped(ws: Workspace, tmp_path: Path):
    r = ws.check("--schools", str(write(tmp_path, [row(id=f"oak-school{ESC}")])), "--jobs", "1")
    assert r.code == 1
    assert_no_controls(r.err + r.out)
    assert "FAILED row 2 ('oak-school\\x1b]0;pwned\\x07\\x1b[2J')" in r.err
    assert "schools.csv:2:1: id: contains the invisible control character U+001B" in r.err


def test_escape_sequences_in_csv_headers_are_shown_escaped(ws: Workspace, tmp_path: Path):
    path = write(tmp_path, [row()], header=[*COLS[:-1], f"council_out_of_hours{ESC}"])
    r = ws.check("--schools", str(path))
    assert r.code == 1
    assert_no_controls(r.err + r.out)
    assert "column 'council_out_of_hours\\x1b]0;pwned\\x07\\x1b[2J' (K) is not a column" in r.err


def test_escape_sequences_in_yaml_keys_are_shown_escaped(ws: Workspace):
    ws.replace("content/contacts.yaml", "web: https://crimestoppers-uk.org/",
               'web: https://crimestoppers-uk.org/\n    "wb\\e[2J\\u202e": x')
    r = ws.check()
    assert r.code == 1
    assert_no_controls(r.err + r.out)
    assert "contacts.crimestoppers.wb\\x1b[2J\\u202e: unknown key" in r.err


def test_escape_sequences_in_a_school_profiles_keys_and_path_are_shown_escaped(ws: Workspace, tmp_path: Path):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data[f"partner{ESC}"] = "x"
    folder = tmp_path / f"in{ESC}"
    folder.mkdir()
    path = folder / "oak-school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = ws.check("--school", str(path))
    assert r.code == 1
    assert_no_controls(r.err + r.out)
    assert "in\\x1b]0;pwned\\x07\\x1b[2J/oak-school.yaml:" in r.err and "partner\\x1b]0;pwned\\x07\\x1b[2J: unknown key" in r.err
