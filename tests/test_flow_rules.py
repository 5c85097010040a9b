"""compose/flow's rules, one at a time, on the pure functions: what a box used is merged whole,
what "fits" and "overflow" mean at their limits, padding taken off the right sides, and how
spare room is shared out.

Every number here is worked out by hand; mm(1) is 72/25.4 pt.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cseprint.compose.flow import (
    Measured,
    Region,
    Uses,
    across_widths,
    down,
    inner_rect,
    inner_width,
    share,
    sized,
    skipped,
)
from cseprint.document import FIT_TOL, Rect, mm
from cseprint.errors import Location
from cseprint.models import Box

from .flowkit import in_mm, lay, lines_of, report

LOC = Location("t.yaml", 1, 1)


def box(**kw) -> Box:
    return Box(kw.pop("name", "b"), kw.pop("kind", "text"), None, None, kw.pop("w", None), kw.pop("h", None), LOC, **kw)


# --- what a box used ------------------------------------------------------------------------------

def test_a_fresh_uses_has_used_nothing():
    """A box that printed nothing of a school's must not mark the document as a school's."""
    u = Uses()
    assert (u.contacts, u.faces, u.fell_back, u.school, u.fit, u.too_wide, u.printed) == (
        set(), set(), set(), False, {}, 0, set())


def test_merge_takes_everything_the_other_used():
    a = Uses(contacts={"c1"}, faces={"f1"}, fell_back={"k1"}, school=False, fit={"p.a": "one"}, too_wide=1,
             printed={("en-GB", "t.a")})
    b = Uses(contacts={"c2"}, faces={"f2"}, fell_back={"k2"}, school=True, fit={"p.b": "two"}, too_wide=2,
             printed={("cy", "t.b")})
    a.merge(b)
    assert a.contacts == {"c1", "c2"} and a.faces == {"f1", "f2"} and a.fell_back == {"k1", "k2"}
    assert a.school is True and a.fit == {"p.a": "one", "p.b": "two"} and a.too_wide == 3
    assert a.printed == {("en-GB", "t.a"), ("cy", "t.b")}


@pytest.mark.parametrize("mine, theirs, merged", [(False, False, False), (True, False, True), (False, True, True),
                                                  (True, True, True)])
def test_a_school_once_used_stays_used(mine: bool, theirs: bool, merged: bool):
    a = Uses(school=mine)
    a.merge(Uses(school=theirs))
    assert a.school is merged


# --- fits and overflow at their limits ----------------------------------------------------------------

def measured(need: float, cap: float, too_wide: int = 0) -> Measured:
    return Measured(box(), need, need, cap, need, uses=Uses(too_wide=too_wide))


@pytest.mark.parametrize("need, cap, overflow", [(30.0, 20.0, 10.0), (20.0, 20.0, 0.0), (10.0, 20.0, 0.0),
                                                 (5.0, math.inf, 0.0)])
def test_overflow_is_how_far_past_its_cap_a_box_needs(need: float, cap: float, overflow: float):
    assert measured(need, cap).overflow == pytest.approx(overflow)


@pytest.mark.parametrize("need, fits", [(20.0, True), (20.0 + FIT_TOL, True), (20.0 + FIT_TOL + 1e-6, False)])
def test_a_box_fits_within_the_tolerance_and_not_a_hair_past_it(need: float, fits: bool):
    assert measured(need, 20.0).fits is fits


def test_a_box_with_a_word_wider_than_its_line_does_not_fit():
    assert measured(10.0, 20.0, too_wide=1).fits is False


def test_a_skipped_box_takes_no_room_and_may_take_any():
    m = skipped(box())
    assert (m.need, m.h, m.cap, m.content, m.skipped) == (0.0, 0.0, math.inf, 0.0, True)
    assert m.fits and m.overflow == 0.0


# --- padding: top, right, bottom, left ------------------------------------------------------------------

PAD = box(padding=(1.0, 2.0, 3.0, 4.0))  # mm: top 1, right 2, bottom 3, left 4


def test_the_inner_width_is_the_width_less_the_left_and_right_padding():
    assert inner_width(PAD, Region(100.0)) == pytest.approx(100.0 - mm(6))


def test_the_inner_rectangle_takes_each_sides_padding_off_that_side():
    """PDF's y grows upwards: the bottom padding raises the inner rectangle's foot."""
    r = inner_rect(PAD, Rect(10.0, 20.0, 100.0, 50.0))
    assert (r.x, r.y, r.w, r.h) == pytest.approx((10.0 + mm(4), 20.0 + mm(3), 100.0 - mm(6), 50.0 - mm(4)))


# --- sized: a box's height from its content ---------------------------------------------------------------

def test_a_box_needs_its_content_and_its_top_and_bottom_padding():
    m = sized(PAD, Region(100.0), 10.0, None)
    assert (m.need, m.h, m.cap, m.content) == pytest.approx((10.0 + mm(4), 10.0 + mm(4), math.inf, 10.0))


def test_an_empty_box_without_min_h_takes_no_height():
    m = sized(box(), Region(100.0), 0.0, None)
    assert (m.need, m.h) == (0.0, 0.0)


@pytest.mark.parametrize("content, h", [(5.0, mm(10)), (mm(10), mm(10)), (mm(15), mm(15)), (mm(25), mm(20))])
def test_min_h_and_max_h_keep_the_height_between_them(content: float, h: float):
    m = sized(box(min_h=10.0, max_h=20.0), Region(100.0), content, None)
    assert m.h == pytest.approx(h) and m.cap == pytest.approx(mm(20)) and m.need == pytest.approx(content)


def test_a_fixed_height_is_both_the_height_and_the_cap_and_the_region_may_lower_the_cap():
    m = sized(box(h=10.0), Region(100.0), 50.0, None)
    assert (m.h, m.cap) == pytest.approx((mm(10), mm(10)))
    assert sized(box(h=10.0), Region(100.0, 5.0), 1.0, None).cap == pytest.approx(5.0)


# --- share and down -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, weights, parts", [
    (10.0, [], []),
    (10.0, [0.25, 0.75], [2.5, 7.5]),  # weights that sum to 1 are proportions like any other
    (10.0, [0.5], [10.0]),
    (9.0, [0.0, 0.0, 0.0], [3.0, 3.0, 3.0]),
    (12.0, [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]),
])
def test_share_splits_in_proportion(total: float, weights: list[float], parts: list[float]):
    assert share(total, weights) == pytest.approx(parts)


def test_a_single_growing_box_takes_all_the_room_with_no_gap_to_leave():
    assert down([10.0], [1.0], [math.inf], 100.0, 5.0) == ([0.0], [100.0])


def test_spare_room_of_a_hair_is_still_given_and_none_is_not():
    tops, hs = down([10.0, 20.0], [1.0, 0.0], [math.inf, math.inf], 35.0 + 1e-6, 5.0)
    assert hs[0] == pytest.approx(10.0 + 1e-6, abs=1e-12)
    assert down([10.0, 20.0], [1.0, 0.0], [math.inf, math.inf], 35.0, 5.0) == ([0.0, 15.0], [10.0, 20.0])


def test_a_box_at_its_max_h_takes_no_more_and_the_rest_goes_to_the_others():
    tops, hs = down([10.0, 10.0], [1.0, 1.0], [12.0, math.inf], 40.0, 0.0)
    assert hs == pytest.approx([12.0, 28.0]) and tops == pytest.approx([0.0, 12.0])


# --- across: fixed widths first -----------------------------------------------------------------------------

def test_across_widths_fixed_first_then_grow_shares_with_gaps_between():
    kids = [box(name="a"), box(name="b", w=20.0), box(name="c", grow=3.0)]
    got = across_widths(kids, 100.0 + mm(20), mm(2))
    # 100 pt + 20 mm - 20 mm (b) - 2 gaps of 2 mm = 100 - 4 mm shared 1 : 3
    free = 100.0 - mm(4)
    assert got == pytest.approx([free / 4, mm(20), free * 3 / 4])
    assert across_widths([box(name="a")], 50.0, 7.0) == pytest.approx([50.0])  # one box: no gap


def test_a_box_with_less_than_a_point_of_room_left_still_takes_it():
    """Round 1: 5 pt each; b stops at its max_h 12 and gives back 3, a keeps 0.5 pt of room. Round 2
    gives a that 0.5 pt: what is left is never lost, however little."""
    tops, hs = down([10.0, 10.0], [1.0, 1.0], [15.5, 12.0], 30.0, 0.0)
    assert hs == pytest.approx([15.5, 12.0]) and tops == pytest.approx([0.0, 15.5])


# --- a stack's alternatives, each measured in what the others leave ---------------------------------------
#
# The stack is 30 mm wide (three 20-pt words a line); a is "six" (two lines, 25 pt); x and y each have
# a big and a small arrangement. x is measured first, keeping room for y's last (smallest) arrangement
# and the gaps (2 mm = 5.67 pt each):
#   x big (twelve: four lines, 50 pt) fits when 25 + 5.67 + 50 + 5.67 + 12.5 <= room + 0.5, room >= 98.34 pt (34.69 mm)
#   then y big (six: 25 pt) fits beside a and x big when room >= 110.84 pt (39.10 mm)

STACK_ALTS = """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        x: 10
        y: 10
        w: 30
        h: {h}
        padding: {padding}
        boxes:
          - {{name: a, kind: text, text: t.six}}
          - {{name: x, kind: text, text: t.twelve, alternatives: [{{name: big}}, {{name: small, text: t.one}}]}}
          - {{name: y, kind: text, text: t.six, when: {when}, alternatives: [{{name: big}}, {{name: small, text: t.one}}]}}
