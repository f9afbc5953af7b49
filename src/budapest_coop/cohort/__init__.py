"""The instructor workflow for a cohort, on nbgrader: release, collect, grade, feedback, export, report.

A cohort is an nbgrader course folder outside the repository (its own gradebook) whose
source is the repository's ``solutions/``::

    from budapest_coop import cohort

    c = cohort.new_cohort("~/cohorts/2026-spring")
    cohort.add_roster(c, "roster.csv")              # id, first_name, last_name, email
    cohort.release(c)                               # release/ + handout/ (or the exchange)
    cohort.collect(c, "moodle-download.zip")        # matched to the roster
    print(cohort.grade(c))                          # parallel autograding, one gradebook
    cohort.feedback(c)                              # HTML per trainee, hidden tests stripped
    cohort.export(c)                                # nbgrader CSV, Moodle CSV, Canvas CSV
    cohort.analytics.load(c)                        # DataFrames for the cohort report

The console script offers the same as ``budapest-coop cohort new|roster|release|collect|
grade|comment|feedback|export|report``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .autograde import GradeSummary, Outcome, default_workers, grade
from .collect import Collected, CollectResult, Unmatched, collect
from .errors import CohortError
from .export import ExportResult, export
from .feedback import FeedbackResult, add_comment, feedback
from .folder import Cohort, nbgrader_config, new_cohort, open_cohort
from .progress import Progress
from .release import Released, ReleaseResult, release
from .report import report
from .roster import RosterResult, Trainee, add_roster, read_roster, trainees

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from . import analytics


def __getattr__(name: str) -> Any:
    # analytics (and pandas with it) is imported on first use: grading does not need it.
    if name == "analytics":
        return importlib.import_module(f"{__name__}.analytics")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CohortError",
    "Cohort",
    "CollectResult",
    "Collected",
    "ExportResult",
    "FeedbackResult",
    "GradeSummary",
    "Outcome",
    "Progress",
    "ReleaseResult",
    "Released",
    "RosterResult",
    "Trainee",
    "Unmatched",
    "add_comment",
    "add_roster",
    "analytics",
    "collect",
    "default_workers",
    "export",
    "feedback",
    "grade",
    "nbgrader_config",
    "new_cohort",
    "open_cohort",
    "read_roster",
    "release",
    "report",
    "trainees",
]
