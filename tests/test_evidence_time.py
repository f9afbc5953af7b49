"""Timestamps and time zones of evidence: aware everywhere, problems reported not raised."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budapest_coop.evidence_time import format_utc, in_zone, parse_day, parse_timestamp, parse_zone


@pytest.mark.parametrize(
    ("text", "offset_hours"),
    [("2025-03-03T21:14:05+01:00", 1), ("2025-03-03T20:14:05Z", 0), ("2025-03-03 20:14:05 UTC", 0),
     ("2025-03-03T21:14:05.250+01:00", 1)],
)
def test_aware_timestamps_parse(text, offset_hours):
    """ISO-8601 with an offset, a Z or a trailing UTC is read as aware."""
    parsed = parse_timestamp(text)
    assert parsed.problem == ""
    assert parsed.value.utcoffset() == timedelta(hours=offset_hours)


def test_naive_and_invalid_are_problems_not_errors():
    """A naive or unreadable timestamp is reported in `problem`, never raised."""
    assert parse_timestamp("2025-03-03T21:14:05").problem == "naive"
    assert parse_timestamp(datetime(2025, 3, 3)).problem == "naive"
    assert parse_timestamp("last Tuesday").problem == "invalid"
    assert parse_timestamp(None).problem == "invalid"
    assert parse_timestamp(12).problem == "invalid"


def test_seconds_are_noticed():
    """A time written without seconds is flagged for the tip."""
    assert parse_timestamp("2025-03-03T21:14+01:00").has_seconds is False
    assert parse_timestamp("2025-03-03T21:14:05+01:00").has_seconds is True


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC", "UTC+02:00", "+0530", "GMT-3", "utc"])
def test_zones_parse(zone):
    """IANA names and UTC offsets are accepted."""
    assert parse_zone(zone) is not None


@pytest.mark.parametrize("zone", ["", "Aland Time", "UTC+25:00", "../etc/passwd", None])
def test_bad_zones_are_none(zone):
    """Unknown zones, impossible offsets and junk give None."""
    assert parse_zone(zone) is None


def test_in_zone_converts_and_refuses_naive():
    """A moment is shown in another zone; a naive one is refused with a reason."""
    moment = datetime(2025, 3, 3, 20, 14, 5, tzinfo=UTC)
    assert in_zone(moment, "UTC+02:00").hour == 22
    with pytest.raises(ValueError, match="naive"):
        in_zone(datetime(2025, 3, 3), "UTC")
    with pytest.raises(ValueError, match="unknown time zone"):
        in_zone(moment, "Mars/Olympus")


def test_parse_day_formats():
    """Request dates are read in ISO and in the template's DD/MM/YYYY."""
    assert parse_day("2026-11-23") == date(2026, 11, 23)
    assert parse_day("23/11/2026") == date(2026, 11, 23)
    assert parse_day("23 Nov") is None


@given(st.datetimes(timezones=st.timezones(), allow_imaginary=False))
def test_format_utc_round_trips(moment):
    """Any aware moment written by format_utc reads back as the same instant."""
    assert parse_timestamp(format_utc(moment)).value.timestamp() == moment.replace(microsecond=0).timestamp()
