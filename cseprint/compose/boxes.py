"""The composer: fills each box of a layout's pages with content, in points (pure).

Each box kind has one measure and one place function (``KINDS``, as WeasyPrint
hands each box to its block, flex or grid layout): the composer measures every
box of a page, choosing among a box's or a page's alternatives, then places
them. ``Composer.page`` is the one place where a whole page is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator

from .. import textmarkup
from ..document import FIT_TOL, BoxReport, Document, Fill, Image, Mark, Page, Rect, mm
from ..errors import InputError, Problem
from ..lookup import counted, localized_contacts, nation_texts, resolve_in
from ..models import Box, Content, ImageRef, Item, Layout, PageDef, Styles, Text, TextStyle
from ..textmarkup import Span
from . import flow, leaves, people
from .finish import CROP_LENGTH_MM, CROP_OFFSET_MM, Finish
from .flow import Measured, Region, Uses, choose, inner_rect, skipped
from .impose import crop_marks, extend_to_bleed, impose
from .text import Block, Metrics, Typesetter

DRAFT_BOX = "draft-band"
DRAFT_TEXT = "DRAFFT / DRAFT translation, not yet reviewed"
DRAFT_STYLE = "draft-band"


class Composer:
    """Composes one layout for one locale and finish."""

    def __init__(self, layout: Layout, styles: Styles, content: Content, fonts: Metrics, locale: str,
                 finish: Finish, school: str | None = None, fallback: str | None = None):
        self.layout, self.styles, self.content, self.locale = layout, styles, content, locale
        self.finish, self.school = finish, school
        self.chain = [locale] + ([fallback] if fallback and fallback != locale else [])
        self._registries: dict[tuple[str, ...], dict] = {}
        self.registry = self._registry(self.chain)
        self.school_fields = content.school_fields
        self.deputies = len(content.school_people) - 1 if content.school_people else None
        self.ts = Typesetter(fonts, layout, styles)
        self.uses = Uses()  # what the document prints; a trial measures into a fresh one
        self.step = 0  # steps down the type scale, from a box or alternative being measured
        self.page_name = ""
        self.bleed_pt = 0.0
        self._parent: str | None = None

    def _registry(self, chain: list[str]) -> dict:
        """The contacts with names in ``chain``'s language (made once per language, not per box)."""
        key = tuple(chain)
        if key not in self._registries:
            self._registries[key] = localized_contacts(self.content, chain)
        return self._registries[key]

    # --- content access ----------------------------------------------------------------------
    def lookup(self, key: str):
        node, why = resolve_in(self.content, self.chain, key)
        assert node is not None, why  # validated before compose
        if len(self.chain) > 1 and resolve_in(self.content, self.chain[:1], key)[1]:
            self.uses.fell_back.add(key)
        return node

    def text(self, key: str) -> Text:
        """A text; one that depends on a count gets the form for the school's number of deputies."""
        node = counted(self.lookup(key), self.deputies)
        assert isinstance(node, Text), key
        return node

    def spans(self, t: Text, **kw: bool) -> list[Span]:
        used: set[str] = set()
        try:
            spans = textmarkup.parse(t.value, self.registry, self.content.edition, school=self.school_fields,
                                     nation=nation_texts(self.content, self.chain, self.content.nation), used=used, **kw)
        except textmarkup.NeedsSchool as exc:
            if self.content.school_id:
                why = f"uses {exc}, which the school profile '{self.content.school_id}' does not give"
            else:
                why = (f"uses {exc} but no school profile was given; build with --school, or use this text "
                       "only in boxes with when: school")
            raise InputError([Problem(t.loc, t.key, f"{why} (layout {self.layout.name})")]) from None
        self.uses.contacts.update(s.contact for s in spans if s.contact)
        self.uses.printed.update((self.chain[0], k) for k in (t.key, *used))  # for the facts' governance
        if any(s.school or (s.contact or "").startswith(textmarkup.SCHOOL_CONTACT_PREFIX) for s in spans):
            self.uses.school = True
        return spans

    def plain(self, key: str) -> str:
        return "".join(s.text for s in self.spans(self.text(key)) if s is not textmarkup.LINE_BREAK)

    def style(self, name: str) -> TextStyle:
        """A named style, taken ``self.step`` steps down the layout's type scale when a box asks."""
        st = self.styles.styles[name]
        return stepped(st, self.step, self.layout) if self.step else st

    def set(self, spans: list[Span], style: TextStyle, width: float, indent: float = 0.0) -> Block:
        """Set text, noting the faces it uses (they are embedded only if the box is printed)."""
        blk = self.ts.set(spans, style, width, indent)
        self.uses.faces |= blk.faces
        self.uses.too_wide += len(blk.too_wide)
        return blk

    def list_items(self, box: Box) -> list[Item]:
        items = list(self.lookup(box.items))
        if box.only:
            by_id = {i.id: i for i in items}
            items = [by_id[i] for i in box.only]
        return items

    # --- documents and pages -----------------------------------------------------------------
    def build(self) -> list[Document]:
        lay = self.layout
        bleed = self.bleed
        margin = bleed + (CROP_OFFSET_MM + CROP_LENGTH_MM if self.finish.crop_marks else 0.0)
        pages = [self.page(p, margin, bleed, back=i % 2 == 1) for i, p in enumerate(lay.pages)]
        docs = [self.document(pages, "single")]
        if lay.imposition and self.finish.sheets:
            docs.append(self.document(impose(lay, self.compose_for_sheet(), self.finish), "sheet"))
        return docs

    def compose_for_sheet(self) -> list[Page]:
        """The pages again, each with its own bleed (print shop) or none (butt-cut)."""
        return [self.page(p, self.bleed, self.bleed, marks=False) for p in self.layout.pages]

    @property
    def bleed(self) -> float:
        """mm of bleed: the layout's for a print shop, none for an office printer."""
        return self.layout.bleed if self.finish.bleed else 0.0

    def document(self, pages: list[Page], variant: str) -> Document:
        palette = {n: (c.c, c.m, c.y, c.k) for n, c in self.styles.palette.items()}
        title, subject = self.plain(self.layout.title), self.plain(self.layout.subject)
        u = self.uses
        return Document(
            layout=self.layout.name, variant=variant, finish=self.finish.name, locale=self.locale,
            title=title, subject=subject, author=self.content.edition.author, pages=pages, palette=palette,
            fonts={f: self.ts.fonts.path(f) for f in sorted(u.faces)}, contacts=set(u.contacts),
            min_body_pt=self.layout.min_body_pt, kind=self.layout.kind, file=self.layout.file, school=self.school,
            fell_back=sorted(u.fell_back), uses_school=u.school, fit=dict(sorted(u.fit.items())),
            larger=self.layout.larger, nation=self.content.nation, audience=self.layout.audience,
            printed=frozenset(u.printed))

    def page(self, pdef: PageDef, margin: float, bleed: float, marks: bool = True, back: bool = False) -> Page:
        """Make one whole page: measure its boxes (choosing an arrangement), place them, add
        the marks. ``back``: the reverse side, where folds fall mirrored."""
        lay = self.layout
        tw, th = mm(lay.trim_w), mm(lay.trim_h)
        ox = oy = mm(margin)
        trim = Rect(ox, oy, tw, th)
        b = mm(bleed)
        page = Page(pdef.name, tw + 2 * ox, th + 2 * oy, trim,
                    Rect(ox - b, oy - b, tw + 2 * b, th + 2 * b),
                    Rect(ox + mm(lay.safe), oy + mm(lay.safe), tw - 2 * mm(lay.safe), th - 2 * mm(lay.safe)))
        page.folds = [ox + mm(lay.trim_w - f if back else f) for f in lay.folds]
        if pdef.background:
            page.fills.append(Fill(page.bleed, pdef.background, "page"))
        self.page_name, self.bleed_pt = pdef.name, b
        band = self.draft_block(page) if self.is_draft() else None
        for m, r in self.arrange(pdef, page, band.height + mm(lay.safe) + mm(1.0) if band else 0.0):
            self.place(m, r, page)
        if band is not None:
            self.draft_band(page, b, band)
        if self.finish.crop_marks and marks:
            page.marks.extend(crop_marks([trim.x, trim.x1], [trim.y, trim.y1], trim, b))
            for x in page.folds:
                page.marks.append(Mark(x, 0, x, oy - b - mm(CROP_OFFSET_MM), "fold"))
                page.marks.append(Mark(x, trim.y1 + b + mm(CROP_OFFSET_MM), x, page.media_h, "fold"))
        return page

    def arrange(self, pdef: PageDef, page: Page, band: float = 0.0) -> list[tuple[Measured, Rect]]:
        """Every box of the page measured in its rectangle; with page alternatives, the first
        arrangement in which every box fits (else the last, and preflight says why). A stack or
        grid that reaches the draft band (``band`` pt at the top or foot) flows beside it."""
        def measure_all(boxes: tuple[Box, ...]) -> list[tuple[Measured, Rect]]:
            out = []
            for b in boxes:
                r = self.rect(page, b)
                if band and b.kind in ("stack", "grid"):
                    r = clear_of_band(r, page.trim, band, self.layout.draft_band)
                out.append((self.measure(b, Region(r.w, r.h)), r))
            return out

        if not pdef.alternatives:
            return measure_all(pdef.boxes)

        def trial(alt, _region: Region) -> Measured:
            with self.collecting() as uses:
                placed = measure_all(alt.boxes)
            bad = [m for m, _ in placed if not m.fits]
            over = max(FIT_TOL * 2, sum(m.overflow for m in bad)) if bad else 0.0  # fits when every box does
            return Measured(pdef.boxes[0], over, 0.0, 0.0, 0.0, placed, uses)

        ch = choose(pdef.alternatives, Region(0.0, 0.0), trial, fallback=-1)
        self.adopt(ch.m)
        self.uses.fit[pdef.name] = ch.alt.name
        return ch.m.plan

    def is_draft(self) -> bool:
        """Any language this layout prints is a translation not yet reviewed (``_locale.yaml``)."""
        infos = self.content.locale_info
        return any(code in infos and not infos[code].reviewed for code in (self.locale, *self.layout.languages))

    def draft_block(self, page: Page) -> Block:
        style = self.styles.styles.get(DRAFT_STYLE) or self.style("small")
        return self.set([Span(DRAFT_TEXT, bold=True)], style, page.safe.w)

    def draft_band(self, page: Page, bleed_pt: float, blk: Block) -> None:
        """A band across the top (or foot) of the page saying the translation is a draft: it runs
        into the bleed, and its words sit inside the safe zone. Preflight refuses a page where the
        band would cover other text, so a layout leaves room for it (``draft_band: top|bottom``);
        a stack or grid that reaches it flows beside it instead (``arrange``)."""
        lay = self.layout
        style = self.styles.styles.get(DRAFT_STYLE) or self.style("small")
        h = mm(lay.safe) + blk.height + mm(1.0)
        y = 0.0 if lay.draft_band == "top" else lay.trim_h - h / mm(1)
        box = Box(DRAFT_BOX, "text", 0.0, y, lay.trim_w, h / mm(1), lay.loc, style=style.name, align="centre",
                  background="sun" if "sun" in self.styles.palette else None)
        r = self.rect(page, box)
        page.fills.append(Fill(extend_to_bleed(r, page.trim, bleed_pt), box.background or "paper", DRAFT_BOX))
        rep = BoxReport(page.name, DRAFT_BOX, "text", r, lay.loc, ("draft",), available=r.h, background=box.background)
        page.boxes.append(rep)
        top = r.y1 - mm(lay.safe) if lay.draft_band == "top" else r.y + blk.height + mm(0.5)
        leaves.emit(page, box, blk, page.safe.x, top, page.safe.w, "draft", 0.0, rep)
        rep.needed = blk.height

    def rect(self, page: Page, box: Box) -> Rect:
        t = page.trim
        return Rect(t.x + mm(box.x), t.y1 - mm(box.y) - mm(box.h), mm(box.w), mm(box.h))

    # --- measuring and placing ---------------------------------------------------------------
    def shown(self, box: Box) -> bool:
        """Whether the box is drawn for this build (school or not, a contact given or not)."""
        has_school = self.content.school_id is not None
        if (box.when == "school" and not has_school) or (box.when == "no-school" and has_school):
            return False
        if box.needs_contact and box.needs_contact not in self.registry:
            return False
        return box.kind != "logo" or self.content.school_logo is not None

    def trial(self, box: Box, region: Region) -> Measured:
        """Measure a box (choosing among its alternatives) without adding anything to the
        document: what it used stays in the Measured until ``adopt``."""
        if not self.shown(box):
            return skipped(box)
        if not box.alternatives:
            return self._one(box, region)
        ch = choose(box.alternatives, region, lambda alt, r: self._one(alt.box, r))
        m = ch.m
        m.chosen = ch.alt.name
        m.tried = [(name, t.need, t.cap) for name, t in ch.tried]
        m.uses.fit[f"{self.page_name}.{box.name}"] = ch.alt.name
        return m

    def _one(self, box: Box, region: Region) -> Measured:
        # what collecting(), pinned() and stepped() do, written out: this runs for every box of
        # every arrangement tried, and three context managers a box cost more than the box
        saved_uses, uses = self.uses, Uses()
        self.uses = uses
        saved_pin = None
        if box.locale:
            saved_pin = self.chain, self.registry, self.school_fields
            self._pin(box.locale)
        self.step += box.type_step
        try:
            if self.content.school_id is not None and (box.when != "always" or box.kind in ("people", "logo")):
                uses.school = True
            m = KINDS[box.kind][0](self, box, region)
        finally:
            self.step -= box.type_step
            if saved_pin is not None:
                self.chain, self.registry, self.school_fields = saved_pin
            self.uses = saved_uses
        m.uses = uses
        return m

    def adopt(self, m: Measured) -> None:
        self.uses.merge(m.uses)

    def measure(self, box: Box, region: Region) -> Measured:
        m = self.trial(box, region)
        self.adopt(m)
        return m

    def record_fit(self, box: Box, what: str) -> None:
        self.uses.fit[f"{self.page_name}.{box.name}"] = what

    def place(self, m: Measured, rect: Rect, page: Page, parent: str | None = None) -> None:
        if m.skipped:
            return
        self._parent = parent
        KINDS[m.box.kind][1](self, m, rect, page)

    def begin(self, page: Page, box: Box, r: Rect, m: Measured):
        """A placed box's background and report; returns its inner rectangle and the report."""
        under = box.background or self._under(page, r)
        if box.background:
            page.fills.append(Fill(extend_to_bleed(r, page.trim, self.bleed_pt), box.background, box.name))
        inner = inner_rect(box, r)
        keys = tuple(k for k in (*box.text, box.items, box.heading, box.qr, box.label) if k)
        # what it had: its rectangle, or less if it was measured in less (a full stack places it anyway)
        available = min(inner.h, m.cap - (r.h - inner.h))
        rep = BoxReport(page.name, box.name, box.kind, r, box.loc, keys, needed=m.content, available=available,
                        background=under, parent=self._parent, chosen=m.chosen, tried=m.tried)
        page.boxes.append(rep)
        return inner, rep

    def _under(self, page: Page, r: Rect) -> str | None:
        """The colour of the last fill that covers this rectangle (text sits on it)."""
        for f in reversed(page.fills):
            if f.rect.contains(r):
                return f.colour
        return None

    # --- contexts ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def collecting(self) -> Iterator[Uses]:
        saved = self.uses
        self.uses = Uses()
        try:
            yield self.uses
        finally:
            self.uses = saved

    @contextlib.contextmanager
    def pinned(self, locale: str | None) -> Iterator[None]:
        """A box pinned to a language (bilingual layouts) reads that language only, the school's
        role name included; the document's own language applies again after it."""
        if not locale:
            yield
            return
        saved = self.chain, self.registry, self.school_fields
        self._pin(locale)
        try:
            yield
        finally:
            self.chain, self.registry, self.school_fields = saved

    def _pin(self, locale: str) -> None:
        self.chain = [locale]
        self.registry = self._registry(self.chain)
        if locale in self.content.school_roles:
            self.school_fields = {**self.content.school_fields, **self.content.school_roles[locale]}

    @contextlib.contextmanager
    def stepped(self, n: int) -> Iterator[None]:
        self.step += n
        try:
            yield
        finally:
            self.step -= n


