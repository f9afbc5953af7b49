"""budapest-coop: cross-border electronic evidence under the Budapest Convention, as a course.

The law is data (``budapest_coop.law``), every check returns cited findings, and the
notebooks, widgets and autograder all call the same functions.
"""

from .channels import Advice, Recommendation, Situation, advise_channel
from .citations import Citation, parse_citation
from .findings import Finding, Report, Severity
from .law import article_title, cite, provisions, provisions_table
from .parties import lookup_state, parties_table
from .preservation import (
    Authority,
    DataItem,
    PreservationRequest,
    check_preservation_request,
    parse_preservation_request,
)
from .render import RenderedRequest, render_preservation_request
from .transborder import Access, Article32Assessment, assess_article32

__version__ = "0.1.0"

__all__ = [
    "Access",
    "Advice",
    "Article32Assessment",
    "Recommendation",
    "Situation",
    "advise_channel",
    "assess_article32",
    "Authority",
    "Citation",
    "DataItem",
    "Finding",
    "PreservationRequest",
    "RenderedRequest",
    "Report",
    "Severity",
    "article_title",
    "check_preservation_request",
    "cite",
    "lookup_state",
    "parse_citation",
    "parse_preservation_request",
    "parties_table",
    "provisions",
    "provisions_table",
    "render_preservation_request",
]
