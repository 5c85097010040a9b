"""The output folder's commit, scope and recovery, rule by rule, on real folders in tmp_path.

tests/hostile/ shows whole builds surviving kills, full disks and foreign files; these show each
rule on its own, with both sides of it: which scope a path and a build own (a national rebuild
must never remove a school's web copies or previews), which paths are safe, what a commit
removes and keeps and why, the journal's checks, recovery, locks, held signals, and that the
staged data reaches the disk before the commit point.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import signal
from pathlib import Path

import pytest

from cseprint import outfolder
from cseprint.build import Options, claim
from cseprint.errors import OutputError
from cseprint.outfolder import (
    JOURNAL,
    MARKER,
    STAGE_MARK,
    STAGE_PREFIX,
    Claim,
    Stage,
    adopt_unmarked,
    commit,
    listed,
    out_problem,
    output_error,
    parse,
    read_manifest,
    recover,
    same_scope,
    write_atomically,
    write_staged,
)

from .conftest import FONTS, PROJECT

E, W, S = "england", "wales", "scotland"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(path: str, data: bytes, **fields) -> dict:
    scope, unit = parse(path)
    return {"path": path, "layout": unit[0], "finish": unit[1] if len(unit) > 1 else "office", "school": scope[0],
            "locale": scope[2], "nation": scope[1], "sha256": sha(data), **fields}


def ours(out: Path, files: list[str], web: list[str] = (), previews: list[str] = (), packs: list[str] = (),
         **fields) -> dict:
    """An output folder a build of ours left: the files, and a marked manifest listing them."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for path in [*files, *web, *previews, *packs]:
        data = f"old {path}".encode()
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
        if path in files:
            entries.append(entry(path, data, **fields))
    man = {"generator": {"name": "cseprint", "version": "0", "marker": MARKER}, "files": entries,
           "web": list(web), "previews": list(previews), "packs": list(packs)}
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    return man


def build(out: Path, files: list[str], owns: Claim, web: list[str] = (), previews: list[str] = (), **kw):
    data = {p: f"new {p}".encode() for p in [*files, *web, *previews]}
    man = {"generator": {"name": "cseprint", "version": "1"}, "files": [entry(p, data[p]) for p in files],
           "web": list(web), "previews": list(previews)}
    return write_atomically(out, data, man, owns, **kw)


