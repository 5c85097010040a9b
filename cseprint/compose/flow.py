"""Flow: measure then place; stacks and grids that share out their room; alternatives (pure).

Every box is *measured* first, in a ``Region`` (a width, and the height it may
take: ``inf`` while its natural height is wanted), giving a ``Measured``: the
height its content needs, what it used (contacts, faces, ...) and a plan that
``place`` draws without setting text again. Then it is *placed* in its final
rectangle. This is how Typst's stack and WeasyPrint's block layout work: sizes
first, positions after, so a box's height can come from its content and what
follows it moves with it.

A box with ``alternatives`` is measured once per alternative until one fits
(``choose``, after segno's ``find_version``). Measuring is pure: what a rejected
alternative used never reaches the document (``Uses`` are merged only for the
one chosen), and every attempt is kept, so preflight can say what was tried.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document import FIT_TOL, Page, Rect, mm
from ..models import Alternative, Box

if TYPE_CHECKING:
    from .boxes import Composer

INF = math.inf


@dataclass(frozen=True)
class Region:
    """The room a box is measured in: a width, and a height (``inf``: as tall as its content)."""

    w: float
    h: float = INF


@dataclass
class Uses:
    """What composing a box used: merged into the document only for what is printed."""

    contacts: set[str] = field(default_factory=set)
    faces: set[str] = field(default_factory=set)
    fell_back: set[str] = field(default_factory=set)
    school: bool = False
    fit: dict[str, str] = field(default_factory=dict)
    too_wide: int = 0  # words that cannot be broken and are wider than their line
    printed: set[tuple[str, str]] = field(default_factory=set)  # (locale, content key), for the facts' governance

    def merge(self, other: Uses) -> None:
        self.contacts |= other.contacts
        self.printed |= other.printed
        self.faces |= other.faces
        self.fell_back |= other.fell_back
        self.school = self.school or other.school
        self.fit.update(other.fit)
        self.too_wide += other.too_wide


@dataclass
class Measured:
    """A box measured in a region. Heights are outer (padding included), in pt."""

    box: Box  # as measured: an alternative's box when one was chosen
    need: float  # the height its content needs, padding included
    h: float  # the height it takes when nothing stretches it (fixed h, or need within min_h/max_h)
    cap: float  # the most it may take here (inf: no limit)
    content: float  # the content's own height, for the box's report
    plan: Any = None
    uses: Uses = field(default_factory=Uses)
    chosen: str | None = None
    tried: list[tuple[str, float, float]] = field(default_factory=list)  # (alternative, need, cap)
    skipped: bool = False  # not shown here (when:, needs_contact:)

    @property
    def overflow(self) -> float:
        """pt past what the box may take; 0 when it fits."""
        return max(0.0, self.need - self.cap)

    @property
    def fits(self) -> bool:
        """Its content's height within what it may take, and no word wider than its line."""
        return self.need <= self.cap + FIT_TOL and not self.uses.too_wide


def skipped(box: Box) -> Measured:
    return Measured(box, 0.0, 0.0, INF, 0.0, skipped=True)


@dataclass
class Chosen:
    alt: Alternative
    m: Measured
    tried: list[tuple[str, Measured]]


def choose(alts: Sequence[Alternative], region: Region,
           measure: Callable[[Alternative, Region], Measured], fallback: int = 0) -> Chosen:
    """The first alternative that fits ``region``; if none does, the ``fallback`` one (the first
    for a box; for a page, whose boxes report for themselves, the last and tightest), with
    every attempt recorded (never raise: preflight refuses it and says what was tried)."""
    tried: list[tuple[str, Measured]] = []
    for alt in alts:
        m = measure(alt, region)
        tried.append((alt.name, m))
        if m.fits:
            return Chosen(alt, m, tried)
    return Chosen(alts[fallback], tried[fallback][1], tried)


def pads(box: Box) -> tuple[float, float, float, float]:
    """Padding in pt: top, right, bottom, left."""
    t, r, b, l_ = box.padding
    return mm(t), mm(r), mm(b), mm(l_)


