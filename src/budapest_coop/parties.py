"""States and their status under the Convention (ETS 185) and its Second Protocol (CETS 224).

Real States come from ``data/parties.csv`` (a copy of ``shared/domain/parties.csv``, whose
notes say how sure each row is); the course's fictional States (Aland, Borea, Cetra, Zeren)
and the verified Article 29(4) reservations come from ``data/states.yaml``.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from functools import cache

from ._data import data_path, load_yaml
from .reading import fold

PARTY = "party"


@dataclass(frozen=True)
class State:
    """A State as the course knows it."""

    name: str
    status: str  # party | signatory | invited | not_party
    sap_status: str = "none"  # none | signed | ratified
    reservation_29_4: bool = False
    fictional: bool = False
    iso3: str = ""
    confidence: str = ""

    @property
    def is_party(self) -> bool:
        return self.status == PARTY

    @property
    def sap_in_force(self) -> bool:
        """The Second Protocol binds no State yet: it needs five ratifications (3 found by Feb 2026)."""
        return False


def _fold(name: str) -> str:
    return fold(name).replace(".", "")


@cache
def _states() -> dict[str, State]:
    extra = load_yaml("states.yaml")
    reserved = {entry["state"] for entry in extra.get("reservations_29_4", [])}
    states: dict[str, State] = {}
    text = data_path("parties.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        state = State(
            name=row["state"],
            status=row["cets185_status"],
            sap_status=row["cets224_status"] or "none",
            reservation_29_4=row["state"] in reserved,
            iso3=row["iso3"],
            confidence=row["confidence"],
        )
        states[_fold(state.name)] = state
        if state.iso3:
            states[_fold(state.iso3)] = state
    for entry in extra.get("fictional", []):
        state = State(fictional=True, **entry)
        states[_fold(state.name)] = state
    for alias, name in extra.get("aliases", {}).items():
        states[_fold(alias)] = states[_fold(name)]
    return states


def lookup_state(name: str) -> State | None:
    """The State called ``name`` (any case, accents optional, ISO3 or common alias), or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    return _states().get(_fold(name))


def suggest_state(name: str) -> str | None:
    """The closest known State name to a misspelt one, or None."""
    if not isinstance(name, str):
        return None
    names = sorted({s.name for s in _states().values()})
    folded = {_fold(n): n for n in names}
    match = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=0.75)
    return folded[match[0]] if match else None


def states(status: str | None = None, include_fictional: bool = False) -> list[State]:
    """Known States, optionally only those with ``status``; real ones unless asked otherwise."""
    unique = {s.name: s for s in _states().values()}
    return sorted(
        (
            s
            for s in unique.values()
            if (status is None or s.status == status) and (include_fictional or not s.fictional)
        ),
        key=lambda s: s.name,
    )


def parties_table(include_fictional: bool = False):
    """The States as a pandas DataFrame, for notebooks."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "state": s.name,
                "convention": s.status,
                "second_protocol": s.sap_status,
                "art_29_4_reservation": s.reservation_29_4,
                "fictional": s.fictional,
            }
            for s in states(include_fictional=include_fictional)
        ]
    )
