"""tools/mutate.py itself: each operator makes the mutant it says, the mutant is what runs (in this
process and in a Python process the tests start), and a survivor needs an explanation.

The mutation report is only worth what the tool is: a tool whose mutants never ran would report
every module at 0% or 100% and prove nothing.
"""

from __future__ import annotations

import importlib.util
import json
import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import PROJECT

SAMPLE = '''
"""A module to break."""

LIMITS = {"card": 20.0, "poster": 30.0}
PREFIXES = ("01", "02")


def too_small(size: float, kind: str) -> bool:
    """True when a code is under its kind's floor."""
    return size < LIMITS.get(kind, 30.0) - 0.01


def why(text: str | None) -> str | None:
    if not text and len(PREFIXES) >= 2:
        return None
    out = []
    for ch in text:
        if ch in "0123456789":
            out.append(ch)
            continue
    return f"digits {len(out) + 1}"


def problems(n: int) -> list[str]:
    if n > 3:
        raise ValueError("too many")
    return ["x"] * (n * 2)
'''


@pytest.fixture(scope="module")
def mutate():
    spec = importlib.util.spec_from_file_location("mutate_tool", PROJECT / "tools" / "mutate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate_tool"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["mutate_tool"]


@pytest.fixture
def target(mutate, tmp_path: Path):
    path = tmp_path / "sample.py"
    path.write_text(SAMPLE, encoding="utf-8")
    return mutate.Target("sample", "sample", path, ("tests/x.py",), 0.9)


def ids(mutate, target) -> list[str]:
    return [m.id for m in mutate.mutants(target)]


def test_each_operator_makes_its_mutants(mutate, target):
    got = set(ids(mutate, target))
    expected = {
        "sample: <module>: drop: 'card': ... -> (dropped)",  # a row of a table
        "sample: <module>: drop: '02' -> (dropped)",
        "sample: <module>: number: 20.0 -> 21.0", "sample: <module>: number: 30.0 -> 29.0",
        "sample: too_small: return: def too_small -> return True",  # forced from the annotation
        "sample: too_small: return: def too_small -> return False",
        "sample: too_small: compare: size < LIMITS.get(kind, 30.0) - 0.01 -> size <= LIMITS.get(kind, 30.0) - 0.01",
        "sample: too_small: compare: size < LIMITS.get(kind, 30.0) - 0.01 -> size >= LIMITS.get(kind, 30.0) - 0.01",
        "sample: too_small: arith: LIMITS.get(kind, 30.0) - 0.01 -> LIMITS.get(kind, 30.0) + 0.01",
        "sample: too_small: number: 0.01 -> 1.01",
        "sample: why: boolop: not text and len(PREFIXES) >= 2 -> not text or len(PREFIXES) >= 2",
        "sample: why: negate: not text -> text",
        "sample: why: negate: not text and len(PREFIXES) >= 2 -> not (not text and len(PREFIXES) >= 2)",
        "sample: why: return: def why -> return None",
        "sample: why: compare: ch in '0123456789' -> ch not in '0123456789'",
        "sample: why: delete: out.append(ch) -> pass",
        "sample: why: delete: continue -> pass",
        "sample: problems: delete: raise ValueError('too many') -> pass",
        "sample: problems: return: def problems -> return []",
        "sample: problems: return: return ['x'] * (n * 2) -> return []",
        "sample: problems: arith: n * 2 -> n / 2",
    }
    assert expected <= got, sorted(expected - got)
    assert not any(i.startswith(("sample: why: arith", "sample: why: number: 1 ")) for i in got)  # nor f-strings
    assert not any("'0123456789' ->" in i.split(": ", 3)[-1] and "drop" in i for i in got)  # nor strings
    assert not any("A module to break" in i or "True when" in i for i in got)  # nor docstrings
    assert len(got) == len(ids(mutate, target))  # every id is unique


def test_ids_do_not_change_when_code_above_them_moves(mutate, target):
    before = ids(mutate, target)
    target.path.write_text("import os\n\n\n" + SAMPLE, encoding="utf-8")
    assert ids(mutate, target) == before


def test_only_the_named_functions_and_no_module_code(mutate, target):
    import dataclasses

    scoped = dataclasses.replace(target, functions=("why",), module_level=False)
    got = ids(mutate, scoped)
    assert got and all(i.startswith("sample: why: ") for i in got)


def load(mutate, mutant) -> dict:
    ns: dict = {}
    exec(mutant.code(), ns)
    return ns


def test_each_mutant_compiles_and_behaves_as_its_id_says(mutate, target):
    by_id = {m.id: m for m in mutate.mutants(target)}
    ns = load(mutate, by_id["sample: <module>: number: 20.0 -> 21.0"])
    assert ns["LIMITS"]["card"] == 21.0 and ns["too_small"](20.5, "card") is True
    ns = load(mutate, by_id["sample: <module>: drop: 'card': ... -> (dropped)"])
    assert ns["LIMITS"] == {"poster": 30.0} and ns["too_small"](25.0, "card") is True
    ns = load(mutate, by_id["sample: too_small: return: def too_small -> return False"])
    assert ns["too_small"](1.0, "card") is False
    ns = load(mutate, by_id["sample: problems: delete: raise ValueError('too many') -> pass"])
    assert ns["problems"](5) == ["x"] * 10
    ns = load(mutate, by_id["sample: why: delete: out.append(ch) -> pass"])
    assert ns["why"]("a1b2") == "digits 1"
    for m in by_id.values():
        compile(m.tree(), "x", "exec")  # every mutant is valid Python


def test_the_hook_serves_the_mutant_here_and_in_a_subprocess(mutate, target, tmp_path: Path):
    """What the child process does: the import hook here, and sitecustomize for processes it starts."""
    m = next(m for m in mutate.mutants(target) if m.id == "sample: <module>: number: 20.0 -> 21.0")
    code_file = tmp_path / "mutant.marshal"
    code_file.write_bytes(marshal.dumps(m.code()))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PROJECT / "tools" / "mutation_hook"), str(tmp_path)]),
               CSEPRINT_MUTANT_MODULE="sample", CSEPRINT_MUTANT_PATH=str(target.path),
               CSEPRINT_MUTANT_CODE=str(code_file))
    script = textwrap.dedent("""
        import sample
        print(sample.LIMITS["card"], sample.__file__)
    """)
    got = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert got.stdout.split() == ["21.0", str(target.path)], got.stderr
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert plain.stdout.split()[0] == "20.0"


