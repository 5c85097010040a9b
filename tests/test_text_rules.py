"""compose/text's line breaking, one rule at a time, with metrics worked out by hand.

Every character is half an em wide (``flowkit.HalfEm``): at 10 pt a character is 5 pt, so
"aaaa bbbb" is 45 pt. A bold face of its own lets a test see which face a run is set in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cseprint.compose.text import Block, Piece, SetLine, Typesetter, Word
from cseprint.document import Run
from cseprint.errors import Location
from cseprint.models import TextStyle
from cseprint.textmarkup import LINE_BREAK, Span

from .flowkit import HalfEm

LOC = Location("t.yaml", 1, 1)
BODY = TextStyle("body", "f", False, False, "body", 1.25, "ink", "left", "body", LOC)
BIG = TextStyle("big", "f", False, False, "big", 1.5, "navy", "centre", "heading", LOC)


@dataclass
class Lay:
    """The part of a Layout the typesetter reads."""

    type_scale: dict = field(default_factory=lambda: {"body": 10.0, "big": 20.0})


class Hyphens(HalfEm):
    """HalfEm with a hyphenation dictionary that allows breaks at ``points``."""

    def __init__(self, points: list[int]):
        super().__init__()
        self.points = points

    def hyphenate(self, word: str) -> list[int]:
        return self.points


def ts(fonts: HalfEm | None = None) -> Typesetter:
    return Typesetter(fonts or HalfEm(), Lay(), None)


def texts(block: Block) -> list[str]:
    return ["".join(r.text for r in ln.runs) for ln in block.lines]


# --- words ------------------------------------------------------------------------------------------------

def test_words_split_at_spaces_and_tabs_and_a_line_break_is_none():
    got = ts().words([Span("aa  bb\tcc"), LINE_BREAK, Span("dd")], BODY)
    assert [w.text if w else None for w in got] == ["aa", "bb", "cc", None, "dd"]


def test_a_number_stays_one_word_with_what_is_glued_to_it():
    got = ts().words([Span("("), Span("0800 1111", nobreak=True), Span("), then")], BODY)
    assert [w.text for w in got] == ["(0800 1111),", "then"]
    assert [p.nobreak for p in got[0].pieces] == [False, True, False]


def test_a_web_address_makes_its_word_breakable_after_slashes_and_only_that_word():
    got = ts().words([Span("see"), Span(" "), Span("https://a.org/x", nobreak=True, url=True), Span(" now")], BODY)
    assert [(w.text, w.breakable_url) for w in got] == [("see", False), ("https://a.org/x", True), ("now", False)]


def test_soft_hyphens_are_removed_and_bold_and_italic_come_from_the_span_or_the_style():
    got = ts().words([Span("ab\u00adc", bold=True), Span(" d "), Span("e\u00ad", nobreak=True, italic=True)], BODY)
    assert [w.text for w in got] == ["abc", "d", "e"]
    assert [(w.pieces[0].bold, w.pieces[0].italic) for w in got] == [(True, False), (False, False), (False, True)]
    bold = TextStyle("b", "f", True, True, "body", 1.25, "ink", "left", "body", LOC)
    assert all(w.pieces[0].bold and w.pieces[0].italic for w in ts().words([Span("x y")], bold))


def test_a_schools_words_may_be_hyphenated_and_no_other():
    got = ts().words([Span("Ann", school=True), Span(" x")], BODY)
    assert [p.hyphenate for w in got for p in w.pieces] == [True, False]


# --- set: greedy filling at its limits ------------------------------------------------------------------------------

def test_a_line_takes_words_while_they_fit_exactly():
    # "aaaa bbbb" is 45 pt: it fits 45 pt, not 44.9
    assert texts(ts().set([Span("aaaa bbbb")], BODY, 45.0)) == ["aaaa bbbb"]
    assert texts(ts().set([Span("aaaa bbbb")], BODY, 44.9)) == ["aaaa", "bbbb"]


def test_an_indent_takes_room_from_every_line_and_moves_its_runs():
    blk = ts().set([Span("aaaa bbbb")], BODY, 50.0, indent=5.0)
    assert texts(blk) == ["aaaa bbbb"] and blk.lines[0].runs[0].x == 5.0 and blk.lines[0].width == 50.0
    assert texts(ts().set([Span("aaaa bbbb")], BODY, 50.0, indent=5.1)) == ["aaaa", "bbbb"]


def test_a_forced_break_ends_a_line_and_a_break_alone_gives_an_empty_line():
    blk = ts().set([Span("aa"), LINE_BREAK, LINE_BREAK, Span("bb")], BODY, 100.0)
    assert texts(blk) == ["aa", "", "bb"]


def test_a_set_lines_size_leading_role_and_align_are_its_styles():
    ln = ts().set([Span("aa")], BIG, 100.0).lines[0]
    assert (ln.size, ln.leading, ln.role, ln.align, ln.width) == (20.0, 1.5, "heading", "centre", 20.0)
    assert ts().set([Span("aa")], BIG, 100.0).height == pytest.approx(30.0)


def test_a_block_is_as_tall_as_its_lines_and_reads_as_their_text():
    blk = ts().set([Span("aaaa bbbb cccc")], BODY, 45.0)
    assert blk.height == pytest.approx(2 * 12.5) and blk.text == "aaaa bbbb cccc"
    assert Block().height == 0


def test_a_word_wider_than_the_line_is_recorded_with_the_room_it_had():
    blk = ts().set([Span("aa bbbbbbbbbb cc")], BODY, 30.0, indent=2.0)
    assert blk.too_wide == [("bbbbbbbbbb", 28.0)]
    assert texts(blk) == ["aa", "bbbbbbbbbb", "cc"]  # on a line of its own, the next word after it
    assert ts().set([Span("bbbbbb")], BODY, 30.0).too_wide == []  # 30 pt: exactly the room


def test_the_faces_a_block_uses_are_the_faces_of_its_runs():
    assert ts().set([Span("a "), Span("b", bold=True)], BODY, 100.0).faces == frozenset({"halfem", "halfem-bold"})
    assert ts().set([Span("a")], BODY, 100.0).faces == frozenset({"halfem"})


# --- runs on a line ---------------------------------------------------------------------------------------------------

def test_runs_in_one_face_merge_and_a_change_of_face_starts_a_new_run_where_the_last_ended():
    ln = ts().set([Span("aa bb"), Span(" cc", bold=True), Span(" dd")], BODY, 200.0).lines[0]
    assert ln.runs == [Run(0.0, "aa bb", "halfem", 10.0, "ink"), Run(25.0, " cc", "halfem-bold", 10.0, "ink"),
                       Run(40.0, " dd", "halfem", 10.0, "ink")]
    assert ln.width == 55.0


def test_a_space_between_words_takes_the_style_of_the_word_after_it():
    ln = ts().set([Span("aa"), Span(" "), Span("bb", bold=True)], BODY, 200.0).lines[0]
    assert [r.text for r in ln.runs] == ["aa", " bb"]


def test_a_line_is_as_tall_as_its_largest_size():
    ts_ = ts()
    line = ts_._line([Word([Piece("a", BODY, False, False)]), Word([Piece("b", BIG, False, False)])], BODY, 0.0)
    assert line.size == 20.0 and [r.size for r in line.runs] == [10.0, 20.0]
    assert [r.colour for r in line.runs] == ["ink", "navy"]
    assert line.runs[1].x == 5.0 and line.runs[1].text == " b"  # the space is in the next word's style
    assert isinstance(line, SetLine) and line.width == 5.0 + 10.0 + 10.0  # a, then " b" at 20 pt


def test_measure_is_the_width_in_the_styles_size():
    assert ts().measure("abcd", BIG) == 40.0 and ts().measure("ab", BODY, bold=True) == 10.0


# --- web addresses and hyphenated words too wide for the line ---------------------------------------------------------

def addr(text: str) -> list[Span]:
    return [Span(text, nobreak=True, url=True)]


def test_a_web_address_too_wide_breaks_after_its_slashes():
    blk = ts().set(addr("https://ab.org/cdef/gh"), BODY, 60.0)  # 12 characters a line
    assert texts(blk) == ["https://", "ab.org/cdef/", "gh"] and blk.too_wide == []


def test_a_host_name_too_wide_for_a_line_breaks_before_a_dot_or_a_hyphen():
    blk = ts().set(addr("https://www.very-long.example.org/"), BODY, 50.0)  # 10 characters a line
    assert texts(blk) == ["https://", "www.very", "-long", ".example", ".org/"]
    assert blk.too_wide == []


def test_a_web_address_starts_on_a_line_begun_when_its_first_part_fits():
    blk = ts().set([Span("see "), *addr("https://ab.org/cd")], BODY, 65.0)  # 13 characters a line
    assert texts(blk) == ["see https://", "ab.org/cd"]
    blk = ts().set([Span("seeabc "), *addr("https://ab.org/cd")], BODY, 65.0)  # "https://" does not fit after it
    assert texts(blk) == ["seeabc", "https://", "ab.org/cd"]


def test_an_address_whose_parts_are_all_too_wide_is_refused_not_broken_badly():
    blk = ts().set(addr("https://abcdefghijkl"), BODY, 30.0)
    assert blk.too_wide == [("https://abcdefghijkl", 30.0)] and texts(blk) == ["https://abcdefghijkl"]


def test_a_full_stop_after_an_address_stays_with_its_last_part():
    blk = ts().set([*addr("https://ab.org/cdef"), Span(".")], BODY, 60.0)
    assert texts(blk) == ["https://", "ab.org/cdef."]


def test_a_long_hyphenated_word_breaks_after_its_own_hyphen_never_a_new_one():
    blk = ts().set([Span("Smith-Jones-Brown")], BODY, 60.0)
    assert texts(blk) == ["Smith-Jones-", "Brown"] and blk.too_wide == []
    assert ts().set([Span("Smithjonesbrown")], BODY, 60.0).too_wide  # no hyphen of its own: refused


def test_a_number_is_never_broken_at_its_hyphens():
    blk = ts().set([Span("0800-1111-2222-3333", nobreak=True)], BODY, 50.0)
    assert texts(blk) == ["0800-1111-2222-3333"] and blk.too_wide


# --- a school's long name: hyphenated, at the dictionary's points when it can ------------------------------------------

def name(text: str) -> list[Span]:
    return [Span(text, school=True)]


def test_a_schools_long_name_is_hyphenated_anywhere_when_the_dictionary_has_no_point():
    blk = ts().set(name("Abcdefghijklmn"), BODY, 30.0)  # 6 characters a line: 5 letters and a hyphen
    assert texts(blk) == ["Abcde-", "fghij-", "klmn"] and blk.too_wide == []


def test_the_dictionarys_points_are_preferred_the_latest_that_fits():
    blk = ts(Hyphens([2, 3, 8])).set(name("Abcdefghijklmn"), BODY, 30.0)
    assert texts(blk) == ["Abc-", "defgh-", "ijklmn"]


def test_a_name_hyphenated_where_it_has_a_hyphen_adds_none():
    blk = ts().set(name("Abcd-efghijk"), BODY, 30.0)
    assert texts(blk) == ["Abcd-", "efghi-", "jk"]


def test_a_name_with_a_word_before_it_on_the_line_keeps_the_room_for_it():
    blk = ts().set([Span("("), *name("Abcdefghij")], BODY, 30.0)
    assert texts(blk) == ["(Abcd-", "efghij"]


def test_a_name_too_wide_even_for_one_letter_and_a_hyphen_is_refused():
    blk = ts().set(name("Abcdef"), BODY, 9.0)
    assert blk.too_wide == [("Abcdef", 9.0)]


def test_content_words_and_numbers_are_never_hyphenated():
    assert ts().set([Span("Abcdefghijklmn")], BODY, 30.0).too_wide
    assert ts()._hyphenate(Word([Piece("Abcdefghij", BODY, False, False, nobreak=True, hyphenate=True)]), 30.0) is None
    assert ts()._hyphenate(Word([Piece("Abcdefghij", BODY, False, False, url=True, hyphenate=True)]), 30.0) is None


# --- the memo of set paragraphs -----------------------------------------------------------------------------------------

def test_a_set_paragraph_is_remembered_and_each_caller_gets_its_own_copy():
    fonts = HalfEm()
    t = ts(fonts)
    a = t.set([Span("aaaa bbbb")], BODY, 30.0)
    assert len(fonts.blocks) == 1
    a.lines[0].runs.append(Run(0, "x", "halfem", 10, "ink"))
    a.too_wide.append(("x", 1.0))
    b = t.set([Span("aaaa bbbb")], BODY, 30.0)
    assert texts(b) == ["aaaa", "bbbb"] and b.too_wide == [] and len(fonts.blocks) == 1
    t.set([Span("aaaa bbbb")], BODY, 30.0, indent=1.0)
    t.set([Span("aaaa bbbb")], BIG, 30.0)
    t.set([Span("aaaa bbbb")], BODY, 31.0)
    assert len(fonts.blocks) == 4  # width, indent and style are each part of what is remembered


def test_the_memo_is_emptied_when_it_passes_twenty_thousand_paragraphs():
    fonts = HalfEm()
    fonts.blocks = {i: None for i in range(20_000)}
    ts(fonts).set([Span("a")], BODY, 30.0)
    assert len(fonts.blocks) == 20_001
    ts(fonts).set([Span("b")], BODY, 30.0)
    assert len(fonts.blocks) == 1


def test_a_line_fits_to_the_millionth_of_a_point_and_not_past_it():
    """45 pt of words in 44.999999 pt: within the 1e-6 pt allowed for rounding, to the last bit."""
    assert 44.999999 + 1e-6 == 45.0
    assert texts(ts().set([Span("aaaa bbbb")], BODY, 44.999999)) == ["aaaa bbbb"]
    assert texts(ts().set([Span("aaaa bbbb")], BODY, 44.99999)) == ["aaaa", "bbbb"]


def test_widths_a_ten_thousandth_of_a_point_apart_are_set_apart():
    """The memo's key rounds the width to 4 places: 45 and 44.9996 pt are different paragraphs."""
    t = ts()
    assert texts(t.set([Span("aaaa bbbb")], BODY, 45.0)) == ["aaaa bbbb"]
    assert texts(t.set([Span("aaaa bbbb")], BODY, 44.9996)) == ["aaaa", "bbbb"]
    assert texts(t.set([Span("aaaa bbbb")], BODY, 50.0, indent=5.0)) == ["aaaa bbbb"]
    assert texts(t.set([Span("aaaa bbbb")], BODY, 50.0, indent=5.0004)) == ["aaaa", "bbbb"]


