"""`list` 20 meetings a page: `list page 2`, `list mine page 3`, and a Show more button
that replaces the page in place (a response_url may replace the ephemeral it came from)."""

from __future__ import annotations

import copy
import re

import pytest

from tests.support.transcript import Message, Person, Team

TITLE = re.compile(r"\*#\d+ (Review \d\d|Weekly \d|Moved \d)\*")


def titles(message: Message) -> list[str]:
    """The meetings on a page, in the order shown (each block once, not the fallback)."""
    return [t for b in message.blocks for t in TITLE.findall((b.get("text") or {}).get("text", ""))]


def has_show_more(message: Message) -> bool:
    return any(
        e.get("action_id") == "list_show_more"
        for b in message.blocks
        for e in b.get("elements") or []
    )


def book(person: Person, count: int, start: int = 1, attendee: str = "") -> None:
    """`count` one-offs an hour apart, `Review 01` the soonest."""
    for i in range(start, start + count):
        person.says(f'/salesmeet schedule "Review {i:02d}" in {i} hours{attendee}')
        assert "Scheduled meeting" in person.sees()


@pytest.fixture
def busy(team: Team, maya: Person) -> Team:
    """45 of Maya's meetings: Review 01 to Review 45, an hour apart; Ravi is at 01 to 25."""
    book(maya, 25, attendee=" with @ravi")
    book(maya, 20, start=26)
    return team


def test_forty_five_meetings_are_three_pages_and_show_more_turns_them(busy, maya):
    maya.says("/salesmeet list")
    first = maya.answer()
    assert first["response_type"] == "ephemeral"
    assert titles(first) == [f"Review {i:02d}" for i in range(1, 21)]
    assert "Page 1 of 3 (45 meetings in all)." in first.text and has_show_more(first)

    maya.presses("Show more", on=first)
    second = maya.answer()
    assert second["replace_original"] is True  # the page is replaced in place
    assert second["response_type"] == "ephemeral"
    assert titles(second) == [f"Review {i:02d}" for i in range(21, 41)]
    assert "Meetings 21–40 of 45" in second.text and "Page 2 of 3" in second.text
    assert has_show_more(second)

    maya.presses("Show more", on=second)
    third = maya.answer()
    assert titles(third) == [f"Review {i:02d}" for i in range(41, 46)]
    assert "Page 3 of 3" in third.text and not has_show_more(third)

    maya.says("/salesmeet list page 3")
    assert titles(maya.answer()) == titles(third)
    maya.says("/salesmeet list page 2")
    assert titles(maya.answer()) == titles(second)


def test_list_mine_pages_too(busy, ravi, olivia):
    ravi.says("/salesmeet list mine")
    first = ravi.answer()
    assert titles(first) == [f"Review {i:02d}" for i in range(1, 21)]
    assert "Your next 20 meetings" in first.text and "Page 1 of 2" in first.text
    ravi.presses("Show more", on=first)
    second = ravi.answer()
    assert titles(second) == [f"Review {i:02d}" for i in range(21, 26)]
    assert "Your meetings 21–25 of 25" in second.text and not has_show_more(second)
    ravi.says("/salesmeet list mine page 2")
    assert titles(ravi.answer()) == titles(second)
    olivia.says("/salesmeet list mine page 2")
    assert "You have no upcoming meetings." in olivia.sees()


def test_one_page_has_no_button_and_no_page_line(team, maya):
    book(maya, 3)
    maya.says("/salesmeet list")
    answer = maya.answer()
    assert titles(answer) == ["Review 01", "Review 02", "Review 03"]
    assert "Page" not in answer.text and not has_show_more(answer)


