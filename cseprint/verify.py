"""Stage 6: read a written PDF back and prove it says what was composed.

* every QR code is rendered (pypdfium2) and decoded (zxing-cpp) and must give
  exactly its address, on the page it was placed on;
* the text extracted from each page contains every composed line, so every
  number is in the file exactly as the registry prints it;
* every font is embedded (no standard-14 Type 1 fonts referenced).

These read the file, not our own data structures, so a bug in write_pdf or a
library change is caught before the file reaches ``output/``.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections import Counter

import pypdfium2 as pdfium
import zxingcpp

from .document import Document, Rect

QR_DPI = 200


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def verify(doc: Document, data: bytes, rgb: bool = False) -> list[str]:
    """Return every discrepancy between ``doc`` and the PDF ``data`` (empty if none)."""
    problems: list[str] = []
    name = f"{doc.layout} ({doc.variant}, {doc.finish}, {doc.locale})"
    problems.extend(f"{name}: {p}" for p in check_fonts_embedded(data))
    if not rgb:
        problems.extend(f"{name}: {p}" for p in check_no_rgb(data))
    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) != len(doc.pages):
            problems.append(f"{name}: has {len(pdf)} pages, expected {len(doc.pages)}")
            return problems
        for i, page in enumerate(doc.pages):
            pg = pdf[i]
            if doc.variant == "single":
                text = _norm(pg.get_textpage().get_text_range())
                for ln in page.lines:
                    for k, run in enumerate(ln.runs):
                        want = _norm(run.text)
                        if k == len(ln.runs) - 1 and want.endswith("-"):
                            want = want[:-1]  # pdfium reads a hyphen that ends a line as a hyphenation
                        if want and want not in text:
                            problems.append(f"{name}: page {i + 1}: text '{want}' (box {ln.box}) not found in the "
                                            "PDF's text")
            for q in page.qrcodes:
                got = decode_region(pg, q.quiet_rect, page.media_w, page.media_h)
                if got != [q.payload]:
                    problems.append(f"{name}: page {i + 1}: the QR code in box {q.box} decoded as {got}, "
                                    f"expected exactly ['{q.payload}']")
    finally:
        pdf.close()
    return problems


def decode_region(page: pdfium.PdfPage, r: Rect, media_w: float, media_h: float, dpi: int = QR_DPI) -> list[str]:
    """QR codes in one region (the code and its quiet zone, plus a margin) of the rendered page.

    Rendering just the region keeps verification cheap on A3 pages, and proves
    each code decodes where it was placed, not merely somewhere on the page.
    """
    m = 6.0  # pt of margin around the quiet zone
    crop = (max(r.x - m, 0), max(r.y - m, 0), max(media_w - r.x1 - m, 0), max(media_h - r.y1 - m, 0))
    image = page.render(scale=dpi / 72, grayscale=True, crop=crop).to_pil()
    return [res.text for res in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


RGB_OPERATOR = re.compile(rb"(?<![A-Za-z/])(rg|RG)(?![A-Za-z])")


def streams(data: bytes, skip: tuple[bytes, ...] = ()):
    """(dictionary, decoded bytes) of every stream in a PDF as reportlab writes it
    (one dictionary per object, Flate and ASCII85 filters); streams whose dictionary holds one of
    ``skip`` are passed over undecoded (a school's photos would cost more to decode than the rest)."""
    pos = 0
    while (i := data.find(b">>\nstream", pos)) >= 0:
        start = data.index(b"\n", i + 9) + 1
        head = data[data.rfind(b" obj", 0, i):i]
        m = re.search(rb"/Length (\d+)", head)
        if not m:
            pos = start
            continue
        body = data[start:start + int(m.group(1))]
        if any(s in head for s in skip):
            pos = start + int(m.group(1))
            continue
        try:
            if b"/ASCII85Decode" in head:
                body = base64.a85decode(body.strip(), adobe=True)
            if b"/FlateDecode" in head:
                body = zlib.decompress(body)
        except (ValueError, zlib.error):
            pass
        yield head, body
        pos = start + int(m.group(1))


def check_no_rgb(data: bytes) -> list[str]:
    """A CMYK file for print must hold no RGB: no DeviceRGB images, no rg/RG colour operators."""
    out = []
    if b"/DeviceRGB" in data:
        out.append("holds RGB (DeviceRGB) in a CMYK file")
    for _head, body in streams(data, skip=(b"/Subtype /Image", b"/Length1")):  # not content streams
        if RGB_OPERATOR.search(body):
            out.append("sets an RGB colour (rg/RG) in a CMYK file")
            break
    return out


FONT_RE = re.compile(rb"/Subtype\s*/(Type1|TrueType|Type0|Type3|MMType1)")


def check_fonts_embedded(data: bytes) -> list[str]:
    """Every font object must be an embedded TrueType subset (reportlab writes them uncompressed)."""
    out = []
    kinds = Counter(m.group(1) for m in FONT_RE.finditer(data))
    if kinds.get(b"Type1") or kinds.get(b"MMType1") or kinds.get(b"Type3"):
        out.append("references a font that is not an embedded TrueType font")
    descriptors = len(re.findall(rb"/Type\s*/FontDescriptor", data))
    embedded = len(re.findall(rb"/FontFile2\s", data))
    if descriptors != embedded:
        out.append(f"{descriptors - embedded} font(s) not embedded")
    if kinds.get(b"TrueType", 0) == 0 and kinds.get(b"Type0", 0) == 0:
        out.append("has no embedded fonts at all")
    return out
