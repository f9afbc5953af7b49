"""Scenario cards: short fictional cases that trainees decide, shipped as data.

The cards live in ``data/scenarios/*.yaml``. A card holds the story and the facts, never
the expected answer: the widgets ask the package (for Article 32, :func:`assess_article32`),
so a card and the law cannot drift apart.

    >>> cards = article32_cards()          # doctest: +SKIP
    >>> assess_article32(cards[0].facts)   # doctest: +SKIP
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from ._data import DataError, load_yaml
from .transborder import ACCESS_FIELDS

ARTICLE32_FILE = ("scenarios", "article32_cards.yaml")
CARD_KEYS = ("id", "title", "story", "facts")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ScenarioCard:
    """One fictional case to decide: a stable ``id``, a ``title``, a short ``story`` and its ``facts``.

    ``facts`` is the plain dict the package's assessment takes (for Article 32, the field
    names of :class:`~budapest_coop.transborder.Access`).
    """

    id: str
    title: str
    story: str
    facts: dict[str, Any] = field(hash=False)


def article32_cards() -> list[ScenarioCard]:
    """The Article 32 scenario cards of ``data/scenarios/article32_cards.yaml``, in file order."""
    return parse_cards(load_yaml(*ARTICLE32_FILE), "data/" + "/".join(ARTICLE32_FILE), ACCESS_FIELDS)


def parse_cards(doc: Any, source: str, fact_fields: tuple[str, ...] | None = None) -> list[ScenarioCard]:
    """Cards from a parsed YAML document ``{"cards": [...]}``; a broken card raises :class:`DataError`.

    ``source`` names the file in messages. When ``fact_fields`` is given, a fact with any
    other name is refused too, so a typo cannot silently drop a fact.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("cards"), list):
        raise DataError(f"{source}: expected a mapping with a 'cards:' list of cards")
    cards: list[ScenarioCard] = []
    seen: set[str] = set()
    for number, raw in enumerate(doc["cards"], start=1):
        card = _card(raw, f"{source}, card {number}", fact_fields)
        if card.id in seen:
            raise DataError(f"{source}, card {number}: id {card.id!r} is used twice; ids must be unique")
        seen.add(card.id)
        cards.append(card)
    if not cards:
        raise DataError(f"{source}: the 'cards:' list is empty")
    return cards


def _card(raw: Any, where: str, fact_fields: tuple[str, ...] | None) -> ScenarioCard:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping with {', '.join(CARD_KEYS)}, got {type(raw).__name__}")
    card_id = raw.get("id")
    if not isinstance(card_id, str) or not _ID.match(card_id):
        raise DataError(
            f"{where}: 'id' must be a stable lower-case name such as 'public_forum_post', got {card_id!r}"
        )
    where = f"{where} ({card_id})"
    extra = sorted(set(raw) - set(CARD_KEYS))
    if extra:
        raise DataError(
            f"{where}: unexpected key(s) {', '.join(map(repr, extra))}; a card holds only "
            f"{', '.join(CARD_KEYS)} (the expected answer comes from the package, not the card)"
        )
    for key in ("title", "story"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{where}: '{key}' is missing or empty; every card needs a {key}")
    facts = raw.get("facts")
    if not isinstance(facts, dict) or not facts:
        raise DataError(
            f"{where}: 'facts' is missing or empty; give the facts to assess as a mapping"
            + (f" with the fields {', '.join(fact_fields)}" if fact_fields else "")
        )
    if fact_fields is not None:
        unknown = sorted(str(k) for k in facts if k not in fact_fields)
        if unknown:
            raise DataError(
                f"{where}: unknown fact(s) {', '.join(map(repr, unknown))}; use the fields {', '.join(fact_fields)}"
            )
    return ScenarioCard(
        id=card_id,
        title=raw["title"].strip(),
        story=" ".join(raw["story"].split()),
        facts=copy.deepcopy(facts),
    )
