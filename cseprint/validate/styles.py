"""``_styles.yaml``: the palette (CMYK), the font families and the named text styles."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Location
from ..load import display_name, load_yaml
from ..models import Colour, FontFamily, Styles, TextStyle
from ..schema import MISSING, Bool, Checker, ListOf, MapOf, Num, Record, Str, quote, unknown

VARIANTS = ("regular", "bold", "italic", "bold_italic")

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
            ck.error(sloc, f"styles.{n}.family", unknown("font family", s["family"], families))
        if s["colour"] not in palette:
            ck.error(sloc, f"styles.{n}.colour", unknown("palette colour", s["colour"], palette))
        styles[n] = TextStyle(n, s["family"], s["bold"], s["italic"], s["size"], s["leading"], s["colour"],
                              s["align"], s["role"], sloc)
    return Styles(palette, families, tuple(got["fonts"]["fallback"]), styles, display_name(path))