def clear_of_band(r: Rect, trim: Rect, band: float, where: str) -> Rect:
    """``r`` without the part of it the draft band covers (``band`` pt at the trim's top or foot)."""
    if where == "top" and r.y1 > trim.y1 - band:
        return Rect(r.x, r.y, r.w, max(0.0, trim.y1 - band - r.y))
    if where == "bottom" and r.y < trim.y + band:
        return Rect(r.x, trim.y + band, r.w, max(0.0, r.y1 - trim.y - band))
    return r


def stepped(style: TextStyle, n: int, layout: Layout) -> TextStyle:
    """``style`` ``n`` steps down the layout's own type scale, never below its minimum for body
    text and headings (the edition line and other small text keeps its size)."""
    if n <= 0 or style.role == "small":
        return style
    scale = layout.type_scale
    size = scale[style.size]
    below = sorted({v for v in scale.values() if layout.min_body_pt - 0.01 <= v < size - 0.01}, reverse=True)
    if not below:
        return style
    target = below[min(n, len(below)) - 1]
    name = min(k for k, v in scale.items() if v == target)
    return dataclasses.replace(style, size=name)


def fit_image(ref: ImageRef, area: Rect, box: str) -> Image:
    """Fit an image into ``area`` keeping its proportions, centred; note its printed dpi."""
    pw, ph = ref.width_px, ref.height_px
    scale = min(area.w / pw, area.h / ph)
    w, h = pw * scale, ph * scale
    dpi = pw / (w / 72)
    return Image(Rect(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h), ref.path, box, dpi)


