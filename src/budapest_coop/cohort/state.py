"""What was graded from which file: the cohort's grading record (``.cohort/grading.json``).

One entry per (assignment, trainee): the fingerprint of the submission that was graded (its
files, the assignment's source, the grader's revision), the outcome, the score and the
checker's findings. ``grade`` skips a submission whose fingerprint is unchanged; only the parent
process writes this file, atomically, right after the grades are in the gradebook.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import CohortError

GRADER_REVISION = "1"  # bump when grading logic changes so that every submission is graded again
OUTCOMES = ("graded", "timed_out", "failed")
STATE_FILE = "grading.json"  # in the cohort's .cohort/ folder


def fingerprint(submission: Path, source: Path) -> str:
    """SHA-256 over the submitted files, the assignment's source notebooks and the grader revision."""
    digest = hashlib.sha256(f"grader {GRADER_REVISION}\n".encode())
    for label, folder in (("submitted", submission), ("source", source)):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class GradingRecord:
    """The outcome of grading one trainee's submission of one assignment."""

    assignment: str
    trainee: str
    fingerprint: str
    outcome: str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    limits: tuple[int, int] = (0, 0)
    graded_at: str = ""
    findings: Mapping[str, Any] = field(default_factory=dict)
    timing: Mapping[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.assignment}/{self.trainee}"


class GradingState:
    """The grading record of a cohort, loaded from and saved to one JSON file."""

    def __init__(self, path: Path):
        self.path = path
        self._records: dict[str, GradingRecord] = {}
        if path.is_file():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                for key, value in raw.get("submissions", {}).items():
                    value["limits"] = tuple(value.get("limits", (0, 0)))
                    self._records[key] = GradingRecord(**value)
            except (ValueError, TypeError, KeyError) as exc:
                raise CohortError(
                    f"{path} is damaged ({exc}); delete it and run `grade` again (every submission is then graded anew)"
                ) from None

    def get(self, assignment: str, trainee: str) -> GradingRecord | None:
        return self._records.get(f"{assignment}/{trainee}")

    def records(self) -> list[GradingRecord]:
        return [self._records[k] for k in sorted(self._records)]

    def put(self, record: GradingRecord) -> None:
        """Record one outcome and save the file atomically."""
        self._records[record.key] = record
        self.save()

    def put_many(self, records: Iterable[GradingRecord]) -> None:
        for record in records:
            self._records[record.key] = record
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": 1, "submissions": {k: asdict(self._records[k]) for k in sorted(self._records)}}
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


__all__ = ["GRADER_REVISION", "OUTCOMES", "STATE_FILE", "GradingRecord", "GradingState", "fingerprint"]
