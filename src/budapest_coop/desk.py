"""The 24/7 desk: incoming messages, what the desk does with each, and the clock.

A 24/7 point of contact (Article 35) receives messages from other countries at any hour:
preservation requests, emergencies, questions, follow-ups, information sent unasked, and
requests from States that are not Parties. :func:`assess_action` judges one action for one
message and says, with citations, whether it fits; it also reads the message's deadline (when
the data will be deleted, when the 60-day minimum of Article 29(7) ends, or the time a threat
names) on both clocks, the desk's and the sender's, with the time left.

Everything is data: the queue (``data/desk_queue.yaml``), which action fits which kind of
message (``data/desk_actions.yaml``), the findings (rule book ``data/rules/desk.yaml``, words in
``data/messages/<lang>/desk.yaml``) and the labels (``ui_desk.yaml``). Times are aware
everywhere; a time without a UTC offset in the data is refused, and in a trainee's input it
becomes a finding. Bad input never raises.
"""

from __future__ import annotations

import difflib
import html
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from ._data import DataError, load_yaml
from .citations import Citation
from .evidence_time import parse_timestamp, parse_zone
from .findings import Finding, FindingsView, unverified_mark
from .law import cite
from .messages import DEFAULT_LANGUAGE, Placeholders, ui_text
from .parties import State, lookup_state
from .reading import InputReader, fold
from .rules import Hit, _citation, rule_book, word
from .transborder import state_hint

BOOK = "desk"

#: What a desk message holds, in order.
MESSAGE_FIELDS = ("id", "received_at", "sender", "sender_zone", "kind", "summary", "data_deleted_at", "facts")
#: What a deadline can be (labels under desk_deadline_<what> in ui_desk.yaml).
DEADLINES = ("data_deleted", "preservation_ends", "threat")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------
# The playbook: actions, kinds, which action fits which kind (data/desk_actions.yaml)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """Something the desk can do with a message, and the provisions it rests on."""

    code: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Kind:
    """A kind of incoming message: the actions that fit it and the finding code for each action."""

    code: str
    fits: tuple[str, ...]
    verdicts: tuple[tuple[str, str], ...]
    otherwise: str
    notes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def verdict(self, action: str) -> str:
        """The finding code that says why ``action`` fits this kind of message, or why not."""
        return dict(self.verdicts).get(action, self.otherwise)


@dataclass(frozen=True)
class _Playbook:
    actions: dict[str, Action]
    kinds: dict[str, Kind]
    soon_hours: float
    preservation_days: int


@cache
def _playbook() -> _Playbook:
    doc = load_yaml("desk_actions.yaml") or {}
    where = "data/desk_actions.yaml"
    rules = rule_book(BOOK)
    actions: dict[str, Action] = {}
    for raw in doc.get("actions", []):
        code = raw.get("code")
        if not code or code in actions:
            raise DataError(f"{where}: action {code!r} is missing its code or defined twice")
        citations = tuple(_citation(c, f"{where} action {code!r}") for c in raw.get("citations") or [])
        if not citations:
            raise DataError(f"{where} action {code!r}: needs at least one citation")
        actions[code] = Action(code, citations)
    kinds: dict[str, Kind] = {}
    for raw in doc.get("kinds", []):
        code = raw.get("code")
        here = f"{where} kind {code!r}"
        if not code or code in kinds:
            raise DataError(f"{here}: missing its code or defined twice")
        fits = tuple(raw.get("fits") or ())
        verdicts = dict(raw.get("verdicts") or {})
        notes = tuple(raw.get("notes") or ())
        otherwise = raw.get("otherwise")
        if not fits:
            raise DataError(f"{here}: at least one action must fit")
        unknown = [a for a in (*fits, *verdicts) if a not in actions]
        if unknown:
            raise DataError(f"{here}: unknown actions {unknown}")
        if any(a not in verdicts for a in fits):
            raise DataError(f"{here}: every fitting action needs a verdict code")
        missing = [c for c in (*verdicts.values(), otherwise, *notes) if c not in rules]
        if missing:
            raise DataError(f"{here}: codes without a rule in data/rules/{BOOK}.yaml: {missing}")
        aliases = tuple(str(a) for a in raw.get("aliases") or ())
        kinds[code] = Kind(code, fits, tuple(verdicts.items()), otherwise, notes, aliases)
    seen: dict[str, str] = {}
    for kind in kinds.values():
        for alias in (kind.code, *kind.aliases):
            if seen.setdefault(fold(alias), kind.code) != kind.code:
                raise DataError(f"{where}: '{alias}' names both {seen[fold(alias)]!r} and {kind.code!r}")
    return _Playbook(actions, kinds, float(doc.get("soon_hours", 12)), int(doc.get("preservation_days", 60)))