"""


def stack_alts(tmp_path: Path, h: float, padding: str = "0", when: str = "always") -> dict[str, str]:
    return lay(tmp_path, STACK_ALTS.format(h=h, padding=padding, when=when)).fit


@pytest.mark.parametrize("h, x, y", [(34.6, "small", "big"), (34.8, "big", "small"), (39.0, "big", "small"),
                                     (39.2, "big", "big")])
def test_each_alternative_keeps_room_for_the_smallest_arrangement_of_those_after_it(
        tmp_path: Path, h: float, x: str, y: str):
    assert stack_alts(tmp_path, h) == {"p.x": x, "p.y": y}


@pytest.mark.parametrize("h, x", [(34.6 + 5, "small"), (34.8 + 5, "big")])
def test_a_stacks_top_and_bottom_padding_are_not_room_for_its_boxes(tmp_path: Path, h: float, x: str):
    assert stack_alts(tmp_path, h, padding="[2, 0, 3, 0]")["p.x"] == x


@pytest.mark.parametrize("h, x", [(28.1, "small"), (28.3, "big")])
def test_a_box_left_out_keeps_no_room(tmp_path: Path, h: float, x: str):
    """y is for schools only: x may use its room (big fits when 25 + 5.67 + 50 <= room + 0.5: 28.19 mm)."""
    assert stack_alts(tmp_path, h, when="school") == {"p.x": x}


ONE_ALT = """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        x: 10
        y: 10
        w: 30
        h: {h}
        boxes:
          - {{name: x, kind: text, text: t.twelve, alternatives: [{{name: big}}, {{name: small, text: t.one}}]}}
