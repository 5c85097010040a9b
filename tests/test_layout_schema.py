"""The layout language's flow and alternatives: every mistake is an input error, reported together
with its file, line, column and key (never a traceback)."""

from __future__ import annotations

import re
import textwrap

import pytest

from .conftest import PROBLEM_LINE, Workspace
from .test_validate import failed, one_of

HEAD = """\
kind: poster
audience: staff
page: {size: A4, orientation: portrait, bleed: 3, safe: 5}
type_scale: {small: 7, body: 14, number: 16, lead: 19, heading: 19, display: 30}
title: products.meta_poster_title
subject: products.meta_subject
pages:
  - name: p
    boxes:
"""


def write(ws: Workspace, boxes: str, tail: str = "") -> None:
    ws.write("layouts/flow-test.yaml", HEAD + textwrap.indent(textwrap.dedent(boxes), "      ") + tail)


def check(ws: Workspace) -> list[str]:
    return failed(ws.check("--layout", "flow-test"))


def where(line: str) -> tuple[int, int, str]:
    m = PROBLEM_LINE.match(line)
    assert m and m["file"].endswith("flow-test.yaml"), line
    return int(m["line"]), int(m["col"]), m["key"]


STACK = """\
- name: s
  kind: stack
  x: 10
  y: 10
  w: 100
  h: 100
  boxes:
    - {name: a, kind: text, text: products.poster_headline}
"""


def test_a_valid_stack_passes(ws: Workspace):
    write(ws, STACK)
    r = ws.check("--layout", "flow-test")
    assert r.code == 0, r.err


def test_an_unknown_key_in_a_stacks_box_names_the_line_and_the_key(ws: Workspace):
    write(ws, STACK.replace("text: products.poster_headline}", "text: products.poster_headline, gorw: 1}"))
    line = one_of(check(ws), "gorw", "unknown key")
    assert "did you mean 'grow'?" in line
    text = ws.read("layouts/flow-test.yaml").splitlines()
    row = next(i for i, t in enumerate(text) if "gorw" in t)
    assert where(line) == (row + 1, text[row].index("gorw") + 1, "pages[0].boxes[0].boxes[0].gorw")


def test_every_mistake_in_a_stack_is_reported_together(ws: Workspace):
    write(ws, """\
    - name: s
      kind: stack
      x: 10
      y: 10
      w: 100
      h: 100
      boxes:
        - {name: a, kind: text, x: 5, text: products.poster_headline}
        - {name: b, kind: text, min_h: 50, max_h: 40, text: products.poster_headline}
        - {name: c, kind: text, h: 20, max_h: 40, text: products.poster_headline}
    - name: g
      kind: grid
      x: 10
      y: 120
      w: 100
      h: 50
      boxes:
        - {name: d, kind: text, text: products.poster_headline, optional: true}
    - {name: e, kind: text, x: 10, y: 200, w: 50, text: products.poster_headline, grow: 1}
    - {name: f, kind: fill, x: 10, y: 260, w: 50, h: 10, background: navy, boxes: [{name: z, kind: fill}]}
    """)
    lines = check(ws)
    got = {where(ln)[2]: ln for ln in lines}
    assert "a box in a stack is placed by the stack; remove x" in got["pages[0].boxes[0].boxes[0].x"]
    assert "min_h 50 mm is more than max_h 40 mm" in got["pages[0].boxes[0].boxes[1].min_h"]
    assert "h fixes the height already" in got["pages[0].boxes[0].boxes[2].max_h"]
    assert "a grid needs columns" in got["pages[0].boxes[1].columns"]
    assert "optional applies to a box in a stack" in got["pages[0].boxes[1].boxes[0].optional"]
    assert "missing: h" in got["pages[0].boxes[2].h"]
    assert "grow shares out a stack's spare room" in got["pages[0].boxes[2].grow"]
    assert "only a stack or a grid does" in got["pages[0].boxes[3].boxes"]
    assert len(lines) == 8, "\n".join(lines)