def balance(heights: list[float], gap: float, cols: int) -> list[list[int]]:
    """Split items, in order, into columns so the tallest column is as short as possible.

    Of the splits with that tallest column, the one whose first columns end
    earliest is chosen (the split that trying every split, first column
    shortest first, finds first). Columns may be empty; one item, or one
    column, gives one list.

    Why not try every split: a list of n items in k columns has about n^(k-1)
    of them, and a 400-item list took minutes before the build could refuse
    it. Here the tallest column is searched for instead: a binary search over
    caps, each step a greedy packing in O(n), then the split is read off in
    O(n). Heights are turned into exact integers first (every float is a
    fraction with a power of two below), so the sums never round and a column
    of height exactly equal to the cap is never lost to rounding.
    """
    n = len(heights)
    if cols <= 1 or n <= 1:
        return [list(range(n))]
    prefix, step = _exact(heights, gap)
    lo, hi = 0, prefix[n] + step * (n - 1)  # one column holding everything
    while lo < hi:  # the smallest cap that `cols` columns can hold
        mid = (lo + hi) // 2
        if _columns_needed(prefix, step, mid)[0] <= cols:
            hi = mid
        else:
            lo = mid + 1
    need = _columns_needed(prefix, step, lo)
    out: list[list[int]] = []
    start = 0
    for left in range(cols, 1, -1):
        # the earliest end that leaves a suffix the other columns can hold (need only falls as
        # the suffix shrinks, so the ends only move forward: O(n) over all columns)
        end = start
        while need[end] > left - 1:
            end += 1
        out.append(list(range(start, end)))
        start = end
    out.append(list(range(start, n)))
    return out


