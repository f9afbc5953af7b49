"""Grade: autograde every submission in parallel, record every score in the one gradebook.

Design (nbgrader is the engine; the parallelism and bookkeeping are ours):

1. **Plan.** For each released assignment and each trainee folder in ``submitted/``, a
   fingerprint (the submitted files, the assignment's source, the grader revision) is compared
   with ``.cohort/grading.json``: a submission graded before from the same files is skipped
   (so a re-run changes nothing and an interrupted run resumes). Folders of people not on the
   roster are reported, not graded.
2. **Snapshot.** The cohort gradebook is copied once (SQLite backup API) to a template.
3. **Workers.** Up to ``workers`` child processes (default: one per core) each grade one
   submission in a scratch course of its own: a copy of the template gradebook and of the
   submission, nbgrader's ``Autograde`` converter, a fresh kernel per notebook, a per-cell
   timeout and a wall-clock limit per notebook. Children are forked from a server that has
   already imported nbgrader (no import cost per submission); nothing else is shared, so each
   submission runs in its own kernel as with ``nbgrader autograde``. A child that overruns its
   limit by more than a grace period is killed with its kernel.
4. **Merge.** The parent alone writes the cohort gradebook: for each finished submission it
   copies the scores, comments, late penalty and timestamp from the scratch gradebook in one
   transaction (grades are keyed by notebook and cell, so nothing is duplicated; manual scores
   are kept), moves the autograded notebooks into ``autograded/``, then records the fingerprint.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sqlite3
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import wait
from pathlib import Path

from .errors import CohortError
from .folder import AUTOGRADED, SOURCE, STATE, SUBMITTED, Cohort, open_cohort
from .progress import Progress
from .roster import trainees as _trainees
from .state import STATE_FILE, GradingRecord, GradingState, fingerprint

GRACE_SECONDS = 60  # beyond the notebook limit, for kernel start, nbgrader's own work and the probe


@dataclass(frozen=True)
class Outcome:
    """How one submission fared in this run."""

    assignment: str
    trainee: str
    outcome: str  # graded | timed_out | failed | skipped
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0

    def __str__(self) -> str:
        who = f"{self.trainee} {self.assignment}"
        if self.outcome == "graded":
            return f"{who}: graded {self.score:g}/{self.max_score:g} in {self.seconds:.1f} s"
        if self.outcome == "skipped":
            return f"{who}: skipped ({self.reason})"
        score = f" {self.score:g}/{self.max_score:g};" if self.score is not None else ""
        return f"{who}: {self.outcome.replace('_', ' ').upper()}{score} {self.reason}"


@dataclass(frozen=True)
class GradeSummary:
    """The end of a ``grade`` run: every submission's outcome and the time taken."""

    outcomes: tuple[Outcome, ...]
    seconds: float
    workers: int
    not_on_roster: tuple[str, ...] = ()
    interrupted: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, outcome: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def ok(self) -> bool:
        """True when nothing failed or timed out and the run was not interrupted."""
        return not self.interrupted and not self.of("failed") and not self.of("timed_out")

    def __str__(self) -> str:
        c = Counter(o.outcome for o in self.outcomes)
        head = (
            f"{'INTERRUPTED: ' if self.interrupted else ''}graded {c['graded']}, failed {c['failed']}, "
            f"timed out {c['timed_out']}, skipped {c['skipped']} (already graded, unchanged) "
            f"in {self.seconds:.1f} s with {self.workers} worker(s)"
        )
        lines = [head]
        for what in ("failed", "timed_out"):
            for o in self.of(what):
                lines.append(f"  {o}")
        for folder in self.not_on_roster:
            lines.append(f"  not graded: {folder} belongs to no trainee on the roster (add them, or remove the folder)")
        if self.interrupted:
            lines.append("  run the same command again to grade the rest; finished submissions are kept")
        elif self.of("failed") or self.of("timed_out"):
            lines.append("  fix or re-collect the submissions above and run `grade` again: only they are re-graded")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Task:
    assignment: str
    trainee: str
    fingerprint: str


