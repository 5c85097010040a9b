"""Line breaking with the fonts' own metrics: spans in, set lines out (pure).

The Typesetter needs only a small ``Metrics`` protocol: how a text splits into
faces (with their advance widths), each face's file, where a word may be
hyphenated, and a memo for set paragraphs. ``fonts.FontBook`` is the real one;
layout tests give it simple metrics whose line breaks can be worked out by hand.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Protocol

from ..document import Run
from ..models import Layout, Styles, TextStyle
from ..textmarkup import Span

HYPHEN = "-"


class Face(Protocol):
    name: str

    def width(self, text: str, size: float) -> float: ...


class Metrics(Protocol):
    """What line breaking needs to know about the fonts (see fonts.FontBook)."""

    blocks: dict  # memo of set paragraphs, kept as long as the metrics (a batch worker's lifetime)

    def split(self, text: str, family: str, bold: bool, italic: bool) -> list[tuple[Face, str, bool]]:
        """(face, text, missing) runs: each character in the first face of the family's chain that has it."""
        ...

    def path(self, face: str) -> str:
        """The font file of a face (the PDF embeds it)."""
        ...

    def hyphenate(self, word: str) -> list[int]:
        """Where ``word`` may be hyphenated (offsets), from a dictionary; [] if nowhere."""
        ...


@dataclass
class Piece:
    text: str
    style: TextStyle
    bold: bool
    italic: bool
    url: bool = False
    nobreak: bool = False  # a number or address from the registry
    hyphenate: bool = False  # from a school's profile (a name): may be hyphenated rather than refused


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
    faces: frozenset[str] = frozenset()  # the faces its runs are set in (the document embeds each)

    @property
    def height(self) -> float:
        return sum(line.size * line.leading for line in self.lines)

    @property
    def text(self) -> str:
        return " ".join("".join(r.text for r in ln.runs) for ln in self.lines)


class Typesetter:
    """Breaks spans into lines for one layout (its type scale and palette). Pure: it records
    nothing; what a box used is read from the blocks it keeps (``Block.faces``)."""

    def __init__(self, fonts: Metrics, layout: Layout, styles: Styles):
        self.fonts, self.layout, self.styles = fonts, layout, styles

    def size(self, style: TextStyle) -> float:
        return self.layout.type_scale[style.size]

    def measure(self, text: str, style: TextStyle, bold: bool = False, italic: bool = False) -> float:
        """The width of ``text`` in ``style`` (a bullet and its space, a separator)."""
        return self._measure(text, style, bold, italic)

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
                    cur.append(Piece(part, style, bold, italic, hyphenate=sp.school))
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
        return Block([dataclasses.replace(ln, runs=list(ln.runs)) for ln in done.lines],
                     list(done.too_wide), list(done.missing), done.faces)

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
                parts = self._split_long(word, avail) or self._hyphenate(word, avail)
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
        block.faces = frozenset(r.font for ln in block.lines for r in ln.runs)
        return block

    def _word_width(self, word: Word) -> float:
        return sum(self._measure(p.text, p.style, p.bold, p.italic) for p in word.pieces)

    def _split_long(self, word: Word, avail: float, first: float | None = None) -> list[Word] | None:
        """Break a word too wide for the line: a web address after a '/' (or, in a host name too
        wide for the line, before a '.' or '-'), another word after a hyphen it already has (never
        a new hyphen, never inside a number); None if impossible.
        ``first``: the room for the first part, when it goes at the end of a started line."""
        urls = [i for i, p in enumerate(word.pieces) if p.url]
        if len(urls) == 1:
            at = urls[0]
            pc = word.pieces[at]
            chunks = []
            for ch in re.findall(r"[^/]*/+|[^/]+$", pc.text):
                if self._measure(ch, pc.style, pc.bold, pc.italic) > avail + 1e-6:
                    # a host name too wide for the line breaks before a dot or a hyphen (never after
                    # one, which a reader could take for the end of a sentence or a hyphenation)
                    chunks.extend(c for c in re.split(r"(?=[.-])", ch) if c)
                else:
                    chunks.append(ch)
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

    def _hyphenate(self, word: Word, avail: float) -> list[Word] | None:
        """Break a word wider than the line (a 35-letter surname) with hyphens: where the
        dictionary allows, else anywhere, so a name is never refused. Only words from a school's
        profile: a word in the content is its editor's to shorten (preflight says which); never
        a number or an address, and never when even one letter and a hyphen are too wide."""
        if any(p.nobreak or p.url for p in word.pieces):
            return None
        at = max(range(len(word.pieces)), key=lambda i: len(word.pieces[i].text))
        before, p, after = word.pieces[:at], word.pieces[at], word.pieces[at + 1:]
        if not p.hyphenate:
            return None
        text = p.text
        allowed = set(self.fonts.hyphenate(text))

        def width(lead: list[Piece], chunk: str, tail: list[Piece]) -> float:
            return self._word_width(Word([*lead, dataclasses.replace(p, text=chunk), *tail]))

        parts: list[Word] = []
        start = 0
        while True:
            lead = before if start == 0 else []
            rest = text[start:]
            if width(lead, rest, after) <= avail + 1e-6:
                parts.append(Word([*lead, dataclasses.replace(p, text=rest), *after]))
                return parts
            fits = [i for i in range(start + 1, len(text)) if width(lead, text[start:i] + HYPHEN, []) <= avail + 1e-6]
            if not fits:
                return None
            good = [i for i in fits if i in allowed or text[i - 1] == HYPHEN]
            cut = max(good) if good else max(fits)
            chunk = text[start:cut] + ("" if text[cut - 1] == HYPHEN else HYPHEN)
            parts.append(Word([*lead, dataclasses.replace(p, text=chunk)]))
            start = cut

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
