"""Findings and reports: what a check says about a request, graded and cited."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .citations import Citation


class Severity(StrEnum):
    """How bad a finding is.

    ``error``: the request fails a requirement of the Convention; ``warning``: it will
    likely be delayed or refused in practice; ``tip``: it would be better with it.
    """

    ERROR = "error"
    WARNING = "warning"
    TIP = "tip"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "tip": 2}[self.value]

    @property
    def icon(self) -> str:
        return {"error": "✖", "warning": "⚠", "tip": "💡"}[self.value]

    @property
    def colour(self) -> str:
        return {"error": "#b91c1c", "warning": "#b45309", "tip": "#1d4ed8"}[self.value]


UNVERIFIED_COLOUR = "#b45309"


def unverified_mark(text: str = "not yet verified") -> str:
    """The HTML mark placed after a point that rests on something not yet verified."""
    return f' <span style="color:{UNVERIFIED_COLOUR}">⚠ {html.escape(text)}</span>'


@dataclass(frozen=True)
class Finding:
    """One thing a check noticed: its stable ``code``, severity, the field, the message, the fix and the law."""

    code: str
    severity: Severity
    field: str
    message: str
    fix: str
    citation: Citation
    element: str = ""  # the Article 29(2) letter this finding concerns, if any

    def __str__(self) -> str:
        text = f"{self.severity.icon} [{self.severity.value}] {self.field}: {self.message}"
        if self.fix:
            text += f" {self.fix}"
        return f"{text} ({self.citation})"

    def html_item(self, *, show_field: bool = True, note: str = "") -> str:
        """The finding as an HTML ``<li>``: severity, (field,) message, fix, citation, then ``note``."""
        field = f"<code>{html.escape(self.field)}</code>: " if show_field else ""
        fix = f" {html.escape(self.fix)}" if self.fix else ""
        return (
            f'<li data-code="{html.escape(self.code)}"><span style="color:{self.severity.colour}">'
            f"{self.severity.icon} <b>{self.severity.value}</b></span> {field}{html.escape(self.message)}"
            f"{fix} <i>({html.escape(str(self.citation))})</i>{note}</li>"
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "citation": str(self.citation),
            "element": self.element,
        }


_FRAME_COLUMNS = ("code", "severity", "field", "message", "fix", "citation")


class FindingsView:
    """Reading a result's cited ``findings``: by code, by severity, and as a table.

    Shared by every result that carries findings (a request check, an Article 32
    assessment, a 24/7 desk outcome), so they all answer the same questions the same way.
    """

    findings: tuple[Finding, ...]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def has(self, code: str) -> bool:
        return code in self.codes

    def of_severity(self, severity: Severity | str) -> list[Finding]:
        severity = Severity(severity)
        return [f for f in self.findings if f.severity is severity]

    @property
    def errors(self) -> list[Finding]:
        return self.of_severity(Severity.ERROR)

    @property
    def warnings(self) -> list[Finding]:
        return self.of_severity(Severity.WARNING)

    @property
    def tips(self) -> list[Finding]:
        return self.of_severity(Severity.TIP)

    def findings_frame(self, **extra: Callable[[Finding], object]):
        """The findings as a pandas DataFrame; each keyword adds a column computed from a finding."""
        import pandas as pd

        rows = [
            {**{k: f.as_dict()[k] for k in _FRAME_COLUMNS}, **{name: fn(f) for name, fn in extra.items()}}
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=[*_FRAME_COLUMNS, *extra])


@dataclass(frozen=True)
class Report(FindingsView):
    """The result of a check: ``ok`` when no finding is an error; findings sorted by severity."""

    findings: tuple[Finding, ...]
    missing_elements: tuple[str, ...] = ()
    title: str = "Check"
    elements_checked: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_frame(self):
        """The findings as a pandas DataFrame (one row per finding)."""
        return self.findings_frame(element=lambda f: f.element)

    def summary(self) -> str:
        verdict = "no errors" if self.ok else f"{len(self.errors)} error(s)"
        text = f"{self.title}: {verdict}, {len(self.warnings)} warning(s), {len(self.tips)} tip(s)"
        if self.elements_checked:
            if self.missing_elements:
                text += "; Article 29(2) elements missing: " + ", ".join(
                    f"({letter})" for letter in self.missing_elements
                )
            else:
                text += "; all Article 29(2) elements present"
        return text

    def __str__(self) -> str:
        return "\n".join([self.summary(), *(str(f) for f in self.findings)])

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        if not self.findings:
            return head + "<p>Nothing to report.</p>"
        return head + "<ul>" + "".join(f.html_item() for f in self.findings) + "</ul>"
