"""Assertions for autograded cells and self-checks.

Graded notebooks call these instead of writing checks of their own, so a trainee sees
in the test cell the same cited findings the widget shows. Each function raises
``AssertionError`` with a message a trainee can act on, and returns normally when the
point is earned. Case-specific expected values (the right custodian, the right moment)
are passed in by the hidden tests; nothing here knows an exercise's answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .evidence_time import parse_timestamp
from .findings import Report
from .law import cite
from .preservation import (
    ELEMENTS,
    _split_ip,
    check_preservation_request,
    parse_preservation_request,
)


def _report(request: Any) -> Report:
    return request if isinstance(request, Report) else check_preservation_request(request)


def _listing(findings) -> str:
    return "\n".join(f"  - {f}" for f in findings)


def assert_element(request: Any, letter: str) -> None:
    """The draft satisfies Article 29(2)(letter); otherwise say which findings stand in the way."""
    if letter not in ELEMENTS:
        raise ValueError(f"Article 29(2) has elements {', '.join(ELEMENTS)}; got {letter!r}")
    report = _report(request)
    if letter in report.missing_elements:
        blocking = [f for f in report.findings if f.element == letter and f.severity.value == "error"]
        provision = cite(f"29(2)({letter})")
        raise AssertionError(
            f"Article 29(2)({letter}) is not satisfied: {provision.summary()}\n{_listing(blocking)}"
        )


def assert_no_findings(request: Any, codes: list[str] | tuple[str, ...], point: str) -> None:
    """None of ``codes`` is among the draft's findings; ``point`` names the practice point."""
    report = _report(request)
    hits = [f for f in report.findings if f.code in codes]
    if hits:
        raise AssertionError(f"{point}:\n{_listing(hits)}")


def assert_has_items(request: Any, point: str, *, kind: str = "", timed: bool = False) -> None:
    """The draft has at least one data item (of identifier ``kind``, with a time if ``timed``)."""
    parsed = parse_preservation_request(request)
    items = [
        i
        for i in parsed.data_items
        if (not kind or i.identifier_type == kind or (kind == "ip" and _is_ip(i.identifier)))
        and (not timed or i.start not in (None, "") or i.end not in (None, ""))
    ]
    if not items:
        what = f"an {kind} data item" if kind else "a data item"
        raise AssertionError(f"{point}: the draft has no {what}{' with a time window' if timed else ''} yet.")


def _is_ip(text: str) -> bool:
    try:
        _split_ip(text)
        return True
    except ValueError:
        return False


def _aware(value: Any) -> datetime | None:
    parsed = parse_timestamp(value)
    return parsed.value if parsed.problem == "" else None


def assert_ip_item(
    request: Any,
    address: str,
    *,
    port: int | None = None,
    covers: tuple[str, str] | None = None,
    max_span_hours: float | None = None,
) -> None:
    """Some data item names ``address`` (and ``port``), its window covers ``covers``, within ``max_span_hours``."""
    parsed = parse_preservation_request(request)
    candidates = []
    for item in parsed.data_items:
        try:
            found, embedded_port = _split_ip(item.identifier)
        except ValueError:
            continue
        if str(found) == address:
            candidates.append((item, item.source_port if item.source_port is not None else embedded_port))
    if not candidates:
        raise AssertionError(f"No data item names the address {address} from the case file.")
    if port is not None and not any(p == port for _, p in candidates):
        raise AssertionError(f"The item for {address} does not give the source port shown in the case file.")
    if covers is None:
        return
    want_start, want_end = (_aware(v) for v in covers)
    problems = []
    for item, _ in candidates:
        start, end = _aware(item.start), _aware(item.end)
        if start is None or end is None:
            problems.append("its window needs a start and an end, both with a UTC offset")
            continue
        if not (start <= want_start and want_end <= end):
            problems.append(
                "its window does not cover the moments in the case file; "
                "check which time zone the log uses"
            )
            continue
        if max_span_hours is not None and end - start > timedelta(hours=max_span_hours):
            problems.append(f"its window is wider than {max_span_hours:g} hours")
            continue
        return
    raise AssertionError(f"The item for {address}: " + "; ".join(sorted(set(problems))) + ".")


def assert_mentions(value: Any, any_of: list[str] | tuple[str, ...], field: str) -> None:
    """``value`` (a text) mentions one of ``any_of`` (case-insensitive)."""
    text = value if isinstance(value, str) else ""
    if not any(word.lower() in text.lower() for word in any_of):
        raise AssertionError(f"'{field}' does not name what the case file points to.")


def request_field(request: Any, name: str) -> Any:
    """A field of the draft as the checker reads it (e.g. ``'custodian'``), for hidden tests."""
    return getattr(parse_preservation_request(request), name)
