"""One grading worker: autograde one submission into its own scratch course and gradebook.

Runs in a child process (forked from a server that has already imported nbgrader, nbconvert,
nbclient and jupyter_client, so a child starts in milliseconds). The child copies the
submission and a snapshot of the cohort's gradebook into its scratch folder, runs nbgrader's
``Autograde`` converter there (a fresh kernel for the notebook, the cohort's preprocessors), and
writes ``result.json``. It never opens the cohort's gradebook: the parent merges the scratch
gradebook into it, one submission at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Imported here so that the fork server loads them once for every worker.
import nbformat
import nbgrader.converters  # noqa: F401
import nbgrader.preprocessors  # noqa: F401
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log

from . import nbgrader_ext
from ._nbgrader import ensure_path
from .folder import SOURCE, SUBMITTED, nbgrader_config, open_cohort
from .probes import probes_for
from .validation import notebook_problem

RESULT = "result.json"


@dataclass(frozen=True)
class WorkerTask:
    """Everything a worker needs to grade one submission (picklable)."""

    cohort_root: str
    assignment: str
    trainee: str
    scratch: str
    template_db: str
    cell_timeout: int
    notebook_timeout: int
    prestart: bool = True


class _Records(logging.Handler):
    """Keeps nbgrader's log records so that a failure can be told in one clear line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def reason(self) -> str:
        generic = ("Please see the", "There was an error processing assignment", "Removing failed")
        lines = []
        for record in self.records:
            if record.levelno < logging.ERROR:
                continue
            text = record.getMessage().strip()
            if text.startswith("Traceback"):
                text = text.splitlines()[-1].strip()
            if text and not any(g in text for g in generic):
                lines.append(text)
        return "; ".join(dict.fromkeys(lines))[:600]


