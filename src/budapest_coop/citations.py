"""Structured legal citations: instrument, article, paragraph, letter.

A citation is data, never prose in code: rules, findings and recommendations
carry a :class:`Citation`, and every surface renders it the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import TraineeError

#: Short keys for the instruments the course cites, with their display names.
INSTRUMENTS: dict[str, str] = {
    "ETS 185": "Budapest Convention",
    "CETS 224": "Second Additional Protocol",
    "T-CY(2018)11": "T-CY preservation request template",
    "PRACTICE": "Practice (templates, provider and SIRIUS guidance)",
}
CONVENTION = "ETS 185"
SECOND_PROTOCOL = "CETS 224"

_ALIASES = {
    "": CONVENTION,
    "ets185": CONVENTION,
    "budapest": CONVENTION,
    "convention": CONVENTION,
    "bc": CONVENTION,
    "cets224": SECOND_PROTOCOL,
    "sap": SECOND_PROTOCOL,
    "2ap": SECOND_PROTOCOL,
    "protocol": SECOND_PROTOCOL,
    "secondprotocol": SECOND_PROTOCOL,
}

# "29", "29(2)", "29(2)(c)", "29.2.c", "Art. 29(2)(c)", "SAP 9(1)", "ETS 185 32(b)", "32b"
_REF = re.compile(
    r"""^\s*
    (?P<instrument>(?:ETS\s*185|CETS\s*224|SAP|2AP|BC|Budapest|Convention|Protocol)\b)?\s*
    (?:Art(?:icle)?\.?\s*)?
    (?P<article>\d{1,2})
    (?:\s*[(.]\s*(?P<paragraph>\d{1,2})\s*\)?)?
    (?:\s*[(.]?\s*(?P<letter>[a-z]{1,3})\s*\)?)?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class CitationError(TraineeError, ValueError):
    """A citation string that cannot be read."""


@dataclass(frozen=True, order=True)
class Citation:
    """Where a rule comes from: ``Citation("29", "2", "c")`` is Article 29(2)(c) ETS 185.

    ``instrument`` is a key of :data:`INSTRUMENTS`; for practice-based points
    (templates, provider guidance) use ``"PRACTICE"`` or the template number and
    put what the point rests on in ``note``.
    """

    article: str
    paragraph: str = ""
    letter: str = ""
    instrument: str = CONVENTION
    note: str = ""

    def __post_init__(self) -> None:
        if self.instrument not in INSTRUMENTS:
            raise CitationError(
                f"Citation.instrument: expected one of {sorted(INSTRUMENTS)}, got {self.instrument!r}"
            )
        if self.instrument in (CONVENTION, SECOND_PROTOCOL) and not self.article:
            raise CitationError(f"Citation.article: a {self.instrument} citation needs an article")

    @property
    def is_treaty(self) -> bool:
        """True for a citation of the Convention or its Second Protocol, False for practice."""
        return self.instrument in (CONVENTION, SECOND_PROTOCOL)

    @property
    def key(self) -> str:
        """Compact reference such as ``29(2)(c)`` or ``SAP 9(1)``, readable by :func:`parse_citation`."""
        ref = self.article
        if self.paragraph:
            ref += f"({self.paragraph})"
        if self.letter:
            ref += f"({self.letter})"
        if self.instrument == SECOND_PROTOCOL:
            return f"SAP {ref}"
        if self.instrument == CONVENTION:
            return ref
        return f"{self.instrument} {ref}".strip()

    def __str__(self) -> str:
        if self.instrument == CONVENTION:
            text = f"Art. {self.key} Budapest Convention"
        elif self.instrument == SECOND_PROTOCOL:
            text = f"Art. {self.key.removeprefix('SAP ')} Second Additional Protocol"
        elif self.instrument == "PRACTICE":
            return f"Practice: {self.note}" if self.note else "Practice"
        else:
            text = f"{INSTRUMENTS[self.instrument]} ({self.instrument})"
            text += f", field {self.article}" if self.article else ""
        if self.note:
            text += f" ({self.note})"
        return text

    def covers(self, other: Citation) -> bool:
        """True if ``other`` is this provision or a part of it (29(2) covers 29(2)(c))."""
        if self.instrument != other.instrument or self.article != other.article:
            return False
        if self.paragraph and self.paragraph != other.paragraph:
            return False
        return not self.letter or self.letter == other.letter


def parse_citation(ref: str | Citation) -> Citation:
    """Read ``"29(2)(c)"``, ``"Art. 32(b)"``, ``"SAP 9(1)"`` or ``"ETS 185 29.7"`` into a Citation.

    Article 32 has letters without a paragraph, so ``"32b"`` and ``"32(b)"`` both
    give ``Citation("32", "", "b")``.
    """
    if isinstance(ref, Citation):
        return ref
    if not isinstance(ref, str):
        raise CitationError(f"expected a citation such as '29(2)(c)', got {type(ref).__name__}")
    match = _REF.match(ref)
    if not match:
        raise CitationError(
            f"cannot read the citation {ref!r}: write it like '29(2)(c)', '32(b)' or 'SAP 9(1)'"
        )
    alias = re.sub(r"[\s.]", "", (match["instrument"] or "")).lower()
    instrument = _ALIASES.get(alias, CONVENTION)
    return Citation(
        article=match["article"],
        paragraph=match["paragraph"] or "",
        letter=(match["letter"] or "").lower(),
        instrument=instrument,
    )
