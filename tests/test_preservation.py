"""The preservation checker beyond the case book: robustness, reports, models and speed-critical paths."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from hypothesis import given, settings

from budapest_coop import (
    Authority,
    DataItem,
    PreservationRequest,
    Severity,
    check_preservation_request,
    parse_preservation_request,
)
from strategies import junk, request_dicts
from test_preservation_cases import DOC

BASE = DOC["base"]


@settings(max_examples=300, deadline=None)
@given(request_dicts)
def test_checker_never_raises_on_any_dict(request):
    """Whatever values a trainee types, the checker returns a report (no traceback)."""
    report = check_preservation_request(request)
    assert set(report.missing_elements) <= set("abcdef")


@settings(max_examples=100, deadline=None)
@given(junk)
def test_checker_never_raises_on_any_value(value):
    """Even a value that is not a dict gets a report."""
    report = check_preservation_request(value)
    assert not report.ok or isinstance(value, dict)


def test_model_and_dict_give_the_same_report():
    """A PreservationRequest built from a dict is checked exactly like the dict."""
    model = PreservationRequest.from_dict(copy.deepcopy(BASE))
    assert check_preservation_request(model).findings == check_preservation_request(BASE).findings


def test_model_round_trips_through_a_dict():
    """to_dict gives the field names trainees type, and from_dict reads them back."""
    model = parse_preservation_request(BASE)
    assert PreservationRequest.from_dict(model.to_dict()) == model
    assert isinstance(model.requesting_authority, Authority)
    assert all(isinstance(i, DataItem) for i in model.data_items)


def test_datetime_objects_are_accepted():
    """Aware datetime objects work as well as ISO strings."""
    request = copy.deepcopy(BASE)
    request["data_items"][1]["start"] = datetime(2026, 2, 7, 22, 55, 12, tzinfo=UTC)
    request["data_items"][1]["end"] = datetime(2026, 2, 7, 22, 58, 40, tzinfo=UTC)
    assert "time.naive" not in check_preservation_request(request).codes


def test_findings_are_sorted_errors_first_and_cited():
    """Errors come before warnings before tips; every finding names a field and a citation."""
    report = check_preservation_request({"data_items": [{"identifier": "192.0.2.1"}]})
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks)
    assert all(f.field and str(f.citation) for f in report.findings)
    assert report.findings[0].severity is Severity.ERROR


def test_report_views():
    """The report renders as text, HTML and a DataFrame with one row per finding."""
    report = check_preservation_request({})
    assert "Article 29(2) elements missing: (a), (b), (c), (d), (e), (f)" in str(report)
    assert "Art. 29(2)(a) Budapest Convention" in report._repr_html_()
    frame = report.to_frame()
    assert len(frame) == len(report.findings)
    assert set(frame["severity"]) <= {"error", "warning", "tip"}


def test_complete_request_html_says_nothing_to_report_when_clean():
    """A request with no findings says so."""
    clean = check_preservation_request(BASE)
    assert clean.ok and clean.missing_elements == ()
    if not clean.findings:
        assert "Nothing to report" in clean._repr_html_()


def test_the_same_problem_is_reported_once():
    """A duplicated hit on the same field collapses into one finding."""
    report = check_preservation_request({"requesting_authority": {"phone": "", "email": ""}})
    assert report.codes.count("contact.missing") == 1
