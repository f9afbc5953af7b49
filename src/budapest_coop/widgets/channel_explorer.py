"""The channel advisor as an explorer: change one fact, watch the advice change.

The widget only wires inputs to the package. It turns its controls into the same plain
dict a trainee would type, passes it to :func:`~budapest_coop.channels.advise_channel` on
every change, and draws what comes back: the headline, the channels in order, the channels
ruled out and the findings about the facts. Which channels fit, in which order and why is
decided by the package alone; labels come from ``data/messages/<lang>/ui_channel_explorer.yaml``.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

import ipywidgets as w

from ..channels import (
    NEEDS,
    SITUATION_FIELDS,
    URGENCIES,
    Advice,
    Recommendation,
    Situation,
    advise_channel,
    parse_situation,
)
from ..findings import unverified_mark
from ..messages import DEFAULT_LANGUAGE, ui_text
from ..parties import states
from ..transborder import ROLES
from ._live import LiveForm

_STYLE = {"description_width": "13em"}
_CONTROL = w.Layout(width="31em")
_SECTION = w.Layout(width="33em", margin="0 1em 0.5em 0")

# A yes/no fact that may also be unknown: the control's key, and what the situation holds.
_FLAGS: dict[str, bool | None] = {"unknown": None, "yes": True, "no": False}
_FLAG_FIELDS = ("publicly_available", "consent", "provider_accepts_direct_requests")
_TEXT_FIELDS = ("requesting_state", "location", "consenting_person_age")

# (section, Situation field, label key) in the order the controls appear.
_LAYOUT: tuple[tuple[str, str, str], ...] = (
    ("states", "requesting_state", "explorer_requesting_state"),
    ("states", "location", "explorer_location"),
    ("need", "needed", "explorer_needed"),
    ("need", "urgency", "explorer_urgency"),
    ("access", "publicly_available", "explorer_publicly_available"),
    ("access", "consent", "explorer_consent"),
    ("access", "consenting_person", "explorer_consenting_person"),
    ("access", "consenting_person_age", "explorer_consenting_person_age"),
    ("access", "provider_accepts_direct_requests", "explorer_provider_accepts"),
)
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Situation)}



def _whole_number(text: str) -> int | str:
    """Digits as a number, anything else as typed (the advisor turns it into a finding)."""
    if text.isdecimal():
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            return text
    return text


def _state_names() -> list[str]:
    """The course's States, its fictional ones first (the names the advisor looks up)."""
    known = sorted(states(include_fictional=True), key=lambda s: (not s.fictional, s.name))
    return [s.name for s in known]


