"""Stage 6: read a written PDF back and prove it says what was composed.

* every QR code is rendered (pypdfium2) and decoded (zxing-cpp) and must give
  exactly its address, on the page it was placed on;
* the text extracted from each page contains every composed line, so every
  number is in the file exactly as the registry prints it;
* every font is embedded (no standard-14 Type 1 fonts referenced), and each
  subset's name is its own (``XXXXXX+Face``, never two subsets under one name);
* a CMYK print-shop file is PDF/X-1a:2003 in structure (``check_pdfx``): the
  keys, the output intent and its profile, XMP that says what Info says, the
  boxes, and nothing X-1a forbids; and its black overprints while nothing else
  does (``check_overprint``, from the page content itself).

These read the file, not our own data structures, so a bug in write_pdf or a
library change is caught before the file reaches ``output/``.
"""

from __future__ import annotations

import base64
import io
import re
import zlib
from collections import Counter
from xml.etree import ElementTree

import pikepdf
import pypdfium2 as pdfium
import zxingcpp

from .document import Document, Rect
from .pdfx import PDFX_CONFORMANCE, PDFX_VERSION, XMP_NS, box_problems, xmp_date

QR_DPI = 200


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def verify(doc: Document, data: bytes, rgb: bool = False) -> list[str]:
    """Return every discrepancy between ``doc`` and the PDF ``data`` (empty if none)."""
    problems: list[str] = []
    name = f"{doc.layout} ({doc.variant}, {doc.finish}, {doc.locale})"
    problems.extend(f"{name}: {p}" for p in check_fonts_embedded(data))
    problems.extend(f"{name}: {p}" for p in check_subset_names(data))
    if not rgb:
        problems.extend(f"{name}: {p}" for p in check_no_rgb(data))
    if doc.finish == "print-shop" and not rgb:
        problems.extend(f"{name}: {p}" for p in check_pdfx(data))
        problems.extend(f"{name}: {p}" for p in check_overprint(data))
    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) != len(doc.pages):
            problems.append(f"{name}: has {len(pdf)} pages, expected {len(doc.pages)}")
            return problems
        for i, page in enumerate(doc.pages):
            pg = pdf[i]
            if doc.variant == "single":
                text = _norm(pg.get_textpage().get_text_range())
                for ln in page.lines:
                    for k, run in enumerate(ln.runs):
                        want = _norm(run.text)
                        if k == len(ln.runs) - 1 and want.endswith("-"):
                            want = want[:-1]  # pdfium reads a hyphen that ends a line as a hyphenation
                        if want and want not in text:
                            problems.append(f"{name}: page {i + 1}: text '{want}' (box {ln.box}) not found in the "
                                            "PDF's text")
            for q in page.qrcodes:
                got = decode_region(pg, q.quiet_rect, page.media_w, page.media_h)
                if got != [q.payload]:
                    problems.append(f"{name}: page {i + 1}: the QR code in box {q.box} decoded as {got}, "
                                    f"expected exactly ['{q.payload}']")
    finally:
        pdf.close()
    return problems


