"""The 24/7 desk (budapest_coop.desk and its widget): YAML cases, clocks, lenient input."""

from __future__ import annotations

import ipaddress
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from budapest_coop import desk as desk_module
from budapest_coop._data import DataError, load_yaml
from budapest_coop.desk import (
    ACTIONS,
    KINDS,
    TABLE_COLUMNS,
    DeskMessage,
    DeskOutcome,
    action_citations,
    action_label,
    assess_action,
    deadline_table,
    fitting_actions,
    format_moment,
    format_time_left,
    kind_label,
    load_queue,
    playbook_table,
)
from budapest_coop.parties import lookup_state
from budapest_coop.rules import rule_book
from budapest_coop.widgets.desk import TwentyFourSevenDesk
from strategies import junk

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "desk.yaml").read_text(encoding="utf-8"))["cases"]
EXPECT_KEYS = {"fits", "findings", "no_findings"}
QUEUE = load_queue()
NOW = QUEUE.now
PLUS2 = timezone(timedelta(hours=2))


def _id(case: dict) -> str:
    return f"{case.get('scenario', '--')}: {case['name'][:70]}"


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    """Each desk case gets the verdict and the finding codes it expects."""
    assert set(case["expect"]) <= EXPECT_KEYS, f"unknown expect keys: {set(case['expect']) - EXPECT_KEYS}"
    outcome = assess_action(case["message"], case["action"], now=case.get("now", NOW))
    expect = case["expect"]
    assert outcome.decided, str(outcome)
    assert outcome.fits is expect["fits"], str(outcome)
    for code in expect.get("findings", []):
        assert code in outcome.codes, str(outcome)
    for code in expect.get("no_findings", []):
        assert code not in outcome.codes, str(outcome)
    assert outcome.reason is not None and outcome.reason.citation, "every verdict carries its citation"


def test_cases_cover_every_kind_and_every_fitting_action() -> None:
    """The YAML cases reach every kind of message and every action that fits some kind."""
    kinds = {QUEUE[c["message"]].kind for c in CASES}
    assert kinds == set(KINDS)
    fitting = {a for k in KINDS for a in fitting_actions(k)}
    judged = {assess_action(c["message"], c["action"], now=NOW).action for c in CASES}
    assert fitting <= judged
    assert len(CASES) >= 12


# ---------------------------------------------------------------------------
# The data: queue and playbook
# ---------------------------------------------------------------------------

DOCUMENTATION = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b2001:db8:[0-9a-f:]*", re.IGNORECASE)
DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b", re.IGNORECASE)


def test_queue_is_a_night_of_fictional_messages_with_aware_times() -> None:
    """8-10 messages from the course's fictional States, every time aware, received before the desk's now."""
    assert 8 <= len(QUEUE) <= 10
    assert QUEUE.desk_state.name == "Borea" and QUEUE.now.tzinfo is not None
    assert len(set(QUEUE.ids)) == len(QUEUE)
    for m in QUEUE:
        assert m.sender is not None and m.sender.fictional, m.id
        assert m.received_at.utcoffset() is not None and m.received_at <= NOW, m.id
        assert m.data_deleted_at is None or m.data_deleted_at.utcoffset() is not None, m.id
        for key, value in m.facts.items():
            if key.endswith("_at"):
                assert isinstance(value, datetime) and value.utcoffset() is not None, (m.id, key)


def test_queue_material_uses_documentation_addresses_and_example_domains() -> None:
    """Every IP address is from a documentation range and every domain ends in .example."""
    text = yaml.safe_dump(load_yaml("desk_queue.yaml"))
    for address in IPV4.findall(text) + IPV6.findall(text):
        ip = ipaddress.ip_address(address.rstrip(":"))
        assert any(ip in net for net in DOCUMENTATION), address
    for domain in DOMAIN.findall(text):
        if "@" in domain or re.fullmatch(r"[\d.]+", domain):
            continue
        assert domain.lower().endswith(".example"), domain


