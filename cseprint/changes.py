"""What changed since the last print: the reprint list (pure: no files, no printing).

People who run the generator again (a new helpline number, a new safeguarding
lead, a new edition) need to know which posters and cards on their walls are
now wrong. Bytes cannot tell them: a new edition date changes every PDF. So
each build records, per file, the *composed text* of every box, and the next
build compares those records box by box.

The record lives in the manifest, compactly, in two tables shared by all its files:

- each file entry carries ``record``, the id of its record in ``box_records``;
- a record is ``{"boxes": {"PAGE/BOX": text id}, "edition_boxes": ["PAGE/BOX"]}``:
  its boxes in the order they were composed, and which of them hold the edition
  line (which alone never makes a file worth reprinting);
- ``box_texts`` holds each distinct box text once, by id: a list of paragraphs,
  each ``"content.key: text"`` (content keys never hold ``": "``).

The national posters of a thousand schools, the office and print-shop copies of
one product, a card and its sheet share one record; the "who to tell" posters of
two schools share every box but the people. So the tables grow with what
differs, not with the number of files.

A paragraph is the lines one content key printed in one box, joined as read
(so a re-wrapped sentence is the same sentence), plus the address of a QR code
whose caption does not print it, and each picture's file name and fingerprint.

``compare`` turns two manifests into the report; ``to_json`` and ``to_markdown``
write it; ``summary`` and ``batch_summary`` say it in a line or two.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from .document import Document, Page, Rect, Run, TextLine

RECORDS = "box_records"  # the manifest's table of file records, by id
TEXTS = "box_texts"  # the manifest's table of box texts, by id
CHANGES_JSON = "changes.json"
CHANGES_MD = "changes.md"
ID_HEX = 12  # 48 bits: about one chance in 30 million that two of a 1,000-school batch's 4,000 texts collide
PICTURE_KEY = "picture"
QR_PREFIX = "qr:"


# --- the record of one file ------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """One file's boxes: ``{"PAGE/BOX": id}``, its edition boxes, and the texts behind the ids."""

    boxes: dict[str, str]
    edition: list[str]
    texts: dict[str, list[str]]


def paragraph(key: str, text: str) -> str:
    """One paragraph as the manifest keeps it: ``"content.key: text"``."""
    return f"{key}: {text}"


def split_paragraph(p: Any) -> tuple[str, str] | None:
    """(key, text) of a kept paragraph; None if it is not one (a damaged manifest)."""
    if not isinstance(p, str) or ": " not in p:
        return None
    key, text = p.split(": ", 1)
    return key, text


def join_lines(lines: Iterable[str]) -> str:
    """Lines of one paragraph as read: a space where the line broke at a space, nothing where a
    web address broke after '/' or a hyphenated word after its own hyphen (the typesetter never
    adds a hyphen), so the same words set in a wider box give the same text."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        glued = out.endswith("/") or (out.endswith("-") and len(out) > 1 and not out[-2].isspace())
        out += line if (not out or glued) else " " + line
    return out


def period(seq: Sequence) -> int:
    """The length of the shortest block that ``seq`` repeats exactly (its length if none):
    a card sheet prints the same card ten times, and its record holds the card once."""
    n = len(seq)
    for p in range(1, n):
        if n % p == 0 and all(seq[i] == seq[i % p] for i in range(p, n)):
            return p
    return n


def default_picture(path: str) -> str:
    return PurePath(path).name


def line_text(line: TextLine, measure: Callable[[Run], float] | None = None) -> str:
    """A line's text as read: a space where runs stand apart (a helpline's name, then its number
    set to the right: two runs with a gap and no space character between them)."""
    if measure is None:
        return line.text
    out, end = "", None
    for r in line.runs:
        if (end is not None and r.x - end > 0.1 * r.size and out and not out[-1].isspace()
                and r.text and not r.text[0].isspace()):
            out += " "
        out += r.text
        end = r.x + measure(r)
    return out


def page_paragraphs(page: Page, repeated: bool = False, picture: Callable[[str], str] = default_picture,
                    measure: Callable[[Run], float] | None = None) -> dict[str, list[str]]:
    """Each box's paragraphs on one page, ``{box: ["key: text", ...]}``, in composing order.

    ``repeated``: the page steps and repeats one item (a card sheet); record one copy.
    ``measure``: a run's width in points (the fonts' advances), to see gaps between runs.
    """
    lines = [(ln.box, ln.key, line_text(ln, measure)) for ln in page.lines]
    codes = [(q.box, q.key, q.payload) for q in page.qrcodes]
    images = [(i.box, i.path) for i in page.images]
    if repeated:
        lines, codes, images = lines[:period(lines)], codes[:period(codes)], images[:period(images)]
    boxes: dict[str, list[tuple[str, list[str]]]] = {}
    for box, key, text in lines:
        paras = boxes.setdefault(box, [])
        if paras and paras[-1][0] == key:
            paras[-1][1].append(text)
        else:
            paras.append((key, [text]))
    out: dict[str, list[tuple[str, str]]] = {box: [(k, join_lines(t)) for k, t in paras]
                                             for box, paras in boxes.items()}
    for box, key, payload in codes:
        got = out.setdefault(box, [])
        if not any(payload in text for _, text in got):  # its caption already prints the address
            got.append((QR_PREFIX + key, f"QR code: {payload}"))
    for box, path in images:
        out.setdefault(box, []).append((PICTURE_KEY, f"picture: {picture(path)}"))
    return {box: [paragraph(k, t) for k, t in paras] for box, paras in out.items()}


def text_id(value: Any) -> str:
    """The id of a box text or a record: the start of the sha256 of its JSON."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:ID_HEX]


