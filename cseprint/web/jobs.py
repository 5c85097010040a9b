"""What the web app's worker processes do with one form: check it, build it, pack it.

Every POST becomes one ``Job``, run in a process of a pool bounded by the cores
(see ``app.Pool``): decoding photos and building PDFs is CPU work, and a
process per core keeps one school's build from slowing the page of another.

A build here is the CLI's build: the form becomes the profile mapping a
spreadsheet row becomes (``form.to_profile``), ``schools.build_school`` checks
it, ``build.build_files`` makes every file in memory and ``build.pack_zip``
packs them. Nothing is composed, checked, rendered or verified here.

Stateless: the only files are the cleaned photos, written to a scratch folder
made for this job (the build reads photos from files) and removed when the
job ends, whatever happens. Nothing is written into an output folder.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import logging
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import changes
from ..errors import InputError, Problem, VerifyError
from ..load import MAX_FILE_BYTES, load_yaml_text
from ..schema import Checker
from ..schools import MAX_DEPUTIES, MAX_IMAGE_BYTES
from . import form as F
from . import reprint
from .images import ImageRejected, clean_image

log = logging.getLogger("cseprint.web")

PREVIEW_LAYOUT = "who-to-tell-a4"
WARM_LAYOUT = "poster-a4"  # built once by each worker as it starts (see init_worker)
PROFILE_DIR = "profile"  # inside the pack: profile/schools/<id>.yaml and its photos, as in content/
MAX_ZIP_MEMBERS = 500


@dataclass(frozen=True)
class Settings:
    """What every job needs to know, fixed when the server starts (picklable, for the worker processes)."""

    content: Path
    layouts: Path
    fonts: Path
    today: dt.date | None = None  # None: the real date of each request (tests fix it)
    scratch: Path | None = None  # where a job's photos live while it runs (None: the system's temp folder)


@dataclass
class Job:
    """One POST, as the web process read it (raw bytes only: all decoding happens in the worker)."""

    action: str  # build | preview | edit | load
    values: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)  # column -> a newly chosen file
    oversize: dict[str, int] = field(default_factory=dict)  # column -> size of a file refused unread
    kept: dict[str, str] = field(default_factory=dict)  # column -> base64 of an image the form carried
    deputies: list[int] = field(default_factory=list)
    finish: str = "both"
    edit: str = ""  # "add" or "remove:N"
    profile: bytes | None = None  # a saved profile (YAML) or last year's pack (zip), for "load"
    profile_name: str = "profile"
    printed: str = ""  # what the loaded pack printed (reprint.carry), carried in the form


@dataclass
class Reply:
    status: int
    entry: F.Entry
    shown: list[F.Shown] = field(default_factory=list)
    body: bytes | None = None
    media_type: str | None = None
    filename: str | None = None
    notice: str | None = None
    seconds: float = 0.0
    changes: list[str] | None = None  # what will change on the posters, said on the page (see reprint)
    printed: str = ""  # the hidden field that carries what the loaded pack printed


def init_worker(settings: Settings) -> None:
    """Each worker process, before its first job: leave Ctrl+C to the server (which stops the pool), and
    build one national poster in memory, so the first school does not pay for what every build shares
    (imports, fonts read into reportlab, the PDF reader and QR decoder started): about 1 s of CPU."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..build import Options, build_files

    try:
        build_files(Options(content=settings.content, layouts=settings.layouts, fonts=settings.fonts,
                            names=[WARM_LAYOUT], finish="office", today=settings.today or dt.date.today()))
    except Exception:  # noqa: BLE001 - only a head start: a real request reports any problem properly
        log.warning("the warm-up build failed; the first school's build will say why")


def warm() -> bool:
    """A no-op job: sent once per worker at start, so every worker is up before the first school."""
    return True


def run(settings: Settings, job: Job) -> Reply:
    """Do one job; never raises for a user's mistake (those are in ``Reply.shown``)."""
    start = time.perf_counter()
    reply = _run(settings, job)
    reply.seconds = time.perf_counter() - start
    return reply


