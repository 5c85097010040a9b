"""The floor for bench/run.py: the A4 poster drawn by a plain, hand-written reportlab script.

It draws the same page as ``layouts/poster-a4.yaml`` with the default (en-GB)
content and the office finish (no bleed, no marks): the same boxes, CMYK
colours, fonts (embedded TrueType), texts, line breaks and QR code. The box
geometry and type sizes are copied by hand from the layout, as anyone writing
this poster straight against reportlab would; the texts and colours are read
from the YAML files. There is no validation, no preflight and no read-back
check: it is the least work reportlab needs to make this poster.

``load()`` does everything that does not depend on the page (read the YAML,
substitute ``{contact.field}`` placeholders, register the fonts, build the QR
matrix: the engine caches its QR matrices too); ``draw()`` wraps the text and
writes one PDF to bytes. Run on its own it writes ``handwritten-poster-a4.pdf``
into the current folder.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import qrcode
import qrcode.constants
import yaml
from reportlab.lib.colors import CMYKColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

PROJECT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
REGULAR, BOLD = "AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"
BULLET = "\u2022"
QUIET = 4  # modules of quiet zone round the QR code

# The layout's type scale (poster-a4.yaml) and the styles it uses (_styles.yaml): font, size, leading.
DISPLAY = (BOLD, 30.0, 1.1)
SUBHEAD = (BOLD, 19.0, 1.2)
HEADING = (BOLD, 19.0, 1.2)
LABEL = (BOLD, 14.0, 1.25)
BODY = (REGULAR, 14.0, 1.25)
NUMBER = (BOLD, 16.0, 1.2)
CAPTION = (REGULAR, 14.0, 1.2)
SMALL = (REGULAR, 7.0, 1.2)

PLACEHOLDER = re.compile(r"\{([a-z0-9-]+)\.([a-z_]+)\}")


@dataclass
class Poster:
    """Everything read from the YAML files, placeholders already filled in."""

    palette: dict[str, CMYKColor]
    texts: dict[str, str]  # products.*
    signs_heading: str
    signs: list[tuple[str, str]]  # (label, detail)
    contacts: list[tuple[str, str]]  # (name, phone) for the report box
    qr_payload: str
    qr_matrix: list[list[bool]]
    author: str


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load(project: Path = PROJECT) -> Poster:
    """Read content and colours, register the fonts, build the QR matrix (once per process)."""
    content, fonts = project / "content", project / "fonts"
    for name in (REGULAR, BOLD):
        try:
            pdfmetrics.getFont(name)
        except KeyError:
            pdfmetrics.registerFont(TTFont(name, str(fonts / f"{name}.ttf")))
    styles = _read(project / "layouts" / "_styles.yaml")
    palette = {n: CMYKColor(*(v / 100 for v in cmyk)) for n, cmyk in styles["palette"].items()}
    contacts = _read(content / "contacts.yaml")["contacts"]
    edition = _read(content / "edition.yaml")
    checked = min(c["verified_on"] for c in contacts.values() if c["status"] == "confirmed")
    fields = {("edition", "version"): str(edition["version"]), ("edition", "date"): str(edition["date"]),
              ("edition", "checked"): str(checked)}

    def fill(text: str) -> str:
        def one(m: re.Match) -> str:
            cid, fld = m.groups()
            return fields.get((cid, fld)) or str(contacts[cid][fld])
        return PLACEHOLDER.sub(one, text)

    used = ("poster_headline", "poster_subhead", "poster_report_heading", "ceop_notice", "edition_line",
            "meta_poster_title", "meta_subject")
    products = _read(content / "en-GB" / "products.yaml")
    products = {k: fill(products[k]) for k in used}
    signs = _read(content / "en-GB" / "signs.yaml")
    names = _read(content / "en-GB" / "contact_names.yaml")  # the poster lists each contact by its short name
    payload = contacts["ceop"]["web"]
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, box_size=1)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    report = ["emergency", "police", "nspcc", "childline", "crimestoppers"]
    return Poster(
        palette=palette, texts=products, signs_heading=fill(signs["heading"]),
        signs=[(fill(i["label"]), fill(i["detail"])) for i in signs["items"]],
        contacts=[(names[c]["short"], contacts[c]["phone"]) for c in report],
        qr_payload=payload, qr_matrix=[[bool(v) for v in row] for row in qr.get_matrix()],
        author=str(edition["author"]))


# --- drawing --------------------------------------------------------------------------------------

def box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """A layout box (mm from the top-left of the page) as PDF points (x, bottom, w, h)."""
    return x * MM, PAGE_H - (y + h) * MM, w * MM, h * MM


def baseline(top: float, size: float, leading: float) -> float:
    """Where the engine puts a line's baseline below the top of its line box."""
    return top - size * 0.9 - (size * leading - size * 1.15) / 2


def wrap_url(url: str, font: str, size: float, width: float) -> list[str]:
    """Break a web address after a '/' so each part fits."""
    lines, cur = [], ""
    for chunk in re.findall(r"[^/]*/+|[^/]+$", url):
        if cur and pdfmetrics.stringWidth(cur + chunk, font, size) > width:
            lines.append(cur)
            cur = chunk
        else:
            cur += chunk
    return [*lines, cur]


def text_lines(c: canvas.Canvas, lines: list[str], style: tuple[str, float, float], x: float, top: float,
               colour: CMYKColor) -> float:
    """Draw lines from ``top`` down; return the new top."""
    font, size, leading = style
    c.setFont(font, size)
    c.setFillColor(colour)
    for ln in lines:
        c.drawString(x, baseline(top, size, leading), ln)
        top -= size * leading
    return top