#: The desk's actions, by stable code, in the order the desk offers them.
ACTIONS: tuple[str, ...] = tuple(_playbook().actions)
#: The kinds of incoming message, by stable code.
KINDS: tuple[str, ...] = tuple(_playbook().kinds)


def action_label(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The words for an action code, e.g. ``"Preserve now (Art. 29, 35(1)(b))"``."""
    return ui_text(f"desk_action_{code}", language)


def kind_label(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The words for a kind of message, e.g. ``"an emergency: a threat to life"``."""
    return ui_text(f"desk_kind_{code}", language)


def action_citations(code: str) -> tuple[Citation, ...]:
    """The provisions an action rests on."""
    return _playbook().actions[code].citations


def fitting_actions(kind: str) -> tuple[str, ...]:
    """The action codes that fit a kind of message, the one to start with first."""
    return _playbook().kinds[kind].fits


def playbook_table(language: str = DEFAULT_LANGUAGE):
    """Which action fits which kind of message, as a pandas DataFrame (one row per kind)."""
    import pandas as pd

    rows = [
        {
            "kind": code,
            "message": kind_label(code, language),
            "fits": "; ".join(action_label(a, language) for a in kind.fits),
            "why": "; ".join(str(rule_book(BOOK)[kind.verdict(a)].citation) for a in kind.fits),
        }
        for code, kind in _playbook().kinds.items()
    ]
    return pd.DataFrame(rows, columns=["kind", "message", "fits", "why"])


# ---------------------------------------------------------------------------
# Clocks
# ---------------------------------------------------------------------------


def _tz(zone: str | None) -> tzinfo:
    return (parse_zone(zone) if zone else None) or UTC


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_moment(moment: datetime | None, zone: str | None = None, short: bool = False) -> str:
    """``moment`` on the clock of ``zone`` (UTC if unknown): ``"Sun 30 Mar 2025 22:14:05 (CEST, UTC+02:00)"``.

    ``short`` drops the year and the seconds. A naive moment is shown and marked, never converted.
    """
    if moment is None:
        return ""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.isoformat(timespec="seconds") + " (no time zone!)"
    local = moment.astimezone(_tz(zone))
    offset = _offset_text(local)
    name = local.tzname() or ""
    label = offset if not name or name.startswith("UTC") else f"{name}, {offset}"
    day = f"{_WEEKDAYS[local.weekday()]} {local.day:02d} {_MONTHS[local.month - 1]}"
    clock = local.strftime("%H:%M") if short else f"{local.year} {local.strftime('%H:%M:%S')}"
    return f"{day} {clock} ({label})"


def format_time_left(delta: timedelta | None, language: str = DEFAULT_LANGUAGE) -> str:
    """``"19 h 44 min left"``, ``"1 d 05 h 30 min left"`` or ``"passed 2 h 10 min ago"``."""
    if delta is None:
        return ui_text("desk_time_unknown", language)
    seconds = int(delta.total_seconds())
    total = abs(seconds) // 60
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        duration = f"{days} d {hours:02d} h {minutes:02d} min"
    elif hours:
        duration = f"{hours} h {minutes:02d} min"
    else:
        duration = f"{minutes} min"
    key = "desk_time_passed" if seconds < 0 else "desk_time_left"
    return ui_text(key, language).format(duration=duration)


# ---------------------------------------------------------------------------
# Messages and the queue
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskMessage:
    """One message that reached the 24/7 desk.

    ``received_at`` and ``data_deleted_at`` are aware datetimes (None only where a trainee's
    input could not be read, or, for ``data_deleted_at``, when no deletion is known);
    ``sender`` is the sending State (the course's fictional ones in the queue) and
    ``sender_zone`` its clock (``"Europe/Paris"``, ``"UTC-05:00"``); ``kind`` is a code of
    :data:`KINDS`, the answer key the widget does not show. ``facts`` holds what the message
    states; keys ending in ``_at`` are aware moments (``preserved_at`` and ``threat_at`` set
    deadlines).
    """

    id: str
    received_at: datetime | None
    sender: State | None
    sender_zone: str
    kind: str
    summary: str
    data_deleted_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sender_name(self) -> str:
        return self.sender.name if self.sender else ""

    def received_in(self, zone: str | None) -> datetime | None:
        """When the message arrived, on the clock of ``zone`` (UTC if the zone is unknown)."""
        return self.received_at.astimezone(_tz(zone)) if _aware(self.received_at) else None

    def deadline(self) -> tuple[str, datetime | None]:
        """(what the deadline is, when) for the earliest deadline the message sets, or ("", None)."""
        return _deadline(self)

    def to_html(self, desk_zone: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
        """The message as the desk reads it: sender, both clocks, summary and facts (not its kind).

        ``desk_zone`` is the desk's clock; by default the queue's.
        """
        desk_zone = desk_zone or load_queue().desk_zone

        def label(key: str, **values: str) -> str:
            return html.escape(ui_text(key, language).format_map(Placeholders(values)))

        if self.sender is None:
            status = label("desk_unknown_state")
        else:
            status = label("desk_party" if self.sender.is_party else "desk_not_party")
        sender = html.escape(self.sender_name)
        received = (
            f"{html.escape(format_moment(self.received_at, desk_zone))} {label('desk_desk_time')}; "
            f"{html.escape(format_moment(self.received_at, self.sender_zone))} "
            f"{label('desk_sender_time', sender=self.sender_name)}"
        )
        facts = "".join(
            f"<li><b>{html.escape(key.replace('_', ' '))}</b>: {html.escape(_fact_text(value))}</li>"
            for key, value in self.facts.items()
        )
        return (
            f"<h4>{label('desk_message_heading', id=self.id)}</h4>"
            f"<p><b>{label('desk_from')}</b>: {sender} ({status})<br>"
            f"<b>{label('desk_received')}</b>: {received}</p>"
            f"<p>{html.escape(self.summary)}</p>"
            + (f"<p><b>{label('desk_facts')}</b></p><ul>{facts}</ul>" if facts else "")
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _fact_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _aware(moment: Any) -> bool:
    return isinstance(moment, datetime) and moment.tzinfo is not None and moment.utcoffset() is not None


@dataclass(frozen=True)
class DeskQueue:
    """The desk's night: which State's desk, its clock, the moment of the exercise, the messages.

    Iterate over it for the messages; ``queue["aland-cgn-24h"]`` gets one by id. ``now`` is the
    moment the shift is set at: pass it as ``now`` so that outputs do not depend on the day.
    """

    desk_state: State
    desk_zone: str
    now: datetime
    messages: tuple[DeskMessage, ...]

    def __iter__(self) -> Iterator[DeskMessage]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def __getitem__(self, key: int | str) -> DeskMessage:
        if isinstance(key, int):
            return self.messages[key]
        found = self.get(key)
        if found is None:
            raise KeyError(f"no message {key!r} in the queue; ids: {', '.join(self.ids)}")
        return found

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.messages]

    def get(self, message_id: str) -> DeskMessage | None:
        """The message with this id (any case), or None."""
        if not isinstance(message_id, str):
            return None
        wanted = message_id.strip().lower()
        return next((m for m in self.messages if m.id.lower() == wanted), None)


def _strict_moment(value: Any, where: str) -> datetime:
    parsed = parse_timestamp(value)
    if parsed.value is None or parsed.problem:
        raise DataError(f"{where}: {value!r} must be an ISO-8601 time with its UTC offset")
    return parsed.value


@cache
def load_queue() -> DeskQueue:
    """The desk's queue from ``data/desk_queue.yaml``; refuses a time without UTC offset."""
    doc = load_yaml("desk_queue.yaml") or {}
    where = "data/desk_queue.yaml"
    kinds = _playbook().kinds
    desk = doc.get("desk") or {}
    desk_state = lookup_state(str(desk.get("state", "")))
    if desk_state is None:
        raise DataError(f"{where}: desk.state must be a State the course knows")
    desk_zone = str(desk.get("zone", ""))
    if parse_zone(desk_zone) is None:
        raise DataError(f"{where}: desk.zone {desk_zone!r} is not a time zone")
    now = _strict_moment(desk.get("now"), f"{where} desk.now")
    messages: list[DeskMessage] = []
    for raw in doc.get("messages", []):
        ident = raw.get("id")
        here = f"{where} message {ident!r}"
        if not ident or any(m.id == ident for m in messages):
            raise DataError(f"{here}: missing its id or defined twice")
        sender = lookup_state(str(raw.get("sender", "")))
        if sender is None:
            raise DataError(f"{here}: sender must be a State the course knows")
        zone = str(raw.get("sender_zone", ""))
        if parse_zone(zone) is None:
            raise DataError(f"{here}: sender_zone {zone!r} is not a time zone")
        if raw.get("kind") not in kinds:
            raise DataError(f"{here}: kind must be one of {list(kinds)}")
        deleted = raw.get("data_deleted_at")
        facts = {
            str(key): _strict_moment(value, f"{here} facts.{key}") if str(key).endswith("_at") else value
            for key, value in (raw.get("facts") or {}).items()
        }
        messages.append(
            DeskMessage(
                id=str(ident),
                received_at=_strict_moment(raw.get("received_at"), f"{here} received_at"),
                sender=sender,
                sender_zone=zone,
                kind=raw["kind"],
                summary=" ".join(str(raw.get("summary", "")).split()),
                data_deleted_at=None if deleted is None else _strict_moment(deleted, f"{here} data_deleted_at"),
                facts=facts,
            )
        )
    return DeskQueue(desk_state, desk_zone, now, tuple(messages))


# ---------------------------------------------------------------------------
# Reading input leniently
# ---------------------------------------------------------------------------


def _moment(value: Any, name: str, read: InputReader) -> datetime | None:
    """An aware datetime from a datetime or an ISO string; a naive or unreadable one is a hit."""
    if value is None or value == "":
        return None
    parsed = parse_timestamp(value)
    if parsed.value is None:
        read.hit("time_invalid", name, value=repr(value))
        return None
    if parsed.problem == "naive":
        read.hit("time_naive", name, value=str(value))
        return None
    return parsed.value


def _zone(value: Any, name: str, read: InputReader) -> str:
    """The zone as given if the course knows it, else "UTC" (with a hit)."""
    if isinstance(value, tzinfo):
        value = str(value)
    text = read.text(value, name)
    if parse_zone(text) is None:
        read.hit("zone_unknown", name, value=text or repr(value))
        return "UTC"
    return text


def _kind_aliases(language: str) -> dict[str, str]:
    aliases = {fold(alias): kind.code for kind in _playbook().kinds.values() for alias in kind.aliases}
    aliases.update({fold(code): code for code in KINDS})
    aliases.update({fold(kind_label(code, language)): code for code in KINDS})
    return aliases


def _action_aliases(language: str) -> dict[str, str]:
    aliases = {fold(code): code for code in ACTIONS}
    for code in ACTIONS:
        label = action_label(code, language)
        aliases[fold(label)] = code
        aliases[fold(label.split(" (")[0])] = code  # the label without its citation
    return aliases


def _read_action(action: Any, read: InputReader, language: str) -> str:
    allowed = ", ".join(ACTIONS)
    if action is None or (isinstance(action, str) and not action.strip()):
        read.hit("action_missing", "action", allowed=allowed)
        return ""
    if not isinstance(action, str):
        read.hit("wrong_type", "action", expected="an action code such as 'preserve_now'", got=type(action).__name__)
        return ""
    aliases = _action_aliases(language)
    code = aliases.get(fold(action))
    if code is None:
        close = difflib.get_close_matches(fold(action), list(aliases), n=1, cutoff=0.6)
        hint = f"Did you mean '{aliases[close[0]]}'? " if close else ""
        read.hit("action_unknown", "action", value=action, hint=hint, allowed=allowed)
        return ""
    return code


def _message_from_dict(raw: dict, read: InputReader, language: str) -> DeskMessage:
    read.unknown_keys(raw, MESSAGE_FIELDS)
    sender_text = read.text(raw.get("sender"), "sender") if not isinstance(raw.get("sender"), State) else ""
    sender = raw.get("sender") if isinstance(raw.get("sender"), State) else lookup_state(sender_text)
    if sender is None and sender_text:
        read.hit("state_unknown", "sender", value=sender_text, hint=state_hint(sender_text))
    kind_text = read.text(raw.get("kind"), "kind")
    kind = read.choice(kind_text, "kind", _kind_aliases(language), KINDS) if kind_text else ""
    facts = raw.get("facts") or {}
    if not isinstance(facts, dict):
        read.hit("wrong_type", "facts", expected="a dict of facts", got=type(facts).__name__)
        facts = {}
    return DeskMessage(
        id=read.text(raw.get("id"), "id") or "?",
        received_at=_moment(raw.get("received_at"), "received_at", read),
        sender=sender,
        sender_zone=_zone(raw.get("sender_zone"), "sender_zone", read) if raw.get("sender_zone") else "UTC",
        kind=kind,
        summary=read.text(raw.get("summary"), "summary"),
        data_deleted_at=_moment(raw.get("data_deleted_at"), "data_deleted_at", read),
        facts=_read_facts(facts, read),
    )


def _read_facts(facts: dict, read: InputReader) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in facts.items():
        key = str(key)
        clean[key] = _moment(value, f"facts.{key}", read) if key.endswith("_at") else value
    return clean


def _checked_message(message: DeskMessage, read: InputReader, language: str) -> DeskMessage:
    """A DeskMessage made by hand may hold naive times or junk: read it as leniently as a dict."""
    return _message_from_dict(
        {
            "id": message.id,
            "received_at": message.received_at,
            "sender": message.sender,
            "sender_zone": message.sender_zone,
            "kind": message.kind,
            "summary": message.summary,
            "data_deleted_at": message.data_deleted_at,
            "facts": message.facts,
        },
        read,
        language,
    )


def _read_message(message: Any, read: InputReader, queue: DeskQueue, language: str) -> DeskMessage | None:
    if isinstance(message, DeskMessage):
        if message in queue.messages:
            return message
        return _checked_message(message, read, language)
    if isinstance(message, str):
        found = queue.get(message)
        if found is None:
            close = difflib.get_close_matches(message.strip().lower(), queue.ids, n=1, cutoff=0.5)
            hint = f"Did you mean '{close[0]}'?" if close else f"The ids are: {', '.join(queue.ids)}."
            read.hit("message_unknown", "message", value=message, hint=hint)
        return found
    if isinstance(message, dict):
        return _message_from_dict(message, read, language)
    read.hit("not_a_message", "message", got=type(message).__name__)
    return None


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


def _deadline(message: DeskMessage | None) -> tuple[str, datetime | None]:
    """The earliest deadline the message sets: (what, when in UTC), or ("", None)."""
    if message is None:
        return "", None
    candidates: list[tuple[datetime, str]] = []
    if _aware(message.data_deleted_at):
        candidates.append((message.data_deleted_at.astimezone(UTC), "data_deleted"))
    preserved = message.facts.get("preserved_at")
    if _aware(preserved):
        days = _playbook().preservation_days
        candidates.append((preserved.astimezone(UTC) + timedelta(days=days), "preservation_ends"))
    threat = message.facts.get("threat_at")
    if _aware(threat):
        candidates.append((threat.astimezone(UTC), "threat"))
    if not candidates:
        return "", None
    moment, what = min(candidates)
    return what, moment


def deadline_label(what: str, language: str = DEFAULT_LANGUAGE) -> str:
    """What a deadline is, in words ("deletion of the data"); "" for no deadline."""
    if not what:
        return ""
    return ui_text(f"desk_deadline_{what}", language).format(days=_playbook().preservation_days)


# ---------------------------------------------------------------------------
# The outcome
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskOutcome(FindingsView):
    """Whether an action fits a message, why (cited findings), and the deadline on both clocks.

    ``fits`` is True when the action is one that fits this kind of message; ``best`` lists the
    actions that fit; ``reason`` is the finding that says why the action fits or not, and
    ``findings`` holds it with every other point (deadlines, input). ``deadline`` is in UTC;
    ``deadline_desk`` and ``deadline_sender`` show it on the desk's and the sender's clocks,
    ``time_left`` counts from ``now`` (negative once passed). ``unverified`` lists finding
    codes whose treaty citation the course has only from memory.
    """

    message: DeskMessage | None
    action: str
    fits: bool
    best: tuple[str, ...]
    findings: tuple[Finding, ...]
    desk_zone: str
    now: datetime | None
    deadline_for: str = ""
    deadline: datetime | None = None
    reason_code: str = ""
    unverified: tuple[str, ...] = ()
    headline: str = ""
    language: str = DEFAULT_LANGUAGE

    # -- reading the outcome ------------------------------------------------------
    @property
    def reason(self) -> Finding | None:
        """The finding that says why the action fits the message, or why it does not."""
        return next((f for f in self.findings if f.code == self.reason_code), None)

    @property
    def decided(self) -> bool:
        """True when the desk could judge the action (message kind and action both known)."""
        return bool(self.reason_code)

    @property
    def kind(self) -> str:
        return self.message.kind if self.message else ""

    @property
    def sender_zone(self) -> str:
        if self.message is None or parse_zone(self.message.sender_zone) is None:
            return "UTC"
        return self.message.sender_zone

    @property
    def deadline_desk(self) -> datetime | None:
        """The deadline on the desk's clock."""
        return self.deadline.astimezone(_tz(self.desk_zone)) if self.deadline else None

    @property
    def deadline_sender(self) -> datetime | None:
        """The deadline on the sender's clock."""
        return self.deadline.astimezone(_tz(self.sender_zone)) if self.deadline else None

    @property
    def received_desk(self) -> datetime | None:
        return self.message.received_in(self.desk_zone) if self.message else None

    @property
    def received_sender(self) -> datetime | None:
        return self.message.received_in(self.sender_zone) if self.message else None

    @property
    def time_left(self) -> timedelta | None:
        """From ``now`` to the deadline, counted in real time (a DST change does not add an hour)."""
        if self.deadline is None or self.now is None:
            return None
        return self.deadline - self.now

    @property
    def time_left_text(self) -> str:
        if self.deadline is None:
            return ui_text("desk_no_deadline", self.language)
        return format_time_left(self.time_left, self.language)

    def deadline_text(self) -> str:
        """The deadline in words on both clocks, with the time left; or "no deadline stated"."""
        if self.deadline is None:
            return ui_text("desk_no_deadline", self.language)
        sender = self.message.sender_name if self.message else ""
        return (
            f"{deadline_label(self.deadline_for, self.language)}: "
            f"{format_moment(self.deadline, self.desk_zone)} {ui_text('desk_desk_time', self.language)}; "
            f"{format_moment(self.deadline, self.sender_zone)} "
            f"{ui_text('desk_sender_time', self.language).format(sender=sender)} ({self.time_left_text})"
        )

    @property
    def action_label(self) -> str:
        return action_label(self.action, self.language) if self.action else ""

    @property
    def best_labels(self) -> list[str]:
        return [action_label(a, self.language) for a in self.best]

    def summary(self) -> str:
        return self.headline

    def to_frame(self):
        """The findings as a pandas DataFrame, with whether each is verified."""
        return self.findings_frame(verified=lambda f: f.code not in self.unverified)

    def __str__(self) -> str:
        lines = [self.headline]
        if self.best and not self.fits:
            lines.append(f"{ui_text('desk_what_fits', self.language)}: {'; '.join(self.best_labels)}")
        lines.append(f"{ui_text('desk_deadline', self.language)}: {self.deadline_text()}")
        for f in self.findings:
            flag = f" [{ui_text('desk_not_verified', self.language)}]" if f.code in self.unverified else ""
            lines.append(f"{f}{flag}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def label(key: str) -> str:
            return html.escape(ui_text(key, self.language))

        colour = "#15803d" if self.fits else ("#b91c1c" if self.decided else "#b45309")
        parts = [f'<p><b style="color:{colour}">{html.escape(self.headline)}</b></p>']
        if self.message is not None and self.message.kind:
            parts.append(f"<p>{label('desk_kind_is')}: <b>{html.escape(kind_label(self.message.kind, self.language))}</b>.")
            if self.best and not self.fits:
                parts.append(f" {label('desk_what_fits')}: <b>{html.escape('; '.join(self.best_labels))}</b>.")
            parts.append("</p>")
        if self.action:
            basis = "; ".join(str(c) for c in action_citations(self.action))
            parts.append(f"<p><small>{label('desk_legal_basis')}: <i>{html.escape(basis)}</i></small></p>")
        parts.append(f"<p><b>{label('desk_deadline')}</b>: {html.escape(self.deadline_text())}</p>")
        if self.findings:
            ordered = sorted(self.findings, key=lambda f: f.code != self.reason_code)
            items = "".join(
                f.html_item(
                    show_field=False,
                    note=unverified_mark(label("desk_not_verified")) if f.code in self.unverified else "",
                )
                for f in ordered
            )
            parts.append(f"<p>{label('desk_reasons')}</p><ul>{items}</ul>")
        return "".join(parts)


def _unverified(findings: Iterable[Finding]) -> tuple[str, ...]:
    """Codes whose rule is marked ``verified: false`` or whose treaty citation is not yet verified."""
    flags = {
        raw["code"]: raw.get("verified", True) is not False
        for raw in (load_yaml("rules", f"{BOOK}.yaml") or {}).get("rules", [])
        if isinstance(raw, dict) and raw.get("code")
    }
    out = []
    for f in findings:
        verified = flags.get(f.code, True)
        if verified and f.citation.is_treaty:
            try:
                verified = cite(f.citation).verified
            except KeyError:
                verified = False
        if not verified:
            out.append(f.code)
    return tuple(dict.fromkeys(out))


def _now(now: Any, read: InputReader) -> datetime | None:
    if now is None:
        return datetime.now(UTC)
    return _moment(now, "now", read)


def assess_action(
    message: DeskMessage | str | dict,
    action: str,
    now: datetime | str | None = None,
    desk_zone: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> DeskOutcome:
    """Judge one action of the 24/7 desk on one incoming message; never raises on bad input.

    ``message`` is a :class:`DeskMessage`, the id of a message in :func:`load_queue`, or a dict
    of its fields; ``action`` a code of :data:`ACTIONS` (or its label). ``now`` is the moment
    the desk decides (aware; pass the queue's ``now`` for results that do not depend on the
    day; None means the real clock). ``desk_zone`` is the desk's clock, by default the
    queue's. The outcome says whether the action fits, why (cited findings), and the deadline
    on both clocks with the time left.
    """
    hits: list[Hit] = []
    read = InputReader("desk", hits)
    language = read.language(language)
    queue = load_queue()
    msg = _read_message(message, read, queue, language)
    code = _read_action(action, read, language)
    moment = _now(now, read)
    zone = _zone(queue.desk_zone if desk_zone is None else desk_zone, "desk_zone", read)
    kinds = _playbook().kinds
    kind = kinds.get(msg.kind) if msg is not None else None
    if msg is not None and kind is None:
        read.hit("kind_missing", "kind", allowed=", ".join(KINDS))

    deadline_for, deadline = _deadline(msg)
    sender_name = msg.sender_name if msg is not None and msg.sender_name else ui_text("desk_the_sender", language)
    sender_zone = msg.sender_zone if msg is not None and parse_zone(msg.sender_zone) else "UTC"
    time_left = deadline - moment if deadline is not None and moment is not None else None
    best = kind.fits if kind else ()
    params = {
        "sender": sender_name,
        "desk_state": queue.desk_state.name,
        "action": action_label(code, language) if code else "",
        "best": ui_text("desk_or", language).join(action_label(a, language) for a in best),
        "deadline_for": deadline_label(deadline_for, language) or ui_text("desk_no_deadline", language),
        "deadline_desk": format_moment(deadline, zone) or ui_text("desk_no_deadline", language),
        "deadline_sender": format_moment(deadline, sender_zone) or ui_text("desk_no_deadline", language),
        "time_left": format_time_left(time_left, language),
        "days": str(_playbook().preservation_days),
        "soon_hours": f"{_playbook().soon_hours:g}",
    }

    if msg is not None and msg.sender is not None and not msg.sender.is_party and msg.kind != "non_party":
        hits.append(Hit("desk.sender_not_party", "sender", params))
    reason_code = ""
    if kind is not None and code:
        reason_code = kind.verdict(code)
        hits.append(Hit(reason_code, "action", params))
    if kind is not None:
        hits.extend(Hit(note, "message", params) for note in kind.notes)
    if deadline_for == "preservation_ends":
        hits.append(Hit("desk.preservation_window", "deadline", params))
    if time_left is not None and deadline_for in ("data_deleted", "threat"):
        if time_left <= timedelta(0):
            hits.append(Hit("desk.deadline_passed", "deadline", params))
        elif time_left < timedelta(hours=_playbook().soon_hours):
            hits.append(Hit("desk.deadline_soon", "deadline", params))

    findings = word(BOOK, hits, language)
    fits = bool(kind is not None and code and code in kind.fits)
    if not reason_code:
        headline = ui_text("desk_verdict_undecided", language)
    else:
        key = "desk_verdict_fits" if fits else "desk_verdict_misfit"
        headline = ui_text(key, language).format_map(Placeholders(action=params["action"]))
    return DeskOutcome(
        message=msg,
        action=code,
        fits=fits,
        best=best,
        findings=findings,
        desk_zone=zone,
        now=moment,
        deadline_for=deadline_for,
        deadline=deadline,
        reason_code=reason_code,
        unverified=_unverified(findings),
        headline=headline,
        language=language,
    )


# ---------------------------------------------------------------------------
# The deadline table
# ---------------------------------------------------------------------------


def queue_line(message: DeskMessage, desk_zone: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """One line of the queue: id, sender, received on the desk's clock and on the sender's."""
    return ui_text("desk_queue_line", language).format_map(
        Placeholders(
            id=message.id,
            sender=message.sender_name or "?",
            received_desk=format_moment(message.received_at, desk_zone, short=True),
            received_sender=format_moment(message.received_at, message.sender_zone, short=True),
        )
    )


TABLE_COLUMNS = [
    "id", "sender", "received_desk", "received_sender", "deadline_for",
    "deadline_desk", "deadline_sender", "time_left", "hours_left",
]


def deadline_table(
    queue: DeskQueue | Iterable[DeskMessage] | None = None,
    desk_zone: str | None = None,
    now: datetime | str | None = None,
    language: str = DEFAULT_LANGUAGE,
):
    """Every message's deadline on the desk's and the sender's clocks, most urgent first.

    A pandas DataFrame with :data:`TABLE_COLUMNS`; ``hours_left`` is numeric (NaN when there is
    no deadline, negative once passed). Input that cannot be read (a naive ``now``, an unknown
    zone, an item that is not a message) becomes findings in ``table.attrs["findings"]``.
    """
    import pandas as pd

    hits: list[Hit] = []
    read = InputReader("desk", hits)
    language = read.language(language)
    default = load_queue()
    if queue is None:
        queue = default
    zone_default = queue.desk_zone if isinstance(queue, DeskQueue) else default.desk_zone
    zone = _zone(zone_default if desk_zone is None else desk_zone, "desk_zone", read)
    moment = _now(now, read)
    messages: list[DeskMessage] = []
    items = queue if isinstance(queue, (DeskQueue, list, tuple)) else None
    if items is None:
        read.hit("not_a_message", "queue", got=type(queue).__name__)
        items = ()
    for item in items:
        message = _read_message(item, read, default, language)
        if message is not None:
            messages.append(message)
    rows = []
    for m in messages:
        what, deadline = _deadline(m)
        left = deadline - moment if deadline is not None and moment is not None else None
        sender_zone = m.sender_zone if parse_zone(m.sender_zone) else "UTC"
        rows.append(
            {
                "id": m.id,
                "sender": m.sender_name,
                "received_desk": format_moment(m.received_at, zone, short=True),
                "received_sender": format_moment(m.received_at, sender_zone, short=True),
                "deadline_for": deadline_label(what, language),
                "deadline_desk": format_moment(deadline, zone),
                "deadline_sender": format_moment(deadline, sender_zone),
                "time_left": (format_time_left(left, language) if left is not None else "")
                if deadline is not None
                else ui_text("desk_no_deadline", language),
                "hours_left": left.total_seconds() / 3600 if left is not None else math.nan,
                "_received": m.received_at.astimezone(UTC) if _aware(m.received_at) else datetime.max.replace(tzinfo=UTC),
                "_deadline": deadline if deadline is not None else datetime.max.replace(tzinfo=UTC),
            }
        )
    rows.sort(key=lambda r: (r["_deadline"], r["_received"]))
    table = pd.DataFrame([{k: r[k] for k in TABLE_COLUMNS} for r in rows], columns=TABLE_COLUMNS)
    table["hours_left"] = table["hours_left"].astype(float).round(2)
    table.attrs["findings"] = word(BOOK, hits, language)
    return table


def desk_clock(now: datetime, desk_zone: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """``"Desk clock: Sun 30 Mar 2025 02:30:00 (UTC+02:00)"``."""
    return ui_text("desk_clock", language).format(now=format_moment(now, desk_zone))


__all__ = [
    "ACTIONS",
    "DEADLINES",
    "KINDS",
    "Action",
    "DeskMessage",
    "DeskOutcome",
    "DeskQueue",
    "Kind",
    "action_citations",
    "action_label",
    "assess_action",
    "deadline_label",
    "deadline_table",
    "desk_clock",
    "fitting_actions",
    "format_moment",
    "format_time_left",
    "kind_label",
    "load_queue",
    "playbook_table",
    "queue_line",
]
