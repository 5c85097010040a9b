"""The "who to tell" posters for real teams: 0-12 deputies, with or without photos, short and long
names, in English, Welsh and both. Each page is built through the whole pipeline (compose,
preflight, render, verify), read back, and measured from its pixels.

For every case: the page builds, its text names every person, no horizontal band taller than 20%
of the page is blank (the image is saved under tests/_failures/ if one is), no line repeats the
line before it, and the lead stands out from the deputies.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pypdfium2 as pdfium
import pytest

from cseprint.errors import PreflightError

from .blank import render, save_failure, tallest_band
from .conftest import FAILURES_DIR
from .teams import SCHOOL_150, VARIANTS, Posters, people_names, team

SIZES = (0, 1, 4, 5, 9, 12)
MAX_BLANK = 0.20

CASES = (
    [("who-to-tell-a4", "en-GB", n, photos, v) for n in SIZES for photos in ("all", "none")
     for v in VARIANTS if v != "long"]
    + [("who-to-tell-a4", "en-GB", n, "most", "long") for n in SIZES]
    + [("who-to-tell-a3", "en-GB", n, photos, v) for n in SIZES for photos in ("all", "none") for v in ("short", "long")]
    + [("who-to-tell-a4", "cy", n, photos, v) for n in SIZES for photos in ("all", "none") for v in ("short", "names60")]
    + [("who-to-tell-a3", "cy", n, "most", "long") for n in SIZES]
    + [("who-to-tell-a4-bilingual", "cy", n, photos, v) for n in SIZES for photos in ("all", "none")
       for v in ("short", "unbreakable", "roles80") if (n, v) != (12, "roles80")]  # that one: A3, below
    + [("who-to-tell-a3-bilingual", "cy", n, "most", v) for n in SIZES for v in ("names60", "school150")]
)


@pytest.fixture(scope="module")
def posters() -> Posters:
    return Posters()


def page_text(data: bytes) -> str:
    """The page's text as a reader would type it: a name hyphenated at a line's end is joined again."""
    pdf = pdfium.PdfDocument(data)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    text = re.sub(r"[\ufffe\x02]\s*", "", text)  # pdfium marks a hyphen that ends a line this way
    return " ".join(text.replace("\u00a0", " ").split())


def repeated_lines(doc) -> list[str]:
    """Lines equal to the line just above them in the same column of the same box."""
    columns: dict[tuple[str, int], list] = defaultdict(list)
    for ln in doc.pages[0].lines:
        columns[(ln.box, round(ln.rect.x))].append(ln)
    out = []
    for lines in columns.values():
        lines.sort(key=lambda ln: -ln.y)
        for above, below in zip(lines, lines[1:], strict=False):
            if " ".join(above.text.split()).casefold() == " ".join(below.text.split()).casefold():
                out.append(f"{below.box}: {below.text!r}")
    return out


@pytest.mark.parametrize("layout, locale, deputies, photos, names", CASES,
                         ids=["-".join(map(str, c)) for c in CASES])
def test_the_poster_fits_the_team(posters: Posters, layout: str, locale: str, deputies: int, photos: str,
                                  names: str):
    prof = team(deputies, photos=photos, names=names, nation="wales" if locale == "cy" else "england")
    (poster,) = posters.build(prof, [layout], locale)
    doc = poster.doc
    assert doc.fit.get("poster.people"), doc.fit  # the summary and the manifest name the arrangement

    text = page_text(poster.data)
    unhyphenated = text.replace("-", "")  # pdfium cannot tell a name's own hyphen at a line's end from ours
    for name in people_names(prof):
        assert " ".join(name.split()).replace("-", "") in unhyphenated, name
    for p in [prof["dsl"], *prof["deputies"]]:
        if p.get("phone"):
            assert p["phone"] in text, p["phone"]
    assert prof["partnership_web"] in text.replace(" ", "")

    image = render(poster.data)
    band = tallest_band(image)
    if band.share > MAX_BLANK:
        saved = save_failure(image, f"{layout}-{locale}-{deputies}-{photos}-{names}", band, FAILURES_DIR)
        pytest.fail(f"{band} (arrangement {doc.fit}); the page is saved as {saved}")

    assert repeated_lines(doc) == []

    lines = doc.pages[0].lines
    lead = max(r.size for ln in lines if ln.key == "school.dsl" for r in ln.runs)
    others = [r.size for ln in lines if ln.key.startswith("school.deputies[") for r in ln.runs]
    assert all(lead > size for size in others), (lead, set(others))
    photos_placed = doc.pages[0].images
    lead_photo = [im.rect.w for im in photos_placed if im.box == "people"][:1]
    if lead_photo and prof["dsl"].get("photo") and len(photos_placed) > 1:
        assert all(lead_photo[0] >= im.rect.w - 1e-6 for im in photos_placed if im.box == "people")


def test_bilingual_titles_and_headings_are_said_in_both_languages(posters: Posters):
    prof = team(2, photos="none", names="short", nation="wales")
    (poster,) = posters.build(prof, ["who-to-tell-a4-bilingual"], "cy")
    text = page_text(poster.data)
    for said in ("Person Diogelu Dynodedig", "Designated Safeguarding Person",
                 "At bwy i fynd yn ein hysgol / Who to tell in our school",
                 "Ein dirprwyon (Dirprwy Berson Diogelu Dynodedig) / Our Deputy Designated Safeguarding Persons"):
        assert said in text, said


def test_the_leads_role_is_not_printed_twice(posters: Posters):
    prof = team(1, photos="none", lead_role="Designated Safeguarding Lead")
    (poster,) = posters.build(prof, ["who-to-tell-a4"])
    assert page_text(poster.data).count("Designated Safeguarding Lead") == 1 + 1  # the lead's, the deputies' heading
    assert repeated_lines(poster.doc) == []


@pytest.mark.parametrize("locale, deputies, present, absent", [
    ("en-GB", 0, ["this person is trained to help", "straight away"], ["one of the deputies", "Our Deputy",
                                                                      "these people"]),
    ("en-GB", 1, ["these people are trained", "or our deputy straight away", "Our Deputy Designated Safeguarding Lead"],
     ["one of the deputies", "Safeguarding Leads"]),
    ("en-GB", 4, ["these people", "or one of the deputies", "Our Deputy Designated Safeguarding Leads"], []),
    ("cy", 0, ["mae'r person hwn wedi'i hyfforddi"], ["dirprwy", "Dirprwy"]),
    ("cy", 1, ["neu wrth ein dirprwy", "Ein Dirprwy Berson Diogelu Dynodedig"], ["dirprwyon"]),
    ("cy", 3, ["neu wrth un o'r dirprwyon", "Ein dirprwyon (Dirprwy Berson Diogelu Dynodedig)"], []),
])
def test_wording_follows_the_number_of_deputies(posters: Posters, locale: str, deputies: int, present: list[str],
                                                absent: list[str]):
    prof = team(deputies, photos="none", nation="wales" if locale == "cy" else "england")
    text = " ".join(page_text(p.data) for p in posters.build(prof, ["who-to-tell-a4", "staff-leaflet"], locale))
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


@pytest.mark.parametrize("layout, locale", [("who-to-tell-a4", "en-GB"), ("who-to-tell-a3", "cy"),
                                            ("who-to-tell-a4-bilingual", "cy"), ("staff-leaflet", "en-GB"),
                                            ("staff-leaflet", "cy")])
def test_the_local_safeguarding_partnership_is_printed(posters: Posters, layout: str, locale: str):
    nation = "wales" if locale == "cy" else "england"
    prof = team(2, photos="none", school_name=SCHOOL_150, nation=nation)
    (poster, *_) = posters.build(prof, [layout], locale)
    assert prof["partnership_web"] in page_text(poster.data).replace(" ", "")  # a web address may break
    without = posters.build(team(2, photos="none", partnership=False, nation=nation), [layout], locale)[0]
    assert "safeguarding.example" not in page_text(without.data)
    assert not any(ln.box.startswith("partnership") for p in without.doc.pages for ln in p.lines)


def test_a_team_too_large_for_any_arrangement_is_refused_naming_each_and_the_a3_poster(posters: Posters):
    prof = team(12, photos="all", names="longest")  # every field of all 13 people at its longest
    with pytest.raises(PreflightError) as exc:
        posters.build(prof, ["who-to-tell-a4"])
    (p,) = [p for p in exc.value.problems if "box people" in p.key]
    assert str(p.location).startswith("layouts/who-to-tell-a4.yaml:")
    assert "does not fit in any of its 12 arrangements" in p.message
    for name in ("largest", "cards-2", "list-2-photos", "lines-3", "lines-1-smaller"):
        assert re.search(rf"\b{name} needs [0-9.]+ mm", p.message), name
    assert "--layout who-to-tell-a3" in p.message
    assert len(exc.value.problems) == 1, [str(x) for x in exc.value.problems]  # nothing said twice


def test_a_bilingual_team_too_large_for_a4_is_sent_to_the_a3_poster_which_holds_it(posters: Posters):
    """Twelve deputies, a third of them with 80-character roles, said in Welsh and English under the
    draft band: the A4 poster refuses and names the A3 one, and the A3 one holds them."""
    prof = team(12, photos="all", names="roles80", nation="wales")
    with pytest.raises(PreflightError) as exc:
        posters.build(prof, ["who-to-tell-a4-bilingual"], "cy")
    (p,) = exc.value.problems
    assert "box people" in p.key and "--layout who-to-tell-a3-bilingual" in p.message
    (poster,) = posters.build(prof, ["who-to-tell-a3-bilingual"], "cy")
    text = page_text(poster.data).replace("-", "")
    assert all(name.replace("-", "") in text for name in people_names(prof))
