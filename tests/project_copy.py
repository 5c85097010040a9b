"""A copy of the whole project in a temporary folder, and ways to run its generate.py as a person would.

Used by the tests of the first-use path and of starting with the wrong Python:
they need the real generate.py, README and requirements, not just content/
and layouts/.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT

SKIP = {".venv", ".git", "output", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache", "_failures",
        "axe", "node_modules"}


def copy_project(dest: Path) -> Path:
    """The project's files (no .venv, no output, no git) copied to ``dest``, as a fresh clone would have them."""
    shutil.copytree(PROJECT, dest, ignore=lambda _d, names: [n for n in names if n in SKIP])
    return dest


def env_without_debug(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CSEPRINT_DEBUG", "CSEPRINT_REEXEC", "COLUMNS")}
    env.update(extra)
    return env


def make_venv_with_test_packages(project: Path) -> Path:
    """A real ``.venv`` in ``project`` (made by the venv module, without pip) whose site-packages point,
    through a .pth file, at the packages this test run already has: a set-up project, without a download."""
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    libs = list(venv.glob("lib/python3*/site-packages")) + list(venv.glob("Lib/site-packages"))
    assert libs, f"no site-packages in {venv}"
    (libs[0] / "cseprint-tests.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return venv


def bin_with_python3(folder: Path) -> Path:
    """A folder holding a ``python3`` that is this test run's interpreter, to put first on PATH, so that
    the README's ``python3 ...`` commands run exactly as typed."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "python3"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    exe.chmod(0o755)
    return folder
