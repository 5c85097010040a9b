"""The form in a real browser (headless Chromium through Playwright): a school goes from an empty form to its
zip, and from last year's saved profile to this year's pack; axe-core finds nothing on the form or the error
page; and it all works with script turned off."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from ..test_web import AXE
from .conftest import PHOTOS, Live, pdf_text_of, unzip

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe(page: Page) -> dict:
    """Run axe-core in the page. The context bypasses the page's CSP only so that axe can be injected."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return {violations: r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.html)})),
                passes: r.passes.length};
    }""", TAGS)


@pytest.fixture
def axe_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


def fill_in_school(page: Page) -> None:
    """What a school office types, found by each box's label (as a screen reader user would)."""
    page.get_by_label("School name").fill("Oakfield Primary School (fictional)")
    page.get_by_label("Nation").select_option(label="England")
    page.get_by_label("Date these names and numbers were checked").fill("2026-11-20")
    lead = page.locator("fieldset#dsl")
    lead.get_by_label("Full name").fill("Priya Fictional")
    lead.get_by_label("Job title").fill("Assistant Headteacher")
    lead.get_by_label("Phone number").fill("0113 496 0123")
    lead.get_by_label("Where to find them").fill("Office next to the hall")
    lead.get_by_label("Photo").set_input_files(str(PHOTOS["dsl_photo"]))
    first = page.locator("fieldset#deputy1")
    first.get_by_label("Full name").fill("Tom Imaginary")
    first.get_by_label("Job title").fill("Family Support Worker")
    page.get_by_label("Name of the council's children's services").fill("Exampleshire Council children's services")
    page.get_by_label("Phone number in office hours").fill("0113 496 0000")
    page.get_by_label("Office hours", exact=True).fill("Monday to Friday, 9am to 5pm")
    page.get_by_label("Phone number out of hours").fill("020 7946 0999")
    page.get_by_label("For the school's printer only").check()


def download_pack(page: Page, tmp_path: Path) -> dict[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Make the pack (zip)").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_empty_form_to_zip(live: Live, page: Page, tmp_path: Path) -> None:
    page.goto(live.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Make your school's safeguarding posters")
    fill_in_school(page)
    files = download_pack(page, tmp_path)
    assert "oakfield-primary-school-fictional.zip" in [p.name for p in tmp_path.iterdir()]
    text = pdf_text_of(files["who-to-tell-a4.pdf"])
    for words in ("Oakfield Primary School (fictional)", "Priya Fictional", "Assistant Headteacher", "0113 496 0123",
                  "Tom Imaginary", "0113 496 0000", "020 7946 0999"):
        assert words in text, words
    assert "Priya Fictional" in pdf_text_of(files["staff-leaflet.pdf"])
    assert "profile/schools/photos/oakfield-primary-school-fictional-dsl.png" in files
    assert not any(n.startswith("print-shop/") for n in files)  # "for the school's printer only"
    assert page.url == live.url + "/"  # the form stays on screen


def test_last_years_saved_profile_to_this_years_pack(live: Live, page: Page, tmp_path: Path) -> None:
    page.goto(live.url)
    fill_in_school(page)
    (tmp_path / "last-year").mkdir()
    last_year = download_pack(page, tmp_path / "last-year")
    pack = tmp_path / "last-year.zip"
    with zipfile.ZipFile(pack, "w") as z:
        for name, data in last_year.items():
            z.writestr(name, data)
    page.goto(live.url)  # a new visit: an empty form
    page.get_by_label("Saved profile", exact=True).set_input_files(str(pack))
    page.get_by_role("button", name="Load the profile").click()
    expect(page.locator(".notice")).to_contain_text("Loaded last-year.zip:profile/schools/")
    expect(page.get_by_label("School name")).to_have_value("Oakfield Primary School (fictional)")
    expect(page.locator("fieldset#dsl").get_by_label("Full name")).to_have_value("Priya Fictional")
    expect(page.get_by_role("img", name="The photo chosen for the safeguarding lead")).to_be_visible()
    # a year on: the deputy has a new job and the names were checked again
    page.get_by_label("Date these names and numbers were checked").fill("2027-11-15")
    page.locator("fieldset#deputy1").get_by_label("Job title").fill("Deputy Headteacher")
    this_year = download_pack(page, tmp_path)
    text = pdf_text_of(this_year["who-to-tell-a4.pdf"])
    assert "Deputy Headteacher" in text and "Family Support Worker" not in text and "Priya Fictional" in text
    saved = this_year["profile/schools/oakfield-primary-school-fictional.yaml"].decode()
    assert "checked_on: 2027-11-15" in saved
    assert this_year["profile/schools/photos/oakfield-primary-school-fictional-dsl.png"] == \
        last_year["profile/schools/photos/oakfield-primary-school-fictional-dsl.png"]


def test_no_accessibility_violations_on_the_form(live: Live, axe_page: Page) -> None:
    axe_page.goto(live.url)
    result = axe(axe_page)
    assert result["passes"] > 10, result
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)


def test_error_page_is_accessible_and_leads_to_each_box(live: Live, axe_page: Page) -> None:
    page = axe_page
    page.goto(live.url)
    page.get_by_label("School name").fill('<b>Oak</b> "field"')
    page.locator("fieldset#dsl").get_by_label("Photo").set_input_files(str(Path(__file__)))  # not a picture
    page.get_by_role("button", name="Make the pack (zip)").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(summary).to_be_focused()
    expect(page.get_by_label("School name")).to_have_value('<b>Oak</b> "field"')
    link = summary.get_by_role("link", name=re.compile("^Safeguarding lead, full name: Fill this in"))
    link.click()
    expect(page.locator("fieldset#dsl").get_by_label("Full name")).to_be_focused()
    expect(page.locator("#dsl_photo-error")).to_contain_text("not a PNG or JPEG file")
    result = axe(page)
    assert result["passes"] > 10, result
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)


