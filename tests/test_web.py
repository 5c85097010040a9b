"""The accessible web copy, opened in a real headless Chromium with axe-core.

Chromium comes from Debian's package and axe-core from npm; .ci/run installs
both. Locally, without them, these tests skip with the reason; under CI
(``CI`` set) a missing tool is a failure, so they can never pass by not running.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cseprint.cli import main

PROJECT = Path(__file__).resolve().parent.parent
AXE = Path(os.environ.get("AXE_JS", PROJECT / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _need_tools() -> None:
    missing = [n for n, ok in (("chromium", CHROMIUM), (f"axe-core at {AXE}", AXE.is_file())) if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (see .ci/run)")
        pytest.skip(f"needs {', '.join(missing)}; .ci/run installs them")


@pytest.fixture(scope="module")
def web_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("web-build")
    today = str(yaml.safe_load((PROJECT / "content" / "edition.yaml").read_text())["date"])
    code = main(["build", "--out", str(out), "--finish", "office", "--today", today,
                 "--school", str(PROJECT / "content" / "schools" / "example-school.yaml")])
    assert code == 0
    return out / "example-school" / "web"


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.imgs: list[dict] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a":
            self.hrefs.append(a.get("href", ""))
        if tag == "img":
            self.imgs.append(a)
        if tag == "html":
            self.lang = a.get("lang")


def registry() -> dict:
    return yaml.safe_load((PROJECT / "content" / "contacts.yaml").read_text())["contacts"]


def test_every_material_has_a_web_copy(web_dir: Path) -> None:
    names = sorted(p.stem for p in web_dir.glob("*.html"))
    assert {"poster-a4", "poster-a3", "wallet-card", "staff-leaflet", "who-to-tell-a4"} <= set(names)


def test_links_are_the_registrys(web_dir: Path) -> None:
    webs = {c["web"] for c in registry().values() if c.get("web")}
    dials = {c[k] for c in registry().values() for k in ("dial", "textphone_dial") if c.get(k)}
    emails = {c["email"] for c in registry().values() if c.get("email")}
    for page in web_dir.glob("*.html"):
        p = Links()
        p.feed(page.read_text(encoding="utf-8"))
        assert p.lang == "en-GB", page.name
        assert p.hrefs or page.name == "how-to-print.html", page.name  # printing instructions name no contact
        for href in p.hrefs:
            if href.startswith("https:"):
                assert href in webs, (page.name, href)
            elif href.startswith("mailto:"):
                assert href[7:] in emails, (page.name, href)
            elif href.startswith("tel:"):
                number = href[4:]
                national = "0" + number[3:] if number.startswith("+44") else number
                assert national in dials or re.fullmatch(r"0[0-9]{9,10}", national), (page.name, href)
            else:
                pytest.fail(f"{page.name}: unexpected link {href}")
        for img in p.imgs:
            assert img.get("alt", "").strip(), (page.name, "image without alt text")


def test_poster_copy_lists_every_helpline(web_dir: Path) -> None:
    text = (web_dir / "poster-a4.html").read_text(encoding="utf-8")
    for number in ("999", "101", "0808 800 5000", "0800 1111", "0800 555 111"):
        assert f">{number}</a>" in text
    assert 'href="tel:+448088005000"' in text


def _axe(page: Path, tmp: Path) -> dict:
    shutil.copy(AXE, tmp / "axe.min.js")
    src = page.read_text(encoding="utf-8").replace("</body>", """<script src="axe.min.js"></script>
<script>
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => {
  const pre = document.createElement("pre"); pre.id = "axe-result";
  pre.textContent = JSON.stringify({violations: r.violations.map(v => ({id: v.id, help: v.help,
    nodes: v.nodes.map(n => n.html)})), passes: r.passes.length});
  document.body.appendChild(pre);
});
</script></body>""")
    target = tmp / page.name
    target.write_text(src, encoding="utf-8")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'profile'}", "--allow-file-access-from-files", "--virtual-time-budget=10000",
         "--dump-dom", target.as_uri()],
        capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"axe did not report for {page.name}: {proc.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.mark.parametrize("name", ["poster-a4", "wallet-card", "staff-leaflet", "who-to-tell-a4", "who-to-tell-a3"])
def test_no_accessibility_violations(web_dir: Path, tmp_path: Path, name: str) -> None:
    _need_tools()
    result = _axe(web_dir / f"{name}.html", tmp_path)
    assert result["passes"] > 5, result  # axe really ran its checks
    assert result["violations"] == [], json.dumps(result["violations"], indent=2)


def test_axe_catches_a_real_violation(web_dir: Path, tmp_path: Path) -> None:
    """Guard against a harness that always says 'no violations'."""
    _need_tools()
    broken = tmp_path / "broken.html"
    broken.write_text((web_dir / "poster-a4.html").read_text(encoding="utf-8")
                      .replace('<html lang="en-GB">', "<html>")
                      .replace("color: #111", "color: #bbb"), encoding="utf-8")
    ids = {v["id"] for v in _axe(broken, tmp_path)["violations"]}
    assert {"html-has-lang", "color-contrast"} <= ids, ids


def test_leaflet_web_copy_reads_in_unfolding_order(web_dir: Path) -> None:
    text = (web_dir / "staff-leaflet.html").read_text(encoding="utf-8")
    order = [text.index(h) for h in ("What is child sexual exploitation?", "Spotting the signs",
                                     "What to do if you are worried", "What to include when you report")]
    assert order == sorted(order)


def test_reading_order_must_name_every_box(tmp_path: Path) -> None:
    from .conftest import Workspace

    ws = Workspace(tmp_path / "ws")
    ws.replace("layouts/staff-leaflet.yaml", "outside.include, ", "outside.inclued, ")
    r = ws.check("--layout", "staff-leaflet")
    assert r.code == 1
    assert "did you mean 'outside.include'" in r.err and "leaves out outside.include" in r.err
