"""A school's language: what each value of its profile's ``language`` builds (pure).

* ``en-GB`` (the default): every layout in English.
* ``cy``: every layout in Welsh.
* ``bilingual``: Welsh and English together. Each layout that has a bilingual
  version (``NAME-bilingual``, with ``languages: [cy, en-GB]``) is built as
  that version; a layout without one (the staff leaflet, read by one person in
  their own language) is built twice, in Welsh and in English.

A layout whose text exists in one language only (``languages: [en-GB]``, the
staff guide and the pupils' poster until they are translated) is built only
in that language, for the schools whose set includes it.

A profile without ``language`` builds what ``--locale`` builds, as before:
every layout in that language, and with ``--locale cy`` the bilingual ones too.
"""

from __future__ import annotations

from .errors import InputError, Problem
from .models import Content, Layout

LANGUAGES = ("en-GB", "cy", "bilingual")
BILINGUAL = ("cy", "en-GB")  # Welsh first: bilingual signs in Wales put the Welsh where it is read first


def bilingual_version(name: str, layouts: dict[str, Layout]) -> str | None:
    lay = layouts.get(f"{name}-bilingual")
    return lay.name if lay is not None and len(lay.languages) > 1 else None


def in_language(lay: Layout, locale: str) -> bool:
    """A layout made in one language at a time: any, or only the one it names (``languages: [en-GB]``
    for a text not yet translated)."""
    return not lay.languages or tuple(lay.languages) == (locale,)


def builds(language: str | None, default: str, layouts: dict[str, Layout]) -> list[tuple[str, list[str]]]:
    """(locale, layout names) for each language a school's files are built in, in order."""
    if language is None:
        return [(default, sorted(n for n, lay in layouts.items()
                                 if not lay.languages or lay.languages[0] == default))]
    if language != "bilingual":
        return [(language, sorted(n for n, lay in layouts.items() if in_language(lay, language)))]
    runs = []
    for locale in BILINGUAL:
        alone = [n for n, lay in layouts.items() if in_language(lay, locale) and bilingual_version(n, layouts) is None]
        together = [n for n, lay in layouts.items() if len(lay.languages) > 1 and lay.languages[0] == locale]
        runs.append((locale, sorted(together + alone)))
    return [(locale, names) for locale, names in runs if names]


def locales_for(language: str | None, default: str) -> list[str]:
    """The content languages a school of this ``language`` needs."""
    if language is None:
        return [default]
    return list(BILINGUAL) if language == "bilingual" else [language]


def check_content(language: str | None, default: str, content: Content, where, key: str = "language") -> None:
    """A school whose language has no content folder is refused, naming the profile's key."""
    missing = [loc for loc in locales_for(language, default) if loc not in content.locales]
    if missing:
        raise InputError([Problem(where, key, f"{language!r} needs the content in {', '.join(missing)} "
                                  f"({content.root}/{missing[0]}/), which is not there; have: "
                                  f"{', '.join(sorted(content.locales))}")])
