"""Expedited preservation requests (Article 29, with Article 30): the model and its checks.

Trainees type plain dicts; :func:`check_preservation_request` accepts those or a
:class:`PreservationRequest` and never raises on bad input: every malformed value
becomes a finding that says what is wrong, how to fix it, and which article asks for it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from .evidence_time import parse_day, parse_timestamp, parse_zone
from .findings import Report
from .messages import DEFAULT_LANGUAGE
from .parties import lookup_state, suggest_state
from .reading import InputReader
from .rules import Hit, word

ELEMENTS = ("a", "b", "c", "d", "e", "f")  # Article 29(2)(a)-(f)
CATEGORIES = ("subscriber", "traffic", "content")
IDENTIFIER_TYPES = ("ip", "account", "email", "url", "domain", "phone", "imei", "other")
STATUSES = ("new", "extension")
MINIMUM_DAYS = 60  # Article 29(7)
BROAD_WINDOW_DAYS = 30  # checklist C12: flag wider windows
BROAD_IP_WINDOW_HOURS = 24
FACTS_MIN_WORDS = 8
FACTS_MAX_WORDS = 300

DOCUMENTATION_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
# Addresses that never identify a subscriber at a foreign access provider.
NON_PUBLIC_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
        "127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/8", "::1/128", "fc00::/7", "fe80::/10",
    )
)

_EMERGENCY = re.compile(
    r"\b(threat(?:s|ened)? to (?:life|kill)|danger to life|risk to (?:life|the life)|imminent|"
    r"suicid\w*|self-harm|bomb|hostage|kidnap\w*|abduct\w*|missing child|life[- ]threatening)\b",
    re.IGNORECASE,
)
_ASKS_DISCLOSURE = re.compile(
    r"\b(?:please\s+(?:send|provide|disclose|hand over|forward|transmit)|"
    r"(?:send|provide|disclose|hand over|forward|transmit)\s+(?:to\s+)?us|"
    r"(?:send|provide|disclose|hand over|forward)\s+(?:the|all|a copy of the|copies of the)\s+"
    r"(?:content|data|records|logs|messages|e-?mails)|provide\s+(?:copies|a copy))\b",
    re.IGNORECASE,
)
_MLA_WORDS = re.compile(
    r"\b(mutual legal assistance|legal assistance|mla|letter rogatory|rogatory|"
    r"commission rogatoire|entraide)\b",
    re.IGNORECASE,
)
_RETENTION_WORDS = re.compile(
    r"\b(retention|retain|retained|deleted?|deletion|overwrit\w*|kept|keeps|keep|purge\w*|"
    r"rotat\w*|volatile|erase\w*|\d+\s*(?:days?|hours?|h|weeks?))\b",
    re.IGNORECASE,
)
_UNKNOWN_WORDS = re.compile(r"^\s*(unknown|not known|inconnu)\b", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}\.?$", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://([^/\s:?#]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Authority:
    """The requesting authority (Article 29(2)(a); T-CY template field 5)."""

    organisation: str = ""
    person: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    office_hours: str = ""
    time_zone: str = ""


@dataclass(frozen=True)
class DataItem:
    """One set of stored data to preserve (Article 29(2)(c)): what, which identifier, when, and why."""

    category: str = ""  # subscriber | traffic | content
    identifier_type: str = ""  # ip | account | email | url | domain | phone | imei | other
    identifier: str = ""
    source_port: int | None = None
    start: datetime | str | None = None
    end: datetime | str | None = None
    relation: str = ""  # how this data relates to the offence


@dataclass(frozen=True)
class PreservationRequest:
    """A request to preserve stored computer data under Article 29, in the T-CY template's order."""

    date: date | str | None = None
    reference: str = ""
    status: str = "new"  # new | extension
    previous_reference: str = ""
    requested_party: str = ""
    requested_authority: str = ""
    requesting_authority: Authority = Authority()
    offence: str = ""
    legal_provisions: str = ""
    convention_offence: str = ""  # the Article 2-11 offence it corresponds to, e.g. "8"
    summary_of_facts: str = ""
    data_items: tuple[DataItem, ...] = ()
    custodian: str = ""
    location: str = ""
    necessity: str = ""
    mla_follow_up: str | bool = ""
    preservation_days: int | None = None
    confidentiality: bool | None = None
    article30_request: bool | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PreservationRequest:
        """Build a request from a dict with the same field names (unknown keys are ignored)."""
        return _coerce(raw)[0]

    def to_dict(self) -> dict[str, Any]:
        """The request as a plain dict with the field names trainees type."""
        return _as_plain(self)


