"""The 24/7 desk as a widget: a queue of incoming messages, an action to choose, a verdict.

The widget only wires inputs to the package: the queue comes from :func:`load_queue`, each line
is :func:`queue_line` (received on the desk's clock and on the sender's), the message is
:meth:`DeskMessage.to_html`, and pressing *Decide* calls :func:`assess_action` and shows the
outcome it returns (verdict, cited reasons, the deadline on both clocks, the time left).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime

import ipywidgets as w

from ..desk import (
    ACTIONS,
    DeskMessage,
    DeskOutcome,
    DeskQueue,
    action_label,
    assess_action,
    deadline_table,
    desk_clock,
    load_queue,
    queue_line,
)
from ..messages import DEFAULT_LANGUAGE, ui_text

_WIDE = w.Layout(width="98%")


class TwentyFourSevenDesk(w.VBox):
    """Work through the night's messages at a 24/7 point of contact.

    Select a message in ``queue_list``, an action in ``action_picker``, then press
    ``decide_button``. ``desk.choices`` maps each message id to the action code chosen last;
    ``desk.outcomes`` maps it to the :class:`~budapest_coop.desk.DeskOutcome`. ``now`` is the
    desk's moment (by default the queue's, so that the clock does not depend on the day).
    """

    def __init__(
        self,
        queue: DeskQueue | Iterable[DeskMessage] | None = None,
        desk_zone: str | None = None,
        now: datetime | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        default = load_queue()
        self.queue = queue if queue is not None else default
        self.messages: dict[str, DeskMessage] = {m.id: m for m in self.queue}
        self.desk_zone = desk_zone or (self.queue.desk_zone if isinstance(self.queue, DeskQueue) else default.desk_zone)
        self.now = now if now is not None else (self.queue.now if isinstance(self.queue, DeskQueue) else default.now)
        self.desk_state = self.queue.desk_state if isinstance(self.queue, DeskQueue) else default.desk_state
        self.language = language
        self.choices: dict[str, str] = {}
        self.outcomes: dict[str, DeskOutcome] = {}

        self.queue_list = w.Select(
            options=[(queue_line(m, self.desk_zone, language), m.id) for m in self.messages.values()],
            value=None,
            rows=min(len(self.messages), 10) or 1,
            description="",
            layout=_WIDE,
        )
        self.message_panel = w.HTML()
        self.action_picker = w.RadioButtons(
            options=[(action_label(code, language), code) for code in ACTIONS],
            value=None,
            description=self._label("desk_action_picker"),
            layout=_WIDE,
            style={"description_width": "5em"},
        )
        self.decide_button = w.Button(description=self._label("desk_decide"), button_style="primary", icon="gavel")
        self.result_panel = w.HTML()
        self.choices_panel = w.HTML()
        table = deadline_table(list(self.messages.values()), self.desk_zone, self.now, language)
        self.table_panel = w.HTML(table.drop(columns=["hours_left"]).to_html(index=False, escape=True))
        extras = w.Accordion(children=[self.table_panel, self.choices_panel], selected_index=None)
        extras.set_title(0, self._label("desk_table_heading"))
        extras.set_title(1, self._label("desk_choices_heading"))

        self.queue_list.observe(self._selected, names="value")
        self.decide_button.on_click(lambda _: self.decide())
        header = w.HTML(
            f"<h3>{html.escape(self._label('desk_title', desk_state=self.desk_state.name))}</h3>"
            f"<p>{html.escape(self._label('desk_intro'))}</p>"
            f"<p><b>{html.escape(desk_clock(self.now, self.desk_zone, language))}</b></p>"
            f"<p><b>{html.escape(self._label('desk_queue_heading'))}</b></p>"
        )
        super().__init__(
            [header, self.queue_list, self.message_panel, self.action_picker, self.decide_button,
             self.result_panel, extras]
        )

    def _label(self, key: str, **values: str) -> str:
        text = ui_text(key, self.language)
        return text.format(**values) if values else text

    # -- wiring -------------------------------------------------------------------------
    def select(self, message_id: str) -> None:
        """Show a message (as if clicked in the queue)."""
        self.queue_list.value = message_id

    def _selected(self, change: dict) -> None:
        message = self.messages.get(change["new"])
        self.message_panel.value = message.to_html(self.desk_zone, self.language) if message else ""
        outcome = self.outcomes.get(change["new"])
        self.action_picker.value = outcome.action if outcome and outcome.action else None
        self.result_panel.value = outcome._repr_html_() if outcome else ""

    def decide(self) -> DeskOutcome | None:
        """Judge the selected action on the selected message and show the outcome."""
        message_id, action = self.queue_list.value, self.action_picker.value
        if message_id is None or action is None:
            key = "desk_choose_message" if message_id is None else "desk_choose_action"
            self.result_panel.value = f"<p><i>{html.escape(self._label(key))}</i></p>"
            return None
        outcome = assess_action(self.messages[message_id], action, now=self.now, desk_zone=self.desk_zone,
                                language=self.language)
        self.choices[message_id] = action
        self.outcomes[message_id] = outcome
        self.result_panel.value = outcome._repr_html_()
        self.choices_panel.value = "<ul>" + "".join(
            f"<li>{'✔' if o.fits else '✖'} <code>{html.escape(mid)}</code>: {html.escape(o.action_label)}</li>"
            for mid, o in self.outcomes.items()
        ) + "</ul>"
        return outcome
