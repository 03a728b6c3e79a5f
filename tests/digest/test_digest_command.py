"""`/salesmeet digest [last|this|next]`: the week's figures, flags and what to cut, on demand."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.render import MAX_BLOCKS, SECTION_LIMIT
from tests.support.messages import text_of

ADMIN = "UOLIVIA"  # in London: UTC in winter, so typed times are UTC times


def book_week(slack):
    """This week (from Mon 23 Nov): a 2 h weekly forecast with Ravi and Sam, and a 1 h
    customer demo with Ravi and a guest."""
    slack.ask(
        'schedule "Forecast" 2026-11-25 10:00 for 2h with <@URAVI>, <@USAM> type strategy'
        " via https://zoom.us/j/1 every week",
        user=ADMIN,
    )
    slack.ask(
        'schedule "Acme demo" 2026-11-26 14:00 for 1h with <@URAVI>, jane@acme.com'
        " type customer via in-person",
        user=ADMIN,
    )


def test_this_week_in_figures(slack):
    book_week(slack)
    answer = slack.ask("digest", user=ADMIN)  # a manager sees everyone's hours
    assert answer["response_type"] == "ephemeral"
    shown = text_of(answer)
    assert "week of Nov 23, 2026" in shown
    # 3 h of meetings; 2 h x 3 people + 1 h x 2 people (the guest costs us nothing).
    assert "2 meetings, 3 h in all: 8 attendee-hours, an estimated $800." in shown
    assert "`▇▇░░░░░░░░` 3 h / 15 h · <@UOLIVIA> · 8% of a 40 h week" in shown
    assert "`▇▇░░░░░░░░` 3 h / 15 h · <@URAVI>" in shown
    assert "`▇░░░░░░░░░` 2 h / 15 h · <@USAM> · 5% of a 40 h week" in shown
    assert "*By purpose:* Customer presentation 1 · Strategy 1" in shown
    assert "*By format:* In person 1 · Video call 1" in shown
    assert "*Internal:* 2 h (67%) · *Customer-facing:* 1 h (33%)" in shown
    assert "There were no meetings the week before." in shown
    assert "Longer than 1 hour: #1 *Forecast* (2 hours)." in shown
    assert "Recurring with no end date: #1 *Forecast*." in shown
    assert "<@USAM> (100% of 2 h)" in shown  # all of Sam's time is the series
    assert "Over the" not in shown
    # 3 people x 2 h x $100, 52/12 times a month.
    assert "#1 *Forecast*: about $2,609 a month" in shown


def test_anyone_else_sees_the_teams_figures_and_their_own_hours_only(slack):
    book_week(slack)
    shown = text_of(slack.ask("digest", user="USAM"))
    assert "2 meetings, 3 h in all: 8 attendee-hours, an estimated $800." in shown
    assert "*Yours:* `▇░░░░░░░░░` 2 h / 15 h · <@USAM> · 5% of a 40 h week" in shown
    assert "<@UOLIVIA>" not in shown and "<@URAVI>" not in shown
    assert "Longer than 1 hour: #1 *Forecast* (2 hours)." in shown  # about meetings: shown
    assert "(100% of 2 h)" not in shown  # about Sam's own time: not in the team's flags


def test_settings_change_the_figures(slack):
    book_week(slack)
    slack.ask("config meeting-hours-limit 2.5", user=ADMIN)
    slack.ask("config working-hours 30", user=ADMIN)
    slack.ask("config hourly-cost 50 EUR", user=ADMIN)
    shown = text_of(slack.ask("digest", user=ADMIN))
    assert "an estimated €400." in shown
    assert "`▇▇▇▇▇▇▇▇▇▇` 3 h / 2.5 h · <@UOLIVIA> · 10% of a 30 h week" in shown
    assert ":red_circle: over the limit" in shown
    assert "Over the 2.5 h weekly limit: <@UOLIVIA> (3 h), <@URAVI> (3 h)." in shown


def test_last_and_next_week_with_the_change_from_the_week_before(slack):
    book_week(slack)
    following = text_of(slack.ask("digest next", user=ADMIN))
    assert "week of Nov 30, 2026" in following
    assert "1 meeting, 2 h in all: 6 attendee-hours" in following
    assert "2 attendee-hours (25%) fewer than the week before, $200 less." in following
    previous = text_of(slack.ask("digest last", user=ADMIN))
    assert "No meetings in the week of Nov 16, 2026." in previous
    assert "week of Nov 23" in text_of(slack.ask("digest this week", user=ADMIN))
    assert "week of Nov 23" in text_of(slack.ask("digest THIS", user=ADMIN))


def test_a_bad_week_is_refused_with_an_example(slack):
    answer = slack.ask("digest yesterday")
    assert "`/salesmeet digest next`" in text_of(answer)


def test_cancelled_and_skipped_occurrences_are_left_out(slack):
    book_week(slack)
    slack.ask("skip #1 Dec 2", user=ADMIN)
    assert "No meetings in the week of Nov 30" in text_of(slack.ask("digest next", user=ADMIN))
    slack.ask("cancel #2", user=ADMIN)
    assert "1 meeting, 2 h in all: 6 attendee-hours" in text_of(slack.ask("digest", user=ADMIN))


def test_a_cancelled_series_still_counts_what_was_held(slack):
    slack.ask('schedule "Standup" 2026-11-23 10:00 for 15m every weekday', user=ADMIN)
    slack.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    slack.ask("cancel #1", user=ADMIN)
    shown = text_of(slack.ask("digest", user=ADMIN))
    assert "3 meetings, 0.8 h in all" in shown  # Mon, Tue, Wed happened; Thu, Fri will not
    assert "no end date" not in shown and "What to cut" not in shown


def test_big_meetings_and_agendas_missing_when_the_prompt_went_out(slack):
    crowd = slack.members(*(f"UC{i:02d}" for i in range(8)))  # 8 + the organiser = 9
    slack.ask(f'schedule "All hands" 2026-11-24 15:00 with {crowd}', user=ADMIN)
    slack.ask('schedule "Pipeline" 2026-11-25 10:00', user=ADMIN)
    slack.ask('schedule "Planning" 2026-11-25 12:00', user=ADMIN)
    slack.ask("agenda #3 add Quarter targets", user=ADMIN)
    # The prompts of #1 and #2 go out a day before with no items; #3's had one.
    while slack.clock.now() < datetime(2026, 11, 25, 9, 0, tzinfo=UTC):
        slack.advance(timedelta(hours=1))
    slack.ask("agenda #2 add Too late", user=ADMIN)  # added after the prompt: still flagged
    shown = text_of(slack.ask("digest", user=ADMIN))
    assert "More than 8 attendees: #1 *All hands* (9 people)." in shown
    line = next(x for x in shown.splitlines() if "No agenda when the agenda prompt" in x)
    assert "#1 *All hands*" in line and "#2 *Pipeline*" in line and "Planning" not in line


def test_what_to_cut_names_the_costliest_series_with_their_agendas(slack):
    slack.ask('schedule "One-to-one" 2026-11-23 11:00 for 30m with <@URAVI> every week', user=ADMIN)
    slack.ask(
        'schedule "Standup" 2026-11-23 10:00 for 15m with <@URAVI>, <@USAM>, <@UMAYA>'
        " every weekday 40 times",
        user=ADMIN,
    )
    slack.ask("agenda #1 add Deals at risk", user=ADMIN)
    slack.ask("agenda #1 add Coaching", user=ADMIN)
    slack.clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    shown = text_of(slack.ask("digest", user=ADMIN))
    cut = shown.split("*What to cut:*")[1]
    # Standup: 4 people x 0.25 h x $100 x 5 a week; one-to-one: 2 x 0.5 h x $100 weekly.
    assert cut.index("#2 *Standup*") < cut.index("#1 *One-to-one*")
    assert "#2 *Standup*: about $2,174 a month (21.7 times a month, 4 people, 15 minutes)." in cut
    assert "Agenda items so far: 0 in 5 meetings." in cut
    assert "#1 *One-to-one*: about $435 a month" in cut
    assert "Agenda items so far: 2 in 1 meeting." in cut
    assert "no end date: #1 *One-to-one*." in shown  # the standup ends after 40


def test_user_text_is_escaped(slack):
    slack.ask('schedule "<!channel> party & more" 2026-11-25 10:00 for 90m', user=ADMIN)
    shown = text_of(slack.ask("digest", user=ADMIN))
    assert "<!channel>" not in shown and "&lt;!channel&gt; party &amp; more" in shown


@pytest.mark.parametrize("limit", ["15", "0.5"])
def test_a_long_team_is_summarised_within_slack_limits(slack, limit):
    slack.ask(f"config meeting-hours-limit {limit}", user=ADMIN)
    for start in range(0, 90, 30):  # 3 meetings, 30 different people each
        people = slack.members(*(f"UQ{i:03d}" for i in range(start, start + 30)))
        slack.ask(
            f'schedule "Kick-off {start}" 2026-11-2{4 + start // 30} 10:00 for 45m with {people}',
            user=ADMIN,
        )
    answer = slack.ask("digest", user=ADMIN)
    assert len(answer["blocks"]) <= MAX_BLOCKS
    for block in answer["blocks"]:
        for text in [block.get("text") or {}, *(block.get("elements") or [])]:
            assert len(text.get("text", "")) <= SECTION_LIMIT
    shown = text_of(answer)
    assert len(re.findall(r"`[▇░]{10}`", shown)) == 25
    if limit == "15":
        assert "…and 66 more people under the limit." in shown
    else:
        assert "…and 66 more people, 66 of them over the limit." in shown
        over = next(x for x in shown.splitlines() if "weekly limit:" in x)
        assert over.endswith("and 86 more.")
    # Every section ends on a whole line: nothing was cut off mid-sentence.
    for block in answer["blocks"]:
        assert not (block.get("text") or {}).get("text", "").endswith("…")


def test_the_digest_of_a_week_in_another_zone(slack):
    # A workspace in Kuala Lumpur: its week starts at 16:00 UTC on Sunday.
    slack.ask("config timezone Asia/Kuala_Lumpur", user=ADMIN)
    slack.ask('schedule "Late Sunday" 2026-11-29 17:00 for 1h', user=ADMIN)  # Mon 01:00 KL
    assert "No meetings in the week of Nov 23" in text_of(slack.ask("digest", user=ADMIN))
    assert "1 meeting, 1 h" in text_of(slack.ask("digest next", user=ADMIN))
    slack.clock.advance(timedelta(days=7))
    assert "week of Nov 30, 2026" in text_of(slack.ask("digest", user=ADMIN))
