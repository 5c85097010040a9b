"""The web form says what will change on a school's posters when last year's pack is loaded, before anything
is downloaded; the next pack holds its own reprint list. Served for real, as the other web tests are."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import zlib
from pathlib import Path

import pytest

from cseprint.web.jobs import Settings

from ..conftest import FONTS, TODAY, Workspace, contacts_yaml
from .conftest import EXAMPLE, Live, files_of, post, start, unzip


def changes_section(page: str) -> list[str]:
    """The sentences of the page's 'What will change on your posters' section ([] if it has none)."""
    m = re.search(r'<section class="changes" aria-labelledby="changes-title">(.*?)</section>', page, re.S)
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", m.group(1), re.S)] if m else []


def printed_field(page: str) -> str:
    m = re.search(r'<input type="hidden" name="printed" value="([^"]+)">', page)
    assert m, "no hidden 'printed' field"
    return m.group(1)


def load(client, pack: bytes):
    return client.post("/load", files=[("profile", ("last-year.zip", pack, "application/zip"))])


def test_a_pack_records_what_it_printed_and_loading_it_says_nothing_changes(live: Live) -> None:
    with live.client() as c:
        pack = unzip(post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content)
        printed = json.loads(pack["profile/printed.json"])
        pdfs = sorted(n for n in pack if n.endswith(".pdf"))
        assert sorted(f["path"] for f in printed["files"]) == pdfs  # paths as in the pack
        assert "changes.json" not in pack  # nothing was loaded: nothing to compare with
        r = load(c, zip_of(pack))
    assert r.status_code == 200, r.text[:2000]
    said = changes_section(r.text)
    assert said[0] == "Nothing on your posters, cards or leaflets changes: the ones you printed are still right."
    assert said[1].startswith("Unchanged, no need to reprint: ") and "who-to-tell-a4" in said[1]
    assert printed_field(r.text)


def test_the_next_pack_lists_what_to_reprint_after_the_form_changed(live: Live) -> None:
    with live.client() as c:
        first = unzip(post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content)
        loaded = load(c, zip_of(first)).text
        keep = {name: m.group(1) for name, m in ((n, re.search(rf'name="{n}_kept" value="([^"]+)"', loaded))
                                                 for n in ("logo", "dsl_photo", "deputy1_photo")) if m}
        form = dict(EXAMPLE, finish="office", dsl_name="Sasha Example", printed=printed_field(loaded),
                    **{f"{n}_kept": v for n, v in keep.items()})
        second = unzip(post(c, "/build", form).content)
    report = json.loads(second["changes.json"])
    assert {x["path"] for x in report["reprint"]} == {"who-to-tell-a3.pdf", "who-to-tell-a4.pdf", "staff-leaflet.pdf"}
    who = next(x for x in report["reprint"] if x["path"] == "who-to-tell-a4.pdf")
    assert [(c["box"], c["before"], c["after"]) for c in who["changes"]] == [("people", "Sam Example", "Sasha Example")]
    assert "poster-a4.pdf" in report["unchanged"] and report["new"] == report["removed"] == []
    md = second["changes.md"].decode()
    assert md.startswith("# What to reprint: Example Community School (fictional)") and "`Sasha Example`" in md
    # and the new pack's record is this year's
    assert any("Sasha Example" in p for t in json.loads(second["profile/printed.json"])["box_texts"].values()
               for p in t)


def test_a_new_helpline_number_is_said_on_the_page_before_the_download(tmp_path: Path) -> None:
    """Last year's pack, this year's content: the page names the products whose number changed."""
    ws = Workspace(tmp_path / "ws")
    old = contacts_yaml(ws)["nspcc"]
    server = start(tmp_path / "scratch-a", settings=Settings(ws.content, ws.layouts, FONTS,
                                                             today=dt.date.fromisoformat(TODAY),
                                                             scratch=_mk(tmp_path / "scratch-a")))
    try:
        with server.client() as c:
            pack = post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content
    finally:
        server.stop()
    ws.replace("content/contacts.yaml", f'phone: "{old["phone"]}"', 'phone: "0808 800 5001"')
    ws.replace("content/contacts.yaml", f'dial: "{old["dial"]}"', 'dial: "08088005001"')
    server = start(tmp_path / "scratch-b", settings=Settings(ws.content, ws.layouts, FONTS,
                                                             today=dt.date.fromisoformat(TODAY),
                                                             scratch=_mk(tmp_path / "scratch-b")))
    try:
        with server.client() as c:
            r = load(c, pack)
    finally:
        server.stop()
    assert r.status_code == 200, r.text[:2000]
    said = changes_section(r.text)
    changed = {line.split(" changes: ", 1)[0] for line in said if " changes: " in line}
    assert {"poster-a4", "poster-a3", "wallet-card", "staff-leaflet"} <= changed
    assert not {"who-to-tell-a4", "who-to-tell-a3"} & changed
    poster = next(line for line in said if line.startswith("poster-a4 changes: "))
    assert old["phone"] in poster and "0808 800 5001" in poster
    assert any(line.startswith("Unchanged, no need to reprint: ") and "who-to-tell-a4" in line for line in said)


@pytest.mark.parametrize("field", [
    "not base64!", base64.b64encode(b"not zlib").decode(),
    base64.b64encode(zlib.compress(b"[1, 2, 3]")).decode(),
    base64.b64encode(zlib.compress(b"{" + b" " * 5_000_000 + b"}")).decode(),  # unpacks far past the limit
])
def test_a_forged_printed_field_is_ignored(live: Live, field: str) -> None:
    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, finish="office", printed=field), files_of())
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    pack = unzip(r.content)
    assert "changes.json" not in pack and "profile/printed.json" in pack


def zip_of(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_the_comparison_uses_the_finishes_the_pack_was_made_in() -> None:
    from cseprint.web.reprint import finish_of

    office, shop = {"path": "a.pdf", "finish": "office"}, {"path": "print-shop/a.pdf", "finish": "print-shop"}
    assert finish_of({"files": [office]}, "both") == "office"
    assert finish_of({"files": [shop]}, "both") == "print-shop"
    assert finish_of({"files": [office, shop]}, "office") == "both"
    assert finish_of({"files": ["junk", {"finish": 3}]}, "office") == "office"
