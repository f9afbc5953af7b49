"""A cohort end to end: new, roster, release, collect (folder and Moodle zip), grade, feedback, export, report."""

from __future__ import annotations

import csv
import hashlib
import json

import nbformat
import pytest

from budapest_coop import cohort
from budapest_coop.cohort import analytics
from budapest_coop.cohort.leaks import HIDDEN_MARKERS, hidden_lines, text_lines
from nbgrader_helpers import ASSIGNMENT, REPO
from test_cohort_helpers import (
    ROSTER,
    cell_scores,
    full,
    noisy_full,
    partial,
    totals,
    write_folder,
    write_moodle_zip,
)


def _digest(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A cohort of four trainees taken through every step once (folder and Moodle collect, two workers)."""
    tmp = tmp_path_factory.mktemp("cohort")
    c = cohort.new_cohort(tmp / "spring", course_id="spring")
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = cohort.add_roster(c, tmp / "roster.csv")
    roster_again = cohort.add_roster(c, tmp / "roster.csv")
    released = cohort.release(c, [ASSIGNMENT])
    folder = write_folder(tmp / "handed-in", c.root, {
        "alice": full(),                                # by id
        "Bob Brown": None,                              # by name: the untouched release
        "carla.castro@police.aland.example": partial(),  # by e-mail
        "Zed Nobody": full(),                           # nobody on the roster
    })
    by_folder = cohort.collect(c, folder)
    moodle = write_moodle_zip(tmp / "moodle.zip", c.root, {"Dan Dorsey": noisy_full(), "Eve Unknown": full()},
                              extra={"__MACOSX/._x": b"junk"})
    by_zip = cohort.collect(c, moodle, assignment=ASSIGNMENT)
    summary = cohort.grade(c, workers=2)
    scores = cell_scores(c.root)
    state_before = (c.root / ".cohort" / "grading.json").read_bytes()
    autograded_before = _digest(c.root / "autograded")
    again = cohort.grade(c, workers=2)
    cohort.add_comment(c, "carla", "Good structure. Check the time zone of the gateway's log.")
    fb = cohort.feedback(c)
    exported = cohort.export(c, items={ASSIGNMENT: "Article 29 preservation request"})
    return {
        "cohort": c, "tmp": tmp, "roster": roster, "roster_again": roster_again, "released": released,
        "by_folder": by_folder, "by_zip": by_zip, "summary": summary, "scores": scores, "again": again,
        "state_before": state_before, "autograded_before": autograded_before, "feedback": fb, "exported": exported,
    }


def test_roster_adds_every_trainee(run):
    """The roster puts four trainees with their names and e-mails in the gradebook."""
    people = {t.id: t for t in cohort.trainees(run["cohort"])}
    assert run["roster"].added == ("alice", "bob", "carla", "dan")
    assert people["carla"].email == "carla.castro@police.aland.example" and people["dan"].name == "Dan Dorsey"


def test_roster_readded_changes_nothing(run):
    """Adding the same roster again adds and updates nobody."""
    again = run["roster_again"]
    assert again.added == () and again.updated == () and len(again.unchanged) == 4


def test_release_matches_the_repository_exercise(run):
    """The cohort's release is byte for byte the repository's exercise, handed out as a folder and a zip."""
    c, released = run["cohort"], run["released"].released[0]
    ours = c.path("release", ASSIGNMENT, f"{ASSIGNMENT}.ipynb").read_bytes()
    assert ours == (REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    assert (released.destination / f"{ASSIGNMENT}.ipynb").is_file() and released.archive.is_file()
    with c.gradebook() as gb:
        assert gb.find_assignment(ASSIGNMENT).max_score == 14


def test_collect_folder_matches_id_name_and_email(run):
    """Folders named by id, full name and e-mail reach the right trainee; a stranger's is reported, not collected."""
    result = run["by_folder"]
    assert sorted(x.trainee for x in result.collected) == ["alice", "bob", "carla"]
    assert [u.path for u in result.unmatched] == [f"Zed Nobody/{ASSIGNMENT}.ipynb"]
    assert "not a trainee on the roster" in result.unmatched[0].reason
    assert not (run["cohort"].path("submitted", "Zed Nobody")).exists()


def test_collect_moodle_zip_matches_by_name(run):
    """A Moodle download is collected by participant name; an unknown participant is reported with the reason."""
    result = run["by_zip"]
    assert [x.trainee for x in result.collected] == ["dan"]
    assert len(result.unmatched) == 1 and result.unmatched[0].path.startswith("Eve Unknown_")
    assert (run["cohort"].path("submitted", "dan", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")).is_file()


def test_grade_records_every_score(run):
    """Full, blank, partial and warning-printing drafts get 14, 0, 7 and 14 points in the one gradebook."""
    summary = run["summary"]
    assert summary.ok and len(summary.of("graded")) == 4, str(summary)
    assert totals(run["cohort"].root) == {"alice": 14, "bob": 0, "carla": 7, "dan": 14}
    assert len(run["scores"]) == 4 * 11  # one grade per test cell and submission, none twice


def test_warnings_on_stderr_cost_no_points(run):
    """Test cells that printed a library warning on stderr keep their points; nbgrader would give 0."""
    nb = nbformat.read(run["cohort"].path("autograded", "dan", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    warned = [c for c in graded if any(o.get("name") == "stderr" and "UserWarning" in o.get("text", "")
                                       for o in c.outputs)]
    assert len(warned) == len(graded) == 11
    assert all(run["scores"][("dan", c.metadata["nbgrader"]["grade_id"])] == c.metadata["nbgrader"]["points"]
               for c in graded)


def test_regrade_changes_nothing(run):
    """Grading again skips every unchanged submission and leaves the gradebook, record and files as they were."""
    again = run["again"]
    assert len(again.of("skipped")) == 4 and not again.of("graded"), str(again)
    c = run["cohort"]
    assert cell_scores(c.root) == run["scores"]
    assert (c.root / ".cohort" / "grading.json").read_bytes() == run["state_before"]
    assert _digest(c.root / "autograded") == run["autograded_before"]


def test_feedback_has_no_hidden_test_text(run):
    """No feedback file holds a hidden-test line (unless the trainee wrote it) or a hidden-test marker."""
    c = run["cohort"]
    hidden = hidden_lines(REPO / "solutions" / ASSIGNMENT)
    assert len(hidden) >= 5
    files = sorted(c.path("feedback").rglob("*.*"))
    assert len(files) == len(run["feedback"].files) == 4
    for path in files:
        trainee = path.relative_to(c.path("feedback")).parts[0]
        submitted = nbformat.read(c.path("submitted", trainee, ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), as_version=4)
        own = "\n".join(cell.source for cell in submitted.cells)
        text = "\n".join(text_lines(path))
        for line in hidden:
            assert line in own or line not in text, f"{path.name} of {trainee} shows hidden test text: {line}"
        assert not any(marker in text for marker in HIDDEN_MARKERS)


def test_feedback_shows_scores_cited_messages_and_comments(run):
    """Carla's feedback has her score, the checker's cited message and the instructor's comment."""
    text = "\n".join(text_lines(run["cohort"].path("feedback", "carla", ASSIGNMENT, f"{ASSIGNMENT}.html")))
    assert "Score: 7.0 / 14.0" in text
    assert "AssertionError: Article 29(2)(d) is not satisfied" in text
    assert "Check the time zone of the gateway's log." in text
    assert "Traceback (most recent call last)" not in text


def test_export_writes_nbgrader_moodle_and_canvas_csv(run):
    """Exports hold every trainee's score, keyed by e-mail for Moodle and SIS ids for Canvas, under the item name."""
    folder = run["cohort"].path("exports")
    rows = list(csv.DictReader((folder / "grades.csv").open(encoding="utf-8")))
    assert {r["student_id"]: float(r["score"]) for r in rows} == {"alice": 14, "bob": 0, "carla": 7, "dan": 14}
    moodle = list(csv.DictReader((folder / "moodle_grades.csv").open(encoding="utf-8")))
    assert {r["Email address"]: r["Article 29 preservation request"] for r in moodle}[
        "carla.castro@police.aland.example"] == "7.00"
    canvas = list(csv.reader((folder / "canvas_grades.csv").open(encoding="utf-8")))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "14.00"
    assert ["Castro, Carla", "", "carla", "carla.castro@police.aland.example", "", "7.00"] in canvas
    items = list(csv.DictReader((folder / "grade_items.csv").open(encoding="utf-8")))
    assert items == [{"assignment": ASSIGNMENT, "grade_item": "Article 29 preservation request", "max_points": "14",
                      "scale": "points", "moodle_column": "Article 29 preservation request",
                      "canvas_column": "Article 29 preservation request"}]


def test_findings_are_recorded_for_analytics(run):
    """Each graded draft's findings are captured in the trainee's kernel; the analytics count what the cohort missed."""
    state = json.loads((run["cohort"].root / ".cohort" / "grading.json").read_text())
    assert state["submissions"][f"{ASSIGNMENT}/alice"]["findings"][ASSIGNMENT]["missing_elements"] == []
    data = analytics.load(run["cohort"])
    misses = analytics.element_misses(data).set_index("element")
    assert misses.loc["29(2)(d)", "missing"] == 2  # bob (blank) and carla (no custodian)
    assert misses.loc["29(2)(a)", "missing"] == 1  # bob only
    codes = analytics.finding_frequency(data).set_index("code")
    assert codes.loc["custodian.missing", "trainees"] == 2
    items = analytics.item_analysis(data).set_index("cell")
    assert items.loc["test_element_a", "difficulty"] == pytest.approx(0.75)


def test_report_runs_the_notebook(run):
    """`report` runs the instructor notebook for the cohort and writes its HTML and tables."""
    result = cohort.report(run["cohort"])
    html = result.html.read_text(encoding="utf-8")
    assert "Cohort report" in html and "custodian.missing" in html and "Traceback (most recent call last)" not in html
    assert {p.name for p in result.tables} >= {"item_analysis.csv", "element_misses.csv", "finding_frequency.csv"}
