"""validate's rules, one limit at a time, on tiny files: ``_styles.yaml`` (palette, fonts, styles).

Each test writes a small file into ``tmp_path`` and calls the loader directly (no CLI, no copy of
the project), and checks both sides of each limit, and that every message names the right key
and the line it is on.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cseprint.errors import Problem
from cseprint.models import Styles
from cseprint.schema import Checker
from cseprint.validate.styles import load_styles

from .conftest import FONTS

STYLES = """\
palette:
  ink: [0, 0, 0, 100]
fonts:
  families:
    a: {regular: AtkinsonHyperlegible-Regular.ttf}
styles:
  body: {family: a, size: body, colour: ink}
"""


def styles(tmp_path: Path, text: str = STYLES) -> tuple[Styles | None, list[Problem]]:
    """``text`` (dedented) loaded as ``_styles.yaml``, and the problems found."""
    path = tmp_path / "_styles.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    ck = Checker()
    got = load_styles(path, FONTS, ck)
    assert all(p.location is not None and p.location.file.endswith("_styles.yaml") for p in ck.problems)
    return got, ck.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [f"{p.key}: {p.message}" for p in problems]
    return problems[0]


def line_of(tmp_path: Path, fragment: str) -> int:
    lines = (tmp_path / "_styles.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if fragment in t)


# --- a minimal file, and what a style is when it says little -----------------------------------------

def test_one_colour_one_family_and_one_style_are_enough_and_defaults_fill_the_rest(tmp_path: Path):
    got, problems = styles(tmp_path)
    assert problems == [] and got is not None
    s = got.styles["body"]
    assert (s.bold, s.italic, s.leading, s.align, s.role) == (False, False, 1.25, "left", "body")
    assert got.fallback == ()
    assert got.families["a"].files == {"regular": "AtkinsonHyperlegible-Regular.ttf"}


@pytest.mark.parametrize("section, empty", [("palette", "palette: {}"), ("fonts.families", "  families: {}"),
                                            ("styles", "styles: {}")])
def test_an_empty_palette_family_list_or_style_list_is_refused(tmp_path: Path, section: str, empty: str):
    first = {"palette": "palette:\n  ink: [0, 0, 0, 100]", "fonts.families":
             "  families:\n    a: {regular: AtkinsonHyperlegible-Regular.ttf}",
             "styles": "styles:\n  body: {family: a, size: body, colour: ink}"}[section]
    got, problems = styles(tmp_path, STYLES.replace(first, empty))
    assert got is None
    p = next(p for p in problems if p.key == section)
    assert "has 0 entries; at least 1 needed" in p.message


# --- the palette: four CMYK numbers, each 0 to 100 ------------------------------------------------

@pytest.mark.parametrize("cmyk, cmyk01", [("[0, 0, 0, 0]", (0, 0, 0, 0)), ("[100, 50, 0, 100]", (1, 0.5, 0, 1))])
def test_a_colour_is_four_numbers_from_0_to_100_read_as_fractions(tmp_path: Path, cmyk: str, cmyk01: tuple):
    got, problems = styles(tmp_path, STYLES.replace("[0, 0, 0, 100]", cmyk))
    assert problems == [] and got is not None
    c = got.palette["ink"]
    assert (c.c, c.m, c.y, c.k) == pytest.approx(cmyk01)


@pytest.mark.parametrize("cmyk, fragment", [
    ("[0, 0, 0, 101]", "out of range"), ("[-1, 0, 0, 100]", "out of range"),
    ("[0, 0, 100]", "has 3 items; at least 4 needed"), ("[0, 0, 0, 100, 0]", "has 5 items; at most 4 allowed"),
])
def test_a_colour_outside_0_to_100_or_without_four_numbers_is_refused(tmp_path: Path, cmyk: str, fragment: str):
    got, problems = styles(tmp_path, STYLES.replace("[0, 0, 0, 100]", cmyk))
    p = only(problems)
    assert p.key.startswith("palette.ink") and fragment in p.message
    assert p.location.line == line_of(tmp_path, "ink:")
    assert got is None


# --- a style's own values ----------------------------------------------------------------------------

@pytest.mark.parametrize("extra, ok", [
    ("leading: 1.0", True), ("leading: 0.99", False), ("leading: 3.0", True), ("leading: 3.01", False),
    ("align: left", True), ("align: centre", True), ("align: right", True), ("align: justify", False),
    ("role: body", True), ("role: heading", True), ("role: small", True), ("role: caption", False),
    ("bold: true, italic: true", True),
])
def test_a_styles_leading_align_and_role_are_checked_at_their_limits(tmp_path: Path, extra: str, ok: bool):
    got, problems = styles(tmp_path, STYLES.replace("colour: ink}", f"colour: ink, {extra}}}"))
    if ok:
        assert problems == [] and got is not None
        s = got.styles["body"]
        for pair in extra.split(", "):
            k, v = pair.split(": ")
            assert str(getattr(s, k)).lower() == v
    else:
        p = only(problems)
        assert p.key == f"styles.body.{extra.split(':')[0]}"


def test_a_style_naming_an_unknown_family_or_colour_is_refused_at_its_line(tmp_path: Path):
    got, problems = styles(tmp_path, STYLES.replace("family: a,", "family: b,").replace("colour: ink}", "colour: inc}"))
    assert {p.key for p in problems} == {"styles.body.family", "styles.body.colour"}
    fam = next(p for p in problems if p.key == "styles.body.family")
    assert "unknown font family 'b'" in fam.message
    assert all(p.location.line == line_of(tmp_path, "body:") for p in problems)


# --- fonts: files in the fonts folder, a regular face, a fallback that is a family --------------------

@pytest.mark.parametrize("file", ["Missing-Regular.ttf", "../fonts/AtkinsonHyperlegible-Regular.ttf",
                                  "sub/AtkinsonHyperlegible-Regular.ttf"])
def test_a_font_file_must_be_a_file_in_the_fonts_folder(tmp_path: Path, file: str):
    got, problems = styles(tmp_path, STYLES.replace("regular: AtkinsonHyperlegible-Regular.ttf", f"regular: {file}"))
    p = only(problems)
    assert p.key == "fonts.families.a.regular"
    assert f"font file '{file}' not found in fonts/" in p.message
    assert p.location.line == line_of(tmp_path, "regular:")


def test_each_variant_of_a_family_is_checked(tmp_path: Path):
    text = STYLES.replace("{regular: AtkinsonHyperlegible-Regular.ttf}",
                          "{regular: AtkinsonHyperlegible-Regular.ttf, bold: Nope.ttf}")
    assert only(styles(tmp_path, text)[1]).key == "fonts.families.a.bold"


def test_a_family_needs_a_regular_face_and_nothing_else(tmp_path: Path):
    got, problems = styles(tmp_path, STYLES.replace("{regular: AtkinsonHyperlegible-Regular.ttf}",
                                                    "{bold: AtkinsonHyperlegible-Bold.ttf}"))
    assert only(problems).key == "fonts.families.a.regular"


@pytest.mark.parametrize("fallback, families", [("[a]", ("a",)), ("[]", ())])
def test_a_fallback_naming_families_is_kept_in_order(tmp_path: Path, fallback: str, families: tuple):
    got, problems = styles(tmp_path, STYLES.replace("styles:", f"  fallback: {fallback}\nstyles:"))
    assert problems == [] and got is not None and got.fallback == families


def test_a_fallback_naming_an_unknown_family_is_refused_naming_its_place(tmp_path: Path):
    got, problems = styles(tmp_path, STYLES.replace("styles:", "  fallback: [a, b]\nstyles:"))
    p = only(problems)
    assert p.key == "fonts.fallback[1]" and "unknown font family 'b'; known: a" in p.message


def test_a_styles_file_that_is_not_yaml_is_reported_not_raised(tmp_path: Path):
    got, problems = styles(tmp_path, "palette: [\n")
    assert got is None
    assert "YAML syntax error" in only(problems).message