REQUEST_FIELDS = tuple(f.name for f in fields(PreservationRequest))
AUTHORITY_FIELDS = tuple(f.name for f in fields(Authority))
ITEM_FIELDS = tuple(f.name for f in fields(DataItem))


def _as_plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: _as_plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, (list, tuple)):
        return [_as_plain(v) for v in obj]
    return obj


# ---------------------------------------------------------------------------
# Reading trainee input
# ---------------------------------------------------------------------------


def _authority(value: Any, read: InputReader) -> Authority:
    if isinstance(value, Authority):
        value = asdict(value)
    if isinstance(value, str):
        return Authority(organisation=value.strip())
    if value is None:
        return Authority()
    if not isinstance(value, dict):
        read.hit("wrong_type", "requesting_authority",
                 expected="a dict such as {'organisation': ..., 'email': ...}", got=type(value).__name__)
        return Authority()
    read.unknown_keys(value, AUTHORITY_FIELDS, "requesting_authority.")
    return Authority(
        **{name: read.text(value.get(name), f"requesting_authority.{name}") for name in AUTHORITY_FIELDS}
    )


def _port(value: Any, field: str, hits: list[Hit]) -> int | None:
    if value is None or value == "":
        return None
    try:
        port = int(value)
        if isinstance(value, float) and value != port:
            raise ValueError
    except (TypeError, ValueError):
        hits.append(Hit("ip.port_invalid", field, {"value": value}))
        return None
    if not 0 <= port <= 65535 or isinstance(value, bool):
        hits.append(Hit("ip.port_invalid", field, {"value": value}))
        return None
    return port


def _item(value: Any, index: int, read: InputReader) -> DataItem | None:
    prefix = f"data_items[{index}]"
    if isinstance(value, DataItem):
        value = asdict(value)
    if isinstance(value, str):
        value = {"identifier": value}
    if not isinstance(value, dict):
        read.hit("wrong_type", prefix, expected="a dict describing one set of data", got=type(value).__name__)
        return None
    read.unknown_keys(value, ITEM_FIELDS, f"{prefix}.")
    return DataItem(
        category=read.text(value.get("category"), f"{prefix}.category").lower(),
        identifier_type=read.text(value.get("identifier_type"), f"{prefix}.identifier_type").lower(),
        identifier=read.text(value.get("identifier"), f"{prefix}.identifier"),
        source_port=_port(value.get("source_port"), f"{prefix}.source_port", read.hits),
        start=value.get("start"),
        end=value.get("end"),
        relation=read.text(value.get("relation"), f"{prefix}.relation"),
    )


def _coerce(raw: Any) -> tuple[PreservationRequest, list[Hit]]:
    """Read a dict (or a request) leniently: a value that cannot be used becomes a hit, not an error."""
    hits: list[Hit] = []
    read = InputReader("request", hits)
    raw = read.fields_of(raw, PreservationRequest, REQUEST_FIELDS, "request")

    items_raw = raw.get("data_items", ())
    if isinstance(items_raw, (dict, DataItem)):
        items_raw = [items_raw]
    if items_raw is None:
        items_raw = []
    if not isinstance(items_raw, (list, tuple)):
        read.hit("wrong_type", "data_items", expected="a list of dicts", got=type(items_raw).__name__)
        items_raw = []
    items = tuple(i for i in (_item(v, n, read) for n, v in enumerate(items_raw)) if i is not None)

    days_raw = raw.get("preservation_days")
    days = None
    if days_raw not in (None, ""):
        try:
            days = int(days_raw)
            if isinstance(days_raw, bool) or days < 1:
                raise ValueError
        except (TypeError, ValueError):
            hits.append(Hit("period.invalid", "preservation_days", {"value": days_raw}))
            days = None

    mla = raw.get("mla_follow_up", "")
    if not isinstance(mla, bool):
        mla = read.text(mla, "mla_follow_up")

    request = PreservationRequest(
        date=raw.get("date"),
        reference=read.text(raw.get("reference"), "reference"),
        status=(read.text(raw.get("status"), "status") or "new").lower(),
        previous_reference=read.text(raw.get("previous_reference"), "previous_reference"),
        requested_party=read.text(raw.get("requested_party"), "requested_party"),
        requested_authority=read.text(raw.get("requested_authority"), "requested_authority"),
        requesting_authority=_authority(raw.get("requesting_authority"), read),
        offence=read.text(raw.get("offence"), "offence"),
        legal_provisions=read.text(raw.get("legal_provisions"), "legal_provisions"),
        convention_offence=read.text(raw.get("convention_offence"), "convention_offence"),
        summary_of_facts=read.text(raw.get("summary_of_facts"), "summary_of_facts"),
        data_items=items,
        custodian=read.text(raw.get("custodian"), "custodian"),
        location=read.text(raw.get("location"), "location"),
        necessity=read.text(raw.get("necessity"), "necessity"),
        mla_follow_up=mla,
        preservation_days=days,
        confidentiality=read.flag(raw.get("confidentiality"), "confidentiality"),
        article30_request=read.flag(raw.get("article30_request"), "article30_request"),
    )
    return request, hits


