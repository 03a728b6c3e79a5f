"""`/salesmeet win` and `/salesmeet goal`: amounts, currencies, managers, progress and pace."""

from datetime import UTC, datetime

from tests.support.recognition import rows, text_of


def wins(slack, team="T1"):
    return rows(
        slack,
        "SELECT user_id, logged_by, amount_cents, currency, note FROM wins WHERE team_id = ?"
        " ORDER BY id",
        team,
    )


def test_a_win_is_logged_for_yourself(slack):
    answer = slack.ask("win 12,500 Acme renewal", user="URAVI")
    assert answer["response_type"] == "ephemeral"
    assert "Logged your win of 12,500 USD: Acme renewal" in text_of(answer)
    assert wins(slack) == [("URAVI", "URAVI", 1_250_000, "USD", "Acme renewal")]
    assert slack.posts("CSALES") == []  # logging a win is not announced


def test_amount_forms_are_stored_exactly(slack):
    for text in ("win 12.5k A", "win 1.2m B", "win 12500.50 C", "win 12,500 D"):
        slack.ask(text)
    assert [w[2] for w in wins(slack)] == [1_250_000, 120_000_000, 1_250_050, 1_250_000]
    assert "12,500.50 USD" in text_of(slack.ask("win 12500.50 E"))


def test_bad_amounts_are_refused_with_an_example(slack):
    for text, says in [
        ("win 0 Acme", "more than zero"),
        ("win -12,500 Acme", "more than zero"),
        ("win twelve Acme", "couldn't read “twelve” as an amount"),
        ("win 12,50 Acme", "couldn't read “12,50”"),
        ("win 12,500", "Add a few words about the deal"),
    ]:
        answer = slack.ask(text)
        assert answer["response_type"] == "ephemeral"
        assert says in text_of(answer) and "/salesmeet win 12,500 Acme renewal" in text_of(answer)
    assert wins(slack) == []


def test_the_workspace_currency_is_the_default(slack):
    slack.services.workspaces.set("T1", "currency", "MYR")
    assert "50,000 MYR" in text_of(slack.ask("win 50k Petronas pilot"))
    assert wins(slack)[-1][2:4] == (5_000_000, "MYR")


def test_a_win_in_another_currency_is_recorded_listed_and_not_converted(slack):
    shown = text_of(slack.ask("win 9,000 EUR Globex add-on", user="USAM"))
    assert "Logged your win of 9,000 EUR" in shown
    assert "count only USD wins" in shown and "no exchange rates" in shown
    assert wins(slack) == [("USAM", "USAM", 900_000, "EUR", "Globex add-on")]
    slack.ask("win 1k Small deal", user="URAVI")
    board = text_of(slack.ask("leaderboard"))
    assert "1. <@URAVI>: 1,000 USD from 1 deal" in board
    assert "<@USAM> 9,000 EUR" in board and "not ranked" in board
    assert "<@USAM>: " not in board  # not in the ranking itself


def test_only_managers_log_a_win_for_someone_else(slack):
    shown = text_of(slack.ask("win 5k Initech for <@URAVI|ravi>", user="UMAYA"))
    assert "only managers can log a win for someone else" in shown
    assert wins(slack) == []
    # Olivia is a workspace admin, so a manager.
    shown = text_of(slack.ask("win 5k Initech for <@URAVI|ravi>", user="UOLIVIA"))
    assert "Logged a win of 5,000 USD for <@URAVI>: Initech" in shown
    assert wins(slack) == [("URAVI", "UOLIVIA", 500_000, "USD", "Initech")]
    (dm,) = slack.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "URAVI")
    assert "<@UOLIVIA> logged a win of 5,000 USD for you: Initech" in text_of(dm.params)
    # Anyone may name themselves.
    slack.ask("win 2k Own deal for <@USAM>", user="USAM")
    assert wins(slack)[-1][:2] == ("USAM", "USAM")


