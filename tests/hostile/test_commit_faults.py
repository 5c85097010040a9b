"""A commit is all or nothing: a build killed at any step of its commit leaves, once the next run has
recovered the folder, the old folder or the new one, and it agrees with its manifest.

Each build here is a real ``generate.py`` process. The fault hook (cseprint/faults.py) makes it
SIGKILL itself at a named step, so nothing after that step runs (no ``finally``, no clean-up); other
tests stop a build there and kill it from outside with a real ``kill -9``, or kill it at moments
chosen only by what it has written so far. The next run is a build that fails at once (its content is
broken): the recovery must have happened before that, since it happens before anything else.
"""

from __future__ import annotations

import os
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from cseprint import faults

from ..conftest import Workspace, run_cli
from . import folder as f
from .folder import JOURNAL, KILLED, STAGE_PREFIX, disagreements, generate, snapshot, start, wait_for

POSTERS = ("--layout", "poster-a4", "--layout", "poster-a3", "--finish", "office")

# (fault point, the state the folder must be in after the next run): before the journal is in the output
# folder the build had not committed, so the old state; from then on, the new one
SINGLE = [("stage-made", "old"), ("staged", "old"), ("journal-written", "old"), ("journal", "new"),
          ("placed#1", "new"), ("placed#2", "new"), ("removed#1", "new"), ("removed#2", "new"),
          ("manifest", "new"), ("journal-removed", "new")]
BATCH = [("batch-staged", "old"), ("staged", "old"), ("journal-written", "old"), ("journal", "new"),
         ("placed#1", "new"), ("placed#4", "new"), ("removed#1", "new"), ("removed#2", "new"),
         ("manifest", "new"), ("journal-removed", "new")]
COMMIT_POINTS = {"stage-made", "staged", "journal-written", "journal", "placed", "removed", "manifest",
                 "journal-removed"}


@dataclass
class Scenario:
    old: Path  # the output folder before the build
    ws: Workspace  # the new build's inputs
    args: tuple[str, ...]  # the new build's arguments, --out aside
    states: dict[str, dict[str, str]]  # "old" and "new": snapshots of the folder before and after it
    broken: Workspace  # inputs that fail at once: the "next run" that must recover first


def recover(s: Scenario, out: Path) -> str:
    """The next run: a build that fails on its content. Returns what it said."""
    r = run_cli(["build", *s.broken.inputs(), "--out", str(out)])
    assert r.code == 1 and "Traceback" not in r.err, r.err
    return r.err


def which(s: Scenario, out: Path) -> str:
    state = snapshot(out)
    return next((name for name, snap in s.states.items() if snap == state), "neither the old state nor the new")


def broken_workspace(root: Path) -> Workspace:
    ws = Workspace(root)
    ws.write("content/edition.yaml", "version: [unclosed\n")
    return ws


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Old: the A4 and A3 posters and a file of the user's. New: a changed A4 poster, --clean (the A3
    poster and its web copy are removed), the user's file kept."""
    root = tmp_path_factory.mktemp("single")
    ws = Workspace(root / "ws")
    old = root / "old"
    assert ws.build(old, *POSTERS).code == 0
    (old / "notes.txt").write_text("the user's own file", encoding="utf-8")
    ws.set_text("poster_subhead", "A changed subhead, so the poster changes.")
    args = ("--layout", "poster-a4", "--finish", "office", "--clean")
    new = root / "new"
    shutil.copytree(old, new)
    r = generate(ws, "--out", new, *args)
    assert r.returncode == 0, r.stderr
    assert "removed" in r.stdout
    return Scenario(old, ws, args, {"old": snapshot(old), "new": snapshot(new)}, broken_workspace(root / "broken"))


CSV_HEADER = "id,name,nation,checked_on,dsl_name,council_name,council_phone,council_hours,council_out_of_hours\n"


