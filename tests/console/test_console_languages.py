"""Issue 13 in the local console: its people read SalesMeet in their own languages (Maya
in Bahasa Melayu, Ravi in Hindi, the others in English), set as `/salesmeet language`
sets them; `:lang` switches the current person's; the console's own words go through the
catalogue in the current person's language; and `make demo` shows it."""

from __future__ import annotations

import gettext
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator, translator
from console.demo import next_monday, script
from console.session import Console
from simulator.workspace import LOCAL
from tests.console.transcripts import START, after

NO_MEETINGS = "You have no upcoming meetings."
NO_LIST = "No upcoming meetings in this workspace."
SCHEDULE = "Schedule a meeting"
SCHEDULED = ":white_check_mark: Scheduled meeting {ref} *{title}*, posted in {channel}."


def malay(text: str, **params: object) -> str:
    return translator("ms").gettext(text, **params)


def hindi(text: str, **params: object) -> str:
    return translator("hi").gettext(text, **params)


@pytest.fixture
def play(tmp_path):
    """play(*lines) -> the transcript of a console session, its people in their languages,
    on one database."""

    def run(*lines: str) -> str:
        console = Console(str(tmp_path / "console.db"), start=START)
        try:
            return console.run(lines)
        finally:
            console.close()

    return run


def test_the_sentences_compared_are_translated():
    for sentence in (NO_MEETINGS, SCHEDULE):
        assert malay(sentence) != sentence and hindi(sentence) != sentence


def test_maya_reads_malay_until_she_switches_to_english(play):
    shown = play(":home", "/salesmeet list", ":lang en", "/salesmeet list")
    home = after(shown, ":home")
    assert malay(NO_MEETINGS) in home and NO_MEETINGS not in home
    assert f"[{malay(SCHEDULE)}]" in home
    assert malay(NO_LIST) in after(shown, "/salesmeet list", 0)
    # :lang en is `/salesmeet language en`: App Home is published again, in English.
    switched = after(shown, ":lang en")
    assert NO_MEETINGS in switched and f"[{SCHEDULE}]" in switched
    assert "(only you see this)" in switched and "English" in switched
    assert NO_LIST in after(shown, "/salesmeet list")


def test_ravi_reads_hindi_and_sam_english(play):
    shown = play(":as ravi", ":home", "/salesmeet", ":close", ":as sam", ":home", "/salesmeet list")
    ravi = after(shown, ":home", 0)
    assert hindi(NO_MEETINGS) in ravi and NO_MEETINGS not in ravi
    modal = hindi("Modal for {name}: {title}", name="ravi", title=hindi(SCHEDULE))
    assert f"┌ {modal}" in after(shown, "/salesmeet")
    assert NO_MEETINGS in after(shown, ":home") and NO_LIST in after(shown, "/salesmeet list")


def test_lang_takes_every_choice_and_refuses_what_it_cannot_speak(play):
    shown = play(
        ":lang hi",
        "/salesmeet list",
        ":lang default",
        "/salesmeet list",
        ":lang ms",
        "/salesmeet list",
        ":lang",
        ":lang klingon",
    )
    hi_list, default_list, ms_list = (after(shown, "/salesmeet list", n) for n in range(3))
    assert hindi(NO_LIST) in hi_list
    assert NO_LIST in default_list  # no choice of her own: the workspace's English
    assert malay(NO_LIST) in ms_list
    assert "Bahasa Melayu" in after(shown, ":lang")
    assert "“klingon”" in after(shown, ":lang klingon")


def test_languages_are_kept_where_the_command_keeps_them(tmp_path):
    console = Console(str(tmp_path / "c.db"), start=START)
    try:
        directory = console.services.directory
        chosen = {
            m.name: directory.people.language(LOCAL.team_id, m.user_id) for m in LOCAL.members
        }
        assert chosen == {"maya": "ms", "ravi": "hi", "sam": None, "olivia": None}
        assert directory.reader(LOCAL.team_id, "UMAYA").language == "ms"
    finally:
        console.close()


