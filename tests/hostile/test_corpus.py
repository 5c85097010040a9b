"""The hostile corpus: faults that are not bugs, each refused with exit 1 or 2 and a sentence naming the
file, key or option. Exit 3 means a bug in the generator, so nothing here may give it.

Every case runs the CLI in-process with CSEPRINT_DEBUG set, so a bug would surface as a traceback (and
fail ``assert_clean``) rather than hide behind exit 3. Broken images and fonts are made from good ones
here, byte by byte, rather than stored as binaries; the spreadsheets are files in ``inputs/``. Other
hostile cases live beside this file: output folders (test_ownership), commits killed at every step
(test_commit_faults), workers (test_workers), linear-time checks (test_scaling), and text and YAML
(tests/test_hostile.py).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from PIL import Image

from ..conftest import FONTS, PROJECT, TODAY, Result, Workspace, assert_clean, run_cli

INPUTS = Path(__file__).resolve().parent / "inputs"
EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    run: Callable[[Workspace, Path], Result]
    code: int  # 1: the inputs; 2: the command
    says: tuple[str, ...]  # each must be in the output: what is wrong, and which file, key or option


def cli(ws: Workspace, tmp: Path, command: str, *args: object, fonts: Path = FONTS) -> Result:
    extra = ["--out", str(tmp / "out")] if command == "build" and "--out" not in args else []
    return run_cli([command, "--content", str(ws.content), "--layouts", str(ws.layouts), "--fonts", str(fonts),
                    "--today", TODAY, *extra, *map(str, args)])


def check(*args: object) -> Callable[[Workspace, Path], Result]:
    return lambda ws, tmp: cli(ws, tmp, "check", *args)


def build(*args: object) -> Callable[[Workspace, Path], Result]:
    return lambda ws, tmp: cli(ws, tmp, "build", *args)


def then(edit: Callable[[Workspace], None], run: Callable[[Workspace, Path], Result]
         ) -> Callable[[Workspace, Path], Result]:
    def go(ws: Workspace, tmp: Path) -> Result:
        edit(ws)
        return run(ws, tmp)
    return go


def raw(rel: str, old: str, new: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.replace(rel, old, new)


def sub(rel: str, pattern: str, new: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.sub(rel, pattern, new)


# --- schools with broken pictures ------------------------------------------------------------------

def school_with(field: str, data: Callable[[], bytes], name: str) -> Callable[[Workspace], None]:
    """The example school, with ``field`` (dsl.photo or logo) pointing at a broken picture in content/."""
    def edit(ws: Workspace) -> None:
        (ws.content / "schools" / "photos" / name).write_bytes(data())
        prof = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        if field == "logo":
            prof["logo"] = f"schools/photos/{name}"
        else:
            prof["dsl"]["photo"] = f"schools/photos/{name}"
        (ws.content / "schools" / "example-school.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    return edit


def school(*args: object) -> Callable[[Workspace, Path], Result]:
    return lambda ws, tmp: cli(ws, tmp, "check", "--school", ws.content / "schools" / "example-school.yaml",
                               "--layout", "who-to-tell-a4", *args)


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize((600, 600)).convert("RGB").save(buf, "JPEG", quality=90)
    return buf.getvalue()


def png() -> bytes:
    buf = io.BytesIO()
    Image.radial_gradient("L").resize((400, 400)).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def bad_crc(data: bytes) -> bytes:
    i = data.index(b"IDAT") + 8  # a byte of the compressed pixels, so the chunk's CRC no longer matches
    return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]


# --- broken fonts -----------------------------------------------------------------------------------

REGULAR = "AtkinsonHyperlegible-Regular.ttf"


def fonts_with(damage: Callable[[bytes], bytes]) -> Callable[[Workspace, Path], Result]:
    def go(ws: Workspace, tmp: Path) -> Result:
        fonts = tmp / "fonts"
        shutil.copytree(FONTS, fonts)
        (fonts / REGULAR).write_bytes(damage((FONTS / REGULAR).read_bytes()))
        return cli(ws, tmp, "check", "--layout", "poster-a4", fonts=fonts)
    return go


def damaged_glyphs(data: bytes) -> bytes:
    """Overwrite the middle of the glyph table (glyf): outlines no reader can trust."""
    entry = TTFont(io.BytesIO(data)).reader.tables["glyf"]
    start = entry.offset + entry.length // 3
    return data[:start] + b"\xde\xad" * (entry.length // 6) + data[start + 2 * (entry.length // 6):]


# --- the corpus ---------------------------------------------------------------------------------------

CASES = [
    # numbers that are not numbers, anywhere
    Case("back-offset-nan", build("--layout", "wallet-card", "--finish", "office", "--back-offset", "nan,nan"), 2,
         ("--back-offset", "'nan,nan' is not X,Y in millimetres")),
    Case("back-offset-inf", build("--layout", "wallet-card", "--back-offset", "inf,0"), 2,
         ("--back-offset", "'inf,0' is not X,Y")),
    Case("back-offset-overflow", build("--layout", "wallet-card", "--back-offset", "1e999,0"), 2,
         ("--back-offset", "'1e999,0' is not X,Y")),
    Case("school-timeout-nan", check("--schools", INPUTS / "nan-cells.csv", "--school-timeout", "nan"), 2,
         ("--school-timeout", "'nan' is not a number of seconds")),
    Case("layout-x-nan", then(raw("layouts/poster-a4.yaml", "x: 12, y: 8,", "x: .nan, y: 8,"), check()), 1,
         ("poster-a4.yaml:", "pages[0].boxes[1].x: .nan is not a number")),
    Case("layout-type-size-inf", then(raw("layouts/poster-a4.yaml", "body: 14,", "body: .inf,"), check()), 1,
         ("poster-a4.yaml:", "type_scale.body: .inf is not a number")),
    Case("palette-nan", then(raw("layouts/_styles.yaml", "ink: [0, 0, 0, 100]", "ink: [0, 0, .NaN, 100]"),
                             check()), 1, ("_styles.yaml:", "palette.ink[2]: .NaN is not a number")),
    Case("content-figure-nan", then(raw("content/en-GB/scale.yaml", 'figure: "115,489"', "figure: .nan"),
                                    check()), 1, ("scale.yaml:", ".nan is not a number")),
    Case("csv-nan-cells", check("--schools", INPUTS / "nan-cells.csv"), 1,
         ("nan-cells.csv:2:", "nation", "checked_on")),
    Case("csv-inf-cells", check("--schools", INPUTS / "inf-cells.csv"), 1,
         ("inf-cells.csv:2:4: checked_on: 'inf' is not a date",)),
    # dates that cannot be
    Case("edition-date-feb-30", then(sub("content/edition.yaml", r"^date: .*$", "date: 2026-02-30"), check()), 1,
         ("edition.yaml:", "date: '2026-02-30' is not a real date")),
    Case("contact-month-13", then(sub("content/contacts.yaml", r"^    verified_on: .*$", "    verified_on: 2026-13-01"),
                                  check()), 1, ("contacts.yaml:", "verified_on: '2026-13-01' is not a real date")),
    Case("profile-year-0", then(lambda ws: ws.write("content/schools/example-school.yaml",
                                                    EXAMPLE.read_text(encoding="utf-8").replace(
                                                        "checked_on: 2026-11-20", "checked_on: 0000-01-01")),
                                school()), 1, ("example-school.yaml:", "checked_on: '0000-01-01' is not a real date")),
    Case("profile-year-9999", then(lambda ws: ws.write("content/schools/example-school.yaml",
                                                       EXAMPLE.read_text(encoding="utf-8").replace(
                                                           "checked_on: 2026-11-20", "checked_on: 9999-12-31")),
                                   school()), 1, ("example-school.yaml:", "checked_on",
                                                  "the year 9999 cannot be right")),
    Case("csv-feb-30", check("--schools", INPUTS / "impossible-date.csv"), 1,
         ("impossible-date.csv:2:", "checked_on")),
    Case("csv-year-9999", check("--schools", INPUTS / "far-future-date.csv"), 1,
         ("far-future-date.csv:2:", "checked_on", "the year 9999 cannot be right")),
    Case("today-feb-30", check("--today", "2026-02-30"), 2, ("--today",)),
    # pictures cut short or damaged: decoded in full when the profile is checked
    Case("photo-truncated-jpeg", then(school_with("dsl.photo", lambda: jpeg()[:len(jpeg()) // 2], "cut.jpg"),
                                      school()), 1, ("dsl.photo", "'schools/photos/cut.jpg'", "cut short")),
    Case("photo-truncated-png", then(school_with("dsl.photo", lambda: png()[:len(png()) // 2], "cut.png"),
                                     school()), 1, ("dsl.photo", "'schools/photos/cut.png'", "cannot be read")),
    Case("photo-header-then-junk", then(school_with("dsl.photo", lambda: png()[:64] + b"junk" * 500, "junk.png"),
                                        school()), 1, ("dsl.photo", "'schools/photos/junk.png'", "cannot be read")),
    Case("photo-empty", then(school_with("dsl.photo", lambda: b"", "empty.jpg"), school()), 1,
         ("dsl.photo", "'schools/photos/empty.jpg' is not a PNG or JPEG")),
    Case("logo-bad-crc", then(school_with("logo", lambda: bad_crc(png()), "crc.png"), school()), 1,
         ("logo", "'schools/photos/crc.png'", "cannot be read")),
    # fonts damaged, cut short, empty, or not fonts: the message names the file
    Case("font-damaged-glyphs", fonts_with(damaged_glyphs), 1, (REGULAR, "damaged")),
    Case("font-truncated", fonts_with(lambda b: b[:len(b) // 2]), 1, (REGULAR, "damaged")),
    Case("font-empty", fonts_with(lambda b: b""), 1, (REGULAR, "damaged")),
    Case("font-is-text", fonts_with(lambda b: b"this is not a font\n" * 100), 1, (REGULAR, "damaged")),
    # where the output goes, and what the command names
    Case("out-is-a-file", lambda ws, tmp: (tmp / "out.pdf").write_bytes(b"x") and cli(
        ws, tmp, "build", "--out", tmp / "out.pdf"), 2, ("--out", "out.pdf is a file, not a folder")),
    Case("out-inside-content", lambda ws, tmp: cli(ws, tmp, "build", "--out", ws.content / "out"), 2,
         ("--out", "is inside the content folder")),
    Case("out-is-content", lambda ws, tmp: cli(ws, tmp, "build", "--out", ws.content), 2,
         ("--out", "is inside the content folder")),
    Case("out-inside-layouts", lambda ws, tmp: cli(ws, tmp, "build", "--out", ws.layouts / "x" / "y"), 2,
         ("--out", "is inside the layouts folder")),
    Case("out-inside-fonts", lambda ws, tmp: cli(ws, tmp, "build", "--out", FONTS / "out"), 2,
         ("--out", "is inside the fonts folder")),
    Case("jobs-negative", check("--schools", INPUTS / "nan-cells.csv", "--jobs", "-1"), 2, ("--jobs", "'-1'")),
    Case("jobs-huge", check("--schools", INPUTS / "nan-cells.csv", "--jobs", "100000"), 2, ("--jobs", "'100000'")),
    Case("school-is-a-folder", lambda ws, tmp: cli(ws, tmp, "check", "--school", tmp), 1, ("cannot read",)),
    Case("schools-is-a-folder", lambda ws, tmp: cli(ws, tmp, "check", "--schools", tmp), 1, ("cannot read",)),
    Case("default-id-collision", check("--schools", INPUTS / "default-id-collision.csv"), 1,
         ("default-id-collision.csv:2:1: id: 'row-3' looks like the id a row without one is given",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case_is_refused_cleanly(case: Case, tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    r = case.run(ws, tmp_path)
    assert_clean(r, 1, 2)  # never a traceback, never 3 (a bug)
    assert r.code == case.code, f"exit {r.code}, expected {case.code}\n{r.err}"
    for fragment in case.says:
        assert fragment in r.text, f"{fragment!r} not in:\n{r.text}"
    assert not (tmp_path / "out").exists()  # nothing written, not even an empty output folder


def test_the_corpus_covers_every_fault_of_issue_11():
    ids = {c.id for c in CASES}
    assert len(ids) == len(CASES)
    for needed in ("back-offset-nan", "layout-x-nan", "palette-nan", "csv-nan-cells", "edition-date-feb-30",
                   "csv-feb-30", "photo-truncated-jpeg", "font-damaged-glyphs", "out-is-a-file",
                   "out-inside-content", "out-inside-layouts", "jobs-negative", "default-id-collision"):
        assert needed in ids
    assert {c.code for c in CASES} <= {1, 2}
