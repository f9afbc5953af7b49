"""The rendered request: the template's order, visible gaps, safe HTML, time zones shown."""

from __future__ import annotations

import copy

from budapest_coop import render_preservation_request
from test_preservation_cases import DOC

BASE = DOC["base"]
SECTIONS = [
    "1. Date", "2. Reference", "3. Status", "4. Requested Party", "5. Requesting authority",
    "6. Offence", "7. Brief summary", "8. Stored computer data", "9. Custodian", "10. Necessity",
    "11. Mutual legal assistance", "12. Confidentiality", "13. Article 30",
]


def test_sections_follow_the_template_order():
    """Markdown and HTML list the T-CY template's sections in order."""
    doc = render_preservation_request(BASE)
    for text in (doc.markdown, doc.html):
        positions = [text.index(section) for section in SECTIONS]
        assert positions == sorted(positions)


def test_values_and_utc_equivalents_appear():
    """The request's values appear, with each time also given in UTC."""
    md = render_preservation_request(BASE).markdown
    assert "cyber247@police.aland.example" in md
    assert "198.51.100.20" in md and "50231" in md
    assert "UTC 2026-02-07T22:55:12+00:00" in md


def test_missing_values_are_visible_gaps():
    """A field the draft lacks shows as [missing], never as an empty line."""
    md = render_preservation_request({}).markdown
    assert md.count("[missing]") >= 10


def test_html_escapes_trainee_text():
    """Markup typed by a trainee is shown as text, not run."""
    request = copy.deepcopy(BASE)
    request["summary_of_facts"] = "<script>alert(1)</script>"
    html = render_preservation_request(request).html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_markdown_table_cells_survive_pipes_and_newlines():
    """A pipe or a line break inside a table value does not break the table."""
    request = copy.deepcopy(BASE)
    request["data_items"][0]["relation"] = "first | second\nthird"
    md = render_preservation_request(request).markdown
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert "first \\| second third" in row


def test_unknown_language_falls_back_to_english_template():
    """A language without its own template renders in English rather than failing."""
    assert "Data preservation request" in render_preservation_request(BASE, language="en").markdown