def csv_rows(names: dict[str, str]) -> str:
    return CSV_HEADER + "".join(f"{sid},{name},england,2026-11-01,Sam Lead,Example Council,0113 496 0001,"
                                f"Mon-Fri 9-5,020 7946 0001\n" for sid, name in names.items())


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Old: three schools' posters. New: two of them renamed, --clean (their A4 posters go), the third
    school untouched."""
    root = tmp_path_factory.mktemp("batch")
    ws = Workspace(root / "ws")
    (root / "old.csv").write_text(csv_rows({"ashby": "Ashby School", "birch": "Birch School", "cedar": "Cedar School"}),
                                  encoding="utf-8")
    (root / "new.csv").write_text(csv_rows({"ashby": "Ashby Academy", "birch": "Birch Academy"}), encoding="utf-8")
    old = root / "old"
    r = ws.build(old, "--schools", root / "old.csv", "--layout", "who-to-tell-a4", "--layout", "poster-a4",
                 "--finish", "office", "--jobs", "1")
    assert r.code == 0, r.err
    args = ("--schools", str(root / "new.csv"), "--layout", "who-to-tell-a4", "--finish", "office", "--jobs", "1",
            "--clean")
    new = root / "new"
    shutil.copytree(old, new)
    r = generate(ws, "--out", new, *args)
    assert r.returncode == 0, r.stderr
    assert "removed" in r.stdout
    return Scenario(old, ws, args, {"old": snapshot(old), "new": snapshot(new)}, broken_workspace(root / "broken"))


def test_the_tests_stop_a_build_at_every_step_of_a_commit():
    listed = {p for p in faults.POINTS}
    assert COMMIT_POINTS <= listed
    assert {p.split("#")[0] for p, _ in SINGLE} == COMMIT_POINTS
    assert {p.split("#")[0] for p, _ in BATCH} == COMMIT_POINTS - {"stage-made"} | {"batch-staged"}


def killed_then_recovered(s: Scenario, out: Path, point: str, after: str) -> None:
    shutil.copytree(s.old, out)
    r = generate(s.ws, "--out", out, *s.args, fault=point)
    assert r.returncode == KILLED, f"the build did not reach {point} (exit {r.returncode}):\n{r.stderr}"
    committed = after == "new"
    # what the kill left: a journal from the commit point until the journal is removed; a staging folder always
    assert (out / JOURNAL).exists() == (committed and point != "journal-removed")
    assert any(p.name.startswith(STAGE_PREFIX) for p in out.iterdir())
    said = recover(s, out)
    assert which(s, out) == after
    assert disagreements(out) == []
    assert ("completed an update" in said) == (committed and point != "journal-removed"), said
    assert "staging folder" in said


@pytest.mark.parametrize("point, after", SINGLE)
def test_a_build_killed_at_each_step_of_its_commit(single: Scenario, tmp_path: Path, point: str, after: str):
    killed_then_recovered(single, tmp_path / "out", point, after)


@pytest.mark.parametrize("point, after", BATCH)
def test_a_batch_killed_at_each_step_of_its_commit(batch: Scenario, tmp_path: Path, point: str, after: str):
    killed_then_recovered(batch, tmp_path / "out", point, after)


def test_a_recovery_killed_half_way_is_completed_by_the_next_run(single: Scenario, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(single.old, out)
    assert generate(single.ws, "--out", out, *single.args, fault="journal").returncode == KILLED
    r = generate(single.broken, "--out", out, fault="recover-placed#1")  # the next run dies recovering
    assert r.returncode == KILLED, r.stderr
    assert (out / JOURNAL).exists()
    recover(single, out)
    assert which(single, out) == "new"
    assert disagreements(out) == []


def test_kill_9_from_outside_in_the_middle_of_a_commit(single: Scenario, tmp_path: Path):
    """The build stops itself after moving its first file; a real kill -9 from here ends it."""
    out = tmp_path / "out"
    shutil.copytree(single.old, out)
    proc = start(single.ws, "--out", out, *single.args, fault="placed#1@hang")
    try:
        wait_for(lambda: (out / JOURNAL).exists() and (out / "poster-a4.pdf").read_bytes()
                 != (single.old / "poster-a4.pdf").read_bytes(), "the commit to begin")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == KILLED
    assert disagreements(out) != []  # mid-commit: the new poster beside the old manifest
    recover(single, out)
    assert which(single, out) == "new"
    assert disagreements(out) == []


@pytest.mark.parametrize("moment", ["first school staged", "every school staged"])
def test_kill_9_of_a_batch_at_a_moment_seen_from_outside(batch: Scenario, tmp_path: Path, moment: str):
    """No hook: the batch is killed when the test sees it has staged some or all of its files. Its workers
    die with it; the next run finds the old folder (or, had the kill come later, the new one)."""
    out = tmp_path / "out"
    shutil.copytree(batch.old, out)
    args = [a for a in batch.args if a not in ("--jobs", "1")] + ["--jobs", "2"]
    proc = start(batch.ws, "--out", out, *args)
    want = 1 if moment == "first school staged" else 2  # each school stages one PDF (who-to-tell-a4)
    workers: list[int] = []
    try:
        wait_for(lambda: f.staged_pdfs(out) >= want or proc.poll() is not None, moment, every=0.005)
        workers = f.children(proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    wait_for(lambda: not any(f.alive(w) for w in workers), "the workers to die with their parent")
    recover(batch, out)
    assert which(batch, out) in ("old", "new")
    assert disagreements(out) == []


def test_ctrl_c_during_a_commit_finishes_it_and_says_so(single: Scenario, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(single.old, out)
    r = generate(single.ws, "--out", out, *single.args, fault="placed#1@int")
    assert r.returncode == 130, r.stderr
    assert "nothing was written" not in r.stderr
    assert "interrupted after the build was written" in r.stderr
    assert which(single, out) == "new"
    assert disagreements(out) == []


def test_ctrl_c_before_the_commit_writes_nothing_and_says_so(single: Scenario, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(single.old, out)
    r = generate(single.ws, "--out", out, *single.args, fault="stage-made@int")
    assert r.returncode == 130, r.stderr
    assert "interrupted; nothing was written." in r.stderr
    assert snapshot(out) == single.states["old"]  # not even a staging folder is left


@pytest.mark.parametrize("point", ["placed#1", "removed#1", "manifest"])
def test_a_disk_error_half_way_through_a_commit_is_completed_by_the_next_run(single: Scenario, tmp_path: Path,
                                                                           point: str):
    """An I/O error after the commit point: the build says the next one completes the update, exits 1,
    and leaves what that needs (the journal and the staging folder it names); the next run does."""
    out = tmp_path / "out"
    shutil.copytree(single.old, out)
    r = generate(single.ws, "--out", out, *single.args, fault=f"{point}@eio")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "Input/output error" in r.stderr
    assert "the next build completes it" in r.stderr, r.stderr
    assert (out / JOURNAL).exists()
    said = recover(single, out)
    assert "completed an update" in said, said
    assert which(single, out) == "new"
    assert disagreements(out) == []
