"""Trainees: the CSV roster, the gradebook's students, and matching a file to a trainee.

The roster is a CSV file with the columns ``id, first_name, last_name, email`` (a header row;
comma, semicolon or tab separated; UTF-8, with or without Excel's byte-order mark). ``id``
becomes the nbgrader student id and the folder name under ``submitted/``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import CohortError
from .folder import Cohort, open_cohort

COLUMNS = ("id", "first_name", "last_name", "email")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")  # no '+' or '*': nbgrader's exchange refuses them
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True)
class Trainee:
    """One trainee of the cohort (an nbgrader student)."""

    id: str
    first_name: str
    last_name: str
    email: str

    @property
    def name(self) -> str:
        """First and last name, as written in the roster."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.id})" if self.name else f"{self.id} <{self.email}>"


@dataclass(frozen=True)
class RosterResult:
    """What adding a roster changed in the gradebook."""

    source: Path
    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    not_in_file: tuple[str, ...]

    def __str__(self) -> str:
        lines = [
            f"roster {self.source.name}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        ]
        if self.updated:
            lines.append("  updated: " + ", ".join(self.updated))
        if self.not_in_file:
            lines.append(
                f"  {len(self.not_in_file)} trainee(s) already in the gradebook are not in this file and were kept: "
                + ", ".join(self.not_in_file)
            )
        return "\n".join(lines)


def _sniff(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_roster(path: Path | str) -> list[Trainee]:
    """The trainees of a roster CSV; every bad row is reported at once, and nothing is half-read."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise CohortError(f"roster file {file} does not exist")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CohortError(
            f"roster {file.name} is not UTF-8 text (byte {exc.start}): save it as 'CSV UTF-8' and try again"
        ) from None
    if not text.strip():
        raise CohortError(f"roster {file.name} is empty: it needs a header row {','.join(COLUMNS)} and one row per trainee")
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_sniff(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CohortError(
            f"roster {file.name}: missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(COLUMNS)} (found: {', '.join(reader.fieldnames or []) or 'nothing'})"
        )
    reader.fieldnames = header
    problems: list[str] = []
    trainees: list[Trainee] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        where = f"roster {file.name} line {line}"
        bad = []
        if not values["id"]:
            bad.append("id is empty")
        elif not _ID.match(values["id"]):
            bad.append(
                f"id {values['id']!r} is not usable as a folder name: use letters, digits and . _ @ - "
                "(no spaces), starting with a letter or digit"
            )
        if not values["first_name"] and not values["last_name"]:
            bad.append("first_name and last_name are both empty (give at least one)")
        if not _EMAIL.match(values["email"]):
            bad.append(f"email {values['email']!r} is not an e-mail address" if values["email"] else "email is empty")
        key = values["id"].lower()
        if key and key in seen_ids:
            bad.append(f"id {values['id']!r} is already used on line {seen_ids[key]}")
        email = values["email"].lower()
        if email and email in seen_emails:
            bad.append(f"email {values['email']!r} is already used on line {seen_emails[email]}")
        if bad:
            problems.append(f"{where}: " + "; ".join(bad))
            continue
        seen_ids[key] = line
        seen_emails[email] = line
        trainees.append(Trainee(values["id"], values["first_name"], values["last_name"], values["email"]))
    if problems:
        raise CohortError(
            f"{len(problems)} bad row(s); nothing was added. Fix the file and run the command again:\n  "
            + "\n  ".join(problems)
        )
    if not trainees:
        raise CohortError(f"roster {file.name} has a header but no trainees")
    return trainees


def trainees(cohort: Cohort | Path | str) -> list[Trainee]:
    """The cohort's trainees (the gradebook's students), sorted by id."""
    cohort = open_cohort(cohort)
    with cohort.gradebook() as gb:
        return sorted(
            (Trainee(s.id, s.first_name or "", s.last_name or "", s.email or "") for s in gb.students),
            key=lambda t: t.id,
        )


def add_roster(cohort: Cohort | Path | str, path: Path | str) -> RosterResult:
    """Add or update the trainees of a roster CSV in the gradebook; re-adding the same file changes nothing.

    The whole file is checked first (and against trainees already in the gradebook: an e-mail
    may belong to one trainee only); on any problem nothing is written.
    """
    cohort = open_cohort(cohort)
    incoming = read_roster(path)
    existing = {t.id: t for t in trainees(cohort)}
    owner = {t.email.lower(): t.id for t in existing.values() if t.email}
    clashes = [
        f"email {t.email} of '{t.id}' already belongs to trainee '{owner[t.email.lower()]}'"
        for t in incoming
        if owner.get(t.email.lower(), t.id) != t.id
    ]
    folded = {t.id.lower(): t.id for t in existing.values()}
    clashes += [
        f"id '{t.id}' differs only in upper/lower case from trainee '{folded[t.id.lower()]}'"
        for t in incoming
        if folded.get(t.id.lower(), t.id) != t.id
    ]
    if clashes:
        raise CohortError(
            "the roster clashes with trainees already in the gradebook; nothing was added:\n  " + "\n  ".join(clashes)
        )
    added, updated, unchanged = [], [], []
    with cohort.gradebook() as gb:
        for t in incoming:
            before = existing.get(t.id)
            if before == t:
                unchanged.append(t.id)
                continue
            gb.update_or_create_student(t.id, first_name=t.first_name, last_name=t.last_name, email=t.email)
            (updated if before else added).append(t.id)
    in_file = {t.id for t in incoming}
    return RosterResult(
        source=Path(path),
        added=tuple(added),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        not_in_file=tuple(sorted(set(existing) - in_file)),
    )


def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation removed, words sorted: ``'Müller, Anna'`` -> ``'anna muller'``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(sorted(words))


@dataclass(frozen=True)
class Match:
    """The trainee a key (folder or file name) belongs to, or why none does."""

    trainee: Trainee | None
    reason: str = ""


class TraineeMatcher:
    """Finds the trainee a folder or file name names: by id, by e-mail, or by full name."""

    def __init__(self, people: Iterable[Trainee]):
        self._by_id: dict[str, Trainee] = {}
        self._by_email: dict[str, Trainee] = {}
        self._by_name: dict[str, list[Trainee]] = {}
        for t in people:
            self._by_id[t.id.lower()] = t
            if t.email:
                self._by_email[t.email.lower()] = t
            if t.name:
                self._by_name.setdefault(normalise_name(t.name), []).append(t)

    def __bool__(self) -> bool:
        return bool(self._by_id)

    def match(self, key: str, *, alternative_id: str = "") -> Match:
        """Match ``key`` (an id, an e-mail or a full name in any order); ``alternative_id`` is tried as an id."""
        text = key.strip()
        if text.lower() in self._by_id:
            return Match(self._by_id[text.lower()])
        if text.lower() in self._by_email:
            return Match(self._by_email[text.lower()])
        named = self._by_name.get(normalise_name(text), [])
        if len(named) == 1:
            return Match(named[0])
        if len(named) > 1:
            ids = ", ".join(t.id for t in named)
            return Match(None, f"'{text}' names {len(named)} trainees ({ids}); rename the folder to the trainee's id")
        if alternative_id and alternative_id.lower() in self._by_id:
            return Match(self._by_id[alternative_id.lower()])
        return Match(None, f"'{text}' is not a trainee on the roster (no id, e-mail or name matches)")


__all__ = [
    "COLUMNS",
    "Match",
    "RosterResult",
    "Trainee",
    "TraineeMatcher",
    "add_roster",
    "normalise_name",
    "read_roster",
    "trainees",
]
