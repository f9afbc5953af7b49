"""Report: run the cohort report notebook for a cohort and write it as HTML (plus its tables as CSV)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import CohortError
from .folder import REPORTS, Cohort, open_cohort

NOTEBOOK = Path("notebooks") / "instructor" / "cohort_report.ipynb"


@dataclass(frozen=True)
class ReportResult:
    """The executed report and the tables written beside it."""

    html: Path
    notebook: Path
    tables: tuple[Path, ...]

    def __str__(self) -> str:
        return f"report: {self.html}\n  executed notebook: {self.notebook}\n  tables: " + ", ".join(
            p.name for p in self.tables
        )


def report(cohort: Cohort | Path | str, *, to: Path | str | None = None, timeout: int = 300) -> ReportResult:
    """Execute ``notebooks/instructor/cohort_report.ipynb`` for the cohort; write HTML, notebook and CSV tables."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    from . import analytics
    from ._nbgrader import ensure_path

    cohort = open_cohort(cohort)
    source = cohort.course_repo / NOTEBOOK
    if not source.is_file():
        raise CohortError(f"the report notebook {source} is missing from the course repository")
    folder = Path(to).expanduser().resolve() if to else cohort.path(REPORTS)
    folder.mkdir(parents=True, exist_ok=True)
    data = analytics.load(cohort)
    if data.scores.empty:
        raise CohortError("the cohort has no trainees or no released assignment yet: nothing to report")
    tables = {
        "score_distribution.csv": analytics.score_distribution(data),
        "item_analysis.csv": analytics.item_analysis(data),
        "element_misses.csv": analytics.element_misses(data),
        "finding_frequency.csv": analytics.finding_frequency(data),
        "trainee_overview.csv": analytics.trainee_overview(data),
    }
    written = []
    for name, frame in tables.items():
        frame.to_csv(folder / name)
        written.append(folder / name)
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = f"COHORT = {str(cohort.root)!r}  # set by `budapest-coop cohort report`"
            break
    else:
        raise CohortError(f"{source} has no cell tagged 'parameters' to receive the cohort folder")
    ensure_path()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    try:
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # no kernel chatter
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()
        raise CohortError(f"the report notebook failed: {first[-1] if first else exc}") from None
    executed = folder / "cohort_report.ipynb"
    nbformat.write(nb, executed)
    body, _ = HTMLExporter().from_notebook_node(nb)
    html = folder / "cohort_report.html"
    html.write_text(body, encoding="utf-8")
    return ReportResult(html, executed, tuple(written))


__all__ = ["NOTEBOOK", "ReportResult", "report"]
