"""Preflight's page rules, each tested on both sides of its limit, on pages given as data.

Every test builds a page the way compose would leave it (boxes, lines, QR codes, images and
fills at positions in points) and asks ``preflight.check_document`` to judge it: one position
just inside the limit passes, one just past it is refused, and the problem must name the box
and content key it is about (another problem could use the same words). These are the checks
mutation testing (tools/mutate.py) found no test would notice when broken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cseprint.document import MM, BoxReport, Document, Image, Page, QRCode, Rect, Run, TextLine
from cseprint.errors import Location, Problem
from cseprint.preflight import check_document, contrast, luminance
from cseprint.validate import load_content

from .conftest import PROJECT, TODAY

BLACK, WHITE = (0.0, 0.0, 0.0, 1.0), (0.0, 0.0, 0.0, 0.0)
A4_W, A4_H = 210 * MM, 297 * MM
SAFE_MM = 5.0
REGULAR, BOLD = "AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"


def grey(k: float) -> tuple[float, float, float, float]:
    return (0.0, 0.0, 0.0, k)


@pytest.fixture(scope="module")
def content():
    return load_content(PROJECT / "content")


def page(**parts) -> Page:
    trim = Rect(0, 0, A4_W, A4_H)
    s = SAFE_MM * MM
    return Page("front", A4_W, A4_H, trim, trim, Rect(s, s, A4_W - 2 * s, A4_H - 2 * s), **parts)


def document(pg: Page, kind: str = "poster", palette: dict | None = None, min_body_pt: float = 14.0) -> Document:
    pal = {"ink": BLACK, "paper": WHITE, "navy": (1.0, 0.78, 0.0, 0.45), **(palette or {})}
    return Document("test-layout", "single", "office", "en-GB", "t", "s", "a", [pg], pal, {}, set(), min_body_pt,
                    kind, "layouts/test-layout.yaml")


def report(box: str, rect: Rect, key: str = "products.words", **kw) -> BoxReport:
    return BoxReport("front", box, "text", rect, Location("layouts/test-layout.yaml", 7, 3), (key,), **kw)


def line(box: str, x: float, y: float, text: str = "Report it", size: float = 14.0, w: float | None = None,
         font: str = BOLD, colour: str = "ink", key: str = "products.words", role: str = "body") -> TextLine:
    w = 8 * size if w is None else w
    return TextLine(y, (Run(x, text, font, size, colour),), box, key, role, Rect(x, y - 0.25 * size, w, 1.2 * size))


def qr(box: str, x: float, y: float, size_mm: float = 35.0, quiet: int = 4, n: int = 25, key: str = "contacts.ceop.web",
       colour: str = "ink", paper: str = "paper") -> QRCode:
    side = size_mm * MM
    matrix = tuple(tuple((i + j) % 2 == 0 for j in range(n)) for i in range(n))
    return QRCode(Rect(x, y, side, side), side / n, matrix, "https://example.org/", "M", quiet, box, key, colour, paper)


def judge(doc: Document, content) -> list[Problem]:
    return check_document(doc, content, dt.date.fromisoformat(TODAY))


def about(problems: list[Problem], box: str, key: str = "") -> list[str]:
    """The messages of the problems whose key names exactly this box (and content key)."""
    want = f"test-layout: page front: box {box}" + (f" ({key})" if key else "")
    return [p.message for p in problems if p.key == want]


def test_a_page_that_keeps_every_rule_passes(content):
    pg = page(lines=[line("a", 100, 500)], boxes=[report("a", Rect(90, 480, 200, 60))])
    assert judge(document(pg), content) == []


# --- text drawn over another box's text --------------------------------------------------------------

@pytest.mark.parametrize("gap, overlapping", [(-1.0, True), (-0.4, False), (0.0, False)])
def test_text_of_one_box_over_another_side_by_side(content, gap: float, overlapping: bool):
    """The glyph areas of two boxes' lines side by side: overlapping by 1 pt is refused, by 0.4 pt
    (within the 0.5 pt tolerance) or touching is not."""
    a = line("left", 100, 500, "Left words", w=100)
    b = line("right", 200 + gap, 500, "Right words", w=100)
    got = about(judge(document(page(lines=[a, b])), content), "right", "products.words")
    if overlapping:
        assert got == ["text 'Right words' is drawn over text of box left ('Left words'); move the boxes apart"]
    else:
        assert got == []


@pytest.mark.parametrize("rise, overlapping", [(8.0, True), (8.6, False), (9.0, False)])
def test_text_of_one_box_over_another_one_above_the_other(content, rise: float, overlapping: bool):
    """Lines of 10 pt: the glyph area runs from 2 pt below the baseline to 7 pt above it, so a line
    whose baseline is 8 pt higher overlaps by 1 pt; 8.6 pt higher, by 0.4 pt (within the tolerance)."""
    low = line("low", 100, 500, "Lower line", size=10, w=150)
    high = line("high", 150, 500 + rise, "Upper line", size=10, w=150)
    problems = judge(document(page(lines=[low, high])), content)
    hits = [m for b in ("low", "high") for m in about(problems, b, "products.words") if "drawn over" in m]
    assert bool(hits) is overlapping
    if overlapping:
        assert hits == ["text 'Upper line' is drawn over text of box low ('Lower line'); move the boxes apart"]


def test_lines_of_one_box_may_touch_each_other(content):
    lines = [line("same", 100, 500, "one", w=100), line("same", 150, 500, "two", w=100)]
    assert judge(document(page(lines=lines)), content) == []


def test_one_problem_per_pair_of_boxes_naming_the_leftmost_lines(content):
    lines = [line("a", 100, 500, "first a", w=100), line("b", 150, 500, "first b", w=100),
             line("a", 300, 500, "second a", w=100), line("b", 350, 500, "second b", w=100),
             line("c", 420, 500, "only c", w=60)]
    problems = judge(document(page(lines=lines)), content)
    overs = [(p.key, p.message) for p in problems if "drawn over" in p.message]
    assert overs == [
        ("test-layout: page front: box b (products.words)",
         "text 'first b' is drawn over text of box a ('first a'); move the boxes apart"),
        ("test-layout: page front: box c (products.words)",
         "text 'only c' is drawn over text of box b ('second b'); move the boxes apart"),
    ]


def test_a_line_far_below_does_not_hide_an_overlap_above_it(content):
    """The sweep forgets lines that end below the current one; a long page must still find the pair."""
    lines = [line(f"list{i}", 100, 100 + 20 * i, f"item {i}", size=10, w=100) for i in range(20)]
    lines.append(line("stray", 150, 100 + 20 * 7 + 3, "stray words", size=10, w=100))
    overs = [p for p in judge(document(page(lines=lines)), content) if "drawn over" in p.message]
    assert [p.key for p in overs] == ["test-layout: page front: box stray (products.words)"]
    assert "box list7 ('item 7')" in overs[0].message


# --- the QR code: size, quiet zone, safe zone, neighbours, contrast -----------------------------------

@pytest.mark.parametrize("kind, floor", [("card", 20.0), ("poster", 30.0), ("leaflet", 30.0), ("other", 30.0)])
def test_qr_code_size_floor_for_each_kind(content, kind: str, floor: float):
    for size, refused in ((floor - 0.1, True), (floor - 0.01, False), (floor, False)):
        q = qr("code", 100, 300, size_mm=size, n=21)
        got = about(judge(document(page(qrcodes=[q]), kind=kind), content), "code", "contacts.ceop.web")
        small = [m for m in got if m.startswith("QR code is")]
        if refused:
            assert small == [f"QR code is {size:.1f} mm wide; at least {floor:g} mm is needed on a {kind}"]
        else:
            assert small == []


@pytest.mark.parametrize("quiet, refused", [(3, True), (4, False)])
def test_qr_quiet_zone_of_four_modules(content, quiet: int, refused: bool):
    got = about(judge(document(page(qrcodes=[qr("code", 100, 300, quiet=quiet)])), content), "code",
                "contacts.ceop.web")
    assert got == ([f"QR code has a {quiet}-module quiet zone; 4 are needed"] if refused else [])


@pytest.mark.parametrize("inside_by, refused", [(0.0, False), (-0.4, False), (-1.0, True)])
def test_qr_code_inside_the_safe_zone_on_each_side(content, inside_by: float, refused: bool):
    """The code itself must lie in the safe zone (0.5 pt tolerance): on each of the four sides. A card's
    20 mm code of 25 modules has a 3.2 mm quiet zone, which stays inside the trim."""
    side = 20 * MM
    s = SAFE_MM * MM
    for x, y in ((s + inside_by, 300), (A4_W - s - side - inside_by, 300),
                 (200, s + inside_by), (200, A4_H - s - side - inside_by)):
        q = qr("code", x, y, size_mm=20)
        got = about(judge(document(page(qrcodes=[q]), kind="card"), content), "code", "contacts.ceop.web")
        assert got == (["QR code or its quiet zone lies outside the safe zone"] if refused else []), (x, y)


def test_qr_quiet_zone_must_lie_inside_the_trim(content):
    """A code inside the safe zone whose quiet zone (4 modules of 2.8 mm) reaches past the trim."""
    q = qr("code", 6 * MM, 300, size_mm=70, n=25)  # quiet zone 11.2 mm wide, from -5.2 mm
    got = about(judge(document(page(qrcodes=[q])), content), "code", "contacts.ceop.web")
    assert got == ["QR code or its quiet zone lies outside the safe zone"]
    ok = qr("code", 12 * MM, 300, size_mm=70, n=25)
    assert about(judge(document(page(qrcodes=[ok])), content), "code", "contacts.ceop.web") == []


@pytest.mark.parametrize("intrusion, refused", [(1.0, True), (0.4, False), (0.0, False)])
def test_text_in_the_qr_codes_quiet_zone(content, intrusion: float, refused: bool):
    q = qr("code", 200, 300)
    qz = q.quiet_rect
    text = line("label", qz.x1 - intrusion, 350, "Scan me", w=80)
    got = about(judge(document(page(qrcodes=[q], lines=[text])), content), "code", "contacts.ceop.web")
    assert got == (["text 'Scan me' (box label) intrudes on the QR code's quiet zone"] if refused else [])


@pytest.mark.parametrize("intrusion, refused", [(1.0, True), (0.4, False)])
def test_two_qr_codes_whose_quiet_zones_overlap(content, intrusion: float, refused: bool):
    a = qr("first", 100, 300, key="contacts.ceop.web")
    b = qr("second", a.quiet_rect.x1 + 4 * b_module() - intrusion, 300, key="contacts.nspcc.web")
    problems = judge(document(page(qrcodes=[a, b])), content)
    assert about(problems, "first", "contacts.ceop.web") == (
        ["QR code overlaps QR code contacts.nspcc.web"] if refused else [])
    assert about(problems, "second", "contacts.nspcc.web") == (
        ["QR code overlaps QR code contacts.ceop.web"] if refused else [])


def b_module() -> float:
    return 35 * MM / 25


@pytest.mark.parametrize("k, refused", [(0.64, True), (0.66, False), (1.0, False)])
def test_qr_modules_need_7_to_1_contrast_with_their_paper(content, k: float, refused: bool):
    """Grey modules at 64% black are 6.7:1 on white (refused), at 66% 7.3:1 (passes)."""
    q = qr("code", 100, 300, colour="mid")
    got = about(judge(document(page(qrcodes=[q]), palette={"mid": grey(k)}), content), "code", "contacts.ceop.web")
    assert got == (["QR code modules need dark-on-light contrast of 7:1 or more"] if refused else [])


def test_qr_modules_on_a_paper_without_a_colour_are_on_white(content):
    """A paper name the palette lacks means white paper, not any other colour."""
    q = qr("code", 100, 300, colour="mid", paper="not-in-palette")
    assert about(judge(document(page(qrcodes=[q]), palette={"mid": grey(0.66)}), content), "code",
                 "contacts.ceop.web") == []


# --- contrast: WCAG's ratio, the large-text rule and the paper -------------------------------------

@pytest.mark.parametrize("cmyk, ratio", [
    (grey(1 - 0x76 / 255), 4.54),  # #767676, the lightest grey that passes AA on white
    (grey(1 - 0x77 / 255), 4.48),  # #777777, which does not
    ((0.0, 1.0, 1.0, 0.0), 4.00),  # red #FF0000
    ((1.0, 1.0, 0.0, 0.0), 8.59),  # blue #0000FF
    ((1.0, 0.0, 1.0, 0.0), 1.37),  # green #00FF00
    ((0.0, 0.0, 0.0, 0.97), 20.07),  # 3% grey, in sRGB's linear segment (below 0.03928)
    (BLACK, 21.0),
])
def test_contrast_on_white_matches_wcags_published_ratios(cmyk, ratio: float):
    """The ratios WebAIM's contrast checker gives for these sRGB colours (black removed to CMYK)."""
    assert contrast(cmyk, WHITE) == pytest.approx(ratio, abs=0.006)
    assert contrast(WHITE, cmyk) == pytest.approx(ratio, abs=0.006)  # the order does not matter


