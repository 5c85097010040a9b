#!/usr/bin/env python3
"""Mutation testing for the safety checks: break the code one small change at a time and see
whether a test notices.

    .venv/bin/python tools/mutate.py                 # every module in tools/mutation.toml
    .venv/bin/python tools/mutate.py phones verify   # some of them
    .venv/bin/python tools/mutate.py --list phones   # the mutants, without running anything
    .venv/bin/python tools/mutate.py --show 'phones: ...'   # one mutant as a diff
    .venv/bin/python tools/mutate.py --survivors verify     # after adding tests: the last survivors again

For each module named in ``tools/mutation.toml`` it makes every mutant of the
code in scope (the classic operators below), runs the module's declared tests
against each mutant with ``pytest -x`` and a per-mutant timeout, and prints
the kill rate per module and the mutants that survived. The results are kept in
``tools/mutation-results.json`` (a run of some modules updates theirs) and the
report is written to ``tools/mutation-report.md``, with each survivor's
explanation from ``tools/mutation-survivors.md``. Exit status: 0 when every
module reported meets its target and every survivor is explained, 1 otherwise.

Why our own tool and not mutmut or cosmic-ray (both tried; see the README's
"Mutation testing"): mutmut 3 mutates only inside functions, and this project
keeps its limits (QR_MIN_MM, IMAGE_MIN_DPI, FOLD_RUN_MM, SHORT_CODES, ...) at
module level, where breaking them matters most; cosmic-ray has no statement
deletion or forced return values, and starts a new interpreter for every
mutant. Neither scopes a run to named functions (``build.claim``).

How a mutant runs: this process imports pytest and the project's libraries
once, then forks one child per mutant (``--jobs`` at a time). The child forgets
the project's own modules, installs an import hook that serves the mutated
module's code object (tools/mutation_hook), and runs ``pytest.main`` on the
module's tests; Python processes the tests start (builds in a subprocess,
batch workers) load the same mutant through the hook's ``sitecustomize``. A
mutant is *killed* when a test fails or errors, or when it runs past its
timeout (reported apart, as a timeout); it *survives* when every test passes.

Operators (mutation testing's classic set):

* ``compare``  flipped comparisons: ``<`` to ``<=`` and ``>=``, ``==`` to ``!=``,
  ``in`` to ``not in``, ``is`` to ``is not`` (and back);
* ``negate``   negated conditions (``if``, ``while``, ``x if c else y``,
  comprehension filters), and ``not x`` to ``x``;
* ``boolop``   ``and`` and ``or`` swapped;
* ``number``   numeric constants one above and one below;
* ``arith``    ``+``/``-`` and ``*``/``/`` swapped (``//`` to ``*``);
* ``bool``     ``True``/``False`` swapped;
* ``delete``   statements deleted: calls, augmented and attribute/item assignments,
  ``raise``, ``continue``, ``break``;
* ``return``   forced return values at a function's start, from its annotation:
  ``-> bool`` True and False, ``-> list`` ``[]``, ``-> ... | None`` None, ``-> None`` nothing;
* ``drop``     one element dropped from a literal tuple, list, set or dict of constants
  (the tables of prefixes, operators and keys a check walks).

Messages are not mutated: f-strings are skipped whole, and string constants are
never changed (what a message says is tested where it matters, by the tests
that check it names the right box, key or file).
"""

from __future__ import annotations

import argparse
import ast
import copy
import dataclasses
import datetime as dt
import difflib
import json
import marshal
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
HOOK_DIR = TOOLS / "mutation_hook"
CONFIG = TOOLS / "mutation.toml"
RESULTS = TOOLS / "mutation-results.json"
REPORT = TOOLS / "mutation-report.md"
SURVIVORS = TOOLS / "mutation-survivors.md"
EXPLAINED_RE = re.compile(r"^- `(?P<id>[^`]+)`: (?P<kind>equivalent|harmless)\. (?P<why>.+)$")


