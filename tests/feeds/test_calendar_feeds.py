"""`/salesmeet calendar`: a private subscription link, fetched here the way Google
Calendar, Outlook and Apple Calendar fetch it (a real HTTP client, If-None-Match), and
parsed back."""

from __future__ import annotations

import re
import sqlite3
import threading
import urllib.error
import urllib.request
from datetime import timedelta

from icalendar import Calendar

from bot.ical import uid
from salesmeet.transport import Health, health_server
from storage.retention import Retention
from tests.support.harness import PUBLIC_URL, start
from tests.support.messages import text_of

LINK = re.compile(re.escape(PUBLIC_URL) + r"/calendar/([A-Za-z0-9_-]{32})\.ics")
WEBCAL = re.compile(r"webcal://salesmeet\.example\.com/calendar/([A-Za-z0-9_-]{32})\.ics")


def link_of(harness, text: str = "calendar", user: str = "UMAYA", team: str = "T1") -> str:
    answer = text_of(harness.ask(text, user=user, team=team))
    (token,) = set(LINK.findall(answer))
    assert WEBCAL.findall(answer) == [token]  # the same link for Apple Calendar
    return token


def base(harness) -> str:
    return harness.url.removesuffix("/slack/events")


def fetch(harness, token: str, etag: str | None = None, method: str = "GET"):
    """(status, headers, body) as a calendar app gets them."""
    request = urllib.request.Request(
        f"{base(harness)}/calendar/{token}.ics", method=method, headers={}
    )
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def summaries(body: bytes) -> list[str]:
    return sorted(str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT"))


def test_my_meetings_by_subscription(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm with @ravi', user="UMAYA")
    slack.ask('schedule "Ravi and Sam" tomorrow 4pm with @sam', user="URAVI")
    slack.ask('schedule "Weekly forecast" mon 9am every week', user="UMAYA")
    token = link_of(slack)

    status, headers, body = fetch(slack, token)
    assert status == 200
    assert headers["Content-Type"].startswith("text/calendar")
    assert headers["ETag"] and "no-cache" in headers["Cache-Control"]
    # Maya's own meetings, not the one she isn't in; the series with its rule.
    assert summaries(body) == ["Pipeline review", "Weekly forecast"]
    series = next(
        e for e in Calendar.from_ical(body).walk("VEVENT") if e["summary"] == "Weekly forecast"
    )
    assert "FREQ=WEEKLY" in series["rrule"].to_ical().decode()

    # Ravi has his own link, with his own meetings.
    ravis = link_of(slack, user="URAVI")
    assert ravis != token
    assert summaries(fetch(slack, ravis)[2]) == ["Pipeline review", "Ravi and Sam"]


def test_the_same_link_each_time_and_none_of_it_stored(slack, tmp_path):
    first = link_of(slack)
    assert link_of(slack) == first
    slack.database.close()
    for path in tmp_path.glob("t.db*"):
        assert first.encode() not in path.read_bytes()


def test_calendars_that_have_the_latest_copy_get_304_until_something_changes(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm', user="UMAYA")
    token = link_of(slack)
    _, headers, _ = fetch(slack, token)
    etag = headers["ETag"]

    slack.advance(timedelta(minutes=5))  # time passes: the feed is still the same
    status, again, body = fetch(slack, token, etag=etag)
    assert (status, body, again["ETag"]) == (304, b"", etag)
    assert fetch(slack, token, etag=f'W/{etag}, "other"')[0] == 304

    slack.ask("move #1 tomorrow 5pm", user="UMAYA")
    status, headers, body = fetch(slack, token, etag=etag)
    assert status == 200 and headers["ETag"] != etag
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart").hour == 17  # Maya is in Kuala Lumpur
    assert str(event["uid"]) == uid("T1", slack.services.book.find("T1", 1))


def test_a_cancelled_meeting_leaves_the_calendar_and_a_past_one_stays_a_while(slack):
    slack.ask('schedule "Old news" tomorrow 3pm', user="UMAYA")
    slack.ask('schedule "Called off" tomorrow 4pm', user="UMAYA")
    token = link_of(slack)
    slack.ask("cancel #2", user="UMAYA")
    slack.advance(timedelta(days=3))  # #1 is over
    assert summaries(fetch(slack, token)[2]) == ["Old news"]
    slack.advance(timedelta(days=40))
    assert summaries(fetch(slack, token)[2]) == []


def test_reset_turns_the_old_link_off(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm', user="UMAYA")
    old = link_of(slack)
    answer = text_of(slack.ask("calendar reset"))
    assert "old calendar link is turned off" in answer
    (new,) = set(LINK.findall(answer))
    assert new != old
    assert fetch(slack, old)[0] == 404
    assert fetch(slack, new)[0] == 200
    assert link_of(slack) == new  # and it is the one shown from now on


def test_links_that_are_not_ones_get_nothing(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm', user="UMAYA")
    token = link_of(slack)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (forged, "x" * 32, "../../etc/passwd", token + "x", ""):
        status, _, body = fetch(slack, path)
        assert status == 404 and b"BEGIN:VCALENDAR" not in body
    assert fetch(slack, token, method="POST")[0] == 405
    status, _, body = fetch(slack, token, method="HEAD")
    assert (status, body) == (200, b"")


def test_a_feed_never_shows_another_workspace(slack, globex):
    # Globex (T2) has a user with Maya's id, in the same database.
    slack.ask('schedule "Acme only" tomorrow 3pm', user="UMAYA")
    globex.ask('schedule "Globex only" tomorrow 3pm', user="UMAYA", team="T2")
    acme = link_of(slack)
    theirs = link_of(globex, team="T2")
    assert acme != theirs
    assert summaries(fetch(slack, acme)[2]) == ["Acme only"]
    assert summaries(fetch(slack, theirs)[2]) == ["Globex only"]


def test_unknown_verb_words_are_answered(slack):
    answer = text_of(slack.ask("calendar please"))
    assert "`/salesmeet calendar reset`" in answer


def test_without_a_public_url_it_says_what_to_set(tmp_path, fake):
    harness = start(tmp_path, fake, public_url=None)
    try:
        answer = text_of(harness.ask("calendar"))
        assert "SALESMEET_PUBLIC_URL" in answer and "/calendar/" not in answer
    finally:
        harness.server.close()  # type: ignore[attr-defined]
        harness.close()


def test_socket_mode_serves_the_feed_beside_healthz(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm', user="UMAYA")
    token = link_of(slack)
    health = Health(slack.database, slack.services.alarm, slack.clock)
    server = health_server(health, 0, "127.0.0.1", slack.services.hooks.web_pages())
    threading.Thread(target=server.run, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}/calendar/{token}.ics"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert summaries(answer.read()) == ["Pipeline review"]
    finally:
        server.close()


def test_a_workspace_deleted_after_uninstall_takes_its_links_with_it(slack, globex):
    slack.ask('schedule "Pipeline review" tomorrow 3pm', user="UMAYA")
    globex.ask('schedule "Globex only" tomorrow 3pm', user="UMAYA", team="T2")
    acme, theirs = link_of(slack), link_of(globex, team="T2")
    Retention(slack.database).forget("T1")
    assert fetch(slack, acme)[0] == 404
    assert fetch(slack, theirs)[0] == 200
    with sqlite3.connect(slack.database.path) as db:
        for table in ("calendar_feeds", "calendar_feed_links"):
            assert (
                db.execute(f"SELECT count(*) FROM {table} WHERE team_id = 'T1'").fetchone()[0] == 0
            )