def test_a_survivor_needs_an_explanation(mutate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    listing = tmp_path / "survivors.md"
    listing.write_text("- `a: f: number: 1 -> 2`: equivalent. The value is only compared with zero.\n"
                       "- `a: f: delete: x() -> pass`: harmless. Only a log line.\n"
                       "- `a: f: bool: True -> False`: fine. Not a kind the report accepts.\n", encoding="utf-8")
    monkeypatch.setattr(mutate, "SURVIVORS", listing)
    assert mutate.explained() == {"a: f: number: 1 -> 2": ("equivalent", "The value is only compared with zero."),
                                  "a: f: delete: x() -> pass": ("harmless", "Only a log line.")}
    t = mutate.Target("a", "a", PROJECT / "cseprint" / "phones.py", (), 0.9)
    data = {"modules": {"a": {"group": "a", "path": "cseprint/phones.py", "target": 0.9, "functions": None,
                              "mutants": 10, "killed": 8, "timeouts": 0, "seconds": 60, "run_on": "2026-11-30",
                              "survivors": ["a: f: number: 1 -> 2", "a: f: bool: True -> False"]}}}
    text, ok = mutate.render(data, [t])
    assert not ok and "80.0%" in text and "below the target of 90%" in text
    assert "unexplained survivor: a: f: bool: True -> False" in text
    data["modules"]["a"].update(killed=9, mutants=10, survivors=["a: f: number: 1 -> 2"])
    text, ok = mutate.render(data, [t])
    assert ok and "| a | 10 | 9 | 90.0% | 90% | met |" in text


def test_a_run_of_the_survivors_is_merged_into_the_last_full_run_of_the_same_code(
        mutate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """After tests are added, running only the last survivors again gives what a full run would:
    the mutants killed before stay killed. If the code now makes other mutants, the run is partial."""
    results = tmp_path / "results.json"
    monkeypatch.setattr(mutate, "RESULTS", results)
    ids_now = {"a: f: one", "a: f: two", "a: f: three", "a: f: four"}
    results.write_text(json.dumps({"modules": {"a": {
        "group": "a", "path": "p.py", "target": 0.9, "functions": None, "mutants": 4, "baseline_s": 1.0,
        "killed": 2, "timeouts": 1, "seconds": 8.0, "run_on": "2026-11-29",
        "kills": {"a: f: one": "tests/x.py::t", "a: f: two": "ran past its timeout"},
        "survivors": ["a: f: three", "a: f: four"]}}}), encoding="utf-8")
    summary = {"a": {"group": "a", "path": "p.py", "target": 0.9, "functions": None, "mutants": 2, "baseline_s": 1.5}}
    rerun = [mutate.Outcome("a: f: three", "killed", 2.0, "tests/x.py::new"),
             mutate.Outcome("a: f: four", "survived", 3.0)]
    e = mutate.merge_results(summary, rerun, partial=True, every={"a": ids_now})["modules"]["a"]
    assert (e["mutants"], e["killed"], e["timeouts"], e["survivors"]) == (4, 3, 1, ["a: f: four"])
    assert e["kills"]["a: f: three"] == "tests/x.py::new" and "partial" not in e and e["seconds"] == 13.0
    e = mutate.merge_results(summary, rerun, partial=True, every={"a": ids_now | {"a: f: five"}})["modules"]["a"]
    assert e["partial"] is True and (e["mutants"], e["killed"]) == (2, 1)


def test_a_stopped_run_keeps_each_outcome_and_a_resumed_one_reads_them_back(
        mutate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Outcomes are kept as they come, so a run stopped after hours loses nothing; a line cut short
    by the stop is skipped, and a finished run's lines are dropped while another run's stay."""
    progress = tmp_path / "progress.jsonl"
    monkeypatch.setattr(mutate, "PROGRESS", progress)
    mutate._record(mutate.Outcome("a: f: one", "killed", 1.5, "tests/x.py::t"))
    mutate._record(mutate.Outcome("a: f: two", "survived", 9.0))
    mutate._record(mutate.Outcome("b: g: one", "timeout", 60.0, "ran past its timeout"))
    with progress.open("a", encoding="utf-8") as f:
        f.write('{"id": "a: f: three", "sta')  # the stop came mid-line
    got = mutate._progress({"a: f: one", "a: f: two", "a: f: three"})
    assert got == {"a: f: one": mutate.Outcome("a: f: one", "killed", 1.5, "tests/x.py::t"),
                   "a: f: two": mutate.Outcome("a: f: two", "survived", 9.0)}
    mutate._forget({"a: f: one", "a: f: two"})
    assert list(mutate._progress({"a: f: one", "b: g: one"})) == ["b: g: one"]
    mutate._forget({"b: g: one"})
    assert not progress.exists() or mutate._progress({"b: g: one"}) == {}
