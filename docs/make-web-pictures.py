#!/usr/bin/env python3
"""Re-make the README's pictures of the web form: ``python docs/make-web-pictures.py``.

Starts ``generate.py serve`` on a free port, drives Debian's Chromium with
Playwright as a school office would (the example school's fictional people and
photos), and saves three screenshots into docs/images/: the filled-in form with
its live preview, the page that comes back when something needs changing, and
the form filled in again from last year's pack.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
IMAGES = PROJECT / "docs" / "images"
SCHOOL = PROJECT / "content" / "schools"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def fill(page) -> None:
    page.get_by_label("School name").fill("Example Community School (fictional)")
    page.get_by_label("Nation").select_option(label="England")
    page.get_by_label("Date these names and numbers were checked").fill("2026-11-20")
    page.get_by_label("School logo").set_input_files(str(SCHOOL / "example-logo.png"))
    lead = page.locator("fieldset#dsl")
    for label, value in (("Full name", "Sam Example"), ("Job title", "Deputy Headteacher"),
                         ("Phone number", "0113 496 0101"), ("Where to find them", "Room 12, main building")):
        lead.get_by_label(label).fill(value)
    lead.get_by_label("Photo").set_input_files(str(SCHOOL / "photos" / "sam-example.png"))
    for n, (name, role, photo) in enumerate((("Alex Sample", "Head of Year 9", "alex-sample.png"),
                                             ("Jo Placeholder", "Special Educational Needs Coordinator",
                                              "jo-placeholder.png")), start=1):
        box = page.locator(f"fieldset#deputy{n}")
        box.get_by_label("Full name").fill(name)
        box.get_by_label("Job title").fill(role)
        box.get_by_label("Photo").set_input_files(str(SCHOOL / "photos" / photo))
    page.get_by_label("Name of the council's children's services").fill("Exampleshire Council children's services")
    page.get_by_label("Phone number in office hours").fill("0113 496 0000")
    page.get_by_label("Office hours", exact=True).fill("Monday to Friday, 9am to 5pm")
    page.get_by_label("Phone number out of hours").fill("020 7946 0999")


def main() -> int:
    from playwright.sync_api import sync_playwright

    today = "2026-11-28"
    proc = subprocess.Popen([sys.executable, str(PROJECT / "generate.py"), "serve", "--port", "0", "--today", today],
                            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        url = re.search(r"(http://\S+?)/ ", proc.stdout.readline()).group(1) + "/"
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1280, "height": 1900}, locale="en-GB", accept_downloads=True)
            page.goto(url)
            fill(page)
            page.get_by_role("button", name="Show the preview").click()
            page.get_by_role("img", name=re.compile("^Preview of the A4")).wait_for(timeout=60_000)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(IMAGES / "web-form.png"))
            with page.expect_download() as info:
                page.get_by_role("button", name="Make the pack (zip)").click()
            pack = Path(tmp) / "last-year.zip"
            info.value.save_as(pack)

            page.goto(url)  # a form sent half filled in: the school's name and the lead's name left out
            page.get_by_label("Nation").select_option(label="England")
            page.get_by_label("Date these names and numbers were checked").fill("2026-11-20")
            page.locator("fieldset#dsl").get_by_label("Phone number").fill("0113 496 0101")
            page.get_by_label("Phone number in office hours").fill("0113 496 0000")
            page.get_by_role("button", name="Make the pack (zip)").click()
            page.get_by_role("alert").wait_for()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(IMAGES / "web-form-errors.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1500})

            page.goto(url)
            page.get_by_label("Saved profile", exact=True).set_input_files(str(pack))
            page.get_by_role("button", name="Load the profile").click()
            page.locator(".notice").wait_for()
            page.screenshot(path=str(IMAGES / "web-form-loaded.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1500})
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    print("pictures updated: docs/images/web-form.png, web-form-errors.png, web-form-loaded.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
