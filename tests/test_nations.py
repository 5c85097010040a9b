"""Nations, audiences and the whole seed: what each reader is told, read back from the built files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import PROJECT, Workspace, pdf_text

NATIONS = ("england", "wales", "scotland", "northern-ireland")
GUIDANCE = {
    "england": "Keeping Children Safe in Education",
    "wales": "Keeping learners safe",
    "scotland": "National Guidance for Child Protection in Scotland",
    "northern-ireland": "Safeguarding and Child Protection in Schools",
}
REQUIRED = {
    "england": ["Keeping Children Safe in Education", "Designated Safeguarding Lead",
                "local authority children's social care"],
    "wales": ["Keeping learners safe", "Designated Safeguarding Person", "local authority children's services"],
    "scotland": ["National Guidance for Child Protection in Scotland", "child protection coordinator",
                 "social work", "101", "999"],
    "northern-ireland": ["Designated Teacher", "Gateway team", "Regional Emergency Social Work Service",
                         "offence not to report an arrestable offence"],
}
DRAFT = "DRAFFT / DRAFT translation, not yet reviewed"


def norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").split())


def texts_of(out: Path, prefix: str) -> dict[str, str]:
    """Every PDF's text and every web copy's visible text under one scope's folder."""
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    found = {}
    for f in man["files"]:
        if f["path"].startswith(prefix) and f["variant"] == "single":
            found[f["path"]] = norm(pdf_text(out / f["path"]))
    for w in man["web"]:
        if w.startswith(prefix):
            html = (out / w).read_text(encoding="utf-8")
            found[w] = norm(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&amp;", "&"))
    return found


@pytest.fixture(scope="module")
def nations_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nations")
    ws = Workspace(root / "ws")
    out = root / "out"
    for n in NATIONS:
        r = ws.build(out, "--finish", "office", "--nation", n)
        assert r.code == 0, r.err
    return out


@pytest.mark.parametrize("nation", NATIONS)
def test_each_nation_names_its_own_guidance_roles_and_routes_and_no_other(nations_build: Path, nation: str):
    prefix = "" if nation == "england" else f"{nation}/"
    found = texts_of(nations_build, prefix)
    if nation == "england":  # the other nations' files lie in their own folders
        found = {p: t for p, t in found.items() if not p.startswith(tuple(f"{n}/" for n in NATIONS))}
    assert any(p.endswith("staff-leaflet.pdf") for p in found) and any(p.endswith("staff-guide.pdf") for p in found)
    for path, text in found.items():
        for other, name in GUIDANCE.items():
            if other != nation:
                assert name not in text, f"{path} ({nation}) names {other}'s guidance '{name}'"
    for want in REQUIRED[nation]:
        holders = [p for p, t in found.items() if want.lower() in t.lower()]
        assert any(p.endswith("staff-leaflet.pdf") for p in holders), f"{nation}: leaflet lacks {want!r}"
        assert any(p.endswith("staff-guide.pdf") for p in holders), f"{nation}: staff guide lacks {want!r}"
    man = json.loads((nations_build / "manifest.json").read_text(encoding="utf-8"))
    mine = [f for f in man["files"] if f["nation"] == nation]
    assert mine and all(f["path"].startswith(prefix) for f in mine)
    assert {f["audience"] for f in mine} == {"pupils", "staff"}


def test_builds_of_four_nations_keep_each_others_files(nations_build: Path):
    man = json.loads((nations_build / "manifest.json").read_text(encoding="utf-8"))
    assert {f["nation"] for f in man["files"]} == set(NATIONS)
    assert all((nations_build / f["path"]).is_file() for f in man["files"])


def test_every_product_naming_ceop_says_reports_are_not_anonymous_and_what_happens_next(nations_build: Path):
    checked = 0
    for path, text in texts_of(nations_build, "").items():
        if "CEOP" not in text:
            continue
        checked += 1
        low = text.lower()
        assert "not anonymous" in low or "need to give your name" in low, path
        assert "reads each report" in low, path
    assert checked >= 20


def test_pupils_posters_read_at_grade_six_or_lower_and_talk_to_the_pupil(nations_build: Path):
    man = json.loads((nations_build / "manifest.json").read_text(encoding="utf-8"))
    pupils = [f for f in man["files"] if f["layout"].startswith("pupils-poster") and f["nation"] == "england"]
    assert {f["layout"] for f in pupils} == {"pupils-poster-a4", "pupils-poster-a3"}
    for f in pupils:
        assert f["audience"] == "pupils" and f["reading_grade"] is not None and f["reading_grade"] <= 6.0, f
        text = norm(pdf_text(nations_build / f["path"]))
        for want in ("It is never your fault", "Tell an adult you trust at school", "Childline", "0800 1111",
                     "It is free", "any time", "CEOP", "give your name", "Fearless", "without giving your name"):
            assert want in text, (f["path"], want)
    card = norm(pdf_text(nations_build / "wallet-card.pdf"))
    for who in ("Childline, under 19s", "NSPCC, for adults", "Emergency: danger now", "Police, not urgent",
                "Crimestoppers, anyone"):
        assert who in card, who


def test_readability_check_refuses_an_over_long_sentence_naming_box_and_score(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    ws.set_text("tell_adult", "Notwithstanding institutional safeguarding considerations, comprehensive "
                "multidisciplinary interventions necessitate communicating apprehensions to appropriately "
                "accredited professionals immediately.", file="content/en-GB/pupils.yaml")
    r = ws.check("--layout", "pupils-poster-a4")
    assert r.code == 1
    line = next(ln for ln in r.err.splitlines() if "Flesch-Kincaid" in ln)
    assert "box adult" in line and "pupils-poster-a4.yaml" in line
    score = float(re.search(r"grade (\d+\.\d)", line).group(1))
    assert score > 6.0 and "limit for pupils here is 6.0" in line
    ws = Workspace(tmp_path / "ws2")  # the shipped text passes
    assert ws.check("--layout", "pupils-poster-a4", "--layout", "pupils-poster-a3").code == 0


# --- the whole seed ------------------------------------------------------------------------------
# Each section of the seed (shared/seed/cse-awareness-uk.txt) and the content that carries it.
SEED_SECTIONS = {
    "Child Sexual Exploitation (introduction)": ["about.summary"],
    "Understanding Child Sexual Exploitation": ["about.understanding"],
    "Forms of Exploitation": ["about.forms", "about.grooming", "about.coercion"],
    "The Scale of the Problem in the UK": ["scale.statistics"],
    "Spotting the Signs of Child Sexual Exploitation": ["signs.items"],
    "How to Report Child Sexual Exploitation in the UK": ["reporting.intro", "reporting.routes", "reporting.what_to_include"],
    "Closing": ["reporting.closing"],
}


def _texts(ws: Workspace, key: str) -> list[str]:
    import yaml

    ns, _, rest = key.partition(".")
    node = yaml.safe_load((ws.content / "en-GB" / f"{ns}.yaml").read_text(encoding="utf-8"))
    for part in rest.split("."):
        node = node[part]
    if isinstance(node, str):
        return [node]
    items = node if isinstance(node, list) else [node]
    out = []
    for it in items:
        if it.get("id") == "report-abuse-in-education":
            continue  # unconfirmed: printed nowhere, on purpose
        out += [str(it[f]) for f in ("label", "detail", "source") if it.get(f) and "{" not in str(it[f])]
    return out


def test_every_section_of_the_seed_is_printed_on_some_product(nations_build: Path):
    ws = Workspace(nations_build.parent / "seedcheck")
    pdfs = {p: t for p, t in texts_of(nations_build, "").items() if p.endswith(".pdf") and "/" not in p}
    coverage = {}
    for section, keys in SEED_SECTIONS.items():
        wanted = [norm(re.sub(r"</?b>", "", t)) for k in keys for t in _texts(ws, k)]
        assert wanted, section
        coverage[section] = sorted(p for p, text in pdfs.items() if all(w in text for w in wanted))
    missing = [s for s, where in coverage.items() if not where]
    assert not missing, f"seed sections printed nowhere: {missing}\ncoverage: {coverage}"
    assert "staff-guide.pdf" in coverage["Forms of Exploitation"]
    assert "staff-guide.pdf" in coverage["The Scale of the Problem in the UK"]


def test_each_statistic_prints_its_year_area_qualifier_and_source(nations_build: Path):
    import yaml

    text = norm(pdf_text(nations_build / "staff-guide.pdf"))
    stats = yaml.safe_load((PROJECT / "content" / "en-GB" / "scale.yaml").read_text(encoding="utf-8"))["statistics"]
    for s in stats:
        for f in ("figure", "year", "area", "qualifier", "source"):
            if s[f] is not None:
                assert str(s[f]) in text, (s["id"], f, s[f])
    assert "115,489" in text and "2023" in text and "England and Wales" in text


# --- facts governance ----------------------------------------------------------------------------

def test_a_printed_fact_that_is_unconfirmed_is_refused_naming_it(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    text = ws.read("content/facts.yaml")
    block = text.index("  images:")
    end = text.index("status: confirmed", block)
    ws.write("content/facts.yaml", text[:end] + "status: unconfirmed" + text[end + len("status: confirmed"):])
    r = ws.check("--layout", "staff-guide")
    assert r.code == 1 and "facts.images" in r.err and "unconfirmed" in r.err and "staff-guide" in r.err
    assert ws.check("--layout", "staff-guide", "--allow-unverified").code == 0
    assert ws.check("--layout", "poster-a4").code == 0  # the poster does not print it


def test_a_source_that_is_a_note_of_ours_is_refused(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    ws.replace("content/contacts.yaml", 'source: "NSPCC, Report child abuse', 'source: "seed; shared/notes/content-facts.md; NSPCC')
    r = ws.check()
    assert r.code == 1 and "contacts.nspcc.source" in r.err and "public reference" in r.err


def test_a_mistyped_nation_or_nation_key_is_refused_with_a_suggestion(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    ws.replace("content/en-GB/nations.yaml", "northern-ireland:\n", "northern-irland:\n")
    r = ws.check()
    assert r.code == 1 and "northern-irland" in r.err and "did you mean 'northern-ireland'" in r.err
    ws = Workspace(tmp_path / "ws2")
    ws.replace("content/en-GB/reporting.yaml", "{nation.staff_first}", "{nation.staf_first}")
    r = ws.check()
    assert r.code == 1 and "reporting.staff_first" in r.err and "{nation.staff_first}" in r.err


# --- Welsh -----------------------------------------------------------------------------------------

def test_welsh_for_wales_uses_welsh_guidance_and_role_names_with_the_mutation(tmp_path: Path):
    import yaml

    ws = Workspace(tmp_path / "ws")
    data = yaml.safe_load((PROJECT / "content" / "schools" / "example-school.yaml").read_text(encoding="utf-8"))
    data["nation"] = "wales"
    prof = tmp_path / "wales-school.yaml"
    prof.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    r = ws.build(out, "--finish", "office", "--locale", "cy", "--layout", "staff-leaflet")
    assert r.code == 0, r.err
    leaflet = norm(pdf_text(out / "wales" / "cy" / "staff-leaflet.pdf"))
    assert "Cadw dysgwyr yn ddiogel" in leaflet and "Person Diogelu Dynodedig" in leaflet
    assert "Keeping Children Safe in Education" not in leaflet and "Arweinydd Dynodedig" not in leaflet
    r = ws.build(out, "--finish", "office", "--locale", "cy", "--school", str(prof), "--layout", "who-to-tell-a4")
    assert r.code == 0, r.err
    who = norm(pdf_text(out / "wales-school" / "cy" / "who-to-tell-a4.pdf"))
    assert "Dirprwy Berson Diogelu Dynodedig" in who and "Dirprwy Person" not in who
    r = ws.check("--locale", "cy", "--nation", "scotland")
    assert r.code == 1 and "--nation" in r.err and "scotland" in r.err


def test_draft_band_on_every_page_and_web_page_until_reviewed(tmp_path: Path):
    ws = Workspace(tmp_path / "ws")
    out = tmp_path / "out"
    r = ws.build(out, "--finish", "office", "--locale", "cy")
    assert r.code == 0, r.err
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    import pypdfium2 as pdfium

    pages = 0
    for f in man["files"]:
        pdf = pdfium.PdfDocument(out / f["path"])
        try:
            for page in pdf:
                pages += 1
                assert DRAFT in norm(page.get_textpage().get_text_range()), f["path"]
        finally:
            pdf.close()
    assert pages >= 10
    for w in man["web"]:
        html = (out / w).read_text(encoding="utf-8")
        assert DRAFT in html, w
        assert '<span lang="en-GB">Childline</span>' in html or "Childline" not in html, w
    ws.replace("content/cy/_locale.yaml", "reviewed: false", "reviewed: true")
    out2 = tmp_path / "out2"
    assert ws.build(out2, "--finish", "office", "--locale", "cy").code == 0
    man = json.loads((out2 / "manifest.json").read_text(encoding="utf-8"))
    for f in man["files"]:
        assert "DRAFFT" not in pdf_text(out2 / f["path"]), f["path"]
    for w in man["web"]:
        assert "DRAFFT" not in (out2 / w).read_text(encoding="utf-8"), w
    # English-only products never carry it
    assert ws.build(tmp_path / "en", "--finish", "office", "--layout", "poster-a4").code == 0
    assert "DRAFFT" not in pdf_text(tmp_path / "en" / "poster-a4.pdf")
