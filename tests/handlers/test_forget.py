"""Issue 14: `/salesmeet forget me`, and `forget @person` by a manager for someone who left.
Asked first; then exactly that person's RSVPs, shout-outs and settings go, and their name
leaves what others wrote; other people and other workspaces keep everything."""

from bot.forget import Target
from simulator.workspace import RAVI, SAM
from tests.support.transcript import Message


def rows(team, sql: str, *params) -> list[tuple]:
    with team.database.reading() as db:
        return db.execute(sql, list(params)).fetchall()


def rsvps(team, team_id: str = "T1") -> list[tuple]:
    return rows(
        team,
        "SELECT user_id, answer FROM rsvps WHERE team_id = ? ORDER BY user_id",
        team_id,
    )


def shoutouts(team, team_id: str = "T1") -> list[tuple]:
    return rows(
        team,
        "SELECT giver_id, recipient_id, reason FROM shoutouts WHERE team_id = ? ORDER BY id",
        team_id,
    )


def settings_of(team, user_id: str, team_id: str = "T1") -> list[tuple]:
    return rows(
        team,
        "SELECT key, value FROM person_settings WHERE team_id = ? AND user_id = ?",
        team_id,
        user_id,
    )


def titles(team) -> list[str]:
    return [r[0] for r in rows(team, "SELECT title FROM meetings WHERE team_id = 'T1' ORDER BY id")]


def agenda(team) -> list[str]:
    return [r[0] for r in rows(team, "SELECT text FROM agenda_items WHERE team_id = 'T1'")]


def a_week_with_ravi(team, maya, ravi, sam):
    """Maya books a meeting that names Ravi, adds an agenda item about him; Ravi and Sam
    answer; shout-outs go between them; Ravi chose his language."""
    maya.says('/salesmeet schedule "Pipeline with Ravi Kumar" tomorrow 3pm with @ravi, @sam')
    assert "Scheduled meeting #1" in maya.sees()
    maya.says("/salesmeet agenda #1 add Ravi's renewals, and @ravi on the Acme deal")
    assert "Added to the agenda of #1" in maya.sees()
    (announcement,) = team.channel("#sales").posts_saying("Pipeline")
    ravi.presses("Going", on=announcement)
    sam.presses("Not going", on=announcement)
    ravi.says("/salesmeet shoutout @sam for the demo")
    maya.says("/salesmeet shoutout @ravi for the Acme renewal")
    sam.says("/salesmeet shoutout @maya for covering for Ravi and @ravi all week")
    maya.says("/salesmeet win 12k Acme renewal, with Ravi Kumar")
    ravi.says("/salesmeet language en")
    team.quiet()
    assert [u for u, _ in rsvps(team)] == ["URAVI", "USAM"]
    assert settings_of(team, "URAVI") == [("language", "en")]


def test_forget_me_asks_first_and_nothing_goes_until_they_confirm(team, maya, ravi, sam):
    a_week_with_ravi(team, maya, ravi, sam)
    ravi.says("/salesmeet forget me")
    question = ravi.answer()
    assert "can't be undone" in question.text
    assert "a former member" in question.text
    question.element("Forget") and question.element("Cancel")
    # Only asked: everything is still there.
    assert [u for u, _ in rsvps(team)] == ["URAVI", "USAM"]
    assert len(shoutouts(team)) == 3 and settings_of(team, "URAVI")

    ravi.presses("Cancel", on=question)
    assert "Nothing was forgotten" in ravi.sees()
    assert ravi.answer().get("replace_original") is True
    assert [u for u, _ in rsvps(team)] == ["URAVI", "USAM"] and len(shoutouts(team)) == 3


