"""Stage 2: check loaded YAML against the schema and build typed models.

Every file is read and every problem collected before anything is raised, so
a user sees all their mistakes at once (mkdocs' way). Cross-references
(a layout naming a content key, a style naming a palette colour, a text naming
a contact) are checked here too, with "did you mean" suggestions.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Any

from . import textmarkup
from .errors import InputError, Location, Problem
from .load import LDict, LList, display_name, load_yaml
from .models import (
    Box,
    Colour,
    Contact,
    Content,
    Edition,
    FontFamily,
    Imposition,
    Item,
    Layout,
    LocaleInfo,
    Namespace,
    PageDef,
    Styles,
    Text,
    TextStyle,
)
from .schema import MISSING, Any_, Bool, Checker, Date, ListOf, MapOf, Num, Record, Str, quote

LOCALE_RE = r"[a-z]{2,3}(-[A-Z]{2})?"
ID_RE = r"[a-z0-9][a-z0-9-]*"
PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "CR80": (85.6, 54.0)}
KINDS = ("poster", "card", "leaflet")
MIN_BODY_PT = {"poster": 14.0, "card": 12.0, "leaflet": 12.0}
BOX_KINDS = ("text", "list", "contacts", "qr", "fill", "edition", "people", "logo")
SHOW = ("label", "short", "detail", "label+detail", "short+detail")
VARIANTS = ("regular", "bold", "italic", "bold_italic")

# --- content ---------------------------------------------------------------------------------

CONTACT = Record({
    "name": Str(max_len=120, multiline=False),
    "short_name": Str(required=False, max_len=40, multiline=False),
    "phone": Str(required=False, max_len=30, multiline=False),
    "dial": Str(required=False, pattern=r"\+?[0-9]{3,15}", pattern_help="digits only, e.g. 08088005000"),
    "textphone": Str(required=False, max_len=30, multiline=False),
    "textphone_dial": Str(required=False, pattern=r"[0-9]{3,15}", pattern_help="digits only, e.g. 18001101"),
    "email": Str(required=False, pattern=r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
                 pattern_help="an email address such as help@example.org.uk"),
    "web": Str(required=False, pattern=r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*)?",
               pattern_help="an https:// address with no spaces, e.g. https://www.example.org.uk/page/"),
    "hours": Str(required=False, max_len=200, multiline=False),
    "hours_status": Str(required=False, choices=("confirmed", "disputed")),
    "hours_note": Str(required=False, max_len=1000),
    "audience": Str(max_len=300),
    "anonymous": Str(choices=("always", "optional", "no", "unknown")),
    "free": Bool(required=False, nullable=True),
    "status": Str(choices=("confirmed", "unconfirmed", "retired")),
    "source": Str(max_len=500),
    "verified_on": Date(),
    "review_by": Date(),
    "note": Str(required=False, max_len=2000),
})

LOCALE_INFO = Record({
    "name": Str(max_len=60, multiline=False),
    "reviewed": Bool(),
    "note": Str(required=False, max_len=1000),
})

EDITION = Record({
    "version": Str(pattern=r"[0-9A-Za-z][0-9A-Za-z.+-]{0,30}", pattern_help="a short version such as 2026.11.1"),
    "date": Date(),
    "author": Str(max_len=200, multiline=False),
})


def load_content(root: Path) -> Content:
    """Read and check ``edition.yaml``, ``contacts.yaml`` and every ``<locale>/*.yaml``."""
    ck = Checker()
    problems: list[Problem] = []
    root_name = display_name(root)
    if not root.is_dir():
        raise InputError([Problem(Location(root_name), "", "content folder not found")])

    def read(path: Path, key: str = "") -> Any:
        try:
            return load_yaml(path, key)
        except InputError as exc:
            problems.extend(exc.problems)
            return MISSING

    edition_raw = read(root / "edition.yaml")
    edition = None
    if edition_raw is not MISSING:
        loc = getattr(edition_raw, "loc", Location(display_name(root / "edition.yaml")))
        got = EDITION.check(edition_raw, loc, "", ck)
        if got is not MISSING:
            edition = Edition(got["version"], got["date"], got["author"], loc)

    contacts: dict[str, Contact] = {}
    broken: set[str] = set()
    contacts_raw = read(root / "contacts.yaml")
    if contacts_raw is not MISSING:
        loc = getattr(contacts_raw, "loc", Location(display_name(root / "contacts.yaml")))
        # each contact on its own, so one bad entry does not hide another's mistakes
        got = Record({"contacts": MapOf(Any_(), min_items=1)}).check(contacts_raw, loc, "", ck)
        if got is not MISSING:
            entries = contacts_raw["contacts"]
            for cid, raw in got["contacts"].items():
                one = CONTACT.check(raw, entries.loc_of(cid), f"contacts.{cid}", ck)
                if one is MISSING:
                    broken.add(cid)  # reported above; texts naming it are not reported again
                    continue
                field_locs = {k: raw.loc_of(k) for k in raw} if isinstance(raw, LDict) else {}
                fields = {k: v for k, v in one.items() if not k.startswith("_")}
                contacts[cid] = Contact(id=cid, loc=one["_loc"], field_locs=field_locs, **fields)
            _check_contacts(contacts, ck)

    locales: dict[str, Namespace] = {}
    infos: dict[str, LocaleInfo] = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if sub.name == "schools" or sub.name.startswith((".", "_")):
            continue
        if not re.fullmatch(LOCALE_RE, sub.name):
            ck.error(Location(display_name(sub)), "", f"folder {quote(sub.name)} is not a locale code such as en-GB or cy")
            continue
        entries: dict[str, Any] = {}
        info_path = sub / "_locale.yaml"
        if info_path.exists():
            raw = read(info_path)
            if raw is not MISSING:
                got = LOCALE_INFO.check(raw, getattr(raw, "loc", Location(display_name(info_path))), "", ck)
                if got is not MISSING:
                    infos[sub.name] = LocaleInfo(sub.name, got["name"], got["reviewed"], got["note"])
        for path in sorted(sub.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            raw = read(path, path.stem)
            if raw is MISSING:
                continue
            floc = Location(display_name(path), 1, 1)
            if not isinstance(raw, dict):
                ck.error(floc, path.stem, "a content file must be a mapping of keys to texts")
                continue
            entries[path.stem] = _namespace(raw, path.stem, floc, ck)
        locales[sub.name] = Namespace(sub.name, Location(display_name(sub)), entries)
    if not locales and not problems:
        ck.error(Location(root_name), "", "no locale folder (such as en-GB/) with text files found")

    if edition is not None and contacts:
        for ns in locales.values():
            _check_placeholders(ns, contacts, broken, ck)
    problems.extend(ck.errors)
    if problems or edition is None:
        raise InputError(problems or [Problem(Location(root_name), "", "edition.yaml is missing")])
    for code in locales:
        infos.setdefault(code, LocaleInfo(code, code, True, None))
    confirmed = [c.verified_on for c in contacts.values() if c.status == "confirmed"]
    edition = dataclasses.replace(edition, checked=min(confirmed) if confirmed else None)
    return Content(root_name, edition, contacts, locales, infos)


def _namespace(raw: dict, key: str, loc: Location, ck: Checker) -> Namespace:
    """Turn a content mapping into Text / Item / Namespace / list nodes."""
    entries: dict[str, Any] = {}
    for k, v in raw.items():
        sub = f"{key}.{k}"
        vloc = raw.loc_of(k) if isinstance(raw, LDict) else loc
        if not re.fullmatch(r"[a-z0-9_-]+", str(k)):
            ck.error(raw.key_loc(k) if isinstance(raw, LDict) else loc, sub,
                     "content keys use lower-case letters, digits, '_' and '-'")
            continue
        node = _node(v, sub, vloc, ck, list_key=str(k))
        if node is not None:
            entries[str(k)] = node
    return Namespace(key, loc, entries)


STAT_FIELDS = ("year", "area", "qualifier", "source")


def _node(v: Any, key: str, loc: Location, ck: Checker, list_key: str = "") -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        ck.error(loc, key, f"got true/false; expected text (put it in quotes: \"{str(v).lower()}\")")
        return None
    if isinstance(v, (str, int, float)):
        got = Str(max_len=4000).check(str(v) if not isinstance(v, str) else v, loc, key, ck)
        if got is MISSING:
            return None
        textmarkup.check_markup(got, key, loc, ck)
        return Text(got, key, loc)
    if isinstance(v, list):
        items = []
        ids: dict[str, Location] = {}
        for i, elem in enumerate(v):
            iloc = v.loc_of(i) if isinstance(v, LList) else loc
            if not isinstance(elem, dict):
                ck.error(iloc, f"{key}[{i}]", "a list member must be a mapping with at least id and label")
                continue
            item = _item(elem, f"{key}[{i}]", iloc, ck)
            if item is None:
                continue
            if item.id in ids:
                ck.error(iloc, f"{key}[{i}].id", f"id {quote(item.id)} is used twice in this list (first at line {ids[item.id].line})")
            ids[item.id] = iloc
            if list_key == "statistics":
                for f in STAT_FIELDS:
                    if f not in elem:
                        ck.error(iloc, f"{key}[{i}].{f}", "missing: every statistic carries year, area, qualifier and "
                                 "source (write null where the source gives none)")
            items.append(item)
        return items
    if isinstance(v, dict):
        if "label" in v or "detail" in v:
            return _item(v, key, loc, ck)
        return _namespace(v, key, loc, ck)
    ck.error(loc, key, f"unsupported value {quote(v)}")
    return None


def _item(elem: dict, key: str, loc: Location, ck: Checker) -> Item | None:
    fields: dict[str, Text] = {}
    iid = elem.get("id", key.rsplit(".", 1)[-1])
    if not isinstance(iid, str) or not re.fullmatch(ID_RE, iid):
        ck.error(elem.loc_of("id") if isinstance(elem, LDict) else loc, f"{key}.id",
                 f"id {quote(iid)} is not valid; ids use lower-case letters, digits and hyphens")
        return None
    if "label" not in elem and "text" not in elem:
        ck.error(loc, key, "a list member needs a label (or text)")
        return None
    for k, v in elem.items():
        if k == "id" or v is None:
            continue
        vloc = elem.loc_of(k) if isinstance(elem, LDict) else loc
        node = _node(v, f"{key}.{k}", vloc, ck)
        if isinstance(node, Text):
            fields[str(k)] = node
        elif node is not None:
            ck.error(vloc, f"{key}.{k}", "expected text here")
    return Item(iid, key, loc, fields)


def _check_contacts(contacts: dict[str, Contact], ck: Checker) -> None:
    from . import phones

    for c in contacts.values():
        key = f"contacts.{c.id}"
        if c.review_by <= c.verified_on:
            ck.error(c.field_loc("review_by"), f"{key}.review_by",
                     f"{c.review_by} is not after verified_on {c.verified_on}")
        if c.hours and not c.hours_status:
            ck.error(c.field_loc("hours"), f"{key}.hours_status", "missing; say whether the hours are confirmed or disputed")
        for printed, dialled in (("phone", "dial"), ("textphone", "textphone_dial")):
            p, d = getattr(c, printed), getattr(c, dialled)
            if (p is None) != (d is None):
                have, need = (printed, dialled) if p else (dialled, printed)
                ck.error(c.field_loc(have), f"{key}.{need}", f"missing; {have} is given, so {need} is needed too")
                continue
            if p is None:
                continue
            why = phones.check_pair(p, d, textphone=printed == "textphone")
            if why:
                ck.error(c.field_loc(printed), f"{key}.{printed}", why)
        if c.status != "retired" and not (c.phone or c.web or c.email):
            ck.error(c.loc, key, "has no phone, web or email; add one, or mark the contact retired")


def _check_placeholders(ns: Namespace, contacts: dict[str, Contact], broken: set[str], ck: Checker) -> None:
    for node in walk_texts(ns):
        if isinstance(node, Text):
            textmarkup.check_placeholders(node, contacts, ck, skip=broken)


def walk_texts(node: Any):
    """Every Text under a namespace, list or item (for checks that look at all content text)."""
    if isinstance(node, Namespace):
        for v in node.entries.values():
            yield from walk_texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_texts(v)
    elif isinstance(node, Item):
        yield from node.fields.values()
    else:
        yield node


def resolve(ns: Namespace, key: str) -> tuple[Any, str | None]:
    """Find ``about.grooming.label`` in a locale; return (node, None) or (None, why)."""
    node: Any = ns
    parts = key.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, Namespace):
            if part not in node.entries:
                here = ".".join(parts[:i]) or "the content"
                hint = difflib.get_close_matches(part, list(node.entries), n=1)
                extra = f"; did you mean '{'.'.join(parts[:i] + [hint[0]])}'?" if hint else ""
                return None, f"{here} has no key {quote(part)}{extra}"
            node = node.entries[part]
        elif isinstance(node, Item):
            if part not in node.fields:
                return None, f"{'.'.join(parts[:i])} has no field {quote(part)}; it has {', '.join(node.fields)}"
            node = node.fields[part]
        else:
            return None, f"{'.'.join(parts[:i])} is text, not a group of keys"
    return node, None


def resolve_in(content: Content, chain: list[str], key: str) -> tuple[Any, str | None]:
    """Resolve in the first locale of ``chain`` that has the key (fallback only if asked)."""
    first_why = None
    for locale in chain:
        if locale not in content.locales:
            continue
        node, why = resolve(content.locales[locale], key)
        if why is None:
            return node, None
        first_why = first_why or why
    return None, first_why or f"no locale {chain[0]}"


def localized_contacts(content: Content, chain: list[str]) -> dict[str, Contact]:
    """The registry with names in the chosen language, where ``<locale>/contact_names.yaml`` gives them
    (a name, or ``{label: name, short: shorter name}``).

    Numbers and addresses never vary by language; only the printed names do.
    """
    names, _ = resolve_in(content, chain, "contact_names")
    if not isinstance(names, Namespace):
        return content.contacts
    out = dict(content.contacts)
    for cid, t in names.entries.items():
        if cid not in out:
            continue
        if isinstance(t, Text):
            out[cid] = dataclasses.replace(out[cid], name=t.value, short_name=None)
        elif isinstance(t, Item):  # {label: full name, short: name for tight spaces such as the card}
            short = t.get("short")
            out[cid] = dataclasses.replace(out[cid], name=t.fields["label"].value,
                                           short_name=short.value if short else None)
    return out


# --- layouts ---------------------------------------------------------------------------------

COLOUR = ListOf(Num(min=0, max=100), min_items=4, max_items=4)
STYLE = Record({
    "family": Str(), "bold": Bool(required=False, default=False), "italic": Bool(required=False, default=False),
    "size": Str(), "leading": Num(required=False, default=1.25, min=1.0, max=3.0),
    "colour": Str(), "align": Str(required=False, default="left", choices=("left", "centre", "right")),
    "role": Str(required=False, default="body", choices=("body", "heading", "small")),
})
STYLES = Record({
    "palette": MapOf(COLOUR, key_pattern=r"[a-z][a-z0-9_-]*", key_help="lower-case letters, digits, '_' and '-'", min_items=1),
    "fonts": Record({
        "families": MapOf(Record({v: Str(required=v == "regular") for v in VARIANTS}), min_items=1),
        "fallback": ListOf(Str(), required=False, default=[]),
    }),
    "styles": MapOf(STYLE, key_pattern=r"[a-z][a-z0-9_-]*", key_help="lower-case letters, digits, '_' and '-'", min_items=1),
})

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


def load_styles(path: Path, fonts_dir: Path, ck: Checker) -> Styles | None:
    try:
        raw = load_yaml(path)
    except InputError as exc:
        ck.problems.extend(exc.problems)
        return None
    loc = getattr(raw, "loc", Location(display_name(path)))
    got = STYLES.check(raw, loc, "", ck)
    if got is MISSING:
        return None
    palette = {n: Colour(n, *(v / 100 for v in cmyk)) for n, cmyk in got["palette"].items()}
    families = {}
    for n, fam in got["fonts"]["families"].items():
        files = {v: f for v, f in fam.items() if v in VARIANTS and f}
        for v, f in files.items():
            fp = fonts_dir / f
            if Path(f).name != f or not fp.is_file():
                ck.error(raw["fonts"]["families"][n].loc_of(v), f"fonts.families.{n}.{v}",
                         f"font file {quote(f)} not found in {display_name(fonts_dir)}/")
        families[n] = FontFamily(n, files)
    for i, fb in enumerate(got["fonts"]["fallback"]):
        if fb not in families:
            ck.error(loc, f"fonts.fallback[{i}]", f"unknown font family {quote(fb)}; known: {', '.join(families)}")
    styles = {}
    for n, s in got["styles"].items():
        sloc = raw["styles"].loc_of(n)
        if s["family"] not in families:
            ck.error(sloc, f"styles.{n}.family", _unknown("font family", s["family"], families))
        if s["colour"] not in palette:
            ck.error(sloc, f"styles.{n}.colour", _unknown("palette colour", s["colour"], palette))
        styles[n] = TextStyle(n, s["family"], s["bold"], s["italic"], s["size"], s["leading"], s["colour"],
                              s["align"], s["role"], sloc)
    return Styles(palette, families, tuple(got["fonts"]["fallback"]), styles, display_name(path))


def _unknown(what: str, name: str, known: dict) -> str:
    hint = difflib.get_close_matches(name, list(known), n=1)
    extra = f"did you mean '{hint[0]}'? " if hint else ""
    return f"unknown {what} {quote(name)}; {extra}known: {', '.join(sorted(known))}"


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
                ck.error(None, "--layout", _unknown("layout", n, raws))
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
            _check_layout_refs(lay, styles, content, chains or [[c] for c in (content.locales if content else [])], ck)
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
            ck.error(raw.loc_of("extends"), "extends", _unknown("layout", got["extends"], raws))
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
        for k in ("type_scale", "min_body_pt"):
            if got[k] is None:
                got[k] = base_got[k]
        if not got["folds"]:
            got["folds"] = base_got["folds"]
        if got["imposition"] is None:
            got["imposition"] = base_got["imposition"]
    if not pages_raw:
        ck.error(loc, "pages", "missing; expected a list of pages with boxes")
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
                  languages=tuple(got["languages"]), reading_order=tuple(got["reading_order"]), file=file, loc=loc)


def _check_layout_refs(lay: Layout, styles: Styles, content: Content | None, chains: list[list[str]],
                       ck: Checker) -> None:
    """Every style, colour, size, content key and contact a layout names must exist."""
    def style(name: str, loc: Location, key: str) -> None:
        if name not in styles.styles:
            ck.error(loc, key, _unknown("style", name, styles.styles))
        elif styles.styles[name].size not in lay.type_scale:
            ck.error(styles.styles[name].loc, f"styles.{name}.size",
                     f"size {quote(styles.styles[name].size)} is not in layout {lay.name}'s type_scale "
                     f"({', '.join(lay.type_scale)})")

    def colour(name: str | None, loc: Location, key: str) -> None:
        if name is not None and name not in styles.palette:
            ck.error(loc, key, _unknown("palette colour", name, styles.palette))

    box_chains: list[list[str]] | None = None

    def text_key(key_: str, loc: Location, key: str, want: type) -> None:
        if content is None:
            return
        for chain in box_chains or chains:
            node, why = resolve_in(content, chain, key_)
            locale = chain[0]
            if why:
                hint = "" if len(chain) > 1 else (
                    f"; add it to {content.root}/{locale}/ or pass --fallback-to-english" if locale != "en-GB" else "")
                ck.error(loc, key, f"content key {quote(key_)} ({locale}): {why}{hint}")
            elif want is Text and not isinstance(node, Text):
                ck.error(loc, key, f"content key {quote(key_)} ({locale}) is a group or list, not a text")
            elif want is list and not isinstance(node, list):
                ck.error(loc, key, f"content key {quote(key_)} ({locale}) is not a list of items")

    for k in ("title", "subject"):
        text_key(getattr(lay, k), lay.loc, k, Text)
    for p, page in enumerate(lay.pages):
        colour(page.background, lay.loc, f"pages[{p}].background")
        for b in page.boxes:
            key = f"pages.{page.name}.{b.name}"
            box_chains = [[b.locale]] if b.locale else None
            if b.locale and content is not None and b.locale not in content.locales:
                ck.error(b.loc, f"{key}.locale", _unknown("locale", b.locale, content.locales))
                continue
            colour(b.background, b.loc, f"{key}.background")
            if b.kind not in ("fill", "qr"):
                style(b.style, b.loc, f"{key}.style")
            if b.kind == "text":
                if not b.text:
                    ck.error(b.loc, f"{key}.text", "missing; a text box names one or more content keys")
                for t in b.text:
                    text_key(t, b.loc, f"{key}.text", Text)
            if b.heading:
                text_key(b.heading, b.loc, f"{key}.heading", Text)
                style(b.heading_style, b.loc, f"{key}.heading_style")
            if b.label:
                text_key(b.label, b.loc, f"{key}.label", Text)
            if b.deputies_heading:
                text_key(b.deputies_heading, b.loc, f"{key}.deputies_heading", Text)
            if b.kind == "list":
                if not b.items:
                    ck.error(b.loc, f"{key}.items", "missing; a list box names a content list such as signs.items")
                else:
                    text_key(b.items, b.loc, f"{key}.items", list)
                    if content is not None:
                        for chain in chains:
                            node, _ = resolve_in(content, chain, b.items)
                            if isinstance(node, list):
                                ids = [i.id for i in node]
                                for o in b.only:
                                    if o not in ids:
                                        ck.error(b.loc, f"{key}.only", _unknown(f"item id in {b.items}", o, dict.fromkeys(ids)))
                if b.label_style:
                    style(b.label_style, b.loc, f"{key}.label_style")
            if b.kind == "contacts":
                if not b.contacts:
                    ck.error(b.loc, f"{key}.contacts", "missing; a contacts box lists contact ids")
                style(b.number_style, b.loc, f"{key}.number_style")
                if content is not None:
                    for c in b.contacts:
                        if c not in content.contacts:
                            ck.error(b.loc, f"{key}.contacts", _unknown("contact", c, content.contacts))
                        elif getattr(content.contacts[c], b.contact_field) is None:
                            ck.error(b.loc, f"{key}.contacts", f"contact {c} has no {b.contact_field}")
            if b.kind == "qr":
                if not b.qr:
                    ck.error(b.loc, f"{key}.qr", "missing; a QR box names a contact's address such as ceop.web")
                elif content is not None:
                    cid = b.qr.split(".")[0]
                    if cid not in content.contacts:
                        ck.error(b.loc, f"{key}.qr", _unknown("contact", cid, content.contacts))
                    elif content.contacts[cid].web is None:
                        ck.error(b.loc, f"{key}.qr", f"contact {cid} has no web address")
                if b.caption:
                    style(b.caption_style, b.loc, f"{key}.caption_style")
            if b.kind == "people":
                style(b.label_style or "label", b.loc, f"{key}.label_style")
                if b.when != "school" and not lay.needs_school:
                    ck.error(b.loc, f"{key}.when", "a people box shows a school's staff: set when: school, "
                             "or needs_school: true on the layout")
            if b.kind == "logo" and b.when != "school" and not lay.needs_school:
                ck.error(b.loc, f"{key}.when", "a logo box shows a school's logo: set when: school")
            if b.kind == "edition":
                if not b.text:
                    ck.error(b.loc, f"{key}.text", "missing; an edition box names the edition line text")
                for t in b.text:
                    text_key(t, b.loc, f"{key}.text", Text)
