"""Stage 3, compose: layout positions as plain data (no PDF is written here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cseprint.compose import OFFICE, PRINT_SHOP, balance, compose, extend_to_bleed, qr_matrix
from cseprint.document import Document, Page, Rect, mm
from cseprint.fonts import FontBook
from cseprint.models import Content, Layout, Styles
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS, PROJECT, Workspace

MM = mm(1)
TOL_PT = 0.01


@dataclass
class Inputs:
    content: Content
    styles: Styles
    layouts: dict[str, Layout]
    fonts: FontBook

    def doc(self, name: str, finish=OFFICE) -> Document:
        return compose(self.layouts[name], self.styles, self.content, self.fonts, "en-GB", finish)[0]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    snap = Workspace(tmp_path_factory.mktemp("compose") / "ws")
    content = load_content(snap.content)
    styles, layouts = load_layouts(snap.layouts, FONTS, content, ["poster-a4", "poster-a3"])
    return Inputs(content, styles, layouts, FontBook(styles, FONTS))


def box_def(lay: Layout, name: str):
    return next(b for p in lay.pages for b in p.boxes if b.name == name)


def report(page: Page, name: str):
    return next(r for r in page.boxes if r.box == name)


def in_mm(page: Page, r: Rect) -> tuple[float, float, float, float]:
    """A rectangle as x, y from the trim's top-left and w, h, in millimetres (the layout's terms)."""
    return ((r.x - page.trim.x) / MM, (page.trim.y1 - r.y1) / MM, r.w / MM, r.h / MM)


@pytest.mark.parametrize("finish", [OFFICE, PRINT_SHOP], ids=lambda f: f.name)
def test_headline_box_rect_in_mm(inputs: Inputs, finish):
    lay = inputs.layouts["poster-a4"]
    page = inputs.doc("poster-a4", finish).pages[0]
    b = box_def(lay, "headline")
    assert in_mm(page, report(page, "headline").rect) == pytest.approx((b.x, b.y, b.w, b.h), abs=1e-6)
    # the layout says mm from the top-left of the trim; the document is in pt from the bottom-left of the media
    margin = 0.0 if finish is OFFICE else lay.bleed + 2.0 + 5.0  # bleed + crop-mark offset + mark length
    assert page.trim.x == pytest.approx(margin * MM)
    assert (page.trim.w / MM, page.trim.h / MM) == pytest.approx((210.0, 297.0))
    assert (page.media_w / MM, page.media_h / MM) == pytest.approx((210 + 2 * margin, 297 + 2 * margin))
    r = report(page, "headline").rect
    assert r.x == pytest.approx(page.trim.x + b.x * MM)
    assert r.y1 == pytest.approx(page.trim.y1 - b.y * MM)


def test_a3_is_the_a4_scaled(inputs: Inputs):
    a4, a3 = inputs.doc("poster-a4").pages[0], inputs.doc("poster-a3").pages[0]
    scale = inputs.layouts["poster-a3"].scale
    assert scale != 1
    for rep in a4.boxes:
        assert in_mm(a3, report(a3, rep.box).rect) == pytest.approx(tuple(v * scale for v in in_mm(a4, rep.rect)))


def _lines_outside_their_box(page: Page) -> list[str]:
    reps = {r.box: r for r in page.boxes}
    bad = []
    for ln in page.lines:
        rep = reps[ln.box]
        if not rep.rect.contains(ln.rect, tol=TOL_PT):
            bad.append(f"{ln.box}: '{ln.text}' ink {in_mm(page, ln.rect)} outside box {in_mm(page, rep.rect)}")
    return bad


def _tight_boxes(lay: Layout, styles: Styles) -> set[str]:
    """Boxes using a style whose leading is below 1.15 (see the xfail below)."""
    out = set()
    for p in lay.pages:
        for b in p.boxes:
            names = [b.style, b.heading_style if b.heading else None, b.number_style, b.label_style]
            if any(n in styles.styles and styles.styles[n].leading < 1.15 for n in names if n):
                out.add(b.name)
    return out


@pytest.mark.parametrize("name", ["poster-a4", "poster-a3"])
@pytest.mark.parametrize("finish", [OFFICE, PRINT_SHOP], ids=lambda f: f.name)
def test_every_text_line_lies_inside_its_box(inputs: Inputs, name: str, finish):
    page = inputs.doc(name, finish).pages[0]
    tight = _tight_boxes(inputs.layouts[name], inputs.styles)
    assert page.lines
    bad = [b for b in _lines_outside_their_box(page) if b.split(":")[0] not in tight]
    assert not bad, "\n".join(bad)
    # every run starts inside the box horizontally
    reps = {r.box: r for r in page.boxes}
    for ln in page.lines:
        for run in ln.runs:
            assert reps[ln.box].rect.x - TOL_PT <= run.x <= reps[ln.box].rect.x1 + TOL_PT, (ln.box, run.text)


def test_headline_lines_lie_inside_the_headline_box(inputs: Inputs):
    page = inputs.doc("poster-a4").pages[0]
    bad = [b for b in _lines_outside_their_box(page) if b.startswith("headline:")]
    assert not bad, "\n".join(bad)


def test_lines_follow_each_other_down_the_box(inputs: Inputs):
    page = inputs.doc("poster-a4").pages[0]
    signs = [ln for ln in page.lines if ln.box == "signs"]
    first_col_x = min(ln.rect.x for ln in signs)
    col = [ln for ln in signs if abs(ln.rect.x - first_col_x) < 20]
    ys = [ln.y for ln in col]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == len(ys)


@pytest.mark.parametrize("finish", [OFFICE, PRINT_SHOP], ids=lambda f: f.name)
def test_qr_code_is_large_enough_and_centred_in_its_box(inputs: Inputs, finish):
    page = inputs.doc("poster-a4", finish).pages[0]
    assert page.qrcodes
    for q in page.qrcodes:
        box = report(page, q.box).rect
        assert q.rect.w / MM >= 30.0 - 1e-6
        assert q.rect.w == pytest.approx(q.rect.h)
        assert (q.rect.x + q.rect.x1) / 2 == pytest.approx((box.x + box.x1) / 2, abs=0.01)
        assert box.contains(q.quiet_rect)
        assert q.quiet >= 4
        assert q.payload == inputs.content.contacts[q.key.split(".")[0]].web
        assert len(q.matrix) * q.module == pytest.approx(q.rect.w)


def test_qr_size_follows_the_layout(inputs: Inputs):
    lay = inputs.layouts["poster-a4"]
    page = inputs.doc("poster-a4").pages[0]
    for q in page.qrcodes:
        assert q.rect.w / MM == pytest.approx(box_def(lay, q.box).qr_size)


def _background_fills_touching_trim(doc: Document, lay: Layout):
    page = doc.pages[0]
    out = []
    for p in lay.pages[:1]:
        for b in p.boxes:
            if not b.background:
                continue
            fill = next(f for f in page.fills if f.box == b.name and f.background)
            edges = {"left": b.x < 0.1, "top": b.y < 0.1, "right": b.x + b.w > lay.trim_w - 0.1,
                     "bottom": b.y + b.h > lay.trim_h - 0.1}
            if any(edges.values()):
                out.append((b, fill, edges))
    return page, out


def _bleed_problems(doc: Document, lay: Layout, bleed_mm: float) -> list[str]:
    page, fills = _background_fills_touching_trim(doc, lay)
    assert fills, "the layout has no background touching the trim"
    t = page.trim
    bad = []
    for b, f, edges in fills:
        r = f.rect
        got = {"left": (t.x - r.x) / MM, "right": (r.x1 - t.x1) / MM, "bottom": (t.y - r.y) / MM,
               "top": (r.y1 - t.y1) / MM}
        for edge, touches in edges.items():
            want = bleed_mm if touches else None
            if want is not None and abs(got[edge] - want) > 0.05:
                bad.append(f"{b.name} {edge}: runs {got[edge]:.3f} mm past the trim, expected {want} mm")
    return bad


@pytest.mark.parametrize("name", [
    "poster-a4",
    "poster-a3",  # scaled from A4: its edges end 0.02 mm short of the A3 trim and must still bleed
])
def test_background_touching_trim_runs_into_the_bleed_in_print_shop_finish(inputs: Inputs, name: str):
    lay = inputs.layouts[name]
    bad = _bleed_problems(inputs.doc(name, PRINT_SHOP), lay, lay.bleed)
    assert not bad, "\n".join(bad)


def test_header_bleeds_on_three_sides_but_not_into_the_page(inputs: Inputs):
    lay = inputs.layouts["poster-a4"]
    page = inputs.doc("poster-a4", PRINT_SHOP).pages[0]
    b = box_def(lay, "header")
    assert (b.x, b.y, b.w) == (0, 0, lay.trim_w) and b.y + b.h < lay.trim_h
    f = next(f for f in page.fills if f.box == "header")
    x, y, w, h = in_mm(page, f.rect)
    assert (x, y, w, h) == pytest.approx((-3.0, -3.0, lay.trim_w + 6.0, b.h + 3.0))


def test_no_bleed_in_office_finish(inputs: Inputs):
    lay = inputs.layouts["poster-a4"]
    doc = inputs.doc("poster-a4", OFFICE)
    page, fills = _background_fills_touching_trim(doc, lay)
    assert page.bleed == page.trim
    for b, f, _ in fills:
        assert in_mm(page, f.rect) == pytest.approx((b.x, b.y, b.w, b.h), abs=1e-6)
        assert page.trim.contains(f.rect)


def test_crop_marks_only_in_print_shop_and_outside_the_bleed(inputs: Inputs):
    assert inputs.doc("poster-a4", OFFICE).pages[0].marks == []
    page = inputs.doc("poster-a4", PRINT_SHOP).pages[0]
    crops = [m for m in page.marks if m.kind == "crop"]
    assert len(crops) == 8
    for m in crops:
        for x, y in ((m.x1, m.y1), (m.x2, m.y2)):
            inside = page.bleed.x < x < page.bleed.x1 and page.bleed.y < y < page.bleed.y1
            assert not inside
            assert 0 <= x <= page.media_w and 0 <= y <= page.media_h


def test_boxes_report_what_they_need(inputs: Inputs):
    page = inputs.doc("poster-a4").pages[0]
    for rep in page.boxes:
        if rep.kind != "fill":
            assert 0 < rep.needed <= rep.available + 0.5, rep.box
        assert rep.too_wide == [] and rep.missing == []


def test_compose_is_deterministic(inputs: Inputs):
    assert inputs.doc("poster-a4", PRINT_SHOP) == inputs.doc("poster-a4", PRINT_SHOP)


def test_text_that_does_not_fit_is_recorded_not_shrunk(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    ws.set_text("poster_subhead", "A suspicion is enough. " * 6)
    content = load_content(ws.content)
    styles, layouts = load_layouts(ws.layouts, FONTS, content, ["poster-a4"])
    doc = compose(layouts["poster-a4"], styles, content, FontBook(styles, FONTS), "en-GB", OFFICE)[0]
    page = doc.pages[0]
    rep = report(page, "subhead")
    assert rep.needed > rep.available
    sizes = {run.size for ln in page.lines if ln.box == "subhead" for run in ln.runs}
    assert sizes == {layouts["poster-a4"].type_scale[styles.styles[box_def(layouts["poster-a4"], "subhead").style].size]}


def test_extend_to_bleed_unit():
    trim = Rect(10, 10, 100, 200)
    assert extend_to_bleed(Rect(10, 10, 100, 50), trim, 3) == Rect(7, 7, 106, 53)
    assert extend_to_bleed(Rect(20, 20, 10, 10), trim, 3) == Rect(20, 20, 10, 10)
    assert extend_to_bleed(Rect(10, 10, 100, 200), trim, 0) == trim


def test_balance_keeps_order_and_minimises_tallest_column():
    cols = balance([10, 10, 10, 30], 0, 2)
    assert [i for c in cols for i in c] == [0, 1, 2, 3]
    assert cols == [[0, 1, 2], [3]]
    assert balance([5], 1, 3) == [[0]]


def test_qr_matrix_is_a_square_symbol():
    m = qr_matrix("https://www.ceop.police.uk/ceop-reporting/", "M")
    assert len(m) == len(m[0]) and (len(m) - 17) % 4 == 0
    assert all(m[r][c] for r, c in ((0, 0), (0, 6), (6, 0), (6, 6)))  # finder pattern corners


def test_compose_reads_no_file_and_imports_no_reportlab(monkeypatch):
    """The pure stage: once content, layouts and fonts are loaded, composing opens nothing."""
    import builtins
    import importlib
    import inspect
    import pkgutil

    import cseprint.compose as compose_module
    from cseprint.build import Options, load
    from cseprint.compose import OFFICE, compose
    from cseprint.errors import Location
    from cseprint.fonts import FontBook
    from cseprint.schema import Checker
    from cseprint.schools import build_school, load_profile, with_school

    from .teams import team

    opts = Options(content=PROJECT / "content", layouts=PROJECT / "layouts", fonts=PROJECT / "fonts",
                   out=PROJECT / "output")
    national, styles, layouts = load(opts, ["cy"])
    content = with_school(national, load_profile(PROJECT / "content" / "schools" / "example-school.yaml",
                                                 PROJECT / "content"), ["en-GB"])
    # a large team with 35-letter surnames: hyphenated (pyphen), in arrangements tried and rejected
    big = {nation: build_school(team(12, photos="most", names="unbreakable", nation=nation), Location("t"), "t",
                                PROJECT / "content", Checker()) for nation in ("england", "wales")}
    fonts = FontBook(styles, opts.fonts)

    def no_open(*args, **kwargs):
        raise AssertionError(f"compose opened a file: {args[:1]}")

    monkeypatch.setattr(builtins, "open", no_open)
    monkeypatch.setattr("io.open", no_open)
    for name in sorted(layouts):
        if not layouts[name].languages:
            assert compose(layouts[name], styles, content, fonts, "en-GB", OFFICE, school="example-school")
    hyphenated = []
    for name in ("who-to-tell-a4", "who-to-tell-a4-bilingual"):
        locale = layouts[name].languages[0] if layouts[name].languages else "en-GB"
        school = big["wales" if locale == "cy" else "england"]
        (doc,) = compose(layouts[name], styles, with_school(national, school, [locale]), fonts, locale, OFFICE, school="t")
        hyphenated += [ln.text for ln in doc.pages[0].lines if ln.text.endswith("-") and ln.key.startswith("school.")]
    assert hyphenated  # a surname was hyphenated, with every file closed
    modules = [compose_module] + [importlib.import_module(f"cseprint.compose.{m.name}")
                                  for m in pkgutil.iter_modules(compose_module.__path__)]
    used = {inspect.getmodule(v).__name__ for mod in modules for v in vars(mod).values() if inspect.getmodule(v)}
    assert not any(m.startswith("reportlab") for m in used), used
