"""Linear-time checks: list balancing and the overlap check, against the old all-pairs code.

The old code is kept here as the oracle: the new code must give the same
answers on small inputs (property tests), and its cost must grow with n, not
n^2 or n^(columns-1). Cost is counted, never timed: the Python lines each
function executes, traced, at n and at 2n.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cseprint import preflight
from cseprint.compose import balance
from cseprint.document import Document, Page, Rect, Run, TextLine


def brute_balance(heights: list[float], gap: float, cols: int) -> list[list[int]]:
    """The balancing this project shipped before: try every in-order split (verbatim)."""
    n = len(heights)
    if cols <= 1 or n <= 1:
        return [list(range(n))]
    best: tuple[float, list[list[int]]] | None = None

    def height(idxs: list[int]) -> float:
        return sum(heights[i] for i in idxs) + gap * max(0, len(idxs) - 1)

    def rec(start: int, left: int, acc: list[list[int]]) -> None:
        nonlocal best
        if left == 1:
            split = acc + [list(range(start, n))]
            worst = max(height(c) for c in split)
            if best is None or worst < best[0] - 1e-9:
                best = (worst, split)
            return
        for end in range(start, n + 1):
            rec(end, left - 1, acc + [list(range(start, end))])

    rec(0, cols, [])
    return best[1] if best else [list(range(n))]


def tallest(heights: list[float], gap: float, split: list[list[int]]) -> float:
    return max(sum(heights[i] for i in c) + gap * max(0, len(c) - 1) for c in split)


# heights in quarter points: every sum is exact in floating point, so ties are real ties
EXACT = st.lists(st.integers(0, 400).map(lambda q: q / 4), max_size=9)
ANY = st.lists(st.floats(0, 500, allow_nan=False, allow_infinity=False), max_size=8)


@settings(max_examples=400, database=None, deadline=None)
@given(EXACT, st.sampled_from([0.0, 0.5, 2.0, 5.75]), st.integers(1, 4))
def test_balance_gives_the_old_split_exactly(heights: list[float], gap: float, cols: int):
    assert balance(heights, gap, cols) == brute_balance(heights, gap, cols)


@settings(max_examples=300, database=None, deadline=None)
@given(ANY, st.floats(0, 20, allow_nan=False), st.integers(1, 4))
def test_balance_of_any_heights_has_the_old_tallest_column(heights: list[float], gap: float, cols: int):
    got = balance(heights, gap, cols)
    assert [i for c in got for i in c] == list(range(len(heights)))  # every item once, in order
    assert len(got) == (cols if len(heights) > 1 and cols > 1 else 1)
    old = brute_balance(heights, gap, cols)
    assert abs(tallest(heights, gap, got) - tallest(heights, gap, old)) <= 1e-9 * max(1.0, sum(heights))


def lines_executed(fn: Callable[[], object], filename: str) -> int:
    """How many Python lines of ``filename`` run during fn(): a cost that does not depend on the machine."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename == filename else None

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def growth(cost: Callable[[int], int], n: int) -> float:
    return cost(2 * n) / cost(n)


def test_balancing_cost_grows_linearly():
    import cseprint.compose.boxes as boxes

    def cost(n: int) -> int:
        heights = [10.0 + (i * 7919 % 13) * 1.37 for i in range(n)]  # uneven, like typeset items
        return lines_executed(lambda: balance(heights, 5.669, 3), boxes.__file__)

    # twice the items: about twice the work (the search takes one more step per doubling of the total
    # height); trying every split of 3 columns would be 8 times the work
    assert growth(cost, 200) < 2.3
    assert growth(cost, 400) < 2.3


# --- the overlap check -----------------------------------------------------------------------

def page_of(rows: list[tuple[str, float, float, float, float]]) -> Page:
    """A page of text lines (box, x, y, width, size); only what the overlap check reads."""
    trim = Rect(0, 0, 600, 850)
    page = Page("p", 600, 850, trim, trim, trim)
    for i, (box, x, y, w, size) in enumerate(rows):
        run = Run(x, f"line {i}", "F", size, "ink")
        page.lines.append(TextLine(y, (run,), box, f"k{i}", "body", Rect(x, y - 0.25 * size, w, 1.15 * size)))
    return page


DOC = Document("layout", "single", "office", "en-GB", "t", "s", "a", [], {"ink": (0, 0, 0, 1)}, {}, set(), 12.0,
               "poster", "layouts/layout.yaml")


def old_overlaps(page: Page) -> list[str]:
    """The overlap check this project shipped before (every line against each to its right)."""
    out, seen = [], set()
    lines = sorted(page.lines, key=lambda ln: ln.rect.x)
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if b.rect.x > a.rect.x1:
                break
            pair = (min(a.box, b.box), max(a.box, b.box))
            if a.box != b.box and pair not in seen and preflight._ink(a).overlaps(preflight._ink(b), tol=0.5):
                seen.add(pair)
                out.append(f"{b.box}: '{b.text}' over {a.box} ('{a.text}')")
    return out


def new_overlaps(page: Page) -> list[str]:
    out = []
    for p in preflight._overlaps(DOC, page, {}):
        box = p.key.split("box ")[1].split(" ")[0]
        over = p.message.split("text of box ")[1]
        out.append(f"{box}: '{p.message.split(chr(39))[1]}' over {over.split(' ')[0]} ('{over.split(chr(39))[1]}')")
    return out


ROWS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 40).map(float),
                          st.integers(0, 60).map(float), st.integers(1, 30).map(float),
                          st.sampled_from([6.0, 10.0, 14.0])), max_size=25)


@settings(max_examples=400, database=None, deadline=None)
@given(ROWS)
def test_overlap_check_finds_what_the_old_one_found(rows):
    page = page_of(rows)
    assert new_overlaps(page) == old_overlaps(page)


def test_overlap_check_cost_grows_linearly():
    def cost(n: int) -> int:
        # one long column: every line shares its left edge, the old check's worst case
        page = page_of([("list", 30.0, 800.0 - 1.2 * i, 200.0, 1.0) for i in range(n)])
        return lines_executed(lambda: preflight._overlaps(DOC, page, {}), str(Path(preflight.__file__)))

    assert growth(cost, 400) < 2.3
    assert growth(cost, 800) < 2.3
