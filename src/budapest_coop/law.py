"""The articles the course teaches, as data: each paragraph paraphrased with its citation.

Records live in ``data/law/*.yaml``; :func:`cite` looks one up::

    >>> cite("29(2)(c)").summary()      # doctest: +SKIP
    'What stored data must be frozen and how it relates to the offence.'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache

from ._data import DataError, load_yaml, yaml_files
from .citations import INSTRUMENTS, Citation, CitationError, parse_citation
from .errors import NotCovered
from .findings import unverified_mark

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Provision:
    """One article, paragraph or letter in the project's own words, with how sure we are of it."""

    citation: Citation
    title: str
    summaries: tuple[tuple[str, str], ...]
    verified: bool
    source: str

    @property
    def key(self) -> str:
        return self.citation.key

    def summary(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The paraphrase in ``language``, falling back to English."""
        texts = dict(self.summaries)
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    @property
    def status(self) -> str:
        return "verified" if self.verified else "not yet verified: check the official text before relying on it"

    def _repr_markdown_(self) -> str:
        flag = "" if self.verified else " ⚠ *not yet verified against the official text*"
        heading = f"**{self.citation}** — {self.title}" if self.title else f"**{self.citation}**"
        return f"{heading}{flag}\n\n{self.summary()}\n\n<small>Source: {self.source}</small>"

    def _repr_html_(self) -> str:
        flag = (
            ""
            if self.verified
            else unverified_mark("not yet verified against the official text")
        )
        title = f" — {html.escape(self.title)}" if self.title else ""
        return (
            f"<div><b>{html.escape(str(self.citation))}</b>{title}{flag}"
            f"<p>{html.escape(self.summary())}</p>"
            f"<small>Source: {html.escape(self.source)}</small></div>"
        )


def _record(raw: dict, where: str, article: dict) -> Provision:
    ref = raw.get("ref")
    if not ref:
        raise DataError(f"{where}: a provision without 'ref' (its citation); every record needs one")
    try:
        citation = parse_citation(ref)
    except CitationError as exc:
        raise DataError(f"{where}: {exc}") from None
    instrument = article["_instrument"]
    citation = Citation(citation.article, citation.paragraph, citation.letter, instrument)
    if citation.article != str(article["article"]):
        raise DataError(f"{where}: ref {ref!r} is filed under article {article['article']}")
    summary = raw.get("summary")
    if not isinstance(summary, dict) or not summary.get(DEFAULT_LANGUAGE):
        raise DataError(f"{where} ({ref}): 'summary' needs at least an '{DEFAULT_LANGUAGE}' text")
    verified = raw.get("verified", article.get("verified"))
    if not isinstance(verified, bool):
        raise DataError(f"{where} ({ref}): 'verified' must be true or false")
    source = raw.get("source") or article.get("source")
    if not source:
        raise DataError(f"{where} ({ref}): 'source' is missing (say where the point was checked)")
    title = article.get("title", {}).get(DEFAULT_LANGUAGE, "") if not citation.paragraph and not citation.letter else ""
    return Provision(
        citation=citation,
        title=title,
        summaries=tuple(sorted((str(k), str(v).strip()) for k, v in summary.items())),
        verified=verified,
        source=str(source),
    )


@dataclass(frozen=True)
class _Law:
    provisions: dict[tuple[str, str], Provision]
    titles: dict[tuple[str, str], dict[str, str]]


@cache
def _law() -> _Law:
    registry: dict[tuple[str, str], Provision] = {}
    titles: dict[tuple[str, str], dict[str, str]] = {}
    for name in yaml_files("law"):
        doc = load_yaml("law", name)
        instrument = doc.get("instrument")
        if instrument not in INSTRUMENTS:
            raise DataError(f"data/law/{name}: unknown instrument {instrument!r}")
        for article in doc.get("articles", []):
            article = dict(article, _instrument=instrument)
            where = f"data/law/{name}, article {article.get('article')}"
            if "title" not in article:
                raise DataError(f"{where}: the article needs a 'title'")
            article_summary = {"ref": str(article["article"]), "summary": article.get("summary")}
            if article.get("summary"):
                records = [article_summary, *article.get("provisions", [])]
            else:
                records = article.get("provisions", [])
                if not records:
                    raise DataError(f"{where}: neither a summary nor provisions")
            for raw in records:
                provision = _record(raw, where, article)
                key = (instrument, provision.key)
                if key in registry:
                    raise DataError(f"{where}: {provision.key} is defined twice")
                registry[key] = provision
            titles[(instrument, str(article["article"]))] = article["title"]
    return _Law(registry, titles)


def article_title(citation: Citation | str, language: str = DEFAULT_LANGUAGE) -> str:
    """The heading of the article a citation belongs to ("Expedited preservation of stored computer data")."""
    citation = parse_citation(citation)
    titles = _law().titles.get((citation.instrument, citation.article), {})
    return titles.get(language) or titles.get(DEFAULT_LANGUAGE, "")


def cite(ref: str | Citation) -> Provision:
    """The provision for ``ref`` ("29(2)(c)", "32(b)", "SAP 9(1)"); falls back to the paragraph or article.

    Raises :class:`~budapest_coop.errors.NotCovered` (a ``KeyError``) with a clear message
    when the course does not cover it.
    """
    citation = parse_citation(ref)
    registry = _law().provisions
    candidates = [
        Citation(citation.article, citation.paragraph, citation.letter, citation.instrument),
        Citation(citation.article, citation.paragraph, "", citation.instrument),
        Citation(citation.article, "", "", citation.instrument),
    ]
    for candidate in candidates:
        found = registry.get((candidate.instrument, candidate.key))
        if found:
            return found
    raise NotCovered(
        f"{citation} is not among the provisions this course covers; "
        "see provisions_table() for those it does"
    )


def provisions(article: str | None = None, instrument: str | None = None) -> list[Provision]:
    """All provisions, or those of one article/instrument, in treaty order."""

    def order(p: Provision) -> tuple:
        c = p.citation
        return (c.instrument, int(c.article), int(c.paragraph or 0), c.letter)

    found = [
        p
        for p in _law().provisions.values()
        if (article is None or p.citation.article == str(article))
        and (instrument is None or p.citation.instrument == instrument)
    ]
    return sorted(found, key=order)


def provisions_table(article: str | None = None, instrument: str | None = None, language: str = DEFAULT_LANGUAGE):
    """The provisions as a pandas DataFrame (citation, summary, verified), for notebooks."""
    import pandas as pd

    rows = [
        {
            "citation": str(p.citation),
            "summary": p.summary(language),
            "verified": p.verified,
        }
        for p in provisions(article, instrument)
    ]
    return pd.DataFrame(rows, columns=["citation", "summary", "verified"])
