"""Issue 16: a person's meeting hours are theirs and their managers'. The channel gets the
team's figures; each person their own by DM, once, in their language, with their weeks in
a line; managers everyone's, with a picture, by DM and on App Home."""

import struct
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date

from bot.hooks import Parts
from features.digest.charts import PERSON_HEIGHT_PX, WIDTH_PX
from features.digest.store import DigestStore
from storage.deliveries import DeliveryStore

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the harness starts at 01:00 that day
WEEK = int(datetime(2026, 11, 23, tzinfo=UTC).timestamp())
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(PNG), content[:16]
    assert content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


def book_the_week(olivia):
    """Olivia (admin, London: UTC) books 2 h with Ravi and Sam, and 1 h with Ravi."""
    olivia.says("/salesmeet config digest-channel #sales")
    olivia.says(
        '/salesmeet schedule "Forecast" 2026-11-25 10:00 for 2h with @ravi, @sam type strategy'
    )
    olivia.says('/salesmeet schedule "Acme demo" 2026-11-26 14:00 for 1h with @ravi')


def digest_in(messages):
    return [m for m in messages if "Weekly meeting digest" in m.text]


def own_in(messages):
    return [m for m in messages if "Your meetings: week of" in m.text]


def monday_morning(team):
    team.clock.set(MONDAY_9)
    team.alarm_rings()


def image_of(message) -> dict:
    (image,) = [b for b in message.blocks if b.get("type") == "image"]
    return image


def test_under_the_default_nobody_reads_anothers_hours_in_the_channel(team, olivia, ravi, sam):
    book_the_week(olivia)
    monday_morning(team)
    (post,) = digest_in(team.channel("#sales").posts)
    assert "2 meetings, 3 h in all: 8 attendee-hours" in post.text
    assert "h / 15 h" not in post.text and "<@URAVI>" not in post.text
    assert "Longer than 1 hour: #1 *Forecast* (2 hours)." in post.text
    assert "everyone gets their own by DM" in post.text
    # Sam asks: the team's figures and his own line, nobody else's.
    sam.says("/salesmeet digest")
    assert "*Yours:*" in sam.sees() and "<@URAVI>" not in sam.sees()
    # His DM: his own hours, share and meetings, and nobody else's.
    (mine,) = own_in(sam.dms)
    assert "2 h of meetings against a limit of 15 h: 5% of a 40 h week." in mine.text
    assert "Most of it went to #1 *Forecast* (2 h)." in mine.text
    assert "<@URAVI>" not in mine.text and "Only you and your managers" in mine.text
    assert digest_in(sam.dms) == [] and digest_in(ravi.dms) == []


@pytest.mark.parametrize(
    ("setting", "channel_shows", "rep_sees_others", "manager_sees_others"),
    [
        ("team", False, False, False),
        ("managers", False, False, True),
        ("everyone", True, True, True),
    ],
)
def test_who_sees_each_persons_hours(
    team, olivia, sam, setting, channel_shows, rep_sees_others, manager_sees_others
):
    olivia.says(f"/salesmeet config digest-visibility {setting}")
    olivia.says("/salesmeet config")
    assert f"`digest-visibility`: `{setting}`" in olivia.sees()
    book_the_week(olivia)
    line = "3 h / 15 h · <@URAVI>"
    sam.says("/salesmeet digest")
    assert (line in sam.sees()) is rep_sees_others
    assert "2 h / 15 h · <@USAM>" in sam.sees()  # his own, always
    olivia.says("/salesmeet digest")
    assert (line in olivia.sees()) is manager_sees_others
    monday_morning(team)
    (post,) = digest_in(team.channel("#sales").posts)
    assert (line in post.text) is channel_shows
    (dm,) = digest_in(olivia.dms)
    assert (line in dm.text) is manager_sees_others
    # Olivia's own hours are hers: in her digest, or by their own DM when it lacks them.
    assert len(own_in(olivia.dms)) == (0 if manager_sees_others else 1)
    for own in own_in(olivia.dms):  # her own line of weeks, not the team's picture again
        assert image_of(own)["slack_file"] != image_of(dm)["slack_file"]


