"""Cross-references, checked once the schemas pass: every style, colour, size,
content key and contact a layout names must exist (mkdocs' post-validation).

One check per box kind (``CHECKS``), run on every box of every page, on the
boxes inside stacks and grids, and on every alternative, since any of them
may be the one printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Location
from ..lookup import COUNT_FORMS, is_counted, resolve_in
from ..models import Box, Content, Layout, Styles, Text
from ..schema import Checker, quote, unknown


@dataclass
class Refs:
    """What every check needs: the layout, its styles and content, and where to report."""

    lay: Layout
    styles: Styles
    content: Content | None
    chains: list[list[str]]
    ck: Checker

    def style(self, name: str, loc: Location, key: str) -> None:
        if name not in self.styles.styles:
            self.ck.error(loc, key, unknown("style", name, self.styles.styles))
        elif self.styles.styles[name].size not in self.lay.type_scale:
            s = self.styles.styles[name]
            self.ck.error(s.loc, f"styles.{name}.size", f"size {quote(s.size)} is not in layout {self.lay.name}'s "
                          f"type_scale ({', '.join(self.lay.type_scale)})")

    def colour(self, name: str | None, loc: Location, key: str) -> None:
        if name is not None and name not in self.styles.palette:
            self.ck.error(loc, key, unknown("palette colour", name, self.styles.palette))

    def text_key(self, key_: str, loc: Location, key: str, want: type, chains: list[list[str]] | None = None) -> None:
        """A content key must exist in every language the box is built in, as a text (or a text
        that depends on a count: ``zero:``/``one:``/``other:``) or as a list."""
        if self.content is None:
            return
        for chain in chains or self.chains:
            node, why = resolve_in(self.content, chain, key_)
            locale = chain[0]
            if why:
                hint = "" if len(chain) > 1 else (
                    f"; add it to {self.content.root}/{locale}/ or pass --fallback-to-english" if locale != "en-GB" else "")
                self.ck.error(loc, key, f"content key {quote(key_)} ({locale}): {why}{hint}")
            elif want is Text and not isinstance(node, Text) and not is_counted(node):
                self.ck.error(loc, key, f"content key {quote(key_)} ({locale}) is a group or list, not a text (a text "
                              f"that depends on the number of deputies has only {', '.join(COUNT_FORMS)}, "
                              "and other)")
            elif want is list and not isinstance(node, list):
                self.ck.error(loc, key, f"content key {quote(key_)} ({locale}) is not a list of items")


def check_layout_refs(lay: Layout, styles: Styles, content: Content | None, chains: list[list[str]],
                      ck: Checker) -> None:
    """Every style, colour, size, content key and contact a layout names must exist."""
    r = Refs(lay, styles, content, chains, ck)
    for k in ("title", "subject"):
        r.text_key(getattr(lay, k), lay.loc, k, Text)
    for p, page in enumerate(lay.pages):
        r.colour(page.background, lay.loc, f"pages[{p}].background")
        for b in page.boxes:
            check_box(r, b, f"pages.{page.name}.{b.name}")
        for alt in page.alternatives:
            changed = [b for b, orig in zip(alt.boxes, page.boxes, strict=True) if b is not orig]
            for b in changed:
                check_box(r, b, f"pages.{page.name}.alternatives.{alt.name}.{b.name}")


def check_box(r: Refs, b: Box, key: str) -> None:
    """One box, the boxes it holds and its alternatives."""
    chains = [[b.locale]] if b.locale else None
    if b.locale and r.content is not None and b.locale not in r.content.locales:
        r.ck.error(b.loc, f"{key}.locale", unknown("locale", b.locale, r.content.locales))
        return
    r.colour(b.background, b.loc, f"{key}.background")
    if b.kind not in ("fill", "qr", "stack", "grid", "logo"):
        r.style(b.style, b.loc, f"{key}.style")
    if b.heading:
        r.text_key(b.heading, b.loc, f"{key}.heading", Text, chains)
        r.style(b.heading_style, b.loc, f"{key}.heading_style")
    if b.label:
        r.text_key(b.label, b.loc, f"{key}.label", Text, chains)
    if b.lead_style:
        r.style(b.lead_style, b.loc, f"{key}.lead_style")
    CHECKS.get(b.kind, lambda *a: None)(r, b, key, chains)
    for child in b.boxes:
        check_box(r, child, f"{key}.{child.name}")
    for alt in b.alternatives:
        check_box(r, alt.box, f"{key}.alternatives.{alt.name}")


def _text(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    if not b.text:
        what = "the edition line text" if b.kind == "edition" else "one or more content keys"
        r.ck.error(b.loc, f"{key}.text", f"missing; a{'n' if b.kind == 'edition' else ''} {b.kind} box names {what}")
    for t in b.text:
        r.text_key(t, b.loc, f"{key}.text", Text, chains)


def _list(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    if not b.items:
        r.ck.error(b.loc, f"{key}.items", "missing; a list box names a content list such as signs.items")
        return
    r.text_key(b.items, b.loc, f"{key}.items", list, chains)
    if r.content is not None:
        for chain in chains or r.chains:
            node, _ = resolve_in(r.content, chain, b.items)
            if isinstance(node, list):
                ids = [i.id for i in node]
                for o in b.only:
                    if o not in ids:
                        r.ck.error(b.loc, f"{key}.only", unknown(f"item id in {b.items}", o, dict.fromkeys(ids)))
    if b.label_style:
        r.style(b.label_style, b.loc, f"{key}.label_style")


def _contacts(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    if not b.contacts:
        r.ck.error(b.loc, f"{key}.contacts", "missing; a contacts box lists contact ids")
    r.style(b.number_style, b.loc, f"{key}.number_style")
    if r.content is not None:
        for c in b.contacts:
            if c not in r.content.contacts:
                r.ck.error(b.loc, f"{key}.contacts", unknown("contact", c, r.content.contacts))
            elif getattr(r.content.contacts[c], b.contact_field) is None:
                r.ck.error(b.loc, f"{key}.contacts", f"contact {c} has no {b.contact_field}")


def _qr(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    if not b.qr:
        r.ck.error(b.loc, f"{key}.qr", "missing; a QR box names a contact's address such as ceop.web")
    elif r.content is not None:
        cid = b.qr.split(".")[0]
        if cid not in r.content.contacts:
            r.ck.error(b.loc, f"{key}.qr", unknown("contact", cid, r.content.contacts))
        elif r.content.contacts[cid].web is None:
            r.ck.error(b.loc, f"{key}.qr", f"contact {cid} has no web address")
    if b.caption:
        r.style(b.caption_style, b.loc, f"{key}.caption_style")


def _people(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    r.style(b.label_style or "label", b.loc, f"{key}.label_style")
    r.style(b.number_style, b.loc, f"{key}.number_style")
    if b.when != "school" and not r.lay.needs_school:
        r.ck.error(b.loc, f"{key}.when", "a people box shows a school's staff: set when: school, "
                   "or needs_school: true on the layout")
    for lang in b.languages:
        if r.content is not None and lang not in r.content.locales:
            r.ck.error(b.loc, f"{key}.languages", unknown("locale", lang, r.content.locales))
            return
    each = [[lang] for lang in b.languages] or chains
    if b.deputies_heading:
        r.text_key(b.deputies_heading, b.loc, f"{key}.deputies_heading", Text, each)
    if b.label:
        r.text_key(b.label, b.loc, f"{key}.label", Text, each)


def _logo(r: Refs, b: Box, key: str, chains: list[list[str]] | None) -> None:
    if b.when != "school" and not r.lay.needs_school:
        r.ck.error(b.loc, f"{key}.when", "a logo box shows a school's logo: set when: school")


CHECKS: dict[str, Callable[[Refs, Box, str, list[list[str]] | None], None]] = {
    "text": _text, "edition": _text, "list": _list, "contacts": _contacts, "qr": _qr, "people": _people,
    "logo": _logo,
}