def decode_region(page: pdfium.PdfPage, r: Rect, media_w: float, media_h: float, dpi: int = QR_DPI) -> list[str]:
    """QR codes in one region (the code and its quiet zone, plus a margin) of the rendered page.

    Rendering just the region keeps verification cheap on A3 pages, and proves
    each code decodes where it was placed, not merely somewhere on the page.
    """
    m = 6.0  # pt of margin around the quiet zone
    crop = (max(r.x - m, 0), max(r.y - m, 0), max(media_w - r.x1 - m, 0), max(media_h - r.y1 - m, 0))
    image = page.render(scale=dpi / 72, grayscale=True, crop=crop).to_pil()
    return [res.text for res in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


RGB_OPERATOR = re.compile(rb"(?<![A-Za-z/])(rg|RG)(?![A-Za-z])")


def streams(data: bytes, limit=lambda head: None):
    """(dictionary, decoded bytes) of every stream in a PDF as reportlab (or pikepdf, after it)
    writes it: one dictionary per object, Flate and ASCII85 filters. ``limit(head)`` may cap
    how many bytes to decode (0: none at all), so a megabyte colour profile or a font is
    not inflated just to be skipped."""
    pos = 0
    while (i := data.find(b">>\nstream", pos)) >= 0:
        start = data.index(b"\n", i + 9) + 1
        head = data[data.rfind(b" obj", 0, i):i]
        m = re.search(rb"/Length (\d+)", head)
        if not m:
            pos = start
            continue
        body = data[start:start + int(m.group(1))]
        cap = limit(head)
        try:
            if cap == 0:
                body = b""
            elif b"/ASCII85Decode" in head:
                body = base64.a85decode(body.strip(), adobe=True)
                body = zlib.decompress(body) if b"/FlateDecode" in head else body
            elif b"/FlateDecode" in head:
                body = zlib.decompressobj().decompress(body, cap or 0)
        except (ValueError, zlib.error):
            pass
        yield head, body
        pos = start + int(m.group(1))


NOT_CONTENT = (b"/Subtype /Image", b"/Length1", b"/Type /Metadata")  # image data, embedded fonts, XMP
ICC_STREAM = re.compile(rb"/N \d")  # an ICC profile (PDF/X's output intent); no other stream has /N


def check_no_rgb(data: bytes) -> list[str]:
    """A CMYK file for print must hold no RGB: no DeviceRGB images, no rg/RG colour operators,
    no RGB colour profile."""
    out = []
    if b"/DeviceRGB" in data:
        out.append("holds RGB (DeviceRGB) in a CMYK file")

    def limit(head: bytes) -> int | None:
        if any(k in head for k in NOT_CONTENT):
            return 0
        return 40 if ICC_STREAM.search(head) else None

    for head, body in streams(data, limit):
        if not body:
            continue
        if ICC_STREAM.search(head):
            if body[16:20] == b"RGB ":
                out.append("holds an RGB ICC profile in a CMYK file")
            continue
        if RGB_OPERATOR.search(body):
            out.append("sets an RGB colour (rg/RG) in a CMYK file")
            break
    return out


FONT_RE = re.compile(rb"/Subtype\s*/(Type1|TrueType|Type0|Type3|MMType1)")


def check_fonts_embedded(data: bytes) -> list[str]:
    """Every font object must be an embedded TrueType subset (reportlab writes them uncompressed)."""
    out = []
    kinds = Counter(m.group(1) for m in FONT_RE.finditer(data))
    if kinds.get(b"Type1") or kinds.get(b"MMType1") or kinds.get(b"Type3"):
        out.append("references a font that is not an embedded TrueType font")
    descriptors = len(re.findall(rb"/Type\s*/FontDescriptor", data))
    embedded = len(re.findall(rb"/FontFile2\s", data))
    if descriptors != embedded:
        out.append(f"{descriptors - embedded} font(s) not embedded")
    if kinds.get(b"TrueType", 0) == 0 and kinds.get(b"Type0", 0) == 0:
        out.append("has no embedded fonts at all")
    return out


SUBSET_NAME = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")


def check_subset_names(data: bytes) -> list[str]:
    """Every embedded subset is named ``XXXXXX+Face`` (six capitals), and no two subsets
    in the file share a name (a RIP that caches fonts by name would print the wrong glyphs)."""
    names = [m.group(1).decode("latin-1") for m in SUBSET_NAME.finditer(data)]
    out = [f"font {n} has no subset tag (six capitals and '+')" for n in names if not re.match(r"[A-Z]{6}\+", n)]
    out += [f"two font subsets are both named {n}" for n, k in Counter(names).items() if k > 1]
    return out


# --- PDF/X-1a:2003 ------------------------------------------------------------------------------

ALLOWED_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern", "/Indexed"}


def check_pdfx(data: bytes) -> list[str]:
    """What PDF/X-1a:2003 asks of a file, read back with pikepdf (a parser other than the writer's).

    Checked: the PDF version (at most 1.4) and no object or cross-reference streams;
    the trailer /ID; Info's GTS_PDFXVersion, GTS_PDFXConformance, Trapped, Title and
    dates; one GTS_PDFX output intent with an embedded CMYK output profile; the XMP
    packet, which must say what Info says; TrimBox inside BleedBox inside MediaBox
    on every page; and nothing X-1a forbids (transparency, colour spaces other than
    CMYK, grey and spots, annotations, actions, encryption, unembedded fonts).
    """
    m = re.match(rb"%PDF-(\d\.\d)", data)
    if not m:
        return ["does not start with a PDF header"]
    out = []
    if m.group(1) > b"1.4":
        out.append(f"is PDF {m.group(1).decode()}; PDF/X-1a:2003 allows at most 1.4")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [*out, f"cannot be read back: {exc}"]
    with pdf:
        if pdf.is_encrypted:
            out.append("is encrypted")
        ids = pdf.trailer.get("/ID")
        if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
            out.append("has no trailer /ID")
        info = pdf.trailer.get("/Info")
        info = info if isinstance(info, pikepdf.Dictionary) else pikepdf.Dictionary()
        out.extend(_pdfx_info(info))
        out.extend(_pdfx_intent(pdf))
        out.extend(_pdfx_xmp(pdf, info))
        out.extend(box_problems(pdf))
        out.extend(_pdfx_forbidden(pdf))
    return out


def _text(d: pikepdf.Dictionary, key: str) -> str:
    v = d.get(key)
    return str(v) if isinstance(v, (pikepdf.String, pikepdf.Name)) else ""


def _pdfx_info(info: pikepdf.Dictionary) -> list[str]:
    out = []
    for key, want in (("/GTS_PDFXVersion", PDFX_VERSION), ("/GTS_PDFXConformance", PDFX_CONFORMANCE)):
        if _text(info, key) != want:
            out.append(f"Info {key[1:]} is {_text(info, key)!r}, not {want!r}")
    if _text(info, "/Trapped") not in ("/True", "/False"):
        out.append(f"Info Trapped is {_text(info, '/Trapped') or 'missing'}; PDF/X needs /True or /False")
    if not _text(info, "/Title").strip():
        out.append("Info has no Title")
    for key in ("/CreationDate", "/ModDate"):
        try:
            xmp_date(_text(info, key))
        except ValueError:
            out.append(f"Info {key[1:]} is not a date")
    return out


def _pdfx_intent(pdf: pikepdf.Pdf) -> list[str]:
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if isinstance(i, pikepdf.Dictionary)
               and i.get("/S") == pikepdf.Name.GTS_PDFX]
    if len(intents) != 1:
        return [f"has {len(intents)} GTS_PDFX output intents; PDF/X needs exactly one"]
    intent = intents[0]
    out = []
    if not _text(intent, "/OutputConditionIdentifier"):
        out.append("the output intent has no OutputConditionIdentifier")
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        return [*out, "the output intent embeds no DestOutputProfile"]
    if profile.get("/N") != 4:
        out.append(f"the output profile has /N {profile.get('/N')}, not 4 (CMYK)")
    head = _head(profile, 40)
    if head[12:20] != b"prtrCMYK" or head[36:40] != b"acsp":
        out.append(f"the output profile is not a CMYK output (printer) ICC profile ({head[12:20]!r})")
    return out