def test_every_kind_has_a_fitting_action_and_every_code_a_rule() -> None:
    """The playbook gives each kind at least one fitting action; its codes are rules of the desk book."""
    rules = rule_book("desk")
    table = playbook_table()
    assert list(table["kind"]) == list(KINDS)
    for kind in KINDS:
        assert fitting_actions(kind)
        for action in ACTIONS:
            outcome_code = desk_module._playbook().kinds[kind].verdict(action)
            assert outcome_code in rules and outcome_code.startswith("desk.")


def test_every_kind_in_the_queue_and_every_label_in_the_messages() -> None:
    """The queue has a message of every kind; every action and kind has its words in ui_desk.yaml."""
    assert {m.kind for m in QUEUE} == set(KINDS)
    for code in ACTIONS:
        assert action_label(code) and action_citations(code)
    for code in KINDS:
        assert kind_label(code)


def test_loader_refuses_a_time_without_utc_offset(monkeypatch) -> None:
    """A naive time in the queue data is a bug: the loader names the message and the field."""
    doc = yaml.safe_load(yaml.safe_dump(load_yaml("desk_queue.yaml")))
    doc["messages"][0]["received_at"] = "2025-03-29T18:05:00"
    monkeypatch.setattr(desk_module, "load_yaml", lambda *parts: doc)
    with pytest.raises(DataError, match=r"aland-ransomware-c2.*received_at"):
        load_queue.__wrapped__()


# ---------------------------------------------------------------------------
# Clocks: both zones, a DST change, midnight
# ---------------------------------------------------------------------------


def _message(**changes) -> DeskMessage:
    received = datetime(2025, 3, 29, 21, 0, tzinfo=PLUS2)
    fields = {
        "id": "dst-test",
        "received_at": received,
        "sender": lookup_state("Aland"),
        "sender_zone": "UTC+02:00",
        "kind": "preservation",
        "summary": "Logs kept 24 hours.",
        "data_deleted_at": received + timedelta(hours=24),
        "facts": {},
    }
    fields.update(changes)
    return DeskMessage(**fields)


def test_deadline_in_both_zones_across_the_spring_dst_change() -> None:
    """A desk on Europe/Paris and a sender on UTC+02:00: the deadline is right on both clocks across 30 March 2025."""
    message = _message()
    outcome = assess_action(message, "preserve_now", now=message.received_at, desk_zone="Europe/Paris")
    assert outcome.received_desk.isoformat() == "2025-03-29T20:00:00+01:00"  # CET before the change
    assert outcome.received_sender.isoformat() == "2025-03-29T21:00:00+02:00"
    assert outcome.deadline_desk.isoformat() == "2025-03-30T21:00:00+02:00"  # CEST after it
    assert outcome.deadline_sender.isoformat() == "2025-03-30T21:00:00+02:00"
    assert outcome.time_left == timedelta(hours=24)
    wall_clock = outcome.deadline_desk.replace(tzinfo=None) - outcome.received_desk.replace(tzinfo=None)
    assert wall_clock == timedelta(hours=25)  # the Paris clock jumped an hour; real time did not
    assert "(CEST, UTC+02:00)" in outcome.deadline_text() and "24 h 00 min left" not in outcome.deadline_text()
    assert "1 d 00 h 00 min left" in outcome.deadline_text()


def test_queue_deadline_shows_the_sender_clock_moving_to_summer_time() -> None:
    """Aland (Europe/Paris) sent the 24-hour request in CET; its logs go in CEST, the same hour as Borea's clock."""
    outcome = assess_action("aland-cgn-24h", "preserve_now", now=NOW)
    assert outcome.received_sender.isoformat() == "2025-03-29T21:40:00+01:00"
    assert outcome.received_desk.isoformat() == "2025-03-29T22:40:00+02:00"
    assert outcome.deadline_sender.isoformat() == "2025-03-30T22:14:05+02:00"
    assert outcome.deadline_desk.isoformat() == "2025-03-30T22:14:05+02:00"
    assert outcome.time_left == timedelta(hours=19, minutes=44, seconds=5)
    assert outcome.deadline_for == "data_deleted"


