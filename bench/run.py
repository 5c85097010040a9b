#!/usr/bin/env python3
"""Benchmark of the generator, run by hand: ``python bench/run.py`` (never by the tests).

In one run, about four minutes on two cores, it measures and prints:

1. per poster, in one process (as the batch runs): the A4 poster drawn by a
   hand-written reportlab script (bench/handwritten_poster.py, the floor)
   against our engine's compose + render, and against the full pipeline
   (compose + preflight + render + verify), with ratios to the floor;
2. schools per second for 1,000 generated school profiles, full sets, with
   ``generate.py build --schools``, office finish and both finishes;
3. cold start: one poster built by a fresh ``generate.py`` process, and a bare
   ``import cseprint.cli``;
4. peak memory of the batch processes.

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(PROJECT), str(BENCH)]

import handwritten_poster  # noqa: E402
import phonenumbers  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import reportlab  # noqa: E402
import yaml  # noqa: E402

from cseprint.build import Options, load  # noqa: E402
from cseprint.compose import OFFICE, compose  # noqa: E402
from cseprint.fonts import FontBook  # noqa: E402
from cseprint.preflight import check_document  # noqa: E402
from cseprint.verify import verify  # noqa: E402
from cseprint.write_pdf import render  # noqa: E402

CONTENT, LAYOUTS, FONTS = PROJECT / "content", PROJECT / "layouts", PROJECT / "fonts"
GENERATE = PROJECT / "generate.py"
TARGET_RATIO = 1.5  # (a) compose + render against the hand-written floor
TARGET_SECONDS_PER_1000 = 60.0


def edition_date() -> dt.date:
    """'Today' for every build here, as in the tests: the content edition's date, so the
    contacts' review dates cannot expire under the benchmark and fail it."""
    value = yaml.safe_load((CONTENT / "edition.yaml").read_text(encoding="utf-8"))["date"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


TODAY = edition_date()


# --- the machine ----------------------------------------------------------------------------------

def machine() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(len(os.sched_getaffinity(0)))
    return [f"machine: {nproc} cores (nproc), CPU {model}, {platform.system()} {platform.release()}",
            f"         Python {platform.python_version()} ({sys.executable}), reportlab {reportlab.Version}",
            f"         load average at start: {loadavg()}"]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# --- 1. per poster --------------------------------------------------------------------------------

def per_poster(n: int, rounds: int) -> tuple[list[str], dict[str, float]]:
    """Median over ``rounds`` interleaved rounds of ``n / rounds`` posters each, ms per poster.

    The ratios use CPU time (time.process_time): the loop is single-threaded, so on an idle machine it
    equals the wall time, and on a shared one it is not inflated by waiting for a core. Wall time is
    shown beside it."""
    opts = Options(content=CONTENT, layouts=LAYOUTS, fonts=FONTS, out=PROJECT / "output", names=["poster-a4"],
                   finish="office", today=TODAY)
    content, styles, layouts = load(opts)  # once, outside the timed loops, as the batch does
    layout, fonts = layouts["poster-a4"], FontBook(styles, FONTS)
    # Ours first: reportlab keeps the first font registered under a face name for the whole process,
    # so the floor, loaded after, draws with the same font objects rather than ours being refused.
    render(compose(layout, styles, content, fonts, "en-GB", OFFICE)[0])
    floor_data = handwritten_poster.load()

    def hand() -> bytes:
        return handwritten_poster.draw(floor_data)

    def compose_render() -> bytes:
        (doc,) = compose(layout, styles, content, fonts, "en-GB", OFFICE)
        return render(doc)

    stages = {"compose": 0.0, "preflight": 0.0, "render": 0.0, "verify": 0.0}

    def full() -> bytes:
        t0 = time.process_time()
        (doc,) = compose(layout, styles, content, fonts, "en-GB", OFFICE)
        t1 = time.process_time()
        problems = check_document(doc, content, TODAY)
        t2 = time.process_time()
        data = render(doc)
        t3 = time.process_time()
        failures = verify(doc, data)
        t4 = time.process_time()
        if failures or [p for p in problems if not p.warning]:
            raise SystemExit(f"the poster does not pass its own checks: {problems} {failures}")
        for k, a, b in (("compose", t0, t1), ("preflight", t1, t2), ("render", t2, t3), ("verify", t3, t4)):
            stages[k] += b - a
        return data

    runs = {"hand": hand, "a": compose_render, "b": full}
    first = {k: f() for k, f in runs.items()}  # warm-up: fonts parsed and registered, QR matrix cached
    for k in stages:
        stages[k] = 0.0
    per = max(1, n // rounds)
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    wall: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):  # interleaved, so a noisy moment on the machine hits every contender
        for k, f in runs.items():
            w, c = time.perf_counter(), time.process_time()
            for _ in range(per):
                f()
            cpu[k].append((time.process_time() - c) / per * 1000)
            wall[k].append((time.perf_counter() - w) / per * 1000)
    ms = {k: statistics.median(v) for k, v in cpu.items()}
    wms = {k: statistics.median(v) for k, v in wall.items()}
    total = sum(stages.values())
    share = {k: v / total for k, v in stages.items()}  # the full pipeline's time, split by stage
    floor = ms["hand"]

    same = page_text(first["hand"]) == page_text(first["a"])
    verdict = "PASS" if ms["a"] <= TARGET_RATIO * floor else "FAIL"
    rows = [
        ("hand-written reportlab script (the floor)", ms["hand"], wms["hand"], f"{1:.2f}x", ""),
        ("(a) compose + render", ms["a"], wms["a"], f"{ms['a'] / floor:.2f}x", f"target <= {TARGET_RATIO}x: {verdict}"),
        ("(b) compose + preflight + render + verify", ms["b"], wms["b"], f"{ms['b'] / floor:.2f}x", ""),
        *[(f"      of which {k}", v * ms["b"], v * wms["b"], f"{v * ms['b'] / floor:.2f}x", "")
          for k, v in share.items()],
    ]
    out = [f"1. Per poster: poster-a4, office finish, en-GB, in one process "
           f"(median of {rounds} interleaved rounds of {per}, after one warm-up)",
           f"   {'':<46}{'CPU ms':>8}{'wall ms':>9}{'ratio':>7}   (ratio = CPU ms / the floor's CPU ms)"]
    out += [f"   {name:<46}{c:>8.2f}{w:>9.2f}{ratio:>7}  {note}".rstrip() for name, c, w, ratio, note in rows]
    out.append(f"   the floor draws the same page: extracted text {'identical' if same else 'DIFFERS'}; "
               f"PDF {len(first['hand']):,} vs {len(first['a']):,} bytes (ours)")
    return out, ms


def page_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


# --- 2. schools: a spreadsheet of 1,000 -----------------------------------------------------------

FIRST = ["Siobhán", "Zoë", "Łukasz", "Aoife", "Ffion", "Siân", "Dafydd", "Rhiannon", "Llŷr", "Gwenllian",
         "Ieuan", "Chloé", "José", "Anne-Marie", "Mary-Kate", "Jean-Luc", "Małgorzata", "Zsófia", "Björn",
         "François", "Niamh", "Oisín", "Eilidh", "Mhairi", "Ruairidh", "Seán", "Ngozi", "Siôn", "Gethin",
         "Cerys", "Tomás", "Pádraig", "Agnieszka", "Wojciech", "Renée", "Noël", "Ayşe", "Dắng", "Priya",
         "Mohammed", "Kai", "Sam", "Jo", "Alex", "Bethan", "Gwenno", "Aneurin", "Ellis-Jay"]
LAST = ["O'Brien", "O’Neill", "D'Arcy", "McAllister", "MacDonald", "Smith-Jones", "ap Gruffydd", "ap Rhys",
        "Ní Bhriain", "Ó Súilleabháin", "Nowak", "Wróblewski", "Brontë", "Llewelyn", "Pritchard", "Jones",
        "Evans", "Ffoulkes", "Vaughan-Thomas", "Okafor", "Nguyễn", "Øvergaard", "Müller", "Şahin",
        "Dvořák", "Lloyd-Williams", "Mac an tSaoir", "Fitzgerald", "Ahmed", "Patel", "Williams"]
SCHOOLS = {
    "england": ["St Mary's Catholic Primary School", "St Peter’s C of E (Aided) Junior School",
                "Holy Trinity Church of England Academy", "Bishop Challoner's School", "Oakfield-Ridge Primary",
                "Our Lady & St Joseph's RC Primary", "Brontë Community School", "Kings' Heath Nursery & Infants"],
    "wales": ["Ysgol Gymraeg Llwyncelyn", "Ysgol Gynradd Pen-y-bryn", "Ysgol Bro Dinefwr", "Ysgol y Castell",
              "Ysgol Llanfair Pwllgwyngyll", "Ysgol Gyfun Gŵyr", "Ysgol Glan Ŵysg", "Ysgol Dyffryn Aman"],
    "northern-ireland": ["St Brigid's Primary School", "Scoil Naomh Pádraig", "Gaelscoil Uí Néill",
                         "Ballymena Academy", "Our Lady’s Grammar School", "Bunscoil Bheann Mhadagáin"],
    "scotland": ["St Ninian's High School", "Sgoil Ghàidhlig Ghlaschu", "Bun-sgoil Shlèite",
                 "Craigour-Park Primary", "Bishopbriggs Academy"],
}
COUNCILS = {
    "england": ["Leeds City Council children's services", "Sheffield Children’s Social Care",
                "Bristol City Council First Response", "Birmingham Children's Trust"],
    "wales": ["Cyngor Sir Ceredigion children's services", "Rhondda Cynon Taf Information, Advice & Assistance",
              "Cyngor Gwynedd Gwasanaethau Plant", "Cardiff Children's Services (MASH)"],
    "northern-ireland": ["Belfast HSC Trust Gateway Team", "Northern HSC Trust Gateway Service"],
    "scotland": ["Glasgow City Council social work services", "Comhairle nan Eilean Siar social work"],
}
ROLES = ["Head of Year 9", "SENCo", "Assistant Headteacher (Pastoral)", "Family Liaison Officer",
         "Deputy Headteacher", "Pennaeth Cynorthwyol", "Head of Key Stage 3", "Learning Mentor"]
PLACES = ["Room 12, main building", "Pastoral office", "Ystafell 4, Bloc Cymraeg", "Student Support Hub",
          "Learning support base", "Room B-214", "Main office (reception)"]
HOURS = ["Monday to Friday, 9am to 5pm", "Monday to Thursday 8.30am to 5pm, Friday 8.30am to 4.30pm",
         "Dydd Llun i ddydd Gwener, 9am to 5pm", "Weekdays, 8am to 6pm"]
PHOTOS = ["schools/photos/sam-example.png", "schools/photos/alex-sample.png", "schools/photos/jo-placeholder.png"]
# Ofcom's numbers for drama (they never connect); each is checked below against the phonenumbers library.
DRAMA = [("0113 496 0", "{:03d}"), ("0114 496 0", "{:03d}"), ("0116 496 0", "{:03d}"), ("0117 496 0", "{:03d}"),
         ("0118 496 0", "{:03d}"), ("0121 496 0", "{:03d}"), ("0131 496 0", "{:03d}"), ("0141 496 0", "{:03d}"),
         ("0151 496 0", "{:03d}"), ("0161 496 0", "{:03d}"), ("020 7946 0", "{:03d}"), ("028 9649 6", "{:03d}"),
         ("029 2018 0", "{:03d}")]
MAX_DEPUTIES = 12  # as many as a profile may list
PHOTO_SHARE = 0.7  # 30% of people have no photo
NAME_MAX, ROLE_MAX, SCHOOL_MAX = 60, 80, 150  # the longest a poster is designed for (schools.py allows these)
SYLLABLES = ["wolf", "esch", "leg", "stein", "hausen", "berg", "erdorff", "llan", "fair", "pwll", "gwyn", "gyll",
             "goger", "ych", "wyrn", "drob", "ap", "kowal", "czyk", "ewicz", "nguyen", "oko", "nkwo"]
LONG_ROLES = ["Assistant Head Teacher (Pastoral Care, Behaviour, Attendance and Family Support)",
              "Designated Teacher for Looked After and Previously Looked After Children, KS3-4",
              "Pennaeth Cynorthwyol a Chydlynydd Anghenion Dysgu Ychwanegol (ADY) a Lles"]
LONG_SCHOOL_PARTS = ["Holy Trinity and Saint Mary Magdalene", "Roman Catholic and Church of England",
                     "Joint Voluntary Aided", "Primary and Nursery School", "and Specialist Resource Base"]


def drama_number(rng: random.Random) -> str:
    prefix, tail = rng.choice(DRAMA)
    return prefix + tail.format(rng.randrange(1000))


def check_drama_ranges() -> None:
    for prefix, tail in DRAMA:
        for last in (0, 999):
            number = prefix + tail.format(last)
            if not phonenumbers.is_valid_number_for_region(phonenumbers.parse(number.replace(" ", ""), "GB"), "GB"):
                raise SystemExit(f"bench: {number} is not a valid UK number per phonenumbers; fix DRAMA")


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:40].strip("-")


