"""Stage 4: judge a composed Document before anything is written.

Each problem names the layout, page, box and content key. All problems of all
documents are collected and reported together; a build with any of them
writes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from . import prepress
from .document import FIT_TOL, Document, Page, Rect
from .errors import Problem
from .lookup import ref_text_keys
from .models import Box, Content, Layout, Text

IMAGE_MIN_DPI = 150
SMALL_MIN_PT = 6.0  # floor for 'small' text (edition line, captions on cards)
QR_MIN_MM = {"card": 20.0, "poster": 30.0, "leaflet": 30.0}
MM = 72 / 25.4
TOL = FIT_TOL  # pt: the one tolerance compose also chooses arrangements by


def luminance(cmyk: tuple[float, float, float, float]) -> float:
    """WCAG relative luminance of a palette colour (naive CMYK -> sRGB)."""
    c, m, y, k = cmyk
    out = []
    for v in ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)):
        out.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = out
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _key(doc: Document, page: str, box: str, content_key: str = "") -> str:
    extra = f" ({content_key})" if content_key else ""
    return f"{doc.layout}: page {page}: box {box}{extra}"


def check_document(doc: Document, content: Content, today: dt.date, allow_unverified: bool = False) -> list[Problem]:
    problems: list[Problem] = []
    if doc.variant == "single":
        for page in doc.pages:
            problems.extend(_check_page(doc, page))
    problems.extend(check_contacts(doc, content, today, allow_unverified))
    problems.extend(check_facts(doc, content, today, allow_unverified))
    return problems


def check_contacts(doc: Document, content: Content, today: dt.date, allow_unverified: bool) -> list[Problem]:
    """Governance: never print a retired contact; unverified ones only when allowed."""
    out = []
    for cid in sorted(doc.contacts):
        c = content.contacts[cid]
        key = f"contacts.{cid}"
        if c.status == "retired":
            out.append(Problem(c.field_loc("status"), key, f"is retired but layout {doc.layout} would print it; "
                               "remove it from the layout or text"))
        elif not allow_unverified:
            if c.status == "unconfirmed":
                out.append(Problem(c.field_loc("status"), key, f"is unconfirmed but layout {doc.layout} would print it; "
                                   "verify it and set status: confirmed, or pass --allow-unverified"))
            elif c.review_by < today:
                out.append(Problem(c.field_loc("review_by"), key, f"was due for review on {c.review_by} and layout "
                                   f"{doc.layout} would print it; check it, update verified_on and review_by, or pass "
                                   "--allow-unverified"))
    return out


def unverified_contacts(doc: Document, content: Content, today: dt.date) -> list[str]:
    return sorted(cid for cid in doc.contacts
                  if content.contacts[cid].status == "unconfirmed" or content.contacts[cid].review_by < today)


def _check_page(doc: Document, page: Page) -> list[Problem]:
    out: list[Problem] = []
    reports = {r.box: r for r in page.boxes}
    white = (0.0, 0.0, 0.0, 0.0)
    over = {r.box for r in page.boxes if r.needed > r.available + TOL}
    inside = {r.parent for r in page.boxes if r.box in over and r.parent}  # a full stack is said by the box in it
    spilled = _spilled(page, over)  # boxes a full stack pushed on: where they land follows from that problem
    for rep in page.boxes:
        key = rep.keys[0] if rep.keys else ""
        if rep.box in over and rep.tried:
            out.append(Problem(rep.loc, _key(doc, page.name, rep.box, key), _none_fits(doc, rep)))
        elif rep.box in over and rep.box not in inside:
            what = "its boxes do not fit" if rep.kind in ("stack", "grid") else "the text does not fit"
            out.append(Problem(rep.loc, _key(doc, page.name, rep.box, key),
                               f"{what}: it needs {rep.needed / MM:.1f} mm of height but the box "
                               f"holds {rep.available / MM:.1f} mm; shorten the text, enlarge the box or use a "
                               "smaller size from the type scale (not below the minimum)"))
        for word, width in dict.fromkeys(rep.too_wide):
            out.append(Problem(rep.loc, _key(doc, page.name, rep.box, key),
                               f"'{word}' cannot be broken and is wider than the box allows ({width / MM:.1f} mm "
                               f"for it in a box {rep.rect.w / MM:.1f} mm wide)"))
        for ch, ckey in dict.fromkeys(rep.missing):
            out.append(Problem(rep.loc, _key(doc, page.name, rep.box, ckey),
                               f"character '{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}) is in none of "
                               "the fonts (main or fallback); it would print as an empty box"))
    seen: set[tuple[str, str, str]] = set()
    for ln in page.lines:
        rep = reports.get(ln.box)
        loc = rep.loc if rep else None
        if ln.box in spilled:
            continue
        for run in ln.runs:
            if run.text.strip() == "":
                continue
            floor = SMALL_MIN_PT if ln.role == "small" else doc.min_body_pt
            tag = ("size", ln.box, ln.key)
            if run.size < floor - 0.01 and tag not in seen:
                seen.add(tag)
                out.append(Problem(loc, _key(doc, page.name, ln.box, ln.key),
                                   f"type is {run.size:.1f} pt; the minimum here is {floor:.1f} pt"))
            bg_name = (rep.background if rep else None)
            bg = doc.palette.get(bg_name, white) if bg_name else white
            fg = doc.palette[run.colour]
            ratio = contrast(fg, bg)
            large = run.size >= 18 or (run.size >= 14 and "Bold" in run.font)
            need = 3.0 if large else 4.5
            tag = ("contrast", ln.box, ln.key)
            if ratio < need and tag not in seen:
                seen.add(tag)
                out.append(Problem(loc, _key(doc, page.name, ln.box, ln.key),
                                   f"contrast of {run.colour} text on {bg_name or 'white paper'} is {ratio:.2f}:1; "
                                   f"at least {need}:1 is needed"))
        if not page.safe.contains(ln.rect, tol=TOL):
            tag = ("safe", ln.box, ln.key)
            if tag not in seen:
                seen.add(tag)
                out.append(Problem(loc, _key(doc, page.name, ln.box, ln.key),
                                   f"text '{ln.text[:40]}' lies outside the safe zone "
                                   f"({(page.safe.x - page.trim.x) / MM:.0f} mm inside the trim); move the box inwards"))
    for im in page.images:
        rep = reports.get(im.box)
        if im.box not in spilled and not page.safe.contains(im.rect, tol=TOL):
            out.append(Problem(rep.loc if rep else None, _key(doc, page.name, im.box),
                               "image lies outside the safe zone; move the box inwards"))
        if im.dpi < IMAGE_MIN_DPI:
            out.append(Problem(rep.loc if rep else None, _key(doc, page.name, im.box),
                               f"image {im.path.rsplit('/', 1)[-1]} prints at {im.dpi:.0f} dpi; at least "
                               f"{IMAGE_MIN_DPI} dpi (ideally 300) looks sharp: use a larger image", warning=True))
    out.extend(p for p in _overlaps(doc, page, reports) if not spilled)
    out.extend(prepress.check_page(doc, page, reports))  # registration, folds, QR modules
    band = reports.get("draft-band")
    if band is not None:
        for ln in page.lines:
            if ln.box != band.box and _ink(ln).overlaps(band.rect, tol=0.5):
                rep = reports.get(ln.box)
                out.append(Problem(rep.loc if rep else None, _key(doc, page.name, ln.box, ln.key),
                                   f"text '{ln.text[:30]}' lies under the draft band (the translation is not yet "
                                   "reviewed); move the box clear of it, or put the band at the other edge "
                                   "(draft_band: top|bottom)"))
                break
    floor_mm = QR_MIN_MM.get(doc.kind, 30.0)
    for q in page.qrcodes:
        rep = reports.get(q.box)
        loc = rep.loc if rep else None
        key = _key(doc, page.name, q.box, q.key)
        if q.rect.w / MM < floor_mm - 0.01:
            out.append(Problem(loc, key, f"QR code is {q.rect.w / MM:.1f} mm wide; at least {floor_mm:g} mm is "
                               f"needed on a {doc.kind}"))
        if q.quiet < 4:
            out.append(Problem(loc, key, f"QR code has a {q.quiet}-module quiet zone; 4 are needed"))
        if not page.safe.contains(q.rect, tol=TOL) or not page.trim.contains(q.quiet_rect, tol=TOL):
            out.append(Problem(loc, key, "QR code or its quiet zone lies outside the safe zone"))
        qr_rect = q.quiet_rect
        for ln in page.lines:
            if _overlap(qr_rect, ln.rect):
                out.append(Problem(loc, key, f"text '{ln.text[:30]}' (box {ln.box}) intrudes on the QR code's quiet zone"))
                break
        for other in page.qrcodes:
            if other is not q and _overlap(qr_rect, other.quiet_rect):
                out.append(Problem(loc, key, f"QR code overlaps QR code {other.key}"))
        if contrast(doc.palette[q.colour], doc.palette.get(q.paper, white)) < 7.0:
            out.append(Problem(loc, key, "QR code modules need dark-on-light contrast of 7:1 or more"))
    return out


def _spilled(page: Page, over: set[str]) -> set[str]:
    """The boxes inside a stack or grid that holds (at any depth) a box that does not fit."""
    parent = {r.box: r.parent for r in page.boxes}

    def ancestors(box: str | None) -> list[str]:
        out = []
        while box is not None and box in parent:
            box = parent[box]
            if box is not None:
                out.append(box)
        return out

    full = {a for b in over for a in ancestors(b)}
    return {r.box for r in page.boxes if r.box in full or set(ancestors(r.box)) & full}


def _none_fits(doc: Document, rep) -> str:
    """Every arrangement was tried and none fits: say what each needed, and what to do."""
    has = rep.tried[0][2]
    each = "; ".join(f"{name} needs {need / MM:.1f} mm" for name, need, _ in rep.tried)
    bigger = f", or use the larger poster instead (--layout {doc.larger})" if doc.larger else ""
    return (f"does not fit in any of its {len(rep.tried)} arrangements, in the {has / MM:.1f} mm it has: {each}. "
            f"Shorten the longest entries (roles, rooms){bigger}")


def _overlaps(doc: Document, page: Page, reports: dict) -> list[Problem]:
    """Text of one box drawn over text of another (boxes placed too close, or overlapping).

    One problem per pair of boxes, naming the first overlapping pair of lines in
    left-to-right order. Lines are swept bottom to top, each compared only with
    the lines whose height band it reaches: a page of one long column has a
    band of one or two lines, so a 400-item list costs O(n log n), not the
    O(n^2) of comparing every line with every line to its right.
    """
    lines = sorted(page.lines, key=lambda ln: ln.rect.x)
    inks = [_ink(ln) for ln in lines]
    tol = 0.5
    first: dict[tuple[str, str], tuple[int, int]] = {}  # box pair -> first (i, j) in left-to-right order
    active: list[int] = []  # lines whose band is still above the sweep
    for j in sorted(range(len(lines)), key=lambda k: inks[k].y):
        bottom = inks[j].y
        active = [i for i in active if inks[i].y1 - tol > bottom]  # a line ending below can meet no later one
        for i in active:
            a, b = (i, j) if i < j else (j, i)
            if lines[a].box == lines[b].box or not inks[a].overlaps(inks[b], tol=tol):
                continue
            pair = (min(lines[a].box, lines[b].box), max(lines[a].box, lines[b].box))
            if pair not in first or (a, b) < first[pair]:
                first[pair] = (a, b)
        active.append(j)
    out = []
    for a, b in sorted(first.values()):
        la, lb = lines[a], lines[b]
        rep = reports.get(lb.box)
        out.append(Problem(rep.loc if rep else None, _key(doc, page.name, lb.box, lb.key),
                           f"text '{lb.text[:30]}' is drawn over text of box {la.box} ('{la.text[:30]}'); "
                           "move the boxes apart"))
    return out


def _ink(ln) -> Rect:
    """The line's glyph area: from just below the baseline to about the cap height."""
    size = max((r.size for r in ln.runs), default=0.0)
    return Rect(ln.rect.x, ln.y - 0.2 * size, ln.rect.w, 0.9 * size)


