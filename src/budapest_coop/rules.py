"""The shared mechanism that turns what a check noticed into cited, worded findings.

A check yields :class:`Hit` s (a code, the field, values for the message). The rule
book ``data/rules/<name>.yaml`` gives each code its severity, its citation and the
Article 29(2) element it concerns; ``data/messages/<lang>.yaml`` gives the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ._data import DataError, load_yaml
from .citations import CONVENTION, INSTRUMENTS, Citation, CitationError, parse_citation
from .findings import Finding, Severity
from .messages import DEFAULT_LANGUAGE, finding_text


@dataclass(frozen=True)
class Hit:
    """What a check noticed, before it is worded: the finding code, the field, message values."""

    code: str
    field: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Rule:
    """One entry of a rule book: code, severity, citation, and optionally an Article 29(2) element."""

    code: str
    severity: Severity
    citation: Citation
    element: str = ""
    checklist: str = ""


def _citation(raw: object, where: str) -> Citation:
    if isinstance(raw, str):
        try:
            return parse_citation(raw)
        except CitationError as exc:
            raise DataError(f"{where}: {exc}") from None
    if isinstance(raw, dict):
        instrument = raw.get("instrument", CONVENTION)
        if instrument not in INSTRUMENTS:
            raise DataError(f"{where}: unknown instrument {instrument!r}")
        try:
            return Citation(
                article=str(raw.get("article", "")),
                paragraph=str(raw.get("paragraph", "")),
                letter=str(raw.get("letter", "")),
                instrument=instrument,
                note=str(raw.get("note", "")),
            )
        except CitationError as exc:
            raise DataError(f"{where}: {exc}") from None
    raise DataError(f"{where}: every rule needs a citation (a string like '29(2)(c)' or a mapping)")


@cache
def rule_book(name: str) -> dict[str, Rule]:
    """The rules of ``data/rules/<name>.yaml`` by code; refuses a rule without severity or citation."""
    doc = load_yaml("rules", f"{name}.yaml")
    rules: dict[str, Rule] = {}
    for raw in doc.get("rules", []):
        code = raw.get("code")
        where = f"data/rules/{name}.yaml rule {code!r}"
        if not code:
            raise DataError(f"data/rules/{name}.yaml: a rule without 'code'")
        if code in rules:
            raise DataError(f"{where}: defined twice")
        try:
            severity = Severity(raw.get("severity"))
        except ValueError:
            raise DataError(f"{where}: severity must be error, warning or tip") from None
        rules[code] = Rule(
            code=code,
            severity=severity,
            citation=_citation(raw.get("citation"), where),
            element=str(raw.get("element", "")),
            checklist=str(raw.get("checklist", "")),
        )
    return rules


def word(book: str, hits: list[Hit], language: str = DEFAULT_LANGUAGE) -> tuple[Finding, ...]:
    """Turn hits into findings (sorted by severity, then field), worded in ``language``."""
    rules = rule_book(book)
    findings = []
    seen = set()
    for hit in hits:
        if (hit.code, hit.field) in seen:
            continue
        seen.add((hit.code, hit.field))
        rule = rules.get(hit.code)
        if rule is None:
            raise DataError(f"finding code {hit.code!r} has no rule in data/rules/{book}.yaml")
        message, fix = finding_text(hit.code, language, field=hit.field, **hit.params)
        findings.append(
            Finding(
                code=hit.code,
                severity=rule.severity,
                field=hit.field,
                message=message,
                fix=fix,
                citation=rule.citation,
                element=rule.element,
            )
        )
    findings.sort(key=lambda f: (f.severity.rank, f.element or "z", f.field))
    return tuple(findings)
