"""The command line: the only module that prints or exits.

Exit status: 0 success, 1 a problem with the inputs (each printed as
``file:line:column: key: message``), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import __version__
from .errors import CsePrintError, InputError, VerifyError

PROJECT = Path(__file__).resolve().parent.parent

DESCRIPTION = """\
Make print-ready child sexual exploitation (CSE) awareness materials: posters,
wallet cards and a staff leaflet, from the content in content/ and the
layouts in layouts/. Every phone number and web address comes from
content/contacts.yaml, and every build checks itself before it writes.
"""

EPILOG = """\
examples:
  python generate.py                      build everything into output/
  python generate.py build --layout poster-a4 --finish office
                                          just the A4 poster, for an office printer
  python generate.py check                check content and layouts, write nothing
  python generate.py list                 show layouts and contacts with their review dates

finishes:
  office      the page is the paper size (A4, A3, 85.6 x 54 mm card); no bleed,
              no marks: print on a school printer at 100% ("actual size").
  print-shop  3 mm bleed and crop marks outside the trim, TrimBox/BleedBox set,
              CMYK colour: send these to a printer.

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
    p.add_argument("--locale", default="en-GB", metavar="CODE",
                   help="language of the content: a folder in content/, e.g. en-GB or cy (default: en-GB)")
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
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="with --schools: worker processes (default: one per core)")
    p.add_argument("--crop-marks", action=argparse.BooleanOptionalAction, default=None,
                   help="draw crop marks outside the bleed (default: on for print-shop files, off for office files)")
    p.add_argument("--back-offset", type=_offset, default=(0.0, 0.0), metavar="X,Y",
                   help="shift the backs of card sheets by X,Y mm (right, down) to match your printer's duplex "
                        "drift, e.g. 1.5,-0.5 (default: 0,0)")
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
    if max(abs(x), abs(y)) > 10:
        raise argparse.ArgumentTypeError(f"'{text}': an offset of more than 10 mm is not a duplex drift")
    return (x, y)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="generate.py", description=DESCRIPTION, epilog=EPILOG,
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
    ls = sub.add_parser("list", help="show the layouts and the contacts with their last-verified dates")
    ls.add_argument("--content", type=Path, default=PROJECT / "content", metavar="DIR")
    ls.add_argument("--layouts", type=Path, default=PROJECT / "layouts", metavar="DIR")
    ls.add_argument("--fonts", type=Path, default=PROJECT / "fonts", metavar="DIR")
    ls.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    try:
        if args.command == "list":
            return cmd_list(args)
        if args.command == "check-links":
            return cmd_check_links(args)
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
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("CSEPRINT_DEBUG"):
            raise
        print(f"internal error (a bug in the generator, not in your files): {type(exc).__name__}: {exc}\n"
              "Nothing was written. Run again with CSEPRINT_DEBUG=1 for the details and report them.",
              file=sys.stderr)
        return 3


def _options(args: argparse.Namespace):
    from .build import Options

    return Options(content=args.content, layouts=args.layouts, fonts=args.fonts,
                   out=getattr(args, "out", PROJECT / "output"), names=args.names, locale=args.locale,
                   finish=args.finish, rgb=getattr(args, "rgb", False), allow_unverified=args.allow_unverified,
                   crop_marks=args.crop_marks, back_offset=args.back_offset,
                   fallback_to_english=args.fallback_to_english, school=args.school, today=args.today)


