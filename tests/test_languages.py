"""A language per school: what en-GB, cy and bilingual build, from a profile and from a spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from cseprint.languages import builds
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS, PROJECT, Workspace, pdf_text
from .test_schools import EXAMPLE

SINGLE = ["how-to-print", "poster-a3", "poster-a4", "staff-leaflet", "wallet-card", "who-to-tell-a3", "who-to-tell-a4"]
ENGLISH_ONLY = ["pupils-poster-a3", "pupils-poster-a4", "staff-guide"]  # languages: [en-GB], not yet translated
BILINGUAL = ["poster-a3-bilingual", "poster-a4-bilingual", "wallet-card-bilingual", "who-to-tell-a3-bilingual",
             "who-to-tell-a4-bilingual"]
ALONE = ["how-to-print", "staff-leaflet"]  # no bilingual version: built in Welsh and in English


@pytest.fixture(scope="module")
def layouts():
    content = load_content(PROJECT / "content")
    return load_layouts(PROJECT / "layouts", FONTS, content, None, [["en-GB"], ["cy"]])[1]


@pytest.mark.parametrize("language, default, want", [
    ("en-GB", "en-GB", [("en-GB", sorted(SINGLE + ENGLISH_ONLY))]),
    ("en-GB", "cy", [("en-GB", sorted(SINGLE + ENGLISH_ONLY))]),  # the profile decides, not --locale
    ("cy", "en-GB", [("cy", SINGLE)]),
    ("bilingual", "en-GB", [("cy", sorted(BILINGUAL + ALONE)), ("en-GB", sorted(ALONE + ENGLISH_ONLY))]),
    (None, "en-GB", [("en-GB", sorted(SINGLE + ENGLISH_ONLY))]),  # no language: what --locale builds, as before
    (None, "cy", [("cy", sorted(SINGLE + BILINGUAL))]),
])
def test_what_each_language_builds(layouts, language, default, want):
    assert builds(language, default, layouts) == want


def profile(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(id="ysgol-enghraifft", nation="wales", **changes)
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def built(out: Path) -> dict[str, dict]:
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {f["path"]: f for f in man["files"]}


def test_a_bilingual_school_gets_the_bilingual_posters_and_the_leaflet_in_both_languages(ws: Workspace,
                                                                                           tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--school", str(profile(tmp_path, language="bilingual")), "--finish", "office")
    assert r.code == 0, r.err
    files = built(out)
    assert sorted(files) == sorted([f"ysgol-enghraifft/cy/{n}.pdf" for n in BILINGUAL + ALONE]
                                   + ["ysgol-enghraifft/cy/wallet-card-bilingual-sheet.pdf"]
                                   + [f"ysgol-enghraifft/{n}.pdf" for n in ALONE + ENGLISH_ONLY])
    assert files["ysgol-enghraifft/staff-leaflet.pdf"]["locale"] == "en-GB"
    who = " ".join(pdf_text(out / "ysgol-enghraifft/cy/who-to-tell-a4-bilingual.pdf").split())
    roles = [yaml.safe_load((PROJECT / "content" / loc / "nations.yaml").read_text(encoding="utf-8"))["wales"]["role"]
             for loc in ("cy", "en-GB")]
    assert all(" ".join(r.split()) in who for r in roles), roles  # the lead's title in both languages
    assert "Sam Example" in who and who.count("Sam Example") == 1  # a person is named once
    assert files["ysgol-enghraifft/cy/who-to-tell-a4-bilingual.pdf"]["fit"]["poster.people"]
    assert "wrote" in r.out and "fit: poster roomy" in r.out and "poster.people" in r.out


def test_a_welsh_school_gets_welsh_only(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--school", str(profile(tmp_path, language="cy")), "--finish", "office")
    assert r.code == 0, r.err
    files = built(out)
    assert {f["locale"] for f in files.values()} == {"cy"}
    assert not any("bilingual" in p for p in files)
    assert "Yn poeni am blentyn?" in pdf_text(out / "ysgol-enghraifft/cy/who-to-tell-a4.pdf")


def test_a_school_that_changes_language_leaves_no_old_poster_behind(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--school", str(profile(tmp_path, language="en-GB")), "--finish", "office").code == 0
    assert (out / "ysgol-enghraifft/who-to-tell-a4.pdf").is_file()
    r = ws.build(out, "--school", str(profile(tmp_path, language="cy")), "--finish", "office", "--clean")
    assert r.code == 0, r.err
    assert not (out / "ysgol-enghraifft/who-to-tell-a4.pdf").exists()
    assert (out / "ysgol-enghraifft/cy/who-to-tell-a4.pdf").is_file()
    assert {f["locale"] for f in built(out).values()} == {"cy"}


def test_a_language_that_is_not_one_of_the_three_is_refused(ws: Workspace, tmp_path: Path):
    r = ws.check("--school", str(profile(tmp_path, language="welsh")))
    assert r.code == 1 and "profile.yaml:" in r.err and "language: 'welsh' is not allowed" in r.err
    assert "en-GB, cy, bilingual" in r.err


def test_a_language_the_content_does_not_have_is_refused_naming_the_key(ws: Workspace, tmp_path: Path):
    import shutil

    shutil.rmtree(ws.content / "cy")
    for name in [p.name for p in ws.layouts.glob("*-bilingual.yaml")]:
        (ws.layouts / name).unlink()
    r = ws.check("--school", str(profile(tmp_path, language="cy")))
    assert r.code == 1 and "Traceback" not in r.err
    assert "language: 'cy' needs the content in cy" in r.err and "profile.yaml:" in r.err


CSV = ("id,name,nation,language,checked_on,dsl_name,council_name,council_phone,council_hours,council_out_of_hours\n"
       "english-school,English School,england,,2026-11-01,Ann Lee,Council,0113 496 0001,9-5,020 7946 0001\n"
       "ysgol-gymraeg,Ysgol Gymraeg,wales,cy,2026-11-01,Siân Jones,Cyngor,0113 496 0002,9-5,020 7946 0002\n"
       "ysgol-ddwy,Ysgol Ddwyieithog,wales,bilingual,2026-11-01,Llŷr ap Gwilym,Cyngor,0113 496 0003,9-5,020 7946 0003\n")


def test_the_spreadsheets_language_column(ws: Workspace, tmp_path: Path):
    path = tmp_path / "schools.csv"
    path.write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(path), "--finish", "office", "--jobs", "1")
    assert r.code == 0, r.err
    files = built(out)
    assert {p.split("/")[1] for p in files if p.startswith("english-school/")} == {
        f"{n}.pdf" for n in SINGLE + ENGLISH_ONLY} | {"wallet-card-sheet.pdf"}
    assert all(p.startswith("ysgol-gymraeg/cy/") for p in files if p.startswith("ysgol-gymraeg/"))
    assert "ysgol-ddwy/cy/who-to-tell-a4-bilingual.pdf" in files and "ysgol-ddwy/staff-leaflet.pdf" in files
    assert "Siân Jones" in pdf_text(out / "ysgol-gymraeg/cy/who-to-tell-a4.pdf")
    import zipfile

    with zipfile.ZipFile(out / "packs" / "ysgol-ddwy.zip") as z:
        assert {"cy/who-to-tell-a4-bilingual.pdf", "staff-leaflet.pdf", "cy/staff-leaflet.pdf"} <= set(z.namelist())


def test_a_bad_language_in_a_spreadsheet_fails_its_row_only(ws: Workspace, tmp_path: Path):
    path = tmp_path / "schools.csv"
    path.write_text(CSV.replace(",wales,cy,", ",wales,Welsh,"), encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", str(path), "--finish", "office", "--jobs", "1")
    assert r.code == 1
    assert "row 3 ('ysgol-gymraeg')" in r.err and "schools.csv:3:4: language: 'Welsh' is not allowed" in r.err
    assert (out / "english-school" / "who-to-tell-a4.pdf").is_file() and (out / "ysgol-ddwy").is_dir()
