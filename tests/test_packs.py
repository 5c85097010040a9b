"""Each school's zip pack: its PDFs, its web copies and a one-page 'How to print these'; and the summary's next steps."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pypdfium2 as pdfium

from .conftest import PROJECT, Workspace, pdf_text

HEADER = "id,name,nation,checked_on,dsl_name,dsl_phone,council_name,council_phone,council_hours,council_out_of_hours\n"
ROWS = ["oak-school,Oak School,England,20/11/2026,Ann Example,0113 496 0102,Example Council,0113 496 0000,Mon-Fri,"
        "020 7946 0999\n",
        "ysgol-derw,Ysgol Derw,Cymru,2026-11-01,Llŷr ap Gwilym,0113 496 0103,Cyngor Enghraifft,0113 496 0001,Mon-Fri,"
        "020 7946 0998\n"]


def norm(s: str) -> str:
    return " ".join(s.split())


def test_how_to_print_is_one_page_built_like_every_product(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--layout", "how-to-print", "--finish", "office")
    assert r.code == 0, r.err  # composed, preflighted, written and verified like any product
    pdf = pdfium.PdfDocument(out / "how-to-print.pdf")
    assert len(pdf) == 1 and [round(v / 72 * 25.4) for v in pdf[0].get_size()] == [210, 297]
    pdf.close()
    text = norm(pdf_text(out / "how-to-print.pdf"))
    for words in ("How to print these materials", "Actual size (100%)", "Fit to page", "flip on the long edge",
                  "flip on the short edge", "Where to cut", "crop marks", "How to fold the leaflet",
                  "Fold the right-hand panel in first"):
        assert words in text, words
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["files"][0]["layout"] == "how-to-print" and "web/how-to-print.html" in man["web"]


def test_how_to_print_in_welsh(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--layout", "how-to-print", "--finish", "office", "--locale", "cy")
    assert r.code == 0, r.err
    text = norm(pdf_text(out / "wales" / "cy" / "how-to-print.pdf"))
    assert "Sut i argraffu'r deunyddiau hyn" in text and "Maint gwirioneddol (100%)" in text


def test_how_to_print_keys_are_the_same_in_every_language():
    import yaml

    en = yaml.safe_load((PROJECT / "content" / "en-GB" / "printing.yaml").read_text(encoding="utf-8"))
    cy = yaml.safe_load((PROJECT / "content" / "cy" / "printing.yaml").read_text(encoding="utf-8"))
    assert set(en) == set(cy) and [s["id"] for s in en["steps"]] == [s["id"] for s in cy["steps"]]


def test_each_schools_pack_holds_its_pdfs_web_copies_and_printing_instructions(ws: Workspace, tmp_path: Path):
    csv = tmp_path / "schools.csv"
    csv.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(csv), "--finish", "office", "--jobs", "1")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for sid in ("oak-school", "ysgol-derw"):
        pdfs = {f["path"].split("/", 1)[1] for f in man["files"] if f["school"] == sid}
        web = {w.split("/", 1)[1] for w in man["web"] if w.startswith(f"{sid}/")}
        assert "how-to-print.pdf" in pdfs and "who-to-tell-a4.pdf" in pdfs
        assert web == {f"web/{p.removesuffix('.pdf')}.html" for p in pdfs if not p.endswith("-sheet.pdf")}
        with zipfile.ZipFile(out / "packs" / f"{sid}.zip") as z:
            assert set(z.namelist()) == pdfs | web | {"changes.json", "changes.md"}  # its own reprint list
            for name in set(z.namelist()) - {"changes.json", "changes.md"}:
                assert z.read(name) == (out / sid / name).read_bytes(), name
    assert "Next:" in r.out and "email each school its pack" in r.out
    assert r.out.rstrip().splitlines()[-1].startswith("  - ")  # the summary ends with what to do next


def test_a_build_summary_ends_with_what_to_do_next(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--finish", "both", "--layout", "poster-a4", "--layout", "how-to-print")
    assert r.code == 0, r.err
    tail = r.out[r.out.rindex("Next:"):].splitlines()
    assert tail[0] == "Next:" and all(ln.startswith("  - ") for ln in tail[1:])
    assert any("--previews" in ln for ln in tail)
    assert any("how-to-print.pdf explains" in ln and "actual size (100%)" in ln for ln in tail)
    assert any("print-shop/" in ln for ln in tail) and any("/web/ on your website" in ln for ln in tail)
    r = ws.build(out, "--finish", "office", "--layout", "poster-a4", "--previews")
    tail = r.out[r.out.rindex("Next:"):].splitlines()
    assert any(ln.startswith("  - look at every page") and ln.endswith("previews/index.html") for ln in tail)


def test_failed_rows_come_first_in_what_to_do_next(ws: Workspace, tmp_path: Path):
    csv = tmp_path / "schools.csv"
    csv.write_text(HEADER + ROWS[0] + ROWS[1].replace("Cymru", "UK"), encoding="utf-8")
    r = ws.build(tmp_path / "out", "--schools", str(csv), "--finish", "office", "--jobs", "1",
                 "--layout", "who-to-tell-a4")
    assert r.code == 1
    tail = r.out[r.out.rindex("Next:"):].splitlines()
    assert "fix the 1 failed row listed above in" in tail[1] and "schools.csv" in tail[1]


def test_with_both_finishes_the_print_shop_files_travel_in_a_pack_of_their_own(ws: Workspace, tmp_path: Path):
    """The emailed pack holds what the school prints itself; each PDF/X print-shop file carries a 0.8 MB
    colour profile, so they go in packs/print-shop/ID.zip for whoever sends them to a printer."""
    csv = tmp_path / "schools.csv"
    csv.write_text(HEADER + ROWS[0], encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(csv), "--finish", "both", "--jobs", "1",
                 "--layout", "who-to-tell-a4", "--layout", "how-to-print")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["packs"] == ["packs/oak-school.zip", "packs/print-shop/oak-school.zip"]
    pdfs = {f["path"].split("/", 1)[1] for f in man["files"] if f["school"] == "oak-school"}
    # the printing instructions are made for the office only: a print shop needs no PDF/X copy of them
    assert pdfs == {"how-to-print.pdf", "who-to-tell-a4.pdf", "print-shop/who-to-tell-a4.pdf"}
    with zipfile.ZipFile(out / "packs" / "oak-school.zip") as z:
        emailed = set(z.namelist())
    with zipfile.ZipFile(out / "packs" / "print-shop" / "oak-school.zip") as z:
        shop = set(z.namelist())
        assert all(z.read(n) == (out / "oak-school" / n).read_bytes() for n in shop)
    assert {"how-to-print.pdf", "who-to-tell-a4.pdf", "web/who-to-tell-a4.html"} <= emailed
    assert not any(n.startswith("print-shop/") for n in emailed)
    assert shop == {"print-shop/who-to-tell-a4.pdf"}
    assert (out / "packs" / "oak-school.zip").stat().st_size < 1_000_000  # small enough to email
    assert "1 of print-shop files in" in r.out and "packs/print-shop/ to the print shop" in r.out
    # the next batch with the office finish only makes whole scopes: the print-shop pack goes with its files
    r = ws.build(out, "--schools", str(csv), "--finish", "office", "--jobs", "1", "--clean",
                 "--layout", "who-to-tell-a4", "--layout", "how-to-print")
    assert r.code == 0, r.err
    assert not (out / "packs" / "print-shop" / "oak-school.zip").exists()
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["packs"] == ["packs/oak-school.zip"]


def test_a_batch_keeps_one_copy_on_disk_of_each_national_file_and_a_rebuild_still_replaces_one(
        ws: Workspace, tmp_path: Path):
    """Every school's folder holds the national posters, the same bytes each time: the batch stages
    them as hard links to one copy (a print-shop copy carries a 0.8 MB colour profile). A rebuild after
    an edit replaces each copy by a rename, never by writing into the shared bytes, so every listed
    file still agrees with the manifest."""
    csv = tmp_path / "schools.csv"
    csv.write_text(HEADER + ROWS[0] + ROWS[0].replace("oak-school,Oak School", "elm-school,Elm School"),
                   encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(csv), "--finish", "both", "--jobs", "1",
                 "--layout", "poster-a4", "--layout", "who-to-tell-a4")
    assert r.code == 0, r.err
    for rel in ("poster-a4.pdf", "print-shop/poster-a4.pdf"):
        oak, elm = (out / "oak-school" / rel).stat(), (out / "elm-school" / rel).stat()
        assert (oak.st_ino, oak.st_dev) == (elm.st_ino, elm.st_dev) and oak.st_nlink == 2, rel
    oak, elm = (out / "oak-school" / "who-to-tell-a4.pdf").stat(), (out / "elm-school" / "who-to-tell-a4.pdf").stat()
    assert oak.st_ino != elm.st_ino  # each school's own poster is its own file
    before = (out / "elm-school" / "poster-a4.pdf").read_bytes()
    ws.sub("content/en-GB/products.yaml", r"^poster_subhead: .*$", 'poster_subhead: "A suspicion is enough. Tell."')
    r = ws.build(out, "--schools", str(csv), "--finish", "both", "--jobs", "1",
                 "--layout", "poster-a4", "--layout", "who-to-tell-a4")
    assert r.code == 0, r.err
    assert "A suspicion is enough. Tell." in norm(pdf_text(out / "oak-school" / "poster-a4.pdf"))
    assert (out / "elm-school" / "poster-a4.pdf").read_bytes() != before
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for f in man["files"]:  # every listed file still has the sha256 the manifest says
        assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"], f["path"]
