""" "Worth the time?": when an occurrence ends its attendees answer with one tap on the
outcome prompt. The channel, the organiser and managers see counts, never who answered
what; the person who tapped is told, alone, what they answered."""

from datetime import timedelta

from features.followups.store import WorthStore
from simulator.requests import post
from tests.support.harness import SECRET
from tests.support.requests import signature_headers
from tests.support.transcript import Message, Person, Team

SERIES = '/salesmeet schedule "Weekly forecast" mon 10am every week with @ravi, @sam'
WORTH, NOT_WORTH = ":+1: Worth it", ":-1: Not worth it"


def ends(team: Team, occurrence) -> Message:
    """The clock reaches the occurrence's end and the alarm rings: its outcome prompt.
    The agenda prompt and reminder go out first, at its start, as they would: posts to
    one channel are paced, so a jump past all three would hold the prompt back."""
    for instant in (occurrence.start, occurrence.end):
        team.clock.set(instant)
        team.plan_ahead()
        team.alarm_rings()
    return prompt_of(team, occurrence)


def prompt_of(team: Team, occurrence) -> Message:
    """The occurrence's outcome prompt, as the channel reads it now."""
    (prompt,) = [
        p
        for p in team.channel("#sales").posts_saying("has ended")
        if f"1:{occurrence.key}" in str(p.blocks)
    ]
    return prompt


def counts(team: Team, occurrence) -> str:
    """The "Worth the time?" line of the prompt, as the channel reads it now."""
    prompt = prompt_of(team, occurrence)
    (block,) = [b for b in prompt.blocks if b.get("block_id") == "salesmeet_worth_counts"]
    return block["text"]["text"]


def series(team: Team, maya: Person):
    maya.says(SERIES)
    assert "Scheduled meeting #1" in maya.sees()
    meeting = team.meeting(1)
    first, second = meeting.next_occurrences(team.clock.now(), 2)
    return meeting, first, second


def stored(team: Team, meeting, occurrence) -> list[tuple]:
    with team.database.reading() as db:
        return db.execute(
            "SELECT user_id, worth FROM worth_answers WHERE team_id = ? AND meeting_id = ?"
            " AND occurrence = ? ORDER BY user_id",
            [team.team_id, meeting.id, occurrence.key],
        ).fetchall()


def test_attendees_answer_and_everyone_else_sees_only_counts(team, maya, ravi, sam, olivia):
    _, first, _ = series(team, maya)
    prompt = ends(team, first)
    assert "*Worth the time?* :+1: 0 · :-1: 0" in prompt.text
    assert "Anonymous: only the counts are shown" in prompt.text
    before = team.slack.calls_to("chat.postMessage", "chat.update")  # the announcement

    ravi.presses(WORTH, on=prompt)
    told = ravi.answer()
    assert told.get("user") == "URAVI" and told.channel == "CSALES"  # ephemeral, his alone
    assert "You answered :+1: *worth the time* for #1 *Weekly forecast*" in told.text
    assert "Your answer is anonymous" in told.text and "You can change it until" in told.text
    assert counts(team, first) == "*Worth the time?* :+1: 1 · :-1: 0"

    sam.presses(NOT_WORTH, on=prompt_of(team, first))
    assert "You answered :-1: *not worth the time*" in sam.sees()
    maya.presses(WORTH, on=prompt_of(team, first))  # the organiser attended too
    assert counts(team, first) == "*Worth the time?* :+1: 2 · :-1: 1"

    # Nothing anyone but the person who tapped was sent says who answered what.
    seen_by_others = [c for c in team.slack.calls_to("chat.postMessage", "chat.update") if c.ok]
    assert seen_by_others, "the counts were updated in place"
    for call in seen_by_others:
        shown = str(call.params)
        for who in ("URAVI", "USAM", "Ravi", "Sam"):
            assert who not in shown or call in before, (who, call.method, shown)
    ephemerals = [*ravi.ephemerals, *sam.ephemerals, *maya.ephemerals, *olivia.ephemerals]
    assert {e.get("user") for e in ephemerals} == {"URAVI", "USAM", "UMAYA"}
    assert all("You answered" in e.text for e in ephemerals)
    assert not any(n in e.text for e in ephemerals for n in ("URAVI", "USAM", "UMAYA"))
    assert olivia.ephemerals == []


def test_someone_who_did_not_attend_is_refused_politely(team, maya, ravi, olivia):
    meeting, first, _ = series(team, maya)
    prompt = ends(team, first)
    olivia.presses(WORTH, on=prompt)  # a manager, but not at the meeting
    assert "only the attendees of #1 are asked" in olivia.sees()
    assert stored(team, meeting, first) == []
    assert counts(team, first) == "*Worth the time?* :+1: 0 · :-1: 0"


