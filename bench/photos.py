#!/usr/bin/env python3
"""Benchmark of schools with phone photos, run by hand: ``python bench/photos.py`` (never by the tests).

Four schools, each with its own 12-megapixel phone JPEG (4032 x 3024) as the
lead's photo, built as one batch (``generate.py build --schools``, both
finishes, 2 jobs). It prints the wall and CPU time, the peak memory of the
whole process tree (summed PSS and RSS of the parent and its workers, sampled
every 50 ms, and the largest single process's max RSS), the size of every
school's zip pack, and each embedded photo's pixels and resolution at its
printed size. Targets (issue 11): peak at most 500 MB, every pack at most 5 MB.

The photos are made here, deterministically (gradients, shapes and grain, then
saved as JPEG at quality 92, as a phone does), so the run needs no files.
It writes nothing into the project.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(PROJECT), str(BENCH)]

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402
from run import GENERATE, TODAY, loadavg, machine, run_measured  # noqa: E402

PHONE = (4032, 3024)  # 12.2 megapixels, the usual phone camera
TARGET_PEAK_MB = 500
TARGET_PACK_MB = 5.0


def phone_photo(seed: int) -> bytes:
    """A phone-sized JPEG with a phone's detail and grain (about 3-4 MB)."""
    rng = random.Random(seed)
    w, h = PHONE
    base = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize((w, h))
    im = Image.merge("RGB", [Image.blend(base, Image.radial_gradient("L").resize((w, h)), rng.random())
                             for _ in range(3)])
    draw = ImageDraw.Draw(im)
    for _ in range(400):
        x, y, s = rng.randrange(w), rng.randrange(h), rng.randrange(10, 500)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + s, y + s * rng.uniform(0.3, 2)),
                                                                 fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(1.5))
    grain = Image.merge("RGB", [Image.effect_noise((w, h), 30 + 5 * i) for i in range(3)])
    im = Image.blend(im, grain, 0.18)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def embedded_images(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) in pixels of every image XObject in a PDF as reportlab writes it."""
    out = []
    for m in re.finditer(rb"<<([^<>]*/Subtype /Image[^<>]*)>>", pdf):
        d = m.group(0)
        w, h = re.search(rb"/Width (\d+)", d), re.search(rb"/Height (\d+)", d)
        if w and h:
            out.append((int(w.group(1)), int(h.group(1))))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schools", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--finish", default="both", choices=("office", "print-shop", "both"))
    args = ap.parse_args()
    print("\n".join(machine()))
    with tempfile.TemporaryDirectory(prefix="cseprint-photos-") as tmp:
        root = Path(tmp)
        content = root / "content"
        shutil.copytree(PROJECT / "content", content)
        photos = []
        for i in range(args.schools):
            data = phone_photo(i)
            path = content / "schools" / "photos" / f"phone-{i + 1}.jpg"
            path.write_bytes(data)
            photos.append(len(data))
        csv_path = root / "schools.csv"
        rows = ["id,name,nation,checked_on,dsl_name,dsl_role,dsl_photo,dsl_phone,council_name,council_phone,"
                "council_hours,council_out_of_hours"]
        for i in range(args.schools):
            rows.append(f"phone-school-{i + 1},Phone School {i + 1},england,2026-11-01,Sam Lead {i + 1},"
                        f"Headteacher,schools/photos/phone-{i + 1}.jpg,0113 496 01{i:02d},Example Council,"
                        "0113 496 0000,Mon-Fri 9-5,020 7946 0999")
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"\n{args.schools} schools, each with a {PHONE[0]} x {PHONE[1]} phone JPEG as the lead's photo "
              f"({min(photos) / 1e6:.1f}-{max(photos) / 1e6:.1f} MB each); --finish {args.finish}, "
              f"--jobs {args.jobs}")
        out = root / "out"
        cmd = [sys.executable, str(GENERATE), "build", "--content", str(content), "--schools", str(csv_path),
               "--out", str(out), "--finish", args.finish, "--jobs", str(args.jobs), "--today", TODAY.isoformat()]
        r = run_measured(cmd, sample=True)
        s = r["sampler"]
        if r["code"] != 0:
            print(f"build failed (exit {r['code']}):\n{r['stderr'][-3000:]}")
            return 1
        peak = s.peak_pss / 1024
        print(f"   wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s (whole tree), load {r['load']} at the end")
        print(f"   peak memory of the process tree: {peak:.0f} MB PSS summed, {s.peak_rss / 1024:.0f} MB RSS "
              f"summed, {s.peak_procs} processes; largest process max RSS {r['maxrss_kb'] / 1024:.0f} MB"
              f"   target <= {TARGET_PEAK_MB} MB: {'PASS' if peak <= TARGET_PEAK_MB else 'FAIL'}")
        every, once, seen = 0, 0, set()
        for f in out.rglob("*"):
            if f.is_file():
                st = f.stat()
                every += st.st_size
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    once += st.st_size
        print(f"   output folder: {once / 1e6:.1f} MB on disk, {once / 1e6 / args.schools:.2f} MB a school "
              f"({every / 1e6:.1f} MB if each national file were a copy of its own: they are hard links)")
        packs = sorted((out / "packs").glob("*.zip"))
        sizes = [p.stat().st_size / 1e6 for p in packs]
        print(f"   packs: {', '.join(f'{x:.2f}' for x in sizes)} MB   target <= {TARGET_PACK_MB:g} MB each: "
              f"{'PASS' if sizes and max(sizes) <= TARGET_PACK_MB else 'FAIL'}")
        with zipfile.ZipFile(packs[0]) as z:
            parts: dict[str, int] = {}
            for info in z.infolist():
                kind = ("web copies" if info.filename.endswith(".html") else
                        "print-shop PDFs" if info.filename.startswith("print-shop/") else "office PDFs")
                parts[kind] = parts.get(kind, 0) + info.compress_size
        print(f"   {packs[0].name}: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(parts.items())))
        shop = sum(1 for n in zipfile.ZipFile(packs[0]).namelist() if n.startswith("print-shop/"))
        if shop:
            from cseprint.pdfx import profile

            icc = len(profile()[1])
            print(f"   of which colour profiles: {shop} print-shop PDFs x {icc / 1e6:.2f} MB (each PDF/X-1a file "
                  f"embeds its output intent's ICC profile) = {shop * icc / 1e6:.2f} MB; the pack without "
                  f"them: {(sizes[0] * 1e6 - shop * icc) / 1e6:.2f} MB")
        man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        with zipfile.ZipFile(packs[0]) as z:
            for name in sorted(n for n in z.namelist() if n.endswith(".pdf")):
                data = z.read(name)
                images = embedded_images(data)
                entry = next(f for f in man["files"] if f["path"] == f"{packs[0].stem}/{name}")
                if images:
                    print(f"   {packs[0].stem}/{name}: {len(data) / 1e6:.2f} MB, images (px): "
                          + ", ".join(f"{w}x{h}" for w, h in images)
                          + f"  (trim {entry['trim_mm'][0]:g} x {entry['trim_mm'][1]:g} mm)")
    print(f"load average at the end: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
