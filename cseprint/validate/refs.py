"""Cross-references, checked once the schemas pass: every style, colour, size,
content key and contact a layout names must exist (mkdocs' post-validation)."""

from __future__ import annotations

from ..errors import Location
from ..lookup import resolve_in
from ..models import Content, Layout, Styles, Text
from ..schema import Checker, quote, unknown


def check_layout_refs(lay: Layout, styles: Styles, content: Content | None, chains: list[list[str]],
                       ck: Checker) -> None:
    """Every style, colour, size, content key and contact a layout names must exist."""
    def style(name: str, loc: Location, key: str) -> None:
        if name not in styles.styles:
            ck.error(loc, key, unknown("style", name, styles.styles))
        elif styles.styles[name].size not in lay.type_scale:
            ck.error(styles.styles[name].loc, f"styles.{name}.size",
                     f"size {quote(styles.styles[name].size)} is not in layout {lay.name}'s type_scale "
                     f"({', '.join(lay.type_scale)})")

    def colour(name: str | None, loc: Location, key: str) -> None:
        if name is not None and name not in styles.palette:
            ck.error(loc, key, unknown("palette colour", name, styles.palette))

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
                ck.error(b.loc, f"{key}.locale", unknown("locale", b.locale, content.locales))
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
                                        ck.error(b.loc, f"{key}.only", unknown(f"item id in {b.items}", o, dict.fromkeys(ids)))
                if b.label_style:
                    style(b.label_style, b.loc, f"{key}.label_style")
            if b.kind == "contacts":
                if not b.contacts:
                    ck.error(b.loc, f"{key}.contacts", "missing; a contacts box lists contact ids")
                style(b.number_style, b.loc, f"{key}.number_style")
                if content is not None:
                    for c in b.contacts:
                        if c not in content.contacts:
                            ck.error(b.loc, f"{key}.contacts", unknown("contact", c, content.contacts))
                        elif getattr(content.contacts[c], b.contact_field) is None:
                            ck.error(b.loc, f"{key}.contacts", f"contact {c} has no {b.contact_field}")
            if b.kind == "qr":
                if not b.qr:
                    ck.error(b.loc, f"{key}.qr", "missing; a QR box names a contact's address such as ceop.web")
                elif content is not None:
                    cid = b.qr.split(".")[0]
                    if cid not in content.contacts:
                        ck.error(b.loc, f"{key}.qr", unknown("contact", cid, content.contacts))
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
