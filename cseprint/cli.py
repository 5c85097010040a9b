"""The command line: the only module that prints or exits.

Exit status: 0 success, 1 a problem with the inputs (each printed as
``file:line:column: key: message``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
from pathlib import Path

from . import __version__
from .errors import CsePrintError, InputError, VerifyError
from .terminal import quote, safe_streams

PROJECT = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "check", "list", "check-links", "serve", "diff", "setup")

DESCRIPTION = """\
Make print-ready child sexual exploitation (CSE) awareness materials: posters,
wallet cards and a staff leaflet, from the content in content/ and the
layouts in layouts/. Every phone number and web address comes from
content/contacts.yaml, and every build checks itself before it writes.
"""

EPILOG = """\
examples:
  python3 generate.py setup               once: install what generate.py needs (into .venv)
  python3 generate.py                     build everything into output/
  python3 generate.py build --layout poster-a4 --finish office
                                          just the A4 poster, for an office printer
  python3 generate.py check               check content and layouts, write nothing
  python3 generate.py list                show layouts and contacts with their review dates
  python3 generate.py serve               a web form for schools at http://127.0.0.1:8000
  python3 generate.py diff OLD_OUT NEW_OUT
                                          what to reprint: two output folders compared

finishes:
  office      the page is the paper size (A4, A3, 85.6 x 54 mm card); no bleed,
              no marks: print on a school printer at 100% ("actual size").
  print-shop  PDF/X-1a:2003 for FOGRA39 (coated offset): 3 mm bleed and crop
              marks outside the trim, black overprinting, the wallet card one
              card a page: send these to a printer as they are.