def record(doc: Document, edition_names: Collection[str] = (), picture: Callable[[str], str] = default_picture,
           measure: Callable[[Run], float] | None = None) -> Record:
    """The record of one composed document.

    ``edition_names``: box names that hold the edition line. The document's own
    box reports say so for single pages; an imposed sheet has none, so the
    caller passes the names found on the single pages (``edition_boxes``).
    ``picture``: how a photo or logo is named in the record (the build adds a
    fingerprint of its bytes); ``measure``: see ``page_paragraphs``.
    """
    eds = set(edition_names) | {b.box for p in doc.pages for b in p.boxes if b.kind == "edition"}
    boxes: dict[str, str] = {}
    edition: list[str] = []
    texts: dict[str, list[str]] = {}
    for n, page in enumerate(doc.pages, 1):
        for box, paras in page_paragraphs(page, doc.variant == "sheet", picture, measure).items():
            ref = f"{n}/{box}"
            tid = text_id(paras)
            boxes[ref] = tid
            texts[tid] = paras
            if box in eds:
                edition.append(ref)
    return Record(boxes, edition, texts)


def edition_boxes(docs: Iterable[Document]) -> dict[str, frozenset[str]]:
    """Per layout, the names of its edition-line boxes (from the composed box reports)."""
    out: dict[str, set[str]] = {}
    for d in docs:
        for p in d.pages:
            for b in p.boxes:
                if b.kind == "edition":
                    out.setdefault(d.layout, set()).add(b.box)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass
class Store:
    """A manifest's two tables, filled as its files are recorded (``add``)."""

    records: dict[str, dict] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, rec: Record) -> str:
        """Keep a file's record and texts; return the id its manifest entry names (``record``)."""
        body = {"boxes": rec.boxes, "edition_boxes": rec.edition}
        rid = text_id(body)
        self.records[rid] = body
        self.texts.update(rec.texts)
        return rid

    def merge(self, tables: Mapping) -> None:
        """Take in another store's tables (``tables()``), as a batch gathers its workers'."""
        self.records.update(tables.get(RECORDS) or {})
        self.texts.update(tables.get(TEXTS) or {})

    def tables(self) -> dict:
        return {RECORDS: dict(sorted(self.records.items())), TEXTS: dict(sorted(self.texts.items()))}

    def since(self, sent: set[str]) -> dict:
        """The tables without the ids in ``sent`` (which then holds them all): what a batch worker
        has not sent yet (the national posters' record and texts go once, not with every school)."""
        out = {RECORDS: {k: v for k, v in self.records.items() if k not in sent},
               TEXTS: {k: v for k, v in self.texts.items() if k not in sent}}
        sent.update(out[RECORDS], out[TEXTS])
        return out


