"""The reprint list, pure part: records of composed boxes, comparing two manifests, the writers.

The documents compared here are composed from the project's own content and
layouts (nothing is typed in by hand but the edits a test makes on purpose),
so a test fails if the record stops seeing what is printed.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from cseprint import changes
from cseprint.build import Options, plan, planned_records, run_width
from cseprint.document import Rect

from .conftest import FONTS, PROJECT, TODAY, Workspace


def composed(root: Path = PROJECT, *layouts: str, finish: str = "office", school: Path | None = None):
    """{output path: Document} for ``layouts`` composed from ``root``'s content and layouts."""
    opts = Options(content=root / "content", layouts=root / "layouts", fonts=FONTS, out=Path("unused"),
                   names=list(layouts) or None, finish=finish, school=school, today=dt.date.fromisoformat(TODAY))
    return dict(plan(opts).docs)


def manifest_of(docs: dict, version: str = "v1", date: str = "2026-01-01") -> dict:
    """A manifest as the build makes it (file entries naming their records, the two shared tables)."""
    store = changes.Store()
    eds = changes.edition_boxes(docs.values())
    files = []
    for path, d in sorted(docs.items()):
        rid = store.add(changes.record(d, eds.get(d.layout, frozenset()), measure=run_width(d)))
        files.append({"path": path, "layout": d.layout, "locale": d.locale, "school": d.school, "sha256": path,
                      "content_version": version, "content_date": date, "record": rid})
    return {"files": files, **store.tables()}


def with_records(entries: list[dict], texts: dict) -> dict:
    """A manifest from entries that spell out their ``boxes`` (and ``edition_boxes``), as tables."""
    records, files = {}, []
    for e in entries:
        e = dict(e)
        body = {"boxes": e.pop("boxes"), "edition_boxes": e.pop("edition_boxes", [])}
        rid = changes.text_id(body)
        records[rid] = body
        files.append({**e, "record": rid})
    return {"files": files, changes.RECORDS: records, changes.TEXTS: texts}


def boxes_of(man: dict, path: str) -> dict:
    """A file's record in a manifest ({"boxes", "edition_boxes"})."""
    return man[changes.RECORDS][next(f["record"] for f in man["files"] if f["path"] == path)]


def edit_box(man: dict, path: str, ref: str, edit) -> None:
    """Change one box's text of one file, as a new build with that change would record it."""
    entry = next(f for f in man["files"] if f["path"] == path)
    body = copy.deepcopy(man[changes.RECORDS][entry["record"]])
    paras = [edit(p) for p in man[changes.TEXTS][body["boxes"][ref]]]
    body["boxes"][ref] = tid = changes.text_id(paras)
    man[changes.TEXTS][tid] = paras
    entry["record"] = rid = changes.text_id(body)
    man[changes.RECORDS][rid] = body


def referenced(man: dict) -> set[str]:
    """Every text id the manifest's files refer to, through their records."""
    return {tid for f in man["files"] for tid in man[changes.RECORDS][f["record"]]["boxes"].values()}


def contacts(root: Path = PROJECT) -> dict:
    return yaml.safe_load((root / "content" / "contacts.yaml").read_text(encoding="utf-8"))["contacts"]


@pytest.fixture(scope="module")
def national() -> dict:
    return composed(PROJECT, "poster-a4", "wallet-card", "staff-leaflet")


# --- reading composed text ----------------------------------------------------------------------

def test_a_paragraph_keeps_its_key_whatever_the_text_says():
    for key, text in [("contacts.nspcc", "NSPCC: 0808 800 5000"), ("qr:ceop.web", "QR code: https://x/"),
                      ("school.deputies[0]", ""), ("k", ": : ")]:
        assert changes.split_paragraph(changes.paragraph(key, text)) == (key, text)
    assert changes.split_paragraph("no separator") is None and changes.split_paragraph(["k", "t"]) is None


def test_lines_join_as_read():
    assert changes.join_lines(["Call the", "helpline now"]) == "Call the helpline now"
    # an address broken after '/' and a name broken after its own hyphen are one word again
    assert changes.join_lines(["see https://www.nspcc.org.uk/keeping-", "children-safe/", "reporting/"]) == \
        "see https://www.nspcc.org.uk/keeping-children-safe/reporting/"
    # a dash standing alone between words keeps its spaces
    assert changes.join_lines(["day -", "or night"]) == "day - or night"
    assert changes.join_lines(["", "  one ", "two"]) == "one two"


