"""Bad inputs get clear messages and lose nothing: unknown trainees, corrupt notebooks, wrong names, empty zips."""

from __future__ import annotations

import zipfile

import pytest

from budapest_coop import cli, cohort
from budapest_coop.cohort import CohortError
from nbgrader_helpers import ASSIGNMENT, REPO
from test_cohort_helpers import (
    full,
    released_cohort,
    totals,
    write_folder,
    write_moodle_zip,
)

LOOP = "while True:\n    pass\n"


@pytest.fixture(scope="module")
def c(tmp_path_factory):
    """A released cohort with the four-trainee roster; alice's full draft graded once."""
    tmp = tmp_path_factory.mktemp("bad")
    made = released_cohort(tmp)
    cohort.collect(made, write_folder(tmp / "first", made.root, {"alice": full()}))
    summary = cohort.grade(made, workers=1)
    assert summary.ok, str(summary)
    return made


def _submitted(c):
    return sorted(str(p.relative_to(c.root)) for p in c.path("submitted").rglob("*") if p.is_file())


def test_cohort_refused_inside_the_repository(tmp_path):
    """A cohort folder inside the repository's solutions/ or exercises/ is refused, naming the folder."""
    for inside in (REPO / "solutions" / "cohort-x", REPO / "exercises" / "cohort-x"):
        with pytest.raises(CohortError, match="solutions/|exercises/"):
            cohort.new_cohort(inside)
        assert not inside.exists()


def test_bad_roster_rows_are_listed_and_nothing_is_added(c, tmp_path):
    """Every bad roster row is reported with its line; no trainee of the file is added."""
    bad = tmp_path / "bad.csv"
    bad.write_text("id;first_name;last_name;email\nfrank;Frank;Fox;frank@x.example\nbad id;A;B;a@x.example\n"
                   "gina;Gina;Gold;not-an-email\nfrank;F;F;f2@x.example\n", encoding="utf-8")
    with pytest.raises(CohortError) as caught:
        cohort.add_roster(c, bad)
    message = str(caught.value)
    assert "line 3" in message and "'bad id'" in message and "line 4" in message and "line 5" in message
    assert "frank" not in {t.id for t in cohort.trainees(c)}


def test_roster_missing_column_is_named(c, tmp_path):
    """A roster without an e-mail column says which column is missing."""
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first_name,last_name\nx,X,Y\n", encoding="utf-8")
    with pytest.raises(CohortError, match="missing column.*email"):
        cohort.add_roster(c, bad)


def test_wrong_assignment_name_is_refused(c, tmp_path):
    """An unknown assignment name is refused with the known ones, for collect and grade alike; nothing moves."""
    before = _submitted(c)
    folder = write_folder(tmp_path / "in", c.root, {"bob": full()})
    with pytest.raises(CohortError, match="no assignment 'nope'.*preservation_request"):
        cohort.collect(c, folder, assignment="nope")
    with pytest.raises(CohortError, match="no assignment 'nope'"):
        cohort.grade(c, ["nope"])
    assert _submitted(c) == before


def test_empty_or_broken_zip_is_refused(c, tmp_path):
    """An empty zip, and a file that is not a zip, are refused before anything is collected."""
    before = _submitted(c)
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    with pytest.raises(CohortError, match="is empty"):
        cohort.collect(c, empty)
    fake = tmp_path / "fake.zip"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(CohortError, match="not a zip file"):
        cohort.collect(c, fake)
    assert _submitted(c) == before


def test_unknown_trainee_is_reported_not_graded(c, tmp_path):
    """A Moodle entry of someone not on the roster, and a stray folder in submitted/, are reported, never graded."""
    result = cohort.collect(c, write_moodle_zip(tmp_path / "m.zip", c.root, {"Olga Outsider": full()}))
    assert result.collected == () and "not a trainee on the roster" in result.unmatched[0].reason
    stray = c.path("submitted", "olga", ASSIGNMENT)
    stray.mkdir(parents=True)
    (stray / f"{ASSIGNMENT}.ipynb").write_text("{}", encoding="utf-8")
    try:
        summary = cohort.grade(c, workers=1)
        assert summary.not_on_roster == (f"submitted/olga/{ASSIGNMENT}",)
        assert "olga" not in totals(c.root)
        with pytest.raises(CohortError, match="no trainee 'olga'"):
            cohort.grade(c, trainees=["olga"])
    finally:
        (stray / f"{ASSIGNMENT}.ipynb").unlink()
        stray.rmdir()
        stray.parent.rmdir()


