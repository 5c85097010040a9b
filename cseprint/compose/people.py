"""The people box: a school's lead and deputies, with photos, titles, rooms and numbers (pure).

The lead comes first on a row of their own, in a larger style and with a larger
photo, so a reader finds them at once; the deputies follow under one heading
(its wording follows their number), arranged as ``cards`` in rows (a photo
beside a name, title, role, room and number, one under another), as a ``list``
(a name, then the details on one line) or as ``lines`` (one paragraph each), the
last two in balanced columns. Measuring lays everything out relative to the
box's top-left corner (positions as data); placing moves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Page, Rect, mm
from ..models import Box, ImageRef, TextStyle
from ..textmarkup import Span
from .flow import Measured, Region, inner_width, sized
from .leaves import emit
from .text import Block

if TYPE_CHECKING:
    from .boxes import Composer

SEP = "\u00a0\u00b7 "  # a middle dot between a person's details; it never starts a line
PHOTO_GAP_MM = 3.0


@dataclass(frozen=True)
class Placed:
    """One thing in the box: a block of text or a photo, at (x, top) pt from the box's inner
    top-left corner, ``top`` counted downwards."""

    x: float
    top: float
    width: float
    block: Block | None = None
    key: str = ""
    photo: ImageRef | None = None


@dataclass
class Cell:
    blocks: list[tuple[Block, str]]
    photo: ImageRef | None
    photo_size: float
    height: float


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def once(lines: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Lines whose text equals the line before them are printed once (a lead whose role is the
    role's own name, a deputy whose role says "Deputy Designated Safeguarding Lead")."""
    out: list[tuple[str, ...]] = []
    for ln in lines:
        if ln[0] and not (out and _norm(out[-1][0]) == _norm(ln[0])):
            out.append(ln)
    return out


