"""The channel advisor: which co-operation channel fits a situation, in which order, and why.

:func:`advise_channel` takes the facts of a situation (a plain dict or a :class:`Situation`):
what is needed, how urgent it is, where the data or the provider is, whether anyone
consents, whether the provider takes direct requests. It returns an :class:`Advice`: the
suitable channels in order, each a :class:`Recommendation` with its reason, citations, what
it can and cannot deliver, whether it yields evidence or intelligence only, and its typical
speed; the channels ruled out and why; and cited findings about the facts themselves.

The channels are data (``data/channels.yaml``); the Article 32 part is decided by
:func:`budapest_coop.transborder.assess_article32`. Bad input never raises.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import Any

from ._data import DataError, load_yaml
from .citations import Citation, CitationError
from .findings import Finding, unverified_mark
from .law import cite
from .messages import DEFAULT_LANGUAGE, Placeholders, ui_text
from .parties import State, lookup_state
from .reading import InputReader, fold
from .rules import Hit, _citation, word
from .transborder import (
    Access,
    Article32Assessment,
    Place,
    assess_article32,
    read_place,
    state_hint,
)
from .transborder import _coerce as _coerce_access

BOOK = "channels"

#: What a situation may need. "share" means you hold information that could help another State.
NEEDS = ("preservation", "subscriber", "traffic", "content", "real_time", "interception", "share")
#: The needs that concern stored data (Articles 29-32).
STORED = ("preservation", "subscriber", "traffic", "content")
#: routine; deletion = the data is about to be deleted; life = threat to life.
URGENCIES = ("routine", "deletion", "life")
#: What a channel yields (words under value_labels in data/channels.yaml).
VALUES = ("evidence", "intelligence", "preservation", "lead", "varies")


def _aliases(table: dict[str, Iterable[str]]) -> dict[str, str]:
    return {fold(alias): canonical for canonical, names in table.items() for alias in (canonical, *names)}


_NEED_ALIASES = _aliases({
    "preservation": ("preserve", "freeze", "freezing", "expedited preservation"),
    "subscriber": ("subscriber information", "subscriber info", "subscriber data", "basic subscriber information", "bsi"),
    "traffic": ("traffic data", "logs", "connection logs", "stored traffic data"),
    "content": ("content data", "stored content", "messages", "emails", "e-mails"),
    "real_time": ("real-time", "real-time collection", "real-time traffic", "real-time traffic data",
                  "real-time collection of traffic data", "live traffic"),
    "interception": ("intercept", "interception of content", "interception of content data",
                     "real-time content", "wiretap"),
    "share": ("spontaneous", "spontaneous information", "share information", "sharing"),
})
_URGENCY_ALIASES = _aliases({
    "routine": ("normal", "none", "no", "low", "standard"),
    "deletion": ("data about to be deleted", "about to be deleted", "deleted soon", "deletion risk",
                 "data at risk", "short retention", "retention expiring", "data deleted within 24 hours"),
    "life": ("threat to life", "danger to life", "risk to life", "emergency", "imminent danger",
             "threat to life or safety", "life at risk"),
})
_A_SIDE = frozenset({"art32.not_public", "art32.public_unstated", "art32.registration_required",
                     "art32.access_controls_bypassed"})


def _pick_text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE, "")


# ---------------------------------------------------------------------------
# The catalogue of channels (data/channels.yaml)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """One channel as the catalogue describes it, in every language it has."""

    code: str
    name: dict[str, str]
    citations: tuple[Citation, ...]
    serves: tuple[str, ...]
    chapter3: bool
    value: str
    delivers: dict[str, str]
    cannot_deliver: dict[str, str]
    speed: dict[str, str]
    rank: dict[str, int]
    reasons: dict[str, dict[str, str]]
    extra_citations: dict[str, tuple[Citation, ...]]
    citations_for: dict[str, tuple[Citation, ...]]
    verified: bool = True


@dataclass(frozen=True)
class _Catalogue:
    channels: dict[str, Channel]
    value_labels: dict[str, dict[str, str]]
    ruled_out_reasons: dict[str, dict[str, str]]
    article32_alternatives: dict[str, tuple[str, ...]]


def _texts(raw: Any, where: str, required: bool = True) -> dict[str, str]:
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict) or not raw.get(DEFAULT_LANGUAGE):
        raise DataError(f"{where}: needs at least an '{DEFAULT_LANGUAGE}' text")
    return {str(k): str(v).strip() for k, v in raw.items()}


def _citations(raw: Any, where: str) -> tuple[Citation, ...]:
    if not isinstance(raw, list):
        raise DataError(f"{where}: citations must be a list")
    return tuple(_citation(item, where) for item in raw)


@cache
def _catalogue() -> _Catalogue:
    doc = load_yaml("channels.yaml") or {}
    channels: dict[str, Channel] = {}
    for raw in doc.get("channels", []):
        code = raw.get("code")
        where = f"data/channels.yaml channel {code!r}"
        if not code:
            raise DataError("data/channels.yaml: a channel without 'code'")
        if code in channels:
            raise DataError(f"{where}: defined twice")
        citations = _citations(raw.get("citations"), where)
        if not citations:
            raise DataError(f"{where}: every channel needs at least one citation")
        serves = tuple(raw.get("serves", ()))
        if not serves or not set(serves) <= set(NEEDS):
            raise DataError(f"{where}: 'serves' must list needs among {NEEDS}")
        value = raw.get("value")
        if value not in VALUES:
            raise DataError(f"{where}: 'value' must be one of {VALUES}")
        rank = raw.get("rank")
        if not isinstance(rank, dict) or set(rank) != set(URGENCIES):
            raise DataError(f"{where}: 'rank' needs a number for each of {URGENCIES}")
        reasons = {str(k): _texts(v, f"{where} reason {k!r}") for k, v in (raw.get("reasons") or {}).items()}
        if "default" not in reasons:
            raise DataError(f"{where}: needs a 'default' reason")
        channels[code] = Channel(
            code=code,
            name=_texts(raw.get("name"), f"{where} name"),
            citations=citations,
            serves=serves,
            chapter3=bool(raw.get("chapter3")),
            value=value,
            delivers=_texts(raw.get("delivers"), f"{where} delivers"),
            cannot_deliver=_texts(raw.get("cannot_deliver"), f"{where} cannot_deliver"),
            speed=_texts(raw.get("speed"), f"{where} speed"),
            rank={k: int(v) for k, v in rank.items()},
            reasons=reasons,
            extra_citations={
                str(k): _citations(v, f"{where} extra_citations {k!r}")
                for k, v in (raw.get("extra_citations") or {}).items()
            },
            citations_for={
                str(k): _citations(v, f"{where} citations_for {k!r}")
                for k, v in (raw.get("citations_for") or {}).items()
            },
            verified=raw.get("verified", True) is not False,
        )
    labels = {k: _texts(v, f"data/channels.yaml value_labels {k!r}") for k, v in (doc.get("value_labels") or {}).items()}
    if set(labels) != set(VALUES):
        raise DataError(f"data/channels.yaml: value_labels must cover exactly {VALUES}")
    ruled = {k: _texts(v, f"data/channels.yaml ruled_out_reasons {k!r}") for k, v in (doc.get("ruled_out_reasons") or {}).items()}
    alternatives = {str(k): tuple(v) for k, v in (doc.get("article32_alternatives") or {}).items()}
    for kind, codes in alternatives.items():
        unknown = [c for c in codes if c not in channels]
        if unknown:
            raise DataError(f"data/channels.yaml article32_alternatives {kind!r}: unknown channels {unknown}")
    return _Catalogue(channels, labels, ruled, alternatives)


def channel_catalogue() -> dict[str, Channel]:
    """Every channel the advisor knows, by code, as described in ``data/channels.yaml``."""
    return dict(_catalogue().channels)


def channels_table(language: str = DEFAULT_LANGUAGE):
    """Every channel as a pandas DataFrame: code, name, what it yields, whether it is a Convention
    tool and rests on an article of a treaty, its citations and typical speed."""
    import pandas as pd

    rows = [
        {
            "code": c.code,
            "channel": _pick_text(c.name, language),
            "yields": c.value,
            "convention_tool": c.chapter3,
            "rests_on_article": any(x.is_treaty for x in c.citations),
            "citations": "; ".join(str(x) for x in c.citations),
            "speed": _pick_text(c.speed, language),
        }
        for c in channel_catalogue().values()
    ]
    return pd.DataFrame(rows)


def _law_verified(citation: Citation) -> bool:
    """False when a treaty citation is marked not yet verified in data/law/ (or is not there)."""
    if not citation.is_treaty:
        return True
    try:
        return cite(citation).verified
    except (KeyError, DataError, CitationError):
        return False


# ---------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """One channel for this situation: why, on which legal basis, what it yields and how fast.

    ``value`` is ``evidence``, ``intelligence``, ``preservation``, ``lead`` or ``varies``;
    ``value_label`` says it in words. ``verified`` is False when the channel, or one of its
    treaty citations, rests on a point the notes give only from memory.
    """

    code: str
    name: str
    reason: str
    citations: tuple[Citation, ...]
    delivers: str
    cannot_deliver: str
    value: str
    value_label: str
    speed: str
    verified: bool = True

    @property
    def citation_text(self) -> str:
        return "; ".join(str(c) for c in self.citations)

    @property
    def evidence(self) -> bool:
        """True when the channel is meant to yield evidence for court, not only intelligence."""
        return self.value == "evidence"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "reason": self.reason,
            "citations": self.citation_text,
            "delivers": self.delivers,
            "cannot_deliver": self.cannot_deliver,
            "value": self.value,
            "speed": self.speed,
            "verified": self.verified,
        }

    def __str__(self) -> str:
        flag = " [not yet verified]" if not self.verified else ""
        return f"{self.name}{flag}: {self.reason} ({self.citation_text})"


def _unique(items: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(items))


def recommend(
    code: str,
    variants: Iterable[str] = ("default",),
    params: dict[str, str] | None = None,
    language: str = DEFAULT_LANGUAGE,
    extra_reason: str = "",
    needs: Iterable[str] = (),
    verified: bool = True,
) -> Recommendation:
    """The :class:`Recommendation` for a channel of the catalogue, with the reasons of ``variants``.

    Unknown variants are skipped; ``needs`` selects citations for channels whose catalogue
    entry has ``citations_for`` (needs, plus ``life`` in an emergency); ``verified=False`` marks
    advice that rests on a point not yet verified even where the channel's citations are.
    """
    catalogue = _catalogue()
    channel = catalogue.channels[code]
    variants = [v for v in dict.fromkeys(variants) if v in channel.reasons]
    values = Placeholders(params or {})
    reason = " ".join(_pick_text(channel.reasons[v], language).format_map(values) for v in variants)
    if extra_reason:
        reason = f"{reason} {extra_reason}".strip()
    citations = list(channel.citations)
    if channel.citations_for:
        chosen = [c for key in needs for c in channel.citations_for.get(key, ())]
        citations = chosen or citations
    for variant in variants:
        citations.extend(channel.extra_citations.get(variant, ()))
    citations = list(_unique(citations))
    return Recommendation(
        code=code,
        name=_pick_text(channel.name, language),
        reason=reason,
        citations=tuple(citations),
        delivers=_pick_text(channel.delivers, language),
        cannot_deliver=_pick_text(channel.cannot_deliver, language),
        value=channel.value,
        value_label=_pick_text(catalogue.value_labels[channel.value], language),
        speed=_pick_text(channel.speed, language),
        verified=verified and channel.verified and all(_law_verified(c) for c in citations),
    )


def alternatives_for_article32(kind: str, params: dict[str, str], language: str = DEFAULT_LANGUAGE) -> tuple[Recommendation, ...]:
    """What to use when Article 32 does not cover an access, by where the data is.

    ``kind`` is ``party``, ``non_party``, ``unknown``, ``domestic`` or ``requesting_not_party``.
    """
    catalogue = _catalogue()
    recommendations = []
    for code in catalogue.article32_alternatives.get(kind, ()):
        reasons = catalogue.channels[code].reasons
        variant = next(v for v in (kind, "check", "default") if v in reasons)
        recommendations.append(recommend(code, [variant], params, language))
    return tuple(recommendations)


# ---------------------------------------------------------------------------
# The situation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """The facts the advisor needs; every field is optional and read leniently."""

    needed: tuple[str, ...] = ()  # preservation, subscriber, traffic, content, real_time, interception, share
    urgency: str = "routine"  # routine | deletion (about to be deleted) | life (threat to life)
    requesting_state: str = ""  # your State
    location: str = ""  # where the data is: a State, "unknown", "in the cloud"
    provider_state: str = ""  # where the provider is established, if known
    publicly_available: bool | None = None
    access_restriction: str = ""  # none | registration | invitation | login | bypassed
    consent: bool | None = None
    consenting_person: str = ""  # account_holder | legal_representative | service_provider | other
    consenting_person_age: int | None = None
    consent_lawful: bool | None = None
    consent_voluntary: bool | None = None
    provider_accepts_direct_requests: bool | None = None
    provider_offers_services_locally: bool | None = None  # does it offer services in your State?
    mla_treaty: bool | None = None  # is there an MLA treaty between the two States?
    convention_offence: str = ""  # the Article 2-11 offence the conduct corresponds to, e.g. "8"
    share_with: str = ""  # a State your own information could help (Article 26)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Situation:
        """Build a situation from a dict with the same field names, read leniently."""
        return _coerce(raw, InputReader("channel", []))

    def to_dict(self) -> dict[str, Any]:
        """The situation as a plain dict with the field names trainees type."""
        data = asdict(self)
        data["needed"] = list(self.needed)
        return data


SITUATION_FIELDS = tuple(f.name for f in fields(Situation))


def _needs(value: Any, read: InputReader) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",")] if "," in value or ";" in value else [value]
    if not isinstance(value, (list, tuple, set, frozenset)):
        read.hit("wrong_type", "needed", expected="a list such as ['subscriber', 'traffic']", got=type(value).__name__)
        return ()
    found = []
    for item in value:
        text = read.text(item, "needed")
        if text:
            need = read.choice(text, "needed", _NEED_ALIASES, NEEDS)
            if need:
                found.append(need)
    return tuple(n for n in NEEDS if n in found)


def _coerce(raw: Any, read: InputReader) -> Situation:
    raw = read.fields_of(raw, Situation, SITUATION_FIELDS, "situation")
    # the consent facts are read exactly as the Article 32 assessment reads them
    consent_facts = {
        k: raw[k]
        for k in ("access_restriction", "consenting_person", "consenting_person_age")
        if k in raw
    }
    access = _coerce_access(consent_facts, read.hits, prefix=read.prefix)
    urgency = read.text(raw.get("urgency"), "urgency")
    return Situation(
        needed=_needs(raw.get("needed"), read),
        urgency=(read.choice(urgency, "urgency", _URGENCY_ALIASES, URGENCIES) if urgency else "") or "routine",
        requesting_state=read.text(raw.get("requesting_state"), "requesting_state"),
        location=read.text(raw.get("location"), "location"),
        provider_state=read.text(raw.get("provider_state"), "provider_state"),
        publicly_available=read.flag(raw.get("publicly_available"), "publicly_available"),
        access_restriction=access.access_restriction,
        consent=read.flag(raw.get("consent"), "consent"),
        consenting_person=access.consenting_person,
        consenting_person_age=access.consenting_person_age,
        consent_lawful=read.flag(raw.get("consent_lawful"), "consent_lawful"),
        consent_voluntary=read.flag(raw.get("consent_voluntary"), "consent_voluntary"),
        provider_accepts_direct_requests=read.flag(
            raw.get("provider_accepts_direct_requests"), "provider_accepts_direct_requests"
        ),
        provider_offers_services_locally=read.flag(
            raw.get("provider_offers_services_locally"), "provider_offers_services_locally"
        ),
        mla_treaty=read.flag(raw.get("mla_treaty"), "mla_treaty"),
        convention_offence=read.text(raw.get("convention_offence"), "convention_offence"),
        share_with=read.text(raw.get("share_with"), "share_with"),
    )


def parse_situation(situation: Situation | dict) -> Situation:
    """The facts as a :class:`Situation`, read as leniently as the advisor reads them."""
    return _coerce(situation, InputReader("channel", []))


# ---------------------------------------------------------------------------
# The advice
# ---------------------------------------------------------------------------



@dataclass(frozen=True)
class Advice:
    """The channels for a situation, best first, the ones ruled out, and findings about the facts.

    ``convention_applies`` is True when at least one recommended channel is a co-operation
    tool of the Convention itself (Chapter III); ``article32`` is the Article 32 assessment
    the advisor made, if stored data was needed.
    """

    situation: Situation
    channels: tuple[Recommendation, ...]
    ruled_out: tuple[Recommendation, ...] = ()
    findings: tuple[Finding, ...] = ()
    headline: str = ""
    convention_applies: bool = True
    article32: Article32Assessment | None = None
    language: str = DEFAULT_LANGUAGE

    @property
    def codes(self) -> list[str]:
        """The codes of the recommended channels, in order."""
        return [r.code for r in self.channels]

    @property
    def ruled_out_codes(self) -> list[str]:
        return [r.code for r in self.ruled_out]

    @property
    def finding_codes(self) -> list[str]:
        return [f.code for f in self.findings]

    @property
    def first(self) -> Recommendation | None:
        """The channel to start with, or None when nothing fits."""
        return self.channels[0] if self.channels else None

    def has(self, code: str) -> bool:
        """True when ``code`` is a recommended channel or a finding."""
        return code in self.codes or code in self.finding_codes

    def get(self, code: str) -> Recommendation | None:
        """The recommendation (or ruled-out channel) with this code."""
        return next((r for r in (*self.channels, *self.ruled_out) if r.code == code), None)

    def summary(self) -> str:
        return self.headline

    def to_frame(self):
        """The channels as a pandas DataFrame: recommended ones in order, then the ones ruled out."""
        import pandas as pd

        columns = ["rank", "status", "code", "name", "reason", "value", "speed", "delivers",
                   "cannot_deliver", "citations", "verified"]
        rows = [
            {"rank": n, "status": "recommended", **r.as_dict()} for n, r in enumerate(self.channels, start=1)
        ] + [{"rank": None, "status": "ruled out", **r.as_dict()} for r in self.ruled_out]
        frame = pd.DataFrame(rows, columns=columns)
        frame["rank"] = frame["rank"].astype("Int64")
        return frame

    def __str__(self) -> str:
        lines = [self.headline]
        lines += [f"{n}. {r}" for n, r in enumerate(self.channels, start=1)]
        if self.ruled_out:
            lines.append(ui_text("channel.ui.ruled_out", self.language))
            lines += [f"- {r}" for r in self.ruled_out]
        lines += [str(f) for f in self.findings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def label(key: str) -> str:
            return html.escape(ui_text(f"channel.ui.{key}", self.language))

        def item(r: Recommendation) -> str:
            flag = (
                unverified_mark(label("not_verified")) if not r.verified else ""
            )
            return (
                f"<li><b>{html.escape(r.name)}</b> <code>{html.escape(r.code)}</code>{flag}"
                f"<br>{html.escape(r.reason)}"
                f"<br><small><b>{label('delivers')}</b> {html.escape(r.delivers)} "
                f"<b>{label('cannot_deliver')}</b> {html.escape(r.cannot_deliver)} "
                f"<b>{label('value')}</b> {html.escape(r.value_label)}. "
                f"<b>{label('speed')}</b> {html.escape(r.speed)}</small>"
                f"<br><i>({html.escape(r.citation_text)})</i></li>"
            )

        parts = [f"<p><b>{html.escape(self.headline)}</b></p>"]
        if self.channels:
            parts.append("<ol>" + "".join(item(r) for r in self.channels) + "</ol>")
        if self.ruled_out:
            parts.append(
                f"<details><summary>{label('ruled_out')}</summary><ul>"
                + "".join(
                    f"<li><b>{html.escape(r.name)}</b> <code>{html.escape(r.code)}</code>: "
                    f"{html.escape(r.reason)} <i>({html.escape(r.citation_text)})</i></li>"
                    for r in self.ruled_out
                )
                + "</ul></details>"
            )
        if self.findings:
            items = "".join(f.html_item() for f in self.findings)
            parts.append(f"<p>{label('findings')}</p><ul>{items}</ul>")
        return "".join(parts)


class _Plan:
    """Collects the channels picked and ruled out while the advisor reads the situation."""

    def __init__(self, params: dict[str, str], language: str, needs: tuple[str, ...], urgency: str):
        self.params = params
        self.language = language
        self.needs = needs
        self.urgency = urgency
        self.picked: dict[str, list[str]] = {}
        self.ruled: dict[str, tuple[list[str], str]] = {}
        # channels whose advice here rests on a point not yet verified (e.g. Guidance Note #3)
        self.unverified: set[str] = set()

    def _serves(self, code: str) -> bool:
        return bool(set(_catalogue().channels[code].serves) & set(self.needs))

    def pick(self, code: str, *variants: str) -> None:
        if not self._serves(code):
            return
        self.picked.setdefault(code, []).extend(variants or ("default",))

    def rule_out(self, code: str, reason_key: str = "", text: str = "", variants: Iterable[str] = ()) -> None:
        if code in self.ruled or not self._serves(code):
            return
        reason = _pick_text(_catalogue().ruled_out_reasons[reason_key], self.language) if reason_key else ""
        reason = " ".join(part for part in (reason.format_map(Placeholders(self.params)), text) if part)
        self.ruled[code] = (list(variants), reason)

    def _citation_keys(self) -> list[str]:
        return [*self.needs, *(["life"] if self.urgency == "life" else [])]

    def recommendations(self) -> tuple[tuple[Recommendation, ...], tuple[Recommendation, ...]]:
        channels = _catalogue().channels
        order = sorted(self.picked, key=lambda code: channels[code].rank[self.urgency])
        picked = tuple(
            recommend(code, self.picked[code], self.params, self.language, needs=self._citation_keys(),
                      verified=code not in self.unverified)
            for code in order
        )
        ruled = tuple(
            recommend(code, variants, self.params, self.language, extra_reason=reason,
                      needs=self._citation_keys(), verified=code not in self.unverified)
            for code, (variants, reason) in self.ruled.items()
            if code not in self.picked
        )
        return picked, ruled


def _state(text: str, field: str, read: InputReader) -> State | None:
    """The State named in ``field``, or None (with a finding when the name is not known)."""
    if not text:
        return None
    state = lookup_state(text)
    if state is None:
        read.hit("state_unknown", field, value=text, hint=state_hint(text))
    return state


def _offence_in_2_to_11(text: str) -> bool:
    """True when ``convention_offence`` names one of Articles 2-11 (e.g. "8", "Art. 8")."""
    match = re.search(r"\d+", text)
    return bool(match) and 2 <= int(match.group()) <= 11


def advise_channel(situation: Situation | dict, language: str = DEFAULT_LANGUAGE) -> Advice:
    """Recommend the co-operation channels for a situation, best first; never raises on bad input.

    ``advice.channels`` are the suitable channels in order (``advice.codes`` their stable
    codes); ``advice.ruled_out`` are channels that would otherwise fit, each with the reason
    it does not; ``advice.findings`` are cited findings about the facts; ``advice.headline``
    says where to start, or plainly that the Convention offers nothing and what remains.
    """
    hits: list[Hit] = []
    read = InputReader("channel", hits)
    language = read.language(language)
    s = _coerce(situation, read)

    requesting = _state(s.requesting_state, "requesting_state", read)
    requesting_party = requesting.is_party if requesting else True
    if not s.requesting_state:
        read.hit("requesting_state_missing", "requesting_state")

    needs = s.needed
    if not needs:
        if s.share_with:
            needs = ("share",)
        else:
            needs = STORED
            read.hit("needed_missing", "needed")
    stored = [n for n in needs if n in STORED]
    obtaining = [n for n in needs if n != "share"]
    life = s.urgency == "life"
    deletion = s.urgency == "deletion"

    place = read_place(s.location, requesting)
    provider = read_place(s.provider_state, requesting) if s.provider_state else None
    if obtaining:
        if place.kind == "missing":
            read.hit("location_missing", "location")
        elif place.kind == "unrecognised":
            read.hit("state_unknown", "location", value=place.text, hint=state_hint(place.text))
    if provider is not None and provider.kind == "unrecognised":
        read.hit("state_unknown", "provider_state", value=provider.text, hint=state_hint(provider.text))

    params = {
        "requesting": requesting.name if requesting else (s.requesting_state or ui_text("channel.your_state", language)),
        "location": place.name or ui_text("channel.other_state", language),
        "provider_state": provider.name if provider else "",
        "share_with": "",
    }
    plan = _Plan(params, language, needs, s.urgency)
    assessment: Article32Assessment | None = None
    non_party: State | None = None

    # --- Article 26: information you could send without a request -------------------
    if "share" in needs:
        target_text = s.share_with or s.location
        share_place = read_place(target_text, requesting)
        params["share_with"] = share_place.name
        if not target_text:
            read.hit("share_with_missing", "share_with")
        elif share_place.kind == "unrecognised" and target_text != s.location:
            read.hit("state_unknown", "share_with", value=target_text, hint=state_hint(target_text))
        elif not requesting_party:
            plan.rule_out("spontaneous_information", "requesting_not_party")
        elif share_place.is_known_state and share_place.state is not None:
            if share_place.state.is_party:
                plan.pick("spontaneous_information")
            else:
                plan.rule_out("spontaneous_information", "share_not_party")

    if obtaining and not requesting_party:
        _outside_convention(plan, s, stored, requesting=True)
        read.hit("requesting_not_party", "requesting_state", state=params["requesting"])
    elif obtaining and place.kind == "domestic":
        read.hit("data_domestic", "location", state=params["requesting"])
        plan.pick("domestic_powers")
    elif obtaining:
        if stored:
            assessment = _article32(plan, s, language)
        target, target_variant, non_party = _target(place, provider, read, params, plan)
        if life:
            plan.pick("provider_emergency_disclosure")
            if target is not None:
                plan.pick("emergency_247")
                plan.pick("mla_urgent")
            plan.pick("police_interpol", "life" if non_party is None else "outside")
            if "preservation" in needs:
                read.hit("emergency_preservation_not_enough", "urgency")
        if target is not None:
            _convention_channels(plan, s, target, target_variant, stored, read)
        elif non_party is not None:
            _outside_convention(plan, s, stored, requesting=False)
            for code in _convention_codes(needs, life):
                plan.rule_out(code, "not_party")
        else:
            for code in _convention_codes(needs, life):
                plan.rule_out(code, "location_unknown")
        _second_protocol(plan, requesting, target or non_party)
        _domestic_and_provider(plan, s, place, stored, needs, deletion, life, non_party is not None)
        if set(obtaining) - {"preservation"} and "police_interpol" not in plan.picked:
            plan.pick("police_interpol", "outside" if non_party is not None else "default")

    channels, ruled = plan.recommendations()
    findings = word(BOOK, hits, language)
    headline = _headline(channels, params, language, requesting_party, non_party, life, bool(obtaining))
    return Advice(
        situation=s,
        channels=channels,
        ruled_out=ruled,
        findings=findings,
        headline=headline,
        convention_applies=any(_catalogue().channels[r.code].chapter3 for r in channels),
        article32=assessment,
        language=language,
    )


def _article32(plan: _Plan, s: Situation, language: str) -> Article32Assessment:
    """Ask the Article 32 assessment, then pick letter (a) or (b), or say why they do not fit."""
    assessment = assess_article32(
        Access(
            requesting_state=s.requesting_state,
            location=s.location,
            publicly_available=s.publicly_available,
            access_restriction=s.access_restriction,
            consent=s.consent,
            consenting_person=s.consenting_person,
            consenting_person_age=s.consenting_person_age,
            consent_lawful=s.consent_lawful,
            consent_voluntary=s.consent_voluntary,
        ),
        language,
    )
    a_side = [f for f in assessment.findings if f.code in _A_SIDE and f.code in assessment.unmet]
    b_side = [f for f in assessment.findings if f.code not in _A_SIDE and f.code in assessment.unmet]
    for code, decision, side, asked in (
        ("art32a_open_source", "32(a)", a_side, s.publicly_available),
        ("art32b_consent", "32(b)", b_side, s.consent or s.consenting_person),
    ):
        if assessment.decision == decision:
            plan.pick(code)
            if not assessment.verified:
                plan.unverified.add(code)
        elif asked and side:
            plan.rule_out(code, text=" ".join(f.message for f in side))
            if any(f.code in assessment.unverified for f in side):
                plan.unverified.add(code)
    return assessment


def _target(place: Place, provider: Place | None, read: InputReader, params: dict[str, str], plan: _Plan):
    """The Party to which Convention requests go, the reason variant, and a non-Party if that is where the data is."""
    if place.is_known_state and place.state is not None:
        if place.state.is_party:
            return place.state, "default", None
        read.hit("location_not_party", "location", state=place.state.name)
        return None, "", place.state
    if provider is not None and provider.is_known_state and provider.state is not None:
        params["location"] = provider.state.name
        if provider.state.is_party:
            read.hit("provider_state_used", "provider_state", state=provider.state.name)
            return provider.state, "provider_state", None
        read.hit("location_not_party", "provider_state", state=provider.state.name)
        return None, "", provider.state
    if place.kind != "missing":
        read.hit("location_unknown", "location", cloud=" ('in the cloud')" if place.kind == "cloud" else "")
    return None, "", None


def _convention_codes(needs: Iterable[str], life: bool) -> list[str]:
    """The Convention channels that would serve these needs if the other State were a known Party."""
    needs = set(needs)
    codes = []
    if life:
        codes += ["emergency_247", "mla_urgent"]
    if needs & set(STORED):
        codes += ["preservation_247"] + ([] if life else ["mla_stored_data"])
    if "real_time" in needs:
        codes.append("mla_real_time_traffic")
    if "interception" in needs:
        codes.append("mla_interception")
    return codes


def _convention_channels(plan: _Plan, s: Situation, target: State, variant: str, stored: list[str], read: InputReader) -> None:
    """Preservation, Article 30 and mutual assistance with a Party."""
    life = s.urgency == "life"
    if stored:
        variants = [variant]
        if s.urgency in ("deletion", "life"):
            variants.append(s.urgency)
        if target.reservation_29_4 and not _offence_in_2_to_11(s.convention_offence):
            variants.append("reservation")
            read.hit("reservation_may_refuse", "convention_offence", state=target.name)
        plan.pick("preservation_247", *variants)
        if "traffic" in stored:
            plan.pick("art30_partial_disclosure")
        if not life:
            mla = ["default"]
            if "preservation" in stored:
                mla.append("follow_up")
            if s.urgency == "deletion":
                mla.append("deletion")
            if s.mla_treaty is False:
                mla.append("no_treaty")
            plan.pick("mla_stored_data", *mla)
    if "real_time" in plan.needs:
        plan.pick("mla_real_time_traffic")
    if "interception" in plan.needs:
        plan.pick("mla_interception")


def _outside_convention(plan: _Plan, s: Situation, stored: list[str], requesting: bool) -> None:
    """The routes that remain when one of the two States is not a Party."""
    plan.pick("bilateral_mla", "requesting_not_party" if requesting else "default")
    plan.pick("other_treaties")
    if stored and not requesting:
        plan.pick("g7_network")
    if requesting:
        if s.urgency == "life":
            plan.pick("provider_emergency_disclosure")
        if s.publicly_available:
            plan.rule_out("art32a_open_source", "requesting_not_party")
        for code in _convention_codes(s.needed or STORED, s.urgency == "life"):
            plan.rule_out(code, "requesting_not_party")
        if stored and s.provider_accepts_direct_requests is not False:
            plan.pick("provider_voluntary_preservation")
            if {"subscriber", "traffic"} & set(stored):
                plan.pick("provider_voluntary", "default" if s.provider_accepts_direct_requests else "check")
    plan.pick("police_interpol", "outside")


def _second_protocol(plan: _Plan, requesting: State | None, other: State | None) -> None:
    """The Second Protocol's tools: usable only where in force for both States, which today is never."""
    if requesting is not None and other is not None and requesting.sap_in_force and other.sap_in_force:
        plan.pick("second_protocol")
        return
    plan.rule_out("second_protocol", variants=["not_in_force" if other is not None else "not_in_force_any"])


