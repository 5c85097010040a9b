"""Property tests: arbitrary text in the texts of each product is either refused cleanly or printed as typed."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from .conftest import PROJECT, Workspace, assert_clean

# Latin with accents and Welsh letters, Greek, Cyrillic, markup and placeholder characters, PDF syntax.
ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()[]/\\%#*+=_~@$£€-"
    "<>&{}" "éèàçñüößÆøå" "ŵŷẁẃẅỳ" "αβγδΩ" "ждлЯ" "中ب😀\u00ad\u200b"
))
TOKENS = st.sampled_from(["<b>", "</b>", "<i>", "</i>", "<br>", "{{", "}}", "{nspcc.phone}", "{childline.name}",
                          "&amp;", "<img src='/etc/passwd'/>", "<font size=40>", "{edition.version}"])
TEXTS = st.lists(st.one_of(st.text(ALPHABET, min_size=1, max_size=12), TOKENS), min_size=1, max_size=5).map("".join)

# content key -> layout that prints it (only layouts that exist are tested)
TARGETS = [
    ("poster_subhead", "poster-a4"),
    ("card_front_heading", "wallet-card"),
    ("card_back_heading", "wallet-card"),
    ("leaflet_subtitle", "staff-leaflet"),
]


def _targets():
    layouts = PROJECT / "layouts"
    products = yaml.safe_load((PROJECT / "content/en-GB/products.yaml").read_text(encoding="utf-8"))
    out = []
    for key, layout in TARGETS:
        path = layouts / f"{layout}.yaml"
        if path.exists() and key in products and f"products.{key}" in path.read_text(encoding="utf-8"):
            out.append(pytest.param(key, layout, id=f"{layout}:{key}"))
    return out


def placeholder_values(ws: Workspace) -> dict[str, str]:
    """What the placeholders in TOKENS print, read from the content files themselves."""
    contacts = ws.load("content/contacts.yaml")["contacts"]
    names = ws.load("content/en-GB/contact_names.yaml") if ws.path("content/en-GB/contact_names.yaml").exists() else {}
    return {"{nspcc.phone}": contacts["nspcc"]["phone"],
            "{childline.name}": _label(names.get("childline")) or contacts["childline"]["name"],
            "{edition.version}": str(ws.load("content/edition.yaml")["version"])}


def _label(name: str | dict | None) -> str | None:
    """A contact_names entry is a name, or {label: name, short: name for tight spaces}."""
    return name.get("label") if isinstance(name, dict) else name


def expected_print(text: str, values: dict[str, str]) -> str:
    """What the text should print as, reading it left to right: <b> <i> dropped, <br> a break,
    {{ and }} single braces, placeholders their values."""
    text = unicodedata.normalize("NFC", text)

    def token(m: re.Match) -> str:
        tok = m.group(0)
        if tok in ("{{", "}}"):
            return tok[0]
        if tok.startswith("{"):
            return values.get(tok, tok)
        return " " if tok.startswith("<br") else ""

    return re.sub(r"</?[bi]>|<br\s*/?>|\{\{|\}\}|\{[^{}\n]{0,80}\}", token, text)


def fresh_text(pdf: Path) -> str:
    """The PDF's text as a fresh pdfium reads it.

    In one long process pdfium reuses what it learnt of an earlier file's
    same-named font subset ("AAAAAA+NotoSans-Bold"), and then reports a space
    where a run in one font meets a run in another ('жẁ0' read as 'жẁ 0')
    although the PDF is byte-identical to one built fresh. A new process reads
    each file on its own, as a person's viewer does.
    """
    script = ("import sys, pypdfium2 as p; d = p.PdfDocument(sys.argv[1]); "
              "sys.stdout.write(''.join(pg.get_textpage().get_text_range() for pg in d))")
    done = subprocess.run([sys.executable, "-c", script, str(pdf)], capture_output=True, text=True,
                          encoding="utf-8", check=True)
    return done.stdout


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """One pristine copy; each example copies it again (hypothesis runs many examples per test)."""
    return Workspace(tmp_path_factory.mktemp("props") / "base")


@pytest.mark.parametrize("key, layout", _targets())
@settings(max_examples=25, deadline=None, derandomize=True, database=None)  # the same examples every run, here and in CI
@given(text=TEXTS)
def test_any_text_is_refused_cleanly_or_printed_as_typed(base: Workspace, key: str, layout: str, text: str):
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws", source=base.root)
        ws.set_text(key, text)
        assert yaml.safe_load(ws.read("content/en-GB/products.yaml"))[key] == text  # injected as typed
        r = ws.check("--layout", layout)
        assert_clean(r)
        if r.code == 1:
            assert "nothing was written" in r.err
            event("refused")
            return
        event("printed")
        out = Path(tmp) / "out"
        b = ws.build(out, "--layout", layout, "--finish", "office")
        assert_clean(b, 0)
        printed = fresh_text(out / f"{layout}.pdf")
        want = expected_print(text, placeholder_values(ws))
        assert norm(want) in norm(printed), f"{want!r} not printed; the page says:\n{printed}"
