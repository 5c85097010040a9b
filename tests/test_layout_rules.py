"""validate/layouts' rules, one limit at a time, on a tiny layout written per test.

Each test writes one small layout (and the project's ``_styles.yaml``) into ``tmp_path`` and calls
``load_layouts`` directly with a tiny content folder (``flowkit``), no CLI. Limits are checked on
both sides: a value at the limit gives no problem at its key, one just past it gives one there.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from cseprint.errors import InputError, Problem
from cseprint.models import Box, Content, Layout
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS, PROJECT
from .flowkit import content_folder

BASE: dict[str, Any] = {
    "kind": "poster", "audience": "staff",
    "page": {"size": "A4", "orientation": "portrait", "bleed": 3, "safe": 5},
    "type_scale": {"small": 7, "body": 10, "number": 10, "lead": 12, "heading": 12, "name": 14, "display": 16},
    "title": "t.title", "subject": "t.title",
    "pages": [{"name": "p", "boxes": [{"name": "a", "kind": "text", "x": 10, "y": 10, "w": 50, "h": 20,
                                       "text": "t.one"}]}],
}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(content_folder(tmp_path_factory.mktemp("content")))


def base(**top: Any) -> dict:
    d = copy.deepcopy(BASE)
    d.update(top)
    return d


def write(tmp_path: Path, layouts: dict[str, dict | str]) -> Path:
    d = tmp_path / "layouts"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "layouts" / "_styles.yaml", d / "_styles.yaml")
    for name, lay in layouts.items():
        text = lay if isinstance(lay, str) else yaml.safe_dump(lay, sort_keys=False)
        (d / f"{name}.yaml").write_text(text, encoding="utf-8")
    return d


def run(tmp_path: Path, content: Content, lay: dict | str, others: dict | None = None,
        names: list[str] | None = None, chains: list[list[str]] | None = None) -> dict[str, Layout] | list[Problem]:
    d = write(tmp_path, {"t": lay, **(others or {})})
    try:
        return load_layouts(d, FONTS, content, names if names is not None else ["t"], chains)[1]
    except InputError as exc:
        return exc.problems


def loaded(tmp_path: Path, content: Content, lay: dict | str, **kw) -> Layout:
    got = run(tmp_path, content, lay, **kw)
    assert isinstance(got, dict), [f"{p.location}: {p.key}: {p.message}" for p in got]
    return got["t"]


def keys(tmp_path: Path, content: Content, lay: dict | str, **kw) -> dict[str, str]:
    """{key: message} of the problems (empty when it loads), each in the layout's file."""
    got = run(tmp_path, content, lay, **kw)
    if isinstance(got, dict):
        return {}
    return {p.key: p.message for p in got}


def box_of(lay: Layout, name: str = "a") -> Box:
    def find(boxes):
        for b in boxes:
            if b.name == name:
                return b
            inner = find(b.boxes)
            if inner:
                return inner
        return None
    return find(lay.pages[0].boxes)


def with_box(**fields: Any) -> dict:
    d = base()
    d["pages"][0]["boxes"][0].update(fields)
    return d


A = "pages[0].boxes[0]"


# --- defaults -----------------------------------------------------------------------------------------------

def test_a_box_that_says_little_gets_the_documented_defaults(tmp_path: Path, content: Content):
    b = box_of(loaded(tmp_path, content, base()))
    got = {k: getattr(b, k) for k in (
        "style", "valign", "show", "bullet", "columns", "column_gap", "gap", "contact_field", "contact_name",
        "number_style", "qr_size", "qr_level", "caption", "caption_style", "when", "photo_size", "heading_style",
        "direction", "grow", "optional", "type_step", "photos", "arrangement", "padding", "text", "only",
        "contacts", "languages", "min_h", "max_h", "align", "heading", "locale", "lead_photo_size")}
    assert got == {
        "style": "body", "valign": "top", "show": "label+detail", "bullet": True, "columns": 1, "column_gap": 5.0,
        "gap": 2.0, "contact_field": "phone", "contact_name": "short", "number_style": "number", "qr_size": 30.0,
        "qr_level": "M", "caption": True, "caption_style": "caption", "when": "always", "photo_size": 25.0,
        "heading_style": "heading", "direction": "down", "grow": 0.0, "optional": False, "type_step": 0,
        "photos": True, "arrangement": "cards", "padding": (0.0, 0.0, 0.0, 0.0), "text": ("t.one",), "only": (),
        "contacts": (), "languages": (), "min_h": None, "max_h": None, "align": None, "heading": None, "locale": None,
        "lead_photo_size": None}


def test_a_layout_that_says_little_gets_the_documented_defaults(tmp_path: Path, content: Content):
    d = base()
    d["page"] = {"size": "A4"}
    del d["type_scale"]["small"]
    lay = loaded(tmp_path, content, d)
    assert (lay.trim_w, lay.trim_h, lay.bleed, lay.safe, lay.scale) == (210.0, 297.0, 3.0, 5.0, 1.0)
    assert (lay.min_body_pt, lay.draft_band, lay.finishes, lay.needs_school) == (14.0, "top", ("office", "print-shop"),
                                                                                  False)
    assert (lay.languages, lay.reading_order, lay.folds, lay.imposition, lay.larger) == ((), (), (), None, None)
    assert (lay.max_reading_grade, lay.audience, lay.file.endswith("t.yaml")) == (None, "staff", True)


