"""The recognition verbs: what people type, and the answer when it can't be read."""

import pytest

from bot.command import parse_command
from bot.feature import verbs
from bot.i18n import translator
from entities.errors import UserError
from features.recognition.amounts import money, parse_amount, resolve_currency
from features.recognition.grammar import (
    ClearGoal,
    GiveShoutout,
    LogWin,
    SetGoal,
    ShowGoal,
    ShowLeaderboard,
)
from salesmeet.features import FEATURES


def parse(text: str):
    """The grammar with every feature's verbs, as the app reads commands."""
    return parse_command(text, verbs(FEATURES))


def said(error: pytest.ExceptionInfo) -> str:
    return translator(None).error(error.value)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12,500", 1_250_000),
        ("12500", 1_250_000),
        ("12.5k", 1_250_000),
        ("12.5K", 1_250_000),
        ("1.2m", 120_000_000),
        ("12500.50", 1_250_050),
        ("1,234,567.89", 123_456_789),
        (".5k", 50_000),
        ("0.015", 2),  # rounded to the cent
    ],
)
def test_amounts_people_write(typed, cents):
    assert parse_amount(typed) == (cents, None)


@pytest.mark.parametrize(
    ("typed", "cents", "currency"),
    [("€900", 90_000, "EUR"), ("£1.5k", 150_000, "GBP"), ("RM2,000", 200_000, "MYR")],
)
def test_amounts_with_a_currency_symbol(typed, cents, currency):
    assert parse_amount(typed) == (cents, currency)


@pytest.mark.parametrize("typed", ["0", "0.00", "-500", "−500", "0k", "0.001"])
def test_zero_and_negative_amounts_are_refused_with_an_example(typed):
    with pytest.raises(UserError) as error:
        parse_amount(typed)
    assert "more than zero" in said(error) and "/salesmeet win 12,500" in said(error)


@pytest.mark.parametrize("typed", ["abc", "12,50", "1.2.3", "12k5", "1,2345", "12.5kk", "k"])
def test_unreadable_amounts_are_refused_with_examples(typed):
    with pytest.raises(UserError) as error:
        parse_amount(typed)
    assert "couldn't read" in said(error) and "`12.5k`" in said(error)


def test_absurd_amounts_are_refused():
    with pytest.raises(UserError) as error:
        parse_amount("5000000m")
    assert "too large" in said(error)


def test_dollar_sign_follows_a_dollar_workspace():
    assert resolve_currency("$", "SGD") == "SGD"
    assert resolve_currency("$", "MYR") == "USD"
    assert resolve_currency(None, "MYR") == "MYR"


def test_money_shows_the_iso_code():
    assert money(1_250_000, "USD") == "12,500 USD"
    assert money(1_250_050, "MYR") == "12,500.50 MYR"
    assert money(1_250_000, "EUR", "de") == "12.500 EUR"


def test_shoutout_with_escaped_mentions():
    assert parse("shoutout <@URAVI|ravi> for the Acme demo") == GiveShoutout(
        ("URAVI",), "for the Acme demo"
    )
    assert parse("shoutout <@URAVI> great demo") == GiveShoutout(("URAVI",), "great demo")


def test_shoutout_to_several_people():
    command = parse("shoutout <@URAVI>, <@USAM> and <@UOLIVIA|olivia>: the pilot")
    assert command == GiveShoutout(("URAVI", "USAM", "UOLIVIA"), "the pilot")


