"""Flow layout, WeasyPrint-style: tiny inline layouts, simple metrics, exact geometry.

Every character is half an em wide (``flowkit.HalfEm``), body text is 10 pt with
a leading of 1.25, so a line is 12.5 pt tall and "aaaa bbbb cccc" is 70 pt
wide: each expected position below is worked out by hand from those numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cseprint.compose.flow import Measured, Region, choose, down, share
from cseprint.document import mm
from cseprint.models import Alternative
from cseprint.preflight import check_document
from cseprint.validate import load_content

from .flowkit import LINE, MM, in_mm, lay, lines_of, report, school

# 30 mm = 85.04 pt: three 20-pt words with their spaces (70 pt) fit a line, four (95 pt) do not
STACK = """\
pages:
  - name: p
    boxes:
      - name: s
        kind: stack
        x: 10
        y: 20
        w: 30
        h: 100
        gap: 2
        boxes:
          - {name: a, kind: text, text: t.six}
          - {name: b, kind: text, text: t.three}
"""


def test_a_box_is_as_tall_as_its_text_and_the_next_follows_it(tmp_path: Path):
    page = lay(tmp_path, STACK).pages[0]
    assert lines_of(page, "a") == ["aaaa bbbb cccc", "dddd eeee ffff"]
    a, b = report(page, "a"), report(page, "b")
    assert in_mm(page, a.rect) == pytest.approx((10, 20, 30, 2 * LINE / MM))
    assert in_mm(page, b.rect) == pytest.approx((10, 20 + 2 * LINE / MM + 2, 30, LINE / MM))
    assert (a.parent, b.parent) == ("s", "s")
    assert report(page, "s").needed == pytest.approx(3 * LINE + mm(2))


def test_what_follows_moves_with_a_taller_box(tmp_path: Path):
    page = lay(tmp_path, STACK, texts={"six": " ".join(["aaaa"] * 9)}).pages[0]  # three lines now
    assert in_mm(page, report(page, "b").rect)[1] == pytest.approx(20 + 3 * LINE / MM + 2)


def test_grow_shares_the_spare_room_and_max_h_caps_it(tmp_path: Path):
    body = STACK.replace("{name: a, kind: text, text: t.six}", "{name: a, kind: text, text: t.one, grow: 1}")
    body = body.replace("{name: b, kind: text, text: t.three}", "{name: b, kind: text, text: t.one, grow: 3, max_h: 20}")
    page = lay(tmp_path, body).pages[0]
    a, b = report(page, "a").rect.h / MM, report(page, "b").rect.h / MM
    assert b == pytest.approx(20)  # its share (3/4 of the spare room) passes max_h, so it stops there
    assert a + 2 + b == pytest.approx(100)  # and a takes the rest


def test_down_positions_as_data():
    tops, hs = down([10, 20, 30], [1, 0, 1], [float("inf"), float("inf"), 35], 100, 5)
    # 30 spare: 15 each; the third stops at its max_h 35 (+5), the 10 it cannot take go to the first
    assert hs == [35, 20, 35] and tops == [0, 40, 65]
    assert down([10, 20], [0, 0], [float("inf")] * 2, 100, 5) == ([0, 15], [10, 20])  # nothing grows: room stays below
    assert share(12, [1, 2, 3]) == [2, 4, 6] and share(9, [0, 0, 0]) == [3, 3, 3]


def test_min_h_and_max_h_bound_a_box_height(tmp_path: Path):
    body = STACK.replace("{name: a, kind: text, text: t.six}", "{name: a, kind: text, text: t.six, min_h: 30}")
    body = body.replace("{name: b, kind: text, text: t.three}", "{name: b, kind: text, text: t.twelve, max_h: 10}")
    doc = lay(tmp_path, body)
    page = doc.pages[0]
    assert report(page, "a").rect.h / MM == pytest.approx(30)
    b = report(page, "b")
    assert b.rect.h / MM == pytest.approx(10) and b.needed == pytest.approx(4 * LINE)  # never shrunk: refused
    problems = [p for p in check_document(doc, load_content(tmp_path / "content"), doc_today()) if not p.warning]
    assert any("box b" in p.key and "does not fit" in p.message for p in problems), problems


def doc_today():
    import datetime as dt

    return dt.date(2026, 11, 28)


ACROSS = """\
pages:
  - name: p
    boxes:
      - name: row
        kind: stack
        direction: across
        x: 10
        y: 10
        w: 100
        h: 50
        gap: 4
        boxes:
          - {name: a, kind: text, text: t.six}
          - {name: b, kind: text, text: t.one, w: 20}
          - {name: c, kind: text, text: t.one, grow: 2}
