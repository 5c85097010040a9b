"""PNG previews of written PDFs and a contact sheet of every build in an output folder.

Previews are rendered from the written file (not from our own data), so what
a person looks at is what will print. 150 dots per inch, as a page comes off
an office printer in draft: enough to proofread a name, a room or a phone
number at 100% zoom (a 6 pt edition line is about 12 pixels high).
"""

from __future__ import annotations

import html
import io
import re

import pypdfium2 as pdfium

PREVIEW_DPI = 150


def render_pngs(data: bytes, dpi: int = PREVIEW_DPI) -> list[bytes]:
    """One PNG per page at ``dpi`` (an A4 page is 1240 x 1754 pixels at 150 dpi)."""
    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            img = page.render(scale=dpi / 72).to_pil()
            buf = io.BytesIO()
            img.save(buf, format="PNG", compress_level=6)
            out.append(buf.getvalue())
    finally:
        pdf.close()
    return out


def _page_no(png: str, index: int) -> int:
    """The page a preview shows, from its name (``NAME-pN.png``, ``NAME-pN-changes.png``)."""
    m = re.search(r"-p(\d+)(?:-changes)?\.png$", png)
    return int(m.group(1)) if m else index + 1


REPRINT_HEADING = "To reprint: what changed since the last build is outlined"


def sheet_entries(manifest: dict) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """Every file of a manifest that has previews, grouped by build: [(heading, [(pdf path, description,
    [png paths relative to previews/])])]. Other builds kept in the folder (another school, another
    language) are listed too, each with the content edition it was made from. Files to reprint
    (their ``-pN-changes.png`` pictures, changed boxes outlined) come first, in a group of their own."""
    pngs: dict[str, list[tuple[int, str]]] = {}
    changed: dict[str, list[tuple[int, str]]] = {}
    for p in manifest.get("previews", []):
        m = re.fullmatch(r"previews/(.+)-p(\d+)(-changes)?\.png", p) if isinstance(p, str) else None
        if m:
            (changed if m.group(3) else pngs).setdefault(m.group(1), []).append((int(m.group(2)),
                                                                                 p.removeprefix("previews/")))
    groups: dict[str, list] = {}
    for f in manifest.get("files", []):
        if not isinstance(f, dict) or not isinstance(f.get("path"), str):
            continue
        stem = f["path"].removesuffix(".pdf")
        pages = sorted(pngs.get(stem, []))
        if not pages:
            continue
        school, locale = f.get("school"), f.get("locale") or "en-GB"
        nation = f.get("nation")
        heading = (f"School: {school}" if school else "National materials") + f" ({locale}" + (
            f", {nation}" if nation and not school else "") + ")"
        desc = (f"{f.get('layout')} ({f.get('variant')}, {f.get('finish')}); content edition "
                f"{f.get('content_version', '?')}")
        groups.setdefault(heading, []).append((f["path"], desc, [p for _, p in pages]))
        if changed.get(stem):
            groups.setdefault(REPRINT_HEADING, []).append(
                (f["path"], f"{f.get('layout')} ({f.get('finish')}): to reprint, what changed outlined",
                 [p for _, p in sorted(changed[stem])]))
    order = sorted(groups, key=lambda h: (h != REPRINT_HEADING, not h.startswith("National"), h))
    return [(h, sorted(groups[h])) for h in order]


def contact_sheet(entries: list[tuple[str, str, list[str]]], title: str,
                  groups: list[tuple[str, list[tuple[str, str, list[str]]]]] | None = None) -> str:
    """An HTML page showing every product: (pdf path, description, [png paths relative to the page]),
    or, with ``groups``, one section per build under its heading."""
    rows = []
    for heading, items in groups if groups is not None else [("", entries)]:
        if heading:
            rows.append(f"<h2>{html.escape(heading)}</h2>")
        for pdf_path, desc, pngs in items:
            imgs = "".join(f'<a href="{html.escape(p)}"><img src="{html.escape(p)}" '
                           f'alt="{html.escape(desc)}, page {_page_no(p, i)}" loading="lazy"></a>'
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
h2 {{ margin: 1.5rem 0 1rem; font-size: 1.3rem; }}
a {{ color: #0b3d91; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{"".join(rows)}
</body></html>
"""


OUTLINE_RGB = (230, 0, 126)  # magenta: on none of the palette's colours, so an outline cannot hide
OUTLINE_PX = 6  # 1 mm at 150 dpi


def render_outlined(data: bytes, index: int, rects: list, dpi: int = PREVIEW_DPI) -> bytes:
    """One page (0-based ``index``) as a PNG, like ``render_pngs``, with ``rects`` (PDF points, origin
    bottom-left of the page) outlined: what changed since the last print, on the page as it will print."""
    from PIL import ImageDraw

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[index]
        h = page.get_size()[1]
        scale = dpi / 72
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
    img.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()
