"""The boxes that hold content, one measure and one place each (pure).

``measure_*`` sets the text and works out the height it needs; ``place_*`` draws
that plan in the box's final rectangle, without setting anything again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..document import BoxReport, Fill, Page, QRCode, Rect, Run, TextLine, mm
from ..models import Box
from ..textmarkup import Span
from .flow import Measured, Region, inner_width, sized
from .qr import QUIET_MODULES, qr_matrix
from .text import Block, SetLine

if TYPE_CHECKING:
    from .boxes import Composer

BULLET = "\u2022"
RIGHT = -1.0  # as a block's indent: right-align the block (a number under its name)

Blocks = list[tuple[Block, float, str]]  # block, x offset, content key


# --- text, edition, contacts, qr: blocks one under another --------------------------------------

def measure_text(c: Composer, box: Box, region: Region) -> Measured:
    w = inner_width(box, region)
    blocks: Blocks = []
    qr: tuple[QRCode, float] | None = None
    if box.heading:
        blocks.append((c.set(c.spans(c.text(box.heading)), c.style(box.heading_style), w), 0.0, box.heading))
    if box.kind in ("text", "edition"):
        for k in box.text:
            blk = c.set(c.spans(c.text(k)), c.style(box.style), w, 0.0)
            if blocks and same(blocks[-1][0], blk):
                continue  # a line equal to the one before it is printed once
            blocks.append((blk, 0.0, k))
    elif box.kind == "contacts":
        blocks.extend(contact_rows(c, box, w))
    elif box.kind == "qr":
        if box.label:
            blocks.append((c.set(c.spans(c.text(box.label)), c.style(box.style), w), 0.0, box.label))
        cid, fld = box.qr.split(".")
        payload = getattr(c.registry[cid], fld)
        c.uses.contacts.add(cid)
        matrix = qr_matrix(payload, box.qr_level)
        module = mm(box.qr_size) / len(matrix)
        palette = c.styles.palette
        qr = (QRCode(Rect(0, 0, mm(box.qr_size), mm(box.qr_size)), module, matrix, payload, box.qr_level,
                     QUIET_MODULES, box.name, box.qr, "ink" if "ink" in palette else next(iter(palette)),
                     "paper" if "paper" in palette else ""), QUIET_MODULES * module)
        if box.caption:
            cap = [Span(payload, nobreak=True, url=True, contact=cid)]
            blocks.append((c.set(cap, c.style(box.caption_style), w), 0.0, box.qr))
    gap = mm(box.gap)
    qr_h = (qr[0].rect.h + 2 * qr[1]) if qr else 0.0
    content = sum(b.height for b, _, _ in blocks) + gap * max(0, len(blocks) - 1) + qr_h
    return sized(box, region, content, (blocks, qr))


def same(a: Block, b: Block) -> bool:
    return " ".join(a.text.split()).casefold() == " ".join(b.text.split()).casefold()


def place_text(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    box = m.box
    inner, rep = c.begin(page, box, rect, m)
    blocks, qr = m.plan
    if qr and not qr[0].paper:
        qr = (_with_paper(qr[0], rep.background or ""), qr[1])
    gap = mm(box.gap)
    free = inner.h - m.content
    y = inner.y1 - (free / 2 if box.valign == "middle" and free > 0 else free if box.valign == "bottom" and free > 0
                    else 0)
    qr_at = 1 if (qr and box.label) else 0
    for i, (blk, dx, key) in enumerate(blocks):
        if qr and i == qr_at:
            y = place_qr(page, qr, inner, y)
            y -= gap
        y = emit(page, box, blk, inner.x, y, inner.w, key, dx, rep)
        if i < len(blocks) - 1:
            y -= gap
    if qr and qr_at >= len(blocks):
        place_qr(page, qr, inner, y)


def _with_paper(q: QRCode, paper: str) -> QRCode:
    return QRCode(q.rect, q.module, q.matrix, q.payload, q.level, q.quiet, q.box, q.key, q.colour, paper)


def place_qr(page: Page, qr: tuple[QRCode, float], inner: Rect, y: float) -> float:
    code, quiet = qr
    size = code.rect.w
    x = inner.x + (inner.w - size) / 2
    top = y - quiet
    placed = QRCode(Rect(x, top - size, size, size), code.module, code.matrix, code.payload, code.level,
                    code.quiet, code.box, code.key, code.colour, code.paper)
    page.fills.append(Fill(placed.quiet_rect, code.paper, code.box, background=False))
    page.qrcodes.append(placed)
    return top - size - quiet


def contact_rows(c: Composer, box: Box, width: float) -> Blocks:
    """Each contact's name with its number right-aligned on the same line, else the number below."""
    out: Blocks = []
    name_style, num_style = c.style(box.style), c.style(box.number_style)
    for cid in box.contacts:
        contact = c.registry[cid]
        c.uses.contacts.add(cid)
        c.uses.printed.update((c.chain[0], f"contact_names.{cid}{sub}") for sub in ("", ".label", ".short"))
        value = getattr(contact, box.contact_field)
        num = c.set([Span(value, nobreak=True, url=box.contact_field == "web", contact=cid)], num_style, width)
        num_w = max((ln.width for ln in num.lines), default=0.0)
        shown = contact.name if box.contact_name == "name" else (contact.short_name or contact.name)
        name = c.set([Span(shown, contact=cid)], name_style, max(width - num_w - mm(3), width * 0.3))
        if len(num.lines) == 1 and name.lines and name.lines[0].width + mm(3) + num_w <= width:
            first = name.lines[0]
            shift = width - num_w
            runs = first.runs + [Run(r.x + shift, r.text, r.font, r.size, r.colour, r.missing) for r in num.lines[0].runs]
            name.lines[0] = SetLine(runs, width, max(first.size, num.lines[0].size),
                                    max(first.leading, num.lines[0].leading), first.role, "left")
            name.too_wide += num.too_wide
            name.missing += num.missing
            out.append((name, 0.0, f"contacts.{cid}"))
        else:
            out.append((name, 0.0, f"contacts.{cid}"))
            out.append((num, RIGHT, f"contacts.{cid}.{box.contact_field}"))
    return out


