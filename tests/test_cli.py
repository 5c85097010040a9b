"""The command line: help, usage errors, what check and a failed build leave behind, list, error format."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cseprint.cli import main

from .conftest import PROBLEM_LINE, PROJECT, TODAY, Workspace, run_cli

POSTERS = ("--layout", "poster-a4", "--layout", "poster-a3")


def snapshot(root: Path) -> dict[str, str]:
    """Every file (and folder) under root with its sha256: to prove nothing changed."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def test_help_exits_0_and_names_the_commands(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for word in ("build", "check", "list", "exit status"):
        assert word in out


@pytest.mark.parametrize("command", ["build", "check"])
def test_subcommand_help(command: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--layout" in out and "--finish" in out and "--today" not in out  # --today is hidden


@pytest.mark.parametrize("argv", [
    ["build", "--bogus"],
    ["--bogus"],
    ["check", "--finish", "glossy"],
    ["check", "--out", "x"],  # check writes nothing, so it takes no --out
    ["frobnicate"],
])
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_check_writes_nothing(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    project_output = (PROJECT / "output").exists()
    r = ws.check(*POSTERS)
    assert r.code == 0, r.err
    assert "nothing written" in r.out
    assert snapshot(tmp_path) == before
    # nor when it fails
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    before = snapshot(tmp_path)
    assert ws.check(*POSTERS).code == 1
    assert snapshot(tmp_path) == before
    assert (PROJECT / "output").exists() == project_output


def files_under(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}


def manifest_paths(out: Path) -> set[str]:
    """The manifest and every file it lists (PDFs, and web pages, previews or the reprint list if any)."""
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"manifest.json", *(f["path"] for f in man["files"]),
            *(p for k in ("web", "previews", "packs", "meta") for p in man.get(k, []))}


def test_build_writes_into_out(ws: Workspace, tmp_path: Path):
    out = tmp_path / "new" / "out"
    r = ws.build(out, "--layout", "poster-a4", "--finish", "office")
    assert r.code == 0, r.err
    assert {p for p in files_under(out) if p.endswith(".pdf")} == {"poster-a4.pdf"}
    assert files_under(out) == manifest_paths(out)
    assert "poster-a4.pdf" in r.out


def test_failed_build_leaves_existing_output_untouched(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, *POSTERS)
    assert r.code == 0, r.err
    before = snapshot(out)
    assert any(k.endswith(".pdf") for k in before)
    # a content change that would alter every poster, plus a mistake that stops the build
    ws.set_text("poster_subhead", "Something new.")
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    r = ws.build(out, *POSTERS)
    assert r.code == 1 and "nothing was written" in r.err
    assert snapshot(out) == before


def test_failed_preflight_leaves_existing_output_untouched(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--layout", "poster-a4").code == 0
    before = snapshot(out)
    ws.set_text("poster_subhead", "A suspicion is enough. Report it. " * 4)  # valid, but does not fit
    r = ws.build(out, "--layout", "poster-a4")
    assert r.code == 1 and "does not fit" in r.err
    assert snapshot(out) == before


def test_partial_rebuild_replaces_only_its_files_and_clean_removes_the_rest(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, *POSTERS, "--finish", "office").code == 0
    a3 = (out / "poster-a3.pdf").read_bytes()
    (out / "notes.txt").write_text("mine")  # not ours: must survive everything
    ws.set_text("poster_subhead", "Something new.")
    r = ws.build(out, "--layout", "poster-a4", "--finish", "office")  # partial: replaces poster-a4 only
    assert r.code == 0, r.err
    assert (out / "poster-a3.pdf").read_bytes() == a3 and not [ln for ln in r.out.splitlines() if ln.startswith("removed ")]
    assert "kept 2 files of this scope" in r.out and "--clean" in r.out  # poster-a3.pdf and its web copy
    assert files_under(out) == manifest_paths(out) | {"notes.txt"}
    r = ws.build(out, "--layout", "poster-a4", "--finish", "office", "--clean")
    assert r.code == 0, r.err
    assert not (out / "poster-a3.pdf").exists() and not (out / "web" / "poster-a3.html").exists()
    removed = sorted(ln.split()[1] for ln in r.out.splitlines() if ln.startswith("removed "))
    assert removed == sorted(f"{_rel(out)}/{p}" for p in ("poster-a3.pdf", "web/poster-a3.html")), r.out
    assert (out / "notes.txt").read_text() == "mine"
    assert files_under(out) == manifest_paths(out) | {"notes.txt"}
    assert {p for p in files_under(out) if p.endswith(".pdf")} == {"poster-a4.pdf"}


def _rel(p: Path) -> str:
    from cseprint.cli import _rel as rel

    return rel(p)


def test_a_full_build_removes_what_it_no_longer_makes(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4").code == 0
    # a layout the content no longer has: a full build of the scope does not make it, so it goes
    (ws.layouts / "poster-a4.yaml").rename(ws.layouts / "poster-old.yaml")
    with ws.edit("layouts/poster-a3.yaml") as d:
        d["extends"] = "poster-old"
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["layout"] for f in man["files"]] == ["poster-a4"]
    r = ws.build(out)  # every layout, both finishes: a full build
    assert r.code == 0, r.err
    assert not (out / "poster-a4.pdf").exists()
    assert f"removed {_rel(out)}/poster-a4.pdf" in r.out and f"removed {_rel(out)}/web/poster-a4.html" in r.out
    assert files_under(out) == manifest_paths(out)


def test_list_prints_every_contact_and_its_verified_date(ws: Workspace):
    r = ws.list()
    assert r.code == 0, r.err
    contacts = yaml.safe_load(ws.read("content/contacts.yaml"))["contacts"]
    lines = r.out.splitlines()
    for cid, c in contacts.items():
        hits = [ln for ln in lines if ln.split() and ln.split()[0] == cid]
        assert len(hits) == 1, f"{cid} not listed once:\n{r.out}"
        assert str(c["verified_on"]) in hits[0] and str(c["review_by"]) in hits[0]
        assert c["status"] in hits[0]
    for layout in ("poster-a4", "poster-a3"):
        assert any(ln.split() and ln.split()[0] == layout for ln in lines)


def test_list_flags_overdue_reviews(ws: Workspace):
    r = ws.list(today="2099-01-01")
    assert r.code == 0
    assert r.out.count("OVERDUE") == len(yaml.safe_load(ws.read("content/contacts.yaml"))["contacts"])


def test_errors_print_as_path_line_col_key_message(ws: Workspace, capsys: pytest.CaptureFixture[str]):
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    ws.replace("content/contacts.yaml", "web: https://crimestoppers-uk.org/", "wbe: https://crimestoppers-uk.org/")
    code = main(["check", *ws.inputs(), "--today", TODAY])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert lines[-1].endswith("problem found; nothing was written.") or lines[-1].endswith(
        "problems found; nothing was written.")
    problems = lines[:-1]
    assert problems
    for ln in problems:
        m = PROBLEM_LINE.match(ln)
        assert m, ln
        assert Path(m["file"]).name == "contacts.yaml"
        text = ws.read("content/contacts.yaml").splitlines()
        assert int(m["line"]) <= len(text) and int(m["col"]) >= 1
    assert any(PROBLEM_LINE.match(ln)["key"] == "contacts.crimestoppers.wbe" for ln in problems)
    assert captured.out == ""


def test_error_location_points_at_the_value(ws: Workspace, capsys: pytest.CaptureFixture[str]):
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    assert main(["check", *ws.inputs(), "--today", TODAY]) == 1
    err = capsys.readouterr().err
    m = PROBLEM_LINE.match(err.splitlines()[0])
    line = ws.read("content/contacts.yaml").splitlines()[int(m["line"]) - 1]
    assert line[int(m["col"]) - 1:].startswith('"0800 1111"')  # the printed number, which is the one to check


def test_real_entry_point_prints_no_traceback(ws: Workspace, tmp_path: Path):
    ws.write("content/edition.yaml", "version: [unclosed\n")
    env = {k: v for k, v in os.environ.items() if k != "CSEPRINT_DEBUG"}
    proc = subprocess.run([sys.executable, str(PROJECT / "generate.py"), "check", *ws.inputs(), "--today", TODAY],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "edition.yaml:2:1: YAML syntax error" in proc.stderr or "edition.yaml:" in proc.stderr
    assert proc.stdout == ""


def test_missing_folders_are_clean_errors(tmp_path: Path):
    r = run_cli(["check", "--content", str(tmp_path / "nope"), "--layouts", str(tmp_path / "nope2"),
                 "--today", TODAY])
    assert r.code == 1 and "Traceback" not in r.err
    assert "content folder not found" in r.err and "layouts folder not found" in r.err


def test_unknown_locale_is_a_clean_error(ws: Workspace):
    r = ws.check("--locale", "fr")
    assert r.code == 1 and "Traceback" not in r.err
    assert "fr" in r.err


def test_unknown_locale_is_one_problem(ws: Workspace):
    r = ws.check("--locale", "fr")
    assert r.code == 1
    assert len(r.problem_lines()) == 1 and "--locale" in r.err, r.err


def test_builds_of_other_schools_and_languages_are_kept_beside_each_other(ws: Workspace, tmp_path: Path):
    """A build replaces its own scope (national files of a language, or one school's) and keeps the rest."""
    out = tmp_path / "out"
    school = str(PROJECT / "content" / "schools" / "example-school.yaml")
    assert ws.build(out, "--finish", "office").code == 0
    assert ws.build(out, "--finish", "office", "--school", school, "--layout", "who-to-tell-a4").code == 0
    assert ws.build(out, "--finish", "office", "--locale", "cy", "--layout", "poster-a4").code == 0
    paths = manifest_paths(out)
    assert {"poster-a4.pdf", "staff-leaflet.pdf", "example-school/who-to-tell-a4.pdf", "wales/cy/poster-a4.pdf"} <= paths
    assert files_under(out) == paths
    # a national rebuild of one layout replaces that layout only; with --clean it also drops the other
    # national English files, never the school's or the Welsh ones
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4").code == 0
    assert "staff-leaflet.pdf" in manifest_paths(out) and (out / "staff-leaflet.pdf").exists()
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4", "--clean").code == 0
    paths = manifest_paths(out)
    assert "staff-leaflet.pdf" not in paths and not (out / "staff-leaflet.pdf").exists()
    assert {"poster-a4.pdf", "example-school/who-to-tell-a4.pdf", "wales/cy/poster-a4.pdf"} <= paths
    assert files_under(out) == paths
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(f["content_version"] for f in man["files"])