@pytest.mark.parametrize("kind, min_body", [("poster", 14.0), ("card", 12.0), ("leaflet", 12.0)])
def test_the_smallest_body_size_is_the_kinds_unless_the_layout_says(tmp_path: Path, content: Content, kind: str,
                                                                     min_body: float):
    assert loaded(tmp_path, content, base(kind=kind)).min_body_pt == min_body
    assert loaded(tmp_path / "2", content, base(kind=kind, min_body_pt=9)).min_body_pt == 9.0


# --- numbers: at the limit and just past it -------------------------------------------------------------------

BOX_LIMITS = [
    ("x", 0, -0.5), ("y", 0, -0.5), ("w", 0, -0.5), ("h", 0, -0.5), ("x", 2000, 2000.5),
    ("columns", 1, 0), ("columns", 6, 7), ("column_gap", 0, -0.5), ("column_gap", 50, 50.5), ("gap", 0, -0.5),
    ("gap", 50, 50.5), ("qr_size", 1, 0.5), ("qr_size", 300, 300.5), ("photo_size", 5, 4.5),
    ("photo_size", 200, 200.5), ("type_step", 0, -1), ("type_step", 6, 7),
    ("lead_photo_size", 5, 4.5), ("lead_photo_size", 200, 200.5), ("padding", 0, -0.5), ("padding", 100, 100.5),
    ("padding", [1, 100], [1, 100.5]), ("languages", ["en-GB"] * 4, ["en-GB"] * 5),
]


@pytest.mark.parametrize("field, ok, bad", BOX_LIMITS)
def test_a_boxs_number_at_its_limit_and_just_past_it(tmp_path: Path, content: Content, field: str, ok, bad):
    assert f"{A}.{field}" not in keys(tmp_path, content, with_box(**{field: ok}))
    assert f"{A}.{field}" in keys(tmp_path / "2", content, with_box(**{field: bad}))


@pytest.mark.parametrize("ok, bad", [(0, -0.5), (100, 100.5)])
def test_grow_from_0_to_100(tmp_path: Path, content: Content, ok: float, bad: float):
    assert keys(tmp_path, content, stack(kid(grow=ok))) == {}
    assert f"{A}.boxes[0].grow" in keys(tmp_path / "2", content, stack(kid(grow=bad)))


def test_columns_and_type_steps_are_whole_numbers(tmp_path: Path, content: Content):
    assert "expected a whole number" in keys(tmp_path, content, with_box(columns=1.5))[f"{A}.columns"]
    assert f"{A}.type_step" in keys(tmp_path / "2", content, with_box(type_step=0.5))


LAYOUT_LIMITS = [
    ("bleed", 0, -0.5), ("bleed", 10, 10.5), ("safe", 0, -0.5), ("safe", 30, 30.5),
    ("min_body_pt", 4, 3.5), ("min_body_pt", 200, 200.5), ("scale", 0.1, 0.05), ("scale", 10, 10.5),
    ("max_reading_grade", 1, 0.5), ("max_reading_grade", 20, 20.5), ("folds", [0, 2000], [-0.5]),
    ("folds", [2000], [2000.5]),
]


@pytest.mark.parametrize("field, ok, bad", LAYOUT_LIMITS)
def test_a_layouts_number_at_its_limit_and_just_past_it(tmp_path: Path, content: Content, field: str, ok, bad):
    def lay(v):
        d = base()
        if field in ("bleed", "safe"):
            d["page"][field] = v
        else:
            d[field] = v
        return d

    key = f"page.{field}" if field in ("bleed", "safe") else field
    assert not any(k.startswith(key) for k in keys(tmp_path, content, lay(ok)))
    assert any(k.startswith(key) for k in keys(tmp_path / "2", content, lay(bad)))


@pytest.mark.parametrize("size, ok", [(1, True), (400, True), (0.5, False), (400.5, False)])
def test_a_type_scale_size_is_from_1_to_400_pt(tmp_path: Path, content: Content, size: float, ok: bool):
    d = base()
    d["type_scale"]["display"] = size
    assert ("type_scale.display" in keys(tmp_path, content, d)) is not ok


@pytest.mark.parametrize("field, ok, bad", [("languages", ["en-GB"] * 4, ["en-GB"] * 5),
                                            ("finishes", ["office", "print-shop"], ["office"] * 3),
                                            ("finishes", ["office"], [])])
def test_a_layouts_list_at_its_length_limit_and_just_past_it(tmp_path: Path, content: Content, field: str, ok, bad):
    assert field not in keys(tmp_path, content, base(**{field: ok}))
    assert field in keys(tmp_path / "2", content, base(**{field: bad}))


def test_a_layout_of_twenty_pages_and_not_twenty_one(tmp_path: Path, content: Content):
    page = BASE["pages"][0]
    pages = [dict(copy.deepcopy(page), name=f"p{i}") for i in range(21)]
    assert "pages" not in keys(tmp_path, content, base(pages=pages[:20]))
    assert "has 21 items; at most 20 allowed" in keys(tmp_path / "2", content, base(pages=pages))["pages"]


def test_a_page_holds_one_to_two_hundred_boxes(tmp_path: Path, content: Content):
    boxes = [{"name": f"b{i}", "kind": "fill", "x": 0, "y": 0, "w": 1, "h": 1} for i in range(201)]
    d = base()
    d["pages"][0]["boxes"] = boxes[:200]
    assert "pages[0].boxes" not in keys(tmp_path, content, d)
    d["pages"][0]["boxes"] = boxes
    assert "pages[0].boxes" in keys(tmp_path / "2", content, d)
    d["pages"][0]["boxes"] = []
    assert "pages[0].boxes" in keys(tmp_path / "3", content, d)


