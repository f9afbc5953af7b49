"""Grading helpers for answer sheets (channels, Article 32) and the list of Article 32 conditions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budapest_coop.grading import (
    article32_answers_table,
    assert_article32_answer,
    assert_article32_decision,
    assert_article32_unmet,
    assert_channel_answer,
    assert_channel_choice,
    channel_answers_table,
)
from budapest_coop.rules import rule_book
from budapest_coop.transborder import assess_article32, unmet_conditions, unmet_conditions_table

ARTICLE32_CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "article32.yaml").read_text(encoding="utf-8")
)["cases"]


# ---------------------------------------------------------------------------
# unmet_conditions / unmet_conditions_table
# ---------------------------------------------------------------------------


def test_unmet_conditions_are_the_decisive_errors_of_the_rule_book():
    """The list holds every decisive error rule of data/rules/article32.yaml, and nothing else."""
    codes = [c.code for c in unmet_conditions()]
    book = rule_book("article32")
    assert codes == [
        code for code, rule in book.items() if rule.severity.value == "error" and code != "art32.not_a_dict"
    ]
    assert "art32.not_public" in codes and "art32.location_not_party" in codes
    assert "art32.voluntary_unstated" not in codes  # a warning, not an unmet condition


@pytest.mark.parametrize("case", ARTICLE32_CASES, ids=[c["name"][:60] for c in ARTICLE32_CASES])
def test_every_code_the_assessment_reports_is_listed(case):
    """Whatever assess_article32 puts in ``unmet`` for the case book is a code of the list."""
    codes = {c.code for c in unmet_conditions()}
    assert set(assess_article32(case["facts"]).unmet) <= codes


def test_unmet_conditions_read_generally_and_carry_their_citation():
    """Each meaning is a sentence without placeholders; each citation is Article 32; memory points are flagged."""
    for condition in unmet_conditions():
        assert condition.meaning and "{" not in condition.meaning, condition
        assert condition.citation.article == "32", condition
    by_code = {c.code: c for c in unmet_conditions()}
    assert "[State]" in by_code["art32.location_not_party"].meaning
    assert "under 18" in by_code["art32.consent_minor"].meaning
    assert by_code["art32.consent_minor"].verified is False
    assert by_code["art32.no_lawful_authority"].verified is True


def test_unmet_conditions_table_has_one_row_per_code():
    """The table shows code, provision, meaning and verified for every condition."""
    table = unmet_conditions_table()
    assert list(table.columns) == ["code", "provision", "meaning", "verified"]
    assert list(table["code"]) == [c.code for c in unmet_conditions()]
    assert set(table["provision"]) <= {"Art. 32", "Art. 32(a)", "Art. 32(b)"}


# ---------------------------------------------------------------------------
# Channel answers
# ---------------------------------------------------------------------------

GOOD_CHANNEL = {"case_1": {"channel": "preservation_247", "article": "29"}}


def test_channel_answer_well_formed_passes():
    """A known channel code and a readable article pass, whatever the case."""
    assert_channel_answer(GOOD_CHANNEL, "case_1")
    assert_channel_answer({"case_1": {"channel": " art32b_consent ", "article": "Art. 32(b)"}}, "case_1")
    assert_channel_answer({"case_1": {"channel": "mla_urgent", "article": 25}}, "case_1")


@pytest.mark.parametrize(
    "answers, words",
    [
        (None, ["`answers` must be a dict", "NoneType"]),
        ({}, ["no entry 'case_1'", "answers['case_1'] ="]),
        ({"case_1": "preservation_247"}, ["must be a dict", "str"]),
        ({"case_1": {"channel": "preservation_247"}}, ["needs the key(s) 'article'"]),
        ({"case_1": {"channel": "", "article": "29"}}, ["'channel' is empty"]),
        ({"case_1": {"channel": "preservation_24/7", "article": "29"}}, ["not a channel code", "preservation_247"]),
        ({"case_1": {"channel": "carrier pigeon", "article": "29"}}, ["not a channel code", "list of channels"]),
        ({"case_1": {"channel": "preservation_247", "article": ""}}, ["'article' is empty", "'29'"]),
        ({"case_1": {"channel": "preservation_247", "article": True}}, ["'article' is empty"]),
        ({"case_1": {"channel": "preservation_247", "article": "twenty-nine"}}, ["cannot read the citation"]),
        ({"case_1": {"channel": "preservation_247", "article": "99"}}, ["Article 99", "not one of the articles"]),
    ],
)
def test_channel_answer_badly_formed_says_how_to_fix_it(answers, words):
    """Each problem of form is named, with what to write instead."""
    with pytest.raises(AssertionError) as error:
        assert_channel_answer(answers, "case_1")
    for word in words:
        assert word in str(error.value)


def test_channel_choice_accepts_any_accepted_channel_with_its_articles():
    """Every accepted channel passes with any of its articles, written in any readable form."""
    accepted = {"emergency_247": ["35", "25"], "mla_urgent": ["25", "27"]}
    for channel, article in [("emergency_247", "35(1)"), ("emergency_247", "Art. 25(3)"), ("mla_urgent", "27(9)(b)")]:
        assert_channel_choice({"c": {"channel": channel, "article": article}}, "c", accepted)
    assert_channel_choice(GOOD_CHANNEL, "case_1", {"preservation_247": "29"})


def test_channel_choice_wrong_channel_does_not_reveal_the_answer():
    """A wrong channel fails with questions that cite the articles, never naming the accepted channel."""
    with pytest.raises(AssertionError) as error:
        assert_channel_choice(GOOD_CHANNEL, "case_1", {"art32b_consent": ["32"]})
    message = str(error.value)
    assert "'preservation_247' is not the channel to start with" in message
    assert "art32b_consent" not in message and "Article 32(b)" in message


def test_channel_choice_wrong_article_for_the_right_channel():
    """The right channel with an article it does not rest on fails and points to the self-check."""
    with pytest.raises(AssertionError, match="right channel, but it does not rest on Article 31"):
        assert_channel_choice(
            {"case_1": {"channel": "preservation_247", "article": "31"}}, "case_1", {"preservation_247": ["29", "35"]}
        )


def test_channel_choice_checks_the_form_first():
    """A badly formed answer fails on its form, before any comparison."""
    with pytest.raises(AssertionError, match="'channel' is empty"):
        assert_channel_choice({"case_1": {"channel": "", "article": ""}}, "case_1", {"preservation_247": ["29"]})


def test_channel_choice_rejects_an_unknown_accepted_code():
    """A hidden test that names an unknown channel is the instructor's mistake: ValueError."""
    with pytest.raises(ValueError, match="unknown"):
        assert_channel_choice(GOOD_CHANNEL, "case_1", {"preservation_24_7": ["29"]})


