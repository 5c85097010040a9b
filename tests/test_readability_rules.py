"""The readability limit, judged on small inline layouts: what prose is scored, in which language,
and both sides of ``max_reading_grade``.

A pupils' poster must read at Flesch-Kincaid grade 6.0 or lower. A check that scored the wrong
words (a box that is not printed, list fields not shown, Welsh text with an English formula) or
that moved its limit would pass hard text to children, or refuse a poster that is fine. Each
test here fails when one of those breaks (tools/mutate.py found none did before).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cseprint.preflight import box_prose, check_readability, reading_grade
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS
from .flowkit import content_folder, layout_folder

HARD = ("Notwithstanding institutional safeguarding considerations, comprehensive multidisciplinary "
        "interventions necessitate communicating apprehensions to appropriately accredited professionals.")
EASY = "Tell an adult you trust. It is not your fault."
ITEMS = [{"id": "one", "label": "Talk to us.", "detail": HARD}, {"id": "two", "label": "Call us.", "detail": EASY}]


def load(root: Path, body: str, texts: dict, welsh: dict | None = None, chain: list[str] | None = None):
    content = load_content(content_folder(root, texts, welsh))
    _, layouts = load_layouts(layout_folder(root, body), FONTS, content, ["t"], [chain or ["en-GB"]])
    return layouts["t"], content


def prose_of(root: Path, body: str, texts: dict, **kw) -> dict[str, str]:
    layout, content = load(root, body, texts, **kw)
    return {b.name: prose for b, _, prose in box_prose(layout, content, kw.get("chain") or ["en-GB"])}


def page(*boxes: str) -> str:
    return "pages:\n  - name: p\n    boxes:\n" + "".join(f"      - {b}\n" for b in boxes)


def test_a_list_scores_the_fields_it_shows_and_only_the_items_it_prints(tmp_path: Path):
    body = page("{name: all, kind: list, x: 10, y: 10, w: 150, h: 80, items: t.items, show: label}",
                "{name: one, kind: list, x: 10, y: 100, w: 150, h: 80, items: t.items, only: [two], "
                "show: label+detail}")
    got = prose_of(tmp_path, body, {"items": ITEMS})
    assert got == {"all": "Talk to us. Call us.", "one": f"Call us. {EASY}"}


def test_a_list_showing_short_labels_falls_back_to_the_label_where_an_item_has_none(tmp_path: Path):
    items = [{"id": "one", "label": "Talk to us.", "short": "Talk."}, {"id": "two", "label": "Call us."}]
    body = page("{name: l, kind: list, x: 10, y: 10, w: 150, h: 80, items: t.items, show: short}")
    assert prose_of(tmp_path, body, {"items": items}) == {"l": "Talk. Call us."}


def test_items_named_on_a_box_that_is_not_a_list_are_not_scored(tmp_path: Path):
    """Only a list prints its items; a text box's stray ``items`` key must not put unprinted words
    in front of the limit."""
    body = page("{name: words, kind: text, x: 10, y: 10, w: 150, h: 80, text: t.easy, items: t.items}")
    assert prose_of(tmp_path, body, {"easy": EASY, "items": ITEMS}) == {"words": EASY}


def test_boxes_of_kinds_with_no_prose_are_not_scored_even_with_a_heading(tmp_path: Path):
    body = page("{name: words, kind: text, x: 10, y: 10, w: 150, h: 40, text: t.easy}",
                "{name: who, kind: contacts, x: 10, y: 60, w: 150, h: 60, heading: t.hard, contacts: [c1, c2]}")
    assert prose_of(tmp_path, body, {"easy": EASY, "hard": HARD}) == {"words": EASY}


def test_a_national_build_does_not_score_text_that_only_a_school_fills_in(tmp_path: Path):
    """A box printed always whose text names the school cannot be set without one: it is passed
    over, and the boxes after it are still scored."""
    body = page("{name: ours, kind: text, x: 10, y: 10, w: 150, h: 40, text: t.ours}",
                "{name: words, kind: text, x: 10, y: 60, w: 150, h: 40, text: t.easy}")
    got = prose_of(tmp_path, body, {"ours": "Ask {school.name}.", "easy": EASY})
    assert got == {"words": EASY}


def test_school_only_boxes_are_left_out_of_a_national_build(tmp_path: Path):
    body = page("{name: ours, kind: text, x: 10, y: 10, w: 150, h: 40, text: t.hard, when: school}",
                "{name: words, kind: text, x: 10, y: 60, w: 150, h: 40, text: t.easy, when: no-school}")
    assert prose_of(tmp_path, body, {"hard": HARD, "easy": EASY}) == {"words": EASY}


def limited(tmp_path: Path, limit: float | None, text: str = HARD) -> list[str]:
    body = page("{name: words, kind: text, x: 10, y: 10, w: 190, h: 80, text: t.words}")
    layout, content = load(tmp_path, body, {"words": text})
    layout = dataclasses.replace(layout, max_reading_grade=limit, audience="pupils")
    problems, worst = check_readability(layout, content, ["en-GB"])
    assert worst == pytest.approx(reading_grade(text if text.endswith(".") else text + "."))
    return [f"{p.key}: {p.message}" for p in problems]


@pytest.mark.parametrize("margin, refused", [(-0.5, True), (-0.01, True), (0.0, False), (0.5, False)])
def test_the_reading_limit_on_both_sides(tmp_path: Path, margin: float, refused: bool):
    """A box scoring exactly the limit passes; 0.01 of a grade over it is refused, naming the box."""
    grade = reading_grade(HARD)
    got = limited(tmp_path, grade + margin)
    if refused:
        assert got == [f"t: page p: box words: reads at Flesch-Kincaid grade {grade:.1f}; the limit for pupils "
                       f"here is {grade + margin:.1f} (max_reading_grade): use shorter sentences and shorter words"]
    else:
        assert got == []


def test_no_limit_scores_but_refuses_nothing(tmp_path: Path):
    assert limited(tmp_path, None) == []


def test_welsh_text_is_not_scored_with_the_english_formula(tmp_path: Path):
    """Flesch-Kincaid is for English. A Welsh build (Welsh first, English to fall back on) and a box
    set in Welsh on a bilingual page are not scored; the English box beside it is."""
    welsh = {"words": "Dywedwch wrth oedolyn rydych chi'n ymddiried ynddo. Nid eich bai chi yw e."}
    body = page("{name: words, kind: text, x: 10, y: 10, w: 150, h: 40, text: t.words}")
    layout, content = load(tmp_path / "a", body, {"words": HARD}, welsh=welsh, chain=["cy", "en-GB"])
    layout = dataclasses.replace(layout, max_reading_grade=6.0)
    assert check_readability(layout, content, ["cy", "en-GB"]) == ([], None)
    body = page("{name: cy, kind: text, x: 10, y: 10, w: 90, h: 40, text: t.words, locale: cy}",
                "{name: en, kind: text, x: 110, y: 10, w: 90, h: 40, text: t.words, locale: en-GB}")
    layout, content = load(tmp_path / "b", body, {"words": HARD}, welsh=welsh)
    layout = dataclasses.replace(layout, max_reading_grade=6.0)
    problems, worst = check_readability(layout, content, ["en-GB"])
    assert [p.key for p in problems] == ["t: page p: box en"]
    assert worst == pytest.approx(reading_grade(HARD))