def cmd_build(args: argparse.Namespace, write: bool) -> int:
    from .build import build_files, plan, write_atomically

    opts = _options(args)
    if args.schools:
        if args.school:
            print(f"generate.py {args.command}: error: use --school or --schools, not both", file=sys.stderr)
            return 2
        return cmd_batch(args, opts, write)
    p = plan(opts)
    for w in p.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not write:
        pages = sum(len(d.pages) for _, d in p.docs)
        print(f"ok: {len(p.layouts)} layouts, {len(p.docs)} documents, {pages} pages checked; nothing written.")
        return 0
    total = len(p.docs)
    done = [0]

    def progress(path: str) -> None:
        done[0] += 1
        if sys.stderr.isatty():
            bar = "#" * (30 * done[0] // total)
            print(f"\r[{bar:<30}] {done[0]}/{total} {path:<40}", end="", file=sys.stderr, flush=True)

    built = build_files(opts, with_previews=args.previews, progress=progress, p=p)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    outputs, man = built.outputs, built.manifest
    web, pngs = man["web"], man["previews"]
    write_atomically(opts.out, outputs, man, built.extra, scopes=p.scopes,
                     locales=set(p.content.locales))
    out_name = _rel(opts.out)
    for o in sorted(outputs, key=lambda o: o.path):
        fit = "; fit: " + ", ".join(f"{k} {v}" for k, v in o.doc.fit.items()) if o.doc.fit else ""
        print(f"wrote {out_name}/{o.path}  ({len(o.doc.pages)} page{'s' if len(o.doc.pages) != 1 else ''}, "
              f"{o.doc.layout}, {o.doc.finish}{fit})")
    print(f"wrote {out_name}/manifest.json: {len(outputs)} files, content edition "
          f"{p.content.edition.version} ({p.content.edition.date})")
    print(f"wrote {len(web)} accessible web pages: {', '.join(f'{out_name}/{w}' for w in sorted(web))}")
    if pngs:
        print(f"wrote {out_name}/previews/: {len(pngs) - 1} PNG pages; open {out_name}/previews/index.html")
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
    return 0


def cmd_batch(args: argparse.Namespace, opts, write: bool = True) -> int:
    import shutil

    from . import batch
    from .build import commit, new_stage

    tty = sys.stderr.isatty()

    def progress(done: int, total: int, elapsed: float) -> None:
        if not tty and done != total and done % max(1, total // 10):
            return
        left = elapsed / done * (total - done)
        bar = "#" * (30 * done // total)
        end = "" if tty and done != total else "\n"
        print(f"\r[{bar:<30}] {done}/{total} schools, {elapsed:5.1f} s, about {left:4.0f} s left",
              end=end, file=sys.stderr, flush=True)

    def report(results: list) -> list:
        """Print every failed row and every warning; return the failed rows."""
        bad = [r for r in results if not r.ok]
        for r in bad:
            print(f"FAILED row {r.row} ({r.school or 'no id'}):", file=sys.stderr)
            for p in r.problems:
                print(f"  {p}", file=sys.stderr)
        for r in results:
            for w in r.warnings if r.ok else ():
                print(f"warning: row {r.row} ({r.school}): {w}", file=sys.stderr)
        return bad

    if not write:
        results, _ = batch.run(opts, args.schools, None, jobs=args.jobs, progress=progress)
        bad = report(results)
        print(f"checked {len(results)} schools: {len(results) - len(bad)} ok, {len(bad)} with problems; "
              "nothing written.")
        return 1 if bad else 0
    stage = new_stage(opts.out)
    try:
        results, locales = batch.run(opts, args.schools, stage, jobs=args.jobs, progress=progress)
        good = [r for r in results if r.ok]
        bad = report(results)
        if bad and args.strict:
            print(f"\n{len(bad)} of {len(results)} schools failed; --strict: nothing was written.", file=sys.stderr)
            return 1
        files = sorted((f for r in good for f in r.files), key=lambda f: f["path"])
        packs = sorted(r.pack for r in good if r.pack)
        man = {
            "generator": {"name": "cseprint", "version": __version__},
            "locale": opts.locale,
            "schools": {"source": str(args.schools), "built": [r.school for r in good],
                        "failed": [{"row": r.row, "school": r.school, "problems": r.problems} for r in bad]},
            "packs": packs,
            "files": files,
        }
        if good:
            scopes = {(r.school, loc) for r in good for loc in r.owns}  # failed schools keep their earlier files
            commit(opts.out, stage, [f["path"] for f in files] + packs, man, scopes, locales)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    out_name = _rel(opts.out)
    print(f"built {len(good)} of {len(results)} schools into {out_name}/ ({len(files)} PDFs, {len(packs)} zip packs "
          f"in {out_name}/packs/)" + (f"; {len(bad)} failed (see above)" if bad else ""))
    if not good:
        print("nothing was written.", file=sys.stderr)
    return 1 if bad else 0


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


def cmd_check_links(args: argparse.Namespace) -> int:
    from .links import check_url
    from .validate import load_content

    content = load_content(args.content)
    bad = 0
    for cid, c in sorted(content.contacts.items()):
        if not c.web or c.status == "retired":
            continue
        r = check_url(c.web, timeout=args.timeout)
        bad += not r.ok
        print(f"{'ok  ' if r.ok else 'FAIL'} {cid:<16} {c.web}  ({r.detail})")
    print(f"\n{bad} address{'es' if bad != 1 else ''} did not answer." if bad else "\nevery address answered.")
    return 1 if bad else 0


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
