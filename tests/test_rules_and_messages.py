"""Rule books and message files agree: every code has a rule, a message, and a real citation."""

from __future__ import annotations

import re
import string

import pytest

from budapest_coop import law
from budapest_coop._data import load_yaml, yaml_files
from budapest_coop.messages import finding_text, languages, ui_text
from budapest_coop.rules import rule_book

BOOKS = [name.removesuffix(".yaml") for name in yaml_files("rules")]
PRESERVATION_SOURCE = open(
    __import__("budapest_coop.preservation").preservation.__file__, encoding="utf-8"
).read()


@pytest.mark.parametrize("book", BOOKS)
def test_every_rule_has_an_english_message_that_formats(book):
    """Each rule's message and fix exist and fill in with any values without error."""
    for code in rule_book(book):
        message, fix = finding_text(code, "en", field="f", value="v", hint="h", state="S")
        assert message and fix, code


@pytest.mark.parametrize("book", BOOKS)
def test_rule_book_and_its_message_file_match(book):
    """Every rule of data/rules/<book>.yaml has English words in messages/en/<book>.yaml, and vice versa."""
    texts = set(load_yaml("messages", "en", f"{book}.yaml")["findings"])
    assert set(rule_book(book)) == texts


@pytest.mark.parametrize("book", BOOKS)
def test_every_treaty_citation_resolves_to_law_data(book):
    """A rule citing the Convention or the Protocol cites a provision that exists in the law data."""
    for rule in rule_book(book).values():
        if rule.citation.is_treaty:
            assert law.cite(rule.citation).citation.article == rule.citation.article, rule.code


def test_every_code_the_checker_emits_has_a_rule():
    """Each code preservation.py can emit is in the preservation rule book, and vice versa."""
    emitted = set(re.findall(r'Hit\(\s*"([a-z0-9_.]+)"', PRESERVATION_SOURCE))
    emitted |= {f"request.{name}" for name in re.findall(r'read\.hit\(\s*"([a-z0-9_]+)"', PRESERVATION_SOURCE)}
    emitted |= {"request.field_unknown", "request.wrong_type", "request.not_a_dict"}  # emitted by InputReader itself
    assert emitted == set(rule_book("preservation"))


def test_message_placeholders_are_plain_names():
    """Message templates use only named placeholders (a literal brace must be doubled)."""
    for language in languages():
        for name in yaml_files(f"messages/{language}"):
            doc = load_yaml("messages", language, name) or {}
            for code, entry in (doc.get("findings") or {}).items():
                for text in (entry["message"], entry.get("fix", "")):
                    for _, field, _, _ in string.Formatter().parse(text):
                        assert field is None or field.isidentifier(), (name, code, field)


def test_unknown_language_is_refused_clearly():
    """Asking for a language with no message folder names the languages available."""
    with pytest.raises(ValueError, match="available: en"):
        finding_text("facts.missing", "xx")


def test_ui_texts_exist():
    """The widget's labels come from the message files."""
    assert ui_text("builder_title") == "Preservation request builder"
