"""The reprint list end to end: builds into the same folder, ``diff``, previews and batches.

Each test builds twice from a scratch copy of the project's content, changing
one thing in between, and checks the list against what is independently known:
the manifest's list of contacts each file prints, the text extracted from the
PDFs, and the layouts' own box positions.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from cseprint.preview import OUTLINE_RGB, REPRINT_HEADING

from .conftest import FAILURES_DIR, PROJECT, Workspace, contacts_yaml, pdf_text, run_cli

BOTH = ("--finish", "both")


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def referenced(man: dict) -> set[str]:
    """Every text id the manifest's files refer to, through their records."""
    return {tid for f in man["files"] for tid in man["box_records"][f["record"]]["boxes"].values()}


def report(out: Path) -> dict:
    return json.loads((out / "changes.json").read_text(encoding="utf-8"))


def norm(text: str) -> str:
    return " ".join(text.split())


def school_profile(ws: Workspace) -> Path:
    """The example school, inside the workspace's content (its photos are relative to it)."""
    return ws.content / "schools" / "example-school.yaml"


def set_phone(ws: Workspace, cid: str, phone: str) -> None:
    """Give a registry contact a new (valid) number, printed and dialled."""
    old = contacts_yaml(ws)[cid]
    ws.replace("content/contacts.yaml", f'phone: "{old["phone"]}"', f'phone: "{phone}"')
    ws.replace("content/contacts.yaml", f'dial: "{old["dial"]}"', f'dial: "{phone.replace(" ", "")}"')