exit status: 0 success, 1 a problem with the content or layouts (each reported as
file:line:column: key: message), 2 a mistake in the command itself, 3 a bug.
"""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=PROJECT / "content", metavar="DIR",
                   help="content folder (default: content/)")
    p.add_argument("--layouts", type=Path, default=PROJECT / "layouts", metavar="DIR",
                   help="layouts folder (default: layouts/)")
    p.add_argument("--fonts", type=Path, default=PROJECT / "fonts", metavar="DIR",
                   help="fonts folder (default: fonts/)")
    p.add_argument("--layout", action="append", metavar="NAME", dest="names",
                   help="build only this layout (repeat for several); see 'list'")
    p.add_argument("--locale", type=locale_code, default="en-GB", metavar="CODE",
                   help="language of the content: a folder in content/, e.g. en-GB or cy (default: en-GB)")
    p.add_argument("--nation", choices=("england", "wales", "scotland", "northern-ireland"), default=None,
                   help="whose guidance, roles and referral routes the national materials print (default: england; "
                        "files for the other nations go into OUT/NATION/); a school build takes its profile's nation")
    p.add_argument("--fallback-to-english", action="store_true",
                   help="print a text in English where the chosen locale lacks it (listed in the manifest); "
                        "without this a missing text is an error")
    p.add_argument("--finish", choices=("office", "print-shop", "both"), default="both",
                   help="office printer, print shop, or both (default: both)")
    p.add_argument("--school", type=Path, metavar="FILE",
                   help="a school profile (content/schools/ID.yaml): build that school's own set into OUT/ID/")
    p.add_argument("--schools", type=Path, metavar="FILE.csv",
                   help="a spreadsheet of schools (CSV, UTF-8; columns in the README): every school's set, into "
                        "OUT/ID/ with an email pack OUT/packs/ID.zip, on all cores")
    p.add_argument("--strict", action="store_true",
                   help="with --schools: if any school fails, write nothing (default: build the others)")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="with --schools: worker processes, 1 to twice the cores (default: one per core)")
    p.add_argument("--school-timeout", type=_seconds, default=None, metavar="SECONDS",
                   help="with --schools: a school that takes longer fails, and the batch goes on (default: 120)")
    p.add_argument("--crop-marks", action=argparse.BooleanOptionalAction, default=None,
                   help="draw crop marks outside the bleed (default: on for print-shop files, off for office files)")
    p.add_argument("--back-offset", type=_offset, default=(0.0, 0.0), metavar="X,Y",
                   help="shift the backs of the office card sheets, and their cut guides, by X,Y mm (right, down) "
                        "to match your printer's duplex drift, e.g. 1.5,-0.5 (default: 0,0)")
    p.add_argument("--allow-unverified", action="store_true",
                   help="print contacts that are unconfirmed or past their review date (named in the summary "
                        "and the manifest)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), metavar="YYYY-MM-DD",
                   help=argparse.SUPPRESS)


def _offset(text: str) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not X,Y in millimetres, e.g. 1.5,-0.5") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"'{text}' is not X,Y in millimetres, e.g. 1.5,-0.5")
    if max(abs(x), abs(y)) > 10:
        raise argparse.ArgumentTypeError(f"'{text}': an offset of more than 10 mm is not a duplex drift")
    return (x, y)


def _jobs(text: str) -> int:
    from .batch import cores, max_jobs

    try:
        n = int(text)
    except ValueError:
        n = None
    if n is None or not 1 <= n <= max_jobs():
        raise argparse.ArgumentTypeError(f"'{text}': give a whole number of worker processes from 1 to {max_jobs()} "
                                         f"(twice the {cores()} cores this machine gives us)")
    return n


def _seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds, e.g. 120")
    return v


def locale_code(text: str) -> str:
    """A language code as people type it (CY, en_gb, EN-gb) in the form the content folders use (cy, en-GB)."""
    parts = text.strip().replace("_", "-").split("-")
    if len(parts) == 2 and parts[1]:
        return f"{parts[0].lower()}-{parts[1].upper()}"
    return "-".join(parts).lower()


class Parser(argparse.ArgumentParser):
    """argparse that answers a mistyped command or option with "did you mean"."""

    def error(self, message: str) -> None:  # type: ignore[override]
        import difflib
        import re

        hint = ""
        m = re.search(r"unrecognized arguments: (\S+)", message)
        if m and m.group(1).startswith("--"):
            parsers = [self, *(sp for a in self._actions if isinstance(a, argparse._SubParsersAction)
                               for sp in a.choices.values())]
            known = sorted({o for p in parsers for a in p._actions for o in a.option_strings if o.startswith("--")})
            close = difflib.get_close_matches(m.group(1).split("=")[0], known, n=1)
            if close:
                hint = f"\ndid you mean {close[0]}?"
        super().error(message + hint)


def unknown_command(word: str, layouts: Path) -> str | None:
    """The message for a first word that is neither a command nor an option (None if it is one)."""
    import difflib

    if word.startswith("-") or word in COMMANDS:
        return None
    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.5)
    if close:
        return f"unknown command {quote(word)}; did you mean '{close[0]}'?"
    if (layouts / f"{word}.yaml").is_file():
        return (f"{quote(word)} is a layout, not a command; to build just that one: "
                f"python3 generate.py build --layout {word}")
    return f"unknown command {quote(word)}; the commands are: {', '.join(COMMANDS)}"


def parser() -> argparse.ArgumentParser:
    ap = Parser(prog="generate.py", description=DESCRIPTION, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"cseprint {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="check, then write PDFs and OUT/manifest.json (the default)",
                       description="Check everything, then write the PDFs and OUT/manifest.json. Nothing is "
                                   "written unless every check passes.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    _common(b)
    b.add_argument("--out", type=Path, default=PROJECT / "output", metavar="DIR",
                   help="output folder (default: output/)")
    b.add_argument("--rgb", action="store_true", help="write RGB colour for screens instead of CMYK for print")
    b.add_argument("--clean", action="store_true",
                   help="also remove the files earlier builds left in this build's scope (national files of its "
                        "nation and language, or its schools') that this build did not make; a full build (every "
                        "layout, both finishes) always does, a partial one only with --clean")
    b.add_argument("--previews", action="store_true",
                   help="also write PNG previews of every page and OUT/previews/index.html, a contact sheet")
    c = sub.add_parser("check", help="run every check, write nothing",
                       description="Validate content and layouts and preflight every page; write nothing.")
    _common(c)
    cl = sub.add_parser("check-links", help="ask every web address in the contacts registry whether it still answers",
                        description="Ask every web address in content/contacts.yaml whether it still answers "
                                    "(HEAD, then GET; short timeout; one retry). Uses the network; builds never do.")
    cl.add_argument("--content", type=Path, default=PROJECT / "content", metavar="DIR")
    cl.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help="per request (default: 5)")
    df = sub.add_parser("diff", help="what to reprint: compare the printed text of two output folders",
                        description="Compare two output folders from their manifests, box by box: which files to\n"
                                    "reprint (each changed text before and after), which are unchanged (a new\n"
                                    "edition line alone does not count), which are new, which were removed.\n"
                                    "Every file of both folders is compared; for folders holding one build each,\n"
                                    "this is the list that build wrote to NEW_OUT/changes.md.\n\n"
                                    "exit status: 0 whether or not anything changed, 1 if a folder has no\n"
                                    "readable manifest, 2 for a mistake in the command.",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="example:\n  python3 generate.py diff output-autumn output    what changed since autumn")
    df.add_argument("old", type=Path, metavar="OLD_OUT", help="the earlier output folder")
    df.add_argument("new", type=Path, metavar="NEW_OUT", help="the later output folder")
    df.add_argument("--json", action="store_true", help="print the list as JSON (the form of OUT/changes.json)")
    ls = sub.add_parser("list", help="show the layouts and the contacts with their last-verified dates")
    ls.add_argument("--content", type=Path, default=PROJECT / "content", metavar="DIR")
    ls.add_argument("--layouts", type=Path, default=PROJECT / "layouts", metavar="DIR")
    ls.add_argument("--fonts", type=Path, default=PROJECT / "fonts", metavar="DIR")
    ls.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS)
    sub.add_parser("setup", help="once: install the packages generate.py needs (makes .venv; no need to activate it)",
                   description="Make the project's own Python environment (.venv) and install the pinned packages "
                               "from requirements.txt, unless this Python already has them. Safe to run again.")
    sv = sub.add_parser("serve", help="a web form: a school fills it in and downloads its own pack (zip)",
                        description="Serve a web form for one school at a time: it fills in its people and "
                                    "numbers and downloads its pack (PDFs, web copies, its saved profile) as a "
                                    "zip. Nothing a school sends is kept. Listens on this computer only unless "
                                    "--host says otherwise.")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer "
                                                        "only; 0.0.0.0 for every network it is on)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--jobs", type=int, default=None, metavar="N",
                    help="builds at once (default and most: one per core)")
    for flag, default in (("--content", "content"), ("--layouts", "layouts"), ("--fonts", "fonts")):
        sv.add_argument(flag, type=Path, default=PROJECT / default, metavar="DIR", help=f"(default: {default}/)")
    sv.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run one command. Everything printed goes through terminal.SafeStream, so a control character in a
    file name, CSV cell or YAML key shows as an escape instead of acting on the terminal."""
    with safe_streams() as raw:
        return _main(list(sys.argv[1:] if argv is None else argv), raw[1])


