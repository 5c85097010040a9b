"""compose/boxes' pure helpers, each at its limits: a rectangle kept clear of the draft band, a
style stepped down the type scale, an image fitted, and a list balanced into columns.

Every expected value is worked out by hand.
"""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from cseprint.compose.boxes import IMPOSSIBLE, _columns_needed, _exact, balance, clear_of_band, fit_image, stepped
from cseprint.document import Rect, mm
from cseprint.errors import Location
from cseprint.models import ImageRef, Layout, TextStyle

from .flowkit import lay, report

LOC = Location("t.yaml", 1, 1)
TRIM = Rect(0.0, 0.0, 100.0, 200.0)  # y1 = 200: the top of the page


# --- clear of the draft band --------------------------------------------------------------------------

@pytest.mark.parametrize("r, clear", [
    (Rect(10, 150, 50, 50), Rect(10, 150, 50, 40)),  # reaches the top: cut down to the band's foot (190)
    (Rect(10, 150, 50, 40.5), Rect(10, 150, 50, 40)),  # its top just inside the band
    (Rect(10, 150, 50, 40), Rect(10, 150, 50, 40)),  # its top exactly at the band's foot: untouched
    (Rect(10, 195, 50, 5), Rect(10, 195, 50, 0)),  # wholly in the band: no height left, never negative
])
def test_a_rectangle_reaching_a_top_band_stops_at_its_foot(r: Rect, clear: Rect):
    assert clear_of_band(r, TRIM, 10.0, "top") == clear


@pytest.mark.parametrize("r, clear", [
    (Rect(10, 0, 50, 50), Rect(10, 10, 50, 40)),  # reaches the foot: starts above the band (10)
    (Rect(10, 9.5, 50, 40.5), Rect(10, 10, 50, 40)),
    (Rect(10, 10, 50, 40), Rect(10, 10, 50, 40)),  # its foot exactly at the band's top: untouched
    (Rect(10, 0, 50, 5), Rect(10, 10, 50, 0)),
])
def test_a_rectangle_reaching_a_bottom_band_starts_above_it(r: Rect, clear: Rect):
    assert clear_of_band(r, TRIM, 10.0, "bottom") == clear


def test_a_bottom_band_is_measured_from_the_trims_foot_wherever_the_trim_is():
    trim = Rect(5.0, 30.0, 100.0, 200.0)  # the trim's foot at 30 (a page with crop-mark margins)
    assert clear_of_band(Rect(10, 30, 50, 50), trim, 10.0, "bottom") == Rect(10, 40, 50, 40)
    assert clear_of_band(Rect(10, 200, 50, 30), trim, 10.0, "top") == Rect(10, 200, 50, 20)


def test_a_band_at_the_top_leaves_a_rectangle_at_the_foot_alone_and_the_other_way_round():
    assert clear_of_band(Rect(10, 0, 50, 50), TRIM, 10.0, "top") == Rect(10, 0, 50, 50)
    assert clear_of_band(Rect(10, 150, 50, 50), TRIM, 10.0, "bottom") == Rect(10, 150, 50, 50)


# --- a style stepped down the layout's type scale -----------------------------------------------------

def layout(scale: dict[str, float], min_body: float = 10.0) -> Layout:
    return Layout("t", "poster", 210, 297, 3, 5, min_body, 1.0, scale, (), "t.title", "t.title", None, (), False, (),
                  (), "t.yaml", LOC)


def style(size: str, role: str = "body") -> TextStyle:
    return TextStyle("s", "a", False, False, size, 1.2, "ink", "left", role, LOC)


SCALE = {"small": 7.0, "body": 10.0, "number": 10.0, "lead": 12.0, "heading": 14.0, "display": 20.0}


@pytest.mark.parametrize("size, n, to", [
    ("display", 0, "display"),  # no step: the style itself
    ("display", 1, "heading"), ("display", 2, "lead"), ("display", 3, "body"),  # body and number are both 10: body
    ("display", 4, "body"),  # never below the minimum (10), so small (7) is never reached
    ("display", 9, "body"),
    ("lead", 1, "body"),
    ("body", 1, "body"),  # already at the minimum
])
def test_a_step_goes_down_the_scale_to_a_size_no_smaller_than_the_minimum(size: str, n: int, to: str):
    assert stepped(style(size), n, layout(SCALE)).size == to


