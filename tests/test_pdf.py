"""The written PDFs of a default build, read back with pypdfium2 and zxing-cpp (not our own data)."""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import time
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageStat

from .conftest import FAILURES_DIR, PAPER_MM, REFERENCE_DIR, TODAY, DefaultBuild, Workspace, run_cli

PT_PER_MM = 72 / 25.4
POSTER_NUMBERS = ("999", "101", "0808 800 5000", "0800 1111", "0800 555 111")
PIXEL_TOLERANCE = 0.25  # mean absolute difference per channel, 0..255
CHANGED_PIXELS = 0.002  # at most this share of pixels may differ by more than 48 in a channel (antialiasing)


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def pdf_files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))


def page_text(page: pdfium.PdfPage) -> str:
    return page.get_textpage().get_text_range()


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def box_mm(box: tuple[float, float, float, float]) -> tuple[float, float]:
    left, bottom, right, top = box
    return ((right - left) / PT_PER_MM, (top - bottom) / PT_PER_MM)


def expected_trim(build: DefaultBuild, entry: dict) -> tuple[float, float]:
    lay = build.layout_yaml(entry["layout"])
    if entry["variant"] == "sheet":
        return PAPER_MM[lay["imposition"]["sheet"]]
    w, h = PAPER_MM[lay["page"]["size"]]
    if lay["page"].get("orientation") == "landscape":
        return max(w, h), min(w, h)
    return (w, h) if lay["page"]["size"] == "CR80" else (min(w, h), max(w, h))


def qr_payloads(build: DefaultBuild, layout: str) -> list[list[str]]:
    """Per layout page, the web addresses its QR boxes name, from contacts.yaml."""
    contacts = build.inputs.load("content/contacts.yaml")["contacts"]
    pages = []
    for page in build.layout_yaml(layout)["pages"]:
        want = []
        for b in page["boxes"]:
            if b.get("kind") == "qr":
                cid, field = b["qr"].split(".")
                want.append(contacts[cid][field])
        pages.append(want)
    return pages


@pytest.fixture(scope="module")
def manifest(default_build: DefaultBuild) -> dict:
    return default_build.manifest()


def test_manifest_lists_every_pdf_with_hash_and_pages(default_build: DefaultBuild, manifest: dict):
    out = default_build.out
    listed = sorted(f["path"] for f in manifest["files"])
    assert listed == pdf_files(out)
    assert len(listed) >= 4
    for f in manifest["files"]:
        p = out / f["path"]
        assert f["sha256"] == sha256(p), f["path"]
        pdf = pdfium.PdfDocument(p)
        assert len(pdf) == f["pages"] >= 1, f["path"]
        pdf.close()
    # every other file is the manifest or listed in it (no staging folder or stray file left behind)
    others = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.suffix != ".pdf"}
    extra = {p for k in ("web", "previews", "packs", "meta") for p in manifest.get(k, [])}
    assert others == {"manifest.json"} | extra
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_manifest_describes_the_build(default_build: DefaultBuild, manifest: dict):
    edition = default_build.inputs.load("content/edition.yaml")
    assert manifest["content"] == {"version": edition["version"], "date": edition["date"].isoformat()}
    assert manifest["locale"] == "en-GB"
    assert manifest["unverified_contacts"] == []
    finishes = Counter(f["finish"] for f in manifest["files"])
    assert finishes["office"] > finishes["print-shop"] > 0
    # the same single products in both finishes, but for the printing instructions (office only: a print
    # shop needs no PDF/X copy of them); imposed sheets are an office product only
    singles = {fin: {f["layout"] for f in manifest["files"] if f["finish"] == fin and f["variant"] == "single"}
               for fin in ("office", "print-shop")}
    assert singles["office"] - singles["print-shop"] == {"how-to-print"}
    assert singles["print-shop"] < singles["office"]
    assert {f["finish"] for f in manifest["files"] if f["variant"] == "sheet"} == {"office"}
    for f in manifest["files"]:
        assert f["path"].startswith("print-shop/") == (f["finish"] == "print-shop")
        assert f["colour"] == "cmyk"


