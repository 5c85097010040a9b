"""Run the stages for a selection of layouts; what a build owns in the output folder.

Nothing reaches the output folder until every document has been composed,
preflighted, rendered and verified in memory; ``outfolder`` then stages and
commits the files (a journalled commit: see its docstring), so a failed or
killed build leaves the previous output as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, changes
from .compose import OFFICE, PRINT_SHOP, Finish, compose
from .document import Document, Run
from .errors import InputError, Location, OutputError, PreflightError, Problem, VerifyError
from .fonts import FontBook, load_face
from .languages import builds, check_content, locales_for
from .lookup import NATIONS, nation_texts
from .models import Content, Layout, Styles
from .outfolder import Claim, read_manifest
from .preflight import check_document, check_readability, unverified_contacts, unverified_facts
from .validate import load_content, load_layouts

if TYPE_CHECKING:
    from .schools import School

FINISHES = {"office": ("office",), "print-shop": ("print-shop",), "both": ("office", "print-shop")}
MANIFEST = "manifest.json"


@dataclass
class Options:
    content: Path
    layouts: Path
    fonts: Path
    out: Path | None = None  # None: build in memory only (the web app packs a zip and writes nothing)
    names: list[str] | None = None
    locale: str = "en-GB"
    finish: str = "both"
    rgb: bool = False
    allow_unverified: bool = False
    previews: bool = False
    crop_marks: bool | None = None  # None: on for print-shop, off for office
    back_offset: tuple[float, float] = (0.0, 0.0)
    fallback_to_english: bool = False
    school: Path | School | None = None  # a profile file, or a profile already checked (the web app's form)
    today: dt.date = field(default_factory=dt.date.today)
    nation: str | None = None  # --nation; None: england, or a school profile's own nation
    clean: bool = False  # remove what earlier builds left in this build's scopes, even if it is partial
    languages: tuple[str, ...] = ()  # the languages a batch's schools need besides --locale (checked on load)


@dataclass
class Output:
    path: str  # relative to the output folder
    doc: Document
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Plan:
    content: Content
    styles: Styles
    layouts: dict[str, Layout]
    docs: list[tuple[str, Document]]
    warnings: list[Problem]
    runs: list[tuple[str, list[str]]] = field(default_factory=list)  # (locale, layouts built in it)
    owns: list[str] = field(default_factory=list)  # the languages whose earlier files this build replaces

    @property
    def locales(self) -> list[str]:
        return [loc for loc, _ in self.runs]



def scope_prefix(school: str | None, nation: str) -> list[str]:
    """Where a build's files go: a school's folder; else England at the top, another nation in its own."""
    if school:
        return [school]
    return [] if nation == "england" else [nation]


def output_path(doc: Document) -> str:
    name = doc.layout + ("-sheet" if doc.variant == "sheet" else "")
    parts = scope_prefix(doc.school, doc.nation)
    if doc.locale != "en-GB":
        parts.append(doc.locale)
    if doc.finish == "print-shop":
        parts.append("print-shop")
    return "/".join([*parts, f"{name}.pdf"])


def chain(opts: Options) -> list[str]:
    """The locales text is looked up in: the chosen one, then English only if asked."""
    if opts.fallback_to_english and opts.locale != "en-GB":
        return [opts.locale, "en-GB"]
    return [opts.locale]


def load(opts: Options, more: list[str] = ()) -> tuple[Content, Styles, dict[str, Layout]]:
    """Read and validate content and layouts; collect the problems of both. ``more`` (else
    ``opts.languages``): other languages the build may need (its schools'), checked too where the
    content has them."""
    more = more or opts.languages
    problems: list[Problem] = []
    content = None
    try:
        content = load_content(opts.content)
    except InputError as exc:
        problems.extend(exc.problems)
    if content is not None and opts.locale not in content.locales:
        raise InputError([Problem(None, "--locale", f"no content for locale '{opts.locale}'; have: "
                                  f"{', '.join(sorted(content.locales))}")])
    try:
        extra = [[loc] for loc in more if loc != opts.locale and (content is None or loc in content.locales)]
        styles, layouts = load_layouts(opts.layouts, opts.fonts, content, opts.names, [chain(opts), *extra])
    except InputError as exc:
        problems.extend(exc.problems)
        raise InputError(problems) from None
    if problems or content is None:
        raise InputError(problems)
    return content, styles, layouts


def finishes(opts: Options) -> list[Finish]:
    out = []
    for name in FINISHES[opts.finish]:
        base = PRINT_SHOP if name == "print-shop" else OFFICE
        marks = base.crop_marks if opts.crop_marks is None else opts.crop_marks
        sheet_marks = True if opts.crop_marks is None else opts.crop_marks
        offset = opts.back_offset if base.sheets else (0.0, 0.0)  # only sheets have backs to shift
        out.append(dataclasses.replace(base, crop_marks=marks, back_offset=offset, sheet_marks=sheet_marks))
    return out


def plan(opts: Options) -> Plan:
    """Load, compose and preflight everything; raise with every problem found."""
    if opts.school is None:
        content, styles, layouts = load(opts)
        nation = opts.nation or default_nation(content, opts)
        check_nation(content, opts, nation)
        content = dataclasses.replace(content, nation=nation)
        return compose_all(content, styles, layouts, FontBook(styles, opts.fonts), opts)
    from .schools import School, load_profile

    school = opts.school if isinstance(opts.school, School) else load_profile(opts.school, opts.content)
    if opts.nation and opts.nation != school.nation:
        raise InputError([Problem(school.loc, "nation", f"the profile's nation is {school.nation}, but --nation "
                                  f"{opts.nation} was given; a school build takes its profile's nation")])
    content, styles, layouts = load(opts, locales_for(school.language, opts.locale))
    p = compose_school(content, school, styles, layouts, FontBook(styles, opts.fonts), opts)
    p.warnings[:0] = school.warnings
    return p


def compose_school(content: Content, school, styles: Styles, layouts: dict[str, Layout], fonts: FontBook,
                   opts: Options, national: dict | None = None) -> Plan:
    """One school's files, in each language its profile's ``language`` asks for (see languages.py)."""
    from .schools import with_school

    check_content(school.language, opts.locale, content, school.loc)
    plans = []
    for locale, names in builds(school.language, opts.locale, layouts):
        o = dataclasses.replace(opts, locale=locale)
        check_nation(content, o, school.nation)
        plans.append(compose_all(with_school(content, school, chain(o)), styles, {n: layouts[n] for n in names},
                                 fonts, o, national))
    first = plans[0]
    for p in plans[1:]:
        first.docs += p.docs
        first.warnings += [w for w in p.warnings if w not in first.warnings]
        first.layouts |= p.layouts
        first.runs += p.runs
    # a profile that says its language owns the school's files in every language: a school that
    # changes from English to Welsh leaves no English poster behind
    first.owns = sorted(content.locales) if school.language else first.locales
    return first


def default_nation(content: Content, opts: Options) -> str:
    """England; or, for a language that has text for one nation only, that nation (Welsh: Wales)."""
    ns = content.locales.get(opts.locale)
    node = ns.entries.get("nations") if ns else None
    names = list(getattr(node, "entries", {}))
    return names[0] if len(names) == 1 else "england"


def check_nation(content: Content, opts: Options, nation: str) -> None:
    """The nation must be one of the four and have text in the build's language."""
    if nation not in NATIONS:
        raise InputError([Problem(None, "--nation", f"'{nation}' is not a nation; use {', '.join(NATIONS)}")])
    if nation_texts(content, chain(opts), nation) is None:
        raise InputError([Problem(None, "--nation", f"content/{opts.locale}/nations.yaml has no text for {nation}; "
                                  "write and check it there first (or build in another language)")])


def compose_all(content: Content, styles: Styles, layouts: dict[str, Layout], fonts: FontBook,
                opts: Options, national: dict | None = None) -> Plan:
    """Compose and preflight every selected layout for one content (national or one school's).

    ``national`` (batch builds) keeps, per layout and finish, the documents that
    turned out not to depend on the school: they are the same for every school,
    so later schools reuse them instead of composing and checking them again.
    """
    docs: list[tuple[str, Document]] = []
    problems: list[Problem] = []
    fallback = "en-GB" if opts.fallback_to_english else None
    asked = FINISHES[opts.finish]
    wanted = [n for n in sorted(layouts) if (content.school_id or not layouts[n].needs_school)
              and (not layouts[n].languages or layouts[n].languages[0] == opts.locale)
              and any(f in layouts[n].finishes for f in asked)]
    if not wanted:
        raise InputError([Problem(None, "--layout", "the chosen layouts all need a school profile; add --school")])
    grades: dict[str, float | None] = {}
    for name in wanted:
        lay_chain = list(layouts[name].languages) or chain(opts)
        found, grades[name] = check_readability(layouts[name], content, lay_chain)
        problems.extend(found)
    checked: set[str] = set()
    for finish in finishes(opts):
        for name in wanted:
            if finish.name not in layouts[name].finishes:
                continue
            key = (name, finish, content.nation, opts.locale)
            if national is not None and key in national:
                for doc in national[key]:
                    doc = dataclasses.replace(doc, school=content.school_id)
                    docs.append((output_path(doc), doc))
                continue
            composed = compose(layouts[name], styles, content, fonts, opts.locale, finish,
                               school=content.school_id, fallback=fallback)
            first = name not in checked
            checked.add(name)
            for doc in composed:
                doc.reading_grade = grades[name]
                docs.append((output_path(doc), doc))
                if first:  # the finishes differ only in bleed and marks: check the pages once
                    problems.extend(check_document(doc, content, opts.today, opts.allow_unverified))
            if national is not None and not any(d.uses_school for d in composed):
                national[key] = composed
    errors = list(dict.fromkeys(p for p in problems if not p.warning))
    if errors:
        raise PreflightError(errors)
    warnings = list(dict.fromkeys(p for p in problems if p.warning))
    return Plan(content, styles, {n: layouts[n] for n in wanted}, docs, warnings, [(opts.locale, wanted)])


def write_document(doc: Document, opts: Options) -> bytes:
    """Draw one document; a CMYK print-shop file is then made PDF/X-1a (``pdfx``).

    With ``--rgb`` a print-shop file stays plain PDF: PDF/X-1a is CMYK only, and a
    file must never claim a standard it does not meet.
    """
    from .write_pdf import render

    data = render(doc, rgb=opts.rgb, creator=f"cseprint {__version__}")
    if doc.finish == "print-shop" and not opts.rgb:
        from .pdfx import make_pdfx

        data = make_pdfx(data, doc)
    return data


def render_all(p: Plan, opts: Options, progress: Callable[[str], None] | None = None) -> list[Output]:
    from .verify import verify

    outputs: list[Output] = []
    failures: list[str] = []
    for path, doc in p.docs:
        if progress:
            progress(path)
        data = write_document(doc, opts)
        failures.extend(verify(doc, data, rgb=opts.rgb))
        outputs.append(Output(path, doc, data))
    if failures:
        raise VerifyError(failures)
    return outputs


def web_copies(p: Plan, opts: Options) -> dict[str, bytes]:
    """One accessible HTML page per layout (see write_html), beside the PDFs."""
    from .write_html import render_html

    files = {}
    for locale, names in p.runs:  # a bilingual school's leaflet is made in Welsh and in English
        o = dataclasses.replace(opts, locale=locale)
        for name in sorted(names):
            parts = scope_prefix(p.content.school_id, p.content.nation)
            if locale != "en-GB":
                parts.append(locale)
            path = "/".join([*parts, "web", f"{name}.html"])
            files[path] = render_html(p.layouts[name], p.styles, p.content, chain(o)).encode("utf-8")
    return files


def previews(p: Plan, outputs: list[Output], report: dict | None = None) -> dict[str, bytes]:
    """PNG pages of every output and ``previews/index.html``, as {relative path: bytes}.

    With a reprint list, each file to reprint also gets its changed pages with the
    changed boxes outlined (``-pN-changes.png``), shown first on the contact sheet.
    """
    from .preview import REPRINT_HEADING, contact_sheet, render_outlined, render_pngs

    files: dict[str, bytes] = {}
    entries = []
    first = []
    by_path = {o.path: o for o in outputs}
    for r in report["reprint"] if report else ():
        o = by_path.get(r["path"])
        if o is None:
            continue
        pages: dict[int, set[str]] = {}
        for c in r["changes"]:
            pages.setdefault(c["page"], set()).add(c["box"])
        if not r["changes"]:  # no record to compare with: every page, nothing outlined
            pages = {n: set() for n in range(1, len(o.doc.pages) + 1)}
        pngs = []
        for n, boxes in sorted(pages.items()):
            rel = f"{o.path.removesuffix('.pdf')}-p{n}-changes.png"
            files[f"previews/{rel}"] = render_outlined(o.data, n - 1, changes.outline_rects(o.doc, n, boxes))
            pngs.append(rel)
        what = "; ".join(f"page {n}: {', '.join(sorted(b))}" for n, b in sorted(pages.items()) if b) or "by eye"
        first.append((o.path, f"to reprint, changed boxes outlined ({what})", pngs))
    for o in sorted(outputs, key=lambda o: o.path):
        stem = o.path.removesuffix(".pdf")
        pngs = []
        for i, png in enumerate(render_pngs(o.data)):
            rel = f"{stem}-p{i + 1}.png"
            files[f"previews/{rel}"] = png
            pngs.append(rel)
        d = o.doc
        entries.append((o.path, f"{d.layout} ({d.variant}, {d.finish}, {d.locale})", pngs))
    title = f"Preview of the build: content edition {p.content.edition.version} ({p.content.edition.date})"
    groups = [(REPRINT_HEADING, first), ("Every file", entries)] if first else None
    files["previews/index.html"] = contact_sheet(entries, title, groups).encode("utf-8")
    return files


@functools.lru_cache(maxsize=1024)
def _picture(path: str, mtime_ns: int, size: int) -> str:
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        digest = "unreadable"
    return f"{Path(path).name} ({digest})"


def picture_id(path: str) -> str:
    """A photo or logo in the reprint record: its name and a fingerprint of its bytes, so a new
    photo saved under the old name still counts as a change (and the folder's place does not)."""
    try:
        st = os.stat(path)
    except OSError:
        return f"{Path(path).name} (missing)"
    return _picture(path, st.st_mtime_ns, st.st_size)


def run_width(doc: Document) -> Callable[[Run], float]:
    """A run's width in points, from its font's advances (loaded once per process by compose)."""
    return lambda r: load_face(doc.fonts[r.font]).width(r.text, r.size)


def file_entry(o: Output, content: Content, opts: Options, store: changes.Store | None = None,
               edition_names: frozenset[str] = frozenset()) -> dict:
    """One file's line in the manifest (single builds and batches alike). With ``store`` (the
    manifest's shared tables), the record of its boxes' text, for the next build's reprint list."""
    d = o.doc
    record = {"record": store.add(changes.record(d, edition_names, picture_id, run_width(d)))} if store else {}
    return {
        "path": o.path, "layout": d.layout, "locale": d.locale, "nation": d.nation, "audience": d.audience,
        "school": d.school, "reading_grade": d.reading_grade,
        "pages": len(d.pages), "sha256": o.sha256, "variant": d.variant, "finish": d.finish,
        "colour": "rgb" if opts.rgb else "cmyk",
        "trim_mm": [round(d.pages[0].trim.w * 25.4 / 72, 2), round(d.pages[0].trim.h * 25.4 / 72, 2)],
        "contacts": sorted(d.contacts),
        "unverified_contacts": unverified_contacts(d, content, opts.today),
        "unverified_facts": unverified_facts(d, content, opts.today),
        "english_fallback_keys": d.fell_back,
        "content_version": content.edition.version,
        "content_date": content.edition.date.isoformat(),
        **record,
        "fit": d.fit,  # the arrangement chosen for each box (or page) that declares alternatives
    }


def manifest(p: Plan, outputs: list[Output], opts: Options) -> dict:
    unverified = sorted({c for o in outputs for c in unverified_contacts(o.doc, p.content, opts.today)})
    store = changes.Store()
    eds = changes.edition_boxes(o.doc for o in outputs)
    files = [file_entry(o, p.content, opts, store, eds.get(o.doc.layout, frozenset()))
             for o in sorted(outputs, key=lambda o: o.path)]
    return {
        "generator": {"name": "cseprint", "version": __version__},
        "content": {"version": p.content.edition.version, "date": p.content.edition.date.isoformat()},
        "locale": p.locales[0] if p.runs else opts.locale,
        "nation": p.content.nation,
        "school": p.content.school_id,
        "translation_reviewed": all(p.content.locale_info[loc].reviewed for loc in p.locales or [opts.locale]),
        "unverified_contacts": unverified,
        "files": files,
        **store.tables(),
    }


def planned_records(p: Plan) -> dict:
    """The reprint records of a plan's documents, composed but not rendered: a manifest of just
    ``files`` (path, layout, school, record) and the two tables. Enough for ``changes.compare``,
    so a web form can say what will change on a school's posters before it makes the PDFs."""
    store = changes.Store()
    eds = changes.edition_boxes(d for _, d in p.docs)
    files = []
    for path, d in sorted(p.docs, key=lambda pd: pd[0]):
        rid = store.add(changes.record(d, eds.get(d.layout, frozenset()), picture_id, run_width(d)))
        files.append({"path": path, "layout": d.layout, "locale": d.locale, "nation": d.nation, "school": d.school,
                      "variant": d.variant, "finish": d.finish, "content_version": p.content.edition.version,
                      "content_date": p.content.edition.date.isoformat(), "record": rid})
    return {"files": files, **store.tables()}


@dataclass
class Built:
    """Everything one build makes, in memory: the CLI writes it into the output folder,
    the web app packs it into a zip. Neither runs a pipeline of its own."""

    plan: Plan
    outputs: list[Output]
    extra: dict[str, bytes]  # web copies and previews, by relative path
    manifest: dict
    changes: dict | None = None  # the reprint list, when there was an earlier build to compare with
    meta: dict[str, bytes] = field(default_factory=dict)  # changes.json and changes.md: they go with the manifest

    @property
    def files(self) -> dict[str, bytes]:
        return {o.path: o.data for o in self.outputs} | self.extra


def build_files(opts: Options, *, with_previews: bool = False,
                progress: Callable[[str], None] | None = None, p: Plan | None = None,
                previous: dict | None = None) -> Built:
    """Check, render and verify every document of ``opts`` (or of a plan already made), and make
    the web copies, the previews if asked, and the manifest. Writes nothing.

    ``previous``: the manifest of the build these files replace (``{}`` for none: an empty
    folder). With it, the reprint list is made (``changes.json``, ``changes.md``), and the
    previews outline what changed.
    """
    p = p or plan(opts)
    outputs = render_all(p, opts, progress)
    web = web_copies(p, opts)
    man = manifest(p, outputs, opts)
    owns = claim(opts, [p.content.school_id], p.content.nation)  # a partial build leaves the rest of its scope
    report = changes.compare(previous, man, partial=not owns.full) if previous is not None else None
    pngs = previews(p, outputs, report) if with_previews else {}
    man["web"] = sorted(web)
    man["previews"] = sorted(pngs)
    for table in (changes.RECORDS, changes.TEXTS):  # the long tables last, after what a person reads
        man[table] = man.pop(table)
    meta = {} if report is None else {changes.CHANGES_JSON: changes.to_json(report).encode("utf-8"),
                                      changes.CHANGES_MD: changes.to_markdown(report).encode("utf-8")}
    return Built(p, outputs, web | pngs, man, report, meta)


ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so packs are reproducible


def pack_zip(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` ({path inside the zip: bytes}), byte-for-byte reproducible.

    PDFs are stored as they are: their streams are compressed already, so deflating
    them again saves under 10% on an office file and nothing on a print-shop file
    (its 0.77 MB colour profile is compressed), at 40 ms for each print-shop file.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if path.endswith(".pdf") else zipfile.ZIP_DEFLATED
            z.writestr(info, files[path])
    return buf.getvalue()


def claim(opts: Options, schools: list[str | None], nation: str | None = None,
          owns: dict[str | None, list[str]] | None = None) -> Claim:
    """What a build owns in the output folder: the scope ``(school or None, nation, locale)`` of each
    school it built (or of the national build), and whether it made the whole of them.

    A full build (every layout, both finishes) or ``--clean`` removes what an earlier build
    left in its scopes and this one did not make; a partial one replaces only what it made
    (see outfolder). A school's nation does not change what it owns. ``owns``: the languages
    each school owns (a profile that says its language owns all of them), else ``--locale``.
    """
    full = opts.clean or (opts.names is None and opts.finish == "both")
    return Claim(frozenset((s, nation or "england", loc) for s in schools
                           for loc in ((owns or {}).get(s) or [opts.locale])), full)


def previous_manifest(out: Path) -> dict:
    """What the output folder's last builds printed, for the reprint list ({} for an empty or new
    folder). A folder that is not ours reads as empty here: the commit refuses it, saying why."""
    try:
        return read_manifest(out)
    except OutputError:
        return {}


def load_manifest(out: Path) -> dict:
    """An output folder's manifest, for ``diff``: InputError naming the file if it is missing,
    not JSON or not a manifest (a build forgives all three: it compares with nothing)."""
    path = out / MANIFEST
    if not out.is_dir():
        raise InputError([Problem(Location(str(out)), "", "no such folder")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([Problem(Location(str(path)), "", "not found: is this an output folder of "
                                  "'generate.py build'?")]) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(Location(str(path), exc.lineno, exc.colno), "", f"not valid JSON: {exc.msg}")]) \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(Location(str(path)), "", f"cannot be read: {exc}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise InputError([Problem(Location(str(path)), "files", "not a manifest of 'generate.py build' "
                                  "(it has no list of files)")])
    return data


def inputs(opts: Options) -> dict[str, Path]:
    """The folders a build reads: nothing may be written inside them."""
    return {"content": opts.content, "layouts": opts.layouts, "fonts": opts.fonts}


def contact_sheet(man: dict) -> dict[str, bytes | None]:
    """``previews/index.html`` made from the whole output folder's manifest, as the commit is made.

    A build replaces only its own scope, so the previews of other builds kept
    in the folder (another school, the Welsh edition) stay; the contact sheet
    lists them all, not just the last build's. Without any preview left, the
    sheet goes (None). The commit calls this with the merged manifest and stages
    the sheet with everything else, so the folder and its manifest always agree.
    """
    from .preview import contact_sheet as page
    from .preview import sheet_entries

    index = "previews/index.html"
    groups = sheet_entries(man)
    listed = [p for p in man.get("previews") or [] if p != index]
    if not groups:
        man["previews"] = listed
        return {index: None}
    man["previews"] = sorted([*listed, index])
    return {index: page([], "Previews of everything in this folder", groups).encode("utf-8")}