def keep_tables(man: dict, *previous: Mapping) -> None:
    """Give ``man`` exactly the records and texts its file entries refer to, taken from its own
    tables or from ``previous`` manifests' (for the files of other scopes a build keeps)."""
    sources = [man, *previous]
    records: dict[str, Any] = {}
    texts: dict[str, Any] = {}
    for entry in man.get("files", []):
        rid = entry.get("record") if isinstance(entry, dict) else None
        body = next((b for m in sources if (b := _record(m, rid)) is not None), None)
        if body is None:
            continue
        records[rid] = body
        for tid in body["boxes"].values():
            found = next((t[tid] for m in sources if isinstance(tid, str) and tid in (t := _texts(m))), None)
            if found is not None:
                texts[tid] = found
    man[RECORDS] = dict(sorted(records.items()))
    man[TEXTS] = dict(sorted(texts.items()))


# --- comparing two manifests ----------------------------------------------------------------

def scope_of(entry: Mapping) -> tuple[str | None, str | None, str | None]:
    """The build that owns a file: (school, None, locale) for a school's files (a school id
    is unique whatever its nation), (None, nation, locale) for national ones. Entries made
    before nations existed are England's."""
    school = entry.get("school")
    locale = entry.get("locale") if isinstance(entry.get("locale"), str) else None
    if isinstance(school, str) and school:
        return school, None, locale
    nation = entry.get("nation")
    return None, nation if isinstance(nation, str) and nation else "england", locale


ENTRY_KEYS = ("path", "layout", "locale", "nation", "school", "finish", "variant", "sha256", "content_version",
              "content_date", "record")


def slim(man: Mapping) -> dict:
    """Only what ``compare`` reads of a manifest: a batch holds the previous manifest of a thousand
    schools while it builds, and needs a third of it."""
    return {"content": man.get("content"), RECORDS: man.get(RECORDS), TEXTS: man.get(TEXTS),
            "files": [{k: e[k] for k in ENTRY_KEYS if k in e} for e in file_entries(man).values()]}


def file_entries(man: Mapping) -> dict[str, dict]:
    """A manifest's file entries by path; anything malformed (an older or edited manifest) is skipped."""
    files = man.get("files") if isinstance(man, Mapping) else None
    out: dict[str, dict] = {}
    for e in files if isinstance(files, list) else ():
        if isinstance(e, dict) and isinstance(e.get("path"), str) and e["path"]:
            out[e["path"]] = e
    return out


def _texts(man: Mapping) -> Mapping:
    t = man.get(TEXTS) if isinstance(man, Mapping) else None
    return t if isinstance(t, Mapping) else {}


def _record(man: Mapping, rid: Any) -> dict | None:
    """The record ``rid`` in ``man``'s table, if it is there and well formed."""
    table = man.get(RECORDS) if isinstance(man, Mapping) else None
    body = table.get(rid) if isinstance(table, Mapping) and isinstance(rid, str) else None
    if isinstance(body, dict) and isinstance(body.get("boxes"), dict):
        return body
    return None


def record_of(entry: Mapping, man: Mapping) -> dict | None:
    """A file entry's record (``{"boxes", "edition_boxes"}``) in its manifest; None if it has none."""
    return _record(man, entry.get("record"))


def _paragraphs(table: Mapping, tid: Any) -> list[tuple[str, str]] | None:
    """The paragraphs behind an id; [] for no box; None if the text was not recorded."""
    if tid is None:
        return []
    paras = table.get(tid) if isinstance(tid, str) else None
    if not isinstance(paras, list):
        return None
    out = [split_paragraph(p) for p in paras]
    return None if None in out else out


def _page_box(ref: str) -> tuple[int | str, str]:
    page, _, box = ref.partition("/")
    return (int(page) if page.isdigit() else page), box


