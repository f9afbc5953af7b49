"""The ``budapest-coop`` console script: thin commands over package functions."""

from __future__ import annotations

import argparse
import sys

from . import course


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budapest-coop",
        description="Course tools for the budapest-coop curriculum (exercises, cohorts, checks).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    exercises = commands.add_parser("exercises", help="maintain exercises/ from solutions/")
    exercises.add_argument("action", choices=["regenerate", "check"])
    exercises.add_argument("--root", default=None, help="course repository (default: found from here)")
    exercises.set_defaults(run=lambda args: course.main([args.action, *(["--root", args.root] if args.root else [])]))
    _add_cohort_commands(commands)
    return parser


def _cohort(name: str):
    """The command ``name`` of ``budapest_coop.cohort.commands``, imported only when it runs (nbgrader is slow to import)."""

    def run(args: argparse.Namespace) -> int:
        from .cohort import commands

        return getattr(commands, name)(args)

    return run


def _add_cohort_commands(commands) -> None:
    """``budapest-coop cohort new|roster|release|collect|grade|comment|feedback|export|report``."""
    cohort = commands.add_parser(
        "cohort", help="run a cohort: release, collect, grade, feedback, export, report",
        description="Run a cohort of trainees on nbgrader, in a cohort folder outside the repository.",
    )
    steps = cohort.add_subparsers(dest="step", required=True, metavar="STEP")

    def step(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = steps.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("dir", metavar="DIR", help="the cohort folder")
        sub.set_defaults(run=_cohort(name))
        return sub

    new = step("new", "create a cohort folder (outside the repository) with its own gradebook")
    new.add_argument("--name", default=None, help="course id (default: the folder's name)")
    new.add_argument("--course", default=None, metavar="REPO", help="the course repository (default: found from here)")
    new.add_argument("--exchange", default=None, metavar="PATH",
                     help="nbgrader exchange folder for JupyterHub (default: none; release makes plain copies)")

    roster = step("roster", "add or update trainees from a CSV roster (id, first_name, last_name, email)")
    roster.add_argument("file", metavar="FILE", help="the roster CSV")

    release = step("release", "generate and release assignments (plain copies and a zip, or the exchange)")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    how = release.add_mutually_exclusive_group()
    how.add_argument("--copy", dest="mode", action="store_const", const="copy",
                     help="copy to a folder and zip it (default without an exchange)")
    how.add_argument("--exchange", dest="mode", action="store_const", const="exchange",
                     help="publish in the nbgrader exchange (default with one)")
    release.add_argument("--to", default=None, metavar="FOLDER", help="where --copy puts files (default: DIR/handout)")

    collect = step("collect", "collect submissions from a Moodle zip, a folder tree or the exchange")
    collect.add_argument("source", metavar="SOURCE", help="a .zip file, a folder, or the word 'exchange'")
    collect.add_argument("--assignment", default=None, help="default: the only released assignment")

    grade = step("grade", "autograde submissions in parallel into the cohort's gradebook")
    grade.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every released assignment")
    grade.add_argument("--trainee", action="append", metavar="ID", help="only this trainee (repeatable)")
    grade.add_argument("--workers", type=int, default=None, metavar="N", help="parallel workers (default: one per core)")
    grade.add_argument("--cell-timeout", type=int, default=60, metavar="S", help="seconds per cell (default: 60; 0: none)")
    grade.add_argument("--notebook-timeout", type=int, default=300, metavar="S",
                       help="seconds per notebook, wall clock (default: 300; 0: none)")
    grade.add_argument("--force", action="store_true", help="grade again even submissions graded before, unchanged")
    grade.add_argument("--quiet", action="store_true", help="no progress output, only the summary")

    comment = step("comment", "put a comment on a trainee's answer (shown in their feedback)")
    comment.add_argument("trainee", metavar="TRAINEE", help="the trainee's id")
    comment.add_argument("text", metavar="TEXT", help="the comment")
    comment.add_argument("--assignment", default=None, help="default: the only released assignment")
    comment.add_argument("--notebook", default=None, help="default: the assignment's only notebook")
    comment.add_argument("--cell", default=None, metavar="GRADE_ID", help="default: the first answer cell")

    feedback = step("feedback", "write HTML feedback per trainee (hidden tests stripped)")
    feedback.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every released assignment")
    feedback.add_argument("--trainee", action="append", metavar="ID", help="only this trainee (repeatable)")
    feedback.add_argument("--release", action="store_true", help="also release it to the exchange")

    export = step("export", "write grades: nbgrader CSV, Moodle CSV, Canvas CSV")
    export.add_argument("--to", default=None, metavar="FOLDER", help="default: DIR/exports")
    export.add_argument("--item", action="append", metavar="ASSIGNMENT=NAME",
                        help="name of the LMS grade item for an assignment (kept in cohort.json)")
    export.add_argument("--missing-as-zero", action="store_true", help="0 instead of an empty cell when not graded")
    export.add_argument("--percent", action="store_true", help="percent of the maximum instead of points")

    report = step("report", "run the cohort report notebook and write it as HTML")
    report.add_argument("--to", default=None, metavar="FOLDER", help="default: DIR/reports")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
