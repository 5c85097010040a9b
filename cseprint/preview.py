"""PNG previews of written PDFs and a contact sheet of a whole build.

Previews are rendered from the written file (not from our own data), so what
a person looks at is what will print. A small fixed size (700 pixels on the
longest side) keeps PNG encoding, which dominates the cost, cheap.
"""

from __future__ import annotations

import html
import io

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


def contact_sheet(entries: list[tuple[str, str, list[str]]], title: str) -> str:
    """An HTML page showing every product: (pdf path, description, [png paths relative to the page])."""
    rows = []
    for pdf_path, desc, pngs in entries:
        imgs = "".join(f'<img src="{html.escape(p)}" alt="{html.escape(desc)}, page {i + 1}" loading="lazy">'
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
