"""`/salesmeet export csv`: occurrences, attendees, hours and estimated cost for managers."""

import csv
import io
from datetime import timedelta

from tests.support.followups import click_on, posted, text_of


def export(slack, text="export csv this week", user="UOLIVIA"):
    before = len(slack.fake.files(channel="D" + user))
    answer = text_of(slack.ask(text, user=user))
    files = slack.fake.files(channel="D" + user)
    return answer, files[before:]


def rows_of(files) -> list[dict]:
    (file,) = files
    assert file.filename.endswith(".csv")
    return list(csv.DictReader(io.StringIO(file.text)))


def team_week(slack):
    # Maya in Kuala Lumpur: tomorrow 3pm is Tue 24 Nov 07:00 UTC; 9am is 01:00 UTC.
    slack.ask(
        'schedule "Forecast" tomorrow 3pm for 1h with <@URAVI>, <@USAM>, jane@acme.com'
        " type strategy via call"
    )
    slack.ask('schedule "Standup" tomorrow 9am for 15m every weekday with <@URAVI>')


def test_a_manager_gets_the_weeks_meetings_with_hours_and_cost(slack):
    team_week(slack)
    answer, files = export(slack)
    assert "I've sent you the meeting cost spreadsheet" in answer
    (intro,) = posted(slack, "Meeting costs from", channel="UOLIVIA")
    assert "5 meetings, 5 person-hours, about $500.00" in text_of(intro.params)
    rows = rows_of(files)
    total = rows.pop()
    assert [r["Title"] for r in rows] == ["Standup", "Forecast", "Standup", "Standup", "Standup"]
    forecast = rows[1]
    assert forecast["Meeting"] == "#1" and forecast["Date"] == "2026-11-24"
    assert forecast["Start"] == "2026-11-24T07:00+00:00"
    assert forecast["End"] == "2026-11-24T08:00+00:00"
    assert forecast["Time zone"] == "UTC" and forecast["Status"] == "scheduled"
    assert forecast["Type"] == "Strategy" and forecast["Format"] == "Conference call"
    assert forecast["Customer-facing"] == "yes" and forecast["Organiser"] == "maya"
    assert forecast["Attendees"] == "ravi; sam; jane@acme.com (guest)"
    assert (forecast["People"], forecast["Guests"]) == ("3", "1")
    assert (forecast["Hours"], forecast["Person-hours"]) == ("1.00", "3.00")
    assert (forecast["Estimated cost"], forecast["Currency"]) == ("300.00", "USD")
    assert rows[0]["Person-hours"] == "0.50" and rows[0]["Estimated cost"] == "50.00"
    assert total["Meeting"] == "Total"
    assert (total["Hours"], total["Person-hours"], total["Estimated cost"]) == (
        "2.00",
        "5.00",
        "500.00",
    )


def test_the_workspace_settings_set_zone_cost_and_currency(slack):
    team_week(slack)
    slack.services.workspaces.set("T1", "tz", "Asia/Kuala_Lumpur")
    slack.services.workspaces.set("T1", "hourly_cost", "80")
    slack.services.workspaces.set("T1", "currency", "EUR")
    _answer, files = export(slack)
    rows = rows_of(files)
    total = rows.pop()
    assert rows[1]["Start"] == "2026-11-24T15:00+08:00" and rows[1]["Currency"] == "EUR"
    assert total["Estimated cost"] == "400.00"
    (intro,) = posted(slack, "Meeting costs from", channel="UOLIVIA")
    assert "€400.00" in text_of(intro.params)


def test_periods(slack):
    team_week(slack)
    answer, files = export(slack, "export csv last week")
    assert "There are no meetings from" in answer and files == []
    answer, files = export(slack, "export csv next week")
    rows = rows_of(files)[:-1]
    assert [r["Date"] for r in rows] == [f"2026-11-{d}" for d in (30,)] + [
        f"2026-12-0{d}" for d in (1, 2, 3, 4)
    ]
    answer, files = export(slack, "export csv")  # this month
    assert len(rows_of(files)[:-1]) == 6  # Tue to Mon 30 Nov, and the forecast
    answer, files = export(slack, "export csv month")
    assert len(rows_of(files)[:-1]) == 6