def test_trim_size_of_every_file(default_build: DefaultBuild, manifest: dict):
    seen = set()
    for f in manifest["files"]:
        want = expected_trim(default_build, f)
        seen.add(want)
        assert tuple(f["trim_mm"]) == pytest.approx(want, abs=0.2), f["path"]
        pdf = pdfium.PdfDocument(default_build.out / f["path"])
        try:
            for i, page in enumerate(pdf):
                where = f"{f['path']} page {i + 1}"
                assert box_mm(page.get_trimbox()) == pytest.approx(want, abs=0.2), where
                media = box_mm(page.get_mediabox())
                if f["finish"] == "office":
                    assert media == pytest.approx(want, abs=0.2), where
                    assert page.get_bleedbox() == pytest.approx(page.get_mediabox(), abs=0.01), where
                elif f["variant"] == "single":
                    bleed = box_mm(page.get_bleedbox())
                    assert bleed == pytest.approx((want[0] + 6, want[1] + 6), abs=0.2), where
                    assert media[0] > bleed[0] and media[1] > bleed[1], where  # room for crop marks
        finally:
            pdf.close()
    assert (210.0, 297.0) in seen and (297.0, 420.0) in seen  # the A4 and A3 posters
    if any(default_build.layout_yaml(f["layout"])["kind"] == "card" for f in manifest["files"]):
        assert (85.6, 54.0) in seen  # the wallet card


def poster_entries(build: DefaultBuild, manifest: dict) -> list[dict]:
    """The staff posters (every route); the pupils' posters carry the numbers meant for pupils."""
    return [f for f in manifest["files"] if f["variant"] == "single" and f["audience"] == "staff"
            and build.layout_yaml(f["layout"])["kind"] == "poster"]


def test_every_poster_prints_every_number_exactly(default_build: DefaultBuild, manifest: dict):
    posters = poster_entries(default_build, manifest)
    assert len(posters) >= 4
    for f in posters:
        pdf = pdfium.PdfDocument(default_build.out / f["path"])
        text = "\n".join(page_text(p) for p in pdf)
        pdf.close()
        for number in POSTER_NUMBERS:
            # exactly: not run together with other digits, not split over lines
            assert re.search(rf"(?<!\d)(?<!\d ){re.escape(number)}(?!\d)(?! \d)", text.replace("\r\n", "\n")), \
                f"{number!r} not in {f['path']}:\n{text}"