"""


def test_across_fixed_widths_first_then_shares(tmp_path: Path):
    page = lay(tmp_path, ACROSS).pages[0]
    a, b, c = (in_mm(page, report(page, n).rect) for n in "abc")
    # 100 - 20 (b) - 2 gaps of 4 = 72 mm shared 1 : 2 (a gives no grow: 1)
    assert (a[0], a[2], b[0], b[2], c[0], c[2]) == pytest.approx((10, 24, 38, 20, 62, 48))
    body = ACROSS.replace("grow: 2}", "}")  # nobody grows: equal shares
    page = lay(tmp_path / "2", body).pages[0]
    a, b, c = (in_mm(page, report(page, n).rect) for n in "abc")
    assert (a[2], b[2], c[2]) == pytest.approx((36, 20, 36))
    assert (a[0], b[0], c[0]) == pytest.approx((10, 50, 74))
    assert a[3] == b[3] == c[3] == pytest.approx(50)  # every box of the row is as tall as the row


GRID = """\
pages:
  - name: p
    boxes:
      - name: g
        kind: grid
        columns: 2
        column_gap: 10
        gap: 5
        x: 10
        y: 10
        w: 70
        h: 100
        boxes:
          - {name: a, kind: text, text: t.six}
          - {name: b, kind: text, text: t.one}
          - {name: c, kind: text, text: t.one}
"""


def test_grid_rows_are_as_tall_as_their_tallest_box(tmp_path: Path):
    page = lay(tmp_path, GRID).pages[0]
    a, b, c = (in_mm(page, report(page, n).rect) for n in "abc")
    # 30 mm columns: "six" takes two lines, so the first row is 25 pt tall
    assert a == pytest.approx((10, 10, 30, 2 * LINE / MM))
    assert b == pytest.approx((50, 10, 30, 2 * LINE / MM))
    assert c == pytest.approx((10, 10 + 2 * LINE / MM + 5, 30, LINE / MM))


ALTS = """\
pages:
  - name: p
    boxes:
      - name: box
        kind: text
        x: 10
        y: 10
        w: 30
        h: {h}
        text: t.six
        alternatives:
          - {{name: heading, heading: t.calls, heading_style: heading}}
          - {{name: plain}}
"""


def test_the_first_alternative_that_fits_is_printed_and_named(tmp_path: Path):
    # 25 mm = 70.9 pt: the heading ("Call" and the number, two lines of 12 x 1.2 pt), 2 mm and two lines fit
    doc = lay(tmp_path, ALTS.format(h=25))
    rep = report(doc.pages[0], "box")
    assert rep.chosen == "heading" and doc.fit == {"p.box": "heading"}
    assert [name for name, _, _ in rep.tried] == ["heading"]
    assert "c2" in doc.contacts and "halfem-bold" in doc.fonts


def test_a_rejected_alternative_leaves_nothing_in_the_document(tmp_path: Path):
    """Its contact, its bold face and its fallback text are not the printed page's."""
    welsh = {"title": "T", "six": "aaaa bbbb cccc dddd eeee ffff"}  # no t.calls: it would come from English
    doc = lay(tmp_path, ALTS.format(h=10), locale="cy", fallback="en-GB", welsh=welsh)  # 28 pt: only plain fits
    rep = report(doc.pages[0], "box")
    assert rep.chosen == "plain" and doc.fit == {"p.box": "plain"}
    assert [name for name, _, _ in rep.tried] == ["heading", "plain"]
    assert "c2" not in doc.contacts
    assert set(doc.fonts) == {"halfem"}
    assert doc.fell_back == []
    assert lines_of(doc.pages[0], "box") == ["aaaa bbbb cccc", "dddd eeee ffff"]


