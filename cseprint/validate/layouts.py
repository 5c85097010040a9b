"""Layouts: the schema of a layout file, ``extends`` and ``scale``, and loading them all."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem
from ..load import display_name, load_yaml
from ..lookup import PAPER_MM
from ..models import Box, Content, Imposition, Layout, PageDef, Styles
from ..schema import ID_RE, LOCALE_RE, MISSING, Bool, Checker, ListOf, MapOf, Num, Record, Str, quote, unknown
from .refs import check_layout_refs
from .styles import load_styles

KINDS = ("poster", "card", "leaflet")
MIN_BODY_PT = {"poster": 14.0, "card": 12.0, "leaflet": 12.0}
BOX_KINDS = ("text", "list", "contacts", "qr", "fill", "edition", "people", "logo")
SHOW = ("label", "short", "detail", "label+detail", "short+detail", "label+detail+source")
AUDIENCES = ("pupils", "staff", "parents")

MM = dict(min=0, max=2000, unit="mm")
BOX = Record({
    "name": Str(pattern=r"[a-z][a-z0-9_-]*", pattern_help="a name in lower-case letters, digits, '_' and '-'"),
    "kind": Str(choices=BOX_KINDS),
    "x": Num(**MM), "y": Num(**MM), "w": Num(**MM), "h": Num(**MM),
    "style": Str(required=False, default="body"),
    "background": Str(required=False),
    "padding": Num(required=False, default=0.0, min=0, max=100, unit="mm"),
    "valign": Str(required=False, default="top", choices=("top", "middle", "bottom")),
    "align": Str(required=False, choices=("left", "centre", "right")),
    "text": ListOf(Str(), required=False, default=[], scalar_ok=True),
    "heading": Str(required=False),
    "heading_style": Str(required=False, default="heading"),
    "items": Str(required=False),
    "only": ListOf(Str(pattern=ID_RE, pattern_help="an item id"), required=False, default=[]),
    "show": Str(required=False, default="label+detail", choices=SHOW),
    "label_style": Str(required=False),
    "columns": Num(required=False, default=1, min=1, max=4, integer=True),
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
})
PAGE = Record({
    "name": Str(pattern=r"[a-z][a-z0-9_-]*", pattern_help="a page name in lower-case letters"),
    "background": Str(required=False),
    "boxes": ListOf(BOX, min_items=1, max_items=200),
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
        if lay is not None and lay.languages and chains and lay.languages[0] != chains[0][0]:
            layouts[name] = lay  # a bilingual layout of another language: not built, not checked now
            continue
        if lay is not None and styles is not None:
            every = [[c] for c in (content.locales if content else [])]
            if lay.languages and not chains:  # a layout of named languages is checked in those only
                every = [[c] for c in lay.languages]
            check_layout_refs(lay, styles, content, chains or every, ck)
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
        for k in ("type_scale", "min_body_pt", "audience", "max_reading_grade", "draft_band"):
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
    pages = []
    for p in pages_raw:
        boxes = []
        seen: set[str] = set()
        for b in p["boxes"]:
            if b["name"] in seen:
                ck.error(b["_loc"], f"{b['_key']}.name", f"box name {quote(b['name'])} is used twice on page {p['name']}")
            seen.add(b["name"])
            fields = {k: v for k, v in b.items() if not k.startswith("_")}
            for k in ("x", "y", "w", "h", "padding", "column_gap", "gap", "qr_size", "photo_size"):
                fields[k] = fields[k] * scale
            for k in ("text", "only", "contacts"):
                fields[k] = tuple(fields[k])
            box = Box(loc=b["_loc"], **fields)
            if box.x + box.w > w + 0.1 or box.y + box.h > h + 0.1:
                ck.error(box.loc, f"{name}: {b['_key']}", f"box {box.name} ({box.x:g},{box.y:g} {box.w:g}x{box.h:g} mm"
                         f"{', scaled' if scale != 1 else ''}) reaches past the {w:g} x {h:g} mm page")
            boxes.append(box)
        pages.append(PageDef(p["name"], tuple(boxes), p["background"]))
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
                  draft_band=got["draft_band"] or "top")
