"""Export: grades as nbgrader's CSV and as CSV files that Moodle and Canvas import.

Every file is written by an nbgrader export plugin (``nbgrader export --exporter=...`` works
with them too), from the one gradebook:

- ``grades.csv``: nbgrader's own ``CsvExportPlugin`` (one row per trainee and assignment);
- ``moodle_grades.csv``: one row per trainee; ``Email address`` identifies the trainee, then
  one column per grade item (Moodle: Grades > Import > CSV file; map "Email address" to the
  user's e-mail address, and each item column to its grade item);
- ``canvas_grades.csv``: Canvas's gradebook layout (``Student, ID, SIS User ID, SIS Login ID,
  Section``, a ``Points Possible`` row, one column per assignment); Canvas matches trainees by
  ``SIS User ID`` (the roster id) or ``SIS Login ID`` (the e-mail);
- ``grade_items.csv``: which assignment feeds which grade item, with its maximum points.

A grade item is named after the assignment (``preservation_request`` -> ``Preservation
request``) unless ``cohort.json`` gives another name (``export --item ID=NAME`` stores one).
A trainee with no graded submission gets an empty cell (the LMS leaves the grade alone), or 0
with ``missing="zero"``. The score is nbgrader's (points, minus any late penalty, not below 0),
or a percentage of the maximum with ``scale="percent"``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin, ExportPlugin
from traitlets import Dict, Enum

from . import _nbgrader
from .errors import CohortError
from .folder import EXPORTS, Cohort, nbgrader_config, open_cohort, save_grade_items


@dataclass(frozen=True)
class GradeItem:
    """An assignment as an LMS grade item."""

    assignment: str
    name: str
    max_points: float


@dataclass(frozen=True)
class ExportResult:
    """The files written and the assignment -> grade item mapping."""

    files: tuple[Path, ...]
    items: tuple[GradeItem, ...]
    scale: str = "points"

    def __str__(self) -> str:
        unit = "%" if self.scale == "percent" else "points"
        lines = ["wrote " + ", ".join(str(p) for p in self.files), "grade items (assignment -> column):"]
        lines += [
            f"  {i.assignment} -> '{i.name}' (max {100 if self.scale == 'percent' else i.max_points:g} {unit})"
            for i in self.items
        ]
        return "\n".join(lines)


class _CohortExportPlugin(ExportPlugin):
    """Common part of the LMS exporters: which column each assignment gets, and the score cell."""

    grade_items = Dict({}, help="Assignment id -> grade item (column) name.").tag(config=True)
    missing = Enum(["blank", "zero"], "blank", help="What a trainee with no graded submission gets.").tag(config=True)
    scale = Enum(["points", "percent"], "points", help="Points, or a percentage of the maximum.").tag(config=True)

    def _item(self, assignment: str) -> str:
        from .folder import default_grade_item

        return self.grade_items.get(assignment) or default_grade_item(assignment)

    def _assignments(self, gradebook: Gradebook):
        return [a for a in sorted(gradebook.assignments, key=lambda a: a.name)
                if not self.assignment or a.name in self.assignment]

    def _students(self, gradebook: Gradebook):
        return [s for s in sorted(gradebook.students, key=lambda s: ((s.last_name or "").lower(),
                                                                    (s.first_name or "").lower(), s.id))
                if not self.student or s.id in self.student]

    def _cell(self, gradebook: Gradebook, assignment, student) -> str:
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            return "0.00" if self.missing == "zero" else ""
        score = max(0.0, submission.score - (submission.late_submission_penalty or 0.0))
        if self.scale == "percent":
            score = 100.0 * score / assignment.max_score if assignment.max_score else 0.0
        return f"{score:.2f}"


class MoodleCsvExportPlugin(_CohortExportPlugin):
    """Grades as a CSV for Moodle's grade import: ``Email address`` plus one column per grade item."""

    def export(self, gradebook: Gradebook) -> None:
        assignments = self._assignments(gradebook)
        with open(self.to or "moodle_grades.csv", "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["Email address", "ID number", "First name", "Last name"]
                         + [self._item(a.name) for a in assignments])
            for s in self._students(gradebook):
                out.writerow([s.email or "", s.id, s.first_name or "", s.last_name or ""]
                             + [self._cell(gradebook, a, s) for a in assignments])


