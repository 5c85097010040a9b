"""The composer: fills each box of a layout's pages with content, in points (pure)."""

from __future__ import annotations

from .. import textmarkup
from ..document import BoxReport, Document, Fill, Image, Mark, Page, QRCode, Rect, Run, TextLine, mm
from ..errors import InputError, Problem
from ..fonts import FontBook
from ..lookup import localized_contacts, nation_texts, resolve_in
from ..models import Box, Content, ImageRef, Item, Layout, Styles, Text, TextStyle
from ..textmarkup import Span
from .finish import CROP_LENGTH_MM, CROP_OFFSET_MM, Finish
from .impose import crop_marks, extend_to_bleed, impose
from .qr import QUIET_MODULES, qr_matrix
from .text import Block, SetLine, Typesetter

BULLET = "\u2022"
DRAFT_BOX = "draft-band"
DRAFT_TEXT = "DRAFFT / DRAFT translation, not yet reviewed"
DRAFT_STYLE = "draft-band"
RIGHT = -1.0  # as a block's indent: right-align the block (a number under its name)


class Composer:
    """Composes one layout for one locale and finish."""

    def __init__(self, layout: Layout, styles: Styles, content: Content, fonts: FontBook, locale: str,
                 finish: Finish, school: str | None = None, fallback: str | None = None):
        self.layout, self.styles, self.content, self.locale = layout, styles, content, locale
        self.finish, self.school = finish, school
        self.chain = [locale] + ([fallback] if fallback and fallback != locale else [])
        self.fell_back: set[str] = set()
        self._registries: dict[tuple[str, ...], dict] = {}
        self.registry = self._registry(self.chain)
        self.ts = Typesetter(fonts, layout, styles)
        self.contacts: set[str] = set()
        self.printed: set[tuple[str, str]] = set()  # (locale, content key) of every text printed, for governance
        self.uses_school = False

    def _registry(self, chain: list[str]) -> dict:
        """The contacts with names in ``chain``'s language (made once per language, not per box)."""
        key = tuple(chain)
        if key not in self._registries:
            self._registries[key] = localized_contacts(self.content, chain)
        return self._registries[key]

    # content access
    def lookup(self, key: str):
        node, why = resolve_in(self.content, self.chain, key)
        assert node is not None, why  # validated before compose
        if len(self.chain) > 1 and resolve_in(self.content, self.chain[:1], key)[1]:
            self.fell_back.add(key)
        return node

    def text(self, key: str) -> Text:
        node = self.lookup(key)
        assert isinstance(node, Text), key
        return node

    def spans(self, t: Text, **kw: bool) -> list[Span]:
        used: set[str] = set()
        try:
            spans = textmarkup.parse(t.value, self.registry, self.content.edition,
                                     school=self.content.school_fields,
                                     nation=nation_texts(self.content, self.chain, self.content.nation), used=used, **kw)
        except textmarkup.NeedsSchool as exc:
            if self.content.school_id:
                why = f"uses {exc}, which the school profile '{self.content.school_id}' does not give"
            else:
                why = (f"uses {exc} but no school profile was given; build with --school, or use this text "
                       "only in boxes with when: school")
            raise InputError([Problem(t.loc, t.key, f"{why} (layout {self.layout.name})")]) from None
        self.contacts.update(s.contact for s in spans if s.contact)
        self.printed.update((self.chain[0], k) for k in (t.key, *used))
        if any(s.school or (s.contact or "").startswith(textmarkup.SCHOOL_CONTACT_PREFIX) for s in spans):
            self.uses_school = True
        return spans

    def plain(self, key: str) -> str:
        return "".join(s.text for s in self.spans(self.text(key)) if s is not textmarkup.LINE_BREAK)

    def style(self, name: str) -> TextStyle:
        return self.styles.styles[name]

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
        return Document(
            layout=self.layout.name, variant=variant, finish=self.finish.name, locale=self.locale,
            title=self.plain(self.layout.title), subject=self.plain(self.layout.subject),
            author=self.content.edition.author, pages=pages, palette=palette, fonts=dict(sorted(self.ts.used.items())),
            contacts=set(self.contacts), min_body_pt=self.layout.min_body_pt, kind=self.layout.kind,
            file=self.layout.file, school=self.school, fell_back=sorted(self.fell_back),
            uses_school=self.uses_school, nation=self.content.nation, audience=self.layout.audience,
            printed=frozenset(self.printed))

    def page(self, pdef, margin: float, bleed: float, marks: bool = True, back: bool = False) -> Page:
        """Place one page. ``back``: the reverse side, where folds fall mirrored."""
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
        for box in pdef.boxes:
            self.box(page, box, b)
        if self.is_draft():
            self.draft_band(page, b)
        if self.finish.crop_marks and marks:
            page.marks.extend(crop_marks([trim.x, trim.x1], [trim.y, trim.y1], trim, b))
            for x in page.folds:
                page.marks.append(Mark(x, 0, x, oy - b - mm(CROP_OFFSET_MM), "fold"))
                page.marks.append(Mark(x, trim.y1 + b + mm(CROP_OFFSET_MM), x, page.media_h, "fold"))
        return page

    def is_draft(self) -> bool:
        """Any language this layout prints is a translation not yet reviewed (``_locale.yaml``)."""
        infos = self.content.locale_info
        return any(code in infos and not infos[code].reviewed for code in (self.locale, *self.layout.languages))

    def draft_band(self, page: Page, bleed_pt: float) -> None:
        """A band across the top (or foot) of the page saying the translation is a draft: it runs
        into the bleed, and its words sit inside the safe zone. Preflight refuses a page where the
        band would cover other text, so a layout leaves room for it (``draft_band: top|bottom``)."""
        lay = self.layout
        style = self.styles.styles.get(DRAFT_STYLE) or self.style("small")
        blk = self.ts.set([Span(DRAFT_TEXT, bold=True)], style, page.safe.w)
        h = mm(lay.safe) + blk.height + mm(1.0)
        y = 0.0 if lay.draft_band == "top" else lay.trim_h - h / mm(1)
        box = Box(DRAFT_BOX, "text", 0.0, y, lay.trim_w, h / mm(1), lay.loc, style=style.name, align="centre",
                  background="sun" if "sun" in self.styles.palette else None)
        r = self.rect(page, box)
        page.fills.append(Fill(extend_to_bleed(r, page.trim, bleed_pt), box.background or "paper", DRAFT_BOX))
        rep = BoxReport(page.name, DRAFT_BOX, "text", r, lay.loc, ("draft",), available=r.h, background=box.background)
        page.boxes.append(rep)
        top = r.y1 - mm(lay.safe) if lay.draft_band == "top" else r.y + blk.height + mm(0.5)
        self.emit(page, box, blk, page.safe.x, top, page.safe.w, "draft", 0.0, rep)
        rep.needed = blk.height

    def rect(self, page: Page, box: Box) -> Rect:
        t = page.trim
        return Rect(t.x + mm(box.x), t.y1 - mm(box.y) - mm(box.h), mm(box.w), mm(box.h))

    def box(self, page: Page, box: Box, bleed_pt: float) -> None:
        """Fill one box; a box pinned to a language (bilingual layouts) reads that language only,
        and the document's own language applies again after it (title, subject, other boxes)."""
        if not box.locale:
            return self._box(page, box, bleed_pt)
        saved = self.chain, self.registry
        self.chain = [box.locale]
        self.registry = self._registry(self.chain)
        try:
            self._box(page, box, bleed_pt)
        finally:
            self.chain, self.registry = saved

    def _box(self, page: Page, box: Box, bleed_pt: float) -> None:
        has_school = self.content.school_id is not None
        if (box.when == "school" and not has_school) or (box.when == "no-school" and has_school):
            return
        if has_school and (box.when != "always" or box.kind in ("people", "logo")):
            self.uses_school = True
        r = self.rect(page, box)
        under = box.background or self._under(page, r)
        if box.background:
            page.fills.append(Fill(extend_to_bleed(r, page.trim, bleed_pt), box.background, box.name))
        pad = mm(box.padding)
        inner = Rect(r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad)
        keys = tuple(k for k in (*box.text, box.items, box.heading, box.qr, box.label) if k)
        rep = BoxReport(page.name, box.name, box.kind, r, box.loc, keys, available=inner.h, background=under)
        page.boxes.append(rep)
        if box.kind == "fill":
            return
        blocks: list[tuple[Block, float, str]] = []  # block, x offset, key
        qr: tuple[QRCode, float] | None = None
        if box.heading:
            blocks.append((self.ts.set(self.spans(self.text(box.heading)), self.style(box.heading_style), inner.w),
                           0.0, box.heading))
        if box.kind in ("text", "edition"):
            for k in box.text:
                blocks.append((self.ts.set(self.spans(self.text(k)), self.style(box.style), inner.w, 0.0), 0.0, k))
        elif box.kind == "list":
            self.list_box(page, box, inner, rep, blocks)
            return
        elif box.kind == "people":
            self.people_box(page, box, inner, rep, blocks)
            return
        elif box.kind == "logo":
            if self.content.school_logo:
                page.images.append(fit_image(self.content.school_logo, inner, box.name))
            return
        elif box.kind == "contacts":
            blocks.extend(self.contact_rows(box, inner.w))
        elif box.kind == "qr":
            if box.label:
                blocks.append((self.ts.set(self.spans(self.text(box.label)), self.style(box.style), inner.w),
                               0.0, box.label))
            cid, fld = box.qr.split(".")
            payload = getattr(self.registry[cid], fld)
            self.contacts.add(cid)
            matrix = qr_matrix(payload, box.qr_level)
            module = mm(box.qr_size) / len(matrix)
            qr = (QRCode(Rect(0, 0, mm(box.qr_size), mm(box.qr_size)), module, matrix, payload, box.qr_level,
                         QUIET_MODULES, box.name, box.qr, "ink" if "ink" in self.styles.palette else
                         next(iter(self.styles.palette)), "paper" if "paper" in self.styles.palette else under or ""),
                  QUIET_MODULES * module)
            if box.caption:
                cap = [Span(payload, nobreak=True, url=True, contact=cid)]
                blocks.append((self.ts.set(cap, self.style(box.caption_style), inner.w), 0.0, box.qr))
        self.place(page, box, inner, rep, blocks, qr)

    def _under(self, page: Page, r: Rect) -> str | None:
        """The colour of the last fill that covers this rectangle (text sits on it)."""
        for f in reversed(page.fills):
            if f.rect.contains(r):
                return f.colour
        return None

    def contact_rows(self, box: Box, width: float) -> list[tuple[Block, float, str]]:
        out = []
        name_style, num_style = self.style(box.style), self.style(box.number_style)
        for cid in box.contacts:
            c = self.registry[cid]
            self.contacts.add(cid)
            self.printed.update((self.chain[0], f"contact_names.{cid}{sub}") for sub in ("", ".label", ".short"))
            value = getattr(c, box.contact_field)
            num = self.ts.set([Span(value, nobreak=True, url=box.contact_field == "web", contact=cid)], num_style, width)
            num_w = max((ln.width for ln in num.lines), default=0.0)
            shown = c.name if box.contact_name == "name" else (c.short_name or c.name)
            name = self.ts.set([Span(shown, contact=cid)], name_style,
                               max(width - num_w - mm(3), width * 0.3))
            if len(num.lines) == 1 and name.lines and name.lines[0].width + mm(3) + num_w <= width:
                # number right-aligned on the first line of the name
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

    def list_items(self, box: Box) -> list[Item]:
        items = list(self.lookup(box.items))
        if box.only:
            by_id = {i.id: i for i in items}
            items = [by_id[i] for i in box.only]
        return items

    def list_box(self, page: Page, box: Box, inner: Rect, rep: BoxReport,
                 head: list[tuple[Block, float, str]]) -> None:
        style = self.style(box.style)
        label_style = self.style(box.label_style) if box.label_style else None
        cols = box.columns
        gap = mm(box.column_gap)
        col_w = (inner.w - gap * (cols - 1)) / cols
        bullet_w = self.ts._measure(BULLET + " ", style, False, False) if box.bullet else 0.0
        entries: list[list[tuple[Block, float, str]]] = []
        for item in self.list_items(box):
            parts: list[tuple[Block, float, str]] = []
            show = box.show.split("+")
            for f in show:
                t = item.get(f) or (item.get("label") if f == "short" else None)
                if t is None:
                    continue
                st = label_style if (label_style and f in ("label", "short") and len(show) > 1) else style
                bold = f in ("label", "short") and len(show) > 1 and label_style is None
                blk = self.ts.set(self.spans(t, bold=bold), st, col_w - bullet_w)
                parts.append((blk, bullet_w, t.key))
            if box.bullet and parts:
                first = parts[0][0].lines[0]
                bl = self.ts.set([Span(BULLET)], style, bullet_w * 2)
                first.runs[:0] = [Run(r.x - bullet_w, r.text, r.font, r.size, r.colour, r.missing)
                                  for r in bl.lines[0].runs]
            entries.append(parts)
        heights = [sum(b.height for b, _, _ in e) for e in entries]
        item_gap = mm(box.gap)
        columns = balance(heights, item_gap, cols)
        top = self.emit_head(page, box, inner, head, item_gap, rep)
        col_heights = []
        for ci, idxs in enumerate(columns):
            x = inner.x + ci * (col_w + gap)
            y = top
            for n, i in enumerate(idxs):
                if n:
                    y -= item_gap
                for blk, dx, key in entries[i]:
                    y = self.emit(page, box, blk, x, y, col_w, key, dx, rep)
            col_heights.append(top - y)
        rep.needed = inner.y1 - top + max(col_heights, default=0.0)

    def emit_head(self, page: Page, box: Box, inner: Rect, head: list[tuple[Block, float, str]], gap: float,
                  rep: BoxReport) -> float:
        """Place a box's heading across its full width; return where the body starts."""
        y = inner.y1
        for blk, dx, key in head:
            y = self.emit(page, box, blk, inner.x, y, inner.w, key, dx, rep)
        return y - gap if head else y

    def people_box(self, page: Page, box: Box, inner: Rect, rep: BoxReport,
                   head: list[tuple[Block, float, str]]) -> None:
        """The DSL and deputies: photo (if any has one) beside name, role, place and phone."""
        people = list(self.content.school_people)
        role_name = self.content.school_fields.get("role_name", "")
        name_style = self.style(box.label_style or "label")
        body, number = self.style(box.style), self.style(box.number_style)
        cols = box.columns
        gap, col_gap = mm(box.gap), mm(box.column_gap)
        col_w = (inner.w - col_gap * (cols - 1)) / cols
        photo = mm(box.photo_size) if any(p.photo for p in people) else 0.0
        beside = photo + mm(3) if photo else 0.0
        cells = []
        for i, p in enumerate(people):
            text_w = (inner.w if i == 0 else col_w) - beside  # the lead has a row of their own
            if i == 0:
                title = [Span(role_name)]
            elif box.label:  # e.g. "Deputy {school.role_name}", in the build's language
                title = self.spans(self.text(box.label))
            else:
                title = [Span(f"Deputy {role_name}")]
            who = "school.dsl" if i == 0 else f"school.deputies[{i - 1}]"
            blocks = [(self.ts.set([Span(p.name)], name_style, text_w), who)]
            if i == 0 or not box.deputies_heading:  # else the deputies' title is said once, above them
                blocks.append((self.ts.set(title, body, text_w), box.label or "school.role_name"))
            for extra in (p.role, p.location):
                if extra:
                    blocks.append((self.ts.set([Span(extra)], body, text_w), "school.people"))
            if p.phone:
                blocks.append((self.ts.set([Span(p.phone, nobreak=True)], number, text_w), "school.people.phone"))
            h = max(sum(b.height for b, _ in blocks), photo)
            cells.append((p, blocks, h))
        top = self.emit_head(page, box, inner, head, gap, rep)
        # the lead on a row of their own, then the deputies `columns` to a row
        rows = [cells[:1]] + [cells[s:s + cols] for s in range(1, len(cells), cols)]
        for n, row in enumerate(rows):
            if not row:
                continue
            if n == 1 and box.deputies_heading:
                blk = self.ts.set(self.spans(self.text(box.deputies_heading)), self.style(box.heading_style), inner.w)
                top = self.emit(page, box, blk, inner.x, top, inner.w, box.deputies_heading, 0.0, rep) - mm(1)
            row_h = max(h for _, _, h in row)
            for ci, (p, blocks, _h) in enumerate(row):
                x = inner.x + ci * (col_w + col_gap)
                if p.photo:
                    page.images.append(fit_image(p.photo, Rect(x, top - photo, photo, photo), box.name))
                ty = top
                for blk, key in blocks:
                    ty = self.emit(page, box, blk, x + beside, ty, col_w - beside, key, 0.0, rep)
            top -= row_h + gap
        rep.needed = inner.y1 - top - gap

    def place(self, page: Page, box: Box, inner: Rect, rep: BoxReport, blocks: list[tuple[Block, float, str]],
              qr: tuple[QRCode, float] | None) -> None:
        gap = mm(box.gap)
        heights = [b.height for b, _, _ in blocks]
        qr_h = (qr[0].rect.h + 2 * qr[1]) if qr else 0.0
        needed = sum(heights) + gap * max(0, len(blocks) - 1) + qr_h
        rep.needed = needed
        free = inner.h - needed
        y = inner.y1 - (free / 2 if box.valign == "middle" and free > 0 else free if box.valign == "bottom" and free > 0 else 0)
        order = list(blocks)
        qr_at = 1 if (qr and box.label) else 0
        for i, (blk, dx, key) in enumerate(order):
            if qr and i == qr_at:
                y = self.place_qr(page, qr, inner, y)
                y -= gap
            y = self.emit(page, box, blk, inner.x, y, inner.w, key, dx, rep)
            if i < len(order) - 1:
                y -= gap
        if qr and qr_at >= len(order):
            self.place_qr(page, qr, inner, y)

    def place_qr(self, page: Page, qr: tuple[QRCode, float], inner: Rect, y: float) -> float:
        code, quiet = qr
        size = code.rect.w
        x = inner.x + (inner.w - size) / 2
        top = y - quiet
        placed = QRCode(Rect(x, top - size, size, size), code.module, code.matrix, code.payload, code.level,
                        code.quiet, code.box, code.key, code.colour, code.paper)
        page.fills.append(Fill(placed.quiet_rect, code.paper, code.box, background=False))
        page.qrcodes.append(placed)
        return top - size - quiet

    def emit(self, page: Page, box: Box, blk: Block, x: float, y: float, width: float, key: str, dx: float,
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
