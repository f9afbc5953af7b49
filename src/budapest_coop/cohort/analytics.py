"""Cohort analytics as pandas DataFrames: scores, item analysis, Article 29(2) elements, findings.

:func:`load` reads a cohort once into :class:`CohortData` (scores and per-cell grades from the
gradebook; each draft's findings from the grading record, captured by the findings probe in
the trainee's own kernel, see :mod:`budapest_coop.cohort.probes`). Every other function is
pure: it takes a :class:`CohortData` and returns a DataFrame, so the report notebook only
calls and plots. :func:`example_data` makes a small fictional cohort for trying the report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..law import cite
from .folder import STATE, Cohort, open_cohort
from .state import STATE_FILE, GradingState

SCORE_COLUMNS = ["trainee", "assignment", "status", "score", "max_score", "percent"]
ITEM_COLUMNS = ["trainee", "assignment", "notebook", "cell", "points", "score"]
FINDING_COLUMNS = ["trainee", "assignment", "notebook", "code", "severity", "element", "citation", "field", "message"]
ELEMENT_COLUMNS = ["trainee", "assignment", "notebook", "element", "missing"]


@dataclass(frozen=True)
class CohortData:
    """One cohort's results, long format: one row per trainee and assignment / cell / finding / element."""

    scores: pd.DataFrame
    items: pd.DataFrame
    findings: pd.DataFrame
    elements: pd.DataFrame
    source: str = ""

    @property
    def trainees(self) -> int:
        return int(self.scores["trainee"].nunique()) if len(self.scores) else 0


def load(cohort: Cohort | Path | str) -> CohortData:
    """Read a cohort's gradebook and grading record into :class:`CohortData`."""
    from nbgrader.api import MissingEntry

    cohort = open_cohort(cohort)
    state = GradingState(cohort.path(STATE, STATE_FILE))
    scores, items, findings, elements = [], [], [], []
    with cohort.gradebook() as gb:
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        for student in sorted(gb.students, key=lambda s: s.id):
            for assignment in assignments:
                record = state.get(assignment.name, student.id)
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    submission = None
                if submission is None:
                    status = record.outcome.replace("_", " ") if record else "not submitted"
                    scores.append([student.id, assignment.name, status, None, float(assignment.max_score), None])
                    continue
                score = max(0.0, float(submission.score) - float(submission.late_submission_penalty or 0.0))
                max_score = float(submission.max_score)
                status = record.outcome.replace("_", " ") if record else "graded"
                percent = 100.0 * score / max_score if max_score else None
                scores.append([student.id, assignment.name, status, score, max_score, percent])
                for notebook in submission.notebooks:
                    for g in notebook.grades:
                        items.append([student.id, assignment.name, notebook.name, g.name, float(g.max_score),
                                      None if g.score is None else float(g.score)])
                if record is None:
                    continue
                for notebook_id, probe in sorted(record.findings.items()):
                    if "error" in probe:
                        continue
                    for f in probe.get("findings", []):
                        findings.append([student.id, assignment.name, notebook_id] + [f.get(k, "") for k in FINDING_COLUMNS[3:]])
                    missing = set(probe.get("missing_elements", []))
                    for letter in probe.get("elements_checked", []):
                        elements.append([student.id, assignment.name, notebook_id, letter, letter in missing])
    return CohortData(
        scores=pd.DataFrame(scores, columns=SCORE_COLUMNS),
        items=pd.DataFrame(items, columns=ITEM_COLUMNS),
        findings=pd.DataFrame(findings, columns=FINDING_COLUMNS),
        elements=pd.DataFrame(elements, columns=ELEMENT_COLUMNS),
        source=str(cohort.root),
    )


def score_distribution(data: CohortData) -> pd.DataFrame:
    """Per assignment: trainees, how many were graded, and the score statistics (points and percent)."""
    rows = []
    for assignment, group in data.scores.groupby("assignment", sort=True):
        graded = group.dropna(subset=["score"])
        maximum = float(group["max_score"].max())
        rows.append({
            "assignment": assignment,
            "trainees": len(group),
            "graded": len(graded),
            "not_graded": len(group) - len(graded),
            "max_score": maximum,
            "mean": graded["score"].mean(),
            "median": graded["score"].median(),
            "std": graded["score"].std(),
            "min": graded["score"].min(),
            "max": graded["score"].max(),
            "mean_percent": graded["percent"].mean(),
            "full_marks": int((graded["score"] >= maximum).sum()) if len(graded) else 0,
            "zero": int((graded["score"] <= 0).sum()) if len(graded) else 0,
        })
    return pd.DataFrame(rows).set_index("assignment") if rows else pd.DataFrame()


def item_analysis(data: CohortData, assignment: str | None = None) -> pd.DataFrame:
    """Per test cell: points, mean score, difficulty (share of points earned), share full/zero, discrimination.

    Discrimination is the correlation between the cell's score and the rest of the trainee's
    score on the assignment: near 0 or negative means the cell does not separate stronger from
    weaker drafts (check its wording or its test).
    """
    items = data.items if assignment is None else data.items[data.items["assignment"] == assignment]
    items = items.dropna(subset=["score"])
    rows = []
    for (a, nb, cell), group in items.groupby(["assignment", "notebook", "cell"], sort=False):
        points = float(group["points"].iloc[0])
        totals = items[items["assignment"] == a].groupby("trainee")["score"].sum()
        scores = group.set_index("trainee")["score"]
        rest = totals.loc[scores.index] - scores
        discrimination = scores.corr(rest) if scores.nunique() > 1 and rest.nunique() > 1 else float("nan")
        rows.append({
            "assignment": a,
            "notebook": nb,
            "cell": cell,
            "points": points,
            "trainees": len(group),
            "mean_score": scores.mean(),
            "difficulty": scores.mean() / points if points else float("nan"),
            "full": (scores >= points).mean(),
            "zero": (scores <= 0).mean(),
            "discrimination": discrimination,
        })
    columns = ["assignment", "notebook", "cell", "points", "trainees", "mean_score", "difficulty", "full", "zero",
               "discrimination"]
    return pd.DataFrame(rows, columns=columns).sort_values(["assignment", "difficulty"]).reset_index(drop=True)