def _exact(heights: list[float], gap: float) -> tuple[list[int], int]:
    """Prefix sums of the heights and the gap as integers over one common power-of-two denominator."""
    ratios = [float(h).as_integer_ratio() for h in heights]
    g_num, g_den = float(gap).as_integer_ratio()
    den = max([g_den, *(d for _, d in ratios)])  # all powers of two: the largest is a common multiple
    prefix = [0]
    for num, d in ratios:
        prefix.append(prefix[-1] + num * (den // d))
    return prefix, g_num * (den // g_den)


IMPOSSIBLE = 1 << 62  # more columns than any layout has


def _columns_needed(prefix: list[int], step: int, cap: int) -> list[int]:
    """need[s]: the fewest columns no taller than ``cap`` that hold items s..n-1, for every s
    (``IMPOSSIBLE`` where some item alone is taller than the cap).

    A column from s to e (exclusive) is ``prefix[e] - prefix[s] + step * (e - s - 1)`` tall. Packing
    each column as full as it goes is optimal for an in-order split, so need[s] = 1 + need[reach(s)],
    reach(s) being where the fullest column from s ends; reach only moves forward as s does, so all of
    them take O(n) together.
    """
    n = len(prefix) - 1
    reach = [0] * n
    end = 0
    for s in range(n):
        end = max(end, s)
        while end < n and prefix[end + 1] - prefix[s] + step * (end - s) <= cap:
            end += 1
        reach[s] = end
    need = [0] * (n + 1)
    for s in range(n - 1, -1, -1):
        need[s] = IMPOSSIBLE if reach[s] == s else min(IMPOSSIBLE, 1 + need[reach[s]])
    return need


KINDS: dict[str, tuple[Callable, Callable]] = {  # {kind: (measure, place)}: every box kind's pair
    "text": (leaves.measure_text, leaves.place_text),
    "edition": (leaves.measure_text, leaves.place_text),
    "contacts": (leaves.measure_text, leaves.place_text),
    "qr": (leaves.measure_text, leaves.place_text),
    "list": (leaves.measure_list, leaves.place_list),
    "logo": (leaves.measure_logo, leaves.place_logo),
    "fill": (leaves.measure_fill, leaves.place_fill),
    "people": (people.measure_people, people.place_people),
    "stack": (flow.measure_stack, flow.place_stack),
    "grid": (flow.measure_grid, flow.place_grid),
}