def stack(*kids: dict, **fields: Any) -> dict:
    d = base()
    d["pages"][0]["boxes"] = [{"name": "s", "kind": "stack", "x": 10, "y": 10, "w": 100, "h": 200,
                               "boxes": list(kids), **fields}]
    return d


def kid(name: str = "a", **fields: Any) -> dict:
    return {"name": name, "kind": "text", "text": "t.one", **fields}


def test_a_stack_holds_one_to_a_hundred_boxes(tmp_path: Path, content: Content):
    kids = [kid(f"k{i}") for i in range(101)]
    assert "pages[0].boxes[0].boxes" not in keys(tmp_path, content, stack(*kids[:100]))
    assert "pages[0].boxes[0].boxes" in keys(tmp_path / "2", content, stack(*kids))


def test_a_box_has_one_to_twelve_alternatives_and_a_page_up_to_twelve(tmp_path: Path, content: Content):
    alts = [{"name": f"a{i}"} for i in range(13)]
    assert f"{A}.alternatives" not in keys(tmp_path, content, with_box(alternatives=alts[:12]))
    assert f"{A}.alternatives" in keys(tmp_path / "2", content, with_box(alternatives=alts))
    assert f"{A}.alternatives" in keys(tmp_path / "3", content, with_box(alternatives=[]))
    d = base()
    d["pages"][0]["alternatives"] = [{"name": f"a{i}"} for i in range(13)]
    assert "pages[0].alternatives" in keys(tmp_path / "4", content, d)
    d["pages"][0]["alternatives"] = d["pages"][0]["alternatives"][:12]
    assert "pages[0].alternatives" not in keys(tmp_path / "5", content, d)


# --- choices: each one accepted, anything else refused ----------------------------------------------------------

BOX_CHOICES = {
    "valign": ("top", "middle", "bottom"), "align": ("left", "centre", "right"),
    "show": ("label", "short", "detail", "label+detail", "short+detail", "label+detail+source"),
    "contact_field": ("phone", "textphone", "email", "web"), "contact_name": ("short", "name"),
    "qr_level": ("L", "M", "Q", "H"), "when": ("always", "school", "no-school"),
    "arrangement": ("cards", "list", "lines"),
}


@pytest.mark.parametrize("field, value", [(f, v) for f, vs in BOX_CHOICES.items() for v in (*vs, "other")])
def test_each_choice_of_a_box_is_accepted_and_nothing_else(tmp_path: Path, content: Content, field: str, value: str):
    assert (f"{A}.{field}" in keys(tmp_path, content, with_box(**{field: value}))) is (value == "other")


@pytest.mark.parametrize("direction, ok", [("down", True), ("across", True), ("up", False)])
def test_a_stack_goes_down_or_across(tmp_path: Path, content: Content, direction: str, ok: bool):
    assert ("pages[0].boxes[0].direction" in keys(tmp_path, content, stack(kid(), direction=direction))) is not ok


@pytest.mark.parametrize("path, value, ok", [
    (("kind",), "card", True), (("kind",), "leaflet", True), (("kind",), "flyer", False),
    (("audience",), "pupils", True), (("audience",), "parents", True), (("audience",), "staff", True),
    (("audience",), "public", False),
    (("draft_band",), "top", True), (("draft_band",), "bottom", True), (("draft_band",), "middle", False),
    (("page", "orientation"), "landscape", True), (("page", "orientation"), "portrait", True),
    (("page", "orientation"), "square", False),
    (("page", "size"), "A3", True), (("page", "size"), "A5", True), (("page", "size"), "CR80", True),
    (("imposition",), {"sheet": "A4"}, True), (("imposition",), {"sheet": "A3"}, True),
    (("imposition",), {"sheet": "A2"}, False),
    (("finishes",), ["office"], True), (("finishes",), ["print-shop"], True), (("finishes",), ["web"], False),
    (("needs_school",), True, True), (("needs_school",), "yes", False),
])
def test_each_choice_of_a_layout_is_accepted_and_nothing_else(tmp_path: Path, content: Content, path: tuple,
                                                              value: Any, ok: bool):
    d = base()
    (d["page"] if len(path) == 2 else d)[path[-1]] = value
    found = keys(tmp_path, content, d)
    assert any(k.startswith(".".join(path)) for k in found) is not ok, found


# --- padding and scale -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("padding, sides", [(3, (3, 3, 3, 3)), ([1, 2], (1, 2, 1, 2)), ([1, 2, 3, 4], (1, 2, 3, 4))])
def test_padding_is_one_two_or_four_numbers_read_as_top_right_bottom_left(tmp_path: Path, content: Content,
                                                                          padding, sides: tuple):
    assert box_of(loaded(tmp_path, content, with_box(padding=padding))).padding == sides


def test_padding_of_three_numbers_or_none_is_refused(tmp_path: Path, content: Content):
    assert "has 3 numbers" in keys(tmp_path, content, with_box(padding=[1, 2, 3]))[f"{A}.padding"]
    assert "has 0 numbers" in keys(tmp_path / "2", content, with_box(padding=[]))[f"{A}.padding"]
    assert "has 5 numbers" in keys(tmp_path / "3", content, with_box(padding=[1, 2, 3, 4, 5]))[f"{A}.padding"]