def test_a_choice_made_in_the_console_outlives_a_restart(play):
    play(":lang en")
    shown = play("/salesmeet list")
    assert NO_LIST in after(shown, "/salesmeet list")


def test_the_banner_and_who_say_who_reads_what(play):
    shown = play(":who", ":help")
    assert "maya (Kuala Lumpur, Bahasa Melayu)" in shown and "ravi (Mumbai, हिन्दी)" in shown
    assert "sam (New York)" in shown
    you_are = malay(
        "You are {name} and read SalesMeet in {language}; :lang en (or ms, hi)"
        " changes your language, :as <name> who you are.",
        name="maya",
        language="Bahasa Melayu",
    )
    assert you_are in shown
    who = after(shown, ":who")
    assert f"Kuala Lumpur: Mon 23 Nov 09:00 · Bahasa Melayu  ← {malay('you')}" in who
    assert "New York: Sun 22 Nov 20:00 · English" in who
    assert ":lang ms|hi|en|default" in after(shown, ":help")


class Marked(gettext.NullTranslations):
    """A catalogue that marks each sentence with whose it is (after it, so prompts still
    start with the person's handle), to see what goes through it."""

    def __init__(self, whose: str) -> None:
        super().__init__()
        self.whose = whose

    def gettext(self, message: str) -> str:
        return f"{message}⟦{self.whose}⟧"


def test_the_console_says_its_own_words_in_the_current_persons_language(play, monkeypatch):
    monkeypatch.setattr(
        Console, "tr", property(lambda self: Translator(Marked(self.user.name), "en"))
    )
    shown = play(":frobnicate", ":as ravi", ":frobnicate", ":advance soon", ":close", "hello")
    assert after(shown, ":frobnicate", 0) == (
        "There is no :frobnicate. Type :help for the console's commands.⟦maya⟧"
    )
    assert after(shown, ":frobnicate").endswith("⟦ravi⟧")
    assert after(shown, ":as ravi").startswith("You are now ravi")
    for typed in (":as ravi", ":advance soon", ":close", "hello"):
        assert after(shown, typed).endswith("⟦ravi⟧"), typed
    assert "ravi in #sales · Mon 23 Nov 06:30⟦ravi⟧> hello" in shown  # the prompt too


def test_the_demo_has_a_malay_and_a_hindi_exchange(tmp_path):
    monday = next_monday(START)
    console = Console(str(tmp_path / "demo.db"), start=monday)
    try:
        shown = console.run(script(monday))
    finally:
        console.close()
    # Maya books in Malay words and times: the channel reads English, she reads Malay.
    malay_line = next(line for line in script(monday) if '"Mesyuarat jualan"' in line)
    channel, mine = after(shown, malay_line).split(f"({malay('only you see this')})")
    assert "@maya scheduled meeting #4: *Mesyuarat jualan*" in channel
    thursday = (monday + timedelta(days=3)).date()
    assert f"Thu {thursday.day} {thursday:%b} at 15:00 for 1 hour" in channel
    assert "*Attendees:* @ravi" in channel
    title = "Mesyuarat jualan"
    assert malay(SCHEDULED, ref="#4", title=title, channel="#sales") in mine
    # Ravi asks which language he reads, books in Hindi, reads Sam's demo in Hindi.
    mine = after(shown, "/salesmeet language")
    assert hindi(":speech_balloon: You read SalesMeet in {language}.", language="हिन्दी") in mine
    hindi_line = next(line for line in script(monday) if "कल दोपहर 3 बजे" in line)
    title = "मुंबई पाइपलाइन कॉल"
    mine = after(shown, hindi_line).split(f"({hindi('only you see this')})")[1]
    assert hindi(SCHEDULED, ref="#5", title=title, channel="#sales") in mine
    thursday_10am_new_york = datetime.combine(thursday, time(10), ZoneInfo("America/New_York"))
    demo = translator("hi", "Asia/Kolkata").written_date(thursday_10am_new_york)
    assert demo in after(shown, "/salesmeet show #3")
    assert f"[{SCHEDULE}]" in after(shown, ":lang en")  # Maya's App Home, in English now
