"""Design rules for the press (cseprint.prepress): registration, folds, QR module size.

Each rule is shown to refuse a layout that breaks it, naming the layout file, line
and box; and the built files are read back to show the layouts keep the rules:
folds from the fold marks and rendered pixels of every print-shop leaflet, QR
modules measured from the decoded codes of every poster and leaflet, and every
code decoded again from a simulated phone photo.
"""

from __future__ import annotations

import io
import math

import pikepdf
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageFilter

from cseprint.build import Built, Output
from cseprint.compose import OFFICE, compose
from cseprint.fonts import FontBook
from cseprint.validate import load_content, load_layouts
from cseprint.write_pdf import render

from .conftest import FONTS, PROBLEM_LINE, Workspace

MM = 72 / 25.4


def problems(r) -> list[dict]:
    """Each problem line as file, line, column and the rest (its key names layout, page and box)."""
    lines = [PROBLEM_LINE.match(ln) for ln in r.problem_lines()]
    assert all(lines), r.err
    return [m.groupdict() | {"text": f"{m['key']}: {m['msg']}"} for m in lines]


def expect(r, file: str, box: str, *fragments: str) -> dict:
    """The one problem about ``box`` that says all of ``fragments``; it names the file and a line."""
    assert r.code == 1, r.text
    found = [p for p in problems(r) if f": box {box}" in p["text"] and all(f in p["text"] for f in fragments)]
    assert len(found) == 1, f"no single problem about box {box} saying {fragments}:\n{r.err}"
    assert found[0]["file"].endswith(file) and int(found[0]["line"]) > 0, found[0]
    return found[0]


# --- registration -----------------------------------------------------------------------------------

def test_small_white_text_reversed_out_of_navy_is_refused(ws: Workspace):
    """The wallet card's old front: 12 pt regular white on a navy (three-plate) background."""
    with ws.edit("layouts/wallet-card.yaml") as d:
        d["pages"][0]["background"] = "navy"
        ws.box(d, "message")["style"] = "body-inverse"
    r = ws.check("--layout", "wallet-card")
    p = expect(r, "layouts/wallet-card.yaml", "message", "12.0 pt regular", "reversed out of navy",
               "3 plates (CMK)", "at least 14 pt bold")
    assert "box message (products.card_front_text)" in p["text"]


def test_small_navy_text_is_refused_and_14_pt_bold_navy_is_not(ws: Workspace):
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "grooming")["heading_style"] = "label-navy"  # 12 pt bold navy, as the leaflet had
    r = ws.check("--layout", "staff-leaflet")
    expect(r, "layouts/staff-leaflet.yaml", "grooming", "12.0 pt bold", "printed in navy", "set it in black")
    assert len(problems(r)) == 1  # coercion (14 pt bold navy) passes
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "grooming")["heading_style"] = "subhead-navy"  # 14 pt bold navy
    assert ws.check("--layout", "staff-leaflet").code == 0


def test_small_yellow_on_navy_is_refused(ws: Workspace):
    """The bilingual card's old heading: 12 pt bold yellow (two plates) knocked out of navy (three)."""
    ws.sub("layouts/wallet-card-bilingual.yaml", r"heading: 14, display: 20", "heading: 12, display: 20")
    r = ws.check("--locale", "cy", "--layout", "wallet-card-bilingual")
    assert r.code == 1
    found = [p for p in problems(r) if ": box heading" in p["text"]]
    assert {p["text"].split(":")[1].strip() for p in found} == {"page cymraeg", "page english"}, r.err
    for p in found:
        assert "printed in sun, a colour made of 2 plates (MY) and knocks out of navy" in p["text"]


def test_small_black_text_on_colour_is_allowed(ws: Workspace):
    """Black overprints, so it has no hole to misregister: 12 pt regular black on yellow passes."""
    with ws.edit("layouts/wallet-card.yaml") as d:
        ws.box(d, "call")["style"] = "contact-name"  # 12 pt regular black, on the two-plate sun band
    r = ws.check("--layout", "wallet-card")
    assert r.code == 0, r.err


# --- folds --------------------------------------------------------------------------------------------

def test_colour_ending_on_a_fold_is_refused(ws: Workspace):
    """The leaflet's old cover: navy starting exactly on the fold at 197 mm."""
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "cover").update(x=197, w=100)
        ws.box(d, "cover-band").update(x=198, w=99)  # 1 mm past the fold, on the wrong side
    r = ws.check("--layout", "staff-leaflet")
    expect(r, "layouts/staff-leaflet.yaml", "cover", "navy starts 0.0 mm from the fold at 197 mm",
           "start at 195.5 mm")
    expect(r, "layouts/staff-leaflet.yaml", "cover-band", "sun starts 1.0 mm from the fold at 197 mm")