def test_corrupt_notebook_fails_clearly_and_loses_nothing(c, tmp_path):
    """A re-submission with invalid JSON is kept, reported at collect and grade, and alice's earlier grade stays."""
    folder = tmp_path / "broken" / "alice"
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [', encoding="utf-8")
    result = cohort.collect(c, folder.parent)
    assert "invalid JSON" in result.invalid[0]
    assert any("replaced an earlier submission" in note for note in result.collected[0].notes)
    backups = list(c.path(".cohort", "replaced").rglob(f"{ASSIGNMENT}.ipynb"))
    assert len(backups) == 1 and b'"cells"' in backups[0].read_bytes()
    summary = cohort.grade(c, workers=1)
    failed = summary.of("failed")
    assert [o.trainee for o in failed] == ["alice"] and "invalid JSON at line 1" in failed[0].reason
    assert totals(c.root)["alice"] == 14
    assert c.path("submitted", "alice", ASSIGNMENT, f"{ASSIGNMENT}.ipynb").read_text() == '{"cells": ['


def test_endless_loop_times_out_and_is_reported(c, tmp_path):
    """A draft that never finishes is stopped at the cell limit; the rest of the notebook is still graded."""
    cohort.collect(c, write_folder(tmp_path / "loop", c.root, {"bob": full() + LOOP}))
    summary = cohort.grade(c, trainees=["bob"], workers=1, cell_timeout=2)
    timed_out = summary.of("timed_out")
    assert [o.trainee for o in timed_out] == ["bob"] and "2 s limit per cell" in timed_out[0].reason
    assert totals(c.root)["bob"] == 14  # `request` was defined before the loop; every test ran


def test_notebook_over_its_time_limit_is_stopped(c, tmp_path):
    """A notebook that runs past the wall-clock limit is stopped; the cells it did not reach score 0."""
    cohort.collect(c, write_folder(tmp_path / "slow", c.root, {"dan": "import time\ntime.sleep(30)\n" + full()}))
    summary = cohort.grade(c, trainees=["dan"], workers=1, notebook_timeout=4)
    timed_out = summary.of("timed_out")
    assert [o.trainee for o in timed_out] == ["dan"] and "4 s limit per notebook" in timed_out[0].reason
    assert totals(c.root)["dan"] == 0 and timed_out[0].seconds < 20


def test_cli_prints_errors_without_traceback(c, tmp_path, capsys):
    """The command line turns known problems into one `error:` message and exit status 2."""
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    assert cli.main(["cohort", "collect", str(c.root), str(empty)]) == 2
    assert cli.main(["cohort", "grade", str(c.root), "nope"]) == 2
    assert cli.main(["cohort", "roster", str(tmp_path / "nowhere"), str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.count("error: ") == 3 and "Traceback" not in err
    assert "is empty" in err and "no assignment 'nope'" in err and "is not a cohort folder" in err


def test_export_leaves_ungraded_trainees_blank_or_zero(c, tmp_path):
    """A trainee with no graded submission gets an empty LMS cell, or 0 when asked; percent is an option."""
    import csv

    blank = cohort.export(c, to=tmp_path / "blank")
    rows = {r["ID number"]: r for r in csv.DictReader((tmp_path / "blank" / "moodle_grades.csv").open())}
    assert rows["carla"]["Preservation request"] == ""
    assert blank.items[0].name == "Preservation request"
    cohort.export(c, to=tmp_path / "zero", missing="zero", scale="percent")
    rows = {r["ID number"]: r for r in csv.DictReader((tmp_path / "zero" / "moodle_grades.csv").open())}
    assert rows["carla"]["Preservation request"] == "0.00" and rows["alice"]["Preservation request"] == "100.00"
    with pytest.raises(CohortError, match="no released assignment 'nope'"):
        cohort.export(c, items={"nope": "X"})