def test_period_finds_the_repeated_copy():
    assert changes.period([1, 2, 1, 2, 1, 2]) == 2
    assert changes.period([1, 2, 1, 2, 1]) == 5
    assert changes.period(["a"] * 10) == 1
    assert changes.period([]) == 0


def test_record_holds_each_box_text_with_its_content_key(national: dict):
    phone = contacts()["nspcc"]["phone"]
    names = yaml.safe_load((PROJECT / "content" / "en-GB" / "contact_names.yaml").read_text(encoding="utf-8"))
    printed = [names["nspcc"]["label"], names["nspcc"]["short"]]  # a poster prints one of them
    doc = national["poster-a4.pdf"]
    rec = changes.record(doc, measure=run_width(doc))
    assert set(rec.boxes.values()) == set(rec.texts)
    report = rec.texts[rec.boxes["1/report"]]
    # the helpline's name and its number, set apart on one line, read with a space between them
    assert any(f"contacts.nspcc: {name} {phone}" in report for name in printed), report
    assert all(changes.split_paragraph(p) for p in report)
    # without the fonts' widths the gap cannot be seen: the runs are simply joined
    bare = changes.record(doc).texts[changes.record(doc).boxes["1/report"]]
    assert any(f"contacts.nspcc: {name}{phone}" in bare for name in printed), bare
    assert rec.edition == ["1/edition"]
    [edition] = rec.texts[rec.boxes["1/edition"]]
    assert TODAY in edition
    # a QR code's address is in the record (its caption prints it, so only once)
    qr_box = rec.texts[rec.boxes["1/ceop-qr"]]
    assert sum(contacts()["ceop"]["web"] in p for p in qr_box) == 1


def test_a_card_sheet_records_the_card_once(national: dict):
    single, sheet = national["wallet-card.pdf"], national["wallet-card-sheet.pdf"]
    eds = changes.edition_boxes([single, sheet])
    assert eds["wallet-card"]  # the card has an edition line; the sheet learns its name from the card
    a, b = changes.record(single, eds["wallet-card"]), changes.record(sheet, eds["wallet-card"])
    assert a.boxes == b.boxes and a.edition == b.edition and a.edition
    copies = sum(1 for ln in sheet.pages[1].lines if ln.box == "helplines") // \
        sum(1 for ln in single.pages[1].lines if ln.box == "helplines")
    assert copies >= 8  # the sheet really does hold many cards