def test_forget_me_removes_exactly_mine_and_takes_my_name_out_of_what_others_wrote(
    team, maya, ravi, sam
):
    a_week_with_ravi(team, maya, ravi, sam)
    ravi.says("/salesmeet forget me")
    question = ravi.answer()
    ravi.presses("Forget", on=question)
    answer = ravi.answer()
    assert answer.get("replace_original") is True  # the question and its buttons are gone
    told = answer.text
    assert "SalesMeet has forgotten you" in told
    assert "1 personal setting" in told
    assert "RSVPs, answers, shout-outs and mentions in notes" in told
    assert "meeting titles and agenda items" in told

    # Ravi's own: his RSVP, his language, the shout-outs he gave and got.
    assert rsvps(team) == [("USAM", "not_going")]
    assert settings_of(team, "URAVI") == []
    assert rows(team, "SELECT 1 FROM people WHERE team_id = 'T1' AND user_id = 'URAVI'") == []
    assert shoutouts(team) == [
        ("USAM", "UMAYA", "for covering for a former member and a former member all week")
    ]
    # His name in what Maya wrote; the meeting itself, its attendees and her win stay.
    assert rows(team, "SELECT user_id, note FROM wins WHERE team_id = 'T1'") == [
        ("UMAYA", "Acme renewal, with a former member")
    ]
    assert titles(team) == ["Pipeline with a former member"]
    assert agenda(team) == ["a former member's renewals, and a former member on the Acme deal"]
    assert team.meeting(1) is not None
    assert "URAVI" in {a.user_id for a in team.meeting(1).attendees}
    # Others keep theirs: Maya and Sam are still who they were.
    assert rows(team, "SELECT 1 FROM people WHERE team_id = 'T1' AND user_id = 'UMAYA'")
    # A current member's roster row stays (Slack's member list brings it back anyway).
    assert rows(team, "SELECT 1 FROM workspace_members WHERE team_id = 'T1' AND user_id = 'URAVI'")


def test_pressing_forget_again_is_harmless(team, maya, ravi, sam):
    a_week_with_ravi(team, maya, ravi, sam)
    ravi.says("/salesmeet forget me")
    question = ravi.answer()
    ravi.presses("Forget", on=question)
    assert "SalesMeet has forgotten you" in ravi.sees()
    left = (rsvps(team), shoutouts(team), titles(team), agenda(team))
    ravi.presses("Forget", on=question)  # the same button once more (a double click)
    assert "nothing left to forget" in ravi.sees()
    assert (rsvps(team), shoutouts(team), titles(team), agenda(team)) == left
    ravi.says("/salesmeet forget me")  # and the whole request again
    ravi.presses("Forget", on=ravi.answer())
    assert "nothing left to forget" in ravi.sees()


def test_another_workspace_keeps_its_rows_for_the_same_user_id(team, maya, globex_team):
    """Globex has its own UMAYA (another person): Acme's Maya forgetting herself there
    leaves Globex's Maya's settings and shout-outs alone."""
    globex_maya = globex_team.person("maya-at-globex")
    globex_maya.says("/salesmeet language hi")
    globex_maya.says("/salesmeet shoutout @greg for the Maya Tan launch")
    maya.says("/salesmeet language ms")
    maya.says("/salesmeet shoutout @ravi for the pilot")
    team.quiet()
    globex_team.quiet()
    maya.says("/salesmeet forget me")
    maya.presses("Forget", on=maya.answer())
    # Told in the language she chose, which is then forgotten with the rest.
    assert "SalesMeet telah melupakan anda" in maya.sees()
    assert settings_of(team, "UMAYA") == [] and shoutouts(team) == []
    assert settings_of(team, "UMAYA", "T2") == [("language", "hi")]
    assert shoutouts(team, "T2") == [("UMAYA", "UGREG", "for the Maya Tan launch")]
    assert rows(team, "SELECT 1 FROM people WHERE team_id = 'T2' AND user_id = 'UMAYA'")