# --- what to mutate ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Target:
    """One entry of tools/mutation.toml: a file (or some of its functions), its tests and its target."""

    name: str  # e.g. "preflight", "commit/claim"
    group: str  # the module the targets speak of: preflight, verify, phones, commit, ...
    path: Path
    tests: tuple[str, ...]
    target: float
    functions: tuple[str, ...] | None = None  # qualnames (and what is nested in them); None: all
    module_level: bool = True  # mutate code outside functions (the module's constants and tables)

    @property
    def module(self) -> str:
        rel = self.path.relative_to(ROOT).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        return ".".join(parts)

    def selects(self, qual: tuple[str, ...], in_function: bool) -> bool:
        if not in_function:
            return self.module_level
        if self.functions is None:
            return True
        name = ".".join(qual)
        return any(name == f or name.startswith(f + ".") for f in self.functions)


def load_targets(path: Path = CONFIG) -> list[Target]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for t in data["target"]:
        out.append(Target(t["name"], t["group"], ROOT / t["path"], tuple(t["tests"]), float(t["kill"]),
                          tuple(t["functions"]) if "functions" in t else None, t.get("module_level", True)))
    return out


@dataclasses.dataclass(frozen=True)
class Site:
    """Where one mutant changes the tree: a path of (field, index) from the module, and how."""

    path: tuple[tuple[str, int | None], ...]
    op: str
    arg: object
    qual: str
    line: int
    before: str
    after: str


@dataclasses.dataclass
class Mutant:
    id: str
    target: Target
    site: Site

    def tree(self) -> ast.Module:
        tree = parse(self.target.path)
        apply(tree, self.site)
        return tree

    def code(self):
        return compile(self.tree(), str(self.target.path), "exec", dont_inherit=True)

    def diff(self) -> str:
        """The mutant as a diff of the normalised source (``ast.unparse``: comments and layout go)."""
        old = ast.unparse(parse(self.target.path)).splitlines()
        new = ast.unparse(self.tree()).splitlines()
        d = difflib.unified_diff(old, new, str(self.target.path.relative_to(ROOT)), "mutant", n=2, lineterm="")
        return f"{self.id}\n(line {self.site.line} of the file)\n" + "\n".join(d)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


CMP_SWAPS = {
    ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt), ast.Gt: (ast.GtE, ast.LtE), ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
ARITH_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Mult}
SKIP_FIELDS = {"returns", "annotation", "decorator_list", "type_comment", "type_params"}
MAX_DROP = 16  # literal collections larger than this are data, not a table a check walks


def _short(node: ast.AST | str, n: int = 70) -> str:
    text = node if isinstance(node, str) else ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def _is_const(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return isinstance(node.operand, ast.Constant)
    return isinstance(node, ast.Tuple) and all(_is_const(e) for e in node.elts)


def _forced_returns(fn: ast.FunctionDef) -> list[str]:
    """The forced-return mutants a function's annotation allows (none for generators and dunders)."""
    if fn.name.startswith("__") or any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(fn)):
        return []
    ann = ast.unparse(fn.returns) if fn.returns is not None else ""
    ann = ann.strip("'\"")
    values: list[str] = []
    if ann == "bool":
        values = ["True", "False"]
    elif ann == "None":
        values = [""]
    elif re.match(r"(list|tuple\[.*, \.\.\.\]|Sequence)\b", ann):
        values = ["[]"] if ann.startswith(("list", "Sequence")) else ["()"]
    elif re.match(r"dict\b", ann):
        values = ["{}"]
    elif re.match(r"(set|frozenset)\b", ann):
        values = ["set()"]
    elif re.search(r"\|\s*None$", ann) or ann.startswith(("None |", "Optional[")):
        values = ["None"]
    return [f"return {v}".rstrip() for v in values]