def test_scale_multiplies_every_size_but_not_the_bleed(tmp_path: Path, content: Content):
    d = base(scale=2, folds=[50], min_body_pt=10)
    d["page"]["safe"] = 4
    d["pages"][0]["boxes"][0].update(x=5, y=6, w=50, h=20, padding=[1, 2], gap=3, column_gap=4, qr_size=7,
                                      photo_size=8, lead_photo_size=9, text=["t.one", "t.three"])
    lay = loaded(tmp_path, content, d)
    b = box_of(lay)
    assert (b.x, b.y, b.w, b.h, b.padding) == (10, 12, 100, 40, (2, 4, 2, 4))
    assert (b.gap, b.column_gap, b.qr_size, b.photo_size, b.lead_photo_size) == (6, 8, 14, 16, 18)
    assert b.text == ("t.one", "t.three")
    assert (lay.safe, lay.bleed, lay.folds, lay.min_body_pt, lay.type_scale["body"]) == (8, 3, (100,), 20, 20)


def test_min_h_and_max_h_are_scaled_too(tmp_path: Path, content: Content):
    d = stack(kid(min_h=5, max_h=10), w=50, h=50)
    d["scale"] = 2
    lay = loaded(tmp_path, content, d)
    b = box_of(lay)
    assert (b.min_h, b.max_h) == (10, 20)


# --- the page: orientation, size, reaching past it -------------------------------------------------------------

@pytest.mark.parametrize("size, orientation, wh", [("A4", "portrait", (210, 297)), ("A4", "landscape", (297, 210)),
                                                   ("CR80", "portrait", (85.6, 54.0)),
                                                   ("CR80", "landscape", (85.6, 54.0))])
def test_orientation_turns_the_page_but_a_card_keeps_its_shape(tmp_path: Path, content: Content, size: str,
                                                              orientation: str, wh: tuple):
    d = base(kind="card")
    d["page"].update(size=size, orientation=orientation)
    d["pages"][0]["boxes"][0].update(w=10, h=10)
    lay = loaded(tmp_path, content, d)
    assert (lay.trim_w, lay.trim_h) == wh


@pytest.mark.parametrize("x, w, y, h, past", [(10, 200, 10, 20, False), (10, 200.1, 10, 20, False),
                                              (10, 200.2, 10, 20, True), (10, 50, 277, 20.1, False),
                                              (10, 50, 277, 20.2, True)])
def test_a_box_may_reach_the_page_edge_within_a_tenth_of_a_mm(tmp_path: Path, content: Content, x, w, y, h,
                                                              past: bool):
    found = keys(tmp_path, content, with_box(x=x, w=w, y=y, h=h))
    assert (f"t: {A}" in found) is past
    if past:
        assert f"box a ({x:g},{y:g} {w:g}x{h:g} mm) reaches past the 210 x 297 mm page" in found[f"t: {A}"]


def test_a_scaled_box_that_reaches_past_says_it_was_scaled(tmp_path: Path, content: Content):
    d = base(scale=2)
    d["pages"][0]["boxes"][0].update(x=10, w=100)
    assert "(20,20 200x40 mm, scaled) reaches past" in keys(tmp_path, content, d)[f"t: {A}"]


@pytest.mark.parametrize("missing", ["x", "y", "w", "h"])
def test_a_box_on_the_page_needs_x_y_w_and_h(tmp_path: Path, content: Content, missing: str):
    d = base()
    del d["pages"][0]["boxes"][0][missing]
    msg = keys(tmp_path, content, d)[f"{A}.{missing}"]
    assert f"needs x, y, w and h in mm (missing: {missing})" in msg


# --- stacks, grids and the boxes in them -----------------------------------------------------------------------

@pytest.mark.parametrize("ctx, field, refused", [
    ("down", "x", True), ("down", "y", True), ("down", "w", True), ("down", "h", False),
    ("across", "x", True), ("across", "y", True), ("across", "w", False), ("grid", "w", True),
])
def test_a_box_in_a_stack_or_grid_is_placed_by_it(tmp_path: Path, content: Content, ctx: str, field: str,
                                                  refused: bool):
    fields = {"direction": ctx} if ctx != "grid" else {"kind": "grid", "columns": 2}
    found = keys(tmp_path, content, stack(kid(**{field: 5}), **fields))
    key = f"{A}.boxes[0].{field}"
    assert (key in found) is refused
    if refused:
        owner = "grid" if ctx == "grid" else "stack"
        assert f"a box in a {owner} is placed by the {owner}; remove {field}" in found[key]


def test_a_container_needs_boxes_and_a_grid_columns(tmp_path: Path, content: Content):
    d = stack(kid(), kind="grid")
    found = keys(tmp_path, content, d)
    assert "a grid needs columns" in found[f"{A}.columns"]
    assert f"{A}.columns" not in keys(tmp_path / "2", content, stack(kid(), kind="grid", columns=3))
    d = stack(kid())
    del d["pages"][0]["boxes"][0]["boxes"]
    assert "a stack holds boxes" in keys(tmp_path / "3", content, d)[f"{A}.boxes"]


def test_a_grids_boxes_are_read_with_their_columns(tmp_path: Path, content: Content):
    lay = loaded(tmp_path, content, stack(kid("b"), kid("c"), kind="grid", columns=2))
    g = lay.pages[0].boxes[0]
    assert (g.columns, [k.name for k in g.boxes], g.direction) == (2, ["b", "c"], "down")
    lay = loaded(tmp_path / "2", content, stack(kid("b"), direction="across"))
    assert lay.pages[0].boxes[0].direction == "across"


def test_only_a_stack_has_a_direction_and_it_has_no_columns(tmp_path: Path, content: Content):
    assert "only a stack has a direction" in keys(tmp_path, content, with_box(direction="down"))[f"{A}.direction"]
    assert "a stack has no columns" in keys(tmp_path / "2", content, stack(kid(), columns=2))[f"{A}.columns"]
    assert "holds no boxes" in keys(tmp_path / "3", content, with_box(boxes=[kid("z")]))[f"{A}.boxes"]