def _overlap(a: Rect, b: Rect) -> bool:
    return a.overlaps(b, tol=0.5)


def check_facts(doc: Document, content: Content, today: dt.date, allow_unverified: bool) -> list[Problem]:
    """Governance for the facts registry, as for contacts: never print the text of a retired fact,
    nor of an unconfirmed or overdue one unless allowed; and a contact that must be explained
    (CEOP: reports are not anonymous, what happens next) is printed only with its explanation."""
    out: list[Problem] = []
    by_locale: dict[str, set[str]] = {}
    for locale, key in doc.printed:
        by_locale.setdefault(locale, set()).add(key)

    def covers(ref: str) -> bool:
        for locale, keys in by_locale.items():
            ns = content.locales.get(locale)
            if ns is not None and keys & ref_text_keys(ns, ref)[0]:
                return True
        return False

    for f in sorted(content.facts.values(), key=lambda f: f.id):
        hit = [ref for ref in f.printed_as if covers(ref)]
        if not hit:
            continue
        key = f"facts.{f.id}"
        where = f"layout {doc.layout} would print it ({hit[0]})"
        if f.status == "retired":
            out.append(Problem(f.field_loc("status"), key, f"is retired but {where}; remove that text"))
        elif not allow_unverified and f.status == "unconfirmed":
            out.append(Problem(f.field_loc("status"), key, f"is unconfirmed but {where}; check it against a public "
                               "source and set status: confirmed, or pass --allow-unverified"))
        elif not allow_unverified and f.review_by < today:
            out.append(Problem(f.field_loc("review_by"), key, f"was due for review on {f.review_by} and {where}; "
                               "check it, update verified_on and review_by, or pass --allow-unverified"))
    for cid in sorted(doc.contacts):
        c = content.contacts.get(cid)
        if c is not None and c.printed_with and not any(covers(ref) for ref in c.printed_with):
            out.append(Problem(c.field_loc("printed_with"), f"contacts.{cid}.printed_with",
                               f"layout {doc.layout} prints {cid} without what must go with it (one of "
                               f"{', '.join(c.printed_with)}); add that text to the layout"))
    return out