def box_changes(old: Mapping | None, new: Mapping | None, old_texts: Mapping,
                new_texts: Mapping) -> list[dict] | None:
    """What differs between two records of one file, paragraph by paragraph, in the new file's
    box order: ``[{page, box, keys, before, after, edition}]``; None if either is missing."""
    if old is None or new is None:
        return None
    ob, nb = old.get("boxes"), new.get("boxes")
    if not isinstance(ob, dict) or not isinstance(nb, dict):
        return None
    eds = {r for e in (old, new) for r in (e.get("edition_boxes") or []) if isinstance(r, str)}
    changes = []
    for ref in [*nb, *(r for r in ob if r not in nb)]:
        oid, nid = ob.get(ref), nb.get(ref)
        if oid == nid:
            continue
        page, box = _page_box(ref)
        before, after = _paragraphs(old_texts, oid), _paragraphs(new_texts, nid)
        if before is None or after is None:
            changes.append({"page": page, "box": box, "keys": [], "edition": ref in eds,
                            "before": "(text not recorded)" if before is None else "\n".join(t for _, t in before),
                            "after": "(text not recorded)" if after is None else "\n".join(t for _, t in after)})
            continue
        sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                continue
            keys = list(dict.fromkeys(k for k, _ in [*before[i1:i2], *after[j1:j2]]))
            changes.append({"page": page, "box": box, "keys": keys, "edition": ref in eds,
                            "before": "\n".join(t for _, t in before[i1:i2]),
                            "after": "\n".join(t for _, t in after[j1:j2])})
    return changes


def _edition_of(entries: Iterable[Mapping], man: Mapping) -> dict | None:
    """The content edition most of ``entries`` were made from, with its date when known."""
    versions = Counter(e.get("content_version") for e in entries if isinstance(e.get("content_version"), str))
    if not versions:
        return None
    version = max(versions, key=lambda v: (versions[v], v))
    dates = Counter(e.get("content_date") for e in entries
                    if e.get("content_version") == version and isinstance(e.get("content_date"), str))
    date = max(dates, key=lambda d: (dates[d], d)) if dates else None
    content = man.get("content") if isinstance(man.get("content"), Mapping) else {}
    if date is None and content.get("version") == version and isinstance(content.get("date"), str):
        date = content["date"]
    return {"content_version": version, "date": date}


def compare(old: Mapping, new: Mapping, *, whole: bool = False,
            partial: bool = False) -> dict:
    """The reprint list: what ``new`` printed, against what ``old`` printed.

    By default only the scopes ``new`` built are compared (a school's build says
    nothing about the national files or another school's, kept in the same folder);
    ``whole``: every file of both (two output folders side by side). ``partial``: the
    build made only some layouts or finishes of its scope and leaves the others in
    place (the output folder's rule for partial builds), so only the (layout, finish)
    pairs it made are compared and nothing else of its scope counts as removed.

    The report: ``since``/``now`` (content editions), ``reprint`` (files whose
    printed text changed, with each change's page, box, content keys, before and
    after), ``unchanged`` (paths), ``notes`` (unchanged files whose edition line
    alone changed), ``new`` and ``removed`` (paths).
    """
    olds, news = file_entries(old), file_entries(new)
    if not whole:
        scopes = {scope_of(e) for e in news.values()}
        olds = {p: e for p, e in olds.items() if scope_of(e) in scopes}
    if partial:
        made = {(e.get("layout"), e.get("finish")) for e in news.values()}
        olds = {p: e for p, e in olds.items() if (e.get("layout"), e.get("finish")) in made}
    old_texts, new_texts = _texts(old), _texts(new)
    reprint, unchanged, notes = [], [], []
    for path in sorted(set(olds) & set(news)):
        o, n = olds[path], news[path]
        changes = box_changes(record_of(o, old), record_of(n, new), old_texts, new_texts)
        if changes is None:  # a manifest from before reprint lists: only the bytes can tell
            if o.get("sha256") is not None and o.get("sha256") == n.get("sha256"):
                unchanged.append(path)
            else:
                reprint.append({"path": path, "layout": n.get("layout"), "school": n.get("school"), "changes": [],
                                "note": "the earlier build kept no record of its text, so it cannot be compared "
                                        "box by box; its file differs, so check it by eye"})
            continue
        real = [c for c in changes if not c["edition"]]
        for c in changes:
            del c["edition"]
        if real:
            reprint.append({"path": path, "layout": n.get("layout"), "school": n.get("school"), "changes": real})
            continue
        unchanged.append(path)
        if changes:
            notes.append({"path": path, "note": "only the edition line changed; the copies you have are still right",
                          "before": "\n".join(c["before"] for c in changes),
                          "after": "\n".join(c["after"] for c in changes)})
    return {
        "since": _edition_of(olds.values(), old),
        "now": _edition_of(news.values(), new),
        "reprint": reprint,
        "unchanged": unchanged,
        "notes": notes,
        "new": sorted(set(news) - set(olds)),
        "removed": sorted(set(olds) - set(news)),
    }


