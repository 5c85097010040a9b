"""textmarkup: the tiny markup (<b>, <i>, <br>), placeholders, and literal contact details refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from cseprint.errors import Location
from cseprint.models import Content, Text
from cseprint.schema import Checker
from cseprint.textmarkup import LINE_BREAK, Span, check_markup, check_placeholders, parse
from cseprint.validate import load_content

from .conftest import Workspace

LOC = Location("t.yaml", 3, 7)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(Workspace(tmp_path_factory.mktemp("markup") / "ws").content)


def spans(text: str, content: Content, **kw) -> list[Span]:
    from cseprint.lookup import nation_texts

    return parse(text, content.contacts, content.edition, nation=nation_texts(content, ["en-GB"], "england"), **kw)


def markup_problems(text: str) -> list[str]:
    ck = Checker()
    check_markup(text, "k.key", LOC, ck)
    for p in ck.problems:
        assert p.location == LOC and p.key == "k.key"
    return [p.message for p in ck.problems]


def placeholder_problems(text: str, content: Content) -> list[str]:
    ck = Checker()
    check_placeholders(Text(text, "k.key", LOC), content.contacts, ck)
    return [p.message for p in ck.problems]


# --- parse ---------------------------------------------------------------------------------------

def test_plain_text_is_one_span(content: Content):
    assert spans("Report it.", content) == [Span("Report it.")]


def test_bold_italic_and_break(content: Content):
    got = spans("a <b>b</b> <i>c</i><br>d<br/>e", content)
    assert got == [Span("a "), Span("b", bold=True), Span(" "), Span("c", italic=True), LINE_BREAK, Span("d"),
                   LINE_BREAK, Span("e")]


def test_nested_bold_italic(content: Content):
    assert spans("<b>x<i>y</i></b>", content) == [Span("x", bold=True), Span("y", bold=True, italic=True)]


def test_style_defaults_survive_closing_tags(content: Content):
    # a label set in bold stays bold after a </b> inside it
    assert spans("<b>x</b>y", content, bold=True) == [Span("x", bold=True), Span("y", bold=True)]


@pytest.mark.parametrize("text", ['<img src="/etc/passwd"/>', "<font size=40>x</font>", "AT&T", "x<y", "&amp;",
                                  "<B>x</B>", "<b >x", "<a href='x'>y</a>", "<br x>"])
def test_other_markup_is_literal(text: str, content: Content):
    assert "".join(s.text for s in spans(text, content)) == text
    assert all(not s.bold and not s.italic for s in spans(text, content))


def test_double_braces_are_literal(content: Content):
    assert "".join(s.text for s in spans("{{nspcc.phone}} and }}", content)) == "{nspcc.phone} and }"


def test_placeholders_become_unbreakable_spans(content: Content):
    phone, web, name = content.contacts["nspcc"].phone, content.contacts["nspcc"].web, content.contacts["nspcc"].name
    got = spans("Call <b>{nspcc.phone}</b> or {nspcc.web}, {nspcc.name}", content)
    assert Span(phone, bold=True, nobreak=True, contact="nspcc") in got
    assert Span(web, nobreak=True, url=True, contact="nspcc") in got
    assert Span(name, contact="nspcc") in got  # a name may wrap
    assert "".join(s.text for s in got) == f"Call {phone} or {web}, {name}"


def test_edition_placeholders(content: Content):
    got = spans("Edition {edition.version}, {edition.date}", content)
    assert "".join(s.text for s in got) == f"Edition {content.edition.version}, {content.edition.date}"


# --- check_markup --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Report it.", "<b>x</b> <i>y</i>", "<b><i>x</i></b>", "a<br>b", "AT&T <x>",
                                  "Years 7 to 11", "Call {nspcc.phone}", "1 in 20 children", "£101 fine",
                                  "version 1.101", "Open 24/7"])
def test_acceptable_markup(text: str):
    assert markup_problems(text) == []


@pytest.mark.parametrize("text, fragment", [
    ("<b>x", "<b> is never closed"),
    ("x</b>", "</b> closes nothing"),
    ("<b><i>x</b></i>", "</b> closes nothing"),
    ("<b><b>x</b></b>", "<b> inside <b>"),
])
def test_unbalanced_tags(text: str, fragment: str):
    got = markup_problems(text)
    assert len(got) == 1 and fragment in got[0]


@pytest.mark.parametrize("text, what", [
    ("call 0808 800 5000", "a phone number"),
    ("call 08088005000", "a phone number"),
    ("call +44 808 800 5000", "a phone number"),
    ("dial 999 now", "a phone number"),
    ("ring 101", "a phone number"),
    ("ring 116 123", "a phone number"),
    ("textphone 18001 101", "a phone number"),
    ("email help@nspcc.org.uk", "an email address"),
    ("go to https://example.org/x", "a web address"),
    ("go to www.example.org", "a web address"),
    ("see nspcc.org.uk", "a web address"),
    ("call 0800 1111", "a phone number"),
    ("call <b>0808</b> 800 5000", "a phone number"),
])
def test_literal_contact_details_refused(text: str, what: str):
    got = markup_problems(text)
    assert len(got) == 1
    assert f"contains {what} typed into the text" in got[0]
    assert "{nspcc.phone}" in got[0]


# --- placeholders --------------------------------------------------------------------------------

def test_known_placeholders_are_fine(content: Content):
    assert placeholder_problems("{nspcc.phone} {childline.name} {ceop.web} {edition.version} {{x}}", content) == []


@pytest.mark.parametrize("text, fragment", [
    ("{nspc.phone}", "names an unknown contact 'nspc' (did you mean 'nspcc'?)"),
    ("{unknown.phone}", "names an unknown contact 'unknown'"),
    ("{nspcc.dial}", "'dial' is not a contact field"),
    ("{fearless.phone}", "contact 'fearless' has no phone"),
    ("{edition.author}", "the edition has only version, date"),
    ("{not a placeholder}", "is not a placeholder"),
    ("{}", "is not a placeholder"),
])
def test_bad_placeholders(text: str, fragment: str, content: Content):
    got = placeholder_problems(text, content)
    assert len(got) == 1 and fragment in got[0], got


def test_every_problem_in_one_text_is_reported(content: Content):
    assert len(placeholder_problems("{nspc.phone} and {nspcc.dial}", content)) == 2


def test_content_text_placeholders_all_resolve(content: Content):
    """Every text in the shipped content parses (placeholders resolve) without raising."""
    from cseprint.validate import walk_texts

    texts = [t for ns in content.locales.values() for t in walk_texts(ns) if isinstance(t, Text)]
    assert len(texts) > 20
    for t in texts:
        if "{school" in t.value:
            continue  # needs a school profile
        got = spans(t.value, content)
        assert all("<b>" not in s.text and "<i>" not in s.text for s in got), t.key
    assert Path(texts[0].loc.file).suffix == ".yaml"


# --- numbers disguised by spaces, dots or the letter O ---------------------------------------------

@pytest.mark.parametrize("text, typed", [
    ("Call 0 8 0 8 8 0 0 5 0 0 0 now.", "0 8 0 8 8 0 0 5 0 0 0"),
    ("Call 0808.800.5000 now.", "0808.800.5000"),
    ("Call 0808-800-5000.", "0808-800-5000"),
    ("Call 0800 - 1111.", "0800 - 1111"),
    ("Ring O8O8 8OO 5OOO.", "O8O8 8OO 5OOO"),
    ("Ring o8o8 8oo 5ooo.", "o8o8 8oo 5ooo"),
    ("Ring O 8 O 8 8 O O 5 O O O.", "O 8 O 8 8 O O 5 O O O"),
    ("Ring O8OO 1111.", "O8OO 1111"),
    ("Call 9 9 9 in an emergency.", "9 9 9"),
    ("Call 9.9.9 in an emergency.", "9.9.9"),
    ("Dial 1 1 6 1 2 3.", "1 1 6 1 2 3"),
    ("Call 1O1 to report.", "1O1"),
    ("Call +44 (0) 808 800 5000.", "+44 (0) 808 800 5000"),
    ("Call <b>0 8 0 0</b> 1 1 1 1.", "0 8 0 0 1 1 1 1"),  # tags are not a way round it
])
def test_numbers_typed_with_spaces_dots_or_the_letter_o_are_refused(text: str, typed: str):
    problems = markup_problems(text)
    assert len(problems) == 1 and "contains a phone number typed into the text" in problems[0]
    assert f"'{typed}'" in problems[0]  # quoted as written, Os and all


@pytest.mark.parametrize("text", [
    "In 2022, 1 in 5 children said so.", "Year 9 pupils", "aged 11 to 17", "on 20 November 2026",
    "Room 12", "£1.50 a call", "version 1.2.3", "Ooh, O2 and 3 networks", "O level results", "at 9.30 am",
    "0.5 per cent", "between 10 and 11 o'clock", "1 2 3 go", "top 10", "COVID-19", "in 2023-24",
    "Section 11 of the Children Act 2004", "O O O", "01.12.2026", "OOOOOOOOOO", "Oooooh no", "1 in 3 (33%)",
    "10,000 children", "2,500 reports in 2023", "ages 5 to 11, 11 to 16", "from 0 to 18", "about 0.05",
    "9 out of 10", "2O23 figures", "aged 0 - 18, 19 - 25", "the 10 o'clock news", "1 in 10 of 100 schools",
])
def test_ordinary_prose_with_numbers_and_the_letter_o_is_accepted(text: str):
    assert markup_problems(text) == []


def test_a_spaced_out_number_in_content_stops_the_build_naming_the_key(ws: Workspace):
    ws.set_text("poster_subhead", "A suspicion is enough. Call O 8 O 8 8 O O 5 O O O.")
    r = ws.check("--layout", "poster-a4")
    assert r.code == 1
    line = next(ln for ln in r.err.splitlines() if "poster_subhead" in ln)
    assert "products.yaml:" in line and "products.poster_subhead: contains a phone number" in line
    assert "'O 8 O 8 8 O O 5 O O O'" in line