# ---------------------------------------------------------------------------
# The checks, one per concern; each appends hits
# ---------------------------------------------------------------------------


def _check_header(r: PreservationRequest, hits: list[Hit]) -> None:
    if r.date in (None, ""):
        hits.append(Hit("date.missing", "date"))
    elif parse_day(r.date) is None:
        hits.append(Hit("date.invalid", "date", {"value": r.date}))
    if not r.reference:
        hits.append(Hit("reference.missing", "reference"))
    if r.status not in STATUSES:
        hits.append(Hit("status.invalid", "status", {"value": r.status}))
    elif r.status == "extension" and not r.previous_reference:
        hits.append(Hit("status.extension_without_reference", "previous_reference"))
    if not r.requested_authority:
        hits.append(Hit("requested_authority.missing", "requested_authority"))


def _check_party(r: PreservationRequest, hits: list[Hit]) -> None:
    if not r.requested_party:
        hits.append(Hit("party.missing", "requested_party"))
        return
    state = lookup_state(r.requested_party)
    if state is None:
        suggestion = suggest_state(r.requested_party)
        hint = f"Did you mean '{suggestion}'?" if suggestion else "Check the spelling against the list of Parties."
        hits.append(Hit("party.unknown", "requested_party", {"value": r.requested_party, "hint": hint}))
        return
    if not state.is_party:
        status = {"signatory": "it has signed but not ratified", "invited": "it has been invited to accede"}
        hits.append(
            Hit("party.not_party", "requested_party",
                {"state": state.name, "status": status.get(state.status, "it has neither signed nor acceded")})
        )
        return
    if state.reservation_29_4:
        article = r.convention_offence.lower().removeprefix("art.").removeprefix("article").strip()
        if not article:
            hits.append(Hit("party.reservation_offence_unstated", "convention_offence", {"state": state.name}))
        elif not (article.isdigit() and 2 <= int(article) <= 11):
            hits.append(Hit("party.reservation_may_refuse", "convention_offence", {"state": state.name}))


def _check_authority(r: PreservationRequest, hits: list[Hit]) -> None:
    a = r.requesting_authority
    if not a.organisation:
        hits.append(Hit("authority.missing", "requesting_authority.organisation"))
    if not a.person:
        hits.append(Hit("authority.person_missing", "requesting_authority.person"))
    missing = [name for name, value in (("phone", a.phone), ("e-mail", a.email)) if not value]
    if missing:
        hits.append(Hit("contact.missing", "requesting_authority", {"missing": " and ".join(missing)}))
    if a.email and not _EMAIL.match(a.email):
        hits.append(Hit("contact.email_invalid", "requesting_authority.email", {"value": a.email}))
    if a.phone and not _PHONE.match(a.phone):
        hits.append(Hit("contact.phone_invalid", "requesting_authority.phone", {"value": a.phone}))
    if not a.time_zone:
        hits.append(Hit("contact.time_zone_missing", "requesting_authority.time_zone"))
    elif parse_zone(a.time_zone) is None:
        hits.append(Hit("contact.time_zone_invalid", "requesting_authority.time_zone", {"value": a.time_zone}))
    if not a.office_hours:
        hits.append(Hit("contact.office_hours_missing", "requesting_authority.office_hours"))


def _check_offence(r: PreservationRequest, hits: list[Hit]) -> None:
    if not r.offence:
        hits.append(Hit("offence.missing", "offence"))
    if not r.legal_provisions:
        hits.append(Hit("offence.provision_missing", "legal_provisions"))
    words = len(r.summary_of_facts.split())
    if words == 0:
        hits.append(Hit("facts.missing", "summary_of_facts"))
    elif words < FACTS_MIN_WORDS:
        hits.append(Hit("facts.too_short", "summary_of_facts", {"words": words}))
    elif words > FACTS_MAX_WORDS:
        hits.append(Hit("facts.too_long", "summary_of_facts", {"words": words, "limit": FACTS_MAX_WORDS}))


def _identifier_kind(item: DataItem) -> str:
    if item.identifier_type:
        return item.identifier_type
    try:
        _split_ip(item.identifier)
        return "ip"
    except ValueError:
        return ""


