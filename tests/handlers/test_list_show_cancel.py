"""`list`, `show`, `cancel` and `help`, as people in one workspace see them."""

from datetime import timedelta


def test_help_is_ephemeral_and_lists_the_commands(maya):
    maya.says("/salesmeet help")
    answer = maya.answer()
    assert answer["response_type"] == "ephemeral"
    for verb in ("schedule", "list", "show", "cancel"):
        assert f"/salesmeet {verb}" in answer.text


def test_list_shows_upcoming_and_mine(maya, ravi, sam, olivia):
    maya.says('/salesmeet schedule "Maya\'s review" tomorrow 3pm with @ravi')
    sam.says('/salesmeet schedule "Sam\'s forecast" tomorrow 10am')
    olivia.says("/salesmeet list")
    everyone = olivia.sees()
    assert "Maya's review" in everyone and "Sam's forecast" in everyone
    ravi.says("/salesmeet list mine")
    assert "Maya's review" in ravi.sees() and "Sam's forecast" not in ravi.sees()
    olivia.says("/salesmeet list mine")
    assert "no upcoming meetings" in olivia.sees()


def test_show_gives_the_details(maya):
    maya.says(
        '/salesmeet schedule "Demo for Acme" tomorrow 3pm for 1h with @ravi, '
        "Jane Doe &lt;jane@acme.com&gt; type customer via in-person"
    )
    maya.says("/salesmeet show #1")
    shown = maya.sees()
    for part in ("Demo for Acme", "1 hour", "Customer presentation", "In person"):
        assert part in shown
    assert "<@UMAYA>" in shown and "<@URAVI>" in shown and "Jane Doe (guest)" in shown
    maya.says("/salesmeet show 1")
    assert maya.sees() == shown


def test_show_unknown_meeting(maya):
    maya.says("/salesmeet show #7")
    assert "no meeting #7" in maya.sees()


def test_organiser_cancels_and_the_channel_is_told(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet cancel #1")
    assert "Cancelled meeting #1" in maya.sees()
    notice = team.channel("#sales").posts[-1]
    assert "cancelled by <@UMAYA>" in notice.text
    maya.says("/salesmeet list")
    assert "Forecast" not in maya.sees()
    maya.says("/salesmeet show #1")
    assert "(cancelled)" in maya.sees()
    maya.says("/salesmeet cancel #1")
    assert "already cancelled" in maya.sees()


def test_someone_else_is_refused_politely_and_a_manager_may(maya, ravi, olivia):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    ravi.says("/salesmeet cancel #1")
    assert "Sorry, only the organiser (<@UMAYA>) or a manager" in ravi.sees()
    maya.says("/salesmeet list")
    assert "Forecast" in maya.sees()
    olivia.says("/salesmeet cancel #1")
    assert "Cancelled meeting #1" in olivia.sees()


def test_a_meeting_that_took_place_cannot_be_cancelled(team, maya):
    maya.says('/salesmeet schedule "Forecast" in 1 hour')
    team.clock.advance(timedelta(hours=2))
    maya.says("/salesmeet cancel #1")
    assert "already taken place" in maya.sees()


def test_unknown_verbs_get_help(maya):
    maya.says("/salesmeet dance")
    assert "/salesmeet help" in maya.sees()
