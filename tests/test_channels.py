"""The channel advisor (budapest_coop.channels): scenario cases in YAML, and lenient input."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from pathlib import Path

import pytest
import yaml

from budapest_coop.channels import (
    NEEDS,
    URGENCIES,
    Advice,
    Recommendation,
    Situation,
    advise_channel,
    channel_catalogue,
    parse_situation,
)
from budapest_coop.citations import Citation

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "channels.yaml").read_text(encoding="utf-8"))["cases"]
EXPECT_KEYS = {
    "first", "in_order", "includes", "excludes", "ruled_out", "findings", "no_findings",
    "convention_applies", "headline_mentions", "article32",
}


def _id(case: dict) -> str:
    return f"{case.get('scenario', '--')}: {case['name'][:70]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    """Each scenario case gets the channels, order, rulings and findings it expects."""
    assert set(case["expect"]) <= EXPECT_KEYS, f"unknown expect keys: {set(case['expect']) - EXPECT_KEYS}"
    advice = advise_channel(case["facts"])
    expect = case["expect"]
    codes = advice.codes
    if "first" in expect:
        assert advice.first is not None and advice.first.code == expect["first"], str(advice)
    if "in_order" in expect:
        missing = [c for c in expect["in_order"] if c not in codes]
        assert not missing, f"not recommended: {missing}\n{advice}"
        positions = [codes.index(c) for c in expect["in_order"]]
        assert positions == sorted(positions), f"wrong order: {codes}"
    for code in expect.get("includes", []):
        assert code in codes, f"{code} not recommended\n{advice}"
    for code in expect.get("excludes", []):
        assert code not in codes, f"{code} should not be recommended\n{advice}"
    for code in expect.get("ruled_out", []):
        assert code in advice.ruled_out_codes, f"{code} not ruled out\n{advice}"
        assert advice.get(code).reason, f"{code} is ruled out without a reason"
    for code in expect.get("findings", []):
        assert code in advice.finding_codes, str(advice)
    for code in expect.get("no_findings", []):
        assert code not in advice.finding_codes, str(advice)
    if "convention_applies" in expect:
        assert advice.convention_applies is expect["convention_applies"]
    for words in expect.get("headline_mentions", []):
        assert words in advice.headline
    if "article32" in expect:
        assert advice.article32 is not None and advice.article32.decision == expect["article32"]


def test_cases_are_fictional_and_varied() -> None:
    """The cases use only the course's fictional States and cover every urgency."""
    states = {"Aland", "Borea", "Cetra", "Zeren", "unknown", "in the cloud"}
    for case in CASES:
        for field in ("requesting_state", "location", "provider_state", "share_with"):
            value = case["facts"].get(field)
            assert value is None or value in states, f"{case['name']}: {field}={value!r}"
    urgencies = {advise_channel(c["facts"]).situation.urgency for c in CASES}
    assert urgencies == set(URGENCIES)


DOCUMENTATION = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


