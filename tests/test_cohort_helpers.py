"""Shared builders for the cohort tests (no tests here): cohorts, rosters, submissions, Moodle zips."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat

from nbgrader_helpers import ANSWER_CELL, ASSIGNMENT, PARTIAL_ANSWER, solution_answer

ROSTER = """id,first_name,last_name,email
alice,Alice,Adams,alice.adams@police.aland.example
bob,Bob,Brown,bob.brown@police.aland.example
carla,Carla,Castro,carla.castro@police.aland.example
dan,Dan,Dorsey,dan.dorsey@police.aland.example
"""

# A library that prints a warning on stderr each time the checker reads the draft (through .get):
# every test cell then has stderr output, which would cost every point under plain nbgrader.
NOISY_SUFFIX = '''
import warnings


class _LibraryRecord(dict):
    def get(self, *args, **kwargs):
        warnings.warn("this record type is deprecated; use a plain dict", UserWarning, stacklevel=2)
        return super().get(*args, **kwargs)


warnings.simplefilter("always")
request = _LibraryRecord(request)
'''


def released_cohort(tmp: Path):
    """A new cohort in ``tmp`` with the four-trainee roster and the preservation exercise released."""
    from budapest_coop import cohort

    made = cohort.new_cohort(tmp / "cohort")
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    cohort.add_roster(made, tmp / "roster.csv")
    cohort.release(made, [ASSIGNMENT])
    return made


def full() -> str:
    """The solution's draft."""
    return solution_answer()


def partial() -> str:
    """A draft that earns 7 of 14 points (see test_exercise_roundtrip)."""
    return PARTIAL_ANSWER


def noisy_full() -> str:
    """The solution's draft, read through a library that prints warnings to stderr."""
    return solution_answer() + NOISY_SUFFIX


def submission(cohort_root: Path, answer: str | None) -> nbformat.NotebookNode:
    """The released notebook with its answer cell replaced (None: left as released)."""
    nb = nbformat.read(cohort_root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    if answer is not None:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == ANSWER_CELL:
                cell.source = answer
    return nb


def write_folder(folder: Path, cohort_root: Path, answers: dict[str, str | None]) -> Path:
    """A folder tree of submissions: ``folder/<key>/preservation_request.ipynb`` for each key."""
    for key, answer in answers.items():
        target = folder / key
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission(cohort_root, answer), target / f"{ASSIGNMENT}.ipynb")
    return folder


def write_moodle_zip(path: Path, cohort_root: Path, answers: dict[str, str | None], extra: dict[str, bytes] | None = None) -> Path:
    """A zip as Moodle's 'Download all submissions' makes it: ``Full Name_<id>_assignsubmission_file_/file``."""
    with zipfile.ZipFile(path, "w") as zf:
        for i, (name, answer) in enumerate(answers.items()):
            folder = f"{name}_{480100 + i}_assignsubmission_file_"
            zf.writestr(f"{folder}/{ASSIGNMENT}.ipynb", nbformat.writes(submission(cohort_root, answer)))
        for entry, data in (extra or {}).items():
            zf.writestr(entry, data)
    return path


def cell_scores(cohort_root: Path) -> dict[tuple[str, str], float | None]:
    """(trainee, grade cell) -> score, from the cohort's gradebook."""
    from nbgrader.api import Gradebook, SubmittedAssignment

    out = {}
    with Gradebook(f"sqlite:///{cohort_root / 'gradebook.db'}") as gb:
        for sub in gb.db.query(SubmittedAssignment).all():
            for nb in sub.notebooks:
                for grade in nb.grades:
                    out[(sub.student.id, grade.name)] = grade.score
    return out


def totals(cohort_root: Path) -> dict[str, float]:
    """trainee -> total score of the assignment, from the cohort's gradebook."""
    from nbgrader.api import Gradebook, SubmittedAssignment

    with Gradebook(f"sqlite:///{cohort_root / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.db.query(SubmittedAssignment).all()}