def _main(argv: list[str], raw_err) -> int:
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    why = unknown_command(argv[0], PROJECT / "layouts")
    if why:
        parser().error(why)
    ap = parser()
    args = ap.parse_args(argv)
    args.raw_err = raw_err
    _WRITTEN.clear()
    if args.command == "build":
        from .outfolder import out_problem

        why = out_problem(args.out, {"content": args.content, "layouts": args.layouts, "fonts": args.fonts})
        if why:
            ap.error(why)
    try:
        if args.command == "setup":
            from .bootstrap import setup

            return setup()
        if args.command == "list":
            return cmd_list(args)
        if args.command == "check-links":
            return cmd_check_links(args)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "diff":
            return cmd_diff(args)
        return cmd_build(args, write=args.command == "build")
    except InputError as exc:
        for p in exc.problems:
            print(("warning: " if p.warning else "") + str(p), file=sys.stderr)
        n = len([p for p in exc.problems if not p.warning])
        print(f"\n{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except VerifyError as exc:
        for p in exc.problems:
            print(f"verification failed: {p}", file=sys.stderr)
        print("\nA written file did not read back as composed; nothing was written to the output folder. "
              "This is a bug: please report it with the lines above.", file=sys.stderr)
        return 1
    except CsePrintError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as exc:
        written = _rel(exc.written) if isinstance(getattr(exc, "written", None), Path) else None
        if written or _WRITTEN:  # the commit had finished: say so, never "nothing was written"
            print(f"interrupted after the build was written: {written or _WRITTEN[-1]}/manifest.json lists what "
                  "is there.", file=sys.stderr)
        else:
            print("interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly; the traceback only on request
        from .bootstrap import MODULES, missing_message, venv_python

        top = (getattr(exc, "name", None) or "").split(".")[0]
        if isinstance(exc, ModuleNotFoundError) and top in MODULES:  # a package is missing: setup, not a bug
            print(missing_message([MODULES[top]], venv_python()), file=sys.stderr)
            return 2
        if os.environ.get("CSEPRINT_DEBUG"):
            raise
        done = (f"The build had been written to {_WRITTEN[-1]}/ before it." if _WRITTEN
                else "Nothing was written.")
        print(f"internal error (a bug in the generator, not in your files): {type(exc).__name__}: {exc}\n"
              f"{done} Run again with CSEPRINT_DEBUG=1 for the details and report them.", file=sys.stderr)
        return 3


_WRITTEN: list[str] = []  # output folders committed by this run (for what Ctrl-C and a bug's message say)


def _options(args: argparse.Namespace):
    from .build import Options

    return Options(content=args.content, layouts=args.layouts, fonts=args.fonts,
                   out=getattr(args, "out", PROJECT / "output"), names=args.names, locale=args.locale,
                   finish=args.finish, rgb=getattr(args, "rgb", False), allow_unverified=args.allow_unverified,
                   crop_marks=args.crop_marks, back_offset=args.back_offset,
                   fallback_to_english=args.fallback_to_english, school=args.school, today=args.today,
                   nation=args.nation, clean=getattr(args, "clean", False))


def cmd_build(args: argparse.Namespace, write: bool) -> int:
    from .build import build_files, claim, contact_sheet, inputs, plan, previous_manifest
    from .outfolder import write_atomically

    opts = _options(args)
    if args.schools and args.school:
        print(f"generate.py {args.command}: error: use --school or --schools, not both", file=sys.stderr)
        return 2
    if write:
        _recover(opts.out)  # an earlier build stopped mid-commit is completed before anything else
    if args.schools:
        return cmd_batch(args, opts, write)
    p = plan(opts)
    for w in p.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not write:
        pages = sum(len(d.pages) for _, d in p.docs)
        print(f"ok: {len(p.layouts)} layouts, {len(p.docs)} documents, {pages} pages checked; nothing written.")
        return 0
    from .preview import PREVIEW_DPI
    from .progress import Progress

    with Progress(len(p.docs), "files", args.raw_err) as bar:
        built = build_files(opts, with_previews=args.previews, progress=bar.step, p=p,
                            previous=previous_manifest(opts.out))
    outputs, man = built.outputs, built.manifest
    web, pngs = man["web"], man["previews"]
    done = write_atomically(opts.out, built.files, man, claim(opts, [p.content.school_id], p.content.nation,
                                                  {p.content.school_id: p.owns or p.locales}),
                            built.meta, protected=tuple(inputs(opts).values()), derive=contact_sheet)
    sheet = "previews/index.html" in done.manifest.get("previews", [])
    out_name = _rel(opts.out)
    _WRITTEN.append(out_name)
    for o in sorted(outputs, key=lambda o: o.path):
        fit = "; fit: " + ", ".join(f"{k} {v}" for k, v in o.doc.fit.items()) if o.doc.fit else ""
        print(f"wrote {out_name}/{o.path}  ({len(o.doc.pages)} page{'s' if len(o.doc.pages) != 1 else ''}, "
              f"{o.doc.layout}, {o.doc.finish}{fit})")
    print(f"wrote {out_name}/manifest.json: {len(outputs)} files, content edition "
          f"{p.content.edition.version} ({p.content.edition.date})")
    print(f"wrote {len(web)} accessible web pages: {', '.join(f'{out_name}/{w}' for w in sorted(web))}")
    if pngs:
        print(f"wrote {out_name}/previews/: {len(pngs) - 1} PNG pages at {PREVIEW_DPI} dpi")
    if sheet and pngs:
        print(f"contact sheet of every build in {out_name}/: {out_name}/previews/index.html")
    for loc in p.locales:
        info = p.content.locale_info[loc]
        if not info.reviewed:
            print(f"WARNING: the {info.name} ({loc}) text is a draft not yet reviewed by a fluent speaker "
                  f"(content/{loc}/_locale.yaml: reviewed: false); the manifest says so too.")
    fell = sorted({k for o in outputs for k in o.doc.fell_back})
    if fell:
        print(f"WARNING: printed in English because {opts.locale} lacks them: {', '.join(fell)}")
    if man["unverified_contacts"]:
        print("WARNING: printed contacts that are unconfirmed or past review: " + ", ".join(man["unverified_contacts"]))
    _removals(done, out_name)
    _print_changes(built.changes, out_name)
    print(next_steps(out_name, [o.path for o in outputs], web, bool(pngs), reprint=built.changes))
    return 0


def _recover(out: Path) -> None:
    """Complete an earlier build's interrupted commit and remove staging folders of killed builds."""
    from .outfolder import recover

    got = recover(out)
    if got.interrupted:
        print(f"note: completed an update of {_rel(out)}/ that an earlier build was stopped in the middle of "
              f"({got.completed} files still to move or remove)", file=sys.stderr)
    if got.stages:
        print(f"note: removed {got.stages} staging folder{'s' if got.stages != 1 else ''} left in {_rel(out)}/ by "
              "builds that were stopped", file=sys.stderr)


def _removals(done, out_name: str) -> None:
    """Every file a build removed, by name; and what a partial build left (so --clean is no surprise)."""
    for rel in done.removed:
        print(f"removed {out_name}/{rel}  ({done.why.get(rel, 'an earlier build of this scope made it')})")
    if done.kept:
        n = len(done.kept)
        print(f"kept {n} file{'s' if n != 1 else ''} of this scope from earlier builds (other layouts or finishes: "
              "this build made only some); --clean removes them")


def _print_changes(report: dict | None, out_name: str, limit: int = 12) -> None:
    """The end of a build's summary: what to reprint, in brief, and where the full list is."""
    from .changes import CHANGES_JSON, CHANGES_MD, excerpt, safe, summary

    if report is None:
        return
    print(f"reprint list: {summary(report)}")
    for r in report["reprint"][:limit]:
        c = r["changes"][0] if r["changes"] else None
        b, a = excerpt(c["before"], c["after"]) if c else ("", "")
        what = (f"page {c['page']} box {c['box']}: {b or '(nothing)'} -> {a or '(removed)'}"
                if c else "no earlier record; check by eye")
        more = f" (+{len(r['changes']) - 1} more)" if len(r["changes"]) > 1 else ""
        print(f"  reprint {out_name}/{safe(r['path'])}: {safe(what)}{more}")
    if len(report["reprint"]) > limit:
        print(f"  ... and {len(report['reprint']) - limit} more")
    print(f"see {out_name}/{CHANGES_MD} (and {CHANGES_JSON})")


def next_steps(out_name: str, pdfs: list[str], web: list[str], previews: bool, packs: int = 0,
               failed: int = 0, source: str = "", reprint: dict | None = None, shop_packs: int = 0) -> str:
    """The summary's last lines: what a person does with what was just made."""
    steps = []
    if failed:
        steps.append(f"fix the {failed} failed row{'s' if failed != 1 else ''} listed above in {source} and run "
                     "the same command again")
    if reprint and reprint["since"]:
        n, kept = len(reprint["reprint"]), len(reprint["unchanged"])
        keep = f"; the other {kept} already printed {'are' if kept != 1 else 'is'} still right" if kept else ""
        steps.append(f"reprint the {n} file{'s' if n != 1 else ''} listed in {out_name}/changes.md{keep}" if n else
                     "nothing needs reprinting: the copies already printed are still right")
    if packs:
        steps.append(f"email each school its pack from {out_name}/packs/ (its PDFs, web pages and how-to-print.pdf)")
    if shop_packs:
        steps.append(f"a school that has its posters printed professionally sends its pack from "
                     f"{out_name}/packs/print-shop/ to the print shop as it is (PDF/X-1a files, too big to email "
                     "with the rest)")
    if previews:
        steps.append(f"look at every page before printing: open {out_name}/previews/index.html")
    elif pdfs and not packs:
        steps.append("to look at every page first, run the same command with --previews")
    guide = sorted((p for p in pdfs if p.rsplit("/", 1)[-1] == "how-to-print.pdf"), key=len)
    office = [p for p in pdfs if "print-shop/" not in p]
    if guide and not packs:
        steps.append(f"print at actual size (100%), as {out_name}/{guide[0]} explains (paper, which edge to "
                     "flip, where to cut and fold)")
    elif office and not packs:
        steps.append("print at actual size (100%), never 'fit to page'")
    if any("print-shop/" in p for p in pdfs) and not packs:
        steps.append("send the print-shop/ files to a print shop as they are")
    if web and not packs:
        steps.append(f"put the pages in {out_name}/{web[0].rsplit('/', 1)[0]}/ on your website")
    return "\nNext:\n" + "\n".join(f"  - {s}" for s in steps) if steps else ""


def cmd_batch(args: argparse.Namespace, opts, write: bool = True) -> int:
    from . import batch, changes
    from .build import claim, contact_sheet, inputs, previous_manifest
    from .outfolder import Stage, commit
    from .progress import Progress

    bars: list[Progress] = []

    def progress(done: int, total: int, elapsed: float) -> None:
        if not bars:
            bars.append(Progress(total, "schools", args.raw_err, log_lines=True))
        bars[0].step()

    def report(results: list) -> list:
        """Print every failed row and every warning; return the failed rows."""
        bad = [r for r in results if not r.ok]
        for r in bad:
            print(f"FAILED row {r.row} ({quote(r.school) if r.school else 'no id'}):", file=sys.stderr)
            for p in r.problems:
                print(f"  {p}", file=sys.stderr)
        for r in results:
            for w in r.warnings if r.ok else ():
                print(f"warning: row {r.row} ({quote(r.school)}): {w}", file=sys.stderr)
        return bad

    from .spreadsheet import read_csv

    sheet = read_csv(args.schools)
    for w in sheet.warnings:
        print(f"warning: {w}", file=sys.stderr)

    timeout = args.school_timeout or batch.SCHOOL_TIMEOUT
    if not write:
        try:
            results, _ = batch.run(opts, args.schools, None, jobs=args.jobs, progress=progress, sheet=sheet,
                                   timeout=timeout)
        finally:
            for b in bars:
                b.close()
        bad = report(results)
        print(f"checked {len(results)} schools: {len(results) - len(bad)} ok, {len(bad)} with problems; "
              "nothing written.")
        return _bugs(results) or (1 if bad else 0)
    out_name = _rel(opts.out)
    done = reprint = None
    previous = changes.slim(previous_manifest(opts.out))  # what compare reads of it, for the reprint lists
    with Stage(opts.out) as stage:
        try:
            results, _ = batch.run(opts, args.schools, stage, jobs=args.jobs, progress=progress, sheet=sheet,
                                   timeout=timeout, previous=previous)
        finally:
            for b in bars:
                b.close()
        good = [r for r in results if r.ok]
        bad = report(results)
        if bad and args.strict:
            print(f"\n{len(bad)} of {len(results)} schools failed; --strict: nothing was written.", file=sys.stderr)
            return 1
        files = sorted((f for r in good for f in r.files), key=lambda f: f["path"])
        packs = sorted(pk for r in good for pk in (r.pack, r.shop_pack) if pk)
        gathered = changes.Store()  # each worker sent each record and text once
        for r in good:
            gathered.merge(r.tables)
        man = {
            "generator": {"name": "cseprint", "version": __version__},
            "locale": opts.locale,
            "schools": {"source": str(args.schools), "built": [r.school for r in good],
                        "failed": [{"row": r.row, "school": r.school, "problems": r.problems} for r in bad]},
            "packs": packs,
            "files": files,
            "web": sorted(w for r in good for w in r.web),
            **gathered.tables(),
        }
        if good:  # failed schools are not in the claim: they keep their earlier files
            owns = claim(opts, [r.school for r in good], owns={r.school: r.owns for r in good})
            reprint = changes.compare(previous, man, partial=not owns.full)
            previous = None  # the commit reads the folder's manifest itself: do not hold two copies
            meta = {changes.CHANGES_JSON: changes.to_json(reprint).encode("utf-8"),
                    changes.CHANGES_MD: changes.to_markdown(reprint).encode("utf-8")}
            done = commit(stage, {path: sha for r in good for path, sha in r.staged.items()}, man, owns, meta,
                          protected=tuple(inputs(opts).values()), derive=contact_sheet)
            _WRITTEN.append(out_name)
    shop_packs = sum(1 for r in good if r.shop_pack)
    print(f"built {len(good)} of {len(results)} schools into {out_name}/ ({len(files)} PDFs, {len(packs) - shop_packs} "
          f"zip packs to email in {out_name}/packs/"
          + (f", {shop_packs} of print-shop files in {out_name}/packs/print-shop/" if shop_packs else "") + ")"
          + (f"; {len(bad)} failed (see above)" if bad else ""))
    if not good:
        print("nothing was written.", file=sys.stderr)
    if done:
        _removals(done, out_name)
    if reprint is not None:
        for line in changes.batch_summary(reprint, man):
            print(f"reprint: {line}")
        print(f"reprint list: {changes.summary(reprint)}; see {out_name}/{changes.CHANGES_MD} (each school's pack "
              "holds its own)")
    print(next_steps(out_name, [f["path"] for f in files], [], False, len(packs) - shop_packs, len(bad),
                     _rel(args.schools), reprint, shop_packs))
    return _bugs(results) or (1 if bad else 0)


def _bugs(results: list) -> int:
    """Exit status 3 if a school failed by a bug in the generator (its message says so), else 0."""
    if any(r.bug for r in results):
        print("\nA school above failed by an internal error (a bug in the generator, not in your spreadsheet). "
              "Run again with CSEPRINT_DEBUG=1 for the details and report them.", file=sys.stderr)
        return 3
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from . import changes
    from .build import load_manifest

    old, new = load_manifest(args.old), load_manifest(args.new)
    report = changes.compare(old, new, whole=True)
    if args.json:
        print(changes.to_json(report), end="")
    else:
        print(changes.to_markdown(report), end="")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .validate import load_content, load_layouts

    content = load_content(args.content)
    styles, layouts = load_layouts(args.layouts, args.fonts, content)
    print("Layouts:")
    width = max(len(n) for n in layouts)
    for name, lay in sorted(layouts.items()):
        notes = [f"imposed on {lay.imposition.sheet}"] if lay.imposition else []
        if lay.needs_school:
            notes.append("needs --school or --schools")
        if lay.languages:
            notes.append(f"{' + '.join(lay.languages)}, built with --locale {lay.languages[0]}")
        print(f"  {name:<{width}}  {lay.kind:<8} {lay.trim_w:g} x {lay.trim_h:g} mm, {len(lay.pages)} "
              f"page{'s' if len(lay.pages) != 1 else ''}" + "".join(f"; {n}" for n in notes))
    print("\nContacts (from content/contacts.yaml):")
    print(f"  {'id':<27} {'number / address':<44} {'status':<12} {'verified':<11} review by")
    for cid, c in sorted(content.contacts.items()):
        what = c.phone or c.web or c.email or "-"
        days = (c.review_by - args.today).days
        due = f"{c.review_by} ({days} days)" if days >= 0 else f"{c.review_by} (OVERDUE by {-days} days)"
        print(f"  {cid:<27} {what:<44} {c.status:<12} {c.verified_on!s:<11} {due}")
    print(f"\nLocales: {', '.join(sorted(content.locales))}; content edition {content.edition.version} "
          f"({content.edition.date})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .build import Options, load
    from .web import serve

    load(Options(args.content, args.layouts, args.fonts))  # bad content fails here, with every problem, not per request
    try:
        sock = serve.listen(args.host, args.port)
    except OSError as exc:
        print(f"generate.py serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
              "choose another --port", file=sys.stderr)
        return 2
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving the school form at http://{shown}:{port}/ ({'this computer only' if args.host in ('127.0.0.1', 'localhost', '::1') else 'reachable from the network'}); "
          "press Ctrl+C to stop. Nothing a school sends is kept.", flush=True)
    try:
        serve.run(sock, serve.Settings(args.content, args.layouts, args.fonts, today=args.today), jobs=args.jobs)
    except KeyboardInterrupt:  # Ctrl+C is how a server is stopped: not an interruption of work
        pass
    print("Stopped.")
    return 0


def cmd_check_links(args: argparse.Namespace) -> int:
    from .links import check_all, check_url
    from .validate import load_content

    content = load_content(args.content)
    addresses = [(cid, c.web) for cid, c in sorted(content.contacts.items()) if c.web and c.status != "retired"]
    results, offline = check_all([web for _, web in addresses], lambda u: check_url(u, timeout=args.timeout))
    if offline:
        print(f"No connection: none of the first {len(results)} addresses could be reached "
              f"({results[0].detail}).\nThis computer seems to be offline. Nothing was judged; run "
              "'python3 generate.py check-links' again when it is connected.", file=sys.stderr)
        return 1
    bad = 0
    for (cid, web), r in zip(addresses, results, strict=True):
        bad += not r.ok
        print(f"{'ok  ' if r.ok else 'FAIL'} {cid:<16} {web}  ({r.detail})")
    print(f"\n{bad} address{'es' if bad != 1 else ''} did not answer." if bad else "\nevery address answered.")
    return 1 if bad else 0


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
