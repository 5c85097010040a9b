"""verify: each check reads a written PDF back, and each is shown to fail when the file is wrong.

A poster and the wallet card are built once (office and print-shop); the tests then hand
``verify`` a composed document that disagrees with its file (a wrong final digit, a missing
page, a QR code moved or given another address), or a file changed with pikepdf (a font not
embedded, RGB, overprint set wrongly, what PDF/X-1a forbids), and check that the problem says
what is wrong and where (page, box, font, operator).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import re
import zlib

import pikepdf
import pytest

from cseprint.build import Options, build_files
from cseprint.document import Rect
from cseprint.verify import (
    check_fonts_embedded,
    check_no_rgb,
    check_overprint,
    check_pdfx,
    check_subset_names,
    streams,
    verify,
)

from .conftest import FONTS, TODAY, Workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """{'<layout> <finish>': Output} for the A4 poster and the wallet card, both finishes."""
    snap = Workspace(tmp_path_factory.mktemp("verify") / "ws")
    opts = Options(content=snap.content, layouts=snap.layouts, fonts=FONTS, today=dt.date.fromisoformat(TODAY),
                   names=["poster-a4", "wallet-card"])
    return {f"{o.doc.layout}{'-sheet' if o.doc.variant == 'sheet' else ''} {o.doc.finish}": o
            for o in build_files(opts).outputs}


def with_line(doc, page_no: int, index: int, text: str):
    """A copy of ``doc`` whose line ``index`` on page ``page_no`` ends its last run with ``text``."""
    doc = dataclasses.replace(doc, pages=list(doc.pages))
    page = doc.pages[page_no]
    lines = list(page.lines)
    ln = lines[index]
    last = dataclasses.replace(ln.runs[-1], text=text)
    lines[index] = dataclasses.replace(ln, runs=(*ln.runs[:-1], last))
    doc.pages[page_no] = dataclasses.replace(page, lines=lines)
    return doc


def test_a_file_that_says_what_was_composed_passes(built):
    for name, o in built.items():
        assert verify(o.doc, o.data) == [], name


# --- the text: every composed line is in the file -------------------------------------------------

def phone_line(doc) -> tuple[int, object]:
    for i, ln in enumerate(doc.pages[0].lines):
        if re.search(r"\d{3} \d{4}$", ln.runs[-1].text):
            return i, ln
    raise AssertionError("no line ends in a phone number")


@pytest.mark.parametrize("finish", ["office", "print-shop"])
def test_a_wrong_final_digit_of_a_number_is_found(built, finish: str):
    """The composed line says ...5001 where the file prints ...5000 (or the other way about)."""
    o = built[f"poster-a4 {finish}"]
    i, ln = phone_line(o.doc)
    number = ln.runs[-1].text
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    problems = verify(with_line(o.doc, 0, i, wrong), o.data)
    assert problems == [f"poster-a4 (single, {finish}, en-GB): page 1: text '{wrong}' (box {ln.box}) not found in "
                        "the PDF's text"]


def test_a_missing_last_character_is_found(built):
    o = built["poster-a4 office"]
    i, ln = phone_line(o.doc)
    longer = ln.runs[-1].text + "9"
    assert verify(with_line(o.doc, 0, i, longer), o.data) == [
        f"poster-a4 (single, office, en-GB): page 1: text '{longer}' (box {ln.box}) not found in the PDF's text"]


def test_only_a_hyphen_that_ends_a_line_may_be_missing(built):
    """pdfium reads a hyphen that ends a line as a hyphenation and drops it: the check allows that for
    the line's last run, and for nothing else (a hyphen inside a line must be in the file)."""
    o = built["poster-a4 office"]
    i, ln = phone_line(o.doc)
    assert verify(with_line(o.doc, 0, i, ln.runs[-1].text + "-"), o.data) == []
    number = ln.runs[-1].text
    hyphen_inside = number[:4] + "-" + number[4:]
    assert verify(with_line(o.doc, 0, i, hyphen_inside), o.data) != []
    two = [j for j, line in enumerate(o.doc.pages[0].lines) if len(line.runs) > 1]
    assert two, "a line of several runs (a bold label and its text)"
    j = two[0]
    doc = dataclasses.replace(o.doc, pages=list(o.doc.pages))
    pg = doc.pages[0]
    lines = list(pg.lines)
    first = lines[j].runs[0]
    lines[j] = dataclasses.replace(lines[j], runs=(dataclasses.replace(first, text=first.text.rstrip() + "-"),
                                                  *lines[j].runs[1:]))
    doc.pages[0] = dataclasses.replace(pg, lines=lines)
    assert any(f"(box {lines[j].box}) not found" in p for p in verify(doc, o.data))


def test_white_space_is_compared_as_single_spaces(built):
    o = built["poster-a4 office"]
    i, ln = phone_line(o.doc)
    spaced = "  " + ln.runs[-1].text.replace(" ", "\u00a0 ")
    assert verify(with_line(o.doc, 0, i, spaced), o.data) == []


def test_the_text_of_an_imposed_sheet_is_not_compared_line_by_line(built):
    """A sheet repeats the single card, whose text was compared already."""
    o = built["wallet-card-sheet office"]
    assert o.doc.variant == "sheet"
    i = 0
    doc = with_line(o.doc, 0, i, "words that are not on the sheet")
    assert verify(doc, o.data) == []


# --- pages and QR codes ------------------------------------------------------------------------------

def test_a_file_with_a_page_too_few_or_too_many(built):
    o = built["wallet-card office"]
    more = dataclasses.replace(o.doc, pages=[*o.doc.pages, o.doc.pages[-1]])
    assert verify(more, o.data) == ["wallet-card (single, office, en-GB): has 2 pages, expected 3"]
    fewer = dataclasses.replace(o.doc, pages=o.doc.pages[:1])
    assert verify(fewer, o.data) == ["wallet-card (single, office, en-GB): has 2 pages, expected 1"]


