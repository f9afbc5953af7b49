"""Article 32: trans-border access to stored computer data without the other Party's authorisation.

:func:`assess_article32` takes the facts of one planned access (a plain dict or an
:class:`Access`) and decides whether it falls under Article 32(a) (publicly available
data), Article 32(b) (lawful and voluntary consent of the person with lawful authority,
data located in another Party) or neither. Every unmet condition comes back as a cited
:class:`~budapest_coop.findings.Finding`; points that the course's notes give only from
memory (T-CY Guidance Note #3 on minors and service providers, the Explanatory Report on
what Article 32 leaves open) carry ``verified = False``. Bad input never raises: it
becomes a finding.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any

from ._data import load_yaml
from .citations import Citation
from .findings import Finding, FindingsView, Severity, unverified_mark
from .messages import DEFAULT_LANGUAGE, ui_text
from .parties import State, lookup_state, suggest_state
from .reading import InputReader, fold
from .rules import Hit, rule_book, word

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from .channels import Recommendation

BOOK = "article32"

DECISION_A = "32(a)"
DECISION_B = "32(b)"
NOT_COVERED = "not covered"
DECISIONS = (DECISION_A, DECISION_B, NOT_COVERED)

#: Who gave consent. "legal_representative" is a parent, guardian or other person whom
#: domestic law lets act for the account holder.
ROLES = ("account_holder", "legal_representative", "service_provider", "other")
#: How the data is protected: "none" (open to anyone), "registration" or "invitation"
#: (a section only members may read), "login" (needs credentials), "bypassed" (an access
#: control was circumvented).
RESTRICTIONS = ("none", "registration", "invitation", "login", "bypassed")
#: The course's default age of majority, used only to recognise a minor. Whether a minor can
#: consent is for the applicable domestic law: say so with ``consent_lawful``.
AGE_OF_MAJORITY = 18

_ROLE_ALIASES = {
    "account holder": "account_holder", "account owner": "account_holder", "holder": "account_holder",
    "user": "account_holder", "owner": "account_holder", "data owner": "account_holder",
    "subscriber": "account_holder", "victim": "account_holder", "minor": "account_holder",
    "child": "account_holder",
    "legal representative": "legal_representative", "parent": "legal_representative",
    "guardian": "legal_representative", "parent or guardian": "legal_representative",
    "service provider": "service_provider", "provider": "service_provider", "host": "service_provider",
    "hosting provider": "service_provider", "hoster": "service_provider", "isp": "service_provider",
    "platform": "service_provider", "cloud provider": "service_provider",
    "other": "other", "third party": "other", "friend": "other", "relative": "other",
    "colleague": "other", "neighbour": "other", "neighbor": "other",
}
_MINOR_WORDS = ("minor", "child")
_RESTRICTION_ALIASES = {
    "": "none", "none": "none", "no": "none", "open": "none", "public": "none",
    "registration": "registration", "register": "registration", "registered": "registration",
    "sign-up": "registration", "signup": "registration", "registration only": "registration",
    "members only": "registration", "account required": "registration",
    "invitation": "invitation", "invite": "invitation", "invitation only": "invitation",
    "invite only": "invitation", "vetting": "invitation",
    "login": "login", "log-in": "login", "password": "login", "credentials": "login",
    "bypassed": "bypassed", "circumvented": "bypassed", "hacked": "bypassed", "hacking": "bypassed",
    "bypass": "bypassed",
}
_UNKNOWN_PLACES = ("unknown", "not known", "unclear", "?", "inconnu", "unknown location")
_CLOUD_PLACES = ("in the cloud", "cloud", "the cloud", "dans le cloud", "unknown (cloud)")
_DOMESTIC_PLACES = ("domestic", "home", "here", "at home", "domestically", "own state",
                    "own territory", "our state", "our territory")


@dataclass(frozen=True)
class Place:
    """Where data is, as far as the facts say: a known State, unknown, 'in the cloud', at home."""

    kind: str  # state | unknown | cloud | domestic | unrecognised | missing
    text: str = ""
    state: State | None = None

    @property
    def name(self) -> str:
        return self.state.name if self.state else self.text

    @property
    def is_known_state(self) -> bool:
        return self.kind == "state" and self.state is not None

    @property
    def location_unknown(self) -> bool:
        return self.kind in ("unknown", "cloud", "unrecognised", "missing")


def read_place(value: str, requesting: State | None = None) -> Place:
    """Classify a location as typed by a trainee; ``requesting`` turns the own State into "domestic"."""
    folded = fold(value) if value else ""
    if not folded:
        return Place("missing")
    if folded in _CLOUD_PLACES or "cloud" in folded.split():
        return Place("cloud", value)
    if folded in _UNKNOWN_PLACES:
        return Place("unknown", value)
    if folded in _DOMESTIC_PLACES:
        return Place("domestic", value, requesting)
    state = lookup_state(value)
    if state is None:
        return Place("unrecognised", value)
    if requesting is not None and state.name == requesting.name:
        return Place("domestic", value, state)
    return Place("state", value, state)


def state_hint(value: str) -> str:
    """'Did you mean ...?' for a misspelt State, or a pointer to the list of Parties."""
    suggestion = suggest_state(value)
    return f"Did you mean '{suggestion}'?" if suggestion else "Check the spelling against the list of States (parties_table())."


# ---------------------------------------------------------------------------
# The facts of an access
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The facts of one planned access to stored data in another State, as Article 32 needs them."""

    requesting_state: str = ""  # the State whose authorities want the data
    location: str = ""  # where the data is stored: a State, "unknown", "in the cloud"
    publicly_available: bool | None = None  # can anyone lawfully read it?
    access_restriction: str = ""  # none | registration | invitation | login | bypassed
    consent: bool | None = None  # did someone consent to the access or disclosure?
    consenting_person: str = ""  # account_holder | legal_representative | service_provider | other
    consenting_person_age: int | None = None
    consent_lawful: bool | None = None  # does the applicable law treat the consent as valid?
    consent_voluntary: bool | None = None  # given freely, without coercion or deception?
    via_own_territory: bool | None = None  # accessed or received through a system in your territory?
    consenting_person_in_territory: bool | None = None  # is the consenting person in your State?

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Access:
        """Build the facts from a dict with the same field names, read leniently."""
        return _coerce(raw, [])

    def to_dict(self) -> dict[str, Any]:
        """The facts as a plain dict with the field names trainees type."""
        return asdict(self)