def rebase(report: dict, prefix: str) -> dict:
    """The part of a report under ``prefix`` (a school's folder), with paths relative to it:
    the reprint list that goes into that school's pack."""
    def inside(p: str) -> bool:
        return p.startswith(prefix)

    return {
        **report,
        "reprint": [{**r, "path": r["path"][len(prefix):]} for r in report["reprint"] if inside(r["path"])],
        "unchanged": [p[len(prefix):] for p in report["unchanged"] if inside(p)],
        "notes": [{**n, "path": n["path"][len(prefix):]} for n in report["notes"] if inside(n["path"])],
        "new": [p[len(prefix):] for p in report["new"] if inside(p)],
        "removed": [p[len(prefix):] for p in report["removed"] if inside(p)],
    }


def school_record(man: Mapping, school: str) -> dict:
    """What one school's files printed, as a small manifest with paths inside its pack: what a
    pack can carry so that, next time, a web form (or ``compare``) can say what will change."""
    prefix = f"{school}/"
    files = [{**e, "path": p[len(prefix):]} for p, e in file_entries(man).items()
             if e.get("school") == school and p.startswith(prefix)]
    out = {"files": files}
    keep_tables(out, man)
    return out


def what_will_change(printed: Mapping, planned: Mapping, school: str) -> dict:
    """The reprint list of a school's next set against what it printed last (``school_record``),
    both with paths inside the school's pack; ``planned`` is a whole build's or plan's records."""
    return compare(printed, school_record(planned, school), whole=True)


def in_words(report: dict, limit: int = 8) -> list[str]:
    """The list in a few plain sentences for a web page: which products change and how, which stay.
    The office and print-shop copies of one product say the same, so each product is said once."""
    if not report["since"]:
        return ["Nothing printed before to compare with: every poster, card and leaflet is new."]
    by_layout: dict[str, list[tuple[str, str]]] = {}
    for r in report["reprint"]:
        seen = by_layout.setdefault(str(r.get("layout")), [])
        for c in r["changes"] or [{"before": "", "after": "(compare by eye)"}]:
            pair = (c["before"].replace("\n", " / "), c["after"].replace("\n", " / "))
            if pair not in seen:
                seen.append(pair)
    out = []
    for layout, pairs in sorted(by_layout.items()):
        said = "; ".join(f"\u201c{b}\u201d becomes \u201c{a}\u201d" if b and a else
                         (f"adds \u201c{a}\u201d" if a else f"drops \u201c{b}\u201d")
                         for b, a in (excerpt(b, a, 80) for b, a in pairs[:limit]))
        more = f" (and {len(pairs) - limit} more changes)" if len(pairs) > limit else ""
        out.append(f"{layout} changes: {said}{more}.")
    changed = set(by_layout)
    kept = sorted({p.rsplit("/", 1)[-1].removesuffix(".pdf").removesuffix("-sheet") for p in report["unchanged"]}
                  - changed)
    if kept:
        out.append(f"Unchanged, no need to reprint: {', '.join(kept)}.")
    fresh = sorted({p.rsplit("/", 1)[-1].removesuffix(".pdf").removesuffix("-sheet") for p in report["new"]})
    if fresh:
        out.append(f"New, not printed before: {', '.join(fresh)}.")
    gone = sorted(report["removed"])
    if gone:
        out.append(f"No longer made: {', '.join(gone)}.")
    return [safe(s) for s in out]


# --- writers (text only; the caller decides where it goes) -----------------------------------

def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Text fit for a terminal or a Markdown viewer: control and bidi characters made visible."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", unicodedata.normalize("NFC", text))


def code(text: str) -> str:
    """``text`` as a Markdown code span (printed literally, whatever it holds)."""
    text = safe(text)
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{'`' * ticks}{pad}{text}{pad}{'`' * ticks}"


def _edition_text(ed: dict | None) -> str:
    if not ed:
        return "unknown"
    return f"{ed['content_version']} ({ed['date']})" if ed.get("date") else str(ed["content_version"])


