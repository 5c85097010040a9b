"""The blank-band measure itself, on pictures whose answer is known."""

from __future__ import annotations

from PIL import Image, ImageDraw

from .blank import tallest_band


def picture() -> Image.Image:
    im = Image.new("RGB", (100, 200), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((10, 40, 30, 44), fill=(0, 0, 0))  # a word on rows 40-44
    d.rectangle((0, 120, 99, 199), fill=(220, 240, 255))  # a plain panel from row 120 to the foot
    return im


def test_a_plain_panel_with_nothing_on_it_is_blank():
    band = tallest_band(picture())
    assert (band.top, band.rows) == (45, 155)  # the white under the word runs on into the empty panel


def test_anything_on_a_row_breaks_the_band():
    im = picture()
    ImageDraw.Draw(im).rectangle((50, 160, 51, 161), fill=(0, 0, 0))  # a full stop on the panel
    band = tallest_band(im)
    assert (band.top, band.rows) == (45, 115) and band.share == 115 / 200


def test_a_panel_edge_within_a_row_is_content():
    im = Image.new("RGB", (100, 100), (255, 255, 255))
    ImageDraw.Draw(im).rectangle((0, 0, 49, 99), fill=(0, 30, 80))  # navy on the left half, white on the right
    assert tallest_band(im).rows == 0