@pytest.mark.parametrize("fields, key, fragment", [
    ({"h": 10, "min_h": 5}, "min_h", "h fixes the height already"),
    ({"h": 10, "max_h": 5}, "max_h", "h fixes the height already"),
    ({"min_h": 6, "max_h": 5}, "min_h", "min_h 6 mm is more than max_h 5 mm"),
])
def test_heights_that_contradict_each_other_are_refused(tmp_path: Path, content: Content, fields: dict, key: str,
                                                        fragment: str):
    assert fragment in keys(tmp_path, content, stack(kid(**fields)))[f"{A}.boxes[0].{key}"]


@pytest.mark.parametrize("fields", [{"min_h": 5, "max_h": 5}, {"min_h": 5}, {"max_h": 5}, {"h": 5}])
def test_heights_that_agree_are_accepted(tmp_path: Path, content: Content, fields: dict):
    assert keys(tmp_path, content, stack(kid(**fields))) == {}


@pytest.mark.parametrize("where, ok", [("down", True), ("across", True), ("grid", False), ("page", False)])
def test_grow_is_for_a_box_in_a_stack(tmp_path: Path, content: Content, where: str, ok: bool):
    if where == "page":
        found, key = keys(tmp_path, content, with_box(grow=1)), f"{A}.grow"
    else:
        fields = {"direction": where} if where != "grid" else {"kind": "grid", "columns": 2}
        found, key = keys(tmp_path, content, stack(kid(grow=1), **fields)), f"{A}.boxes[0].grow"
    assert (key in found) is not ok
    if not ok:
        assert "grow shares out a stack's spare room" in found[key]


@pytest.mark.parametrize("where, ok", [("down", True), ("across", False), ("grid", False), ("page", False)])
def test_optional_is_for_a_box_in_a_stack_going_down(tmp_path: Path, content: Content, where: str, ok: bool):
    if where == "page":
        found, key = keys(tmp_path, content, with_box(optional=True)), f"{A}.optional"
    else:
        fields = {"direction": where} if where != "grid" else {"kind": "grid", "columns": 2}
        found, key = keys(tmp_path, content, stack(kid(optional=True), **fields)), f"{A}.boxes[0].optional"
    assert (key in found) is not ok


def test_a_box_name_used_twice_on_a_page_names_the_first(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, stack(kid("a"), kid("a")))
    assert "box name 'a' is used twice on page p (first at line" in found[f"{A}.boxes[1].name"]


# --- alternatives ------------------------------------------------------------------------------------------------

def test_an_alternative_is_the_box_with_its_changes(tmp_path: Path, content: Content):
    lay = loaded(tmp_path, content, with_box(heading="t.title", alternatives=[
        {"name": "small", "style": "small", "gap": 4}, {"name": "plain", "heading": None}]))
    b = box_of(lay)
    small, plain = b.alternatives
    assert (small.name, small.box.style, small.box.gap, small.box.heading) == ("small", "small", 4.0, "t.title")
    assert dict(small.changes) == {"style": "small", "gap": 4.0}
    assert (plain.box.heading, plain.box.style) == (None, "body")


def test_an_alternative_may_not_set_columns_or_direction_to_null(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, stack(kid(), alternatives=[{"name": "x", "direction": None}]))
    assert f"{A}.alternatives[0].direction" in found
    found = keys(tmp_path / "2", content, stack(kid(), kind="grid", columns=2, alternatives=[{"name": "x", "columns": None}]))
    assert f"{A}.alternatives[0].columns" in found


def test_an_alternative_of_a_stack_may_not_set_columns(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, stack(kid(), alternatives=[{"name": "x", "columns": 2}]))
    assert "a stack has no columns" in found[f"{A}.alternatives[0].columns"]
    assert keys(tmp_path / "2", content, stack(kid(), kind="grid", columns=2,
                                               alternatives=[{"name": "x", "columns": 3}])) == {}


def test_an_alternatives_heights_are_checked_like_the_boxs(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, stack(kid(alternatives=[{"name": "x", "min_h": 6, "max_h": 5}])))
    assert "min_h 6 mm is more than max_h 5 mm" in found[f"{A}.boxes[0].alternatives[0].min_h"]


def test_a_fill_has_no_alternatives_and_says_so_once(tmp_path: Path, content: Content):
    d = base()
    d["pages"][0]["boxes"] = [{"name": "f", "kind": "fill", "x": 0, "y": 0, "w": 1, "h": 1,
                               "alternatives": [{"name": "a"}, {"name": "b"}]}]
    found = keys(tmp_path, content, d)
    assert "a fill has nothing to arrange" in found[f"{A}.alternatives[0]"]
    assert f"{A}.alternatives[1]" not in found


def page_alts(*alts: dict, boxes: list | None = None) -> dict:
    d = base()
    if boxes is not None:
        d["pages"][0]["boxes"] = boxes
    d["pages"][0]["alternatives"] = list(alts)
    return d