def _domestic_and_provider(
    plan: _Plan, s: Situation, place: Place, stored: list[str], needs: tuple[str, ...],
    deletion: bool, life: bool, non_party: bool,
) -> None:
    """Article 18(1)(b) at home, and requests sent straight to the provider."""
    unknown = place.location_unknown
    if "subscriber" in needs:
        if s.provider_offers_services_locally is True:
            plan.pick("domestic_production_order")
        elif s.provider_offers_services_locally is None and unknown:
            plan.pick("domestic_production_order", "check")
    if not stored:
        return
    accepts = s.provider_accepts_direct_requests
    wants_disclosure = bool({"subscriber", "traffic"} & set(needs))
    if accepts is False:
        plan.rule_out("provider_voluntary_preservation", "no_direct")
        if wants_disclosure:
            plan.rule_out("provider_voluntary", "no_direct")
        return
    if "preservation" in needs or deletion or unknown or non_party:
        plan.pick("provider_voluntary_preservation", "location_unknown" if unknown else "default")
    if wants_disclosure and not life:
        variants = ["default" if accepts else "check"]
        if s.consenting_person == "service_provider":
            variants.append("not_consent")
        plan.pick("provider_voluntary", *variants)


def _headline(
    channels: tuple[Recommendation, ...], params: dict[str, str], language: str,
    requesting_party: bool, non_party: State | None, life: bool, obtaining: bool,
) -> str:
    remaining = "; ".join(r.name for r in channels)
    values = Placeholders(params, first=channels[0].name if channels else "", remaining=remaining)
    if not channels:
        key = "nothing"
    elif obtaining and not requesting_party:
        key = "requesting_not_party"
    elif obtaining and non_party is not None:
        values["location"] = non_party.name
        key = "not_party"
    elif life:
        key = "life"
    else:
        key = "first"
    return ui_text(f"channel.headline.{key}", language).format_map(values)