def test_luminance_of_white_black_and_the_primaries():
    assert luminance(WHITE) == pytest.approx(1.0)
    assert luminance(BLACK) == 0.0
    assert luminance((0.0, 1.0, 1.0, 0.0)) == pytest.approx(0.2126)  # red
    assert luminance((1.0, 0.0, 1.0, 0.0)) == pytest.approx(0.7152)  # green
    assert luminance((1.0, 1.0, 0.0, 0.0)) == pytest.approx(0.0722)  # blue
    assert luminance(grey(0.5)) == pytest.approx(0.21404, abs=1e-5)  # sRGB 0.5: the 2.4 power curve


MID = grey(0.48)  # 3.71:1 on white: enough for large text (3:1), not for body text (4.5:1)


@pytest.mark.parametrize("size, font, need", [
    (17.9, REGULAR, 4.5), (18.0, REGULAR, None),  # large from 18 pt
    (13.9, BOLD, 4.5), (14.0, BOLD, None),  # or from 14 pt bold
    (14.0, REGULAR, 4.5), (17.0, REGULAR, 4.5),
])
def test_large_text_needs_3_to_1_and_other_text_4_5_to_1(content, size: float, font: str, need: float | None):
    assert 3.0 < contrast(MID, WHITE) < 4.5
    text = line("words", 100, 500, "Grey words", size=size, font=font, colour="mid")
    got = about(judge(document(page(lines=[text]), palette={"mid": MID}, min_body_pt=6), content), "words",
                "products.words")
    assert got == ([f"contrast of mid text on white paper is {contrast(MID, WHITE):.2f}:1; at least {need}:1 is "
                    "needed"] if need else [])


