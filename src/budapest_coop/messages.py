"""Finding and interface texts, as data keyed by language.

Each language is a folder ``data/messages/<lang>/`` of YAML files with ``findings:``
and ``ui:`` mappings (one file per rule book, plus ``ui.yaml``). Adding French means
adding ``data/messages/fr/`` with the same keys; no code changes. A key missing in a
language falls back to English.
"""

from __future__ import annotations

from functools import cache

from ._data import DataError, data_path, load_yaml

DEFAULT_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """Languages that have a message folder, e.g. ``("en",)``."""
    return tuple(sorted(e.name for e in data_path("messages").iterdir() if e.is_dir()))


@cache
def _catalogue(language: str) -> dict[str, dict[str, object]]:
    if language not in languages():
        raise ValueError(f"no messages in language {language!r}; available: {', '.join(languages())}")
    merged: dict[str, dict[str, object]] = {"findings": {}, "ui": {}}
    folder = data_path("messages", language)
    for name in sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml")):
        doc = load_yaml("messages", language, name) or {}
        for section in ("findings", "ui"):
            for key, value in (doc.get(section) or {}).items():
                if key in merged[section]:
                    raise DataError(f"data/messages/{language}/{name}: {section} key {key!r} is defined twice")
                merged[section][key] = value
    return merged


class Placeholders(dict):
    """str.format_map helper that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def finding_text(code: str, language: str = DEFAULT_LANGUAGE, **params: object) -> tuple[str, str]:
    """(message, how to fix) for a finding code, filled with ``params``; English when a text is missing."""
    entry = _catalogue(language)["findings"].get(code)
    if entry is None and language != DEFAULT_LANGUAGE:
        entry = _catalogue(DEFAULT_LANGUAGE)["findings"].get(code)
    if not isinstance(entry, dict) or "message" not in entry:
        raise DataError(f"no message for finding code {code!r} in data/messages/{language}/")
    values = Placeholders(params)
    return str(entry["message"]).format_map(values), str(entry.get("fix", "")).format_map(values)


def ui_text(key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A label of the widgets and reports."""
    text = _catalogue(language)["ui"].get(key)
    if text is None and language != DEFAULT_LANGUAGE:
        text = _catalogue(DEFAULT_LANGUAGE)["ui"].get(key)
    if text is None:
        raise DataError(f"no interface text {key!r} in data/messages/{language}/")
    return str(text)
