"""Stage 3: lay content into a layout's boxes, producing a Document (pure).

No files are written and reportlab is not imported: text is broken into lines
with the fonts' own metrics (fonts.FontBook), QR matrices come from ``qrcode``'s
pure matrix builder, and everything is placed in points. Whatever does not fit
is *recorded* (BoxReport), never shrunk, clipped or pushed to another page:
preflight then refuses it with the box's name.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

import qrcode
import qrcode.constants

from . import textmarkup
from .document import BoxReport, Document, Fill, Image, Mark, Page, QRCode, Rect, Run, TextLine, mm
from .errors import InputError, Location, Problem
from .fonts import Face, FontBook
from .lookup import PAPER_MM, localized_contacts, resolve_in
from .models import Box, Content, ImageRef, Item, Layout, Styles, Text, TextStyle
from .textmarkup import Span

CROP_OFFSET_MM = 2.0  # gap between the bleed edge and a crop mark
CROP_LENGTH_MM = 5.0
QUIET_MODULES = 4
BULLET = "\u2022"
RIGHT = -1.0  # as a block's indent: right-align the block (a number under its name)


@dataclass(frozen=True)
class Finish:
    """How the file will be printed: office (trim = paper) or print shop (bleed, marks).

    ``back_offset`` (mm, x then y) shifts the backs of imposed sheets, to
    cancel the 1-4 mm front/back drift of an office printer's duplex unit.
    """

    name: str
    bleed: bool
    crop_marks: bool
    back_offset: tuple[float, float] = (0.0, 0.0)
    sheet_marks: bool = True  # cut guides on imposed sheets (butt-cut cards need them even at the office)


OFFICE = Finish("office", bleed=False, crop_marks=False)
PRINT_SHOP = Finish("print-shop", bleed=True, crop_marks=True)


# --- line breaking -------------------------------------------------------------------------------

@dataclass
class Piece:
    text: str
    style: TextStyle
    bold: bool
    italic: bool
    url: bool = False
    nobreak: bool = False  # a number or address from the registry


@dataclass
class Word:
    pieces: list[Piece]
    breakable_url: bool = False

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass
class SetLine:
    """A line before placement: runs at x offsets from the line's start."""

    runs: list[Run]
    width: float
    size: float  # largest font size on the line
    leading: float
    role: str
    align: str = "left"  # the style's alignment; a box's align overrides it


@dataclass
class Block:
    lines: list[SetLine] = field(default_factory=list)
    too_wide: list[tuple[str, float]] = field(default_factory=list)  # (word, the width it had, pt)
    missing: list[str] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(line.size * line.leading for line in self.lines)