def test_times_across_midnight_between_desk_and_sender() -> None:
    """Cetra (UTC-05:00) sent on 29 March what the desk received on 30 March; Zeren's midnight is 20:30 at the desk."""
    cetra = assess_action("cetra-locate-suspect", "locate_or_collect", now=NOW)
    assert cetra.received_sender.date().isoformat() == "2025-03-29"
    assert cetra.received_desk.date().isoformat() == "2025-03-30"
    assert cetra.deadline is None and cetra.time_left is None
    zeren = assess_action("zeren-hosting", "refer_police_interpol", now=NOW)
    assert zeren.deadline_sender.isoformat() == "2025-03-31T00:00:00+05:30"
    assert zeren.deadline_desk.isoformat() == "2025-03-30T20:30:00+02:00"
    assert zeren.time_left == timedelta(hours=18)


def test_preservation_deadline_is_sixty_days_after_preserving() -> None:
    """Day 55: the Article 29(7) minimum ends 60 days after Borea froze the data, on both clocks."""
    outcome = assess_action("aland-day-55", "preserve_now", now=NOW)
    preserved = QUEUE["aland-day-55"].facts["preserved_at"]
    assert outcome.deadline_for == "preservation_ends"
    assert outcome.deadline == preserved + timedelta(days=60)
    assert outcome.deadline_desk.isoformat() == "2025-04-03T09:00:00+02:00"
    assert outcome.time_left > timedelta(0)


def test_earliest_deadline_wins() -> None:
    """With both a deletion time and a threat, the earlier one is the deadline."""
    soon = datetime(2025, 3, 30, 3, 0, tzinfo=PLUS2)
    message = _message(kind="emergency", data_deleted_at=soon + timedelta(hours=5), facts={"threat_at": soon})
    outcome = assess_action(message, "escalate_emergency", now=NOW)
    assert outcome.deadline_for == "threat" and outcome.deadline == soon
    assert "desk.deadline_soon" in outcome.codes


def test_format_helpers() -> None:
    """Moments name their zone and offset; time left counts days, hours and minutes, or time passed."""
    moment = datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert format_moment(moment, "Europe/Paris") == "Sun 30 Mar 2025 03:30:00 (CEST, UTC+02:00)"
    assert format_moment(moment, "UTC-05:00", short=True) == "Sat 29 Mar 20:30 (UTC-05:00)"
    assert format_moment(moment, "Nowhere/Else") == "Sun 30 Mar 2025 01:30:00 (UTC+00:00)"
    assert format_moment(datetime(2025, 3, 30, 1, 30)).endswith("(no time zone!)")
    assert format_time_left(timedelta(days=1, hours=5, minutes=30)) == "1 d 05 h 30 min left"
    assert format_time_left(timedelta(minutes=-130)) == "passed 2 h 10 min ago"
    assert format_time_left(None) == "time left unknown"


def test_default_now_is_the_real_clock() -> None:
    """Without ``now`` the desk reads the real clock, so time left is always computed."""
    outcome = assess_action("aland-cgn-24h", "preserve_now")
    assert outcome.now is not None and outcome.now.tzinfo is not None
    assert outcome.time_left is not None


# ---------------------------------------------------------------------------
# Lenient input: findings, never tracebacks
# ---------------------------------------------------------------------------


def test_naive_now_becomes_a_finding() -> None:
    """A ``now`` without UTC offset is reported; the verdict still comes, the time left does not."""
    outcome = assess_action("aland-cgn-24h", "preserve_now", now=datetime(2025, 3, 30, 2, 30))
    assert "desk.time_naive" in outcome.codes
    assert outcome.fits and outcome.time_left is None
    assert "time left unknown" in outcome.deadline_text()


