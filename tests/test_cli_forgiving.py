"""The command line forgives what people type: the wrong Python, a misspelt command, CY for cy, no internet."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from cseprint import bootstrap
from cseprint.cli import locale_code

from .conftest import PROJECT, TODAY, Workspace, run_cli
from .project_copy import copy_project, env_without_debug, make_venv_with_test_packages


def run_generate(project: Path, *args: str, python: list[str] | None = None, timeout: int = 300,
                 **env: str) -> subprocess.CompletedProcess:
    """Run the copy's generate.py the way a person would, with ``python`` (default: this interpreter)."""
    cmd = [*(python or [sys.executable]), str(project / "generate.py"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=project, env=env_without_debug(**env),
                          timeout=timeout)


# --- the wrong Python ----------------------------------------------------------------------------

def test_requirements_and_the_module_map_agree():
    """Every pinned package is one the start-up check looks for, and nothing else is."""
    pinned = set()
    for line in (PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            pinned.add(line.split("==")[0].lower())
    assert {d.lower() for d in bootstrap.MODULES.values()} == pinned


def test_a_python_without_the_packages_and_no_venv_says_how_to_set_up(tmp_path: Path):
    proj = copy_project(tmp_path / "proj")
    # -S: no site-packages, so this is a Python that has none of the packages
    r = run_generate(proj, "list", python=[sys.executable, "-S"])
    assert r.returncode == 2, r.stderr
    assert "python3 generate.py setup" in r.stderr and "no .venv" in r.stderr
    assert "PyYAML" in r.stderr and "reportlab" in r.stderr
    assert "bug" not in r.stderr.lower() and "Traceback" not in r.stderr and r.stdout == ""


def test_a_python_without_the_packages_uses_the_projects_venv(tmp_path: Path):
    proj = copy_project(tmp_path / "proj")
    make_venv_with_test_packages(proj)
    r = run_generate(proj, "list", python=[sys.executable, "-S"])
    assert r.returncode == 0, r.stderr
    assert "Layouts:" in r.stdout and "poster-a4" in r.stdout


def test_a_venv_that_lacks_the_packages_is_not_a_loop_and_not_a_bug(tmp_path: Path):
    proj = copy_project(tmp_path / "proj")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(proj / ".venv")], check=True, timeout=120)
    r = run_generate(proj, "list", python=[sys.executable, "-S"])
    assert r.returncode == 2, r.stderr
    assert "python3 generate.py setup" in r.stderr and ".venv" in r.stderr and "lacks them too" in r.stderr
    assert "bug" not in r.stderr.lower()


def test_a_missing_package_inside_the_cli_is_exit_2_not_a_bug(ws: Workspace, tmp_path: Path):
    """Even past the start-up check (a package removed under a running install), no 'internal error'."""
    env = env_without_debug()
    code = ("import sys, importlib.abc\n"
            "class Gone(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name == 'reportlab' or name.startswith('reportlab.'):\n"
            "            raise ModuleNotFoundError(\"No module named 'reportlab'\", name='reportlab')\n"
            "sys.meta_path.insert(0, Gone())\n"
            "from cseprint.cli import main\n"
            f"sys.exit(main(['build', *{ws.inputs()!r}, '--out', {str(tmp_path / 'out')!r}, '--layout', 'poster-a4',"
            f" '--today', {TODAY!r}]))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, env=env,
                       timeout=300)
    assert r.returncode == 2, r.stderr
    assert "reportlab" in r.stderr and "python3 generate.py setup" in r.stderr
    assert "internal error" not in r.stderr and "bug" not in r.stderr.lower()
    assert not (tmp_path / "out").exists()


def test_setup_says_ready_when_this_python_has_everything(tmp_path: Path):
    proj = copy_project(tmp_path / "proj")
    r = run_generate(proj, "setup")
    assert r.returncode == 0, r.stderr
    assert "Ready" in r.stdout and "python3 generate.py" in r.stdout
    assert not (proj / ".venv").exists()  # nothing to install, so no environment made