@pytest.mark.parametrize("name", ["channels.yaml", "article32.yaml"])
def test_case_material_uses_documentation_addresses(name: str) -> None:
    """Every IP address in the cases is from a documentation range and every domain ends in .example."""
    text = (Path(__file__).parent / "cases" / name).read_text(encoding="utf-8")
    for candidate in re.findall(r"\b[0-9a-f:.]*[.:][0-9a-f:.]+\b", text, re.IGNORECASE):
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        assert any(address in net for net in DOCUMENTATION), candidate
    for domain in re.findall(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b", text):
        if domain.startswith(("art32.", "channel.")) or domain.endswith((".yaml", ".md")):
            continue  # finding codes and file names, not domains
        assert domain.endswith(".example"), domain


# ---------------------------------------------------------------------------
# Every recommendation carries its citations and says what it yields
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_every_recommendation_is_cited_and_described(case: dict) -> None:
    """Each recommended or ruled-out channel has a reason, citations, what it delivers and its speed."""
    advice = advise_channel(case["facts"])
    for rec in (*advice.channels, *advice.ruled_out):
        assert isinstance(rec, Recommendation)
        assert rec.citations and all(isinstance(c, Citation) for c in rec.citations)
        assert rec.reason and rec.delivers and rec.cannot_deliver and rec.speed and rec.value_label
        assert "{" not in rec.reason, f"unfilled placeholder in {rec.code}: {rec.reason}"
    for finding in advice.findings:
        assert isinstance(finding.citation, Citation)


def test_catalogue_codes_are_stable() -> None:
    """The channel codes that notebooks and grading rely on all exist in data/channels.yaml."""
    assert set(channel_catalogue()) == {
        "art32a_open_source", "domestic_powers", "art32b_consent", "provider_emergency_disclosure",
        "emergency_247", "mla_urgent", "domestic_production_order", "preservation_247",
        "art30_partial_disclosure", "mla_stored_data", "mla_real_time_traffic", "mla_interception",
        "bilateral_mla", "other_treaties", "g7_network", "provider_voluntary_preservation",
        "provider_voluntary", "spontaneous_information", "police_interpol", "second_protocol",
    }


def test_catalogue_needs_are_known() -> None:
    """Every channel serves only needs the advisor knows."""
    for channel in channel_catalogue().values():
        assert set(channel.serves) <= set(NEEDS)


def test_second_protocol_is_never_recommended() -> None:
    """The Second Protocol is in force between no two States, so the advice says so instead."""
    for requesting in ("Aland", "Borea", "Cetra"):
        for location in ("Aland", "Borea", "Cetra"):
            if requesting == location:
                continue
            advice = advise_channel({"requesting_state": requesting, "location": location, "needed": ["subscriber"]})
            assert "second_protocol" not in advice.codes
            assert "not in force" in advice.get("second_protocol").reason


@pytest.mark.parametrize("urgency", URGENCIES)
def test_no_convention_tool_is_offered_for_a_non_party(urgency: str) -> None:
    """With the data in Zeren, no recommended channel cites the Convention except Article 32(a)."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Zeren", "urgency": urgency,
                             "needed": ["preservation", "content", "real_time"], "publicly_available": True})
    for rec in advice.channels:
        treaty = [c for c in rec.citations if c.is_treaty]
        assert rec.code == "art32a_open_source" or not treaty, f"{rec.code} cites {treaty}"


def test_police_channel_is_intelligence_only() -> None:
    """Police-to-police co-operation is marked as intelligence, mutual assistance as evidence."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", "needed": ["subscriber"],
                             "convention_offence": "8"})
    assert advice.get("police_interpol").value == "intelligence"
    assert advice.get("mla_stored_data").evidence is True
    assert advice.get("preservation_247").value == "preservation"


def test_points_from_memory_are_flagged() -> None:
    """Channels that rest on points the notes give from memory are marked not verified."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Zeren", "needed": ["content"]})
    assert advice.get("other_treaties").verified is False
    assert advice.get("g7_network").verified is False


# ---------------------------------------------------------------------------
# Bad input: a clear finding, never a traceback
# ---------------------------------------------------------------------------


def test_unknown_field_is_reported_with_a_suggestion() -> None:
    """A misspelt field becomes a warning that suggests the right name."""
    advice = advise_channel({"requesting_state": "Aland", "locaton": "Borea", "needed": ["content"]})
    finding = next(f for f in advice.findings if f.code == "channel.field_unknown")
    assert finding.field == "locaton" and "location" in finding.fix


@pytest.mark.parametrize(
    "facts, field",
    [
        ({"needed": 42}, "needed"),
        ({"consent": "perhaps"}, "consent"),
        ({"consenting_person_age": "fifteen", "consent": True}, "consenting_person_age"),
        ({"requesting_state": ["Aland"]}, "requesting_state"),
        ({"mla_treaty": 3.5}, "mla_treaty"),
    ],
)
def test_wrong_types_become_findings(facts: dict, field: str) -> None:
    """A value of the wrong type is ignored with a warning that names the field."""
    advice = advise_channel({"location": "Borea", **facts})
    assert any(f.code == "channel.wrong_type" and f.field == field for f in advice.findings), advice.finding_codes


@pytest.mark.parametrize("facts, field", [({"needed": ["bananas"]}, "needed"), ({"urgency": "asap"}, "urgency"),
                                          ({"consenting_person": "the cat", "consent": True}, "consenting_person")])
def test_unknown_values_become_findings(facts: dict, field: str) -> None:
    """A value the course does not know is reported with the values it does know."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", **facts})
    finding = next(f for f in advice.findings if f.code == "channel.value_unknown")
    assert finding.field == field and "Use one of" in finding.fix