def test_channel_answers_table_explains_the_choice_without_judging_it():
    """The self-check describes each chosen channel from the catalogue and lists problems of form only."""
    answers = {
        "case_2": {"channel": "nonsense", "article": "29"},
        "case_1": {"channel": "preservation_247", "article": "29"},
        "case_10": {"channel": "mla_real_time_traffic", "article": "33"},
    }
    table = channel_answers_table(answers)
    assert list(table["case"]) == ["case_1", "case_2", "case_10"]
    first = table.iloc[0]
    assert first["problem"] == "" and "29(1)" in first["rests_on"] and "60 days" in first["delivers"]
    assert "not a channel code" in table.iloc[1]["problem"] and table.iloc[1]["name"] == ""
    assert "not a Party" not in " ".join(table["problem"])  # says nothing about the case
    assert "must be a dict" in channel_answers_table(None).iloc[0]["problem"]


# ---------------------------------------------------------------------------
# Article 32 answers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        {"decision": "32(a)", "unmet": ""},
        {"decision": "32a", "unmet": None},
        {"decision": "Art. 32(b)", "unmet": ""},
        {"decision": "Not covered", "unmet": "art32.no_consent"},
        {"decision": "not_covered", "unmet": "location_not_party"},
        {"decision": "not covered", "unmet": " ART32.NOT_PUBLIC "},
    ],
)
def test_article32_answer_well_formed_passes(entry):
    """Decisions and codes are read leniently (letter forms, case, the art32. prefix)."""
    assert_article32_answer({"case_1": entry}, "case_1")