def test_text_near_a_fold_is_refused_on_the_inside_page_too(ws: Workspace):
    """On the inside page the creases fall mirrored, at 100 and 200 mm; text 3 mm from one is refused."""
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "routes-2")["x"] = 203
        routes = len(ws.box(d, "routes-2")["only"])
    r = ws.check("--layout", "staff-leaflet")
    assert r.code == 1
    found = problems(r)
    assert routes >= 4 and len(found) >= routes  # one for each route's text (each names its own content key)
    for p in found:
        assert p["file"].endswith("layouts/staff-leaflet.yaml"), p
        assert "staff-leaflet: page inside: box routes-2 (reporting.routes[" in p["text"], p
        assert "lies 3.0 mm from the fold at 200 mm; keep it at least 5 mm from every fold" in p["text"], p


def test_qr_code_near_a_fold_is_refused(ws: Workspace):
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "ceop-qr").update(x=150, w=86)  # the code's centre lands on the fold at 197 mm
    r = ws.check("--layout", "staff-leaflet")
    expect(r, "layouts/staff-leaflet.yaml", "ceop-qr", "the QR code crosses the fold at 197 mm")


# --- QR module size -------------------------------------------------------------------------------------

def test_qr_modules_under_1_mm_are_refused(ws: Workspace):
    with ws.edit("layouts/staff-leaflet.yaml") as d:
        ws.box(d, "nspcc-qr")["qr_size"] = 30  # as it was: 37 modules in 30 mm
    r = ws.check("--layout", "staff-leaflet")
    expect(r, "layouts/staff-leaflet.yaml", "nspcc-qr", "modules are 0.81 mm (37 modules in 30.0 mm)",
           "at least 1.0 mm", "qr_size at least 37 mm")


# --- the built files keep the rules -------------------------------------------------------------------------

def files(builds: dict[str, Built], *, finish: str | None = None, kinds: tuple[str, ...] = ()) -> list[Output]:
    found = [o for b in builds.values() for o in b.outputs
             if (finish is None or o.doc.finish == finish) and (not kinds or o.doc.kind in kinds)]
    assert found
    return found


def fold_marks(data: bytes, page: int) -> list[float]:
    """x of every fold mark (the dashed hairlines outside the trim) of one page, in points."""
    xs = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        dashed, start = False, None
        for operands, op in pikepdf.parse_content_stream(pdf.pages[page]):
            o = str(op)
            if o == "d":
                dashed = len(operands[0]) > 0
            elif o == "m":
                start = float(operands[0])
            elif o == "l" and dashed and start is not None and abs(float(operands[0]) - start) < 0.01:
                xs.add(round(start, 2))
    return sorted(xs)


def test_colour_runs_past_every_fold_and_text_keeps_clear(shop_builds: dict[str, Built]):
    """Read from each print-shop leaflet: the folds from its fold marks; then, rendered, the colour is
    the same on both sides of each fold for 1.5 mm (it runs past, or stops well clear), and no
    character lies within 5 mm of a fold."""
    leaflets = [o for o in files(shop_builds, finish="print-shop") if o.doc.layout == "staff-leaflet"]
    assert len(leaflets) == 3
    dpi = 150
    s = dpi / 72
    for o in leaflets:
        pdf = pdfium.PdfDocument(o.data)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                folds = fold_marks(o.data, i)
                left, bottom, right, top = page.get_trimbox()
                assert len(folds) == 2 and all(left < x < right for x in folds), (o.path, i, folds)
                assert sorted(round((x - left) / MM) for x in folds) == ([97, 197] if i == 0 else [100, 200])
                im = page.render(scale=s).to_pil().convert("RGB")
                h = im.height
                for x in folds:
                    cols = [round((x + d * MM) * s) for d in (-1.4, -0.7, 0.0, 0.7, 1.4)]
                    for y in range(round(h - top * s) + 2, round(h - bottom * s) - 2):
                        colours = {im.getpixel((c, y)) for c in cols}
                        assert len(colours) == 1, f"{o.path} page {i + 1}: colour changes near the fold at " \
                                                  f"{(x - left) / MM:.1f} mm, row {y}: {colours}"
                text = page.get_textpage()
                for k in range(text.count_chars()):
                    if text.get_text_range(k, 1).strip():
                        x0, _, x1, _ = text.get_charbox(k)
                        for x in folds:
                            gap = 0 if x0 <= x <= x1 else min(abs(x0 - x), abs(x1 - x)) / MM
                            assert gap >= 5 - 0.05, f"{o.path} page {i + 1}: '{text.get_text_range(k, 1)}' " \
                                                    f"{gap:.1f} mm from a fold"
        finally:
            pdf.close()