def test_one_answer_per_person_which_they_can_change(team, maya, ravi):
    meeting, first, _ = series(team, maya)
    ends(team, first)
    for _ in range(3):
        ravi.presses(WORTH, on=prompt_of(team, first))
        assert "You answered :+1:" in ravi.sees()
    assert stored(team, meeting, first) == [("URAVI", 1)]
    assert counts(team, first) == "*Worth the time?* :+1: 1 · :-1: 0"

    ravi.presses(NOT_WORTH, on=prompt_of(team, first))
    assert "You answered :-1: *not worth the time*" in ravi.sees()
    assert stored(team, meeting, first) == [("URAVI", 0)]
    assert counts(team, first) == "*Worth the time?* :+1: 0 · :-1: 1"


def test_answers_close_when_the_next_occurrence_starts(team, maya, ravi, sam):
    meeting, first, second = series(team, maya)
    prompt = ends(team, first)
    ravi.presses(WORTH, on=prompt)
    assert "You answered :+1:" in ravi.sees()

    team.clock.set(second.start - timedelta(minutes=1))
    ravi.presses(NOT_WORTH, on=prompt_of(team, first))  # a change of mind, still in time
    assert "You answered :-1:" in ravi.sees()

    team.clock.set(second.start)
    ravi.presses(WORTH, on=prompt_of(team, first))
    refused = ravi.sees()
    assert "closed when the next occurrence started" in refused
    assert "nothing was changed" in refused
    sam.presses(WORTH, on=prompt_of(team, first))  # a first answer is too late as well
    assert "closed when the next occurrence started" in sam.sees()
    assert stored(team, meeting, first) == [("URAVI", 0)]
    assert counts(team, first) == "*Worth the time?* :+1: 0 · :-1: 1"


def test_a_one_off_meeting_takes_answers_for_a_week(team, maya, ravi):
    maya.says('/salesmeet schedule "Deal desk" tomorrow 3pm with @ravi')
    meeting = team.meeting(1)
    (occurrence,) = meeting.next_occurrences(team.clock.now(), 1)
    prompt = ends(team, occurrence)
    team.clock.set(occurrence.end + timedelta(days=6))
    ravi.presses(NOT_WORTH, on=prompt)
    assert "You answered :-1:" in ravi.sees()
    team.clock.set(occurrence.end + timedelta(days=7))
    ravi.presses(WORTH, on=prompt_of(team, occurrence))
    assert "closed a week after it ended" in ravi.sees()
    assert stored(team, meeting, occurrence) == [("URAVI", 0)]


def test_no_answers_before_the_meeting_has_ended(team, maya, ravi):
    """Only a crafted press could try: the buttons come with the prompt at the end."""
    meeting, first, _ = series(team, maya)
    prompt = ends(team, first)
    team.clock.set(first.start - timedelta(hours=1))  # another process's clock, behind
    ravi.presses(WORTH, on=prompt)
    assert "hasn't ended yet" in ravi.sees()
    assert stored(team, meeting, first) == []


def test_recording_outcomes_keeps_the_counts_and_answers_keep_the_record(team, maya, ravi):
    _, first, _ = series(team, maya)
    prompt = ends(team, first)
    ravi.presses(WORTH, on=prompt)
    maya.presses("Record outcomes", on=prompt_of(team, first))
    notes = {"notes": {"value": {"type": "plain_text_input", "value": "Pipeline is thin"}}}
    maya.submits(notes, on=maya.modal())
    shown = prompt_of(team, first).text
    assert "Outcomes recorded by <@UMAYA>" in shown and ":+1: 1 · :-1: 0" in shown
    ravi.presses(NOT_WORTH, on=prompt_of(team, first))
    shown = prompt_of(team, first).text
    assert "Outcomes recorded by <@UMAYA>" in shown and ":+1: 0 · :-1: 1" in shown


def test_answers_survive_a_restart(team, maya, ravi):
    meeting, first, _ = series(team, maya)
    prompt = ends(team, first)
    ravi.presses(WORTH, on=prompt)
    later = team.restarted()
    later.clock.set(first.end + timedelta(hours=1))
    ravi_again = later.person("ravi")
    ravi_again.presses(WORTH, on=prompt_of(later, first))
    assert "You answered :+1:" in ravi_again.sees()
    assert stored(later, meeting, first) == [("URAVI", 1)]
    assert counts(later, first) == "*Worth the time?* :+1: 1 · :-1: 0"


