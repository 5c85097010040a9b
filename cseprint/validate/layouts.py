"""Layouts: the schema of a layout file, ``extends`` and ``scale``, and loading them all.

A page holds boxes placed at x, y (mm from the trim's top-left) with a size w x h.
A ``stack`` or ``grid`` box holds boxes of its own and places them itself: one
under another (or side by side), or in equal columns, their heights from their
content. Any box but a fill may list ``alternatives``, designed arrangements
tried in order (a page may too). The schema is declared here and every problem
is reported together, each with its file, line, column and key.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem
from ..load import display_name, load_yaml
from ..lookup import PAPER_MM
from ..models import Alternative, Box, Content, Imposition, Layout, PageDef, Styles
from ..schema import (
    ID_RE,
    LOCALE_RE,
    MISSING,
    Bool,
    Checker,
    Field,
    ListOf,
    MapOf,
    Num,
    Record,
    Str,
    quote,
    unknown,
)
from .refs import check_layout_refs
from .styles import load_styles

KINDS = ("poster", "card", "leaflet")
MIN_BODY_PT = {"poster": 14.0, "card": 12.0, "leaflet": 12.0}
CONTAINERS = ("stack", "grid")
BOX_KINDS = ("text", "list", "contacts", "qr", "fill", "edition", "people", "logo", *CONTAINERS)
SHOW = ("label", "short", "detail", "label+detail", "short+detail", "label+detail+source")
AUDIENCES = ("pupils", "staff", "parents")
NAME_RE = r"[a-z][a-z0-9_-]*"
UNSET: Any = object()  # a key an alternative leaves as the box has it


class Sides(Field):
    """Padding: one number for every side, [top and bottom, left and right], or [top, right, bottom, left]
    (CSS's order), in mm; read as (top, right, bottom, left)."""

    expected = "a number in mm, or a list of 2 or 4 numbers in mm (top and bottom, left and right; or top, right, bottom, left)"

    def __init__(self, *, required: bool = False, default: Any = (0.0, 0.0, 0.0, 0.0)):
        self.required, self.default = required, default
        self.one = Num(min=0, max=100, unit="mm")

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        values = value if isinstance(value, list) else [value]
        if len(values) not in (1, 2, 4):
            return self.bad(value, loc, key, ck, f"has {len(values)} numbers; expected {self.expected}")
        got = [self.one.check(v, loc, key, ck) for v in values]
        if any(g is MISSING for g in got):
            return MISSING
        if len(got) == 1:
            got = got * 4
        elif len(got) == 2:
            got = [got[0], got[1], got[0], got[1]]
        return tuple(got)


MM = dict(min=0, max=2000, unit="mm")
BOX = Record({
    "name": Str(pattern=NAME_RE, pattern_help="a name in lower-case letters, digits, '_' and '-'"),
    "kind": Str(choices=BOX_KINDS),
    "x": Num(required=False, **MM), "y": Num(required=False, **MM),
    "w": Num(required=False, **MM), "h": Num(required=False, **MM),
    "style": Str(required=False, default="body"),
    "background": Str(required=False),
    "padding": Sides(),
    "valign": Str(required=False, default="top", choices=("top", "middle", "bottom")),
    "align": Str(required=False, choices=("left", "centre", "right")),
    "text": ListOf(Str(), required=False, default=[], scalar_ok=True),
    "heading": Str(required=False),
    "heading_style": Str(required=False, default="heading"),
    "items": Str(required=False),
    "only": ListOf(Str(pattern=ID_RE, pattern_help="an item id"), required=False, default=[]),
    "show": Str(required=False, default="label+detail", choices=SHOW),
    "label_style": Str(required=False),
    "columns": Num(required=False, min=1, max=6, integer=True),
    "column_gap": Num(required=False, default=5.0, min=0, max=50, unit="mm"),
    "gap": Num(required=False, default=2.0, min=0, max=50, unit="mm"),
    "bullet": Bool(required=False, default=True),
    "contacts": ListOf(Str(pattern=ID_RE, pattern_help="a contact id"), required=False, default=[]),
    "contact_field": Str(required=False, default="phone", choices=("phone", "textphone", "email", "web")),
    "contact_name": Str(required=False, default="short", choices=("short", "name")),
    "number_style": Str(required=False, default="number"),
    "qr": Str(required=False, pattern=ID_RE + r"\.(web)", pattern_help="a contact's web address, e.g. ceop.web"),
    "qr_size": Num(required=False, default=30.0, min=1, max=300, unit="mm"),
    "qr_level": Str(required=False, default="M", choices=("L", "M", "Q", "H")),
    "caption": Bool(required=False, default=True),
    "caption_style": Str(required=False, default="caption"),
    "label": Str(required=False),
    "when": Str(required=False, default="always", choices=("always", "school", "no-school")),
    "locale": Str(required=False, pattern=LOCALE_RE, pattern_help="a locale code such as en-GB or cy"),
    "photo_size": Num(required=False, default=25.0, min=5, max=200, unit="mm"),
    "deputies_heading": Str(required=False),
    # flow
    "direction": Str(required=False, choices=("down", "across")),
    "grow": Num(required=False, default=0.0, min=0, max=100),
    "min_h": Num(required=False, **MM),
    "max_h": Num(required=False, **MM),
    "optional": Bool(required=False, default=False),
    "needs_contact": Str(required=False, pattern=ID_RE, pattern_help="a contact id such as school-partnership"),
    "type_step": Num(required=False, default=0, min=0, max=6, integer=True),
    # people
    "photos": Bool(required=False, default=True),
    "lead_style": Str(required=False),
    "lead_photo_size": Num(required=False, min=5, max=200, unit="mm"),
    "arrangement": Str(required=False, default="cards", choices=("cards", "list", "lines")),
    "languages": ListOf(Str(pattern=LOCALE_RE, pattern_help="a locale code such as en-GB or cy"), required=False,
                        default=[], max_items=4),
})
BOX.fields["boxes"] = ListOf(BOX, required=False, default=[], min_items=1, max_items=100)
NOT_CHANGED = ("name", "kind", "x", "y", "w", "h", "boxes", "alternatives")  # what an alternative may not change


class Unset(Field):
    """An optional key an alternative may set to null, to leave out what the box has (a heading)."""

    def __init__(self, field: Field):
        self.field, self.required, self.default, self.expected = field, False, UNSET, field.expected + " or null"

    def check(self, value: Any, loc: Location, key: str, ck: Checker) -> Any:
        return None if value is None else self.field.check(value, loc, key, ck)


def _changes(named: bool) -> Record:
    """The fields an alternative may change: any of the box's own, none required; those a box may
    leave out (a heading, a background) may be set to null."""
    out: dict[str, Field] = {"name": Str(pattern=NAME_RE, pattern_help="a name such as two-columns")} if named else {}
    for k, f in BOX.fields.items():
        if k not in NOT_CHANGED:
            f = copy.copy(f)
            optional = f.default is None and not f.required
            f.required, f.default = False, UNSET
            out[k] = Unset(f) if optional and k not in ("columns", "direction") else f
    return Record(out)


BOX.fields["alternatives"] = ListOf(_changes(named=True), required=False, default=[], min_items=1, max_items=12)
CHANGES = _changes(named=False)
# a page's arrangement may also narrow a box's own to some of them, in the order it names them
CHANGES.fields["alternatives"] = ListOf(Str(pattern=NAME_RE, pattern_help="an alternative's name"), required=False,
                                        default=UNSET, min_items=1)
PAGE = Record({
    "name": Str(pattern=NAME_RE, pattern_help="a page name in lower-case letters"),
    "background": Str(required=False),
    "boxes": ListOf(BOX, min_items=1, max_items=200),
    "alternatives": ListOf(Record({
        "name": Str(pattern=NAME_RE, pattern_help="a name such as routes-on-the-flap"),
        "change": MapOf(CHANGES, key_pattern=NAME_RE, key_help="box names", required=False, default={}),
    }), required=False, default=[], min_items=1, max_items=12),
})
LAYOUT = Record({
    "kind": Str(choices=KINDS),
    "audience": Str(required=False, choices=AUDIENCES),  # required, but a layout that extends may inherit it
    "max_reading_grade": Num(required=False, min=1, max=20),
    "draft_band": Str(required=False, choices=("top", "bottom")),
    "extends": Str(required=False),
    "page": Record({
        "size": Str(choices=tuple(PAPER_MM)),
        "orientation": Str(required=False, default="portrait", choices=("portrait", "landscape")),
        "bleed": Num(required=False, default=3.0, min=0, max=10, unit="mm"),
        "safe": Num(required=False, default=5.0, min=0, max=30, unit="mm"),
    }),
    "min_body_pt": Num(required=False, min=4, max=200, unit="pt"),
    "scale": Num(required=False, default=1.0, min=0.1, max=10),
    "type_scale": MapOf(Num(min=1, max=400, unit="pt"), key_pattern=r"[a-z][a-z0-9_-]*", key_help="lower-case names",
                        required=False),
    "title": Str(),
    "subject": Str(),
    "pages": ListOf(PAGE, required=False, min_items=1, max_items=20),
    "imposition": Record({
        "sheet": Str(choices=("A4", "A3")),
    }, required=False),
    "folds": ListOf(Num(**MM), required=False, default=[]),
    "needs_school": Bool(required=False, default=False),
    "languages": ListOf(Str(pattern=LOCALE_RE, pattern_help="a locale code such as en-GB or cy"), required=False,
                        default=[], max_items=4),
    "reading_order": ListOf(Str(pattern=r"[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*", pattern_help="page.box"),
                            required=False, default=[]),
    "larger": Str(required=False, pattern=r"[a-z0-9][a-z0-9-]*", pattern_help="a layout's name, e.g. who-to-tell-a3"),
    "finishes": ListOf(Str(choices=("office", "print-shop")), required=False, min_items=1, max_items=2),
})


def load_layouts(layouts_dir: Path, fonts_dir: Path, content: Content | None,
                 names: list[str] | None = None,
                 chains: list[list[str]] | None = None) -> tuple[Styles, dict[str, Layout]]:
    """Read ``_styles.yaml`` and every layout (or those named), checking all references.

    ``chains`` lists the locale look-up orders to check (e.g. [["cy", "en-GB"]]
    when Welsh may fall back to English); by default every locale on its own.
    """
    ck = Checker()
    if not layouts_dir.is_dir():
        raise InputError([Problem(Location(display_name(layouts_dir)), "", "layouts folder not found")])
    styles = load_styles(layouts_dir / "_styles.yaml", fonts_dir, ck)
    raws: dict[str, Any] = {}
    for path in sorted(layouts_dir.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            raws[path.stem] = (path, load_yaml(path))
        except InputError as exc:
            ck.problems.extend(exc.problems)
    if names:
        for n in names:
            if n not in raws:
                ck.error(None, "--layout", unknown("layout", n, raws))
    layouts: dict[str, Layout] = {}
    wanted = sorted(set(names)) if names else sorted(raws)
    for name in wanted:
        if name not in raws:
            continue
        path, raw = raws[name]
        lay = _layout(name, path, raw, raws, ck)
        if lay is not None and lay.languages and chains and lay.languages[0] not in {c[0] for c in chains}:
            layouts[name] = lay  # a bilingual layout of another language: not built, not checked now
            continue
        if lay is not None and styles is not None:
            every = [[c] for c in (content.locales if content else [])]
            if lay.languages and not chains:  # a layout of named languages is checked in those only
                every = [[c] for c in lay.languages]
            mine = [c for c in chains or [] if not lay.languages or c[0] in lay.languages]  # its own languages only
            check_layout_refs(lay, styles, content, mine or every, ck)
            layouts[name] = lay
    if ck.errors or styles is None:
        raise InputError(ck.errors or [Problem(Location(display_name(layouts_dir)), "", "_styles.yaml is missing")])
    if not layouts:
        raise InputError([Problem(Location(display_name(layouts_dir)), "", "no layouts (*.yaml) found")])
    return styles, layouts


def _layout(name: str, path: Path, raw: Any, raws: dict[str, Any], ck: Checker) -> Layout | None:
    file = display_name(path)
    loc = getattr(raw, "loc", Location(file))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        ck.error(Location(file), "", "layout file names use lower-case letters, digits and hyphens")
        return None
    got = LAYOUT.check(raw, loc, "", ck)
    if got is MISSING:
        return None
    pages_raw = got["pages"]
    if got["extends"]:
        base = raws.get(got["extends"])
        if base is None:
            ck.error(raw.loc_of("extends"), "extends", unknown("layout", got["extends"], raws))
            return None
        if pages_raw:
            ck.error(raw.loc_of("pages"), "pages", "a layout that extends another takes its pages from it; remove pages")
            return None
        base_got = LAYOUT.check(base[1], getattr(base[1], "loc", loc), "", Checker())
        if base_got is MISSING or base_got["extends"]:
            ck.error(raw.loc_of("extends"), "extends", f"layout {quote(got['extends'])} cannot be extended (it is invalid or extends another)")
            return None
        pages_raw = base_got["pages"]
        got["needs_school"] = got["needs_school"] or base_got["needs_school"]
        got["languages"] = got["languages"] or base_got["languages"]
        got["reading_order"] = got["reading_order"] or base_got["reading_order"]
        for k in ("type_scale", "min_body_pt", "audience", "max_reading_grade", "draft_band", "finishes"):
            if got[k] is None:
                got[k] = base_got[k]
        if not got["folds"]:
            got["folds"] = base_got["folds"]
        if got["imposition"] is None:
            got["imposition"] = base_got["imposition"]
    if not pages_raw:
        ck.error(loc, "pages", "missing; expected a list of pages with boxes")
        return None
    if got["audience"] is None:
        ck.error(loc, "audience", "missing; say who reads it: pupils, staff or parents")
        return None
    w, h = PAPER_MM[got["page"]["size"]]
    if got["page"]["orientation"] == "landscape":
        w, h = max(w, h), min(w, h)
    elif got["page"]["size"] != "CR80":
        w, h = min(w, h), max(w, h)
    scale = got["scale"]
    pages = [_page(p, name, w, h, scale, ck) for p in pages_raw]
    if got["larger"] and got["larger"] not in raws:
        ck.error(raw.loc_of("larger"), "larger", unknown("layout", got["larger"], raws))
    kind = got["kind"]
    ts = dict(got["type_scale"] or {})
    if not ts:
        ck.error(loc, "type_scale", "missing; expected sizes in pt such as body: 14")
    min_body = (got["min_body_pt"] or MIN_BODY_PT[kind]) * scale
    imp = got["imposition"]
    imposition = Imposition(imp["sheet"], imp["_loc"]) if imp else None
    if got["reading_order"]:
        names = [f"{p.name}.{b.name}" for p in pages for b in p.boxes]
        for i, ref in enumerate(got["reading_order"]):
            if ref not in names:
                hint = difflib.get_close_matches(ref, names, n=1)
                ck.error(raw.loc_of("reading_order"), f"reading_order[{i}]",
                         f"no box {quote(ref)}" + (f"; did you mean '{hint[0]}'?" if hint else ""))
        missing = [n for n in names if n not in got["reading_order"]]
        if missing:
            ck.error(raw.loc_of("reading_order"), "reading_order",
                     f"leaves out {', '.join(missing)}; list every box (fills are skipped in the web copy)")
    return Layout(name=name, kind=kind, trim_w=w, trim_h=h, bleed=got["page"]["bleed"], safe=got["page"]["safe"] * scale,
                  min_body_pt=min_body, scale=scale, type_scale={k: v * scale for k, v in ts.items()},
                  pages=tuple(pages), title=got["title"], subject=got["subject"], imposition=imposition,
                  folds=tuple(f * scale for f in got["folds"]), needs_school=got["needs_school"],
                  languages=tuple(got["languages"]), reading_order=tuple(got["reading_order"]), file=file, loc=loc,
                  audience=got["audience"], max_reading_grade=got["max_reading_grade"],
                  draft_band=got["draft_band"] or "top", larger=got["larger"],
                  finishes=tuple(dict.fromkeys(got["finishes"] or ("office", "print-shop"))))


SCALED = ("x", "y", "w", "h", "column_gap", "gap", "qr_size", "photo_size", "min_h", "max_h", "lead_photo_size")
TUPLES = ("text", "only", "contacts", "languages")


def _fields(got: dict, scale: float) -> dict:
    """A checked box (or an alternative's changes) as Box fields: sizes scaled, lists made tuples."""
    out = {}
    for k, v in got.items():
        if k.startswith("_") or k in ("boxes", "alternatives") or v is UNSET:
            continue
        if k in SCALED and v is not None:
            v = v * scale
        elif k == "padding":
            v = tuple(x * scale for x in v)
        elif k in TUPLES:
            v = tuple(v)
        out[k] = v
    return out


def _page(p: dict, layout: str, page_w: float, page_h: float, scale: float, ck: Checker) -> PageDef:
    seen: dict[str, Location] = {}
    boxes = tuple(b for b in (_box(raw, "page", layout, p["name"], page_w, page_h, scale, seen, ck)
                              for raw in p["boxes"]) if b is not None)
    alts = []
    names: set[str] = set()
    for a in p["alternatives"] or []:
        key = f"{a['_key']}"
        if a["name"] in names:
            ck.error(a["_loc"], f"{key}.name", f"alternative {quote(a['name'])} is named twice on page {p['name']}")
        names.add(a["name"])
        changes = {}
        for target, ch in a["change"].items():
            if target not in seen:
                hint = difflib.get_close_matches(target, list(seen), n=1)
                ck.error(a["_loc"], f"{key}.change.{target}", f"no box {quote(target)} on page {p['name']}"
                         + (f"; did you mean '{hint[0]}'?" if hint else ""))
                continue
            changes[target] = _fields(ch, scale)
            if ch["alternatives"] is not UNSET:
                own = [alt.name for alt in _find(boxes, target).alternatives]
                for n in ch["alternatives"]:
                    if n not in own:
                        ck.error(a["_loc"], f"{key}.change.{target}.alternatives",
                                 unknown(f"alternative of box {target}", n, dict.fromkeys(own)))
                changes[target]["_keep"] = tuple(ch["alternatives"])
        alts.append(Alternative(a["name"], a["_loc"], boxes=tuple(_changed(b, changes) for b in boxes)))
    return PageDef(p["name"], boxes, p["background"], tuple(alts))


def _find(boxes: tuple[Box, ...], name: str) -> Box | None:
    for b in boxes:
        if b.name == name:
            return b
        inner = _find(b.boxes, name)
        if inner is not None:
            return inner
    return None


def _changed(box: Box, changes: dict[str, dict]) -> Box:
    """``box`` (and the boxes inside it) with a page alternative's changes applied; the box's own
    alternatives are made again from it, each keeping what it changes itself (only those the page
    names, in its order, if it names some)."""
    inner = tuple(_changed(b, changes) for b in box.boxes)
    if box.name not in changes and inner == box.boxes:
        return box
    mine = dict(changes.get(box.name, {}))
    keep = mine.pop("_keep", None)
    base = dataclasses.replace(box, boxes=inner, alternatives=(), **mine)
    by_name = {a.name: a for a in box.alternatives}
    chosen = [by_name[n] for n in keep if n in by_name] if keep else list(box.alternatives)
    alts = tuple(dataclasses.replace(a, box=dataclasses.replace(base, **dict(a.changes))) for a in chosen)
    return dataclasses.replace(base, alternatives=alts)


def _box(b: dict, ctx: str, layout: str, page: str, page_w: float, page_h: float, scale: float,
         seen: dict[str, Location], ck: Checker) -> Box | None:
    """One checked box and the boxes inside it. ``ctx`` says where it sits: on the page, in a
    stack going down or across, or in a grid; each place has its own rules for x, y, w and h."""
    key = b["_key"]
    if b["name"] in seen:
        ck.error(b["_loc"], f"{key}.name", f"box name {quote(b['name'])} is used twice on page {page} "
                 f"(first at line {seen[b['name']].line})")
    seen.setdefault(b["name"], b["_loc"])
    kind = b["kind"]
    fields = _fields(b, scale)
    children: list[Box] = []
    if kind in CONTAINERS:
        if not b["boxes"]:
            ck.error(b["_loc"], f"{key}.boxes", f"missing; a {kind} holds boxes: list them under boxes:")
        inner = "grid" if kind == "grid" else (b["direction"] or "down")
        for raw in b["boxes"] or []:
            child = _box(raw, inner, layout, page, page_w, page_h, scale, seen, ck)
            if child is not None:
                children.append(child)
    elif b["boxes"]:
        ck.error(b["_loc"], f"{key}.boxes", f"a {kind} box holds no boxes; only a stack or a grid does")
    if kind == "grid" and b["columns"] is None:
        ck.error(b["_loc"], f"{key}.columns", "missing; a grid needs columns: how many boxes side by side")
    if kind == "stack" and b["columns"] is not None:
        ck.error(b["_loc"], f"{key}.columns", "a stack has no columns; use kind: grid, or direction: across")
    if b["direction"] is not None and kind != "stack":
        ck.error(b["_loc"], f"{key}.direction", "only a stack has a direction")
    fields["columns"] = fields.get("columns") or 1
    fields["direction"] = fields.get("direction") or "down"
    box = Box(loc=b["_loc"], boxes=tuple(children), **fields)
    _check_place(box, ctx, key, layout, page_w, page_h, scale, ck)
    alts = []
    names: set[str] = set()
    for i, a in enumerate(b["alternatives"] or []):
        akey = f"{key}.alternatives[{i}]"
        if kind == "fill":
            ck.error(a["_loc"], akey, "a fill has nothing to arrange; alternatives are for boxes with content")
            break
        if a["name"] in names:
            ck.error(a["_loc"], f"{akey}.name", f"alternative {quote(a['name'])} is named twice in box {box.name}")
        names.add(a["name"])
        changes = _fields(a, scale)
        changes.pop("name")
        if "columns" in changes and kind == "stack":
            ck.error(a["_loc"], f"{akey}.columns", "a stack has no columns")
        alt = dataclasses.replace(box, **changes)
        _check_place(alt, ctx, akey, layout, page_w, page_h, scale, ck, where=False)
        alts.append(Alternative(a["name"], a["_loc"], box=alt, changes=tuple(changes.items())))
    return dataclasses.replace(box, alternatives=tuple(alts)) if alts else box


def _check_place(box: Box, ctx: str, key: str, layout: str, page_w: float, page_h: float, scale: float,
                 ck: Checker, where: bool = True) -> None:
    """The rules of where a box sits, and of its sizes, reported with the box's key."""
    loc = box.loc
    given = {k: getattr(box, k) for k in ("x", "y", "w", "h")}
    if where and ctx == "page":
        missing = [k for k, v in given.items() if v is None]
        if missing:
            ck.error(loc, f"{key}.{missing[0]}", f"missing; a box placed on the page needs x, y, w and h in mm "
                     f"(missing: {', '.join(missing)}), or put it in a stack")
        elif box.x + box.w > page_w + 0.1 or box.y + box.h > page_h + 0.1:
            ck.error(loc, f"{layout}: {key}", f"box {box.name} ({box.x:g},{box.y:g} {box.w:g}x{box.h:g} mm"
                     f"{', scaled' if scale != 1 else ''}) reaches past the {page_w:g} x {page_h:g} mm page")
    elif where:
        owner = "grid" if ctx == "grid" else "stack"
        placed = ("x", "y") if ctx == "across" else ("x", "y", "w")
        for k in placed:
            if given[k] is not None:
                ck.error(loc, f"{key}.{k}", f"a box in a {owner} is placed by the {owner}; remove {k}")
    if box.h is not None and (box.min_h is not None or box.max_h is not None):
        ck.error(loc, f"{key}.{'min_h' if box.min_h is not None else 'max_h'}",
                 "h fixes the height already; give h, or min_h and max_h, not both")
    if box.min_h is not None and box.max_h is not None and box.min_h > box.max_h:
        ck.error(loc, f"{key}.min_h", f"min_h {box.min_h:g} mm is more than max_h {box.max_h:g} mm")
    if box.grow and ctx not in ("down", "across"):
        ck.error(loc, f"{key}.grow", "grow shares out a stack's spare room, and this box is not in a stack")
    if box.optional and ctx != "down":
        ck.error(loc, f"{key}.optional", "optional applies to a box in a stack going down (left out when there "
                 "is no room); this box is not in one")

