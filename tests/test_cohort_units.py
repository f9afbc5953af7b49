"""Pieces of the cohort workflow on their own: matching, collecting layouts, scoring, leaks, progress, analytics."""

from __future__ import annotations

import io
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from budapest_coop import cohort
from budapest_coop.cohort import analytics
from budapest_coop.cohort.leaks import HIDDEN_MARKERS, find_leaks, hidden_lines
from budapest_coop.cohort.nbgrader_ext import determine_grade
from budapest_coop.cohort.progress import Progress
from budapest_coop.cohort.roster import Trainee, TraineeMatcher
from nbgrader_helpers import ASSIGNMENT, REPO
from test_cohort_helpers import ROSTER, full, released_cohort, write_folder


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    """A released cohort with the four-trainee roster, nothing collected."""
    return released_cohort(tmp_path_factory.mktemp("units"))


def _test_cell(*outputs):
    cell = new_code_cell("assert_element(request, 'a')", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 2,
                                 "grade_id": "t", "schema_version": 3}
    return cell


def test_stderr_warning_keeps_the_points():
    """A test cell whose only output is a warning on stderr earns its points."""
    warning = new_output("stream", name="stderr", text="UserWarning: deprecated\n")
    assert determine_grade(_test_cell(warning)) == (2.0, 2.0)


def test_error_still_scores_zero():
    """A test cell with an error output scores 0, warning or not."""
    warning = new_output("stream", name="stderr", text="UserWarning: deprecated\n")
    error = new_output("error", ename="AssertionError", evalue="Article 29(2)(a)", traceback=[])
    assert determine_grade(_test_cell(warning, error)) == (0, 2.0)


def test_matcher_reads_ids_emails_and_names_in_any_order():
    """Ids and e-mails match regardless of case; names match with accents, commas and order ignored."""
    matcher = TraineeMatcher([Trainee("amu", "Anna", "Müller", "anna@x.example"),
                              Trainee("bo1", "Bo", "Li", "bo1@x.example"), Trainee("bo2", "Bo", "Li", "bo2@x.example")])
    assert matcher.match("AMU").trainee.id == "amu"
    assert matcher.match("Anna@X.example").trainee.id == "amu"
    assert matcher.match("Muller, Anna").trainee.id == "amu"
    ambiguous = matcher.match("Bo Li")
    assert ambiguous.trainee is None and "bo1, bo2" in ambiguous.reason


def test_collect_understands_moodle_flat_and_nested_layouts(c, tmp_path):
    """Flat Moodle names, a zip inside a submission and a renamed notebook are collected; junk is ignored."""
    nb = nbformat.writes(nbformat.read(c.path("release", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), as_version=4))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr(f"work/{ASSIGNMENT}.ipynb", nb)
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"Alice Adams_11_assignsubmission_file_{ASSIGNMENT}.ipynb", nb)
        zf.writestr("Bob Brown_12_assignsubmission_file_/mywork.zip", inner.getvalue())
        zf.writestr(f"Carla Castro_13_assignsubmission_file_/{ASSIGNMENT} (1).ipynb", nb)
        zf.writestr("Carla Castro_13_assignsubmission_file_/notes.txt", "hello")
        zf.writestr(f"__MACOSX/Carla Castro_13_assignsubmission_file_/._{ASSIGNMENT}.ipynb", "junk")
    result = cohort.collect(c, archive)
    assert sorted(x.trainee for x in result.collected) == ["alice", "bob", "carla"]
    carla = next(x for x in result.collected if x.trainee == "carla")
    assert carla.notebooks == (f"{ASSIGNMENT}.ipynb",) and "collected as" in carla.notes[0]
    assert result.unmatched == () and any(i.endswith("notes.txt") for i in result.ignored)


def test_collect_refuses_to_guess_between_two_files(c, tmp_path):
    """Two candidate notebooks for one trainee are both reported, and neither replaces what was collected."""
    folder = write_folder(tmp_path / "a", c.root, {"dan": full()})
    (folder / "dan" / "copy.ipynb").write_text((folder / "dan" / f"{ASSIGNMENT}.ipynb").read_text())
    result = cohort.collect(c, folder)
    assert [x.trainee for x in result.collected] == ["dan"]
    assert [u.path for u in result.unmatched] == ["dan/copy.ipynb"] and "also has" in result.unmatched[0].reason
    twice = tmp_path / "b" / "dan"
    twice.mkdir(parents=True)
    for name in ("one.ipynb", "two.ipynb"):
        (twice / name).write_text((folder / "dan" / f"{ASSIGNMENT}.ipynb").read_text())
    result = cohort.collect(c, twice.parent)
    assert result.collected == () and len(result.unmatched) == 2 and "keep one" in result.unmatched[0].reason


