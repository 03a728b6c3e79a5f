"""Issue 13: the Malay and Hindi catalogues are complete: every id of the catalogue has a
translation, none is fuzzy, and each says the same placeholders as the English (a
sentence missing `{number}` would raise, or drop the fact, when shown)."""

from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from bot.i18n import translator

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "bot" / "locale"


def ids() -> set[str]:
    with open(LOCALE / "messages.pot", "rb") as pot:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}


def catalogue(language: str) -> dict:
    with open(LOCALE / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        found = read_po(po, locale=language)
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in found if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("language", ["ms", "hi"])
def test_every_id_is_translated_and_none_is_fuzzy(language):
    found = catalogue(language)
    missing = sorted(i for i in ids() if i not in found)
    assert missing == [], f"{language}: not translated: {missing[:5]}"
    empty = [
        i
        for i, m in found.items()
        if not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert empty == [], f"{language}: empty: {empty[:5]}"
    fuzzy = [i for i, m in found.items() if m.fuzzy]
    assert fuzzy == [], f"{language}: fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("language", ["ms", "hi"])
def test_placeholders_are_the_englishs(language):
    wrong = []
    for message in catalogue(language).values():
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(fields(e) for e in english)) - {"n"}
        for text in strings:
            if fields(text) - {"n"} != expected:
                wrong.append((english[0], text))
    assert wrong == [], f"{language}: {wrong[:3]}"


@pytest.mark.parametrize("language", ["ms", "hi"])
def test_every_sentence_can_be_shown(language):
    """Filled with made-up values, every translation formats without an error."""
    tr = translator(language)
    for message in catalogue(language).values():
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        values = {name: "x" for e in english for name in fields(e)}
        if isinstance(message.id, tuple):
            tr.ngettext(english[0], english[1], 2, **{k: v for k, v in values.items() if k != "n"})
        else:
            tr.gettext(english[0], **values)
