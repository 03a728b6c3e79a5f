"""Lengths of time as people say them, in each supported language, through Babel."""

from datetime import timedelta

import pytest

from bot.i18n import translator


@pytest.mark.parametrize(
    ("locale", "minutes", "said"),
    [
        ("en-US", 15, "15 minutes"),
        ("en-US", 60, "1 hour"),
        ("en-US", 90, "1 hour, 30 minutes"),
        ("en-US", 480, "8 hours"),
        ("en-US", 24 * 60, "1 day"),
        ("ms", 90, "1 jam, 30 minit"),
        ("hi", 120, "2 घंटे"),
    ],
)
def test_a_duration_is_said_in_the_largest_units_that_fit(locale, minutes, said):
    assert translator(locale).duration(timedelta(minutes=minutes)) == said


def test_the_confirmation_says_an_hour_and_a_half_not_ninety_minutes(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 90m')
    shown = maya.sees()
    assert "1 hour, 30 minutes" in shown and "90 minutes" not in shown