def _run(settings: Settings, job: Job) -> Reply:
    entry = F.Entry({k: v for k, v in job.values.items() if k in F.TEXT_FIELDS},
                    {}, job.deputies or list(range(1, F.DEFAULT_DEPUTIES + 1)),
                    job.finish if job.finish in dict(F.FINISHES) else "both")
    shown: list[F.Shown] = []
    too_large = False
    for column, size in job.oversize.items():
        shown.append(F.Shown(column, f"The file is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} (8 MB). "
                                     "Choose a smaller photo."))
        too_large = True
    for column in F.IMAGE_FIELDS:
        data = job.uploads.get(column)
        carried = job.kept.get(column)
        if data is None and carried:
            try:
                data = base64.b64decode(carried, validate=True)
            except (binascii.Error, ValueError):
                shown.append(F.Shown(column, "The photo kept from before could not be read; choose it again."))
                continue
        if data is None:
            continue
        try:
            entry.images[column] = clean_image(data)
        except ImageRejected as exc:
            shown.append(F.Shown(column, exc.message[:1].upper() + exc.message[1:] + "."))
            too_large = too_large or exc.too_large
    if job.action == "load":
        return _load(settings, job, shown)
    printed = reprint.carried(job.printed)
    if job.action == "edit":
        reply = _edit(entry, job.edit, shown)
    else:
        reply = _build(settings, job.action, entry, shown, too_large, printed)
    reply.printed = reprint.carry(printed) if printed else ""
    return reply


def _edit(entry: F.Entry, edit: str, shown: list[F.Shown]) -> Reply:
    """Add or remove a deputy's boxes (the page's own buttons; script does the same without a round trip)."""
    notice = None
    if edit == "add":
        if len(entry.deputies) < MAX_DEPUTIES:
            entry.deputies.append(max(entry.deputies, default=0) + 1)
            notice = f"Added boxes for deputy {len(entry.deputies)}."
        else:
            notice = f"The form holds {MAX_DEPUTIES} deputies at most."
    elif edit.startswith("remove:") and edit[7:].isdigit() and int(edit[7:]) in entry.deputies:
        entry.deputies.remove(int(edit[7:]))
        notice = f"Removed deputy {edit[7:]}."
    entry = entry.renumbered()
    return Reply(200, entry, [s for s in shown if s.field is None or s.field in F.FIELDS], notice=notice)


def _school(entry: F.Entry, scratch: Path, ck: Checker):
    """The form as a checked School (None if it is not one), its photos written into ``scratch``."""
    from ..schools import build_school

    names = {}
    for column, image in entry.images.items():
        names[column] = f"{column}.{image.ext}"
        (scratch / names[column]).write_bytes(image.data)
    raw = F.to_profile(entry, names)
    return build_school(raw, raw.loc, F.default_id(entry.value("name")), scratch, ck)


def _build(settings: Settings, action: str, entry: F.Entry, shown: list[F.Shown], too_large: bool,
           printed: dict | None = None) -> Reply:
    from ..build import Options, build_files, pack_zip

    scratch = Path(tempfile.mkdtemp(prefix="cseprint-web-", dir=settings.scratch))
    try:
        ck = Checker()
        school = _school(entry, scratch, ck)
        shown = shown + F.place(ck.errors, entry)
        if shown or school is None:  # with the problems, the notes (a restored leading 0...) beside their boxes
            notes = [n for n in F.place(ck.warnings, entry) if n.field]
            return Reply(413 if too_large else 400, entry,
                         (shown or [F.Shown(None, "This is not a school profile.")]) + notes)
        today = settings.today or dt.date.today()
        opts = Options(content=settings.content, layouts=settings.layouts, fonts=settings.fonts, school=school,
                       finish="office" if action == "preview" else entry.finish, today=today,
                       names=[PREVIEW_LAYOUT] if action == "preview" else None)
        try:
            built = build_files(opts, with_previews=action == "preview")
        except VerifyError as exc:
            log.error("a bug: %d written file(s) did not read back as composed", len(exc.problems))  # no names
            return Reply(500, entry, [F.Shown(None, "The generator could not check its own output. This is a bug: "
                                                    "nothing was made. Please tell whoever runs this site.")])
        except InputError as exc:
            return Reply(400, entry, _build_problems(exc.problems, entry))
        if action == "preview":
            png = next(path for path in built.manifest["previews"] if path.endswith(f"{PREVIEW_LAYOUT}-p1.png"))
            return Reply(200, entry, body=built.files[png], media_type="image/png")
        files = {path.split("/", 1)[1]: data for path, data in built.files.items()
                 if path.startswith(f"{school.id}/")}
        files.update(saved_profile(entry, school.id, today))
        files[f"{PROFILE_DIR}/{reprint.PRINTED}"] = reprint.record_bytes(built.manifest, school.id)
        if printed is not None:  # the pack loaded before: this pack's own reprint list against it
            report = reprint.compared(printed, built.manifest, school.id)
            files[changes.CHANGES_JSON] = changes.to_json(report).encode("utf-8")
            files[changes.CHANGES_MD] = changes.to_markdown(report, f"What to reprint: {school.name}").encode("utf-8")
        return Reply(200, entry, body=pack_zip(files), media_type="application/zip", filename=f"{school.id}.zip")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        forget_photos()


