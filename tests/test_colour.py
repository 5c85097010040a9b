"""Print files hold CMYK only; --rgb files are RGB; the check itself can fail."""

from __future__ import annotations

import json
from pathlib import Path

from cseprint.verify import check_no_rgb

from .conftest import PROJECT, Workspace

EXAMPLE = PROJECT / "content" / "schools" / "example-school.yaml"


def test_every_default_file_is_cmyk_only(default_build) -> None:
    man = default_build.manifest()
    for f in man["files"]:
        assert f["colour"] == "cmyk"
        assert check_no_rgb((default_build.out / f["path"]).read_bytes()) == [], f["path"]


def test_photos_are_converted_to_cmyk_and_rgb_files_are_caught(ws: Workspace, tmp_path: Path) -> None:
    cmyk, rgb = tmp_path / "cmyk", tmp_path / "rgb"
    for out, extra in ((cmyk, []), (rgb, ["--rgb"])):
        r = ws.build(out, "--school", str(EXAMPLE), "--layout", "who-to-tell-a4", "--finish", "office", *extra)
        assert r.code == 0, r.err
    print_file = (cmyk / "example-school" / "who-to-tell-a4.pdf").read_bytes()
    screen_file = (rgb / "example-school" / "who-to-tell-a4.pdf").read_bytes()
    assert b"/DeviceCMYK" in print_file and check_no_rgb(print_file) == []
    assert len(check_no_rgb(screen_file)) == 2  # RGB photos and RGB colour operators
    man = json.loads((rgb / "manifest.json").read_text(encoding="utf-8"))
    assert {f["colour"] for f in man["files"]} == {"rgb"}
