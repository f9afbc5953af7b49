"""The graded exercises choose_channel and article32_access: they agree with the package, and grade end to end.

The hidden tests of each solution notebook hold the facts of every case and the accepted
answers. The first tests here read them and check them against ``advise_channel`` and
``assess_article32``, so the exercises and the package cannot disagree; the round trips
generate each assignment in a temporary course, autograde a full, a blank and a partly right
submission in one ``nbgrader autograde`` run and read the marks.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from budapest_coop import advise_channel, assess_article32
from budapest_coop.channels import channel_catalogue
from budapest_coop.citations import parse_citation
from budapest_coop.transborder import DECISIONS, NOT_COVERED, unmet_conditions
from nbgrader_helpers import REPO, autograde_submissions, solution_answer

CHANNELS = "choose_channel"
ARTICLE32 = "article32_access"
CASE_IDS = [f"case_{n}" for n in range(1, 7)]
_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
_RECORDED = ("assert_channel_choice", "assert_article32_decision", "assert_article32_unmet")


def hidden_expectations(assignment: str) -> dict[str, dict]:
    """{case_id: {"facts": ..., "<helper>": expected, "cells": [grade_ids]}} read from the hidden tests.

    Each hidden region is run with recording stand-ins for the grading helpers, so what is
    read is exactly what the autograder passes to them.
    """
    nb = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    cases: dict[str, dict] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        match = _HIDDEN.search(cell.source)
        if not meta.get("grade") or not match:
            continue
        calls: list[tuple[str, str, object]] = []
        namespace: dict = {"answers": None}
        for name in _RECORDED:
            namespace[name] = lambda answers, case_id, expected, _name=name, _calls=calls: _calls.append(
                (_name, case_id, expected)
            )
        exec(match.group(1), namespace)  # our own solution notebook's hidden tests
        assert calls, f"{meta['grade_id']}: the hidden test calls no grading helper"
        for name, case_id, expected in calls:
            case = cases.setdefault(case_id, {"cells": []})
            case[name] = expected
            case["cells"].append(meta["grade_id"])
            if "facts" in namespace:
                case["facts"] = namespace["facts"]
    return cases


CHANNEL_CASES = hidden_expectations(CHANNELS)
ARTICLE32_CASES = hidden_expectations(ARTICLE32)


def _rests_on_article(code: str) -> bool:
    return any(c.is_treaty for c in channel_catalogue()[code].citations)


def _articles(code: str) -> set[tuple[str, str]]:
    channel = channel_catalogue()[code]
    cited = [*channel.citations, *(c for extra in channel.extra_citations.values() for c in extra)]
    return {(c.instrument, c.article) for c in cited if c.is_treaty}


# ---------------------------------------------------------------------------
# The hidden expectations agree with the package
# ---------------------------------------------------------------------------


def test_each_exercise_has_six_cases_with_facts():
    """Both exercises grade case_1 to case_6, and every case states its facts in a hidden test."""
    assert sorted(CHANNEL_CASES) == CASE_IDS
    assert sorted(ARTICLE32_CASES) == CASE_IDS
    for case in (*CHANNEL_CASES.values(), *ARTICLE32_CASES.values()):
        assert isinstance(case.get("facts"), dict), case


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_channel_expectation_agrees_with_the_advisor(case_id):
    """The accepted channels are recommended, include the first one that rests on an article, and carry its articles."""
    case = CHANNEL_CASES[case_id]
    accepted = case["assert_channel_choice"]
    advice = advise_channel(case["facts"])
    assert set(accepted) <= set(advice.codes), (accepted, advice.codes)
    first = next(code for code in advice.codes if _rests_on_article(code))
    assert first in accepted, f"{case_id}: the advisor starts with {first}, the exercise accepts {sorted(accepted)}"
    for code, articles in accepted.items():
        assert _rests_on_article(code), code
        wanted = {(c.instrument, c.article) for c in map(parse_citation, articles)}
        assert wanted and wanted <= _articles(code), (code, articles)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_article32_expectation_agrees_with_the_assessment(case_id):
    """The expected decision is assess_article32's, and each accepted condition is among its unmet ones."""
    case = ARTICLE32_CASES[case_id]
    decision, accepted = case["assert_article32_decision"], list(case["assert_article32_unmet"])
    result = assess_article32(case["facts"])
    assert decision in DECISIONS and result.decision == decision, str(result)
    assert set(accepted) <= set(result.unmet), (accepted, result.unmet)
    assert set(accepted) <= {c.code for c in unmet_conditions()}
    if decision == NOT_COVERED:
        # the trainee is told to name the condition that stops Article 32(b), not the obvious 32(a) one
        assert accepted and "art32.not_public" not in accepted
    else:
        assert accepted == []
    assert result.verified, f"{case_id} rests on a point the notes give only from memory"


