"""textmarkup's rules, one limit at a time: the letter O read as zero, what a tag or placeholder
leaves between digits, school and nation placeholders, and which spans may break.

These call the pure functions on the project's own content (loaded once, read only), so each
rule is tested on both sides of its limit in a few milliseconds.
"""

from __future__ import annotations

import pytest

from cseprint.errors import Location
from cseprint.models import Content, Text
from cseprint.schema import Checker
from cseprint.textmarkup import NeedsSchool, Span, check_markup, check_placeholders, letter_o_as_zero, parse
from cseprint.validate import load_content

from .conftest import PROJECT

LOC = Location("t.yaml", 3, 7)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(PROJECT / "content")


def markup_problems(text: str) -> list[str]:
    ck = Checker()
    check_markup(text, "k.key", LOC, ck)
    assert all(p.location == LOC and p.key == "k.key" for p in ck.problems)
    return [p.message for p in ck.problems]


def placeholder_problems(text: str, content: Content, skip: frozenset[str] = frozenset()) -> list[str]:
    """The messages for ``text``; each must be reported at the text's own key and place."""
    ck = Checker()
    check_placeholders(Text(text, "k.key", LOC), content.contacts, ck, skip=skip)
    assert all(p.location == LOC and p.key == "k.key" for p in ck.problems)
    return [p.message for p in ck.problems]


def spans(text: str, content: Content, **kw) -> list[Span]:
    return parse(text, content.contacts, content.edition, **kw)


# --- the letter O among digits ---------------------------------------------------------------------

@pytest.mark.parametrize("text, read", [
    ("O8", "O8"),  # one real digit: a name such as "O2" or a grid square, left alone
    ("O88", "088"),  # two real digits: a number with a zero typed as O
    ("8O", "8O"),
    ("8O8", "808"),
    ("O 8 O", "O 8 O"),
    ("O 8 O 8", "0 8 0 8"),
])
def test_the_letter_o_is_read_as_zero_only_beside_two_real_digits(text: str, read: str):
    assert letter_o_as_zero(text) == read


# --- what markup leaves between the words it separates ---------------------------------------------

def test_a_line_break_between_digits_does_not_join_them_into_another_number():
    """``Press 1<br>0808 800 5000``: the number on its own line is still a number typed in. Were the
    break dropped instead of read as a space, "10808 800 5000" would begin with a 1 and pass."""
    (msg,) = markup_problems("Press 1<br>0808 800 5000")
    assert "contains a phone number typed into the text ('0808 800 5000')" in msg


def test_a_placeholder_between_a_pound_sign_and_a_number_leaves_a_space():
    """A placeholder is a word of its own: "£{nspcc.name}0808 800 5000" types a number after a
    name, not a sum of money."""
    (msg,) = markup_problems("£{nspcc.name}0808 800 5000")
    assert "'0808 800 5000'" in msg


def test_a_tag_inside_a_number_leaves_nothing_so_the_number_is_still_seen():
    (msg,) = markup_problems("Call 08<b>08 800 5000</b>")
    assert "'0808 800 5000'" in msg


# --- placeholders: the contacts already reported, school and school-contact fields -----------------

def test_a_broken_contact_is_not_reported_again_by_every_text_naming_it(content: Content):
    assert placeholder_problems("{broken.phone}", content, skip=frozenset({"broken"})) == []
    (msg,) = placeholder_problems("{broken.phone}", content, skip=frozenset({"other"}))
    assert "names an unknown contact 'broken'" in msg
    # skip names contacts, never fields
    (msg,) = placeholder_problems("{broken.phone}", content, skip=frozenset({"phone"}))
    assert "'broken'" in msg


@pytest.mark.parametrize("text, fragment", [
    ("{school.nme}", "{school.nme}: a school has only name, role_name"),
    ("{school-council.phne}", "{school-council.phne}: 'phne' is not a contact field"),
])
def test_a_school_placeholder_names_a_field_a_school_has(text: str, fragment: str, content: Content):
    (msg,) = placeholder_problems(text, content)
    assert fragment in msg


@pytest.mark.parametrize("text", ["{school.name}", "{school.dsl_name}", "{school-council.phone}",
                                  "{school-council-ooh.hours}", "{nation.role}"])
def test_school_and_nation_placeholders_with_real_fields_pass(text: str, content: Content):
    assert placeholder_problems(text, content) == []


# --- parse: school, nation and contact placeholders ------------------------------------------------

def test_a_school_field_is_a_breakable_span_marked_as_the_schools(content: Content):
    """A school's name is words that may wrap (and be hyphenated), and is marked as the school's so
    the document knows it prints a school's details."""
    got = spans("Ask <b>{school.name}</b>", content, school={"name": "Oak Tree School"})
    assert got == [Span("Ask "), Span("Oak Tree School", bold=True, nobreak=False, school=True)]
    assert not any(s.school for s in spans("Call {nspcc.phone} {edition.version}", content))


@pytest.mark.parametrize("school", [None, {}, {"name": ""}, {"role_name": "Lead"}])
def test_a_school_field_the_profile_does_not_give_is_asked_for(school: dict | None, content: Content):
    with pytest.raises(NeedsSchool, match=r"\{school\.name\}"):
        spans("Ask {school.name}", content, school=school)


def test_a_nation_text_is_parsed_in_place_and_recorded_as_used(content: Content):
    phone = content.contacts["nspcc"].phone
    nation = {"role": Text("lead, or {nspcc.phone}", "nations.england.role", LOC)}
    used: set[str] = set()
    got = spans("<b>Ask the {nation.role}</b>", content, nation=nation, used=used)
    assert got == [Span("Ask the ", bold=True), Span("lead, or ", bold=True),
                   Span(phone, bold=True, nobreak=True, contact="nspcc")]
    assert used == {"nations.england.role"}
    spans("{nation.role}", content, nation=nation)  # used is optional


@pytest.mark.parametrize("nation", [None, {}, {"other": Text("x", "nations.england.other", LOC)}])
def test_a_nation_text_the_build_lacks_is_asked_for(nation: dict | None, content: Content):
    with pytest.raises(NeedsSchool, match=r"\{nation\.role\}"):
        spans("{nation.role}", content, nation=nation)


@pytest.mark.parametrize("text, named", [("{nobody.phone}", "{nobody.phone}"), ("{fearless.phone}", "{fearless.phone}"),
                                         ("{school-council.phone}", "{school-council.phone}")])
def test_a_contact_or_field_the_registry_lacks_is_asked_for(text: str, named: str, content: Content):
    """A school's contacts (school-council) come from its profile; without one, or for a field a
    contact does not have, parse asks for it rather than printing nothing or failing."""
    assert content.contacts["fearless"].phone is None
    with pytest.raises(NeedsSchool) as exc:
        spans(text, content)
    assert str(exc.value) == named


def test_edition_values_stay_whole_and_names_and_hours_may_wrap(content: Content):
    c = content.contacts["nspcc"]
    got = spans("{edition.version} {edition.date} {nspcc.hours} {nspcc.name} {nspcc.email} {ceop.short_name}",
                content)
    pieces = [s for s in got if s.text.strip()]
    assert [s.nobreak for s in pieces] == [True, True, False, False, True, True]
    assert [s.text for s in pieces][2:4] == [c.hours, c.name]
