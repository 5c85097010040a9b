"""Stage 2, validate: schema errors, cross-references and 'did you mean', all reported together."""

from __future__ import annotations

import re

import pytest

from cseprint.errors import InputError
from cseprint.validate import load_content, load_layouts

from .conftest import FONTS, PROBLEM_LINE, Result, Workspace

POSTERS = ("--layout", "poster-a4", "--layout", "poster-a3")  # counts below must not depend on other layouts


def failed(r: Result) -> list[str]:
    assert "Traceback" not in r.err, r.err
    assert r.code == 1, f"expected exit 1, got {r.code}\n{r.out}{r.err}"
    assert "nothing was written" in r.err
    return r.problem_lines()


def one_of(lines: list[str], *fragments: str) -> str:
    """The one line containing every fragment (fails listing all lines otherwise)."""
    hits = [ln for ln in lines if all(f in ln for f in fragments)]
    assert hits, f"no problem line contains {fragments}; got:\n" + "\n".join(lines)
    return hits[0]


def test_unmodified_copy_is_valid(ws: Workspace):
    r = ws.check("--layout", "poster-a4")
    assert r.code == 0, r.err


def test_unknown_layout_key_gets_did_you_mean(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        d["kindd"] = d.pop("kind")
    line = one_of(failed(ws.check("--layout", "poster-a4")), "kindd: unknown key")
    assert "did you mean 'kind'?" in line
    assert PROBLEM_LINE.match(line) and "poster-a4.yaml:" in line


def test_unknown_box_key_gets_did_you_mean(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "subhead")["valing"] = "middle"
    line = one_of(failed(ws.check("--layout", "poster-a4")), "valing", "unknown key")
    assert "did you mean 'valign'?" in line


def test_unknown_contact_key_gets_did_you_mean(ws: Workspace):
    ws.replace("content/contacts.yaml", '    phone: "0800 1111"', '    phone: "0800 1111"\n    hourz: "24 hours"')
    line = one_of(failed(ws.check()), "contacts.childline.hourz", "unknown key")
    assert "did you mean 'hours'?" in line


@pytest.mark.parametrize("edit, fragments", [
    (lambda d: d["page"].update(bleed="three"), ("page.bleed", "got text 'three'; expected a number in mm")),
    (lambda d: d["page"].update(bleed=-1), ("page.bleed", "out of range")),
    (lambda d: d.update(title=["a", "b"]), ("title", "got a list")),
    (lambda d: d["page"].update(size="A7"), ("page.size", "'A7' is not allowed")),
    (lambda d: d["pages"][0]["boxes"][0].update(kind="textt"), ("kind", "did you mean 'text'?")),
])
def test_wrong_type_or_value_in_layout(ws: Workspace, edit, fragments):
    with ws.edit("layouts/poster-a4.yaml") as d:
        edit(d)
    one_of(failed(ws.check("--layout", "poster-a4")), *fragments)


def test_wrong_type_in_contact(ws: Workspace):
    ws.replace("content/contacts.yaml", "    free: true", '    free: "yes"')
    one_of(failed(ws.check()), "contacts.nspcc.free", "expected true, false or null")


def test_number_where_text_is_expected(ws: Workspace):
    ws.replace("content/contacts.yaml", 'name: "Childline"', "name: 42")
    one_of(failed(ws.check()), "contacts.childline.name", "put text in quotes")


def test_missing_required_contact_field(ws: Workspace):
    ws.sub("content/contacts.yaml", r'^    audience: "Children and young people under 19"\n', "")
    line = one_of(failed(ws.check()), "contacts.childline.audience", "missing")
    assert "contacts.yaml:" in line


def test_phone_printed_and_dialled_disagree(ws: Workspace):
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    line = one_of(failed(ws.check()), "contacts.childline.phone")
    assert "printed '0800 1111' and dialled '08001112' are different numbers" in line


def test_phone_given_without_dial(ws: Workspace):
    ws.sub("content/contacts.yaml", r'^    dial: "08001111"\n', "")
    one_of(failed(ws.check()), "contacts.childline.dial", "missing; phone is given")


def test_invalid_uk_number(ws: Workspace):
    ws.replace("content/contacts.yaml", 'phone: "0800 1111"', 'phone: "0800 1112"')
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    one_of(failed(ws.check()), "contacts.childline.phone", "not a valid UK phone number")


def test_http_web_address_refused(ws: Workspace):
    ws.replace("content/contacts.yaml", "web: https://crimestoppers-uk.org/", "web: http://crimestoppers-uk.org/")
    one_of(failed(ws.check()), "contacts.crimestoppers.web", "'http://crimestoppers-uk.org/' is not valid",
           "https://")


def test_review_date_must_follow_verification(ws: Workspace):
    ws.sub("content/contacts.yaml", r"^    review_by: .*$", "    review_by: 2020-01-01")  # the first contact's
    lines = failed(ws.check(*POSTERS))
    assert len(lines) == 1
    one_of(lines, ".review_by: 2020-01-01 is not after verified_on")


def test_layout_names_missing_content_key_gets_did_you_mean(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "subhead")["text"] = "products.poster_subhed"
    line = one_of(failed(ws.check("--layout", "poster-a4")), "content key 'products.poster_subhed'")
    assert "did you mean 'products.poster_subhead'?" in line
    assert "poster-a4.yaml:" in line


def test_layout_names_missing_content_file(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "subhead")["text"] = "prodcts.poster_subhead"
    one_of(failed(ws.check("--layout", "poster-a4")), "did you mean 'products'?")


def test_unknown_palette_colour_in_layout(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "header")["background"] = "navvy"
    line = one_of(failed(ws.check("--layout", "poster-a4")), "unknown palette colour 'navvy'")
    assert "did you mean 'navy'?" in line and "pages.poster.header.background" in line


def test_unknown_palette_colour_in_style(ws: Workspace):
    with ws.edit("layouts/_styles.yaml") as d:
        d["styles"]["caption"]["colour"] = "inc"
    line = one_of(failed(ws.check("--layout", "poster-a4")), "styles.caption.colour", "unknown palette colour 'inc'")
    assert "did you mean 'ink'?" in line and "_styles.yaml:" in line


def test_unknown_contact_in_layout(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "report")["contacts"].append("childlin")
    one_of(failed(ws.check("--layout", "poster-a4")), "unknown contact 'childlin'", "did you mean 'childline'?")


def test_unknown_layout_name_on_command_line(ws: Workspace):
    one_of(failed(ws.check("--layout", "poster-a5")), "--layout", "unknown layout 'poster-a5'",
           "did you mean 'poster-a4'?")


def test_all_problems_of_several_files_are_reported_together(ws: Workspace):
    # one independent mistake in each of five files
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    ws.sub("content/edition.yaml", r"^date: .*$", 'date: "28 November"')
    ws.set_text("poster_subhead", "Call 0808 800 5000 now.")
    with ws.edit("layouts/_styles.yaml") as d:
        d["styles"]["caption"]["colour"] = "inc"
    with ws.edit("layouts/poster-a3.yaml") as d:
        d["titel"] = d["title"]
    r = ws.check(*POSTERS)
    lines = failed(r)
    assert len(lines) == 5, "\n".join(lines)
    assert "5 problems found" in r.err
    for fragments in (("contacts.yaml:", "contacts.childline.phone"),
                      ("edition.yaml:", "date", "YYYY-MM-DD"),
                      ("products.yaml:", "products.poster_subhead", "phone number"),
                      ("_styles.yaml:", "styles.caption.colour"),
                      ("poster-a3.yaml:", "titel", "did you mean 'title'?")):
        one_of(lines, *fragments)
    for ln in lines:
        assert PROBLEM_LINE.match(ln), ln


def test_problems_in_content_and_layouts_are_sorted_by_file_and_line(ws: Workspace):
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    ws.replace("content/contacts.yaml", 'dial: "0800555111"', 'dial: "0800555112"')
    lines = failed(ws.check(*POSTERS))
    locs = [(m["file"], int(m["line"])) for m in map(PROBLEM_LINE.match, lines)]
    assert locs == sorted(locs) and len(locs) == 2


def test_one_bad_contact_does_not_hide_another_contacts_phone_mistake(ws: Workspace):
    ws.replace("content/contacts.yaml", "web: https://crimestoppers-uk.org/", "web: http://crimestoppers-uk.org/")
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    lines = failed(ws.check())
    one_of(lines, "contacts.crimestoppers.web")
    one_of(lines, "contacts.childline.phone", "different numbers")


def test_a_mistake_in_a_base_layout_is_reported_once(ws: Workspace):
    with ws.edit("layouts/poster-a4.yaml") as d:
        ws.box(d, "header")["background"] = "navvy"
    lines = failed(ws.check("--layout", "poster-a4", "--layout", "poster-a3"))
    assert len(lines) == len(set(lines)) == 1, "\n".join(lines)


def test_load_functions_raise_input_error_with_every_problem(ws: Workspace):
    ws.replace("content/contacts.yaml", 'dial: "08001111"', 'dial: "08001112"')
    ws.replace("content/contacts.yaml", 'dial: "0800555111"', 'dial: "0800555112"')
    with pytest.raises(InputError) as exc:
        load_content(ws.content)
    assert len(exc.value.problems) == 2
    assert {p.key for p in exc.value.problems} == {"contacts.childline.phone", "contacts.crimestoppers.phone"}


def test_models_carry_locations(ws: Workspace):
    content = load_content(ws.content)
    c = content.contacts["childline"]
    text = ws.read("content/contacts.yaml").splitlines()
    line = c.field_loc("phone").line
    assert text[line - 1].strip().startswith("phone:")
    styles, layouts = load_layouts(ws.layouts, FONTS, content, ["poster-a4"])
    lay = layouts["poster-a4"]
    box = next(b for p in lay.pages for b in p.boxes if b.name == "subhead")
    ytext = ws.read("layouts/poster-a4.yaml").splitlines()
    assert re.search(r"\bsubhead\b", ytext[box.loc.line - 1])
