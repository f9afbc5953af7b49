"""The Article 32 scenario cards: the loader refuses broken cards; the widget agrees with assess_article32."""

from __future__ import annotations

import html

import pytest

from budapest_coop import assess_article32
from budapest_coop._data import DataError
from budapest_coop.scenarios import ScenarioCard, article32_cards, parse_cards
from budapest_coop.transborder import ACCESS_FIELDS, DECISIONS
from budapest_coop.widgets.article32_cards import Article32Cards

CARDS = article32_cards()
GOOD = {"id": "open_page", "title": "An open page", "story": "Anyone can read it.",
        "facts": {"requesting_state": "Aland", "location": "Borea", "publicly_available": True}}


# --- the loader -------------------------------------------------------------------


def test_all_cards_load_with_the_four_parts():
    """Every card in the data file loads with an id, a title, a story and facts."""
    assert 8 <= len(CARDS) <= 10
    for card in CARDS:
        assert isinstance(card, ScenarioCard)
        assert card.id and card.title and card.story and card.facts


def test_card_ids_are_unique():
    """No two cards share an id, since answers are keyed on it."""
    ids = [card.id for card in CARDS]
    assert len(ids) == len(set(ids))


def test_card_facts_use_only_access_fields():
    """Every fact is named after a field of Access, so the assessment reads all of it."""
    for card in CARDS:
        assert set(card.facts) <= set(ACCESS_FIELDS), card.id


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_each_card_is_assessed_without_input_problems(card):
    """The assessment reads each card's facts without a warning about the input itself."""
    result = assess_article32(card.facts)
    assert result.decision in DECISIONS
    input_codes = {"art32.field_unknown", "art32.wrong_type", "art32.value_unknown", "art32.state_unknown"}
    assert not input_codes & set(result.codes), card.id


def test_the_cards_cover_all_three_decisions():
    """The deck lets a trainee meet 32(a), 32(b) and "not covered" at least once each."""
    assert {assess_article32(card.facts).decision for card in CARDS} == set(DECISIONS)


def test_loaded_facts_are_copies():
    """Changing a card's facts does not change the next load of the data file."""
    article32_cards()[0].facts["location"] = "Zeren"
    assert article32_cards()[0].facts == CARDS[0].facts


def test_card_without_facts_is_refused_naming_the_card():
    """A card with no facts is refused, and the message names the card and the missing part."""
    broken = {k: v for k, v in GOOD.items() if k != "facts"}
    with pytest.raises(DataError, match=r"card 2 \(open_page\): 'facts' is missing"):
        parse_cards({"cards": [{**GOOD, "id": "first"}, broken]}, "cards.yaml")


@pytest.mark.parametrize("part", ["title", "story"])
def test_card_without_title_or_story_is_refused(part):
    """A card missing its title or story is refused with the part named."""
    broken = {k: v for k, v in GOOD.items() if k != part}
    with pytest.raises(DataError, match=rf"open_page\): '{part}' is missing"):
        parse_cards({"cards": [broken]}, "cards.yaml")


def test_card_without_id_is_refused():
    """A card without an id is refused by its position in the file."""
    broken = {k: v for k, v in GOOD.items() if k != "id"}
    with pytest.raises(DataError, match="cards.yaml, card 1: 'id' must be"):
        parse_cards({"cards": [broken]}, "cards.yaml")


def test_card_with_a_stored_answer_is_refused():
    """A card that carries its own expected decision is refused: the answer comes from the package."""
    with pytest.raises(DataError, match="unexpected key.*'expect'"):
        parse_cards({"cards": [{**GOOD, "expect": "32(a)"}]}, "cards.yaml")


def test_card_with_a_misspelt_fact_is_refused():
    """A fact that is not a field of Access is refused rather than silently ignored."""
    broken = {**GOOD, "facts": {"requesting_state": "Aland", "locaton": "Borea"}}
    with pytest.raises(DataError, match="unknown fact.*'locaton'"):
        parse_cards({"cards": [broken]}, "cards.yaml", ACCESS_FIELDS)