def test_the_same_words_rewrapped_are_the_same_text(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    before = changes.record(composed(ws.root, "staff-leaflet")["staff-leaflet.pdf"])
    with ws.edit("layouts/staff-leaflet.yaml") as data:
        box = ws.box(data, "i2")  # the stack routes-1 is in: its boxes are as wide as it is
        box["w"] = box["w"] - 3  # narrower: the paragraphs break at other words
    doc = composed(ws.root, "staff-leaflet")["staff-leaflet.pdf"]
    after = changes.record(doc)
    old_lines = [ln.text for ln in composed(PROJECT, "staff-leaflet")["staff-leaflet.pdf"].pages[1].lines
                 if ln.box == "routes-1"]
    assert old_lines != [ln.text for ln in doc.pages[1].lines if ln.box == "routes-1"]  # it did re-wrap
    assert after.boxes == before.boxes


# --- comparing ----------------------------------------------------------------------------------

def test_identical_builds_have_nothing_to_reprint(national: dict):
    man = manifest_of(national)
    report = changes.compare(man, copy.deepcopy(man))
    assert report["reprint"] == [] and report["new"] == [] and report["removed"] == [] and report["notes"] == []
    assert report["unchanged"] == sorted(national)
    assert report["since"] == report["now"] == {"content_version": "v1", "date": "2026-01-01"}


def test_a_changed_number_is_listed_with_its_box_and_key(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    old = manifest_of(composed(ws.root, "poster-a4", "staff-leaflet", "wallet-card"))
    phone = contacts(ws.root)["childline"]["phone"]
    ws.replace("content/contacts.yaml", f'phone: "{phone}"', 'phone: "0800 123 4567"')
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001234567"')
    new = manifest_of(composed(ws.root, "poster-a4", "staff-leaflet", "wallet-card"))
    report = changes.compare(old, new)
    assert [r["path"] for r in report["reprint"]] == sorted(new_paths := [f["path"] for f in new["files"]])
    assert report["unchanged"] == []
    poster = next(r for r in report["reprint"] if r["path"] == "poster-a4.pdf")
    assert poster["layout"] == "poster-a4" and poster["school"] is None
    [c] = poster["changes"]
    assert (c["page"], c["box"], c["keys"]) == (1, "report", ["contacts.childline"])
    assert c["before"].endswith(" " + phone) and c["after"].endswith(" 0800 123 4567")
    assert c["before"].replace(phone, "0800 123 4567") == c["after"]
    assert len(new_paths) == 4  # poster, leaflet, card and its sheet: all print Childline


def test_an_edition_line_alone_is_unchanged_with_a_note(national: dict):
    old = manifest_of(national)
    new = copy.deepcopy(old)
    ref = boxes_of(new, "poster-a4.pdf")["edition_boxes"][0]
    edit_box(new, "poster-a4.pdf", ref, lambda p: p.replace(TODAY, "2027-02-03"))
    report = changes.compare(old, new)
    assert report["reprint"] == []
    assert "poster-a4.pdf" in report["unchanged"]
    [note] = report["notes"]
    assert note["path"] == "poster-a4.pdf" and "edition line" in note["note"]
    assert TODAY in note["before"] and "2027-02-03" in note["after"]


def test_an_edition_line_with_a_real_change_is_a_reprint_listing_only_the_real_change(national: dict):
    old = manifest_of(national)
    new = copy.deepcopy(old)
    for ref in (boxes_of(new, "poster-a4.pdf")["edition_boxes"][0], "1/headline"):
        edit_box(new, "poster-a4.pdf", ref, lambda p: p + " (changed)")
    [r] = changes.compare(old, new)["reprint"]
    assert [c["box"] for c in r["changes"]] == ["headline"]


def test_boxes_and_paragraphs_added_or_removed():
    t = {"a": ["k1: one", "k2: two"], "b": ["k1: one", "k3: three", "k2: two"], "c": ["k9: alone"]}
    old = with_records([{"path": "x.pdf", "boxes": {"1/list": "a", "1/gone": "c"}}], t)
    new = with_records([{"path": "x.pdf", "boxes": {"1/list": "b", "2/added": "c"}}], t)
    [r] = changes.compare(old, new)["reprint"]
    assert r["changes"] == [
        {"page": 1, "box": "list", "keys": ["k3"], "before": "", "after": "three"},
        {"page": 2, "box": "added", "keys": ["k9"], "before": "", "after": "alone"},
        {"page": 1, "box": "gone", "keys": ["k9"], "before": "alone", "after": ""},
    ]


def test_first_build_lists_every_file_as_new(national: dict):
    report = changes.compare({}, manifest_of(national))
    assert report["new"] == sorted(national) and report["since"] is None
    assert report["reprint"] == report["unchanged"] == report["removed"] == []
    assert "every file is new" in changes.to_markdown(report)


def test_only_the_built_scopes_are_compared(national: dict):
    """A school's build says nothing about the national files kept beside it, nor about another
    school's; comparing two whole folders (diff) sees them all."""
    nat = manifest_of(national)
    other = copy.deepcopy(nat)
    for e in other["files"]:
        e["path"], e["school"] = "other-school/" + e["path"], "other-school"
    mine = copy.deepcopy(nat)
    for e in mine["files"]:
        e["path"], e["school"] = "my-school/" + e["path"], "my-school"
    old = {**nat, "files": nat["files"] + other["files"]}
    report = changes.compare(old, mine)
    assert report["new"] == sorted(e["path"] for e in mine["files"])
    assert report["removed"] == [] and report["unchanged"] == [] and report["since"] is None
    # a Welsh national build does not remove the English files
    cy = copy.deepcopy(nat)
    for e in cy["files"]:
        e["path"], e["locale"] = "cy/" + e["path"], "cy"
    assert changes.compare(old, cy)["removed"] == []
    whole = changes.compare(old, mine, whole=True)
    assert set(whole["removed"]) == {e["path"] for e in old["files"]}


def test_a_partial_build_compares_only_what_it_made(national: dict):
    """A build of one layout (or one finish) that leaves the rest of its scope in place says
    nothing about the rest: not unchanged, not removed."""
    old = manifest_of(national)
    for e in old["files"]:
        e["finish"] = "office"
    new = {"files": [copy.deepcopy(e) for e in old["files"] if e["layout"] == "poster-a4"],
           changes.RECORDS: old[changes.RECORDS], changes.TEXTS: old[changes.TEXTS]}
    assert changes.compare(old, new, partial=True) == {**changes.compare(old, new, partial=True),
                                                       "unchanged": ["poster-a4.pdf"], "removed": []}
    assert "wallet-card.pdf" in changes.compare(old, new)["removed"]  # a full build would have removed it
    shop = copy.deepcopy(new)
    shop["files"][0]["finish"] = "print-shop"
    shop["files"][0]["path"] = "print-shop/poster-a4.pdf"
    assert changes.compare(old, shop, partial=True)["new"] == ["print-shop/poster-a4.pdf"]
    assert changes.compare(old, shop, partial=True)["removed"] == []


def test_a_manifest_without_records_compares_by_bytes(national: dict):
    man = manifest_of(national)
    bare = copy.deepcopy(man)
    for e in bare["files"]:
        del e["record"]
    del bare[changes.RECORDS], bare[changes.TEXTS]
    changed = copy.deepcopy(man)
    changed["files"][0]["sha256"] = "different"
    report = changes.compare(bare, changed)
    [r] = report["reprint"]
    assert r["path"] == changed["files"][0]["path"] and r["changes"] == [] and "by eye" in r["note"]
    assert len(report["unchanged"]) == len(man["files"]) - 1
    assert "by eye" in changes.to_markdown(report)


@pytest.mark.parametrize("old", [
    {}, {"files": "nonsense"}, {"files": [None, 3, "x", {"path": 7}, {"path": ""}]},
    {"files": [{"path": "poster-a4.pdf", "record": "r"}], changes.RECORDS: {"r": {"boxes": {"1/report": 12},
                                                                                 "edition_boxes": "1/x"}},
     changes.TEXTS: []},
    with_records([{"path": "poster-a4.pdf", "boxes": {"1/report": "nothere"}}], {"nothere": [[1]]}),
    with_records([{"path": "poster-a4.pdf", "boxes": {"1/report": "a"}}], {"a": ["no key here"]}),
    {"files": [{"path": "poster-a4.pdf", "record": "r"}], changes.RECORDS: {"r": {"boxes": []}}},
    {"files": [{"path": "poster-a4.pdf", "record": ["r"]}], changes.RECORDS: []},
    {"files": [{"path": "poster-a4.pdf", "record": "missing"}], changes.RECORDS: {}},
])
def test_a_damaged_earlier_manifest_never_breaks_the_comparison(national: dict, old: dict):
    new = manifest_of(national)
    report = changes.compare(old, new)
    listed = [r["path"] for r in report["reprint"]] + report["unchanged"] + report["new"]
    assert sorted(listed) == sorted(national)
    for r in report["reprint"]:
        for c in r["changes"]:
            assert c["before"] in ("(text not recorded)", "")
    changes.to_markdown(report)
    json.loads(changes.to_json(report))


def test_a_slim_manifest_compares_the_same(national: dict):
    old = manifest_of(national)
    for e in old["files"]:
        e.update(contacts=["nspcc"], trim_mm=[210.0, 297.0], unverified_contacts=[])
    new = copy.deepcopy(old)
    edit_box(new, "poster-a4.pdf", "1/headline", lambda p: p + "!")
    small = changes.slim(old)
    assert "contacts" not in small["files"][0] and small["files"][0]["record"] == old["files"][0]["record"]
    assert changes.compare(small, new) == changes.compare(old, new)
    assert changes.compare(small, new)["reprint"][0]["path"] == "poster-a4.pdf"
    assert changes.slim({"files": "nonsense"})["files"] == []


def test_keep_tables_carries_the_kept_files_records_and_texts_and_drops_the_rest():
    new = with_records([{"path": "a.pdf", "boxes": {"1/x": "new1"}}], {"new1": ["k: new"], "stray": ["k: s"]})
    previous = with_records([{"path": "kept.pdf", "boxes": {"1/x": "old1"}}, {"path": "gone.pdf", "boxes": {"1/y": "old2"}}],
                            {"old1": ["k: old"], "old2": ["k: gone"]})
    kept = previous["files"][0]
    new["files"].append(kept)  # the commit keeps a file of another scope
    new[changes.RECORDS]["stray"] = {"boxes": {}}
    changes.keep_tables(new, previous)
    assert set(new[changes.RECORDS]) == {new["files"][0]["record"], kept["record"]}
    assert new[changes.TEXTS] == {"new1": ["k: new"], "old1": ["k: old"]}


def test_rebase_keeps_one_schools_part_with_paths_inside_its_pack():
    report = {"since": None, "now": None, "reprint": [{"path": "a/who.pdf", "changes": []},
                                                       {"path": "b/who.pdf", "changes": []}],
              "unchanged": ["a/card.pdf", "b/card.pdf"], "notes": [{"path": "a/card.pdf", "note": "n"}],
              "new": ["ab/x.pdf"], "removed": ["a/old.pdf"]}
    got = changes.rebase(report, "a/")
    assert [r["path"] for r in got["reprint"]] == ["who.pdf"]
    assert got["unchanged"] == ["card.pdf"] and got["notes"][0]["path"] == "card.pdf"
    assert got["new"] == [] and got["removed"] == ["old.pdf"]


# --- writing ------------------------------------------------------------------------------------

def test_markdown_prints_hostile_text_literally_and_names_file_box_and_key():
    report = {"since": {"content_version": "1", "date": "2026-01-01"}, "now": {"content_version": "2", "date": None},
              "reprint": [{"path": "school-x/who-to-tell-a4.pdf", "layout": "who-to-tell-a4", "school": "school-x",
                           "changes": [{"page": 1, "box": "people", "keys": ["school.dsl"],
                                        "before": "Sam `Example` <b>", "after": "Jo \x1b[31mRed\u202e"}]}],
              "unchanged": [], "notes": [], "new": [], "removed": []}
    md = changes.to_markdown(report)
    assert "`school-x/who-to-tell-a4.pdf`" in md and "box `people`" in md and "`school.dsl`" in md
    assert "``Sam `Example` <b>``" in md  # a code span longer than the text's own backticks
    assert "\x1b" not in md and "\u202e" not in md and "\\u001b[31mRed\\u202e" in md
    assert "1 file to reprint" in md


def test_excerpt_shows_where_a_long_paragraph_differs():
    before = "Call 0808 800 5000 for advice. " + "More words here. " * 10 + "The end 1."
    after = before.replace("The end 1.", "The end 2.")
    b, a = changes.excerpt(before, after, 40)
    assert b.startswith("\u2026") and "The end 1." in b and "The end 2." in a and len(b) <= 40
    assert changes.excerpt("short", "shirt") == ("short", "shirt")


def test_batch_summary_counts_schools_per_product():
    def entry(school: str, layout: str) -> dict:
        return {"path": f"{school}/{layout}.pdf", "layout": layout, "school": school}

    schools = ["s1", "s2", "s3"]
    new = {"files": [entry(s, lay) for s in schools for lay in ("who-to-tell-a4", "poster-a4", "staff-leaflet")]
           + [entry("s4", "poster-a4")]}
    change = {"page": 1, "box": "people", "keys": ["school.dsl"], "before": "A", "after": "B"}
    report = {"reprint": [{"path": f"{s}/who-to-tell-a4.pdf", "layout": "who-to-tell-a4", "school": s,
                           "changes": [change]} for s in ("s1", "s2")]
              + [{"path": "s1/staff-leaflet.pdf", "layout": "staff-leaflet", "school": "s1",
                  "changes": [{**change, "box": "school-first", "keys": ["products.leaflet_school_first"]}]}],
              "unchanged": [e["path"] for e in new["files"] if e["school"] != "s4"
                            and e["path"] not in ("s1/who-to-tell-a4.pdf", "s2/who-to-tell-a4.pdf",
                                                  "s1/staff-leaflet.pdf")],
              "new": ["s4/poster-a4.pdf"], "removed": [], "notes": []}
    lines = changes.batch_summary(report, new)
    assert lines == ["2 of 3 schools must reprint who-to-tell-a4 (safeguarding lead changed)",
                     "1 of 3 schools must reprint staff-leaflet (box school-first changed)",
                     "no school must reprint poster-a4",
                     "1 school built here for the first time (every file new)"]


def test_outline_rects_are_the_composed_boxes_or_each_copy_on_a_sheet(national: dict):
    poster = national["poster-a4.pdf"]
    [r] = changes.outline_rects(poster, 1, {"report"})
    assert r == next(b.rect for b in poster.pages[0].boxes if b.box == "report")
    sheet = national["wallet-card-sheet.pdf"]
    rects = changes.outline_rects(sheet, 2, {"helplines"})
    card = national["wallet-card.pdf"]
    one = changes.union([ln.rect for ln in card.pages[1].lines if ln.box == "helplines"])
    assert len(rects) >= 8 and all(abs(x.w - one.w) < 0.01 and abs(x.h - one.h) < 0.01 for x in rects)
    assert len({(round(x.x), round(x.y)) for x in rects}) == len(rects)  # one per copy, each in its place
    assert changes.outline_rects(poster, 9, {"report"}) == []
    assert changes.union([Rect(0, 0, 1, 1), Rect(2, 3, 1, 1)]) == Rect(0, 0, 3, 4)


def test_records_see_a_new_photo_under_the_same_name(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    school = ws.content / "schools" / "example-school.yaml"
    docs = composed(ws.root, "who-to-tell-a4", school=school)
    doc = docs["example-school/who-to-tell-a4.pdf"]
    from cseprint.build import picture_id

    before = changes.record(doc, picture=picture_id)
    photo = ws.content / "schools" / "photos" / "sam-example.png"
    photo.write_bytes((ws.content / "schools" / "photos" / "alex-sample.png").read_bytes())
    after = changes.record(dataclasses.replace(doc), picture=picture_id)
    diff = changes.box_changes({"boxes": before.boxes, "edition_boxes": before.edition},
                               {"boxes": after.boxes, "edition_boxes": after.edition}, before.texts, after.texts)
    assert [(c["box"], c["keys"]) for c in diff] == [("people", ["picture"])]
    assert "sam-example.png" in diff[0]["before"] and "sam-example.png" in diff[0]["after"]
    assert diff[0]["before"] != diff[0]["after"]


# --- ready for the web form: what will change, before anything is rendered ----------------------

def test_what_will_change_on_a_schools_posters_before_they_are_made(tmp_path: Path):
    """A saved profile is loaded, a new lead typed in: the page can say what will change from the
    composed pages alone (planned_records), against what the school printed (school_record)."""
    ws = Workspace(tmp_path / "ws")
    profile = ws.content / "schools" / "example-school.yaml"
    out = tmp_path / "out"
    r = ws.build(out, "--school", profile, "--finish", "office")
    assert r.code == 0, r.err
    printed = changes.school_record(json.loads((out / "manifest.json").read_text(encoding="utf-8")),
                                    "example-school")
    assert "who-to-tell-a4.pdf" in {f["path"] for f in printed["files"]}  # paths inside the school's pack
    assert {f["school"] for f in printed["files"]} == {"example-school"}
    assert referenced(printed) == set(printed[changes.TEXTS])
    assert {f["record"] for f in printed["files"]} == set(printed[changes.RECORDS])
    opts = dict(content=ws.content, layouts=ws.layouts, fonts=FONTS, out=Path("unused"), finish="office",
                school=profile, today=dt.date.fromisoformat(TODAY))
    # the same inputs composed again: the plan's records agree with the build's, nothing to reprint
    same = changes.what_will_change(printed, planned_records(plan(Options(**opts))), "example-school")
    assert same["reprint"] == [] and same["new"] == [] and sorted(same["unchanged"]) == \
        sorted(f["path"] for f in printed["files"])
    assert changes.in_words(same)[-1].startswith("Unchanged, no need to reprint: ")
    ws.replace("content/schools/example-school.yaml", "name: Sam Example", "name: Sasha Example")
    report = changes.what_will_change(printed, planned_records(plan(Options(**opts))), "example-school")
    assert {x["path"] for x in report["reprint"]} == {"who-to-tell-a3.pdf", "who-to-tell-a4.pdf", "staff-leaflet.pdf"}
    words = changes.in_words(report)
    assert "who-to-tell-a4 changes: \u201cSam Example\u201d becomes \u201cSasha Example\u201d." in words
    assert any(w.startswith("staff-leaflet changes: ") and "Sasha Example" in w for w in words)
    assert words[-1].startswith("Unchanged, no need to reprint: ") and "poster-a4" in words[-1]
    assert "who-to-tell" not in words[-1]
    assert changes.in_words(changes.compare({}, printed)) == [
        "Nothing printed before to compare with: every poster, card and leaflet is new."]