def test_naive_times_in_a_hand_made_message_become_findings() -> None:
    """A DeskMessage built with naive times gets findings for each, not an exception."""
    message = _message(received_at=datetime(2025, 3, 29, 21, 0), data_deleted_at=datetime(2025, 3, 30, 21, 0))
    outcome = assess_action(message, "preserve_now", now=NOW)
    naive = [f.field for f in outcome.findings if f.code == "desk.time_naive"]
    assert sorted(naive) == ["data_deleted_at", "received_at"]
    assert outcome.fits and outcome.deadline is None


def test_message_as_a_dict_is_read_leniently() -> None:
    """A dict message with typos, an unknown State and zone, and junk times gives findings and a verdict."""
    outcome = assess_action(
        {"id": "x", "received_at": "2025-03-29 10:00", "sender": "Borae", "kind": "threat to life",
         "sender_zone": "Mars/Olympus", "typo": 1, "facts": {"threat_at": "tomorrow"}},
        "escalate as an emergency",
        now="2025-03-30T02:30:00+02:00",
    )
    assert {"desk.time_naive", "desk.time_invalid", "desk.state_unknown", "desk.zone_unknown",
            "desk.field_unknown"} <= set(outcome.codes)
    assert outcome.kind == "emergency" and outcome.fits


def test_unknown_message_and_action_get_hints() -> None:
    """A misspelt id or action is reported with the closest match, and no verdict is given."""
    outcome = assess_action("aland-cgn", "frezee", now=NOW)
    assert not outcome.decided and not outcome.fits
    assert {"desk.message_unknown", "desk.action_unknown"} <= set(outcome.codes)
    hint = next(f for f in outcome.findings if f.code == "desk.message_unknown")
    assert "aland-cgn-24h" in hint.fix
    assert "No verdict" in outcome.headline


def test_non_party_sender_on_another_kind_is_flagged() -> None:
    """A message from Zeren dressed as a preservation request still says Zeren is not a Party."""
    outcome = assess_action(_message(sender=lookup_state("Zeren")), "preserve_now", now=NOW)
    assert "desk.sender_not_party" in outcome.codes


@settings(max_examples=150, deadline=None)
@given(message=junk | st.sampled_from(QUEUE.ids), action=junk | st.sampled_from(ACTIONS), now=junk, zone=junk)
def test_junk_never_raises(message, action, now, zone) -> None:
    """Whatever a trainee passes, assess_action returns an outcome with cited findings."""
    outcome = assess_action(message, action, now=now, desk_zone=zone)
    assert isinstance(outcome, DeskOutcome)
    str(outcome)
    outcome._repr_html_()
    for finding in outcome.findings:
        assert finding.code.startswith("desk.") and finding.citation


@settings(max_examples=60, deadline=None)
@given(queue=junk | st.lists(junk | st.sampled_from(QUEUE.ids), max_size=3), now=junk, zone=junk)
def test_deadline_table_never_raises(queue, now, zone) -> None:
    """deadline_table turns junk into findings in ``attrs``, never an exception."""
    table = deadline_table(queue, zone, now)
    assert list(table.columns) == TABLE_COLUMNS
    assert all(f.code.startswith("desk.") for f in table.attrs["findings"])


# ---------------------------------------------------------------------------
# The deadline table
# ---------------------------------------------------------------------------


def test_deadline_table_is_sorted_most_urgent_first() -> None:
    """Messages with a deadline come first, soonest first; the ransomware logs top the night."""
    table = deadline_table(QUEUE, QUEUE.desk_zone, NOW)
    assert list(table.columns) == TABLE_COLUMNS and len(table) == len(QUEUE)
    assert table.iloc[0]["id"] == "aland-ransomware-c2"
    hours = [h for h in table["hours_left"] if not math.isnan(h)]
    assert hours == sorted(hours)
    assert table.attrs["findings"] == ()


