"""School profiles and batch builds: each school's people in its own PDFs, bad rows isolated."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import PROJECT, Workspace, pdf_text

EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"
HEADER = ("id,name,nation,role_name,checked_on,dsl_name,dsl_role,dsl_phone,deputy1_name,deputy2_name,"
          "council_name,council_phone,council_hours,council_out_of_hours\n")


def norm(s: str) -> str:
    return " ".join(s.split())


def profile(tmp_path: Path, deputies: int, **changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["deputies"] = [{"name": n, "role": "Head of Year 7", "location": "Room 4", "phone": "0131 496 0703",
                         "photo": "schools/photos/jo-placeholder.png"}
                        for n in ["Siobhán O'Connor-Ní Bhriain", "Zoë Łukasiewicz", "Llŷr ap Gwilym",
                                  "Mohammed Al-Rashid", "Nguyễn Thị Lan", "Ama Mensah-Boateng", "Jo Placeholder",
                                  "Alex Sample", "Sam Other", "Pat Extra"][:deputies]]
    data["id"] = "example-school"  # else the id is the file's name, "profile"
    data.update(changes)
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_school_set_names_the_lead_and_council_in_its_own_folder(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--school", str(EXAMPLE), "--finish", "office")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["school"] == "example-school"
    assert {f["school"] for f in man["files"]} == {"example-school"}
    assert all(f["path"].startswith("example-school/") for f in man["files"])
    who = norm(pdf_text(out / "example-school" / "who-to-tell-a4.pdf"))
    for s in ("Sam Example", "Alex Sample", "Jo Placeholder", "Designated Safeguarding Lead", "0113 496 0000",
              "020 7946 0999", "999"):
        assert s in who, s
    leaflet = norm(pdf_text(out / "example-school" / "staff-leaflet.pdf"))
    assert "Sam Example" in leaflet and "0113 496 0000" in leaflet


def test_nation_chooses_the_role_name(ws: Workspace, tmp_path: Path):
    for nation, role in (("wales", "Designated Safeguarding Person"), ("northern-ireland", "Designated Teacher")):
        out = tmp_path / nation
        r = ws.build(out, "--school", str(profile(tmp_path, 1, nation=nation)), "--layout", "who-to-tell-a4",
                     "--finish", "office")
        assert r.code == 0, r.err
        assert role in norm(pdf_text(out / "example-school" / "who-to-tell-a4.pdf"))


def test_scotland_role_comes_from_the_nation_and_a_profile_may_name_its_own(ws: Workspace, tmp_path: Path):
    out = tmp_path / "scotland"
    r = ws.build(out, "--school", str(profile(tmp_path, 1, nation="scotland")), "--layout", "who-to-tell-a4",
                 "--finish", "office")
    assert r.code == 0, r.err
    text = norm(pdf_text(out / "example-school" / "who-to-tell-a4.pdf"))
    assert "child protection coordinator" in text and "depute child protection coordinator" in text
    assert "Designated Safeguarding Lead" not in text
    out = tmp_path / "own"
    r = ws.build(out, "--school", str(profile(tmp_path, 1, nation="scotland", role_name="Child Protection Officer",
                                              deputy_role_name="Deputy Child Protection Officer")),
                 "--layout", "who-to-tell-a4", "--finish", "office")
    assert r.code == 0, r.err
    text = norm(pdf_text(out / "example-school" / "who-to-tell-a4.pdf"))
    assert "Child Protection Officer" in text and "Deputy Child Protection Officer" in text


def test_a_school_build_takes_its_profiles_nation(ws: Workspace, tmp_path: Path):
    r = ws.check("--school", str(profile(tmp_path, 1, nation="wales")), "--nation", "scotland")
    assert r.code == 1 and "nation" in r.err and "wales" in r.err and "scotland" in r.err
    r = ws.check("--school", str(profile(tmp_path, 1, id="wales")))
    assert r.code == 1 and "id" in r.err and "wales" in r.err


def test_seven_deputies_with_awkward_names_fit_the_a3_poster(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--school", str(profile(tmp_path, 7)), "--layout", "who-to-tell-a3", "--finish", "office")
    assert r.code == 0, r.err
    text = norm(pdf_text(out / "example-school" / "who-to-tell-a3.pdf"))
    for name in ("Llŷr ap Gwilym", "Nguyễn Thị Lan", "Zoë"):
        assert name in text, name


def test_ten_deputies_with_awkward_names_fit_both_posters(ws: Workspace, tmp_path: Path):
    r = ws.check("--school", str(profile(tmp_path, 10)), "--layout", "who-to-tell-a3", "--layout", "who-to-tell-a4")
    assert r.code == 0, r.err


@pytest.mark.parametrize("photo, message", [
    ("../../../../etc/passwd", "must stay inside the content folder"),
    ("schools/photos/fake.png", "not a PNG or JPEG"),
])
def test_a_photo_must_be_a_real_image_inside_content(ws: Workspace, tmp_path: Path, photo: str, message: str):
    (ws.content / "schools" / "photos" / "fake.png").write_text("not a png", encoding="utf-8")
    path = profile(tmp_path, 1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dsl"]["photo"] = photo
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    r = ws.check("--school", str(path))
    assert r.code == 1 and message in r.err and "dsl.photo" in r.err


def write_csv(tmp_path: Path, rows: list[str], bom: bool = True) -> Path:
    path = tmp_path / "schools.csv"
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + (HEADER + "".join(rows)).encode("utf-8"))
    return path


GOOD = [
    "st-aidans,\"St Aidan's C of E Primary, Leeds\",england,,2026-11-01,Siobhán O'Connor,Head,0113 496 0102,"
    "Zoë Łukasiewicz,Mo Al-Rashid,Example Council,0113 496 0001,\"Mon-Fri, 9am-5pm\",020 7946 0001\n",
    "ysgol-enghraifft,Ysgol Enghraifft,wales,,2026-11-01,Llŷr ap Gwilym,,,Gwenllïan Jones,,Cyngor Enghraifft,"
    "0113 496 0002,Mon-Fri 9-5,020 7946 0002\n",
]
BAD = "bad-row,Bad Row School,england,,2026-11-01,Pat Wrong,,0113 496 01,,,Council,0113 496 0003,Mon-Fri,020 7946 0003\n"


@pytest.mark.parametrize("bom", [True, False])
def test_batch_builds_every_school_with_a_pack(ws: Workspace, tmp_path: Path, bom: bool):
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write_csv(tmp_path, GOOD, bom)), "--finish", "office", "--jobs", "2")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["schools"]["built"] == ["st-aidans", "ysgol-enghraifft"] and man["schools"]["failed"] == []
    assert "Siobhán O'Connor" in norm(pdf_text(out / "st-aidans" / "who-to-tell-a4.pdf"))
    assert "Designated Safeguarding Person" in norm(pdf_text(out / "ysgol-enghraifft" / "who-to-tell-a4.pdf"))
    with zipfile.ZipFile(out / "packs" / "st-aidans.zip") as z:
        names = z.namelist()
        assert "who-to-tell-a4.pdf" in names and "staff-leaflet.pdf" in names
        assert z.read("who-to-tell-a4.pdf") == (out / "st-aidans" / "who-to-tell-a4.pdf").read_bytes()
    for f in man["files"]:
        assert (out / f["path"]).is_file()
        assert f["colour"] == "cmyk" and f["trim_mm"]  # the same entries as a single build
        assert f["contacts"] or f["layout"] == "how-to-print"  # the printing instructions name no contact


def test_a_bad_row_fails_only_its_school_and_is_named_by_row(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write_csv(tmp_path, [GOOD[0], BAD])), "--finish", "office", "--jobs", "1")
    assert r.code == 1
    assert "row 3" in r.err and "bad-row" in r.err and "dsl.phone" in r.err and "schools.csv:3:" in r.err
    assert (out / "st-aidans" / "who-to-tell-a4.pdf").is_file()
    assert not (out / "bad-row").exists()
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["row"] for f in man["schools"]["failed"]] == [3]


def test_strict_writes_nothing_if_any_school_fails(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write_csv(tmp_path, [GOOD[0], BAD])), "--finish", "office", "--jobs", "1",
                 "--strict")
    assert r.code == 1 and "nothing was written" in r.err
    assert not out.exists() or not any(p for p in out.iterdir() if not p.name.startswith("."))


def test_unknown_column_gets_a_suggestion(ws: Workspace, tmp_path: Path):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER.replace("dsl_name", "dls_name") + GOOD[0], encoding="utf-8")
    r = ws.check("--schools", str(path))
    assert r.code == 1 and "did you mean 'dsl_name'" in r.err


@pytest.mark.parametrize("typed, printed, restored", [
    ("01134960102", "0113 496 0102", False),
    ("+44 113 496 0102", "0113 496 0102", False),
    ("(0113) 496-0102", "0113 496 0102", False),
    ("1134960102", "0113 496 0102", True),  # a spreadsheet dropped the 0
    ("020 7946 0999", "020 7946 0999", False),
])
def test_school_numbers_are_printed_in_the_standard_grouping(typed: str, printed: str, restored: bool):
    from cseprint.phones import normalise

    assert normalise(typed) == (printed, None, restored)


@pytest.mark.parametrize("typed", ["0113 496 01", "ext 234", "0113 496 0102 ext 3", "12", "101"])
def test_school_numbers_that_are_not_uk_numbers_are_refused(typed: str):
    from cseprint.phones import normalise

    printed, why, _ = normalise(typed)
    assert printed is None and why and typed in why


def test_a_restored_leading_zero_is_printed_and_warned(ws: Workspace, tmp_path: Path):
    row = ("zero,Zero School,england,,2026-11-01,Ann Example,,1134960102,,,Council,+44 113 496 0000,Mon-Fri,"
           "(020) 7946-0999\n")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(write_csv(tmp_path, [row])), "--finish", "office", "--jobs", "1")
    assert r.code == 0, r.err
    assert "had lost its leading 0" in r.err and "schools.csv:2:" in r.err
    text = norm(pdf_text(out / "zero" / "who-to-tell-a4.pdf"))
    assert "0113 496 0102" in text and "0113 496 0000" in text and "020 7946 0999" in text
