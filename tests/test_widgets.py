"""The preservation request builder, driven from Python: set values, click, read the panels."""

from __future__ import annotations

import copy

from budapest_coop import check_preservation_request
from budapest_coop.widgets import PreservationRequestBuilder
from test_preservation_cases import DOC

BASE = DOC["base"]


def test_empty_builder_reports_every_element_missing():
    """A new form shows all six Article 29(2) elements as missing."""
    builder = PreservationRequestBuilder()
    assert builder.report.missing_elements == tuple("abcdef")
    assert "Art. 29(2)(a)" in builder.findings_panel.value


def test_typing_updates_the_findings_live():
    """Filling a field re-checks at once: the finding for it disappears."""
    builder = PreservationRequestBuilder()
    builder.controls["offence"].value = "Computer-related fraud"
    assert "offence.missing" not in builder.report.codes
    builder.controls["offence"].value = ""
    assert "offence.missing" in builder.report.codes


def test_loaded_request_matches_the_checker():
    """A request loaded into the form is checked exactly as the plain dict is."""
    builder = PreservationRequestBuilder(copy.deepcopy(BASE))
    direct = check_preservation_request(BASE)
    assert builder.report.codes == direct.codes
    assert builder.report.ok


def test_item_rows_add_remove_and_feed_the_check():
    """Clicking add/remove changes the data items the checker sees."""
    builder = PreservationRequestBuilder()
    builder.add_button.click()
    assert len(builder.request["data_items"]) == 2
    row = builder.item_rows[1]
    row.controls["identifier"].value = "192.0.2.77"
    row.controls["category"].value = "traffic"
    assert "ip.source_port_missing" in builder.report.codes
    row.controls["source_port"].value = "51234"
    assert "ip.source_port_missing" not in builder.report.codes
    builder.remove_button.click()
    builder.remove_button.click()
    assert builder.request["data_items"] == []
    assert "data.missing" in builder.report.codes


def test_document_panel_shows_the_rendered_request():
    """The document tab holds the rendered request and follows the form."""
    builder = PreservationRequestBuilder()
    builder.controls["reference"].value = "AL-TEST-1"
    assert "AL-TEST-1" in builder.document_panel.value


def test_bad_input_in_the_form_becomes_findings():
    """Junk typed into the form gives findings, not an exception."""
    builder = PreservationRequestBuilder()
    builder.controls["preservation_days"].value = "a month"
    builder.item_rows[0].controls["start"].value = "yesterday"
    builder.item_rows[0].controls["source_port"].value = "port 80"
    codes = builder.report.codes
    assert {"period.invalid", "time.invalid", "ip.port_invalid"} <= set(codes)
