"""The web app over real HTTP: the pack, the problems beside their boxes, the limits, the pool, and nothing kept."""

from __future__ import annotations

import html
import io
import json
import re
import threading
import zipfile
from pathlib import Path

import httpx
import pytest
from markupsafe import escape
from PIL import Image

from cseprint.schools import MAX_IMAGE_BYTES
from cseprint.web.app import CSP, MAX_BODY_BYTES

from ..conftest import PROJECT
from .conftest import (
    EXAMPLE,
    PHOTOS,
    Live,
    deleted_temp_fds,
    files_of,
    pdf_text_of,
    post,
    scratch_is_empty,
    start,
    unzip,
)

SCRIPT = '<script>alert("x")</script>'
# twelve deputies with every box filled at its longest: more than the A4 "who to tell" poster holds
TOO_MANY = {f"deputy{n}_{k}": v for n in range(1, 13) for k, v in (
    ("name", f"Deputy Number {n:02d} Fitzwilliam-Montgomery O'Sullivan-Smyth"),
    ("role", "Assistant Head Teacher (Pastoral Care, Behaviour, Attendance and Family Support)"),
    ("location", "Pastoral office, ground floor of the main teaching building"),
    ("phone", f"0113 496 01{n:02d}"))}
ATTR = '"><img src=x onerror=alert(1)>'


def noise_png(size: int = 1000) -> bytes:
    """A real photo-sized PNG that does not compress (about 3 MB): spooled to disk by the form parser."""
    out = io.BytesIO()
    Image.effect_noise((size, size), 80).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def test_form_page_and_its_headers(live: Live) -> None:
    with live.client() as c:
        r = c.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP and "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    page = r.text
    assert "<script>" not in page and " on" not in re.sub(r"<[^>]*>", "", page)[:0]  # no inline script at all
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/form.js" defer>']
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either
    for name in ("name", "nation", "checked_on", "dsl_name", "dsl_phone", "dsl_photo", "deputy1_name",
                 "deputy2_photo", "council_out_of_hours", "partnership_web", "logo"):
        assert re.search(rf'<label for="{name}">', page), name
        assert re.search(rf'id="{name}" name="{name}"', page), name
    assert page.count("<fieldset") >= 5


def test_static_files_get_the_headers_too(live: Live) -> None:
    with live.client() as c:
        for path, kind in (("/static/form.js", "javascript"), ("/static/style.css", "text/css")):
            r = c.get(path)
            assert r.status_code == 200 and kind in r.headers["content-type"]
            assert r.headers["x-content-type-options"] == "nosniff"