def test_an_address_begun_on_a_line_continues_on_as_many_lines_as_it_needs():
    blk = ts().set([Span("see "), *addr("https://ab.org/cdef/gh/ij")], BODY, 65.0)  # 13 characters a line
    assert texts(blk) == ["see https://", "ab.org/cdef/", "gh/ij"]


def test_an_address_a_little_too_wide_for_the_rest_of_the_line_still_starts_on_it():
    """"see https://ab" is 70 pt in 65: the address is 5 pt too wide for what is left, and its
    first part fits there."""
    assert texts(ts().set([Span("see "), *addr("https://ab")], BODY, 65.0)) == ["see https://", "ab"]


def test_after_an_address_the_line_goes_on_from_the_end_of_its_last_part():
    """"gh/ij" is 25 pt: "andmore" (35 pt) and a space fill the 65 pt line exactly."""
    blk = ts().set([Span("see "), *addr("https://ab.org/cdef/gh/ij"), Span(" andmore")], BODY, 65.0)
    assert texts(blk) == ["see https://", "ab.org/cdef/", "gh/ij andmore"]


@pytest.mark.parametrize("width, too_wide", [(29.5, True), (29.999999, False), (30.0, False)])
def test_a_word_is_too_wide_from_a_millionth_of_a_point_past_the_line(width: float, too_wide: bool):
    assert bool(ts().set([Span("bbbbbb")], BODY, width).too_wide) is too_wide  # 30 pt