def test_small_text_keeps_its_size():
    assert stepped(style("body", role="small"), 1, layout(SCALE, min_body=4.0)).size == "body"


def test_a_size_a_hair_above_the_minimum_is_a_step_and_one_a_hair_below_is_not():
    scale = {"a": 9.995, "b": 12.0, "c": 9.98}
    assert stepped(style("b"), 1, layout(scale)).size == "a"  # within 0.01 of the minimum 10
    assert stepped(style("b"), 2, layout(scale)).size == "a"  # and 9.98 is below it
    assert stepped(style("b"), 1, layout({"a": 11.995, "b": 12.0}, min_body=11.0)).size == "b"  # not a step down


@pytest.mark.parametrize("n", [-1, 0])
def test_no_step_or_a_negative_one_changes_nothing(n: int):
    assert stepped(style("display"), n, layout(SCALE)).size == "display"


def test_of_two_names_for_one_size_the_first_in_alphabetical_order_is_taken():
    assert stepped(style("lead"), 1, layout({"zz": 10.0, "aa": 10.0, "lead": 12.0})).size == "aa"


# --- an image fitted ------------------------------------------------------------------------------------

def test_a_wide_image_fills_the_width_and_is_centred_up_and_down():
    img = fit_image(ImageRef("p.png", 300, 100), Rect(10.0, 20.0, 72.0, 72.0), "who")
    assert (img.rect.x, img.rect.y, img.rect.w, img.rect.h) == pytest.approx((10.0, 20.0 + 24.0, 72.0, 24.0))
    assert img.dpi == pytest.approx(300.0) and (img.path, img.box) == ("p.png", "who")


def test_a_tall_image_fills_the_height_and_is_centred_across():
    img = fit_image(ImageRef("p.png", 100, 200), Rect(10.0, 20.0, 72.0, 72.0), "who")
    assert (img.rect.x, img.rect.y, img.rect.w, img.rect.h) == pytest.approx((10.0 + 18.0, 20.0, 36.0, 72.0))
    assert img.dpi == pytest.approx(200.0)


# --- balanced columns ---------------------------------------------------------------------------------

def brute(heights: list[float], gap: float, cols: int) -> list[list[int]]:
    """Every in-order split tried, first column shortest first: the one balance must find."""
    n = len(heights)
    best, best_h = None, None
    for cuts in itertools.combinations_with_replacement(range(n + 1), cols - 1):
        bounds = [0, *cuts, n]
        split = [list(range(bounds[i], bounds[i + 1])) for i in range(cols)]
        tall = max(sum(heights[j] for j in c) + gap * max(0, len(c) - 1) for c in split)
        if best_h is None or tall < best_h - 1e-9:
            best, best_h = split, tall
    return best


@pytest.mark.parametrize("heights, gap, cols", [
    ([10, 10, 10, 30], 0, 2), ([10, 10, 10, 30], 5, 2), ([1, 2, 3, 4, 5, 6], 1, 3), ([5, 5, 5, 5], 0.5, 2),
    ([30, 10, 10, 10], 2, 2), ([7, 3, 9, 1, 4, 4, 2], 1.25, 3), ([1, 1], 0, 3), ([12.5, 12.5, 25.0], 2.5, 2),
    ([0.1, 0.2, 0.3], 0.1, 2), ([1, 1], 10, 2), ([2, 3, 4], 5, 3),  # gaps wider than the items
])
def test_balance_finds_the_split_trying_every_split_finds(heights: list[float], gap: float, cols: int):
    assert balance(heights, gap, cols) == brute(heights, gap, cols)


def test_balance_with_one_column_or_one_item_gives_one_list():
    assert balance([1, 2, 3], 1, 1) == [[0, 1, 2]]
    assert balance([4], 1, 3) == [[0]]
    assert balance([], 1, 3) == [[]]


def test_a_column_exactly_as_tall_as_the_cap_is_kept():
    """0.1 + 0.2 is not 0.3 in floats; as exact integers the split [0.1, 0.2 | 0.3] is found."""
    assert balance([0.1, 0.2, 0.3], 0.0, 2) == [[0, 1], [2]]


def test_exact_turns_heights_and_gap_into_integers_over_one_denominator():
    prefix, step = _exact([0.5, 0.25, 1.0], 0.125)
    assert prefix == [0, 4, 6, 14] and step == 1  # eighths