def test_a_school_gets_its_pack(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/build", EXAMPLE, files_of())
    assert r.status_code == 200, r.text[:3000]
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == 'attachment; filename="example-community-school-fictional.zip"'
    files = unzip(r.content)
    sid = "example-community-school-fictional"
    expected = {"who-to-tell-a4.pdf", "who-to-tell-a3.pdf", "staff-leaflet.pdf", "poster-a4.pdf", "wallet-card.pdf",
                "how-to-print.pdf", "web/how-to-print.html",
                "print-shop/who-to-tell-a4.pdf", "web/who-to-tell-a4.html", "web/staff-leaflet.html",
                f"profile/schools/{sid}.yaml", f"profile/schools/photos/{sid}-dsl.png",
                f"profile/schools/photos/{sid}-deputy1.png", f"profile/schools/{sid}-logo.png"}
    assert expected <= set(files), sorted(files)
    text = pdf_text_of(files["who-to-tell-a4.pdf"])
    for words in ("Sam Example", "Alex Sample", "Jo Placeholder", "0113 496 0101", "0113 496 0000", "020 7946 0999",
                  "Designated Safeguarding Lead"):
        assert words in text, words
    assert "Sam Example" in pdf_text_of(files["staff-leaflet.pdf"])
    assert "100%" in pdf_text_of(files["how-to-print.pdf"])  # the printing instructions, read back
    page = files["web/who-to-tell-a4.html"].decode()
    assert "Sam Example" in page and 'alt="Photo of Sam Example"' in page
    saved = files[f"profile/schools/{sid}.yaml"].decode()
    assert "dsl:\n  name: Sam Example\n" in saved and f"photo: schools/photos/{sid}-dsl.png" in saved
    assert scratch_is_empty(live) == []


def test_the_saved_profile_builds_with_the_command_line_to_the_same_pdfs(live: Live, tmp_path: Path) -> None:
    """The pack's profile is a real profile: the CLI builds it, and its PDFs are the web pack's, byte for byte."""
    from ..conftest import Workspace

    with live.client() as c:
        files = unzip(post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content)
    ws = Workspace(tmp_path / "ws")
    for name, data in files.items():
        if name.startswith("profile/"):
            target = ws.content / name.removeprefix("profile/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    sid = "example-community-school-fictional"
    r = ws.build(tmp_path / "out", "--school", ws.content / "schools" / f"{sid}.yaml", "--finish", "office")
    assert r.code == 0, r.err
    built = sorted(p.relative_to(tmp_path / "out" / sid).as_posix() for p in (tmp_path / "out" / sid).rglob("*.pdf"))
    assert built == sorted(n for n in files if n.endswith(".pdf"))
    for name in built:
        assert (tmp_path / "out" / sid / name).read_bytes() == files[name], name


def test_problems_come_back_beside_their_boxes_escaped(live: Live) -> None:
    data = dict(EXAMPLE, name=SCRIPT, dsl_name="", deputy1_name=ATTR, checked_on="", council_hours=" ")
    with live.client() as c:
        r = post(c, "/build", data, files_of({"dsl_photo": PROJECT / "README.md"}))
    assert r.status_code == 400
    page = r.text
    assert page.count('<div class="error-summary"') == 1 and page.index("error-summary") < page.index("<form")
    assert "<title>Error: " in page
    for name, words in (("dsl_name", "Fill this in."), ("checked_on", "Fill this in."),
                        ("council_hours", "Fill this in."), ("dsl_photo", "not a PNG or JPEG file")):
        m = re.search(rf'<p class="error-message" id="{name}-error">(.*?)</p>', page, re.S)
        assert m and words in m.group(1), name
        assert re.search(rf'id="{name}" name="{name}"[^>]*aria-describedby="[^"]*{name}-error"[^>]*aria-invalid="true"',
                         page), name
        assert f'href="#{name}"' in page
    assert SCRIPT not in page and ATTR not in page
    assert f'value="{escape(SCRIPT)}"' in page and f'value="{escape(ATTR)}"' in page
    assert 'value="Room 12, main building"' in page  # what was right is kept
    assert scratch_is_empty(live) == []


def test_injected_markup_is_printed_as_text_in_every_file(live: Live) -> None:
    data = dict(EXAMPLE, dsl_name="Sam <b>Bold</b> & Co", dsl_role=SCRIPT, deputy1_location=ATTR)
    with live.client() as c:
        r = post(c, "/build", dict(data, finish="office"))
    assert r.status_code == 200, r.text[:2000]
    files = unzip(r.content)
    page = files["web/who-to-tell-a4.html"].decode()
    assert SCRIPT not in page and ATTR not in page and "<b>Bold</b>" not in page
    assert html.escape(SCRIPT) in page
    text = pdf_text_of(files["who-to-tell-a4.pdf"])
    assert "Sam <b>Bold</b> & Co" in text  # printed as typed, never taken as markup


def test_a_broken_image_is_refused_beside_its_box_and_the_rest_kept(live: Live) -> None:
    good = PHOTOS["deputy1_photo"].read_bytes()
    broken = good[: len(good) // 3]
    files = [("dsl_photo", ("me.png", broken, "image/png")), ("deputy1_photo", ("a.png", good, "image/png"))]
    with live.client() as c:
        r = post(c, "/build", EXAMPLE, files)
    assert r.status_code == 400
    m = re.search(r'id="dsl_photo-error">(.*?)</p>', r.text, re.S)
    assert m and "cannot be read" in m.group(1)
    # the good photo comes back with the form (cleaned), so it need not be chosen again
    kept = re.search(r'name="deputy1_photo_kept" value="([A-Za-z0-9+/=]+)"', r.text)
    assert kept and 'alt="The photo chosen for deputy 1"' in r.text
    import base64

    with Image.open(io.BytesIO(base64.b64decode(kept.group(1)))) as im:
        with Image.open(PHOTOS["deputy1_photo"]) as original:
            assert im.size == original.size
    # sent back with the form, the kept photo reaches the pack
    data = dict(EXAMPLE, deputy1_photo_kept=kept.group(1), finish="office")
    with live.client() as c:
        r = post(c, "/build", data)
    assert r.status_code == 200
    assert any(n.endswith("-deputy1.png") for n in unzip(r.content))
    assert scratch_is_empty(live) == []


def test_a_kept_photo_can_be_removed(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/edit", dict(EXAMPLE, edit="add"), files_of({"dsl_photo": PHOTOS["dsl_photo"]}))
        kept = re.search(r'name="dsl_photo_kept" value="([^"]+)"', r.text).group(1)
        r = post(c, "/build", dict(EXAMPLE, dsl_photo_kept=kept, dsl_photo_remove="1", finish="office"))
    assert r.status_code == 200
    assert not any(n.endswith("-dsl.png") for n in unzip(r.content))


def test_a_forged_kept_photo_is_checked_like_an_upload(live: Live) -> None:
    import base64

    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, dsl_photo_kept=base64.b64encode(b"<svg onload=alert(1)>").decode()))
        assert r.status_code == 400 and "not a PNG or JPEG" in r.text
        r = post(c, "/build", dict(EXAMPLE, dsl_photo_kept="not base64!"))
        assert r.status_code == 400 and "could not be read; choose it again" in r.text


def test_an_image_over_8_mb_gets_413_with_the_form(live: Live) -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES
    with live.client() as c:
        r = post(c, "/build", EXAMPLE, [("logo", ("logo.png", big, "image/png"))])
    assert r.status_code == 413
    m = re.search(r'id="logo-error">(.*?)</p>', r.text, re.S)
    assert m and f"the limit is {MAX_IMAGE_BYTES:,}" in m.group(1)
    assert 'value="Sam Example"' in r.text
    assert scratch_is_empty(live) == []


def test_an_image_over_the_pixel_limit_gets_413(live: Live) -> None:
    from .test_images import _claimed_size_png

    with live.client() as c:
        r = post(c, "/build", EXAMPLE, [("dsl_photo", ("bomb.png", _claimed_size_png(9000, 9000), "image/png"))])
    assert r.status_code == 413 and "9,000 x 9,000 pixels" in r.text


def test_a_body_over_25_mb_gets_413_before_it_is_read(live: Live) -> None:
    blob = b"\0" * (MAX_BODY_BYTES + 1000)
    with live.client() as c:
        r = c.post("/build", content=blob, headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413 and "more than 25 MB" in r.text
        assert r.headers["content-security-policy"] == CSP

        def chunks():  # a well-formed form with no Content-Length: counted as it streams
            yield b'--x\r\nContent-Disposition: form-data; name="logo"; filename="a.png"\r\n\r\n'
            for _ in range(27):
                yield b"\0" * 1_000_000
            yield b"\r\n--x--\r\n"

        r = c.post("/build", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413 and "more than 25 MB" in r.text
        assert c.get("/").status_code == 200  # and the server is fine


def test_many_photos_under_8_mb_each_but_over_25_mb_together_get_413(live: Live) -> None:
    photo = b"\x89PNG\r\n\x1a\n" + b"\1" * 7_000_000
    files = [(f"deputy{n}_photo", (f"{n}.png", photo, "image/png")) for n in range(1, 5)]
    with live.client() as c:
        r = post(c, "/build", EXAMPLE, files)
    assert r.status_code == 413 and "more than 25 MB" in r.text
    assert scratch_is_empty(live) == []


def test_nothing_is_kept_after_any_answer(live: Live) -> None:
    """Success, problems, a bad image, a team too large for a poster: no scratch file, no open temp file left."""
    photo = noise_png()
    assert len(photo) > 1_500_000  # large enough to be spooled to a temporary file while the form is read
    many = TOO_MANY
    before = deleted_temp_fds()  # pytest's own output capture holds a few
    with live.client() as c:
        for data, files, status in (
                (dict(EXAMPLE, finish="office"), [("dsl_photo", ("a.png", photo, "image/png"))], 200),
                (dict(EXAMPLE, dsl_phone="999 999"), [("dsl_photo", ("a.png", photo, "image/png"))], 400),
                (EXAMPLE, [("dsl_photo", ("a.png", photo[:5000], "image/png"))], 400),
                (dict(EXAMPLE, **many), [("dsl_photo", ("a.png", photo, "image/png"))], 400)):
            r = post(c, "/build", data, files)
            assert r.status_code == status, (status, r.text[:3000])
            assert scratch_is_empty(live) == []
            assert deleted_temp_fds() == before


def test_a_team_too_large_for_the_a4_poster_is_explained(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, **TOO_MANY))
    assert r.status_code == 400
    assert "does not fit on a poster" in r.text and "who-to-tell-a4" in r.text
    assert len(re.findall(r'<fieldset class="person deputy" id="deputy[0-9]+"', r.text)) == 12  # every deputy kept


def test_phone_problems_name_their_box(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, deputy2_phone="0113 496", council_out_of_hours="hello"))
    assert r.status_code == 400
    for name in ("deputy2_phone", "council_out_of_hours"):
        assert re.search(rf'id="{name}-error">', r.text), name


def test_preview_is_a_png_of_the_poster(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/preview", EXAMPLE, files_of())
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(r.content)) as im:
            w, h = im.size
            assert h > w and abs(h / w - 297 / 210) < 0.01  # an A4 page, portrait
            assert len(set(im.convert("L").resize((40, 56)).tobytes())) > 10  # a picture, not a blank
        r = post(c, "/preview", dict(EXAMPLE, dsl_name=""))
    assert r.status_code == 400 and r.headers["content-type"] == "application/json"
    assert {"field": "dsl_name", "label": "Safeguarding lead, full name", "message": "Fill this in."} in r.json()["problems"]


def test_deputies_are_added_and_removed_without_script(live: Live) -> None:
    data = dict(EXAMPLE, deputy3_name="Third Person", edit="add")
    with live.client() as c:
        r = post(c, "/edit", data)
        assert r.status_code == 200 and 'id="deputy4_name"' in r.text and "Added boxes for deputy 4." in r.text
        r = post(c, "/edit", dict(EXAMPLE, deputy3_name="Third Person", edit="remove:1"),
                 files_of({"deputy2_photo": PHOTOS["deputy1_photo"]}))
    assert r.status_code == 200
    assert 'id="deputy1_name" name="deputy1_name" value="Jo Placeholder"' in r.text
    assert 'id="deputy2_name" name="deputy2_name" value="Third Person"' in r.text
    assert 'id="deputy3_name"' not in r.text
    assert 'name="deputy1_photo_kept"' in r.text  # the photo moved with its person


def test_load_a_saved_profile_then_last_years_whole_pack(live: Live) -> None:
    with live.client() as c:
        pack = post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).content
        yaml_name = next(n for n in unzip(pack) if n.endswith(".yaml"))
        saved = unzip(pack)[yaml_name]
        r = c.post("/load", files=[("profile", ("school.yaml", saved, "application/x-yaml"))])
        assert r.status_code == 200, r.text[:2000]
        for name, value in EXAMPLE.items():
            assert re.search(rf'id="{name}" name="{name}" value="{re.escape(str(escape(value)))}"', r.text) or (
                name == "nation" and '<option value="england" selected>' in r.text), name
        assert ("The profile names photos this file does not hold (the school logo, the safeguarding lead&#39;s "
                "photo, deputy 1&#39;s photo)") in r.text
        assert "_kept" not in r.text
        r = c.post("/load", files=[("profile", ("pack.zip", pack, "application/zip"))])
        assert r.status_code == 200
        assert "does not hold" not in r.text
        for name in ("logo", "dsl_photo", "deputy1_photo"):
            assert f'name="{name}_kept"' in r.text, name


def test_a_profile_never_opens_a_path_it_names(live: Live) -> None:
    secret = PROJECT / "content" / "schools" / "photos" / "sam-example.png"
    text = (f"name: A\ndsl: {{name: B, photo: {secret}}}\nlogo: ../../../../../../{secret.relative_to('/')}\n"
            "deputies: [{name: C, photo: schools/photos/alex-sample.png}]\n")
    with live.client() as c:
        r = c.post("/load", files=[("profile", ("p.yaml", text.encode(), "application/x-yaml"))])
        assert r.status_code == 200 and "_kept" not in r.text and "does not hold (the school logo, the safeguarding lead&#39;s photo, deputy 1&#39;s photo)" in r.text
        bad = io.BytesIO()
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("profile/schools/p.yaml", text)
            z.writestr("../../etc/evil.png", secret.read_bytes())
        r = c.post("/load", files=[("profile", ("p.zip", bad.getvalue(), "application/zip"))])
        assert r.status_code == 200 and "_kept" not in r.text


@pytest.mark.parametrize("content, words", [
    (b"name: [unclosed\n", "YAML syntax error"),
    (b"- just\n- a list\n", "is not a school profile"),
    (b"\xff\xfe\x00bad", "not a text file saved as UTF-8"),
    (b"a: &x 1\nb: *x\n", "anchors and aliases"),
    (b"", "Choose the saved profile first"),
])
def test_a_bad_saved_profile_is_said_beside_the_load_box(live: Live, content: bytes, words: str) -> None:
    with live.client() as c:
        r = c.post("/load", files=[("profile", ("p.yaml", content, "application/x-yaml"))])
    assert r.status_code == 400
    m = re.search(r'id="profile-error">(.*?)</p>', r.text, re.S)
    assert m and words in html.unescape(m.group(1)), r.text[:3000]
    assert 'href="#profile"' in r.text


def test_a_zip_bomb_is_not_unpacked(live: Live) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("profile/schools/p.yaml", "name: A\n" + "#" * 50_000_000)
    assert len(bomb.getvalue()) < 1_000_000
    with live.client() as c:
        r = c.post("/load", files=[("profile", ("p.zip", bomb.getvalue(), "application/zip"))])
    assert r.status_code == 400 and "larger than a profile can be" in r.text


def test_ten_schools_at_once_are_all_answered(live: Live) -> None:
    results: list[httpx.Response | BaseException] = []
    barrier = threading.Barrier(10)

    def one(i: int) -> None:
        try:
            with live.client(timeout=300) as c:
                barrier.wait()
                results.append(post(c, "/build", dict(EXAMPLE, id=f"school-{i}", finish="office")))
        except BaseException as exc:  # noqa: BLE001 - recorded and asserted below
            results.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert len(results) == 10 and all(isinstance(r, httpx.Response) for r in results), results
    assert sorted(r.status_code for r in results) == [200] * 10  # 2 building + 8 queued: the queue holds them
    names = sorted(r.headers["content-disposition"] for r in results)
    assert names == sorted(f'attachment; filename="school-{i}.zip"' for i in range(10))
    assert scratch_is_empty(live) == []


def test_beyond_the_queue_the_answer_is_busy(tmp_path: Path) -> None:
    """One worker and no queue: of 6 schools sent at once, one is built and the others hear 'busy, try again'."""
    server = start(tmp_path, workers=1, queue=0)
    try:
        results: list = []
        barrier = threading.Barrier(6)

        def one() -> None:
            with server.client(timeout=300) as c:
                barrier.wait()
                results.append(post(c, "/build", dict(EXAMPLE, finish="office")))

        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        codes = sorted(r.status_code for r in results)
        assert len(codes) == 6 and set(codes) <= {200, 503} and 200 in codes and 503 in codes, codes
        busy = next(r for r in results if r.status_code == 503)
        assert "Busy, try again" in busy.text and busy.headers["retry-after"] == "30"
        with server.client() as c:  # and afterwards it builds again
            assert post(c, "/build", dict(EXAMPLE, finish="office")).status_code == 200
    finally:
        server.stop()
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_written_into_an_output_folder(live: Live, tmp_path: Path) -> None:
    out = PROJECT / "output"
    before = sorted((p.as_posix(), p.stat().st_mtime_ns) for p in out.rglob("*")) if out.exists() else None
    with live.client() as c:
        assert post(c, "/build", dict(EXAMPLE, finish="office"), files_of()).status_code == 200
    after = sorted((p.as_posix(), p.stat().st_mtime_ns) for p in out.rglob("*")) if out.exists() else None
    assert before == after


def test_unknown_boxes_and_too_many_fields_are_refused_cleanly(live: Live) -> None:
    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, deputy99_name="X", evil_field="Y", finish="ufo"))
        assert r.status_code == 200  # ignored: not boxes of the form; an unknown finish is the default
        assert json.dumps(r.headers["content-disposition"])
        fields = {f"f{i}": "x" for i in range(2000)}
        r = c.post("/build", data=fields, files=[("logo", ("", b"", "application/octet-stream"))])
    assert r.status_code == 400 and "Too many fields" in r.text