def forget_photos() -> None:
    """Drop every photo the build decoded: the PDF writer keeps them per process (photos.CACHE) so a batch
    decodes each once, but a worker serving many schools must not hold one school's faces for the next."""
    from .. import photos

    photos.CACHE = photos.Cache(photos.CACHE.limit)


def _build_problems(problems: list[Problem], entry: F.Entry) -> list[F.Shown]:
    """Problems found after the profile passed (a team too large for a poster, an overdue contact): said plainly,
    beside a box where the key names one."""
    out = F.place([p for p in problems if not p.warning], entry)
    if any(s.field is None and "does not fit" in s.message for s in out):
        out.insert(0, F.Shown(None, "Something you entered does not fit on a poster. Shorten the longest names, job "
                                    "titles or places, or enter fewer deputies."))
    return out


def saved_profile(entry: F.Entry, school_id: str, today: dt.date) -> dict[str, bytes]:
    """The profile as a file next year's form (or the CLI) can read, with its photos beside it."""
    paths = {}
    files = {}
    for column, image in sorted(entry.images.items()):
        if column == "logo":
            rel = f"schools/{school_id}-logo.{image.ext}"
        else:
            rel = f"schools/photos/{school_id}-{column.removesuffix('_photo')}.{image.ext}"
        paths[column] = rel
        files[f"{PROFILE_DIR}/{rel}"] = image.data
    text = F.profile_yaml(entry, school_id, paths, today)
    files[f"{PROFILE_DIR}/schools/{school_id}.yaml"] = text.encode("utf-8")
    return files


def _what_will_change(settings: Settings, entry: F.Entry, printed: dict) -> list[str]:
    """What the loaded answers make today against what the loaded pack printed, composed but not
    rendered (about a second): the page says it before anything is made."""
    from ..build import Options, plan, planned_records

    scratch = Path(tempfile.mkdtemp(prefix="cseprint-web-", dir=settings.scratch))
    try:
        ck = Checker()
        school = _school(entry, scratch, ck)
        if school is None or ck.errors:
            return []
        opts = Options(content=settings.content, layouts=settings.layouts, fonts=settings.fonts, school=school,
                       finish=reprint.finish_of(printed, entry.finish), today=settings.today or dt.date.today())
        try:
            planned = planned_records(plan(opts))
        except InputError:  # a problem the form shows when the pack is made; nothing to compare yet
            return []
        return reprint.said(reprint.compared(printed, planned, school.id))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        forget_photos()


