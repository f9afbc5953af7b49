"""Scenario cards for Article 32: read a case, choose 32(a), 32(b) or "not covered", see why.

The widget only wires: the cards come from :func:`budapest_coop.scenarios.article32_cards`,
the right answer and the explanation from :func:`budapest_coop.assess_article32`, and the
labels from ``data/messages/<language>/ui_article32_cards.yaml``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from ..messages import DEFAULT_LANGUAGE, ui_text
from ..scenarios import ScenarioCard, article32_cards
from ..transborder import (
    ACCESS_FIELDS,
    DECISION_A,
    DECISION_B,
    NOT_COVERED,
    Article32Assessment,
    assess_article32,
)

#: The three answers, in button order, with the key of their label.
CHOICES: tuple[tuple[str, str], ...] = (
    (DECISION_A, "cards_choice_a"),
    (DECISION_B, "cards_choice_b"),
    (NOT_COVERED, "cards_choice_not_covered"),
)


class Article32Cards(w.VBox):
    """One scenario card at a time; the trainee picks a decision and the package says whether it holds.

    ``cards.answers`` maps each answered card's id to the decision chosen (``"32(a)"``,
    ``"32(b)"`` or ``"not covered"``); ``cards.score`` counts the answers that match
    :func:`assess_article32`; ``cards.assessment`` is the assessment of the current card
    once it is answered.
    """

    def __init__(self, cards: Sequence[ScenarioCard] | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.cards: list[ScenarioCard] = list(article32_cards() if cards is None else cards)
        if not self.cards:
            raise ValueError("Article32Cards needs at least one scenario card")
        self.index = 0
        self.answers: dict[str, str] = {}
        self.assessments: dict[str, Article32Assessment] = {}

        self.progress_label = w.HTML()
        self.card_panel = w.HTML()
        self.facts_panel = w.HTML()
        self.choice_buttons: dict[str, w.Button] = {}
        for decision, key in CHOICES:
            button = w.Button(description=self._text(key), layout=w.Layout(width="auto"))
            button.on_click(lambda _button, decision=decision: self.choose(decision))
            self.choice_buttons[decision] = button
        self.verdict_panel = w.HTML()
        self.assessment_panel = w.HTML()
        self.next_button = w.Button(description=self._text("cards_next"), icon="arrow-right")
        self.next_button.on_click(lambda _button: self.next_card())
        self.score_label = w.HTML()

        super().__init__([
            w.HTML(f"<h3>{html.escape(self._text('cards_title'))}</h3>"
                   f"<p>{html.escape(self._text('cards_intro'))}</p>"),
            self.progress_label,
            self.card_panel,
            self.facts_panel,
            w.HBox(list(self.choice_buttons.values())),
            self.verdict_panel,
            self.assessment_panel,
            w.HBox([self.next_button, self.score_label]),
        ])
        self.show(0)

    # -- state -------------------------------------------------------------------
    @property
    def card(self) -> ScenarioCard:
        """The card on screen."""
        return self.cards[self.index]

    @property
    def assessment(self) -> Article32Assessment | None:
        """The package's assessment of the card on screen, once the trainee has answered it."""
        return self.assessments.get(self.card.id)

    @property
    def score(self) -> int:
        """How many answers match the package's decision."""
        return sum(
            1 for card_id, chosen in self.answers.items() if self.assessments[card_id].decision == chosen
        )

    @property
    def finished(self) -> bool:
        """True once every card has an answer."""
        return all(card.id in self.answers for card in self.cards)

    # -- actions -------------------------------------------------------------------
    def choose(self, decision: str) -> Article32Assessment:
        """Record the trainee's ``decision`` for the card on screen and show the package's assessment.

        Only the first answer to a card counts; a second click shows a reminder.
        """
        if decision not in dict(CHOICES):
            raise ValueError(f"decision must be one of {', '.join(d for d, _ in CHOICES)}, got {decision!r}")
        card = self.card
        if card.id in self.answers:
            self.verdict_panel.value = f"<p>{html.escape(self._text('cards_already_answered'))}</p>"
            return self.assessments[card.id]
        assessment = assess_article32(card.facts, self.language)
        self.answers[card.id] = decision
        self.assessments[card.id] = assessment
        self._show_answer()
        return assessment

    def next_card(self) -> None:
        """Go to the next card; after the last one, start again with a clean score."""
        if self.index + 1 < len(self.cards):
            self.show(self.index + 1)
        else:
            self.restart()

    def restart(self) -> None:
        """Forget every answer and show the first card."""
        self.answers.clear()
        self.assessments.clear()
        self.show(0)

    def show(self, index: int) -> None:
        """Put card number ``index`` (from 0) on screen, with its answer if it already has one."""
        self.index = index % len(self.cards)
        card = self.card
        self.progress_label.value = (
            f"<small>{html.escape(self._text('cards_progress').format(number=self.index + 1, total=len(self.cards)))}</small>"
        )
        self.card_panel.value = (
            f"<h4>{html.escape(card.title)}</h4><p>{html.escape(card.story)}</p>"
        )
        self.facts_panel.value = self._facts_table(card.facts)
        if card.id in self.answers:
            self._show_answer()
        else:
            self.verdict_panel.value = ""
            self.assessment_panel.value = ""
            for button in self.choice_buttons.values():
                button.disabled = False
                button.button_style = ""
            self.next_button.description = self._text("cards_next")
            self.next_button.disabled = True
            self._show_score()

    # -- drawing -------------------------------------------------------------------
    def _show_answer(self) -> None:
        card = self.card
        chosen = self.answers[card.id]
        assessment = self.assessments[card.id]
        right = assessment.decision == chosen
        labels = dict(CHOICES)
        text = self._text("cards_right" if right else "cards_wrong").format(
            chosen=self._text(labels[chosen]), expected=self._text(labels[assessment.decision])
        )
        colour = "#15803d" if right else "#b91c1c"
        self.verdict_panel.value = f'<p style="color:{colour}"><b>{html.escape(text)}</b></p>'
        self.assessment_panel.value = assessment._repr_html_()
        for decision, button in self.choice_buttons.items():
            button.disabled = True
            if decision == assessment.decision:
                button.button_style = "success"
            elif decision == chosen:
                button.button_style = "danger"
            else:
                button.button_style = ""
        last = self.index + 1 == len(self.cards)
        self.next_button.description = self._text("cards_restart" if last else "cards_next")
        self.next_button.disabled = False
        self._show_score()

    def _show_score(self) -> None:
        if self.finished:
            text = self._text("cards_finished").format(right=self.score, total=len(self.cards))
        else:
            text = self._text("cards_score").format(
                right=self.score, answered=len(self.answers), total=len(self.cards)
            )
        self.score_label.value = f"<b>{html.escape(text)}</b>"

    def _facts_table(self, facts: dict[str, Any]) -> str:
        rows = []
        for name in ACCESS_FIELDS:
            if name not in facts or facts[name] is None or facts[name] == "":
                continue
            rows.append(
                f"<tr><td>{html.escape(self._text(f'cards_field.{name}'))}</td>"
                f"<td><code>{html.escape(self._value(facts[name]))}</code></td></tr>"
            )
        heading = html.escape(self._text("cards_facts_heading"))
        return f"<details open><summary>{heading}</summary><table>{''.join(rows)}</table></details>"

    def _value(self, value: Any) -> str:
        if value is True:
            return self._text("cards_yes")
        if value is False:
            return self._text("cards_no")
        return str(value).replace("_", " ")

    def _text(self, key: str) -> str:
        return ui_text(key, self.language)
