"""An accessible web copy of each material, from the same content as its PDF.

reportlab cannot write tagged PDF, so a screen-reader user would get little
from the PDF on a school's website. This writes, for each layout, one HTML
page in the layout's reading order (page by page, box by box) with semantic
headings and lists, ``tel:``/``mailto:``/``https:`` links from the registry,
``lang`` set, alt text for photos and colours that meet WCAG 2.1 AA.
Like write_pdf it is a writer at the edge: it reads models, never files.
"""

from __future__ import annotations

import base64
import html
import re

from . import textmarkup
from .lookup import counted, localized_contacts, nation_texts, resolve_in
from .models import Box, Content, Layout, Styles, Text
from .textmarkup import Span

CSS = """
:root { color-scheme: light; }
body { font-family: "Atkinson Hyperlegible", Verdana, system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5;
       color: #111; background: #fff; max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
h1 { color: #0b2247; font-size: 2rem; line-height: 1.2; }
h2 { color: #0b2247; margin-top: 2rem; }
a { color: #0b3d91; text-decoration: underline; }
a:focus { outline: 3px solid #0b3d91; outline-offset: 2px; }
.contacts { list-style: none; padding: 0; }
.contacts li { margin: .4rem 0; }
.number { font-weight: bold; white-space: nowrap; }
.people { list-style: none; padding: 0; }
.people li { display: flex; gap: 1rem; align-items: flex-start; margin-bottom: 1rem; }
.people img { width: 6rem; height: 6rem; object-fit: cover; }
footer { margin-top: 3rem; font-size: .95rem; color: #333; }
.draft { background: #fff3b0; color: #111; border: 3px solid #111; padding: .5rem 1rem; font-weight: bold; }
"""
DRAFT_BAND = "DRAFFT / DRAFT translation, not yet reviewed"


