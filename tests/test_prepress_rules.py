"""The press rules (cseprint.prepress) on pages given as data, each on both sides of its limit.

Registration (text under 14 pt bold in, or knocking out of, a colour of several plates), folds
(a colour runs 1.5 mm past a fold; text and QR codes keep 5 mm from it) and QR module size
(1.0 mm on posters and leaflets). Each problem must name its box and content key.
"""

from __future__ import annotations

import pytest

from cseprint.document import MM, Fill, Page, Rect
from cseprint.prepress import k_only, plates

from .test_preflight_rules import BOLD, REGULAR, about, document, judge, line, page, qr

NAVY = (1.0, 0.78, 0.0, 0.45)  # C, M and K: three plates
SUN = (0.0, 0.1, 1.0, 0.0)  # M and Y: two plates
YELLOW = (0.0, 0.0, 1.0, 0.0)  # one plate
PALETTE = {"navy": NAVY, "sun": SUN, "yellow": YELLOW, "white": (0.0, 0.0, 0.0, 0.0), "grey": (0.0, 0.0, 0.0, 0.4),
           "ink": (0.0, 0.0, 0.0, 1.0)}


@pytest.fixture(scope="module")
def content():
    from cseprint.validate import load_content

    from .conftest import PROJECT

    return load_content(PROJECT / "content")


def test_plates_of_a_colour():
    assert plates(NAVY) == "CMK" and plates(SUN) == "MY" and plates(YELLOW) == "Y"
    assert plates((0.0, 0.0, 0.0, 0.0)) == "" and plates((0.0, 0.0, 0.0, 0.3)) == "K"
    assert plates((0.01, 0.0, 0.0, 1.0)) == "CK"


def test_only_black_ink_alone_is_exempt():
    assert k_only((0.0, 0.0, 0.0, 1.0)) and k_only((0.0, 0.0, 0.0, 0.4))
    assert not k_only((0.0, 0.0, 0.0, 0.0))  # paper
    assert not k_only((0.01, 0.0, 0.0, 1.0)) and not k_only(YELLOW) and not k_only(NAVY)


# --- registration -------------------------------------------------------------------------------------

def reg(content, text, fills=()) -> list[str]:
    pg = page(lines=[text], fills=list(fills))
    return [m for m in about(judge(document(pg, palette=PALETTE, min_body_pt=6), content), "words", "products.words")
            if "plates" in m]


@pytest.mark.parametrize("size, font, refused", [
    (13.9, BOLD, True), (14.0, BOLD, False), (20.0, BOLD, False), (14.0, REGULAR, True), (20.0, REGULAR, True),
])
def test_text_printed_in_a_colour_of_several_plates(content, size: float, font: str, refused: bool):
    got = reg(content, line("words", 100, 500, "Navy words", size=size, font=font, colour="navy"))
    if refused:
        weight = "bold" if font == BOLD else "regular"
        assert got == [f"{size:.1f} pt {weight} text 'Navy words' is printed in navy, a colour made of 3 plates (CMK): "
                       "when the plates print slightly out of line its strokes fill in or grow coloured fringes; make it "
                       "at least 14 pt bold, or set it in black (it overprints)"]
    else:
        assert got == []


NAVY_PANEL = Fill(Rect(50, 400, 400, 200), "navy", "panel")


@pytest.mark.parametrize("size, refused", [(13.9, True), (14.0, False)])
def test_white_text_reversed_out_of_several_plates(content, size: float, refused: bool):
    got = reg(content, line("words", 100, 500, "White words", size=size, colour="white"), [NAVY_PANEL])
    assert got == ([f"{size:.1f} pt bold text 'White words' is reversed out of navy, a colour made of 3 plates (CMK): "
                    "when the plates print slightly out of line its strokes fill in or grow coloured fringes; make it "
                    "at least 14 pt bold, or put it on a background of one plate (or none) instead of navy"]
                   if refused else [])


def test_coloured_text_knocking_out_of_several_plates_names_both_faults(content):
    got = reg(content, line("words", 100, 500, "Sun words", size=12, colour="sun"), [NAVY_PANEL])
    assert got == ["12.0 pt bold text 'Sun words' is printed in sun, a colour made of 2 plates (MY) and knocks out of "
                   "navy, a colour made of 3 plates (CMK): when the plates print slightly out of line its strokes fill "
                   "in or grow coloured fringes; make it at least 14 pt bold, or set it in black (it overprints), or "
                   "put it on a background of one plate (or none) instead of navy"]


def test_black_text_overprints_and_is_exempt_on_any_colour(content):
    assert reg(content, line("words", 100, 500, "Black", size=8, font=REGULAR, colour="ink"), [NAVY_PANEL]) == []
    assert reg(content, line("words", 100, 500, "Grey", size=8, font=REGULAR, colour="grey"), [NAVY_PANEL]) == []