def tree(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


# --- scope: what a path belongs to, and what a build owns ----------------------------------------------

@pytest.mark.parametrize("path, scope, unit", [
    ("poster-a4.pdf", (None, E, "en-GB"), ("poster-a4", "office")),
    ("poster-a4-sheet.pdf", (None, E, "en-GB"), ("poster-a4", "office")),
    ("cy/web/poster-a4.html", (None, E, "cy"), ("web", "poster-a4")),
    ("web/index.html", (None, E, "en-GB"), ("web", "index")),
    ("scotland/web/poster-a4.html", (None, S, "en-GB"), ("web", "poster-a4")),
    ("oakwood/cy/web/who-to-tell-a4.html", ("oakwood", E, "cy"), ("web", "who-to-tell-a4")),
    ("previews/poster-a4-p12.png", (None, E, "en-GB"), ("poster-a4", "office")),
    ("previews/print-shop/poster-a4-p1.png", (None, E, "en-GB"), ("poster-a4", "print-shop")),
    ("previews/oakwood/cy/print-shop/staff-leaflet-p2.png", ("oakwood", E, "cy"), ("staff-leaflet", "print-shop")),
    ("packs/oakwood.zip", ("oakwood", E, "*"), ("pack",)),
    ("packs/a/b.zip", ("packs", E, "en-GB"), ("b", "office")),  # not a pack: packs/ holds zips only
    ("wales/poster-a4.pdf", (None, W, "en-GB"), ("poster-a4", "office")),
    ("wales", (None, E, "en-GB"), ("wales", "office")),  # a file named like a nation is England's
    ("print-shop/poster-a4.pdf", (None, E, "en-GB"), ("poster-a4", "print-shop")),
    ("fr-FR/poster-a4.pdf", (None, E, "fr-FR"), ("poster-a4", "office")),
])
def test_where_a_path_belongs(path: str, scope: tuple, unit: tuple):
    assert parse(path) == (scope, unit)


@pytest.mark.parametrize("claimed, scope, owned", [
    ((None, E, "en-GB"), (None, E, "en-GB"), True),
    ((None, E, "en-GB"), (None, W, "en-GB"), False),  # another nation
    ((None, E, "en-GB"), (None, E, "cy"), False),  # another language
    ((None, E, "en-GB"), ("oakwood", E, "en-GB"), False),  # a school's: never a national build's
    ((None, E, "en-GB"), ("oakwood", E, "*"), False),  # nor its pack
    (("oakwood", E, "en-GB"), (None, E, "en-GB"), False),  # a school's build never owns the national files
    (("oakwood", W, "en-GB"), ("oakwood", E, "en-GB"), True),  # a school is its files, whatever nation it named
    (("oakwood", E, "en-GB"), ("oakwood", E, "cy"), False),
    (("oakwood", E, "cy"), ("oakwood", E, "*"), True),  # its pack, in every language
    (("oakwood", E, "en-GB"), ("elmfield", E, "*"), False),
])
def test_which_scopes_a_build_owns(claimed: tuple, scope: tuple, owned: bool):
    assert same_scope(claimed, scope) is owned
    assert Claim(frozenset({claimed})).owns(scope) is owned
    assert Claim(frozenset({claimed, ("other", E, "en-GB")})).owns(scope) is owned
    assert Claim(frozenset()).owns(scope) is False


def options(**kw) -> Options:
    return Options(content=PROJECT / "content", layouts=PROJECT / "layouts", fonts=FONTS, today=dt.date(2026, 11, 30),
                   **kw)


@pytest.mark.parametrize("kw, full", [
    ({}, True), ({"names": ["poster-a4"]}, False), ({"finish": "office"}, False), ({"finish": "print-shop"}, False),
    ({"names": ["poster-a4"], "clean": True}, True), ({"finish": "office", "clean": True}, True),
])
def test_a_build_is_full_when_it_makes_every_layout_and_finish_or_is_told_to_clean(kw: dict, full: bool):
    assert claim(options(**kw), [None]).full is full


def test_a_claim_names_each_school_in_the_builds_language_and_nation():
    assert claim(options(), [None]).scopes == frozenset({(None, E, "en-GB")})
    assert claim(options(locale="cy"), [None], W).scopes == frozenset({(None, W, "cy")})
    assert claim(options(), ["oakwood", "elmfield"], None).scopes == frozenset({("oakwood", E, "en-GB"), ("elmfield", E, "en-GB")})


def test_a_national_rebuild_keeps_a_schools_web_copies_previews_and_pack(tmp_path: Path):
    """The break the issue names: with the scope test flipped, a national rebuild deleted a school's files."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "oakwood/who-to-tell-a4.pdf"], web=["web/poster-a4.html", "oakwood/web/who-to-tell-a4.html"],
         previews=["previews/poster-a4-p1.png", "previews/oakwood/who-to-tell-a4-p1.png"], packs=["packs/oakwood.zip"])
    done = build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert done.removed == ["previews/poster-a4-p1.png", "web/poster-a4.html"]
    assert tree(out) == {"manifest.json", "poster-a4.pdf", "oakwood/who-to-tell-a4.pdf", "oakwood/web/who-to-tell-a4.html",
                         "previews/oakwood/who-to-tell-a4-p1.png", "packs/oakwood.zip"}
    man = read_manifest(out)
    assert man["web"] == ["oakwood/web/who-to-tell-a4.html"] and man["packs"] == ["packs/oakwood.zip"]
    assert man["previews"] == ["previews/oakwood/who-to-tell-a4-p1.png"]


def test_a_schools_full_rebuild_keeps_the_national_files_and_other_schools(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "oakwood/who-to-tell-a4.pdf", "oakwood/staff-leaflet.pdf", "elmfield/who-to-tell-a4.pdf"],
         web=["web/poster-a4.html", "oakwood/web/staff-leaflet.html"], packs=["packs/oakwood.zip", "packs/elmfield.zip"])
    done = build(out, ["oakwood/who-to-tell-a4.pdf"], Claim(frozenset({("oakwood", E, "en-GB")}), full=True))
    assert done.removed == ["oakwood/staff-leaflet.pdf", "oakwood/web/staff-leaflet.html", "packs/oakwood.zip"]
    assert done.why["oakwood/staff-leaflet.pdf"] == ("not made by this build, which made its whole scope (or was run "
                                                 "with --clean)")
    assert tree(out) == {"manifest.json", "poster-a4.pdf", "oakwood/who-to-tell-a4.pdf", "elmfield/who-to-tell-a4.pdf",
                         "web/poster-a4.html", "packs/elmfield.zip"}


def test_a_partial_build_replaces_only_its_own_layouts_and_names_what_it_left(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "poster-a3.pdf", "oakwood/poster-a4.pdf"],
         web=["web/poster-a4.html"], previews=["previews/poster-a4-p1.png", "previews/poster-a3-p1.png"])
    done = build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert done.removed == ["previews/poster-a4-p1.png"]
    assert done.why == {"previews/poster-a4-p1.png": "a preview of a file this build replaced; --previews makes them "
                                                     "again"}
    assert done.kept == ["poster-a3.pdf", "previews/poster-a3-p1.png", "web/poster-a4.html"]
    assert "oakwood/poster-a4.pdf" in tree(out) and "poster-a3.pdf" in tree(out)


def test_a_file_its_layout_no_longer_makes_is_removed_saying_why(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "poster-a4-sheet.pdf"])
    done = build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert done.removed == ["poster-a4-sheet.pdf"]
    assert done.why == {"poster-a4-sheet.pdf": "its layout and finish were built again, and no longer make it"}


def test_entries_older_than_nations_are_englands_and_a_stated_nation_wins(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    man = json.loads((out / "manifest.json").read_text())
    for e in man["files"]:
        del e["nation"]
    odd = {"path": "odd.pdf", "layout": "odd", "finish": "office", "school": None, "locale": "en-GB",
           "nation": "atlantis", "sha256": sha(b"x")}
    (out / "odd.pdf").write_bytes(b"x")
    man["files"].append(odd)
    (out / "manifest.json").write_text(json.dumps(man))
    done = build(out, ["wales/poster-a4.pdf"], Claim(frozenset({(None, W, "en-GB")}), full=True))
    assert done.removed == [] and {"poster-a4.pdf", "odd.pdf"} <= tree(out)
    done = build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert done.removed == ["odd.pdf", "poster-a4.pdf"]  # an unknown nation is read as England


def test_a_manifest_entry_names_its_own_scope_over_its_path(tmp_path: Path):
    """A school entry whose fields say so is the school's, even where its path would not say it."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"], school="oakwood", locale="cy", layout="leaflet", finish="print-shop")
    done = build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert done.removed == [] and "poster-a4.pdf" in tree(out)
    done = build(out, ["oakwood/cy/poster-a3.pdf"], Claim(frozenset({("oakwood", E, "cy")}), full=False))
    assert done.removed == [] and done.kept == ["poster-a4.pdf"]  # its own scope, another layout: kept


def test_the_contact_sheet_of_previews_belongs_to_no_build(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"], previews=["previews/index.html", "previews/poster-a4-p1.png"])
    done = build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert done.removed == ["previews/poster-a4-p1.png"]
    assert read_manifest(out)["previews"] == ["previews/index.html"]


def test_a_listed_file_that_is_gone_is_dropped_from_the_manifest(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "oakwood/poster-a4.pdf"], web=["oakwood/web/a.html"])
    (out / "oakwood" / "poster-a4.pdf").unlink()
    (out / "oakwood" / "web" / "a.html").unlink()
    build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    man = read_manifest(out)
    assert [e["path"] for e in man["files"]] == ["poster-a3.pdf", "poster-a4.pdf"] and man["web"] == []


def test_listed_is_every_path_and_meta_file_and_nothing_else():
    man = {"files": [{"path": "a.pdf"}, {"nopath": 1}, "junk", {"path": 3}], "web": ["web/a.html", 5],
           "previews": ["previews/a-p1.png"], "packs": ["packs/oakwood.zip"], "meta": ["changes.json", 7]}
    assert listed(man) == {"a.pdf", "web/a.html", "previews/a-p1.png", "packs/oakwood.zip", "changes.json"}
    assert listed({}) == set()


# --- safe paths -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, ok", [
    ("poster-a4.pdf", True), ("oakwood/web/a.html", True), ("...", True), ("a..b.pdf", True),
    ("", False), ("/etc/passwd", False), ("../outside.pdf", False), ("a/../../b.pdf", False), ("a/..", False),
    ("a\\b.pdf", False),
])
def test_only_a_relative_path_inside_the_folder_is_written(tmp_path: Path, rel: str, ok: bool):
    stage = tmp_path / "stage"
    stage.mkdir()
    if ok:
        assert write_staged(stage, tmp_path, rel, b"data") == sha(b"data")
        assert (stage / rel).read_bytes() == b"data"
    else:
        with pytest.raises(ValueError, match="not a relative path inside the output"):
            write_staged(stage, tmp_path, rel, b"data")
        assert list(stage.iterdir()) == []