# --- did you mean --------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, expected", [
    (["biuld"], "did you mean 'build'?"),
    (["chek"], "did you mean 'check'?"),
    (["lsit"], "did you mean 'list'?"),
    (["check-link"], "did you mean 'check-links'?"),
    (["poster-a4"], "'poster-a4' is a layout, not a command; to build just that one: "
                    "python3 generate.py build --layout poster-a4"),
    (["zzzz"], "the commands are: build, check, list, check-links, serve, diff, setup"),
    (["build", "--layuot", "poster-a4"], "did you mean --layout?"),
    (["check", "--shcools", "x.csv"], "did you mean --schools?"),
])
def test_mistyped_commands_and_options_get_did_you_mean(argv: list[str], expected: str):
    r = run_cli(argv)
    assert r.code == 2, r.err
    assert expected in r.err and "usage:" in r.err


def test_a_control_character_in_a_mistyped_command_is_shown_escaped():
    r = run_cli(["bu\x1b[2Jild"])
    assert r.code == 2
    assert "\x1b" not in r.err and "'bu\\x1b[2Jild'" in r.err


# --- locale codes in any case --------------------------------------------------------------------

@pytest.mark.parametrize("typed, code", [("CY", "cy"), ("cy", "cy"), ("Cy", "cy"), ("en-gb", "en-GB"),
                                         ("EN_GB", "en-GB"), ("en-GB", "en-GB"), (" cy ", "cy")])
def test_locale_codes_in_any_case(typed: str, code: str):
    assert locale_code(typed) == code


def test_locale_in_capitals_builds_the_welsh_edition(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--locale", "CY", "--layout", "poster-a4", "--finish", "office")
    assert r.code == 0, r.err
    assert (out / "wales" / "cy" / "poster-a4.pdf").is_file()  # Welsh text is for Wales: OUT/wales/cy/


def test_an_unknown_locale_lists_the_known_ones(ws: Workspace):
    r = ws.check("--locale", "FR")
    assert r.code == 1 and "'fr'" in r.err and "cy" in r.err and "en-GB" in r.err


# --- check-links without a connection ------------------------------------------------------------

def test_check_links_with_no_connection_says_so_once(ws: Workspace):
    """Names under .invalid never resolve (RFC 2606), on any machine: what a computer with no
    connection sees for every address."""
    text = ws.read("content/contacts.yaml")
    text, n = re.subn(r"web: https://[^\s/]+", lambda m: "web: https://unreachable.invalid", text)
    assert n >= 3
    ws.write("content/contacts.yaml", text)
    r = run_cli(["check-links", "--content", str(ws.content), "--timeout", "2"])
    assert r.code == 1
    assert r.err.count("No connection") == 1 and "offline" in r.err
    assert "FAIL" not in r.out and "FAIL" not in r.err


# --- the progress bar ----------------------------------------------------------------------------

def run_in_terminal(args: list[str], columns: int) -> str:
    """Run generate.py in a pseudo-terminal ``columns`` wide; everything it showed, escapes included."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    p = subprocess.Popen([sys.executable, str(PROJECT / "generate.py"), *args], stdin=slave, stdout=slave,
                         stderr=slave, env=env_without_debug(), close_fds=True, cwd=PROJECT)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # Linux: EIO once the child has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert p.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("columns", [40, 120])
def test_the_progress_bar_fits_the_terminal(ws: Workspace, tmp_path: Path, columns: int):
    out = tmp_path / "out"
    shown = run_in_terminal(["build", *ws.inputs(), "--out", str(out), "--today", TODAY, "--layout", "poster-a4",
                             "--layout", "poster-a3"], columns)
    pieces = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", s) for s in re.split(r"[\r\n]", shown)]
    bars = [s for s in pieces if re.search(r"\d/4 files", s)]
    assert bars, shown  # the bar was drawn
    assert all(len(s) <= columns for s in bars), bars
    assert (out / "poster-a4.pdf").is_file()


def test_no_bar_when_the_output_is_not_a_terminal(ws: Workspace, tmp_path: Path):
    r = subprocess.run([sys.executable, str(PROJECT / "generate.py"), "build", *ws.inputs(), "--out",
                        str(tmp_path / "out"), "--today", TODAY, "--layout", "poster-a4"],
                       capture_output=True, text=True, env=env_without_debug(), timeout=300)
    assert r.returncode == 0, r.stderr
    assert "\r" not in r.stderr and "\r" not in r.stdout and "files [" not in r.stderr

