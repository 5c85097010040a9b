"""Looking things up in validated content: a key in a locale, the registry in a language.

Pure functions over the models, shared by compose and the writers; they read
no file (validation, which reads the files, lives in ``validate``).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from typing import Any

from .models import Contact, Content, Item, Namespace, Text
from .schema import quote

PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "CR80": (85.6, 54.0)}


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


COUNT_FORMS = ("zero", "one", "two")  # a text for exactly 0, 1 or 2 deputies; ``other`` for the rest


def is_counted(node: Any) -> bool:
    """A text that depends on a count: ``{zero: ..., one: ..., other: ...}`` (``other`` required)."""
    return (isinstance(node, Namespace) and "other" in node.entries
            and all(k in (*COUNT_FORMS, "other") and isinstance(v, Text) for k, v in node.entries.items()))


def counted(node: Any, count: int | None) -> Any:
    """The form of a counted text for ``count`` (``other`` when there is none or no count), else ``node``.

    "or one of the deputies" is only right when there are deputies, and "Our deputy
    leads" only when there are two or more: the content says each form once, and the
    number of the school's deputies picks one.
    """
    if not is_counted(node):
        return node
    form = COUNT_FORMS[count] if count is not None and count < len(COUNT_FORMS) else "other"
    return node.entries.get(form, node.entries["other"])


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



from .habits import NATIONS  # noqa: E402,F401  (the four nation ids, one definition; used by importers)

REF_RE = re.compile(r"(?P<key>[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)(?:\[(?P<id>[a-z0-9][a-z0-9-]*)\](?:\.(?P<field>[a-z0-9_]+))?)?")


def ref_text_keys(ns: Namespace, ref: str) -> tuple[set[str], str | None]:
    """The keys of every Text a content reference covers, in one locale, or (set(), why).

    A reference is a text key (``reporting.staff_first``), a group or list (every text
    under it), a list member by id (``reporting.routes[ceop]``) or one field of it
    (``signs.more[lifts].detail``). Ids are used rather than positions so that a
    reference survives reordering and means the same thing in every language.
    """
    m = REF_RE.fullmatch(ref)
    if not m:
        return set(), f"{quote(ref)} is not a content reference such as reporting.staff_first or reporting.routes[ceop]"
    node, why = resolve(ns, m["key"])
    if why:
        return set(), why
    if m["id"]:
        if not isinstance(node, list):
            return set(), f"{m['key']} is not a list, so [{m['id']}] names nothing"
        by_id = {i.id: i for i in node}
        if m["id"] not in by_id:
            hint = difflib.get_close_matches(m["id"], list(by_id), n=1)
            return set(), f"{m['key']} has no member {quote(m['id'])}" + (f"; did you mean '{hint[0]}'?" if hint else "")
        node = by_id[m["id"]]
        if m["field"]:
            if m["field"] not in node.fields:
                return set(), f"{m['key']}[{m['id']}] has no field {quote(m['field'])}"
            node = node.fields[m["field"]]
    return {t.key for t in walk_texts(node) if isinstance(t, Text)}, None


def nation_texts(content: Content, chain: list[str], nation: str) -> dict[str, Text] | None:
    """The {nation.KEY} texts for ``nation`` in the first locale of ``chain`` that has them, or None."""
    for locale in chain:
        ns = content.locales.get(locale)
        node = ns.entries.get("nations") if ns else None
        group = node.entries.get(nation) if isinstance(node, Namespace) else None
        if isinstance(group, Namespace):
            return {k: v for k, v in group.entries.items() if isinstance(v, Text)}
    return None