class HtmlWriter:
    def __init__(self, layout: Layout, styles: Styles, content: Content, chain: list[str]):
        self.layout, self.styles, self.content, self.chain = layout, styles, content, chain
        self.registry = localized_contacts(content, chain)

    def node(self, key: str):
        node, _ = resolve_in(self.content, self.chain, key)
        people = self.content.school_people
        return counted(node, len(people) - 1 if people else None)  # wording that follows the number of deputies

    def inline(self, t: Text | None, **kw: bool) -> str:
        if t is None:
            return ""
        spans = textmarkup.parse(t.value, self.registry, self.content.edition, school=self.school_fields(),
                                 nation=nation_texts(self.content, self.chain, self.content.nation), **kw)
        return self.mark_english("".join(self.span(s) for s in spans))

    def mark_english(self, markup: str) -> str:
        """Inside another language's text, wrap the English names and words its _locale.yaml lists in
        lang="en-GB", so a screen reader says them in English (WCAG 3.1.2)."""
        lang = self.chain[0]
        info = self.content.locale_info.get(lang)
        if lang.startswith("en") or info is None or not info.english_terms:
            return markup
        terms = sorted(info.english_terms, key=len, reverse=True)
        pattern = re.compile(r"(<[^>]*>)|\b(" + "|".join(re.escape(html.escape(t)) for t in terms) + r")\b")
        return pattern.sub(lambda m: m.group(1) or f'<span lang="en-GB">{m.group(2)}</span>', markup)

    def school_fields(self) -> dict[str, str]:
        """The school's fields, its role's names in the language being written (bilingual layouts)."""
        roles = self.content.school_roles.get(self.chain[0])
        return {**self.content.school_fields, **roles} if roles else self.content.school_fields

    def span(self, s: Span) -> str:
        if s is textmarkup.LINE_BREAK:
            return "<br>"
        text = html.escape(s.text)
        c = self.registry.get(s.contact) if s.contact else None
        if c is not None and s.url:
            text = f'<a href="{html.escape(s.text, quote=True)}">{text}</a>'
        elif c is not None and s.text == c.email:
            text = f'<a href="mailto:{html.escape(s.text, quote=True)}">{text}</a>'
        elif c is not None and s.text in (c.phone, c.textphone):
            text = f'<a class="number" href="{tel(c.dial if s.text == c.phone else c.textphone_dial)}">{text}</a>'
        if s.bold:
            text = f"<strong>{text}</strong>"
        if s.italic:
            text = f"<em>{text}</em>"
        return text

    def people(self, b: Box) -> str:
        return _people(self, b)

    def page(self) -> str:
        title = html.escape(plain(self, self.layout.title))
        parts = [f"<h1>{title}</h1>"]
        if self.layout.reading_order:  # a folded leaflet is read across its two sides
            boxes = {f"{p.name}.{b.name}": b for p in self.layout.pages for b in p.boxes}
            parts += [self.box(boxes[k]) for k in self.layout.reading_order]
        else:
            for pdef in self.layout.pages:
                body = "".join(self.box(b) for b in pdef.boxes)
                if body:
                    parts.append(f'<section aria-label="{html.escape(pdef.name)}">{body}</section>')
        edition = self.content.edition
        lang = self.chain[0]
        return (f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
                f"<style>{CSS}</style>\n</head>\n<body>\n" + self.draft_band() + "<main>\n" + "\n".join(parts)
                + f"\n</main>\n<footer><p>Edition {html.escape(edition.version)}, {edition.date}. "
                f"Numbers and addresses come from one checked registry.</p></footer>\n</body>\n</html>\n")

    def draft_band(self) -> str:
        """While any language on the page is an unreviewed translation, say so at the top."""
        langs = [self.chain[0], *self.layout.languages]
        if all(self.content.locale_info.get(code) is None or self.content.locale_info[code].reviewed for code in langs):
            return ""
        return f'<p class="draft" role="note">{html.escape(DRAFT_BAND)}</p>\n'

    def box(self, b: Box) -> str:
        """One box's content; a box pinned to a language is marked with its own lang."""
        if not b.locale:
            return self._box(b)
        saved = self.chain, self.registry
        self.chain, self.registry = [b.locale], localized_contacts(self.content, [b.locale])
        try:
            inner = self._box(b)
        finally:
            self.chain, self.registry = saved
        return f'<div lang="{html.escape(b.locale)}">{inner}</div>' if inner else ""

    def _box(self, b: Box) -> str:
        has_school = self.content.school_id is not None
        if (b.when == "school" and not has_school) or (b.when == "no-school" and has_school):
            return ""
        if b.needs_contact and b.needs_contact not in self.registry:
            return ""
        if b.kind in ("stack", "grid"):  # the boxes it holds, in order (a web page has room for all)
            return "".join(self.box(k) for k in b.boxes)
        if b.kind in ("fill", "edition"):
            return ""
        out = []
        if b.heading:
            out.append(f"<h2>{self.inline(self.node(b.heading))}</h2>")
        if b.kind == "text":
            tag = "h2" if self.styles.styles[b.style].role == "heading" else "p"
            out += [f"<{tag}>{self.inline(self.node(k))}</{tag}>" for k in b.text]
        elif b.kind == "list":
            items = list(self.node(b.items))
            if b.only:
                by_id = {i.id: i for i in items}
                items = [by_id[i] for i in b.only]
            lis = []
            for item in items:
                fields = b.show.split("+")
                label = item.get(fields[0]) or item.get("label")
                detail = item.get("detail") if "detail" in fields else None
                extra = "".join(f" {self.inline(item.get(f))}" for f in fields[2:] if item.get(f))
                if detail is not None and fields[0] != "detail":
                    lis.append(f"<li><strong>{self.inline(label)}</strong>: {self.inline(detail)}{extra}</li>")
                else:
                    lis.append(f"<li>{self.inline(detail or label)}{extra}</li>")
            out.append("<ul>" + "".join(lis) + "</ul>")
        elif b.kind == "contacts":
            lis = []
            for cid in b.contacts:
                c = self.registry[cid]
                value = getattr(c, b.contact_field)
                span = Span(value, contact=cid, url=b.contact_field == "web")
                shown = c.name if b.contact_name == "name" else (c.short_name or c.name)
                lis.append(f"<li>{self.mark_english(html.escape(shown))}: {self.span(span)}</li>")
            out.append('<ul class="contacts">' + "".join(lis) + "</ul>")
        elif b.kind == "qr":
            cid, fld = b.qr.split(".")
            url = getattr(self.registry[cid], fld)
            label = self.inline(self.node(b.label)) if b.label else html.escape(self.registry[cid].name)
            out.append(f'<p>{label}: <a href="{html.escape(url, quote=True)}">{html.escape(url)}</a></p>')
        elif b.kind == "people":
            out.append(self.people(b))
        elif b.kind == "logo" and self.content.school_logo:
            name = html.escape(self.content.school_fields.get("name", "School"))
            out.append(f'<p><img src="{data_uri(self.content.school_logo.path)}" alt="{name} logo"></p>')
        return "".join(out)