def test_deadline_table_in_another_desk_zone_and_with_naive_now() -> None:
    """The desk's zone changes the desk column only; a naive now empties the time left and is reported."""
    paris = deadline_table(QUEUE, "Europe/Paris", NOW).set_index("id")
    assert paris.loc["aland-cgn-24h", "received_desk"] == "Sat 29 Mar 21:40 (CET, UTC+01:00)"
    assert paris.loc["aland-cgn-24h", "deadline_desk"].startswith("Sun 30 Mar 2025 22:14:05 (CEST")
    naive = deadline_table(QUEUE, None, datetime(2025, 3, 30, 2, 30))
    assert naive["hours_left"].isna().all()
    assert [f.code for f in naive.attrs["findings"]] == ["desk.time_naive"]


# ---------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------


def test_widget_lists_each_message_on_both_clocks() -> None:
    """Each queue line shows the time received on the desk's clock and on the sender's."""
    desk = TwentyFourSevenDesk()
    labels = dict((value, label) for label, value in desk.queue_list.options)
    assert set(labels) == set(QUEUE.ids)
    assert "desk Sun 30 Mar 01:45 (UTC+02:00)" in labels["cetra-locate-suspect"]
    assert "Cetra Sat 29 Mar 18:45 (UTC-05:00)" in labels["cetra-locate-suspect"]
    assert "Sun 30 Mar 2025 02:30:00" in desk.children[0].value  # the desk clock is the queue's


def test_widget_select_decide_and_read_the_panel() -> None:
    """Choosing a message and an action and clicking Decide shows the verdict, reasons and both deadlines."""
    desk = TwentyFourSevenDesk()
    desk.queue_list.value = "aland-bomb-threat"
    assert "threat@mail.example" in desk.message_panel.value
    assert "an emergency (a threat to life)" not in desk.message_panel.value  # the kind is the answer
    desk.action_picker.value = "preserve_now"
    desk.decide_button.click()
    panel = desk.result_panel.value
    assert "does not fit" in panel and "Art. 25(3) Budapest Convention" in panel
    assert "Mon 31 Mar 2025 08:00:00 (UTC+02:00) desk time" in panel
    assert "Mon 31 Mar 2025 08:00:00 (CEST, UTC+02:00) Aland time" in panel
    assert "1 d 05 h 30 min left" in panel
    desk.action_picker.value = "escalate_emergency"
    desk.decide_button.click()
    assert "fits this message" in desk.result_panel.value
    assert desk.choices == {"aland-bomb-threat": "escalate_emergency"}
    assert desk.outcomes["aland-bomb-threat"].fits
    assert "not yet verified" in desk.result_panel.value  # Second Protocol Art. 9 is from memory


def test_widget_remembers_decisions_per_message() -> None:
    """Going back to a decided message shows its action and outcome again; a new one starts blank."""
    desk = TwentyFourSevenDesk()
    desk.select("zeren-hosting")
    desk.action_picker.value = "decline_outside_convention"
    desk.decide()
    desk.select("aland-day-55")
    assert desk.action_picker.value is None and desk.result_panel.value == ""
    desk.select("zeren-hosting")
    assert desk.action_picker.value == "decline_outside_convention"
    assert "fits this message" in desk.result_panel.value
    assert "zeren-hosting" in desk.choices_panel.value


def test_widget_asks_for_a_message_and_an_action_first() -> None:
    """Deciding with nothing selected explains what is missing instead of failing."""
    desk = TwentyFourSevenDesk()
    desk.decide_button.click()
    assert "Choose a message first." in desk.result_panel.value
    desk.select("cetra-cgn-advice")
    desk.decide_button.click()
    assert "Choose an action first." in desk.result_panel.value
    assert desk.choices == {}


def test_widget_with_another_now_and_zone() -> None:
    """Given another moment and desk zone, the widget's outcomes follow them."""
    later = datetime(2025, 3, 30, 23, 0, tzinfo=PLUS2)
    desk = TwentyFourSevenDesk(now=later, desk_zone="Europe/Paris")
    desk.select("aland-cgn-24h")
    desk.action_picker.value = "preserve_now"
    desk.decide()
    outcome = desk.outcomes["aland-cgn-24h"]
    assert outcome.desk_zone == "Europe/Paris" and "desk.deadline_passed" in outcome.codes
    assert "passed 45 min ago" in desk.result_panel.value