def inner_width(box: Box, region: Region) -> float:
    _, r, _, l_ = pads(box)
    return region.w - (l_ + r)


def inner_rect(box: Box, r: Rect) -> Rect:
    t, rt, b, l_ = pads(box)
    return Rect(r.x + l_, r.y + b, r.w - (l_ + rt), r.h - (t + b))


def sized(box: Box, region: Region, content: float, plan: Any) -> Measured:
    """A Measured for ``content`` pt of content: fixed ``h``, or the content's height kept
    within ``min_h`` and ``max_h``; what it may take is the least of the region, h and max_h."""
    t, _, b, _ = pads(box)
    need = content + (t + b)
    if box.h is not None:
        h = cap = mm(box.h)
    else:
        lo = mm(box.min_h) if box.min_h is not None else 0.0
        hi = mm(box.max_h) if box.max_h is not None else INF
        h, cap = min(max(need, lo), hi), hi
    return Measured(box, need, h, min(cap, region.h), content, plan)


# --- stack: one under another, or side by side ------------------------------------------------

def share(total: float, weights: list[float]) -> list[float]:
    """``total`` split in proportion to ``weights`` (equally when they are all 0)."""
    if not weights:
        return []
    s = sum(weights)
    if s <= 0:
        return [total / len(weights)] * len(weights)
    return [total * w / s for w in weights]


def down(heights: list[float], grows: list[float], maxes: list[float], room: float, gap: float
         ) -> tuple[list[float], list[float]]:
    """Positions as data: (top offsets, heights) of boxes stacked down in ``room`` pt.

    Spare room goes to the boxes that grow, in proportion to ``grow`` and never past a
    box's ``max_h`` (what one cannot take goes to the others); without them it stays below.
    """
    hs = list(heights)
    spare = room - (sum(hs) + gap * max(0, len(hs) - 1))
    open_ = [i for i, g in enumerate(grows) if g > 0]
    while spare > 1e-9 and open_:
        parts = share(spare, [grows[i] for i in open_])
        spare = 0.0
        still = []
        for i, extra in zip(open_, parts, strict=True):
            take = min(extra, maxes[i] - hs[i])
            hs[i] += take
            spare += extra - take
            if maxes[i] - hs[i] > 1e-9:
                still.append(i)
        open_ = still
    tops, y = [], 0.0
    for h in hs:
        tops.append(y)
        y += h + gap
    return tops, hs


def measure_stack(c: Composer, box: Box, region: Region) -> Measured:
    if box.direction == "across":
        return _measure_across(c, box, region)
    w = inner_width(box, region)
    t, _, b, _ = pads(box)
    fixed = sized(box, region, 0.0, None)
    room = fixed.cap - (t + b)  # inf while measuring a natural height
    gap = mm(box.gap)
    kids = list(box.boxes)
    ms: dict[int, Measured] = {}

    def taken(extra: int = 0) -> float:
        shown = [m for m in ms.values() if not m.skipped]
        return sum(m.h for m in shown) + gap * max(0, len(shown) + extra - 1)

    for i, k in enumerate(kids):  # 1. boxes with one arrangement
        if not k.alternatives and not k.optional:
            ms[i] = c.measure(k, Region(w, mm(k.h) if k.h is not None else INF))
    arrangeable = [i for i, k in enumerate(kids) if k.alternatives and not k.optional]
    for n, i in enumerate(arrangeable):  # 2. boxes with alternatives, each in what the others leave
        later = [c.trial(kids[j].alternatives[-1].box, Region(w)) for j in arrangeable[n + 1:]]
        reserve = sum(m.h for m in later if not m.skipped) + gap * len([m for m in later if not m.skipped])
        left = room - taken(1) - reserve
        ms[i] = c.measure(kids[i], Region(w, left if math.isfinite(left) else INF))
    for i, k in enumerate(kids):  # 3. optional boxes, in order, where there is still room
        if not k.optional:
            continue
        m = c.trial(k, Region(w, mm(k.h) if k.h is not None else INF))
        if m.skipped:
            continue
        keep = taken(1) + m.h <= room + FIT_TOL
        c.record_fit(k, "shown" if keep else "left out")
        if keep:
            c.adopt(m)
            ms[i] = m
    order = [(kids[i], ms[i]) for i in sorted(ms) if not ms[i].skipped]
    content = taken() if order else 0.0
    return sized(box, region, content, order)


