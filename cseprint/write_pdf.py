"""Stage 5: draw a composed Document with reportlab. The only module that imports it.

It draws exactly what compose placed: text runs at their positions, fills,
QR modules as one vector path of merged runs, and hairline marks. No
paragraph markup is ever parsed here, and every font is an embedded TTF
(``initialFontName`` keeps reportlab from referencing an unembedded Helvetica).
Output is byte-for-byte reproducible (``invariant=1``).

Two things a print shop needs are done here, at the only place that draws:

* **Black overprints** in print-shop files: every K-only colour (text, fills,
  QR modules) is drawn with ``/op true`` and ``/OPM 1``, so black prints on
  top of the colour under it instead of knocking a white hole in it that
  shows as a halo when the plates are out of line. White and multi-plate
  colours never overprint (white would vanish).
* **Subset names**: each embedded font subset is tagged with six capitals
  derived from the font file and the subset's characters, so two files a
  shop gangs together never hold two different ``AAAAAA+`` subsets of one
  face (reportlab numbers every file's subsets from AAAAAA).

PDF/X keys are added afterwards by ``pdfx`` (reportlab cannot write them).
"""

from __future__ import annotations

import contextlib
import hashlib
import io

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from . import photos
from .document import Document, Page, QRCode
from .prepress import k_only  # black alone: the only colour that may overprint

MARK_WIDTH = 0.25  # pt


def subset_tag(font_digest: bytes, codes: list[int]) -> str:
    """Six capital letters naming one subset: a hash of the font file and the subset's
    characters in their order (which is the subset's encoding). The same subset of the
    same font always gets the same tag, so builds stay reproducible; any other subset
    gets another tag (26**6 = 309 million of them)."""
    h = hashlib.sha256(font_digest)
    h.update(",".join(map(str, codes)).encode("ascii"))
    n = int.from_bytes(h.digest()[:8], "big")
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(ord("A") + r))
    return "".join(letters)


class TaggedTTFont(TTFont):
    """A TrueType font whose subsets are named by ``subset_tag`` instead of AAAAAA, AAAAAB...

    reportlab makes the name inside ``TTFont.addObjects`` from the module-level
    ``ttfonts.SUBSETN(n)`` and offers no hook, so that function is swapped for the
    duration of the call (the build is single-threaded within a process).
    """

    def __init__(self, name: str, path: str):
        super().__init__(name, path)
        self.digest = hashlib.sha256(self.face._ttf_data).digest()

    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        tags = [subset_tag(self.digest, list(s)).encode("ascii") for s in (state.subsets if state else [])]
        with _subset_names(tags):
            super().addObjects(doc)


@contextlib.contextmanager
def _subset_names(tags: list[bytes]):
    original = ttfonts.SUBSETN
    ttfonts.SUBSETN = lambda n, *_: tags[n]
    try:
        yield
    finally:
        ttfonts.SUBSETN = original


def _register(name: str, path: str) -> None:
    # Ask the registry itself: getFont() on a name not yet registered first searches every AFM
    # file reportlab ships for a Type 1 font of that name (about 0.2 s, once per process).
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TaggedTTFont(name, path))
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TaggedTTFont):
        # reportlab keeps the first font registered under a name (or a face name) for the life of the
        # process and ignores the next: our subsets would silently lose their unique names
        raise RuntimeError(f"the font {name} was registered with reportlab by other code first, as a plain "
                           f"{type(font).__name__}; register nothing under that name")


def _colour(doc: Document, name: str, rgb: bool):
    c, m, y, k = doc.palette[name]
    if rgb:
        return Color((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return CMYKColor(c, m, y, k)


def _registration(rgb: bool):
    """Crop marks print on every plate (registration colour); black on screen."""
    return Color(0, 0, 0) if rgb else CMYKColor(1, 1, 1, 1)


def render(doc: Document, *, rgb: bool = False, creator: str = "cseprint") -> bytes:
    """Return the PDF bytes for ``doc`` (CMYK unless ``rgb``); a CMYK print-shop file
    overprints its black (office printers ignore overprint, so office files do not set it)."""
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
    overprint = doc.finish == "print-shop" and not rgb
    for page in doc.pages:
        _page(c, doc, page, rgb, overprint)
        c.showPage()
    c.save()
    return buf.getvalue()


def _page(c: canvas.Canvas, doc: Document, page: Page, rgb: bool, overprint: bool) -> None:
    c.setPageSize((page.media_w, page.media_h))
    t, b = page.trim, page.bleed
    c.setTrimBox((t.x, t.y, t.x1, t.y1))
    c.setBleedBox((b.x, b.y, b.x1, b.y1))

    def fill(colour: str | None) -> None:
        """Set the fill colour, and overprint exactly when it is K-only (None: an image, never)."""
        if colour is not None:
            c.setFillColor(_colour(doc, colour, rgb))
        if overprint:
            c.setFillOverprint(colour is not None and k_only(doc.palette[colour]))

    if overprint:
        # OPM 1: a 0 in a DeviceCMYK colour leaves that plate alone, so K overprints the
        # colour under it (with OPM 0 the zeros would knock it out just the same).
        c.setOverprintMask(1)
    for f in page.fills:
        fill(f.colour)
        c.rect(f.rect.x, f.rect.y, f.rect.w, f.rect.h, stroke=0, fill=1)
    for im in page.images:
        fill(None)
        c.drawImage(_image(im.path, rgb, im.rect.w, im.rect.h), im.rect.x, im.rect.y, im.rect.w, im.rect.h)
    for q in page.qrcodes:
        fill(q.colour)
        _qr(c, q)
    for ln in page.lines:
        for r in ln.runs:
            c.setFont(r.font, r.size)
            fill(r.colour)
            c.drawString(r.x, ln.y, r.text)
    if page.marks:
        c.setStrokeColor(_registration(rgb))
        c.setLineWidth(MARK_WIDTH)
        for m in page.marks:
            if m.kind == "fold":
                c.setDash(2, 2)
            c.line(m.x1, m.y1, m.x2, m.y2)
            c.setDash()


def _image(path: str, rgb: bool, w_pt: float, h_pt: float) -> ImageReader:
    """A photo or logo ready to draw at ``w_pt`` x ``h_pt``, at 300 ppi of that size (see photos): RGB
    for screen files, CMYK for print files, so a CMYK file holds no RGB. Cached per process, the
    cache bounded by bytes."""
    key = (*photos.source(path), rgb, round(w_pt, 3), round(h_pt, 3))
    hit = photos.CACHE.get(key)
    if hit is not None:
        return hit
    im = photos.print_pixels(path, w_pt, h_pt).convert("RGB" if rgb else "CMYK")
    reader = ImageReader(im)
    photos.CACHE.put(key, reader, 2 * len(im.getbands()) * im.width * im.height)  # pixels, and reportlab's copy
    return reader


def _qr(c: canvas.Canvas, q: QRCode) -> None:
    """All dark modules as one path (in the fill colour already set); horizontal runs
    merged into single rectangles."""
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
