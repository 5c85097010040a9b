"""Hostile inputs, one table: each is printed literally or refused with a clean message, never a traceback.

Each case injects text or YAML into a scratch copy of the content, runs ``check`` and,
when it passes, builds the A4 poster and looks for the literal in the PDF's text.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import FONTS, PROJECT, TODAY, Workspace, assert_clean, pdf_text

A4 = ("--layout", "poster-a4")


@dataclass(frozen=True)
class Case:
    id: str
    inject: Callable[[Workspace], None]
    expect: str  # "ok": the literal must be printed; "error": the fragment must be in the message
    fragment: str  # for "error", a leading "re:" makes it a regular expression
    pdf_check: Callable[[bytes], None] | None = None
    bug: str | None = None  # a known bug: the case is an xfail (strict) until fixed


def subhead(value: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.set_text("poster_subhead", value)


def subhead_raw(raw: str) -> Callable[[Workspace], None]:
    return lambda ws: ws.set_raw("poster_subhead", raw)


def contact_name(value: str) -> Callable[[Workspace], None]:
    def inject(ws: Workspace) -> None:
        line = yaml.safe_dump({"name": value}, default_style='"', allow_unicode=False, width=10**9).strip()
        ws.replace("content/contacts.yaml", '    name: "Childline"', f"    {line}")
    return inject


def printed_contact_name(value: str) -> Callable[[Workspace], None]:
    """The name as printed: the registry's, and the locale's contact_names.yaml where there is one."""
    def inject(ws: Workspace) -> None:
        contact_name(value)(ws)
        if ws.path("content/en-GB/contact_names.yaml").exists():
            ws.set_text("childline", value, file="content/en-GB/contact_names.yaml")
    return inject


def products_file(data: bytes) -> Callable[[Workspace], None]:
    return lambda ws: ws.path("content/en-GB/products.yaml").write_bytes(data)


def no_image_or_file_contents(data: bytes) -> None:
    assert not re.search(rb"/Subtype\s*/Image", data)  # no image XObject: nothing was read from disk
    passwd = Path("/etc/passwd")
    if passwd.exists():
        first = passwd.read_bytes().splitlines()[0]
        assert first not in data


def no_link(data: bytes) -> None:
    assert b"/URI" not in data and b"javascript" not in data.lower()


BILLION_LAUGHS = ("lol0: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"lol{i}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n" for i in range(1, 10))
    + "poster_subhead: *j\n").encode()

CASES = [
    # reportlab paragraph markup is never interpreted: printed as typed, no file read
    Case("img-tag", subhead('<img src="/etc/passwd"/> x'), "ok", '<img src="/etc/passwd"/> x',
         no_image_or_file_contents),
    Case("font-tag", subhead("<font size=40>big</font>"), "ok", "<font size=40>big</font>"),
    Case("a-href", subhead('<a href="javascript:alert(1)">link</a>'), "ok", '<a href="javascript:alert(1)">link</a>',
         no_link),
    Case("ampersand", subhead("AT&T x<y &amp; z>w"), "ok", "AT&T x<y &amp; z>w"),
    Case("pdf-string-syntax", subhead(r"a) (b \ c \n %%EOF"), "ok", r"a) (b \ c \n %%EOF"),
    Case("our-markup", subhead("<b>Bold</b> and <i>italic</i> and <b><i>both</i></b>"), "ok",
         "Bold and italic and both"),
    Case("long-brace-text", subhead("{" + "i" * 81 + "}"), "ok", "{" + "i" * 81 + "}"),  # too long to be a placeholder
    Case("double-braces", subhead("{{ literal braces }}"), "ok", "{ literal braces }"),
    Case("lone-brace", subhead("one { two"), "ok", "one { two"),
    Case("placeholder", subhead("Call {nspcc.phone}."), "ok", "Call 0808 800 5000."),
    Case("combining-accent-nfc", subhead("Cymraeg: w\u0302 y\u0302"), "ok", "Cymraeg: \u0175 \u0177"),
    Case("contact-name-markup", printed_contact_name('Childline <img src="/etc/passwd"/>'), "ok",
         'Childline <img src="/etc/passwd"/>', no_image_or_file_contents),
    # invisible characters
    Case("nul", subhead("a\x00b"), "error", "invisible control character U+0000"),
    Case("escape", subhead("a\x1b[31mred"), "error", "invisible control character U+001B"),
    Case("rtl-override", subhead("abc\u202edef"), "error", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    Case("zero-width-space", subhead("a\u200bb"), "error", "U+200B"),
    Case("tab", subhead("a\tb"), "error", "U+0009"),
    Case("carriage-return", subhead("a\rb"), "error", "U+000D"),
    Case("contact-name-nul", contact_name("Child\x00line"), "error", "contacts.childline.name: contains the invisible"),
    # empty and oversized
    Case("empty-text", subhead(""), "error", "products.poster_subhead: is empty"),
    Case("whitespace-text", subhead("  \n "), "error", "products.poster_subhead: is empty"),
    Case("empty-name", contact_name(""), "error", "contacts.childline.name: is empty"),
    Case("whitespace-name", contact_name("   "), "error", "contacts.childline.name: is empty"),
    Case("long-name", contact_name("C" * 10_000), "error", "is 10000 characters long; the limit is 120"),
    Case("long-text", subhead("word " * 2_000), "error", "the limit is 4000"),
    Case("multiline-name", contact_name("Child\nline"), "error", "must be on one line"),
    # scripts no font has: refused by preflight, not printed as empty boxes
    Case("arabic", subhead("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645"), "error",
         r"re:right-to-left text \(Arabic|ARABIC LETTER .* is in none of the fonts"),
    Case("hebrew", subhead("\u05e9\u05dc\u05d5\u05dd"), "error",
         r"re:right-to-left text \(Hebrew|HEBREW LETTER .* is in none of the fonts"),
    Case("emoji", subhead("Report it \U0001F6A8"), "error", "U+1F6A8"),
    # YAML attacks
    Case("billion-laughs", products_file(BILLION_LAUGHS), "error", "anchors and aliases"),
    Case("python-tag-scalar", subhead_raw("!!python/object:os.system x"), "error", "cannot read value"),
    Case("python-tag-apply", subhead_raw('!!python/object/apply:os.system ["echo pwned"]'), "error",
         "products.poster_subhead"),
    Case("deep-nesting", subhead_raw("[" * 600 + "]" * 600), "error", "re:nest(ed|ing)"),
    Case("deep-mapping", subhead_raw("{a: " * 100 + "1" + "}" * 100), "error", "re:nest(ed|ing)"),
    Case("yaml-date", subhead_raw("2026-01-01"), "error", "products.poster_subhead"),
    Case("yaml-bool", subhead_raw("yes"), "error", "got true/false"),
    Case("yaml-null", subhead_raw("null"), "error", "poster_subhead"),
    Case("yaml-mapping", subhead_raw("{a: 1}"), "error", "poster_subhead"),
    Case("duplicate-key", lambda ws: ws.write("content/en-GB/products.yaml", ws.read(
        "content/en-GB/products.yaml") + 'poster_subhead: "again"\n'), "error", "duplicate key"),
    Case("not-utf8", products_file('poster_subhead: "caf\u00e9"\n'.encode("latin-1")), "error", "not UTF-8"),
    Case("huge-file", products_file(b"# " + b"x" * 2_100_000 + b"\n"), "error", "the limit is 2,000,000"),
    # contact details typed into text instead of coming from the registry
    Case("literal-phone", subhead("call 0808 800 5000"), "error",
         "products.poster_subhead: contains a phone number typed into the text ('0808 800 5000')"),
    Case("literal-childline", subhead("call 0800 1111"), "error", "products.poster_subhead: contains a phone number"),
    Case("literal-999", subhead("In danger? Dial 999."), "error", "products.poster_subhead: contains a phone number"),
    Case("literal-email", subhead("write to help@nspcc.org.uk"), "error", "an email address"),
    Case("literal-web", subhead("see www.nspcc.org.uk today"), "error", "a web address"),
    Case("unknown-placeholder", subhead("call {unknown.phone}"), "error", "names an unknown contact 'unknown'"),
    Case("misspelt-placeholder", subhead("call {nspc.phone}"), "error", "(did you mean 'nspcc'?)"),
    Case("placeholder-bad-field", subhead("call {nspcc.dial}"), "error", "'dial' is not a contact field"),
    Case("placeholder-missing-field", subhead("call {fearless.phone}"), "error", "contact 'fearless' has no phone"),
    Case("placeholder-garbage", subhead("{rm -rf /}"), "error", "is not a placeholder"),
    Case("unclosed-tag", subhead("<b>unclosed"), "error", "<b> is never closed"),
    Case("misnested-tags", subhead("<b><i>x</b></i>"), "error", "closes nothing"),
]


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(reason=c.bug, strict=True)] if c.bug else []
        yield pytest.param(c, id=c.id, marks=marks)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.mark.parametrize("case", list(_params()))
def test_hostile_input(case: Case, tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    case.inject(ws)
    r = ws.check(*A4)
    assert_clean(r)
    if case.expect == "error":
        assert r.code == 1, f"accepted hostile input {case.id}:\n{r.out}"
        if case.fragment.startswith("re:"):
            assert re.search(case.fragment[3:], r.err), r.err
        else:
            assert case.fragment in r.err, r.err
        assert "nothing was written" in r.err
        return
    assert r.code == 0, r.err
    out = tmp_path / "out"
    b = ws.build(out, *A4, "--finish", "office")
    assert_clean(b, 0)
    pdf = out / "poster-a4.pdf"
    assert norm(case.fragment) in norm(pdf_text(pdf)), pdf_text(pdf)
    if case.pdf_check:
        case.pdf_check(pdf.read_bytes())


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))  # CPU seconds, not wall-clock: a runaway expansion dies
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def test_billion_laughs_in_a_capped_process(tmp_path: Path):
    """The alias bomb through the real entry point, in a process that may not use much CPU or memory."""
    ws = Workspace(tmp_path / "ws")
    products_file(BILLION_LAUGHS)(ws)
    env = {k: v for k, v in os.environ.items() if k != "CSEPRINT_DEBUG"}
    proc = subprocess.run(
        [sys.executable, str(PROJECT / "generate.py"), "check", "--content", str(ws.content), "--layouts",
         str(ws.layouts), "--fonts", str(FONTS), "--today", TODAY],
        capture_output=True, text=True, env=env, preexec_fn=_limits, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "anchors and aliases" in proc.stderr


def test_table_covers_every_kind_of_attack():
    ids = {c.id for c in CASES}
    for needed in ("img-tag", "font-tag", "a-href", "ampersand", "nul", "escape", "rtl-override", "empty-text",
                   "whitespace-name", "long-name", "arabic", "billion-laughs", "literal-phone",
                   "unknown-placeholder", "misspelt-placeholder", "double-braces"):
        assert needed in ids
    assert len(ids) == len(CASES)
