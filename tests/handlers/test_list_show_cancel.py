"""`list`, `show`, `cancel` and `help`, as users in one workspace see them."""

from datetime import timedelta

from tests.support.messages import text_of


def test_help_is_ephemeral_and_lists_the_commands(slack):
    reply = slack.command("help")
    answer = reply.json
    assert answer["response_type"] == "ephemeral"
    shown = text_of(answer)
    for verb in ("schedule", "list", "show", "cancel"):
        assert f"/salesmeet {verb}" in shown


def test_list_shows_upcoming_and_mine(slack):
    slack.ask('schedule "Maya\'s review" tomorrow 3pm with <@URAVI>')
    slack.ask('schedule "Sam\'s forecast" tomorrow 10am', user="USAM")
    everyone = text_of(slack.ask("list", user="UOLIVIA"))
    assert "Maya's review" in everyone and "Sam's forecast" in everyone
    ravi = text_of(slack.ask("list mine", user="URAVI"))
    assert "Maya's review" in ravi and "Sam's forecast" not in ravi
    assert "no upcoming meetings" in text_of(slack.ask("list mine", user="UOLIVIA"))


def test_show_gives_the_details(slack):
    slack.ask(
        'schedule "Demo for Acme" tomorrow 3pm for 1h with <@URAVI>, Jane Doe type customer '
        "via in-person"
    )
    shown = text_of(slack.ask("show #1"))
    for part in ("Demo for Acme", "60 minutes", "Customer presentation", "In person"):
        assert part in shown
    assert "<@UMAYA>" in shown and "<@URAVI>" in shown and "Jane Doe (guest)" in shown
    assert text_of(slack.ask("show 1")) == shown


def test_show_unknown_meeting(slack):
    assert "no meeting #7" in text_of(slack.ask("show #7"))


def test_organiser_cancels_and_the_channel_is_told(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    answer = slack.ask("cancel #1")
    assert "Cancelled meeting #1" in text_of(answer)
    notice = slack.posts()[-1]
    assert "cancelled by <@UMAYA>" in text_of(notice)
    assert "Forecast" not in text_of(slack.ask("list"))
    assert "(cancelled)" in text_of(slack.ask("show #1"))
    assert "already cancelled" in text_of(slack.ask("cancel #1"))


def test_someone_else_is_refused_politely_and_a_manager_may(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    refused = text_of(slack.ask("cancel #1", user="URAVI"))
    assert "Sorry, only the organiser (<@UMAYA>) or a manager" in refused
    assert "Forecast" in text_of(slack.ask("list"))
    assert "Cancelled meeting #1" in text_of(slack.ask("cancel #1", user="UOLIVIA"))


def test_a_meeting_that_took_place_cannot_be_cancelled(slack):
    slack.ask('schedule "Forecast" in 1 hour')
    slack.clock.advance(timedelta(hours=2))
    assert "already taken place" in text_of(slack.ask("cancel #1"))


def test_unknown_verbs_get_help(slack):
    assert "/salesmeet help" in text_of(slack.ask("dance"))
