"""The local console, driven as a person would: lines typed in, the transcript read back."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n import translator
from console.blocks import Reader, mrkdwn
from console.demo import next_monday, script
from console.session import BANNER, Console, parse_span
from salesmeet.compose import open_database
from simulator.requests import markup
from simulator.workspace import LOCAL
from storage.meetings import MeetingStore
from tests.console.transcripts import START, after

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def play(tmp_path):
    """play(*lines) -> the transcript of a console session on one database, everyone in
    English (the console's languages: test_console_languages.py)."""
    consoles: list[Console] = []

    def run(*lines: str) -> str:
        console = Console(str(tmp_path / "console.db"), start=START, languages={})
        consoles.append(console)
        try:
            return console.run(lines)
        finally:
            console.close()

    return run


def test_banner_says_what_this_is_and_how_to_connect_slack(play):
    shown = play()
    assert "SalesMeet local console" in shown
    assert "maya (Kuala Lumpur)" in shown and "olivia (London, admin)" in shown
    assert "SLACK_BOT_TOKEN" in shown and "#sales" in shown
    assert "Mon 23 Nov 09:00 Kuala Lumpur time" in shown


def test_schedule_shows_the_channel_post_and_the_private_confirmation(play):
    typed = '/salesmeet schedule "Q4 review" tomorrow 3pm for 45m with @ravi, jane@acme.com'
    shown = after(play(typed), typed)
    channel, private = shown.split("#sales · SalesMeet (only you see this)")
    assert channel.startswith("#sales · SalesMeet")
    assert "@maya scheduled meeting #1: *Q4 review*" in channel
    assert "tomorrow at 15:00 for 45 minutes" in channel
    assert "@ravi, jane@acme.com (guest)" in channel
    assert "Scheduled meeting #1" in private


def test_every_reader_sees_times_in_their_own_zone(play):
    shown = play(
        '/salesmeet schedule "Q4 review" tomorrow 3pm',
        "/salesmeet list",
        ":as sam",
        "/salesmeet list",
        ":as ravi",
        "/salesmeet show #1",
    )
    maya, sam, ravi = shown.split("> /salesmeet list")[1], *shown.split("> /salesmeet")[3:5]
    assert "tomorrow at 15:00" in maya  # Tuesday 15:00 in Kuala Lumpur
    assert "Tue 24 Nov at 02:00" in sam  # still Sunday evening in New York
    assert "tomorrow at 12:30" in ravi  # Mumbai
    assert "You are now sam (Sam Carter, New York)" in shown


def test_moving_the_clock_fires_agenda_prompt_and_reminder_on_time(play):
    shown = play(
        '/salesmeet schedule "Q4 review" tomorrow 3pm with @ravi via https://zoom.us/j/1',
        ":advance 5h",
        ":advance 1h",
        ":at tomorrow 2:50pm",
    )
    assert ":memo:" not in after(shown, ":advance 5h")
    prompt = after(shown, ":advance 1h")
    assert "── Mon 23 Nov 15:00 (Kuala Lumpur time)" in prompt
    assert "*Agenda for #1 Q4 review*, tomorrow at 15:00" in prompt  # never "on tomorrow"
    assert re.search(r"\[Add agenda item\] \(press \d+\)", prompt)
    reminder = after(shown, ":at tomorrow 2:50pm")
    assert "── Tue 24 Nov 14:45 (Kuala Lumpur time)" in reminder
    assert ":alarm_clock: *#1 Q4 review* starts today at 15:00" in reminder
    assert "Join: Zoom (https://zoom.us/j/1)" in reminder
    assert "It is now Tue 24 Nov 14:50 Kuala Lumpur time (23h50m later)." in reminder
    assert shown.count(":alarm_clock:") == 1 and shown.count(":memo:") == 1


def test_a_meeting_inside_the_reminder_lead_is_reminded_at_once_not_late(play):
    typed = '/salesmeet schedule "Quick sync" in 10 minutes'
    shown = play(typed, ":advance 1h")
    assert ":alarm_clock: *#1 Quick sync* starts today at 09:10" in after(shown, typed)
    assert ":alarm_clock:" not in after(shown, ":advance 1h")
    assert "Sent late" not in shown


def test_a_button_opens_a_modal_that_the_console_fills_in(play):
    shown = play(
        '/salesmeet schedule "Q4 review" tomorrow 3pm with @ravi',
        ":advance 6h",
        ":as ravi",
        ":press Add agenda item",
        ":modal item=Top five deals at risk",
        ":at tomorrow 12:20pm",
    )
    modal = after(shown, ":press Add agenda item")
    assert "┌ Modal for ravi: Add agenda item" in modal
    assert "item: Item for #1 Q4 review (plain text input, required)" in modal
    added = after(shown, ":modal item=Top five deals at risk")
    assert "(only you see this)" in added and "Top five deals at risk" in added
    reminder = after(shown, ":at tomorrow 12:20pm")
    assert "• Top five deals at risk (@ravi)" in reminder


def test_the_scheduling_modal_field_by_field(play, tmp_path):
    shown = play(
        "/salesmeet",
        ":modal",
        "Forecast",  # title
        "2026-11-25",  # date
        "4pm",  # time
        "60",  # duration
        "shortfall",  # purpose
        "",  # format: keep
        "",  # link
        "ravi, sam",  # attendees
        "",  # guests
        "",  # channel: #sales by default
    )
    form = after(shown, "/salesmeet")
    assert "┌ Modal for maya: Schedule a meeting" in form
    assert "date: Date (datepicker, required)" in form
    assert "channel: Announce in (conversations select, required)  = #sales" in form
    assert "  Title: Forecast" in shown and "  Duration [30]: 60" in shown
    assert "  Announce in [#sales]: " in shown
    assert "@maya scheduled meeting #1: *Forecast*" in shown
    assert "Wed 25 Nov at 16:00 for 1 hour" in shown and "@ravi, @sam" in shown


def test_modal_mistakes_are_answered_and_the_modal_stays_open(play):
    shown = play(
        "/salesmeet",
        ":modal date=2026-11-25 time=16:00",
        ":modal title=Forecast date=2026-11-20 time=16:00",
        ":modal time=25:00",
        ":modal nonsense=1",
        ":modal title=Forecast date=2026-11-25 time=16:00 attendees=nobody",
        ":close",
        ":modal title=x",
    )
    assert "Slack wouldn't submit yet: fill in Title." in after(
        shown, ":modal date=2026-11-25 time=16:00"
    )
    past = after(shown, ":modal title=Forecast date=2026-11-20 time=16:00")
    assert past.startswith("The modal says:") and "time:" in past
    assert "“25:00” is not a time of day" in after(shown, ":modal time=25:00")
    assert "has no field “nonsense”" in after(shown, ":modal nonsense=1")
    assert "“nobody” is nobody here" in shown
    assert "Closed “Schedule a meeting”." in after(shown, ":close")
    assert "No modal is open for you." in after(shown, ":modal title=x")
    assert "scheduled meeting" not in shown


def test_user_text_is_shown_literally_never_as_a_ping_or_a_link(play):
    shown = play('/salesmeet schedule "<!channel> party <https://evil.example|click>" fri 6pm')
    assert "*<!channel> party <https://evil.example|click>*" in shown
    assert "@channel" not in shown and "click (https://evil.example)" not in shown


def test_console_commands_and_their_mistakes(play):
    shown = play(
        ":help",
        ":who",
        ":as nobody",
        ":advance soon",
        ":advance 200d",
        ":at yesterday 3pm",
        ":at",
        ":press 9",
        ":press Nothing like it",
        ":frobnicate",
        "/remind me",
        "hello",
        ":as olivia",
        ":now",
    )
    assert ":advance <span>" in shown and ":press <n> [option]" in shown and ":quit" in shown
    assert "olivia  Olivia Brown  London, admin: Mon 23 Nov 01:00" in shown
    assert "Nobody called “nobody” here." in shown
    assert "Say how far: :advance 30m" in after(shown, ":advance soon")
    assert "At most 92 days at a time" in after(shown, ":advance 200d")
    assert "has already passed" in after(shown, ":at yesterday 3pm")
    assert "Say when, in your own zone" in after(shown, ":at")
    assert "Say which button" in after(shown, ":press 9")
    assert "Say which button" in after(shown, ":press Nothing like it")
    assert "There is no :frobnicate." in shown
    assert "Only /salesmeet is installed" in shown
    assert "Type /salesmeet … to talk to SalesMeet" in after(shown, "hello")
    assert "← you" in after(shown, ":now").split("olivia ")[1]


def test_only_the_person_shown_a_private_button_can_press_it(play):
    shown = play(":home", ":as sam", ":press 1", ":as maya", ":press 1")
    assert "App Home of maya" in shown and "[Schedule a meeting] (press 1)" in shown
    assert after(shown, ":press 1", 0) == "Only maya can see that button."
    assert "┌ Modal for maya: Schedule a meeting" in after(shown, ":press 1", 1)


def test_what_was_done_is_kept_in_the_database(play, tmp_path):
    play('/salesmeet schedule "Kept" tomorrow 3pm', ":quit", "/salesmeet list")
    assert stored_title(tmp_path) == "Kept"
    shown = play("/salesmeet list")
    assert "*#1 Kept*" in after(shown, "/salesmeet list")


def stored_title(tmp_path) -> str | None:
    database = open_database(str(tmp_path / "console.db"))
    try:
        meeting = MeetingStore(database).get("TLOCAL", 1)
        return meeting.title if meeting else None
    finally:
        database.close()


def test_quit_stops_reading(play):
    shown = play(":quit", "/salesmeet list")
    assert "Bye." in shown and "/salesmeet list" not in shown


def test_requests_carry_a_real_signature(tmp_path):
    console = Console(str(tmp_path / "c.db"), start=START, languages={})
    try:
        console._secret = "not-the-secret"  # the app still checks with the real one
        shown = console.run(["/salesmeet list"])
    finally:
        console.close()
    assert "SalesMeet answered HTTP 401" in shown


def test_typed_mentions_channels_links_and_emails_become_slack_markup():
    typed = 'schedule "x" fri 3pm with @ravi, jane@acme.com via https://zoom.us/j/1 #sales'
    text = markup(typed, LOCAL)
    assert "<@URAVI|ravi>" in text and "<mailto:jane@acme.com|jane@acme.com>" in text
    assert "<https://zoom.us/j/1>" in text and "<#CSALES|sales>" in text
    assert markup("cancel #12 @here @nobody", LOCAL) == "cancel #12 <!here> @nobody"
    # What is markup already is sent as it is.
    assert markup("with <@URAVI|ravi> in <#CSALES|sales>", LOCAL) == (
        "with <@URAVI|ravi> in <#CSALES|sales>"
    )


def test_spans():
    assert parse_span("1d2h").total_seconds() == 26 * 3600
    assert parse_span("1w").days == 7 and parse_span("30m").total_seconds() == 1800
    assert parse_span("2x") is None and parse_span("") is None


def test_the_demo_plays_a_week(tmp_path):
    monday = next_monday(START)
    console = Console(str(tmp_path / "demo.db"), start=monday)
    try:
        shown = console.run(script(monday))
    finally:
        console.close()
    assert "Traceback" not in shown
    assert not [line for line in shown.splitlines() if line.startswith("! ")]
    assert shown.count(":memo: *Agenda for") >= 3 and shown.count(":alarm_clock:") >= 3
    # Ravi reads in Hindi (the console's languages: test_console_languages.py).
    refusal = translator("hi").gettext(
        "Sorry, only the organiser (<@{organiser}>) or a manager can cancel meeting #{number}.",
        organiser="USAM",
        number=3,
    )
    assert mrkdwn(refusal, Reader(tz="Asia/Kolkata", now=monday)) in shown
    assert "will not take place: " in shown and "moved #3 *Acme demo*" in shown
    # The features' weekly posts fire as the week goes by: the digest, the top performers.
    assert ":bar_chart:" in shown and ":trophy:" in shown
    assert "Bye." in shown


def run_console(tmp_path: Path, stdin: str | None) -> subprocess.CompletedProcess:
    """`make console`: the console without a terminal (app.py without Slack settings and
    without a terminal exits 2 instead: tests/test_operate.py)."""
    return subprocess.run(
        [sys.executable, "-m", "console"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SALESMEET_DB": str(tmp_path / "data" / "salesmeet.db"),
        },
        cwd=tmp_path,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_console_reads_lines_without_a_terminal(tmp_path):
    result = run_console(
        tmp_path, '/salesmeet schedule "From the pipe" tomorrow 3pm\n/salesmeet list\n'
    )
    assert result.returncode == 0, result.stderr
    assert translator("ms").gettext(BANNER) in result.stdout  # Maya, who reads Malay
    assert "> /salesmeet list" in result.stdout and "*#1 From the pipe*" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "salesmeet.db").exists()


def test_the_console_with_an_unusable_database_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "console"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SALESMEET_DB": str(blocker / "x.db"),
        },
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SALESMEET_DB" in result.stderr and "Traceback" not in result.stderr


def test_a_command_with_the_word_payload_in_it_is_answered(tmp_path):
    """The console takes the transport's path, not Bolt's parser (which reads any form with
    "payload" in it as an empty interaction)."""
    console = Console(str(tmp_path / "c.db"), start=START, languages={})
    try:
        shown = console.run(['/salesmeet schedule "Demo payload review" tomorrow 3pm for 30m'])
        listed = console.run(["/salesmeet list"])
    finally:
        console.close()
    assert "HTTP 404" not in shown
    assert "Demo payload review" in listed
