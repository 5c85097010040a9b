"""Content: ``edition.yaml``, the contacts registry and every locale's text files."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from .. import textmarkup
from ..errors import InputError, Location, Problem
from ..load import LDict, LList, display_name, load_yaml
from ..lookup import NATIONS, ref_text_keys, walk_texts
from ..models import Contact, Content, Edition, Fact, Item, LocaleInfo, Namespace, Text
from ..schema import ID_RE, LOCALE_RE, MISSING, Any_, Bool, Checker, Date, ListOf, MapOf, Record, Str, quote

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
    "printed_with": ListOf(Str(max_len=200), required=False, default=[]),
})

# A source must be something a reviewer can open again, not a note of ours.
NOT_A_SOURCE_RE = re.compile(r"(?i)\b(seed|shared/notes|content-facts\.md)\b")
SOURCE_HELP = ("a public reference is needed: an address, or a publication and its date (our own notes and the "
               "seed are where a fact came from, not what it rests on)")

FACT = Record({
    "claim": Str(max_len=2000),
    "source": Str(max_len=2000),
    "verified_on": Date(),
    "review_by": Date(),
    "status": Str(choices=("confirmed", "unconfirmed", "retired")),
    "printed_as": ListOf(Str(max_len=200), min_items=1),
    "note": Str(required=False, max_len=2000),
})

LOCALE_INFO = Record({
    "name": Str(max_len=60, multiline=False),
    "reviewed": Bool(),
    "note": Str(required=False, max_len=1000),
    "english_terms": ListOf(Str(max_len=120, multiline=False), required=False, default=[]),
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
                fields["printed_with"] = tuple(fields["printed_with"])
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
                    infos[sub.name] = LocaleInfo(sub.name, got["name"], got["reviewed"], got["note"],
                                                 tuple(got["english_terms"]))
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

    facts = _load_facts(root, read, ck)
    nation_keys = _check_nations(locales, ck)
    if edition is not None and contacts:
        for ns in locales.values():
            _check_placeholders(ns, contacts, broken, ck, nation_keys)
    if "en-GB" in locales:
        reference = locales["en-GB"]
        for f in facts.values():
            for i, ref in enumerate(f.printed_as):
                if ref_text_keys(reference, ref)[1]:
                    ck.error(f.field_loc("printed_as"), f"facts.{f.id}.printed_as[{i}]",
                             f"{ref_text_keys(reference, ref)[1]} (in en-GB)")
        for c in contacts.values():
            for i, ref in enumerate(c.printed_with):
                if ref_text_keys(reference, ref)[1]:
                    ck.error(c.field_loc("printed_with"), f"contacts.{c.id}.printed_with[{i}]",
                             f"{ref_text_keys(reference, ref)[1]} (in en-GB)")
    problems.extend(ck.errors)
    if problems or edition is None:
        raise InputError(problems or [Problem(Location(root_name), "", "edition.yaml is missing")])
    for code in locales:
        infos.setdefault(code, LocaleInfo(code, code, True, None))
    confirmed = [c.verified_on for c in contacts.values() if c.status == "confirmed"]
    edition = dataclasses.replace(edition, checked=min(confirmed) if confirmed else None)
    return Content(root_name, edition, contacts, locales, infos, facts=facts)


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
    from .. import phones

    for c in contacts.values():
        key = f"contacts.{c.id}"
        if c.status == "confirmed" and NOT_A_SOURCE_RE.search(c.source):
            ck.error(c.field_loc("source"), f"{key}.source", SOURCE_HELP)
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


def _check_placeholders(ns: Namespace, contacts: dict[str, Contact], broken: set[str], ck: Checker,
                        nation_keys: set[str] | None) -> None:
    for node in walk_texts(ns):
        if isinstance(node, Text):
            textmarkup.check_placeholders(node, contacts, ck, skip=broken)
            for m in textmarkup.TOKEN_RE.finditer(node.value):
                ph = (m.group(3) or "").strip()
                if not ph.startswith("nation."):
                    continue
                fld = ph.split(".", 1)[1]
                if node.key.startswith("nations."):
                    ck.error(node.loc, node.key, f"{{{ph}}}: a nation's own text cannot name another nation text")
                elif nation_keys is not None and fld not in nation_keys:
                    import difflib
                    hint = difflib.get_close_matches(fld, sorted(nation_keys), n=1)
                    ck.error(node.loc, node.key, f"{{{ph}}}: the nations have no key {quote(fld)}"
                             + (f"; did you mean '{{nation.{hint[0]}}}'?" if hint else
                                f"; they have {', '.join(sorted(nation_keys))}"))


def _load_facts(root: Path, read, ck: Checker) -> dict[str, Fact]:
    """``facts.yaml``: every checked statement with its public source (optional file)."""
    path = root / "facts.yaml"
    if not path.exists():
        return {}
    raw = read(path)
    if raw is MISSING:
        return {}
    loc = getattr(raw, "loc", Location(display_name(path)))
    got = Record({"facts": MapOf(Any_(), min_items=1)}).check(raw, loc, "", ck)
    if got is MISSING:
        return {}
    facts: dict[str, Fact] = {}
    entries = raw["facts"]
    for fid, one_raw in got["facts"].items():
        one = FACT.check(one_raw, entries.loc_of(fid), f"facts.{fid}", ck)
        if one is MISSING:
            continue
        field_locs = {k: one_raw.loc_of(k) for k in one_raw} if isinstance(one_raw, LDict) else {}
        f = Fact(fid, one["claim"], one["source"], one["verified_on"], one["review_by"], one["status"],
                 tuple(one["printed_as"]), one["note"], one["_loc"], field_locs)
        if f.review_by <= f.verified_on:
            ck.error(f.field_loc("review_by"), f"facts.{fid}.review_by", f"{f.review_by} is not after verified_on {f.verified_on}")
        if f.status == "confirmed" and NOT_A_SOURCE_RE.search(f.source):
            ck.error(f.field_loc("source"), f"facts.{fid}.source", SOURCE_HELP)
        facts[fid] = f
    return facts


def _check_nations(locales: dict[str, Namespace], ck: Checker) -> set[str] | None:
    """``<locale>/nations.yaml``: one namespace per nation, all with the same keys as England's in
    English, so {nation.KEY} means something for every nation a build may choose. English must
    have all four nations; another language may leave a nation out (that build is then refused)."""
    ref = locales.get("en-GB")
    ref_nations = ref.entries.get("nations") if ref else None
    keys: set[str] | None = None
    if isinstance(ref_nations, Namespace):
        first = ref_nations.entries.get("england")
        keys = set(first.entries) if isinstance(first, Namespace) else None
        for n in NATIONS:
            if n not in ref_nations.entries:
                ck.error(ref_nations.loc, f"nations.{n}", f"missing: English text is needed for every nation "
                         f"({', '.join(NATIONS)})")
    for code, ns in locales.items():
        node = ns.entries.get("nations")
        if node is None:
            continue
        if not isinstance(node, Namespace):
            ck.error(ns.loc, "nations", "must be a mapping of nations to their texts")
            continue
        for name, group in node.entries.items():
            if name not in NATIONS:
                import difflib
                hint = difflib.get_close_matches(name, NATIONS, n=1)
                ck.error(group.loc if hasattr(group, "loc") else node.loc, f"nations.{name}",
                         f"{quote(name)} is not a nation" + (f"; did you mean '{hint[0]}'?" if hint else
                                                           f"; use {', '.join(NATIONS)}"))
                continue
            if not isinstance(group, Namespace):
                ck.error(node.loc, f"nations.{name}", "must be a mapping of keys to texts")
                continue
            if keys is not None:
                have = set(group.entries)
                for k in sorted(keys - have):
                    ck.error(group.loc, f"nations.{name}.{k}", f"missing ({code}); every nation has the same keys "
                             "as England's in en-GB")
                for k in sorted(have - keys):
                    ck.error(group.loc, f"nations.{name}.{k}", f"not a nation key ({code}); England's en-GB "
                             f"text has {', '.join(sorted(keys))}")
    return keys