def _head(stream: pikepdf.Stream, n: int) -> bytes:
    """The first ``n`` decoded bytes of a stream, without inflating a whole megabyte profile."""
    if stream.get("/Filter") in (pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode])):
        try:
            return zlib.decompressobj().decompress(stream.read_raw_bytes()[:4096], n)
        except zlib.error:
            return b""
    return stream.read_bytes()[:n]


def _pdfx_xmp(pdf: pikepdf.Pdf, info: pikepdf.Dictionary) -> list[str]:
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, pikepdf.Stream):
        return ["has no XMP metadata"]
    if meta.get("/Type") != pikepdf.Name.Metadata or meta.get("/Subtype") != pikepdf.Name.XML:
        return ["the metadata stream is not /Type /Metadata /Subtype /XML"]
    try:
        root = ElementTree.fromstring(meta.read_bytes())
    except ElementTree.ParseError as exc:
        return [f"the XMP packet is not XML: {exc}"]

    def one(path: str) -> str | None:
        el = root.find(path, XMP_NS)
        return el.text if el is not None else None

    d = ".//rdf:Description/"
    want = {
        "dc:title": (one(d + "dc:title/rdf:Alt/rdf:li"), _text(info, "/Title")),
        "dc:creator": (one(d + "dc:creator/rdf:Seq/rdf:li"), _text(info, "/Author")),
        "dc:description": (one(d + "dc:description/rdf:Alt/rdf:li"), _text(info, "/Subject")),
        "pdf:Keywords": (one(d + "pdf:Keywords"), _text(info, "/Keywords")),
        "pdf:Producer": (one(d + "pdf:Producer"), _text(info, "/Producer")),
        "xmp:CreatorTool": (one(d + "xmp:CreatorTool"), _text(info, "/Creator")),
        "pdf:Trapped": (one(d + "pdf:Trapped"), _text(info, "/Trapped").lstrip("/")),
        "pdfxid:GTS_PDFXVersion": (one(d + "pdfxid:GTS_PDFXVersion"), _text(info, "/GTS_PDFXVersion")),
        "pdfx:GTS_PDFXConformance": (one(d + "pdfx:GTS_PDFXConformance"), _text(info, "/GTS_PDFXConformance")),
    }
    for key, info_key in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate")):
        try:
            want[key] = (one(d + key), xmp_date(_text(info, info_key)))
        except ValueError:
            want[key] = (one(d + key), None)
    out = [f"XMP {k} is {got!r} but Info says {expect!r}" for k, (got, expect) in want.items() if got != expect]
    for key in ("xmpMM:DocumentID", "xmpMM:InstanceID"):
        if not (one(d + key) or "").startswith("uuid:"):
            out.append(f"XMP {key} is missing")
    return out