def test_a_page_alternative_changes_the_boxes_it_names(tmp_path: Path, content: Content):
    boxes = [{"name": "s", "kind": "stack", "x": 10, "y": 10, "w": 100, "h": 200, "boxes": [kid("a"), kid("b")]},
             {"name": "c", "kind": "text", "x": 10, "y": 220, "w": 50, "h": 20, "text": "t.one"}]
    lay = loaded(tmp_path, content, page_alts({"name": "small", "change": {"b": {"style": "small", "gap": 1}}},
                                              boxes=boxes))
    alt = lay.pages[0].alternatives[0]
    s, c = alt.boxes
    assert alt.name == "small" and [k.style for k in s.boxes] == ["body", "small"] and s.boxes[1].gap == 1.0
    assert c is lay.pages[0].boxes[1]  # a box the alternative leaves alone is the same box


def test_a_page_alternative_named_twice_or_naming_no_box_is_refused(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, page_alts({"name": "x"}, {"name": "x", "change": {"aa": {"style": "small"}}}))
    assert "alternative 'x' is named twice on page p" in found["pages[0].alternatives[1].name"]
    assert "no box 'aa' on page p; did you mean 'a'?" in found["pages[0].alternatives[1].change.aa"]
    found = keys(tmp_path / "2", content, page_alts({"name": "x", "change": {"zzzz": {"style": "small"}}}))
    assert found["pages[0].alternatives[0].change.zzzz"].endswith("no box 'zzzz' on page p")


def test_a_page_alternative_narrows_a_boxs_own_alternatives_in_its_order(tmp_path: Path, content: Content):
    d = with_box(alternatives=[{"name": "one"}, {"name": "two", "style": "small"}, {"name": "three"}])
    d["pages"][0]["alternatives"] = [{"name": "p1", "change": {"a": {"alternatives": ["three", "two"],
                                                                     "gap": 1}}},
                                     {"name": "p2", "change": {"a": {"gap": 3}}}]
    lay = loaded(tmp_path, content, d)
    p1, p2 = lay.pages[0].alternatives
    a1, a2 = p1.boxes[0], p2.boxes[0]
    assert [x.name for x in a1.alternatives] == ["three", "two"]
    assert a1.alternatives[1].box.style == "small" and a1.alternatives[1].box.gap == 1.0  # the page's change kept
    assert [x.name for x in a2.alternatives] == ["one", "two", "three"] and a2.alternatives[0].box.gap == 3.0
    d["pages"][0]["alternatives"][0]["change"]["a"]["alternatives"] = ["twoo"]
    found = keys(tmp_path / "2", content, d)
    assert "did you mean 'two'?" in found["pages[0].alternatives[0].change.a.alternatives"]


def test_a_page_alternative_reaches_a_box_inside_a_stack(tmp_path: Path, content: Content):
    d = stack(kid("a"), kid("b"))
    d["pages"][0]["alternatives"] = [{"name": "x", "change": {"b": {"style": "small"}}}]
    lay = loaded(tmp_path, content, d)
    inner = lay.pages[0].alternatives[0].boxes[0].boxes
    assert [k.style for k in inner] == ["body", "small"]


# --- extends -------------------------------------------------------------------------------------------------------

def test_a_layout_that_extends_another_takes_its_pages_and_what_it_leaves_unsaid(tmp_path: Path, content: Content):
    parent = base(needs_school=True, languages=["en-GB"], reading_order=["p.a"], min_body_pt=9, draft_band="bottom",
                  finishes=["office"], folds=[99], imposition={"sheet": "A3"}, max_reading_grade=7)
    child = {"extends": "parent", "kind": "poster", "title": "t.title", "subject": "t.title",
             "page": {"size": "A3"}, "scale": 2}
    lay = loaded(tmp_path, content, child, others={"parent": parent}, chains=[["en-GB"]])
    assert (lay.needs_school, lay.languages, lay.reading_order, lay.min_body_pt) == (True, ("en-GB",), ("p.a",), 18)
    assert (lay.draft_band, lay.finishes, lay.folds, lay.imposition.sheet) == ("bottom", ("office",), (198,), "A3")
    assert (lay.audience, lay.max_reading_grade, lay.type_scale["body"]) == ("staff", 7, 20)
    assert box_of(lay).w == 100  # the parent's pages, at the child's scale


def test_what_a_child_says_wins_over_its_parent(tmp_path: Path, content: Content):
    parent = base(needs_school=False, min_body_pt=9, folds=[99], imposition={"sheet": "A3"}, audience="pupils")
    child = {"extends": "parent", "kind": "poster", "title": "t.title", "subject": "t.title", "page": {"size": "A4"},
             "audience": "staff", "min_body_pt": 11, "folds": [50], "imposition": {"sheet": "A4"}, "needs_school": True,
             "type_scale": {"small": 7, "body": 12, "number": 10, "lead": 12, "heading": 12, "name": 14, "display": 16}}
    lay = loaded(tmp_path, content, child, others={"parent": parent})
    assert (lay.audience, lay.min_body_pt, lay.folds, lay.imposition.sheet) == ("staff", 11, (50,), "A4")
    assert lay.needs_school is True and lay.type_scale["body"] == 12


@pytest.mark.parametrize("parent, fragment", [
    (None, "unknown layout 'parent'"),
    ({"extends": "t"}, "layout 'parent' cannot be extended (it is invalid or extends another)"),
    ({"kind": "flyer"}, "cannot be extended"),
])
def test_a_layout_extends_a_valid_layout_that_extends_none(tmp_path: Path, content: Content, parent, fragment: str):
    child = {"extends": "parent", "kind": "poster", "title": "t.title", "subject": "t.title", "page": {"size": "A4"}}
    others = {} if parent is None else {"parent": {**base(), **parent}}
    found = keys(tmp_path, content, child, others=others)
    assert fragment in found["extends"]


