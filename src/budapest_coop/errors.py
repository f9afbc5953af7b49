"""Errors a trainee can meet in a notebook cell, shown as one clear line.

IPython calls ``_render_traceback_`` when it displays an exception: these errors show their
message (what is wrong and how to write it instead) without a page of traceback.
"""

from __future__ import annotations


class TraineeError(Exception):
    """An error whose message says everything a trainee needs; notebooks show no traceback."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class NotCovered(TraineeError, KeyError):
    """A provision the course does not cover (``cite("2")``)."""