def qr_doc(doc, change):
    doc = dataclasses.replace(doc, pages=list(doc.pages))
    for n, page in enumerate(doc.pages):
        if page.qrcodes:
            doc.pages[n] = dataclasses.replace(page, qrcodes=[change(page.qrcodes[0]), *page.qrcodes[1:]])
            return doc, n, page.qrcodes[0]
    raise AssertionError("no QR code")


@pytest.mark.parametrize("finish", ["office", "print-shop"])
def test_a_qr_code_that_gives_another_address(built, finish: str):
    o = built[f"poster-a4 {finish}"]
    doc, n, q = qr_doc(o.doc, lambda q: dataclasses.replace(q, payload=q.payload + "x"))
    assert verify(doc, o.data) == [
        f"poster-a4 (single, {finish}, en-GB): page {n + 1}: the QR code in box {q.box} decoded as ['{q.payload}'], "
        f"expected exactly ['{q.payload}x']"]


def test_a_qr_code_must_decode_where_it_was_placed(built):
    o = built["poster-a4 office"]
    page = o.doc.pages[0]
    away = Rect(page.safe.x, page.safe.y, 40, 40)  # a corner of the page with no code in it
    assert not any(q.quiet_rect.overlaps(away) for q in page.qrcodes)
    doc, n, q = qr_doc(o.doc, lambda q: dataclasses.replace(q, rect=Rect(away.x + 16, away.y + 16, q.rect.w,
                                                                          q.rect.h)))
    assert verify(doc, o.data) == [f"poster-a4 (single, office, en-GB): page {n + 1}: the QR code in box {q.box} "
                                   f"decoded as [], expected exactly ['{q.payload}']"]


# --- fonts -------------------------------------------------------------------------------------------------

def reportlab_pdf(draw) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pageCompression=0, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_standard_font_that_is_not_embedded_is_found():
    data = reportlab_pdf(lambda c: (c.setFont("Helvetica", 12), c.drawString(72, 72, "Call 0808 800 5000")))
    assert check_fonts_embedded(data) == ["references a font that is not an embedded TrueType font",
                                          "has no embedded fonts at all"]


def test_a_page_without_any_font_is_found():
    assert check_fonts_embedded(page_pdf(b"0 0 0 1 k 10 10 50 50 re f")) == ["has no embedded fonts at all"]


def drop_font_files(data: bytes, keep: int) -> bytes:
    """``data`` with the embedded font program removed from all but ``keep`` font descriptors."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        descriptors = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                       and o.get("/Type") == pikepdf.Name.FontDescriptor]
        assert len(descriptors) >= keep
        for d in descriptors[keep:]:
            del d["/FontFile2"]
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
        return out.getvalue()


def test_a_truetype_font_whose_program_is_not_embedded_is_found(built):
    data = built["poster-a4 office"].data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        n = sum(1 for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                and o.get("/Type") == pikepdf.Name.FontDescriptor)
    assert n >= 2 and check_fonts_embedded(drop_font_files(data, n)) == []
    assert check_fonts_embedded(drop_font_files(data, n - 1)) == ["1 font(s) not embedded"]
    assert check_fonts_embedded(drop_font_files(data, 0)) == [f"{n} font(s) not embedded"]


@pytest.mark.parametrize("kind", ["Type1", "MMType1", "Type3"])
def test_each_kind_of_font_that_is_not_an_embedded_truetype_font(built, kind: str):
    data = built["poster-a4 office"].data
    changed = data.replace(b"/Subtype /TrueType", f"/Subtype /{kind}    ".encode()[:len(b"/Subtype /TrueType")], 1)
    assert changed != data
    assert "references a font that is not an embedded TrueType font" in check_fonts_embedded(changed)


def test_subset_names_need_their_tag_and_must_differ():
    ok = b"/BaseFont /ABCDEF+Atkinson /BaseFont /GHIJKL+Atkinson"
    assert check_subset_names(ok) == []
    assert check_subset_names(b"/BaseFont /Atkinson /BaseFont /ABCDEF+Noto") == [
        "font Atkinson has no subset tag (six capitals and '+')"]
    assert check_subset_names(b"/BaseFont /ABCDE+Atkinson") == ["font ABCDE+Atkinson has no subset tag (six capitals "
                                                                "and '+')"]
    assert check_subset_names(b"/BaseFont /ABCDEF+Atkinson /BaseFont /ABCDEF+Atkinson") == [
        "two font subsets are both named ABCDEF+Atkinson"]


def test_the_built_files_have_tagged_unique_subsets(built):
    for name, o in built.items():
        assert check_subset_names(o.data) == [], name
        assert len(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+", o.data)) >= 2, name


# --- RGB in a CMYK file ------------------------------------------------------------------------------------

def page_pdf(content: bytes, resources: dict | None = None, compress: bool = False) -> bytes:
    """A one-page PDF whose page content is ``content`` (written by pikepdf, as verify reads it)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    if resources:
        page.obj.Resources = pikepdf.Dictionary(resources)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=compress,
             deterministic_id=True)
    return out.getvalue()


@pytest.mark.parametrize("op", [b"rg", b"RG"])
@pytest.mark.parametrize("compress", [False, True])
def test_an_rgb_colour_operator_is_found(op: bytes, compress: bool):
    assert check_no_rgb(page_pdf(b"0 0 1 " + op + b" 10 10 50 50 re f", compress=compress)) == [
        "sets an RGB colour (rg/RG) in a CMYK file"]
    assert check_no_rgb(page_pdf(b"0 0 0 1 k 10 10 50 50 re f /" + op + b"x gs", compress=compress)) == []