def person_name(rng: random.Random) -> str:
    """Mostly two names; 2% with a 35-letter surname no dictionary knows; 5% as long as 60 characters."""
    r = rng.random()
    if r < 0.02:
        surname = ""
        while len(surname) < 35:
            surname += rng.choice(SYLLABLES)
        return f"{rng.choice(FIRST)} {surname[:35].capitalize()}"
    if r < 0.07:
        words = [rng.choice(FIRST), rng.choice(FIRST), f"{rng.choice(LAST)}-{rng.choice(LAST)}", rng.choice(LAST),
                 rng.choice(LAST), rng.choice(FIRST)]
        name = ""
        for w in words:
            if len(name) + len(w) + 1 > NAME_MAX:
                break
            name = f"{name} {w}".strip()
        return name
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def role(rng: random.Random) -> str:
    return rng.choice(LONG_ROLES) if rng.random() < 0.05 else rng.choice(ROLES)


def school_name(rng: random.Random, nation: str) -> str:
    name = rng.choice(SCHOOLS[nation])
    if rng.random() < 0.03:  # a long joint-foundation name, up to 150 characters
        for part in rng.sample(LONG_SCHOOL_PARTS, len(LONG_SCHOOL_PARTS)):
            if len(name) + len(part) + 1 > SCHOOL_MAX:
                break
            name = f"{part} {name}"
    return name