def test_text_on_one_plate_or_on_paper_is_allowed(content):
    one_plate = Fill(Rect(50, 400, 400, 200), "yellow", "panel")
    assert reg(content, line("words", 100, 500, "On yellow", size=8, font=REGULAR, colour="white"), [one_plate]) == []
    assert reg(content, line("words", 100, 500, "Yellow", size=8, font=REGULAR, colour="yellow")) == []


def test_the_fill_on_top_decides(content):
    """A white panel over navy that covers the whole line hides the navy; one that covers half does not."""
    covering = Fill(Rect(90, 480, 300, 60), "white", "inset")
    assert reg(content, line("words", 100, 500, "Words", size=8, colour="sun"), [NAVY_PANEL, covering]) != []  # sun
    assert reg(content, line("words", 100, 500, "Words", size=8, colour="white"), [NAVY_PANEL, covering]) == []
    half = Fill(Rect(90, 480, 50, 60), "white", "inset")
    got = reg(content, line("words", 100, 500, "Words", size=8, colour="white"), [NAVY_PANEL, half])
    assert len(got) == 1 and "reversed out of navy" in got[0]
    below = Fill(Rect(50, 100, 400, 100), "navy", "footer")  # a navy fill elsewhere is not under the text
    assert reg(content, line("words", 100, 500, "Words", size=8, colour="white"), [below]) == []


def test_one_registration_problem_per_box_and_key(content):
    lines = [line("words", 100, 500 - 20 * i, f"line {i}", size=10, colour="navy") for i in range(3)]
    lines.append(line("words", 100, 400, "   ", size=10, colour="navy"))  # spaces print nothing
    pg = page(lines=lines)
    got = [m for m in about(judge(document(pg, palette=PALETTE, min_body_pt=6), content), "words", "products.words")
           if "plates" in m]
    assert len(got) == 1 and "'line 0'" in got[0]


# --- folds ---------------------------------------------------------------------------------------------

TRIM_X = 3 * MM  # a print-shop page: the trim starts 3 mm into the media
FOLD = TRIM_X + 100 * MM  # a crease 100 mm from the trim's left edge


def folded(**parts) -> Page:
    pg = page(**parts)
    pg.trim = Rect(TRIM_X, 0, pg.trim.w, pg.trim.h)
    pg.folds = [FOLD]
    return pg


def fold_problems(content, pg: Page, box: str, key: str = "") -> list[str]:
    return [m for m in about(judge(document(pg, palette=PALETTE, min_body_pt=6), content), box, key) if "fold" in m]


@pytest.mark.parametrize("gap_mm, refused", [(0.0, True), (1.4, True), (1.5, False), (3.0, False)])
def test_a_colour_that_starts_near_a_fold(content, gap_mm: float, refused: bool):
    cover = Fill(Rect(FOLD + gap_mm * MM, 0, 80 * MM, 297 * MM), "navy", "cover")
    got = fold_problems(content, folded(fills=[cover]), "cover")
    assert got == ([f"its navy starts {gap_mm:.1f} mm from the fold at 100 mm; a colour that meets a fold runs at "
                    "least 1.5 mm past it, so a fold that lands a little off shows neither a white edge nor a line of "
                    "colour: make it start at 98.5 mm"] if refused else [])


@pytest.mark.parametrize("gap_mm, refused", [(1.4, True), (1.5, False)])
def test_a_colour_that_ends_near_a_fold_on_either_side(content, gap_mm: float, refused: bool):
    for sign in (1, -1):
        end = FOLD + sign * gap_mm * MM
        panel = Fill(Rect(TRIM_X + 10 * MM, 0, end - TRIM_X - 10 * MM, 297 * MM), "sun", "panel")
        got = fold_problems(content, folded(fills=[panel]), "panel")
        assert got == ([f"its sun ends {gap_mm:.1f} mm from the fold at 100 mm; a colour that meets a fold runs at "
                        "least 1.5 mm past it, so a fold that lands a little off shows neither a white edge nor a "
                        "line of colour: make it end at 101.5 mm"] if refused else []), sign


def test_unprinted_paper_may_meet_a_fold(content):
    white = Fill(Rect(FOLD, 0, 80 * MM, 297 * MM), "white", "blank")
    assert fold_problems(content, folded(fills=[white]), "blank") == []


@pytest.mark.parametrize("gap_mm, refused", [(4.9, True), (5.0, False)])
def test_text_keeps_5_mm_from_a_fold_on_either_side(content, gap_mm: float, refused: bool):
    w = 40 * MM
    for x in (FOLD + gap_mm * MM, FOLD - gap_mm * MM - w):
        text = line("words", x, 500, "Near the fold", w=w)
        got = fold_problems(content, folded(lines=[text]), "words", "products.words")
        assert got == ([f"text 'Near the fold' lies {gap_mm:.1f} mm from the fold at 100 mm; keep it at least 5 mm "
                        "from every fold (a fold never lands exactly on its line)"] if refused else []), x