@pytest.mark.parametrize("change, key, message", [
    ("columns: 0", "columns", "0 is out of range"),
    ("direction: sideways", "direction", "expected one of: down, across"),
    ("boxes: []", "boxes", "at least 1 needed"),
    ("padding: [1, 2, 3]", "padding", "has 3 numbers"),
])
def test_a_container_with_a_bad_value(ws: Workspace, change: str, key: str, message: str):
    body = STACK.replace("  boxes:\n    - {name: a, kind: text, text: products.poster_headline}\n",
                         f"  {change}\n" + ("" if key == "boxes" else
                                             "  boxes:\n    - {name: a, kind: text, text: products.poster_headline}\n"))
    if key == "columns":
        body = body.replace("kind: stack", "kind: grid")
    write(ws, body)
    line = one_of(check(ws), message)
    assert where(line)[2] == f"pages[0].boxes[0].{key}"


ALTS = """\
- name: a
  kind: text
  x: 10
  y: 10
  w: 100
  h: 30
  text: products.poster_headline
  alternatives:
{alts}
"""


@pytest.mark.parametrize("alts, key, message", [
    ("    - {name: one, x: 5}", "alternatives[0].x", "unknown key"),
    ("    - {name: one, stlye: heading}", "alternatives[0].stlye", "did you mean 'style'?"),
    ("    - {name: one}\n    - {name: one, style: heading}", "alternatives[1].name", "named twice in box a"),
    ("    - {name: one, min_h: 20}", "alternatives[0].min_h", "h fixes the height already"),
    ("    - {style: heading}", "alternatives[0].name", "missing"),
])
def test_a_mistake_in_an_alternative(ws: Workspace, alts: str, key: str, message: str):
    write(ws, ALTS.format(alts=alts))
    line = one_of(check(ws), message)
    assert where(line)[2] == f"pages[0].boxes[0].{key}", line


def test_an_alternatives_style_and_content_keys_are_checked_too(ws: Workspace):
    write(ws, ALTS.format(alts="    - {name: one, style: headng}\n    - {name: two, heading: products.nope}"))
    lines = check(ws)
    one_of(lines, "pages.p.a.alternatives.one.style", "unknown style 'headng'", "did you mean 'heading'?")
    one_of(lines, "pages.p.a.alternatives.two.heading", "content key 'products.nope'")


def test_an_alternative_may_leave_out_a_heading_with_null(ws: Workspace):
    write(ws, ALTS.format(alts="    - {name: with, heading: products.poster_subhead}\n    - {name: without, heading: null}"))
    r = ws.check("--layout", "flow-test")
    assert r.code == 0, r.err


def test_a_fill_has_no_alternatives(ws: Workspace):
    write(ws, "- {name: f, kind: fill, x: 0, y: 0, w: 10, h: 10, background: navy, alternatives: [{name: a}]}\n")
    one_of(check(ws), "pages[0].boxes[0].alternatives[0]", "a fill has nothing to arrange")


def test_a_page_alternative_names_boxes_that_exist(ws: Workspace):
    tail = "    alternatives:\n      - name: smaller\n        change:\n          aa: {style: heading}\n"
    write(ws, STACK, tail)
    line = one_of(check(ws), "change.aa", "no box 'aa' on page p")
    assert "did you mean 'a'?" in line


def test_larger_names_a_layout(ws: Workspace):
    ws.write("layouts/flow-test.yaml", HEAD.replace("kind: poster\n", "kind: poster\nlarger: poster-a5\n")
             + textwrap.indent(STACK, "      "))
    line = one_of(check(ws), "larger", "unknown layout 'poster-a5'")
    assert re.search(r"did you mean 'poster-a[34]'", line)


def test_a_text_that_depends_on_a_count_has_only_count_forms(ws: Workspace):
    ws.sub("content/en-GB/products.yaml", r"^poster_subhead:.*$", 'poster_subhead:\n  few: "a"\n  other: "b"')
    write(ws, STACK.replace("products.poster_headline", "products.poster_subhead"))
    line = one_of(check(ws), "content key 'products.poster_subhead'", "is a group or list, not a text")
    assert "zero, one, two, and other" in line


def test_a_page_alternative_may_narrow_a_boxs_alternatives_to_names_it_has(ws: Workspace):
    boxes = ALTS.format(alts="    - {name: one}\n    - {name: two, style: heading}")
    write(ws, boxes, "    alternatives:\n      - name: only-two\n        change:\n          a: {alternatives: [two, twoo]}\n")
    line = one_of(check(ws), "change.a.alternatives", "unknown alternative of box a 'twoo'")
    assert "did you mean 'two'?" in line
