"""Phone photos: embedded at 300 pixels per inch of their printed size, decoded once per process, held
in a cache bounded by bytes, and the same bytes whatever was built before them.

(A 12-megapixel phone photo went in whole: 37 MB packs and 2 GB of workers for four schools.
bench/photos.py measures memory and pack sizes for four such schools; tests never time anything.)
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageDraw

from cseprint import photos, write_pdf
from cseprint.build import Options, plan, web_copies

from ..conftest import FONTS, PROJECT, TODAY, Workspace
from .folder import command, env

EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"
WHO = ("--layout", "who-to-tell-a4", "--layout", "who-to-tell-a3")


def big_photo(path: Path, size: tuple[int, int] = (2400, 1800)) -> None:
    """A photo far sharper than print needs (a 28 mm box needs 331 pixels across at 300 ppi)."""
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    d = ImageDraw.Draw(im)
    for i in range(0, size[0], 97):
        d.ellipse((i, i // 2, i + 300, i // 2 + 200), fill=(i % 256, 90, 200 - i % 200))
    im.save(path, "JPEG", quality=92)


def school_with_big_photo(ws: Workspace) -> Path:
    big_photo(ws.content / "schools" / "photos" / "phone.jpg")
    prof = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    prof["dsl"]["photo"] = "schools/photos/phone.jpg"
    path = ws.content / "schools" / "example-school.yaml"
    path.write_text(yaml.safe_dump(prof), encoding="utf-8")
    return path


def options(ws: Workspace, profile: Path, names: list[str], finish: str = "both") -> Options:
    import datetime as dt

    return Options(content=ws.content, layouts=ws.layouts, fonts=FONTS, out=ws.root / "out", names=names,
                   finish=finish, school=profile, today=dt.date.fromisoformat(TODAY))


def image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(rb"<<([^<>]*/Subtype /Image[^<>]*)>>", pdf):
        w, h = re.search(rb"/Width (\d+)", m.group(0)), re.search(rb"/Height (\d+)", m.group(0))
        out.append((int(w.group(1)), int(h.group(1))))
    return out


def test_a_large_photo_is_embedded_at_300_ppi_of_its_printed_size(ws: Workspace):
    profile = school_with_big_photo(ws)
    photo = str((ws.content / "schools" / "photos" / "phone.jpg").resolve())
    p = plan(options(ws, profile, ["who-to-tell-a4", "who-to-tell-a3"]))
    for _, doc in p.docs:
        placed = [im for page in doc.pages for im in page.images if im.path == photo]
        assert placed, doc.layout
        data = write_pdf.render(doc)
        sizes = image_sizes(data)
        for im in placed:
            want = (round(im.rect.w / 72 * 300), round(im.rect.h / 72 * 300))
            assert want in sizes, (doc.layout, doc.finish, want, sizes)
        # nothing near the 2400 pixels of the file: the largest printed photo, a lone lead's 78 mm on
        # A3 (who-to-tell's 'largest' arrangement), is 921 pixels at 300 ppi
        assert max(w for w, _ in sizes) < 1000
        assert len(data) < 1_000_000, len(data)


def test_a_photo_already_sharp_enough_goes_in_as_it_is(ws: Workspace):
    """A photo of about 360 ppi at the size it prints, within 450: embedded as it is, not resampled.
    (The size it prints is the poster's choice for the team, so it is read from a first build.)"""
    prof = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    prof["dsl"]["photo"] = "schools/photos/small.png"
    profile = ws.content / "schools" / "example-school.yaml"
    profile.write_text(yaml.safe_dump(prof), encoding="utf-8")
    printed = 0.0
    for size in (400, None):  # the first build measures the box; the second uses a photo made for it
        px = size or round(printed / 72 * 360)
        Image.linear_gradient("L").resize((px, px)).convert("RGB").save(ws.content / "schools/photos/small.png")
        p = plan(options(ws, profile, ["who-to-tell-a4"], "office"))
        (_, doc), = p.docs
        im = next(im for page in doc.pages for im in page.images if im.path.endswith("small.png"))
        printed = im.rect.w
    assert 300 < px / (im.rect.w / 72) <= 450
    assert (px, px) in image_sizes(write_pdf.render(doc))


def test_a_photo_is_decoded_once_per_process_for_every_size_and_finish(ws: Workspace,
                                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(photos, "CACHE", photos.Cache(photos.CACHE_BYTES))
    profile = school_with_big_photo(ws)
    photo = str((ws.content / "schools" / "photos" / "phone.jpg").resolve())
    p = plan(options(ws, profile, ["who-to-tell-a4", "who-to-tell-a3"]))
    placements = set()
    for _, doc in p.docs:
        for page in doc.pages:
            placements |= {(round(im.rect.w, 3), round(im.rect.h, 3)) for im in page.images if im.path == photo}
        write_pdf.render(doc)
        write_pdf.render(doc, rgb=True)
    web_copies(p, options(ws, profile, ["who-to-tell-a4", "who-to-tell-a3"]))
    assert len(placements) == 2  # two printed sizes (A4 and A3 posters), two finishes, two colour spaces, the web...
    assert photos.CACHE.decodes[photo] == 1  # ...and one decode


def test_the_image_cache_is_bounded_by_bytes_and_keeps_the_most_recently_used():
    cache = photos.Cache(100)
    for k in "abc":
        cache.put((k,), k, 40)
    assert cache.used == 80 and cache.get(("a",)) is None  # the oldest went to make room
    cache.get(("b",))  # now b is the most recently used
    cache.put(("d",), "d", 40)
    assert cache.get(("c",)) is None and cache.get(("b",)) == "b" and cache.get(("d",)) == "d"
    cache.put(("huge",), "x", 101)  # larger than the whole cache: not kept, nothing evicted for it
    assert cache.get(("huge",)) is None and cache.used == 80
    assert cache.used <= cache.limit


def test_photo_bytes_do_not_depend_on_what_the_process_built_before(ws: Workspace, tmp_path: Path):
    """The A4 poster alone, and after the A3 poster that places the same photo at another size:
    byte for byte the same file, each from a fresh process."""
    profile = school_with_big_photo(ws)
    outs = []
    for i, layouts in enumerate([("--layout", "who-to-tell-a4"), WHO]):
        out = tmp_path / f"out{i}"
        r = subprocess.run(command(ws, "--out", out, "--school", profile, "--finish", "office", *layouts),
                           capture_output=True, text=True, env=env(), timeout=600, cwd=ws.root)
        assert r.returncode == 0, r.stderr
        outs.append(hashlib.sha256((out / "example-school" / "who-to-tell-a4.pdf").read_bytes()).hexdigest())
    assert outs[0] == outs[1]


def test_a_large_png_is_resampled_too(ws: Workspace):
    path = ws.content / "schools" / "photos" / "big.png"
    buf = io.BytesIO()
    Image.radial_gradient("L").resize((1800, 1800)).convert("RGBA").save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    prof = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    prof["dsl"]["photo"] = "schools/photos/big.png"
    profile = ws.content / "schools" / "example-school.yaml"
    profile.write_text(yaml.safe_dump(prof), encoding="utf-8")
    p = plan(options(ws, profile, ["who-to-tell-a4"], "office"))
    (_, doc), = p.docs
    im = next(im for page in doc.pages for im in page.images if im.path == str(path.resolve()))
    assert (round(im.rect.w / 72 * 300), round(im.rect.h / 72 * 300)) in image_sizes(write_pdf.render(doc))


def test_a_web_copy_carries_the_photo_at_screen_size(ws: Workspace):
    """The web copies go in every school's pack: a phone photo inside them must not be megabytes."""
    import base64

    profile = school_with_big_photo(ws)
    opts = options(ws, profile, ["who-to-tell-a4"], "office")
    (page,) = web_copies(plan(opts), opts).values()
    uris = re.findall(rb'<img src="data:image/jpeg;base64,([^"]+)" alt="Photo of Sam Example"', page)
    assert len(uris) == 1
    with Image.open(io.BytesIO(base64.b64decode(uris[0]))) as im:
        assert max(im.size) == photos.WEB_PX  # from 2400 pixels across
    assert len(page) < 200_000
