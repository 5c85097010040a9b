"""Stage 4 (with preflight): the print-shop rules a composed page must meet.

These are about how ink behaves on a press, so they judge the design, for
every finish alike (an office copy is the same design):

* **Registration.** A press prints each plate (C, M, Y, K) separately, and
  they never line up perfectly. Text that knocks out of a colour printed from
  several plates (white reversed out of navy, yellow printed on navy), or
  text printed in such a colour (navy), shows coloured fringes or fills in
  when they slip. Such text must be at least 14 pt bold. Black (K-only) text
  is exempt: it overprints (write_pdf), so it has no hole to misregister.
* **Folds.** A fold never lands exactly on its line. A colour that meets a
  fold runs at least 1.5 mm past it, so a fold that drifts shows neither a
  white edge on one side nor a line of colour on the other; text and QR codes
  keep at least 5 mm from every fold.
* **QR modules** on posters and leaflets are at least 1.0 mm, so a phone
  reads them from a step away and in poor light (0.81 mm modules were the first
  to fail in a simulated phone photo).

Every problem names the layout, page and box, and says what to change.
"""

from __future__ import annotations

import math

from .document import Document, Fill, Page, Rect
from .errors import Problem

MM = 72 / 25.4
MIN_KNOCKOUT_PT = 14.0  # text knocking out of, or printed in, a multi-plate colour: at least this, and bold
FOLD_RUN_MM = 1.5  # a colour meeting a fold runs this far past it
FOLD_TEXT_MM = 5.0  # text and QR codes keep this far from a fold
QR_MIN_MODULE_MM = {"poster": 1.0, "leaflet": 1.0}
TOL_MM = 0.01


def plates(cmyk: tuple[float, float, float, float]) -> str:
    """The plates a colour prints on, e.g. 'CMK' for navy (100, 78, 0, 45)."""
    return "".join(name for name, v in zip("CMYK", cmyk, strict=True) if v > 0)


def k_only(cmyk: tuple[float, float, float, float]) -> bool:
    """Black ink alone (any tint): the only colour that overprints, so the only one exempt."""
    return plates(cmyk) == "K"


def _key(doc: Document, page: Page, box: str, content_key: str = "") -> str:
    extra = f" ({content_key})" if content_key else ""
    return f"{doc.layout}: page {page.name}: box {box}{extra}"


def check_page(doc: Document, page: Page, reports: dict) -> list[Problem]:
    """Every print rule for one composed page; ``reports`` maps box names to their BoxReport."""
    return [*registration(doc, page, reports), *folds(doc, page, reports), *qr_modules(doc, page, reports)]


def fills_under(page: Page, r: Rect) -> list[Fill]:
    """The fills that show under ``r``, topmost first (every fill is drawn before any text)."""
    out = []
    for f in reversed(page.fills):
        if f.rect.overlaps(r):
            out.append(f)
            if f.rect.contains(r):
                break
    return out


def registration(doc: Document, page: Page, reports: dict) -> list[Problem]:
    out = []
    seen: set[tuple[str, str]] = set()
    for ln in page.lines:
        multi = [f for f in fills_under(page, ln.rect) if len(plates(doc.palette[f.colour])) > 1]
        for run in ln.runs:
            colour = doc.palette[run.colour]
            bold = "Bold" in run.font
            if not run.text.strip() or k_only(colour) or (bold and run.size >= MIN_KNOCKOUT_PT - 0.01):
                continue
            why, fixes = [], []
            if len(plates(colour)) > 1:
                why.append(f"is printed in {run.colour}, a colour made of {len(plates(colour))} plates "
                           f"({plates(colour)})")
                fixes.append("set it in black (it overprints)")
            if multi:
                bg = multi[0].colour
                how = "reversed out of" if not plates(colour) else "knocks out of"
                why.append(f"{'is ' if not why else ''}{how} {bg}, a colour made of "
                           f"{len(plates(doc.palette[bg]))} plates ({plates(doc.palette[bg])})")
                fixes.append(f"put it on a background of one plate (or none) instead of {bg}")
            if not why:
                continue
            if (ln.box, ln.key) in seen:
                continue
            seen.add((ln.box, ln.key))
            rep = reports.get(ln.box)
            out.append(Problem(rep.loc if rep else None, _key(doc, page, ln.box, ln.key),
                               f"{run.size:.1f} pt {'bold' if bold else 'regular'} text '{ln.text[:30]}' "
                               f"{' and '.join(why)}: when the plates print slightly out of line its strokes fill "
                               f"in or grow coloured fringes; make it at least {MIN_KNOCKOUT_PT:g} pt bold, or "
                               f"{', or '.join(fixes)}"))
    return out


def folds(doc: Document, page: Page, reports: dict) -> list[Problem]:
    out = []
    for fold in page.folds:
        at = (fold - page.trim.x) / MM  # in the layout's terms: mm from the trim's left edge
        for f in page.fills:
            if not plates(doc.palette[f.colour]):
                continue  # unprinted paper cannot show a fold's drift
            for edge, side in ((f.rect.x, "starts"), (f.rect.x1, "ends")):
                gap = abs(edge - fold) / MM
                if gap < FOLD_RUN_MM - TOL_MM:
                    # the colour lies on the other side of this edge: run it on past the fold, away from itself
                    to = at - FOLD_RUN_MM if side == "starts" else at + FOLD_RUN_MM
                    rep = reports.get(f.box)
                    out.append(Problem(rep.loc if rep else None, _key(doc, page, f.box),
                                       f"its {f.colour} {side} {gap:.1f} mm from the fold at {at:g} mm; a colour "
                                       f"that meets a fold runs at least {FOLD_RUN_MM:g} mm past it, so a fold that "
                                       "lands a little off shows neither a white edge nor a line of colour: make "
                                       f"it {side.removesuffix('s')} at {to:g} mm"))
        items = [(ln.box, ln.key, ln.rect, f"text '{ln.text[:30]}'") for ln in page.lines if ln.text.strip()]
        items += [(q.box, q.key, q.rect, "the QR code") for q in page.qrcodes]
        seen: set[tuple[str, str, str]] = set()
        for box, key, r, what in items:
            gap = 0.0 if r.x <= fold <= r.x1 else min(abs(r.x - fold), abs(r.x1 - fold)) / MM
            tag = (box, key, what[:4])  # one problem for each content key's text, and one for the code
            if gap < FOLD_TEXT_MM - TOL_MM and tag not in seen:
                seen.add(tag)
                rep = reports.get(box)
                where = "crosses" if gap == 0 else f"lies {gap:.1f} mm from"
                out.append(Problem(rep.loc if rep else None, _key(doc, page, box, key),
                                   f"{what} {where} the fold at {at:g} mm; keep it at least {FOLD_TEXT_MM:g} mm "
                                   "from every fold (a fold never lands exactly on its line)"))
    return out


def qr_modules(doc: Document, page: Page, reports: dict) -> list[Problem]:
    floor = QR_MIN_MODULE_MM.get(doc.kind)
    out = []
    for q in page.qrcodes:
        module = q.module / MM
        if floor and module < floor - 1e-6:
            n = len(q.matrix)
            rep = reports.get(q.box)
            out.append(Problem(rep.loc if rep else None, _key(doc, page, q.box, q.key),
                               f"the QR code's modules are {module:.2f} mm ({n} modules in {q.rect.w / MM:.1f} mm); "
                               f"at least {floor:.1f} mm is needed on a {doc.kind}, so a phone reads it from a step "
                               f"away: make qr_size at least {math.ceil(n * floor)} mm, or use a shorter address "
                               "(fewer modules)"))
    return out