def _measure_across(c: Composer, box: Box, region: Region) -> Measured:
    """Side by side: fixed widths first, the rest shared in proportion to ``grow`` (1 if not given)."""
    w = inner_width(box, region)
    gap = mm(box.gap)
    kids = [k for k in box.boxes if c.shown(k)]
    widths = across_widths(kids, w, gap)
    t, _, b, _ = pads(box)
    fixed = sized(box, region, 0.0, None)
    room = fixed.cap - (t + b)
    ms = [c.measure(k, Region(kw, mm(k.h) if k.h is not None else (room if math.isfinite(room) else INF)))
          for k, kw in zip(kids, widths, strict=True)]
    order = [(k, m, kw) for k, m, kw in zip(kids, ms, widths, strict=True) if not m.skipped]
    content = max((m.h for _, m, _ in order), default=0.0)
    return sized(box, region, content, order)


def across_widths(kids: list[Box], w: float, gap: float) -> list[float]:
    fixed = sum(mm(k.w) for k in kids if k.w is not None)
    free = w - fixed - gap * max(0, len(kids) - 1)
    flex = [k for k in kids if k.w is None]
    parts = iter(share(free, [k.grow or 1.0 for k in flex]))  # side by side, grow 0 counts as 1
    return [mm(k.w) if k.w is not None else next(parts) for k in kids]


def place_stack(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    box = m.box
    inner, rep = c.begin(page, box, rect, m)
    if box.direction == "across":
        x = inner.x
        for _k, km, kw in m.plan:
            c.place(km, Rect(x, inner.y, kw, inner.h), page, parent=box.name)
            x += kw + mm(box.gap)
        return
    kids = m.plan
    heights = [km.h for _, km in kids]
    grows = [k.grow if k.h is None else 0.0 for k, _ in kids]
    maxes = [mm(k.max_h) if k.max_h is not None else INF for k, _ in kids]
    tops, hs = down(heights, grows, maxes, inner.h, mm(box.gap))
    used = (tops[-1] + hs[-1]) if kids else 0.0
    free = inner.h - used
    shift = free / 2 if box.valign == "middle" and free > 0 else free if box.valign == "bottom" and free > 0 else 0.0
    for (_k, km), top, h in zip(kids, tops, hs, strict=True):
        c.place(km, Rect(inner.x, inner.y1 - shift - top - h, inner.w, h), page, parent=box.name)


# --- grid: equal columns, rows as tall as their tallest box ------------------------------------

def measure_grid(c: Composer, box: Box, region: Region) -> Measured:
    w = inner_width(box, region)
    cols = box.columns
    cgap, rgap = mm(box.column_gap), mm(box.gap)
    col_w = (w - cgap * (cols - 1)) / cols
    ms = [(k, c.measure(k, Region(col_w, mm(k.h) if k.h is not None else INF))) for k in box.boxes]
    cells = [(k, m) for k, m in ms if not m.skipped]
    rows = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    heights = [max(m.h for _, m in row) for row in rows]
    content = sum(heights) + rgap * max(0, len(rows) - 1)
    return sized(box, region, content, (rows, heights, col_w))


def place_grid(c: Composer, m: Measured, rect: Rect, page: Page) -> None:
    box = m.box
    inner, rep = c.begin(page, box, rect, m)
    rows, heights, col_w = m.plan
    cgap, rgap = mm(box.column_gap), mm(box.gap)
    used = sum(heights) + rgap * max(0, len(rows) - 1)
    free = inner.h - used
    y = inner.y1 - (free / 2 if box.valign == "middle" and free > 0 else free if box.valign == "bottom" and free > 0
                    else 0.0)
    for row, h in zip(rows, heights, strict=True):
        for j, (_, km) in enumerate(row):
            c.place(km, Rect(inner.x + j * (col_w + cgap), y - h, col_w, h), page, parent=box.name)
        y -= h + rgap
