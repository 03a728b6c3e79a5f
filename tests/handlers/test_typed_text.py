"""What people type is kept clean: control characters are removed from every text field,
and a title or an agenda item that shows nothing is refused."""

import pytest

from entities.text import visible, without_controls

INVISIBLE = ["\u200b\u200b", "\u00a0 \u2060", "\x07\x1b", "\u200b \u200c\u200d"]


@pytest.mark.parametrize("title", INVISIBLE, ids=["zero-width", "nbsp-joiner", "controls", "mix"])
def test_a_title_that_shows_nothing_is_refused(team, maya, title):
    maya.says(f'/salesmeet schedule "{title}" tomorrow 3pm')
    assert "needs a title" in maya.sees()
    assert team.meeting(1) is None
    assert team.channel("#sales").posts == []


def test_control_characters_are_removed_from_a_title(team, maya):
    maya.says('/salesmeet schedule "Q4\x07 review\x1b[31m" tomorrow 3pm')
    assert "Scheduled meeting #1" in maya.sees()
    assert team.meeting(1).title == "Q4 review[31m"
    assert "\x07" not in team.channel("#sales").posts[0].text


def test_an_agenda_item_that_shows_nothing_is_refused(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet agenda #1 add \u200b\u200b")
    assert "Say what to add" in maya.sees()
    maya.says("/salesmeet agenda #1 add Pipeline\x00 by region")
    assert "Pipeline by region" in maya.sees()


def test_the_readers_keep_what_shows_and_newlines_in_long_text():
    assert without_controls("a\x00b\nc\td", keep_newlines=True) == "ab\nc\td"
    assert without_controls("a\nb") == "ab"
    assert not visible("\u200b\u00a0\u2060 \t")
    assert visible("बिक्री बैठक") and visible("Mesyuarat") and visible("🙂")


def test_skipping_an_occurrence_already_skipped_says_so(team, maya):
    maya.says('/salesmeet schedule "Standup" tomorrow 9am every weekday')
    maya.says("/salesmeet skip #1 tomorrow")
    assert "will not take place" in maya.sees()
    maya.says("/salesmeet skip #1 tomorrow")
    assert "already skipped" in maya.sees()
    assert len(team.channel("#sales").posts_saying("will not take place")) == 1
