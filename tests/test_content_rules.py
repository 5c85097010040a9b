"""validate/content's rules, one limit at a time, on a tiny content folder written per test.

Each test writes a few small files into ``tmp_path`` and calls ``load_content`` directly (no CLI,
no copy of the project), and checks both sides of each limit, and that every refusal names the
right file, line and key. The schema's length limits are checked on the records themselves.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from cseprint.errors import InputError, Location, Problem
from cseprint.models import Content
from cseprint.schema import Checker
from cseprint.validate.content import CONTACT, EDITION, FACT, LOCALE_INFO, load_content

CONTACTS = """\
contacts:
  c1:
    name: "Childline"
    phone: "0800 1111"
    dial: "08001111"
    audience: "Children"
    anonymous: "unknown"
    status: confirmed
    source: "https://example.org/c1"
    verified_on: 2026-11-01
    review_by: 2027-05-01
  c2:
    name: "NSPCC Helpline"
    web: https://www.nspcc.org.uk/
    audience: "Adults"
    anonymous: "optional"
    status: confirmed
    source: "https://example.org/c2"
    verified_on: 2026-10-01
    review_by: 2027-05-01
"""
NATIONS = "".join(f"{n}:\n  role: \"Lead\"\n  deputy_role: \"Deputy\"\n"
                  for n in ("england", "wales", "scotland", "northern-ireland"))
FILES = {
    "edition.yaml": 'version: "1"\ndate: 2026-11-28\nauthor: "Test"\n',
    "contacts.yaml": CONTACTS,
    "en-GB/t.yaml": 'title: "T"\ncall: "Call {c1.phone}"\n',
    "en-GB/nations.yaml": NATIONS,
}


def write(tmp_path: Path, files: dict[str, str | None]) -> Path:
    root = tmp_path / "content"
    for rel, text in {**FILES, **files}.items():
        if text is None:
            continue
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load(tmp_path: Path, **files: str | None) -> Content:
    """The content folder made of ``FILES`` with ``files`` changed (a path's dots and slashes written
    as __ and ___: ``en_GB___t__yaml``), loaded; it must be valid."""
    return load_content(write(tmp_path, {_path(k): v for k, v in files.items()}))


def problems(tmp_path: Path, **files: str | None) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        load(tmp_path, **files)
    return exc.value.problems


def _path(name: str) -> str:
    return name.replace("___", "/").replace("__", ".").replace("en_GB", "en-GB")


def one(found: list[Problem], key: str, fragment: str = "", file: str = "") -> Problem:
    """The one problem with ``key``; it must say ``fragment`` and be in ``file``."""
    hits = [p for p in found if p.key == key]
    assert len(hits) == 1, [f"{p.location}: {p.key}: {p.message}" for p in found]
    p = hits[0]
    assert fragment in p.message, p.message
    assert p.location is not None and p.location.file.endswith(file), p.location
    return p


def line_of(tmp_path: Path, rel: str, fragment: str, after: int = 0) -> int:
    lines = (tmp_path / "content" / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if i > after and fragment in t)


# --- the records' limits, each on both sides ---------------------------------------------------------------

CONTACT_MIN = {"name": "N", "audience": "A", "anonymous": "no", "status": "retired", "source": "S",
               "verified_on": "2026-01-01", "review_by": "2027-01-01"}
FACT_MIN = {"claim": "C", "source": "S", "verified_on": "2026-01-01", "review_by": "2027-01-01", "status": "confirmed",
            "printed_as": ["t.title"]}
LOCALE_MIN = {"name": "Cymraeg", "reviewed": True}
EDITION_MIN = {"version": "1", "date": "2026-01-01", "author": "A"}
RECORDS = {"contact": (CONTACT, CONTACT_MIN), "fact": (FACT, FACT_MIN), "locale": (LOCALE_INFO, LOCALE_MIN),
           "edition": (EDITION, EDITION_MIN)}


def check(record: str, **values) -> list[Problem]:
    rec, base = RECORDS[record]
    ck = Checker()
    rec.check({**base, **values}, Location("x.yaml", 1, 1), "k", ck)
    return ck.problems


@pytest.mark.parametrize("record", RECORDS)
def test_a_record_with_only_its_required_keys_is_accepted(record: str):
    assert check(record) == []


@pytest.mark.parametrize("record, field, value", [
    ("contact", "short_name", "S"), ("contact", "phone", "0800 1111"), ("contact", "dial", "08001111"),
    ("contact", "textphone", "18001 101"), ("contact", "textphone_dial", "18001101"), ("contact", "email", "a@b.org"),
    ("contact", "web", "https://a.org/"), ("contact", "hours", "24 hours"), ("contact", "hours_status", "confirmed"),
    ("contact", "hours_status", "disputed"), ("contact", "hours_note", "N"), ("contact", "free", True),
    ("contact", "free", None), ("contact", "note", "N"), ("contact", "printed_with", ["t.title"]),
    ("contact", "anonymous", "always"), ("contact", "anonymous", "optional"), ("contact", "anonymous", "no"),
    ("contact", "anonymous", "unknown"),
    ("contact", "status", "confirmed"), ("contact", "status", "unconfirmed"), ("contact", "status", "retired"),
    ("fact", "note", "N"), ("fact", "status", "unconfirmed"), ("fact", "status", "retired"),
    ("locale", "note", "N"), ("locale", "english_terms", ["NSPCC"]),
])
def test_each_optional_key_and_each_choice_is_accepted(record: str, field: str, value):
    assert check(record, **{field: value}) == []


@pytest.mark.parametrize("record, field, limit", [
    ("contact", "name", 120), ("contact", "short_name", 40), ("contact", "phone", 30), ("contact", "textphone", 30),
    ("contact", "hours", 200), ("contact", "hours_note", 1000), ("contact", "audience", 300),
    ("contact", "source", 500), ("contact", "note", 2000),
    ("fact", "claim", 2000), ("fact", "source", 2000), ("fact", "note", 2000),
    ("locale", "name", 60), ("locale", "note", 1000), ("edition", "author", 200),
])
def test_a_text_is_accepted_at_its_length_limit_and_refused_one_past_it(record: str, field: str, limit: int):
    assert check(record, **{field: "x" * limit}) == []
    (p,) = check(record, **{field: "x" * (limit + 1)})
    assert p.key == f"k.{field}" and f"is {limit + 1} characters long; the limit is {limit}" in p.message


@pytest.mark.parametrize("record, field, limit", [("contact", "printed_with", 200), ("fact", "printed_as", 200),
                                                  ("locale", "english_terms", 120)])
def test_a_list_members_length_limit(record: str, field: str, limit: int):
    assert check(record, **{field: ["x" * limit]}) == []
    (p,) = check(record, **{field: ["x" * (limit + 1)]})
    assert p.key == f"k.{field}[0]" and f"the limit is {limit}" in p.message


@pytest.mark.parametrize("record, field", [("contact", "name"), ("contact", "short_name"), ("contact", "phone"),
                                           ("contact", "textphone"), ("contact", "hours"), ("locale", "name"),
                                           ("edition", "author")])
def test_a_one_line_text_with_a_line_break_is_refused(record: str, field: str):
    (p,) = check(record, **{field: "a\nb"})
    assert p.key == f"k.{field}" and "must be on one line" in p.message


def test_a_locale_term_is_one_line_and_a_fact_prints_somewhere():
    (p,) = check("locale", english_terms=["a\nb"])
    assert p.key == "k.english_terms[0]" and "must be on one line" in p.message
    (p,) = check("fact", printed_as=[])
    assert p.key == "k.printed_as" and "at least 1 needed" in p.message


@pytest.mark.parametrize("record, field", [("contact", "hours_status"), ("contact", "status"),
                                           ("contact", "anonymous"), ("fact", "status")])
def test_a_choice_outside_the_list_is_refused(record: str, field: str):
    (p,) = check(record, **{field: "maybe"})
    assert p.key == f"k.{field}" and "'maybe' is not allowed" in p.message


# --- the folder -----------------------------------------------------------------------------------------------

def test_the_tiny_folder_is_valid_and_the_edition_is_checked_as_of_the_oldest_confirmed_contact(tmp_path: Path):
    c = load(tmp_path)
    assert sorted(c.contacts) == ["c1", "c2"] and list(c.locales) == ["en-GB"]
    assert c.edition.checked == dt.date(2026, 10, 1)  # c2, the older of the two
    assert c.locale_info["en-GB"].reviewed is True and c.locale_info["en-GB"].name == "en-GB"
    assert c.contacts["c1"].field_loc("phone").line == line_of(tmp_path, "contacts.yaml", "phone:")
    assert c.contacts["c1"].printed_with == ()
    assert c.facts == {}


def test_an_unconfirmed_contact_does_not_date_the_edition(tmp_path: Path):
    c = load(tmp_path, contacts__yaml=CONTACTS.replace("status: confirmed\n    source: \"https://example.org/c2\"",
                                                       "status: unconfirmed\n    source: \"https://example.org/c2\""))
    assert c.edition.checked == dt.date(2026, 11, 1)
    c = load(tmp_path / "2", contacts__yaml=CONTACTS.replace("status: confirmed", "status: unconfirmed"))
    assert c.edition.checked is None


def test_a_missing_folder_is_one_problem_naming_it(tmp_path: Path):
    with pytest.raises(InputError) as exc:
        load_content(tmp_path / "nowhere")
    (p,) = exc.value.problems
    assert p.message == "content folder not found" and p.location.file.endswith("nowhere")


def test_a_missing_edition_is_named(tmp_path: Path):
    (p,) = problems(tmp_path, edition__yaml=None)
    assert "edition.yaml" in str(p.location) or "edition.yaml" in p.message


def test_a_bad_edition_and_bad_contacts_are_reported_together(tmp_path: Path):
    found = problems(tmp_path, edition__yaml='version: "1"\ndate: soon\nauthor: "T"\n',
                     contacts__yaml=CONTACTS.replace('name: "Childline"', "name: 42"))
    one(found, "date", "YYYY-MM-DD", "edition.yaml")
    one(found, "contacts.c1.name", "put text in quotes", "contacts.yaml")


def test_a_broken_yaml_file_is_reported_with_the_others(tmp_path: Path):
    found = problems(tmp_path, contacts__yaml="contacts: [\n", en_GB___t__yaml='title: "T"\nbad: "Call 0800 1111"\n')
    assert any(p.location.file.endswith("contacts.yaml") and "YAML syntax error" in p.message for p in found)
    one(found, "t.bad", "phone number", "t.yaml")


def test_one_bad_contact_does_not_hide_the_others_and_texts_naming_it_are_not_reported(tmp_path: Path):
    bad = CONTACTS.replace('anonymous: "unknown"', 'anonymous: "sometimes"').replace(
        'review_by: 2027-05-01\n', 'review_by: 2020-05-01\n', 2)
    found = problems(tmp_path, contacts__yaml=bad)
    one(found, "contacts.c1.anonymous", "'sometimes' is not allowed", "contacts.yaml")
    one(found, "contacts.c2.review_by", "2020-05-01 is not after verified_on 2026-10-01", "contacts.yaml")
    assert len(found) == 2  # t.call names {c1.phone}: c1 is reported once, not again for the text


def test_contacts_must_be_a_mapping_with_at_least_one(tmp_path: Path):
    found = problems(tmp_path, contacts__yaml="contacts: {}\n")
    one(found, "contacts", "at least 1 needed", "contacts.yaml")


@pytest.mark.parametrize("folder", ["schools", ".git", "_drafts"])
def test_folders_that_are_not_locales_are_skipped(tmp_path: Path, folder: str):
    c = load(tmp_path, **{folder.replace(".", "__") + "___x__yaml": "a: [\n"})
    assert list(c.locales) == ["en-GB"]


def test_a_folder_that_is_not_a_locale_code_is_refused_naming_it_and_not_read(tmp_path: Path):
    (p,) = problems(tmp_path, English___t__yaml='call: "Call 0800 1111"\n')
    assert p.message == "folder 'English' is not a locale code such as en-GB or cy" and p.location.file.endswith("English")


def test_a_broken_content_file_is_reported_once(tmp_path: Path):
    (p,) = problems(tmp_path, en_GB___x__yaml="a: [\n")
    assert "YAML syntax error" in p.message and p.location.file.endswith("x.yaml")


@pytest.mark.parametrize("broken", ["edition.yaml", "contacts.yaml"])
def test_placeholders_are_not_checked_against_a_broken_edition_or_registry(tmp_path: Path, broken: str):
    """One mistake, one problem: every {c1.phone} is not also reported while the registry is unreadable."""
    found = problems(tmp_path, **{broken.replace(".", "__"): "x: [\n"}, en_GB___t__yaml='title: "T"\ncall: "{c1.phon}"\n')
    assert [p.location.file.endswith(broken) for p in found] == [True]


def test_a_content_file_beginning_with_an_underscore_is_not_text(tmp_path: Path):
    c = load(tmp_path, en_GB____notes__yaml="[not, a, mapping]\n")
    assert sorted(c.locales["en-GB"].entries) == ["nations", "t"]


def test_a_locale_file_says_whether_it_is_reviewed(tmp_path: Path):
    c = load(tmp_path, cy____locale__yaml="name: Cymraeg\nreviewed: false\n", cy___t__yaml='title: "T"\n')
    assert (c.locale_info["cy"].name, c.locale_info["cy"].reviewed) == ("Cymraeg", False)
    found = problems(tmp_path / "2", cy____locale__yaml="name: Cymraeg\n", cy___t__yaml='title: "T"\n')
    one(found, "reviewed", "missing", "_locale.yaml")


def test_a_content_file_must_be_a_mapping(tmp_path: Path):
    found = problems(tmp_path, en_GB___list__yaml="- a\n- b\n")
    p = one(found, "list", "a content file must be a mapping of keys to texts", "list.yaml")
    assert (p.location.line, p.location.column) == (1, 1)


def test_no_locale_folder_at_all_is_said(tmp_path: Path):
    root = write(tmp_path, {"en-GB/t.yaml": None, "en-GB/nations.yaml": None})
    assert not (root / "en-GB").exists()
    with pytest.raises(InputError) as exc:
        load_content(root)
    (p,) = exc.value.problems
    assert "no locale folder (such as en-GB/) with text files found" in p.message


def test_a_yaml_error_in_a_content_file_is_the_only_problem_not_also_no_locale(tmp_path: Path):
    root = write(tmp_path, {"en-GB/t.yaml": None, "en-GB/nations.yaml": None})
    assert not (root / "en-GB").exists()
    (root / "edition.yaml").write_text("version: [\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_content(root)
    assert all("no locale folder" not in p.message for p in exc.value.problems)


# --- texts, lists and their members ---------------------------------------------------------------------------

def test_texts_lists_items_and_groups_are_read(tmp_path: Path):
    c = load(tmp_path, en_GB___t__yaml="""\
        title: "T"
        count: 3
        empty: null
        group:
          inner: "I"
        item:
          label: "L"
          detail: "D"
        labelled:
          label: "L"
        detailed:
          detail: "D"
          text: "T"
        signs:
          - {id: one, label: "One", detail: "D1", source: null}
          - {id: two, label: "Two"}
        statistics:
          - {id: s, label: "S", year: "2024", area: "UK", qualifier: null, source: "X"}
        """)
    t = c.locales["en-GB"].entries["t"].entries
    assert t["title"].value == "T" and t["count"].value == "3" and "empty" not in t
    assert t["group"].entries["inner"].value == "I"
    assert t["item"].id == "item" and set(t["item"].fields) == {"label", "detail"}
    assert set(t["labelled"].fields) == {"label"} and set(t["detailed"].fields) == {"detail", "text"}  # items too
    assert [i.id for i in t["signs"]] == ["one", "two"]
    assert set(t["signs"][0].fields) == {"label", "detail"}  # source: null is left out
    assert t["statistics"][0].fields["year"].value == "2024"


@pytest.mark.parametrize("text, key, fragment", [
    ("Bad: x\n", "t.Bad", "content keys use lower-case letters"),
    ("flag: true\n", "t.flag", 'got true/false; expected text (put it in quotes: "true")'),
    ("list:\n  - just text\n", "t.list[0]", "a list member must be a mapping with at least id and label"),
    ("list:\n  - {id: a, label: A}\n  - {id: a, label: B}\n", "t.list[1].id", "id 'a' is used twice in this list"),
    ("list:\n  - {id: Bad, label: A}\n", "t.list[0].id", "id 'Bad' is not valid"),
    ("list:\n  - {id: a, detail: D}\n", "t.list[0]", "a list member needs a label (or text)"),
    ("list:\n  - {id: a, label: {x: y}}\n", "t.list[0].label", "expected text here"),
    ("statistics:\n  - {id: s, label: S, year: '2024', area: UK, qualifier: null}\n", "t.statistics[0].source",
     "every statistic carries year, area, qualifier and source"),
    ("long: " + "x" * 4001 + "\n", "t.long", "the limit is 4000"),
    ("call: 'Call 0808 800 5000'\n", "t.call", "contains a phone number typed into the text"),
])
def test_a_mistake_in_a_text_file_names_its_key_and_line(tmp_path: Path, text: str, key: str, fragment: str):
    found = problems(tmp_path, en_GB___t__yaml='title: "T"\n' + text)
    p = one(found, key, fragment, "t.yaml")
    assert p.location.line >= 2


def test_a_text_at_the_length_limit_is_accepted(tmp_path: Path):
    assert load(tmp_path, en_GB___t__yaml='title: "T"\nlong: ' + "x" * 4000 + "\n")


def test_a_statistic_with_every_field_and_a_list_not_of_statistics_need_not_have_them(tmp_path: Path):
    assert load(tmp_path, en_GB___t__yaml='title: "T"\nsigns:\n  - {id: a, label: A}\n')


def test_a_duplicate_id_is_reported_at_the_second_naming_the_first(tmp_path: Path):
    found = problems(tmp_path, en_GB___t__yaml='title: "T"\nlist:\n  - {id: a, label: A}\n  - {id: a, label: B}\n')
    p = one(found, "t.list[1].id")
    assert "(first at line 3)" in p.message and p.location.line == 4


@pytest.mark.parametrize("missing", ["year", "area", "qualifier", "source"])
def test_a_statistic_carries_year_area_qualifier_and_source(tmp_path: Path, missing: str):
    fields = {"year": "'2024'", "area": "UK", "qualifier": "null", "source": "X"}
    del fields[missing]
    item = ", ".join(f"{k}: {v}" for k, v in fields.items())
    found = problems(tmp_path, en_GB___t__yaml=f'title: "T"\nstatistics:\n  - {{id: s, label: S, {item}}}\n')
    assert one(found, f"t.statistics[0].{missing}", "missing: every statistic").location.line == 3


def test_an_unsupported_value_is_refused(tmp_path: Path):
    found = problems(tmp_path, en_GB___t__yaml='title: "T"\nwhen: 2026-01-01\n')
    one(found, "t.when", "unsupported value", "t.yaml")


# --- contacts' own rules ---------------------------------------------------------------------------------------

def contacts_with(old: str, new: str, count: int = 1) -> str:
    assert old in CONTACTS
    return CONTACTS.replace(old, new, count)


@pytest.mark.parametrize("status, refused", [("confirmed", True), ("unconfirmed", False)])
def test_a_confirmed_contacts_source_is_not_a_note_of_ours(tmp_path: Path, status: str, refused: bool):
    text = contacts_with('status: confirmed\n    source: "https://example.org/c1"',
                         f'status: {status}\n    source: "the seed"')
    if refused:
        p = one(problems(tmp_path, contacts__yaml=text), "contacts.c1.source", "a public reference is needed")
        assert p.location.line == line_of(tmp_path, "contacts.yaml", "the seed")
    else:
        assert load(tmp_path, contacts__yaml=text)


@pytest.mark.parametrize("review_by, ok", [("2026-11-02", True), ("2026-11-01", False), ("2026-10-31", False)])
def test_a_review_date_must_come_after_the_check(tmp_path: Path, review_by: str, ok: bool):
    text = contacts_with("review_by: 2027-05-01", f"review_by: {review_by}")
    if ok:
        assert load(tmp_path, contacts__yaml=text)
    else:
        one(problems(tmp_path, contacts__yaml=text), "contacts.c1.review_by", "is not after verified_on 2026-11-01")


def test_hours_need_a_status(tmp_path: Path):
    text = contacts_with('    audience: "Children"', '    hours: "24 hours"\n    audience: "Children"')
    p = one(problems(tmp_path, contacts__yaml=text), "contacts.c1.hours_status", "say whether the hours are confirmed")
    assert p.location.line == line_of(tmp_path, "contacts.yaml", "hours:")
    text = text.replace('hours: "24 hours"', 'hours: "24 hours"\n    hours_status: disputed')
    assert load(tmp_path / "2", contacts__yaml=text)
    assert load(tmp_path / "3", contacts__yaml=contacts_with('    audience: "Children"',
                                                             '    hours_status: confirmed\n    audience: "Children"'))


@pytest.mark.parametrize("old, new, key, fragment", [
    ('    dial: "08001111"\n', "", "contacts.c1.dial", "missing; phone is given, so dial is needed too"),
    ('    phone: "0800 1111"\n', "", "contacts.c1.phone", "missing; dial is given, so phone is needed too"),
    ('    dial: "08001111"\n', '    dial: "08001111"\n    textphone: "18001 0800 1111"\n',
     "contacts.c1.textphone_dial", "missing; textphone is given"),
    ('    dial: "08001111"\n', '    dial: "08001111"\n    textphone_dial: "18001101"\n',
     "contacts.c1.textphone", "missing; textphone_dial is given"),
    ('dial: "08001111"', 'dial: "08001112"', "contacts.c1.phone", "are different numbers"),
    ('    dial: "08001111"\n', '    dial: "08001111"\n    textphone: "18001 101"\n    textphone_dial: "18001102"\n',
     "contacts.c1.textphone", "different"),
])
def test_a_printed_number_and_its_dialled_digits_come_in_pairs_and_agree(tmp_path: Path, old: str, new: str,
                                                                        key: str, fragment: str):
    p = one(problems(tmp_path, contacts__yaml=contacts_with(old, new)), key, fragment, "contacts.yaml")
    assert p.location.line > 1


def test_a_textphone_pair_that_agrees_is_accepted(tmp_path: Path):
    assert load(tmp_path, contacts__yaml=contacts_with(
        '    dial: "08001111"\n', '    dial: "08001111"\n    textphone: "18001 101"\n    textphone_dial: "18001101"\n'))


@pytest.mark.parametrize("status, reach, ok", [
    ("confirmed", "", False), ("unconfirmed", "", False), ("retired", "", True),
    ("confirmed", '    email: "help@example.org"\n', True), ("confirmed", "    web: https://example.org/\n", True),
])
def test_a_contact_in_use_has_a_phone_web_or_email(tmp_path: Path, status: str, reach: str, ok: bool):
    text = contacts_with('    phone: "0800 1111"\n    dial: "08001111"\n', reach).replace(
        "status: confirmed\n    source: \"https://example.org/c1\"", f"status: {status}\n    source: \"https://example.org/c1\"")
    text = text.replace("{c1.phone}", "")
    files = {"contacts__yaml": text, "en_GB___t__yaml": 'title: "T"\n'}
    if ok:
        assert load(tmp_path, **files)
    else:
        p = one(problems(tmp_path, **files), "contacts.c1", "has no phone, web or email")
        assert p.location.line == line_of(tmp_path, "contacts.yaml", "c1:") + 1  # the contact's first field


def test_a_contact_printed_with_names_real_text(tmp_path: Path):
    text = contacts_with('    audience: "Children"', '    printed_with: [t.title, t.nope]\n    audience: "Children"')
    p = one(problems(tmp_path, contacts__yaml=text), "contacts.c1.printed_with[1]", "(in en-GB)", "contacts.yaml")
    assert p.location.line == line_of(tmp_path, "contacts.yaml", "printed_with")
    ok = load(tmp_path / "2", contacts__yaml=contacts_with('    audience: "Children"',
                                                           '    printed_with: [t.title]\n    audience: "Children"'))
    assert ok.contacts["c1"].printed_with == ("t.title",)


# --- placeholders, and the nations' texts --------------------------------------------------------------------

@pytest.mark.parametrize("text, key, fragment", [
    ("Call {c1.phon}", "t.call", "'phon' is not a contact field"),
    ("Ask {nation.rol}", "t.call", "the nations have no key 'rol'; did you mean '{nation.role}'?"),
    ("Ask {nation.zzzz}", "t.call", "the nations have no key 'zzzz'; they have deputy_role, role"),
])
def test_a_placeholder_names_a_contact_field_or_nation_key_that_exists(tmp_path: Path, text: str, key: str,
                                                                        fragment: str):
    p = one(problems(tmp_path, en_GB___t__yaml=f'title: "T"\ncall: "{text}"\n'), key, fragment, "t.yaml")
    assert p.location.line == 2


def test_a_placeholder_naming_a_nation_key_is_accepted(tmp_path: Path):
    assert load(tmp_path, en_GB___t__yaml='title: "T"\ncall: "Ask { nation.role }"\n')


def test_a_nations_text_cannot_name_another(tmp_path: Path):
    nations = NATIONS.replace('role: "Lead"', 'role: "Lead, {nation.deputy_role}"', 1)
    p = one(problems(tmp_path, en_GB___nations__yaml=nations), "nations.england.role",
            "{nation.deputy_role}: a nation's own text cannot name another nation text", "nations.yaml")
    assert p.location.line == 2


@pytest.mark.parametrize("drop", ["england", "northern-ireland"])
def test_english_has_text_for_every_nation(tmp_path: Path, drop: str):
    nations = "".join(f"{n}:\n  role: \"Lead\"\n  deputy_role: \"Deputy\"\n"
                      for n in ("england", "wales", "scotland", "northern-ireland") if n != drop)
    one(problems(tmp_path, en_GB___nations__yaml=nations), f"nations.{drop}", "English text is needed for every nation")


def test_another_language_may_leave_a_nation_out_but_not_a_key(tmp_path: Path):
    assert load(tmp_path, cy___nations__yaml='wales:\n  role: "Arweinydd"\n  deputy_role: "Dirprwy"\n')
    found = problems(tmp_path / "2", cy___nations__yaml='wales:\n  role: "Arweinydd"\n  extra: "X"\n')
    one(found, "nations.wales.deputy_role", "missing (cy); every nation has the same keys as England's", "nations.yaml")
    one(found, "nations.wales.extra", "not a nation key (cy); England's en-GB text has deputy_role, role")


@pytest.mark.parametrize("name, fragment", [("englnd", "'englnd' is not a nation; did you mean 'england'?"),
                                            ("mars", "'mars' is not a nation; use england, wales, scotland")])
def test_a_nation_that_is_not_one_of_the_four_is_refused(tmp_path: Path, name: str, fragment: str):
    p = one(problems(tmp_path, en_GB___nations__yaml=NATIONS + f"{name}:\n  role: \"X\"\n  deputy_role: \"Y\"\n"),
            f"nations.{name}", fragment, "nations.yaml")
    assert p.location.line == line_of(tmp_path, "en-GB/nations.yaml", f"{name}:") + 1  # its texts


def test_a_nation_must_be_a_mapping_of_texts(tmp_path: Path):
    found = problems(tmp_path, en_GB___nations__yaml=NATIONS.replace(
        'wales:\n  role: "Lead"\n  deputy_role: "Deputy"\n', 'wales: "Lead"\n'))
    one(found, "nations.wales", "must be a mapping of keys to texts", "nations.yaml")


def test_without_english_nations_the_keys_are_not_checked(tmp_path: Path):
    assert load(tmp_path, en_GB___nations__yaml=None, cy___nations__yaml='wales:\n  anything: "X"\n')


# --- facts ------------------------------------------------------------------------------------------------------

FACTS = """\
facts:
  f1:
    claim: "One in twenty"
    source: "https://example.org/report"
    verified_on: 2026-11-01
    review_by: 2027-05-01
    status: confirmed
    printed_as: [t.title]