def test_every_qr_code_decodes_to_its_contacts_address(default_build: DefaultBuild, manifest: dict):
    decoded_any = 0
    for f in manifest["files"]:
        want_pages = qr_payloads(default_build, f["layout"])
        pdf = pdfium.PdfDocument(default_build.out / f["path"])
        try:
            assert len(pdf) == len(want_pages)
            for i, page in enumerate(pdf):
                image = page.render(scale=200 / 72, grayscale=True).to_pil()
                got = [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
                want = want_pages[i]
                where = f"{f['path']} page {i + 1}"
                if f["variant"] == "single":
                    assert Counter(got) == Counter(want), where
                else:  # a sheet repeats each code once per copy
                    assert set(got) == set(want), where
                    if want:
                        assert len(got) % len(want) == 0 and len(got) > len(want), where
                decoded_any += len(got)
        finally:
            pdf.close()
    assert decoded_any >= 4  # at least the CEOP code on each poster


def test_qr_addresses_are_the_registry_addresses(default_build: DefaultBuild):
    contacts = default_build.inputs.load("content/contacts.yaml")["contacts"]
    want = qr_payloads(default_build, "poster-a4")[0]
    assert want and all(w.startswith("https://") and w in {c.get("web") for c in contacts.values()} for w in want)


def font_objects(pdf: pdfium.PdfDocument) -> set[tuple[str, bool]]:
    fonts = set()
    for page in pdf:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=5):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            buf = ctypes.create_string_buffer(256)
            pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
            fonts.add((buf.value.decode("latin-1"), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return fonts


def test_fonts_all_embedded(default_build: DefaultBuild, manifest: dict):
    for f in manifest["files"]:
        data = (default_build.out / f["path"]).read_bytes()
        assert not re.search(rb"/Subtype\s*/(Type1|MMType1|Type3)\b", data), f["path"]
        descriptors = len(re.findall(rb"/Type\s*/FontDescriptor\b", data))
        assert descriptors >= 1 and descriptors == len(re.findall(rb"/FontFile2\b", data)), f["path"]
        assert not re.search(rb"/BaseFont\s*/(Helvetica|Times|Courier|Symbol|ZapfDingbats)", data), f["path"]
        pdf = pdfium.PdfDocument(data)
        fonts = font_objects(pdf)
        pdf.close()
        assert fonts and all(embedded for _, embedded in fonts), (f["path"], fonts)


def test_metadata_set(default_build: DefaultBuild, manifest: dict):
    author = default_build.inputs.load("content/edition.yaml")["author"]
    for f in manifest["files"]:
        pdf = pdfium.PdfDocument(default_build.out / f["path"])
        meta = pdf.get_metadata_dict()
        pdf.close()
        lay = default_build.layout_yaml(f["layout"])
        for field, key in (("Title", lay["title"]), ("Subject", lay["subject"])):
            file, name = key.split(".", 1)
            texts = default_build.inputs.load(f"content/en-GB/{file}.yaml")
            assert meta[field] == texts[name], (f["path"], field)
        assert meta["Author"] == author
        assert meta["Title"] and meta["Subject"] and meta["Author"]


def test_two_builds_are_byte_identical(default_build: DefaultBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the second build runs "ten years later" (the clock is moved, not waited for): no timestamp may leak in
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 10 * 365 * 86400)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out2 = tmp_path / "again"
    r = run_cli(["build", *default_build.inputs.inputs(), "--out", str(out2), "--today", TODAY])
    monkeypatch.undo()
    assert r.code == 0, r.err
    first = {str(p.relative_to(default_build.out)): sha256(p) for p in default_build.out.rglob("*") if p.is_file()}
    second = {str(p.relative_to(out2)): sha256(p) for p in out2.rglob("*") if p.is_file()}
    assert first == second


def test_office_and_print_shop_say_the_same(default_build: DefaultBuild, manifest: dict):
    by_path = {f["path"]: f for f in manifest["files"]}
    compared = 0
    for path in by_path:
        if path.startswith("print-shop/") or by_path[path]["variant"] == "sheet" or path == "how-to-print.pdf":
            continue  # sheets and the printing instructions are made for the office only
        compared += 1
        office = pdfium.PdfDocument(default_build.out / path)
        shop = pdfium.PdfDocument(default_build.out / "print-shop" / path)
        try:
            assert [norm(page_text(p)) for p in office] == [norm(page_text(p)) for p in shop], path
        finally:
            office.close()
            shop.close()
    assert compared == len([p for p in by_path if p.startswith("print-shop/")])


def test_word_ending_in_hyphen_at_line_end_builds(ws: Workspace, tmp_path: Path):
    ws.set_text("poster_subhead", "Report it, mid-")
    r = ws.build(tmp_path / "out", "--layout", "poster-a4", "--finish", "office")
    assert r.code == 0, r.err


# --- rendered pixels against a committed reference ---------------------------------------------

def render_small(path: Path, dpi: int = 30) -> Image.Image:
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def compare_to_reference(actual: Image.Image, name: str) -> None:
    ref_path = REFERENCE_DIR / f"{name}.png"
    if os.environ.get("UPDATE_REFERENCES") == "1":
        REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(ref_path, optimize=True)
    assert ref_path.exists(), f"no reference {ref_path}; make one with UPDATE_REFERENCES=1 python -m pytest {__file__}"
    expected = Image.open(ref_path).convert("RGB")
    if expected.size == actual.size:
        diff = ImageChops.difference(actual, expected)
        mad = sum(ImageStat.Stat(diff).mean) / 3
        big = diff.convert("L").point(lambda v: 255 if v > 48 else 0)
        changed = ImageStat.Stat(big).mean[0] / 255
        if mad < PIXEL_TOLERANCE and changed <= CHANGED_PIXELS:
            return
        why = (f"mean absolute difference {mad:.3f} (limit {PIXEL_TOLERANCE}), {changed:.2%} of pixels changed "
               f"(limit {CHANGED_PIXELS:.1%})")
    else:
        diff = None
        why = f"size {actual.size} != reference {expected.size}"
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    a, e = FAILURES_DIR / f"{name}-actual.png", FAILURES_DIR / f"{name}-expected.png"
    actual.save(a)
    expected.save(e)
    if diff is not None:
        diff.save(FAILURES_DIR / f"{name}-diff.png")
    pytest.fail(f"{name}: rendered page differs from the reference: {why}.\n  actual:   {a}\n  expected: {e}\n"
                "If the change is intended, regenerate with UPDATE_REFERENCES=1 python -m pytest tests/test_pdf.py")


def test_poster_a4_renders_like_the_reference(default_build: DefaultBuild):
    compare_to_reference(render_small(default_build.out / "poster-a4.pdf"), "poster-a4")
