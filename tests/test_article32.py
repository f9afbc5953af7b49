"""The Article 32 assessment (budapest_coop.transborder): scenario cases in YAML, and lenient input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budapest_coop.citations import Citation
from budapest_coop.transborder import (
    DECISIONS,
    Access,
    Article32Assessment,
    assess_article32,
    parse_access,
)

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "article32.yaml").read_text(encoding="utf-8"))["cases"]
EXPECT_KEYS = {"decision", "unmet", "findings", "no_findings", "verified", "instead"}


def _id(case: dict) -> str:
    return f"{case.get('scenario', '--')}: {case['name'][:70]}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    """Each case gets the expected decision, exactly the expected unmet conditions, and alternatives."""
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys: {set(expect) - EXPECT_KEYS}"
    result = assess_article32(case["facts"])
    assert result.decision == expect["decision"], str(result)
    if "unmet" in expect:
        assert sorted(result.unmet) == sorted(expect["unmet"]), str(result)
    for code in expect.get("findings", []):
        assert result.has(code), str(result)
    for code in expect.get("no_findings", []):
        assert not result.has(code), str(result)
    if "verified" in expect:
        assert result.verified is expect["verified"], str(result)
    for code in expect.get("instead", []):
        assert code in result.instead_codes, f"{code} not offered instead: {result.instead_codes}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_every_unmet_condition_is_a_cited_error(case: dict) -> None:
    """Each unmet condition is an error finding citing Article 32 (or its safeguards), with a fix."""
    result = assess_article32(case["facts"])
    for finding in result.findings:
        assert isinstance(finding.citation, Citation) and finding.message
    for code in result.unmet:
        finding = next(f for f in result.findings if f.code == code)
        assert finding.severity.value == "error" and finding.fix
        assert finding.citation.article == "32"


def test_not_covered_carries_the_open_question_note() -> None:
    """When Article 32 does not apply, the result recalls that it neither authorises nor precludes other access."""
    result = assess_article32({"requesting_state": "Aland", "location": "Borea", "publicly_available": False})
    assert result.decision == "not covered" and not result.covered
    assert "neither authorises nor precludes" in result.note
    assert result.note_citation is not None and result.note_citation.article == "32"
    assert "not yet verified" in str(result.note_citation)


def test_guidance_note_points_are_marked_unverified() -> None:
    """Findings on minors and on service providers say they rest on Guidance Note #3 from memory."""
    minor = assess_article32({"requesting_state": "Aland", "location": "Borea", "consenting_person": "account holder",
                              "consenting_person_age": 14, "publicly_available": False})
    provider = assess_article32({"requesting_state": "Aland", "location": "Borea", "consenting_person": "provider",
                                 "publicly_available": False})
    for result, code in ((minor, "art32.consent_minor"), (provider, "art32.provider_not_authority")):
        assert code in result.unverified
        finding = next(f for f in result.findings if f.code == code)
        assert "Guidance Note #3" in str(finding.citation) and "not yet verified" in str(finding.citation)
        assert result.verified is False


def test_verified_condition_settles_the_decision() -> None:
    """A verified unmet condition keeps the decision verified even beside a point from memory."""
    result = assess_article32({"requesting_state": "Aland", "location": "Zeren", "consenting_person": "account holder",
                               "consenting_person_age": 14, "publicly_available": False})
    assert set(result.unmet) == {"art32.not_public", "art32.location_not_party", "art32.consent_minor"}
    assert result.verified is True


def test_decision_citation_names_the_letter() -> None:
    """The decision's citation is Article 32(a) or 32(b), or Article 32 as a whole."""
    assert assess_article32({"requesting_state": "Aland", "publicly_available": True}).citation == Citation("32", "", "a")
    assert DECISIONS == ("32(a)", "32(b)", "not covered")


# ---------------------------------------------------------------------------
# Bad input: a clear finding, never a traceback
# ---------------------------------------------------------------------------


def test_unknown_field_is_reported_with_a_suggestion() -> None:
    """A misspelt field becomes a warning that suggests the right name."""
    result = assess_article32({"requesting_state": "Aland", "publicly_availble": True})
    finding = next(f for f in result.findings if f.code == "art32.field_unknown")
    assert finding.field == "publicly_availble" and "publicly_available" in finding.fix
    assert result.decision == "not covered"


