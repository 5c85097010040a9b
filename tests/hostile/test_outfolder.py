"""The output folder's rules at their own level: where a path belongs (the layout agreed between the
branches: nations, languages, schools, finishes, web copies, previews, packs), what a build of a scope
removes, and the extra top-level files a commit carries beside the manifest (changes.json)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cseprint.errors import OutputError
from cseprint.outfolder import MARKER, Claim, parse, read_manifest, write_atomically

from .folder import disagreements

E, W = "england", "wales"


@pytest.mark.parametrize("path, scope, unit", [
    ("poster-a4.pdf", (None, E, "en-GB"), ("poster-a4", "office")),
    ("print-shop/wallet-card-sheet.pdf", (None, E, "en-GB"), ("wallet-card", "print-shop")),
    ("cy/poster-a4-bilingual.pdf", (None, E, "cy"), ("poster-a4-bilingual", "office")),
    ("wales/cy/print-shop/poster-a4.pdf", (None, W, "cy"), ("poster-a4", "print-shop")),
    ("northern-ireland/poster-a3.pdf", (None, "northern-ireland", "en-GB"), ("poster-a3", "office")),
    ("web/poster-a4.html", (None, E, "en-GB"), ("web", "poster-a4")),
    ("wales/cy/web/poster-a4.html", (None, W, "cy"), ("web", "poster-a4")),
    ("example-school/who-to-tell-a4.pdf", ("example-school", E, "en-GB"), ("who-to-tell-a4", "office")),
    ("example-school/cy/print-shop/staff-leaflet.pdf", ("example-school", E, "cy"), ("staff-leaflet", "print-shop")),
    ("example-school/web/who-to-tell-a3.html", ("example-school", E, "en-GB"), ("web", "who-to-tell-a3")),
    ("previews/poster-a4-p1.png", (None, E, "en-GB"), ("poster-a4", "office")),
    ("previews/wales/cy/print-shop/wallet-card-sheet-p2.png", (None, W, "cy"), ("wallet-card", "print-shop")),
    ("previews/example-school/who-to-tell-a4-p1.png", ("example-school", E, "en-GB"), ("who-to-tell-a4", "office")),
    ("packs/example-school.zip", ("example-school", E, "*"), ("pack",)),
    ("packs/print-shop/example-school.zip", ("example-school", E, "*"), ("pack", "print-shop")),
])
def test_where_a_path_belongs(path: str, scope: tuple, unit: tuple):
    assert parse(path) == (scope, unit)


def entry(path: str, data: bytes, **fields: object) -> dict:
    scope, (layout, finish) = parse(path)
    return {"path": path, "layout": layout, "finish": finish, "school": scope[0], "locale": scope[2],
            "sha256": hashlib.sha256(data).hexdigest(), **fields}


def folder(out: Path, files: dict[str, dict]) -> None:
    """An output folder of ours: the files, and a manifest listing them (``files`` path -> extra fields)."""
    out.mkdir(parents=True)
    entries = []
    for path, fields in files.items():
        data = f"%PDF {path}".encode()
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
        entries.append(entry(path, data, **fields))
    man = {"generator": {"name": "cseprint", "version": "0", "marker": MARKER}, "files": entries}
    (out / "manifest.json").write_text(json.dumps(man), encoding="utf-8")


def build_into(out: Path, paths: list[str], claim: Claim, meta: dict[str, bytes] | None = None, **fields: object):
    files = {p: f"%PDF new {p}".encode() for p in paths}
    man = {"generator": {"name": "cseprint", "version": "0"},
           "files": [entry(p, d, **fields) for p, d in files.items()]}
    return write_atomically(out, files, man, claim, meta)


def test_a_full_build_of_wales_removes_only_wales_files(tmp_path: Path):
    """Entries written before nations existed have no "nation": they are England's."""
    out = tmp_path / "out"
    folder(out, {"poster-a4.pdf": {}, "poster-a3.pdf": {}, "wales/poster-a4.pdf": {"nation": W},
                 "wales/poster-a3.pdf": {"nation": W}, "wales/cy/poster-a3.pdf": {"nation": W}})
    done = build_into(out, ["wales/poster-a4.pdf"], Claim(frozenset({(None, W, "en-GB")}), full=True), nation=W)
    assert done.removed == ["wales/poster-a3.pdf"]
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")} == {
        "poster-a4.pdf", "poster-a3.pdf", "wales/poster-a4.pdf", "wales/cy/poster-a3.pdf"}
    assert disagreements(out) == []


def test_a_partial_build_replaces_what_it_made_and_keeps_the_rest_of_its_scope(tmp_path: Path):
    out = tmp_path / "out"
    folder(out, {"poster-a4.pdf": {}, "poster-a3.pdf": {}, "print-shop/poster-a4.pdf": {}})
    done = build_into(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")}), full=False))
    assert done.removed == [] and done.kept == ["poster-a3.pdf", "print-shop/poster-a4.pdf"]
    assert (out / "poster-a4.pdf").read_bytes() == b"%PDF new poster-a4.pdf"
    assert disagreements(out) == []


def test_a_commit_carries_top_level_files_beside_the_manifest(tmp_path: Path):
    out = tmp_path / "out"
    claim = Claim(frozenset({(None, E, "en-GB")}), full=True)
    build_into(out, ["poster-a4.pdf"], claim, {"changes.json": b"{}\n", "changes.md": b"# Changes\n"})
    man = read_manifest(out)
    assert man["meta"] == ["changes.json", "changes.md"] and (out / "changes.md").read_bytes() == b"# Changes\n"
    build_into(out, ["poster-a4.pdf"], claim)  # a commit without them keeps them, still listed
    assert read_manifest(out)["meta"] == ["changes.json", "changes.md"]
    build_into(out, ["poster-a4.pdf"], claim, {"changes.json": b'{"n": 2}\n'})  # and replaces them when it has them
    assert (out / "changes.json").read_bytes() == b'{"n": 2}\n'
    assert disagreements(out) == []


def test_a_top_level_file_of_the_users_is_not_replaced(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "changes.md").write_text("my notes", encoding="utf-8")
    with pytest.raises(OutputError, match="changes.md is in the way"):
        build_into(out, ["poster-a4.pdf"], Claim(frozenset({(None, E, "en-GB")})), {"changes.md": b"# Changes\n"})
    assert (out / "changes.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in out.iterdir()) == ["changes.md"]
