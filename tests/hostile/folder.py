"""Helpers for the fault tests: real builds in subprocesses, and what an output folder must be."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import FONTS, PROJECT, TODAY, Workspace

JOURNAL = ".cseprint-commit.json"
STAGE_PREFIX = ".cseprint-stage-"
KILLED = -9  # a subprocess's returncode after SIGKILL


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under root (hidden ones too) with its sha256: the folder's whole state."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def disagreements(out: Path) -> list[str]:
    """How the folder disagrees with its manifest (empty if it agrees): every listed file is there with
    its sha256, no PDF outside a staging folder is unlisted, and no journal or staging folder is left."""
    bad = []
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    gen = man.get("generator", {})
    if gen.get("name") != "cseprint" or not gen.get("marker"):
        bad.append(f"manifest not marked as ours: {gen}")
    listed = set()
    for f in man.get("files", []):
        listed.add(f["path"])
        p = out / f["path"]
        if not p.is_file():
            bad.append(f"listed but missing: {f['path']}")
        elif hashlib.sha256(p.read_bytes()).hexdigest() != f["sha256"]:
            bad.append(f"sha256 differs: {f['path']}")
    for key in ("web", "previews", "packs", "meta"):
        for rel in man.get(key, []):
            listed.add(rel)
            if not (out / rel).is_file():
                bad.append(f"listed in {key} but missing: {rel}")
    for p in out.rglob("*.pdf"):
        rel = str(p.relative_to(out))
        if not rel.startswith(STAGE_PREFIX) and rel not in listed:
            bad.append(f"PDF not in the manifest: {rel}")
    if (out / JOURNAL).exists():
        bad.append("journal left")
    bad += [f"staging folder left: {p.name}" for p in out.iterdir() if p.name.startswith(STAGE_PREFIX)]
    return bad


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("CSEPRINT_DEBUG", "CSEPRINT_FAULT")}
    e.update(extra)
    return e


def command(ws: Workspace, *args: object) -> list[str]:
    return [sys.executable, str(PROJECT / "generate.py"), "build", "--content", str(ws.content), "--layouts",
            str(ws.layouts), "--fonts", str(FONTS), "--today", TODAY, *map(str, args)]


def generate(ws: Workspace, *args: object, fault: str | None = None, cwd: Path | None = None
             ) -> subprocess.CompletedProcess:
    """``generate.py build`` in a fresh process, optionally with a fault (faults.py) injected."""
    extra = {"CSEPRINT_FAULT": fault} if fault else {}
    return subprocess.run(command(ws, *args), capture_output=True, text=True, env=env(**extra), timeout=600,
                          cwd=cwd or ws.root)


def start(ws: Workspace, *args: object, fault: str | None = None) -> subprocess.Popen:
    extra = {"CSEPRINT_FAULT": fault} if fault else {}
    return subprocess.Popen(command(ws, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env(**extra), cwd=ws.root)


def children(pid: int) -> list[int]:
    """The process ids of pid's children (Linux)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, what: str, limit: float = 120.0, every: float = 0.02) -> None:
    """Poll until condition() holds. The limit only stops a broken test from hanging; nothing is timed."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)


def staged_pdfs(out: Path) -> int:
    return sum(1 for d in out.glob(STAGE_PREFIX + "*") for _ in d.rglob("*.pdf")) if out.is_dir() else 0


def staged_packs(out: Path) -> int:
    """Schools a batch has finished: a school's pack is the last file it stages before its result is sent."""
    return sum(1 for d in out.glob(STAGE_PREFIX + "*") for _ in d.glob("packs/*.zip")) if out.is_dir() else 0