def test_a_manager_forgets_someone_who_left(team, maya, sam, olivia):
    maya.says('/salesmeet schedule "Handover from Sam Carter" tomorrow 3pm with @sam')
    (announcement,) = team.channel("#sales").posts_saying("Handover")
    sam.presses("Going", on=announcement)
    maya.says("/salesmeet shoutout @sam for three years of renewals")
    team.quiet()
    # Sam leaves: Slack deactivates the account.
    team.slack.add_user("T1", SAM.user_id, SAM.name, real_name=SAM.real_name, deleted=True)

    olivia.says("/salesmeet forget @sam")
    question = olivia.answer()
    assert "<@USAM>" in question.text and "can't be undone" in question.text
    assert rsvps(team) == [("USAM", "going")]  # asked only
    olivia.presses("Forget", on=question)
    told = olivia.sees()
    assert "SalesMeet has forgotten <@USAM>" in told
    assert rsvps(team) == [] and shoutouts(team) == []
    assert titles(team) == ["Handover from a former member"]
    # Gone from the roster too: his name no longer invites anyone.
    assert (
        rows(team, "SELECT 1 FROM workspace_members WHERE team_id = 'T1' AND user_id = 'USAM'")
        == []
    )
    assert rows(team, "SELECT 1 FROM member_names WHERE team_id = 'T1' AND user_id = 'USAM'") == []


def test_a_manager_cannot_forget_someone_still_here(team, maya, olivia):
    maya.says("/salesmeet language ms")
    olivia.says("/salesmeet forget @maya")
    shown = olivia.sees()
    assert "<@UMAYA> is still a member" in shown and "/salesmeet forget me" in shown
    assert settings_of(team, "UMAYA") == [("language", "ms")]


def test_only_a_manager_forgets_someone_else(team, maya, ravi, sam):
    a_week_with_ravi(team, maya, ravi, sam)
    team.slack.add_user("T1", RAVI.user_id, RAVI.name, real_name=RAVI.real_name, deleted=True)
    sam.says("/salesmeet forget @ravi")
    assert "only a manager can forget someone else" in sam.sees()
    # Nor with a Forget button of their own making: whom it names is checked at the press.
    crafted = Message(
        {
            "text": "Forget?",
            "blocks": [
                {
                    "type": "actions",
                    "block_id": "b",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "forget_person",
                            "text": {"type": "plain_text", "text": "Forget"},
                            "value": "URAVI",
                        }
                    ],
                }
            ],
        },
        channel="CSALES",
    )
    sam.presses("Forget", on=crafted)
    assert "only a manager can forget someone else" in sam.sees()
    assert [u for u, _ in rsvps(team)] == ["URAVI", "USAM"]
    assert settings_of(team, "URAVI") == [("language", "en")] and len(shoutouts(team)) == 3


def test_forget_needs_me_or_a_mention_and_help_lists_it(team, maya):
    maya.says("/salesmeet forget everyone")
    assert "/salesmeet forget me" in maya.sees()
    maya.says("/salesmeet help")
    assert "/salesmeet forget me" in maya.sees()


def test_the_request_counts_as_done_only_with_the_core_rows_the_last_part(team, maya, ravi, sam):
    """A restart between the features' parts and the core's does it all again, not half:
    "done" is committed with the core's rows, after every feature's are gone."""
    a_week_with_ravi(team, maya, ravi, sam)
    seen = []

    def mark(db):
        left = [
            db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE team_id = 'T1' AND {who} = 'URAVI'"
            ).fetchone()[0]
            for table, who in [("rsvps", "user_id"), ("shoutouts", "giver_id")]
        ]
        seen.append((left, db.execute("SELECT title FROM meetings").fetchone()[0]))

    forgetting = team.services.services().forget
    with team.database.acting_for(mark):
        forgetting.forget("T1", Target("URAVI", myself=True, left=False, names=None))
    assert seen == [([0, 0], "Pipeline with a former member")]


def test_an_old_title_kept_with_a_change_notice_loses_the_name_too(team, maya, ravi):
    maya.says('/salesmeet schedule "Call with Ravi Kumar" tomorrow 3pm with @ravi')
    maya.says('/salesmeet edit #1 "Pipeline call"')
    assert "Pipeline call" in maya.sees()
    team.quiet()
    (before,) = rows(team, "SELECT payload FROM deliveries WHERE team_id = 'T1' AND payload != ''")
    assert "Ravi Kumar" in before[0]
    ravi.says("/salesmeet forget me")
    ravi.presses("Forget", on=ravi.answer())
    assert "forget" in ravi.sees()  # he had nothing of his own: only his name goes
    (after,) = rows(team, "SELECT payload FROM deliveries WHERE team_id = 'T1' AND payload != ''")
    assert "Ravi" not in after[0] and "Call with a former member" in after[0]
