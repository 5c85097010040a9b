"""Build every school of a local authority's spreadsheet, on all cores.

Each worker process loads the fonts, content and layouts once (in its
initializer) and then builds school after school: validate the row, compose,
preflight, write, verify, and pack the school's files into a zip to email.
A bad row fails that school only (unless --strict) and is reported with its
row number. Products that do not depend on the school (the national posters)
are made once per process and reused, byte for byte.

Nothing reaches the output folder until every school is done: files are
staged beside it and moved in at the end, the manifest last.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import Options, Output, compose_school, file_entry, load, pack_zip, web_copies, write_document
from .errors import InputError, Location, Problem, VerifyError
from .fonts import FontBook
from .load import LDict
from .schema import Checker
from .spreadsheet import Sheet, read_csv
from .terminal import quote


@dataclass
class SchoolResult:
    row: int
    school: str | None
    ok: bool
    problems: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # manifest entries
    pack: str | None = None
    warnings: list[str] = field(default_factory=list)
    web: list[str] = field(default_factory=list)  # the school's accessible web copies, also in its pack
    owns: list[str] = field(default_factory=list)  # the languages of its files a build replaces


_STATE: dict = {}


def _init(opts: Options, stage: str | None, locales: list[str] = ()) -> None:
    content, styles, layouts = load(opts, list(locales))
    _STATE.update(opts=opts, stage=Path(stage) if stage else None, write=stage is not None, content=content,
                  styles=styles, layouts=layouts, fonts=FontBook(styles, opts.fonts), national={},
                  national_docs={})


def build_one(task: tuple[int, LDict]) -> SchoolResult:
    """Build one school's full set into the staging folder (runs in a worker)."""
    from .schools import build_school
    from .verify import verify

    row, raw = task
    st = _STATE
    opts: Options = st["opts"]
    ck = Checker()
    default_id = f"row-{row}"
    school = build_school(raw, raw.loc, default_id, opts.content, ck)
    if ck.errors or school is None:
        return SchoolResult(row, raw.get("id") if isinstance(raw.get("id"), str) else None, False,
                            [str(p) for p in ck.errors] or [f"row {row}: not a school"])
    try:
        p = compose_school(st["content"], school, st["styles"], st["layouts"], st["fonts"], opts, st["national_docs"])
        content = p.content
    except InputError as exc:
        return SchoolResult(row, school.id, False, [str(x) for x in exc.problems])
    if not st["write"]:  # check: validated, composed and preflighted; nothing rendered or written
        return SchoolResult(row, school.id, True, [], [], None, [str(w) for w in (*school.warnings, *p.warnings)])
    files = []
    packed: dict[str, bytes] = {}
    failures: list[str] = []
    for path, doc in p.docs:
        key = doc.layout, doc.variant, doc.finish, doc.locale, doc.nation
        if not doc.uses_school and key in st["national"]:
            data = st["national"][key]
        else:
            data = write_document(doc, opts)
            failures.extend(verify(doc, data, rgb=opts.rgb))
            if not doc.uses_school:
                st["national"][key] = data
        target = st["stage"] / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        packed[path.split("/", 1)[1]] = data
        files.append(file_entry(Output(path, doc, data), content, opts))
    if failures:
        return SchoolResult(row, school.id, False, failures)
    web = web_copies(p, opts)  # the pack holds them too, so a school can put them on its website
    for path, data in web.items():
        target = st["stage"] / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        packed[path.split("/", 1)[1]] = data
    pack_path = f"packs/{school.id}.zip"
    target = st["stage"] / pack_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pack_zip(packed))
    return SchoolResult(row, school.id, True, [], files, pack_path, [str(w) for w in (*school.warnings, *p.warnings)],
                        sorted(web), p.owns)


def run(opts: Options, csv_path: Path, stage: Path | None, jobs: int | None = None,
        progress: Callable[[int, int, float], None] | None = None,
        sheet: Sheet | None = None) -> tuple[list[SchoolResult], set[str]]:
    """Build every row (only check it when ``stage`` is None); results in row order, and the
    content's locales (the output folder's language folders). ``sheet``: the file already read
    (the CLI reads it first to show its warnings).

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
                     for loc in locales_for(raw["language"], opts.locale)})  # the rows' languages, checked once
    content, _, _ = load(opts, wanted)  # fail fast, in this process, on bad content or layouts
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
    jobs = jobs or os.cpu_count() or 1
    results: list[SchoolResult] = []
    start = time.monotonic()
    if jobs == 1:
        _init(opts, str(stage) if stage else None, wanted)
        for task in rows:
            results.append(build_one(task))
            if progress:
                progress(len(results), len(rows), time.monotonic() - start)
    else:
        ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ctx.Pool(jobs, initializer=_init, initargs=(opts, str(stage) if stage else None, wanted)) as pool:
            for res in pool.imap_unordered(build_one, rows, chunksize=4):
                results.append(res)
                if progress:
                    progress(len(results), len(rows), time.monotonic() - start)
    return sorted(results, key=lambda r: r.row), set(content.locales)


__all__ = ["run", "SchoolResult", "VerifyError"]