def language(rng: random.Random, nation: str) -> str:
    """Schools in Wales choose Welsh, both, or leave the column blank (English)."""
    if nation != "wales":
        return ""
    return rng.choices(["cy", "bilingual", ""], weights=[35, 35, 30])[0]


def write_schools_csv(path: Path, count: int, seed: int = 2026) -> dict:
    """``count`` school rows as a local authority would export them (Excel's CSV UTF-8, with BOM)."""
    rng = random.Random(seed)
    header = ["id", "name", "nation", "language", "role_name", "checked_on", "dsl_name", "dsl_role", "dsl_photo",
              "dsl_phone", "dsl_location", "council_name", "council_phone", "council_hours", "council_out_of_hours",
              "partnership_web"]
    for i in range(1, MAX_DEPUTIES + 1):
        header += [f"deputy{i}_{f}" for f in ("name", "role", "photo", "phone", "location")]
    stats = {"deputies": 0, "people": 0, "photos": 0, "long_names": 0, "long_roles": 0, "long_schools": 0,
             "sizes": [0] * (MAX_DEPUTIES + 1), "languages": {}}
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in range(1, count + 1):
            nation = rng.choices(list(SCHOOLS), weights=[55, 25, 10, 10])[0]
            name = school_name(rng, nation)
            lang = language(rng, nation)
            deputies = rng.randint(0, MAX_DEPUTIES)
            stats["deputies"] += deputies
            stats["people"] += deputies + 1
            stats["sizes"][deputies] += 1
            stats["languages"][lang or "(blank)"] = stats["languages"].get(lang or "(blank)", 0) + 1
            stats["long_schools"] += len(name) > 100

            def cells(lead: bool) -> list[str]:
                who, what = person_name(rng), role(rng) if lead or rng.random() < 0.8 else ""
                photo = rng.random() < PHOTO_SHARE
                stats["photos"] += photo
                stats["long_names"] += len(who) > 40
                stats["long_roles"] += len(what) > 50
                return [who, what, rng.choice(PHOTOS) if photo else "",
                        drama_number(rng) if lead or rng.random() < 0.5 else "",
                        rng.choice(PLACES) if rng.random() < 0.5 else ""]

            council = rng.choice(COUNCILS[nation])
            values = [f"{slug(name)}-{row:04d}", name, nation, lang,
                      "Child Protection Coordinator" if nation == "scotland" else "",
                      (TODAY - dt.timedelta(days=rng.randrange(300))).isoformat()]
            values += cells(True)
            values += [council, drama_number(rng), rng.choice(HOURS), drama_number(rng),
                       f"https://safeguarding.example.org.uk/{slug(council)}" if rng.random() < 0.5 else ""]
            for i in range(MAX_DEPUTIES):
                values += cells(False) if i < deputies else [""] * 5
            w.writerow(values)
    return stats