def test_when_none_fits_the_first_is_placed_and_every_attempt_reported(tmp_path: Path):
    doc = lay(tmp_path, ALTS.format(h=5))
    rep = report(doc.pages[0], "box")
    assert rep.chosen == "heading"
    needs = {name: need for name, need, _ in rep.tried}
    assert needs == pytest.approx({"heading": 2 * 12 * 1.2 + mm(2) + 2 * LINE, "plain": 2 * LINE})
    problems = [p for p in check_document(doc, load_content(tmp_path / "content"), doc_today()) if not p.warning]
    (p,) = [p for p in problems if "box box" in p.key]
    assert "does not fit in any of its 2 arrangements, in the 5.0 mm it has" in p.message
    assert "heading needs 21.0 mm; plain needs 8.8 mm" in p.message
    lines = (tmp_path / "layouts" / "t.yaml").read_text(encoding="utf-8").splitlines()
    row = next(i for i, t in enumerate(lines) if t.strip() == "- name: box") + 1
    assert str(p.location).endswith(f"t.yaml:{row}:9")  # the box in the layout file


def test_choose_returns_the_first_fitting_else_the_fallback_with_every_attempt():
    from cseprint.errors import Location
    from cseprint.models import Box

    box = Box("b", "text", 0, 0, 10, 10, Location("x"))
    alts = [Alternative(n, Location("x")) for n in ("big", "mid", "small")]
    needs = {"big": 30.0, "mid": 20.0, "small": 10.0}

    def measure(alt: Alternative, region: Region) -> Measured:
        return Measured(box, needs[alt.name], needs[alt.name], region.h, needs[alt.name])

    ch = choose(alts, Region(10, 20), measure)
    assert ch.alt.name == "mid" and [n for n, _ in ch.tried] == ["big", "mid"]
    ch = choose(alts, Region(10, 5), measure)
    assert ch.alt.name == "big" and [n for n, _ in ch.tried] == ["big", "mid", "small"]
    assert choose(alts, Region(10, 5), measure, fallback=-1).alt.name == "small"


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
        boxes:
          - {{name: a, kind: text, text: t.six}}
          - {{name: extra, kind: text, text: t.three, optional: true}}
"""


@pytest.mark.parametrize("h, shown", [(20, True), (12, False)])
def test_an_optional_box_is_printed_only_where_there_is_room(tmp_path: Path, h: float, shown: bool):
    doc = lay(tmp_path, OPTIONAL.format(h=h))  # a takes 25 pt (8.8 mm), extra 2 mm + 12.5 pt (6.4 mm)
    assert doc.fit == {"p.extra": "shown" if shown else "left out"}
    assert bool(lines_of(doc.pages[0], "extra")) is shown


def test_a_type_step_goes_down_the_layouts_scale_but_never_below_its_minimum(tmp_path: Path):
    body = ALTS.format(h=60).replace("{name: heading, heading: t.calls, heading_style: heading}",
                                     "{name: heading, heading: t.one, heading_style: heading, type_step: 1}")
    page = lay(tmp_path, body).pages[0]
    sizes = [run.size for ln in page.lines if ln.box == "box" for run in ln.runs]
    assert sizes == [10, 10, 10]  # heading 12 -> 10; body 10 is the minimum (min_body_pt) and stays


def test_a_page_alternative_is_tried_when_a_box_does_not_fit(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: a, kind: text, x: 10, y: 10, w: 30, h: 5, text: t.six}
        alternatives:
          - {name: as-is}
          - name: wider
            change:
              a: {style: small}
    """
    doc = lay(tmp_path, body)
    assert doc.fit == {"p": "wider"}
    assert {run.size for ln in doc.pages[0].lines for run in ln.runs} == {7}