def test_managers_named_in_the_settings_count_too(slack):
    slack.services.workspaces.set("T1", "managers", "UMAYA")
    slack.ask("win 5k Initech for <@URAVI>", user="UMAYA")
    assert wins(slack) == [("URAVI", "UMAYA", 500_000, "USD", "Initech")]


def test_no_wins_for_the_bot(slack):
    assert "not to me" in text_of(slack.ask("win 5k Initech for <@UBOT>", user="UOLIVIA"))
    assert wins(slack) == []


def test_a_repeated_win_is_recorded_once(slack):
    slack.ask("win 12,500 Acme renewal")
    assert "didn't record it twice" in text_of(slack.ask("win 12.5k acme  renewal"))
    assert len(wins(slack)) == 1


def test_only_managers_set_the_goal(slack):
    shown = text_of(slack.ask("goal 100k per month", user="UMAYA"))
    assert "only managers can set the team goal" in shown
    assert "There's no team goal yet" in text_of(slack.ask("goal", user="UMAYA"))
    assert "only managers can clear" in text_of(slack.ask("goal clear", user="UMAYA"))


def test_goal_progress_and_the_pace_needed(slack):
    # Monday 23 November 01:00 UTC; November has 30 days, 22 days and an hour have gone.
    shown = text_of(slack.ask("goal 100k per month", user="UOLIVIA"))
    assert "The team goal is now 100,000 USD per month." in shown
    assert "*Team goal for November 2026:* 0 USD of 100,000 USD (0%)" in shown
    # An even pace would be at 73,472 USD by now (22 days 1 hour of 30 days).
    assert "The team is 73,472 USD behind the pace" in shown
    assert "needs 100,000 USD in the 8 days left, about 12,500 USD a day" in shown
    slack.ask("win 60k Acme", user="URAVI")
    slack.ask("win 20k Globex", user="USAM")
    slack.ask("win 5k EUR Initech", user="USAM")  # another currency: not counted
    shown = text_of(slack.ask("goal", user="UMAYA"))
    assert "80,000 USD of 100,000 USD (80%)" in shown
    assert "On pace: 20,000 USD to go in the 8 days left, about 2,500 USD a day." in shown
    slack.ask("win 25k Hooli", user="UMAYA")
    assert "The team has reached its goal." in text_of(slack.ask("goal"))


def test_a_win_answer_shows_goal_progress(slack):
    slack.ask("goal 300k per quarter", user="UOLIVIA")
    shown = text_of(slack.ask("win 30k Acme"))
    assert "*Team goal for Q4 2026:* 30,000 USD of 300,000 USD (10%)" in shown


def test_the_goal_is_in_the_workspace_currency(slack):
    shown = text_of(slack.ask("goal 100k EUR per month", user="UOLIVIA"))
    assert "in the workspace currency, USD" in shown
    assert "There's no team goal yet" in text_of(slack.ask("goal"))
    assert "100,000 USD per month" in text_of(slack.ask("goal 100k USD per month", user="UOLIVIA"))


def test_a_new_goal_replaces_the_old_and_can_be_cleared(slack):
    slack.ask("goal 100k per month", user="UOLIVIA")
    slack.ask("goal 250k per quarter", user="UOLIVIA")
    assert "of 250,000 USD" in text_of(slack.ask("goal"))
    assert "The team goal is cleared." in text_of(slack.ask("goal clear", user="UOLIVIA"))
    assert "There's no team goal yet" in text_of(slack.ask("goal"))


def test_the_goal_period_follows_the_workspace_zone(slack):
    # 30 November 20:00 in New York is already 1 December in Kuala Lumpur.
    slack.clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    slack.services.workspaces.set("T1", "tz", "America/New_York")
    slack.ask("goal 100k per month", user="UOLIVIA")
    slack.ask("win 10k Acme", user="USAM")
    assert "*Team goal for November 2026:* 10,000 USD" in text_of(slack.ask("goal"))
    slack.services.workspaces.set("T1", "tz", "Asia/Kuala_Lumpur")
    assert "*Team goal for December 2026:* 10,000 USD" in text_of(slack.ask("goal"))
