"""Render a preservation request as the standardized document (Markdown and HTML).

The order follows the T-CY template "Data Preservation Request under Articles 29 and 30"
(T-CY(2018)11); values the draft lacks are shown as visible gaps, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2

from .evidence_time import format_utc, parse_day, parse_timestamp
from .messages import DEFAULT_LANGUAGE, ui_text
from .preservation import PreservationRequest, parse_preservation_request


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("budapest_coop", "data/templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # A value inside a Markdown table cell: no pipes or line breaks may escape it.
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env


def _moment(value: object) -> dict[str, str]:
    if value in (None, ""):
        return {"text": "", "utc": ""}
    parsed = parse_timestamp(value)
    if parsed.value is None:
        return {"text": str(value), "utc": "unreadable"}
    text = parsed.value.isoformat(timespec="seconds")
    return {"text": text, "utc": format_utc(parsed.value)}


def _context(request: PreservationRequest, language: str) -> dict:
    day = parse_day(request.date) if request.date not in (None, "") else None
    items = [
        {
            "category": item.category,
            "identifier_type": item.identifier_type,
            "identifier": item.identifier,
            "source_port": "" if item.source_port is None else str(item.source_port),
            "start": _moment(item.start),
            "end": _moment(item.end),
            "relation": item.relation,
        }
        for item in request.data_items
    ]
    mla = request.mla_follow_up
    if mla is True:
        mla = "A request for mutual legal assistance for the disclosure of the preserved data will follow."
    return {
        "r": request,
        "a": request.requesting_authority,
        "date": day.strftime("%d/%m/%Y") if day else (str(request.date) if request.date else ""),
        "items": items,
        "mla": mla or "",
        "missing": ui_text("missing_value", language),
    }


@dataclass(frozen=True)
class RenderedRequest:
    """The request as a document: ``.markdown`` to send or print, ``.html`` to show."""

    markdown: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown


def render_preservation_request(
    request: PreservationRequest | dict, language: str = DEFAULT_LANGUAGE
) -> RenderedRequest:
    """The standardized Article 29/30 preservation request, ready for the 24/7 point of contact."""
    parsed = parse_preservation_request(request)
    context = _context(parsed, language)
    return RenderedRequest(
        markdown=_template("md", language).render(context),
        html=_template("html", language).render(context),
    )


def _template(kind: str, language: str) -> jinja2.Template:
    """The document template in ``language``, or the English one if that language has none yet."""
    env = _environment(kind == "html")
    try:
        return env.get_template(f"preservation_request.{language}.{kind}.j2")
    except jinja2.TemplateNotFound:
        return env.get_template(f"preservation_request.{DEFAULT_LANGUAGE}.{kind}.j2")