def test_first_build_into_an_empty_folder_lists_every_file_as_new(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--school", school_profile(ws))
    assert r.code == 0, r.err
    rep, man = report(out), manifest(out)
    assert rep["new"] == sorted(f["path"] for f in man["files"]) and len(rep["new"]) >= 14
    assert rep["reprint"] == rep["unchanged"] == rep["removed"] == [] and rep["since"] is None
    edition = ws.load("content/edition.yaml")
    assert rep["now"] == {"content_version": edition["version"], "date": edition["date"].isoformat()}
    assert man["meta"] == ["changes.json", "changes.md"]  # they go with the manifest
    # the summary ends with the list, then what to do next
    lines = r.out.splitlines()
    at = lines.index(f"see {out}/changes.md (and changes.json)")
    assert lines[at - 1] == f"reprint list: 0 files to reprint, 0 unchanged, {len(rep['new'])} new, 0 removed " \
                            "(no earlier build to compare)"
    assert lines[at + 1:at + 3] == ["", "Next:"]
    md = (out / "changes.md").read_text(encoding="utf-8")
    assert "every file is new" in md and "`example-school/who-to-tell-a4.pdf`" in md


def test_a_changed_registry_number_lists_exactly_the_products_that_print_it(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--school", school_profile(ws), *BOTH).code == 0
    old_number = contacts_yaml(ws)["nspcc"]["phone"]
    printing = {f["path"] for f in manifest(out)["files"] if "nspcc" in f["contacts"]}
    # independently: the files whose text has the number
    assert printing == {f["path"] for f in manifest(out)["files"] if old_number in norm(pdf_text(out / f["path"]))}
    set_phone(ws, "nspcc", "0808 800 5001")
    r = ws.build(out, "--school", school_profile(ws), *BOTH)
    assert r.code == 0, r.err
    rep = report(out)
    all_paths = {f["path"] for f in manifest(out)["files"]}
    assert {x["path"] for x in rep["reprint"]} == printing
    assert set(rep["unchanged"]) == all_paths - printing and rep["unchanged"]
    assert {"example-school/who-to-tell-a4.pdf", "example-school/print-shop/who-to-tell-a3.pdf"} <= set(rep["unchanged"])
    assert rep["new"] == rep["removed"] == [] and rep["notes"] == []
    for x in rep["reprint"]:
        assert x["school"] == "example-school" and x["layout"] in x["path"]
        assert x["changes"], x["path"]
        for c in x["changes"]:  # each change is the number, before and after, and nothing else
            assert old_number in c["before"] and "0808 800 5001" in c["after"], (x["path"], c)
            assert c["before"].replace(old_number, "0808 800 5001") == c["after"], (x["path"], c)
            assert any(k.startswith(("contacts.nspcc", "reporting.")) for k in c["keys"]), c
    poster = next(x for x in rep["reprint"] if x["path"] == "example-school/poster-a4.pdf")
    assert [(c["page"], c["box"], c["keys"]) for c in poster["changes"]] == [(1, "report", ["contacts.nspcc"])]
    name = poster["changes"][0]["before"].removesuffix(" " + old_number)
    assert name and name == poster["changes"][0]["after"].removesuffix(" 0808 800 5001")  # the row's name, apart
    # the summary says so, and what to do
    assert f"reprint list: {len(printing)} files to reprint, {len(all_paths - printing)} unchanged" in r.out
    assert f"  - reprint the {len(printing)} files listed in {out}/changes.md; the other " \
           f"{len(all_paths - printing)} already printed are still right" in r.out
    assert f"reprint {out}/example-school/poster-a4.pdf: page 1 box report: {name} {old_number} -> " \
           f"{name} 0808 800 5001" in r.out


def test_a_new_edition_date_alone_reprints_nothing(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, *BOTH).code == 0
    old_date = ws.load("content/edition.yaml")["date"].isoformat()
    ws.sub("content/edition.yaml", r"^date: .*$", "date: 2026-12-24")
    r = ws.build(out, *BOTH, today="2026-12-24")
    assert r.code == 0, r.err
    rep = report(out)
    assert rep["reprint"] == [] and rep["new"] == rep["removed"] == []
    assert rep["unchanged"] == sorted(f["path"] for f in manifest(out)["files"])
    assert rep["since"]["date"] == old_date and rep["now"]["date"] == "2026-12-24"
    # every file's edition line changed: each is unchanged, with a note quoting the line before and after
    assert [n["path"] for n in rep["notes"]] == rep["unchanged"]
    for n in rep["notes"]:
        assert old_date in n["before"] and "2026-12-24" in n["after"] and "edition line" in n["note"]
    # the PDFs themselves did change (so bytes could not have told)
    assert "2026-12-24" in norm(pdf_text(out / "poster-a4.pdf"))
    assert "0 files to reprint" in r.out and "with only a new edition line" in r.out
    assert "  - nothing needs reprinting: the copies already printed are still right" in r.out


def test_a_new_safeguarding_lead_reprints_only_that_schools_who_to_tell_posters_and_leaflet(ws: Workspace,
                                                                                             tmp_path: Path):
    out = tmp_path / "out"
    profile = school_profile(ws)
    assert ws.build(out, *BOTH).code == 0  # the national set is in the same folder
    assert ws.build(out, "--school", profile, *BOTH).code == 0
    first = report(out)
    assert {p.split("/")[0] for p in first["new"]} == {"example-school"}  # national files are not "removed"
    assert first["removed"] == [] and first["unchanged"] == []
    ws.replace("content/schools/example-school.yaml", "name: Sam Example", "name: Priya Newlead")
    r = ws.build(out, "--school", profile, *BOTH)
    assert r.code == 0, r.err
    rep = report(out)
    expected = {f"example-school/{finish}{name}.pdf" for finish in ("", "print-shop/")
                for name in ("who-to-tell-a3", "who-to-tell-a4", "staff-leaflet")}
    assert {x["path"] for x in rep["reprint"]} == expected
    school_paths = {f["path"] for f in manifest(out)["files"] if f["school"] == "example-school"}
    assert set(rep["unchanged"]) == school_paths - expected
    assert not any(p.startswith("poster") or "/" not in p for p in rep["unchanged"] + rep["removed"])
    for x in rep["reprint"]:
        assert any("Sam Example" in c["before"] and "Priya Newlead" in c["after"] for c in x["changes"]), x
    who = next(x for x in rep["reprint"] if x["path"] == "example-school/who-to-tell-a4.pdf")
    assert [(c["box"], c["keys"], c["before"], c["after"]) for c in who["changes"]] == \
        [("people", ["school.dsl"], "Sam Example", "Priya Newlead")]
    # the national files kept beside the school's are still listed in the manifest with their texts
    man = manifest(out)
    assert "poster-a4.pdf" in {f["path"] for f in man["files"]}
    assert referenced(man) == set(man["box_texts"]) and {f["record"] for f in man["files"]} == set(man["box_records"])


def test_a_national_rebuild_says_nothing_about_the_schools_kept_beside_it(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office").code == 0
    assert ws.build(out, "--finish", "office", "--school", school_profile(ws)).code == 0
    set_phone(ws, "nspcc", "0808 800 5001")
    assert ws.build(out, "--finish", "office").code == 0
    rep = report(out)
    listed = [x["path"] for x in rep["reprint"]] + rep["unchanged"] + rep["new"] + rep["removed"]
    assert listed and not any(p.startswith("example-school/") for p in listed)
    assert {x["path"] for x in rep["reprint"]} == {"poster-a3.pdf", "poster-a4.pdf", "staff-leaflet.pdf",
                                                    "wallet-card.pdf", "wallet-card-sheet.pdf"}
    # the school's files stay in the manifest with their box texts
    man = manifest(out)
    school = [f for f in man["files"] if f["school"] == "example-school"]
    assert school and all(f["record"] in man["box_records"] for f in school)
    assert referenced(man) <= set(man["box_texts"])


def test_a_partial_build_lists_only_what_it_made_and_clean_lists_what_it_removes(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, *BOTH).code == 0
    everything = {f["path"] for f in manifest(out)["files"]}
    r = ws.build(out, "--finish", "office", "--layout", "poster-a4")  # partial: the rest stays as it is
    assert r.code == 0, r.err
    rep = report(out)
    assert rep["unchanged"] == ["poster-a4.pdf"] and rep["removed"] == rep["new"] == rep["reprint"] == []
    assert {f["path"] for f in manifest(out)["files"]} == everything
    r = ws.build(out, "--finish", "office", "--clean")  # --clean: the print-shop files go, and are listed
    assert r.code == 0, r.err
    rep = report(out)
    assert rep["removed"] and all(p.startswith("print-shop/") for p in rep["removed"])
    assert set(rep["removed"]) == {p for p in everything if p.startswith("print-shop/")}
    assert not any((out / p).exists() for p in rep["removed"])
    assert rep["reprint"] == [] and rep["new"] == []


def test_damaged_records_in_the_earlier_manifest_fall_back_to_the_bytes(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4", "--layout", "wallet-card").code == 0
    man = manifest(out)
    man["box_records"] = "damaged"  # an edit by hand, or a manifest cut short
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    set_phone(ws, "nspcc", "0808 800 5001")
    r = ws.build(out, "--finish", "office", "--layout", "poster-a4", "--layout", "wallet-card")
    assert r.code == 0, r.err
    rep = report(out)  # every file differs in bytes: each is listed to reprint, to be checked by eye
    assert {x["path"] for x in rep["reprint"]} == {"poster-a4.pdf", "wallet-card.pdf", "wallet-card-sheet.pdf"}
    assert all(x["changes"] == [] and "by eye" in x["note"] for x in rep["reprint"])
    assert "box_records" in manifest(out) and isinstance(manifest(out)["box_records"], dict)


# --- diff ---------------------------------------------------------------------------------------

def test_diff_reports_what_the_build_did(ws: Workspace, tmp_path: Path):
    old, new = tmp_path / "old", tmp_path / "new"
    assert ws.build(old, "--school", school_profile(ws), *BOTH).code == 0
    shutil.copytree(old, new)
    childline = contacts_yaml(ws)["childline"]["phone"]
    # independently of the records: the files whose text has the number or the lead's name
    printing = {f["path"] for f in manifest(old)["files"]
                if childline in (text := norm(pdf_text(old / f["path"]))) or "Sam Example" in text}
    set_phone(ws, "childline", "0800 123 4567")
    ws.replace("content/schools/example-school.yaml", "name: Sam Example", "name: Priya Newlead")
    ws.sub("content/edition.yaml", r"^date: .*$", "date: 2026-12-24")
    assert ws.build(new, "--school", school_profile(ws), *BOTH, today="2026-12-24").code == 0
    built = report(new)
    assert {x["path"] for x in built["reprint"]} == printing and len(printing) >= 10
    assert set(built["unchanged"]) == {f["path"] for f in manifest(new)["files"]} - printing
    r = run_cli(["diff", old, new, "--json"])
    assert r.code == 0, r.err
    assert json.loads(r.out) == built
    r = run_cli(["diff", old, new])
    assert r.code == 0 and r.out == (new / "changes.md").read_text(encoding="utf-8")
    # the same folder against itself: nothing to reprint, still exit 0
    r = run_cli(["diff", new, new])
    assert r.code == 0 and "Nothing to reprint" in r.out and "**0 files to reprint" in r.out


def test_diff_compares_every_file_of_both_folders(ws: Workspace, tmp_path: Path):
    old, new = tmp_path / "old", tmp_path / "new"
    assert ws.build(old, "--finish", "office", "--layout", "poster-a4").code == 0
    assert ws.build(new, "--finish", "office", "--layout", "wallet-card").code == 0
    rep = json.loads(run_cli(["diff", old, new, "--json"]).out)
    assert rep["removed"] == ["poster-a4.pdf"] and rep["new"] == ["wallet-card-sheet.pdf", "wallet-card.pdf"]


def test_diff_exit_codes_and_messages(tmp_path: Path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "manifest.json").write_text('{"files": []}', encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"files": [\n  {"path": }\n]}', encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text('["not", "ours"]', encoding="utf-8")
    cases = [
        ([tmp_path / "missing", good], f"{tmp_path / 'missing'}: no such folder"),
        ([good, empty], f"{empty / 'manifest.json'}: not found"),
        ([broken, good], f"{broken / 'manifest.json'}:2:12: not valid JSON"),
        ([good, other], f"{other / 'manifest.json'}: files: not a manifest"),
    ]
    for args, message in cases:
        r = run_cli(["diff", *args])
        assert r.code == 1, (args, r.text)
        assert message in r.err and "Traceback" not in r.err, r.err
    assert run_cli(["diff", good, good]).code == 0
    for bad in (["diff"], ["diff", good], ["diff", good, good, good], ["diff", "--frobnicate", good, good]):
        r = run_cli(bad)
        assert r.code == 2 and "usage:" in r.err, bad


# --- pictures of the change ---------------------------------------------------------------------

def magenta(px: tuple) -> bool:
    return all(abs(a - b) <= 40 for a, b in zip(px[:3], OUTLINE_RGB, strict=True))


def test_previews_outline_the_changed_box_and_come_first(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4").code == 0
    set_phone(ws, "nspcc", "0808 800 5001")
    r = ws.build(out, "--finish", "office", "--layout", "poster-a4", "--previews")
    assert r.code == 0, r.err
    png = out / "previews" / "poster-a4-p1-changes.png"
    assert "previews/poster-a4-p1-changes.png" in manifest(out)["previews"]
    img = Image.open(io.BytesIO(png.read_bytes())).convert("RGB")
    plain = Image.open(out / "previews" / "poster-a4-p1.png").convert("RGB")
    try:
        assert img.size == plain.size
        # the layout's own position of the box, in mm from the top-left of the trim (office: no bleed)
        layout = ws.load("layouts/poster-a4.yaml")
        box = ws.box(layout, "report")
        sx, sy = img.width / 210.0, img.height / 297.0
        left, top = box["x"] * sx, box["y"] * sy
        right, bottom = (box["x"] + box["w"]) * sx, (box["y"] + box["h"]) * sy
        mid_x, mid_y = int((left + right) / 2), int((top + bottom) / 2)
        # the outline runs just outside each edge of the box
        assert any(magenta(img.getpixel((mid_x, y))) for y in range(int(top) - 5, int(top) + 3))
        assert any(magenta(img.getpixel((mid_x, y))) for y in range(int(bottom) - 3, int(bottom) + 5))
        assert any(magenta(img.getpixel((x, mid_y))) for x in range(int(left) - 5, int(left) + 3))
        assert any(magenta(img.getpixel((x, mid_y))) for x in range(int(right) - 3, int(right) + 5))
        # and nowhere else: outside the box's outline the picture is the plain preview's
        far = [(x, y) for x in range(0, img.width, 3) for y in range(0, img.height, 3)
               if not (left - 8 <= x <= right + 8 and top - 8 <= y <= bottom + 8)]
        assert not [p for p in far if magenta(img.getpixel(p))]
        assert not [p for p in far if magenta(plain.getpixel(p))]
    except AssertionError:
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        img.save(FAILURES_DIR / "reprint-outline-actual.png")
        raise
    sheet = (out / "previews" / "index.html").read_text(encoding="utf-8")
    assert sheet.index("poster-a4-p1-changes.png") < sheet.index('"poster-a4-p1.png"')
    assert sheet.index(REPRINT_HEADING) < sheet.index("National materials")


def test_unchanged_files_get_no_change_picture(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4", "--previews").code == 0
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4", "--previews").code == 0
    assert not list((out / "previews").glob("*-changes.png"))
    assert "To reprint" not in (out / "previews" / "index.html").read_text(encoding="utf-8")


# --- batches ------------------------------------------------------------------------------------

CSV_HEADER = ("id,name,nation,checked_on,dsl_name,dsl_role,dsl_phone,deputy1_name,council_name,council_phone,"
              "council_hours,council_out_of_hours\n")


def csv_rows(lead_a: str) -> str:
    return CSV_HEADER + "".join(
        f"{sid},{name},england,2026-11-20,{lead},Deputy Head,0113 496 0{n}01,Alex Sample,Exampleshire Council,"
        f"0113 496 0000,\"Monday to Friday, 9am to 5pm\",020 7946 0999\n"
        for n, (sid, name, lead) in enumerate([("school-a", "School A (fictional)", lead_a),
                                               ("school-b", "School B (fictional)", "Kim Stays")], 1))


def pack_report(out: Path, school: str) -> dict:
    with zipfile.ZipFile(out / "packs" / f"{school}.zip") as z:
        assert "changes.md" in z.namelist()
        return json.loads(z.read("changes.json"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_packs_carry_each_schools_own_list_and_the_summary_counts_them(ws: Workspace, tmp_path: Path,
                                                                             jobs: str):
    out, csv = tmp_path / "out", tmp_path / "schools.csv"
    csv.write_text(csv_rows("Sam Example"), encoding="utf-8")
    r = ws.build(out, "--schools", csv, "--finish", "office", "--jobs", jobs)
    assert r.code == 0, r.err
    assert "reprint: 2 schools built here for the first time (every file new)" in r.out
    assert "must reprint" not in r.out  # nothing was here before: no product to count
    assert sorted(pack_report(out, "school-a")["new"]) == sorted(
        f["path"].split("/", 1)[1] for f in manifest(out)["files"] if f["school"] == "school-a")
    csv.write_text(csv_rows("Priya Newlead"), encoding="utf-8")
    r = ws.build(out, "--schools", csv, "--finish", "office", "--jobs", jobs)
    assert r.code == 0, r.err
    a, b = pack_report(out, "school-a"), pack_report(out, "school-b")
    assert {x["path"] for x in a["reprint"]} == {"who-to-tell-a3.pdf", "who-to-tell-a4.pdf", "staff-leaflet.pdf"}
    assert all(any("Sam Example" in c["before"] and "Priya Newlead" in c["after"] for c in x["changes"])
               for x in a["reprint"])
    assert "poster-a4.pdf" in a["unchanged"] and a["new"] == a["removed"] == []
    assert b["reprint"] == [] and "who-to-tell-a4.pdf" in b["unchanged"]
    whole = report(out)
    assert {x["path"] for x in whole["reprint"]} == {f"school-a/{x['path']}" for x in a["reprint"]}
    man = manifest(out)  # every text the entries refer to is in the table, once
    assert referenced(man) == set(man["box_texts"]) and {f["record"] for f in man["files"]} == set(man["box_records"])
    assert "reprint: 1 of 2 schools must reprint who-to-tell-a3 and who-to-tell-a4 (safeguarding lead changed)" \
        in r.out
    national = [ln for ln in r.out.splitlines() if ln.startswith("reprint: no school must reprint ")]
    assert len(national) == 1 and all(n in national[0] for n in ("poster-a3", "poster-a4", "wallet-card"))
    assert "who-to-tell" not in national[0] and "staff-leaflet" not in national[0]
    leaflet = [ln for ln in r.out.splitlines() if "staff-leaflet" in ln]
    assert leaflet and leaflet[0].startswith("reprint: 1 of 2 schools must reprint staff-leaflet")


def test_a_failed_school_keeps_its_files_out_of_the_list(ws: Workspace, tmp_path: Path):
    out, csv = tmp_path / "out", tmp_path / "schools.csv"
    csv.write_text(csv_rows("Sam Example"), encoding="utf-8")
    assert ws.build(out, "--schools", csv, "--finish", "office").code == 0
    bad = csv_rows("Priya Newlead").replace("0113 496 0000", "0113 496 000", 1)  # school A's council number
    csv.write_text(bad, encoding="utf-8")
    r = ws.build(out, "--schools", csv, "--finish", "office")
    assert r.code == 1 and "school-a" in r.err
    rep = report(out)
    listed = [x["path"] for x in rep["reprint"]] + rep["unchanged"] + rep["new"] + rep["removed"]
    assert listed and all(p.startswith("school-b/") for p in listed)
    assert (out / "school-a" / "who-to-tell-a4.pdf").exists()
    assert "Sam Example" in norm(pdf_text(out / "school-a" / "who-to-tell-a4.pdf"))


def test_readme_documents_the_reprint_list():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## After a change: what to reprint", 1)[1].split("\n## ", 1)[0]
    assert "changes.json" in section and "changes.md" in section and "generate.py diff" in section
    pictures = [line.split("](", 1)[1].split(")", 1)[0] for line in section.splitlines() if "![" in line]
    assert pictures and all((PROJECT / p).is_file() for p in pictures)


def test_a_nations_build_compares_only_that_nations_files(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office").code == 0
    r = ws.build(out, "--finish", "office", "--nation", "wales")
    assert r.code == 0, r.err
    rep, man = report(out), manifest(out)
    wales = {f["path"] for f in man["files"] if f.get("nation") == "wales"}
    assert wales and all(p.startswith("wales/") for p in wales)
    assert set(rep["new"]) == wales and rep["removed"] == rep["unchanged"] == rep["reprint"] == []
    assert any(f.get("nation") == "england" for f in man["files"])  # England's files are kept, not removed
    r = ws.build(out, "--finish", "office", "--nation", "wales")
    assert r.code == 0, r.err
    assert set(report(out)["unchanged"]) == wales and report(out)["new"] == []


def test_a_folder_from_before_reprint_lists_is_compared_by_its_bytes(ws: Workspace, tmp_path: Path):
    """A folder our 0.1.0 release wrote (no marker, no records): its files can only be compared by their
    bytes, and each that differs is listed to reprint, to be checked by eye; none is said to be unchanged
    unless its bytes are the same."""
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office").code == 0
    man = manifest(out)
    del man["generator"]["marker"], man["box_records"], man["box_texts"], man["meta"]
    for f in man["files"]:
        del f["record"], f["content_date"]
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    (out / "changes.json").unlink()
    (out / "changes.md").unlink()
    before = {f["path"]: f["sha256"] for f in man["files"]}
    set_phone(ws, "nspcc", "0808 800 5001")
    r = ws.build(out, "--finish", "office")
    assert r.code == 0, r.err
    after = {f["path"]: f["sha256"] for f in manifest(out)["files"]}
    rep = report(out)
    differ = {p for p in before if after.get(p) != before[p]}
    assert differ and {x["path"] for x in rep["reprint"]} == differ
    assert all(x["changes"] == [] and "check it by eye" in x["note"] for x in rep["reprint"])
    assert set(rep["unchanged"]) == set(before) - differ
    assert "no record of its text" in (out / "changes.md").read_text(encoding="utf-8")