def _pdfx_forbidden(pdf: pikepdf.Pdf) -> list[str]:
    """What PDF/X-1a rules out, looked for in every object of the file."""
    found: set[str] = set()
    for obj in _dictionaries(pdf):
        kind = obj.get("/Type")
        if kind in (pikepdf.Name.ObjStm, pikepdf.Name.XRef):
            found.add("holds object or cross-reference streams (PDF 1.5)")
        if "/SMask" in obj and obj.SMask != pikepdf.Name("/None"):
            found.add("uses a soft mask (transparency)")
        if any(float(obj.get(k, 1)) != 1 for k in ("/CA", "/ca")):
            found.add("uses constant alpha below 1 (transparency)")
        if obj.get("/BM", pikepdf.Name.Normal) not in (pikepdf.Name.Normal, pikepdf.Name.Compatible):
            found.add("uses a blend mode (transparency)")
        if "/TR" in obj or "/TR2" in obj:
            found.add("uses a transfer function")
        group = obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and group.get("/S") == pikepdf.Name.Transparency:
            found.add("has a transparency group")
        if obj.get("/Subtype") == pikepdf.Name.Image:
            if obj.get("/SMaskInData"):
                found.add("has an image with a soft mask (transparency)")
            if obj.get("/Filter") == pikepdf.Name.JPXDecode:
                found.add("has a JPEG 2000 image")
            if int(obj.get("/BitsPerComponent", 8)) > 8:
                found.add("has a 16-bit image")
        for key in ("/Annots", "/AA", "/JS", "/JavaScript", "/Encrypt"):
            if key in obj:
                found.add(f"holds {key[1:]}")
        spaces = obj.get("/ColorSpace")
        values = spaces.values() if isinstance(spaces, pikepdf.Dictionary) else [spaces] if spaces is not None else []
        for cs in values:
            family = cs[0] if isinstance(cs, pikepdf.Array) and len(cs) else cs
            if isinstance(family, pikepdf.Name) and str(family) not in ALLOWED_SPACES:
                found.add(f"uses the colour space {family} (PDF/X-1a allows CMYK, grey and spots)")
        if kind == pikepdf.Name.Font and obj.get("/Subtype") not in (pikepdf.Name.Type0, pikepdf.Name.Type3):
            desc = obj.get("/FontDescriptor")
            if not isinstance(desc, pikepdf.Dictionary) or not any(k in desc for k in ("/FontFile", "/FontFile2",
                                                                                      "/FontFile3")):
                found.add(f"font {obj.get('/BaseFont')} is not embedded")
    return sorted(found)


