"""Stage 5: draw a composed Document with reportlab. The only module that imports it.

It draws exactly what compose placed: text runs at their positions, fills,
QR modules as one vector path of merged runs, and hairline marks. No
paragraph markup is ever parsed here, and every font is an embedded TTF
(``initialFontName`` keeps reportlab from referencing an unembedded Helvetica).
Output is byte-for-byte reproducible (``invariant=1``).
"""

from __future__ import annotations

import functools
import io

from PIL import Image as PILImage
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .document import Document, Page, QRCode

MARK_WIDTH = 0.25  # pt


def _register(name: str, path: str) -> None:
    try:
        pdfmetrics.getFont(name)
    except KeyError:
        pdfmetrics.registerFont(TTFont(name, path))


def _colour(doc: Document, name: str, rgb: bool):
    c, m, y, k = doc.palette[name]
    if rgb:
        return Color((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return CMYKColor(c, m, y, k)


def _registration(rgb: bool):
    """Crop marks print on every plate (registration colour); black on screen."""
    return Color(0, 0, 0) if rgb else CMYKColor(1, 1, 1, 1)


def render(doc: Document, *, rgb: bool = False, creator: str = "cseprint") -> bytes:
    """Return the PDF bytes for ``doc`` (CMYK unless ``rgb``)."""
    for name, path in doc.fonts.items():
        _register(name, path)
    first_font = next(iter(doc.fonts)) if doc.fonts else None
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(doc.pages[0].media_w, doc.pages[0].media_h), invariant=1,
                      pageCompression=1, initialFontName=first_font, initialFontSize=12,
                      enforceColorSpace=None if rgb else "cmyk", lang=doc.locale)
    c.setTitle(doc.title)
    c.setAuthor(doc.author)
    c.setSubject(doc.subject)
    c.setCreator(creator)
    c.setProducer(creator)
    c.setKeywords([doc.layout, doc.locale, doc.finish])
    for page in doc.pages:
        _page(c, doc, page, rgb)
        c.showPage()
    c.save()
    return buf.getvalue()


def _page(c: canvas.Canvas, doc: Document, page: Page, rgb: bool) -> None:
    c.setPageSize((page.media_w, page.media_h))
    t, b = page.trim, page.bleed
    c.setTrimBox((t.x, t.y, t.x1, t.y1))
    c.setBleedBox((b.x, b.y, b.x1, b.y1))
    for f in page.fills:
        c.setFillColor(_colour(doc, f.colour, rgb))
        c.rect(f.rect.x, f.rect.y, f.rect.w, f.rect.h, stroke=0, fill=1)
    for im in page.images:
        c.drawImage(_image(im.path, rgb), im.rect.x, im.rect.y, im.rect.w, im.rect.h)
    for q in page.qrcodes:
        _qr(c, doc, q, rgb)
    for ln in page.lines:
        for r in ln.runs:
            c.setFont(r.font, r.size)
            c.setFillColor(_colour(doc, r.colour, rgb))
            c.drawString(r.x, ln.y, r.text)
    if page.marks:
        c.setStrokeColor(_registration(rgb))
        c.setLineWidth(MARK_WIDTH)
        for m in page.marks:
            if m.kind == "fold":
                c.setDash(2, 2)
            c.line(m.x1, m.y1, m.x2, m.y2)
            c.setDash()


@functools.lru_cache(maxsize=128)
def _image(path: str, rgb: bool) -> ImageReader:
    """Photos go in as RGB for screen files and are converted to CMYK for print files,
    so a CMYK file holds no RGB at all. Transparency is flattened onto white paper."""
    with PILImage.open(path) as im:
        im.load()
        if im.mode in ("RGBA", "LA", "P"):
            im = im.convert("RGBA")
            flat = PILImage.new("RGB", im.size, (255, 255, 255))
            flat.paste(im, mask=im.getchannel("A"))
            im = flat
        im = im.convert("RGB" if rgb else "CMYK")
        return ImageReader(im)


def _qr(c: canvas.Canvas, doc: Document, q: QRCode, rgb: bool) -> None:
    """All dark modules as one path; horizontal runs merged into single rectangles."""
    c.setFillColor(_colour(doc, q.colour, rgb))
    p = c.beginPath()
    m = q.module
    top = q.rect.y1
    for r, row in enumerate(q.matrix):
        col = 0
        n = len(row)
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                p.rect(q.rect.x + start * m, top - (r + 1) * m, (col - start) * m, m)
            else:
                col += 1
    c.drawPath(p, stroke=0, fill=1)