@pytest.mark.parametrize("k, refused", [(0.55, False), (0.53, True)])
def test_body_text_contrast_boundary_on_white_paper(content, k: float, refused: bool):
    """Text on a box without a background is judged on white paper: 55% grey is 4.76:1, 53% is 4.42:1."""
    text = line("words", 100, 500, "Body words", size=14, font=REGULAR, colour="mid")
    got = about(judge(document(page(lines=[text], boxes=[report("words", Rect(90, 480, 200, 60))]),
                               palette={"mid": grey(k)}), content), "words", "products.words")
    assert bool(got) is refused
    if refused:
        assert got[0].startswith("contrast of mid text on white paper is 4.4")


def test_text_is_judged_on_its_boxs_background(content):
    text = line("panel", 100, 500, "On navy", size=14, font=BOLD, colour="ink")
    rep = report("panel", Rect(90, 480, 200, 60), background="navy")
    got = about(judge(document(page(lines=[text], boxes=[rep])), content), "panel", "products.words")
    assert got == [f"contrast of ink text on navy is {contrast(BLACK, (1.0, 0.78, 0.0, 0.45)):.2f}:1; at least "
                   "3.0:1 is needed"]


# --- type size, fit, width, glyphs ----------------------------------------------------------------------

@pytest.mark.parametrize("role, floor", [("body", 14.0), ("heading", 14.0), ("small", 6.0)])
def test_type_size_floor_by_role(content, role: str, floor: float):
    for size, refused in ((floor - 0.1, True), (floor - 0.01, False), (floor, False)):
        text = line("words", 100, 500, "Words", size=size, role=role)
        got = [m for m in about(judge(document(page(lines=[text])), content), "words", "products.words")
               if m.startswith("type is")]
        assert got == ([f"type is {size:.1f} pt; the minimum here is {floor:.1f} pt"] if refused else []), size