def test_an_rgb_image_space_is_found():
    data = page_pdf(b"q /CS0 cs Q", {"/ColorSpace": pikepdf.Dictionary(CS0=pikepdf.Name.DeviceRGB)})
    assert check_no_rgb(data) == ["holds RGB (DeviceRGB) in a CMYK file"]


def icc_stream_pdf(colour_space: bytes) -> bytes:
    header = bytearray(128)
    header[16:20] = colour_space
    header[36:40] = b"acsp"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    prof = pdf.make_stream(bytes(header) * 4)
    prof.N = 3 if colour_space == b"RGB " else 4
    pdf.Root.Profile = prof
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=True)
    return out.getvalue()


def test_an_rgb_colour_profile_is_found_and_a_cmyk_one_is_not():
    assert check_no_rgb(icc_stream_pdf(b"RGB ")) == ["holds an RGB ICC profile in a CMYK file"]
    assert check_no_rgb(icc_stream_pdf(b"CMYK")) == []


def test_the_built_cmyk_files_hold_no_rgb(built):
    for name, o in built.items():
        assert check_no_rgb(o.data) == [], name


def test_streams_reads_flate_ascii85_and_plain_bodies():
    body = b"0 0 0 1 k 10 10 50 50 re f"
    flate = zlib.compress(body)
    a85 = base64.a85encode(flate, adobe=True)
    raw = (b"1 0 obj\n<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream\nendobj\n"
           + b"2 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(flate) + flate + b"\nendstream\nendobj\n"
           + b"3 0 obj\n<< /Length %d /Filter [/ASCII85Decode /FlateDecode] >>\nstream\n" % len(a85) + a85
           + b"\nendstream\nendobj\n"
           + b"4 0 obj\n<< /Length %d /Filter /ASCII85Decode >>\nstream\n" % len(base64.a85encode(b"abc", adobe=True))
           + base64.a85encode(b"abc", adobe=True) + b"\nendstream\nendobj\n")
    got = [body_ for _, body_ in streams(raw)]
    assert got == [body, body, body, b"abc"]
    assert [b for _, b in streams(raw, lambda head: 0)] == [b"", b"", b"", b""]
    assert [b for _, b in streams(raw, lambda head: 4)][1] == body[:4]  # a cap inflates only so much
    heads = [head for head, _ in streams(raw)]
    assert b"/Length %d" % len(body) in heads[0] and b"/ASCII85Decode" in heads[2]  # each stream's own dictionary


def test_streams_skips_a_stream_without_a_length_and_keeps_a_damaged_one():
    raw = (b"1 0 obj\n<< /Filter /FlateDecode >>\nstream\nxx\nendstream\nendobj\n"
           b"2 0 obj\n<< /Length 4 /Filter /FlateDecode >>\nstream\nnope\nendstream\nendobj\n"
           b"3 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n")
    assert [b for _, b in streams(raw)] == [b"nope", b"abc"]  # not inflatable: kept as it is


# --- overprint -----------------------------------------------------------------------------------------------

OVERPRINT = {"/GSop": pikepdf.Dictionary(OP=True, op=True, OPM=1), "/GSko": pikepdf.Dictionary(OP=False, op=False),
             "/GSopm0": pikepdf.Dictionary(op=True, OPM=0), "/GSOPonly": pikepdf.Dictionary(OP=True, OPM=1)}


def overprint_problems(content: bytes) -> list[str]:
    return check_overprint(page_pdf(content, {"/ExtGState": pikepdf.Dictionary(OVERPRINT)}))


PAINT = [b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"]


@pytest.mark.parametrize("op", PAINT)
def test_black_painted_by_each_fill_operator_must_overprint(op: bytes):
    shape = b"10 10 50 50 re " + op
    assert overprint_problems(b"0 0 0 1 k " + shape) == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]
    assert overprint_problems(b"/GSop gs 0 0 0 1 k " + shape) == []
    assert overprint_problems(b"/GSop gs 0 0.5 0 1 k " + shape) == [
        "page 1: colour (0.0, 0.5, 0.0, 1.0) set to overprint (only K-only colours may) (1 time)"]


@pytest.mark.parametrize("show", [b"(Call) Tj", b"[(Call)] TJ", b"(Call) '", b"1 1 (Call) \""])
def test_black_text_by_each_text_operator_must_overprint(show: bytes):
    text = b"BT /F1 12 Tf 20 20 Td " + show + b" ET"
    assert overprint_problems(b"0 0 0 1 k " + text) == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]
    assert overprint_problems(b"/GSop gs 0 0 0 1 k " + text) == []


def test_an_image_or_shading_must_not_overprint():
    assert overprint_problems(b"/GSop gs /Im0 Do") == ["page 1: an image set to overprint (only K-only colours may) "
                                                       "(1 time)"]
    assert overprint_problems(b"/GSop gs /Sh0 sh") == ["page 1: an image set to overprint (only K-only colours may) "
                                                       "(1 time)"]
    assert overprint_problems(b"/GSko gs 0 0 0 1 k /Im0 Do") == []  # black fill colour: still an image


def test_the_initial_state_is_black_knocking_out_and_counts_are_kept():
    assert overprint_problems(b"10 10 5 5 re f 20 20 5 5 re f") == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (2 times)"]


def test_overprint_mode_0_is_not_enough_and_OP_alone_sets_op():
    assert overprint_problems(b"/GSopm0 gs 0 0 0 1 k 10 10 5 5 re f") == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]
    assert overprint_problems(b"/GSOPonly gs 0 0 0 1 k 10 10 5 5 re f") == []


