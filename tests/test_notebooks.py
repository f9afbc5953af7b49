"""Every course notebook follows the lesson template and is stored clean for review."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GRADED = sorted((REPO / "solutions").glob("*/*.ipynb")) + sorted((REPO / "exercises").glob("*/*.ipynb"))
OPENING = ("## Learning objectives", "## Time", "## Prerequisites")
CLOSING = ("## Key points", "## What's next")
FICTIONAL_IP = re.compile(r"\b(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}\b|2001:db8:", re.IGNORECASE)
ANY_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|io|ru|cn)\b", re.IGNORECASE)


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


def test_lessons_are_numbered_and_exist():
    """The course opens with 00_start_here and the preservation module is in place."""
    names = [p.name for p in LESSONS]
    assert names[0] == "00_start_here.ipynb"
    assert "02_expedited_preservation.ipynb" in names


@pytest.mark.parametrize("path", LESSONS + GRADED, ids=_ids(LESSONS + GRADED))
def test_lesson_template_headings(path):
    """The first cell opens with title, objectives, time and prerequisites; the last closes with key points and what's next."""
    nb = nbformat.read(path, as_version=4)
    first, last = nb.cells[0].source, nb.cells[-1].source
    assert first.startswith("# "), "the first cell must start with the title"
    positions = [first.find(h) for h in OPENING]
    assert -1 not in positions and positions == sorted(positions), f"opening headings {OPENING} in order"
    positions = [last.find(h) for h in CLOSING]
    assert -1 not in positions and positions == sorted(positions), f"closing headings {CLOSING} in order"


@pytest.mark.parametrize("path", LESSONS + GRADED, ids=_ids(LESSONS + GRADED))
def test_notebooks_are_stored_without_outputs(path):
    """Notebooks are committed clean: no outputs, no execution counts."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", LESSONS + GRADED, ids=_ids(LESSONS + GRADED))
def test_case_material_is_fictional(path):
    """IP addresses come from documentation ranges and no real-looking domain appears."""
    text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    for address in ANY_IPV4.findall(text):
        assert FICTIONAL_IP.match(address) or address.startswith(("10.", "192.168.", "127.")), address
    assert DOMAIN.findall(text) == []