@pytest.mark.parametrize("width, lines", [
    (80.0, ["https://x/", "ab.cdefghijklmn/"]),  # "ab.cdefghijklmn/" is 80 pt: exactly the line, kept whole
    (79.999999, ["https://x/", "ab.cdefghijklmn/"]),  # and within the millionth of a point allowed
    (79.5, ["https://x/ab", ".cdefghijklmn/"]),  # half a point too wide: broken before its dot
])
def test_a_part_of_an_address_is_broken_at_its_dots_only_when_wider_than_the_line(width: float, lines: list[str]):
    blk = ts().set(addr("https://x/ab.cdefghijklmn/"), BODY, width)
    assert texts(blk) == lines and blk.too_wide == []


def test_an_opening_bracket_stays_with_the_first_part_of_an_address():
    blk = ts().set([Span("("), *addr("https://ab.org/cdef/gh"), Span(")")], BODY, 60.0)
    assert texts(blk) == ["(https://", "ab.org/cdef/", "gh)"]


def test_a_word_with_one_hyphen_breaks_there():
    blk = ts().set([Span("Smithsonian-Jones")], BODY, 60.0)
    assert texts(blk) == ["Smithsonian-", "Jones"] and blk.too_wide == []


def test_an_address_whose_part_is_half_a_point_too_wide_and_has_no_dot_is_refused():
    blk = ts().set(addr("https://abcdefghijklmno/"), BODY, 79.5)  # "abcdefghijklmno/" is 80 pt
    assert blk.too_wide == [("https://abcdefghijklmno/", 79.5)]


