"""PNG previews of written PDFs and a contact sheet of a whole build.

Previews are rendered from the written file (not from our own data), so what
a person looks at is what will print. A small fixed size (700 pixels on the
longest side) keeps PNG encoding, which dominates the cost, cheap.
"""

from __future__ import annotations

import html
import io
import re

import pypdfium2 as pdfium

MAX_PREVIEW_PX = 700  # longest side


def render_pngs(data: bytes, longest: int = MAX_PREVIEW_PX) -> list[bytes]:
    """One PNG per page, its longest side ``longest`` pixels (a card comes out as
    legible as a poster, about 200 dpi against 60 dpi for A4)."""
    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            w, h = page.get_size()
            scale = longest / max(w, h)
            img = page.render(scale=scale).to_pil()
            buf = io.BytesIO()
            img.save(buf, format="PNG", optimize=True)
            out.append(buf.getvalue())
    finally:
        pdf.close()
    return out


def _page_no(png: str, index: int) -> int:
    """The page a preview shows, from its name (``NAME-pN.png``, ``NAME-pN-changes.png``)."""
    m = re.search(r"-p(\d+)(?:-changes)?\.png$", png)
    return int(m.group(1)) if m else index + 1


def contact_sheet(entries: list[tuple[str, str, list[str]]], title: str,
                  reprint: list[tuple[str, str, list[str]]] = ()) -> str:
    """An HTML page showing every product: (pdf path, description, [png paths relative to the page]);
    ``reprint`` (the files to reprint, changed boxes outlined) comes first, under its own heading."""
    rows = []
    for n, (pdf_path, desc, pngs) in enumerate([*reprint, *entries]):
        if reprint and n in (0, len(reprint)):
            rows.append("<h2>To reprint: what changed is outlined</h2>" if n == 0 else "<h2>Every file</h2>")
        imgs = "".join(f'<img src="{html.escape(p)}" alt="{html.escape(desc)}, page {_page_no(p, i)}" loading="lazy">'
                       for i, p in enumerate(pngs))
        rows.append(f'<figure><div class="pages">{imgs}</div><figcaption><a href="../{html.escape(pdf_path)}">'
                    f"{html.escape(pdf_path)}</a><br>{html.escape(desc)}</figcaption></figure>")
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; background: #f4f4f4; color: #111; }}
figure {{ display: inline-block; vertical-align: top; margin: 0 1.5rem 2rem 0; }}
.pages img {{ max-height: 320px; margin-right: .5rem; box-shadow: 0 1px 4px rgba(0,0,0,.35); background: #fff; }}
figcaption {{ margin-top: .5rem; font-size: .95rem; }}
a {{ color: #0b3d91; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{"".join(rows)}
</body></html>
"""


OUTLINE_RGB = (230, 0, 126)  # magenta: on none of the palette's colours, so an outline cannot hide
OUTLINE_PX = 4


def render_outlined(data: bytes, index: int, rects: list, longest: int = MAX_PREVIEW_PX) -> bytes:
    """One page (0-based ``index``) as a PNG with ``rects`` (PDF points, origin bottom-left of
    the page) outlined: what changed since the last print, on the page as it will print."""
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        w, h = page.get_size()
        scale = longest / max(w, h)
        img = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()
    draw = ImageDraw.Draw(img)
    pad = OUTLINE_PX // 2 + 1
    for r in rects:
        x0, y0 = r.x * scale - pad, (h - r.y - r.h) * scale - pad
        x1, y1 = (r.x + r.w) * scale + pad, (h - r.y) * scale + pad
        draw.rectangle([max(x0, 0), max(y0, 0), min(x1, img.width - 1), min(y1, img.height - 1)],
                       outline=OUTLINE_RGB, width=OUTLINE_PX)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
