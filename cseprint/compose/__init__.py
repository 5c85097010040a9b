"""Stage 3: lay content into a layout's boxes, producing a Document (pure).

No files are written and reportlab is not imported: text is broken into lines
with the fonts' own metrics (fonts.FontBook), QR matrices come from ``qrcode``'s
pure matrix builder, and everything is placed in points. Whatever does not fit
is *recorded* (BoxReport), never shrunk, clipped or pushed to another page:
preflight then refuses it with the box's name.

Modules: ``text`` (line breaking), ``qr`` (matrices), ``boxes`` (the composer
and its table of box kinds), ``flow`` (measure then place, stacks, grids,
alternatives), ``leaves`` (text, lists, contacts, QR codes, logos, fills),
``people`` (a school's lead and deputies), ``impose`` (bleed, crop marks,
sheets), ``finish`` (office or print shop).
"""

from __future__ import annotations

from ..document import Document
from ..models import Content, Layout, Styles
from .boxes import KINDS, Composer, balance, fit_image
from .finish import CROP_LENGTH_MM, CROP_OFFSET_MM, OFFICE, PRINT_SHOP, Finish
from .flow import Measured, Region, choose
from .impose import crop_marks, extend_to_bleed, grid, impose
from .qr import qr_matrix
from .text import Metrics, Typesetter


def compose(layout: Layout, styles: Styles, content: Content, fonts: Metrics, locale: str,
            finish: Finish = PRINT_SHOP, school: str | None = None, fallback: str | None = None) -> list[Document]:
    """Compose one layout: its single document and, if it has an imposition, its sheet."""
    return Composer(layout, styles, content, fonts, locale, finish, school, fallback).build()


__all__ = ["compose", "Composer", "KINDS", "Finish", "OFFICE", "PRINT_SHOP", "CROP_OFFSET_MM", "CROP_LENGTH_MM",
           "qr_matrix", "balance", "extend_to_bleed", "crop_marks", "grid", "impose", "fit_image", "Typesetter",
           "Metrics", "Region", "Measured", "choose"]
