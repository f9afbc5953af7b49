"""A live form for drafting an Article 29 preservation request.

The widget only wires inputs to the package: it builds the same dict a trainee would
type, passes it to :func:`check_preservation_request` on every change, and shows the
findings and :func:`render_preservation_request`'s document.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..messages import DEFAULT_LANGUAGE, ui_text
from ..parties import states
from ..preservation import CATEGORIES, IDENTIFIER_TYPES, STATUSES, check_preservation_request
from ..render import render_preservation_request
from ._live import LiveForm

_WIDE = w.Layout(width="98%")
_STYLE = {"description_width": "11em"}

# (section, field, kind); "authority" fields live under requesting_authority.
_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("header", "date", "text"),
    ("header", "reference", "text"),
    ("header", "status", "status"),
    ("header", "previous_reference", "text"),
    ("header", "requested_party", "party"),
    ("header", "requested_authority", "text"),
    ("authority", "organisation", "text"),
    ("authority", "person", "text"),
    ("authority", "address", "text"),
    ("authority", "phone", "text"),
    ("authority", "email", "text"),
    ("authority", "office_hours", "text"),
    ("authority", "time_zone", "text"),
    ("offence", "offence", "text"),
    ("offence", "legal_provisions", "text"),
    ("offence", "convention_offence", "text"),
    ("offence", "summary_of_facts", "long"),
    ("follow_up", "custodian", "text"),
    ("follow_up", "location", "text"),
    ("follow_up", "necessity", "long"),
    ("follow_up", "mla_follow_up", "long"),
    ("follow_up", "preservation_days", "text"),
    ("follow_up", "confidentiality", "flag"),
    ("follow_up", "article30_request", "flag"),
)
_ITEM_FIELDS: tuple[tuple[str, str], ...] = (
    ("category", "choice"),
    ("identifier_type", "choice"),
    ("identifier", "text"),
    ("source_port", "text"),
    ("start", "text"),
    ("end", "text"),
    ("relation", "long"),
)


def _control(kind: str, label: str, options: tuple[str, ...] = ()) -> w.ValueWidget:
    common = {"description": label, "style": _STYLE, "layout": _WIDE}
    if kind == "long":
        return w.Textarea(rows=3, continuous_update=True, **common)
    if kind == "flag":
        return w.Checkbox(value=False, indent=False, description=label)
    if kind == "status":
        return w.Dropdown(options=STATUSES, value="new", **common)
    if kind == "choice":
        return w.Dropdown(options=("", *options), value="", **common)
    if kind == "party":
        names = [s.name for s in states(include_fictional=True)]
        return w.Combobox(options=names, ensure_option=False, continuous_update=True, **common)
    return w.Text(continuous_update=True, **common)


class DataItemRow(w.VBox):
    """The controls of one data item (category, identifier, port, window, relation)."""

    def __init__(self, number: int, language: str = DEFAULT_LANGUAGE) -> None:
        self.controls: dict[str, w.ValueWidget] = {}
        for name, kind in _ITEM_FIELDS:
            options = {"category": CATEGORIES, "identifier_type": IDENTIFIER_TYPES}.get(name, ())
            self.controls[name] = _control(kind, ui_text(f"field.{name}", language), options)
        heading = w.HTML(f"<b>{ui_text('item_heading', language)} {number}</b>")
        super().__init__([heading, *self.controls.values()])

    @property
    def value(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    @value.setter
    def value(self, item: dict[str, Any]) -> None:
        for name, control in self.controls.items():
            raw = item.get(name)
            if isinstance(control, w.Dropdown):
                control.value = raw if raw in control.options else ""
            else:
                control.value = "" if raw is None else str(raw)


class PreservationRequestBuilder(LiveForm, w.VBox):
    """Fill in a preservation request; findings and the rendered request update as you type.

    ``builder.request`` is the dict the form describes (the same shape
    :func:`check_preservation_request` takes); ``builder.report`` is its latest check.
    """

    def __init__(self, request: dict[str, Any] | None = None, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.controls: dict[str, w.ValueWidget] = {
            name: _control(kind, ui_text(f"field.{name}", language)) for _, name, kind in _FIELDS
        }
        self.items_box = w.VBox([])
        self.add_button = w.Button(description=ui_text("add_item", language), icon="plus")
        self.remove_button = w.Button(description=ui_text("remove_item", language), icon="minus")
        self.add_button.on_click(lambda _: self.add_item())
        self.remove_button.on_click(lambda _: self.remove_item())
        self.findings_panel = w.HTML()
        self.document_panel = w.HTML()
        self.report = None

        sections = []
        for key in ("header", "authority", "offence", "data", "follow_up"):
            if key == "data":
                body = w.VBox([self.items_box, w.HBox([self.add_button, self.remove_button])])
            else:
                body = w.VBox([self.controls[name] for section, name, _ in _FIELDS if section == key])
            sections.append((ui_text(f"section_{key}", language), body))
        form = w.Accordion(children=[body for _, body in sections], selected_index=0)
        for index, (title, _) in enumerate(sections):
            form.set_title(index, title)
        output = w.Tab(children=[self.findings_panel, self.document_panel])
        output.set_title(0, ui_text("findings_heading", language))
        output.set_title(1, ui_text("document_heading", language))

        for control in self.controls.values():
            control.observe(self._changed, names="value")
        super().__init__([w.HTML(f"<h3>{ui_text('builder_title', language)}</h3>"), form, output])
        if request:
            self.load(request)
        else:
            self.add_item()

    # -- data items -------------------------------------------------------------
    @property
    def item_rows(self) -> list[DataItemRow]:
        return list(self.items_box.children)

    def add_item(self, item: dict[str, Any] | None = None) -> DataItemRow:
        """Add a data item row (optionally filled) and re-check."""
        row = DataItemRow(len(self.item_rows) + 1, self.language)
        if item:
            row.value = item
        for control in row.controls.values():
            control.observe(self._changed, names="value")
        self.items_box.children = (*self.item_rows, row)
        self.refresh()
        return row

    def remove_item(self) -> None:
        """Remove the last data item row and re-check."""
        if self.item_rows:
            self.items_box.children = tuple(self.item_rows[:-1])
            self.refresh()

    # -- the request ------------------------------------------------------------
    @property
    def request(self) -> dict[str, Any]:
        """The request the form describes, as the plain dict the checker takes."""
        authority_fields = {name for section, name, _ in _FIELDS if section == "authority"}
        request: dict[str, Any] = {"requesting_authority": {}}
        for name, control in self.controls.items():
            value = control.value
            if name in authority_fields:
                request["requesting_authority"][name] = value
            elif name == "preservation_days":
                request[name] = value.strip() or None
            else:
                request[name] = value
        request["data_items"] = [
            {k: (v.strip() or None) if k == "source_port" else v for k, v in row.value.items()}
            for row in self.item_rows
        ]
        return request

    def load(self, request: dict[str, Any]) -> None:
        """Fill the form from a request dict (as typed in a notebook cell) and re-check once."""
        with self.batch():
            authority = request.get("requesting_authority") or {}
            if isinstance(authority, str):
                authority = {"organisation": authority}
            for _, name, kind in _FIELDS:
                source = authority if _is_authority(name) else request
                raw = source.get(name)
                control = self.controls[name]
                if kind == "flag":
                    control.value = bool(raw)
                elif kind == "status":
                    control.value = raw if raw in STATUSES else "new"
                else:
                    control.value = "" if raw is None else str(raw)
            self.items_box.children = ()
            for item in request.get("data_items") or [{}]:
                self.add_item(item if isinstance(item, dict) else {"identifier": str(item)})

    def redraw(self) -> None:
        """Check the current request and redraw the findings and the document."""
        request = self.request
        self.report = check_preservation_request(request, self.language)
        self.findings_panel.value = self.report._repr_html_()
        self.document_panel.value = render_preservation_request(request, self.language).html



def _is_authority(name: str) -> bool:
    return any(section == "authority" and field == name for section, field, _ in _FIELDS)