def test_collect_same_batch_again_changes_nothing(c, tmp_path):
    """Collecting an identical batch again keeps the same files and makes no backup."""
    folder = write_folder(tmp_path / "same", c.root, {"alice": full()})
    cohort.collect(c, folder)
    before = c.path("submitted", "alice", ASSIGNMENT, f"{ASSIGNMENT}.ipynb").read_bytes()
    again = cohort.collect(c, folder)
    assert again.collected[0].notes == ()
    assert c.path("submitted", "alice", ASSIGNMENT, f"{ASSIGNMENT}.ipynb").read_bytes() == before


def test_leak_check_catches_a_hidden_line(tmp_path):
    """A feedback page that quotes a hidden-test line or marker is caught; the trainee's own line is allowed."""
    hidden = hidden_lines(REPO / "solutions" / ASSIGNMENT)
    line = sorted(hidden)[0]
    page = tmp_path / "feedback.html"
    page.write_text(f"<pre><span>{line}</span></pre>", encoding="utf-8")
    assert [leak.text for leak in find_leaks(page, hidden, markers=HIDDEN_MARKERS)] == [line]
    assert find_leaks(page, hidden, markers=HIDDEN_MARKERS, allowed={line}) == []
    page.write_text("### BEGIN HIDDEN TESTS", encoding="utf-8")
    assert find_leaks(page, hidden, markers=HIDDEN_MARKERS)[0].text == "BEGIN HIDDEN TESTS"


def test_progress_without_terminal_prints_plain_lines():
    """Off a terminal, progress is one plain line per finished item with counts and an ETA."""
    out = io.StringIO()
    progress = Progress(out, tty=False)
    progress.start(2, "grading 2 submission(s)")
    progress.advance("graded", "alice: graded 14/14")
    progress.advance("failed", "bob: FAILED invalid JSON")
    progress.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "grading 2 submission(s)"
    assert lines[1].startswith("[1/2] alice: graded 14/14 (ETA") and lines[2].startswith("[2/2] bob: FAILED")
    assert "\r" not in out.getvalue()


def test_progress_on_terminal_redraws_a_bar():
    """On a terminal, progress redraws one bar with counts, done/total and ETA."""
    out = io.StringIO()
    progress = Progress(out, tty=True)
    progress.start(4)
    progress.advance("graded", "x")
    assert "\rgrading [######" in out.getvalue() and "1/4 ETA" in out.getvalue() and "1 graded" in out.getvalue()


def test_analytics_tables_from_example_data():
    """The analytics functions give one row per assignment, cell, element and finding code."""
    data = analytics.example_data(trainees=12)
    assert analytics.score_distribution(data).loc[ASSIGNMENT, "graded"] == 12
    items = analytics.item_analysis(data)
    assert len(items) == 11 and items["difficulty"].between(0, 1).all()
    elements = analytics.element_misses(data)
    assert list(elements["element"].sort_values()) == [f"29(2)({x})" for x in "abcdef"]
    assert elements["requirement"].str.len().min() > 10
    findings = analytics.finding_frequency(data)
    assert findings["share"].between(0, 1).all() and findings["trainees"].is_monotonic_decreasing
    assert analytics.trainee_overview(data).shape[0] == 12


def test_exchange_release_and_collect(tmp_path):
    """With an exchange, release publishes to its outbound folder and collect takes roster trainees' submissions."""
    c = cohort.new_cohort(tmp_path / "hub", exchange_root=tmp_path / "exchange")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    cohort.add_roster(c, tmp_path / "roster.csv")
    released = cohort.release(c, [ASSIGNMENT])
    assert released.mode == "exchange"
    assert (tmp_path / "exchange" / c.course_id / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    inbound = tmp_path / "exchange" / c.course_id / "inbound"
    for user in ("alice", "zoe"):  # what `nbgrader submit` leaves there
        folder = inbound / f"{user}+{ASSIGNMENT}+2026-03-05 10:00:00.000000 UTC+x1"
        folder.mkdir(parents=True)
        nbformat.write(nbformat.read(c.path("release", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), as_version=4),
                       folder / f"{ASSIGNMENT}.ipynb")
        (folder / "timestamp.txt").write_text("2026-03-05 10:00:00.000000 UTC", encoding="utf-8")
    result = cohort.collect(c, "exchange")
    assert [x.trainee for x in result.collected] == ["alice"]
    assert "not on the roster" in result.unmatched[0].reason