def test_unknown_state_is_reported_and_treated_as_unknown_location() -> None:
    """A State the course does not know gets a finding with a spelling hint, and no Article 29 request."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Boreea", "needed": ["content"]})
    finding = next(f for f in advice.findings if f.code == "channel.state_unknown")
    assert "Borea" in finding.fix
    assert "preservation_247" not in advice.codes


@pytest.mark.parametrize("situation", [None, 42, "Borea", ["Borea"], {"needed": None, "location": None}])
def test_not_a_dict_gives_advice_not_a_traceback(situation) -> None:
    """Anything that is not a dict still returns Advice, with a finding when it is not one."""
    advice = advise_channel(situation)
    assert isinstance(advice, Advice)
    if not isinstance(situation, dict):
        assert "channel.not_a_dict" in advice.finding_codes


def test_unknown_language_falls_back_to_english() -> None:
    """An unknown language gives English texts and a finding."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", "needed": ["content"]}, language="xx")
    assert "channel.language_unknown" in advice.finding_codes
    assert advice.first is not None and advice.first.name


def test_needed_may_be_a_phrase() -> None:
    """Needs can be typed as a phrase or a comma-separated string."""
    situation = parse_situation({"needed": "subscriber information, traffic data", "urgency": "Threat to life"})
    assert situation.needed == ("subscriber", "traffic")
    assert situation.urgency == "life"


def test_situation_object_and_dict_agree() -> None:
    """A Situation and the equivalent dict give the same advice; the model round-trips."""
    facts = {"requesting_state": "Aland", "location": "Cetra", "needed": ["traffic"], "urgency": "deletion"}
    situation = Situation.from_dict(facts)
    assert Situation.from_dict(situation.to_dict()) == situation
    assert advise_channel(situation).codes == advise_channel(facts).codes
    with pytest.raises(dataclasses.FrozenInstanceError):
        situation.location = "Zeren"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------


def test_to_frame_lists_recommended_then_ruled_out() -> None:
    """to_frame gives one row per channel, recommended first, with citations."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", "needed": ["traffic"],
                             "convention_offence": "5"})
    frame = advice.to_frame()
    assert list(frame["code"][: len(advice.channels)]) == advice.codes
    assert set(frame["status"]) == {"recommended", "ruled out"}
    assert frame["citations"].str.len().min() > 0


def test_html_escapes_and_shows_citations() -> None:
    """The notebook display names the channels and their articles, escaped."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", "needed": ["traffic"],
                             "convention_offence": "<b>5</b>"})
    page = advice._repr_html_()
    assert "Art. 29(1) Budapest Convention" in page and "<ol>" in page
    assert "<b>5</b>" not in page
    assert str(advice).startswith(advice.headline)


def test_channels_table_lists_every_channel() -> None:
    """The notebook table has one row per channel, with whether it rests on a treaty article."""
    from budapest_coop.channels import channel_catalogue, channels_table

    table = channels_table()
    assert list(table["code"]) == list(channel_catalogue())
    assert table.set_index("code").loc["preservation_247", "rests_on_article"]
    assert not table.set_index("code").loc["police_interpol", "rests_on_article"]


def test_32b_ruled_out_on_a_point_from_memory_is_marked_unverified() -> None:
    """When 32(b) fails only on a Guidance Note point the notes give from memory (a minor), the advice says so."""
    advice = advise_channel({"requesting_state": "Aland", "location": "Borea", "needed": ["content"],
                             "consent": True, "consenting_person": "account holder", "consenting_person_age": 15})
    ruled = {r.code: r for r in advice.ruled_out}
    assert ruled["art32b_consent"].verified is False
