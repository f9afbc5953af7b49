"""The grading helpers used by autograded cells: pass on good drafts, explain on bad ones."""

from __future__ import annotations

import copy

import pytest

from budapest_coop.grading import (
    assert_element,
    assert_has_items,
    assert_ip_item,
    assert_mentions,
    assert_no_findings,
    request_field,
)
from test_preservation_cases import DOC

BASE = DOC["base"]
WINDOW = ("2026-02-07T22:56:00+00:00", "2026-02-07T22:57:00+00:00")


def test_assert_element_passes_and_fails_with_citation():
    """A satisfied element passes; a missing one fails quoting the article and the finding."""
    assert_element(BASE, "a")
    with pytest.raises(AssertionError, match=r"(?s)Article 29\(2\)\(e\) is not satisfied.*necessity"):
        assert_element({**BASE, "necessity": ""}, "e")


def test_assert_element_rejects_unknown_letter():
    """A letter outside (a)-(f) is a mistake in the notebook, reported as such."""
    with pytest.raises(ValueError, match="elements a, b, c, d, e, f"):
        assert_element(BASE, "g")


def test_assert_no_findings_lists_the_offending_findings():
    """The failure message lists each finding with its fix and citation."""
    draft = copy.deepcopy(BASE)
    draft["data_items"][1]["start"] = "2026-02-08T00:55:12"
    with pytest.raises(AssertionError, match="(?s)Time zones:.*no time zone"):
        assert_no_findings(draft, ["time.naive"], "Time zones")
    assert_no_findings(BASE, ["time.naive"], "Time zones")


def test_assert_has_items_by_kind_and_time():
    """Item presence is checked by identifier kind and by having a time window."""
    assert_has_items(BASE, "x", kind="ip", timed=True)
    with pytest.raises(AssertionError, match="no an? ip data item"):
        assert_has_items({"data_items": [{"identifier": "a@b.example"}]}, "x", kind="ip")
    with pytest.raises(AssertionError, match="with a time window"):
        assert_has_items({"data_items": [{"identifier": "192.0.2.1"}]}, "x", timed=True)


def test_assert_ip_item_checks_address_port_window_and_span():
    """The connection test checks the address, port, coverage of the moment and the span."""
    assert_ip_item(BASE, "198.51.100.20", port=50231, covers=WINDOW, max_span_hours=1)
    with pytest.raises(AssertionError, match="No data item names the address"):
        assert_ip_item(BASE, "192.0.2.99")
    with pytest.raises(AssertionError, match="source port"):
        assert_ip_item(BASE, "198.51.100.20", port=1)
    with pytest.raises(AssertionError, match="time zone the log uses"):
        assert_ip_item(BASE, "198.51.100.20", covers=("2026-02-08T22:56:00+00:00", "2026-02-08T22:57:00+00:00"))
    with pytest.raises(AssertionError, match="wider than"):
        assert_ip_item(BASE, "198.51.100.20", covers=WINDOW, max_span_hours=0.01)


def test_assert_mentions_and_request_field():
    """Free-text answers are matched case-insensitively; non-text fails."""
    assert_mentions(request_field(BASE, "custodian"), ["VPS.BOREA.EXAMPLE"], "custodian")
    with pytest.raises(AssertionError, match="'custodian'"):
        assert_mentions(None, ["x"], "custodian")
