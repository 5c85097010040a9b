"""Previews a person can proofread (150 dpi) and one contact sheet for every build kept in the folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image

from .conftest import PROJECT, Workspace

SCHOOL = str(PROJECT / "content" / "schools" / "example-school.yaml")


def files_under(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def listed(out: Path) -> set[str]:
    man = manifest(out)
    return {"manifest.json", *(f["path"] for f in man["files"]),
            *(p for k in ("web", "previews", "packs", "meta") for p in man.get(k, []))}


def sheet_links(out: Path) -> tuple[list[str], list[str], list[str]]:
    page = (out / "previews" / "index.html").read_text(encoding="utf-8")
    return (re.findall(r"<h2>([^<]*)</h2>", page), re.findall(r'href="\.\./([^"]+)"', page),
            re.findall(r'<img src="([^"]+)"', page))


def test_previews_are_150_dpi(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    r = ws.build(out, "--layout", "poster-a4", "--layout", "wallet-card", "--finish", "office", "--previews")
    assert r.code == 0, r.err
    assert "at 150 dpi" in r.out
    for png, (w_mm, h_mm) in (("poster-a4-p1.png", (210, 297)), ("wallet-card-p1.png", (85.6, 54))):
        with Image.open(out / "previews" / png) as im:
            w, h = im.size
        assert abs(w - w_mm / 25.4 * 150) <= 1.5 and abs(h - h_mm / 25.4 * 150) <= 1.5, (png, im.size)


def test_the_contact_sheet_lists_every_build_in_the_folder(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    for extra in ([], ["--locale", "cy"], ["--school", SCHOOL, "--layout", "who-to-tell-a4"]):
        layouts = [] if "--layout" in extra else ["--layout", "poster-a4"]
        r = ws.build(out, "--finish", "office", "--previews", *layouts, *extra)
        assert r.code == 0, r.err
    headings, pdfs, pngs = sheet_links(out)
    assert headings == ["National materials (cy, wales)", "National materials (en-GB, england)", "School: example-school (en-GB)"]
    assert {"poster-a4.pdf", "wales/cy/poster-a4.pdf", "example-school/who-to-tell-a4.pdf"} <= set(pdfs)
    for pdf in pdfs:
        assert (out / pdf).is_file(), pdf
    for png in pngs:
        assert (out / "previews" / png).is_file(), png
    assert "previews/index.html" in manifest(out)["previews"]
    assert files_under(out) == listed(out)

    # the national build again, without previews: its pictures go, the others' stay on the sheet
    r = ws.build(out, "--finish", "office", "--layout", "poster-a4")
    assert r.code == 0, r.err
    headings, pdfs, _ = sheet_links(out)
    assert headings == ["National materials (cy, wales)", "School: example-school (en-GB)"]
    assert "poster-a4.pdf" not in pdfs and not (out / "previews" / "poster-a4-p1.png").exists()
    assert files_under(out) == listed(out)


def test_no_previews_left_means_no_contact_sheet(ws: Workspace, tmp_path: Path):
    out = tmp_path / "out"
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4", "--previews").code == 0
    assert (out / "previews" / "index.html").is_file()
    assert ws.build(out, "--finish", "office", "--layout", "poster-a4").code == 0
    assert not (out / "previews" / "index.html").exists()
    assert "previews/index.html" not in manifest(out)["previews"]
    assert files_under(out) == listed(out)