def test_grey_and_non_cmyk_colours():
    assert overprint_problems(b"/GSop gs 0.2 g 10 10 5 5 re f") == []  # grey is K-only: 80% black
    assert overprint_problems(b"/GSop gs 1 g 10 10 5 5 re f") == [
        "page 1: colour (0.0, 0.0, 0.0, 0.0) set to overprint (only K-only colours may) (1 time)"]  # white
    assert overprint_problems(b"0.2 g 10 10 5 5 re f") == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]
    for op in (b"0 0 1 rg", b"/CS0 cs", b"0.5 sc", b"0.5 scn"):
        assert overprint_problems(b"/GSop gs " + op + b" 10 10 5 5 re f") == [
            "page 1: colour None set to overprint (only K-only colours may) (1 time)"], op
        assert overprint_problems(op + b" 10 10 5 5 re f") == [], op


def test_q_and_Q_save_and_restore_the_state():
    assert overprint_problems(b"q /GSop gs 0 0 0 1 k Q 10 10 5 5 re f") == [
        "page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]
    assert overprint_problems(b"/GSop gs 0 0 0 1 k q /GSko gs Q 10 10 5 5 re f") == []
    assert overprint_problems(b"Q /GSop gs 0 0 0 1 k 10 10 5 5 re f") == []  # an unmatched Q changes nothing
    assert overprint_problems(b"q /GSop gs 0 0 0 1 k 10 10 5 5 re f Q") == []  # what is set inside q holds there


def test_stroking_is_not_a_fill():
    assert overprint_problems(b"0 0 0 1 k 10 10 m 50 50 l S") == []


def test_each_page_is_reported_with_its_number(built):
    o = built["poster-a4 print-shop"]
    assert check_overprint(o.data) == []
    office = built["wallet-card office"]
    problems = check_overprint(office.data)
    assert [p.split(":")[0] for p in problems] == ["page 1", "page 2"]


# --- PDF/X-1a: what it forbids, each found in a file that is otherwise right ---------------------------------

def saved(data: bytes, change=None, **save) -> bytes:
    """``data`` read with pikepdf, changed by ``change`` (if given) and written back as PDF 1.4
    without object streams (``save`` passes pikepdf's other options)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if change:
            change(pdf)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, min_version="1.4", **save)
        return out.getvalue()


def broken(data: bytes, change) -> bytes:
    return saved(data, change)


def _resource(key: str, value):
    def change(pdf: pikepdf.Pdf) -> None:
        res = pdf.pages[0].obj.Resources
        extra = res.get("/ExtGState") or pikepdf.Dictionary()
        extra["/GSx"] = pikepdf.Dictionary({key: value})
        res.ExtGState = extra
    return change


def _image(**keys):
    def change(pdf: pikepdf.Pdf) -> None:
        im = pdf.make_stream(b"\0" * 4, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=2, Height=2,
                             ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        for k, v in keys.items():
            im[f"/{k}"] = v
        pdf.pages[0].obj.Resources.XObject = pikepdf.Dictionary(Im9=im)
    return change


def _font_without_program(pdf: pikepdf.Pdf) -> None:
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
                                                BaseFont=pikepdf.Name("/ABCDEF+Plain"),
                                                FontDescriptor=pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor)))
    pdf.pages[0].obj.Resources.Font["/F9"] = font


FORBIDDEN = {
    "soft mask": (_resource("/SMask", pikepdf.Dictionary(S=pikepdf.Name.Luminosity)), "uses a soft mask (transparency)"),
    "fill alpha": (_resource("/ca", 0.5), "uses constant alpha below 1 (transparency)"),
    "stroke alpha": (_resource("/CA", 0.99), "uses constant alpha below 1 (transparency)"),
    "blend mode": (_resource("/BM", pikepdf.Name.Multiply), "uses a blend mode (transparency)"),
    "transfer": (_resource("/TR", pikepdf.Name.Identity), "uses a transfer function"),
    "transfer 2": (_resource("/TR2", pikepdf.Name.Default), "uses a transfer function"),
    "group": (lambda pdf: pdf.pages[0].obj.__setattr__("Group", pikepdf.Dictionary(S=pikepdf.Name.Transparency)),
              "has a transparency group"),
    "image smask": (_image(SMaskInData=1), "has an image with a soft mask (transparency)"),
    "jpeg 2000": (_image(Filter=pikepdf.Name.JPXDecode), "has a JPEG 2000 image"),
    "16 bit": (_image(BitsPerComponent=16), "has a 16-bit image"),
    "annotations": (lambda pdf: pdf.pages[0].obj.__setattr__("Annots", pikepdf.Array()), "holds Annots"),
    "actions": (lambda pdf: pdf.Root.__setattr__("AA", pikepdf.Dictionary()), "holds AA"),
    "javascript": (lambda pdf: pdf.Root.__setattr__("JS", pikepdf.String("x")), "holds JS"),
    "javascript names": (lambda pdf: pdf.Root.__setattr__("Names", pikepdf.Dictionary(JavaScript=pikepdf.Array())),
                         "holds JavaScript"),
    "encrypt key": (lambda pdf: pdf.Root.__setattr__("Encrypt", pikepdf.Dictionary()), "holds Encrypt"),
    "lab space": (_resource("/ColorSpace", pikepdf.Name.Lab), "uses the colour space /Lab (PDF/X-1a allows CMYK, grey and spots)"),
    "icc space": (lambda pdf: pdf.pages[0].obj.Resources.__setattr__(
        "ColorSpace", pikepdf.Dictionary(CS9=pikepdf.Array([pikepdf.Name.ICCBased, pikepdf.Dictionary()]))),
        "uses the colour space /ICCBased (PDF/X-1a allows CMYK, grey and spots)"),
    "font": (_font_without_program, "font /ABCDEF+Plain is not embedded"),
}


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_pdf_x_names_what_it_forbids(built, name: str):
    change, message = FORBIDDEN[name]
    good = built["poster-a4 print-shop"].data
    assert check_pdfx(good) == []
    assert check_pdfx(broken(good, change)) == [message]


@pytest.mark.parametrize("space", ["/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern", "/Indexed"])
def test_pdf_x_allows_cmyk_grey_and_spot_colour_spaces(built, space: str):
    good = built["poster-a4 print-shop"].data
    change = _resource("/ColorSpace", pikepdf.Array([pikepdf.Name(space)]))
    assert check_pdfx(broken(good, change)) == []


def test_pdf_x_allows_opaque_normal_painting(built):
    good = built["poster-a4 print-shop"].data
    for key, value in (("/CA", 1), ("/ca", 1.0), ("/BM", pikepdf.Name.Normal), ("/BM", pikepdf.Name.Compatible),
                       ("/SMask", pikepdf.Name("/None"))):
        assert check_pdfx(broken(good, _resource(key, value))) == [], key
    assert check_pdfx(broken(good, _image(BitsPerComponent=8))) == []
    assert check_pdfx(broken(good, lambda pdf: pdf.pages[0].obj.__setattr__(
        "Group", pikepdf.Dictionary(S=pikepdf.Name("/Other"))))) == []


def test_an_office_file_is_not_pdf_x_and_says_why(built):
    problems = check_pdfx(built["poster-a4 office"].data)
    assert "has 0 GTS_PDFX output intents; PDF/X needs exactly one" in problems
    assert "Info GTS_PDFXVersion is '', not 'PDF/X-1:2003'" in problems
    assert "has no XMP metadata" in problems


def test_a_file_that_is_not_a_pdf_or_cannot_be_read():
    assert check_pdfx(b"hello") == ["does not start with a PDF header"]
    got = check_pdfx(b"%PDF-1.4\nrubbish")
    assert len(got) == 1 and got[0].startswith("cannot be read back: ")
    assert check_pdfx(b"%PDF-1.7\nrubbish")[0] == "is PDF 1.7; PDF/X-1a:2003 allows at most 1.4"


@pytest.mark.parametrize("trapped, problem", [
    (pikepdf.Name("/True"), None),
    (pikepdf.Name("/False"), None),
    (pikepdf.Name.Unknown, "Info Trapped is /Unknown; PDF/X needs /True or /False"),
    (None, "Info Trapped is missing; PDF/X needs /True or /False"),
])
def test_pdf_x_needs_trapped_true_or_false(built, trapped, problem):
    def change(pdf: pikepdf.Pdf) -> None:
        if trapped is None:
            del pdf.docinfo["/Trapped"]
        else:
            pdf.docinfo["/Trapped"] = trapped
    got = check_pdfx(broken(built["poster-a4 print-shop"].data, change))
    got = [p for p in got if not p.startswith("XMP pdf:Trapped")]  # the XMP then disagrees, as it should
    assert got == ([problem] if problem else [])


@pytest.mark.parametrize("key", ["/CreationDate", "/ModDate"])
def test_pdf_x_needs_dates_that_are_dates(built, key: str):
    got = check_pdfx(broken(built["poster-a4 print-shop"].data,
                            lambda pdf: pdf.docinfo.__setitem__(key, pikepdf.String("yesterday"))))
    assert f"Info {key[1:]} is not a date" in got


def test_pdf_x_needs_a_title_that_is_not_blank(built):
    got = check_pdfx(broken(built["poster-a4 print-shop"].data,
                            lambda pdf: pdf.docinfo.__setitem__("/Title", pikepdf.String("   "))))
    assert "Info has no Title" in got


# --- verify() runs every check on the file it is given ---------------------------------------------------
# Each check above is tested on its own; these make sure verify() itself calls each one, for the finishes
# it applies to, and prefixes what it finds with the file's name.

def _rgb_fill(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"q 0 0 1 rg 1 1 2 2 re f Q"), prepend=False)


def _overprint_off(pdf: pikepdf.Pdf) -> None:
    for gs in (pdf.pages[0].obj.Resources.get("/ExtGState") or {}).values():
        for key in ("/OP", "/op"):
            if key in gs:
                gs[key] = False


def _untag_subsets(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[0].obj.Resources.Font.values():
        base = str(font.BaseFont)
        font.BaseFont = pikepdf.Name("/" + base.split("+", 1)[-1])
        break


FILE_CHECKS = {  # what breaks the file -> a phrase of the problem, and the finishes checked for it
    "fonts": (lambda pdf: None, "font(s) not embedded", ("office", "print-shop")),
    "subset names": (_untag_subsets, "has no subset tag", ("office", "print-shop")),
    "rgb": (_rgb_fill, "sets an RGB colour (rg/RG) in a CMYK file", ("office", "print-shop")),
    "pdf/x": (lambda pdf: pdf.Root.__setattr__("AA", pikepdf.Dictionary()), "holds AA", ("print-shop",)),
    "overprint": (_overprint_off, "overprint", ("print-shop",)),
}


@pytest.mark.parametrize("check", sorted(FILE_CHECKS))
@pytest.mark.parametrize("finish", ["office", "print-shop"])
def test_verify_runs_each_file_check_for_the_finishes_it_applies_to(built, check: str, finish: str):
    change, phrase, applies = FILE_CHECKS[check]
    o = built[f"poster-a4 {finish}"]
    if check == "fonts":
        with pikepdf.open(io.BytesIO(o.data)) as pdf:
            n = sum(1 for x in pdf.objects if isinstance(x, pikepdf.Dictionary)
                    and x.get("/Type") == pikepdf.Name.FontDescriptor)
        data = drop_font_files(o.data, n - 1)
    else:
        data = broken(o.data, change)
    name = f"poster-a4 (single, {finish}, en-GB): "
    found = [p for p in verify(o.doc, data) if phrase in p]
    if finish in applies:
        assert found and all(p.startswith(name) for p in found), verify(o.doc, data)
    else:
        assert found == []


def test_a_file_for_screens_may_hold_rgb_and_is_not_held_to_pdf_x(built):
    """--rgb files are for screens: RGB is what they are meant to hold, and they are not PDF/X."""
    o = built["poster-a4 print-shop"]
    data = broken(broken(o.data, _rgb_fill), lambda pdf: pdf.Root.__setattr__("AA", pikepdf.Dictionary()))
    assert verify(o.doc, data, rgb=True) == []
    assert any("RGB" in p for p in verify(o.doc, data)) and any("holds AA" in p for p in verify(o.doc, data))


def test_a_line_whose_last_run_ends_in_a_hyphen_is_still_compared_without_it(built):
    """The hyphen a line ends with is dropped before comparing, and only the hyphen: the words before
    it must still be in the file."""
    o = built["poster-a4 office"]
    i, ln = phone_line(o.doc)
    number = ln.runs[-1].text
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2") + "-"
    problems = verify(with_line(o.doc, 0, i, wrong), o.data)
    assert problems == [f"poster-a4 (single, office, en-GB): page 1: text '{wrong[:-1]}' (box {ln.box}) not found "
                        "in the PDF's text"]


# --- PDF/X: the trailer, the output intent and the page boxes, read back by check_pdfx ---------------------

def test_pdf_x_refuses_an_encrypted_file(built):
    good = built["poster-a4 print-shop"].data
    locked = saved(good, encryption=pikepdf.Encryption(owner="owner", user="", R=4, aes=True))
    assert "is encrypted" in check_pdfx(locked)
    assert "is encrypted" not in check_pdfx(good)


@pytest.mark.parametrize("ids, refused", [(None, True), (1, True), (2, False)])
def test_pdf_x_needs_a_trailer_id_of_two_strings(built, ids: int | None, refused: bool):
    data = saved(built["poster-a4 print-shop"].data, compress_streams=False)
    m = re.search(rb"/ID \[ *<([0-9a-f]+)> *<([0-9a-f]+)> *\]", data)
    assert m, "pikepdf writes the trailer /ID as two hex strings"
    new = {None: b"", 1: b"/ID [<" + m.group(1) + b">]", 2: m.group(0)}[ids]
    data = data[:m.start()] + new.ljust(len(m.group(0))) + data[m.end():]
    assert ("has no trailer /ID" in check_pdfx(data)) is refused


def _intents(*kinds: str, identifier: str | None = "FOGRA39", profile="keep"):
    """Replace the output intents with one of each kind given (keeping the real profile unless told)."""
    def change(pdf: pikepdf.Pdf) -> None:
        real = pdf.Root.OutputIntents[0].DestOutputProfile
        made = []
        for kind in kinds:
            d = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name("/" + kind))
            if identifier is not None:
                d.OutputConditionIdentifier = pikepdf.String(identifier)
            if profile == "keep":
                d.DestOutputProfile = real
            elif profile is not None:
                d.DestOutputProfile = profile(pdf, real)
            made.append(d)
        pdf.Root.OutputIntents = pikepdf.Array(made)
    return change


def _profile_with(n: int | None = None, header: dict[int, bytes] | None = None):
    def make(pdf: pikepdf.Pdf, real: pikepdf.Stream) -> pikepdf.Stream:
        body = bytearray(real.read_bytes())
        for at, b in (header or {}).items():
            body[at:at + len(b)] = b
        s = pdf.make_stream(bytes(body))
        s.N = real.N if n is None else n
        return s
    return make


INTENTS = {
    "one": (_intents("GTS_PDFX"), []),
    "beside a PDF/A intent": (_intents("GTS_PDFX", "GTS_PDFA1"), []),
    "none": (_intents(), ["has 0 GTS_PDFX output intents; PDF/X needs exactly one"]),
    "two": (_intents("GTS_PDFX", "GTS_PDFX"), ["has 2 GTS_PDFX output intents; PDF/X needs exactly one"]),
    "no identifier": (_intents("GTS_PDFX", identifier=None), ["the output intent has no OutputConditionIdentifier"]),
    "no profile": (_intents("GTS_PDFX", profile=None), ["the output intent embeds no DestOutputProfile"]),
    "no identifier, no profile": (_intents("GTS_PDFX", identifier=None, profile=None),
                                  ["the output intent has no OutputConditionIdentifier",
                                   "the output intent embeds no DestOutputProfile"]),
    "three channels": (_intents("GTS_PDFX", profile=_profile_with(n=3)),
                       ["the output profile has /N 3, not 4 (CMYK)"]),
    "a monitor profile": (_intents("GTS_PDFX", profile=_profile_with(header={12: b"mntr"})),
                          ["the output profile is not a CMYK output (printer) ICC profile (b'mntrCMYK')"]),
    "an RGB printer profile": (_intents("GTS_PDFX", profile=_profile_with(header={16: b"RGB "})),
                               ["the output profile is not a CMYK output (printer) ICC profile (b'prtrRGB ')"]),
    "not an ICC profile": (_intents("GTS_PDFX", profile=_profile_with(header={36: b"xxxx"})),
                           ["the output profile is not a CMYK output (printer) ICC profile (b'prtrCMYK')"]),
}


@pytest.mark.parametrize("case", sorted(INTENTS))
def test_pdf_x_needs_one_output_intent_with_a_cmyk_printer_profile(built, case: str):
    change, want = INTENTS[case]
    got = check_pdfx(saved(built["poster-a4 print-shop"].data, change))
    assert [p for p in got if "intent" in p or "profile" in p] == want


def test_pdf_x_checks_each_pages_boxes(built):
    def shrink_bleed(pdf: pikepdf.Pdf) -> None:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].obj.TrimBox)
        pdf.pages[0].obj.BleedBox = pikepdf.Array([x0 + 1, y0, x1, y1])

    got = check_pdfx(saved(built["poster-a4 print-shop"].data, shrink_bleed))
    assert len(got) == 1 and got[0].startswith("page 1: the TrimBox ") and "is not inside the BleedBox" in got[0]


# --- RGB: what is not page content is not read for colour operators ------------------------------------

def test_rgb_operators_are_sought_in_the_whole_of_a_compressed_content_stream():
    body = b"0 0 0 1 k " * 20 + b"0 0 1 rg 10 10 50 50 re f"  # the operator after the first 200 bytes
    assert check_no_rgb(page_pdf(body, compress=True)) == ["sets an RGB colour (rg/RG) in a CMYK file"]


def test_rgb_is_said_once_however_many_streams_set_it():
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[-1].obj.Contents = pdf.make_stream(b"0 0 1 rg 10 10 50 50 re f")
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    assert check_no_rgb(out.getvalue()) == ["sets an RGB colour (rg/RG) in a CMYK file"]


@pytest.mark.parametrize("kind", ["image", "font", "metadata", "profile"])
@pytest.mark.parametrize("compress", [False, True])
def test_bytes_that_spell_rg_in_images_fonts_metadata_or_a_profile_are_not_colour_operators(kind: str,
                                                                                             compress: bool):
    """Image samples, font programs, XMP and colour profiles are not content: their bytes may spell
    ' rg ' by chance, and a CMYK file holding them is still CMYK."""
    noise = b"\x00\x01 0 0 1 rg \x02 RG \x03" * 8
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"0 0 0 1 k 10 10 50 50 re f")
    if kind == "image":
        s = pdf.make_stream(noise, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=4, Height=4,
                            ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im1=s))
    elif kind == "font":
        s = pdf.make_stream(noise, Length1=len(noise))
        pdf.Root.FontProgram = s
    elif kind == "metadata":
        s = pdf.make_stream(noise, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        pdf.Root.Metadata = s
    else:
        header = bytearray(noise[:128].ljust(128, b"\0"))
        header[16:20], header[36:40] = b"CMYK", b"acsp"
        s = pdf.make_stream(bytes(header), N=4)
        pdf.Root.Profile = s
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=compress,
             fix_metadata_version=False)  # keep the XMP's bytes as they are
    data = out.getvalue()
    assert b" rg " in data or compress
    assert check_no_rgb(data) == []


# --- PDF/X: the XMP packet says what Info says ------------------------------------------------------------

INFO_AND_XMP = [("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
                ("/Keywords", "pdf:Keywords"), ("/Producer", "pdf:Producer"), ("/Creator", "xmp:CreatorTool"),
                ("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")]


def xmp_changed(data: bytes, change) -> bytes:
    return saved(data, change, fix_metadata_version=False)  # pikepdf would otherwise rewrite the XMP


@pytest.mark.parametrize("info_key, xmp_key", INFO_AND_XMP)
def test_pdf_x_needs_the_xmp_to_say_what_info_says(built, info_key: str, xmp_key: str):
    new = "D:20200102030405Z" if info_key.endswith("Date") else "Something else"

    def change(pdf: pikepdf.Pdf) -> None:
        pdf.trailer.Info[info_key] = pikepdf.String(new)

    got = check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change))
    assert len(got) == 1 and got[0].startswith(f"XMP {xmp_key} is ") and " but Info says " in got[0], got


def test_pdf_x_needs_the_xmp_trapped_and_version_keys_to_match_info(built):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.trailer.Info["/Trapped"] = pikepdf.Name("/True" if str(pdf.trailer.Info.Trapped) == "/False" else "/False")

    got = check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change))
    assert [p.split(" is ")[0] for p in got] == ["XMP pdf:Trapped"]

    def xmp_text(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
        body = pdf.Root.Metadata.read_bytes()
        assert old in body
        pdf.Root.Metadata.write(body.replace(old, new))

    for tag in (b"pdfxid:GTS_PDFXVersion", b"pdfx:GTS_PDFXConformance"):
        def change(pdf: pikepdf.Pdf, tag: bytes = tag) -> None:
            body = pdf.Root.Metadata.read_bytes()
            m = re.search(rb"<" + tag + rb">([^<]*)</" + tag + rb">", body)
            assert m, tag
            xmp_text(pdf, m.group(0), b"<" + tag + b">PDF/X-9</" + tag + b">")

        got = check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change))
        assert got == [f"XMP {tag.decode()} is 'PDF/X-9' but Info says "
                       f"{'PDF/X-1:2003' if b'Version' in tag else 'PDF/X-1a:2003'!r}"], got


@pytest.mark.parametrize("key", ["xmpMM:DocumentID", "xmpMM:InstanceID"])
def test_pdf_x_needs_uuid_ids_in_the_xmp(built, key: str):
    def change(pdf: pikepdf.Pdf) -> None:
        body = pdf.Root.Metadata.read_bytes()
        new = re.sub(rb"(<" + key.encode() + rb">)uuid:", rb"\1urn:", body)
        assert new != body
        pdf.Root.Metadata.write(new)

    assert check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change)) == [f"XMP {key} is missing"]


@pytest.mark.parametrize("keys, problem", [
    ({"/Type": "/Metadata", "/Subtype": "/XML"}, None),
    ({"/Type": "/Other", "/Subtype": "/XML"}, "the metadata stream is not /Type /Metadata /Subtype /XML"),
    ({"/Type": "/Metadata", "/Subtype": "/Text"}, "the metadata stream is not /Type /Metadata /Subtype /XML"),
])
def test_pdf_x_needs_the_metadata_stream_to_say_it_is_xmp(built, keys: dict, problem: str | None):
    def change(pdf: pikepdf.Pdf) -> None:
        for k, v in keys.items():
            pdf.Root.Metadata[k] = pikepdf.Name(v)

    got = check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change))
    assert got == ([problem] if problem else [])


def test_pdf_x_needs_the_xmp_packet_to_be_xml(built):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Metadata.write(b"<x:xmpmeta><unclosed></x:xmpmeta>")

    got = check_pdfx(xmp_changed(built["poster-a4 print-shop"].data, change))
    assert len(got) == 1 and got[0].startswith("the XMP packet is not XML: ")


def test_an_output_profile_stored_without_compression_is_read_the_same(built):
    data = saved(built["poster-a4 print-shop"].data, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.generalized, fix_metadata_version=False)
    assert b"prtrCMYK" in data  # the profile's header is now plain in the file
    assert check_pdfx(data) == []


def test_pdf_x_refuses_object_streams(built):
    data = saved(built["poster-a4 print-shop"].data, fix_metadata_version=False)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, fix_metadata_version=False)
    got = check_pdfx(out.getvalue())
    assert "holds object or cross-reference streams (PDF 1.5)" in got and got[0].startswith("is PDF 1.5")


def test_overprint_mode_starts_at_0_so_op_without_opm_is_not_enough():
    """A graphics state that turns overprint on but says no OPM leaves the mode at its initial 0,
    under which black would still knock out what lies beneath it in some RIPs."""
    states = {"/GSnoOPM": pikepdf.Dictionary(OP=True, op=True)}
    data = page_pdf(b"/GSnoOPM gs 0 0 0 1 k 10 10 5 5 re f", {"/ExtGState": pikepdf.Dictionary(states)})
    assert check_overprint(data) == ["page 1: K-only colour painted without overprint (op true, OPM 1) (1 time)"]


@pytest.mark.parametrize("program", ["/FontFile", "/FontFile2", "/FontFile3"])
def test_pdf_x_counts_a_font_embedded_in_any_of_the_three_forms(built, program: str):
    def change(pdf: pikepdf.Pdf) -> None:
        desc = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor)
        desc[program] = pdf.make_stream(b"font program")
        pdf.pages[0].obj.Resources.Font["/F9"] = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/ABCDEF+Plain"),
            FontDescriptor=desc))
    assert check_pdfx(broken(built["poster-a4 print-shop"].data, change)) == []


def test_pdf_x_reads_a_file_whose_objects_refer_to_each_other_in_a_ring(built):
    """Objects that point at each other (not through /Parent) are each read once: the walk ends."""
    def change(pdf: pikepdf.Pdf) -> None:
        a = pdf.make_indirect(pikepdf.Dictionary(Name=pikepdf.String("a")))
        b = pdf.make_indirect(pikepdf.Dictionary(Next=a))
        a.Next = b
        pdf.Root.Ring = a
    assert check_pdfx(broken(built["poster-a4 print-shop"].data, change)) == []


# --- the PDF/X page boxes and dates, on their own -------------------------------------------------------

@pytest.mark.parametrize("pdf_date, xmp", [
    ("D:20261130101500Z", "2026-11-30T10:15:00Z"),
    ("D:20261130101500+01'00'", "2026-11-30T10:15:00+01:00"),
    ("D:20261130101500-05'30'", "2026-11-30T10:15:00-05:30"),
])
def test_a_pdf_date_in_xmp_keeps_its_time_zone(pdf_date: str, xmp: str):
    from cseprint.pdfx import xmp_date

    assert xmp_date(pdf_date) == xmp


@pytest.mark.parametrize("missing", [("/TrimBox",), ("/BleedBox",), ("/TrimBox", "/BleedBox")])
def test_pdf_x_needs_each_pages_trim_and_bleed_boxes(built, missing: tuple[str, ...]):
    from cseprint.pdfx import box_problems

    data = built["wallet-card print-shop"].data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2 and box_problems(pdf) == []
        for key in missing:
            del pdf.pages[1].obj[key]
        got = box_problems(pdf)
    assert got == [f"page 2: no {' or '.join(k[1:] for k in missing)}"]


def test_pdf_x_needs_the_bleed_box_inside_the_media_box(built):
    from cseprint.pdfx import box_problems

    with pikepdf.open(io.BytesIO(built["poster-a4 print-shop"].data)) as pdf:
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].obj.MediaBox)
        pdf.pages[0].obj.BleedBox = pikepdf.Array([x0, y0, x1 + 2, y1])
        got = box_problems(pdf)
    assert len(got) == 1 and got[0].startswith("page 1: the BleedBox ") and "is not inside the MediaBox" in got[0]


@pytest.mark.parametrize("edge", [0, 1, 2, 3])
@pytest.mark.parametrize("out_by, inside", [(0.0, True), (0.01, True), (0.02, False), (-5.0, True)])
def test_a_box_inside_another_on_each_edge_within_a_hundredth_of_a_point(edge: int, out_by: float, inside: bool):
    """Each edge on its own: on the edge or up to 0.01 pt past it (rounding in a written file) is
    inside; 0.02 pt past it is not. The outer box is not square, so no edge stands in for another."""
    from cseprint.pdfx import _inside

    outer = (10.0, 20.0, 310.0, 450.0)
    a = list(outer)
    a[edge] += -out_by if edge < 2 else out_by
    assert _inside(tuple(a), outer) is inside


@pytest.mark.parametrize("colour", [b"1 0 0 1 k", b"0 1 0 1 k", b"0 0 1 1 k"])
def test_black_with_any_other_ink_in_it_must_not_overprint(colour: bytes):
    """A rich black (K with C, M or Y) is not K-only: set to overprint, its colour would mix."""
    got = overprint_problems(b"/GSop gs " + colour + b" 10 10 5 5 re f")
    c = tuple(float(v) for v in colour.split()[:4])
    assert got == [f"page 1: colour {c} set to overprint (only K-only colours may) (1 time)"]
