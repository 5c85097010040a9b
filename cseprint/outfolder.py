"""The output folder: staged writes, one journalled commit, recovery, and what each build owns.

The design (the README's "Reliability" says what it guarantees):

* A build writes every file into a staging folder inside the output folder
  (``OUT/.cseprint-stage-*``: the same file system, so a move is a rename).
  Nothing outside it changes while the build works.
* The commit writes a journal, ``OUT/.cseprint-commit.json``: every staged file
  to move into place with its sha256, every stale file to remove, and the
  manifest last. The journal appears by one rename, after the staged data is
  flushed to disk: that rename is the commit point. Then the moves and
  removals are made, and the journal is deleted.
* Every build first calls ``recover``: a journal left by a commit that was cut
  short is completed (every step is idempotent, so a recovery cut short is
  completed by the next), and staging folders without a journal, left by builds
  killed before their commit point, are removed.
* So after a kill at any instant and the next run's recovery, the folder holds
  the old build or the new one, and agrees with its manifest.
* Locks (``flock``): the output folder while a commit, a recovery or a staging
  folder's creation runs; each staging folder for as long as its build lives
  (its worker processes inherit the lock), so a recovery never removes a
  staging folder that a live build is filling.
* Ownership: only files listed in our own manifest (generator name and marker)
  are ever replaced or removed. Another tool's manifest, or a file of the user's
  where a build would write, stops the build with a sentence saying so.
* Scope: a build owns ``(school or None, nation, locale)``. A full build (every
  layout and finish) removes the files of its scope it did not make; a partial
  one (``--layout``, one ``--finish``) replaces only what it made; ``--clean``
  makes a partial build remove like a full one. Every removal is reported.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; see _lock
    fcntl = None  # type: ignore[assignment]

from . import changes
from .errors import OutputError
from .faults import fault
from .load import display_name

NAME = "cseprint"
MARKER = "cseprint-output-folder-1"  # in the manifest's "generator": this folder is ours
MANIFEST = "manifest.json"
JOURNAL = ".cseprint-commit.json"
STAGE_PREFIX = ".cseprint-stage-"
STAGE_MARK = ".cseprint-stage"  # inside each staging folder: ours to remove when stale
LIST_KEYS = ("files", "web", "previews", "packs")  # the manifest's lists of paths
OTHER_NATIONS = ("wales", "scotland", "northern-ireland")  # England's files sit at the top
NATIONS = ("england", *OTHER_NATIONS)
LOCALE_RE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")
PREVIEW_INDEX = "previews/index.html"
FOLDERS = ("print-shop", "web")  # folders of a build's own ("web" is no language, though it looks like a code)
LOCK_WAIT = 60.0  # seconds to wait for another build's commit before giving up

Scope = tuple  # (school id or None, nation, locale); a school's pack has locale "*": all of them
Unit = tuple  # (layout, finish) of a PDF and its previews; ("web", layout); ("pack",)


def out_problem(out: Path, inputs: dict[str, Path]) -> str | None:
    """Why ``out`` cannot be an output folder (a file; inside an input folder), or None.

    ``inputs`` names the folders a build reads ({"content": path, ...}): an output
    inside one of them would be read back as input by every later build.
    """
    if out.exists() and not out.is_dir():
        return f"--out {display_name(out)} is a file, not a folder; give a folder (it is made if missing)"
    where = out.resolve()
    for what, folder in inputs.items():
        f = folder.resolve()
        if where == f or where.is_relative_to(f):
            return (f"--out {display_name(out)} is inside the {what} folder {display_name(folder)}/, which every "
                    f"build reads; write the output elsewhere, e.g. --out output")
    return None


# --- where a path belongs ---------------------------------------------------------------------

def parse(path: str) -> tuple[Scope, Unit]:
    """(scope, unit) of a path this generator writes, read from where it lies::

        [<school>/ | <nation>/][<locale>/][print-shop/]NAME.pdf    [...]/web/NAME.html
        previews/<a PDF's path without .pdf>-pN.png                packs/[print-shop/]<school>.zip

    Unambiguous because school ids are never nation names, locale codes
    (two or three letters), ``print-shop``, ``web``, ``previews`` or ``packs``.
    """
    parts = path.split("/")
    if parts[0] == "packs" and len(parts) == 2:
        return (parts[1].removesuffix(".zip"), "england", "*"), ("pack",)
    if parts[0] == "packs" and len(parts) == 3 and parts[1] == "print-shop":
        return (parts[2].removesuffix(".zip"), "england", "*"), ("pack", "print-shop")
    preview = parts[0] == "previews"
    if preview:
        parts = parts[1:]
    school, nation = None, "england"
    if len(parts) > 1 and parts[0] in OTHER_NATIONS:
        nation = parts.pop(0)
    elif len(parts) > 1 and parts[0] not in FOLDERS and not LOCALE_RE.fullmatch(parts[0]):
        school = parts.pop(0)
    locale = "en-GB"
    if len(parts) > 1 and parts[0] not in FOLDERS and LOCALE_RE.fullmatch(parts[0]):
        locale = parts.pop(0)
    stem = parts[-1].rsplit(".", 1)[0]
    if len(parts) > 1 and parts[0] == "web":
        return (school, nation, locale), ("web", stem)
    finish = "print-shop" if len(parts) > 1 and parts[0] == "print-shop" else "office"
    if preview:
        stem = re.sub(r"-p\d+$", "", stem)
    return (school, nation, locale), (stem.removesuffix("-sheet"), finish)


def same_scope(claimed: Scope, scope: Scope) -> bool:
    """A school's scope is the school in a language (its nation is its profile's, whatever it was);
    a national scope is a nation in a language; a pack belongs to its school in every language."""
    if claimed[0] != scope[0]:
        return False
    if scope[2] != "*" and claimed[2] != scope[2]:
        return False
    return claimed[0] is not None or claimed[1] == scope[1]


@dataclass(frozen=True)
class Claim:
    """What a build owns: its scopes, and whether it made the whole of each (or was asked to --clean)."""

    scopes: frozenset
    full: bool = False

    def owns(self, scope: Scope) -> bool:
        return any(same_scope(c, scope) for c in self.scopes)


def _described(man: dict) -> list[tuple[str, str, object, Scope, Unit]]:
    """(list key, path, entry, scope, unit) for every path a manifest lists."""
    pdfs: dict[str, tuple[Scope, Unit]] = {}
    out = []
    for entry in man.get("files") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        path = entry["path"]
        scope, unit = parse(path)
        school = entry.get("school") if isinstance(entry.get("school"), str) else None
        nation = entry.get("nation") if entry.get("nation") in NATIONS else "england"  # before issue 9: England
        locale = entry.get("locale") if isinstance(entry.get("locale"), str) else scope[2]
        layout = entry.get("layout") if isinstance(entry.get("layout"), str) else unit[0]
        finish = entry.get("finish") if isinstance(entry.get("finish"), str) else unit[1]
        pdfs[path] = ((school, nation, locale), (layout, finish))
        out.append(("files", path, entry, *pdfs[path]))
    for key in LIST_KEYS[1:]:
        for path in man.get(key) or []:
            if not isinstance(path, str):
                continue
            scope, unit = parse(path)
            if key == "previews":
                pdf = re.sub(r"-p\d+\.png$", ".pdf", path.removeprefix("previews/"))
                scope, unit = pdfs.get(pdf, (scope, unit))
            out.append((key, path, path, scope, unit))
    return out


def listed(man: dict) -> set[str]:
    """Every path a manifest of ours lists: the only files a build may replace or remove."""
    paths = {d[1] for d in _described(man)}
    return paths | {m for m in man.get("meta") or [] if isinstance(m, str)}


# --- reading the folder -------------------------------------------------------------------------

def read_manifest(out: Path) -> dict:
    """The manifest of ``out`` ({} when there is none); OutputError when the file there is not ours."""
    path = out / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise output_error(out, exc) from None
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    gen = data.get("generator") if isinstance(data, dict) else None
    if isinstance(gen, dict) and gen.get("name") == NAME and gen.get("marker") == MARKER:
        return data
    if isinstance(gen, dict) and gen.get("name") == NAME and "marker" not in gen:
        return adopt_unmarked(out, data)
    why = "another program, not this generator"
    raise OutputError(
        f"{display_name(path)} was written by {why}, and a build writes its own manifest.json there. So that "
        f"nothing of yours is lost, nothing was written: move {display_name(out)}/ (or its manifest.json) away, "
        "or choose another --out.")


PATH_LISTS = {"web": re.compile(r"(.+/)?web/[a-z0-9][a-z0-9-]*\.html"),
              "previews": re.compile(r"previews/(.+-p\d+\.png|index\.html)"),
              "packs": re.compile(r"packs/(print-shop/)?[a-z0-9][a-z0-9-]*\.zip")}


def adopt_unmarked(out: Path, data: dict) -> dict:
    """The manifest of a folder our first release (0.1.0) wrote, before folders were marked: keep only
    what can be shown to be ours, so upgrading needs no step and still costs the user nothing.

    A PDF entry is ours when the file there still has the sha256 the manifest recorded (a file the
    user has since replaced is theirs); a web copy, preview or pack when its path is one this
    generator writes and the file is there. Everything else in the folder is left as the user's.
    """
    files = []
    for entry in data.get("files") or []:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not _safe(path) or not path.endswith(".pdf"):
            continue
        try:
            same = hashlib.sha256((out / path).read_bytes()).hexdigest() == entry.get("sha256")
        except OSError:
            same = False
        if same and _inside(out, path):
            files.append(entry)
    adopted = {k: v for k, v in data.items() if k not in (*LIST_KEYS, "meta")}
    adopted["files"] = files
    for key, pattern in PATH_LISTS.items():
        adopted[key] = [p for p in data.get(key) or [] if isinstance(p, str) and _safe(p) and pattern.fullmatch(p)
                        and (out / p).is_file() and _inside(out, p)]
    adopted["generator"] = {**data["generator"], "marker": MARKER}
    return adopted


def _safe(rel: str) -> bool:
    p = Path(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and "\\" not in rel


def output_error(out: Path, exc: OSError, after: str = "Nothing in it was changed.") -> OutputError:
    """A plain sentence for a failed file operation in the output folder."""
    name = display_name(out)
    what = f" ({display_name(Path(exc.filename))})" if exc.filename else ""
    if exc.errno == errno.EROFS:
        why = "the disk is read-only"
        fix = "choose another --out"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
        fix = "free some space, or choose another --out, and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = f"permission denied{what}"
        fix = "choose a folder you may write to"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        why = f"a file is in the way of a folder{what}"
        fix = "move it away, or choose another --out"
    else:
        why = f"{exc.strerror or exc}{what}"
        fix = "check the folder and build again"
    return OutputError(f"cannot write into {name}/: {why}; {fix}. {after}")


# --- locks, signals and flushing ------------------------------------------------------------------

@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock (flock on the folder itself: no lock file to leave behind)."""
    if fcntl is None:  # no advisory locks (Windows): builds into one folder must not run at once
        yield
        return
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError as exc:
        raise output_error(out, exc) from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(f"another build has been writing into {display_name(out)}/ for over "
                                      f"{LOCK_WAIT:.0f} s; let it finish, then build again. Nothing was "
                                      "written.") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _try_hold(folder: Path) -> int | None:
    """Lock ``folder`` and return the descriptor that holds the lock, or None if someone holds it."""
    if fcntl is None:  # without locks a staging folder cannot tell it is alive: all count as left over
        return -1
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


