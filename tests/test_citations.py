"""Citations: reading, writing and comparing references to the Convention and Protocol."""

from __future__ import annotations

import pytest

from budapest_coop.citations import Citation, CitationError, parse_citation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29(2)(c)", Citation("29", "2", "c")),
        ("Art. 29(2)(c)", Citation("29", "2", "c")),
        ("Article 29.7", Citation("29", "7")),
        ("32(b)", Citation("32", "", "b")),
        ("32b", Citation("32", "", "b")),
        ("35", Citation("35")),
        ("SAP 9(1)", Citation("9", "1", instrument="CETS 224")),
        ("CETS 224 7", Citation("7", instrument="CETS 224")),
        ("ETS 185 25(3)", Citation("25", "3")),
    ],
)
def test_parse_citation_reads_common_forms(text, expected):
    """Common ways of writing a reference all parse to the same citation."""
    assert parse_citation(text) == expected


@pytest.mark.parametrize("text", ["", "twenty-nine", "29(2)(c)(iv)x", "Art."])
def test_parse_citation_rejects_garbage_with_a_hint(text):
    """An unreadable reference raises CitationError that shows the expected form."""
    with pytest.raises(CitationError, match="29\\(2\\)\\(c\\)"):
        parse_citation(text)


def test_parse_citation_rejects_non_strings():
    """A number instead of a string is refused with a clear message."""
    with pytest.raises(CitationError, match="expected a citation"):
        parse_citation(29)  # type: ignore[arg-type]


def test_citation_key_round_trips():
    """A citation's key parses back to the same citation."""
    for c in (Citation("29", "2", "c"), Citation("32", "", "a"), Citation("9", "1", instrument="CETS 224")):
        assert parse_citation(c.key) == c


def test_citation_display():
    """Citations render with the article, paragraph, letter and the instrument's name."""
    assert str(Citation("29", "2", "c")) == "Art. 29(2)(c) Budapest Convention"
    assert str(Citation("9", "1", instrument="CETS 224")) == "Art. 9(1) Second Additional Protocol"
    assert str(Citation("", instrument="PRACTICE", note="CGN logs")) == "Practice: CGN logs"
    assert "field 5" in str(Citation("5", instrument="T-CY(2018)11"))


def test_citation_validates_instrument_and_article():
    """An unknown instrument or a treaty citation without an article is refused."""
    with pytest.raises(CitationError, match="instrument"):
        Citation("29", instrument="ETS 999")
    with pytest.raises(CitationError, match="needs an article"):
        Citation("")


def test_covers():
    """A paragraph covers its letters; different articles do not cover each other."""
    assert Citation("29", "2").covers(Citation("29", "2", "c"))
    assert Citation("29").covers(Citation("29", "7"))
    assert not Citation("29", "2", "c").covers(Citation("29", "2", "d"))
    assert not Citation("29").covers(Citation("30"))