def test_worth_counts_sum_the_occurrences_held_in_the_window(team, maya, ravi, sam):
    meeting, first, second = series(team, maya)
    ravi.presses(WORTH, on=ends(team, first))
    sam.presses(NOT_WORTH, on=prompt_of(team, first))
    maya.presses(WORTH, on=prompt_of(team, first))
    ravi.presses(WORTH, on=ends(team, second))
    hooks = team.services.hooks
    day = timedelta(days=1)
    assert hooks.worth_counts("T1", first.start, second.start) == {meeting.id: (2, 1)}
    assert hooks.worth_counts("T1", first.start, second.start + day) == {meeting.id: (3, 1)}
    assert hooks.worth_counts("T1", second.start, second.start + day) == {meeting.id: (1, 0)}
    assert hooks.worth_counts("T1", first.start - 7 * day, first.start) == {}


def test_forget_person_deletes_only_their_answers_in_their_workspace(
    team, maya, ravi, sam, globex_team
):
    meeting, first, second = series(team, maya)
    ravi.presses(WORTH, on=ends(team, first))
    sam.presses(NOT_WORTH, on=prompt_of(team, first))
    ravi.presses(NOT_WORTH, on=ends(team, second))
    # The same user id in Globex, with an answer of its own there.
    WorthStore(team.database).answer("T2", 1, first.key, first.start, "URAVI", True, first.end)
    assert team.services.hooks.forget_person("T1", "URAVI") == 2
    assert stored(team, meeting, first) == [("USAM", 0)]
    assert stored(team, meeting, second) == []
    assert globex_team.services.hooks.worth_counts("T2", first.start, second.end) == {1: (1, 0)}
    assert team.services.hooks.forget_person("T1", "URAVI") == 0  # again: nothing left


def test_workspaces_answer_apart(team, maya, ravi, globex_team):
    globex_maya, greg = globex_team.person("maya-at-globex"), globex_team.person("greg")
    _, first, _ = series(team, maya)
    globex_maya.says('/salesmeet schedule "Globex forecast" mon 10am every week with @greg')
    assert "Scheduled meeting #1" in globex_maya.sees()
    theirs = globex_team.meeting(1)
    (their_first,) = theirs.next_occurrences(globex_team.clock.now(), 1)

    ravi.presses(WORTH, on=ends(team, first))
    greg.presses(NOT_WORTH, on=ends(globex_team, their_first))
    assert "You answered :-1:" in greg.sees()
    # Globex's maya shares Acme's maya's user id but attended only Globex's meeting.
    globex_maya.presses(NOT_WORTH, on=prompt_of(globex_team, their_first))
    assert counts(team, first) == "*Worth the time?* :+1: 1 · :-1: 0"
    assert counts(globex_team, their_first) == "*Worth the time?* :+1: 0 · :-1: 2"
    window = (first.start - timedelta(days=1), first.end + timedelta(days=1))
    acme = team.services.hooks.worth_counts("T1", *window)
    globex = globex_team.services.hooks.worth_counts("T2", *window)
    assert acme == {team.meeting(1).id: (1, 0)} and globex == {theirs.id: (0, 2)}


def test_an_edit_slack_refuses_loses_no_answer(team, maya, ravi, sam):
    meeting, first, _ = series(team, maya)
    prompt = ends(team, first)
    team.slack.fail("chat.update", status=500, times=3)
    ravi.presses(WORTH, on=prompt)
    assert "You answered :+1:" in ravi.sees()  # he still hears what he answered
    assert stored(team, meeting, first) == [("URAVI", 1)]
    # The next tap edits the prompt from what is stored: both answers counted.
    sam.presses(WORTH, on=prompt_of(team, first))
    assert counts(team, first) == "*Worth the time?* :+1: 2 · :-1: 0"


def test_a_retried_tap_does_not_undo_a_later_change(team, maya, ravi):
    """Slack resends a tap it thinks timed out, minutes later: by then he changed it."""
    meeting, first, _ = series(team, maya)
    prompt = ends(team, first)
    taps: list[str] = []
    send = team.harness.send

    def keeping(body: str, **kw):
        taps.append(body)
        return send(body, **kw)

    team.harness.send = keeping  # type: ignore[method-assign]
    ravi.presses(WORTH, on=prompt)
    ravi.presses(NOT_WORTH, on=prompt_of(team, first))
    team.clock.advance(timedelta(minutes=1))
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    headers = {**signature_headers(SECRET, taps[0]), **retry}
    assert post(team.harness.url, taps[0], headers)[0] == 200
    team.quiet()
    assert stored(team, meeting, first) == [("URAVI", 0)]
    assert counts(team, first) == "*Worth the time?* :+1: 0 · :-1: 1"
