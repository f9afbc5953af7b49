"""States and their status: the shipped copy of parties.csv and the look-ups on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from budapest_coop._data import data_path
from budapest_coop.parties import lookup_state, parties_table, states, suggest_state

SHARED = Path(__file__).resolve().parents[2] / "shared" / "domain" / "parties.csv"


@pytest.mark.skipif(not SHARED.is_file(), reason="shared/ is not beside this checkout")
def test_shipped_csv_is_the_shared_one():
    """data/parties.csv is an unchanged copy of shared/domain/parties.csv."""
    assert data_path("parties.csv").read_bytes() == SHARED.read_bytes()


def test_counts_match_the_notes():
    """81 Parties and 2 signatories, as reconstructed in parties-notes.md."""
    assert len(states("party")) == 81
    assert {s.name for s in states("signatory")} == {"Ireland", "South Africa"}


@pytest.mark.parametrize(
    ("typed", "name"),
    [("france", "France"), ("USA", "United States of America"), ("Turkey", "Türkiye"),
     ("Cote d'Ivoire", "Côte d'Ivoire"), ("AUT", "Austria"), ("  borea ", "Borea")],
)
def test_lookup_accepts_common_spellings(typed, name):
    """Case, accents, ISO3 codes and common aliases all find the State."""
    assert lookup_state(typed).name == name


def test_lookup_unknown_returns_none_and_suggests():
    """An unknown name gives None; a near miss gets a suggestion."""
    assert lookup_state("Atlantis") is None
    assert lookup_state("") is None
    assert lookup_state(None) is None  # type: ignore[arg-type]
    assert suggest_state("Germny") == "Germany"


def test_fictional_states_and_reservations():
    """The training States have their invented status; Austria's Art. 29(4) reservation is recorded."""
    assert lookup_state("Zeren").is_party is False
    assert lookup_state("Borea").reservation_29_4 and lookup_state("Borea").fictional
    assert lookup_state("Austria").reservation_29_4


def test_second_protocol_is_not_in_force():
    """No State has the Second Protocol in force (3 ratifications of the 5 needed were found)."""
    assert not any(s.sap_in_force for s in states())
    assert {s.name for s in states() if s.sap_status == "ratified"} == {"Hungary", "Japan", "Serbia"}


def test_parties_table_columns():
    """The notebook table has one row per real State."""
    table = parties_table()
    assert {"state", "convention", "second_protocol"} <= set(table.columns)
    assert not table["fictional"].any()