@pytest.mark.parametrize(
    "facts, field",
    [
        ({"publicly_available": "sometimes"}, "publicly_available"),
        ({"consenting_person_age": -3}, "consenting_person_age"),
        ({"consenting_person_age": True}, "consenting_person_age"),
        ({"location": {"state": "Borea"}}, "location"),
        ({"consent_voluntary": [True]}, "consent_voluntary"),
    ],
)
def test_wrong_types_become_findings(facts: dict, field: str) -> None:
    """A value of the wrong type is ignored with a warning that names the field."""
    result = assess_article32({"requesting_state": "Aland", **facts})
    assert any(f.code == "art32.wrong_type" and f.field == field for f in result.findings), result.codes


@pytest.mark.parametrize("field, value", [("consenting_person", "the cat"), ("access_restriction", "moat")])
def test_unknown_values_become_findings(field: str, value: str) -> None:
    """A value the course does not know is reported with the values it does know."""
    result = assess_article32({"requesting_state": "Aland", "location": "Borea", "consent": True, field: value})
    finding = next(f for f in result.findings if f.code == "art32.value_unknown")
    assert finding.field == field and "Use one of" in finding.fix


def test_unknown_state_gets_a_hint_and_no_article_32b() -> None:
    """An unknown State is reported with a spelling hint, and its location counts as unknown."""
    result = assess_article32({"requesting_state": "Aland", "location": "Cettra", "consenting_person": "account holder",
                               "consent_voluntary": True, "publicly_available": False})
    finding = next(f for f in result.findings if f.code == "art32.state_unknown")
    assert "Cetra" in finding.fix
    assert result.decision == "not covered" and "art32.location_unknown" in result.unmet


def test_missing_requesting_state_is_assumed_a_party() -> None:
    """Without a requesting State the assessment assumes a Party and says so."""
    result = assess_article32({"location": "Borea", "publicly_available": True})
    assert result.decision == "32(a)" and result.has("art32.requesting_state_missing")


@pytest.mark.parametrize("access", [None, 7, "Borea", ["consent"], {}])
def test_not_a_dict_gives_an_assessment_not_a_traceback(access) -> None:
    """Anything that is not a dict still returns an assessment, with a finding when it is not one."""
    result = assess_article32(access)
    assert isinstance(result, Article32Assessment) and result.decision == "not covered"
    if not isinstance(access, dict):
        assert result.has("art32.not_a_dict")


def test_unknown_language_falls_back_to_english() -> None:
    """An unknown language gives English texts and a finding."""
    result = assess_article32({"requesting_state": "Aland", "publicly_available": True}, language="tlh")
    assert result.has("art32.language_unknown") and result.decision == "32(a)"


def test_access_object_and_dict_agree() -> None:
    """An Access and the equivalent dict give the same result; the model round-trips."""
    facts = {"requesting_state": "Aland", "location": "Borea", "consenting_person": "Parent",
             "consent_voluntary": "yes", "publicly_available": "no"}
    access = parse_access(facts)
    assert access.consenting_person == "legal_representative" and access.consent_voluntary is True
    assert Access.from_dict(access.to_dict()) == access
    assert assess_article32(access).decision == assess_article32(facts).decision == "32(b)"


# ---------------------------------------------------------------------------
# Display
# ---------------------------------------------------------------------------


def test_to_frame_and_html() -> None:
    """to_frame lists the findings with unmet and verified columns; the HTML flags unverified points."""
    result = assess_article32({"requesting_state": "Aland", "location": "Borea", "consenting_person": "provider",
                               "publicly_available": False})
    frame = result.to_frame()
    assert {"unmet", "verified"} <= set(frame.columns)
    assert bool(frame.loc[frame["code"] == "art32.provider_not_authority", "unmet"].iloc[0])
    page = result._repr_html_()
    assert "not yet verified" in page and "What to do instead" in page
    assert "not covered" in str(result).lower() or "does not cover" in str(result)


def test_data_behind_a_login_is_plainly_not_public() -> None:
    """A password-protected account fails 32(a) on the verified ground, not on the registration judgement."""
    result = assess_article32({"requesting_state": "Aland", "location": "Borea", "access_restriction": "login"})
    assert "art32.not_public" in result.unmet
    assert "art32.registration_required" not in result.codes
