"""Running nbgrader's converters, exchange actions and apps in-process, quietly, with clear errors."""

from __future__ import annotations

import logging
import re
from typing import Any

from .errors import CohortError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def quiet_logger(name: str = "budapest_coop.cohort.nbgrader") -> logging.Logger:
    """A logger that nbgrader objects write to; it prints nothing (``capture_log`` collects it)."""
    log = logging.getLogger(name)
    log.propagate = False
    log.setLevel(logging.INFO)
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def error_lines(log_text: str, limit: int = 12) -> str:
    """The ERROR/CRITICAL lines of an nbgrader log, without colour codes."""
    lines = [
        _ANSI.sub("", line).strip()
        for line in log_text.splitlines()
        if line.startswith(("[ERROR]", "[CRITICAL]", "[FATAL]"))
    ]
    generic = ("Please see the", "There was an error processing assignment")
    useful = [line for line in lines if not any(g in line for g in generic)] or lines
    return "\n".join(useful[-limit:])


def last_error(traceback_text: str) -> str:
    """The last line of a formatted traceback (``Type: message``)."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def run(app: Any, what: str) -> str:
    """Start an nbgrader converter/exchange action/app; return its log or raise :class:`CohortError`."""
    from nbgrader.utils import capture_log

    try:
        result = capture_log(app)
    except SystemExit:  # nbgrader apps call sys.exit(1) from fail(); the log holds the reason
        result = {"success": False, "error": "", "log": ""}
    log = result.get("log", "")
    if not result["success"]:
        detail = error_lines(log) or last_error(result.get("error", "")) or "nbgrader gave no reason"
        raise CohortError(f"{what} failed:\n  " + detail.replace("\n", "\n  "))
    return log




def ensure_path() -> None:
    """Put this interpreter's bin folder first on PATH: nbgrader and Jupyter start ``alembic`` and
    ``python`` (kernels) by name, and they must be the ones of this environment."""
    import os
    import sys
    from pathlib import Path

    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


__all__ = ["ensure_path", "error_lines", "last_error", "quiet_logger", "run"]