def test_what_is_glued_after_a_hyphenated_name_stays_with_its_last_part():
    blk = ts().set([*name("Abcdefghij"), Span(",")], BODY, 30.0)
    assert texts(blk) == ["Abcde-", "fghij,"]


def test_a_name_half_a_point_too_wide_is_hyphenated():
    assert texts(ts().set(name("Abcdefghij"), BODY, 49.5)) == ["Abcdefgh-", "ij"]  # 50 pt in 49.5


def test_a_name_in_a_column_two_letters_wide_may_be_hyphenated_after_one_letter():
    assert texts(ts().set(name("Abc"), BODY, 10.0)) == ["A-", "bc"]  # one letter and a hyphen: 10 pt


class Italic(HalfEm):
    """HalfEm with an italic face of its own, so a test can see which face a space is set in."""

    def split(self, text: str, family: str, bold: bool, italic: bool):
        from .flowkit import HalfEmFace

        return [(HalfEmFace("halfem" + ("-bold" if bold else "") + ("-italic" if italic else "")), text, False)]


def test_the_space_before_a_word_of_several_pieces_comes_first_in_the_first_pieces_face():
    blk = ts(Italic()).set([Span("call "), Span("(", bold=True, italic=True), Span("0800", nobreak=True),
                            Span(")")], BODY, 200.0)
    (ln,) = blk.lines
    assert "".join(r.text for r in ln.runs) == "call (0800)"
    assert [(r.text, r.font) for r in ln.runs] == [("call", "halfem"), (" (", "halfem-bold-italic"),
                                                   ("0800)", "halfem")]


def test_a_name_fills_a_line_to_the_millionth_of_a_point():
    """30 pt of room less a millionth: "Abcde-" (30 pt) and then "fghijk" (30 pt) each fill a line."""
    assert texts(ts().set(name("Abcdefghijk"), BODY, 29.999999)) == ["Abcde-", "fghijk"]


class Missing(HalfEm):
    """HalfEm whose faces have no "ŵ"."""

    def split(self, text: str, family: str, bold: bool, italic: bool):
        from .flowkit import REGULAR

        return [(REGULAR, ch, ch == "ŵ") for ch in text]


def test_characters_no_face_has_are_recorded():
    blk = ts(Missing()).set([Span("aŵb ŵ")], BODY, 200.0)
    assert blk.missing == ["ŵ", "ŵ"] and ts().set([Span("aŵb")], BODY, 200.0).missing == []