def decoded(page: pdfium.PdfPage, dpi: int) -> list:
    return zxingcpp.read_barcodes(page.render(scale=dpi / 72, grayscale=True).to_pil(),
                                  formats=zxingcpp.BarcodeFormat.QRCode)


def test_every_qr_module_on_posters_and_leaflets_is_at_least_1_mm(shop_builds: dict[str, Built]):
    """Measured from the file: the decoded code's width over its module count (from its version)."""
    dpi = 300
    seen = []
    for o in files(shop_builds, kinds=("poster", "leaflet")):
        pdf = pdfium.PdfDocument(o.data)
        try:
            for i in range(len(pdf)):
                want = sorted(q.payload for q in o.doc.pages[i].qrcodes)
                got = decoded(pdf[i], dpi)
                assert sorted(r.text for r in got) == want, (o.path, i)
                for r in got:
                    p = r.position
                    width_px = math.dist((p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y))
                    modules = 17 + 4 * int(r.extra["Version"])
                    module_mm = width_px / dpi * 25.4 / modules
                    assert module_mm >= 1.0 - 0.03, f"{o.path}: {r.text} has {module_mm:.2f} mm modules"
                    seen.append((o.path, r.text, round(module_mm, 2)))
        finally:
            pdf.close()
    assert any("nspcc" in t for _, t, _ in seen) and any("ceop" in t for _, t, _ in seen)


PHONE_DPI = 60  # the camera's resolution on the paper: about 2.4 pixels a millimetre


def phone_photo(page: pdfium.PdfPage, area: tuple[float, float, float, float],
                angle: float) -> Image.Image:
    """A phone's photo of one code on the printed page: the page sharp at 600 dpi, then the camera's
    resolution, a slightly soft lens, a tilted hand and JPEG compression."""
    x0, y0, x1, y1 = area
    crop = (x0, y0, page.get_width() - x1, page.get_height() - y1)
    sharp = page.render(scale=600 / 72, crop=crop, grayscale=True).to_pil().convert("L")
    w, h = sharp.size
    im = sharp.resize((max(1, round(w * PHONE_DPI / 600)), max(1, round(h * PHONE_DPI / 600))), Image.LANCZOS)
    im = im.filter(ImageFilter.GaussianBlur(0.8))
    im = im.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=255)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=50)
    return Image.open(io.BytesIO(buf.getvalue()))


def photo_decodes(o_data: bytes, pages, angle: float = 8.0) -> list[tuple[str, list[str]]]:
    """For every code of a file: its payload and what the simulated photo of it decodes to."""
    out = []
    pdf = pdfium.PdfDocument(o_data)
    try:
        for i, page in enumerate(pages):
            for q in page.qrcodes:
                r = q.quiet_rect
                m = 10 * MM  # a little of the page around the code
                area = (max(r.x - m, 0), max(r.y - m, 0), min(r.x1 + m, page.media_w), min(r.y1 + m, page.media_h))
                im = phone_photo(pdf[i], area, angle)
                out.append((q.payload, [x.text for x in zxingcpp.read_barcodes(
                    im, formats=zxingcpp.BarcodeFormat.QRCode)]))
    finally:
        pdf.close()
    return out


def test_every_code_decodes_from_a_simulated_phone_photo(shop_builds: dict[str, Built]):
    """Every code on every poster and leaflet, office and print-shop: photographed at 60 dpi, blurred,
    tilted by 8 degrees either way and JPEG-compressed, it still gives exactly its address."""
    n = 0
    for o in files(shop_builds, kinds=("poster", "leaflet")):
        for angle in (8.0, -8.0):
            for payload, got in photo_decodes(o.data, o.doc.pages, angle):
                assert got == [payload], f"{o.path}: the photo ({angle:+g} degrees) of {payload} gave {got}"
                n += 1
    assert n >= 30


def test_the_simulated_photo_fails_the_old_0_81_mm_modules(ws: Workspace):
    """The photo is hard enough to matter: the leaflet's old 30 mm NSPCC code (0.81 mm modules) does
    not decode from it, while the 38 mm one (1.03 mm) beside the same text does."""
    content = load_content(ws.content)
    results = {}
    for size in (30, 38):
        with ws.edit("layouts/staff-leaflet.yaml") as d:
            ws.box(d, "nspcc-qr")["qr_size"] = size
        styles, layouts = load_layouts(ws.layouts, FONTS, content, ["staff-leaflet"])
        doc = compose(layouts["staff-leaflet"], styles, content, FontBook(styles, FONTS), "en-GB", OFFICE)[0]
        results[size] = dict(photo_decodes(render(doc), doc.pages))  # composed and drawn, not preflighted
    nspcc = next(p for p in results[30] if "nspcc" in p)
    assert results[30][nspcc] == [] and results[38][nspcc] == [nspcc]
