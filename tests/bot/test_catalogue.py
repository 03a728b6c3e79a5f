"""Every sentence users read is in the message catalogue, and the catalogue is current."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import translator

ROOT = Path(__file__).resolve().parents[2]
# Every package whose sentences people read (the Makefile's `messages` target extracts the same).
CATALOGUED = ("entities", "bot", "handlers", "features", "console", "salesmeet")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Example": None}


def extracted() -> set[str]:
    found: set[str] = set()
    for package in CATALOGUED:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_catalogue_is_up_to_date_with_the_code():
    with open(ROOT / "bot" / "locale" / "messages.pot", "rb") as pot:
        catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    missing = extracted() - catalogue
    assert not missing, f"run `make messages`; not in the catalogue: {sorted(missing)[:5]}"


def test_catalogue_holds_the_main_sentences():
    messages = extracted()
    assert "The meeting needs a title." in messages
    assert any("already scheduled this" in m for m in messages)
    assert len(messages) > 60


def test_unknown_locales_fall_back_to_english():
    assert translator("xx-YY").gettext("Meeting {ref}", ref="#1") == "Meeting #1"
    assert translator("es-ES").ngettext("{n} minute", "{n} minutes", 2) == "2 minutes"


def test_no_sentence_puts_on_before_a_date_token():
    """Slack writes `{date_short_pretty}` as "today" or "tomorrow": "on {when}" would read
    "on today". Every sentence that takes a date token says it without "on"."""
    with open(ROOT / "bot" / "locale" / "messages.pot", "rb") as pot:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id]
    offending = [i for i in ids if re.search(r"\bon \{when\}", i)]
    assert offending == []