class ChannelExplorer(LiveForm, w.VBox):
    """Set the facts of a situation; the recommended and ruled-out channels update at once.

    ``ChannelExplorer(situation)`` pre-fills the controls from a situation dict (or a
    :class:`~budapest_coop.channels.Situation`), read as leniently as the advisor reads it;
    facts the explorer has no control for (``convention_offence``, ``provider_state``...) are
    kept and passed on unchanged. ``explorer.situation`` is the dict passed to
    :func:`advise_channel`; ``explorer.advice`` the last :class:`Advice`; ``explorer.controls``
    the input widgets by field name; ``explorer.panel`` the drawn advice.
    """

    def __init__(self, situation: Situation | dict | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.controls: dict[str, w.ValueWidget] = {
            name: self._make_control(name, self._text(key)) for _, name, key in _LAYOUT
        }
        self.panel = w.HTML()
        self.advice: Advice | None = None
        self._extra: dict[str, Any] = {}

        sections = []
        for section in ("states", "need", "access"):
            body: list[w.Widget] = [w.HTML(f"<b>{html.escape(self._text(f'explorer_section_{section}'))}</b>")]
            body += [self.controls[name] for part, name, _ in _LAYOUT if part == section]
            if section == "need":
                body.append(w.HTML(f"<small>{html.escape(self._text('explorer_needed_help'))}</small>"))
            sections.append(w.VBox(body, layout=_SECTION))
        form = w.HBox(sections, layout=w.Layout(flex_flow="row wrap"))
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        super().__init__([
            w.HTML(f"<h3>{html.escape(self._text('explorer_title'))}</h3>"
                   f"<p>{html.escape(self._text('explorer_intro'))}</p>"),
            form,
            self.panel,
        ])
        self.load(situation if situation is not None else {})

    # -- controls ---------------------------------------------------------------
    def _text(self, key: str) -> str:
        return ui_text(key, self.language)

    def _flag_options(self) -> list[tuple[str, str]]:
        return [(self._text(f"explorer_flag_{key}"), key) for key in _FLAGS]

    def _make_control(self, name: str, label: str) -> w.ValueWidget:
        common = {"description": label, "style": _STYLE, "layout": _CONTROL}
        if name == "requesting_state":
            return w.Combobox(options=_state_names(), ensure_option=False, continuous_update=True,
                              placeholder=self._text("explorer_state_placeholder"), **common)
        if name == "location":
            places = [self._text("explorer_place_unknown"), self._text("explorer_place_cloud")]
            return w.Combobox(options=places + _state_names(), ensure_option=False, continuous_update=True,
                              placeholder=self._text("explorer_state_placeholder"), **common)
        if name == "needed":
            options = [(self._text(f"explorer_need_{need}"), need) for need in NEEDS]
            return w.SelectMultiple(options=options, value=(), rows=len(NEEDS), **common)
        if name == "urgency":
            options = [(self._text(f"explorer_urgency_{urgency}"), urgency) for urgency in URGENCIES]
            return w.Dropdown(options=options, value=URGENCIES[0], **common)
        if name == "consenting_person":
            options = [(self._text("explorer_person_none"), "")]
            options += [(self._text(f"explorer_person_{role}"), role) for role in ROLES]
            return w.Dropdown(options=options, value="", **common)
        if name == "consenting_person_age":
            return w.Text(continuous_update=True, placeholder=self._text("explorer_age_placeholder"), **common)
        return w.Dropdown(options=self._flag_options(), value="unknown", **common)

    def _read(self, name: str) -> Any:
        """The value of one control as the situation dict holds it (None when not stated)."""
        value = self.controls[name].value
        if name in _FLAG_FIELDS:
            return _FLAGS.get(value)
        if name == "needed":
            return list(value)
        if name in _TEXT_FIELDS:
            text = value.strip()
            if not text:
                return None
            return _whole_number(text) if name == "consenting_person_age" else text
        return value or None

    # -- the situation ----------------------------------------------------------
    @property
    def situation(self) -> dict[str, Any]:
        """The facts the controls describe, as the plain dict :func:`advise_channel` takes.

        Facts left open are omitted; ``needed`` and ``urgency`` are always present.
        """
        facts = dict(self._extra)
        for _, name, _ in _LAYOUT:
            value = self._read(name)
            if value is not None or name == "needed":
                facts[name] = value
        return facts

    def load(self, situation: Situation | dict | None) -> None:
        """Fill the controls from a situation (dict or Situation) and redraw the advice once."""
        facts = parse_situation(situation if situation is not None else {})
        with self.batch():
            for _, name, _ in _LAYOUT:
                value = getattr(facts, name)
                control = self.controls[name]
                if name in _FLAG_FIELDS:
                    control.value = next(key for key, flag in _FLAGS.items() if flag is value)
                elif name == "needed":
                    control.value = tuple(value)
                elif name == "consenting_person":
                    control.value = value if value in ROLES else ""
                elif name == "urgency":
                    control.value = value if value in URGENCIES else URGENCIES[0]
                else:
                    control.value = "" if value is None else str(value)
            controlled = {name for _, name, _ in _LAYOUT}
            self._extra = {
                name: (list(value) if isinstance(value, tuple) else value)
                for name in SITUATION_FIELDS
                if name not in controlled and (value := getattr(facts, name)) != _DEFAULTS[name]
            }

    def redraw(self) -> None:
        """Ask the advisor about the current facts and redraw the panel."""
        self.advice = advise_channel(self.situation, self.language)
        self.panel.value = render_advice(self.advice, self.language)



# -- drawing the advice ----------------------------------------------------------


def _esc(text: object) -> str:
    return html.escape(str(text))


def _channel_item(r: Recommendation, language: str) -> str:
    flag = (
        unverified_mark(ui_text("explorer_not_verified", language))
        if not r.verified
        else ""
    )
    tag = (
        f'<span title="{_esc(r.value_label)}" style="border:1px solid #888;border-radius:3px;'
        f'padding:0 4px;font-size:85%">{_esc(ui_text(f"explorer_value_{r.value}", language))}</span>'
    )
    return (
        f'<li data-code="{_esc(r.code)}"><b>{_esc(r.name)}</b> {tag}{flag}'
        f"<br>{_esc(r.reason)}"
        f"<br><small><b>{_esc(ui_text('explorer_speed', language))}</b> {_esc(r.speed)} "
        f"<b>{_esc(ui_text('explorer_legal_basis', language))}</b> <i>{_esc(r.citation_text)}</i></small></li>"
    )


def _ruled_out_item(r: Recommendation, language: str) -> str:
    flag = (
        unverified_mark(ui_text("explorer_not_verified", language))
        if not r.verified
        else ""
    )
    return (
        f'<li data-code="{_esc(r.code)}"><b>{_esc(r.name)}</b>{flag}: {_esc(r.reason)} '
        f"<small><i>({_esc(r.citation_text)})</i></small></li>"
    )


def render_advice(advice: Advice, language: str = DEFAULT_LANGUAGE) -> str:
    """The explorer's panel for an :class:`Advice`: headline, channels in order, ruled out, findings."""
    parts = [f'<div class="channel-explorer-panel"><p data-role="headline"><b>{_esc(advice.headline)}</b></p>',
             f"<h4>{_esc(ui_text('explorer_channels_heading', language))}</h4>"]
    if advice.channels:
        parts.append('<ol data-role="channels">' + "".join(_channel_item(r, language) for r in advice.channels) + "</ol>")
    else:
        parts.append(f'<p data-role="channels">{_esc(ui_text("explorer_no_channels", language))}</p>')
    if advice.ruled_out:
        parts.append(f"<h4>{_esc(ui_text('explorer_ruled_out_heading', language))}</h4>")
        parts.append('<ul data-role="ruled-out">' + "".join(_ruled_out_item(r, language) for r in advice.ruled_out) + "</ul>")
    if advice.findings:
        parts.append(f"<h4>{_esc(ui_text('explorer_findings_heading', language))}</h4>")
        parts.append('<ul data-role="findings">' + "".join(f.html_item(show_field=False) for f in advice.findings) + "</ul>")
    parts.append("</div>")
    return "".join(parts)