def arrangements(man: dict) -> list[str]:
    """How often each arrangement was chosen, per layout and box, from the manifest's "fit"."""
    counts: dict[str, dict[str, int]] = {}
    for f in man.get("files", []):
        if f.get("finish") != "office" or f.get("variant") != "single":
            continue
        for where, chosen in (f.get("fit") or {}).items():
            c = counts.setdefault(f"{f['layout']} {where}", {})
            c[chosen] = c.get(chosen, 0) + 1
    out = []
    for key in sorted(counts):
        total = sum(counts[key].values())
        parts = ", ".join(f"{name} {n} ({n / total:.0%})" for name, n in
                          sorted(counts[key].items(), key=lambda kv: -kv[1]))
        out.append(f"     {key}: {parts}")
    return out


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants (the pool workers)."""

    def __init__(self, pid: int, skip_root: bool, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.skip_root, self.interval = pid, skip_root, interval
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.done = threading.Event()

    def tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            pids.append(p)
            try:
                todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
            except (OSError, ValueError):
                pass
        return pids[1:] if self.skip_root else pids

    @staticmethod
    def kb(path: str, field: str) -> int:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def run(self) -> None:
        while not self.done.is_set():
            pids = self.tree()
            rss = sum(self.kb(f"/proc/{p}/status", "VmRSS") for p in pids)
            pss = sum(self.kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.done.wait(self.interval)


def gnu_time() -> str | None:
    """GNU time, if installed: its max RSS is the measured command's own (see run_measured)."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path is None:
        return None
    try:
        r = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
        int(r.stderr.strip().splitlines()[-1])
        return path
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