"""


@pytest.mark.parametrize("h, x", [(17.4, "small"), (17.8, "big")])
def test_the_first_box_of_a_stack_has_no_gap_above_it(tmp_path: Path, h: float, x: str):
    """x big needs 50 pt: it fits in 17.8 mm (50.46 pt), and not in 17.4 (49.3 pt, past the 0.5 pt tolerance)."""
    assert lay(tmp_path, ONE_ALT.format(h=h)).fit == {"p.x": x}


# --- optional boxes: shown where there is room, at the limit ----------------------------------------------

OPTIONAL = """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        x: 10
        y: 10
        w: 30
        h: {h}
        padding: {padding}
        boxes:
          - {{name: a, kind: text, text: t.six}}
          - {{name: extra, kind: text, text: t.calls, optional: true}}
          - {{name: later, kind: text, text: t.one, optional: true, when: school}}
"""


@pytest.mark.parametrize("h, padding, shown", [
    # a 25 pt, a gap 5.67 pt, extra ("Call 0808 800 5000", two lines) 25 pt: 55.67 pt, less the 0.5 pt
    # tolerance 55.17 pt = 19.46 mm
    (19.4, "0", False), (19.5, "0", True),
    (18.0, "0", False),  # room for a and extra without the gap between them
    (24.4, "[2, 0, 3, 0]", False), (24.5, "[2, 0, 3, 0]", True),  # and 5 mm of padding
])
def test_an_optional_box_is_shown_when_it_fits_within_the_tolerance(tmp_path: Path, h: float, padding: str,
                                                                    shown: bool):
    doc = lay(tmp_path, OPTIONAL.format(h=h, padding=padding))
    assert doc.fit == {"p.extra": "shown" if shown else "left out"}  # nothing said of a box not for this build
    assert bool(lines_of(doc.pages[0], "extra")) is shown
    assert ("c2" in doc.contacts) is shown  # the number it prints is the document's only when it is printed


def test_a_stack_with_nothing_shown_needs_nothing(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - name: s
            kind: stack
            x: 10
            y: 10
            w: 30
            h: 20
            boxes:
              - {name: a, kind: text, text: t.one, when: school}
    """
    page = lay(tmp_path, body).pages[0]
    assert report(page, "s").needed == 0.0