@pytest.mark.parametrize("excess, refused", [(0.6, True), (0.5, False), (0.4, False), (0.0, False)])
def test_text_that_needs_more_height_than_its_box_holds(content, excess: float, refused: bool):
    rep = report("words", Rect(90, 480, 200, 100 * MM), needed=100 * MM + excess, available=100 * MM)
    got = about(judge(document(page(boxes=[rep])), content), "words", "products.words")
    assert bool(got) is refused
    if refused:
        assert got[0].startswith("the text does not fit: it needs 100.2 mm of height but the box holds 100.0 mm")


def test_unbreakable_words_and_missing_characters_name_their_box_and_key(content):
    rep = report("words", Rect(90, 480, 200, 60), too_wide=[("Antidisestablishment", 70 * MM)] * 2,
                 missing=[("\u4e2d", "products.other")] * 2)
    problems = judge(document(page(boxes=[rep])), content)
    assert about(problems, "words", "products.words") == [
        "'Antidisestablishment' cannot be broken and is wider than the box allows (70.0 mm for it in a box "
        "70.6 mm wide)"]  # reported once, however often compose met it
    assert about(problems, "words", "products.other") == [
        "character '\u4e2d' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) is in none of the fonts (main or fallback); it would "
        "print as an empty box"]
    assert all(p.location == Location("layouts/test-layout.yaml", 7, 3) for p in problems)


# --- the safe zone, images ---------------------------------------------------------------------------------

@pytest.mark.parametrize("out_by, refused", [(1.0, True), (0.4, False), (0.0, False)])
def test_text_inside_the_safe_zone_on_each_side(content, out_by: float, refused: bool):
    s = SAFE_MM * MM
    w, size = 100, 14.0
    for x, y in ((s - out_by, 400), (A4_W - s - w + out_by, 400),
                 (200, s + 0.25 * size - out_by), (200, A4_H - s - 0.95 * size + out_by)):
        text = line("edge", x, y, "Edge words", size=size, w=w)
        got = [m for m in about(judge(document(page(lines=[text])), content), "edge", "products.words")
               if "safe zone" in m]
        assert got == (["text 'Edge words' lies outside the safe zone (5 mm inside the trim); move the box inwards"]
                       if refused else []), (x, y)


@pytest.mark.parametrize("out_by, refused", [(1.0, True), (0.4, False)])
def test_an_image_inside_the_safe_zone(content, out_by: float, refused: bool):
    s = SAFE_MM * MM
    im = Image(Rect(s - out_by, 400, 100, 100), "content/schools/photos/sam.png", "photo", 300)
    got = about(judge(document(page(images=[im])), content), "photo")
    assert got == (["image lies outside the safe zone; move the box inwards"] if refused else [])


@pytest.mark.parametrize("dpi, warned", [(149.0, True), (150.0, False), (300.0, False)])
def test_a_low_resolution_image_is_a_warning_naming_the_file(content, dpi: float, warned: bool):
    im = Image(Rect(100, 400, 100, 100), "content/schools/photos/sam.png", "photo", dpi)
    problems = [p for p in judge(document(page(images=[im])), content) if p.key == "test-layout: page front: box photo"]
    if warned:
        (p,) = problems
        assert p.warning is True
        assert p.message == ("image sam.png prints at 149 dpi; at least 150 dpi (ideally 300) looks sharp: use a "
                             "larger image")
    else:
        assert problems == []


# --- the draft band ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("into, refused", [(1.0, True), (0.4, False)])
def test_text_under_the_draft_band_by_how_far(content, into: float, refused: bool):
    """The band's rect against a line's glyph area, which reaches 9.8 pt above the baseline of 14 pt text."""
    band = BoxReport("front", "draft-band", "text", Rect(0, 700, A4_W, 50), Location("l.yaml", 1, 1), ("products.draft",))
    text = line("title", 100, 700 - 9.8 + into, "Title words", size=14, key="products.title")
    got = about(judge(document(page(lines=[text], boxes=[band])), content), "title", "products.title")
    assert bool(got) is refused


