"""Whose files are these? Only what our own manifest lists is ever replaced or removed.

Another tool's manifest.json, a file of the user's where a build would write, a link out of the
folder, a full or read-only disk: each stops the build with a plain sentence and leaves the folder
exactly as it was. Staging folders of killed builds are removed by the next build, never a live
build's. Default ids (row-N) never collide with given ones.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from ..conftest import PROJECT, Workspace
from .folder import STAGE_PREFIX, command, disagreements, env, snapshot, staged_pdfs, start, wait_for

A4 = ("--layout", "poster-a4", "--finish", "office")
EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"


def user_site(out: Path, manifest: dict | None) -> None:
    """A folder of the user's: a web page, a picture, and (if given) their own manifest.json."""
    out.mkdir(parents=True)
    (out / "index.html").write_text("<h1>Our safeguarding page</h1>", encoding="utf-8")
    (out / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    if manifest is not None:
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("manifest, says", [
    ({"name": "Our site", "short_name": "Site", "icons": [], "start_url": "index.html"}, "another program"),
    ({"generator": {"name": "sitebuilder"}, "files": [{"path": "index.html"}, {"path": "logo.png"}]},
     "another program"),
])
def test_a_foreign_manifest_stops_the_build_and_nothing_is_lost(ws: Workspace, tmp_path: Path, manifest: dict,
                                                                  says: str):
    out = tmp_path / "site"
    user_site(out, manifest)
    before = snapshot(out)
    r = ws.build(out, *A4)
    assert r.code == 1, r.err
    assert "manifest.json was written by " + says in r.err and "nothing was written" in r.err.lower()
    assert snapshot(out) == before


def test_a_folder_our_first_release_wrote_is_adopted_and_only_what_is_provably_ours_is_replaced(
        ws: Workspace, tmp_path: Path):
    """0.1.0 wrote no marker. Its manifest is trusted file by file: a PDF whose bytes still match the
    recorded sha256 is ours to replace; one the user has since changed, and anything else it lists
    (here the user's index.html, listed as if it were a web copy), stays the user's."""
    out = tmp_path / "out"
    user_site(out, None)
    assert ws.build(out, *A4).code == 0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    man["generator"] = {"name": "cseprint", "version": "0.1.0"}  # as 0.1.0 wrote it: no marker
    for name in man.pop("meta", []):  # and no reprint list (changes.json, changes.md)
        (out / name).unlink()
    man["files"].append({"path": "poster-a3.pdf", "sha256": "0" * 64, "layout": "poster-a3"})
    man["web"] = [*man.get("web", []), "index.html"]
    (out / "poster-a3.pdf").write_bytes(b"%PDF-1.4 the user's own A3 poster, not what 0.1.0 wrote")
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    r = ws.build(out, "--layout", "poster-a4", "--layout", "poster-a3", "--finish", "office")
    assert r.code == 1, r.err  # poster-a3.pdf is the user's now: in the way, named, nothing written
    assert "poster-a3.pdf is in the way" in r.err
    (out / "poster-a3.pdf").unlink()
    r = ws.build(out, *A4, "--clean")
    assert r.code == 0, r.err
    after = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert after["generator"]["marker"]
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>Our safeguarding page</h1>"
    assert "index.html" not in after.get("web", [])
    assert disagreements(out) == []


def test_a_folder_with_the_users_files_keeps_them(ws: Workspace, tmp_path: Path):
    out = tmp_path / "site"
    user_site(out, None)
    assert ws.build(out, *A4).code == 0
    assert ws.build(out, "--clean").code == 0  # a full build, and --clean: still only our files go
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>Our safeguarding page</h1>"
    assert (out / "logo.png").exists()
    assert disagreements(out) == []


def test_a_file_of_the_users_where_a_build_would_write_stops_it(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "poster-a4.pdf").write_bytes(b"%PDF-1.4 the user's own poster")
    before = snapshot(out)
    r = ws.build(out, *A4)
    assert r.code == 1
    assert "poster-a4.pdf is in the way" in r.err and "does not list it" in r.err
    assert snapshot(out) == before


def test_a_file_where_a_school_needs_its_folder_stops_the_build(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, *A4).code == 0
    (out / "example-school").write_text("not a folder", encoding="utf-8")
    before = snapshot(out)
    r = ws.build(out, "--school", EXAMPLE, "--layout", "who-to-tell-a4", "--finish", "office")
    assert r.code == 1
    assert "example-school is a file or a link where the build needs a folder" in r.err
    assert snapshot(out) == before


def test_a_link_out_of_the_folder_is_never_written_through(ws: Workspace, tmp_path: Path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert ws.build(out, *A4).code == 0
    (out / "example-school").symlink_to(elsewhere, target_is_directory=True)
    r = ws.build(out, "--school", EXAMPLE, "--layout", "who-to-tell-a4", "--finish", "office")
    assert r.code == 1 and "a file or a link" in r.err
    assert list(elsewhere.iterdir()) == []


def test_files_a_manifest_lists_outside_the_folder_are_never_removed(ws: Workspace, tmp_path: Path):
    """A manifest of ours edited to list a file through a link is not a way to delete the user's files."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.pdf").write_bytes(b"%PDF the user's")
    assert ws.build(out, *A4).code == 0
    (out / "away").symlink_to(elsewhere, target_is_directory=True)
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    man["files"].append({**man["files"][0], "path": "away/precious.pdf"})
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")
    assert ws.build(out, "--clean").code == 0
    assert (elsewhere / "precious.pdf").read_bytes() == b"%PDF the user's"


def test_stale_staging_folders_are_removed_and_foreign_ones_kept(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, *A4).code == 0
    stale = out / f"{STAGE_PREFIX}killed"
    (stale / "example-school").mkdir(parents=True)
    (stale / ".cseprint-stage").write_text("cseprint staging folder", encoding="utf-8")
    (stale / "example-school" / "who-to-tell-a4.pdf").write_bytes(b"%PDF half written")
    empty = out / f"{STAGE_PREFIX}empty"
    empty.mkdir()
    other = out / f"{STAGE_PREFIX}not-ours"
    other.mkdir()
    (other / "thesis.txt").write_text("a file someone put here", encoding="utf-8")
    r = ws.build(out, *A4)
    assert r.code == 0, r.err
    assert "removed 2 staging folders" in r.err
    assert not stale.exists() and not empty.exists()
    assert (other / "thesis.txt").exists()


def test_a_live_builds_staging_folder_is_not_taken_for_a_stale_one(ws: Workspace, tmp_path: Path):
    """Two builds into one folder: the second runs and commits while the first is still building."""
    out = tmp_path / "out"
    csv = tmp_path / "schools.csv"
    csv.write_text("id,name,nation,checked_on,dsl_name,council_name,council_phone,council_hours,"
                   "council_out_of_hours\n"
                   "oakwood,Oak School,england,2026-11-01,Sam Lead,Council,0113 496 0001,Mon-Fri,020 7946 0001\n"
                   "elmfield,Elm School,england,2026-11-01,Sam Lead,Council,0113 496 0001,Mon-Fri,020 7946 0001\n",
                   encoding="utf-8")
    first = start(ws, "--out", out, "--schools", csv, "--layout", "who-to-tell-a4", "--finish", "office",
                  "--jobs", "1", fault="school/elmfield@hang")
    try:
        wait_for(lambda: staged_pdfs(out) >= 1, "the first build to stage a school")
        stage = next(out.glob(STAGE_PREFIX + "*"))
        r = ws.build(out, *A4)
        assert r.code == 0, r.err
        assert stage.is_dir() and staged_pdfs(out) >= 1
        assert "staging folder" not in r.err
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()
    assert ws.build(out, *A4).code == 0  # now it is stale: removed
    assert not stage.exists()
    assert disagreements(out) == []


def test_default_ids_never_collide_with_given_ones(ws: Workspace, tmp_path: Path):
    csv = tmp_path / "schools.csv"
    csv.write_text("id,name,nation,checked_on,dsl_name,council_name,council_phone,council_hours,"
                   "council_out_of_hours\n"
                   "row-3,Given Row Three,england,2026-11-01,Ann Lead,Council,0113 496 0001,Mon-Fri,020 7946 0001\n"
                   ",No Id School,england,2026-11-01,Bo Lead,Council,0113 496 0001,Mon-Fri,020 7946 0001\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", csv, "--layout", "who-to-tell-a4", "--finish", "office", "--jobs", "1")
    assert r.code == 1
    assert "schools.csv:2:1: id: 'row-3' looks like the id a row without one is given" in r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["schools"]["built"] == ["row-3"] and [f["row"] for f in man["schools"]["failed"]] == [2]
    assert disagreements(out) == []


@pytest.mark.parametrize("sid", ["wales", "scotland", "northern-ireland", "england", "packs", "cy"])
def test_output_folder_names_are_not_school_ids(ws: Workspace, tmp_path: Path, sid: str):
    csv = tmp_path / "schools.csv"
    csv.write_text("id,name,nation,checked_on,dsl_name,council_name,council_phone,council_hours,"
                   f"council_out_of_hours\n{sid},A School,england,2026-11-01,Ann Lead,Council,0113 496 0001,"
                   "Mon-Fri,020 7946 0001\n", encoding="utf-8")
    r = ws.check("--schools", str(csv))
    assert r.code == 1 and f"id: '{sid}' is the name of an output folder" in r.err


# --- the disk itself -----------------------------------------------------------------------------

def in_own_mounts(ws: Workspace, out: Path, mount: str, *args: object) -> subprocess.CompletedProcess:
    """Run a build in a private mount namespace (unshare) where ``out`` is a small or read-only disk."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode:
        pytest.skip("needs unshare (user and mount namespaces) to give the build a full or read-only disk")
    out.mkdir(parents=True, exist_ok=True)
    script = f"{mount} && exec \"$@\""
    return subprocess.run(["unshare", "-Urm", "sh", "-c", script, "sh", *command(ws, "--out", out, *args)],
                          capture_output=True, text=True, env=env(), timeout=600, cwd=ws.root)


def test_a_full_disk_is_a_plain_sentence_and_exit_1(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = in_own_mounts(ws, out, f"mount -t tmpfs -o size=8k tmpfs {out}", *A4)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "the disk is full" in r.stderr and "Nothing in it was changed" in r.stderr


def test_a_read_only_disk_is_a_plain_sentence_and_exit_1(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = in_own_mounts(ws, out, f"mount -t tmpfs -o ro tmpfs {out}", *A4)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "the disk is read-only" in r.stderr and "choose another --out" in r.stderr