GNU_TIME = gnu_time()


def run_measured(cmd: list[str], sample: bool = False) -> dict:
    """Run a command; wall time, CPU time of the whole process tree, and its largest process's max RSS.

    The max RSS comes from GNU time when it is there. Without it, it comes from our own wait4, which
    is biased: the child is forked from this (large) benchmark process and Linux carries the
    pre-exec high-water mark over into ru_maxrss, so small commands read as big as we are.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        wrapped = [GNU_TIME, "-f", "%M", "-o", tf.name, *cmd] if GNU_TIME else cmd
        t = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=PROJECT, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid, skip_root=GNU_TIME is not None) if sample else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.done.set()
            sampler.join()
        maxrss = usage.ru_maxrss
        if GNU_TIME:
            try:
                maxrss = int(Path(tf.name).read_text().strip().splitlines()[-1])
            except (OSError, ValueError, IndexError):
                pass
        out.seek(0)
        err.seek(0)
        return {"code": proc.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": maxrss,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace"),
                "sampler": sampler, "load": loadavg().split()[0]}


def batch(count: int, jobs: int) -> tuple[list[str], list[str]]:
    check_drama_ranges()
    out = [f"2. Schools: {count:,} generated profiles, full sets, `generate.py build --schools FILE "
           f"--finish F --jobs {jobs}` (wall time of the whole command)"]
    mem: list[str] = []
    ideal: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cseprint-bench-") as tmp:
        csv_path = Path(tmp) / "schools.csv"
        stats = write_schools_csv(csv_path, count)
        out.append(f"   {csv_path.name}: {count:,} rows, {csv_path.stat().st_size:,} bytes; {stats['people']:,} people "
                   f"({stats['deputies']:,} deputies, 0-{MAX_DEPUTIES} a school), {stats['photos']:,} with a photo "
                   f"({stats['photos'] / stats['people']:.0%})")
        out.append(f"   team sizes 0-{MAX_DEPUTIES}: {' '.join(str(n) for n in stats['sizes'])} schools; names over 40 "
                   f"characters: {stats['long_names']} (up to {NAME_MAX}, 35-letter surnames among them); roles "
                   f"over 50: {stats['long_roles']} (up to {ROLE_MAX}); school names over 100: "
                   f"{stats['long_schools']} (up to {SCHOOL_MAX})")
        out.append("   language column: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["languages"].items())))
        out.append(f"   {'finish':<8}{'exit':>5}{'built':>7}{'PDFs':>7}{'packs':>7}{'wall s':>8}{'schools/s':>10}"
                   f"{'s/1,000':>9}{'CPU s':>7}{'CPU ms/school':>14}{'load':>6}  target: 1,000 in < "
                   f"{TARGET_SECONDS_PER_1000:g} s")
        chosen: list[str] = []
        for finish in ("office", "both"):
            dest = Path(tmp) / f"out-{finish}"
            cmd = [sys.executable, str(GENERATE), "build", "--schools", str(csv_path), "--out", str(dest),
                   "--finish", finish, "--jobs", str(jobs), "--today", TODAY.isoformat()]
            r = run_measured(cmd, sample=True)
            pdfs = packs = built = 0
            try:
                man = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
                pdfs, packs = len(man["files"]), len(man["packs"])
                built = len(man["schools"]["built"])
                if finish == "office":
                    chosen = arrangements(man)
                if sum(1 for _ in dest.rglob("*.pdf")) != pdfs:
                    out.append(f"   warning: {dest.name} holds a different number of PDFs than its manifest lists")
            except (OSError, ValueError, KeyError):
                pass
            per_1000 = r["wall"] / max(built, 1) * 1000
            ok = r["code"] == 0 and built == count
            verdict = ("PASS" if per_1000 < TARGET_SECONDS_PER_1000 else "FAIL") if ok else "FAIL (see below)"
            out.append(f"   {finish:<8}{r['code']:>5}{built:>7,}{pdfs:>7,}{packs:>7,}{r['wall']:>8.1f}"
                       f"{built / r['wall']:>10.1f}{per_1000:>9.1f}{r['cpu']:>7.1f}"
                       f"{r['cpu'] / max(built, 1) * 1000:>14.1f}{r['load']:>6}  {verdict}")
            if not ok:
                tail = (r["stderr"].strip().splitlines() or ["(no output)"])[-12:]
                out += [f"     | {line}" for line in tail]
            ideal.append(f"{finish} {r['cpu'] / jobs / max(built, 1) * 1000:.0f} s")
            s = r["sampler"]
            mem.append(f"   {'batch, --finish ' + finish:<40}{r['maxrss_kb'] / 1024:>8.0f} MB{s.peak_rss / 1024:>9.0f} MB"
                       f"{s.peak_pss / 1024:>9.0f} MB{s.peak_procs:>7}")
    out.append("   arrangements chosen (office files; the manifest's \"fit\"):")
    out += chosen or ["     (none: the build failed)"]
    out.append(f"   CPU s: user + sys of the whole process tree. If the {jobs} cores were the build's alone and the "
               f"work\n   split perfectly, 1,000 schools would take CPU s / {jobs}: {', '.join(ideal)} (a lower "
               "bound;\n   look at it when the load average shows other work on the machine).")
    return out, mem


# --- 3. cold start --------------------------------------------------------------------------------

def cold_start(runs: int) -> tuple[list[str], list[str]]:
    rows: list[tuple[str, str, dict]] = []
    mem: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cseprint-bench-") as tmp:
        cases = [
            ("python -c pass (the interpreter alone)", "python -c pass", [sys.executable, "-c", "pass"]),
            ("python -c 'import cseprint.cli'", "import cseprint.cli", [sys.executable, "-c", "import cseprint.cli"]),
            ("generate.py build --layout poster-a4 --finish office", "one poster, generate.py build",
             [sys.executable, str(GENERATE), "build", "--layout", "poster-a4", "--finish", "office",
              "--out", str(Path(tmp) / "out"), "--today", TODAY.isoformat()]),
        ]
        for name, short, cmd in cases:
            results = [run_measured(cmd) for _ in range(runs)]
            bad = [r for r in results if r["code"] != 0]
            if bad:
                raise SystemExit(f"bench: {name} failed (exit {bad[0]['code']}):\n{bad[0]['stderr']}")
            rows.append((name, short, {"wall": statistics.median(r["wall"] for r in results),
                                "min": min(r["wall"] for r in results),
                                "maxrss_kb": max(r["maxrss_kb"] for r in results)}))
    out = [f"3. Cold start: a fresh process each time, median of {runs} (cwd = project)",
           f"   {'':<56}{'median ms':>10}{'min ms':>8}"]
    out += [f"   {name:<56}{r['wall'] * 1000:>10.0f}{r['min'] * 1000:>8.0f}" for name, _, r in rows]
    mem += [f"   {short:<40}{r['maxrss_kb'] / 1024:>8.0f} MB" for _, short, r in rows]
    return out, mem


# --- main -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posters", type=int, default=200, help="posters per contender in part 1 (default: 200)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds in part 1 (default: 5)")
    ap.add_argument("--schools", type=int, default=1000, help="school rows in part 2 (default: 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for part 2 (default: 2)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each cold start in part 3 (default: 5)")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    print(f"cseprint benchmark, {dt.datetime.now().isoformat(timespec='seconds')}; builds dated {TODAY} "
          "(the content edition's date)")
    for line in machine():
        print(line)
    print(flush=True)

    lines, _ = per_poster(args.posters, args.rounds)
    print("\n".join(lines) + "\n", flush=True)

    lines, batch_mem = batch(args.schools, args.jobs)
    print("\n".join(lines) + "\n", flush=True)

    lines, cold_mem = cold_start(args.runs)
    print("\n".join(lines) + "\n", flush=True)

    print("4. Peak memory")
    print(f"   {'':<40}{'max RSS':>11}{'tree RSS':>12}{'tree PSS':>12}{'procs':>7}")
    print("\n".join(batch_mem + cold_mem))
    how = ("GNU time's %M" if GNU_TIME else
           "our wait4 ru_maxrss, biased upwards by this process's own size (no GNU time found)")
    print(f"   max RSS: the largest single process of the command's tree ({how}; the pool workers are\n"
          "   in the tree, but it is the peak of one process, not a sum). tree RSS / PSS: the peak of the\n"
          "   sum over generate.py and its workers, sampled every 0.1 s from /proc; RSS counts the pages the\n"
          "   forked workers share with their parent once per process, PSS splits them, so PSS is the\n"
          "   truer total.")
    print(f"\nload average at end: {loadavg()}; whole benchmark took {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