# --- across: each box measured in the row's height, less its padding ----------------------------------------

ACROSS_ALTS = """\
pages:
  - name: p
    boxes:
      - name: row
        kind: stack
        direction: across
        x: 10
        y: 10
        w: 60
        h: {h}
        padding: {padding}
        boxes:
          - {{name: x, kind: text, text: t.twelve, alternatives: [{{name: big}}, {{name: small, text: t.one}}]}}
          - {{name: z, kind: text, text: t.one, when: {when}}}
"""


@pytest.mark.parametrize("h, padding, x", [(17.4, "0", "small"), (17.8, "0", "big"),
                                           (22.4, "[2, 0, 3, 0]", "small"), (22.8, "[2, 0, 3, 0]", "big")])
def test_a_box_side_by_side_chooses_its_arrangement_in_the_rows_height_less_padding(
        tmp_path: Path, h: float, padding: str, x: str):
    """x is 28 mm wide (two boxes, 60 mm less a 2 mm gap), so "twelve" takes four lines, 50 pt:
    it fits a row of 17.8 mm (50.46 pt), not one of 17.4 mm (49.3 pt), and 5 mm more with padding."""
    doc = lay(tmp_path, ACROSS_ALTS.format(h=h, padding=padding, when="always"))
    assert doc.fit == {"p.x": x}


def test_a_row_with_nothing_shown_needs_nothing(tmp_path: Path):
    body = ACROSS_ALTS.format(h=20, padding=0, when="school").replace(
        "text: t.twelve, alternatives", "when: school, text: t.twelve, alternatives")
    page = lay(tmp_path, body).pages[0]
    assert report(page, "row").needed == 0.0 and [r.box for r in page.boxes] == ["row"]


# --- valign: where a stack's or grid's boxes sit when they leave room over (or need more) ------------------
#
# Stack: a (two lines, 25 pt), a 2 mm gap, b (one line, 12.5 pt): 43.17 pt used.
# Grid: a row of 25 pt (a beside b), a 5 mm gap, a row of 12.5 pt (c): 51.67 pt used.

VALIGN = {
    "stack": """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        valign: {valign}
        x: 10
        y: 10
        w: 30
        h: {h}
        boxes:
          - {{name: a, kind: text, text: t.six}}
          - {{name: b, kind: text, text: t.one}}
""",
    "grid": """\
pages:
  - name: p
    boxes:
      - name: s
        kind: grid
        valign: {valign}
        columns: 2
        column_gap: 10
        gap: 5
        x: 10
        y: 10
        w: 70
        h: {h}
        boxes:
          - {{name: a, kind: text, text: t.six}}
          - {{name: b, kind: text, text: t.one}}
          - {{name: c, kind: text, text: t.one}}
""",
}
USED = {"stack": 37.5 + mm(2), "grid": 37.5 + mm(5)}


