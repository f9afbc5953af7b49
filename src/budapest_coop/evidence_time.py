"""Time zones and timestamps of electronic evidence.

Providers log in their own zone (often UTC); a timestamp without its offset can point
at the wrong subscriber. Everything here is timezone-aware (``zoneinfo``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET_ZONE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_HAS_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_ZONE_SUFFIX = re.compile(r"\s*(UTC|GMT|Z)$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedTime:
    """A timestamp read from trainee input: the value (or None) and what is wrong with it."""

    value: datetime | None
    problem: str = ""  # "" | "invalid" | "naive"
    has_seconds: bool = True


def parse_zone(text: str) -> timezone | ZoneInfo | None:
    """An IANA zone ("Europe/Paris"), "UTC", or an offset ("UTC+02:00", "+0200"); None if unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    if text.upper() in ("UTC", "GMT", "Z"):
        return UTC
    match = _OFFSET_ZONE.match(text)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14):
            return None
        return timezone(delta if sign == "+" else -delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse_timestamp(value: object) -> ParsedTime:
    """Read an ISO-8601 string or a datetime; report a naive or unreadable one instead of raising."""
    if isinstance(value, datetime):
        problem = "naive" if value.tzinfo is None or value.utcoffset() is None else ""
        return ParsedTime(value, problem)
    if isinstance(value, date):
        return ParsedTime(datetime(value.year, value.month, value.day), "naive", False)
    if not isinstance(value, str) or not value.strip():
        return ParsedTime(None, "invalid")
    text = value.strip()
    suffix = _ZONE_SUFFIX.search(text)
    if suffix:
        text = text[: suffix.start()] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return ParsedTime(None, "invalid")
    problem = "naive" if parsed.tzinfo is None else ""
    return ParsedTime(parsed, problem, bool(_HAS_SECONDS.search(text)))


def parse_day(value: object) -> date | None:
    """A calendar date from a date, a datetime, "2026-11-23" or the template's "23/11/2026"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def in_zone(moment: datetime, zone: str) -> datetime:
    """``moment`` (aware) shown in ``zone``; raises ValueError on a naive moment or unknown zone."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place on the clock: add its UTC offset")
    tz = parse_zone(zone)
    if tz is None:
        raise ValueError(f"unknown time zone {zone!r}: use an IANA name such as 'Europe/Paris' or 'UTC+01:00'")
    return moment.astimezone(tz)


def format_utc(moment: datetime) -> str:
    """ISO-8601 in UTC with seconds, e.g. ``2025-03-03T20:14:05+00:00``; naive moments are marked."""
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds") + " (no time zone!)"
    return moment.astimezone(UTC).isoformat(timespec="seconds")
