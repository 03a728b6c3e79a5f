"""The /salesmeet grammar: each form, and what a user is told when it is wrong."""

import pytest

from bot.command import (
    CancelMeeting,
    Help,
    ListMeetings,
    OpenModal,
    Schedule,
    ShowMeeting,
    parse_command,
)
from bot.feature import verbs
from entities.errors import UserError
from salesmeet.features import FEATURES


def parse(text: str):
    """The grammar with every feature's verbs, as the app reads commands."""
    return parse_command(text, verbs(FEATURES))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", OpenModal()),
        ("   ", OpenModal()),
        ("help", Help()),
        ("HELP", Help()),
        ("list", ListMeetings(mine=False)),
        ("list mine", ListMeetings(mine=True)),
        ("show #12", ShowMeeting(12)),
        ("show 12", ShowMeeting(12)),
        ("cancel #3", CancelMeeting(3)),
        ("cancel 3", CancelMeeting(3)),
    ],
)
def test_simple_commands(text, expected):
    assert parse(text) == expected


def test_schedule_with_every_clause():
    parsed = parse(
        'schedule "Pipeline review" tomorrow 3pm for 45m with <@U1|maya>, jane@acme.com'
        " type product via <https://zoom.us/j/1>"
    )
    assert parsed == Schedule(
        title="Pipeline review",
        when="tomorrow 3pm",
        duration="45m",
        attendees="<@U1|maya>, jane@acme.com",
        purpose="product",
        venue="<https://zoom.us/j/1>",
    )


def test_schedule_clauses_in_any_order_and_smart_quotes():
    parsed = parse("schedule “Q4 plan” fri 9:30 via call type strategy for 1h")
    assert parsed == Schedule(
        "Q4 plan", "fri 9:30", duration="1h", purpose="strategy", venue="call"
    )


def test_schedule_only_title_and_time():
    assert parse('schedule "Standup" in 2 hours') == Schedule("Standup", "in 2 hours")


def test_repeat_key_ignores_case_and_spacing():
    a = parse('schedule "Standup"  tomorrow  3pm')
    b = parse('schedule "standup" tomorrow 3PM')
    c = parse('schedule "standup" tomorrow 4pm')
    assert a.request_key == b.request_key != c.request_key


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("schedule", "Tell me what and when"),
        ("schedule Pipeline tomorrow 3pm", "Put the title in quotes"),
        ('schedule "Pipeline tomorrow 3pm', "Put the title in quotes"),
        ('schedule "  " tomorrow', "needs a title"),
        ('schedule "Pipeline"', "Say when"),
        ('schedule "Pipeline" for 1h', "Say when"),
        ('schedule "P" tomorrow 3pm for 1h for 2h', "only once"),
        ("show", "Give the meeting's number"),
        ("show #abc", "Give the meeting's number"),
        ("cancel", "Give the meeting's number"),
        ("list everything", "list mine"),
        ("dance", "I don't know “dance”"),
        ("x" * 2001, "too long"),
    ],
)
def test_malformed_commands_say_what_is_wrong(text, says):
    with pytest.raises(UserError) as caught:
        parse(text)
    shown = caught.value.message.format(**caught.value.params)
    assert says in shown


def test_har_is_a_clause_word_only_before_a_word_of_time():
    """`har` is Hinglish for "every", and also a name: `with @ravi, Har Kishan` stays a name."""
    typed = parse_command('schedule "Sync" tomorrow 3pm with @ravi, Har Kishan')
    assert typed.attendees == "@ravi, Har Kishan" and typed.every is None
    assert parse_command('schedule "Sync" kal 3 baje har hafte').every == "hafte"