def test_a_commit_refuses_an_unsafe_path_and_changes_nothing(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    before = {p: (out / p).read_bytes() for p in tree(out)}
    with Stage(out) as stage:
        with pytest.raises(OutputError, match=r"'\.\./escape\.pdf' is not a path inside the output folder"):
            commit(stage, {"../escape.pdf": sha(b"x")}, {"files": []}, Claim(frozenset({(None, E, "en-GB")})))
    assert {p: (out / p).read_bytes() for p in tree(out)} == before
    assert not (tmp_path / "escape.pdf").exists()


def test_a_link_or_file_where_a_folder_is_needed_stops_the_commit(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "oakwood").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="oakwood is a file or a link where the build needs a folder of its own"):
        build(out, ["oakwood/poster-a4.pdf"], Claim(frozenset({("oakwood", E, "en-GB")})))
    (out / "oakwood").unlink()
    (out / "oakwood").write_text("a file")
    with pytest.raises(OutputError, match="oakwood is a file or a link where the build needs a folder of its own"):
        build(out, ["oakwood/web/poster-a4.html"], Claim(frozenset({("oakwood", E, "en-GB")})))
    assert list(elsewhere.iterdir()) == []


def test_nothing_is_written_inside_a_protected_folder(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    content = out / "content"
    content.mkdir()
    with pytest.raises(OutputError, match="would write .*content/poster-a4.pdf inside .*content/, which builds read"):
        build(out, ["content/poster-a4.pdf"], Claim(frozenset({("content", E, "en-GB")})), protected=(content,))
    assert list(content.iterdir()) == []
    build(out, ["oakwood/poster-a4.pdf"], Claim(frozenset({("oakwood", E, "en-GB")})), protected=(content,))


def test_a_file_that_is_not_listed_is_in_the_way(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    (out / "poster-a3.pdf").write_bytes(b"the user's")
    with pytest.raises(OutputError, match="poster-a3.pdf is in the way: .*manifest.json does not list it"):
        build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")})))
    assert (out / "poster-a3.pdf").read_bytes() == b"the user's"
    (out / "poster-a3.pdf").unlink()
    (out / "poster-a3.pdf").symlink_to(tmp_path / "nowhere")  # a dangling link is in the way too
    with pytest.raises(OutputError, match="in the way"):
        build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")})))


def test_a_stale_file_behind_a_link_out_of_the_folder_is_not_removed(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "away/poster-a3.pdf"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "poster-a3.pdf").write_bytes(b"precious")
    (out / "away" / "poster-a3.pdf").unlink()
    (out / "away").rmdir()
    (out / "away").symlink_to(elsewhere)
    done = build(out, ["oakwood/poster-a4.pdf"], Claim(frozenset({("away", E, "en-GB")}), full=True))
    assert done.removed == [] and (elsewhere / "poster-a3.pdf").read_bytes() == b"precious"


# --- the folder and its manifest ------------------------------------------------------------------------

def test_an_output_folder_that_is_a_file_or_inside_an_input(tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "file").write_text("x")
    assert out_problem(tmp_path / "file", {"content": content}).startswith("--out ")
    assert "is a file, not a folder" in out_problem(tmp_path / "file", {"content": content})
    for inside in (content, content / "out", content / "a" / "b"):
        why = out_problem(inside, {"content": content})
        assert why is not None and "is inside the content folder" in why and "--out output" in why
    assert out_problem(tmp_path / "content2", {"content": content}) is None  # a name that only begins the same
    assert out_problem(tmp_path / "out", {"content": content, "layouts": tmp_path / "layouts"}) is None
    assert "layouts folder" in out_problem(tmp_path / "layouts" / "o", {"content": content, "layouts": tmp_path / "layouts"})


def test_a_missing_manifest_is_an_empty_folder_and_a_directory_is_an_error(tmp_path: Path):
    assert read_manifest(tmp_path) == {}
    (tmp_path / "manifest.json").mkdir()
    with pytest.raises(OutputError, match="cannot write into"):
        read_manifest(tmp_path)


@pytest.mark.parametrize("text", ["not json", "[]", '{"generator": "cseprint"}', '{"generator": {"name": "other"}}',
                                  '{"generator": {"name": "cseprint", "marker": "another-marker"}}'])
def test_a_manifest_that_is_not_ours_stops_the_build(tmp_path: Path, text: str):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(OutputError) as got:
        read_manifest(tmp_path)
    assert "manifest.json was written by another program, not this generator" in str(got.value)
    assert "nothing was written" in str(got.value)


def test_a_marked_manifest_is_read_as_it_is(tmp_path: Path):
    man = {"generator": {"name": "cseprint", "marker": MARKER}, "files": [{"path": "x.pdf"}], "extra": 1}
    (tmp_path / "manifest.json").write_text(json.dumps(man))
    assert read_manifest(tmp_path) == man


def test_an_unmarked_folder_of_ours_keeps_only_what_is_provably_ours(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    files = {"poster-a4.pdf": b"ours", "poster-a3.pdf": b"ours too", "changed.pdf": b"the user's now",
             "notes.txt": b"not a pdf", "web/poster-a4.html": b"<html>", "web/My Page.html": b"<html>",
             "previews/poster-a4-p1.png": b"png", "previews/index.html": b"<html>", "packs/oakwood.zip": b"zip"}
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    entries = [{"path": p, "sha256": sha(files[p])} for p in ("poster-a4.pdf", "poster-a3.pdf", "notes.txt")]
    entries += [{"path": "changed.pdf", "sha256": sha(b"what we wrote")}, {"path": "gone.pdf", "sha256": sha(b"")},
                {"path": "../up.pdf", "sha256": sha(b"")}, {"path": 5}, "junk"]
    data = {"generator": {"name": "cseprint", "version": "0.1.0"}, "files": entries, "edition": "2026.1",
            "web": ["web/poster-a4.html", "web/My Page.html", "web/gone.html", "../web/x.html"],
            "previews": ["previews/poster-a4-p1.png", "previews/index.html", "previews/x.txt"],
            "packs": ["packs/oakwood.zip", "packs/elmfield.zip", 3], "meta": ["changes.json"]}
    got = adopt_unmarked(out, data)
    assert [e["path"] for e in got["files"]] == ["poster-a4.pdf", "poster-a3.pdf"]
    assert got["web"] == ["web/poster-a4.html"]
    assert got["previews"] == ["previews/poster-a4-p1.png", "previews/index.html"]
    assert got["packs"] == ["packs/oakwood.zip"]
    assert "meta" not in got and got["edition"] == "2026.1"
    assert got["generator"] == {"name": "cseprint", "version": "0.1.0", "marker": MARKER}
    (out / "manifest.json").write_text(json.dumps(data))
    assert read_manifest(out) == got


def test_an_unmarked_folder_does_not_adopt_files_behind_a_link(tmp_path: Path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "web").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "poster-a4.pdf").write_bytes(b"x")
    (elsewhere / "a.html").write_bytes(b"x")
    (out / "away").symlink_to(elsewhere)
    (out / "web" / "b.html").symlink_to(elsewhere / "a.html")  # the file links out; its folder does not
    data = {"generator": {"name": "cseprint"}, "files": [{"path": "away/poster-a4.pdf", "sha256": sha(b"x")}],
            "web": ["away/web/a.html", "web/b.html"]}
    (elsewhere / "web").mkdir()
    (elsewhere / "web" / "a.html").write_bytes(b"x")
    got = adopt_unmarked(out, data)
    assert got["files"] == [] and got["web"] == ["web/b.html"]


@pytest.mark.parametrize("code, says", [
    (errno.EROFS, "the disk is read-only; choose another --out"),
    (errno.ENOSPC, "the disk is full; free some space, or choose another --out, and build again"),
    (errno.EDQUOT, "the disk is full"),
    (errno.EACCES, "permission denied (f.pdf); choose a folder you may write to"),
    (errno.EPERM, "permission denied (f.pdf)"),
    (errno.ENOTDIR, "a file is in the way of a folder (f.pdf); move it away, or choose another --out"),
    (errno.EEXIST, "a file is in the way of a folder (f.pdf)"),
    (errno.EIO, "Input/output error (f.pdf); check the folder and build again"),
])
def test_each_failed_file_operation_is_a_plain_sentence(tmp_path: Path, code: int, says: str):
    exc = OSError(code, os.strerror(code), "f.pdf")
    msg = str(output_error(tmp_path / "out", exc))
    assert msg.startswith("cannot write into ") and "out/: " in msg and says in msg
    assert msg.endswith("Nothing in it was changed.")
    assert str(output_error(tmp_path, OSError(code, os.strerror(code)), "After.")).endswith("After.")
    assert "(f.pdf)" not in str(output_error(tmp_path, OSError(code, os.strerror(code))))


# --- the commit: data on disk first, the journal, recovery ------------------------------------------------

def test_the_staged_data_is_on_disk_before_the_journal_appears(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The order a power cut needs: flush everything staged, write and fsync the journal, rename it
    into place (the commit point), fsync the folder, then move the files."""
    out = tmp_path / "out"
    events: list[str] = []
    real_flush, real_fsync_dir, real_replace, real_fsync = outfolder._flush, outfolder._fsync_dir, os.replace, os.fsync

    def flush(folder: Path) -> None:
        events.append(f"flush {folder.name}")
        real_flush(folder)

    def fsync_dir(folder: Path) -> None:
        events.append(f"fsync-dir {folder.name}")
        real_fsync_dir(folder)

    def replace(src, dst) -> None:
        events.append(f"replace {Path(src).name} {Path(dst).name}")
        real_replace(src, dst)

    def fsync(fd: int) -> None:
        events.append(f"fsync {Path(os.readlink(f'/proc/self/fd/{fd}')).name}")
        real_fsync(fd)

    monkeypatch.setattr(outfolder, "_flush", flush)
    monkeypatch.setattr(outfolder, "_fsync_dir", fsync_dir)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    i = events.index
    assert i("flush out") < i("fsync journal.tmp") < i(f"replace journal.tmp {JOURNAL}") < i("fsync-dir out")
    assert i("fsync-dir out") < i("replace poster-a4.pdf poster-a4.pdf") < i("replace manifest.json manifest.json")
    assert events.count("fsync-dir out") >= 2  # after the commit point, and after the moves
    assert not (out / JOURNAL).exists()


def test_fsync_dir_syncs_the_folder_and_ignores_one_that_cannot_be_opened(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    outfolder._fsync_dir(tmp_path)
    outfolder._fsync_dir(tmp_path / "missing")
    assert synced == [str(tmp_path)]


def test_flush_falls_back_to_sync_when_syncfs_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import ctypes

    calls = []
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    outfolder._flush(tmp_path)  # syncfs works here: no global sync
    assert calls == []

    class NoSyncfs:
        def __init__(self, *a, **k) -> None:
            pass

        @staticmethod
        def syncfs(fd: int) -> int:
            calls.append("syncfs")
            return -1

    monkeypatch.setattr(ctypes, "CDLL", NoSyncfs)
    outfolder._flush(tmp_path)
    assert calls == ["syncfs", "sync"]


def journal_of(out: Path, stage: Path, ops: list) -> None:
    (out / JOURNAL).write_text(json.dumps({"marker": MARKER, "stage": stage.name, "ops": ops}))


def test_recovery_completes_a_commit_cut_short(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "old.pdf"])
    stage = out / f"{STAGE_PREFIX}x"
    (stage / "oakwood").mkdir(parents=True)
    (stage / "oakwood" / "new.pdf").write_bytes(b"new")
    (out / "poster-a4.pdf").write_bytes(b"placed already")  # the first move was made before the cut
    journal_of(out, stage, [["place", "poster-a4.pdf", sha(b"placed already")], ["place", "oakwood/new.pdf", sha(b"new")],
                            ["remove", "old.pdf"], ["remove", "never-there.pdf"]])
    got = recover(out)
    assert (got.interrupted, got.completed, got.stages) == (True, 2, 1)
    assert (out / "oakwood" / "new.pdf").read_bytes() == b"new" and not (out / "old.pdf").exists()
    assert not (out / JOURNAL).exists() and not stage.exists()
    again = recover(out)
    assert (again.interrupted, again.completed, again.stages) == (False, 0, 0)


def test_recovery_refuses_a_journal_whose_file_is_nowhere(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    stage = out / f"{STAGE_PREFIX}x"
    stage.mkdir()
    journal_of(out, stage, [["place", "poster-a4.pdf", sha(b"something else")]])
    with pytest.raises(OutputError, match="poster-a4.pdf is neither in the staging folder .* nor in place"):
        recover(out)
    assert (out / JOURNAL).exists()  # kept, for a person to look at


def test_removing_the_last_file_of_a_folder_removes_the_empty_folders(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "oakwood/cy/print-shop/a.pdf", "oakwood/b.pdf"])
    stage = out / f"{STAGE_PREFIX}x"
    stage.mkdir()
    journal_of(out, stage, [["remove", "oakwood/cy/print-shop/a.pdf"]])
    recover(out)
    assert (out / "oakwood").is_dir() and not (out / "oakwood" / "cy").exists()
    journal_of(out, stage, [["remove", "oakwood/b.pdf"]])
    stage.mkdir()
    recover(out)
    assert not (out / "oakwood").exists() and out.is_dir()


@pytest.mark.parametrize("journal", [
    "not json", "[]", {"marker": "other", "stage": f"{STAGE_PREFIX}x", "ops": []},
    {"marker": MARKER, "stage": "elsewhere", "ops": []}, {"marker": MARKER, "stage": f"{STAGE_PREFIX}x/../..", "ops": []},
    {"marker": MARKER, "stage": 5, "ops": []}, {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": {}},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["delete", "a.pdf"]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["remove"]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["remove", "../a.pdf"]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["remove", 5]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["place", "a.pdf"]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": [["place", "a.pdf", 5]]},
    {"marker": MARKER, "stage": f"{STAGE_PREFIX}x", "ops": ["place"]},
])
def test_a_damaged_or_foreign_journal_is_refused_and_nothing_is_touched(tmp_path: Path, journal):
    out = tmp_path / "out"
    ours(out, ["a.pdf"])
    (out / JOURNAL).write_text(journal if isinstance(journal, str) else json.dumps(journal))
    with pytest.raises(OutputError, match="is not a journal this generator wrote, or it is damaged"):
        recover(out)
    assert (out / "a.pdf").exists() and (out / JOURNAL).exists()


def test_a_valid_journal_of_each_kind_of_step_is_accepted(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["a.pdf"])
    (out / f"{STAGE_PREFIX}x").mkdir()
    journal_of(out, out / f"{STAGE_PREFIX}x", [["remove", "a.pdf"], ["place", "a.pdf", sha(b"old a.pdf")]])
    with pytest.raises(OutputError, match="neither in the staging folder"):
        recover(out)  # accepted as a journal; its file is gone, which is another matter


def test_recovery_removes_left_staging_folders_and_keeps_what_is_not_ours(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f"{STAGE_PREFIX}stale"
    stale.mkdir()
    (stale / STAGE_MARK).write_text("x")
    (stale / "a.pdf").write_bytes(b"half")
    empty = out / f"{STAGE_PREFIX}empty"
    empty.mkdir()
    foreign = out / f"{STAGE_PREFIX}foreign"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("mine")
    linked = out / f"{STAGE_PREFIX}link"
    linked.symlink_to(foreign)
    a_file = out / f"{STAGE_PREFIX}file"
    a_file.write_text("a file")
    other = out / "stage-not-prefixed"
    other.mkdir()
    got = recover(out)
    assert (got.interrupted, got.stages) == (False, 2)
    assert not stale.exists() and not empty.exists()
    assert (foreign / "thesis.txt").exists() and linked.is_symlink() and a_file.exists() and other.exists()


def test_a_live_builds_staging_folder_is_locked_and_kept(tmp_path: Path):
    out = tmp_path / "out"
    with Stage(out) as stage:
        assert stage.path.name.startswith(STAGE_PREFIX) and (stage.path / STAGE_MARK).is_file()
        assert outfolder._try_hold(stage.path) is None  # held by the stage itself
        assert recover(out).stages == 0 and stage.path.is_dir()
        stage.write("oakwood/a.pdf", b"a")
        assert stage.digests == {"oakwood/a.pdf": sha(b"a")}
    assert not stage.path.exists()
    assert recover(out).stages == 0
    assert recover(tmp_path / "missing").stages == 0


def test_try_hold_locks_a_free_folder(tmp_path: Path):
    fd = outfolder._try_hold(tmp_path)
    assert isinstance(fd, int) and fd >= 0
    try:
        assert outfolder._try_hold(tmp_path) is None
    finally:
        os.close(fd)
    fd = outfolder._try_hold(tmp_path)
    assert fd is not None
    os.close(fd)


def test_a_commit_waits_for_another_and_gives_up_after_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(outfolder, "LOCK_WAIT", 0.3)
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(OutputError, match=r"another build has been writing into .*out/ for over 0 s; let it "
                                              r"finish, then build again\. Nothing was written\."):
            recover(out)
    finally:
        os.close(fd)
    assert recover(out).stages == 0  # released: it goes ahead


def test_ctrl_c_during_a_commit_is_held_until_it_is_done(tmp_path: Path):
    out = tmp_path / "out"
    with pytest.raises(outfolder.Interrupted) as got:
        with outfolder._shielded(written=out):
            os.kill(os.getpid(), signal.SIGINT)
            (tmp_path / "finished").write_text("the commit went on")
    assert got.value.written == out and (tmp_path / "finished").exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_sigterm_during_a_commit_is_delivered_after_it(tmp_path: Path):
    seen = []
    old = signal.signal(signal.SIGTERM, lambda *a: seen.append("term"))
    try:
        with outfolder._shielded(written=tmp_path):
            os.kill(os.getpid(), signal.SIGTERM)
            assert seen == []
        assert seen == ["term"]
        with outfolder._shielded():  # recovery: Ctrl-C is delivered afterwards as itself
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGTERM)
        assert seen == ["term", "term"]  # held signals are delivered once each
    finally:
        signal.signal(signal.SIGTERM, old)


def test_an_error_inside_the_shield_restores_the_handlers(tmp_path: Path):
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with pytest.raises(RuntimeError):
        with outfolder._shielded(written=tmp_path):
            raise RuntimeError("a bug")
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_a_commit_carries_meta_files_and_derived_files(tmp_path: Path):
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"], previews=["previews/index.html"])
    seen = {}

    def derive(man: dict) -> dict:
        seen.update(man)
        return {"previews/index.html": None, "contact.txt": b"sheet"}

    done = build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False),
                 meta={"changes.json": b"{}"}, derive=derive)
    assert seen["generator"]["marker"] == MARKER and seen["meta"] == ["changes.json"]
    assert done.written == ["poster-a3.pdf"] and done.removed == ["previews/index.html"]
    assert done.why["previews/index.html"] == "nothing is left for it to show"
    assert (out / "contact.txt").read_bytes() == b"sheet" and (out / "changes.json").read_bytes() == b"{}"
    assert not (out / "previews" / "index.html").exists()
    assert done.manifest == read_manifest(out) and read_manifest(out)["meta"] == ["changes.json"]


def test_a_name_with_dots_is_its_layout_up_to_the_extension():
    """Only the last dot starts the extension: a layout or school id with a dot in it stays whole."""
    assert parse("oakwood/who-to-tell.2026.pdf") == (("oakwood", E, "en-GB"), ("who-to-tell.2026", "office"))
    assert parse("previews/oakwood/print-shop/poster.v2-p1.png") == (("oakwood", E, "en-GB"), ("poster.v2", "print-shop"))


def test_an_entry_without_locale_layout_or_finish_is_read_from_its_path():
    """A manifest written before entries said their locale (or by hand) is read from where each file
    lies, so a build still knows which files are in its scope."""
    man = {"files": [{"path": "oakwood/cy/print-shop/who-to-tell-a4-sheet.pdf", "school": "oakwood"},
                     {"path": "wales/cy/poster-a4.pdf", "nation": "wales", "locale": 7, "layout": None}]}
    got = [(key, path, scope, unit) for key, path, _, scope, unit in outfolder._described(man)]
    assert got == [("files", "oakwood/cy/print-shop/who-to-tell-a4-sheet.pdf", ("oakwood", E, "cy"),
                    ("who-to-tell-a4", "print-shop")),
                   ("files", "wales/cy/poster-a4.pdf", (None, W, "cy"), ("poster-a4", "office"))]


def test_an_entry_that_names_its_layout_and_locale_is_taken_at_its_word():
    man = {"files": [{"path": "oakwood/poster-a4.pdf", "school": "oakwood", "layout": "poster-a4-bilingual",
                      "locale": "cy", "finish": "print-shop"}]}
    [(_, _, _, scope, unit)] = outfolder._described(man)
    assert (scope, unit) == (("oakwood", E, "cy"), ("poster-a4-bilingual", "print-shop"))


def test_a_build_waits_for_another_builds_lock_then_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Another build holding the folder's lock for a moment is waited for; one that holds it past
    LOCK_WAIT is reported in a sentence, and nothing is written."""
    import threading

    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    threading.Timer(0.3, lambda: os.close(fd)).start()  # the other build lets go after 0.3 s
    with outfolder._locked(out):
        pass  # reached only once the lock was free
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        monkeypatch.setattr(outfolder, "LOCK_WAIT", 0.2)
        with pytest.raises(OutputError) as got:
            with outfolder._locked(out):
                pass
        assert "another build has been writing into" in str(got.value) and "Nothing was written" in str(got.value)
    finally:
        os.close(fd)


def test_the_commit_shield_works_in_a_thread_that_cannot_catch_ctrl_c(tmp_path: Path):
    """The web app builds in worker threads, where Python cannot install a Ctrl-C handler: the
    commit still runs there, unshielded, and does not fail."""
    import threading

    ran: list[bool] = []

    def build() -> None:
        with outfolder._shielded(written=tmp_path):
            ran.append(True)

    t = threading.Thread(target=build)
    t.start()
    t.join()
    assert ran == [True]


def test_an_earlier_builds_meta_files_are_kept_only_when_safe_and_present(tmp_path: Path):
    """The manifest's ``meta`` list carries over files of earlier commits (a reprint list), but a
    name that climbs out of the folder, or a file no longer there, is not carried into the new one."""
    out = tmp_path / "out"
    man = ours(out, ["poster-a4.pdf"])
    (out / "notes.json").write_text("{}", encoding="utf-8")
    man["meta"] = ["notes.json", "../outside.json", "gone.json", 7]
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    (tmp_path / "outside.json").write_text("{}", encoding="utf-8")
    build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert read_manifest(out)["meta"] == ["notes.json"]


def test_a_file_that_cannot_be_staged_stops_the_build_in_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    stage = tmp_path / "stage"
    stage.mkdir()

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError) as got:
        write_staged(stage, tmp_path / "out", "poster-a4.pdf", b"data")
    assert "space" in str(got.value).lower()


def test_the_journal_is_complete_on_disk_when_it_is_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The journal is the commit point: when it is fsynced, its bytes must already be in the file
    (written and flushed), or a power cut could leave a journal that says nothing."""
    seen: list[bytes] = []
    real = os.fsync

    def spy(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        if Path(path).name == "journal.tmp":  # written in the staging folder, then renamed into place
            seen.append(Path(path).read_bytes())
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert seen and all(json.loads(b) for b in seen)


def test_a_derived_file_is_removed_only_when_it_is_ours(tmp_path: Path):
    """A contact sheet a build would remove (nothing left for it to show) is removed only if a
    manifest of ours lists it: a file of yours at that name stays."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    (out / "previews").mkdir()
    (out / "previews" / "index.html").write_text("mine", encoding="utf-8")
    done = build(out, ["poster-a3.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False),
                 derive=lambda man: {"previews/index.html": None})
    assert "previews/index.html" not in done.removed
    assert (out / "previews" / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_preview_belongs_to_the_scope_its_pdfs_entry_says(tmp_path: Path):
    man = {"files": [{"path": "oakwood/poster-a4.pdf", "school": "oakwood", "locale": "cy", "layout": "poster-a4"}],
           "previews": ["previews/oakwood/poster-a4-p1.png"], "web": ["oakwood/web/poster-a4.html"]}
    got = {path: scope for _, path, _, scope, _ in outfolder._described(man)}
    assert got["previews/oakwood/poster-a4-p1.png"] == ("oakwood", E, "cy")  # the PDF's entry, not the path
    assert got["oakwood/web/poster-a4.html"] == ("oakwood", E, "en-GB")  # a web copy is read from its path


def test_a_build_into_a_folder_whose_parents_do_not_exist_yet(tmp_path: Path):
    out = tmp_path / "new" / "deeper" / "out"
    build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert (out / "poster-a4.pdf").read_bytes() == b"new poster-a4.pdf"


def test_the_lock_of_a_folder_that_cannot_be_opened_is_a_sentence(tmp_path: Path):
    with pytest.raises(OutputError):
        with outfolder._locked(tmp_path / "missing"):
            pass


def test_every_folder_a_file_was_moved_into_is_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A rename is on disk only once its folder is flushed: each folder the commit placed a file in."""
    flushed: list[Path] = []
    real = outfolder._fsync_dir
    monkeypatch.setattr(outfolder, "_fsync_dir", lambda folder: (flushed.append(Path(folder)), real(folder)))
    out = tmp_path / "out"
    build(out, ["oakwood/poster-a4.pdf", "oakwood/cy/poster-a4.pdf"],
          Claim(frozenset({("oakwood", E, "en-GB"), ("oakwood", E, "cy")}), full=False))
    assert {out / "oakwood", out / "oakwood" / "cy", out} <= set(flushed)


def test_a_commit_keeps_the_reprint_records_of_the_files_it_keeps(tmp_path: Path):
    """A national build keeps a school's files; their records (what each box printed, for the next
    reprint list) must travel into the new manifest with them, or the school's next list is empty."""
    from cseprint import changes

    out = tmp_path / "out"
    man = ours(out, ["oakwood/poster-a4.pdf"])
    body = {"boxes": {"1/headline": "t1"}, "edition_boxes": []}
    rid = changes.text_id(body)
    man["files"][0]["record"] = rid
    man[changes.RECORDS] = {rid: body}
    man[changes.TEXTS] = {"t1": ["products.headline: Report it"]}
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    now = read_manifest(out)
    kept = next(f for f in now["files"] if f["path"] == "oakwood/poster-a4.pdf")
    assert now[changes.RECORDS][kept["record"]] == body
    assert now[changes.TEXTS] == {"t1": ["products.headline: Report it"]}


@pytest.mark.parametrize("entry, scope", [
    ({"school": "oakwood", "nation": "wales", "locale": "cy"}, ("oakwood", None, "cy")),
    ({"school": "", "nation": "wales", "locale": "cy"}, (None, "wales", "cy")),  # an empty id is no school
    ({"school": 7, "nation": "scotland"}, (None, "scotland", None)),  # nor is a number
    ({"nation": "wales", "locale": "en-GB"}, (None, "wales", "en-GB")),
    ({"nation": ""}, (None, "england", None)),  # entries from before nations were England's
    ({"nation": 3}, (None, "england", None)),
    ({}, (None, "england", None)),
])
def test_which_build_owns_an_entry(entry: dict, scope: tuple):
    """The reprint list's owner of a file: a school's files are the school's whatever its nation;
    national files are their nation's, and an entry without a nation is England's."""
    from cseprint.changes import scope_of

    assert scope_of(entry) == scope


# --- faults inside the commit's own steps --------------------------------------------------------------

def no_space(path) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def full_disk_when_moving(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make every rename onto a file called ``name`` fail as on a full disk; the rest go through."""
    real = os.replace

    def replace(src, dst, *a, **kw):
        if Path(dst).name == name:
            raise no_space(dst)
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)


def test_a_journal_that_cannot_be_written_stops_the_commit_with_nothing_changed(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    """The journal is the commit point: if it cannot be put in place, no file may move."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "old.pdf"])
    before = {p: (out / p).read_bytes() for p in tree(out)}
    full_disk_when_moving(monkeypatch, JOURNAL)
    with pytest.raises(OutputError, match=r"cannot write into .*/out/: the disk is full; .* Nothing in it was changed\."):
        build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert {p: (out / p).read_bytes() for p in tree(out)} == before
    assert not (out / JOURNAL).exists()


def test_a_fault_while_rolling_forward_keeps_the_journal_and_the_next_build_completes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The error says the next build completes the update: so the staging folder the journal
    names must outlive the failed build (it once was removed with it, and recovery refused)."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf", "old.pdf"])
    full_disk_when_moving(monkeypatch, "poster-a4.pdf")
    with pytest.raises(OutputError, match=r"the disk is full; .* The update is recorded in .*/out/" + re.escape(JOURNAL)):
        build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert (out / JOURNAL).exists() and (out / "old.pdf").exists()
    staged = list(out.glob(f"{STAGE_PREFIX}*"))  # kept: it holds what the journal still has to move
    assert len(staged) == 1 and (staged[0] / "poster-a4.pdf").read_bytes() == b"new poster-a4.pdf"
    monkeypatch.undo()
    got = recover(out)
    assert not staged[0].exists()
    assert got.interrupted and got.completed >= 2  # the poster, the removal of old.pdf and the manifest
    assert (out / "poster-a4.pdf").read_bytes() == b"new poster-a4.pdf" and not (out / "old.pdf").exists()
    assert [f["path"] for f in read_manifest(out)["files"]] == ["poster-a4.pdf"]


def test_a_file_in_place_that_cannot_be_read_is_not_taken_as_the_journals(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """Recovery trusts a file in place only if it can read it and its digest is the journal's."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    stage = out / f"{STAGE_PREFIX}x"
    stage.mkdir()
    target = out / "poster-a4.pdf"
    journal_of(out, stage, [["place", "poster-a4.pdf", sha(target.read_bytes())]])
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise OSError(errno.EIO, "Input/output error", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(OutputError, match="poster-a4.pdf is neither in the staging folder .* nor in place"):
        recover(out)
    assert (out / JOURNAL).exists()
    monkeypatch.setattr(Path, "read_bytes", real)
    assert recover(out).interrupted and not (out / JOURNAL).exists()  # readable again, it is taken


def test_the_folder_is_flushed_after_the_journal_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Until the journal's removal is on disk, a power cut would replay the commit; the last flush
    is of the output folder, with the journal gone."""
    out = tmp_path / "out"
    flushed: list[tuple[Path, bool]] = []
    real = outfolder._fsync_dir
    monkeypatch.setattr(outfolder, "_fsync_dir",
                        lambda folder: (flushed.append((Path(folder), (out / JOURNAL).exists())), real(folder)))
    build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert flushed[-1] == (out, False)
    assert (out, True) in flushed  # and once while the journal was in place: the commit point


def test_every_folder_a_file_was_removed_from_is_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An unlink is on disk only once its folder is flushed, as for a rename."""
    out = tmp_path / "out"
    ours(out, ["oakwood/cy/a.pdf", "oakwood/cy/b.pdf"])
    stage = out / f"{STAGE_PREFIX}x"
    stage.mkdir()
    journal_of(out, stage, [["remove", "oakwood/cy/a.pdf"]])
    flushed: list[Path] = []
    real = outfolder._fsync_dir
    monkeypatch.setattr(outfolder, "_fsync_dir", lambda folder: (flushed.append(Path(folder)), real(folder)))
    recover(out)
    assert out / "oakwood" / "cy" in flushed and (out / "oakwood" / "cy" / "b.pdf").exists()


def test_a_staging_folder_that_cannot_be_removed_stops_recovery_in_a_sentence(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f"{STAGE_PREFIX}stale"
    stale.mkdir()
    (stale / STAGE_MARK).write_text("x")

    def rmtree(path, *a, **kw):
        raise OSError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(outfolder.shutil, "rmtree", rmtree)
    with pytest.raises(OutputError, match=r"cannot write into .*/out/: permission denied \(.*/out/" + re.escape(STAGE_PREFIX) + "stale\\)"):
        recover(out)
    assert stale.is_dir()


def test_a_stage_is_kept_only_for_its_own_journal(tmp_path: Path):
    """A build that never reached its commit point removes its staging folder even while another
    build's journal is in the folder: only the stage a journal names is needed to complete it."""
    out = tmp_path / "out"
    stage = Stage(out)
    other = out / f"{STAGE_PREFIX}other"
    other.mkdir()
    journal_of(out, other, [])
    stage.close()
    assert not stage.path.exists() and other.is_dir()


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_a_stage_closes_its_descriptor_and_can_be_closed_twice(tmp_path: Path):
    """The web app makes a stage per request for as long as it runs: a descriptor left open per
    build would run the server out of them after about a thousand builds."""
    before = open_fds()
    stage = Stage(tmp_path / "out")
    assert len(open_fds() - before) == 1  # the one that holds the staging folder's lock
    stage.close()
    stage.close()
    assert open_fds() == before


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_a_stage_kept_for_its_journal_is_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The staging folder a failed commit leaves must not look like a live build's: its lock goes
    with the build, so the next build's recovery may take it."""
    out = tmp_path / "out"
    ours(out, ["poster-a4.pdf"])
    before = open_fds()
    full_disk_when_moving(monkeypatch, "poster-a4.pdf")
    with pytest.raises(OutputError):
        build(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=True))
    assert open_fds() == before
    kept = next(out.glob(f"{STAGE_PREFIX}*"))
    fd = outfolder._try_hold(kept)
    assert fd is not None
    os.close(fd)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_flushing_a_folder_leaves_no_descriptor_open(tmp_path: Path):
    before = open_fds()
    outfolder._flush(tmp_path)
    assert open_fds() == before


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_flushing_and_testing_a_lock_leave_no_descriptor_open(tmp_path: Path):
    """A commit flushes a folder per file moved; recovery tests the lock of each staging folder. In
    the web app's long-lived process, one descriptor left open each time adds up."""
    held = outfolder._try_hold(tmp_path)
    assert held is not None
    before = open_fds()
    outfolder._fsync_dir(tmp_path)
    assert outfolder._try_hold(tmp_path) is None  # held: the descriptor it opened to ask is closed again
    assert open_fds() == before
    os.close(held)