class Typesetter:
    """Breaks spans into lines for one layout (its type scale and palette)."""

    def __init__(self, fonts: FontBook, layout: Layout, styles: Styles):
        self.fonts, self.layout, self.styles = fonts, layout, styles
        self.used: dict[str, str] = {}

    def size(self, style: TextStyle) -> float:
        return self.layout.type_scale[style.size]

    def _measure(self, text: str, style: TextStyle, bold: bool, italic: bool) -> float:
        size = self.size(style)
        return sum(face.width(t, size) for face, t, _ in self.fonts.split(text, style.family, bold, italic))

    def words(self, spans: list[Span], style: TextStyle) -> list[Word | None]:
        """Words separated by breakable spaces; None marks a forced line break."""
        out: list[Word | None] = []
        cur: list[Piece] = []
        url = False

        def flush() -> None:
            nonlocal cur, url
            if cur:
                out.append(Word(cur, url))
            cur, url = [], False

        for sp in spans:
            bold, italic = sp.bold or style.bold, sp.italic or style.italic
            if sp.nobreak:
                cur.append(Piece(sp.text.replace("\u00ad", ""), style, bold, italic, sp.url, True))
                url = url or sp.url
                continue
            for part in re.split(r"(\n|[ \t]+)", sp.text.replace("\u00ad", "")):
                if part == "\n":
                    flush()
                    out.append(None)
                elif part.strip() == "" and part:
                    flush()
                elif part:
                    cur.append(Piece(part, style, bold, italic))
        flush()
        return out

    def set(self, spans: list[Span], style: TextStyle, width: float, indent: float = 0.0) -> Block:
        """Greedy line filling. Overlong words are recorded, URLs may break after '/'.

        Results are memoised per process (on the FontBook): a batch sets the same
        national paragraphs for every school, and setting text is compose's main cost.
        """
        key = (tuple(spans), style, self.size(style), round(width, 4), round(indent, 4))
        cache = self.fonts.blocks
        if key not in cache:
            if len(cache) > 20_000:
                cache.clear()
            cache[key] = self._set(spans, style, width, indent)
        done = cache[key]
        for ln in done.lines:
            for r in ln.runs:
                self.used[r.font] = self.fonts.paths[r.font]
        return Block([dataclasses.replace(ln, runs=list(ln.runs)) for ln in done.lines],
                     list(done.too_wide), list(done.missing))

    def _set(self, spans: list[Span], style: TextStyle, width: float, indent: float) -> Block:
        block = Block()
        self.size(style)
        space = self._measure(" ", style, style.bold, style.italic)
        line: list[Word] = []
        line_w = 0.0
        avail = width - indent

        def emit() -> None:
            nonlocal line, line_w
            block.lines.append(self._line(line, style, indent))
            line, line_w = [], 0.0

        for word in self.words(spans, style):
            if word is None:
                emit()
                continue
            ww = self._word_width(word)
            if line and line_w + space + ww <= avail + 1e-6:
                line.append(word)
                line_w += space + ww
                continue
            if line and word.breakable_url and ww > avail - line_w - space:
                # a long address starts on this line when a first part fits, rather than leaving a gap
                parts = self._split_long(word, avail, first=avail - line_w - space)
                if parts:
                    line.append(parts[0])
                    emit()
                    for part in parts[1:-1]:
                        line = [part]
                        emit()
                    line, line_w = [parts[-1]], self._word_width(parts[-1])
                    continue
            if line:
                emit()
            if ww > avail + 1e-6:
                parts = self._split_long(word, avail)
                if parts is None:
                    block.too_wide.append((word.text, avail))
                    parts = [word]
                for part in parts[:-1]:
                    line = [part]
                    emit()
                word = parts[-1]
                ww = self._word_width(word)
            line, line_w = [word], ww
        if line:
            emit()
        for ln in block.lines:
            block.missing.extend(r.text for r in ln.runs if r.missing)
        return block

    def _word_width(self, word: Word) -> float:
        return sum(self._measure(p.text, p.style, p.bold, p.italic) for p in word.pieces)

    def _split_long(self, word: Word, avail: float, first: float | None = None) -> list[Word] | None:
        """Break a word too wide for the line: a web address after a '/', another word after
        a hyphen it already has (never a new hyphen, never inside a number); None if impossible.
        ``first``: the room for the first part, when it goes at the end of a started line."""
        urls = [i for i, p in enumerate(word.pieces) if p.url]
        if len(urls) == 1:
            at = urls[0]
            chunks = re.findall(r"[^/]*/+|[^/]+$", word.pieces[at].text)
        else:  # a long hyphenated word (a double-barrelled name) may break after a hyphen
            at = max(range(len(word.pieces)), key=lambda i: len(word.pieces[i].text))
            chunks = re.findall(r"[^-]*[^-\s]-+|.+$", word.pieces[at].text)
            if len(chunks) < 2 or word.pieces[at].nobreak:
                return None
        before, p, after = word.pieces[:at], word.pieces[at], word.pieces[at + 1:]

        def piece(text: str) -> Piece:
            return Piece(text, p.style, p.bold, p.italic, p.url)

        # pieces glued to the address (an opening bracket, a full stop) stay with its first/last part
        parts: list[list[Piece]] = []
        cur = ""
        for ch in chunks:
            trial = cur + ch
            lead = before if not parts else []
            room = first if first is not None and not parts else avail
            if cur and self._word_width(Word([*lead, piece(trial)])) > room:
                parts.append([*lead, piece(cur)])
                cur = ch
            else:
                cur = trial
        parts.append([*(before if not parts else []), piece(cur), *after])
        words = [Word(ps, word.breakable_url) for ps in parts]
        limits = [first if first is not None and i == 0 else avail for i in range(len(words))]
        if len(words) < 2 and first is not None:
            return None
        if any(self._word_width(w) > lim + 1e-6 for w, lim in zip(words, limits, strict=True)):
            return None
        return words

    def _line(self, words: list[Word], style: TextStyle, indent: float) -> SetLine:
        runs: list[Run] = []
        x = indent
        size_max = self.size(style)
        for wi, word in enumerate(words):
            pieces = list(word.pieces)
            if wi > 0:
                pieces.insert(0, Piece(" ", pieces[0].style, pieces[0].bold, pieces[0].italic))
            for p in pieces:
                size = self.size(p.style)
                size_max = max(size_max, size)
                colour = p.style.colour
                for face, text, missing in self.fonts.split(p.text, p.style.family, p.bold, p.italic):
                    w = face.width(text, size)
                    last = runs[-1] if runs else None
                    if last and last.font == face.name and last.size == size and last.colour == colour \
                            and last.missing == missing:
                        runs[-1] = Run(last.x, last.text + text, face.name, size, colour, missing)
                    else:
                        runs.append(Run(x, text, face.name, size, colour, missing))
                    x += w
        return SetLine(runs, x, size_max, style.leading, style.role, style.align)

    def ascent(self, style: TextStyle) -> float:
        return self.fonts.chain(style.family, style.bold, style.italic)[0].ascent