def _quoted(text: str, empty: str) -> str:
    if not text:
        return empty
    return "  \n    ".join(code(t) for t in text.split("\n"))


def excerpt(before: str, after: str, width: int = 60) -> tuple[str, str]:
    """The two texts around where they first differ, at most ``width`` characters each, so a
    one-digit change in a long paragraph shows in a one-line summary."""
    b, a = before.replace("\n", " / "), after.replace("\n", " / ")
    if len(b) <= width and len(a) <= width:
        return b, a
    same = 0
    while same < min(len(a), len(b)) and a[same] == b[same]:
        same += 1
    start = max(0, b.rfind(" ", 0, max(0, same - 12)) + 1) if same > 24 else 0

    def cut(t: str) -> str:
        t2 = ("\u2026" if start else "") + t[start:]
        return t2 if len(t2) <= width else t2[:width - 1] + "\u2026"

    return cut(b), cut(a)


def summary(report: dict) -> str:
    """One line: how many files to reprint, keep, add and take down."""
    r, u = len(report["reprint"]), len(report["unchanged"])
    since = f"since edition {_edition_text(report['since'])}" if report["since"] else "no earlier build to compare"
    ed_only = f" ({len(report['notes'])} with only a new edition line)" if report["notes"] else ""
    return (f"{r} file{'s' if r != 1 else ''} to reprint, {u} unchanged{ed_only}, {len(report['new'])} new, "
            f"{len(report['removed'])} removed ({since})")


def to_markdown(report: dict, title: str = "What to reprint") -> str:
    """The report for a person: what to reprint and why, what to keep, what is new or withdrawn."""
    out = [f"# {title}", ""]
    if report["since"] and report["since"] == report["now"]:
        out.append(f"Compared with the earlier build of these files, from the same content edition "
                   f"{_edition_text(report['now'])}.")
    elif report["since"]:
        out.append(f"Compared with the earlier build of these files: content edition "
                   f"{_edition_text(report['since'])}; now {_edition_text(report['now'])}.")
    else:
        out.append(f"No earlier build of these files to compare with: every file is new "
                   f"(content edition {_edition_text(report['now'])}).")
    out += ["", f"**{summary(report)}.**", ""]
    out += [f"## Reprint ({len(report['reprint'])})", ""]
    if not report["reprint"]:
        out += ["Nothing to reprint: every printed text is as before." if report["since"] else
                "Nothing to reprint: nothing was printed here before.", ""]
    for r in report["reprint"]:
        who = f"school {code(r['school'])}" if r.get("school") else "national"
        out.append(f"### {code(r['path'])}")
        out += ["", f"Layout {code(str(r.get('layout')))}, {who}.", ""]
        if r.get("note"):
            out += [safe(r["note"]) + ".", ""]
        for c in r["changes"]:
            keys = f" ({', '.join(code(k) for k in c['keys'])})" if c["keys"] else ""
            out.append(f"- page {c['page']}, box {code(c['box'])}{keys}:")
            out.append(f"  - before: {_quoted(c['before'], '(nothing)')}")
            out.append(f"  - after: {_quoted(c['after'], '(removed)')}")
        out.append("")
    notes = {n["path"]: n for n in report["notes"]}
    out += [f"## Unchanged ({len(report['unchanged'])}): keep the copies you have", ""]
    for p in report["unchanged"]:
        n = notes.get(p)
        out.append(f"- {code(p)}" + (f": only the edition line changed ({_quoted(n['before'], '')} is now "
                                      f"{_quoted(n['after'], '')})" if n else ""))
    out += ([""] if report["unchanged"] else []) + [f"## New ({len(report['new'])})", ""]
    out += [f"- {code(p)}" for p in report["new"]] + ([""] if report["new"] else [])
    out += [f"## Removed ({len(report['removed'])}): no longer made; take old copies down", ""]
    out += [f"- {code(p)}" for p in report["removed"]] + ([""] if report["removed"] else [])
    return "\n".join(out).rstrip("\n") + "\n"


# --- batches --------------------------------------------------------------------------------