# --- list: items in balanced columns ----------------------------------------------------------

def measure_list(c: Composer, box: Box, region: Region) -> Measured:
    from .boxes import balance

    w = inner_width(box, region)
    head: Blocks = []
    if box.heading:
        head.append((c.set(c.spans(c.text(box.heading)), c.style(box.heading_style), w), 0.0, box.heading))
    style = c.style(box.style)
    label_style = c.style(box.label_style) if box.label_style else None
    cols = box.columns
    gap = mm(box.column_gap)
    col_w = (w - gap * (cols - 1)) / cols
    bullet_w = c.ts.measure(BULLET + " ", style) if box.bullet else 0.0
    entries: list[Blocks] = []
    for item in c.list_items(box):
        parts: Blocks = []
        show = box.show.split("+")
        for f in show:
            t = item.get(f) or (item.get("label") if f == "short" else None)
            if t is None:
                continue
            st = label_style if (label_style and f in ("label", "short") and len(show) > 1) else style
            bold = f in ("label", "short") and len(show) > 1 and label_style is None
            parts.append((c.set(c.spans(t, bold=bold), st, col_w - bullet_w), bullet_w, t.key))
        if box.bullet and parts:
            first = parts[0][0].lines[0]
            bl = c.set([Span(BULLET)], style, bullet_w * 2)
            first.runs[:0] = [Run(r.x - bullet_w, r.text, r.font, r.size, r.colour, r.missing)
                              for r in bl.lines[0].runs]
        entries.append(parts)
    heights = [sum(b.height for b, _, _ in e) for e in entries]
    item_gap = mm(box.gap)
    columns = balance(heights, item_gap, cols)
    head_h = sum(b.height for b, _, _ in head) + (item_gap if head else 0.0)
    col_hs = [sum(heights[i] for i in idxs) + item_gap * max(0, len(idxs) - 1) for idxs in columns]
    content = head_h + max(col_hs, default=0.0)
    return sized(box, region, content, (head, entries, columns, col_w))


def place_list(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    box = m.box
    inner, rep = c.begin(page, box, rect, m)
    head, entries, columns, col_w = m.plan
    item_gap = mm(box.gap)
    top = emit_head(page, box, inner, head, item_gap, rep)
    for ci, idxs in enumerate(columns):
        x = inner.x + ci * (col_w + mm(box.column_gap))
        y = top
        for n, i in enumerate(idxs):
            if n:
                y -= item_gap
            for blk, dx, key in entries[i]:
                y = emit(page, box, blk, x, y, col_w, key, dx, rep)


# --- logo and fill ---------------------------------------------------------------------------

def measure_logo(c: Composer, box: Box, region: Region) -> Measured:
    """The school's logo, fitted; without a fixed height it is as tall as it is at the box's width."""
    logo = c.content.school_logo
    w = inner_width(box, region)
    content = w * logo.height_px / logo.width_px if logo and box.h is None else 0.0
    return sized(box, region, content, logo)


def place_logo(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    from .boxes import fit_image

    inner, _ = c.begin(page, m.box, rect, m)
    if m.plan:
        page.images.append(fit_image(m.plan, inner, m.box.name))


def measure_fill(c: Composer, box: Box, region: Region) -> Measured:
    return sized(box, region, 0.0, None)


def place_fill(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    c.begin(page, m.box, rect, m)


# --- drawing set lines -----------------------------------------------------------------------

def emit_head(page: Page, box: Box, inner: Rect, head: Blocks, gap: float, rep: BoxReport) -> float:
    """Place a box's heading across its full width; return where the body starts."""
    y = inner.y1
    for blk, dx, key in head:
        y = emit(page, box, blk, inner.x, y, inner.w, key, dx, rep)
    return y - gap if head else y


def emit(page: Page, box: Box, blk: Block, x: float, y: float, width: float, key: str, dx: float,
         rep: BoxReport) -> float:
    """Place a block's lines from top ``y`` down; return the new top."""
    align = box.align
    rep.too_wide.extend(blk.too_wide)
    rep.missing.extend((ch, key) for s in blk.missing for ch in s)
    for ln in blk.lines:
        lead = ln.size * ln.leading
        style_size = ln.size
        baseline = y - style_size * 0.9 - (lead - style_size * 1.15) / 2
        a = "right" if dx == RIGHT else (align or ln.align)
        if a == "centre":
            shift = (width - ln.width) / 2
        elif a == "right":
            shift = width - ln.width
        else:
            shift = max(dx, 0.0)
        runs = tuple(Run(x + shift + r.x, r.text, r.font, r.size, r.colour, r.missing) for r in ln.runs)
        x0 = min((r.x for r in runs), default=x)
        # the glyphs' extent (descender to ascender), kept within the line's own slot
        bottom = max(baseline - 0.25 * style_size, y - lead)
        top = min(baseline + 0.9 * style_size, y)
        ink = Rect(x0, bottom, ln.width - min((r.x for r in ln.runs), default=0), top - bottom)
        page.lines.append(TextLine(baseline, runs, box.name, key, ln.role, ink))
        y -= lead
    return y
