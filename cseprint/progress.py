"""Progress on long work: tqdm's bar on a terminal, a few plain lines in a log.

Why tqdm rather than our own drawing: it measures the terminal (and follows
it when the window is resized, so a narrow window gets a shorter bar rather
than wrapped lines), rate-limits redraws, and prints messages above the bar
without tearing it. When the output is not a terminal (a pipe, a log file, a
CI job) there is no bar at all, since carriage returns make a log unreadable;
long work (a batch) prints a plain line at every tenth instead.
"""

from __future__ import annotations

from typing import Any, TextIO


class Progress:
    """Counts ``total`` steps of ``unit`` (documents, schools) on ``stream`` (the real stderr)."""

    def __init__(self, total: int, unit: str, stream: TextIO, *, log_lines: bool = False):
        self.total, self.unit, self.stream, self.log_lines = total, unit, stream, log_lines
        self.done = 0
        self.bar: Any = None
        isatty = getattr(stream, "isatty", None)
        if total > 0 and isatty is not None and isatty():
            from tqdm import tqdm  # only here: importing it costs ~50 ms, and logs never need it

            self.bar = tqdm(total=total, unit=unit, file=stream, dynamic_ncols=True, leave=False,
                            mininterval=0.1, bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} {unit} "
                                                        "[{elapsed}<{remaining}]")

    def step(self, note: str = "") -> None:
        """One more step done; ``note`` names it on the bar (a file name), cut to fit by tqdm."""
        self.done += 1
        if self.bar is not None:
            if note:
                self.bar.set_description_str(note[-40:], refresh=False)
            self.bar.update(1)
        elif self.log_lines and (self.done == self.total or self.done % max(1, self.total // 10) == 0):
            print(f"{self.done}/{self.total} {self.unit} done", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
