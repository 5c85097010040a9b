#!/usr/bin/env python3
"""Benchmark of a very long list, run by hand: ``python bench/long_list.py`` (never by the tests).

The A4 poster's signs list given 400 items (and 100, 200, 800 for the trend),
checked as ``generate.py check --layout poster-a4`` does: load, validate,
compose, preflight. Such a list cannot fit, so the check refuses it; what is
measured is how long it takes to say so. Before issue 11 the column balancing
tried every split of the items, and 400 items took 125 s. Target: under 1 s.

It also times the two steps that used to grow faster than the list: the
column balancing (``compose.balance``) and the overlap check
(``preflight._overlaps``), on the composed poster. It writes nothing into the
project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(PROJECT), str(BENCH)]

import yaml  # noqa: E402
from run import TODAY, loadavg, machine  # noqa: E402

from cseprint import preflight  # noqa: E402
from cseprint.build import Options, plan  # noqa: E402
from cseprint.compose import balance  # noqa: E402
from cseprint.errors import InputError  # noqa: E402

TARGET_SECONDS = 1.0


def letters(i: int) -> str:
    """aaa, aab, ...: a tag for each item that no check takes for a phone number."""
    abc = "abcdefghijklmnopqrstuvwxyz"
    return abc[i // 676 % 26] + abc[i // 26 % 26] + abc[i % 26]


def with_items(root: Path, n: int) -> Path:
    content = root / f"content-{n}"
    shutil.copytree(PROJECT / "content", content)
    signs = content / "en-GB" / "signs.yaml"
    data = yaml.safe_load(signs.read_text(encoding="utf-8"))
    base = data["items"]
    data["items"] = [{**base[i % len(base)], "id": f"sign-{letters(i)}",
                      "label": f"{base[i % len(base)]['label']} ({letters(i)})"} for i in range(n)]
    signs.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, nargs="+", default=[100, 200, 400, 800])
    ap.add_argument("--runs", type=int, default=3, help="best of this many (default 3)")
    args = ap.parse_args()
    print("\n".join(machine()))
    print(f"\nThe A4 poster's signs list with N items, checked (load, validate, compose, preflight); best of "
          f"{args.runs}.   target: 400 items in < {TARGET_SECONDS:g} s")
    print(f"   {'N':>5}{'check s':>10}{'CPU s':>8}{'balance ms':>12}{'overlaps ms':>13}  result")
    with tempfile.TemporaryDirectory(prefix="cseprint-list-") as tmp:
        for n in args.items:
            content = with_items(Path(tmp), n)
            opts = Options(content=content, layouts=PROJECT / "layouts", fonts=PROJECT / "fonts",
                           out=Path(tmp) / "out", names=["poster-a4"], finish="office",
                           today=dt.date.fromisoformat(TODAY.isoformat()))
            best = cpu = float("inf")
            result = ""
            for _ in range(args.runs):
                t, c = time.perf_counter(), time.process_time()
                try:
                    plan(opts)
                    result = "accepted"
                except InputError as exc:
                    fit = [p for p in exc.problems if "does not fit" in p.message]
                    result = f"refused: {len(exc.problems)} problems" + (", the list does not fit" if fit else "")
                best = min(best, time.perf_counter() - t)
                cpu = min(cpu, time.process_time() - c)
            heights = [10.0 + (i * 7919 % 13) * 1.37 for i in range(n)]
            t = time.perf_counter()
            balance(heights, 5.669, 2)
            bal = time.perf_counter() - t
            ov = overlaps_time(opts)
            verdict = ("PASS" if best < TARGET_SECONDS else "FAIL") if n == 400 else ""
            print(f"   {n:>5}{best:>10.3f}{cpu:>8.3f}{bal * 1000:>12.1f}{ov * 1000:>13.1f}  {result} {verdict}")
    print(f"load average at the end: {loadavg()}")
    return 0


def overlaps_time(opts: Options) -> float:
    """The overlap check on the composed poster (composed again here, without preflight)."""
    from cseprint.build import load
    from cseprint.compose import OFFICE, compose
    from cseprint.fonts import FontBook

    content, styles, layouts = load(opts)
    doc = compose(layouts["poster-a4"], styles, content, FontBook(styles, opts.fonts), "en-GB", OFFICE)[0]
    t = time.perf_counter()
    for page in doc.pages:
        preflight._overlaps(doc, page, {r.box: r for r in page.boxes})
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())