def _dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary and stream dictionary reachable from the trailer, direct ones included
    (resources are often direct objects inside a page, which ``pdf.objects`` does not list)."""
    seen: set[tuple[int, int]] = set()
    todo: list = [pdf.trailer]
    while todo:
        obj = todo.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            todo.extend(obj)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj
            todo.extend(v for k, v in obj.items() if k != "/Parent")


# --- overprint ----------------------------------------------------------------------------------

FILL_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh"}


def check_overprint(data: bytes) -> list[str]:
    """Black overprints and nothing else does, read from each page's content stream.

    Every fill (shapes, text, images) is checked against the fill colour and the
    graphics state in force when it is painted: a K-only colour (c = m = y = 0,
    k > 0) must be painted with ``op`` on and ``OPM 1`` (so the colour under it
    stays); anything else with ``op`` off (white set to overprint would vanish; a
    multi-plate colour would mix with what is under it).
    """
    out: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            states = page.Resources.get("/ExtGState", pikepdf.Dictionary())
            st = {"op": False, "OPM": 0, "fill": (0.0, 0.0, 0.0, 1.0)}  # the initial state: black, knockout
            stack = []
            bad: Counter = Counter()
            for operands, op in pikepdf.parse_content_stream(page):
                o = str(op)
                if o == "q":
                    stack.append(dict(st))
                elif o == "Q" and stack:
                    st = stack.pop()
                elif o == "gs":
                    gs = states.get(operands[0], pikepdf.Dictionary())
                    if "/OP" in gs:
                        st["op"] = bool(gs.OP)  # OP sets op too, unless op is given
                    if "/op" in gs:
                        st["op"] = bool(gs.op)
                    if "/OPM" in gs:
                        st["OPM"] = int(gs.OPM)
                elif o == "k":
                    st["fill"] = tuple(float(v) for v in operands)
                elif o == "g":
                    st["fill"] = (0.0, 0.0, 0.0, 1 - float(operands[0]))
                elif o in ("rg", "sc", "scn", "cs"):
                    st["fill"] = None  # not DeviceCMYK: never overprinted
                elif o in FILL_PAINT:
                    c = st["fill"]
                    image = o in ("Do", "sh")
                    k_only = c is not None and not image and c[0] == c[1] == c[2] == 0 and c[3] > 0
                    if k_only and not (st["op"] and st["OPM"] == 1):
                        bad["K-only colour painted without overprint (op true, OPM 1)"] += 1
                    elif not k_only and st["op"]:
                        what = "an image" if image else f"colour {c}"
                        bad[f"{what} set to overprint (only K-only colours may)"] += 1
            out.extend(f"page {n}: {why} ({k} time{'s' if k != 1 else ''})" for why, k in sorted(bad.items()))
    return out
