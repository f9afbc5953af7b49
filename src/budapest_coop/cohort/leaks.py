"""Proof that no solution or hidden-test text reaches a file a trainee gets.

- A **released** notebook must contain no line that only the solution or hidden-test regions
  of the source contain (:func:`budapest_coop.course.protected_lines`, the repository's rule),
  and no region marker.
- A **feedback** file shows the trainee's own answer (which may rightly equal solution lines),
  so there the secret is the hidden tests: no line that only the hidden-test regions contain
  (unless the trainee wrote that very line in their answer), and no hidden-test marker.

Lines are compared whole (after stripping spaces), as the repository's leak check does; HTML is
compared on its text (tags removed, entities decoded).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import course as _course

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_MIN_LENGTH = 12  # shorter lines (brackets, 'request,') are too generic to count, as in course.py


@dataclass(frozen=True)
class LeakFound:
    """A secret line (or a marker) found in a file."""

    path: Path
    text: str

    def __str__(self) -> str:
        return f"{self.path}: contains {self.text[:70]!r}"


def secret_lines(source_folder: Path) -> set[str]:
    """Lines only the solution and hidden-test regions of the folder's notebooks contain."""
    secret: set[str] = set()
    for notebook in sorted(source_folder.glob("*.ipynb")):
        secret |= _course.protected_lines(notebook)
    return secret


def hidden_lines(source_folder: Path) -> set[str]:
    """Lines only the hidden-test regions of the folder's notebooks contain."""
    inside: set[str] = set()
    outside: set[str] = set()
    for notebook in sorted(source_folder.glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            source = cell.source + "\n"
            for match in _HIDDEN.finditer(source):
                inside.update(line.strip() for line in match.group(1).splitlines())
            outside.update(line.strip() for line in _HIDDEN.sub("", source).splitlines())
    return {line for line in inside - outside if len(line) >= _MIN_LENGTH and not line.startswith("#")}


def text_lines(path: Path) -> list[str]:
    """The stripped text lines a reader of the file sees (notebook sources and outputs; HTML text)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".ipynb":
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # not a notebook after all: read it as text
            return [line.strip() for line in raw.splitlines()]
        parts = []
        for cell in nb.cells:
            parts.append(cell.source)
            for output in cell.get("outputs", []):
                parts.append(str(output.get("text", "")))
                parts.extend(str(v) for v in output.get("data", {}).values())
                parts.extend(output.get("traceback", []))
        raw = "\n".join(parts)
    elif path.suffix.lower() in (".html", ".htm"):
        raw = html.unescape(_TAG.sub("", raw))
    return [line.strip() for line in raw.splitlines()]


def find_leaks(
    path: Path, secret: set[str], *, markers: tuple[str, ...] = MARKERS, allowed: set[str] | None = None
) -> list[LeakFound]:
    """Secret lines (except ``allowed`` ones) and markers that a reader of ``path`` would see."""
    lines = text_lines(path)
    found = [LeakFound(path, line) for line in sorted(set(lines) & (secret - (allowed or set())))]
    text = "\n".join(lines)
    found += [LeakFound(path, marker) for marker in markers if marker in text]
    return found


def answer_lines(notebook: Path) -> set[str]:
    """Stripped lines of the answer (solution) cells of a submitted or autograded notebook."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return set()
    return {
        line.strip()
        for cell in nb.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        for line in cell.source.splitlines()
    }


__all__ = ["HIDDEN_MARKERS", "MARKERS", "LeakFound", "answer_lines", "find_leaks", "hidden_lines", "secret_lines", "text_lines"]