def unverified_facts(doc: Document, content: Content, today: dt.date) -> list[str]:
    keys = {k for _, k in doc.printed}
    out = []
    for f in content.facts.values():
        if f.status == "unconfirmed" or f.review_by < today:
            for locale in {loc for loc, _ in doc.printed}:
                ns = content.locales.get(locale)
                if ns is not None and any(keys & ref_text_keys(ns, r)[0] for r in f.printed_as):
                    out.append(f.id)
                    break
    return sorted(set(out))


SENTENCE_END = (".", "!", "?", ":", ";")
SCORED_KINDS = ("text", "list", "qr")


def box_prose(layout: Layout, content: Content, chain: list[str]) -> list[tuple[Box, str, str]]:
    """(box, page name, prose) for every box whose words a reader reads as sentences: headings,
    texts, list entries and QR labels, with placeholders filled in (contact names, the nation's
    terms). Numbers, addresses, contact rows and the edition line are not prose and are left out.
    Each piece is one sentence at least (a heading counts as one)."""
    from . import textmarkup
    from .lookup import localized_contacts, nation_texts, resolve_in

    out = []
    for page in layout.pages:
        for b in page.boxes:
            if b.kind not in SCORED_KINDS:
                continue
            if (b.when == "school") != bool(content.school_id) and b.when != "always":
                continue
            ch = [b.locale] if b.locale else chain
            registry = localized_contacts(content, ch)
            nation = nation_texts(content, ch, content.nation)
            texts = []
            keys = [k for k in (b.heading, b.label) if k] + list(b.text if b.kind == "text" else ())
            for k in keys:
                node, _ = resolve_in(content, ch, k)
                if isinstance(node, Text):
                    texts.append(node)
            if b.kind == "list" and b.items:
                items, _ = resolve_in(content, ch, b.items)
                if isinstance(items, list):
                    by_id = {i.id: i for i in items}
                    for item in ([by_id[i] for i in b.only if i in by_id] if b.only else items):
                        for f in b.show.split("+"):
                            t = item.get(f) or (item.get("label") if f == "short" else None)
                            if t is not None:
                                texts.append(t)
            pieces = []
            for t in texts:
                try:
                    spans = textmarkup.parse(t.value, registry, content.edition, school=content.school_fields,
                                             nation=nation)
                except textmarkup.NeedsSchool:
                    continue
                words = " ".join("".join(" " if sp is textmarkup.LINE_BREAK else sp.text for sp in spans).split())
                if words:
                    pieces.append(words if words.endswith(SENTENCE_END) else words + ".")
            if pieces:
                out.append((b, page.name, " ".join(pieces)))
    return out


def reading_grade(prose: str) -> float:
    """Flesch-Kincaid grade (textstat's, syllables from the CMU dictionary, else pyphen)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(prose))


def check_readability(layout: Layout, content: Content, chain: list[str]) -> tuple[list[Problem], float | None]:
    """The layout's ``max_reading_grade`` for its audience, box by box; return the problems and the
    highest grade found. The formula is for English, so only English text is scored."""
    problems: list[Problem] = []
    worst: float | None = None
    for b, page, prose in box_prose(layout, content, chain):
        locale = b.locale or chain[0]
        if not locale.startswith("en"):
            continue
        grade = reading_grade(prose)
        worst = grade if worst is None else max(worst, grade)
        if layout.max_reading_grade is not None and grade > layout.max_reading_grade + 1e-9:
            problems.append(Problem(b.loc, f"{layout.name}: page {page}: box {b.name}",
                                    f"reads at Flesch-Kincaid grade {grade:.1f}; the limit for {layout.audience} "
                                    f"here is {layout.max_reading_grade:.1f} (max_reading_grade): use shorter "
                                    "sentences and shorter words"))
    return problems, worst
