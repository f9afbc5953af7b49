"""source_docs/: the traceability table agrees with what the repository holds."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLE = (REPO / "source_docs" / "traceability.md").read_text(encoding="utf-8")
ROWS = [line for line in TABLE.splitlines() if re.match(r"^\| \d+ \|", line)]


def _target(cell: str) -> Path:
    notebook = re.search(r"`(notebooks/[^`]+\.ipynb)`", cell)
    if notebook:
        return REPO / notebook.group(1)
    exercise = re.search(r"exercises? `(\w+)`", cell)
    assert exercise, f"row names neither a notebook nor an exercise: {cell}"
    return REPO / "exercises" / exercise.group(1)


def test_every_deck_point_is_traced():
    """The table has one row per deck point (at least 40) with a status."""
    assert len(ROWS) >= 40
    assert all(row.rstrip().endswith(("| exists |", "| planned |")) for row in ROWS)


def test_status_matches_the_repository():
    """A row marked `exists` points at a module or exercise that exists, and `planned` at one that does not."""
    for row in ROWS:
        cells = [c.strip() for c in row.strip("|").split("|")]
        taught_in, status = cells[4], cells[5]
        assert _target(taught_in).exists() == (status == "exists"), row