def sites(target: Target) -> list[Site]:
    """Every mutant of ``target``'s file, in a fixed order (the tree's)."""
    tree = parse(target.path)
    out: list[Site] = []
    inner: set[int] = set()  # the rows of a table: dropping a row is a mutant, dropping half a row is noise

    def add(path, op, arg, qual, node, before, after):
        out.append(Site(path, op, arg, ".".join(qual) or "<module>", getattr(node, "lineno", 0), before, after))

    def visit(node: ast.AST, path: tuple, qual: tuple[str, ...], in_fn: bool, parent_body: bool,
              fn: ast.FunctionDef | None = None) -> None:
        if isinstance(node, ast.JoinedStr):
            return  # messages are not mutated
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qual, in_fn, fn = (*qual, node.name), True, node
            if target.selects(qual, True):
                for label in _forced_returns(node):
                    add(path, "return", label, qual, node, f"def {node.name}", label)
        elif isinstance(node, ast.ClassDef):
            qual, fn = (*qual, node.name), None
        elif isinstance(node, ast.Lambda):
            fn = None
        selected = target.selects(qual, in_fn)
        if selected:
            mutate_here(node, path, qual, parent_body)
            if isinstance(node, ast.Return) and node.value is not None and fn is not None:
                for label in _forced_returns(fn):
                    if label in ("return None", "return []") and ast.unparse(node) != label:
                        add(path, "return", ("here", label), qual, node, _short(node), label)
        for field, value in ast.iter_fields(node):
            if field in SKIP_FIELDS:
                continue
            if isinstance(value, list):
                body = field in ("body", "orelse", "finalbody", "handlers")
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        visit(item, (*path, (field, i)), qual, in_fn, body, fn)
            elif isinstance(value, ast.AST):
                visit(value, (*path, (field, None)), qual, in_fn, False, fn)

    def mutate_here(node: ast.AST, path: tuple, qual: tuple[str, ...], in_body: bool) -> None:
        if isinstance(node, ast.Compare):
            for j, op in enumerate(node.ops):
                for new in CMP_SWAPS.get(type(op), ()):
                    mutated = copy.deepcopy(node)
                    mutated.ops[j] = new()
                    add(path, "compare", (j, new.__name__), qual, node, _short(node), _short(mutated))
        elif isinstance(node, ast.BoolOp):
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            mutated = ast.BoolOp(new(), node.values)
            add(path, "boolop", new.__name__, qual, node, _short(node), _short(mutated))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(path, "negate", "drop-not", qual, node, _short(node), _short(node.operand))
        elif isinstance(node, ast.BinOp) and type(node.op) in ARITH_SWAPS:
            mutated = ast.BinOp(node.left, ARITH_SWAPS[type(node.op)](), node.right)
            add(path, "arith", ARITH_SWAPS[type(node.op)].__name__, qual, node, _short(node), _short(mutated))
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                add(path, "bool", not node.value, qual, node, repr(node.value), repr(not node.value))
            elif isinstance(node.value, (int, float)) and not isinstance(node.value, complex):
                for delta in (1, -1):
                    add(path, "number", delta, qual, node, repr(node.value), repr(node.value + delta))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and 2 <= len(node.elts) <= MAX_DROP \
                and id(node) not in inner and all(_is_const(e) for e in node.elts) \
                and not isinstance(getattr(node, "ctx", None), ast.Store):
            inner.update(id(e) for e in node.elts)
            for i, e in enumerate(node.elts):
                add(path, "drop", i, qual, node, _short(e, 40), "(dropped)")
        elif isinstance(node, ast.Dict) and 2 <= len(node.keys) <= MAX_DROP \
                and all(k is not None and _is_const(k) for k in node.keys):
            inner.update(id(v) for v in node.values)
            for i, k in enumerate(node.keys):
                add(path, "drop", i, qual, node, _short(k, 40) + ": ...", "(dropped)")
        if isinstance(node, (ast.If, ast.While, ast.IfExp)) and not _negated(node.test):
            add(path, "negate", "test", qual, node, _short(node.test), _short(f"not ({ast.unparse(node.test)})"))
        if isinstance(node, ast.comprehension):
            for i, cond in enumerate(node.ifs):
                if not _negated(cond):
                    add(path, "negate", ("ifs", i), qual, node, _short(cond), _short(f"not ({ast.unparse(cond)})"))
        if in_body and _deletable(node):
            add(path, "delete", None, qual, node, _short(node), "pass")

    visit(tree, (), (), False, False)
    return out


