"""Is a submitted file a notebook? A clear answer before nbgrader sees it."""

from __future__ import annotations

import json
from pathlib import Path


def notebook_problem(path: Path) -> str:
    """Why ``path`` is not a readable notebook ('' when it is one)."""
    import nbformat

    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return f"{name} cannot be read ({exc.strerror})"
    if not raw.strip():
        return f"{name} is empty (0 bytes); ask the trainee to save the notebook and submit it again"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return f"{name} is not a notebook (not UTF-8 text; was another file renamed to .ipynb?)"
    except ValueError as exc:
        return (
            f"{name} is not a valid notebook (invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may have been cut off or edited in a text editor: ask the trainee to submit it again"
        )
    if not isinstance(data, dict) or "cells" not in data:
        return f"{name} is JSON but not a notebook (no 'cells'); ask the trainee to submit the .ipynb file itself"
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as exc:  # nbformat raises several types for broken notebooks
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{name} is not a valid notebook ({first[:160]}); ask the trainee to submit it again"
    return ""


__all__ = ["notebook_problem"]
