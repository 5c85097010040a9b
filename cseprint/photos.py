"""Photos and logos at the size they are shown: decoded once, resampled, cached within a bound.

Why: a school's photos come from phones. A 12-megapixel JPEG embedded whole
in every poster, and cached whole in every worker, made 37 MB packs and 2 GB
batches, though a photo printed 28 mm wide needs 330 pixels at 300 ppi, and a
web page shows it 96 pixels wide.

* A large picture is decoded once per process into a *master* of about
  ``MASTER_PX`` on its long side (a JPEG decoded straight to that size, never
  whole in memory); every printed placement and the web copy are resampled
  from it. The master depends on the file alone, never on which placement
  asked first, so output stays byte-for-byte reproducible.
* For print (``print_pixels``): 300 pixels per inch of the printed size, or
  the file as it is when it has 450 or fewer.
* For the web copies (``screen_image``): at most ``WEB_PX`` on the long side,
  JPEG; the file as it is when it is that small already.
* ``CACHE`` holds masters and results, least recently used first out, bounded
  by bytes (not by entries: one phone photo outweighs a hundred logos).

Pure Pillow; the PDF writer (the only reportlab user) wraps the pixels itself.
"""

from __future__ import annotations

import io
import math
import os
from collections import Counter, OrderedDict

from PIL import Image

PHOTO_PPI = 300  # printed: this many pixels per inch at the printed size...
PHOTO_PPI_MAX = 450  # ...unless the file has no more than this already: then it goes in as it is
MASTER_PX = 1000  # a large picture is decoded once, to about this many pixels on its long side
WEB_PX = 400  # a web copy shows a photo 96 CSS pixels wide: 400 is sharp on any screen, zoomed too
CACHE_BYTES = 64 * 1024 * 1024


class Cache:
    """Least recently used, bounded by bytes. ``decodes`` counts the files decoded (for the tests)."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self.items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self.decodes: Counter[str] = Counter()

    def get(self, key: tuple) -> object | None:
        hit = self.items.get(key)
        if hit is None:
            return None
        self.items.move_to_end(key)
        return hit[0]

    def put(self, key: tuple, value: object, size: int) -> None:
        if key in self.items:
            self.used -= self.items.pop(key)[1]
        if size > self.limit:
            return  # bigger than the whole cache: used once, never kept
        self.items[key] = (value, size)
        self.used += size
        while self.used > self.limit:
            _, (_, gone) = self.items.popitem(last=False)
            self.used -= gone


CACHE = Cache(CACHE_BYTES)


def source(path: str) -> tuple:
    """The file as a cache key: a photo replaced under the same name (a long-running web app) is a new one."""
    st = os.stat(path)
    return (path, st.st_mtime_ns, st.st_size)


def print_pixels(path: str, w_pt: float, h_pt: float) -> Image.Image:
    """The picture's pixels to print at ``w_pt`` x ``h_pt`` points (flattened onto white paper)."""
    w0, h0 = size(path)
    if w0 <= w_pt / 72 * PHOTO_PPI_MAX + 0.5 and h0 <= h_pt / 72 * PHOTO_PPI_MAX + 0.5:
        return flat(decoded(path, None))  # sharp enough as it is
    want = (max(1, round(w_pt / 72 * PHOTO_PPI)), max(1, round(h_pt / 72 * PHOTO_PPI)))
    return master(path, want).resize(want, Image.LANCZOS)


def screen_image(path: str) -> tuple[bytes, str]:
    """The picture for a web page: (bytes, MIME type), at most WEB_PX on its long side."""
    key = (*source(path), "screen")
    hit = CACHE.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    data = open(path, "rb").read()
    w0, h0 = size(path)
    if max(w0, h0) <= WEB_PX:
        got = (data, "image/png" if data.startswith(b"\x89PNG") else "image/jpeg")
    else:
        f = WEB_PX / max(w0, h0)
        want = (max(1, round(w0 * f)), max(1, round(h0 * f)))
        im = master(path, want).resize(want, Image.LANCZOS)
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=85, optimize=True)
        got = (buf.getvalue(), "image/jpeg")
    CACHE.put(key, got, len(got[0]))
    return got


def decoded(path: str, draft: tuple[int, int] | None) -> Image.Image:
    """The file's pixels; a JPEG decoded straight to the smallest of 1, 1/2, 1/4 or 1/8 of its size
    that still holds ``draft``."""
    CACHE.decodes[path] += 1
    with Image.open(path) as im:
        if draft:
            im.draft(im.mode, draft)
        im.load()
        return im.copy()


def flat(im: Image.Image) -> Image.Image:
    """Transparency flattened onto white paper; an unusual mode made RGB."""
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        out = Image.new("RGB", im.size, (255, 255, 255))
        out.paste(im, mask=im.getchannel("A"))
        return out
    return im if im.mode in ("RGB", "L", "CMYK") else im.convert("RGB")


def master(path: str, want: tuple[int, int]) -> Image.Image:
    """The picture decoded once (per process) at about MASTER_PX on its long side, flattened.

    Its size depends on the file alone, unless a use needs more pixels than that
    (a photo printed over 8 cm wide): that one gets a master of its own, again
    from the file and that need alone.
    """
    w0, h0 = size(path)
    f = min(1.0, max(MASTER_PX / max(w0, h0), want[0] / w0, want[1] / h0))
    need = (max(1, math.ceil(w0 * f)), max(1, math.ceil(h0 * f)))
    key = (*source(path), "master", need)
    hit = CACHE.get(key)
    if hit is not None:
        return hit  # type: ignore[return-value]
    im = flat(decoded(path, need))
    if im.width > 2 * need[0]:  # not a JPEG (no draft decoding): keep a small copy, not the full image
        im = im.resize(need, Image.LANCZOS)
    CACHE.put(key, im, len(im.getbands()) * im.width * im.height)
    return im


def size(path: str) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size