def element_misses(data: CohortData) -> pd.DataFrame:
    """Per Article 29(2) element: what it requires, how many drafts miss it and the share, most missed first."""
    columns = ["element", "requirement", "drafts", "missing", "share_missing"]
    if data.elements.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for letter, group in data.elements.groupby("element"):
        rows.append({
            "element": f"29(2)({letter})",
            "requirement": cite(f"29(2)({letter})").summary(),
            "drafts": len(group),
            "missing": int(group["missing"].sum()),
            "share_missing": float(group["missing"].mean()),
        })
    return pd.DataFrame(rows, columns=columns).sort_values(["missing", "element"], ascending=[False, True]).reset_index(drop=True)


def finding_frequency(data: CohortData, severity: str | None = None) -> pd.DataFrame:
    """Per finding code: severity, citation, how many trainees' drafts have it and the share, most frequent first."""
    columns = ["code", "severity", "element", "citation", "trainees", "share", "message"]
    findings = data.findings if severity is None else data.findings[data.findings["severity"] == severity]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    drafts = max(1, data.elements[["trainee", "assignment"]].drop_duplicates().shape[0]
                 if not data.elements.empty else data.findings["trainee"].nunique())
    rows = []
    for code, group in findings.groupby("code"):
        first = group.iloc[0]
        rows.append({
            "code": code,
            "severity": first["severity"],
            "element": first["element"],
            "citation": first["citation"],
            "trainees": int(group[["trainee", "assignment"]].drop_duplicates().shape[0]),
            "share": group[["trainee", "assignment"]].drop_duplicates().shape[0] / drafts,
            "message": first["message"],
        })
    order = {"error": 0, "warning": 1, "tip": 2}
    frame = pd.DataFrame(rows, columns=columns)
    frame["_rank"] = frame["severity"].map(order).fillna(9)
    return frame.sort_values(["trainees", "_rank", "code"], ascending=[False, True, True]).drop(columns="_rank").reset_index(drop=True)


def trainee_overview(data: CohortData) -> pd.DataFrame:
    """Trainees by assignment: percent of the points (NaN when not graded), with each one's status."""
    if data.scores.empty:
        return pd.DataFrame()
    table = data.scores.pivot(index="trainee", columns="assignment", values="percent")
    status = data.scores.pivot(index="trainee", columns="assignment", values="status").add_suffix(" status")
    return table.join(status).sort_index()


def example_data(trainees: int = 24, seed: int = 29) -> CohortData:
    """A fictional cohort (scores, cells, findings) for trying the report without real grades."""
    from .. import check_preservation_request

    rng = random.Random(seed)
    cells = [("test_element_a", 1), ("test_element_b", 1), ("test_element_c", 2), ("test_element_d", 1),
             ("test_element_e", 1), ("test_element_f", 1), ("test_time_zones", 1), ("test_source_port", 1),
             ("test_narrow_window", 1), ("test_case_party_custodian", 2), ("test_case_connection", 2)]
    blank = check_preservation_request({})
    pool = [f for f in blank.findings]
    extra = ["time.naive", "ip.source_port_missing", "time.window_broad", "contact.time_zone_missing"]
    scores, items, findings, elements = [], [], [], []
    a = nb = "preservation_request"
    for i in range(trainees):
        trainee = f"trainee{i + 1:02d}"
        skill = rng.random()
        total = 0.0
        for cell, points in cells:
            hard = cell.startswith(("test_case", "test_source", "test_time"))
            earned = points if rng.random() < (skill - (0.3 if hard else 0.0) + 0.25) else 0
            total += earned
            items.append([trainee, a, nb, cell, float(points), float(earned)])
        scores.append([trainee, a, "graded", total, 14.0, 100.0 * total / 14.0])
        missing = {f.element for f in pool if f.element and rng.random() > skill + 0.2}
        for letter in "abcdef":
            elements.append([trainee, a, nb, letter, letter in missing])
        for f in pool:
            if f.element in missing:
                findings.append([trainee, a, nb, f.code, f.severity.value, f.element, str(f.citation), f.field, f.message])
        for code in extra:
            if rng.random() > skill:
                findings.append([trainee, a, nb, code, "warning", "", "", "", f"(example) {code}"])
    return CohortData(
        scores=pd.DataFrame(scores, columns=SCORE_COLUMNS),
        items=pd.DataFrame(items, columns=ITEM_COLUMNS),
        findings=pd.DataFrame(findings, columns=FINDING_COLUMNS),
        elements=pd.DataFrame(elements, columns=ELEMENT_COLUMNS),
        source="example data (fictional)",
    )


__all__ = [
    "CohortData",
    "element_misses",
    "example_data",
    "finding_frequency",
    "item_analysis",
    "load",
    "score_distribution",
    "trainee_overview",
]