def test_the_draft_band_is_reported_once_a_page(content):
    band = BoxReport("front", "draft-band", "text", Rect(0, 700, A4_W, 50), Location("l.yaml", 1, 1), ("products.draft",))
    lines = [line("title", 100, 720, "Title", size=14, key="products.title"),
             line("sub", 300, 720, "Sub", size=14, key="products.sub")]
    problems = [p for p in judge(document(page(lines=lines, boxes=[band])), content) if "draft band" in p.message]
    assert [p.key for p in problems] == ["test-layout: page front: box title (products.title)"]


def test_text_under_the_draft_band_is_refused_naming_the_box(content):
    band_rect = Rect(0, A4_H - 20 * MM, A4_W, 20 * MM)
    band = BoxReport("front", "draft-band", "text", band_rect, Location("l.yaml", 1, 1), ("products.draft",))
    band_line = line("draft-band", 100, A4_H - 12 * MM, "DRAFT", size=14, key="products.draft")
    under = line("title", 300, A4_H - 15 * MM, "Title words", size=14, key="products.title")
    clear = line("body", 100, A4_H - 40 * MM, "Body words", size=14, key="products.body")
    problems = judge(document(page(lines=[band_line, under, clear], boxes=[band])), content)
    assert about(problems, "title", "products.title") == [
        "text 'Title words' lies under the draft band (the translation is not yet reviewed); move the box clear of "
        "it, or put the band at the other edge (draft_band: top|bottom)"]
    assert about(problems, "body", "products.body") == []
    assert about(problems, "draft-band", "products.draft") == []


# --- governance: facts, contacts and what must be printed with them -----------------------------------

def governed(content, printed: set[tuple[str, str]], contacts: set[str] = frozenset()) -> Document:
    doc = document(page())
    doc.printed = frozenset(printed)
    doc.contacts = set(contacts)
    return doc


def with_fact(content, fid: str, **changes):
    facts = dict(content.facts)
    facts[fid] = dataclasses.replace(facts[fid], **changes)
    return dataclasses.replace(content, facts=facts)


def with_contact(content, cid: str, **changes):
    contacts = dict(content.contacts)
    contacts[cid] = dataclasses.replace(contacts[cid], **changes)
    return dataclasses.replace(content, contacts=contacts)


ENGLAND = {("en-GB", "nations.england.guidance")}
TODAY_D = dt.date.fromisoformat(TODAY)


@pytest.mark.parametrize("status, allow, refused", [
    ("confirmed", False, None), ("unconfirmed", False, "is unconfirmed"), ("unconfirmed", True, None),
    ("retired", False, "is retired"), ("retired", True, "is retired"),
])
def test_a_printed_fact_by_its_status(content, status: str, allow: bool, refused: str | None):
    c = with_fact(content, "england-guidance", status=status)
    problems = check_document(governed(c, ENGLAND), c, TODAY_D, allow_unverified=allow)
    got = [p for p in problems if p.key == "facts.england-guidance"]
    if refused is None:
        assert got == []
    else:
        (p,) = got
        assert p.message.startswith(f"{refused} but layout test-layout would print it (nations.england.guidance)")
        assert p.location == c.facts["england-guidance"].field_loc("status")


@pytest.mark.parametrize("days_left, refused", [(0, False), (-1, True)])
def test_a_printed_fact_past_its_review_date(content, days_left: int, refused: bool):
    c = with_fact(content, "england-guidance", review_by=TODAY_D + dt.timedelta(days=days_left))
    got = [p for p in check_document(governed(c, ENGLAND), c, TODAY_D) if p.key == "facts.england-guidance"]
    assert bool(got) is refused
    if refused:
        assert got[0].message.startswith(f"was due for review on {TODAY_D - dt.timedelta(days=1)} and layout "
                                         "test-layout would print it (nations.england.guidance)")
    assert [p for p in check_document(governed(c, ENGLAND), c, TODAY_D, allow_unverified=True)
            if p.key == "facts.england-guidance"] == []


def test_a_fact_whose_text_is_not_printed_is_not_judged(content):
    c = with_fact(content, "england-guidance", status="retired")
    assert [p for p in check_document(governed(c, {("en-GB", "nations.wales.guidance")}), c, TODAY_D)
            if p.key == "facts.england-guidance"] == []
    assert [p for p in check_document(governed(c, {("xx-XX", "nations.england.guidance")}), c, TODAY_D)
            if p.key == "facts.england-guidance"] == []  # a locale the content does not have prints nothing


def test_a_contact_printed_without_what_must_go_with_it(content):
    alone = [p for p in check_document(governed(content, set(), {"ceop"}), content, TODAY_D)
             if p.key == "contacts.ceop.printed_with"]
    assert [p.message for p in alone] == [
        "layout test-layout prints ceop without what must go with it (one of products.ceop_notice, pupils.ceop, "
        "reporting.routes[ceop]); add that text to the layout"]
    assert alone[0].location == content.contacts["ceop"].field_loc("printed_with")
    with_notice = governed(content, {("en-GB", "products.ceop_notice")}, {"ceop"})
    assert [p for p in check_document(with_notice, content, TODAY_D) if "printed_with" in p.key] == []


