"""Build every school of a local authority's spreadsheet, on all cores.

Each worker process loads the fonts, content and layouts once and then builds
school after school: validate the row, compose, preflight, write, verify, and
pack the school's files into a zip to email. A bad row fails that school only
(unless --strict) and is reported with its row number. Products that do not
depend on the school (the national posters) are made once per process and
reused, byte for byte.

The workers are managed here, not by ``multiprocessing.Pool``, which waits
forever for a worker that was killed. Each worker is given one school at a
time, so the batch always knows which school a worker is on:

* a worker that dies (killed, out of memory, a crash in a C library) fails
  that school with a message; a new worker takes its place and the batch goes on;
* a school that takes longer than ``timeout`` seconds is stopped the same way;
* Ctrl-C stops every worker, and the output folder is left as it was;
* a worker dies with its parent (Linux: ``PR_SET_PDEATHSIG``; elsewhere a
  watchdog thread), so a killed batch leaves no process building.

Nothing reaches the output folder until every school is done: files are
staged beside it and committed at the end (see outfolder).
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import changes
from .build import Options, Output, compose_school, file_entry, load, pack_zip, web_copies, write_document
from .errors import InputError, Location, OutputError, Problem, VerifyError
from .faults import fault
from .fonts import FontBook
from .load import LDict
from .outfolder import Stage, write_staged
from .schema import Checker
from .spreadsheet import Sheet, read_csv
from .terminal import quote

SCHOOL_TIMEOUT = 120.0  # seconds: a whole set takes about a second; far longer means something is stuck


def cores() -> int:
    """The cores this process may use (its CPU affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def max_jobs() -> int:
    """More workers than twice the cores only thrash, and each holds its own fonts and content."""
    return 2 * cores()


@dataclass
class SchoolResult:
    row: int
    school: str | None
    ok: bool
    problems: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # manifest entries
    pack: str | None = None  # packs/ID.zip: what the school prints itself, to email
    warnings: list[str] = field(default_factory=list)
    web: list[str] = field(default_factory=list)  # the school's accessible web copies, also in its pack
    staged: dict[str, str] = field(default_factory=dict)  # every staged file of the school: path -> sha256
    bug: bool = False  # failed by an error in the generator itself, not in its row
    tables: dict = field(default_factory=dict)  # records and box texts of its files its worker had not sent before
    owns: list[str] = field(default_factory=list)  # the languages of its files a build replaces
    shop_pack: str | None = None  # packs/print-shop/ID.zip: its print-shop files, when both finishes were made


_STATE: dict = {}


def _init(opts: Options, stage: Path | None, out: Path | None, previous: dict[str, dict] | None = None) -> None:
    content, styles, layouts = load(opts)
    _STATE.update(opts=opts, stage=stage, out=out, write=stage is not None, content=content,
                  styles=styles, layouts=layouts, fonts=FontBook(styles, opts.fonts), national={}, first_copy={},
                  national_docs={}, previous=previous, tables_sent=set())


def _by_school(previous: dict) -> dict[str, dict]:
    """The previous manifest cut into one small manifest per school, once (before the workers
    fork), so each school's reprint list does not search every file of a thousand schools and a
    worker touches only its own schools' entries."""
    tables = {changes.RECORDS: previous.get(changes.RECORDS, {}), changes.TEXTS: previous.get(changes.TEXTS, {})}
    out: dict[str, dict] = {}
    for e in changes.file_entries(previous).values():
        if isinstance(e.get("school"), str):
            out.setdefault(e["school"], {"files": [], **tables})["files"].append(e)
    return out


def build_one(task: tuple[int, LDict]) -> SchoolResult:
    """Build one school's full set into the staging folder (runs in a worker)."""
    from .schools import build_school
    from .verify import verify

    row, raw = task
    st = _STATE
    opts: Options = st["opts"]
    ck = Checker()
    default_id = f"row-{row}"
    given = raw.get("id") if isinstance(raw.get("id"), str) else None
    fault(f"school/{given or default_id}")
    school = build_school(raw, raw.loc, default_id, opts.content, ck)
    if ck.errors or school is None:
        return SchoolResult(row, given, False, [str(p) for p in ck.errors] or [f"row {row}: not a school"])
    try:
        p = compose_school(st["content"], school, st["styles"], st["layouts"], st["fonts"], opts, st["national_docs"])
        content = p.content
    except InputError as exc:
        return SchoolResult(row, school.id, False, [str(x) for x in exc.problems])
    if not st["write"]:  # check: validated, composed and preflighted; nothing rendered or written
        return SchoolResult(row, school.id, True, [], [], None, [str(w) for w in (*school.warnings, *p.warnings)])
    files = []
    packed: dict[str, bytes] = {}
    # With both finishes, the print-shop files (each PDF/X file carries a 0.8 MB colour profile) go in a
    # pack of their own for whoever sends them to a printer, so the one emailed to the school stays small.
    split = len({d.finish for _, d in p.docs}) > 1
    shop: dict[str, bytes] = {}
    staged: dict[str, str] = {}
    failures: list[str] = []
    store = changes.Store()
    eds = changes.edition_boxes(d for _, d in p.docs)
    for path, doc in p.docs:
        key = doc.layout, doc.variant, doc.finish, doc.locale, doc.nation
        first = None  # the path this worker first staged a national document's bytes at
        if not doc.uses_school and key in st["national"]:
            data = st["national"][key]
            first = st["first_copy"].get(key)
        else:
            data = write_document(doc, opts)
            failures.extend(verify(doc, data, rgb=opts.rgb))
            if not doc.uses_school:
                st["national"][key] = data
        staged[path] = write_staged(st["stage"], st["out"], path, data, same_as=first)
        if not doc.uses_school:
            st["first_copy"].setdefault(key, path)
        (shop if split and doc.finish == "print-shop" else packed)[path.split("/", 1)[1]] = data
        files.append(file_entry(Output(path, doc, data), content, opts, store, eds.get(doc.layout, frozenset())))
    if failures:
        return SchoolResult(row, school.id, False, failures)
    web = web_copies(p, opts)  # the pack holds them too, so a school can put them on its website
    for path, data in web.items():
        staged[path] = write_staged(st["stage"], st["out"], path, data)
        packed[path.split("/", 1)[1]] = data
    if st["previous"] is not None:  # the school's own reprint list travels in its pack
        before = st["previous"].get(school.id, {})
        own = changes.rebase(changes.compare(before, {"files": files, **store.tables()}), f"{school.id}/")
        packed[changes.CHANGES_JSON] = changes.to_json(own).encode("utf-8")
        packed[changes.CHANGES_MD] = changes.to_markdown(own, f"What to reprint: {school.name}").encode("utf-8")
    pack_path = f"packs/{school.id}.zip"
    staged[pack_path] = write_staged(st["stage"], st["out"], pack_path, pack_zip(packed))
    shop_path = f"packs/print-shop/{school.id}.zip" if shop else None
    if shop_path:
        staged[shop_path] = write_staged(st["stage"], st["out"], shop_path, pack_zip(shop))
    return SchoolResult(row, school.id, True, [], files, pack_path, [str(w) for w in (*school.warnings, *p.warnings)],
                        sorted(web), staged, tables=store.since(st["tables_sent"]), owns=p.owns, shop_pack=shop_path)


# --- worker processes ----------------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    """End this worker when its parent ends, however it ends (kill -9 included)."""
    armed = False
    try:
        import ctypes

        pr_set_pdeathsig = 1
        armed = ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        pass
    if not armed:  # no prctl: look for the parent every half second
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker(conn: Connection, parent: int, opts: Options, stage: Path | None, out: Path | None,
            previous: dict[str, dict] | None = None) -> None:
    """A worker's life: load once, then build each school it is sent until told to stop. ``previous``:
    the output folder's earlier files, by school, for each school's own reprint list."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent stops us
    try:
        _init(opts, stage, out, previous)
    except InputError as exc:
        conn.send(("input", exc.problems))
        return
    except Exception as exc:  # a bug: the parent reports it
        conn.send(("bug", _bug_text(exc)))
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        try:
            conn.send(("done", build_one(task)))
        except OutputError as exc:
            conn.send(("output", str(exc)))
        except Exception as exc:
            conn.send(("school-bug", _bug_text(exc)))


def _bug_text(exc: BaseException) -> str:
    if os.environ.get("CSEPRINT_DEBUG"):
        return "".join(traceback.format_exception(exc))
    return f"{type(exc).__name__}: {exc}"


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    task: tuple[int, LDict] | None = None
    started: float = 0.0


class _Pool:
    """``jobs`` workers, each given one school at a time; see the module docstring."""

    def __init__(self, jobs: int, opts: Options, stage: Stage | None, previous: dict[str, dict] | None = None):
        self.ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        self.args = (os.getpid(), opts, stage.path if stage else None, stage.out if stage else None, previous)
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        mine, theirs = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(theirs, *self.args), daemon=True)
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def close(self) -> None:
        """Stop every worker: politely if idle, by SIGKILL if busy or slow to go."""
        for w in self.workers:
            try:
                if w.task is None and w.process.is_alive():
                    w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            if w.task is not None:
                w.process.kill()
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()

    def run(self, rows: list[tuple[int, LDict]], timeout: float,
            done: Callable[[SchoolResult], None]) -> None:
        pending = deque(rows)
        busy = 0

        def give(w: _Worker) -> None:
            nonlocal busy
            if pending:
                w.task = pending.popleft()
                w.started = time.monotonic()
                w.conn.send(w.task)
                busy += 1

        for w in self.workers:
            give(w)
        while busy:
            now = time.monotonic()
            first_deadline = min(w.started + timeout for w in self.workers if w.task is not None)
            ready = set(wait([x for w in self.workers if w.task is not None for x in (w.conn, w.process.sentinel)],
                             timeout=max(0.0, first_deadline - now)))
            for i, w in enumerate(self.workers):
                if w.task is None:
                    continue
                msg = None
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                if msg is not None:
                    kind, value = msg
                    if kind == "input":
                        raise InputError(value)
                    if kind == "output":
                        raise OutputError(value)
                    if kind == "bug":
                        raise RuntimeError(f"a batch worker could not start: {value}")
                    row = w.task[0]
                    w.task = None
                    busy -= 1
                    done(value if kind == "done" else _failed(row, _given_id(rows, row), [
                        f"internal error (a bug in the generator, not in this row): {value}"], bug=True))
                    give(w)
                    continue
                late = time.monotonic() - w.started > timeout
                if w.process.sentinel in ready or w.conn in ready or late:
                    row = w.task[0]
                    w.process.kill()
                    w.process.join()
                    w.conn.close()
                    if late and w.process.exitcode == -signal.SIGKILL:
                        why = (f"took longer than {timeout:g} s, so it was stopped; the other schools went on. "
                               "Build it on its own (--school) to see where it stalls")
                    else:
                        why = (f"the worker process building it stopped unexpectedly ({_how(w.process.exitcode)}); "
                               "the other schools went on. Build it again, on its own (--school) if it fails again")
                    busy -= 1
                    done(_failed(row, _given_id(rows, row), [f"row {row}: {why}"]))
                    self.workers[i] = self._start()
                    give(self.workers[i])


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}" + (", perhaps for lack of memory" if -code == signal.SIGKILL else "")
    return f"exit status {code}"


def _given_id(rows: list[tuple[int, LDict]], row: int) -> str | None:
    for r, raw in rows:
        if r == row:
            sid = raw.get("id")
            return sid if isinstance(sid, str) else f"row-{row}"
    return None


def _failed(row: int, school: str | None, problems: list[str], bug: bool = False) -> SchoolResult:
    return SchoolResult(row, school, False, problems, bug=bug)


def run(opts: Options, csv_path: Path, stage: Stage | None, jobs: int | None = None,
        progress: Callable[[int, int, float], None] | None = None,
        sheet: Sheet | None = None, timeout: float = SCHOOL_TIMEOUT,
        previous: dict | None = None) -> tuple[list[SchoolResult], set[str]]:
    """Build every row (only check it when ``stage`` is None); results in row order, and the
    content's locales (the output folder's language folders). ``sheet``: the file already read
    (the CLI reads it first to show its warnings); ``previous``: the output folder's manifest,
    for each school's own reprint list in its pack.

    Raises InputError for a bad file (unreadable, unknown columns, duplicate ids).
    """
    sheet = sheet or read_csv(csv_path)
    if sheet.problems:
        raise InputError(sheet.problems)
    rows = sheet.rows
    if not rows:
        raise InputError([Problem(Location(str(csv_path)), "", "no school rows found")])
    from .languages import LANGUAGES, locales_for

    wanted = sorted({loc for _, raw in rows if raw.get("language") in LANGUAGES
                     for loc in locales_for(raw["language"], opts.locale)})
    opts = dataclasses.replace(opts, languages=tuple(wanted))  # the rows' languages, checked by every worker
    content, _, _ = load(opts)  # fail fast, in this process, on bad content or layouts
    seen: dict[str, int] = {}
    dupes = []
    for row, raw in rows:
        sid = raw.get("id")
        if isinstance(sid, str):
            if sid in seen:
                dupes.append(Problem(raw.loc, "id", f"school id {quote(sid)} is also used on row {seen[sid]}"))
            seen.setdefault(sid, row)
    if dupes:
        raise InputError(dupes)
    jobs = jobs or cores()
    if not 1 <= jobs <= max_jobs():
        raise ValueError(f"jobs must be from 1 to {max_jobs()}, not {jobs}")  # the CLI says so first
    results: list[SchoolResult] = []
    start = time.monotonic()

    def done(res: SchoolResult) -> None:
        results.append(res)
        if progress:
            progress(len(results), len(rows), time.monotonic() - start)

    before = None if previous is None else _by_school(previous)
    pool = _Pool(min(jobs, len(rows)), opts, stage, before)
    try:
        pool.run(rows, timeout, done)
    finally:
        pool.close()
    fault("batch-staged")
    return sorted(results, key=lambda r: r.row), set(content.locales)


__all__ = ["run", "SchoolResult", "VerifyError", "cores", "max_jobs", "SCHOOL_TIMEOUT"]
