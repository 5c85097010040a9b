"""Shared fixtures: a scratch copy of the project's inputs, a CLI runner, and one default build.

Every test that changes content or layouts works on a copy in ``tmp_path``;
nothing here writes into the project (``output/`` included).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from cseprint.cli import main

PROJECT = Path(__file__).resolve().parent.parent
FONTS = PROJECT / "fonts"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FAILURES_DIR = Path(__file__).resolve().parent / "_failures"

PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "CR80": (85.6, 54.0)}
PROBLEM_LINE = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<key>[^:\n]+): (?P<msg>.+)$")


def _edition_date(content: Path) -> str:
    """'Today' for the tests: the content edition's date, so review dates do not expire under CI."""
    data = yaml.safe_load((content / "edition.yaml").read_text(encoding="utf-8"))
    date = data["date"]
    return date.isoformat() if isinstance(date, dt.date) else str(date)


TODAY = _edition_date(PROJECT / "content")


@dataclass
class Result:
    code: int | None
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def problem_lines(self) -> list[str]:
        """The stderr lines that report a problem (not the blank line or the summary)."""
        return [ln for ln in self.err.splitlines() if ln.strip() and not re.match(r"^\d+ problems? found", ln)]


def run_cli(args: list[str]) -> Result:
    """Run ``cseprint.cli.main`` in-process, capturing its output and exit status.

    An exception escaping ``main`` (a bug) is turned into a ``Traceback`` text
    in ``err`` with code None, so assertions show it rather than crash.
    """
    out, err = io.StringIO(), io.StringIO()
    old_debug = os.environ.get("CSEPRINT_DEBUG")
    os.environ["CSEPRINT_DEBUG"] = "1"  # a bug raises instead of exiting 3, so we see where
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code: int | None = main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            except Exception:
                code = None
                err.write(traceback.format_exc())
    finally:
        if old_debug is None:
            os.environ.pop("CSEPRINT_DEBUG", None)
        else:
            os.environ["CSEPRINT_DEBUG"] = old_debug
    return Result(code, out.getvalue(), err.getvalue())


def assert_clean(r: Result, *codes: int) -> None:
    """Exit status is one of ``codes`` (default 0 or 1) and no traceback was printed."""
    codes = codes or (0, 1)
    assert "Traceback" not in r.err, r.err
    assert r.code in codes, f"exit {r.code}, expected {codes}\nstdout:\n{r.out}\nstderr:\n{r.err}"


class Workspace:
    """A copy of content/ and layouts/ to break on purpose, with helpers to edit and run it."""

    def __init__(self, root: Path, source: Path = PROJECT):
        """Copy ``source``'s content/ and layouts/ (the project's, or another workspace's) into ``root``."""
        self.root = root
        self.content = root / "content"
        self.layouts = root / "layouts"
        shutil.copytree(source / "content", self.content)
        shutil.copytree(source / "layouts", self.layouts)

    # --- files -------------------------------------------------------------------------------
    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        self.path(rel).write_text(text, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not found in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def sub(self, rel: str, pattern: str, repl: str) -> None:
        text, n = re.subn(pattern, lambda m: repl, self.read(rel), count=1, flags=re.M)
        assert n == 1, f"/{pattern}/ not found in {rel}"
        self.write(rel, text)

    def load(self, rel: str) -> Any:
        return yaml.safe_load(self.read(rel))

    def dump(self, rel: str, data: Any) -> None:
        self.write(rel, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000))

    @contextlib.contextmanager
    def edit(self, rel: str):
        """``with ws.edit('layouts/poster-a4.yaml') as d: ...`` rewrites the file from ``d``."""
        data = self.load(rel)
        yield data
        self.dump(rel, data)

    def box(self, data: dict, name: str) -> dict:
        """A box of the layout by name, on a page or inside a stack or grid."""
        def find(boxes: list) -> dict | None:
            for b in boxes:
                if b["name"] == name:
                    return b
                inner = find(b.get("boxes") or [])
                if inner is not None:
                    return inner
            return None

        for page in data["pages"]:
            b = find(page["boxes"])
            if b is not None:
                return b
        raise AssertionError(f"no box {name!r} in layout")

    def set_text(self, key: str, value: str, file: str = "content/en-GB/products.yaml") -> None:
        """Replace ``key: ...`` (one line) with the value written as a YAML double-quoted string."""
        line = yaml.safe_dump({key: value}, default_style='"', allow_unicode=False, width=10**9).rstrip("\n")
        self.sub(file, rf"^{re.escape(key)}:.*$", line)

    def set_raw(self, key: str, raw: str, file: str = "content/en-GB/products.yaml") -> None:
        """Replace ``key: ...`` with ``key: <raw YAML>`` exactly as given."""
        self.sub(file, rf"^{re.escape(key)}:.*$", f"{key}: {raw}")

    # --- running ------------------------------------------------------------------------------
    def inputs(self) -> list[str]:
        return ["--content", str(self.content), "--layouts", str(self.layouts), "--fonts", str(FONTS)]

    def check(self, *extra: str, today: str = TODAY) -> Result:
        return run_cli(["check", *self.inputs(), "--today", today, *extra])

    def build(self, out: Path, *extra: str, today: str = TODAY) -> Result:
        return run_cli(["build", *self.inputs(), "--out", str(out), "--today", today, *extra])

    def list(self, today: str = TODAY) -> Result:
        return run_cli(["list", *self.inputs(), "--today", today])


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@dataclass
class DefaultBuild:
    out: Path  # the build's output folder
    inputs: Workspace  # the snapshot of content/ and layouts/ it was built from
    result: Result

    def manifest(self) -> dict:
        import json

        return json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))

    def layout_yaml(self, name: str) -> dict:
        """A layout's YAML, with the page size and kind taken from the layout it extends."""
        data = self.inputs.load(f"layouts/{name}.yaml")
        if data.get("extends"):
            base = self.inputs.load(f"layouts/{data['extends']}.yaml")
            merged = dict(base)
            merged.update(data)
            merged["pages"] = base["pages"]
            return merged
        return data


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> DefaultBuild:
    """The default content and layouts built once (both finishes) into a temporary folder."""
    root = tmp_path_factory.mktemp("default")
    snap = Workspace(root / "inputs")  # a snapshot, so concurrent edits cannot change it mid-suite
    out = root / "out"
    r = run_cli(["build", *snap.inputs(), "--out", str(out), "--today", TODAY])
    assert r.code == 0, f"default build failed:\n{r.err}"
    return DefaultBuild(out, snap, r)


def pdf_text(path: Path) -> str:
    """All the text pdfium extracts from a PDF, page after page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(p.get_textpage().get_text_range() for p in pdf)
    finally:
        pdf.close()


def contacts_yaml(ws: Workspace) -> dict:
    return ws.load("content/contacts.yaml")["contacts"]


@pytest.fixture(scope="session")
def shop_builds(tmp_path_factory: pytest.TempPathFactory):
    """Three builds in memory, both finishes (national English, national Welsh with the bilingual
    products, the example school): ``build_files`` returns exactly what the CLI writes."""
    from cseprint.build import Options, build_files

    root = tmp_path_factory.mktemp("shop")
    snap = Workspace(root / "inputs")
    today = dt.date.fromisoformat(TODAY)
    out = {}
    for label, extra in (("en-GB", {}), ("cy", {"locale": "cy"}),
                         ("school", {"school": snap.content / "schools" / "example-school.yaml"})):
        opts = Options(content=snap.content, layouts=snap.layouts, fonts=FONTS, out=root / label, today=today,
                       **extra)
        out[label] = build_files(opts)
    return out