# --- QR ------------------------------------------------------------------------------------------

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


@functools.lru_cache(maxsize=256)
def qr_matrix(payload: str, level: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules without border (cached: about 6 ms each to build)."""
    qr = qrcode.QRCode(error_correction=LEVELS[level], border=0, box_size=1)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return tuple(tuple(bool(v) for v in row) for row in qr.get_matrix())


# --- composition ---------------------------------------------------------------------------------

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
        try:
            spans = textmarkup.parse(t.value, self.registry, self.content.edition,
                                     school=self.content.school_fields, **kw)
        except textmarkup.NeedsSchool as exc:
            if self.content.school_id:
                why = f"uses {exc}, which the school profile '{self.content.school_id}' does not give"
            else:
                why = (f"uses {exc} but no school profile was given; build with --school, or use this text "
                       "only in boxes with when: school")
            raise InputError([Problem(t.loc, t.key, f"{why} (layout {self.layout.name})")]) from None
        self.contacts.update(s.contact for s in spans if s.contact)
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
        if lay.imposition:
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
            uses_school=self.uses_school)

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
        if pdef.background:
            page.fills.append(Fill(page.bleed, pdef.background, "page"))
        for box in pdef.boxes:
            self.box(page, box, b)
        if self.finish.crop_marks and marks:
            page.marks.extend(crop_marks([trim.x, trim.x1], [trim.y, trim.y1], trim, b))
            for f in lay.folds:
                x = ox + mm(lay.trim_w - f if back else f)
                page.marks.append(Mark(x, 0, x, oy - b - mm(CROP_OFFSET_MM), "fold"))
                page.marks.append(Mark(x, trim.y1 + b + mm(CROP_OFFSET_MM), x, page.media_h, "fold"))
        return page

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
            value = getattr(c, box.contact_field)
            num = self.ts.set([Span(value, nobreak=True, url=box.contact_field == "web", contact=cid)], num_style, width)
            num_w = max((ln.width for ln in num.lines), default=0.0)
            name = self.ts.set([Span(c.short_name or c.name, contact=cid)], name_style,
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


def extend_to_bleed(r: Rect, trim: Rect, b: float, tol: float = mm(0.1)) -> Rect:
    """A background touching the trim edge runs on into the bleed on that side.

    "Touching" allows 0.1 mm: a layout scaled from A4 to A3 (x 1.4142) ends
    0.02 mm short of the A3 trim, and must still bleed.
    """
    x0 = r.x - b if abs(r.x - trim.x) < tol else r.x
    y0 = r.y - b if abs(r.y - trim.y) < tol else r.y
    x1 = r.x1 + b if abs(r.x1 - trim.x1) < tol else r.x1
    y1 = r.y1 + b if abs(r.y1 - trim.y1) < tol else r.y1
    return Rect(x0, y0, x1 - x0, y1 - y0)


def balance(heights: list[float], gap: float, cols: int) -> list[list[int]]:
    """Split items, in order, into columns so the tallest column is as short as possible."""
    n = len(heights)
    if cols <= 1 or n <= 1:
        return [list(range(n))]
    best: tuple[float, list[list[int]]] | None = None

    def height(idxs: list[int]) -> float:
        return sum(heights[i] for i in idxs) + gap * max(0, len(idxs) - 1)

    def rec(start: int, left: int, acc: list[list[int]]) -> None:
        nonlocal best
        if left == 1:
            split = acc + [list(range(start, n))]
            worst = max(height(c) for c in split)
            if best is None or worst < best[0] - 1e-9:
                best = (worst, split)
            return
        for end in range(start, n + 1):
            rec(end, left - 1, acc + [list(range(start, end))])

    rec(0, cols, [])
    return best[1] if best else [list(range(n))]


def crop_marks(xs: list[float], ys: list[float], area: Rect, bleed: float) -> list[Mark]:
    """Marks at every cut line, outside the bleed of ``area`` (the block of trimmed items)."""
    off, length = bleed + mm(CROP_OFFSET_MM), mm(CROP_LENGTH_MM)
    marks = []
    for x in xs:
        marks.append(Mark(x, area.y - off, x, area.y - off - length, "crop"))
        marks.append(Mark(x, area.y1 + off, x, area.y1 + off + length, "crop"))
    for y in ys:
        marks.append(Mark(area.x - off, y, area.x - off - length, y, "crop"))
        marks.append(Mark(area.x1 + off, y, area.x1 + off + length, y, "crop"))
    return marks


SHEET_MARGIN_MM = 5.0  # office printers cannot print the outer few millimetres


def grid(sheet_w: float, sheet_h: float, item_w: float, item_h: float, bleed: float, marks: bool) -> tuple[int, int]:
    """How many items fit: butt-cut when there is no bleed, else each with its own bleed."""
    edge = SHEET_MARGIN_MM + (CROP_OFFSET_MM + CROP_LENGTH_MM if marks else 0.0)
    cols = int((sheet_w - 2 * edge) // (item_w + 2 * bleed))
    rows = int((sheet_h - 2 * edge) // (item_h + 2 * bleed))
    return max(cols, 0), max(rows, 0)


def impose(layout: Layout, pages: list[Page], finish: Finish) -> list[Page]:
    """Step-and-repeat each page on a sheet; the second page's copies are mirrored
    column-wise, so fronts and backs line up when printed long-edge duplex.

    Office finish: butt-cut, no bleed (10-up for cards on A4). Print shop: each
    item keeps its bleed, so neighbours sit 2 x bleed apart (8-up on A4).
    """
    imp = layout.imposition
    assert imp is not None
    sw, sh = mm(PAPER_MM[imp.sheet][0]), mm(PAPER_MM[imp.sheet][1])
    src0 = pages[0]
    b = src0.trim.x - src0.bleed.x
    iw, ih = src0.trim.w, src0.trim.h
    cols, rows = grid(PAPER_MM[imp.sheet][0], PAPER_MM[imp.sheet][1], layout.trim_w, layout.trim_h,
                      b / mm(1), finish.sheet_marks)
    step_x, step_y = iw + 2 * b, ih + 2 * b
    block_w = cols * iw + (cols - 1) * 2 * b
    block_h = rows * ih + (rows - 1) * 2 * b
    x0, y0 = (sw - block_w) / 2, (sh - block_h) / 2
    out = []
    for pi, src in enumerate(pages):
        block = Rect(x0, y0, block_w, block_h)
        whole = Rect(0, 0, sw, sh)
        sheet = Page(f"{src.name}-sheet", sw, sh, whole, whole, block)
        for row in range(rows):
            for col in range(cols):
                back = pi % 2 == 1
                c = cols - 1 - col if back else col
                dx = x0 + c * step_x - src.trim.x + (mm(finish.back_offset[0]) if back else 0.0)
                dy = y0 + (rows - 1 - row) * step_y - src.trim.y - (mm(finish.back_offset[1]) if back else 0.0)
                sheet.fills.extend(Fill(f.rect.moved(dx, dy), f.colour, f.box, f.background) for f in src.fills)
                sheet.lines.extend(TextLine(ln.y + dy, tuple(Run(r.x + dx, r.text, r.font, r.size, r.colour, r.missing)
                                                              for r in ln.runs), ln.box, ln.key, ln.role,
                                            ln.rect.moved(dx, dy)) for ln in src.lines)
                sheet.images.extend(Image(i.rect.moved(dx, dy), i.path, i.box, i.dpi) for i in src.images)
                sheet.qrcodes.extend(QRCode(q.rect.moved(dx, dy), q.module, q.matrix, q.payload, q.level, q.quiet,
                                            q.box, q.key, q.colour, q.paper) for q in src.qrcodes)
        if finish.sheet_marks:
            xs = sorted({x0 + c * step_x for c in range(cols)} | {x0 + c * step_x + iw for c in range(cols)})
            ys = sorted({y0 + r * step_y for r in range(rows)} | {y0 + r * step_y + ih for r in range(rows)})
            sheet.marks.extend(crop_marks(xs, ys, block, b))
        out.append(sheet)
    return out


def compose(layout: Layout, styles: Styles, content: Content, fonts: FontBook, locale: str,
            finish: Finish = PRINT_SHOP, school: str | None = None, fallback: str | None = None) -> list[Document]:
    """Compose one layout: its single document and, if it has an imposition, its sheet."""
    return Composer(layout, styles, content, fonts, locale, finish, school, fallback).build()


__all__ = ["compose", "Finish", "OFFICE", "PRINT_SHOP", "qr_matrix", "Face", "Location"]