def test_series_and_moved_meetings_take_their_place_across_pages(team, maya):
    """Plain one-offs are cut in SQL, series and moved meetings placed among them: the
    pages, put together, are the whole list in order, each meeting once."""
    book(maya, 38)
    for n, day in enumerate(("tomorrow", "in 2 days"), start=1):
        maya.says(f'/salesmeet schedule "Weekly {n}" {day} 7am every week')
        assert "Scheduled meeting" in maya.sees()
    for n, (start, to) in enumerate((("in 3 hours", "in 30 hours"), ("in 4 hours", "in 1 hour"))):
        maya.says(f'/salesmeet schedule "Moved {n + 1}" {start}')
        number = re.search(r"#(\d+)", maya.sees())
        assert number
        maya.says(f"/salesmeet move #{number.group(1)} {to}")
    everything = [m.title for m, _ in team.upcoming()]
    assert len(everything) == 42
    shown = []
    for page in (1, 2, 3):
        maya.says(f"/salesmeet list page {page}")
        shown += titles(maya.answer())
    assert shown == everything


def test_a_page_past_the_end_says_how_many_pages_there_are(busy, maya, ravi):
    maya.says("/salesmeet list page 4")
    assert "There is no page 4: there are 3 pages" in maya.sees()
    assert "`/salesmeet list page 3`" in maya.sees()
    maya.says("/salesmeet list page 999999999")
    assert "there are 3 pages" in maya.sees()
    ravi.says("/salesmeet list mine page 3")
    assert "There is no page 3: there are 2 pages" in ravi.sees()
    assert "`/salesmeet list mine page 2`" in ravi.sees()


@pytest.mark.parametrize(
    "typed", ["page 0", "page -1", "page x", "page", "page 1.5", "page 2 3", "mine page 00"]
)
def test_bad_page_numbers_are_refused_with_how_to_write_it(maya, typed):
    maya.says(f"/salesmeet list {typed}")
    answer = maya.answer()
    assert answer["response_type"] == "ephemeral"
    assert "Pages are numbered from 1" in answer.text and "page 2`" in answer.text


@pytest.mark.parametrize("typed", ["page 10000000000", "everything", "page2"])
def test_other_list_words_are_refused_too(maya, typed):
    maya.says(f"/salesmeet list {typed}")
    shown = maya.sees()
    assert "/salesmeet list" in shown and "page 2" in shown


def crafted(message: Message, value: str) -> Message:
    """The page as Slack holds it, its Show more button carrying `value`."""
    raw = copy.deepcopy(message.raw)
    for block in raw["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == "list_show_more":
                element["value"] = value
    return Message(raw, channel=message.channel)


@pytest.mark.parametrize(
    "value",
    [
        "all:99999999999999999999999",
        "all:-1",
        "all:0",
        "mine:x",
        "all:2\n",
        "all:٢",  # not an ASCII digit
        "everyone:2",
        "",
        "all:2:T2",
    ],
)
def test_a_crafted_button_value_gets_a_polite_answer(busy, maya, value):
    maya.says("/salesmeet list")
    page = maya.answer()
    reply = maya.presses("Show more", on=crafted(page, value))
    assert reply.status == 200
    answer = maya.answer()
    assert "couldn't read that button" in answer.text and "/salesmeet list page 2" in answer.text
    assert answer.get("replace_original") is False  # the page they had stays
    assert answer["response_type"] == "ephemeral"


def test_a_button_for_a_page_far_past_the_end_says_so(busy, maya):
    maya.says("/salesmeet list")
    maya.presses("Show more", on=crafted(maya.answer(), "all:999999999"))
    assert "There is no page 999999999: there are 3 pages" in maya.sees()


def test_another_workspaces_meetings_never_show(busy, maya, globex_team):
    globex_maya = globex_team.person("maya-at-globex")
    globex_maya.says('/salesmeet schedule "Globex forecast" in 2 hours')
    maya.says("/salesmeet list")
    page = maya.answer()
    maya.presses("Show more", on=page)
    maya.presses("Show more", on=maya.answer())
    assert "Globex" not in maya.sees()
    # Acme's button pressed in Globex lists Globex's meetings only: one page of one.
    globex_maya.says("/salesmeet list")
    assert "Globex forecast" in globex_maya.sees()
    globex_maya.presses("Show more", on=page)
    shown = globex_maya.sees()
    assert "Review" not in shown and "there is 1 page" in shown
    globex_maya.says("/salesmeet list mine page 2")
    assert "Review" not in globex_maya.sees()
