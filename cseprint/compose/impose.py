"""Bleed, crop marks and step-and-repeat imposition of cards on a sheet (pure geometry)."""

from __future__ import annotations

from ..document import Fill, Image, Mark, Page, QRCode, Rect, Run, TextLine, mm
from ..lookup import PAPER_MM
from ..models import Layout
from .finish import CROP_LENGTH_MM, CROP_OFFSET_MM, Finish


def extend_to_bleed(r: Rect, trim: Rect, b: float, tol: float = mm(0.1)) -> Rect:
    """A background touching the trim edge runs on into the bleed on that side.

    "Touching" allows 0.1 mm: a layout scaled from A4 to A3 (x 1.4142) ends
    0.02 mm short of the A3 trim, and must still bleed.
    """
    x0 = r.x - b if abs(r.x - trim.x) < tol else r.x
    y0 = r.y - b if abs(r.y - trim.y) < tol else r.y
    x1 = r.x1 + b if abs(r.x1 - trim.x1) < tol else r.x1
    y1 = r.y1 + b if abs(r.y1 - trim.y1) < tol else r.y1
    return Rect(x0, y0, x1 - x0, y1 - y0)


def crop_marks(xs: list[float], ys: list[float], area: Rect, bleed: float) -> list[Mark]:
    """Marks at every cut line, outside the bleed of ``area`` (the block of trimmed items)."""
    off, length = bleed + mm(CROP_OFFSET_MM), mm(CROP_LENGTH_MM)
    marks = []
    for x in xs:
        marks.append(Mark(x, area.y - off, x, area.y - off - length, "crop"))
        marks.append(Mark(x, area.y1 + off, x, area.y1 + off + length, "crop"))
    for y in ys:
        marks.append(Mark(area.x - off, y, area.x - off - length, y, "crop"))
        marks.append(Mark(area.x1 + off, y, area.x1 + off + length, y, "crop"))
    return marks


SHEET_MARGIN_MM = 5.0  # office printers cannot print the outer few millimetres


def grid(sheet_w: float, sheet_h: float, item_w: float, item_h: float, bleed: float, marks: bool) -> tuple[int, int]:
    """How many items fit: butt-cut when there is no bleed, else each with its own bleed."""
    edge = SHEET_MARGIN_MM + (CROP_OFFSET_MM + CROP_LENGTH_MM if marks else 0.0)
    cols = int((sheet_w - 2 * edge) // (item_w + 2 * bleed))
    rows = int((sheet_h - 2 * edge) // (item_h + 2 * bleed))
    return max(cols, 0), max(rows, 0)


def impose(layout: Layout, pages: list[Page], finish: Finish) -> list[Page]:
    """Step-and-repeat each page on a sheet; the second page's copies are mirrored
    column-wise, so fronts and backs line up when printed long-edge duplex.

    Office finish: butt-cut, no bleed (10-up for cards on A4). With a bleed each
    item keeps it, so neighbours sit 2 x bleed apart (8-up on A4); the build makes
    no such sheet today (print shops get single-up artwork), but the geometry holds.
    ``finish.back_offset`` moves the backs and their cut guides together.
    """
    imp = layout.imposition
    assert imp is not None
    sw, sh = mm(PAPER_MM[imp.sheet][0]), mm(PAPER_MM[imp.sheet][1])
    src0 = pages[0]
    b = src0.trim.x - src0.bleed.x
    iw, ih = src0.trim.w, src0.trim.h
    cols, rows = grid(PAPER_MM[imp.sheet][0], PAPER_MM[imp.sheet][1], layout.trim_w, layout.trim_h,
                      b / mm(1), finish.sheet_marks)
    step_x, step_y = iw + 2 * b, ih + 2 * b
    block_w = cols * iw + (cols - 1) * 2 * b
    block_h = rows * ih + (rows - 1) * 2 * b
    x0, y0 = (sw - block_w) / 2, (sh - block_h) / 2
    out = []
    for pi, src in enumerate(pages):
        back = pi % 2 == 1
        # a back moves by the printer's duplex drift (x right, y down), and its cut guides with it,
        # so that cutting along the guides of either side gives the same cards
        ox, oy = (mm(finish.back_offset[0]), -mm(finish.back_offset[1])) if back else (0.0, 0.0)
        block = Rect(x0, y0, block_w, block_h)
        whole = Rect(0, 0, sw, sh)
        sheet = Page(f"{src.name}-sheet", sw, sh, whole, whole, block)
        for row in range(rows):
            for col in range(cols):
                c = cols - 1 - col if back else col
                dx = x0 + c * step_x - src.trim.x + ox
                dy = y0 + (rows - 1 - row) * step_y - src.trim.y + oy
                sheet.fills.extend(Fill(f.rect.moved(dx, dy), f.colour, f.box, f.background) for f in src.fills)
                sheet.lines.extend(TextLine(ln.y + dy, tuple(Run(r.x + dx, r.text, r.font, r.size, r.colour, r.missing)
                                                              for r in ln.runs), ln.box, ln.key, ln.role,
                                            ln.rect.moved(dx, dy)) for ln in src.lines)
                sheet.images.extend(Image(i.rect.moved(dx, dy), i.path, i.box, i.dpi) for i in src.images)
                sheet.qrcodes.extend(QRCode(q.rect.moved(dx, dy), q.module, q.matrix, q.payload, q.level, q.quiet,
                                            q.box, q.key, q.colour, q.paper) for q in src.qrcodes)
        if finish.sheet_marks:
            # butt-cut, one card's right edge is the next one's left: rounded so they are one cut, not two
            xs = sorted({round(x0 + ox + c * step_x + e, 6) for c in range(cols) for e in (0.0, iw)})
            ys = sorted({round(y0 + oy + r * step_y + e, 6) for r in range(rows) for e in (0.0, ih)})
            sheet.marks.extend(crop_marks(xs, ys, block.moved(ox, oy), b))
        out.append(sheet)
    return out
