"""Welsh: every Welsh letter prints from a real glyph, proven by the preflight and read back from the PDF."""

from __future__ import annotations

import json
from pathlib import Path

from cseprint.fonts import FontBook, load_face
from cseprint.validate import load_layouts

from .conftest import FONTS, PROJECT, Workspace, pdf_text

WELSH = "Ŵ ŵ Ŷ ŷ Ẁ ẁ Ẃ ẃ Ẅ ẅ Ỳ ỳ â ê î ô û Â Ê Î Ô Û ï ë"


def test_atkinson_lacks_them_and_the_fallback_supplies_every_one() -> None:
    atkinson = load_face(str(FONTS / "AtkinsonHyperlegible-Regular.ttf"))
    assert not atkinson.has("ŵ")  # the reason the fallback exists
    styles, _ = load_layouts(PROJECT / "layouts", FONTS, None)
    book = FontBook(styles, FONTS)
    for bold in (False, True):
        runs = book.split(WELSH, "atkinson", bold, False)
        assert not any(missing for _, _, missing in runs), runs
        for face, text, _ in runs:
            if any(ch in text for ch in "ŴŵŶŷẀẁẂẃẄẅỲỳ"):
                assert face.name.startswith("NotoSans"), (face.name, text)


def test_welsh_build_prints_every_letter(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.set_text("summary", f"Llythrennau: {WELSH}.", file="content/cy/about.yaml")
    out = tmp_path / "out"
    r = ws.build(out, "--locale", "cy", "--layout", "staff-leaflet", "--finish", "office")
    assert r.code == 0, r.err
    text = pdf_text(out / "wales" / "cy" / "staff-leaflet.pdf")
    for letter in WELSH.split():
        assert letter in text, letter
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["locale"] == "cy" and man["translation_reviewed"] is False
    assert "not yet reviewed" in r.out


def test_a_letter_no_font_has_is_refused_naming_the_box(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.set_text("poster_subhead", "Ⰰ is Glagolitic", file="content/cy/products.yaml")
    r = ws.check("--locale", "cy", "--layout", "poster-a4")
    assert r.code == 1
    assert "box subhead" in r.err and "U+2C00" in r.err


def test_missing_welsh_key_is_an_error_unless_fallback_asked(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.sub("content/cy/products.yaml", r"^poster_subhead:.*$", "")
    r = ws.check("--locale", "cy", "--layout", "poster-a4")
    assert r.code == 1 and "poster_subhead" in r.err and "--fallback-to-english" in r.err
    out = tmp_path / "out"
    r = ws.build(out, "--locale", "cy", "--layout", "poster-a4", "--finish", "office", "--fallback-to-english")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["files"][0]["english_fallback_keys"] == ["products.poster_subhead"]
    assert "A suspicion is enough" in pdf_text(out / "wales" / "cy" / "poster-a4.pdf")


def test_bilingual_poster_has_both_languages_with_equal_sizes(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    out = tmp_path / "out"
    r = ws.build(out, "--locale", "cy", "--layout", "poster-a4-bilingual", "--finish", "office")
    assert r.code == 0, r.err
    text = pdf_text(out / "wales" / "cy" / "poster-a4-bilingual.pdf")
    cy = ws.load("content/cy/products.yaml")["poster_report_heading"]
    en = ws.load("content/en-GB/products.yaml")["poster_report_heading"]
    assert cy in text and en in text and cy != en
    lay = ws.load("layouts/poster-a4-bilingual.yaml")
    boxes = {b["name"]: b for b in lay["pages"][0]["boxes"]}
    for name in ("headline", "subhead", "signs", "report"):
        a, b = boxes[f"{name}-cy"], boxes[f"{name}-en"]
        assert (a["w"], a["h"], a.get("style")) == (b["w"], b["h"], b.get("style")), name


def test_bilingual_card_metadata_is_in_its_lead_language(tmp_path: Path) -> None:
    """Its last box is pinned to English; the PDF's title must still be the Welsh one (lang cy)."""
    import pypdfium2 as pdfium

    ws = Workspace(tmp_path / "ws")
    out = tmp_path / "out"
    r = ws.build(out, "--locale", "cy", "--layout", "wallet-card-bilingual", "--finish", "office")
    assert r.code == 0, r.err
    pdf = pdfium.PdfDocument(out / "wales" / "cy" / "wallet-card-bilingual.pdf")
    try:
        title = pdf.get_metadata_dict()["Title"]
    finally:
        pdf.close()
    assert title == ws.load("content/cy/products.yaml")["meta_card_title"]
