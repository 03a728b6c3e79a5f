"""Issue 13: Bahasa Melayu and हिन्दी. What one person reads alone is in their language
(their choice, else a Slack locale SalesMeet speaks, else the workspace's); channel posts
are in the workspace's; money through Babel; Slack's limits hold in every language."""

import json
from datetime import UTC, datetime

import pytest

from bot.i18n import translator

WEDNESDAY_8AM_KL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def malay(text: str) -> str:
    return translator("ms").gettext(text)


def hindi(text: str) -> str:
    return translator("hi").gettext(text)


def test_the_catalogues_say_the_product_in_each_language():
    # A second read of a few terms against the glossary (docs/glossary.md).
    assert malay("Schedule a meeting") != "Schedule a meeting"
    assert "mesyuarat" in malay("Schedule a meeting").lower()
    assert "बैठक" in hindi("Schedule a meeting")
    assert malay("Edit") == "Sunting"


def test_language_shows_mine_and_sets_it(team, maya):
    maya.says("/salesmeet language")
    shown = maya.sees()
    assert "English" in shown and "`ms` Bahasa Melayu" in shown and "`hi` हिन्दी" in shown
    maya.says("/salesmeet language ms")
    assert "Bahasa Melayu" in maya.sees()
    maya.says("/salesmeet help")
    helped = maya.sees()
    assert "mesyuarat" in helped.lower() and "opens the scheduling form" not in helped
    maya.says("/salesmeet language default")
    maya.says("/salesmeet help")
    assert "opens the scheduling form" in maya.sees()


def test_a_language_i_do_not_speak_is_refused_with_the_choices(team, maya):
    maya.says("/salesmeet language klingon")
    shown = maya.sees()
    assert "“klingon” is not a language I speak" in shown and "`ms`" in shown


def test_a_mixed_team_reads_alone_in_their_own_and_the_channel_in_the_workspaces(
    team, maya, ravi, sam, olivia
):
    team.clock.set(WEDNESDAY_8AM_KL)
    team.slack.add_user("T1", "UELENA", "elena", locale="es-ES", real_name="Elena Ruiz")
    olivia.says("/salesmeet config language hi")
    maya.says("/salesmeet language ms")
    maya.says('/salesmeet schedule "Jualan" tomorrow 3pm with ravi, sam')
    confirmation = maya.answer()
    assert (
        malay(":white_check_mark: Scheduled meeting {ref} *{title}*, posted in {channel}.")[:12]
        in confirmation.text
    )
    # Maya reads dates written out in Malay, in Kuala Lumpur: Thursday is Khamis.
    assert "Kha" in json.dumps(confirmation.blocks, ensure_ascii=False)
    (announcement,) = team.channel("#sales").posts_saying("#1")
    shown = json.dumps(announcement.raw, ensure_ascii=False)
    assert "बैठक" in shown  # the workspace's language
    assert "<!date^" in shown  # a Slack date token: each reader's own zone
    sam.says("/salesmeet list")
    assert "Jualan" in sam.sees() and "बैठक" not in sam.sees()  # en-US: English
    # Someone whose Slack language SalesMeet doesn't speak reads the workspace's.
    tr = team.services.directory.reader("T1", "UELENA")
    assert tr.language == "hi"


def test_money_is_written_the_readers_way(team, olivia, maya, ravi):
    olivia.says("/salesmeet config hourly-cost 12500 MYR")
    olivia.says("/salesmeet language ms")
    olivia.says('/salesmeet schedule "Besar" tomorrow 3pm for 1h with maya')
    olivia.says("/salesmeet digest next")
    assert "RM" in olivia.sees()
    assert translator("ms").money(12500, "MYR") == "RM12,500"
    assert translator("hi").money(1250000, "INR") == "₹12,50,000"
    assert translator("en-IN").money(1250000, "INR") == "₹12,50,000"
    assert translator("en-US").money(1250.5, "USD") == "$1,250.50"


# -- Slack's limits, in every language ------------------------------------------------------

MODAL_TITLE, BUTTON, OPTION, PLACEHOLDER, HEADER, SECTION = 24, 75, 75, 150, 150, 3000


def limits_broken(payload, where: str = "") -> list[str]:
    """Every Block Kit text over Slack's limit in a message or view."""
    broken = []
    if isinstance(payload, dict):
        kind = payload.get("type")
        text = (payload.get("text") or {}) if isinstance(payload.get("text"), dict) else {}
        if kind == "modal":
            for key in ("title", "submit", "close"):
                value = (payload.get(key) or {}).get("text", "")
                if len(value) > MODAL_TITLE:
                    broken.append(f"{where} modal {key} {value!r}")
        if kind == "button" and len(text.get("text", "")) > BUTTON:
            broken.append(f"{where} button {text['text']!r}")
        if kind == "header" and len(text.get("text", "")) > HEADER:
            broken.append(f"{where} header {text['text']!r}")
        if kind == "section" and len(text.get("text", "")) > SECTION:
            broken.append(f"{where} section of {len(text['text'])}")
        for option in payload.get("options") or []:
            if len((option.get("text") or {}).get("text", "")) > OPTION:
                broken.append(f"{where} option {option['text']['text']!r}")
        placeholder = payload.get("placeholder")
        if isinstance(placeholder, dict) and len(placeholder.get("text", "")) > PLACEHOLDER:
            broken.append(f"{where} placeholder {placeholder['text']!r}")
        for key, value in payload.items():
            broken += limits_broken(value, f"{where}.{key}" if where else key)
    elif isinstance(payload, list):
        for n, value in enumerate(payload):
            broken += limits_broken(value, f"{where}[{n}]")
    return broken


