"""The law as data: every record cited, looked up by reference, and refused when malformed."""

from __future__ import annotations

import pytest

from budapest_coop import law
from budapest_coop._data import DataError
from budapest_coop.citations import Citation

ARTICLES_TAUGHT = ["1", "14", "15", "16", "17", "18", *[str(n) for n in range(23, 36)]]
PROTOCOL_ARTICLES = [str(n) for n in range(6, 15)]


@pytest.mark.parametrize("article", ARTICLES_TAUGHT)
def test_every_convention_article_taught_is_present(article):
    """Articles 1, 14-18 and 23-35 of the Convention each have a record and a title."""
    assert law.cite(article).citation.article == article
    assert law.article_title(article)


@pytest.mark.parametrize("article", PROTOCOL_ARTICLES)
def test_every_protocol_article_taught_is_present(article):
    """Articles 6-14 of the Second Protocol each have a record."""
    assert law.cite(f"SAP {article}").citation.instrument == "CETS 224"


@pytest.mark.parametrize("letter", "abcdef")
def test_article_29_2_has_every_letter(letter):
    """Each element (a)-(f) of Article 29(2) has its own verified paraphrase."""
    provision = law.cite(f"29(2)({letter})")
    assert provision.citation == Citation("29", "2", letter)
    assert provision.verified


def test_cite_falls_back_to_the_paragraph_then_the_article():
    """A reference finer than the data returns the closest enclosing record."""
    assert law.cite("29(7)(z)").key == "29(7)"


def test_cite_unknown_article_says_so():
    """An article the course does not cover raises KeyError naming it."""
    with pytest.raises(KeyError, match="Art. 2 Budapest Convention"):
        law.cite("2")


def test_unverified_points_are_flagged():
    """Points the notes give from memory are marked unverified and say so when shown."""
    provision = law.cite("27(9)")
    assert not provision.verified
    assert "not yet verified" in provision._repr_markdown_()
    assert "not yet verified" in provision._repr_html_()


def test_provisions_table_lists_article_29():
    """The table view lists Article 29's paragraphs in order with their status."""
    table = law.provisions_table(article="29")
    assert list(table.columns) == ["citation", "summary", "verified"]
    assert table["citation"].iloc[0] == "Art. 29 Budapest Convention"
    assert table["verified"].all()


@pytest.mark.parametrize(
    ("provision", "article_fields", "message"),
    [
        ({"summary": {"en": "no ref"}}, {"verified": True}, "fake.yaml, article 29.*without 'ref'"),
        ({"ref": "29(1)", "summary": {"en": "text"}}, {}, "'verified' must be true or false"),
    ],
    ids=["without citation", "without verification status"],
)
def test_loader_refuses_a_malformed_record(monkeypatch, provision, article_fields, message):
    """A provision without its `ref`, or without saying whether it is verified, is refused by name."""
    fake = {"instrument": "ETS 185", "articles": [
        {"article": "29", "title": {"en": "x"}, "source": "s", **article_fields, "provisions": [provision]}
    ]}
    monkeypatch.setattr(law, "yaml_files", lambda folder: ["fake.yaml"])
    monkeypatch.setattr(law, "load_yaml", lambda *parts: fake)
    law._law.cache_clear()
    try:
        with pytest.raises(DataError, match=message):
            law.cite("29")
    finally:
        law._law.cache_clear()


def test_errors_show_as_one_line_in_notebooks():
    """A trainee's bad reference shows one line in Jupyter, not a traceback."""
    from budapest_coop.citations import CitationError, parse_citation

    for call, kind in ((lambda: law.cite("2"), KeyError), (lambda: parse_citation("twenty"), CitationError)):
        with pytest.raises(kind) as caught:
            call()
        lines = caught.value._render_traceback_()
        assert len(lines) == 1 and "'" not in lines[0][:12]