ACCESS_FIELDS = tuple(f.name for f in fields(Access))


def _coerce(raw: Any, hits: list[Hit], prefix: str = "art32") -> Access:
    """Read the facts leniently; problems become hits whose codes start with ``prefix``."""
    read = InputReader(prefix, hits)
    raw = read.fields_of(raw, Access, ACCESS_FIELDS, "access")
    restriction = read.choice(
        read.text(raw.get("access_restriction"), "access_restriction"), "access_restriction",
        _RESTRICTION_ALIASES, RESTRICTIONS,
    )
    person = read.text(raw.get("consenting_person"), "consenting_person")
    role = read.choice(person, "consenting_person", _ROLE_ALIASES, ROLES)
    age = read.age(raw.get("consenting_person_age"), "consenting_person_age")
    if age is None and fold(person) in _MINOR_WORDS:
        age = AGE_OF_MAJORITY - 1
    return Access(
        requesting_state=read.text(raw.get("requesting_state"), "requesting_state"),
        location=read.text(raw.get("location"), "location"),
        publicly_available=read.flag(raw.get("publicly_available"), "publicly_available"),
        access_restriction=restriction,
        consent=read.flag(raw.get("consent"), "consent"),
        consenting_person=role if role else ("" if not person else person),
        consenting_person_age=age,
        consent_lawful=read.flag(raw.get("consent_lawful"), "consent_lawful"),
        consent_voluntary=read.flag(raw.get("consent_voluntary"), "consent_voluntary"),
        via_own_territory=read.flag(raw.get("via_own_territory"), "via_own_territory"),
        consenting_person_in_territory=read.flag(
            raw.get("consenting_person_in_territory"), "consenting_person_in_territory"
        ),
    )


# ---------------------------------------------------------------------------
# Rule flags kept beside the rule book: verified (false = from memory) and decisive
# ---------------------------------------------------------------------------


@cache
def _rule_flags(book: str) -> dict[str, tuple[bool, bool]]:
    """{code: (verified, decisive)} from data/rules/<book>.yaml; both default to true."""
    doc = load_yaml("rules", f"{book}.yaml") or {}
    return {
        raw["code"]: (raw.get("verified", True) is not False, raw.get("decisive", True) is not False)
        for raw in doc.get("rules", [])
        if isinstance(raw, dict) and raw.get("code")
    }


