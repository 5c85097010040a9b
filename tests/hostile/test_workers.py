"""Batch workers: bounded in number, a dead or stuck worker fails its school only, Ctrl-C stops them all,
and none outlives its parent. (multiprocessing.Pool waited forever for a worker that was killed.)"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from cseprint.batch import cores

from ..conftest import Workspace
from .folder import alive, children, disagreements, snapshot, staged_packs, staged_pdfs, start, wait_for

HEADER = "id,name,nation,checked_on,dsl_name,council_name,council_phone,council_hours,council_out_of_hours\n"
SCHOOLS = ("ashby", "birch", "cedar")
WHO = ("--layout", "who-to-tell-a4", "--finish", "office")


def write_csv(tmp_path: Path, ids: tuple[str, ...] = SCHOOLS) -> Path:
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + "".join(f"{sid},{sid.title()} School,england,2026-11-01,Sam Lead,Example Council,"
                                     "0113 496 0001,Mon-Fri 9-5,020 7946 0001\n" for sid in ids), encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["0", "-1", "100000", "two", "1.5", str(2 * cores() + 1)])
def test_jobs_out_of_bounds_is_a_usage_error(ws: Workspace, tmp_path: Path, jobs: str):
    r = ws.check("--schools", write_csv(tmp_path), "--jobs", jobs)
    assert r.code == 2 and "Traceback" not in r.err
    assert f"argument --jobs: '{jobs}': give a whole number of worker processes from 1 to {2 * cores()}" in r.err


@pytest.mark.parametrize("jobs", ["1", str(2 * cores())])
def test_jobs_within_bounds_are_accepted(ws: Workspace, tmp_path: Path, jobs: str):
    r = ws.check("--schools", write_csv(tmp_path), "--jobs", jobs, *WHO)
    assert r.code == 0, r.err
    assert "checked 3 schools: 3 ok" in r.out


def built(out: Path) -> list[str]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["schools"]["built"]


def test_a_worker_that_dies_fails_its_school_and_the_batch_goes_on(ws: Workspace, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CSEPRINT_FAULT", "school/birch@kill")  # the worker kills itself with SIGKILL
    out = tmp_path / "out"
    r = ws.build(out, "--schools", write_csv(tmp_path), "--jobs", "2", *WHO)
    assert r.code == 1, r.err
    assert "FAILED row 3 ('birch')" in r.err
    assert "the worker process building it stopped unexpectedly (killed by SIGKILL" in r.err
    assert built(out) == ["ashby", "cedar"] and not (out / "birch").exists()
    assert disagreements(out) == []


def test_a_school_that_takes_too_long_fails_and_the_batch_goes_on(ws: Workspace, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CSEPRINT_FAULT", "school/ashby@hang")
    out = tmp_path / "out"
    r = ws.build(out, "--schools", write_csv(tmp_path), "--jobs", "1", "--school-timeout", "5", *WHO)
    assert r.code == 1, r.err
    assert "FAILED row 2 ('ashby')" in r.err and "took longer than 5 s, so it was stopped" in r.err
    assert built(out) == ["birch", "cedar"]  # the stuck worker was replaced: one job, and the rest still built
    assert disagreements(out) == []


def test_a_worker_killed_from_outside_does_not_hang_the_batch(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    proc = start(ws, "--out", out, "--schools", write_csv(tmp_path), "--jobs", "2", *WHO, fault="school/birch@hang")
    try:
        wait_for(lambda: staged_packs(out) >= 2, "the other two schools to be staged")  # done, not half way
        workers = children(proc.pid)
        assert workers
        for pid in workers:  # the stuck one and the idle one alike: a real kill -9
            os.kill(pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1, err
    assert "FAILED row 3 ('birch')" in err and "stopped unexpectedly (killed by SIGKILL" in err
    assert built(out) == ["ashby", "cedar"]
    assert disagreements(out) == []


def busy_batch(ws: Workspace, tmp_path: Path, out: Path):
    """A batch whose school 'birch' never finishes, once the others are staged: (process, its workers)."""
    proc = start(ws, "--out", out, "--schools", write_csv(tmp_path), "--jobs", "2", *WHO, fault="school/birch@hang")
    wait_for(lambda: staged_pdfs(out) >= 2 or proc.poll() is not None, "the other two schools to be staged")
    assert proc.poll() is None, proc.communicate()
    return proc, children(proc.pid)


def test_ctrl_c_stops_every_worker_and_leaves_the_folder_as_it_was(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--layout", "poster-a4", "--finish", "office").code == 0
    before = snapshot(out)
    proc, workers = busy_batch(ws, tmp_path, out)
    try:
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "interrupted; nothing was written." in err and "Traceback" not in err
    assert not any(alive(w) for w in workers)
    assert snapshot(out) == before  # the staging folder went too


def test_workers_die_with_their_parent(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    proc, workers = busy_batch(ws, tmp_path, out)
    assert workers and all(alive(w) for w in workers)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    wait_for(lambda: not any(alive(w) for w in workers), "the workers to exit after their parent was killed")