def test_a_bad_visibility_gets_an_example(team, olivia, sam):
    olivia.says("/salesmeet config digest-visibility nobody")
    assert "config digest-visibility team|managers|everyone" in olivia.sees()
    sam.says("/salesmeet config digest-visibility everyone")
    assert "digest-visibility" not in team.services.workspaces.raw("T1")


def test_each_person_gets_their_own_dm_once_in_their_language(team, olivia, ravi, sam, maya):
    ravi.says("/salesmeet language hi")
    book_the_week(olivia)
    monday_morning(team)
    team.time_passes(hours=1)
    team.plan_ahead()
    team.alarm_rings()
    (ravis,) = [m for m in ravi.dms if "📊" in m.text or ":bar_chart:" in m.text]
    week_hi = format_date(MONDAY_9.date(), "medium", locale="hi")
    assert week_hi in ravis.text and "Nov 23, 2026" not in ravis.text
    assert len(own_in(sam.dms)) == 1
    assert own_in(maya.dms) == []  # no meetings this week: nothing to tell her
    numbers = DigestStore(team.database).recipient_numbers("T1", ["URAVI", "USAM"])
    for user_id in ("URAVI", "USAM"):
        row = DeliveryStore(team.database).find("T1", "digest-you", -numbers[user_id], WEEK)
        assert row.state == "sent" and row.channel_id == "D" + user_id


def test_the_weeks_dms_are_rows_that_survive_a_restart_and_go_out_once(team, olivia, sam):
    book_the_week(olivia)
    team.clock.set(MONDAY_9)
    # Slack refuses every post of the pass (the channel's and the DMs)…
    team.slack.fail("chat.postMessage", status=500, times=12)  # slack_sdk retries too
    team.alarm_rings()
    assert own_in(sam.dms) == [] and digest_in(team.channel("#sales").posts) == []
    number = DigestStore(team.database).recipient_numbers("T1", ["USAM"])["USAM"]
    assert DeliveryStore(team.database).find("T1", "digest-you", -number, WEEK).state == "pending"
    # …and the process goes away. The next one finds the rows and sends each once.
    later = team.restarted()
    later.clock.set(MONDAY_9 + timedelta(minutes=20))
    later.alarm_rings()
    later.time_passes(minutes=20)
    later.plan_ahead()
    later.alarm_rings()
    assert len(own_in(later.person("sam").dms)) == 1
    assert len(own_in(later.person("ravi").dms)) == 1
    assert len(digest_in(later.channel("#sales").posts)) == 1
    assert len(digest_in(later.person("olivia").dms)) == 1
    # The chart uploaded before the refused post is the one shown: no second upload.
    assert len(team.slack.files(channel="DUSAM")) == 1


def test_the_managers_digest_carries_the_picture_with_its_words(team, olivia, sam):
    book_the_week(olivia)
    monday_morning(team)
    (dm,) = digest_in(olivia.dms)
    image = image_of(dm)
    (chart,) = [f for f in team.slack.files(channel="DUOLIVIA")]
    assert image["slack_file"] == {"id": chart.file_id}
    width, height = png_size(chart.content)
    assert width == WIDTH_PX and height > PERSON_HEIGHT_PX
    alt = image["alt_text"]
    assert "Meeting hours per person this week, against the limit of 15 h" in alt
    assert "ravi 3 h" in alt and "sam 2 h" in alt  # their names as Slack gives them
    assert "The team's attendee-hours and estimated cost, week by week" in alt
    assert "$800" in alt
    assert "people over it in red" in dm.text  # the caption under it
    # Sam's own DM has his line of weeks, uploaded to his DM, never to Olivia's.
    (mine,) = own_in(sam.dms)
    (own_chart,) = team.slack.files(channel="DUSAM")
    assert image_of(mine)["slack_file"] == {"id": own_chart.file_id}
    assert png_size(own_chart.content) == (WIDTH_PX, PERSON_HEIGHT_PX)
    assert (
        "Your meeting hours week by week, against the limit of 15 h" in image_of(mine)["alt_text"]
    )
    assert "2 h" in image_of(mine)["alt_text"]
    # The channel's digest has no picture.
    (post,) = digest_in(team.channel("#sales").posts)
    assert not [b for b in post.blocks if b.get("type") == "image"]