def test_a_layout_that_extends_another_has_no_pages_of_its_own(tmp_path: Path, content: Content):
    child = base(extends="parent")
    assert "takes its pages from it; remove pages" in keys(tmp_path, content, child, others={"parent": base()})["pages"]


@pytest.mark.parametrize("drop, key, fragment", [("pages", "pages", "expected a list of pages with boxes"),
                                                 ("audience", "audience", "say who reads it"),
                                                 ("type_scale", "type_scale", "expected sizes in pt")])
def test_a_layout_needs_pages_an_audience_and_a_type_scale(tmp_path: Path, content: Content, drop: str, key: str,
                                                           fragment: str):
    d = base()
    del d[drop]
    found = keys(tmp_path, content, d)
    assert fragment in found[key]


def test_a_layout_file_name_is_lower_case(tmp_path: Path, content: Content):
    d = write(tmp_path, {"Big_Poster": base()})
    with pytest.raises(InputError) as exc:
        load_layouts(d, FONTS, content, None)
    assert any("layout file names use lower-case letters" in p.message and p.location.file.endswith("Big_Poster.yaml")
               for p in exc.value.problems)


# --- reading order, larger and the layouts asked for ------------------------------------------------------------------

def test_a_reading_order_lists_every_box_on_the_page_that_exists(tmp_path: Path, content: Content):
    d = base()
    d["pages"][0]["boxes"] = [dict(BASE["pages"][0]["boxes"][0], name=n, y=10 + 30 * i) for i, n in enumerate("abc")]
    d["reading_order"] = ["p.a", "p.b", "p.cc"]
    found = keys(tmp_path, content, d)
    assert "no box 'p.cc'; did you mean 'p.c'?" in found["reading_order[2]"]
    assert "leaves out p.c;" in found["reading_order"]
    d["reading_order"] = ["p.a", "p.b", "p.c", "p.zzz"]
    found = keys(tmp_path / "2", content, d)
    assert found["reading_order[3]"].endswith("no box 'p.zzz'") and "reading_order" not in found
    d["reading_order"] = ["p.c", "p.a", "p.b"]
    assert loaded(tmp_path / "3", content, d).reading_order == ("p.c", "p.a", "p.b")


def test_larger_names_a_layout_that_exists(tmp_path: Path, content: Content):
    assert "unknown layout 'big'" in keys(tmp_path, content, base(larger="big"))["larger"]
    assert loaded(tmp_path / "2", content, base(larger="t2"), others={"t2": base()}).larger == "t2"


def test_every_layout_is_loaded_when_none_is_named_and_a_wrong_name_is_said(tmp_path: Path, content: Content):
    got = run(tmp_path, content, base(), others={"t2": base(), "_notes": "not: [a layout"}, names=[])
    assert isinstance(got, dict) and sorted(got) == ["t", "t2"]
    found = keys(tmp_path / "2", content, base(), names=["t", "tt"])
    assert "unknown layout 'tt'" in found["--layout"]


def test_a_broken_layout_file_is_reported_and_the_others_still_checked(tmp_path: Path, content: Content):
    got = run(tmp_path, content, base(), others={"broken": "kind: [\n"}, names=[])
    assert isinstance(got, list)
    assert any(p.location.file.endswith("broken.yaml") and "YAML" in p.message for p in got)


def test_a_missing_layouts_folder_or_styles_file_is_said(tmp_path: Path, content: Content):
    with pytest.raises(InputError) as exc:
        load_layouts(tmp_path / "nowhere", FONTS, content)
    assert exc.value.problems[0].message == "layouts folder not found"
    d = write(tmp_path, {"t": base()})
    (d / "_styles.yaml").unlink()
    with pytest.raises(InputError) as exc:
        load_layouts(d, FONTS, content)
    assert exc.value.problems


def test_a_folder_with_no_layouts_is_said(tmp_path: Path, content: Content):
    d = write(tmp_path, {})
    with pytest.raises(InputError) as exc:
        load_layouts(d, FONTS, content)
    assert exc.value.problems[0].message == "no layouts (*.yaml) found"


def test_a_bilingual_layout_of_another_language_is_loaded_but_not_checked_now(tmp_path: Path, content: Content):
    d = base(languages=["cy", "en-GB"])
    d["pages"][0]["boxes"][0]["text"] = "t.nope"  # would be refused if checked
    got = run(tmp_path, content, d, chains=[["en-GB"]])
    assert isinstance(got, dict) and got["t"].languages == ("cy", "en-GB")
    got = run(tmp_path / "2", content, d, chains=[["cy"]])
    assert isinstance(got, list) and any("t.nope" in p.message for p in got)


def test_a_layout_of_named_languages_is_checked_in_those_only(tmp_path: Path, content: Content):
    d = base(languages=["en-GB"])
    got = run(tmp_path, content, d, chains=None)
    assert isinstance(got, dict)
    d["pages"][0]["boxes"][0]["text"] = "t.nope"
    got = run(tmp_path / "2", content, d, chains=None)
    assert isinstance(got, list) and any("(en-GB)" in p.message for p in got)


def test_a_page_alternative_narrows_the_alternatives_of_a_box_inside_a_stack(tmp_path: Path, content: Content):
    d = stack(kid("a"), kid("b", alternatives=[{"name": "one"}, {"name": "two", "style": "small"}]))
    d["pages"][0]["alternatives"] = [{"name": "x", "change": {"b": {"alternatives": ["two"]}}}]
    lay = loaded(tmp_path, content, d)
    b = lay.pages[0].alternatives[0].boxes[0].boxes[1]
    assert [a.name for a in b.alternatives] == ["two"] and b.alternatives[0].box.style == "small"
    d["pages"][0]["alternatives"][0]["change"]["b"]["alternatives"] = ["three"]
    assert "unknown alternative of box b 'three'" in keys(tmp_path / "2", content, d)[
        "pages[0].alternatives[0].change.b.alternatives"]