@pytest.mark.parametrize("days_left, listed", [(0, False), (-1, True)])
def test_contacts_past_review_are_refused_and_listed_as_unverified(content, days_left: int, listed: bool):
    from cseprint.preflight import unverified_contacts

    c = with_contact(content, "nspcc", review_by=TODAY_D + dt.timedelta(days=days_left))
    doc = governed(c, set(), {"nspcc", "childline"})
    assert unverified_contacts(doc, c, TODAY_D) == (["nspcc"] if listed else [])
    got = [p for p in check_document(doc, c, TODAY_D) if p.key == "contacts.nspcc"]
    assert bool(got) is listed
    assert [p for p in check_document(doc, c, TODAY_D, allow_unverified=True) if p.key == "contacts.nspcc"] == []


def test_unconfirmed_contacts_and_facts_are_listed_for_the_manifest(content):
    from cseprint.preflight import unverified_contacts, unverified_facts

    c = with_fact(with_contact(content, "childline", status="unconfirmed"), "england-guidance", status="unconfirmed")
    doc = governed(c, ENGLAND, {"nspcc", "childline"})
    assert unverified_contacts(doc, c, TODAY_D) == ["childline"]
    assert unverified_facts(doc, c, TODAY_D) == ["england-guidance"]
    assert unverified_facts(governed(c, {("en-GB", "nations.wales.guidance")}), c, TODAY_D) == []
    overdue = with_fact(content, "england-guidance", review_by=TODAY_D - dt.timedelta(days=1))
    assert unverified_facts(governed(overdue, ENGLAND), overdue, TODAY_D) == ["england-guidance"]
    assert unverified_facts(governed(content, ENGLAND), content, TODAY_D) == []


def test_an_imposed_sheet_is_judged_by_its_single_cards_not_page_by_page(content):
    """A card sheet repeats the single card that was judged already: its pages are not judged again."""
    bad = page(lines=[line("words", 100, 500, "Tiny", size=5)])
    single = document(bad)
    assert about(judge(single, content), "words", "products.words")
    sheet = document(page(lines=[line("words", 100, 500, "Tiny", size=5)]))
    sheet.variant = "sheet"
    assert judge(sheet, content) == []


def test_a_box_of_several_keys_is_named_by_its_first(content):
    rep = BoxReport("front", "words", "text", Rect(90, 480, 200, 60), Location("l.yaml", 2, 2),
                    ("products.heading", "products.words"), needed=100.0, available=10.0)
    problems = judge(document(page(boxes=[rep])), content)
    assert [p.key for p in problems] == ["test-layout: page front: box words (products.heading)"]


def test_a_run_of_spaces_is_not_judged(content):
    """Spaces between runs print nothing: neither their size nor their colour can fail a check."""
    space = TextLine(500, (Run(100, "  ", REGULAR, 4.0, "pale"),), "words", "products.words", "body",
                     Rect(100, 497, 20, 5))
    assert judge(document(page(lines=[space]), palette={"pale": grey(0.05)}), content) == []


def test_each_rule_is_reported_once_for_each_box_and_key(content):
    """Two lines of one text, both too small, too pale and outside the safe zone: three problems, not six."""
    lines = [line("words", 2, 500 - 20 * i, f"line {i}", size=9, font=REGULAR, colour="pale") for i in range(2)]
    problems = judge(document(page(lines=lines), palette={"pale": grey(0.3)}), content)
    msgs = about(problems, "words", "products.words")
    assert [m.split(" ")[0] for m in msgs] == ["type", "contrast", "text"] and len(problems) == 3
    other = [*lines, line("more", 2, 300, "other key", size=9, font=REGULAR, colour="pale", key="products.other")]
    assert len(about(judge(document(page(lines=other), palette={"pale": grey(0.3)}), content), "more",
                     "products.other")) == 3


def test_the_press_rules_are_part_of_preflight(content):
    """preflight runs prepress's rules on every page (here: a QR code of 0.9 mm modules on a poster)."""
    code = qr("code", 100, 300, size_mm=33.3, n=37)
    got = about(judge(document(page(qrcodes=[code])), content), "code", "contacts.ceop.web")
    assert len(got) == 1 and got[0].startswith("the QR code's modules are 0.90 mm")


def test_one_intrusion_is_reported_for_each_qr_code(content):
    q = qr("code", 200, 300)
    qz = q.quiet_rect
    texts = [line("label", qz.x1 - 5, 350, "Scan me", w=80), line("other", qz.x1 - 5, 330, "Or me", w=80)]
    got = about(judge(document(page(qrcodes=[q], lines=texts)), content), "code", "contacts.ceop.web")
    assert got == ["text 'Scan me' (box label) intrudes on the QR code's quiet zone"]