def test_past_and_cancelled(slack):
    team_week(slack)
    slack.advance(timedelta(days=3, hours=1))  # Thu 26 Nov 02:00 UTC: Thursday's standup held
    slack.ask("cancel #2")
    rows = rows_of(export(slack)[1])[:-1]
    standups = [r for r in rows if r["Title"] == "Standup"]
    assert [r["Date"] for r in standups] == ["2026-11-24", "2026-11-25", "2026-11-26"]
    assert {r["Status"] for r in rows} == {"held"}


def test_rsvps_are_counted(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>, <@USAM>')
    (announcement,) = posted(slack, "scheduled meeting")
    click_on(slack, announcement, "rsvp_going", user="URAVI")
    click_on(slack, announcement, "rsvp_not_going", user="USAM")
    slack.fake.wait_for("chat.update", count=2)
    (row,) = rows_of(export(slack)[1])[:-1]
    assert (row["Going"], row["Not going"]) == ("1", "1")


def test_titles_cannot_become_formulas(slack):
    slack.ask('schedule "=HYPERLINK(1)" tomorrow 3pm')
    slack.ask('schedule "@SUM(1)" tomorrow 4pm')
    rows = rows_of(export(slack)[1])[:-1]
    assert [r["Title"] for r in rows] == ["'=HYPERLINK(1)", "'@SUM(1)"]


def test_only_managers(slack):
    team_week(slack)
    answer, files = export(slack, user="UMAYA")
    assert "Sorry, the meeting cost spreadsheet is for managers" in answer
    assert "/salesmeet export" in answer and files == []
    slack.services.workspaces.set("T1", "managers", "UMAYA")
    answer, files = export(slack, user="UMAYA")
    assert len(rows_of(files)) == 6


def test_bad_periods_are_explained(slack):
    for text in ("export csv yesterday", "export csv last year", "export pdf"):
        answer = text_of(slack.ask(text, user="UOLIVIA"))
        assert "export csv" in answer, (text, answer)
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_the_export_counts_the_same_meetings_as_the_digest_and_app_home(slack):
    """One window query: what the spreadsheet, the digest and App Home count in a week
    never disagree, whatever was moved in, moved out or cancelled."""
    admin = "UOLIVIA"  # in London: UTC in winter, like the workspace
    slack.ask('schedule "Standup" 2026-11-24 09:00 for 30m every weekday with <@URAVI>', user=admin)
    slack.ask('schedule "Deal review" 2026-12-01 10:00 for 1h with <@URAVI>, <@USAM>', user=admin)
    slack.ask('schedule "Pricing" 2026-11-26 15:00 for 1h with <@USAM>', user=admin)
    assert "moved #2" in text_of(slack.ask("move #2 2026-11-27 10:00", user=admin))  # in
    assert "moved #3" in text_of(slack.ask("move #3 2026-12-02 15:00", user=admin))  # out
    slack.advance(timedelta(days=2))  # Wed 25 Nov 01:00: Tuesday's standup was held
    assert "Cancelled" in text_of(slack.ask("cancel #1", user=admin))

    _answer, files = export(slack, user=admin)
    rows = rows_of(files)[:-1]
    assert [(r["Title"], r["Date"]) for r in rows] == [
        ("Standup", "2026-11-24"),
        ("Deal review", "2026-11-27"),
    ]
    (intro,) = posted(slack, "Meeting costs from", channel=admin)
    assert "2 meetings, 4 person-hours, about $400.00" in text_of(intro.params)
    digest = text_of(slack.ask("digest", user=admin))
    assert "2 meetings, 1.5 h in all: 4 attendee-hours, an estimated $400." in digest
    assert "1.5 h / 15 h · <@URAVI>" in digest
    slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "home"})
    (home,) = slack.fake.wait_for("views.publish")
    assert "hours this week:* 1.5 of 15 hours" in text_of(home.params["view"])