def draw(p: Poster) -> bytes:
    """One poster as PDF bytes (CMYK, fonts embedded, reproducible)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1, initialFontName=BOLD,
                      initialFontSize=12, enforceColorSpace="cmyk", lang="en-GB")
    c.setTitle(p.texts["meta_poster_title"])
    c.setAuthor(p.author)
    c.setSubject(p.texts["meta_subject"])
    c.setCreator("handwritten")
    c.setProducer("handwritten")
    c.setKeywords(["poster-a4", "en-GB", "office"])
    c.setTrimBox((0, 0, PAGE_W, PAGE_H))
    c.setBleedBox((0, 0, PAGE_W, PAGE_H))
    pal = p.palette
    ink, paper = pal["ink"], pal["paper"]

    # fills: page, header, band, report panel
    for colour, (x, y, w, h) in ((paper, (0, 0, 210, 297)), (pal["navy"], (0, 0, 210, 50)),
                                 (pal["sun"], (0, 50, 210, 12)), (pal["sky"], (0, 198, 210, 99))):
        c.setFillColor(colour)
        c.rect(*box(x, y, w, h), stroke=0, fill=1)

    # QR box (x 124, y 202, 76 x 82 mm): label, 1 mm gap, code with its quiet zone, 1 mm gap, address
    qx, qy, qw, qh = box(124, 202, 76, 82)
    gap = 1 * MM
    label = simpleSplit(p.texts["ceop_notice"], LABEL[0], LABEL[1], qw)
    size = 30 * MM  # the layout's qr_size
    module = size / len(p.qr_matrix)
    quiet = QUIET * module
    code_top = qy + qh - len(label) * LABEL[1] * LABEL[2] - gap - quiet
    code_x = qx + (qw - size) / 2
    c.setFillColor(paper)
    c.rect(code_x - quiet, code_top - size - quiet, size + 2 * quiet, size + 2 * quiet, stroke=0, fill=1)
    c.setFillColor(ink)
    path = c.beginPath()
    for r, row in enumerate(p.qr_matrix):
        col, n = 0, len(row)
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(code_x + start * module, code_top - (r + 1) * module, (col - start) * module, module)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)

    # header: headline (white on navy), subhead centred vertically in the sun band
    x, y, w, h = box(12, 8, 186, 26)
    text_lines(c, simpleSplit(p.texts["poster_headline"], DISPLAY[0], DISPLAY[1], w), DISPLAY, x, y + h, paper)
    x, y, w, h = box(12, 50, 186, 12)
    sub = simpleSplit(p.texts["poster_subhead"], SUBHEAD[0], SUBHEAD[1], w)
    need = len(sub) * SUBHEAD[1] * SUBHEAD[2]
    text_lines(c, sub, SUBHEAD, x, y + h - max(h - need, 0) / 2, ink)

    # signs: heading, then the items in two balanced columns, each a bullet, a bold label and a detail
    x, y, w, h = box(10, 66, 190, 130)
    top = text_lines(c, simpleSplit(p.signs_heading, HEADING[0], HEADING[1], w), HEADING, x, y + h, ink)
    item_gap, col_gap = 2 * MM, 6 * MM
    col_w = (w - col_gap) / 2
    bullet_w = pdfmetrics.stringWidth(BULLET + " ", BODY[0], BODY[1])
    items = [(simpleSplit(lab, LABEL[0], LABEL[1], col_w - bullet_w), simpleSplit(det, BODY[0], BODY[1], col_w - bullet_w))
             for lab, det in p.signs]
    heights = [len(a) * LABEL[1] * LABEL[2] + len(b) * BODY[1] * BODY[2] for a, b in items]

    def col_h(hs: list[float]) -> float:
        return sum(hs) + item_gap * max(0, len(hs) - 1)

    split = min(range(len(items) + 1), key=lambda k: (max(col_h(heights[:k]), col_h(heights[k:])), k))
    top -= item_gap
    for ci, group in enumerate((items[:split], items[split:])):
        cx = x + ci * (col_w + col_gap)
        ty = top
        for n, (lab, det) in enumerate(group):
            if n:
                ty -= item_gap
            c.setFont(*BODY[:2])
            c.drawString(cx, baseline(ty, LABEL[1], LABEL[2]), BULLET)
            ty = text_lines(c, lab, LABEL, cx + bullet_w, ty, ink)
            ty = text_lines(c, det, BODY, cx + bullet_w, ty, ink)

    # how to report: heading, then each contact's name with its number right-aligned on the same line
    x, y, w, h = box(10, 202, 110, 80)
    top = text_lines(c, [p.texts["poster_report_heading"]], HEADING, x, y + h, ink) - 1.5 * MM
    row_size, row_leading = NUMBER[1], max(BODY[2], NUMBER[2])  # the line takes the larger size and leading
    for name, phone in p.contacts:
        base = baseline(top, row_size, row_leading)
        c.setFont(*BODY[:2])
        c.drawString(x, base, name)
        c.setFont(*NUMBER[:2])
        c.drawRightString(x + w, base, phone)
        top -= row_size * row_leading + 1.5 * MM

    # QR box texts: the label above the code, the address below it
    text_lines(c, label, LABEL, qx, qy + qh, ink)
    text_lines(c, wrap_url(p.qr_payload, CAPTION[0], CAPTION[1], qw), CAPTION, qx, code_top - size - quiet - gap, ink)

    # edition line
    x, y, w, h = box(10, 285, 190, 6)
    text_lines(c, simpleSplit(p.texts["edition_line"], SMALL[0], SMALL[1], w), SMALL, x, y + h, ink)

    c.showPage()
    c.save()
    return buf.getvalue()


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("handwritten-poster-a4.pdf")
    out.write_bytes(draw(load()))
    print(f"wrote {out}")