def _negated(test: ast.AST) -> bool:
    """A condition whose negation another operator makes already: ``not x`` (drop the not), or one
    comparison (the compare operator's ``==``/``!=``, ``in``/``not in``, ``<``/``>=`` swaps)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return isinstance(test, ast.Compare) and len(test.ops) == 1


def _deletable(node: ast.AST) -> bool:
    if isinstance(node, ast.Expr):
        return not isinstance(node.value, ast.Constant)  # not a docstring
    if isinstance(node, ast.Assign):
        return any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in node.targets)
    return isinstance(node, (ast.AugAssign, ast.Raise, ast.Continue, ast.Break, ast.Delete))


def _node_at(tree: ast.AST, path: tuple) -> tuple[ast.AST, ast.AST | None, tuple | None]:
    node, parent, last = tree, None, None
    for field, index in path:
        parent, last = node, (field, index)
        value = getattr(node, field)
        node = value[index] if index is not None else value
    return node, parent, last


def _replace(parent: ast.AST, last: tuple, new: ast.AST) -> None:
    field, index = last
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new


def apply(tree: ast.Module, site: Site) -> None:
    """Make ``site``'s change in ``tree`` (a fresh parse of the same file)."""
    node, parent, last = _node_at(tree, site.path)
    op, arg = site.op, site.arg
    if op == "compare":
        j, name = arg
        node.ops[j] = getattr(ast, name)()
    elif op in ("boolop", "arith"):
        node.op = getattr(ast, arg)()
    elif op == "bool":
        node.value = arg
    elif op == "number":
        node.value = node.value + arg
    elif op == "drop":
        if isinstance(node, ast.Dict):
            del node.keys[arg], node.values[arg]
        else:
            del node.elts[arg]
    elif op == "negate":
        if arg == "drop-not":
            _replace(parent, last, node.operand)
        elif isinstance(arg, tuple):
            node.ifs[arg[1]] = ast.UnaryOp(ast.Not(), node.ifs[arg[1]])
        else:
            node.test = ast.UnaryOp(ast.Not(), node.test)
    elif op == "delete":
        _replace(parent, last, ast.copy_location(ast.Pass(), node))
    elif op == "return" and isinstance(arg, tuple):  # this return statement forced
        _replace(parent, last, ast.copy_location(ast.parse(arg[1]).body[0], node))
    elif op == "return":
        stmt = ast.parse(arg).body[0]
        body = node.body
        at = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
        body.insert(at, ast.copy_location(stmt, body[at] if at < len(body) else node))
    else:  # pragma: no cover - every operator above
        raise ValueError(op)
    ast.fix_missing_locations(tree)


def mutants(target: Target) -> list[Mutant]:
    """``target``'s mutants with ids that survive edits elsewhere in the file: the function, the
    operator and the code before and after (``#n`` tells identical ones in one function apart)."""
    out, seen = [], {}
    for s in sites(target):
        base = f"{target.name}: {s.qual}: {s.op}: {s.before} -> {s.after}"
        seen[base] = seen.get(base, 0) + 1
        out.append(Mutant(base if seen[base] == 1 else f"{base} #{seen[base]}", target, s))
    return out


# --- running ----------------------------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    id: str
    status: str  # killed | survived | timeout | error
    seconds: float
    by: str = ""  # the first test that failed, or why


PROJECT_PREFIXES = ("cseprint", "tests")


def _preload() -> None:
    """Import pytest and everything the project imports, once, so each forked child starts warm."""
    import pytest  # noqa: F401

    sys.path.insert(0, str(ROOT))
    import cseprint.batch  # noqa: F401
    import cseprint.build  # noqa: F401
    import cseprint.cli  # noqa: F401
    import cseprint.verify  # noqa: F401

    for name in list(sys.modules):
        if name.split(".")[0] in PROJECT_PREFIXES:
            del sys.modules[name]


