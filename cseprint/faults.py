"""Fault injection, for the reliability tests only: stop this process at a named point.

The tests set ``CSEPRINT_FAULT`` and run a real build in a subprocess; at the
named point the process kills itself with SIGKILL (nothing runs after it, no
``finally``, no flush: what a power cut or ``kill -9`` leaves), interrupts
itself (SIGINT, as Ctrl-C does), hangs, or meets an I/O error (``eio``: an
``OSError`` raised there, as a failing disk or a yanked USB stick would). The
format is::

    CSEPRINT_FAULT=<point>[#<n>][@kill|int|hang|eio]

``#n`` picks the n-th time the point is reached (default the first), and the
action defaults to ``kill``. Unset, each call is one dictionary look-up.
The points are listed in ``POINTS``; the tests walk through all of them.
"""

from __future__ import annotations

import errno
import os
import signal
import time

ENV = "CSEPRINT_FAULT"

POINTS = (
    # outfolder.write_atomically and commit, in the order a build reaches them
    "stage-made",  # the staging folder exists and is empty; the commit has not begun
    "staged",  # every file is in the staging folder; the commit has not begun
    "journal-written",  # the journal is written inside the staging folder, not yet moved into the output
    "journal",  # the journal is in the output folder: the commit point
    "placed",  # after each file moved into place (use #n)
    "removed",  # after each stale file removed (use #n)
    "manifest",  # the new manifest is in place; the journal is still there
    "journal-removed",  # the journal is gone; the staging folder is not yet
    # outfolder.recover, completing an interrupted commit
    "recover-placed",
    # batch
    "school",  # a worker starts a school (use school/<id> to pick one)
    "batch-staged",  # every school is built into the staging folder
)

_seen: dict[str, int] = {}


def fault(point: str) -> None:
    """Stop here if the tests asked for it (see the module's docstring)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    action = "kill"
    if "@" in spec:
        spec, action = spec.rsplit("@", 1)
    want, nth = spec, 1
    if "#" in spec:
        want, n = spec.rsplit("#", 1)
        nth = int(n)
    if want != point:
        return
    _seen[point] = _seen.get(point, 0) + 1
    if _seen[point] != nth:
        return
    if action == "eio":
        raise OSError(errno.EIO, "Input/output error", f"fault injected at {point}")
    if action == "hang":
        while True:
            time.sleep(60)
    os.kill(os.getpid(), signal.SIGINT if action == "int" else signal.SIGKILL)
    if action == "kill":  # SIGKILL is delivered before kill() returns; never go on regardless
        os._exit(137)