def test_a_fact_due_for_review_today_is_not_yet_unverified(content):
    from cseprint.preflight import unverified_facts

    due = with_fact(content, "england-guidance", review_by=TODAY_D)
    assert unverified_facts(governed(due, ENGLAND), due, TODAY_D) == []


# --- the prose the readability check scores ------------------------------------------------------------

@pytest.fixture(scope="module")
def pupils_layout(content):
    from cseprint.validate import load_layouts

    from .conftest import FONTS

    _, layouts = load_layouts(PROJECT / "layouts", FONTS, content, ["pupils-poster-a4"])
    return layouts["pupils-poster-a4"]


def with_boxes(layout, *boxes):
    from cseprint.models import PageDef

    return dataclasses.replace(layout, pages=(PageDef("p", tuple(boxes), None),))


def box(name: str, kind: str, **kw):
    from cseprint.models import Box

    return Box(name, kind, 10, 10, 50, 50, Location("l.yaml", 1, 1), **kw)


def prose(layout, content) -> dict[str, str]:
    from cseprint.preflight import box_prose

    return {b.name: text for b, _, text in box_prose(layout, content, ["en-GB"])}


def test_prose_is_the_text_of_headings_texts_lists_and_qr_labels(content, pupils_layout):
    lay = with_boxes(pupils_layout,
                     box("head", "text", heading="products.poster_report_heading", text=("products.poster_subhead",)),
                     box("signs", "list", items="signs.items", only=("behaviour", "emotional"), show="short+detail"),
                     box("code", "qr", qr="ceop", label="products.qr_ceop_label"),
                     box("numbers", "contacts", contacts=("nspcc",)),
                     box("ed", "edition", text=("products.edition_line",)))
    got = prose(lay, content)
    assert got == {
        "head": "How to report. A suspicion is enough. Report it.",  # a heading is a sentence of its own
        "signs": "Behaviour changes. Withdrawal, anxiety, fear, aggression, secrecy, changes in sleep or eating "
                 "patterns. Emotional distress. Depression, self-harm, suicidal thoughts.",
        "code": "Report online abuse to CEOP.",
    }


@pytest.mark.parametrize("end", [".", "!", "?", ":", ";"])
def test_a_piece_that_ends_a_sentence_is_not_given_another_full_stop(content, pupils_layout, end: str):
    from cseprint.models import Namespace, Text

    ns = content.locales["en-GB"]
    products = ns.entries["products"]
    text = Text("Tell someone" + end, "products.poster_subhead", Location("p.yaml", 1, 1))
    products = dataclasses.replace(products, entries={**products.entries, "poster_subhead": text})
    c = dataclasses.replace(content, locales={**content.locales,
                                              "en-GB": Namespace(ns.key, ns.loc, {**ns.entries, "products": products})})
    got = prose(with_boxes(pupils_layout, box("t", "text", text=("products.poster_subhead",))), c)
    assert got == {"t": "Tell someone" + end}


def test_school_boxes_are_scored_only_in_a_schools_build(content, pupils_layout):
    lay = with_boxes(pupils_layout,
                     box("school", "text", text=("products.poster_subhead",), when="school"),
                     box("national", "text", text=("products.poster_report_heading",), when="no-school"),
                     box("both", "text", text=("products.qr_hint",), when="always"))
    assert set(prose(lay, content)) == {"national", "both"}
    school = dataclasses.replace(content, school_id="oakwood", school_fields={"name": "Oakwood School"})
    assert set(prose(lay, school)) == {"school", "both"}


def test_a_list_without_a_filter_scores_every_item(content, pupils_layout):
    lay = with_boxes(pupils_layout, box("signs", "list", items="signs.items", show="label"))
    got = prose(lay, content)["signs"]
    assert got.startswith("Behavioural changes. Emotional distress. ") and got.count(".") >= 5


# --- fit: a box, a stack or grid, and declared alternatives --------------------------------------------

def fit_report(box: str, needed: float, available: float, kind: str = "text", parent: str | None = None,
               tried: list | None = None) -> BoxReport:
    return BoxReport("front", box, kind, Rect(90, 400, 300, available), Location("layouts/test-layout.yaml", 9, 5),
                     ("products.words",), needed=needed, available=available, parent=parent, tried=tried or [])


@pytest.mark.parametrize("over, refused", [(0.4, False), (0.5, False), (0.6, True), (10 * MM, True)])
def test_a_text_box_too_short_for_its_text_on_both_sides_of_the_tolerance(content, over: float, refused: bool):
    """Text needing 0.5 pt more than its box (the tolerance compose chose by) fits; 0.6 pt more does not."""
    pg = page(boxes=[fit_report("intro", 100 * MM + over, 100 * MM)])
    got = about(judge(document(pg), content), "intro", "products.words")
    if refused:
        assert got == [f"the text does not fit: it needs {(100 * MM + over) / MM:.1f} mm of height but the box "
                       "holds 100.0 mm; shorten the text, enlarge the box or use a smaller size from the type "
                       "scale (not below the minimum)"]
    else:
        assert got == []


