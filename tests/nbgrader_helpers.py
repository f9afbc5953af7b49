"""Building temporary nbgrader courses and submissions for the round-trip tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "preservation_request"
ANSWER_CELL = "draft_request"

# Temporary courses use the repository's own configuration, plus a cell timeout for tests.
CONFIG = (REPO / "nbgrader_config.py").read_text() + "\nc.ExecutePreprocessor.timeout = 60\n"

# A draft that satisfies (a), (b), (e), (f) but lists the IP without port or time zone,
# puts the window in the wrong zone and forgets the custodian.
PARTIAL_ANSWER = '''request = {
    "date": "2026-03-05",
    "reference": "AL-CYB-2026-0305",
    "requested_party": "Borea",
    "requesting_authority": {"organisation": "Aland National Cybercrime Unit", "person": "Insp. Reyl",
                             "phone": "+99 555 0147", "email": "247desk@police.aland.example"},
    "offence": "Illegal access",
    "legal_provisions": "Aland Criminal Code s. 241",
    "summary_of_facts": "An intruder logged in to a company gateway with a stolen password and copied the customer database.",
    "data_items": [{"category": "traffic", "identifier": "192.0.2.77",
                    "start": "2026-03-03T19:14:05", "end": "2026-03-03T19:52:41",
                    "relation": "The intruder's connection."}],
    "necessity": "The provider keeps NAT logs for 4 days.",
    "mla_follow_up": "A mutual legal assistance request will follow.",
}
'''


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run an nbgrader command in ``cwd``; fail the test with nbgrader's output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def make_course(tmp: Path, assignment: str = ASSIGNMENT) -> Path:
    """A fresh nbgrader course in ``tmp`` whose source is a copy of this repo's solutions/<assignment>."""
    course = tmp / "course"
    shutil.copytree(REPO / "solutions" / assignment, course / "solutions" / assignment)
    (course / "nbgrader_config.py").write_text(CONFIG)
    return course


def solution_answer(assignment: str = ASSIGNMENT, answer_cell: str = ANSWER_CELL) -> str:
    """The solution cell's source with the markers and the skeleton removed."""
    nb = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == answer_cell)
    match = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.DOTALL)
    return match.group(1)


def submit(
    course: Path,
    student: str,
    answer: str | None,
    assignment: str = ASSIGNMENT,
    answer_cell: str = ANSWER_CELL,
) -> None:
    """Place a submission: the released notebook with its answer cell replaced (None = blank)."""
    released = course / "exercises" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(released, as_version=4)
    if answer is not None:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == answer_cell:
                cell.source = answer
    target = course / "submitted" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target / f"{assignment}.ipynb")


def autograde_submissions(
    tmp: Path, assignment: str, answers: dict[str, str | None], answer_cell: str = ANSWER_CELL
) -> dict[str, tuple[float, float, dict[str, float]]]:
    """Generate ``assignment`` in a fresh course, submit each answer (None = blank), autograde them in one run.

    Returns {student: (score, max_score, {grade_id: score})}.
    """
    from nbgrader.api import Gradebook

    course = make_course(tmp, assignment)
    nbgrader("generate_assignment", assignment, "--force", cwd=course)
    for student, answer in answers.items():
        submit(course, student, answer, assignment, answer_cell)
    nbgrader("autograde", assignment, "--force", cwd=course)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in answers:
            submission = gb.find_submission(assignment, student)
            cells = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            scores[student] = (submission.score, submission.max_score, cells)
    return scores
