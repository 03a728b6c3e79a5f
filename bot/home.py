"""App Home, the core view: my next meetings, a way to schedule one, and what features add.

Top to bottom: the heading and the "Schedule a meeting" button; the features' summary
blocks (`home_summary`, e.g. hours this week); my next meetings, each with what features
add to it (`home_meetings`, e.g. my RSVP) and an "Add agenda item" button; the features'
lists of my own open work (`home_todo`); and at the bottom, after a divider, everything
else they add (`home_blocks`, e.g. the team leaderboard). Never more than Slack's 100
blocks: my meetings give way first.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
)

from bot import render
from bot.hooks import HomeEntry, Hooks
from bot.i18n import Translator
from bot.languages import language_menu
from bot.meeting_posts import ADD_AGENDA_ACTION
from entities.meetings import Meeting
from entities.recurrence import Occurrence

MAX_VIEW_BLOCKS = 100  # Slack's limit for a view
MAX_MEETINGS = 10  # shown in full; the rest are counted
# The bottom blocks never take more than this, so my meetings always have room.
MAX_EXTRA = 40


def _as_dict(block) -> dict:
    return block.to_dict() if hasattr(block, "to_dict") else dict(block)


def _without(blocks: list[dict], taken: set[str]) -> list[dict]:
    """Slack refuses a view with a block id twice: a bottom block with the same id as a
    summary or to-do block replaces it (a feature's own hours block, say)."""
    return [b for b in blocks if b.get("block_id") not in taken]


def meeting_blocks(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, entry: HomeEntry
) -> list[Block]:
    """One meeting: its summary with the features' lines, and the buttons."""
    line = "\n".join([render.summary_line(tr, meeting, occurrence), *entry.lines])
    add_item = ButtonElement(
        text=tr.gettext("Add agenda item"),
        action_id=ADD_AGENDA_ACTION,
        value=f"{meeting.number}:{occurrence.key}",
    )
    return [
        render.section(line),
        ActionsBlock(
            block_id=f"home_meeting:{meeting.id}:{occurrence.key}",
            elements=[*entry.buttons, add_item],
        ),
    ]


def home_view(
    tr: Translator,
    hooks: Hooks,
    team_id: str,
    user_id: str,
    upcoming: list[tuple[Meeting, Occurrence]],
    total: int,
) -> dict:
    """The user's App Home from their next meetings (at most MAX_MEETINGS of `total`) and
    every feature's hooks."""
    extra = [_as_dict(b) for b in hooks.home_blocks(tr, team_id, user_id)][:MAX_EXTRA]
    taken = {b["block_id"] for b in extra if b.get("block_id")}
    summary = _without([_as_dict(b) for b in hooks.home_summary(tr, team_id, user_id)], taken)
    todo = _without([_as_dict(b) for b in hooks.home_todo(tr, team_id, user_id)], taken)

    head = [
        _as_dict(HeaderBlock(text=tr.gettext("Your sales meetings"))),
        _as_dict(
            ActionsBlock(
                block_id="home_actions",
                elements=[*render.schedule_button(tr).elements, language_menu(tr)],
            )
        ),
        *summary,
        _as_dict(DividerBlock()),
    ]
    tail = [*todo, *([_as_dict(DividerBlock())] if extra else [])]

    # Heading, up to N meetings at 2 blocks each, and a "more" line.
    room = MAX_VIEW_BLOCKS - len(head) - len(tail) - len(extra) - 2
    shown = upcoming[: max(0, min(MAX_MEETINGS, room // 2))]
    body: list[Block] = []
    if not upcoming:
        body.append(render.section(tr.gettext("You have no upcoming meetings.")))
        body.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=tr.gettext(
                            'Schedule one with the button above or `/salesmeet schedule "Title"'
                            " fri 10am`."
                        )
                    )
                ]
            )
        )
    else:
        heading = tr.ngettext("*Your next meeting*", "*Your next {n} meetings*", len(shown))
        body.append(render.section(heading))
        entries = hooks.home_meetings(tr, team_id, user_id, shown)
        for meeting, occurrence in shown:
            entry = entries.get((meeting.id, occurrence.key), HomeEntry())
            body += meeting_blocks(tr, meeting, occurrence, entry)
        if total > len(shown):
            body.append(
                render.context(
                    tr.gettext(
                        "…and {more} more. Page through them all with `/salesmeet list mine`.",
                        more=total - len(shown),
                    )
                )
            )
    blocks = [*head, *[_as_dict(b) for b in body], *tail, *extra]
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
