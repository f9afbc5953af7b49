"""The graded exercise end to end with nbgrader: generate, submit, autograde, read the marks."""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from nbgrader_helpers import (
    ASSIGNMENT,
    PARTIAL_ANSWER,
    make_course,
    nbgrader,
    solution_answer,
    submit,
)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A temporary course with three autograded submissions: full, blank and partial."""
    course = make_course(tmp_path_factory.mktemp("roundtrip"))
    nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=course)
    submit(course, "full", solution_answer())
    submit(course, "blank", None)
    submit(course, "partial", PARTIAL_ANSWER)
    nbgrader("autograde", ASSIGNMENT, "--force", cwd=course)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in ("full", "blank", "partial"):
            submission = gb.find_submission(ASSIGNMENT, student)
            scores[student] = (submission.score, submission.max_score)
            scores[student + "_cells"] = {
                g.name: g.score for nb in submission.notebooks for g in nb.grades
            }
    return scores


def test_solution_gets_full_marks(graded):
    """The instructor's solution scores every point."""
    score, maximum = graded["full"]
    assert maximum == 14
    assert score == maximum, graded["full_cells"]


def test_blank_submission_gets_zero(graded):
    """The untouched release scores nothing."""
    assert graded["blank"][0] == 0, graded["blank_cells"]


def test_partial_draft_gets_partial_credit(graded):
    """A draft with some elements right earns exactly those points."""
    cells = graded["partial_cells"]
    earned = {name for name, score in cells.items() if score}
    assert earned == {
        "test_element_a", "test_element_b", "test_element_c", "test_element_e", "test_element_f",
        "test_narrow_window",
    }, cells
    assert graded["partial"][0] == 7