def _watch_parent() -> None:
    """Stop this worker (and its kernel) if the process that started it goes away."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                _kill_children()
                os._exit(3)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _kill_children() -> None:
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            child.kill()
    except Exception:  # best effort on the way out
        pass


def _timeouts(autograded: Path) -> list[str]:
    found = []
    for path in sorted(autograded.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error" and output.get("ename") in nbgrader_ext.TIMEOUT_ERRORS:
                    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
                    found.append(f"{path.stem}:{grade_id} ({output['ename']})")
    return found


def _kernel_name(source: Path) -> str:
    for notebook in sorted(source.glob("*.ipynb")):
        return nbformat.read(notebook, as_version=4).metadata.get("kernelspec", {}).get("name", "")
    return ""


def _grade(task: WorkerTask, scratch: Path, started: float) -> dict[str, Any]:
    marks = {"started": started}
    cohort = open_cohort(task.cohort_root)
    kernel = _kernel_name(cohort.path(SOURCE, task.assignment))
    scratch.mkdir(parents=True, exist_ok=True)
    if kernel and task.prestart:
        # The kernel boots (and imports the course package) while nbgrader copies, checks and
        # sanitises the submission; the notebook then runs in it, and in nothing else.
        nbgrader_ext.prestart_kernel(kernel, str(scratch), nbgrader_ext.PRELOAD_MODULES)
    submitted = cohort.path(SUBMITTED, task.trainee, task.assignment)
    work = scratch / SUBMITTED / task.trainee / task.assignment
    shutil.copytree(submitted, work)
    notebooks = sorted(work.glob("*.ipynb"))
    if not notebooks:
        return {"status": "failed", "reason": f"no notebook (.ipynb) in {submitted}"}
    problems = [p for p in (notebook_problem(nb) for nb in notebooks) if p]
    if problems:
        return {"status": "failed", "reason": "; ".join(problems)}
    db = scratch / "gradebook.db"
    shutil.copyfile(task.template_db, db)
    marks["setup_done"] = time.monotonic()
    cfg = nbgrader_config(
        cohort,
        **{
            "CourseDirectory.root": str(scratch),
            "CourseDirectory.db_url": f"sqlite:///{db}",
            "CourseDirectory.source_directory": str(cohort.path(SOURCE)),
            "Execute.timeout": task.cell_timeout or None,
            "CohortExecute.notebook_timeout": task.notebook_timeout,
            "CohortExecute.probes": probes_for(task.assignment),
            "CohortExecute.probe_dir": str(scratch / "probes"),
        },
    )
    log = logging.getLogger(f"budapest_coop.cohort.worker.{os.getpid()}")
    log.propagate = False
    log.setLevel(logging.INFO)
    records = _Records()
    log.addHandler(records)
    coursedir = CourseDirectory(config=cfg, log=log)
    coursedir.assignment_id = task.assignment
    coursedir.student_id = task.trainee
    app = Autograde(coursedir=coursedir, config=cfg, log=log)
    app.force = True
    app.create_student = True
    outcome = capture_log(app)
    marks["nbgrader_done"] = time.monotonic()
    if not outcome["success"]:
        reason = records.reason() or (outcome.get("error", "").strip().splitlines() or ["nbgrader failed"])[-1]
        return {"status": "failed", "reason": f"nbgrader could not autograde it: {reason}"}
    findings = {}
    for path in sorted((scratch / "probes").glob("*.json")):
        findings[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    timing = {"setup": round(marks["setup_done"] - marks["started"], 3),
              "nbgrader": round(marks["nbgrader_done"] - marks["setup_done"], 3)}
    for path in sorted((scratch / "probes").glob("*.timing")):
        for phase, seconds in json.loads(path.read_text(encoding="utf-8")).items():
            timing[phase] = round(timing.get(phase, 0.0) + seconds, 3)
    timeouts = _timeouts(scratch / "autograded" / task.trainee / task.assignment)
    notebook_limit = bool(timing.pop("notebook_limit_reached", 0.0))
    if timeouts:
        limit = (
            f"the {task.notebook_timeout} s limit per notebook"
            if notebook_limit or any("NotebookTimeoutError" in t for t in timeouts)
            else f"the {task.cell_timeout} s limit per cell"
        )
        return {
            "status": "timed_out",
            "reason": f"stopped at {limit}; cells not finished score 0: {', '.join(timeouts[:4])}",
            "findings": findings,
            "timing": timing,
        }
    return {"status": "graded", "findings": findings, "timing": timing}


def _fresh_event_loop() -> None:
    """Drop an asyncio loop inherited through fork: its selector belongs to the parent."""
    try:
        from jupyter_core.utils import _loop

        inherited = _loop.get()
    except (ImportError, LookupError):
        inherited = None
    if inherited is not None and not inherited.is_closed():
        inherited.close()
    asyncio.set_event_loop(asyncio.new_event_loop())


def run_task(task: WorkerTask) -> None:
    """Entry point of a worker process: grade ``task`` and write ``result.json`` in its scratch folder."""
    started = time.monotonic()
    _fresh_event_loop()
    scratch = Path(task.scratch)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _watch_parent()
    ensure_path()  # kernels are started as `python` by name
    scratch.mkdir(parents=True, exist_ok=True)
    log_fd = os.open(scratch / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 1)  # kernels inherit these: their start-up chatter goes to the log, not the terminal
    os.dup2(log_fd, 2)
    try:
        result = _grade(task, scratch, started)
    except BaseException as exc:  # a worker must always leave a result
        traceback.print_exc()
        result = {"status": "failed", "reason": f"internal error while grading: {type(exc).__name__}: {exc}"}
    finally:
        nbgrader_ext.discard_prestarted()
    result["seconds"] = round(time.monotonic() - started, 3)
    tmp = scratch / (RESULT + ".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, scratch / RESULT)
    sys.stdout.flush()
    sys.stderr.flush()


__all__ = ["RESULT", "WorkerTask", "run_task"]
