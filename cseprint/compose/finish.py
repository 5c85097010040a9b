"""How a file will be printed: an office printer (trim = paper) or a print shop (bleed, marks)."""

from __future__ import annotations

from dataclasses import dataclass

CROP_OFFSET_MM = 2.0  # gap between the bleed edge and a crop mark
CROP_LENGTH_MM = 5.0


@dataclass(frozen=True)
class Finish:
    """How the file will be printed: office (trim = paper) or print shop (bleed, marks).

    ``back_offset`` (mm, x then y) shifts the backs of imposed sheets, and
    their cut guides with them, to cancel the 1-4 mm front/back drift of an
    office printer's duplex unit.

    ``sheets``: imposed sheets are an office product (cards to cut out on a
    school's guillotine or with scissors). A print shop gets single-up artwork,
    one card a page with its own bleed and trim, and imposes it on its own press
    sheet, where a duplex drift does not exist to be corrected.
    """

    name: str
    bleed: bool
    crop_marks: bool
    back_offset: tuple[float, float] = (0.0, 0.0)
    sheet_marks: bool = True  # cut guides on imposed sheets (butt-cut cards need them even at the office)
    sheets: bool = True


OFFICE = Finish("office", bleed=False, crop_marks=False)
PRINT_SHOP = Finish("print-shop", bleed=True, crop_marks=True, sheets=False)
