"""Reading trainee input leniently: the one place where typed values become hits, not errors.

Every checker (preservation requests, the channel advisor, the Article 32 assessment) reads
its dict through an :class:`InputReader`. A value of the wrong kind, an unknown field or an
unknown choice becomes a :class:`~budapest_coop.rules.Hit` under the checker's own code
prefix (``request.wrong_type``, ``art32.field_unknown``...), so the trainee gets a cited
finding and never a traceback.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Any

from .messages import DEFAULT_LANGUAGE, languages
from .rules import Hit

TRUE_WORDS = ("yes", "true", "y", "oui", "1")
FALSE_WORDS = ("no", "false", "n", "non", "0")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes dropped, underscores as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("'", "").split())


class InputReader:
    """Reads trainee input field by field; anything unusable becomes a hit with the book's prefix."""

    def __init__(self, prefix: str, hits: list[Hit]):
        self.prefix = prefix
        self.hits = hits

    def hit(self, name: str, field: str, **params: Any) -> None:
        self.hits.append(Hit(f"{self.prefix}.{name}", field, params))

    def fields_of(self, raw: Any, model: type, known: tuple[str, ...], what: str) -> dict:
        """``raw`` as a dict of ``known`` fields: a ``model`` instance is unpacked, a dict is checked
        for unknown keys, and anything else is a ``not_a_dict`` hit (read as an empty dict)."""
        if isinstance(raw, model):
            return {name: getattr(raw, name) for name in known}
        if not isinstance(raw, dict):
            self.hit("not_a_dict", what, got=type(raw).__name__)
            return {}
        self.unknown_keys(raw, known)
        return raw

    def unknown_keys(self, raw: dict, known: tuple[str, ...], path: str = "") -> None:
        """A hit for each key of ``raw`` not in ``known``, with the closest known name as a hint."""
        for key in raw:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
            self.hit("field_unknown", f"{path}{key}", hint=hint)

    def text(self, value: Any, field: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.hit("wrong_type", field, expected="text", got=type(value).__name__)
        return ""

    def flag(self, value: Any, field: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            folded = value.strip().lower()
            if folded in TRUE_WORDS:
                return True
            if folded in FALSE_WORDS:
                return False
            if folded in ("", "unknown", "?"):
                return None
        self.hit("wrong_type", field, expected="True or False", got=repr(value))
        return None

    def age(self, value: Any, field: str) -> int | None:
        if value is None or value == "":
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            age = int(value)
            if isinstance(value, float) and value != age:
                raise ValueError
        except (TypeError, ValueError):
            self.hit("wrong_type", field, expected="an age in years, such as 15", got=repr(value))
            return None
        if not 0 <= age <= 130:
            self.hit("wrong_type", field, expected="an age in years, such as 15", got=repr(value))
            return None
        return age

    def choice(self, value: str, field: str, aliases: dict[str, str], allowed: Iterable[str]) -> str:
        """The canonical value for ``value``, or "" (with a hit) when it is not one the course knows."""
        if not value:
            return ""
        canonical = aliases.get(fold(value))
        if canonical is None:
            self.hit("value_unknown", field, value=value, allowed=", ".join(allowed))
            return ""
        return canonical

    def language(self, language: Any) -> str:
        if isinstance(language, str) and language in languages():
            return language
        self.hit("language_unknown", "language", value=repr(language), available=", ".join(languages()))
        return DEFAULT_LANGUAGE
