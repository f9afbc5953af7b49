"""Feedback: one HTML page per trainee and notebook, with scores, cited messages and comments.

nbgrader's ``generate_feedback`` renders the autograded notebook with its feedback template.
The cohort configures it (see :func:`folder.nbgrader_config`) to also strip the
``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` regions (nbgrader's own
``ClearHiddenTests``) and to cut each failing test's traceback to its last line, the
checker's cited message (:class:`nbgrader_ext.ConciseErrors`): a traceback would quote the
failing line, which may be hidden. Every file written is then scanned for hidden-test text
(:mod:`leaks`); a file that contains any is deleted and the run stops (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import _nbgrader
from .collect import resolve_assignment
from .errors import CohortError
from .folder import AUTOGRADED, FEEDBACK, SOURCE, Cohort, nbgrader_config, open_cohort
from .leaks import HIDDEN_MARKERS, answer_lines, find_leaks, hidden_lines
from .progress import Progress


@dataclass(frozen=True)
class FeedbackResult:
    """The feedback files written, per assignment."""

    files: tuple[Path, ...]
    missing: tuple[str, ...] = ()
    released: bool = False

    def __str__(self) -> str:
        lines = [f"wrote {len(self.files)} feedback file(s) (hidden tests stripped, checked for leaks)"]
        lines += [f"  {p}" for p in self.files[:20]]
        if len(self.files) > 20:
            lines.append(f"  ... and {len(self.files) - 20} more")
        if self.missing:
            lines.append("no feedback yet (not autograded): " + ", ".join(self.missing))
        if self.released:
            lines.append("released to the exchange: trainees get it with `nbgrader fetch_feedback`")
        return "\n".join(lines)


def feedback(
    cohort: Cohort | Path | str,
    assignments: list[str] | tuple[str, ...] | None = None,
    *,
    trainees: list[str] | tuple[str, ...] | None = None,
    release: bool | None = None,
    progress: Progress | None = None,
) -> FeedbackResult:
    """Write HTML feedback for every autograded submission (default: all released assignments).

    Files go to ``feedback/<trainee>/<assignment>/<notebook>.html``; with an exchange (or
    ``release=True``) they are also released to it. Running it again rewrites the same files
    with the latest scores and comments.
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    cohort = open_cohort(cohort)
    names = cohort.check_assignments(assignments)
    wanted = set(trainees) if trainees else None
    log = _nbgrader.quiet_logger()
    written: list[Path] = []
    missing: list[str] = []
    if progress:
        progress.start(len(names), f"writing feedback for {len(names)} assignment(s)")
    for name in names:
        graded = sorted(p.parent.name for p in cohort.path(AUTOGRADED).glob(f"*/{name}") if p.is_dir())
        people = [t for t in graded if wanted is None or t in wanted]
        if wanted:
            missing += [f"{t} ({name})" for t in sorted(wanted - set(graded))]
        if not people:
            if progress:
                progress.advance("nothing graded", f"{name}: nothing autograded yet")
            continue
        secret = hidden_lines(cohort.path(SOURCE, name))
        cfg = nbgrader_config(cohort)
        for pattern in ["*"] if wanted is None else people:
            coursedir = CourseDirectory(config=cfg, log=log)
            coursedir.assignment_id = name
            coursedir.student_id = pattern
            app = GenerateFeedback(coursedir=coursedir, config=cfg, log=log)
            app.force = True
            _nbgrader.run(app, f"nbgrader generate_feedback {name}" + ("" if pattern == "*" else f" for {pattern}"))
        files, leaks = [], []
        for trainee in people:
            own = set()  # the trainee's own answer may rightly repeat any line
            for notebook in cohort.path(AUTOGRADED, trainee, name).glob("*.ipynb"):
                own |= answer_lines(notebook)
            for path in sorted(p for p in cohort.path(FEEDBACK, trainee, name).rglob("*") if p.is_file()):
                files.append(path)
                leaks += find_leaks(path, secret, markers=HIDDEN_MARKERS, allowed=own)
        if leaks:
            for path in {leak.path for leak in leaks}:
                path.unlink()
            raise CohortError(
                "feedback would have shown hidden-test or solution text, so those files were deleted:\n  "
                + "\n  ".join(str(leak) for leak in leaks[:5])
                + "\nCheck that every hidden test sits between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS"
            )
        written += files
        if progress:
            progress.advance("written", f"{name}: feedback for {len(people)} trainee(s)")
    if not written and wanted is None:
        raise CohortError(
            f"nothing has been autograded yet for {', '.join(names)}: run `budapest-coop cohort grade {cohort.root}` first"
        )
    if progress:
        progress.finish()
    released = False
    if written and (release or (release is None and cohort.exchange_root is not None)):
        _release_feedback(cohort, names, cfg)
        released = True
    return FeedbackResult(tuple(written), tuple(missing), released)


def _release_feedback(cohort: Cohort, names: list[str], cfg) -> None:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    if cohort.exchange_root is None:
        raise CohortError("this cohort has no exchange folder: feedback stays in the feedback/ folder")
    log = _nbgrader.quiet_logger()
    for name in names:
        coursedir = CourseDirectory(config=cfg, log=log)
        coursedir.assignment_id = name
        coursedir.student_id = "*"
        action = ExchangeFactory(config=cfg, log=log).ReleaseFeedback(
            coursedir=coursedir, authenticator=Authenticator(config=cfg, log=log), config=cfg, log=log
        )
        _nbgrader.run(action, f"nbgrader release_feedback {name}")


def _first_solution_cell(cohort: Cohort, assignment: str, notebook: str) -> str:
    nb = nbformat.read(cohort.path(SOURCE, assignment, f"{notebook}.ipynb"), as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            return meta["grade_id"]
    raise CohortError(f"{assignment}/{notebook} has no answer cell to comment on: give --cell")


def add_comment(
    cohort: Cohort | Path | str,
    trainee: str,
    text: str,
    *,
    assignment: str | None = None,
    notebook: str | None = None,
    cell: str | None = None,
) -> str:
    """Put the instructor's comment on a trainee's answer cell (default: the first one); returns the cell id.

    The comment is nbgrader's manual comment (as formgrader writes it); ``feedback`` shows it.
    """
    from nbgrader.api import MissingEntry

    cohort = open_cohort(cohort)
    name = resolve_assignment(cohort, assignment)
    notebooks = cohort.notebooks(name)
    if notebook is None:
        if len(notebooks) != 1:
            raise CohortError(f"{name} has {len(notebooks)} notebooks ({', '.join(notebooks)}): say which with --notebook")
        notebook = notebooks[0]
    elif notebook not in notebooks:
        raise CohortError(f"{name} has no notebook {notebook!r} (it has {', '.join(notebooks)})")
    cell_id = cell or _first_solution_cell(cohort, name, notebook)
    if not text.strip():
        raise CohortError("the comment is empty")
    with cohort.gradebook() as gb:
        try:
            gb.find_student(trainee)
        except MissingEntry:
            raise CohortError(f"no trainee {trainee!r} on the roster") from None
        try:
            comment = gb.find_comment(cell_id, notebook, name, trainee)
        except MissingEntry:
            try:
                gb.find_submission(name, trainee)
            except MissingEntry:
                raise CohortError(f"{trainee} has no graded submission of {name} yet: grade it first") from None
            raise CohortError(f"{name}/{notebook} has no answer cell {cell_id!r} to comment on") from None
        comment.manual_comment = text.strip()
        gb.db.commit()
    return cell_id


__all__ = ["FeedbackResult", "add_comment", "feedback"]