def unverified_codes(book: str, findings: Iterable[Finding]) -> tuple[str, ...]:
    """Codes among ``findings`` whose rule rests on a point the notes give only from memory."""
    flags = _rule_flags(book)
    return tuple(dict.fromkeys(f.code for f in findings if not flags.get(f.code, (True, True))[0]))


# ---------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------



@dataclass(frozen=True)
class Article32Assessment(FindingsView):
    """Whether an access falls under Article 32(a), 32(b) or neither, and why.

    ``unmet`` names the conditions that fail (codes of error findings); ``findings`` says
    each in words with its citation; ``instead`` lists the channels to use when Article 32
    does not apply; ``verified`` is False when the decision rests on a point the notes give
    only from memory, and ``unverified`` lists the codes of every finding that does.
    """

    decision: str
    access: Access
    findings: tuple[Finding, ...]
    unmet: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    verified: bool = True
    instead: tuple[Recommendation, ...] = ()
    note: str = ""
    note_citation: Citation | None = None
    headline: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def covered(self) -> bool:
        """True when Article 32 (either letter) covers the access."""
        return self.decision in (DECISION_A, DECISION_B)

    @property
    def citation(self) -> Citation:
        """The letter relied on, or Article 32 as a whole when neither letter applies."""
        if self.decision == DECISION_A:
            return Citation("32", "", "a")
        if self.decision == DECISION_B:
            return Citation("32", "", "b")
        return Citation("32")

    @property
    def instead_codes(self) -> list[str]:
        return [r.code for r in self.instead]

    def summary(self) -> str:
        return self.headline

    def to_frame(self):
        """The findings as a pandas DataFrame, with whether each is verified and decides the outcome."""
        return self.findings_frame(
            unmet=lambda f: f.code in self.unmet, verified=lambda f: f.code not in self.unverified
        )

    def __str__(self) -> str:
        lines = [self.headline]
        for f in self.findings:
            flag = " [not yet verified]" if f.code in self.unverified else ""
            lines.append(f"{f}{flag}")
        if self.instead:
            lines.append("Instead: " + "; ".join(f"{r.name} ({r.citation_text})" for r in self.instead))
        if self.note:
            lines.append(f"{self.note} ({self.note_citation})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#15803d" if self.covered else "#b91c1c"
        parts = [f'<p><b style="color:{colour}">{html.escape(self.headline)}</b></p>']
        if not self.verified:
            parts.append(
                '<p style="color:#b45309">⚠ This outcome rests on a point not yet verified '
                "against the official text.</p>"
            )
        if self.findings:
            items = "".join(
                f.html_item(show_field=False, note=unverified_mark() if f.code in self.unverified else "")
                for f in self.findings
            )
            parts.append(f"<ul>{items}</ul>")
        if self.instead:
            heading = html.escape(ui_text("art32.instead_heading", self.language))
            items = "".join(
                f"<li><b>{html.escape(r.name)}</b>: {html.escape(r.delivers)} "
                f"<i>({html.escape(r.citation_text)})</i></li>"
                for r in self.instead
            )
            parts.append(f"<p>{heading}</p><ol>{items}</ol>")
        if self.note:
            parts.append(f"<p><small>{html.escape(self.note)} <i>({html.escape(str(self.note_citation))})</i></small></p>")
        return "".join(parts)


# ---------------------------------------------------------------------------
# The assessment
# ---------------------------------------------------------------------------


def _requesting_state(a: Access, read: InputReader) -> tuple[State | None, bool]:
    """The requesting State, and whether it is (or is assumed to be) a Party."""
    if not a.requesting_state:
        read.hit("requesting_state_missing", "requesting_state")
        return None, True
    state = lookup_state(a.requesting_state)
    if state is None:
        read.hit("state_unknown", "requesting_state", value=a.requesting_state, hint=state_hint(a.requesting_state))
        return None, True
    return state, state.is_party


def _letter_a(a: Access, read: InputReader) -> None:
    """Hits for each unmet condition of Article 32(a); none when the data is publicly available."""
    restriction = a.access_restriction or "none"
    if restriction == "bypassed":
        read.hit("access_controls_bypassed", "access_restriction")
    elif restriction == "login" or (restriction in ("registration", "invitation") and a.publicly_available is False):
        # Data behind a password is plainly not open to the public: no judgement call needed.
        read.hit("not_public", "publicly_available")
    elif restriction in ("registration", "invitation"):
        read.hit("registration_required", "access_restriction", restriction=restriction)
    elif a.publicly_available is None:
        read.hit("public_unstated", "publicly_available")
    elif a.publicly_available is False:
        read.hit("not_public", "publicly_available")


def _letter_b(a: Access, place: Place, read: InputReader) -> None:
    """Hits for each unmet condition of Article 32(b), and tips on how it is met."""
    if place.kind in ("missing", "unknown", "cloud"):
        read.hit("location_unknown", "location", cloud=" ('in the cloud')" if place.kind == "cloud" else "")
    elif place.kind == "unrecognised":
        read.hit("state_unknown", "location", value=place.text, hint=state_hint(place.text))
        read.hit("location_unknown", "location", cloud="")
    elif place.state is not None and not place.state.is_party:
        read.hit("location_not_party", "location", state=place.state.name)

    consent = a.consent if a.consent is not None else (True if a.consenting_person else None)
    if not consent:
        read.hit("no_consent", "consent")
    else:
        role = a.consenting_person
        minor = a.consenting_person_age is not None and a.consenting_person_age < AGE_OF_MAJORITY
        if not role:
            read.hit("authority_unstated", "consenting_person")
        elif role not in ROLES:
            read.hit("authority_unstated", "consenting_person")
        elif role == "service_provider":
            read.hit("provider_not_authority", "consenting_person")
        elif role == "other":
            read.hit("no_lawful_authority", "consenting_person")
        elif role == "legal_representative":
            read.hit("representative_consent", "consenting_person")
        if minor and role in ("account_holder", ""):
            if a.consent_lawful is True:
                read.hit("minor_consent_accepted", "consenting_person_age", age=a.consenting_person_age)
            else:
                read.hit("consent_minor", "consenting_person_age", age=a.consenting_person_age)
        elif a.consent_lawful is False:
            read.hit("consent_not_lawful", "consent_lawful")
        if a.consent_voluntary is False:
            read.hit("consent_not_voluntary", "consent_voluntary")
        elif a.consent_voluntary is None:
            read.hit("voluntary_unstated", "consent_voluntary")
        if a.consenting_person_in_territory is False:
            read.hit("consenter_abroad", "consenting_person_in_territory")
    if a.via_own_territory is False:
        read.hit("not_via_own_system", "via_own_territory")


def _alternatives(kind: str, params: dict[str, str], language: str) -> tuple[Recommendation, ...]:
    from .channels import alternatives_for_article32  # channels imports this module

    return alternatives_for_article32(kind, params, language)


def assess_article32(access: Access | dict, language: str = DEFAULT_LANGUAGE) -> Article32Assessment:
    """Decide whether an access falls under Article 32(a), 32(b) or neither; never raises on bad input.

    ``decision`` is ``"32(a)"``, ``"32(b)"`` or ``"not covered"``; each unmet condition is a
    cited error finding (its code in ``unmet``), with what to do instead in its fix and in
    ``instead``. When neither letter applies, ``note`` recalls that Article 32 neither
    authorises nor precludes other situations.
    """
    hits: list[Hit] = []
    read = InputReader("art32", hits)
    language = read.language(language)
    a = _coerce(access, hits)
    requesting, requesting_party = _requesting_state(a, read)
    place = read_place(a.location, requesting)
    if place.kind == "domestic" and requesting is None and place.state is None:
        place = Place("domestic", a.location)
    params = {
        "requesting": requesting.name if requesting else ui_text("art32.your_state", language),
        "location": place.name or ui_text("art32.unknown_location", language),
    }

    a_hits: list[Hit] = []
    b_hits: list[Hit] = []
    if not requesting_party:
        read.hit("requesting_not_party", "requesting_state", state=params["requesting"])
        decision, kind = NOT_COVERED, "requesting_not_party"
    elif place.kind == "domestic":
        read.hit("data_domestic", "location", state=params["requesting"])
        decision, kind = NOT_COVERED, "domestic"
    else:
        _letter_a(a, InputReader("art32", a_hits))
        _letter_b(a, place, InputReader("art32", b_hits))
        a_errors = [h for h in a_hits if _severity(h.code) is Severity.ERROR]
        b_errors = [h for h in b_hits if _severity(h.code) is Severity.ERROR]
        if not a_errors:
            decision = DECISION_A
            hits.extend(a_hits)
        elif not b_errors:
            decision = DECISION_B
            hits.extend(b_hits)
            read.hit("no_notification", "location", state=params["location"])
            read.hit("safeguards", "consent")
        else:
            decision = NOT_COVERED
            hits.extend(a_hits + b_hits)
        if place.is_known_state and place.state is not None:
            kind = "party" if place.state.is_party else "non_party"
        else:
            kind = "unknown"
    if decision == NOT_COVERED:
        read.hit("neither_authorises_nor_precludes", "access")

    findings = word(BOOK, hits, language)
    unmet = tuple(dict.fromkeys(f.code for f in findings if f.severity is Severity.ERROR))
    if decision == DECISION_A:
        verified = _letter_verified(a_hits)
    elif decision == DECISION_B:
        verified = _letter_verified(b_hits)
    elif kind in ("requesting_not_party", "domestic"):
        verified = all(_flags(code)[0] for code in unmet)
    else:
        verified = _letter_verified(a_hits) and _letter_verified(b_hits)
    note_rule = rule_book(BOOK)["art32.neither_authorises_nor_precludes"]
    key = {DECISION_A: "a", DECISION_B: "b"}.get(decision, "not_covered")
    headline = ui_text(f"art32.headline.{key}", language)
    return Article32Assessment(
        decision=decision,
        access=a,
        findings=findings,
        unmet=unmet if decision == NOT_COVERED else (),
        unverified=unverified_codes(BOOK, findings),
        verified=verified,
        instead=_alternatives(kind, params, language) if decision == NOT_COVERED else (),
        note=ui_text("art32.note", language) if decision == NOT_COVERED else "",
        note_citation=note_rule.citation if decision == NOT_COVERED else None,
        headline=headline.format(**params),
        language=language,
    )


def _flags(code: str) -> tuple[bool, bool]:
    """(verified, decisive) for a rule code of this book."""
    return _rule_flags(BOOK).get(code, (True, True))


def _letter_verified(letter_hits: list[Hit]) -> bool:
    """Whether the outcome for one letter rests only on verified points.

    A letter that fails is settled if at least one of its unmet conditions is verified; a
    letter that is met is settled if no decisive point behind it comes from memory.
    """
    errors = [h.code for h in letter_hits if _severity(h.code) is Severity.ERROR]
    if errors:
        return any(_flags(code)[0] for code in errors)
    return all(_flags(h.code)[0] for h in letter_hits if _flags(h.code)[1])


def _severity(code: str) -> Severity:
    rule = rule_book(BOOK).get(code)
    return rule.severity if rule else Severity.TIP


def parse_access(access: Access | dict) -> Access:
    """The facts as an :class:`Access`, read as leniently as the assessment reads them."""
    return _coerce(access, [])


# ---------------------------------------------------------------------------
# The conditions Article 32 can leave unmet, as a list for trainees
# ---------------------------------------------------------------------------

# Neutral values for the placeholders of the findings' messages, so that each reads as a
# general statement ("[State] is not a Party ...") rather than about one case.
_GENERAL_PARAMS = {
    "state": "[State]",
    "cloud": "",
    "restriction": "a registration or an invitation",
    "age": f"under {AGE_OF_MAJORITY}",
}


@dataclass(frozen=True)
class UnmetCondition:
    """A condition of Article 32 that an access can fail: its finding code, provision and meaning."""

    code: str
    citation: Citation
    meaning: str
    verified: bool = True


def unmet_conditions(language: str = DEFAULT_LANGUAGE) -> tuple[UnmetCondition, ...]:
    """Every code :func:`assess_article32` can report in ``unmet``, in rule-book order.

    These are the rules of ``data/rules/article32.yaml`` that are errors and decide the
    outcome; ``meaning`` is the finding's message worded generally (``[State]`` for the
    State concerned); ``verified`` is False where the point rests on notes from memory.
    """
    from .messages import finding_text

    conditions = []
    for code, rule in rule_book(BOOK).items():
        verified, decisive = _flags(code)
        if rule.severity is not Severity.ERROR or not decisive:
            continue
        message, _ = finding_text(code, language, **_GENERAL_PARAMS)
        conditions.append(UnmetCondition(code, rule.citation, message, verified))
    return tuple(conditions)


def unmet_conditions_table(language: str = DEFAULT_LANGUAGE):
    """The unmet-condition codes as a pandas DataFrame (code, provision, meaning, verified), for notebooks."""
    import pandas as pd

    rows = [
        {"code": c.code, "provision": f"Art. {c.citation.key}", "meaning": c.meaning, "verified": c.verified}
        for c in unmet_conditions(language)
    ]
    return pd.DataFrame(rows, columns=["code", "provision", "meaning", "verified"])