class CanvasCsvExportPlugin(_CohortExportPlugin):
    """Grades in Canvas's gradebook CSV layout (matched on SIS User ID = roster id, or SIS Login ID = e-mail)."""

    def export(self, gradebook: Gradebook) -> None:
        assignments = self._assignments(gradebook)
        with open(self.to or "canvas_grades.csv", "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
                         + [self._item(a.name) for a in assignments])
            out.writerow(["Points Possible", "", "", "", ""]
                         + [f"{100.0 if self.scale == 'percent' else a.max_score:.2f}" for a in assignments])
            for s in self._students(gradebook):
                name = ", ".join(p for p in (s.last_name, s.first_name) if p)
                out.writerow([name, "", s.id, s.email or "", ""]
                             + [self._cell(gradebook, a, s) for a in assignments])


def export(
    cohort: Cohort | Path | str,
    *,
    to: Path | str | None = None,
    items: dict[str, str] | None = None,
    missing: str = "blank",
    scale: str = "points",
) -> ExportResult:
    """Write the grade exports (default folder ``DIR/exports``); ``items`` renames grade items and is kept."""
    cohort = open_cohort(cohort)
    if missing not in ("blank", "zero"):
        raise CohortError(f"missing={missing!r}: use 'blank' (leave the LMS grade alone) or 'zero'")
    if scale not in ("points", "percent"):
        raise CohortError(f"scale={scale!r}: use 'points' or 'percent'")
    released = cohort.check_assignments(None)
    if items:
        unknown = sorted(set(items) - set(released))
        if unknown:
            raise CohortError(
                f"no released assignment {', '.join(map(repr, unknown))} to name; released: {', '.join(released)}"
            )
        empty = sorted(k for k, v in items.items() if not v.strip())
        if empty:
            raise CohortError(f"empty grade-item name for {', '.join(empty)}")
        cohort = save_grade_items(cohort, {k: v.strip() for k, v in items.items()})
    names = [cohort.grade_item(a) for a in released]
    if len(set(names)) != len(names):
        raise CohortError(f"two assignments share a grade-item name ({', '.join(names)}): rename one with --item ID=NAME")
    folder = Path(to).expanduser().resolve() if to else cohort.path(EXPORTS)
    folder.mkdir(parents=True, exist_ok=True)
    cfg = nbgrader_config(cohort)
    log = _nbgrader.quiet_logger()
    targets = {
        "grades.csv": CsvExportPlugin,
        "moodle_grades.csv": MoodleCsvExportPlugin,
        "canvas_grades.csv": CanvasCsvExportPlugin,
    }
    written = []
    with cohort.gradebook() as gb:
        for filename, plugin_class in targets.items():
            plugin = plugin_class(config=cfg, log=log)
            plugin.to = str(folder / filename)
            if isinstance(plugin, _CohortExportPlugin):
                plugin.grade_items = dict(cohort.grade_items)
                plugin.missing = missing
                plugin.scale = scale
            plugin.export(gb)
            written.append(folder / filename)
        grade_items = tuple(GradeItem(a.name, cohort.grade_item(a.name), float(a.max_score))
                            for a in sorted(gb.assignments, key=lambda a: a.name))
    with open(folder / "grade_items.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["assignment", "grade_item", "max_points", "scale", "moodle_column", "canvas_column"])
        for item in grade_items:
            out.writerow([item.assignment, item.name, f"{item.max_points:g}", scale, item.name, item.name])
    written.append(folder / "grade_items.csv")
    return ExportResult(tuple(written), grade_items, scale)


__all__ = ["CanvasCsvExportPlugin", "ExportResult", "GradeItem", "MoodleCsvExportPlugin", "export"]