@pytest.mark.parametrize("kind", ["stack", "grid"])
def test_a_full_stack_or_grid_says_its_boxes_do_not_fit(content, kind: str):
    """A stack or grid whose children together need more than it holds, none of them too long on its
    own: the container is named, and says its boxes (not its text) do not fit."""
    pg = page(boxes=[fit_report("column", 120 * MM, 100 * MM, kind=kind),
                     fit_report("first", 50 * MM, 50 * MM, parent="column"),
                     fit_report("second", 70 * MM, 70 * MM, parent="column")])
    problems = judge(document(pg), content)
    assert [m.split(":")[0] for m in about(problems, "column", "products.words")] == ["its boxes do not fit"]
    assert about(problems, "first", "products.words") == about(problems, "second", "products.words") == []


def test_a_stack_full_because_of_one_box_is_said_once_by_that_box(content):
    """The box that is too long says so; the stack holding it does not say it again."""
    pg = page(boxes=[fit_report("column", 120 * MM, 100 * MM, kind="stack"),
                     fit_report("first", 50 * MM, 50 * MM, parent="column"),
                     fit_report("long", 70 * MM, 60 * MM, parent="column")])
    problems = judge(document(pg), content)
    assert [m.split(":")[0] for m in about(problems, "long", "products.words")] == ["the text does not fit"]
    assert about(problems, "column", "products.words") == []
    assert about(problems, "first", "products.words") == []


@pytest.mark.parametrize("larger", [None, "poster-a3"])
def test_a_box_whose_every_alternative_was_tried_names_each_and_what_it_needed(content, larger: str | None):
    # an alternative may change what the box has (a smaller step of the type scale frees a heading's
    # space); the message gives what the box has as designed, the first arrangement's
    tried = [("photos-2", 140 * MM, 100 * MM), ("photos-3", 120 * MM, 98 * MM), ("list", 104 * MM, 96 * MM)]
    pg = page(boxes=[fit_report("people", 104 * MM, 100 * MM, kind="people", tried=tried)])
    doc = dataclasses.replace(document(pg), larger=larger)
    got = about(judge(doc, content), "people", "products.words")
    tail = f", or use the larger poster instead (--layout {larger})" if larger else ""
    assert got == ["does not fit in any of its 3 arrangements, in the 100.0 mm it has: photos-2 needs 140.0 mm; "
                   f"photos-3 needs 120.0 mm; list needs 104.0 mm. Shorten the longest entries (roles, rooms){tail}"]


def test_a_box_that_fits_in_an_alternative_is_not_refused_for_the_ones_tried_before(content):
    tried = [("photos-2", 140 * MM, 100 * MM), ("list", 90 * MM, 100 * MM)]
    pg = page(boxes=[fit_report("people", 90 * MM, 100 * MM, kind="people", tried=tried)])
    assert about(judge(document(pg), content), "people", "products.words") == []


def test_lines_pushed_by_a_full_stack_are_not_judged_again_but_lines_elsewhere_are(content):
    """Inside a stack that does not fit, where the later boxes land follows from that one problem, so
    their lines are not judged (type size, overlap); a line outside the stack still is."""
    tiny = dict(size=6.0, w=60)
    pg = page(boxes=[fit_report("column", 120 * MM, 100 * MM, kind="stack"),
                     fit_report("long", 120 * MM, 100 * MM, parent="column"),
                     fit_report("pushed", 10 * MM, 10 * MM, parent="column"),
                     fit_report("footer", 10 * MM, 10 * MM)],
              lines=[line("pushed", 100, 300, "pushed words", **tiny), line("footer", 100, 100, "footer words", **tiny)])
    problems = judge(document(pg), content)
    assert about(problems, "pushed", "products.words") == []
    assert about(problems, "footer", "products.words") == ["type is 6.0 pt; the minimum here is 14.0 pt"]


# --- exactly at a contrast limit ---------------------------------------------------------------------------

@pytest.mark.parametrize("ratio, refused", [(4.49, True), (4.5, False)])
def test_text_contrast_of_exactly_4_5_to_1_meets_the_limit(content, monkeypatch, ratio: float, refused: bool):
    """WCAG asks for "at least 4.5:1": a ratio of exactly 4.5 passes. (No colour gives exactly 4.5,
    so the measurement is fixed and the rule judged on its own.)"""
    import cseprint.preflight as pf

    monkeypatch.setattr(pf, "contrast", lambda fg, bg: ratio)
    text = line("words", 100, 500, "Body words", size=14, font=REGULAR)
    got = about(judge(document(page(lines=[text], boxes=[report("words", Rect(90, 480, 200, 60))])), content),
                "words", "products.words")
    assert got == ([f"contrast of ink text on white paper is {ratio:.2f}:1; at least 4.5:1 is needed"]
                   if refused else [])


@pytest.mark.parametrize("ratio, refused", [(6.99, True), (7.0, False)])
def test_qr_contrast_of_exactly_7_to_1_meets_the_limit(content, monkeypatch, ratio: float, refused: bool):
    import cseprint.preflight as pf

    monkeypatch.setattr(pf, "contrast", lambda fg, bg: ratio)
    got = about(judge(document(page(qrcodes=[qr("code", 100, 300)])), content), "code", "contacts.ceop.web")
    assert got == (["QR code modules need dark-on-light contrast of 7:1 or more"] if refused else [])