def _split_ip(text: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int | None]:
    """'192.0.2.7', '192.0.2.7:51234', '2001:db8::1' or '[2001:db8::1]:443' -> (address, port)."""
    text = text.strip()
    bracketed = re.match(r"^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$", text)
    if bracketed:
        return ipaddress.ip_address(bracketed[1]), int(bracketed[2]) if bracketed[2] else None
    with_port = re.match(r"^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$", text)
    if with_port:
        return ipaddress.ip_address(with_port[1]), int(with_port[2])
    return ipaddress.ip_address(text), None


def _host_of(item: DataItem, kind: str) -> str:
    value = item.identifier
    if kind == "email" and "@" in value:
        return value.rsplit("@", 1)[1]
    if kind == "url":
        match = _URL.match(value)
        return match[1] if match else ""
    if kind == "domain":
        return value
    return ""


def _check_identifier(item: DataItem, prefix: str, hits: list[Hit]) -> tuple[str, Any]:
    """Check one identifier; returns (kind, ip address or None)."""
    kind = _identifier_kind(item)
    if kind and kind not in IDENTIFIER_TYPES:
        hits.append(Hit("data.identifier_type_invalid", f"{prefix}.identifier_type",
                        {"value": kind, "allowed": ", ".join(IDENTIFIER_TYPES)}))
        return kind, None
    if kind == "ip":
        try:
            address, port = _split_ip(item.identifier)
        except ValueError:
            hits.append(Hit("ip.invalid", f"{prefix}.identifier", {"value": item.identifier}))
            return kind, None
        if port is not None and not 0 <= port <= 65535:
            hits.append(Hit("ip.port_invalid", f"{prefix}.identifier", {"value": port}))
        if not any(address in net for net in DOCUMENTATION_NETWORKS):
            hits.append(Hit("training.real_ip", f"{prefix}.identifier", {"value": str(address)}))
        if any(address in net for net in NON_PUBLIC_NETWORKS):
            hits.append(Hit("ip.not_public", f"{prefix}.identifier", {"value": str(address)}))
        elif address.version == 4 and item.source_port is None and port is None and item.category != "content":
            hits.append(Hit("ip.source_port_missing", f"{prefix}.source_port", {"value": str(address)}))
        return kind, address
    checks = {
        "email": lambda v: bool(_EMAIL.match(v)),
        "url": lambda v: bool(_URL.match(v)),
        "domain": lambda v: bool(_HOST.match(v)),
        "phone": lambda v: bool(_PHONE.match(v)),
        "imei": lambda v: bool(re.fullmatch(r"\d{14,16}", v.replace(" ", "").replace("-", ""))),
    }
    if kind in checks and not checks[kind](item.identifier):
        hits.append(Hit("data.identifier_malformed", f"{prefix}.identifier", {"value": item.identifier, "kind": kind}))
    host = _host_of(item, kind).rstrip(".").lower()
    if host and not host.endswith(".example"):
        hits.append(Hit("training.real_domain", f"{prefix}.identifier", {"value": host}))
    return kind, None