"""


def test_facts_are_read_with_where_they_were_written(tmp_path: Path):
    f = load(tmp_path, facts__yaml=FACTS).facts["f1"]
    assert (f.claim, f.status, f.printed_as, f.note) == ("One in twenty", "confirmed", ("t.title",), None)
    assert f.field_loc("printed_as").line == line_of(tmp_path, "facts.yaml", "printed_as")


@pytest.mark.parametrize("old, new, key, fragment", [
    ("review_by: 2027-05-01", "review_by: 2026-11-01", "facts.f1.review_by", "is not after verified_on 2026-11-01"),
    ('source: "https://example.org/report"', 'source: "shared/notes/facts.md"', "facts.f1.source",
     "a public reference is needed"),
    ("printed_as: [t.title]", "printed_as: [t.title, t.nope]", "facts.f1.printed_as[1]", "(in en-GB)"),
    ("claim:", "clam:", "facts.f1.clam", "unknown key"),
])
def test_a_facts_mistake_names_the_fact_and_field(tmp_path: Path, old: str, new: str, key: str, fragment: str):
    p = one(problems(tmp_path, facts__yaml=FACTS.replace(old, new)), key, fragment, "facts.yaml")
    assert p.location.line > 1


def test_an_unconfirmed_fact_may_rest_on_our_notes_for_now_and_review_the_day_after(tmp_path: Path):
    text = FACTS.replace("status: confirmed", "status: unconfirmed").replace(
        'source: "https://example.org/report"', 'source: "the seed"').replace("2027-05-01", "2026-11-02")
    assert load(tmp_path, facts__yaml=text).facts["f1"].status == "unconfirmed"


def test_a_bad_fact_does_not_hide_another(tmp_path: Path):
    text = FACTS + FACTS.split("\n", 1)[1].replace("f1:", "f2:").replace("review_by: 2027-05-01", "review_by: 2020-01-01")
    bad = text.replace("status: confirmed", "status: maybe", 1)
    found = problems(tmp_path, facts__yaml=bad)
    one(found, "facts.f1.status", "'maybe' is not allowed")
    one(found, "facts.f2.review_by", "is not after")


def test_facts_must_hold_at_least_one(tmp_path: Path):
    one(problems(tmp_path, facts__yaml="facts: {}\n"), "facts", "at least 1 needed", "facts.yaml")
    assert any("YAML" in p.message for p in problems(tmp_path / "2", facts__yaml="facts: [\n"))


def test_a_bad_key_is_reported_and_its_text_not_read(tmp_path: Path):
    (p,) = problems(tmp_path, en_GB___t__yaml='title: "T"\nBad: "Call 0800 1111"\n')
    assert p.key == "t.Bad" and "content keys use lower-case letters" in p.message and p.location.line == 2


def test_a_list_members_mistakes_are_reported_at_the_line_of_the_field(tmp_path: Path):
    text = 'title: "T"\nlist:\n  - label: "A"\n    id: Bad\n  - id: b\n    label: "B"\n    detail:\n      x: "y"\n'
    found = problems(tmp_path, en_GB___t__yaml=text)
    assert one(found, "t.list[0].id", "id 'Bad' is not valid").location.line == 4
    assert one(found, "t.list[1].detail", "expected text here").location.line == 8


def test_a_nation_placeholder_with_a_dot_in_its_key_names_the_whole_key(tmp_path: Path):
    found = problems(tmp_path, en_GB___t__yaml='title: "T"\ncall: "Ask {nation.role.x}"\n')
    assert any("the nations have no key 'role.x'" in p.message and p.key == "t.call" for p in found)