@pytest.mark.parametrize(
    "entry, words",
    [
        ({"decision": "", "unmet": ""}, ["'decision' must be '32(a)', '32(b)' or 'not covered'"]),
        ({"decision": "32(c)", "unmet": ""}, ["'decision' must be"]),
        ({"decision": "29", "unmet": ""}, ["'decision' must be"]),
        ({"decision": "32(a)"}, ["needs the key(s) 'unmet'"]),
        ({"decision": "not covered", "unmet": ["art32.no_consent"]}, ["one condition code as text", "list"]),
        ({"decision": "not covered", "unmet": "art32.no_consnt"}, ["not a condition code", "art32.no_consent"]),
        ({"decision": "not covered", "unmet": "too far away"}, ["not a condition code", "unmet_conditions_table()"]),
        ({"decision": "32(b)", "unmet": "art32.no_consent"}, ["covers the access", "leave 'unmet' empty"]),
        ({"decision": "not covered", "unmet": ""}, ["name in 'unmet' the condition"]),
    ],
)
def test_article32_answer_badly_formed_says_how_to_fix_it(entry, words):
    """Each problem of form, including a decision that contradicts the condition, is named with its fix."""
    with pytest.raises(AssertionError) as error:
        assert_article32_answer({"case_1": entry}, "case_1")
    for word in words:
        assert word in str(error.value)


def test_article32_decision_passes_and_fails_without_revealing():
    """The decision must equal the expected one; the message cites Article 32's conditions, not the answer."""
    answers = {"case_1": {"decision": "32(b)", "unmet": ""}}
    assert_article32_decision(answers, "case_1", "32(b)")
    with pytest.raises(AssertionError) as error:
        assert_article32_decision(answers, "case_1", "32(a)")
    message = str(error.value)
    assert "'32(b)' is not the right decision" in message and "Article 32(a) needs" in message
    with pytest.raises(ValueError):
        assert_article32_decision(answers, "case_1", "32(c)")


def test_article32_unmet_accepts_listed_codes_or_nothing():
    """A listed code passes; with nothing accepted only an empty 'unmet' passes."""
    answers = {
        "a": {"decision": "not covered", "unmet": "no_lawful_authority"},
        "b": {"decision": "32(a)", "unmet": ""},
    }
    assert_article32_unmet(answers, "a", ["art32.no_lawful_authority", "art32.no_consent"])
    assert_article32_unmet(answers, "b", [])
    with pytest.raises(AssertionError) as error:
        assert_article32_unmet(answers, "b", ["art32.location_not_party"])
    assert "empty" in str(error.value) and "location_not_party" not in str(error.value)
    with pytest.raises(AssertionError) as error:
        assert_article32_unmet(answers, "a", ["art32.consent_not_voluntary"])
    assert "no_lawful_authority" in str(error.value) and "consent_not_voluntary" not in str(error.value)
    with pytest.raises(AssertionError):
        assert_article32_unmet(answers, "a", [])
    with pytest.raises(ValueError):
        assert_article32_unmet(answers, "a", ["art32.far_away"])


def test_article32_answers_table_explains_without_judging():
    """The self-check says what the chosen letter requires and what the named condition means."""
    answers = {
        "case_1": {"decision": "32(a)", "unmet": ""},
        "case_2": {"decision": "not covered", "unmet": "art32.location_not_party"},
        "case_3": {"decision": "32(b)", "unmet": "art32.no_consent"},
    }
    table = article32_answers_table(answers)
    rows = {row["case"]: row for row in table.to_dict("records")}
    assert "publicly available" in rows["case_1"]["what_it_requires"] and rows["case_1"]["problem"] == ""
    assert "does not cover" in rows["case_2"]["what_it_requires"]
    assert "[State]" in rows["case_2"]["meaning"] and "Art. 32(b)" in rows["case_2"]["meaning"]
    assert "leave 'unmet' empty" in rows["case_3"]["problem"]
    assert "must be a dict" in article32_answers_table([]).iloc[0]["problem"]