def default_workers() -> int:
    """One worker per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context():
    """How worker processes start: forked from this process when that is safe, else from a fork server.

    Forking (Linux, and only while this process runs no other thread) gives each worker the
    imports this process already paid for; the fork server (macOS, or a threaded caller such as
    a Jupyter kernel) pays them once; Windows spawns a fresh interpreter per submission (slower).
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["budapest_coop.cohort._worker"])
        return ctx
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _main_not_reimported():
    """Start children without re-running the ``__main__`` script (multiprocessing would import it by path).

    The worker's target and arguments live in this package, so the child needs nothing from
    ``__main__``; re-running a script would cost time and, in an unguarded script, run it again.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    path = getattr(main, "__file__", None)
    if main is None or spec is not None or path is None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


class _Lock:
    """One ``grade`` at a time per cohort: a lock file holding the owner's process id."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> _Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                try:
                    owner = int(self.path.read_text().strip() or 0)
                except (OSError, ValueError):
                    owner = 0
                if owner and _alive(owner):
                    raise CohortError(
                        f"another `grade` (process {owner}) is running on this cohort; wait for it to finish "
                        f"(if none is running, delete {self.path})"
                    ) from None
                self.path.unlink(missing_ok=True)  # left by a run that was killed
                continue
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            return self
        raise CohortError(f"cannot take the lock {self.path}; delete it if no `grade` is running")

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    import psutil

    return psutil.pid_exists(pid)


def _snapshot(cohort: Cohort, target: Path) -> None:
    source = sqlite3.connect(cohort.root / "gradebook.db")
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()


def _kill_tree(process) -> None:
    import psutil

    try:
        parent = psutil.Process(process.pid)
        victims = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        victims = []
    for victim in victims:
        try:
            victim.kill()
        except psutil.NoSuchProcess:
            pass
    process.join(5)


def _plan(
    cohort: Cohort, assignments: list[str], only: set[str] | None, state: GradingState, force: bool,
    limits: tuple[int, int],
) -> tuple[list[_Task], list[Outcome], list[str]]:
    roster = {t.id for t in _trainees(cohort)}
    with cohort.gradebook() as gb:
        in_gradebook = {(s.assignment.name, s.student.id) for s in _all_submissions(gb)}
    tasks, skipped, strangers = [], [], []
    for assignment in assignments:
        source = cohort.path(SOURCE, assignment)
        for folder in sorted(cohort.path(SUBMITTED).glob(f"*/{assignment}")):
            trainee = folder.parent.name
            if only is not None and trainee not in only:
                continue
            if trainee not in roster:
                strangers.append(str(folder.relative_to(cohort.root)))
                continue
            current = fingerprint(folder, source)
            before = state.get(assignment, trainee)
            unchanged = (
                not force
                and before is not None
                and before.fingerprint == current
                and (
                    (before.outcome == "graded"
                     and (assignment, trainee) in in_gradebook
                     and cohort.path(AUTOGRADED, trainee, assignment).is_dir())
                    or (before.outcome == "timed_out" and tuple(before.limits) == limits)
                )
            )
            if unchanged:
                skipped.append(Outcome(assignment, trainee, "skipped", f"{before.outcome.replace('_', ' ')} before",
                                       before.score, before.max_score))
            else:
                tasks.append(_Task(assignment, trainee, current))
    return tasks, skipped, strangers


def _all_submissions(gb):
    from nbgrader.api import SubmittedAssignment

    return gb.db.query(SubmittedAssignment).all()


def merge(cohort: Cohort, gb, scratch_db: Path, assignment: str, trainee: str) -> tuple[float, float]:
    """Copy one submission's autograder results from a scratch gradebook into the cohort's ``gb``.

    Only nbgrader's automatic fields are copied (auto scores, auto comments, late penalty,
    timestamp); an instructor's manual scores and comments stay, and a grade that has a manual
    score stays flagged for review, as nbgrader's own ``SaveAutoGrades`` does.
    """
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{scratch_db}", cohort.course_id) as scratch:
        sub = scratch.find_submission(assignment, trainee)
        timestamp = sub.timestamp
        notebooks = [
            (
                nb.name,
                nb.late_submission_penalty,
                [(g.name, g.auto_score) for g in nb.grades],
                [(c.name, c.auto_comment) for c in nb.comments],
            )
            for nb in sub.notebooks
        ]
    try:
        with warnings.catch_warnings():
            # nbgrader's add_submission trips a harmless SQLAlchemy autoflush warning
            warnings.simplefilter("ignore", category=Warning)
            submission = gb.update_or_create_submission(assignment, trainee)
        submission.timestamp = timestamp
        for name, penalty, grades, comments in notebooks:
            notebook = gb.find_submission_notebook(name, assignment, trainee)
            notebook.late_submission_penalty = penalty
            for cell, auto in grades:
                grade = gb.find_grade(cell, name, assignment, trainee)
                grade.auto_score = auto
                grade.needs_manual_grade = grade.manual_score is not None or auto is None
            for cell, auto in comments:
                gb.find_comment(cell, name, assignment, trainee).auto_comment = auto
        gb.db.commit()
    except BaseException:
        gb.db.rollback()
        raise
    submission = gb.find_submission(assignment, trainee)
    return float(submission.score), float(submission.max_score)


