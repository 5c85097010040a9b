"""Stage 5b: make a print-shop PDF a PDF/X-1a:2003 file (after write_pdf, before verify).

reportlab cannot write PDF/X, so its output is finished here with pikepdf:

* an **OutputIntent** (``/S /GTS_PDFX``) naming FOGRA39, the ISO 12647-2 coated
  offset condition most UK sheet-fed printers work to, with the characterisation
  profile embedded (``icc/ISOcoated_v2_bas.ICC``, basICColor, Zlib licence);
* the Info keys PDF/X-1a asks for: ``GTS_PDFXVersion``, ``GTS_PDFXConformance``,
  ``Trapped /False`` (nothing is trapped; the press's RIP may trap), a Title and
  the dates reportlab wrote;
* an **XMP packet** saying the same as the Info dictionary, written here
  (pikepdf's ``open_metadata`` would stamp its own producer and the current
  time, and builds must be byte-for-byte reproducible);
* saved as PDF 1.4 without object or cross-reference streams, with a trailer
  ``/ID`` computed from the file's own contents (``deterministic_id``).

Why X-1a and not X-4: every colour we print is DeviceCMYK (photos are converted,
no RGB is ever written), nothing is transparent, and every font is embedded:
exactly the X-1a model, which every print shop and every RIP accepts. X-4's
additions (live transparency, colour-managed RGB, layers) are things we never
use; X-1a also forbids them, so a file that claimed X-1a while carrying them
would fail ``verify.check_pdfx``.

The boxes are checked first (TrimBox inside BleedBox inside MediaBox on every
page): a file that breaks that is a bug in compose, and no PDF/X key is added
to a file that is not what it would claim.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import uuid
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .document import Document
from .errors import CsePrintError, VerifyError

PROFILE = Path(__file__).resolve().parent.parent / "icc" / "ISOcoated_v2_bas.ICC"
PDFX_VERSION = "PDF/X-1:2003"
PDFX_CONFORMANCE = "PDF/X-1a:2003"
PDF_VERSION = "1.4"  # the highest PDF/X-1a:2003 allows
OUTPUT_CONDITION_ID = "FOGRA39"  # registered at the ICC (www.color.org), so any RIP knows it by name
OUTPUT_CONDITION = "Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = " \
                   "coated art, 115 g/m2, tone value increase curves A (CMY) and B (K)"
REGISTRY = "http://www.color.org"
PROFILE_INFO = "ISO Coated v2 (basICColor)"
XMP_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",  # Acrobat's home for the Info dictionary's own keys
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",  # the PDF/X identification schema
}
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'(\d{2})'?|Z)?")


@functools.lru_cache(maxsize=1)
def profile() -> tuple[bytes, bytes]:
    """The profile and its Flate-compressed bytes, compressed once per process (not once per file)."""
    try:
        data = PROFILE.read_bytes()
    except OSError as exc:
        raise CsePrintError(f"cannot read the colour profile {PROFILE} ({exc.strerror}); print-shop files need it. "
                            "Restore the project's icc/ folder, or build with --finish office") from None
    if data[12:20] != b"prtrCMYK":
        raise CsePrintError(f"{PROFILE} is not a CMYK output (printer) profile; restore the project's icc/ folder")
    return data, zlib.compress(data, 9)


def xmp_date(pdf_date: str) -> str:
    """``D:20000101000000+00'00'`` (Info) as ``2000-01-01T00:00:00+00:00`` (XMP)."""
    m = PDF_DATE.fullmatch(pdf_date)
    if not m:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    y, mo, d, h, mi, s, sign, tzh, tzm = m.groups()
    tz = f"{sign}{tzh}:{tzm}" if sign else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{tz}"


def _uuid(*parts: bytes) -> str:
    """A UUID (version 4 layout) from a hash of ``parts``: the same inputs give the same id."""
    return "uuid:" + str(uuid.UUID(bytes=hashlib.sha256(b"\0".join(parts)).digest()[:16], version=4))


def xmp_packet(info: dict[str, str], locale: str, document_id: str, instance_id: str) -> bytes:
    """The XMP packet for ``info`` (the Info dictionary's values as text), written by hand
    so that it holds exactly what Info says and nothing that changes from run to run."""
    e = escape
    created, modified = xmp_date(info["CreationDate"]), xmp_date(info["ModDate"])
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in XMP_NS.items() if k not in ("x", "rdf"))
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="{XMP_NS['x']}">
 <rdf:RDF xmlns:rdf="{XMP_NS['rdf']}">
  <rdf:Description rdf:about="" {ns}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(info['Title'])}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(info['Author'])}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(info['Subject'])}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(locale)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(info['Keywords'])}</pdf:Keywords>
   <pdf:Producer>{e(info['Producer'])}</pdf:Producer>
   <pdf:Trapped>{e(info['Trapped'])}</pdf:Trapped>
   <xmp:CreatorTool>{e(info['Creator'])}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{e(info['GTS_PDFXVersion'])}</pdfxid:GTS_PDFXVersion>
   <pdfx:GTS_PDFXVersion>{e(info['GTS_PDFXVersion'])}</pdfx:GTS_PDFXVersion>
   <pdfx:GTS_PDFXConformance>{e(info['GTS_PDFXConformance'])}</pdfx:GTS_PDFXConformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return body.encode("utf-8")


def box_problems(pdf: pikepdf.Pdf) -> list[str]:
    """TrimBox inside BleedBox inside MediaBox, on every page (PDF/X requires the TrimBox)."""
    out = []
    for i, page in enumerate(pdf.pages, 1):
        obj = page.obj
        missing = [k for k in ("/TrimBox", "/BleedBox") if k not in obj]
        if missing:
            out.append(f"page {i}: no {' or '.join(m[1:] for m in missing)}")
            continue
        media, bleed, trim = (_rect(obj[k]) for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
        if not _inside(trim, bleed):
            out.append(f"page {i}: the TrimBox {trim} is not inside the BleedBox {bleed}")
        if not _inside(bleed, media):
            out.append(f"page {i}: the BleedBox {bleed} is not inside the MediaBox {media}")
    return out


def _rect(a) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in a)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(a: tuple[float, ...], b: tuple[float, ...], tol: float = 0.01) -> bool:
    return a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol and a[3] <= b[3] + tol


def make_pdfx(data: bytes, doc: Document) -> bytes:
    """Return ``data`` (a CMYK print-shop PDF from write_pdf) as a PDF/X-1a:2003 file."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        bad = box_problems(pdf)
        if bad:
            raise VerifyError([f"{doc.layout} ({doc.variant}, {doc.finish}, {doc.locale}): {b}; not made PDF/X"
                               for b in bad])
        info = pdf.docinfo
        if not str(info.get("/Title", "")).strip():
            info.Title = String(doc.title or doc.layout)  # PDF/X requires a title
        info.GTS_PDFXVersion = String(PDFX_VERSION)
        info.GTS_PDFXConformance = String(PDFX_CONFORMANCE)
        info.Trapped = Name("/False")  # not Name.False_, which is /False_
        icc, packed = profile()
        dest = pikepdf.Stream(pdf, b"")
        dest.write(packed, filter=Name.FlateDecode)
        dest.N = 4
        pdf.Root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(OUTPUT_CONDITION_ID),
            OutputCondition=String(OUTPUT_CONDITION), RegistryName=String(REGISTRY), Info=String(PROFILE_INFO),
            DestOutputProfile=pdf.make_indirect(dest))])
        text = {k: str(info[f"/{k}"]) for k in ("Title", "Author", "Subject", "Keywords", "Creator", "Producer",
                                               "CreationDate", "ModDate", "GTS_PDFXVersion", "GTS_PDFXConformance")}
        text["Trapped"] = str(info.Trapped)[1:]
        product = "/".join((doc.school or "", doc.locale, doc.layout, doc.variant, doc.finish)).encode("utf-8")
        meta = pikepdf.Stream(pdf, xmp_packet(text, doc.locale, _uuid(b"document", product),
                                               _uuid(b"instance", hashlib.sha256(data).digest())))
        meta.Type, meta.Subtype = Name.Metadata, Name.XML
        pdf.Root.Metadata = pdf.make_indirect(meta)
        out = io.BytesIO()
        pdf.save(out, force_version=PDF_VERSION, deterministic_id=True, compress_streams=True,
                 recompress_flate=False, object_stream_mode=pikepdf.ObjectStreamMode.disable, linearize=False)
        return out.getvalue()