def _load(settings: Settings, job: Job, shown: list[F.Shown]) -> Reply:
    """Fill the form in from a saved profile: its YAML alone, or last year's whole pack (then the photos too)."""
    data = job.profile or b""
    name = job.profile_name
    members: dict[str, zipfile.ZipInfo] = {}
    zf = None
    if not data:
        return Reply(400, F.Entry(), [F.Shown("profile", "Choose the saved profile first: the .yaml file from last "
                                                         "year's pack, or the whole zip.")])
    if data.startswith(b"PK\x03\x04"):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return Reply(400, F.Entry(), [F.Shown("profile", f"{name} is not a zip file that can be read.")])
        if len(infos) > MAX_ZIP_MEMBERS:
            return Reply(400, F.Entry(), [F.Shown("profile", f"{name} holds {len(infos):,} files; a pack holds far "
                                                             "fewer. Choose the pack this form made.")])
        members = {i.filename: i for i in infos if not i.is_dir()}
        yamls = sorted(n for n in members if n.endswith((".yaml", ".yml")) and n.startswith(f"{PROFILE_DIR}/"))
        yamls = yamls or sorted(n for n in members if n.endswith((".yaml", ".yml")))
        if len(yamls) != 1:
            return Reply(400, F.Entry(), [F.Shown("profile", f"{name} holds {len(yamls)} profiles (.yaml files); "
                                                             "choose a pack with exactly one, or the .yaml file itself.")])
        name = f"{name}:{yamls[0]}"
        data = _read_member(zf, members[yamls[0]], MAX_FILE_BYTES)
        if data is None:
            return Reply(400, F.Entry(), [F.Shown("profile", f"{name} is larger than a profile can be.")])
    if len(data) > MAX_FILE_BYTES:
        return Reply(400, F.Entry(), [F.Shown("profile", f"{name} is {len(data):,} bytes; a profile is at most "
                                                         f"{MAX_FILE_BYTES:,}.")])
    try:
        raw = load_yaml_text(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        return Reply(400, F.Entry(), [F.Shown("profile", f"{name} is not a text file saved as UTF-8; choose the "
                                                         ".yaml file from last year's pack.")])
    except InputError as exc:
        return Reply(400, F.Entry(), [F.Shown("profile", str(p)) for p in exc.problems])
    loaded = F.from_profile(raw, name)
    entry, problems = loaded.entry, list(loaded.problems)
    missing = []
    for column in (c for c in F.IMAGE_FIELDS if c in loaded.photos):  # in the form's order
        rel = loaded.photos[column]
        info = None
        if zf is not None:
            for candidate in (f"{PROFILE_DIR}/{rel}", rel):
                if _plain_member(candidate) and candidate in members:
                    info = members[candidate]
                    break
        image = _read_member(zf, info, MAX_IMAGE_BYTES) if zf is not None and info is not None else None
        if image is None:
            missing.append(whose(column))
            continue
        try:
            entry.images[column] = clean_image(image)
        except ImageRejected as exc:
            problems.append(F.Shown(column, f"The saved photo {rel}: {exc.message}."))
    notice = f"Loaded {name}. Check every entry (people move on), then make this year's pack."
    if missing:
        notice += (" The profile names photos this file does not hold (" + ", ".join(missing) + "): choose them "
                   "again, or load last year's whole zip.")
    if any(p.field == "profile" for p in problems):
        return Reply(400, F.Entry(), problems)
    printed = None
    if zf is not None and f"{PROFILE_DIR}/{reprint.PRINTED}" in members:
        info = members[f"{PROFILE_DIR}/{reprint.PRINTED}"]
        printed = reprint.read_record(_read_member(zf, info, reprint.MAX_PRINTED_BYTES))
    status = 400 if any(p.field for p in problems) else 200
    reply = Reply(status, entry, shown + problems, notice=notice)
    if printed is not None:
        reply.printed = reprint.carry(printed)
        reply.changes = _what_will_change(settings, entry, printed) if status == 200 else []
    return reply


def whose(column: str) -> str:
    """'the school logo', "the safeguarding lead's photo", "deputy 2's photo": an image box in words."""
    if column == "logo":
        return "the school logo"
    if column == "dsl_photo":
        return "the safeguarding lead's photo"
    return f"deputy {column.removeprefix('deputy').removesuffix('_photo')}'s photo"


def _plain_member(name: str) -> bool:
    """A zip member name that is a plain relative path (it is only looked up, never opened as a path)."""
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and "\\" not in name


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """A zip member's bytes, or None if it claims or turns out to be larger than ``limit`` (a zip bomb stops here)."""
    if info.file_size > limit:
        return None
    try:
        with zf.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return data if len(data) <= limit else None


__all__ = ["Job", "Reply", "Settings", "init_worker", "run", "warm"]