def test_axe_here_catches_a_real_violation(live: Live, axe_page: Page) -> None:
    """Guard against a harness that always says 'no violations'."""
    axe_page.goto(live.url)
    axe_page.evaluate("""() => { document.querySelector('label[for=dsl_name]').remove();
                                 document.documentElement.removeAttribute('lang'); }""")
    ids = {v["id"] for v in axe(axe_page)["violations"]}
    assert {"label", "html-has-lang"} <= ids, ids


def test_the_page_refuses_inline_script(live: Live, page: Page) -> None:
    """The Content-Security-Policy holds in the browser: markup slipped into the page cannot run script."""
    page.goto(live.url)
    page.evaluate("""() => document.body.insertAdjacentHTML('beforeend',
                     '<img src=x onerror="window.pwned = 1"><iframe srcdoc="<script>parent.pwned2 = 1</script>">')""")
    page.wait_for_timeout(500)
    assert page.evaluate("() => [window.pwned, window.pwned2]") == [None, None]


def test_script_adds_and_removes_deputies_and_shows_a_preview(live: Live, page: Page) -> None:
    page.goto(live.url)
    fill_in_school(page)
    deputies = page.locator("#deputies > fieldset.deputy")
    expect(deputies).to_have_count(2)
    page.get_by_role("button", name="Add another deputy").click()
    expect(deputies).to_have_count(3)
    expect(page.locator("fieldset#deputy3").get_by_label("Full name")).to_be_focused()
    page.locator("fieldset#deputy3").get_by_label("Full name").fill("Third Deputy")
    page.get_by_role("button", name="Remove deputy 2").click()
    expect(deputies).to_have_count(2)
    expect(page.locator("fieldset#deputy2 legend")).to_have_text("Deputy 2")
    expect(page.locator("fieldset#deputy2").get_by_label("Full name")).to_have_value("Third Deputy")
    assert page.url == live.url + "/"  # no round trip
    page.get_by_role("button", name="Show the preview").click()
    image = page.get_by_role("img", name=re.compile("^Preview of the A4 'who to tell' poster"))
    expect(image).to_be_visible(timeout=60_000)
    width, height = page.evaluate("() => { const i = document.getElementById('preview-image');"
                                  " return [i.naturalWidth, i.naturalHeight]; }")
    assert height > width > 300


def test_without_script_deputies_come_from_the_server_and_the_pack_still_downloads(
        live: Live, browser: Browser, browser_context_args: dict, tmp_path: Path) -> None:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live.url)
        expect(page.locator("#preview")).to_be_hidden()
        fill_in_school(page)
        page.get_by_role("button", name="Add another deputy").click()  # a round trip to /edit
        expect(page.get_by_role("status")).to_have_text("Added boxes for deputy 3.")  # no script: the only status
        expect(page.locator("fieldset#dsl").get_by_label("Full name")).to_have_value("Priya Fictional")
        expect(page.get_by_role("img", name="The photo chosen for the safeguarding lead")).to_be_visible()
        page.locator("fieldset#deputy3").get_by_label("Full name").fill("Sam Third")
        with page.expect_download() as info:  # Enter in a box makes the pack (not "Remove deputy 1")
            page.locator("fieldset#dsl").get_by_label("Where to find them").press("Enter")
        target = tmp_path / "pack.zip"
        info.value.save_as(target)
        files = unzip(target.read_bytes())
        text = pdf_text_of(files["who-to-tell-a4.pdf"])
        assert "Sam Third" in text and "Tom Imaginary" in text and "Priya Fictional" in text
        assert "profile/schools/photos/oakfield-primary-school-fictional-dsl.png" in files
    finally:
        context.close()


def test_the_form_filled_in_from_a_pack_is_accessible_too(live: Live, axe_page: Page, tmp_path: Path) -> None:
    """Kept photos (with their 'Remove' boxes), the loaded note, and notes beside boxes: still nothing for axe."""
    from .conftest import EXAMPLE, files_of, post

    with live.client() as c:
        pack = post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content
    (tmp_path / "pack.zip").write_bytes(pack)
    page = axe_page
    page.goto(live.url)
    page.get_by_label("Saved profile", exact=True).set_input_files(str(tmp_path / "pack.zip"))
    page.get_by_role("button", name="Load the profile").click()
    expect(page.get_by_role("img", name="The photo chosen for deputy 1")).to_be_visible()
    result = axe(page)
    assert result["passes"] > 10 and result["violations"] == [], json.dumps(result["violations"], indent=2)
    page.locator("fieldset#dsl").get_by_label("Phone number").fill("1134960101")  # a note: its 0 restored
    page.locator("fieldset#deputy1").get_by_label("Phone number").fill("0113 496")  # an error
    page.get_by_role("button", name="Make the pack (zip)").click()
    expect(page.locator("#dsl_phone-note")).to_contain_text("lost its leading 0")
    result = axe(page)
    assert result["passes"] > 10 and result["violations"] == [], json.dumps(result["violations"], indent=2)