def test_a_mention_later_in_the_reason_stays_in_the_reason():
    command = parse("shoutout <@URAVI> for helping <@USAM> close Acme")
    assert command.recipients == ("URAVI",)
    assert command.reason == "for helping <@USAM> close Acme"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("shoutout", "Say who the shout-out is for"),
        ("shoutout great job", "Say who the shout-out is for"),
        ("shoutout <@URAVI>", "Say why they deserve it"),
        ("shoutout <@URAVI>   ", "Say why they deserve it"),
        ("shoutout @ravi great demo", "couldn't tell who “@ravi” is"),
        ("shoutout <!channel> great week", "not to channels or groups"),
        ("shoutout <!subteam^S1|sales> great week", "not to channels or groups"),
        ("shoutout <@URAVI> " + "x" * 501, "under 500 characters"),
    ],
)
def test_shoutout_mistakes(typed, says):
    with pytest.raises(UserError) as error:
        parse(typed)
    assert says in said(error)


def test_win_forms():
    assert parse("win 12,500 Acme renewal") == LogWin(1_250_000, None, "Acme renewal")
    assert parse("win 12.5k MYR Acme renewal") == LogWin(1_250_000, "MYR", "Acme renewal")
    assert parse("win 12.5k usd Acme") == LogWin(1_250_000, "USD", "Acme")
    assert parse("win EUR 900 Globex add-on") == LogWin(90_000, "EUR", "Globex add-on")
    assert parse("win 1.2m Initech for <@URAVI|ravi>") == LogWin(
        120_000_000, None, "Initech", "URAVI"
    )
    assert parse("win for <@URAVI> 5k Initech") == LogWin(500_000, None, "Initech", "URAVI")
    # A note starting with an ISO code that is also a word stays a note.
    assert parse("win 5k top account renewal").note == "top account renewal"
    assert parse("win 5k all seats").currency is None
    # "for" without a mention is part of the note.
    assert parse("win 5k upsell for the EMEA team").note == "upsell for the EMEA team"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("win", "how much the deal was worth"),
        ("win 12,500", "a few words about the deal"),
        ("win 12,500 USD", "a few words about the deal"),
        ("win Acme 12,500", "couldn't read “Acme” as an amount"),
        ("win -5k Acme", "more than zero"),
        ("win 0 Acme", "more than zero"),
        ("win 5k Acme for @ravi", "couldn't tell who “@ravi” is"),
        ("win 5k Acme for <@URAVI> for <@USAM>", "one person at a time"),
        ("win 5k " + "x" * 301, "under 300 characters"),
    ],
)
def test_win_mistakes(typed, says):
    with pytest.raises(UserError) as error:
        parse(typed)
    assert says in said(error)


def test_goal_forms():
    assert parse("goal") == ShowGoal()
    assert parse("goal clear") == ClearGoal()
    assert parse("goal 100k per month") == SetGoal(10_000_000, "month")
    assert parse("goal 250,000 per quarter") == SetGoal(25_000_000, "quarter")
    assert parse("goal 250,000 USD per quarter") == SetGoal(25_000_000, "quarter", "USD")
    assert parse("goal 100k a month") == SetGoal(10_000_000, "month")
    assert parse("goal 100k/month") == SetGoal(10_000_000, "month")
    assert parse("goal 300k quarterly") == SetGoal(30_000_000, "quarter")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("goal 100k", "per month or per quarter"),
        ("goal 100k per week", "per month or per quarter"),
        ("goal 0 per month", "more than zero"),
        ("goal lots per month", "couldn't read “lots”"),
        ("goal per month", "how much the goal is"),
        ("goal please", "/salesmeet goal 100k per month"),
    ],
)
def test_goal_mistakes(typed, says):
    with pytest.raises(UserError) as error:
        parse(typed)
    assert says in said(error)


def test_leaderboard_forms():
    assert parse("leaderboard") == ShowLeaderboard("week")
    assert parse("leaderboard month") == ShowLeaderboard("month")
    assert parse("leaderboard QUARTER") == ShowLeaderboard("quarter")
    assert parse("leaderboard this week") == ShowLeaderboard("week")
    assert parse("leaderboard last month") == ShowLeaderboard("month", previous=True)
    with pytest.raises(UserError) as error:
        parse("leaderboard year")
    assert "`week`, `month` or `quarter`" in said(error)