@pytest.mark.parametrize("field, value", [("kind", "fill"), ("x", 5), ("y", 5), ("w", 5), ("h", 5),
                                          ("boxes", [{"name": "z", "kind": "fill"}]),
                                          ("alternatives", [{"name": "z"}])])
def test_an_alternative_may_not_change_what_a_box_is_or_where_it_sits(tmp_path: Path, content: Content, field: str,
                                                                      value: Any):
    found = keys(tmp_path, content, with_box(alternatives=[{"name": "x", field: value}]))
    assert "unknown key" in found[f"{A}.alternatives[0].{field}"]
    if field != "alternatives":  # a page's arrangement may narrow a box's alternatives (tested above)
        d = base()
        d["pages"][0]["alternatives"] = [{"name": "p2", "change": {"a": {field: value}}}]
        assert "unknown key" in keys(tmp_path / "2", content, d)[f"pages[0].alternatives[0].change.a.{field}"]


def test_a_pages_arrangement_may_not_rename_a_box(tmp_path: Path, content: Content):
    d = base()
    d["pages"][0]["alternatives"] = [{"name": "p2", "change": {"a": {"name": "b"}}}]
    assert "unknown key" in keys(tmp_path, content, d)["pages[0].alternatives[0].change.a.name"]


@pytest.mark.parametrize("field", ["style", "valign", "show", "gap", "when", "bullet"])
def test_an_alternative_may_not_set_to_null_what_a_box_always_has(tmp_path: Path, content: Content, field: str):
    found = keys(tmp_path, content, with_box(alternatives=[{"name": "x", field: None}]))
    assert f"{A}.alternatives[0].{field}" in found
    assert keys(tmp_path / "2", content, with_box(alternatives=[{"name": "x", "background": None}])) == {}


def test_a_pages_arrangement_that_narrows_a_boxs_alternatives_names_at_least_one(tmp_path: Path, content: Content):
    d = with_box(alternatives=[{"name": "one"}, {"name": "two"}])
    d["pages"][0]["alternatives"] = [{"name": "p1", "change": {"a": {"alternatives": []}}}]
    assert "at least 1 needed" in keys(tmp_path, content, d)["pages[0].alternatives[0].change.a.alternatives"]


def test_a_page_with_alternatives_lists_at_least_one(tmp_path: Path, content: Content):
    d = base()
    d["pages"][0]["alternatives"] = []
    assert "at least 1 needed" in keys(tmp_path, content, d)["pages[0].alternatives"]


def test_a_layout_with_a_pages_list_has_at_least_one_page(tmp_path: Path, content: Content):
    assert "at least 1 needed" in keys(tmp_path, content, base(pages=[]))["pages"]


def test_without_chains_a_layout_is_checked_in_every_locale_of_the_content(tmp_path: Path, content: Content):
    d = base()
    d["pages"][0]["boxes"][0]["text"] = "t.nope"
    got = run(tmp_path, content, d, chains=None)
    assert isinstance(got, list) and any("content key 't.nope' (en-GB)" in p.message for p in got)


def test_a_bilingual_layout_built_with_a_fallback_is_checked(tmp_path: Path, content: Content):
    """Welsh falling back to English: the chain starts with cy, the layout's first language, so it is checked."""
    d = base(languages=["cy", "en-GB"])
    d["pages"][0]["boxes"][0]["text"] = "t.nope"
    got = run(tmp_path, content, d, chains=[["cy", "en-GB"]])
    assert isinstance(got, list) and any("content key 't.nope' (cy)" in p.message for p in got)


def test_without_chains_a_layout_of_named_languages_is_checked_in_those_not_in_every_locale(
        tmp_path: Path, content: Content):
    got = run(tmp_path, content, base(languages=["cy"]), chains=None)  # the content has no Welsh
    assert isinstance(got, list) and any("content key 't.title' (cy)" in p.message for p in got)


def test_a_layout_of_one_language_built_with_a_fallback_is_checked_along_that_chain(tmp_path: Path):
    """A text only the Welsh has is fine for a Welsh layout built Welsh-then-English."""
    welsh = load_content(content_folder(tmp_path / "c", welsh={"title": "T", "cyonly": "Dim ond"}))
    d = base(languages=["cy"])
    d["pages"][0]["boxes"][0]["text"] = "t.cyonly"
    got = run(tmp_path, welsh, d, chains=[["cy", "en-GB"]])
    assert isinstance(got, dict), [p.message for p in got]


def test_a_page_arrangement_narrowing_the_alternatives_of_no_box_is_one_problem(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, page_alts_of({"name": "x", "change": {"zz": {"alternatives": ["one"]}}}))
    assert list(found) == ["pages[0].alternatives[0].change.zz"] and "no box 'zz' on page p" in found[
        "pages[0].alternatives[0].change.zz"]


def page_alts_of(*alts: dict) -> dict:
    d = base()
    d["pages"][0]["alternatives"] = list(alts)
    return d


def test_where_a_box_sits_is_reported_once_not_again_for_each_alternative(tmp_path: Path, content: Content):
    found = keys(tmp_path, content, stack(kid(x=5, alternatives=[{"name": "one"}, {"name": "two"}])))
    assert list(found) == [f"{A}.boxes[0].x"]