def test_text_across_a_fold_is_refused_once_for_its_key(content):
    lines = [line("words", FOLD - 10 * MM, 500 - 20 * i, f"Across {i}", w=20 * MM) for i in range(3)]
    got = fold_problems(content, folded(lines=lines), "words", "products.words")
    assert got == ["text 'Across 0' crosses the fold at 100 mm; keep it at least 5 mm from every fold (a fold never "
                   "lands exactly on its line)"]


@pytest.mark.parametrize("gap_mm, refused", [(0.0, True), (4.9, True), (5.0, False)])
def test_a_qr_code_keeps_5_mm_from_a_fold(content, gap_mm: float, refused: bool):
    code = qr("code", FOLD + gap_mm * MM, 300, size_mm=35)
    got = fold_problems(content, folded(qrcodes=[code]), "code", "contacts.ceop.web")
    where = "crosses" if gap_mm == 0 else f"lies {gap_mm:.1f} mm from"
    assert got == ([f"the QR code {where} the fold at 100 mm; keep it at least 5 mm from every fold (a fold never "
                    "lands exactly on its line)"] if refused else [])


# --- QR module size ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["poster", "leaflet"])
@pytest.mark.parametrize("module_mm, refused", [(0.99, True), (1.0, False)])
def test_qr_modules_of_at_least_1_mm_on_posters_and_leaflets(content, kind: str, module_mm: float, refused: bool):
    code = qr("code", 100, 300, size_mm=37 * module_mm, n=37)
    got = [m for m in about(judge(document(page(qrcodes=[code]), kind=kind), content), "code", "contacts.ceop.web")
           if "modules are" in m]
    assert got == ([f"the QR code's modules are 0.99 mm (37 modules in 36.6 mm); at least 1.0 mm is needed on a "
                    f"{kind}, so a phone reads it from a step away: make qr_size at least 37 mm, or use a shorter "
                    "address (fewer modules)"] if refused else [])


def test_a_cards_qr_modules_have_no_floor(content):
    code = qr("code", 100, 300, size_mm=20, n=37)  # 0.54 mm modules, read from a hand's length
    assert [m for m in about(judge(document(page(qrcodes=[code]), kind="card"), content), "code", "contacts.ceop.web")
            if "modules are" in m] == []


# --- registration: the edges of the rule -------------------------------------------------------------------

@pytest.mark.parametrize("size, refused", [(13.98, True), (13.99, False)])
def test_bold_text_within_a_hundredth_of_a_point_of_14_is_14(content, size: float, refused: bool):
    """Sizes come out of scaling (the A3 is the A4 times 1.4142), so 13.99 pt is 14 pt to the press."""
    got = reg(content, line("words", 100, 500, "Navy words", size=size, font=BOLD, colour="navy"))
    assert bool(got) is refused


@pytest.mark.parametrize("size, refused", [(13.9, True), (14.0, False)])
def test_a_colour_of_two_plates_counts_as_several(content, size: float, refused: bool):
    """Sun (magenta and yellow) is two plates: small text in it, or reversed out of it, is refused
    the same as navy's three."""
    got = reg(content, line("words", 100, 500, "Sun words", size=size, font=BOLD, colour="sun"))
    assert got == ([f"{size:.1f} pt bold text 'Sun words' is printed in sun, a colour made of 2 plates (MY): when the "
                    "plates print slightly out of line its strokes fill in or grow coloured fringes; make it at least "
                    "14 pt bold, or set it in black (it overprints)"] if refused else [])
    panel = Fill(Rect(50, 400, 400, 200), "sun", "panel")
    got = reg(content, line("words", 100, 500, "White words", size=size, colour="white"), [panel])
    assert got == ([f"{size:.1f} pt bold text 'White words' is reversed out of sun, a colour made of 2 plates (MY): "
                    "when the plates print slightly out of line its strokes fill in or grow coloured fringes; make it "
                    "at least 14 pt bold, or put it on a background of one plate (or none) instead of sun"]
                   if refused else [])


def test_of_two_colours_under_the_text_the_one_on_top_is_named(content):
    """Two panels of several plates each lie partly under a line (neither covers it all): the problem
    names the one printed last, on top, which is the one a reader sees the text on."""
    under = Fill(Rect(50, 400, 120, 200), "navy", "under")
    over = Fill(Rect(140, 400, 300, 200), "sun", "over")
    got = reg(content, line("words", 100, 500, "White words", size=10, colour="white", w=200), [under, over])
    assert len(got) == 1 and "reversed out of sun, a colour made of 2 plates (MY)" in got[0]