def test_app_home_shows_a_manager_the_picture_and_a_rep_their_own_hours(team, olivia, sam):
    book_the_week(olivia)
    monday_morning(team)
    home = olivia.opens_home()
    (chart,) = team.slack.files(channel="DUOLIVIA")
    assert image_of(home)["slack_file"] == {"id": chart.file_id}
    assert "3 h / 15 h · <@URAVI>" in home.text
    rep = sam.opens_home()
    assert "Your meeting hours this week:* 2 of 15 hours" in rep.text  # his own
    assert "<@URAVI>" not in rep.text and "Meeting load" not in rep.text
    assert not [b for b in rep.blocks if b.get("type") == "image"]


# -- series ranked by worth, and the features' notes ---------------------------------------


def answers(counts):
    """A feature answering "Worth the time?" with these counts per meeting number."""

    def worth_counts(team_id, start, end):
        return counts(team_id, start, end)

    return Parts(worth_counts=worth_counts)


def test_weak_series_are_ranked_with_a_suggestion_the_organiser_can_apply(team, olivia, maya, sam):
    olivia.says("/salesmeet config digest-channel #sales")
    maya.says(
        '/salesmeet schedule "Pipeline review" 2026-11-25 18:00 for 1h with @ravi, @sam every week'
    )
    maya.says('/salesmeet schedule "Standup" 2026-11-24 18:00 for 15m with @ravi every weekday')
    review, standup = team.meeting(1), team.meeting(2)
    asked = []

    def counts(team_id, start, end):
        asked.append((team_id, start, end))
        return {review.id: (2, 3), standup.id: (1, 9)}

    team.services.hooks.parts.append(answers(counts))
    monday_morning(team)
    (post,) = digest_in(team.channel("#sales").posts)
    # Ranked by the cost not found worth it: the standup (5 a week) before the review.
    assert post.text.index("#2 *Standup*") < post.text.index("#1 *Pipeline review*:")
    assert (
        "#1 *Pipeline review*: 3 attendee-hours a week ($1,304 a month), 40% found it worth"
        " the time. Try 30 minutes instead of 1 hour?"
    ) in post.text
    assert "#2 *Standup*: " in post.text and "10% found it worth the time. Cancel it?" in post.text
    # The answers of the last four weeks count, up to the end of this one.
    assert asked[-1] == (
        "T1",
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    # Sam is neither the organiser nor a manager: nothing changes.
    sam.presses("Shorten #1", on=post)
    assert "only the organiser" in sam.sees()
    assert team.meeting(1).duration == timedelta(hours=1)
    maya.presses("Shorten #1", on=post)
    assert team.meeting(1).duration == timedelta(minutes=30)
    assert "#1" in maya.sees()


def test_a_value_we_never_wrote_is_refused(team, maya):
    reply = team.harness.click("digest_apply:1", user="UMAYA", value='schedule "x" tomorrow')
    assert reply.status == 200
    assert team.meeting(1) is None


def test_the_features_notes_are_in_the_channel_digest(team, olivia):
    def notes(tr, team_id, start, end):
        return [tr.gettext("{n} meetings replaced by written updates", n=3)]

    team.services.hooks.parts.append(Parts(digest_notes=notes))
    book_the_week(olivia)
    monday_morning(team)
    (post,) = digest_in(team.channel("#sales").posts)
    assert "3 meetings replaced by written updates" in post.text