def _people(w: HtmlWriter, b: Box) -> str:
    """The lead, then the deputies under their heading; titles in each of the box's languages, and
    a line equal to the one before it said once, as on the poster."""
    langs = list(b.languages) or [w.chain[0]]

    def each(fn) -> list[str]:
        saved = w.chain, w.registry
        out: list[str] = []
        for lang in langs:
            w.chain, w.registry = [lang], localized_contacts(w.content, [lang])
            try:
                text = fn()
            finally:
                w.chain, w.registry = saved
            if text and text not in out:
                out.append(text)
        return out

    parts, lis = [], []
    for i, p in enumerate(w.content.school_people):
        if i == 1:
            parts.append('<ul class="people">' + "".join(lis) + "</ul>")
            lis = []
            if b.deputies_heading:
                parts += [f"<h3>{h}</h3>" for h in each(lambda: w.inline(w.node(b.deputies_heading)))]
        if i == 0:
            titles = each(lambda: html.escape(w.school_fields().get("role_name", "")))
        elif b.deputies_heading:
            titles = []
        else:
            titles = each(lambda: html.escape(plain(w, b.label) if b.label
                                              else w.school_fields().get("deputy_role_name")
                                              or f"Deputy {w.school_fields().get('role_name', '')}"))
        img = f'<img src="{data_uri(p.photo.path)}" alt="Photo of {html.escape(p.name)}">' if p.photo else ""
        lines: list[str] = []
        for text in [html.escape(p.name), *titles, *[html.escape(x) for x in (p.role, p.location) if x]]:
            if not lines or " ".join(html.unescape(lines[-1]).split()).casefold() != \
                    " ".join(html.unescape(text).split()).casefold():
                lines.append(text)
        lines[0] = f"<strong>{lines[0]}</strong>"
        if p.phone:
            lines.append(f'<a class="number" href="{tel(p.phone.replace(" ", ""))}">{html.escape(p.phone)}</a>')
        lis.append(f"<li>{img}<div>{'<br>'.join(lines)}</div></li>")
    parts.append('<ul class="people">' + "".join(lis) + "</ul>")
    return "".join(parts)


def plain(w: HtmlWriter, key: str) -> str:
    spans = textmarkup.parse(w.node(key).value, w.content.contacts, w.content.edition, school=w.school_fields(),
                             nation=nation_texts(w.content, w.chain, w.content.nation))
    return "".join(s.text for s in spans if s is not textmarkup.LINE_BREAK)


def tel(dial: str | None) -> str:
    """tel: links in international form where the number is a full UK number."""
    d = dial or ""
    if d.startswith("0") and len(d) > 6:
        d = "+44" + d[1:]
    return "tel:" + html.escape(d, quote=True)


def data_uri(path: str) -> str:
    """The picture inside the page, at most photos.WEB_PX across (a phone photo is not 4 MB of the page)."""
    from .photos import screen_image

    data, mime = screen_image(path)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(layout: Layout, styles: Styles, content: Content, chain: list[str]) -> str:
    return HtmlWriter(layout, styles, content, chain).page()
