"""The repository as an nbgrader course: exercises are generated, identical, and leak nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from budapest_coop import course

REPO = Path(__file__).resolve().parents[1]


def test_exercises_match_a_fresh_generation():
    """Regenerating exercises/ from solutions/ changes nothing (byte for byte)."""
    assert course.drift(REPO) == []


def test_exercises_leak_no_solution_or_hidden_test():
    """No marker, solution line or hidden-test line of solutions/ appears in exercises/."""
    assert course.leaks(REPO) == []


@pytest.mark.parametrize("assignment", course.assignments(REPO))
def test_validate_passes_on_solution_and_fails_on_release(assignment):
    """`nbgrader validate` passes the solution; `--invert` confirms no test passes on the release."""
    from nbgrader_helpers import nbgrader

    solution = REPO / "solutions" / assignment / f"{assignment}.ipynb"
    release = REPO / "exercises" / assignment / f"{assignment}.ipynb"
    out = nbgrader("validate", str(solution), cwd=REPO).stdout
    assert "Success! Your notebook passes all the tests." in out, out
    out = nbgrader("validate", "--invert", str(release), cwd=REPO).stdout
    assert "Success! The notebook does not pass any tests." in out, out


def test_every_solution_has_a_release():
    """Each assignment in solutions/ has its generated folder in exercises/."""
    for name in course.assignments(REPO):
        assert (REPO / "exercises" / name).is_dir(), name


@pytest.fixture()
def copy_of_course(tmp_path):
    """A scratch copy of the course (config, solutions, exercises)."""
    for name in ("nbgrader_config.py",):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("solutions", "exercises"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def _release(root: Path) -> Path:
    return root / "exercises" / "preservation_request" / "preservation_request.ipynb"


def test_leak_check_catches_a_pasted_solution_line(copy_of_course):
    """A solution line copied into a release is reported (the check can fail)."""
    path = _release(copy_of_course)
    nb = nbformat.read(path, as_version=4)
    nb.cells[-2].source += '\n    "custodian": "Borealink Mobile (mobile.borea.example)",'
    nbformat.write(nb, path)
    leaks = course.leaks(copy_of_course)
    assert [leak.text for leak in leaks] == ['"custodian": "Borealink Mobile (mobile.borea.example)",']


def test_drift_check_catches_a_hand_edit(copy_of_course):
    """A release edited by hand is reported as differing from a fresh generation."""
    path = _release(copy_of_course)
    path.write_text(path.read_text().replace("Graded exercise", "Graded exercize"))
    problems = course.drift(copy_of_course)
    assert len(problems) == 1 and "differs" in problems[0].problem


def test_course_root_outside_a_course_is_a_clear_error(tmp_path):
    """Running the course tools outside the repository says what is missing."""
    with pytest.raises(course.CourseError, match="nbgrader_config.py"):
        course.course_root(tmp_path)


def test_cli_check_reports_ok(capsys):
    """`budapest-coop exercises check` exits 0 and says the release is up to date."""
    from budapest_coop.cli import main

    assert main(["exercises", "check", "--root", str(REPO)]) == 0
    assert "up to date" in capsys.readouterr().out
