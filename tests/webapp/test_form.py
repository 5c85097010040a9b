"""The form is the spreadsheet: the same columns, the same profile mapping, the same checks."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from cseprint.build import Options, build_files
from cseprint.errors import Problem
from cseprint.load import load_yaml_text
from cseprint.schema import Checker
from cseprint.schools import MAX_DEPUTIES, build_school, load_profile
from cseprint.spreadsheet import COLUMNS as CSV_COLUMNS
from cseprint.spreadsheet import DEPUTY_RE, read_csv
from cseprint.web import form as F
from cseprint.web.images import clean_image

from ..conftest import FONTS, PROJECT, TODAY
from .conftest import EXAMPLE, PHOTOS


def test_every_spreadsheet_column_is_a_labelled_box() -> None:
    """A column added to the spreadsheet reader appears in the form; one without words here would show its
    bare column name, so this also fails until it has a real label."""
    fields = F.all_fields()
    for col in CSV_COLUMNS:
        assert col in fields, col
    for n in range(1, MAX_DEPUTIES + 1):
        cols = F.deputy_columns(n)
        assert all(DEPUTY_RE.fullmatch(c) for c in cols)
        assert set(cols) <= set(fields)
    for name, fld in fields.items():
        person = DEPUTY_RE.fullmatch(name) or name.startswith("dsl_")
        key = name.split("_", 1)[1] if person or name.startswith("council_") else name
        known = F.PERSON_TEXT if person else F.COUNCIL_TEXT if name.startswith("council_") else F.SCHOOL_TEXT
        assert key in known, f"no label written for the column {name}"
        assert fld.label and fld.label != name
    assert {n for n, f in fields.items() if f.is_image} == {"logo", "dsl_photo"} | {
        f"deputy{n}_photo" for n in range(1, MAX_DEPUTIES + 1)}


def test_required_boxes_follow_the_profile_schema() -> None:
    fields = F.all_fields()
    assert {n for n in ("name", "nation", "checked_on", "dsl_name", "council_name", "council_phone",
                        "council_hours", "council_out_of_hours", "deputy1_name") if fields[n].required} == {
        "name", "nation", "checked_on", "dsl_name", "council_name", "council_phone", "council_hours",
        "council_out_of_hours", "deputy1_name"}
    assert not any(fields[n].required for n in ("id", "role_name", "logo", "dsl_phone", "dsl_photo", "partnership_web"))


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_the_form_gives_the_mapping_a_spreadsheet_row_gives(tmp_path) -> None:
    """The same boxes typed into a CSV row and into the form: the same profile mapping."""
    values = dict(EXAMPLE, partnership_web="https://example.org/safeguarding", role_name="Safeguarding Lead")
    path = tmp_path / "schools.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(list(values))
        w.writerow(list(values.values()))
    sheet = read_csv(path)
    assert sheet.problems == [] and len(sheet.rows) == 1
    from_csv = _plain(sheet.rows[0][1])
    from_form = _plain(F.to_profile(F.Entry(dict(values), deputies=[1, 2, 3]), {}))
    assert from_form == from_csv
    assert from_form["deputies"][1]["name"] == "Jo Placeholder"


def test_empty_form_reports_each_missing_box_beside_it(tmp_path) -> None:
    entry = F.Entry({"dsl_phone": "0113 496 0101"})
    raw = F.to_profile(entry, {})
    ck = Checker()
    assert build_school(raw, raw.loc, "school", tmp_path, ck) is None
    shown = F.place(ck.errors, entry)
    assert {s.field for s in shown} == {"name", "nation", "checked_on", "dsl_name", "council_name",
                                        "council_phone", "council_hours", "council_out_of_hours"}
    assert all(s.message == "Fill this in." for s in shown)


def test_a_deputys_problem_lands_beside_that_deputy(tmp_path) -> None:
    """deputies[1] in the profile is the second deputy with anything typed: here deputy 3 (deputy 2 is empty)."""
    entry = F.Entry(dict(EXAMPLE, deputy2_name="", deputy2_role="", deputy2_location="",
                         deputy3_role="Teacher", deputy3_name="x" * 81), deputies=[1, 2, 3])
    raw = F.to_profile(entry, {})
    ck = Checker()
    build_school(raw, raw.loc, "school", tmp_path, ck)
    shown = F.place(ck.errors, entry)
    assert [(s.field, s.message) for s in shown] == [("deputy3_name", "Is 81 characters long; the limit is 80")]


def test_problem_keys_to_boxes() -> None:
    present = [2, 5]
    assert F.field_for("council.out_of_hours", present) == "council_out_of_hours"
    assert F.field_for("deputies[1].phone", present) == "deputy5_phone"
    assert F.field_for("deputies[0]", present) == "deputy2_name"
    assert F.field_for("deputies[7].phone", present) is None
    assert F.field_for("deputies", present) is None
    assert F.field_for("dsl", present) == "dsl_name"
    assert F.field_for("checked_on", present) == "checked_on"
    assert F.field_for("posters.who-to-tell-a4", present) is None
    problems = [Problem(None, "nation", "'Englnd' is not allowed", False)]
    assert F.place(problems, F.Entry()) == [F.Shown("nation", "'Englnd' is not allowed")]


@pytest.mark.parametrize("name, expected", [
    ("St Mary's C of E Primary", "st-marys-c-of-e-primary"),
    ("Ysgol Gymraeg Bro Ŵyl", "ysgol-gymraeg-bro-wyl"),
    ("Cy", "school"),  # a language folder's name
    ("Web", "school"),  # an output folder's name
    ("!!!", "school"),
    ("A" * 100, "a" * 60),
])
def test_default_id(name: str, expected: str) -> None:
    assert F.default_id(name) == expected


def test_saved_profile_round_trips_into_the_same_form() -> None:
    values = dict(EXAMPLE, deputy1_phone="0113 496 0102", partnership_web="https://example.org/x")
    images = {"dsl_photo": clean_image(PHOTOS["dsl_photo"].read_bytes())}
    entry = F.Entry(values, images, deputies=[1, 2], finish="office")
    text = F.profile_yaml(entry, "example", {"dsl_photo": "schools/photos/example-dsl.png"}, dt.date(2026, 11, 28))
    assert text.startswith("# The profile of Example Community School (fictional), saved by the web form on 2026-11-28.")
    loaded = F.from_profile(load_yaml_text(text, "example.yaml"), "example.yaml")
    assert loaded.problems == []
    assert loaded.entry.values == dict(values, id="example")
    assert loaded.entry.deputies == [1, 2]
    assert loaded.photos == {"dsl_photo": "schools/photos/example-dsl.png"}


def test_saved_profile_of_a_hostile_name_is_still_one_line_of_yaml() -> None:
    values = dict(EXAMPLE, name="Evil\n# injected: true\nnation: wales")
    text = F.profile_yaml(F.Entry(values), "evil", {}, dt.date(2026, 11, 28))
    raw = load_yaml_text(text, "evil.yaml")
    assert raw["name"] == values["name"] and raw["nation"] == "england" and "injected" not in raw
    assert text.splitlines()[0] == "# The profile of Evil # injected: true nation: wales, saved by the web form on 2026-11-28."


def test_loading_reports_what_the_form_cannot_hold() -> None:
    raw = load_yaml_text("name: A\nfavourite_colour: blue\ndsl: {name: B, shoe_size: 9}\ndeputies: [C]\n", "p.yaml")
    loaded = F.from_profile(raw, "p.yaml")
    assert loaded.entry.values == {"name": "A", "dsl_name": "B"}
    messages = [s.message for s in loaded.problems]
    assert "p.yaml: favourite_colour: not a box of this form; left out" in messages
    assert "p.yaml: dsl.shoe_size: not a box of this form; left out" in messages
    assert any(m.startswith("p.yaml: deputies[0]: expected a person") for m in messages)


def test_entry_renumbers_deputies_with_their_photos() -> None:
    img = clean_image(PHOTOS["deputy1_photo"].read_bytes())
    entry = F.Entry({"deputy1_name": "A", "deputy3_name": "C", "deputy3_phone": "0113 496 0103"},
                    {"deputy3_photo": img}, deputies=[1, 3])
    again = entry.renumbered()
    assert again.deputies == [1, 2]
    assert again.values == {"deputy1_name": "A", "deputy2_name": "C", "deputy2_phone": "0113 496 0103"}
    assert again.images == {"deputy2_photo": img}


def test_a_school_given_in_memory_builds_the_same_bytes_as_its_profile_file() -> None:
    """build.Options takes a School object (the web app's) as well as a profile path (the CLI's)."""
    path = PROJECT / "content" / "schools" / "example-school.yaml"
    school = load_profile(path, PROJECT / "content")
    today = dt.date.fromisoformat(TODAY)
    common = dict(content=PROJECT / "content", layouts=PROJECT / "layouts", fonts=FONTS, finish="office",
                  names=["who-to-tell-a4"], today=today)
    from_file = build_files(Options(school=path, **common))
    in_memory = build_files(Options(school=school, **common))
    assert from_file.files == in_memory.files
    assert any(re.search(r"who-to-tell-a4\.pdf$", p) for p in in_memory.files)


def test_to_profile_ignores_boxes_of_deputies_not_shown() -> None:
    entry = F.Entry({"deputy5_name": "Ghost", "dsl_name": "A"}, deputies=[1])
    assert "deputies" not in F.to_profile(entry, {})



def test_a_hand_written_uk_date_is_shown_in_the_date_box() -> None:
    raw = load_yaml_text("name: A\nchecked_on: 20/11/2026\n", "p.yaml")
    assert F.from_profile(raw, "p.yaml").entry.values["checked_on"] == "2026-11-20"
    raw = load_yaml_text("name: A\nchecked_on: last Tuesday\n", "p.yaml")
    loaded = F.from_profile(raw, "p.yaml")
    assert "checked_on" not in loaded.entry.values
    assert [(s.field, s.message) for s in loaded.problems] == [
        ("checked_on", "p.yaml: checked_on: 'last Tuesday' is not a date this form can show; choose the date again")]


def test_a_column_whose_schema_lists_its_values_is_a_choice(monkeypatch) -> None:
    """A profile key declared with choices (as a school's language is) becomes a select of exactly those."""
    from cseprint.schema import Str

    monkeypatch.setitem(F.PROFILE.fields, "language", Str(required=False, choices=("en-GB", "cy", "bilingual")))
    fld = F._field("language", F.SCHOOL_TEXT["language"], F._required("language"))
    assert fld.kind == "select" and not fld.required
    assert fld.choices == (("en-GB", "English"), ("cy", "Welsh (Cymraeg)"), ("bilingual", "Welsh and English together"))
    assert F._field("dsl_name", F.PERSON_TEXT["name"], True).kind == "text"


def test_a_job_leaves_no_photo_in_the_workers_memory(tmp_path) -> None:
    """The PDF writer caches decoded photos per process (for batches); a web job empties that cache, so a
    worker does not keep one school's photos while it builds the next."""
    from cseprint import photos
    from cseprint.web.jobs import Job, Settings, run

    settings = Settings(PROJECT / "content", PROJECT / "layouts", FONTS, today=dt.date.fromisoformat(TODAY),
                        scratch=tmp_path)
    uploads = {k: p.read_bytes() for k, p in PHOTOS.items()}
    seen: list[int] = []
    put = photos.Cache.put

    def spy(self, key, value, size):  # the real cache, watched: it did hold the photos during the build
        seen.append(size)
        return put(self, key, value, size)

    photos.Cache.put = spy
    try:
        reply = run(settings, Job("build", values=dict(EXAMPLE, finish="office"), uploads=uploads, deputies=[1, 2]))
    finally:
        photos.Cache.put = put
    assert reply.status == 200 and seen  # photos went through the cache...
    assert photos.CACHE.items == {} and photos.CACHE.used == 0  # ...and none is left in it
    assert list(tmp_path.iterdir()) == []
