"""The translation glossary (docs/glossary.md), read a second time against the catalogues.

For a few terms whose English means one thing wherever it appears, every sentence in the
Bahasa Melayu and Hindi catalogues whose English says the term must say the glossary's
rendering of it, or one of the alternatives the glossary's cell lists after " / "."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
# The glossary's column for each catalogue.
COLUMNS = {"ms": "Bahasa Melayu", "hi": "हिन्दी"}
# Unambiguous terms: wherever the English says one of these, it means the glossary's term.
CHECKED = (
    "agenda",
    "organiser",
    "attendee",
    "reminder",
    "manager",
    "customer",
    "outcome",
    "digest",
    "action item",
    "top performer",
    "guest",
    "occurrence",
    "shout-out",
    "leaderboard",
)
# What is not prose in an English sentence: what users type (`schedule`, kept English by
# the glossary's rule), placeholders ({organiser}) and Slack emoji (:tada:).
NOT_PROSE = re.compile(r"`[^`]*`|\{[^{}]*\}|(?<!\w):[a-z0-9_+-]+:(?!\w)")
SEPARATOR = re.compile(r":?-+:?")


def normal(text: str) -> str:
    """For comparing: one Unicode form (Devanagari nukta letters come either way), one case."""
    return unicodedata.normalize("NFC", text).casefold()


@cache
def glossary() -> dict[str, dict[str, tuple[str, ...]]]:
    """The glossary's table: English term -> {"ms"/"hi": its renderings}."""
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    header: list[str] | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None  # a table ends at the first line that is not one of its rows
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if all(SEPARATOR.fullmatch(cell) for cell in cells):
            continue
        if "English" not in header or not all(c in header for c in COLUMNS.values()):
            continue  # some other table
        row = dict(zip(header, cells, strict=True))
        terms[normal(row["English"])] = {
            language: tuple(alt.strip() for alt in row[column].split(" / ") if alt.strip())
            for language, column in COLUMNS.items()
        }
    return terms


@cache
def catalogue(language: str) -> Catalog:
    with open(ROOT / "bot" / "locale" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def forms(text: str | tuple[str, ...] | list[str]) -> list[str]:
    """A message's id or translation, singular and plurals."""
    return [text] if isinstance(text, str) else list(text)


def says(term: str) -> re.Pattern[str]:
    """The term as a whole word, singular or plural; its words joined by a space or a hyphen
    ("top-performer post")."""
    words = r"[\s-]".join(re.escape(word) for word in term.split())
    return re.compile(rf"(?<!\w){words}s?(?!\w)", re.IGNORECASE)


def test_the_glossary_gives_each_checked_term_in_both_languages():
    terms = glossary()
    missing = [t for t in CHECKED if t not in terms or not all(terms[t].values())]
    assert missing == [], f"no row, or an empty cell, in docs/glossary.md for: {missing}"


@pytest.mark.parametrize("language", sorted(COLUMNS))
@pytest.mark.parametrize("term", CHECKED)
def test_the_catalogue_says_the_term_the_glossarys_way(term, language):
    renderings = glossary()[term][language]
    english_says = says(term)
    checked, off = 0, []
    for message in catalogue(language):
        if not message.id or message.fuzzy:
            continue  # the header; a fuzzy entry is not shown to anyone
        if forms(message.id)[0].startswith("/salesmeet"):
            continue  # an example command (`Example`): typed text, English words kept
        if not any(english_says.search(NOT_PROSE.sub(" ", e)) for e in forms(message.id)):
            continue
        translations = [t for t in forms(message.string) if t]
        if not translations:
            continue  # untranslated: the reader sees the English
        checked += 1
        for translation in translations:
            if not any(normal(r) in normal(translation) for r in renderings):
                off.append(f"{forms(message.id)[0]!r} -> {translation!r}")
    assert checked, f"no {language} sentence says “{term}”: is the match right?"
    assert off == [], (
        f"“{term}” should read {' / '.join(renderings)} in {language} (docs/glossary.md):\n"
        + "\n".join(off)
    )