@pytest.mark.parametrize("kind", ["stack", "grid"])
@pytest.mark.parametrize("spare", [40.0, 0.5, -0.5, -20.0])  # pt of room over (less than nothing: overfull)
@pytest.mark.parametrize("valign", ["top", "middle", "bottom"])
def test_valign_moves_the_boxes_down_by_the_room_left_over_never_up(tmp_path: Path, kind: str, spare: float,
                                                                    valign: str):
    h = (USED[kind] + spare) / mm(1)
    page = lay(tmp_path, VALIGN[kind].format(valign=valign, h=h)).pages[0]
    top = report(page, "s").rect.y1
    shift = {"top": 0.0, "middle": spare / 2, "bottom": spare}[valign] if spare > 0 else 0.0
    assert top - report(page, "a").rect.y1 == pytest.approx(shift, abs=1e-6)
    last = report(page, "b" if kind == "stack" else "c").rect
    assert top - last.y == pytest.approx(shift + USED[kind], abs=1e-6)  # every box moves together


def test_a_box_of_fixed_height_in_a_stack_does_not_grow(tmp_path: Path):
    body = VALIGN["stack"].format(valign="top", h=100).replace("text: t.one}", "text: t.one, h: 10, grow: 1}")
    page = lay(tmp_path, body).pages[0]
    assert report(page, "b").rect.h == pytest.approx(mm(10))


# --- grids of three columns and three rows ---------------------------------------------------------------------

GRID3 = """\
pages:
  - name: p
    boxes:
      - name: grid
        kind: grid
        valign: {valign}
        columns: 3
        column_gap: 4
        gap: 3
        x: 10
        y: 10
        w: 100
        h: 100
        boxes:
          - {{name: a, kind: text, text: t.six}}
""" + "".join(f"          - {{{{name: {n}, kind: text, text: t.one, when: {{when}}}}}}\n" for n in "bcdefg")


@pytest.mark.parametrize("valign", ["top", "bottom"])
def test_a_grid_of_three_columns_and_rows_places_each_cell_by_hand(tmp_path: Path, valign: str):
    """Columns (100 - 2 x 4) / 3 = 30.67 mm; rows of 25, 12.5 and 12.5 pt with 3 mm between them."""
    page = lay(tmp_path, GRID3.format(valign=valign, when="always")).pages[0]
    col = (100 - 8) / 3
    used = 50.0 + 2 * mm(3)
    assert report(page, "grid").needed == pytest.approx(used)
    shift = (mm(100) - used) / mm(1) if valign == "bottom" else 0.0
    want = {"a": (10, 10, col, 25.0), "c": (10 + 2 * (col + 4), 10, col, 25.0),
            "e": (10 + col + 4, 10 + 25.0 / mm(1) + 3, col, 12.5),
            "g": (10, 10 + 37.5 / mm(1) + 6, col, 12.5)}
    for name, (x, y, w, h) in want.items():
        assert in_mm(page, report(page, name).rect) == pytest.approx((x, y + shift, w, h / mm(1))), name


def test_a_grid_of_one_row_needs_that_row_and_an_empty_grid_nothing(tmp_path: Path):
    body = GRID3.format(valign="top", when="school")
    page = lay(tmp_path, body).pages[0]
    assert report(page, "grid").needed == pytest.approx(25.0)  # a alone: one row, no gap
    page = lay(tmp_path / "2", body.replace("text: t.six}", "text: t.six, when: school}")).pages[0]
    assert report(page, "grid").needed == 0.0


def test_a_grid_of_one_row_at_the_bottom_has_no_gap_below_it(tmp_path: Path):
    page = lay(tmp_path, GRID3.format(valign="bottom", when="school")).pages[0]
    assert report(page, "a").rect.y == pytest.approx(report(page, "grid").rect.y)


def test_an_optional_box_needing_exactly_the_room_and_the_tolerance_is_shown(tmp_path: Path):
    """37 pt of room (this h, as written, is exactly 37 pt): a (25 pt) and extra (12.5 pt) need 37.5 pt,
    the room plus the 0.5 pt tolerance to the last bit; "fits" includes its limit, here as in preflight."""
    body = f"""\
    pages:
      - name: p
        boxes:
          - name: s
            kind: stack
            x: 10
            y: 10
            w: 30
            h: {37.0 * 25.4 / 72!r}
            gap: 0
            boxes:
              - {{name: a, kind: text, text: t.six}}
              - {{name: extra, kind: text, text: t.one, optional: true}}
    """
    assert mm(37.0 * 25.4 / 72) == 37.0
    assert lay(tmp_path, body).fit == {"p.extra": "shown"}
