"""Two workspaces on one database: same channel id, same meeting numbers, no crossing over."""

from tests.support.messages import text_of


def test_workspaces_do_not_see_or_change_each_other(slack, globex):
    slack.ask('schedule "Acme forecast" tomorrow 3pm')
    globex.ask('schedule "Globex forecast" tomorrow 3pm', team="T2")
    assert "Globex" not in text_of(slack.ask("list"))
    assert "Acme" not in text_of(globex.ask("list", team="T2"))
    assert "Acme forecast" in text_of(slack.ask("show #1"))
    assert "Globex forecast" in text_of(globex.ask("show #1", team="T2"))
    # Globex's admin cannot cancel Acme's #1: their #1 is their own meeting.
    assert "Cancelled meeting #1" in text_of(globex.ask("cancel #1", user="UGREG", team="T2"))
    assert "Acme forecast" in text_of(slack.ask("list"))
    assert "no meeting #2" in text_of(globex.ask("show #2", team="T2"))


def test_each_install_sends_only_its_own_workspaces_timed_posts(slack, globex):
    from datetime import timedelta

    slack.ask('schedule "Acme sync" in 10 minutes')
    globex.ask('schedule "Globex sync" in 10 minutes', team="T2")
    slack.deliver()  # T1's process: only T1's rows
    sent = [c for c in slack.fake.calls_to("chat.postMessage") if ":alarm_clock:" in str(c.params)]
    assert [c.token for c in sent] == ["xoxb-t1-test"]
    assert "Acme sync" in str(sent[0].params)
    globex.clock.advance(timedelta(0))
    globex.deliver()
    sent = [c for c in slack.fake.calls_to("chat.postMessage") if ":alarm_clock:" in str(c.params)]
    assert sorted(c.token for c in sent) == ["xoxb-t1-test", "xoxb-t2-test"]
    assert "Globex sync" in str(next(c for c in sent if c.token == "xoxb-t2-test").params)
