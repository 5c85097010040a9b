"""Uploads are decoded within limits and written afresh: pixels only, upright, sRGB, small enough."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from cseprint.schools import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from cseprint.web.images import MAX_SIDE_PX, ImageRejected, clean_image

MARKER = "SECRET-GPS-51.5072N"


def jpeg_with_metadata(size=(40, 20), orientation: int = 1) -> bytes:
    im = Image.new("RGB", size, (200, 30, 30))
    im.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: shows which way it was turned
    exif = Image.Exif()
    exif[0x010E] = MARKER  # ImageDescription
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif, comment=MARKER.encode(), quality=95,
            icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    return out.getvalue()


def png(im: Image.Image, **kw) -> bytes:
    out = io.BytesIO()
    im.save(out, format="PNG", **kw)
    return out.getvalue()


def test_metadata_is_stripped() -> None:
    data = jpeg_with_metadata()
    assert MARKER.encode() in data and b"PhoneMaker" in data  # the test input really carries it
    clean = clean_image(data)
    assert MARKER.encode() not in clean.data and b"PhoneMaker" not in clean.data and b"Exif" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as im:
        assert clean.ext == "jpg" and im.format == "JPEG"
        assert not im.getexif() and "comment" not in im.info and "icc_profile" not in im.info
        assert im.size == (40, 20)


def test_png_text_chunks_are_stripped() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", MARKER)
    info.add_itxt("Author", MARKER)
    data = png(Image.new("RGB", (10, 10), "white"), pnginfo=info)
    assert MARKER.encode() in data
    clean = clean_image(data)
    assert MARKER.encode() not in clean.data and clean.ext == "png"


@pytest.mark.parametrize("orientation, size, left_colour", [
    (1, (40, 20), "blue"), (6, (20, 40), None), (3, (40, 20), "red"), (8, (20, 40), None)])
def test_a_photo_is_turned_upright_before_its_orientation_tag_is_dropped(orientation, size, left_colour) -> None:
    clean = clean_image(jpeg_with_metadata(orientation=orientation))
    with Image.open(io.BytesIO(clean.data)) as im:
        assert im.size == size
        if left_colour:
            r, g, b = im.convert("RGB").getpixel((2, 10))
            assert (b > r) == (left_colour == "blue")


def test_large_photos_are_scaled_to_what_print_needs() -> None:
    data = png(Image.new("RGB", (3000, 1500), (10, 120, 60)))
    with Image.open(io.BytesIO(clean_image(data).data)) as im:
        assert im.size == (MAX_SIDE_PX, MAX_SIDE_PX // 2)


@pytest.mark.parametrize("mode, expect", [("P", "RGB"), ("PA", "LA"), ("LA", "LA"), ("RGBA", "RGBA"), ("1", "L"),
                                          ("I;16", "L"), ("L", "L")])
def test_every_png_mode_comes_out_printable(mode: str, expect: str) -> None:
    base = Image.new("RGBA", (8, 8), (0, 100, 200, 128))
    im = (base.convert("RGB") if mode == "P" else base).convert(mode) if mode not in ("I;16", "PA") else None
    if mode == "I;16":
        im = Image.new("I;16", (8, 8), 40000)
    if mode == "PA":
        im = Image.new("P", (8, 8), 3)
        im.info["transparency"] = 3
        expect = "RGBA"
    clean = clean_image(png(im))
    with Image.open(io.BytesIO(clean.data)) as out:
        assert out.mode == expect
    if mode == "I;16":
        with Image.open(io.BytesIO(clean.data)) as out:
            assert out.getpixel((0, 0)) == 40000 // 257


def test_cmyk_jpeg_becomes_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 100, 100, 0)).save(out, format="JPEG")
    with Image.open(io.BytesIO(clean_image(out.getvalue()).data)) as im:
        assert im.mode == "RGB"


def _claimed_size_png(w: int, h: int) -> bytes:
    """A tiny PNG whose header claims w x h pixels (a decompression bomb's first line)."""
    data = bytearray(png(Image.new("L", (1, 1))))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", w, h)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17]))
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def test_pixel_limit_is_checked_before_decoding() -> None:
    with pytest.raises(ImageRejected) as exc:
        clean_image(_claimed_size_png(8000, 6000))
    assert exc.value.too_large
    assert f"8,000 x 6,000 pixels; the limit is {MAX_IMAGE_PIXELS:,}" in exc.value.message
    with pytest.raises(ImageRejected) as exc:
        clean_image(_claimed_size_png(100_000, 100_000))  # past Pillow's own bomb limit too
    assert exc.value.too_large


def test_byte_limit() -> None:
    data = png(Image.new("L", (1, 1))) + b"\0" * MAX_IMAGE_BYTES
    with pytest.raises(ImageRejected) as exc:
        clean_image(data)
    assert exc.value.too_large and f"the limit is {MAX_IMAGE_BYTES:,}" in exc.value.message


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"GIF89a" + b"\0" * 40, "not a PNG or JPEG"),
    (b"%PDF-1.7\n", "not a PNG or JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "cannot be read"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 10, "cannot be read"),
])
def test_broken_files_are_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(ImageRejected) as exc:
        clean_image(data)
    assert words in exc.value.message and not exc.value.too_large


def test_a_truncated_png_is_refused() -> None:
    whole = png(Image.effect_noise((200, 200), 60).convert("RGB"))
    with pytest.raises(ImageRejected) as exc:
        clean_image(whole[: len(whole) // 2])
    assert "cannot be read" in exc.value.message


ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")  # Debian's libgs-common; .ci/run installs it


def test_a_wide_gamut_photo_is_converted_to_srgb_not_just_stripped() -> None:
    """Dropping an Adobe RGB photo's profile without converting would dull its colours; it is converted."""
    if not ADOBE_RGB.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {ADOBE_RGB} (libgs-common, see .ci/run)")
        pytest.skip(f"needs {ADOBE_RGB} (apt-get install libgs-common)")
    adobe = ImageCms.getOpenProfile(str(ADOBE_RGB))
    im = Image.new("RGB", (4, 4), (60, 160, 90))
    data = png(im, icc_profile=adobe.tobytes())
    expected = ImageCms.profileToProfile(im, adobe, ImageCms.createProfile("sRGB")).getpixel((0, 0))
    assert max(abs(a - b) for a, b in zip(expected, (60, 160, 90), strict=True)) > 10  # a real difference
    with Image.open(io.BytesIO(clean_image(data).data)) as out:
        got = out.getpixel((0, 0))
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 2, (got, expected)
        assert "icc_profile" not in out.info


def test_srgb_and_non_rgb_profiles_keep_the_pixels_and_leave_no_profile() -> None:
    im = Image.new("RGB", (4, 4), (200, 100, 50))
    for profile in (ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")):
        data = png(im, icc_profile=ImageCms.ImageCmsProfile(profile).tobytes())
        with Image.open(io.BytesIO(clean_image(data).data)) as out:
            assert max(abs(a - b) for a, b in zip(out.getpixel((0, 0)), (200, 100, 50), strict=True)) <= 2
            assert "icc_profile" not in out.info
