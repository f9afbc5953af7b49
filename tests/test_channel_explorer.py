"""The channel explorer, driven from Python: set control values, read the panel."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budapest_coop._data import load_yaml
from budapest_coop.channels import SITUATION_FIELDS, advise_channel, channel_catalogue
from budapest_coop.widgets import channel_explorer
from budapest_coop.widgets.channel_explorer import ChannelExplorer
from strategies import junk

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "channels.yaml").read_text(encoding="utf-8"))["cases"]
EMERGENCY = {"provider_emergency_disclosure", "emergency_247", "mla_urgent"}
BOREA = {"requesting_state": "Aland", "location": "Borea", "needed": ["subscriber", "traffic"]}


def _section(panel: str, role: str) -> str:
    """The HTML of one part of the panel (channels, ruled-out, findings), or ''."""
    match = re.search(rf'<(ol|ul|p) data-role="{role}">(.*?)</\1>', panel, re.DOTALL)
    return match.group(2) if match else ""


def _codes(panel: str, role: str = "channels") -> list[str]:
    """The codes listed in one part of the panel, top to bottom."""
    return re.findall(r'<li data-code="([^"]+)"', _section(panel, role))


def _headline(panel: str) -> str:
    return re.search(r'<p data-role="headline"><b>(.*?)</b></p>', panel, re.DOTALL).group(1)


def test_moving_the_data_from_borea_to_zeren_changes_the_advice():
    """Changing the location from Borea (a Party) to Zeren (not a Party) changes the first channel and the headline."""
    explorer = ChannelExplorer(BOREA)
    assert _codes(explorer.panel.value)[0] == "preservation_247"
    explorer.controls["location"].value = "Zeren"
    codes = _codes(explorer.panel.value)
    assert codes[0] != "preservation_247"
    assert "preservation_247" in _codes(explorer.panel.value, "ruled-out")
    assert "Zeren is not a Party" in _headline(explorer.panel.value)


def test_threat_to_life_puts_the_emergency_channels_first():
    """Setting the urgency to 'threat to life' moves the emergency channels to the top, ahead of preservation."""
    explorer = ChannelExplorer(BOREA)
    assert not EMERGENCY & set(_codes(explorer.panel.value))
    explorer.controls["urgency"].value = "life"
    codes = _codes(explorer.panel.value)
    assert set(codes[: len(EMERGENCY)]) == EMERGENCY
    assert codes.index("emergency_247") < codes.index("preservation_247")
    assert "life is at risk" in _headline(explorer.panel.value)


@pytest.mark.parametrize("case", CASES, ids=[c["name"][:60] for c in CASES])
def test_panel_shows_what_the_advisor_says(case):
    """For every scenario case, the panel lists the same channels in the same order as advise_channel on explorer.situation, and as on the case itself."""
    explorer = ChannelExplorer(case["facts"])
    direct = advise_channel(explorer.situation)
    assert _codes(explorer.panel.value) == direct.codes == explorer.advice.codes
    assert _codes(explorer.panel.value, "ruled-out") == direct.ruled_out_codes
    assert direct.codes == advise_channel(case["facts"]).codes
    assert html.unescape(_headline(explorer.panel.value)) == explorer.advice.headline


def test_each_channel_shows_its_value_speed_reason_and_citations():
    """Every recommended channel carries its evidence-or-intelligence label, speed, reason and citations in the panel."""
    explorer = ChannelExplorer(BOREA)
    channels = _section(explorer.panel.value, "channels")
    police = explorer.advice.get("police_interpol")
    assert "intelligence only" in channels and police.value == "intelligence"
    for r in explorer.advice.channels:
        item = channels.split(f'data-code="{r.code}"')[1].split("</li>")[0]
        for text in (r.speed, r.reason, r.citation_text):
            assert html.escape(text) in item, (r.code, text)


def test_unverified_channels_are_marked():
    """A channel resting on points not yet verified shows the 'not yet verified' mark; a verified one does not."""
    explorer = ChannelExplorer({**BOREA, "location": "Zeren"})
    channels = _section(explorer.panel.value, "channels")
    unverified = [r.code for r in explorer.advice.channels if not r.verified]
    verified = [r.code for r in explorer.advice.channels if r.verified]
    assert unverified and verified
    for code in unverified:
        assert "not yet verified" in channels.split(f'data-code="{code}"')[1].split("</li>")[0]
    for code in verified:
        assert "not yet verified" not in channels.split(f'data-code="{code}"')[1].split("</li>")[0]


def test_ruled_out_channels_come_with_their_reasons():
    """Each ruled-out channel is listed with the reason the advisor gives."""
    explorer = ChannelExplorer({**BOREA, "location": "in the cloud"})
    ruled = _section(explorer.panel.value, "ruled-out")
    assert explorer.advice.ruled_out
    for r in explorer.advice.ruled_out:
        assert html.escape(r.reason) in ruled.split(f'data-code="{r.code}"')[1].split("</li>")[0]


def test_consent_controls_reach_article_32b():
    """Consent by an adult account holder brings in Article 32(b); the same consent at age 15 rules it out."""
    explorer = ChannelExplorer({**BOREA, "needed": ["content"]})
    explorer.controls["consent"].value = "yes"
    explorer.controls["consenting_person"].value = "account_holder"
    explorer.controls["consenting_person_age"].value = "34"
    assert _codes(explorer.panel.value)[0] == "art32b_consent"
    assert explorer.situation["consenting_person_age"] == 34
    explorer.controls["consenting_person_age"].value = "15"
    assert "art32b_consent" in _codes(explorer.panel.value, "ruled-out")


def test_prefill_round_trips_and_keeps_facts_without_a_control():
    """ChannelExplorer(dict) fills the controls; facts it has no control for are passed on unchanged."""
    facts = {**BOREA, "urgency": "threat to life", "publicly_available": False,
             "provider_accepts_direct_requests": True, "convention_offence": "8"}
    explorer = ChannelExplorer(facts)
    assert explorer.controls["urgency"].value == "life"
    assert explorer.controls["provider_accepts_direct_requests"].value == "yes"
    assert explorer.situation == {**facts, "urgency": "life"}


def test_junk_typed_into_the_controls_becomes_findings():
    """An unknown State or a non-numeric age gives findings in the panel, not an exception."""
    explorer = ChannelExplorer(BOREA)
    explorer.controls["location"].value = "Atlantis"
    explorer.controls["requesting_state"].value = "   "
    explorer.controls["consenting_person_age"].value = "fifteen"
    findings = _codes(explorer.panel.value, "findings")
    assert {"channel.state_unknown", "channel.requesting_state_missing", "channel.wrong_type"} <= set(findings)


situations = st.fixed_dictionaries({}, optional={**{name: junk for name in SITUATION_FIELDS}, "typo": junk})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=situations | junk, location=st.text(max_size=20), age=st.text(max_size=6))
def test_junk_never_raises(facts, location, age):
    """Any pre-fill and any text typed into the text controls draws a panel without raising."""
    explorer = ChannelExplorer(facts)
    explorer.controls["location"].value = location
    explorer.controls["consenting_person_age"].value = age
    assert explorer.panel.value.startswith("<div")
    assert _codes(explorer.panel.value) == advise_channel(explorer.situation).codes


def test_labels_come_from_the_message_file_and_the_widget_names_no_channel():
    """The explorer's labels are data (keys starting 'explorer_'), and its code names no channel code."""
    keys = load_yaml("messages", "en", "ui_channel_explorer.yaml")["ui"]
    assert keys and all(key.startswith("explorer_") for key in keys)
    source = Path(channel_explorer.__file__).read_text(encoding="utf-8")
    named = [code for code in channel_catalogue() if f'"{code}"' in source or f"'{code}'" in source]
    assert named == []
