"""nbgrader preprocessors of the cohort workflow (configured in :func:`folder.nbgrader_config`).

- :class:`CohortExecute` is nbgrader's ``Execute`` with a wall-clock limit per notebook and the
  findings probe: after the last cell, still in the trainee's own kernel, it appends a cell
  that prints the checker's finding codes as JSON, runs it, and removes it again before the
  notebook is scored and saved; the JSON goes next to the scratch gradebook for the analytics.
- :class:`WarningTolerantSaveAutoGrades` is nbgrader's ``SaveAutoGrades`` scoring a test cell
  without its stderr stream: a warning a library prints costs nothing, an error still does.
- :class:`ConciseErrors` shortens error tracebacks in graded cells of feedback to
  ``Error: message`` (the checker's cited message), so no test source reaches trainees.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades
from traitlets import Dict, Integer, List, Unicode

PROBE_MARKER = "@@budapest-coop-findings@@"
TIMEOUT_ERRORS = ("CellTimeoutError", "NotebookTimeoutError")
PRELOAD_MODULES = ("budapest_coop", "budapest_coop.grading")  # what every graded notebook imports first


def determine_grade(cell: NotebookNode, log: Any = None) -> tuple[float | None, float]:
    """nbgrader's ``determine_grade``, except that stderr text (warnings) does not zero a test cell.

    An error output (an exception, a timeout) still scores zero.
    """
    if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
        kept = [o for o in cell.get("outputs", []) if not (o.output_type == "stream" and o.get("name") == "stderr")]
        if len(kept) != len(cell.get("outputs", [])):
            cell = copy.copy(cell)
            cell["outputs"] = kept
    return utils.determine_grade(cell, log)


class WarningTolerantSaveAutoGrades(SaveAutoGrades):
    """Save autograder scores like nbgrader, with :func:`determine_grade` instead of nbgrader's."""

    def _add_score(self, cell: NotebookNode, resources: dict) -> None:
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id, self.student_id
        )
        grade.auto_score, _ = determine_grade(cell, self.log)
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        self.gradebook.db.commit()


class QuickStopKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, checking every 5 ms (not 100 ms) whether a stopped kernel has exited."""

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=0.005)


_PRESTARTED: dict[str, AsyncKernelManager] = {}


def kernel_arguments(preload_modules: list[str] | tuple[str, ...]) -> list[str]:
    """ipykernel arguments: no history file, and ``preload_modules`` imported while the kernel starts.

    The imports run as the kernel initialises (IPython's ``exec_lines``), bind no name in the
    trainee's namespace and store no history: the notebook's own ``import`` then finds the
    module loaded. Each kernel still starts fresh; nothing is shared between submissions.
    """
    arguments = ["--HistoryManager.hist_file=:memory:"]
    if preload_modules:
        names = ", ".join(repr(m) for m in preload_modules)
        arguments.append(f"--IPKernelApp.exec_lines=for _bc_m in ({names},): __import__(_bc_m)\ndel _bc_m")
    return arguments


def prestart_kernel(kernel_name: str, cwd: str, preload_modules: list[str] | tuple[str, ...]) -> None:
    """Start a fresh kernel now, so that it boots while nbgrader prepares the notebook; :class:`CohortExecute` takes it."""
    from jupyter_core.utils import run_sync

    discard_prestarted()
    km = QuickStopKernelManager(kernel_name=kernel_name)
    run_sync(km.start_kernel)(extra_arguments=kernel_arguments(preload_modules), cwd=cwd)
    _PRESTARTED[kernel_name] = km


def discard_prestarted() -> None:
    """Stop a pre-started kernel nobody took."""
    from jupyter_core.utils import run_sync

    while _PRESTARTED:
        _, km = _PRESTARTED.popitem()
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # it may have exited already
            pass


class CohortExecute(Execute):
    """nbgrader's ``Execute`` with a wall-clock limit per notebook, the findings probe and a head start.

    Head start: a kernel the worker started beforehand (:func:`prestart_kernel`) is used if its
    kernel name matches, after a silent ``chdir`` to the notebook's folder (where nbgrader would
    have started it). Every notebook still gets a kernel of its own, used once.
    """

    preload_modules = List(list(PRELOAD_MODULES), help="Modules each kernel imports while it starts.").tag(config=True)

    notebook_timeout = Integer(
        600, help="Seconds a whole notebook may run (kernel start included); 0 for no limit."
    ).tag(config=True)
    probes = Dict(
        {}, help="Notebook id -> code run in the trainee's kernel after the last cell (the findings probe)."
    ).tag(config=True)
    probe_dir = Unicode("", help="Folder where each probe's JSON result is written as <notebook>.json.").tag(
        config=True
    )
    probe_timeout = Integer(30, help="Seconds the probe may run.").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", QuickStopKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        started = time.monotonic()
        self._deadline = started + self.notebook_timeout if self.notebook_timeout else None
        self._notebook_id = (resources or {}).get("nbgrader", {}).get("notebook", "")
        self._probing = False
        self._marks = {"start": started}
        self._chdir = ""
        adopted = False
        if km is None:
            name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name", "")
            km = _PRESTARTED.pop(name, None)
            discard_prestarted()  # one for another kernel name is of no use
            adopted = km is not None
            self._chdir = str((resources or {}).get("metadata", {}).get("path", "")) if adopted else ""
        if not adopted and not any(a.startswith("--IPKernelApp.exec_lines") for a in self.extra_arguments):
            self.extra_arguments = [*self.extra_arguments, *kernel_arguments(self.preload_modules)[1:]]
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if adopted and getattr(self, "km", None) is not None:
                self._cleanup_kernel()  # nbclient stops only kernels it started itself
            self._marks["end"] = time.monotonic()
            self._write_timing()

    def _write_timing(self) -> None:
        """Seconds spent starting the kernel, running the cells, probing, and stopping the kernel."""
        if not self.probe_dir:
            return
        m = self._marks
        ready = m.get("kernel_ready", m["end"])
        cells = m.get("cells_done", ready)
        probed = m.get("probe_done", cells)
        timing = {
            "kernel_start": round(ready - m["start"], 3),
            "cells": round(cells - ready, 3),
            "probe": round(probed - cells, 3),
            "kernel_stop": round(m["end"] - probed, 3),
            "notebook_limit_reached": float(self._deadline is not None and m["end"] >= self._deadline),
        }
        target = Path(self.probe_dir) / f"{self._notebook_id}.timing"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(timing), encoding="utf-8")

    def _remaining(self) -> float | None:
        return None if self._deadline is None else self._deadline - time.monotonic()

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        if self._probing:
            return self.probe_timeout
        timeout = super()._get_timeout(cell)
        remaining = self._remaining()
        if remaining is None:
            return timeout
        limit = max(1, int(remaining + 0.999))
        return limit if timeout is None else min(timeout, limit)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int):
        self._marks.setdefault("kernel_ready", time.monotonic())
        if self._chdir:
            folder, self._chdir = self._chdir, ""
            code = f"import os as _bc_os\n_bc_os.chdir({folder!r})\ndel _bc_os"
            self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False))
        remaining = self._remaining()
        if cell.cell_type == "code" and cell.source.strip() and remaining is not None and remaining <= 0:
            cell.outputs = [
                NotebookNode(
                    output_type="error",
                    ename="NotebookTimeoutError",
                    evalue=f"not run: the notebook reached its {self.notebook_timeout} s time limit",
                    traceback=[f"NotebookTimeoutError: not run: the notebook reached its {self.notebook_timeout} s time limit"],
                )
            ]
        else:
            cell, resources = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1:
            self._marks["cells_done"] = time.monotonic()
            self._run_probe()
            self._marks["probe_done"] = time.monotonic()
        return cell, resources

    def _run_probe(self) -> None:
        code = self.probes.get(self._notebook_id)
        if not code or not self.probe_dir:
            return
        result: dict[str, Any]
        remaining = self._remaining()
        if remaining is not None and remaining <= 0:
            result = {"error": "not probed: the notebook reached its time limit"}
        else:
            # nbclient executes cells of self.nb by index: append the probe for the moment it runs,
            # and take it out again before the notebook goes on to be scored and saved.
            probe = new_code_cell(source=code)
            self.nb.cells.append(probe)
            self._probing = True
            try:
                self.execute_cell(probe, len(self.nb.cells) - 1, store_history=False)
                result = _probe_result(probe)
            except Exception as exc:  # the probe must never fail the grading
                result = {"error": f"probe failed: {type(exc).__name__}: {exc}"}
            finally:
                self._probing = False
                if self.nb.cells and self.nb.cells[-1] is probe:
                    self.nb.cells.pop()
        target = Path(self.probe_dir) / f"{self._notebook_id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(result), encoding="utf-8")


def _probe_result(cell: NotebookNode) -> dict[str, Any]:
    for output in cell.outputs:
        if output.output_type == "stream" and output.get("name") == "stdout":
            for line in output.text.splitlines():
                if line.startswith(PROBE_MARKER):
                    try:
                        return json.loads(line[len(PROBE_MARKER):])
                    except ValueError:
                        break
        if output.output_type == "error":
            return {"error": f"probe failed: {output.ename}: {output.evalue}"}
    return {"error": "probe printed no result"}


class ConciseErrors(NbGraderPreprocessor):
    """In graded cells, replace each error traceback by its last line, ``Error: message``.

    Tracebacks quote the failing source line, which in a test cell may be a hidden test; the
    message itself is what the trainee needs (``budapest_coop.grading`` writes it, cited).
    """

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int):
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    message = f"{output.ename}: {output.evalue}" if output.evalue else output.ename
                    output.traceback = [message]
        return cell, resources


def probe_code(variable: str, module: str, function: str) -> str:
    """Code for the trainee's kernel: check ``variable`` with ``module.function`` and print the findings as JSON."""
    return f'''def _budapest_coop_probe():
    import importlib
    import json
    out = {{"variable": {variable!r}}}
    namespace = globals()
    if {variable!r} not in namespace:
        out["error"] = "the notebook defines no variable {variable!r}"
    else:
        try:
            report = getattr(importlib.import_module({module!r}), {function!r})(namespace[{variable!r}])
            out["findings"] = [
                {{k: f.as_dict()[k] for k in ("code", "severity", "element", "citation", "field", "message")}}
                for f in report.findings
            ]
            out["missing_elements"] = list(report.missing_elements)
            out["elements_checked"] = list(report.elements_checked)
        except Exception as exc:
            out["error"] = "check failed: " + type(exc).__name__ + ": " + str(exc)
    print({PROBE_MARKER!r} + json.dumps(out))
_budapest_coop_probe()
del _budapest_coop_probe
'''


__all__ = [
    "PROBE_MARKER",
    "QuickStopKernelManager",
    "discard_prestarted",
    "kernel_arguments",
    "prestart_kernel",
    "TIMEOUT_ERRORS",
    "CohortExecute",
    "ConciseErrors",
    "WarningTolerantSaveAutoGrades",
    "determine_grade",
    "probe_code",
]