def _install_autograded(cohort: Cohort, scratch: Path, assignment: str, trainee: str) -> None:
    from nbgrader.utils import rmtree

    new = scratch / AUTOGRADED / trainee / assignment
    target = cohort.path(AUTOGRADED, trainee, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        old = scratch / "replaced-autograded"
        os.replace(target, old)
        rmtree(str(old))
    os.replace(new, target)


def grade(
    cohort: Cohort | Path | str,
    assignments: list[str] | tuple[str, ...] | None = None,
    *,
    trainees: list[str] | tuple[str, ...] | None = None,
    workers: int | None = None,
    cell_timeout: int = 60,
    notebook_timeout: int = 300,
    force: bool = False,
    progress: Progress | None = None,
) -> GradeSummary:
    """Autograde the collected submissions (default: every released assignment) in parallel.

    Each submission is graded by nbgrader in a fresh kernel, with ``cell_timeout`` seconds per
    cell and ``notebook_timeout`` seconds for the whole notebook (0 for no limit); ``workers``
    processes run at once (default: one per core). Submissions graded before from the same
    files are skipped unless ``force``. Scores go into the cohort's gradebook; the summary says
    what was graded, what failed or timed out, and why. Interrupting (Ctrl-C) stops the
    workers; finished submissions are kept and the next run grades the rest.
    """
    started = time.monotonic()
    cohort = open_cohort(cohort)
    names = cohort.check_assignments(assignments)
    if workers is not None and workers < 1:
        raise CohortError(f"--workers must be at least 1 (got {workers})")
    if cell_timeout < 0 or notebook_timeout < 0:
        raise CohortError("time limits must be 0 (no limit) or a number of seconds")
    only = set(trainees) if trainees else None
    if only:
        unknown = sorted(only - {t.id for t in _trainees(cohort)})
        if unknown:
            raise CohortError(f"no trainee {', '.join(map(repr, unknown))} on the roster")
    limits = (int(cell_timeout), int(notebook_timeout))
    with _Lock(cohort.path(STATE, "grade.lock")):
        state = GradingState(cohort.path(STATE, STATE_FILE))
        shutil.rmtree(cohort.path(STATE, "scratch"), ignore_errors=True)  # left by a run that was killed
        tasks, skipped, strangers = _plan(cohort, names, only, state, force, limits)
        if not tasks and not skipped and not strangers:
            raise CohortError(
                f"nothing to grade: no submissions under {cohort.path(SUBMITTED)} for {', '.join(names)}; "
                f"collect them first with `budapest-coop cohort collect {cohort.root} ZIP_OR_FOLDER`"
            )
        n_workers = max(1, min(workers or default_workers(), len(tasks) or 1))
        outcomes, interrupted = list(skipped), False
        if tasks:
            run_dir = cohort.path(STATE, "scratch", uuid.uuid4().hex[:12])
            run_dir.mkdir(parents=True)
            ran: list[Outcome] = []
            try:
                _run(cohort, tasks, run_dir, n_workers, limits, state, progress, ran)
            except KeyboardInterrupt:
                interrupted = True
            finally:
                outcomes += ran
                shutil.rmtree(run_dir, ignore_errors=True)
                shutil.rmtree(cohort.path(STATE, "scratch"), ignore_errors=True)
    order = {"failed": 0, "timed_out": 1, "graded": 2, "skipped": 3}
    outcomes.sort(key=lambda o: (order.get(o.outcome, 9), o.assignment, o.trainee))
    return GradeSummary(
        outcomes=tuple(outcomes),
        seconds=round(time.monotonic() - started, 2),
        workers=n_workers,
        not_on_roster=tuple(strangers),
        interrupted=interrupted,
        counts=dict(Counter(o.outcome for o in outcomes)),
    )


def _run(
    cohort: Cohort,
    tasks: list[_Task],
    run_dir: Path,
    n_workers: int,
    limits: tuple[int, int],
    state: GradingState,
    progress: Progress | None,
    outcomes: list[Outcome],
) -> None:
    """Grade ``tasks`` with ``n_workers`` processes, appending each outcome to ``outcomes`` as it is recorded."""
    from . import _worker

    ctx = _context()
    template = run_dir / "template.db"
    _snapshot(cohort, template)
    hard_limit = limits[1] + GRACE_SECONDS if limits[1] else None
    pending = list(reversed(tasks))
    running: dict[int, tuple] = {}
    if progress:
        progress.start(len(tasks), f"grading {len(tasks)} submission(s) with {n_workers} worker(s)")
    with cohort.gradebook() as gb:
        try:
            while pending or running:
                while pending and len(running) < n_workers:
                    task = pending.pop()
                    scratch = run_dir / f"{task.assignment}--{task.trainee}"
                    job = _worker.WorkerTask(
                        cohort_root=str(cohort.root), assignment=task.assignment, trainee=task.trainee,
                        scratch=str(scratch), template_db=str(template),
                        cell_timeout=limits[0], notebook_timeout=limits[1],
                    )
                    process = ctx.Process(target=_worker.run_task, args=(job,), daemon=True,
                                          name=f"grade-{task.trainee}")
                    with _main_not_reimported():
                        process.start()
                    running[process.sentinel] = (process, task, scratch, time.monotonic())
                ready = wait(list(running), timeout=0.5)
                for sentinel in ready:
                    process, task, scratch, began = running.pop(sentinel)
                    process.join()
                    outcome = _finish(cohort, gb, state, task, scratch, process.exitcode, time.monotonic() - began, limits)
                    outcomes.append(outcome)
                    if progress:
                        progress.advance(outcome.outcome, str(outcome))
                if hard_limit is not None:
                    now = time.monotonic()
                    for sentinel, (process, task, _scratch, began) in list(running.items()):
                        if now - began > hard_limit:
                            _kill_tree(process)
                            running.pop(sentinel)
                            outcome = Outcome(
                                task.assignment, task.trainee, "timed_out",
                                f"no result within {hard_limit} s (the notebook limit plus {GRACE_SECONDS} s); "
                                "the kernel was stopped and no score was recorded",
                                seconds=now - began,
                            )
                            state.put(GradingRecord(task.assignment, task.trainee, task.fingerprint, "timed_out",
                                                    outcome.reason, seconds=outcome.seconds, limits=limits,
                                                    graded_at=_now()))
                            outcomes.append(outcome)
                            if progress:
                                progress.advance(outcome.outcome, str(outcome))
                if progress:
                    progress.tick()
        except KeyboardInterrupt:
            for process, _task, _scratch, _began in running.values():
                _kill_tree(process)
            if progress:
                progress.finish()
            raise
    if progress:
        progress.finish()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _finish(
    cohort: Cohort, gb, state: GradingState, task: _Task, scratch: Path, exitcode: int | None, seconds: float,
    limits: tuple[int, int],
) -> Outcome:
    import json

    from ._worker import RESULT

    result_path = scratch / RESULT
    if not result_path.is_file():
        log = scratch / "worker.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.is_file() else []
        reason = f"the grading process stopped unexpectedly (exit code {exitcode})" + (f": {tail[0]}" if tail else "")
        state.put(GradingRecord(task.assignment, task.trainee, task.fingerprint, "failed", reason,
                                seconds=seconds, limits=limits, graded_at=_now()))
        return Outcome(task.assignment, task.trainee, "failed", reason, seconds=seconds)
    result = json.loads(result_path.read_text(encoding="utf-8"))
    status, reason = result["status"], result.get("reason", "")
    seconds = float(result.get("seconds", seconds))
    if status == "failed":
        # Nothing reaches the gradebook: earlier grades of this trainee (if any) stay as they were.
        state.put(GradingRecord(task.assignment, task.trainee, task.fingerprint, "failed", reason,
                                seconds=seconds, limits=limits, graded_at=_now()))
        return Outcome(task.assignment, task.trainee, "failed", reason, seconds=seconds)
    try:
        score, max_score = merge(cohort, gb, scratch / "gradebook.db", task.assignment, task.trainee)
        _install_autograded(cohort, scratch, task.assignment, task.trainee)
    except Exception as exc:  # the gradebook transaction was rolled back: nothing half-recorded
        busy = "locked" in str(exc).lower()
        reason = (
            "the gradebook was busy (is formgrader saving at the same time?); run `grade` again"
            if busy else f"the scores could not be recorded ({type(exc).__name__}: {str(exc)[:200]}); run `grade` again"
        )
        state.put(GradingRecord(task.assignment, task.trainee, task.fingerprint, "failed", reason,
                                seconds=seconds, limits=limits, graded_at=_now()))
        return Outcome(task.assignment, task.trainee, "failed", reason, seconds=seconds)
    state.put(GradingRecord(task.assignment, task.trainee, task.fingerprint, status, reason, score, max_score,
                            seconds, limits, _now(), result.get("findings", {}), result.get("timing", {})))
    shutil.rmtree(scratch, ignore_errors=True)
    return Outcome(task.assignment, task.trainee, status, reason, score, max_score, seconds)


__all__ = ["GRACE_SECONDS", "GradeSummary", "Outcome", "default_workers", "grade", "merge"]