def test_the_exercises_cover_varied_answers():
    """The six channel cases start with six different channels; the Article 32 cases use every decision."""
    firsts = [next(iter(c["assert_channel_choice"])) for c in CHANNEL_CASES.values()]
    assert len(set(firsts)) == 6
    assert {c["assert_article32_decision"] for c in ARTICLE32_CASES.values()} == set(DECISIONS)


# ---------------------------------------------------------------------------
# Round trips through nbgrader
# ---------------------------------------------------------------------------

# Cases 1, 2 and 5 right; case 3 preservation where a life is at risk; case 4 the right
# channel on the wrong article; case 6 a channel code that does not exist.
CHANNEL_PARTIAL = '''answers = {
    "case_1": {"channel": "preservation_247", "article": "29"},
    "case_2": {"channel": "art32a_open_source", "article": "32(a)"},
    "case_3": {"channel": "preservation_247", "article": "29"},
    "case_4": {"channel": "art32b_consent", "article": "29"},
    "case_5": {"channel": "mla_real_time_traffic", "article": "33"},
    "case_6": {"channel": "domestic_production", "article": "18"},
}
'''

# Cases 1, 3 and 6 right; case 2 treats the flatmate's consent as enough (both points lost);
# case 4 the right decision with the obvious Article 32(a) condition; case 5 the wrong letter
# (its empty condition still earns the point).
ARTICLE32_PARTIAL = '''answers = {
    "case_1": {"decision": "32(a)", "unmet": ""},
    "case_2": {"decision": "32(b)", "unmet": ""},
    "case_3": {"decision": "32(b)", "unmet": ""},
    "case_4": {"decision": "not covered", "unmet": "art32.not_public"},
    "case_5": {"decision": "32(b)", "unmet": ""},
    "case_6": {"decision": "not covered", "unmet": "art32.location_not_party"},
}
'''


def _round_trip(tmp_path_factory, assignment: str, partial: str) -> dict:
    return autograde_submissions(
        tmp_path_factory.mktemp(assignment),
        assignment,
        {"full": solution_answer(assignment, "answers"), "blank": None, "partial": partial},
        answer_cell="answers",
    )


@pytest.fixture(scope="module")
def channel_scores(tmp_path_factory):
    """choose_channel autograded for a full, a blank and a partial submission."""
    return _round_trip(tmp_path_factory, CHANNELS, CHANNEL_PARTIAL)


@pytest.fixture(scope="module")
def article32_scores(tmp_path_factory):
    """article32_access autograded for a full, a blank and a partial submission."""
    return _round_trip(tmp_path_factory, ARTICLE32, ARTICLE32_PARTIAL)


def test_channel_solution_gets_full_marks(channel_scores):
    """The solution earns all 12 points, 2 per case."""
    score, maximum, cells = channel_scores["full"]
    assert maximum == 12 and score == 12, cells
    assert sorted(cells) == [f"test_{case_id}" for case_id in CASE_IDS]


def test_channel_blank_gets_zero(channel_scores):
    """The untouched release earns nothing."""
    assert channel_scores["blank"][0] == 0, channel_scores["blank"][2]


def test_channel_partial_gets_exactly_its_cases(channel_scores):
    """A partly right sheet earns exactly the cases it gets right: 6 of 12."""
    score, _, cells = channel_scores["partial"]
    assert {name for name, points in cells.items() if points} == {"test_case_1", "test_case_2", "test_case_5"}, cells
    assert score == 6


def test_article32_solution_gets_full_marks(article32_scores):
    """The solution earns all 12 points: decision and condition for each case."""
    score, maximum, cells = article32_scores["full"]
    assert maximum == 12 and score == 12, cells
    assert sorted(cells) == sorted(f"test_{c}_{part}" for c in CASE_IDS for part in ("decision", "unmet"))


def test_article32_blank_gets_zero(article32_scores):
    """The untouched release earns nothing."""
    assert article32_scores["blank"][0] == 0, article32_scores["blank"][2]


def test_article32_partial_gets_exactly_its_points(article32_scores):
    """Decision and condition are scored apart: the partial sheet earns exactly 8 of 12."""
    score, _, cells = article32_scores["partial"]
    assert {name for name, points in cells.items() if points} == {
        "test_case_1_decision", "test_case_1_unmet",
        "test_case_3_decision", "test_case_3_unmet",
        "test_case_4_decision",
        "test_case_5_unmet",
        "test_case_6_decision", "test_case_6_unmet",
    }, cells
    assert score == 8
