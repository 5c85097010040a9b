"""Stage 5: draw a composed Document with reportlab. The only module that imports it.

It draws exactly what compose placed: text runs at their positions, fills,
QR modules as one vector path of merged runs, and hairline marks. No
paragraph markup is ever parsed here, and every font is an embedded TTF
(``initialFontName`` keeps reportlab from referencing an unembedded Helvetica).
Output is byte-for-byte reproducible (``invariant=1``).
"""

from __future__ import annotations

import io
import math
import os
from collections import Counter, OrderedDict

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
        c.drawImage(_image(im.path, rgb, im.rect.w, im.rect.h), im.rect.x, im.rect.y, im.rect.w, im.rect.h)
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


PHOTO_PPI = 300  # a photo is embedded with this many pixels per inch at its printed size...
PHOTO_PPI_MAX = 450  # ...unless it has no more than this already: then it goes in as it is, not resampled
MASTER_PX = 1000  # a large photo is decoded once, to about this many pixels on its long side (see _master)
IMAGE_CACHE_BYTES = 64 * 1024 * 1024


class _ImageCache:
    """Least recently used, bounded by bytes rather than entries: one phone photo outweighs a
    hundred logos."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self.items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self.decodes: Counter[str] = Counter()  # image file -> times decoded in this process

    def get(self, key: tuple) -> object | None:
        hit = self.items.get(key)
        if hit is None:
            return None
        self.items.move_to_end(key)
        return hit[0]

    def put(self, key: tuple, value: object, size: int) -> None:
        if key in self.items:
            self.used -= self.items.pop(key)[1]
        if size > self.limit:
            return  # bigger than the whole cache: used once, never kept
        self.items[key] = (value, size)
        self.used += size
        while self.used > self.limit:
            _, (_, gone) = self.items.popitem(last=False)
            self.used -= gone


_IMAGES = _ImageCache(IMAGE_CACHE_BYTES)


def _image(path: str, rgb: bool, w_pt: float, h_pt: float) -> ImageReader:
    """A photo or logo ready to draw at ``w_pt`` x ``h_pt``: at most 450 pixels per inch as it is,
    else resampled to 300 (a 12-megapixel phone photo on a 28 mm square is 4,000 pixels where
    330 print as sharp; embedded whole it made 37 MB packs and 2 GB of workers). RGB for screen
    files, CMYK for print files, so a CMYK file holds no RGB; transparency flattened onto white.

    Made once per photo, size and colour per process, and kept in a cache bounded by bytes.
    The result depends only on the file and the size, never on what was drawn before, so
    builds stay byte-for-byte reproducible.
    """
    st = os.stat(path)
    source = (path, st.st_mtime_ns, st.st_size)
    key = (*source, rgb, round(w_pt, 3), round(h_pt, 3))
    hit = _IMAGES.get(key)
    if hit is not None:
        return hit
    with PILImage.open(path) as im:
        w0, h0 = im.size
    if w0 <= w_pt / 72 * PHOTO_PPI_MAX + 0.5 and h0 <= h_pt / 72 * PHOTO_PPI_MAX + 0.5:
        im = _flat(_decoded(path, None))  # sharp enough as it is
    else:
        size = (max(1, round(w_pt / 72 * PHOTO_PPI)), max(1, round(h_pt / 72 * PHOTO_PPI)))
        im = _master(path, source, size).resize(size, PILImage.LANCZOS)
    im = im.convert("RGB" if rgb else "CMYK")
    reader = ImageReader(im)
    _IMAGES.put(key, reader, 2 * len(im.getbands()) * im.width * im.height)  # pixels, and reportlab's copy
    return reader


def _decoded(path: str, draft: tuple[int, int] | None) -> PILImage.Image:
    """The file's pixels; a JPEG decoded straight to the smallest of 1, 1/2, 1/4 or 1/8 of its size
    that still holds ``draft`` (so a phone photo never exists in memory at full size)."""
    _IMAGES.decodes[path] += 1
    with PILImage.open(path) as im:
        if draft:
            im.draft(im.mode, draft)
        im.load()
        return im.copy()


def _flat(im: PILImage.Image) -> PILImage.Image:
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        flat = PILImage.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        return flat
    return im if im.mode in ("RGB", "L", "CMYK") else im.convert("RGB")


def _master(path: str, source: tuple, size: tuple[int, int]) -> PILImage.Image:
    """The photo decoded once (per process) at about MASTER_PX on its long side, flattened.

    Every placement of the photo is resampled from it: the A4 and A3 posters, the office
    and print-shop files, all from one decode. Its size depends on the file alone, never on
    which placement asked first, unless a placement needs more pixels than it holds (a photo
    printed over 8 cm wide): that one gets a master of its own, again from the file alone.
    """
    w0, h0 = source_size = _size(path)
    f = min(1.0, max(MASTER_PX / max(source_size), size[0] / w0, size[1] / h0))
    want = (max(1, math.ceil(w0 * f)), max(1, math.ceil(h0 * f)))
    key = (*source, "master", want)
    hit = _IMAGES.get(key)
    if hit is not None:
        return hit
    im = _flat(_decoded(path, want))
    if im.width > 2 * want[0]:  # not a JPEG (no draft decoding): keep a small copy, not the full image
        im = im.resize(want, PILImage.LANCZOS)
    _IMAGES.put(key, im, len(im.getbands()) * im.width * im.height)
    return im


def _size(path: str) -> tuple[int, int]:
    with PILImage.open(path) as im:
        return im.size


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