def test_each_pack_reads_the_content_afresh(tmp_path: Path) -> None:
    """A fix made in content/ while the server runs is in the next pack: no stale number is served until a
    restart."""
    import datetime as dt

    from ..conftest import FONTS, TODAY, Workspace
    from .conftest import Settings

    ws = Workspace(tmp_path / "ws")
    settings = Settings(ws.content, ws.layouts, FONTS, today=dt.date.fromisoformat(TODAY), scratch=tmp_path)
    server = start(tmp_path, settings=settings)
    try:
        with server.client() as c:
            first = pdf_text_of(unzip(post(c, "/build", dict(EXAMPLE, finish="office")).content)["poster-a4.pdf"])
            version = re.search(r"^version: *\"?([^\"\n]+)", ws.read("content/edition.yaml"), re.M).group(1)
            assert version in first
            ws.sub("content/edition.yaml", r"^version:.*$", 'version: "2099.1.1"')
            again = pdf_text_of(unzip(post(c, "/build", dict(EXAMPLE, finish="office")).content)["poster-a4.pdf"])
        assert "2099.1.1" in again and version not in again
    finally:
        server.stop()


def test_a_get_of_an_answer_page_goes_back_to_the_form(live: Live) -> None:
    with live.client() as c:
        for path in ("/build", "/edit", "/load", "/preview"):
            r = c.get(path)
            assert r.status_code == 303 and r.headers["location"] == "/", path


def test_a_note_beside_a_box_when_the_form_comes_back(live: Live) -> None:
    """A number typed without its leading 0 is restored, and the page says so beside the box (not as an error)."""
    with live.client() as c:
        r = post(c, "/build", dict(EXAMPLE, dsl_phone="1134960101", deputy1_phone="0113 496"))
    assert r.status_code == 400
    note = re.search(r'<p class="note-message" id="dsl_phone-note"><strong>Check:</strong> (.*?)</p>', r.text)
    assert note and "lost its leading 0" in html.unescape(note.group(1)) and "0113 496 0101" in note.group(1)
    assert 'href="#dsl_phone"' not in r.text and 'href="#deputy1_phone"' in r.text  # the summary: errors only
    assert re.search(r'id="dsl_phone" name="dsl_phone"[^>]*aria-describedby="dsl_phone-hint dsl_phone-note"', r.text)
