"""Run every request-check case of tests/cases/preservation.yaml against the checker."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from budapest_coop import check_preservation_request

CASES_FILE = Path(__file__).parent / "cases" / "preservation.yaml"
DOC = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _set(target: dict, dotted: str, value: object) -> None:
    *path, last = dotted.split(".")
    for part in path:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def _remove(target: dict, dotted: str) -> None:
    *path, last = dotted.split(".")
    for part in path:
        target = target[int(part)] if isinstance(target, list) else target[part]
    del target[last]


def build_request(case: dict) -> object:
    """The request a case describes: `replace`, or `base` with `change` and `remove` applied."""
    if "replace" in case:
        return case["replace"]
    request = copy.deepcopy(DOC["base"])
    for dotted, value in (case.get("change") or {}).items():
        _set(request, dotted, value)
    for dotted in case.get("remove") or []:
        _remove(request, dotted)
    return request


def test_there_are_at_least_25_cases():
    """The case book holds at least 25 cases, each with a unique sentence-like name."""
    names = [case["name"] for case in DOC["cases"]]
    assert len(names) >= 25
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", DOC["cases"], ids=[c["name"] for c in DOC["cases"]])
def test_case(case):
    """The checker's report matches what the case expects."""
    report = check_preservation_request(build_request(case))
    found = set(report.codes)
    summary = "\n".join(str(f) for f in report.findings)
    if "ok" in case:
        assert report.ok is case["ok"], summary
    if "missing_elements" in case:
        assert list(report.missing_elements) == case["missing_elements"], summary
    for code in case.get("codes", []):
        assert code in found, f"expected {code} in:\n{summary}"
    for code in case.get("absent", []):
        assert code not in found, f"did not expect {code} in:\n{summary}"
