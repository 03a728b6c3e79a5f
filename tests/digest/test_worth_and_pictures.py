"""The ranking by worth and the pictures, as pure functions: what each series is advised,
and what a reader in another language is told the picture shows."""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.i18n import translator
from bot.workspace import WorkspaceSettings
from features.digest.charts import PERSON_HEIGHT_PX, WIDTH_PX, short_name
from features.digest.figures import PersonLoad, week_figures
from features.digest.history import WeekTotal
from features.digest.pictures import person_picture, team_picture
from features.digest.service import Report
from features.digest.worth import CUT, SHORTEN, SPACE, rank
from tests.digest.test_grammar_and_figures import MONDAY, meeting
from tests.digest.test_private_figures import png_size

WEEKLY = "FREQ=WEEKLY"


@pytest.mark.parametrize(
    ("minutes", "rrule", "answers", "advice", "command"),
    [
        (60, WEEKLY, (2, 3), SHORTEN, "edit #1 for 30m"),
        (90, WEEKLY, (1, 2), SHORTEN, "edit #1 for 45m"),
        (30, WEEKLY, (2, 3), SPACE, "edit #1 every other week"),
        (30, WEEKLY + ";INTERVAL=2", (2, 3), SPACE, None),  # already: advice only
        (30, "FREQ=DAILY", (2, 3), SPACE, None),  # a daily meeting: advice only
        (60, WEEKLY, (0, 4), CUT, "cancel #1"),
        (60, WEEKLY, (4, 1), None, None),  # 80% found it worth it: not weak
    ],
)
def test_what_each_series_is_advised(minutes, rrule, answers, advice, command):
    series = meeting(1, MONDAY, minutes, ["UA", "UB"], rrule=rrule)
    (worth,) = rank([series], {1: 1}, 100.0, {1: answers})
    assert worth.suggestion == advice and worth.command == command


def test_too_few_answers_say_nothing_and_the_ranking_is_by_cost_not_found_worth_it():
    small = meeting(1, MONDAY, 30, ["UA"], rrule=WEEKLY)  # 1 attendee-hour a week
    big = meeting(2, MONDAY, 60, ["UA", "UB", "UC"], rrule=WEEKLY)  # 4 attendee-hours
    daily = meeting(3, MONDAY, 60, ["UA"], rrule="FREQ=DAILY")
    ranked = rank([small, big, daily], {}, 100.0, {1: (0, 5), 2: (3, 2), 3: (1, 1)})
    assert [w.meeting.number for w in ranked] == [2, 1]  # #3: two answers only
    assert ranked[0].attendee_hours_week == pytest.approx(4.0)


def report_of(people: dict[str, float]) -> Report:
    """A week with these people's hours, after seven weeks of 10 to 16 attendee-hours."""
    f = week_figures("T1", MONDAY, MONDAY + timedelta(days=7), [], WorkspaceSettings(), MONDAY)
    f = replace(f, people=tuple(PersonLoad(u, h, 0.0, 1) for u, h in people.items()))
    weeks = tuple(
        WeekTotal(MONDAY - timedelta(weeks=7 - n), 10.0 + n, 1000.0 + 100 * n, dict(people))
        for n in range(8)
    )
    return Report(f, weeks)


def test_a_managers_picture_in_hindi_says_the_same_in_words():
    report = report_of({"URAVI": 17.0, "USAM": 4.0})
    tr = translator("hi")
    picture = team_picture(tr, report, {"URAVI": "ravi", "USAM": "सैम"}.get, True, "UOLIVIA")
    width, height = png_size(picture.png)
    assert width == WIDTH_PX and height > PERSON_HEIGHT_PX
    assert "ravi" in picture.alt and "सैम" in picture.alt  # the alt text names everyone
    assert "₹" not in picture.alt and "$1,700" in picture.alt.replace("US$", "$")
    assert short_name("सैम") == ""  # the chart's font can't write it: the user id instead
    assert len(picture.alt) <= 2000


def test_a_persons_picture_is_their_weeks_against_the_limit():
    report = report_of({"URAVI": 17.0})
    picture = person_picture(translator("en"), report, "URAVI")
    assert png_size(picture.png) == (WIDTH_PX, PERSON_HEIGHT_PX)
    assert "against the limit of 15 h" in picture.alt and "17 h" in picture.alt