def test_columns_needed_counts_columns_from_each_item():
    prefix, step = _exact([1.0, 1.0, 1.0], 0.0)
    assert _columns_needed(prefix, step, 2) == [2, 1, 1, 0]
    assert _columns_needed(prefix, step, 3) == [1, 1, 1, 0]
    assert _columns_needed(prefix, step, 0) == [IMPOSSIBLE, IMPOSSIBLE, IMPOSSIBLE, 0]
    prefix, step = _exact([3.0, 1.0, 1.0], 0.0)  # the first item alone is taller than the cap
    assert _columns_needed(prefix, step, 2) == [IMPOSSIBLE, 1, 1, 0]
    prefix, step = _exact([1.0, 1.0, 1.0], 1.0)  # a gap between items in a column
    assert _columns_needed(prefix, step, 3) == [2, 1, 1, 0]
    assert _columns_needed(prefix, step, 2) == [3, 2, 1, 0]


# --- a page's arrangements: the first in which every box fits, else the last ----------------------------------------

def page_alts(*alts: str, box: str = "{name: a, kind: text, x: 10, y: 10, w: 30, h: 30, text: t.six}") -> str:
    """A page of one box ``a`` (30 x 30 mm, "six": two lines) and arrangements that change it."""
    return "pages:\n  - name: p\n    boxes:\n      - " + box + "\n    alternatives:\n" + "".join(
        f"      - {a}\n" for a in alts)


def test_the_first_arrangement_in_which_every_box_fits_is_printed(tmp_path: Path):
    doc = lay(tmp_path, page_alts("{name: as-is}", "{name: small, change: {a: {style: small}}}"))
    assert doc.fit == {"p": "as-is"}
    assert {run.size for ln in doc.pages[0].lines for run in ln.runs} == {10}


@pytest.mark.parametrize("n", [2, 3])
def test_when_no_arrangement_fits_the_last_and_tightest_is_printed(tmp_path: Path, n: int):
    """The box is 3 mm (8.5 pt) tall: neither two lines nor one (12.5 pt), nor small type, fit."""
    box = "{name: a, kind: text, x: 10, y: 10, w: 30, h: 3, text: t.six}"
    alts = ["{name: first}", "{name: second, change: {a: {text: [t.three]}}}",
            "{name: third, change: {a: {style: small}}}"][-n:]
    doc = lay(tmp_path, page_alts(*alts, box=box))
    assert doc.fit == {"p": "third"}


def test_an_arrangement_with_a_word_too_wide_for_its_line_does_not_fit_though_its_height_does(tmp_path: Path):
    """"Antidisestablishmentarianism" (28 letters, 140 pt) fits no 30 mm line, in any height."""
    box = "{name: a, kind: text, x: 10, y: 10, w: 30, h: 30, text: t.one}"
    doc = lay(tmp_path, page_alts("{name: wide-word, change: {a: {text: [t.long]}}}", "{name: plain}", box=box),
              texts={"long": "Antidisestablishmentarianism"})
    assert doc.fit == {"p": "plain"}


@pytest.mark.parametrize("h, chosen", [(24.0 * 25.4 / 72, "small"), (24.6 * 25.4 / 72, "as-is")])
def test_an_arrangement_whose_box_overflows_by_a_point_does_not_fit(tmp_path: Path, h: float, chosen: str):
    """Two lines (25 pt) in 24 pt overflow by 1 pt, past the 0.5 pt tolerance; in 24.6 pt they fit."""
    box = f"{{name: a, kind: text, x: 10, y: 10, w: 30, h: {h!r}, text: t.six}}"
    doc = lay(tmp_path, page_alts("{name: as-is}", "{name: small, change: {a: {style: small}}}", box=box))
    assert doc.fit == {"p": chosen}


def test_only_the_printed_arrangements_contacts_and_faces_are_the_documents(tmp_path: Path):
    """In bold, "Call 0808 800 5000" takes two lines (25 pt): it fits a box 30 mm tall, not one 6 mm tall."""
    alts = ("{name: calls, change: {a: {text: [t.calls], style: label}}}", "{name: plain}")
    doc = lay(tmp_path, page_alts(*alts, box="{name: a, kind: text, x: 10, y: 10, w: 30, h: 30, text: t.one}"))
    assert doc.fit == {"p": "calls"} and "c2" in doc.contacts and "halfem-bold" in doc.fonts
    doc = lay(tmp_path / "2", page_alts(*alts, box="{name: a, kind: text, x: 10, y: 10, w: 30, h: 6, text: t.one}"))
    assert doc.fit == {"p": "plain"} and "c2" not in doc.contacts and "halfem-bold" not in doc.fonts


