"""Photos and logos sent through the web form: decoded with limits, re-encoded, stripped.

A photo from a phone carries more than a face: EXIF with the place and time it
was taken and the phone's make, sometimes a thumbnail of the uncropped picture,
comments, XMP. None of that may reach a poster, a web copy or the saved
profile. So an upload is never passed on as sent: it is decoded (refused
beyond the CLI's own byte and pixel limits, before any pixel is decoded),
turned upright by its EXIF orientation, converted to sRGB, scaled down to what
print needs (600 pixels), and written out afresh as a new PNG or JPEG holding pixels only.

The same function checks images carried back by the form itself (the
re-shown form keeps the photos already chosen, see ``form.py``): they come
from the browser and are no more trusted than a new upload.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms

from ..schools import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS

# 600 pixels print at 300 ppi (what a print shop asks for) up to 50 mm across; the photo and logo boxes of
# the 'who to tell' posters are 24 to 31 mm today (layouts/who-to-tell-*.yaml). The PDF writer resamples to
# 300 ppi of the printed size anyway: more pixels would only make the copies the form carries back larger.
MAX_SIDE_PX = 600
JPEG_QUALITY = 90
_T = Image.Transpose
# EXIF orientation -> the turn that makes the picture upright (the table of Pillow's ImageOps.exif_transpose)
TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
             6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}


class ImageRejected(Exception):
    """The upload is not an image we can print; ``too_large`` asks for status 413 rather than 400."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class CleanImage:
    data: bytes  # a PNG or JPEG written by us: pixels only, no metadata
    ext: str  # "png" or "jpg"

    @property
    def media_type(self) -> str:
        return "image/png" if self.ext == "png" else "image/jpeg"


def clean_image(data: bytes) -> CleanImage:
    """Decode ``data`` within the limits and re-encode it without metadata, or raise ImageRejected."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"the file is {len(data):,} bytes; the limit is {MAX_IMAGE_BYTES:,} (8 MB)", too_large=True)
    if not data:
        raise ImageRejected("the file is empty")
    is_png = data.startswith(b"\x89PNG\r\n\x1a\n")
    if not (is_png or data.startswith(b"\xff\xd8\xff")):
        raise ImageRejected("this is not a PNG or JPEG file; save or export the picture as JPEG and choose it again")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as im:
            w, h = im.size
            if w * h > MAX_IMAGE_PIXELS:
                raise ImageRejected(f"the picture is {w:,} x {h:,} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels "
                                    "in all", too_large=True)
            if w < 1 or h < 1:
                raise ImageRejected("the picture has no pixels")
            if im.format == "JPEG":
                im.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))  # decode a big JPEG at a reduced scale: far faster
            im.load()  # decoding errors (a truncated or corrupt file) surface here
            icc = im.info.get("icc_profile")
            exif = im.getexif()  # read before anything else: only its orientation is used
            orientation = exif.get(0x0112, 1) if exif else 1
            pic = _pixels(im)
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(f"the picture has too many pixels; the limit is {MAX_IMAGE_PIXELS:,}", too_large=True) from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise ImageRejected(f"the picture cannot be read ({_reason(exc)}); it may be damaged: "
                            "open it, save it again as JPEG and choose it again") from None
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = "RGBA" if pic.mode == "RGBA" else "RGB"
            if pic.mode in ("RGB", "RGBA") and src.profile.xcolor_space.strip() == "RGB":
                pic = ImageCms.profileToProfile(pic, src, ImageCms.createProfile("sRGB"), outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken colour profile: keep the pixels as they are, as most viewers would
    if orientation in TRANSPOSE:  # a phone held sideways: turn the pixels upright, as viewers do
        pic = pic.transpose(TRANSPOSE[orientation])
    pic.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    pic.info = {}  # the colour conversion attaches its sRGB profile: not needed (sRGB is what is assumed)
    out = io.BytesIO()
    if is_png or pic.mode in ("RGBA", "LA"):
        pic.save(out, format="PNG", optimize=True)  # no pnginfo, no exif, no icc: pixels only
        return CleanImage(out.getvalue(), "png")
    pic.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanImage(out.getvalue(), "jpg")


def _pixels(im):
    """A fresh image of the decoded pixels only (a copy keeps none of ``info``), in L, LA, RGB or RGBA."""
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)  # an animated PNG: its first frame
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        pic = im.convert("I").point(lambda v: v / 257).convert("L")  # 16-bit grey to 8-bit
    elif mode == "P":
        pic = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif mode in ("1", "L"):
        pic = im.convert("L")
    elif mode in ("LA", "PA"):
        pic = im.convert("LA")
    elif mode == "RGBA":
        pic = im.copy()
    else:  # RGB, CMYK, YCbCr, LAB...
        pic = im.convert("RGB")
    clean = Image.new(pic.mode, pic.size)
    clean.paste(pic)
    return clean


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 80 else text[:79] + "…"