def measure_people(c: Composer, box: Box, region: Region) -> Measured:
    people = list(c.content.school_people)
    w = inner_width(box, region)
    gap, col_gap = mm(box.gap), mm(box.column_gap)
    name_style = c.style(box.label_style or "label")
    lead_style = c.style(box.lead_style) if box.lead_style else name_style
    body, number = c.style(box.style), c.style(box.number_style)
    photos = box.photos and any(p.photo for p in people)
    photo = mm(box.photo_size) if photos else 0.0
    lead_photo = mm(box.lead_photo_size or box.photo_size) if photos else 0.0
    langs = list(box.languages) or [None]
    placed: list[Placed] = []
    y = 0.0

    def heading(key: str, style: TextStyle, after: float) -> None:
        """A heading, said in each of the box's languages: one paragraph, the languages
        separated by a slash (said once when they are the same)."""
        nonlocal y
        spans: list[Span] = []
        seen: list[str] = []
        for lang in langs:
            with c.pinned(lang):
                these = c.spans(c.text(key))
            said = _norm("".join(sp.text for sp in these))
            if said in seen:
                continue
            seen.append(said)
            spans += ([Span("\u00a0/ ")] if spans else []) + these
        blk = c.set(spans, style, w)
        placed.append(Placed(0.0, y, w, blk, key))
        y += blk.height + after

    def titles(lead: bool) -> list[str]:
        out = []
        for lang in langs:
            with c.pinned(lang):
                if lead:
                    out.append(c.school_fields.get("role_name", ""))
                elif not box.deputies_heading:
                    f = c.school_fields
                    out.append(c.plain(box.label) if box.label else
                               f.get("deputy_role_name") or f"Deputy {f.get('role_name', '')}")
        return out

    def cell(i: int, width: float, lead: bool) -> Cell:
        p = people[i]
        who = "school.dsl" if i == 0 else f"school.deputies[{i - 1}]"
        size = (lead_photo if lead else photo) if p.photo else 0.0  # text starts at the left without one
        text_w = width - (size + mm(PHOTO_GAP_MM) if size else 0.0)
        title_key = box.label or "school.role_name"
        if box.arrangement != "cards":
            details = [d for d in (*titles(lead), p.role, p.location) if d]
            spans: list[Span] = []
            for d in [ln[0] for ln in once([(p.name,), *[(d,) for d in details]])[1:]]:
                spans += ([Span(SEP)] if spans else []) + [Span(d, school=True)]
            if p.phone:
                spans += ([Span(SEP)] if spans else []) + [Span(p.phone, bold=True, nobreak=True)]
            if box.arrangement == "lines" and not lead:  # the name in bold, its details after it, one paragraph
                named = [Span(p.name, bold=True, school=True)] + ([Span(SEP)] + spans if spans else [])
                blocks = [(c.set(named, body, text_w), who)]
            else:  # the name on its own line (the lead's larger), then the details
                blocks = [(c.set([Span(p.name, school=True)], lead_style if lead else name_style, text_w), who)]
                if spans:
                    blocks.append((c.set(spans, body, text_w), "school.people"))
        else:
            lines = once([(p.name, "name", who), *[(t, "body", title_key) for t in titles(lead)],
                          (p.role or "", "body", "school.people"), (p.location or "", "body", "school.people"),
                          (p.phone or "", "number", "school.people.phone")])
            blocks = []
            for text, kind, key in lines:
                st = {"name": lead_style if lead else name_style, "body": body, "number": number}[kind]
                blocks.append((c.set([Span(text, nobreak=kind == "number", school=True)], st, text_w), key))
        h = max(sum(b.height for b, _ in blocks), size)
        return Cell(blocks, p.photo if size else None, size, h)

    def put(cl: Cell, x: float, top: float, width: float) -> None:
        if cl.photo is not None:
            placed.append(Placed(x, top, cl.photo_size, photo=cl.photo))
        tx = x + (cl.photo_size + mm(PHOTO_GAP_MM) if cl.photo_size else 0.0)
        ty = top
        for blk, key in cl.blocks:
            placed.append(Placed(tx, ty, width - (tx - x), blk, key))
            ty += blk.height

    if box.heading:
        heading(box.heading, c.style(box.heading_style), gap)
    if people:
        lead = cell(0, w, lead=True)
        put(lead, 0.0, y, w)
        y += lead.height
    deputies = list(range(1, len(people)))
    if deputies:
        y += gap
        if box.deputies_heading:
            heading(box.deputies_heading, c.style(box.heading_style), mm(1))
        cols = min(box.columns, len(deputies))
        col_w = (w - col_gap * (cols - 1)) / cols
        cells = [cell(i, col_w, lead=False) for i in deputies]
        if box.arrangement != "cards":
            from .boxes import balance

            ends = []
            for j, idxs in enumerate(balance([cl.height for cl in cells], gap, cols)):
                ty = y
                for n, i in enumerate(idxs):
                    ty += gap if n else 0.0
                    put(cells[i], j * (col_w + col_gap), ty, col_w)
                    ty += cells[i].height
                ends.append(ty)
            y = max(ends)
        else:
            for s in range(0, len(cells), cols):
                row = cells[s:s + cols]
                for j, cl in enumerate(row):
                    put(cl, j * (col_w + col_gap), y, col_w)
                y += max(cl.height for cl in row) + (gap if s + cols < len(cells) else 0.0)
    return sized(box, region, y, placed)


def place_people(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    from .boxes import fit_image

    box = m.box
    inner, rep = c.begin(page, box, rect, m)
    free = inner.h - m.content
    top = inner.y1 - (free / 2 if box.valign == "middle" and free > 0 else free if box.valign == "bottom" and free > 0
                      else 0.0)
    for it in m.plan:
        if it.photo is not None:
            page.images.append(fit_image(it.photo, Rect(inner.x + it.x, top - it.top - it.width, it.width, it.width),
                                         box.name))
        else:
            emit(page, box, it.block, inner.x + it.x, top - it.top, it.width, it.key, 0.0, rep)