def _child(target: Target, code, log: Path, basetemp: Path, work: Path) -> None:
    """In the forked child: load the mutant (if any), run the target's tests, exit with pytest's status."""
    try:
        os.setpgid(0, 0)
        # A shell starts a background job with Ctrl-C ignored, and a child inherits that; the tests
        # of Ctrl-C (the commit holds it until done) need Python's own handler, as in a terminal.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.chdir(ROOT)
        env = os.environ
        env["PYTHONPATH"] = os.pathsep.join([str(HOOK_DIR), str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
        if code is not None:
            sys.path.insert(0, str(HOOK_DIR))
            import _mutant_hook

            code_file = work / "mutant.marshal"
            code_file.write_bytes(marshal.dumps(code))
            env[_mutant_hook.ENV_MODULE] = target.module
            env[_mutant_hook.ENV_PATH] = str(target.path)
            env[_mutant_hook.ENV_CODE] = str(code_file)
            _mutant_hook.install(target.module, str(target.path), code)
        import pytest

        status = pytest.main(["-x", "-q", "-rfE", "--no-header", "-p", "no:cacheprovider", "-W", "ignore",
                              f"--basetemp={basetemp}", *target.tests])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(status))
    except BaseException:  # noqa: BLE001 - a child must never return into the parent's loop
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(99)


FAILED_RE = re.compile(r"^(FAILED|ERROR) (\S+)", re.M)


class Runner:
    """Fork one child per job, at most ``jobs`` at a time, each killed (with its process group)
    when it runs past its timeout."""

    def __init__(self, jobs: int, scratch: Path):
        self.jobs, self.scratch = jobs, scratch
        self.running: dict[int, tuple[str, Target, float, float, Path, Path]] = {}
        self.n = 0

    def start(self, key: str, target: Target, code, timeout: float) -> None:
        self.n += 1
        work = self.scratch / f"m{self.n}"
        work.mkdir()
        log = work / "log.txt"
        pid = os.fork()
        if pid == 0:
            _child(target, code, log, work / "tmp", work)
        now = time.monotonic()
        self.running[pid] = (key, target, now, now + timeout, log, work)

    def wait_one(self) -> tuple[str, Target, int | None, float, str]:
        """Wait for a child to end (or to time out): (key, target, exit status or None, seconds, log)."""
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            now = time.monotonic()
            if pid:
                return self._finish(pid, os.waitstatus_to_exitcode(status), now)
            for pid, (*_, deadline, _log, _work) in list(self.running.items()):
                if now > deadline:
                    _killpg(pid)
                    os.waitpid(pid, 0)
                    return self._finish(pid, None, now)
            time.sleep(0.05)

    def _finish(self, pid: int, status: int | None, now: float) -> tuple[str, Target, int | None, float, str]:
        """Forget an ended child: kill what it left in its process group, read its log, drop its folder."""
        key, target, start, _, log, work = self.running.pop(pid)
        _killpg(pid)
        text = log.read_text(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
        return key, target, status, now - start, text

    def stop_all(self) -> None:
        for pid in list(self.running):
            _killpg(pid)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _first_failure(log: str) -> str:
    m = FAILED_RE.search(log)
    if m:
        return m.group(2)
    lines = [ln for ln in log.splitlines() if ln.strip()]
    return lines[-1][:160] if lines else ""


PROGRESS = TOOLS / ".mutation-progress.jsonl"  # each outcome as it comes, so a stopped run can go on


def _record(o: Outcome) -> None:
    with PROGRESS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(dataclasses.asdict(o)) + "\n")


def _progress(ids: set[str]) -> dict[str, Outcome]:
    """The outcomes a stopped run recorded for these mutants (a line cut short by the stop is skipped)."""
    out: dict[str, Outcome] = {}
    if PROGRESS.exists():
        for line in PROGRESS.read_text(encoding="utf-8").splitlines():
            try:
                o = Outcome(**json.loads(line))
            except (ValueError, TypeError):
                continue
            if o.id in ids:
                out[o.id] = o
    return out


def _forget(ids: set[str]) -> None:
    """Drop a finished run's outcomes from the progress file (other runs' stay)."""
    if PROGRESS.exists():
        rest = [ln for ln in PROGRESS.read_text(encoding="utf-8").splitlines()
                if not any(f'"id": {json.dumps(i)}' in ln for i in ids)]
        if rest:
            PROGRESS.write_text("\n".join(rest) + "\n", encoding="utf-8")
        else:
            PROGRESS.unlink()


def _summary(t: Target, mutants: int, baseline_s: float) -> dict:
    """A target's entry in the results, before its outcomes are counted in."""
    return {"group": t.group, "path": str(t.path.relative_to(ROOT)), "target": t.target,
            "functions": list(t.functions) if t.functions else None, "mutants": mutants, "baseline_s": baseline_s}


def run(targets: list[Target], jobs: int, timeout_factor: float, min_timeout: float,
        only: str | None = None, keep: set[str] | None = None,
        resume: bool = False) -> tuple[dict[str, dict], list[Outcome]]:
    """Baseline each target's tests, then run every mutant; return (per-target summary, outcomes)."""
    _preload()
    scratch = Path(tempfile.mkdtemp(prefix="cseprint-mutate-"))
    runner = Runner(jobs, scratch)
    summary: dict[str, dict] = {}
    outcomes: list[Outcome] = []
    try:
        baseline: dict[str, float] = {}
        queue = list(targets)
        while queue or runner.running:
            while queue and len(runner.running) < jobs:
                t = queue.pop(0)
                runner.start(t.name, t, None, 3600)
            key, t, status, secs, log = runner.wait_one()
            if status != 0:
                raise SystemExit(f"{t.name}: its tests fail without any mutant (exit {status}); fix them first:\n"
                                 + log[-3000:])
            baseline[t.name] = secs
            print(f"[{t.name}] tests pass unmutated in {secs:.1f} s", file=sys.stderr, flush=True)
        work = []
        for t in targets:
            ms = [m for m in mutants(t) if (not only or only in m.id) and (keep is None or m.id in keep)]
            summary[t.name] = _summary(t, len(ms), round(baseline[t.name], 1))
            work.extend(ms)
        by_id = {m.id: m for m in work}
        earlier = _progress(set(by_id)) if resume else {}
        outcomes.extend(earlier.values())
        if earlier:
            print(f"resuming: {len(earlier)} of {len(work)} mutants already run", file=sys.stderr, flush=True)
        total, done, t0 = len(work) - len(earlier), 0, time.monotonic()
        queue_m = [m for m in work if m.id not in earlier]
        while queue_m or runner.running:
            while queue_m and len(runner.running) < jobs:
                m = queue_m.pop(0)
                try:
                    code = m.code()
                except (SyntaxError, ValueError, TypeError) as exc:  # a mutant Python refuses to compile
                    outcomes.append(Outcome(m.id, "killed", 0.0, f"does not compile: {exc}"))
                    _record(outcomes[-1])
                    done += 1
                    continue
                timeout = max(min_timeout, baseline[m.target.name] * timeout_factor)
                runner.start(m.id, m.target, code, timeout)
            if not runner.running:
                continue
            key, t, status, secs, log = runner.wait_one()
            done += 1
            if status is None:
                o = Outcome(key, "timeout", secs, "ran past its timeout")
            elif status == 0:
                o = Outcome(key, "survived", secs)
            elif status in (1, 2):
                o = Outcome(key, "killed", secs, _first_failure(log))
            else:
                o = Outcome(key, "error", secs, f"exit {status}: {_first_failure(log)}")
            outcomes.append(o)
            _record(o)
            mark = {"killed": ".", "survived": "S", "timeout": "T", "error": "E"}[o.status]
            rate = (time.monotonic() - t0) / done
            print(f"{mark} {done}/{total} {secs:5.1f}s eta {rate * (total - done) / 60:5.1f} min  "
                  f"{by_id[key].id if o.status == 'survived' else ''}", file=sys.stderr, flush=True)
    finally:
        runner.stop_all()
        shutil.rmtree(scratch, ignore_errors=True)
    return summary, outcomes


# --- reporting --------------------------------------------------------------------------------------

def explained() -> dict[str, tuple[str, str]]:
    """id -> (equivalent|harmless, why), from tools/mutation-survivors.md."""
    out = {}
    if SURVIVORS.exists():
        for line in SURVIVORS.read_text(encoding="utf-8").splitlines():
            m = EXPLAINED_RE.match(line)
            if m:
                out[m["id"]] = (m["kind"], m["why"])
    return out


def merge_results(summary: dict[str, dict], outcomes: list[Outcome], partial: bool,
                  every: dict[str, set[str]] | None = None) -> dict:
    """Fold a run's outcomes into tools/mutation-results.json.

    A partial run (``--only``, ``--survivors``) replaces the outcomes of the mutants it ran inside the
    last full run of the same code, when that run made exactly the mutants the code makes now
    (``every``: each target's mutant ids): tests only ever added can kill a mutant, never revive one,
    so the merged entry is what a full run would report. Otherwise the entry is marked partial."""
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {"modules": {}}
    for name, s in summary.items():
        own = [o for o in outcomes if o.id.startswith(name + ": ")]
        base = data["modules"].get(name)
        if partial and every is not None and base and not base.get("partial") and \
                set(base.get("kills", {})) | set(base.get("survivors", [])) == every.get(name):
            ran = {o.id for o in own}
            kept = [Outcome(i, "timeout" if by == "ran past its timeout" else "killed", 0.0, by)
                    for i, by in base["kills"].items() if i not in ran]
            kept += [Outcome(i, "survived", 0.0, "") for i in base["survivors"] if i not in ran]
            own = own + kept
            s = {**s, "mutants": len(every[name]), "baseline_s": base.get("baseline_s", s["baseline_s"])}
            s["seconds_before"] = base.get("seconds", 0.0) + base.get("seconds_before", 0.0)
            partial_here = False
        else:
            partial_here = partial
        entry = dict(s)
        entry["killed"] = sum(o.status in ("killed", "timeout", "error") for o in own)
        entry["timeouts"] = sum(o.status == "timeout" for o in own)
        entry["survivors"] = sorted(o.id for o in own if o.status == "survived")
        entry["kills"] = {o.id: o.by for o in own if o.status != "survived"}
        entry["seconds"] = round(sum(o.seconds for o in own) + entry.pop("seconds_before", 0.0), 1)  # all jobs
        entry["run_on"] = dt.date.today().isoformat()
        if partial_here:
            entry["partial"] = True
        data["modules"][name] = entry
    return data


def render(data: dict, targets: list[Target]) -> tuple[str, bool]:
    """The Markdown report, and whether every target is met with every survivor explained."""
    why = explained()
    order = [t.name for t in targets]
    rows, problems, survivors = [], [], []
    groups: dict[str, list] = {}
    for name in order:
        e = data["modules"].get(name)
        if e is None:
            problems.append(f"{name}: never run")
            continue
        rate = e["killed"] / e["mutants"] if e["mutants"] else 1.0
        g = groups.setdefault(e["group"], [0, 0, e["target"], False])
        g[3] = g[3] or bool(e.get("partial"))
        g[0] += e["mutants"]
        g[1] += e["killed"]
        scope = f" ({', '.join(e['functions'])})" if e.get("functions") else ""
        made = f"{e['mutants']} of {e['of']}" if e.get("of") else str(e["mutants"])
        rows.append(f"| {name} | `{e['path']}`{scope} | {made} | {e['killed']} | {e['timeouts']} | "
                    f"{len(e['survivors'])} | {rate:.1%} | {e['seconds'] / 60:.1f} min | {e['run_on']} |")
        for sid in e["survivors"]:
            kind, reason = why.get(sid, ("UNEXPLAINED", ""))
            if kind == "UNEXPLAINED":
                problems.append(f"unexplained survivor: {sid}")
            survivors.append(f"- `{sid}`: {kind}. {reason}".rstrip())
        if e.get("partial") and e.get("of"):
            problems.append(f"{name}: the last run was stopped after {e['mutants']} of its {e['of']} mutants "
                            "(--resume goes on with it)")
        elif e.get("partial"):
            problems.append(f"{name}: the last run was a partial one (--only)")
    group_rows = []
    for g, (n, k, want, part) in groups.items():
        rate = k / n if n else 1.0
        ok = rate >= want
        if not ok:
            problems.append(f"{g}: {rate:.1%} killed, below the target of {want:.0%}")
        verdict = ("met" if ok else "**not met**") + (" so far (a partial run)" if part else "")
        group_rows.append(f"| {g} | {n} | {k} | {rate:.1%} | {want:.0%} | {verdict} |")
    text = "\n".join([
        "# Mutation testing: the last report",
        "",
        "Written by `tools/mutate.py` (see the README's \"Mutation testing\"). A mutant is killed when a test",
        "fails (or the tests run past the mutant's timeout); it survives when every test passes.",
        "Test time is the time the mutants' tests took, added up over the parallel jobs.",
        "",
        *([f"Last run: {lr['on']}, {', '.join(lr['targets'])}: {lr['minutes']} min with {lr['jobs']} jobs "
           f"on {lr['cores']} cores.", ""] if (lr := data.get("last_run")) else []),
        "| module | mutants | killed | rate | target | |",
        "|---|---|---|---|---|---|",
        *group_rows,
        "",
        "| part | file | mutants | killed | of them timeouts | survived | rate | test time | run on |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "## Survivors",
        "",
        "Each is explained in `tools/mutation-survivors.md`: *equivalent* (it cannot change what the code",
        "does) or *harmless* (it changes something no reader, printer or user can be hurt by).",
        "",
        *(survivors or ["None."]),
        "",
        *(["## Not met", "", *[f"- {p}" for p in problems], ""] if problems else []),
    ])
    return text, not problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the README's 'Mutation testing' for how long a run takes.")
    ap.add_argument("names", nargs="*", help="targets (or groups) from tools/mutation.toml; default: all")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants run at once (default: cores)")
    ap.add_argument("--timeout-factor", type=float, default=4.0,
                    help="a mutant's timeout is this times the unmutated tests' time (default 4)")
    ap.add_argument("--min-timeout", type=float, default=60.0, help="but never under this many seconds")
    ap.add_argument("--list", action="store_true", help="list the mutants and run nothing")
    ap.add_argument("--show", metavar="ID", help="print one mutant as a diff and run nothing")
    ap.add_argument("--only", metavar="TEXT", help="run only the mutants whose id contains TEXT (a partial run)")
    ap.add_argument("--survivors", action="store_true",
                    help="run again only the mutants that survived the last run and are not yet explained "
                         "(after adding tests); the results are merged into that run's")
    ap.add_argument("--resume", action="store_true",
                    help="go on with a run that was stopped: the mutants it finished (kept as they finish in "
                         "tools/.mutation-progress.jsonl) are not run again")
    ap.add_argument("--report-only", action="store_true", help="write the report from the kept results")
    args = ap.parse_args(argv)
    every = load_targets()
    chosen = [t for t in every if not args.names or t.name in args.names or t.group in args.names]
    unknown = set(args.names) - {t.name for t in every} - {t.group for t in every}
    if unknown:
        ap.error(f"unknown target(s): {', '.join(sorted(unknown))}; known: {', '.join(t.name for t in every)}")
    if args.show:
        for t in chosen:
            for m in mutants(t):
                if m.id == args.show:
                    print(m.diff())
                    return 0
        print(f"no mutant {args.show!r}", file=sys.stderr)
        return 2
    if args.list:
        for t in chosen:
            ms = mutants(t)
            for m in ms:
                print(f"{m.id}  (line {m.site.line})")
            print(f"# {t.name}: {len(ms)} mutants", file=sys.stderr)
        return 0
    if not args.report_only:
        t0 = time.monotonic()
        keep = None
        if args.survivors:
            kept = json.loads(RESULTS.read_text(encoding="utf-8"))["modules"] if RESULTS.exists() else {}
            # the explained ones keep their "survived" (a sound answer: tests were only added) and are not
            # run again, so a module whose survivors are all equivalent costs nothing to report again
            keep = {i for t in chosen for i in kept.get(t.name, {}).get("survivors", [])} - set(explained())
        summary, outcomes = run(chosen, max(1, args.jobs), args.timeout_factor, args.min_timeout, args.only, keep,
                                args.resume)
        every_id = {t.name: {m.id for m in mutants(t)} for t in chosen}
        data = merge_results(summary, outcomes, partial=bool(args.only) or args.survivors, every=every_id)
        data["last_run"] = {"targets": [t.name for t in chosen], "jobs": args.jobs, "on": dt.date.today().isoformat(),
                            "minutes": round((time.monotonic() - t0) / 60, 1), "cores": os.cpu_count()}
        RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        _forget({o.id for o in outcomes})
    elif args.resume:  # --report-only --resume: report a stopped run's kept outcomes, marked partial
        summary, outcomes = {}, []
        for t in chosen:
            ids = {m.id for m in mutants(t)}
            got = list(_progress(ids).values())
            if got:
                summary[t.name] = {**_summary(t, len(got), 0.0), "of": len(ids)}
                outcomes += got
        data = merge_results(summary, outcomes, partial=True)
        RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    text, ok = render(data, every)
    REPORT.write_text(text, encoding="utf-8")
    for name in [t.name for t in chosen]:
        e = data["modules"].get(name)
        if e:
            rate = e["killed"] / e["mutants"] if e["mutants"] else 1.0
            print(f"{name:24} {e['mutants']:5} mutants {e['killed']:5} killed {rate:7.1%}  "
                  f"({len(e['survivors'])} survived, {e['seconds'] / 60:.1f} min)")
    print(f"report: {REPORT.relative_to(ROOT)}")
    print(text.split("## Survivors")[1] if "## Survivors" in text else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