# --- the draft band of an unreviewed translation ---------------------------------------------------------------------

def draft(tmp_path: Path, body: str, band: str = "top", styles_edit=None):
    """``body`` composed in Welsh, a translation not yet reviewed (so it carries the band)."""
    from cseprint.compose import OFFICE, compose
    from cseprint.validate import load_content, load_layouts

    from .conftest import FONTS
    from .flowkit import HalfEm, content_folder, layout_folder

    welsh = {"title": "T", "one": "aaaa", "six": "aaaa bbbb cccc dddd eeee ffff"}
    c = content_folder(tmp_path, welsh=welsh)
    (c / "cy" / "_locale.yaml").write_text("name: Cymraeg\nreviewed: false\n", encoding="utf-8")
    d = layout_folder(tmp_path, f"draft_band: {band}\n" + body)
    t = d / "t.yaml"
    t.write_text(t.read_text(encoding="utf-8").replace("safe: 0}", "safe: 5}"), encoding="utf-8")  # a safe zone
    if styles_edit:
        text = (d / "_styles.yaml").read_text(encoding="utf-8")
        (d / "_styles.yaml").write_text(styles_edit(text), encoding="utf-8")
    content = load_content(c)
    styles, layouts = load_layouts(d, FONTS, content, ["t"], [["cy"]])
    return compose(layouts["t"], styles, content, HalfEm(), "cy", OFFICE)[0]


TOP_STACK_AND_GRID = """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        x: 0
        y: 0
        w: 90
        h: 100
        boxes:
          - {name: a, kind: text, text: t.one}
      - name: g
        kind: grid
        columns: 1
        x: 100
        y: 0
        w: 50
        h: 100
        boxes:
          - {name: b, kind: text, text: t.one}
      - {name: c, kind: text, x: 0, y: 150, w: 100, h: 20, text: t.one}
      - {name: d, kind: text, x: 160, y: 0, w: 40, h: 20, text: t.one}
"""


def test_the_band_runs_across_the_top_and_a_stack_or_grid_there_flows_below_it(tmp_path: Path):
    page = draft(tmp_path, TOP_STACK_AND_GRID).pages[0]
    band = report(page, "draft-band")
    lines = [ln for ln in page.lines if ln.box == "draft-band"]
    blk_h = len(lines) * 7 * 1.2  # the band's small type, 7 pt with a leading of 1.2
    assert band.rect.y1 == pytest.approx(page.trim.y1)
    assert band.rect.h == pytest.approx(mm(5) + blk_h + mm(1))  # safe zone, the words, 1 mm
    assert band.needed == pytest.approx(blk_h) and band.background == "sun"
    assert report(page, "a").rect.y1 == pytest.approx(band.rect.y)
    assert report(page, "b").rect.y1 == pytest.approx(band.rect.y)
    assert report(page, "c").rect.y1 == pytest.approx(page.trim.y1 - mm(150))  # an absolute box stays put,
    assert report(page, "d").rect.y1 == pytest.approx(page.trim.y1)  # under the band too (it must leave room itself)
    fill = next(f for f in page.fills if f.box == "draft-band")
    assert fill.colour == "sun" and fill.rect.y1 == pytest.approx(band.rect.y1)
    assert lines[0].y == pytest.approx(band.rect.y1 - mm(5) - 6.475)  # the words start at the safe zone
    first = lines[0].runs[0]
    assert first.x == pytest.approx(page.safe.x + (page.safe.w - 3.5 * len(lines[0].text)) / 2)  # centred
    assert [run.text for ln in lines for run in ln.runs] and all(ln.role == "small" for ln in lines)


