"""Progress of a long run: a bar with counts and ETA on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Reports ``done/total``, counts per outcome and the estimated time left.

    On a terminal one line is redrawn in place (``tick`` keeps the clock moving); elsewhere
    (a log file, CI) each finished item is one plain line, so nothing relies on ``\\r``.
    """

    def __init__(self, stream: TextIO | None = None, *, label: str = "grading", tty: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = 0
        self.done = 0
        self.counts: Counter[str] = Counter()
        self._started = time.monotonic()
        self._drawn = False

    def start(self, total: int, message: str = "") -> None:
        """Begin a run of ``total`` items."""
        self.total = total
        self._started = time.monotonic()
        if message:
            self._line(message)
        if self.tty:
            self._draw()

    def _eta(self) -> str:
        if not self.done:
            return "ETA --:--"
        elapsed = time.monotonic() - self._started
        return f"ETA {_clock(elapsed / self.done * (self.total - self.done))}"

    def _counts(self) -> str:
        return ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(self.counts.items()))

    def _draw(self) -> None:
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        counts = self._counts()
        text = f"\r{self.label} [{bar}] {self.done}/{self.total} {self._eta()}" + (f"  ({counts})" if counts else "")
        self.stream.write(text.ljust(100))
        self.stream.flush()
        self._drawn = True

    def _line(self, text: str) -> None:
        if self.tty and self._drawn:
            self.stream.write("\r" + " " * 100 + "\r")
        self.stream.write(text + "\n")
        self.stream.flush()

    def advance(self, outcome: str, detail: str) -> None:
        """One item finished with ``outcome`` (e.g. ``graded``); ``detail`` describes it."""
        self.done += 1
        self.counts[outcome] += 1
        if self.tty:
            if outcome != "graded":
                self._line(f"  {detail}")
            self._draw()
        else:
            self._line(f"[{self.done}/{self.total}] {detail} ({self._eta()})")

    def tick(self) -> None:
        """Redraw the bar (on a terminal) so that the clock moves while items run."""
        if self.tty and self.total:
            self._draw()

    def finish(self) -> None:
        """End the run (moves past the bar on a terminal)."""
        if self.tty and self._drawn:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


__all__ = ["Progress"]
