"""How a file will be printed: an office printer (trim = paper) or a print shop (bleed, marks)."""

from __future__ import annotations

from dataclasses import dataclass

CROP_OFFSET_MM = 2.0  # gap between the bleed edge and a crop mark
CROP_LENGTH_MM = 5.0


@dataclass(frozen=True)
class Finish:
    """How the file will be printed: office (trim = paper) or print shop (bleed, marks).

    ``back_offset`` (mm, x then y) shifts the backs of imposed sheets, to
    cancel the 1-4 mm front/back drift of an office printer's duplex unit.
    """

    name: str
    bleed: bool
    crop_marks: bool
    back_offset: tuple[float, float] = (0.0, 0.0)
    sheet_marks: bool = True  # cut guides on imposed sheets (butt-cut cards need them even at the office)


OFFICE = Finish("office", bleed=False, crop_marks=False)
PRINT_SHOP = Finish("print-shop", bleed=True, crop_marks=True)
