"""`/salesmeet export`: an .ics file of my upcoming meetings, DM'd, parsed back here."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from storage.meetings import MeetingStore
from tests.support.followups import posted, text_of

KL = ZoneInfo("Asia/Kuala_Lumpur")
LONDON = ZoneInfo("Europe/London")


def export(slack, user="UMAYA", team="T1"):
    answer = text_of(slack.ask("export", user=user, team=team))
    files = slack.fake.files(channel="D" + user, team=team)
    return answer, files


def calendar_of(files) -> Calendar:
    (file,) = files
    assert file.filename.endswith(".ics")
    return Calendar.from_ical(file.content)


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def expand(main, overrides, until: datetime) -> list[datetime]:
    """What a calendar app shows: the RRULE in the event's own zone, minus EXDATEs, with
    each RECURRENCE-ID override in place of the occurrence it replaces."""
    start = main.decoded("dtstart")
    zone = start.tzinfo
    # An aware dtstart: dateutil steps in wall-clock time and attaches the zone to each.
    rule = rrulestr(main["rrule"].to_ical().decode(), dtstart=start)
    exdates = set()
    found = main.get("exdate") or []
    for exdate in found if isinstance(found, list) else [found]:
        exdates |= {d.dt for d in exdate.dts}
    moved = {o.decoded("recurrence-id"): o.decoded("dtstart") for o in overrides}
    shown = []
    for local in rule:
        instant = local.replace(tzinfo=zone)
        if instant.astimezone(UTC) >= until:
            break
        if instant in exdates:
            continue
        shown.append(moved.get(instant, instant).astimezone(UTC))
    return sorted(shown)


def test_my_meetings_as_a_calendar_file(slack):
    slack.ask('schedule "Weekly forecast" next mon 10am every week until Dec 31 with <@URAVI>')
    slack.ask("skip #1 Dec 14")
    slack.ask("move #1 Dec 21 to Dec 22 11am")
    slack.ask(
        'schedule "Acme, demo; Q4" Dec 3 14:00 for 1h with <@USAM>, jane@acme.com'
        " type customer via https://zoom.us/j/1"
    )
    slack.ask('schedule "Called off" Dec 4 10am')
    slack.ask("cancel #3")
    slack.ask('schedule "Ravi only" Dec 4 11am', user="URAVI")

    answer, files = export(slack)
    assert "I've sent you a calendar file with 2 meetings in a direct message." in answer
    (intro,) = posted(slack, "Your SalesMeet calendar", channel="UMAYA")
    assert intro.response["channel"] == "DUMAYA"
    cal = calendar_of(files)
    assert cal["version"] == "2.0" and "SalesMeet" in str(cal["prodid"])
    titles = sorted({str(e["summary"]) for e in events(cal)})
    assert titles == ["Acme, demo; Q4", "Weekly forecast"]  # cancelled and others' left out

    series = [e for e in events(cal) if str(e["summary"]) == "Weekly forecast"]
    (main,) = [e for e in series if "recurrence-id" not in e]
    (override,) = [e for e in series if "recurrence-id" in e]
    assert main["uid"] == override["uid"]
    assert main["dtstart"].params["TZID"] == "Asia/Kuala_Lumpur"
    assert main.decoded("dtstart") == datetime(2026, 11, 30, 10, 0, tzinfo=KL)
    rule = main["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"] == [datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)]  # end of Dec 31, KL
    (exdate,) = main["exdate"].dts if not isinstance(main["exdate"], list) else main["exdate"]
    assert exdate.dt == datetime(2026, 12, 14, 10, 0, tzinfo=KL)
    assert override.decoded("recurrence-id") == datetime(2026, 12, 21, 10, 0, tzinfo=KL)
    assert override.decoded("dtstart") == datetime(2026, 12, 22, 11, 0, tzinfo=KL)

    # Expanded as a calendar app would, the file shows exactly SalesMeet's occurrences.
    meeting = MeetingStore(slack.database).get("T1", 1)
    now = slack.clock.now()
    ours = [o.start for o in meeting.occurrences(now, now + timedelta(days=60))]
    assert expand(main, [override], now + timedelta(days=60)) == ours

    (demo,) = [e for e in events(cal) if str(e["summary"]) == "Acme, demo; Q4"]
    assert "rrule" not in demo
    assert demo.decoded("dtstart") == datetime(2026, 12, 3, 14, 0, tzinfo=KL)
    assert demo.decoded("dtend") - demo.decoded("dtstart") == timedelta(hours=1)
    assert str(demo["location"]) == "https://zoom.us/j/1"
    assert "jane@acme.com" in str(demo["description"])
    zones = {str(z["tzid"]) for z in cal.walk("VTIMEZONE")}
    assert zones == {"Asia/Kuala_Lumpur"}


def test_a_series_across_daylight_saving_keeps_its_local_time(slack):
    # Olivia in London: Mondays 09:00 from 22 March 2027; clocks go forward on 28 March.
    slack.ask('schedule "London standup" 2027-03-22 9am every week 3 times', user="UOLIVIA")
    _, files = export(slack, user="UOLIVIA")
    cal = calendar_of(files)
    (main,) = events(cal)
    assert main["dtstart"].params["TZID"] == "Europe/London"
    assert main["rrule"]["COUNT"] == [3]
    (zone,) = cal.walk("VTIMEZONE")
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    until = datetime(2027, 5, 1, tzinfo=UTC)
    assert expand(main, [], until) == [
        datetime(2027, 3, 22, 9, 0, tzinfo=UTC),  # GMT
        datetime(2027, 3, 29, 8, 0, tzinfo=UTC),  # BST: still 09:00 in London
        datetime(2027, 4, 5, 8, 0, tzinfo=UTC),
    ]
    meeting = MeetingStore(slack.database).get("T1", 1)
    assert [o.start for o in meeting.occurrences(slack.clock.now(), until)] == expand(
        main, [], until
    )


def test_a_moved_one_off_meeting_is_at_its_new_time(slack):
    slack.ask('schedule "Deal review" tomorrow 3pm')
    slack.ask("move #1 wed 4pm")
    (event,) = events(calendar_of(export(slack)[1]))
    assert event.decoded("dtstart") == datetime(2026, 11, 25, 16, 0, tzinfo=KL)
    assert "recurrence-id" not in event


def test_nothing_to_export(slack):
    answer, files = export(slack)
    assert "You have no upcoming meetings" in answer
    assert files == [] and slack.fake.calls_to("files.getUploadURLExternal") == []


def test_slack_refusing_the_file_is_explained(slack):
    slack.ask('schedule "Deal review" tomorrow 3pm')
    slack.fake.fail("files.completeUploadExternal", status=403, error="missing_scope")
    answer, files = export(slack)
    assert "files:write" in answer and files == []
    slack.fake.reset()
    slack.fake.fail("file_upload", status=500)  # the bytes' POST is not retried
    answer, files = export(slack)
    assert "couldn't" in answer and "try again" in answer and files == []
    answer, files = export(slack)
    assert "I've sent you a calendar file" in answer and len(files) == 1


def test_exporting_twice_gives_the_same_events(slack):
    slack.ask('schedule "Weekly forecast" next mon 10am every week')
    export(slack)
    slack.advance(timedelta(hours=1))
    export(slack)
    first, second = (Calendar.from_ical(f.content) for f in slack.fake.files(channel="DUMAYA"))
    assert [e["uid"] for e in events(first)] == [e["uid"] for e in events(second)]


def test_another_workspaces_meetings_stay_out(slack, globex):
    slack.ask('schedule "Acme forecast" tomorrow 3pm')
    globex.ask('schedule "Globex forecast" tomorrow 3pm', team="T2")
    globex.fake.wait_for("chat.postMessage", where=lambda c: "Globex forecast" in text_of(c.params))
    _, files = export(slack)
    assert [str(e["summary"]) for e in events(calendar_of(files))] == ["Acme forecast"]
    globex.ask("export", team="T2")
    # Wait for T2's upload itself, not just its answer.
    globex.fake.wait_for("files.completeUploadExternal", count=2)
    files = globex.fake.files(channel="DUMAYA", team="T2")
    assert [str(e["summary"]) for e in events(calendar_of(files))] == ["Globex forecast"]