class Interrupted(KeyboardInterrupt):
    """Ctrl-C came during a commit, which was finished first: the build *was* written to ``written``."""

    def __init__(self, written: Path):
        super().__init__()
        self.written = written


@contextmanager
def _shielded(written: Path | None = None) -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block ends, then deliver them.

    A commit that has begun is finished by this process (a few renames)
    rather than left half-done for the next run to complete, so a user who
    presses Ctrl-C is told the truth: Ctrl-C held over a commit that then
    completed raises ``Interrupted`` naming the folder that was written.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    old = {s: signal.signal(s, lambda signum, frame: held.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for s, handler in old.items():
            signal.signal(s, handler)

    try:
        yield
    except BaseException:
        restore()
        raise
    restore()
    if written is not None and signal.SIGINT in held:
        raise Interrupted(written)
    for s in dict.fromkeys(held):
        signal.raise_signal(s)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _flush(folder: Path) -> None:
    """Put everything written so far on the disk of ``folder`` (one syncfs, not one fsync per file:
    a batch stages thousands of files), so the journal never points at data a power cut could lose."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass
    os.sync()


# --- staging ---------------------------------------------------------------------------------------

def write_staged(stage: Path, out: Path, rel: str, data: bytes, same_as: str | None = None) -> str:
    """Write one file into a staging folder (from the build or a batch worker); return its sha256.

    ``same_as``: a file this worker already staged with exactly these bytes. The new one is made a
    hard link to it, so a batch keeps one copy on disk of a national poster that every school's
    folder holds (each print-shop copy carries a 0.8 MB colour profile). Each path stays a file of
    its own to the commit: a later build replaces one by a rename, never by writing into it. Where
    the file system has no hard links, the bytes are written as usual.
    """
    if not _safe(rel):
        raise ValueError(f"not a relative path inside the output: {rel!r}")
    target = stage / rel
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if same_as is not None and _safe(same_as):
            try:
                os.link(stage / same_as, target)
                return hashlib.sha256(data).hexdigest()
            except OSError:
                pass
        target.write_bytes(data)
    except OSError as exc:
        raise output_error(out, exc) from None
    return hashlib.sha256(data).hexdigest()


class Stage:
    """A staging folder inside the output folder, locked for as long as its build (and its workers) live."""

    def __init__(self, out: Path):
        self.out = out
        self.digests: dict[str, str] = {}  # files staged by this process: path -> sha256
        self.journalled = False  # a commit's journal names this folder
        self._fd: int | None = None
        try:
            out.mkdir(parents=True, exist_ok=True)
            with _locked(out):
                self.path = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out))
                (self.path / STAGE_MARK).write_text("cseprint staging folder: the next build removes it if it "
                                                    "is left here\n", encoding="utf-8")
                self._fd = _try_hold(self.path)
        except OSError as exc:
            raise output_error(out, exc) from None

    def write(self, rel: str, data: bytes) -> None:
        self.digests[rel] = write_staged(self.path, self.out, rel, data)

    def close(self) -> None:
        """Remove the folder, unless a commit that failed half-way left its journal pointing here:
        then the folder holds the files the next build's recovery moves into place."""
        if not (self.journalled and (self.out / JOURNAL).exists()):
            shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the commit --------------------------------------------------------------------------------------

@dataclass
class Committed:
    """What a commit did, for the summary."""

    written: list[str]
    removed: list[str]  # stale files of the build's scopes, removed
    kept: list[str] = field(default_factory=list)  # files of its scopes a partial build left as they were
    why: dict[str, str] = field(default_factory=dict)  # removed file -> why, in a few words
    manifest: dict = field(default_factory=dict)  # the folder's manifest as committed


def commit(stage: Stage, files: dict[str, str], man: dict, claim: Claim, meta: dict[str, bytes] | None = None,
           protected: tuple[Path, ...] = (),
           derive: Callable[[dict], dict[str, bytes | None]] | None = None) -> Committed:
    """Move the staged ``files`` ({path: sha256}) into place with ``man`` as the manifest.

    ``meta`` holds top-level files that go with every commit, beside the
    manifest (e.g. ``changes.json``): staged here, placed just before the
    manifest, listed under the manifest's ``meta``. ``derive`` makes files from
    the whole folder's manifest once it is merged (the contact sheet of every
    build's previews): it may edit that manifest, and returns {path: bytes, or
    None to remove the file}. ``protected`` are folders no file may be written
    into (the inputs). Raises OutputError, with nothing changed, if a file in
    the way is not ours.
    """
    out = stage.out
    meta = dict(meta or {})
    with _locked(out), _shielded(written=out):
        prev = read_manifest(out)
        ours = listed(prev)
        why, kept_entries, kept_in_scope = _stale(out, prev, files, man, claim)
        old_meta = [m for m in prev.get("meta") or [] if isinstance(m, str) and _safe(m) and (out / m).is_file()]
        man = _merged(man, kept_entries, [*meta, *old_meta])
        changes.keep_tables(man, prev)  # the reprint records of the files kept from earlier builds stay
        derived = derive(man) if derive else {}
        for rel, data in derived.items():
            if data is None:
                files = {k: v for k, v in files.items() if k != rel}
                if rel in ours and (out / rel).is_file() and _inside(out, rel):
                    why[rel] = "nothing is left for it to show"
        made = {rel: data for rel, data in derived.items() if data is not None}
        problems = [p for rel in [*sorted(files), *sorted(meta), *sorted(made)]
                    if (p := _in_the_way(out, rel, ours, protected))]
        if problems:
            raise OutputError("\n".join(dict.fromkeys(problems)))
        removed = sorted(why)
        for rel, data in [*made.items(), *meta.items(),
                          (MANIFEST, (json.dumps(man, indent=2) + "\n").encode("utf-8"))]:
            files = files | {rel: write_staged(stage.path, out, rel, data)}
        fault("staged")
        ops = ([["place", rel, files[rel]] for rel in sorted(files) if rel not in meta and rel != MANIFEST]
               + [["remove", rel] for rel in removed]
               + [["place", rel, files[rel]] for rel in sorted(meta)] + [["place", MANIFEST, files[MANIFEST]]])
        journal = {"marker": MARKER, "stage": stage.path.name, "ops": ops}
        try:
            _flush(out)
            tmp = stage.path / "journal.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(journal, f)
                f.flush()
                os.fsync(f.fileno())
            fault("journal-written")
            os.replace(tmp, out / JOURNAL)
            stage.journalled = True
            _fsync_dir(out)
        except OSError as exc:
            raise output_error(out, exc) from None
        fault("journal")
        _roll_forward(out, journal, stage.path, "placed")
    return Committed(sorted(f for f in files if f not in meta and f != MANIFEST and f not in made), removed,
                     kept_in_scope, why, man)


def write_atomically(out: Path, files: dict[str, bytes], man: dict, claim: Claim,
                     meta: dict[str, bytes] | None = None, protected: tuple[Path, ...] = (),
                     derive: Callable[[dict], dict[str, bytes | None]] | None = None) -> Committed:
    """Stage ``files`` ({path: bytes}) and commit them (see ``commit``); the staging folder goes either way."""
    with Stage(out) as stage:
        fault("stage-made")
        for rel, data in files.items():
            stage.write(rel, data)
        return commit(stage, stage.digests, man, claim, meta, protected, derive)


def _in_the_way(out: Path, rel: str, ours: set[str], protected: tuple[Path, ...]) -> str | None:
    """Why ``rel`` may not be written into ``out``, or None."""
    if not _safe(rel):
        return f"{rel!r} is not a path inside the output folder"
    dest = out / rel
    folder = out
    for part in Path(rel).parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return (f"{display_name(folder)} is a file or a link where the build needs a folder of its own; move "
                    "it away or choose another --out. Nothing was written.")
    real = dest.parent.resolve() / dest.name
    for p in protected:
        if real.is_relative_to(p.resolve()):
            return (f"the build would write {display_name(dest)} inside {display_name(p)}/, which builds read; "
                    "choose another --out, or another school id. Nothing was written.")
    if (dest.exists() or dest.is_symlink()) and rel not in ours:
        return (f"{display_name(dest)} is in the way: {display_name(out / MANIFEST)} does not list it, so it is not "
                "the generator's to replace. Move it away, or choose another --out. Nothing was written.")
    return None


def _stale(out: Path, prev: dict, files: dict[str, str], man: dict,
           claim: Claim) -> tuple[dict[str, str], dict[str, list], list[str]]:
    """Which files of the previous manifest go (path -> why), stay listed (kept, by list), and which
    of the build's own scopes a partial build left in place."""
    made = {unit for _, _, _, _, unit in _described(man)}
    removed: dict[str, str] = {}
    kept: dict[str, list] = {}
    left: list[str] = []
    for key, path, entry, scope, unit in _described(prev):
        if path in files or not _safe(path):
            continue
        if path == PREVIEW_INDEX:  # the folder's contact sheet: no build's alone (see commit's derive)
            if (out / path).is_file():
                kept.setdefault(key, []).append(entry)
            continue
        if claim.owns(scope) and (claim.full or unit in made):
            if (out / path).is_file() and _inside(out, path):
                if unit not in made:
                    removed[path] = "not made by this build, which made its whole scope (or was run with --clean)"
                elif key == "previews":
                    removed[path] = "a preview of a file this build replaced; --previews makes them again"
                else:
                    removed[path] = "its layout and finish were built again, and no longer make it"
            continue
        if (out / path).is_file():
            kept.setdefault(key, []).append(entry)
            if claim.owns(scope):
                left.append(path)
    return removed, kept, sorted(left)


def _inside(out: Path, rel: str) -> bool:
    """The file's folder, links followed, is inside the output folder (never remove a file elsewhere)."""
    return (out / rel).parent.resolve().is_relative_to(out.resolve())


def _merged(man: dict, kept: dict[str, list], meta: list[str]) -> dict:
    """This build's manifest with the other scopes' entries kept, the marker and the meta files."""
    man = dict(man)
    gen = dict(man.get("generator") or {})
    gen.update(name=NAME, marker=MARKER)
    man["generator"] = gen
    for key, entries in kept.items():
        merged = list(man.get(key) or []) + entries
        man[key] = sorted(merged, key=lambda e: e["path"] if isinstance(e, dict) else e)
    if meta:
        man["meta"] = sorted(set(meta))
    return man


def _roll_forward(out: Path, journal: dict, stage: Path, point: str) -> int:
    """Do the journal's moves and removals that are not done yet; delete the journal. Idempotent.
    Returns how many steps there were still to do."""
    done = 0
    touched = {out}
    try:
        for op in journal["ops"]:
            dest = out / op[1]
            if op[0] == "place":
                src = stage / op[1]
                if src.exists():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(src, dest)
                    touched.add(dest.parent)
                    done += 1
                    fault(point)
                    if op[1] == MANIFEST:
                        fault("manifest")
                elif not _holds(dest, op[2]):
                    raise OutputError(
                        f"cannot complete the interrupted update of {display_name(out)}/: {op[1]} is neither in "
                        f"the staging folder {stage.name} nor in place; something else changed the folder. "
                        f"Remove {display_name(out / JOURNAL)} and build again (a full build).")
            elif dest.is_file() or dest.is_symlink():
                dest.unlink()
                touched.add(dest.parent)
                done += 1
                fault("removed")
                _prune(dest.parent, out)
        for folder in touched:
            _fsync_dir(folder)
        (out / JOURNAL).unlink()
        _fsync_dir(out)
    except OSError as exc:
        raise output_error(out, exc, f"The update is recorded in {display_name(out / JOURNAL)}; the next build "
                                     "completes it.") from None
    fault("journal-removed")
    return done


def _holds(path: Path, sha: str) -> bool:
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        return False


def _prune(folder: Path, out: Path) -> None:
    """Remove folders that removing a stale file left empty, up to the output folder."""
    while folder != out and folder.is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


# --- recovery ------------------------------------------------------------------------------------------

@dataclass
class Recovered:
    """What ``recover`` found and did."""

    interrupted: bool = False  # it found a commit that was cut short, and completed it
    completed: int = 0  # how many of that commit's moves and removals were still to do
    stages: int = 0  # staging folders of killed builds it removed


def recover(out: Path) -> Recovered:
    """Complete a commit that was cut short and remove staging folders of killed builds.

    Every build calls this before anything else, so a kill at any instant
    leaves, once the next build starts, the old build or the new one.
    """
    got = Recovered()
    if not out.is_dir():
        return got
    try:
        with _locked(out), _shielded():
            journal_path = out / JOURNAL
            if journal_path.exists():
                journal = _read_journal(out, journal_path)
                stage = out / journal["stage"]
                got.interrupted = True
                got.completed = _roll_forward(out, journal, stage, "recover-placed")
                shutil.rmtree(stage, ignore_errors=True)
                got.stages += 1
            for entry in sorted(out.iterdir()):
                if not entry.name.startswith(STAGE_PREFIX) or entry.is_symlink() or not entry.is_dir():
                    continue
                if not (entry / STAGE_MARK).is_file() and any(entry.iterdir()):
                    continue  # not a staging folder of ours
                fd = _try_hold(entry)
                if fd is None:
                    continue  # a live build's
                try:
                    shutil.rmtree(entry)
                    got.stages += 1
                finally:
                    if fd >= 0:
                        os.close(fd)
    except OSError as exc:
        raise output_error(out, exc) from None
    return got


def _read_journal(out: Path, path: Path) -> dict:
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None
    ok = (isinstance(journal, dict) and journal.get("marker") == MARKER and isinstance(journal.get("stage"), str)
          and journal["stage"].startswith(STAGE_PREFIX) and "/" not in journal["stage"]
          and isinstance(journal.get("ops"), list)
          and all(isinstance(op, list) and len(op) >= 2 and op[0] in ("place", "remove") and isinstance(op[1], str)
                  and _safe(op[1]) and (op[0] == "remove" or (len(op) == 3 and isinstance(op[2], str)))
                  for op in journal["ops"]))
    if not ok:
        raise OutputError(f"{display_name(path)} is not a journal this generator wrote, or it is damaged; "
                          f"look at {display_name(out)}/, remove the file, and make a full build.")
    return journal
