"""The tallest blank horizontal band of a rendered page, measured from its pixels.

A pixel row is blank when it holds no content: every pixel across the trim is
the same colour (within a small tolerance for anti-aliasing), so a row through
white paper, or through a plain coloured panel with nothing on it, is blank,
and a row that crosses a letter, a photo, a logo or a panel's edge is not. A
band is a run of blank rows; its height is measured as a share of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

DPI = 50
TOLERANCE = 24  # of 255, per channel: anti-aliased edges of a row's own colour stay blank


@dataclass(frozen=True)
class Band:
    top: int  # first blank row (pixels from the top of the page)
    rows: int
    height: int  # rows of the page

    @property
    def share(self) -> float:
        return self.rows / self.height

    def __str__(self) -> str:
        return f"{self.share:.0%} of the page blank (rows {self.top}-{self.top + self.rows - 1} of {self.height})"


def render(pdf: Path | bytes, page: int = 0, dpi: int = DPI) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def blank_rows(image: Image.Image) -> list[bool]:
    out = []
    w, h = image.size
    for y in range(h):
        lo_hi = image.crop((0, y, w, y + 1)).getextrema()
        out.append(all(hi - lo <= TOLERANCE for lo, hi in lo_hi))
    return out


def tallest_band(image: Image.Image) -> Band:
    rows = blank_rows(image)
    best, start = (0, 0), None
    for y, blank in enumerate([*rows, False]):
        if blank and start is None:
            start = y
        elif not blank and start is not None:
            if y - start > best[1]:
                best = (start, y - start)
            start = None
    return Band(best[0], best[1], len(rows))


def save_failure(image: Image.Image, name: str, band: Band, folder: Path) -> Path:
    """Keep the page with its blank band outlined in red, WeasyPrint-style, for a person to look at."""
    from PIL import ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    marked = image.copy()
    ImageDraw.Draw(marked).rectangle((0, band.top, marked.size[0] - 1, band.top + band.rows - 1), outline=(255, 0, 0),
                                     width=2)
    path = folder / f"{name}.png"
    marked.save(path)
    return path
