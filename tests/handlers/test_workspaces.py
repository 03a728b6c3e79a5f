"""Two workspaces on one database: same channel id, same meeting numbers, no crossing over."""


def test_workspaces_do_not_see_or_change_each_other(team, maya, globex_team):
    globex_maya, greg = globex_team.person("maya-at-globex"), globex_team.person("greg")
    maya.says('/salesmeet schedule "Acme forecast" tomorrow 3pm')
    globex_maya.says('/salesmeet schedule "Globex forecast" tomorrow 3pm')
    maya.says("/salesmeet list")
    assert "Globex" not in maya.sees()
    globex_maya.says("/salesmeet list")
    assert "Acme" not in globex_maya.sees()
    maya.says("/salesmeet show #1")
    assert "Acme forecast" in maya.sees()
    globex_maya.says("/salesmeet show #1")
    assert "Globex forecast" in globex_maya.sees()
    # Globex's admin cannot cancel Acme's #1: their #1 is their own meeting.
    greg.says("/salesmeet cancel #1")
    assert "Cancelled meeting #1" in greg.sees()
    maya.says("/salesmeet list")
    assert "Acme forecast" in maya.sees()
    globex_maya.says("/salesmeet show #2")
    assert "no meeting #2" in globex_maya.sees()


def test_each_install_sends_only_its_own_workspaces_timed_posts(team, maya, globex_team):
    def reminders(conversation):
        return [p.text for p in conversation.channel("#sales").posts_saying(":alarm_clock:")]

    maya.says('/salesmeet schedule "Acme sync" in 10 minutes')
    globex_team.person("maya-at-globex").says('/salesmeet schedule "Globex sync" in 10 minutes')
    team.alarm_rings()  # T1's process: only T1's rows, with T1's token
    (acme,) = reminders(team)
    assert "Acme sync" in acme and reminders(globex_team) == []
    globex_team.alarm_rings()
    (globex,) = reminders(globex_team)
    assert "Globex sync" in globex and len(reminders(team)) == 1
