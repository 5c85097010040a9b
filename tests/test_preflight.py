"""Stage 4, preflight: pages that would print badly are refused, naming the layout, page and box."""

from __future__ import annotations

import datetime as dt

import pytest

from cseprint.preflight import contrast

from .conftest import TODAY, Result, Workspace

A4 = ("--layout", "poster-a4")


def refused(r: Result, *fragments: str) -> list[str]:
    assert "Traceback" not in r.err, r.err
    assert r.code == 1, f"expected exit 1, got {r.code}\n{r.out}{r.err}"
    lines = r.problem_lines()
    hits = [ln for ln in lines if all(f in ln for f in fragments)]
    assert hits, f"no problem line contains {fragments}; got:\n" + "\n".join(lines)
    return hits


def test_baseline_passes(ws: Workspace):
    r = ws.check(*A4)
    assert r.code == 0, r.err
    assert r.out.startswith("ok:") and "nothing written" in r.out and r.err == ""


def test_too_much_text_for_a_box(ws: Workspace):
    ws.set_text("poster_subhead", "A suspicion is enough. Report it. " * 4)
    (line,) = refused(ws.check(*A4), "box subhead", "the text does not fit")
    assert "poster-a4: page poster: box subhead (products.poster_subhead)" in line
    assert "poster-a4.yaml:" in line  # points at the box in the layout


@pytest.mark.parametrize("char, name", [("\U0001F600", "GRINNING FACE"), ("\u4e2d", "CJK UNIFIED IDEOGRAPH-4E2D")])
def test_character_no_font_has(ws: Workspace, char: str, name: str):
    ws.set_text("poster_subhead", f"A suspicion {char} is enough.")
    (line,) = refused(ws.check(*A4), "box subhead", f"U+{ord(char):04X} {name}")
    assert "is in none of the fonts" in line


def test_character_from_fallback_font_is_fine(ws: Workspace):
    ws.set_text("poster_subhead", "Mae amheuaeth yn ddigon: ŵ ŷ")  # Welsh letters Atkinson lacks and Noto has
    r = ws.check(*A4)
    assert r.code == 0, r.err


def test_grey_on_grey_contrast(ws: Workspace):
    with ws.edit("layouts/_styles.yaml") as d:
        d["palette"]["grey-light"] = [0, 0, 0, 40]
        d["palette"]["grey-mid"] = [0, 0, 0, 50]
        d["styles"]["grey-text"] = dict(d["styles"]["subhead"], colour="grey-mid")
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "band")["background"] = "grey-light"
        ws.box(d, "subhead")["style"] = "grey-text"
    (line,) = refused(ws.check(*A4), "box subhead", "contrast of grey-mid text on grey-light")
    assert "at least 3.0:1" in line  # large bold text


def test_contrast_is_wcag_ratio():
    black, white = (0, 0, 0, 1.0), (0, 0, 0, 0.0)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)


def test_ink_on_a_dark_panel(ws: Workspace):
    with ws.edit("layouts/_styles.yaml") as d:
        d["palette"]["mid"] = [0, 0, 0, 62]
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "report-panel")["background"] = "mid"
    refused(ws.check(*A4), "box edition", "contrast of ink text on mid")


def test_tiny_qr_code(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "ceop-qr")["qr_size"] = 10
    (line,) = refused(ws.check(*A4), "box ceop-qr", "QR code is 10.0 mm wide")
    assert "at least 30 mm is needed on a poster" in line


def test_body_text_below_minimum(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        d["type_scale"]["body"] = 9
    lines = refused(ws.check(*A4), "box signs", "type is 9.0 pt; the minimum here is 14.0 pt")
    assert all("poster-a4: page poster: box" in ln for ln in lines)


def test_minimum_can_be_raised_by_the_layout(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        d["min_body_pt"] = 15
    refused(ws.check(*A4), "box signs", "the minimum here is 15.0 pt")


def test_long_unbreakable_word(ws: Workspace):
    word = "Anti" + "disestablishmentarianism" * 3
    ws.set_text("poster_subhead", f"Report {word}.")
    lines = refused(ws.check(*A4), "box subhead", "cannot be broken and is wider than the box")
    assert word in lines[0]


def test_text_outside_the_safe_zone(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        box = ws.box(d, "edition")
        box["x"], box["w"] = 1, 150
    refused(ws.check(*A4), "box edition", "outside the safe zone")


def test_qr_code_outside_the_safe_zone(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        box = ws.box(d, "ceop-qr")
        box["x"], box["w"] = 0, 40  # the quiet zone reaches the trim
    refused(ws.check(*A4), "box ceop-qr", "outside the safe zone")


def test_every_problem_of_every_box_reported_together(ws: Workspace):
    ws.set_text("poster_subhead", "A suspicion is enough. Report it. " * 4)
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "ceop-qr")["qr_size"] = 10
    r = ws.check(*A4)
    refused(r, "box subhead", "does not fit")
    refused(r, "box ceop-qr", "QR code is 10.0 mm wide")
    n = len(r.problem_lines())
    assert n >= 2 and f"{n} problems found" in r.err


# --- contacts governance ---------------------------------------------------------------------------

def test_retired_contact_in_a_layout_is_refused(ws: Workspace):
    ws.set_text("poster_subhead", "Ask {thinkuknow.name}.")
    (line,) = refused(ws.check(*A4), "contacts.thinkuknow", "is retired but layout poster-a4 would print it")
    assert "contacts.yaml:" in line
    # --allow-unverified never lets a retired contact through
    refused(ws.check(*A4, "--allow-unverified"), "contacts.thinkuknow", "is retired")


def test_retired_contact_in_a_contacts_box_is_refused(ws: Workspace):
    with ws.edit("content/contacts.yaml") as d:
        d["contacts"]["childline"]["status"] = "retired"  # still listed in the poster's report box
    refused(ws.check(*A4), "contacts.childline", "is retired")


def test_unconfirmed_contact_refused_unless_allowed(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "report")["contacts"][-1] = "report-abuse-in-education"
    refused(ws.check(*A4), "contacts.report-abuse-in-education", "is unconfirmed", "--allow-unverified")
    r = ws.check(*A4, "--allow-unverified")
    assert r.code == 0, r.err


def test_unconfirmed_contact_is_named_in_the_manifest_when_allowed(ws: Workspace, tmp_path):
    import json

    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "report")["contacts"][-1] = "report-abuse-in-education"
    out = tmp_path / "out"
    r = ws.build(out, *A4, "--finish", "office", "--allow-unverified")
    assert r.code == 0, r.err
    assert "WARNING" in r.out and "report-abuse-in-education" in r.out
    man = json.loads((out / "manifest.json").read_text())
    assert man["unverified_contacts"] == ["report-abuse-in-education"]
    assert man["files"][0]["unverified_contacts"] == ["report-abuse-in-education"]


def test_review_date_in_the_past_refused_unless_allowed(ws: Workspace):
    review_by = ws.load("content/contacts.yaml")["contacts"]["nspcc"]["review_by"]
    after = (review_by + dt.timedelta(days=1)).isoformat()
    lines = refused(ws.check(*A4, today=after), "contacts.nspcc", f"was due for review on {review_by}")
    assert all("poster-a4" in ln for ln in lines)
    assert ws.check(*A4, today=review_by.isoformat()).code == 0  # due that day, not yet past
    assert ws.check(*A4, "--allow-unverified", today=after).code == 0


def test_today_option_is_a_date(ws: Workspace):
    r = ws.check(*A4, today="28/11/2026")
    assert r.code == 2
    assert TODAY  # the suite's own date is ISO