def test_at_the_foot_the_band_sits_on_the_trims_bottom_edge(tmp_path: Path):
    body = TOP_STACK_AND_GRID.replace("y: 0\n        w: 90", "y: 197\n        w: 90").replace(
        "y: 0\n        w: 50", "y: 197\n        w: 50")
    assert body.count("y: 197") == 2
    page = draft(tmp_path, body, band="bottom").pages[0]
    band = report(page, "draft-band")
    lines = [ln for ln in page.lines if ln.box == "draft-band"]
    blk_h = len(lines) * 7 * 1.2
    assert band.rect.y == pytest.approx(page.trim.y) and band.rect.h == pytest.approx(mm(5) + blk_h + mm(1))
    assert report(page, "s").rect.y == pytest.approx(band.rect.y1)  # the stack stops above the band
    assert report(page, "g").rect.y == pytest.approx(band.rect.y1)
    # the words end half a mm above the band's foot: the first line's slot starts at their height above that,
    # and 7 pt type with a leading of 1.2 has its baseline 6.475 pt below its slot's top
    assert lines[0].y == pytest.approx(band.rect.y + blk_h + mm(0.5) - 6.475)


def test_without_a_draft_style_or_a_sun_colour_the_band_is_small_type_on_paper(tmp_path: Path):
    def edit(text: str) -> str:
        text = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith(("draft-band:", "sun:")))
        return text.replace("colour: sun", "colour: ink") + "\n"

    page = draft(tmp_path, TOP_STACK_AND_GRID, styles_edit=edit).pages[0]
    band = report(page, "draft-band")
    assert band.background is None
    assert next(f for f in page.fills if f.box == "draft-band").colour == "paper"
    assert {run.font for ln in page.lines if ln.box == "draft-band" for run in ln.runs} == {"halfem-bold"}


# --- one box: its language, and whether it makes the document a school's ------------------------------------------------

def test_a_box_pinned_to_a_language_reads_that_language_and_the_next_box_its_own(tmp_path: Path):
    from .flowkit import lines_of

    body = """\
    pages:
      - name: p
        boxes:
          - {name: w, kind: text, x: 10, y: 10, w: 50, h: 10, text: t.one, locale: cy}
          - {name: e, kind: text, x: 10, y: 30, w: 50, h: 10, text: t.one}
    """
    page = lay(tmp_path, body, welsh={"title": "T", "one": "un"}).pages[0]
    assert (lines_of(page, "w"), lines_of(page, "e")) == (["un"], ["aaaa"])


def test_a_boxs_type_step_is_its_own_and_not_the_next_boxs(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: a, kind: text, x: 10, y: 10, w: 50, h: 10, text: t.one, style: heading, type_step: 1}
          - {name: b, kind: text, x: 10, y: 30, w: 50, h: 10, text: t.one, style: heading}
    """
    page = lay(tmp_path, body).pages[0]
    assert [(ln.box, ln.runs[0].size) for ln in page.lines] == [("a", 10), ("b", 12)]


@pytest.mark.parametrize("when, school_build, uses", [
    ("always", True, False),  # national text in a school's build is not the school's
    ("school", True, True),  # a box shown only for a school is
    ("no-school", False, False),  # and a box for national builds never is
    ("always", False, False),
])
def test_a_document_is_a_schools_when_it_prints_a_box_for_schools(tmp_path: Path, when: str, school_build: bool,
                                                                   uses: bool):
    from .flowkit import school

    body = f"""\
    pages:
      - name: p
        boxes:
          - {{name: a, kind: text, x: 10, y: 10, w: 50, h: 10, text: t.one, when: {when}}}
    """
    doc = lay(tmp_path, body, school=school(0) if school_build else None)
    assert doc.uses_school is uses


def test_a_people_box_makes_the_document_a_schools_whenever_it_is_shown(tmp_path: Path):
    from .flowkit import school

    body = """\
    pages:
      - name: p
        boxes:
          - {name: who, kind: people, x: 10, y: 10, w: 150, h: 100, photos: false}
    """
    body = "needs_school: true\n" + textwrap.dedent(body)
    assert lay(tmp_path, body, school=school(0)).uses_school is True


@pytest.mark.parametrize("scale, to", [
    ({"a": 9.99, "b": 12.0}, "a"),  # exactly 0.01 under the minimum (10): close enough to count as it
    ({"a": 11.99, "b": 12.0}, "b"),  # exactly 0.01 under the size itself: the same size, not a step down
    ({"a": 11.5, "b": 12.0}, "a"),  # half a point down is a step
])
def test_the_hundredth_of_a_point_either_side_of_a_step(scale: dict, to: str):
    assert stepped(style("b"), 1, layout(scale)).size == to