def _check_window(item: DataItem, prefix: str, kind: str, request_day: date | None, hits: list[Hit]) -> None:
    moments = {}
    for name in ("start", "end"):
        value = getattr(item, name)
        if value in (None, ""):
            continue
        parsed = parse_timestamp(value)
        if parsed.problem == "invalid":
            hits.append(Hit("time.invalid", f"{prefix}.{name}", {"value": value}))
            continue
        if parsed.problem == "naive":
            hits.append(Hit("time.naive", f"{prefix}.{name}", {"value": parsed.value.isoformat()}))
        elif not parsed.has_seconds:
            hits.append(Hit("time.no_seconds", f"{prefix}.{name}", {"value": value}))
        moments[name] = parsed.value
    if not moments:
        if kind == "ip":
            hits.append(Hit("data.ip_without_time", f"{prefix}.start"))
        elif item.category in ("traffic", "content"):
            hits.append(Hit("time.window_missing", f"{prefix}.start"))
        return
    start, end = moments.get("start"), moments.get("end")
    if start is None or end is None:
        hits.append(Hit("time.window_open", f"{prefix}.{'end' if end is None else 'start'}"))
    elif (start.tzinfo is None) == (end.tzinfo is None):
        if start > end:
            hits.append(Hit("time.window_reversed", f"{prefix}.end"))
        else:
            span = end - start
            if span.days > BROAD_WINDOW_DAYS:
                hits.append(Hit("time.window_broad", f"{prefix}.end", {"days": span.days, "limit": BROAD_WINDOW_DAYS}))
            elif kind == "ip" and span.total_seconds() > BROAD_IP_WINDOW_HOURS * 3600:
                hits.append(Hit("time.ip_window_broad", f"{prefix}.end", {"hours": int(span.total_seconds() // 3600)}))
    if request_day is not None:
        for name, moment in moments.items():
            if moment.date() > request_day:
                hits.append(Hit("time.future", f"{prefix}.{name}", {"value": moment.isoformat()}))


def _check_data(r: PreservationRequest, hits: list[Hit]) -> None:
    if not r.data_items:
        hits.append(Hit("data.missing", "data_items"))
        return
    request_day = parse_day(r.date) if r.date not in (None, "") else None
    for index, item in enumerate(r.data_items):
        prefix = f"data_items[{index}]"
        if not item.identifier:
            hits.append(Hit("data.identifier_missing", f"{prefix}.identifier"))
            kind = item.identifier_type
        else:
            kind, _ = _check_identifier(item, prefix, hits)
        if not item.category:
            hits.append(Hit("data.category_missing", f"{prefix}.category"))
        elif item.category not in CATEGORIES:
            hits.append(Hit("data.category_invalid", f"{prefix}.category",
                            {"value": item.category, "allowed": ", ".join(CATEGORIES)}))
        if not item.relation:
            hits.append(Hit("data.relation_missing", f"{prefix}.relation"))
        _check_window(item, prefix, kind, request_day, hits)


def _check_custodian(r: PreservationRequest, hits: list[Hit]) -> None:
    given = [value for value in (r.custodian, r.location) if value]
    if not given:
        hits.append(Hit("custodian.missing", "custodian"))
    elif all(_UNKNOWN_WORDS.match(value) for value in given):
        hits.append(Hit("custodian.unknown", "custodian"))


def _check_necessity(r: PreservationRequest, hits: list[Hit]) -> None:
    if not r.necessity:
        hits.append(Hit("necessity.missing", "necessity"))
    elif not _RETENTION_WORDS.search(r.necessity):
        hits.append(Hit("necessity.no_retention", "necessity"))


def _check_follow_up(r: PreservationRequest, hits: list[Hit]) -> None:
    mla = r.mla_follow_up
    if mla is False or mla == "":
        hits.append(Hit("mla_intent.missing", "mla_follow_up"))
    elif isinstance(mla, str) and not _MLA_WORDS.search(mla):
        hits.append(Hit("mla_intent.vague", "mla_follow_up"))
    if r.preservation_days is not None and r.preservation_days < MINIMUM_DAYS:
        hits.append(Hit("period.too_short", "preservation_days", {"days": r.preservation_days, "minimum": MINIMUM_DAYS}))


def _check_practice(r: PreservationRequest, hits: list[Hit]) -> None:
    if r.confidentiality is not True:
        hits.append(Hit("confidentiality.not_requested", "confidentiality"))
    if r.article30_request is not True and any(i.category == "traffic" for i in r.data_items):
        hits.append(Hit("art30.not_requested", "article30_request"))
    free_text = (("necessity", r.necessity), ("summary_of_facts", r.summary_of_facts),
                 *((f"data_items[{n}].relation", i.relation) for n, i in enumerate(r.data_items)))
    for name, text in free_text:
        if _ASKS_DISCLOSURE.search(text):
            hits.append(Hit("scope.asks_disclosure", name))
            break
    if _EMERGENCY.search(" ".join((r.summary_of_facts, r.necessity, r.offence))):
        hits.append(Hit("emergency.use_emergency_channel", "summary_of_facts"))


CHECKS = (
    _check_header, _check_party, _check_authority, _check_offence, _check_data,
    _check_custodian, _check_necessity, _check_follow_up, _check_practice,
)


def check_preservation_request(request: PreservationRequest | dict, language: str = DEFAULT_LANGUAGE) -> Report:
    """Check a draft Article 29 request; returns a :class:`Report` and never raises on bad input.

    ``report.ok`` is True when no finding is an error; ``report.missing_elements`` lists the
    letters of Article 29(2) that the draft does not satisfy; ``report.findings`` says what
    is wrong, how to fix it, and cites the article.
    """
    parsed, hits = _coerce(request)
    for check in CHECKS:
        check(parsed, hits)
    findings = word("preservation", hits, language)
    missing = tuple(sorted({f.element for f in findings if f.element and f.severity.value == "error"}))
    return Report(
        findings=findings,
        missing_elements=missing,
        title="Preservation request check",
        elements_checked=ELEMENTS,
    )


def parse_preservation_request(request: PreservationRequest | dict) -> PreservationRequest:
    """The request as a model, read as leniently as the checker reads it."""
    return _coerce(request)[0]