def test_a_box_needing_a_contact_the_registry_lacks_is_left_out(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: here, kind: text, x: 10, y: 10, w: 30, h: 10, text: t.one, needs_contact: c1}
          - {name: gone, kind: text, x: 10, y: 30, w: 30, h: 10, text: t.one, needs_contact: school-partnership}
    """
    page = lay(tmp_path, body).pages[0]
    assert [r.box for r in page.boxes] == ["here"]


def test_a_schools_word_wider_than_its_column_is_hyphenated_and_every_line_fits(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: who, kind: people, x: 10, y: 10, w: 20, h: 200, when: school, photos: false}
    """
    name = "Wolfeschlegelsteinhausenbergerdorff"  # 35 letters: 175 pt at 10 pt bold, the box is 56.7 pt
    page = lay(tmp_path, body, school=school(0, name=f"Ann {name}")).pages[0]
    got = [t for t, r in ((ln.text, ln) for ln in page.lines) if r.key == "school.dsl"]
    assert "".join(t.rstrip("-") for t in got[1:]) == name
    assert all(t.endswith("-") for t in got[1:-1]) and not got[-1].endswith("-")
    assert all(ln.rect.w <= mm(20) + 1e-6 for ln in page.lines)
    assert report(page, "who").too_wide == []


def test_a_words_of_content_wider_than_its_column_is_refused_not_hyphenated(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: a, kind: text, x: 10, y: 10, w: 20, h: 50, text: t.one}
    """
    page = lay(tmp_path, body, texts={"one": "Antidisestablishmentarianism"}).pages[0]
    assert report(page, "a").too_wide and not any(t.endswith("-") for t in lines_of(page, "a"))


@pytest.mark.parametrize("deputies, intro, heading", [
    (0, "Ask our lead", None), (1, "Ask our lead or deputy", "Our deputy"), (2, "Ask one of us", "Our deputies"),
    (12, "Ask one of us", "Our deputies"),
])
def test_wording_follows_the_number_of_deputies(tmp_path: Path, deputies: int, intro: str, heading: str | None):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: intro, kind: text, x: 10, y: 10, w: 150, h: 10, text: t.intro, when: school}
          - {name: who, kind: people, x: 10, y: 30, w: 150, h: 200, when: school, photos: false, columns: 3,
             deputies_heading: t.deputies}
    """
    page = lay(tmp_path, body, school=school(deputies)).pages[0]
    assert lines_of(page, "intro") == [intro]
    said = [ln.text for ln in page.lines if ln.key == "t.deputies"]
    assert said == ([heading] if heading else [])


def test_a_line_equal_to_the_one_before_it_is_printed_once(tmp_path: Path):
    body = """\
    pages:
      - name: p
        boxes:
          - {name: who, kind: people, x: 10, y: 10, w: 150, h: 200, when: school, photos: false}
    """
    page = lay(tmp_path, body, school=school(0, role="lead")).pages[0]  # the role is the role's name ("Lead")
    assert lines_of(page, "who") == ["Sam Lee", "Lead"]


def test_a_stack_at_the_top_of_the_page_flows_below_the_draft_band(tmp_path: Path):
    """An unreviewed translation carries a band across the top; a stack that starts there moves
    below it (an absolute box must leave room for it itself)."""
    body = """\
    pages:
      - name: p
        boxes:
          - name: s
            kind: stack
            x: 0
            y: 0
            w: 100
            h: 100
            boxes:
              - {name: a, kind: text, text: t.one, background: navy}
    """
    welsh = {"title": "T", "one": "aaaa"}
    root = tmp_path / "w"
    (root / "content" / "cy").mkdir(parents=True)
    (root / "content" / "cy" / "_locale.yaml").write_text('name: Cymraeg\nreviewed: false\n', encoding="utf-8")
    doc = lay(root, body, locale="cy", welsh=welsh)
    page = doc.pages[0]
    band, a = report(page, "draft-band"), report(page, "a")
    assert band.rect.y1 == pytest.approx(page.trim.y1)  # the band is at the top of the page
    assert a.rect.y1 == pytest.approx(band.rect.y)  # the stack's first box starts where the band ends
    assert not any(ln.box == "a" and ln.rect.overlaps(band.rect) for ln in page.lines)