_FRIENDLY = [
    (re.compile(r"^school\.dsl$"), "safeguarding lead"),
    (re.compile(r"^school\.deputies\["), "deputies"),
    (re.compile(r"^school\.people"), "roles, rooms or phone numbers"),
    (re.compile(r"^school\.role_name$"), "role name"),
    (re.compile(rf"^{PICTURE_KEY}$"), "photos or logo"),
    (re.compile(r"^contacts\.([^.]+)"), r"\1 contact"),
    (re.compile(rf"^{re.escape(QR_PREFIX)}([^.]+)"), r"\1 QR code"),
]


def reason(change: Mapping) -> str:
    """A few words for why a change matters: the school's lead, a helpline, else the box."""
    for key in change.get("keys") or []:
        for pattern, words in _FRIENDLY:
            m = pattern.search(key)
            if m:
                return m.expand(words)
    return f"box {change.get('box')}"


def batch_summary(report: dict, new: Mapping) -> list[str]:
    """How many schools must reprint each product, e.g. '43 of 50 schools must reprint
    who-to-tell-a3 and who-to-tell-a4 (safeguarding lead changed)'; 'of 50' counts the schools
    that had the product here before (a school built for the first time has nothing to reprint)."""
    seen_before = {r["path"] for r in report["reprint"]} | set(report["unchanged"])
    had: dict[str, set[str]] = {}  # layout -> schools that had it before
    schools: set[str] = set()
    for path, e in file_entries(new).items():
        if isinstance(e.get("school"), str) and isinstance(e.get("layout"), str):
            schools.add(e["school"])
            if path in seen_before:
                had.setdefault(e["layout"], set()).add(e["school"])
    fresh = schools - set().union(*had.values())
    must: dict[str, set[str]] = {}
    why: dict[str, Counter] = {}
    for r in report["reprint"]:
        lay, school = r.get("layout"), r.get("school")
        if isinstance(lay, str) and isinstance(school, str):
            must.setdefault(lay, set()).add(school)
            why.setdefault(lay, Counter()).update({reason(c) for c in r["changes"]} or {"file differs"})
    groups: dict[tuple[int, int, str], list[str]] = {}
    for lay in sorted(had):
        n = len(must.get(lay, ()))
        words = ", ".join(w for w, _ in sorted(why[lay].items(), key=lambda x: (-x[1], x[0]))[:3]) if n else ""
        groups.setdefault((n, len(had[lay]), words), []).append(lay)
    lines = []
    for (n, of, words), lays in sorted(groups.items(), key=lambda g: (-g[0][0], g[1])):
        names = " and ".join([", ".join(lays[:-1]), lays[-1]]) if len(lays) > 1 else lays[0]
        if n:
            lines.append(f"{n} of {of} school{'s' if of != 1 else ''} must reprint {names} ({words} changed)")
        else:
            lines.append(f"no school must reprint {names}")
    if fresh:
        k = len(fresh)
        lines.append(f"{k} school{'s' if k != 1 else ''} built here for the first time (every file new)")
    return lines


def outline_rects(doc: Document, page: int, boxes: Collection[str]) -> list[Rect]:
    """Where the named boxes are on one page (1-based), to outline them on a picture: the
    composed box itself, or on an imposed sheet (which keeps no box reports) every copy's
    lines, codes and pictures of those boxes."""
    if not 1 <= page <= len(doc.pages):
        return []
    p = doc.pages[page - 1]
    rects = [b.rect for b in p.boxes if b.box in boxes]
    if rects or doc.variant != "sheet":
        return rects
    out: list[Rect] = []
    for items in ([(ln.box, ln.key, ln.text, ln.rect) for ln in p.lines],
                  [(q.box, q.key, q.payload, q.quiet_rect) for q in p.qrcodes],
                  [(i.box, i.path, "", i.rect) for i in p.images]):
        size = period([x[:3] for x in items]) or 1
        for start in range(0, len(items), size):  # one rectangle per copy and box
            for box in sorted(boxes):
                parts = [x[3] for x in items[start:start + size] if x[0] == box]
                if parts:
                    out.append(union(parts))
    return out


def union(rects: Sequence[Rect]) -> Rect:
    x0, y0 = min(r.x for r in rects), min(r.y for r in rects)
    return Rect(x0, y0, max(r.x1 for r in rects) - x0, max(r.y1 for r in rects) - y0)