@pytest.mark.parametrize("language", ["ms", "hi", "en"])
def test_every_view_and_message_keeps_slacks_limits(team, maya, ravi, olivia, language):
    olivia.says(f"/salesmeet config language {language}")
    maya.says(f"/salesmeet language {language}")
    maya.says("/salesmeet")  # the scheduling form
    maya.says('/salesmeet schedule "Pipeline" tomorrow 3pm for 1h with ravi every week')
    confirmation = maya.answer()
    maya.presses(confirmation.blocks[-1]["elements"][0]["text"]["text"], on=confirmation)
    for typed in ("help", "list", "show #1", "agenda #1", "config", "digest", "leaderboard"):
        maya.says(f"/salesmeet {typed}")
    maya.opens_home()
    team.time_passes(hours=30)
    team.quiet()
    calls = team.slack.calls_to(
        "views.open", "views.publish", "chat.postMessage", "chat.postEphemeral", "chat.update"
    )
    replies = [r.body for r in team.slack.responses]
    assert len(calls) > 8
    broken = [b for c in calls for b in limits_broken(c.params, c.method)]
    broken += [b for r in replies for b in limits_broken(r, "response")]
    assert broken == []
    opened = [c.params["view"] for c in team.slack.calls_to("views.open")]
    titles = {
        json.loads(v)["title"]["text"] if isinstance(v, str) else v["title"]["text"] for v in opened
    }
    expected = translator(language).gettext("Schedule a meeting")
    assert expected in titles


def head(language: str, message: str, **params) -> str:
    """The start of a translated sentence, up to its first placeholder: what a reader sees
    whatever fills it."""
    return translator(language).gettext(message, **params).split("{")[0][:18]


@pytest.mark.parametrize("language", ["ms", "hi"])
def test_each_surface_speaks_the_language(team, maya, ravi, olivia, language):
    """Scheduling (command and form), a reminder, the digest, App Home, a shout-out and the
    leaderboard: channel posts in the workspace's language, the rest in the reader's."""
    team.clock.set(WEDNESDAY_8AM_KL)
    olivia.says(f"/salesmeet config language {language}")
    maya.says(f"/salesmeet language {language}")
    maya.says('/salesmeet schedule "Pipeline" tomorrow 3pm for 1h with ravi')
    assert "Pipeline" in maya.sees()
    (announcement,) = team.channel("#sales").posts_saying("#1")
    channel_words = json.dumps(announcement.raw, ensure_ascii=False)
    assert translator(language).gettext("Attendees") != "Attendees"
    maya.says("/salesmeet")
    form = maya.modal()
    assert form.view["title"]["text"] == translator(language).gettext("Schedule a meeting")
    assert translator(language).gettext("Title") in json.dumps(form.blocks, ensure_ascii=False)
    team.time_passes(hours=30)
    team.time_passes(minutes=50)  # the reminder, 15 minutes before 15:00 in Kuala Lumpur
    (reminder,) = team.channel("#sales").posts_saying(":alarm_clock:")
    before, after = (
        translator(language)
        .gettext(
            ":alarm_clock: *{ref} {title}* starts {when}", ref="#1", title="Pipeline", when="\x00"
        )
        .split("\x00")
    )
    assert reminder.text.startswith(before) and after.split("\n")[0] in reminder.text
    assert "<!date^" in reminder.text  # a channel post: Slack's date token
    maya.says("/salesmeet digest")
    digest = maya.sees()
    assert head(language, ":bar_chart: *Weekly meeting digest: week of {week}*") in digest
    home = maya.opens_home()
    assert translator(language).gettext("Your sales meetings") in json.dumps(
        home.blocks, ensure_ascii=False
    )
    maya.says("/salesmeet shoutout @ravi for closing the Petronas deal")
    (shout,) = team.channel("#sales").posts_saying("Petronas")
    gave = translator(language).gettext(
        ":tada: {giver} gave a shout-out to {people}: {reason}",
        giver="<@UMAYA>",
        people="<@URAVI>",
        reason="for closing the Petronas deal",
    )
    assert gave in shout.text
    maya.says("/salesmeet leaderboard")
    board = maya.sees()
    assert (
        translator(language)
        .gettext(":trophy: *Leaderboard for this week* ({dates})")
        .split("(")[0]
        .strip()
        in board
    )
    assert channel_words  # the announcement carried words at all
