"""The first-use path, walked as a new user would, with the README's own commands typed as printed.

On a copy of the project in a temporary folder ("a fresh clone"): the
README's two commands, then change a phone number, add a school, and build a
spreadsheet exported the way Excel saves one on a UK Windows computer. The
``python3`` on PATH is this test run's interpreter (it has the packages, so
``setup`` has nothing to install); everything else runs exactly as written.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import yaml

from .conftest import PROJECT, pdf_text
from .project_copy import bin_with_python3, copy_project, env_without_debug

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def norm(s: str) -> str:
    return " ".join(s.split())


def readme_commands(section: str) -> list[str]:
    """The commands in the code blocks of one README section, as a person would copy them."""
    start = README.index(f"## {section}\n")
    end = README.find("\n## ", start + 1)
    body = README[start:end if end != -1 else None]
    blocks = re.findall(r"```sh\n(.*?)```", body, flags=re.S)
    return [ln.strip() for b in blocks for ln in b.splitlines() if ln.strip() and not ln.startswith("#")]


def documented(command: str) -> str:
    """A command the README prints word for word (so the test types only what a reader is told to)."""
    assert command in README, f"the README does not say {command!r}"
    return command


def test_first_use_from_a_fresh_copy(tmp_path: Path):
    proj = copy_project(tmp_path / "clone")
    env = env_without_debug(PATH=f"{bin_with_python3(tmp_path / 'bin')}:/usr/bin:/bin")

    def sh(command: str) -> subprocess.CompletedProcess:
        r = subprocess.run(["/bin/sh", "-c", command], cwd=proj, env=env, capture_output=True, text=True, timeout=600)
        assert "Traceback" not in r.stderr, r.stderr
        return r

    # 1. The README's first command: set up, then build everything (the second, `bash .ci/run`, is the
    #    tests' own command: CI runs it).
    commands = readme_commands("The two commands")
    assert commands == ["python3 generate.py setup && python3 generate.py", "bash .ci/run"]
    r = sh(commands[0])
    assert r.returncode == 0 and "Ready" in r.stdout, r.stdout + r.stderr
    rebuild = documented("`python3 generate.py` on\nits own rebuilds").split("`")[1]
    out = proj / "output"
    assert (out / "poster-a4.pdf").is_file() and (out / "how-to-print.pdf").is_file()
    assert "0808 800 5000" in norm(pdf_text(out / "staff-leaflet.pdf"))
    assert "Next:" in r.stdout

    # 2. Change a phone number as the README says: in contacts.yaml, then check, then build.
    contacts = proj / "content" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    assert text.count('"0808 800 5000"') == 1 and text.count('"08088005000"') == 1
    contacts.write_text(text.replace('"0808 800 5000"', '"0808 800 5001"').replace('"08088005000"', '"08088005001"'),
                        encoding="utf-8")
    r = sh(documented("python3 generate.py check"))
    assert r.returncode == 0 and "nothing written" in r.stdout, r.stderr
    r = sh(rebuild)
    assert r.returncode == 0, r.stderr
    leaflet = norm(pdf_text(out / "staff-leaflet.pdf"))
    assert "0808 800 5001" in leaflet and "0808 800 5000" not in leaflet

    # 3. Add a school: copy the example profile and make it ours, typed the way office staff type.
    assert "Copy `content/schools/example-school.yaml`" in README
    profile = yaml.safe_load((proj / "content" / "schools" / "example-school.yaml").read_text(encoding="utf-8"))
    profile.update(name="Oakfield Primary School", nation="England", checked_on="20/11/2026")
    profile["dsl"]["name"] = "Priya Sharma"
    profile["council"]["phone"] = "01134960123"  # typed without spaces
    (proj / "content" / "schools" / "oakfield-primary.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    example = documented("python3 generate.py build --school content/schools/example-school.yaml")
    r = sh(example.replace("example-school", "oakfield-primary"))
    assert r.returncode == 0, r.stderr
    assert "read '20/11/2026' as 20 November 2026" in r.stderr
    who = norm(pdf_text(out / "oakfield-primary" / "who-to-tell-a4.pdf"))
    assert "Oakfield Primary School" in who and "Priya Sharma" in who and "0113 496 0123" in who
    assert (out / "poster-a4.pdf").is_file()  # the national set is still there beside the school's

    # 4. A spreadsheet as Excel saves it on a UK Windows computer: "CSV (Comma delimited)" is Windows-1252,
    #    headers as people label them, UK dates, nations with capitals, and a list separator of ';'.
    rows = [["ID", "Name", "Nation", "Checked On", "DSL Name", "DSL Phone", "Council Name", "Council Phone",
             "Council Hours", "Council Out of Hours"],
            ["st-aidans", "St Aidan's C of E Primary, Leeds", "England", "03/11/2026", "Siobhán O'Connor",
             "0113 496 0102", "Leeds (example) Council", "0113 496 0001", "Mon-Fri, 9am-5pm", "020 7946 0001"],
            ["ysgol-y-dderwen", "Ysgol y Dderwen", "Cymru", "4 Nov 2026", "Gwen Jones", "", "Cyngor Enghraifft",
             "0113 496 0002", "Llun-Gwener", "020 7946 0002"]]
    (proj / "schools.csv").write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252") + b"\r\n")
    r = sh(documented("python3 generate.py build --schools schools.csv --finish office"))
    assert r.returncode == 0, r.stderr
    assert "read as Windows-1252" in r.stderr and "read '03/11/2026' as 3 November 2026" in r.stderr
    assert "email each school its pack" in r.stdout
    assert "Siobhán O'Connor" in norm(pdf_text(out / "st-aidans" / "who-to-tell-a4.pdf"))
    assert "Designated Safeguarding Person" in norm(pdf_text(out / "ysgol-y-dderwen" / "who-to-tell-a4.pdf"))
    with zipfile.ZipFile(out / "packs" / "st-aidans.zip") as z:
        names = set(z.namelist())
    assert {"how-to-print.pdf", "who-to-tell-a4.pdf", "web/who-to-tell-a4.html"} <= names
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    schools = {f["school"] for f in man["files"]}
    assert {"st-aidans", "ysgol-y-dderwen", "oakfield-primary", None} <= schools  # every build kept side by side