def test_duplicate_ids_are_refused():
    """Two cards with the same id are refused."""
    with pytest.raises(DataError, match="used twice"):
        parse_cards({"cards": [GOOD, GOOD]}, "cards.yaml")


# --- the widget -------------------------------------------------------------------


def test_widget_opens_on_the_first_card():
    """A new widget shows the first card's title, story and facts, with nothing answered."""
    cards = Article32Cards()
    assert cards.card == CARDS[0]
    assert html.escape(CARDS[0].title) in cards.card_panel.value
    assert "Requesting State" in cards.facts_panel.value
    assert cards.answers == {} and cards.score == 0
    assert cards.next_button.disabled


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_verdict_agrees_with_assess_article32(card):
    """Clicking the decision the package gives is marked right, and the panel shows the assessment."""
    expected = assess_article32(card.facts)
    cards = Article32Cards([card])
    cards.choice_buttons[expected.decision].click()
    assert cards.answers == {card.id: expected.decision}
    assert cards.score == 1
    assert "Right" in cards.verdict_panel.value
    assert cards.assessment.decision == expected.decision
    assert cards.assessment_panel.value == expected._repr_html_()


def test_wrong_choice_is_marked_and_explained():
    """A wrong choice is marked wrong, names the right decision and shows unmet conditions with citations."""
    card = next(c for c in CARDS if c.id == "minor_offers_password")
    cards = Article32Cards([card])
    cards.choice_buttons["32(b)"].click()
    assert "Not quite" in cards.verdict_panel.value
    assert "Not covered by Article 32" in cards.verdict_panel.value
    assert cards.score == 0
    panel = cards.assessment_panel.value
    assert "Art. 32(b)" in panel and "not yet verified" in panel
    assert "What to do instead" in panel and "neither authorises nor precludes" in panel


def test_only_the_first_answer_counts():
    """A second click on the same card changes neither the answer nor the score."""
    cards = Article32Cards()
    decision = assess_article32(cards.card.facts).decision
    cards.choice_buttons[decision].click()
    other = next(d for d in DECISIONS if d != decision)
    cards.choice_buttons[other].click()
    assert cards.answers[cards.card.id] == decision
    assert cards.score == 1
    assert all(button.disabled for button in cards.choice_buttons.values())


def test_next_card_advances():
    """After an answer, "Next card" shows the following card with fresh buttons."""
    cards = Article32Cards()
    cards.choice_buttons["not covered"].click()
    assert not cards.next_button.disabled
    cards.next_button.click()
    assert cards.index == 1 and cards.card == CARDS[1]
    assert html.escape(CARDS[1].title) in cards.card_panel.value
    assert cards.verdict_panel.value == "" and cards.assessment_panel.value == ""
    assert not any(button.disabled for button in cards.choice_buttons.values())


def test_score_counts_right_answers_over_the_deck():
    """Answering every card, right on alternate cards, gives a score equal to the right answers."""
    cards = Article32Cards()
    right = 0
    for number, card in enumerate(CARDS):
        expected = assess_article32(card.facts).decision
        if number % 2 == 0:
            choice, right = expected, right + 1
        else:
            choice = next(d for d in DECISIONS if d != expected)
        cards.choice_buttons[choice].click()
        assert cards.score == right
        if number + 1 < len(CARDS):
            cards.next_button.click()
    assert cards.finished
    assert set(cards.answers) == {card.id for card in CARDS}
    assert f"{right} out of {len(CARDS)}" in cards.score_label.value


def test_after_the_last_card_the_deck_starts_again():
    """The button on the last card starts again with a clean score."""
    card = CARDS[0]
    cards = Article32Cards([card])
    cards.choice_buttons[assess_article32(card.facts).decision].click()
    assert cards.next_button.description == "Start again"
    cards.next_button.click()
    assert cards.answers == {} and cards.score == 0 and cards.index == 0
