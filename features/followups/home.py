"""App Home: my next meetings with my RSVP, my meeting hours this week against the limit,
my open action items, what other features add (leaderboard, goals), and buttons to
schedule a meeting or add an agenda item. Never more than Slack's 100 blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import render
from bot.i18n import Translator
from bot.meeting_posts import ADD_AGENDA_ACTION
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.csv_export import decimal
from features.followups.outcomes import open_item_block
from features.followups.rsvp import GOING_ACTION, NOT_GOING_ACTION, button_value
from features.followups.store import GOING, NOT_GOING, ActionItem

MAX_VIEW_BLOCKS = 100  # Slack's limit for a view
MAX_MEETINGS = 10  # shown in full; the rest are counted
MAX_ITEMS = 5
# Other features' blocks never take more than this, so my meetings always have room.
MAX_EXTRA = 40
HOURS_BLOCK = "home_hours"  # a feature's own hours block with this id replaces ours
BAR_WIDTH = 10


@dataclass(frozen=True)
class HomeMeeting:
    meeting: Meeting
    occurrence: Occurrence
    answer: str | None  # my RSVP to this occurrence


def hours_block(tr: Translator, hours: float, limit: float) -> SectionBlock:
    if hours <= 0:
        text = tr.gettext(
            ":stopwatch: *Your meeting hours this week:* none yet, against a limit of"
            " {limit} hours.",
            limit=decimal(tr, limit),
        )
    else:
        share = hours / limit if limit > 0 else 1.0
        filled = min(BAR_WIDTH, round(share * BAR_WIDTH))
        bar = "▰" * filled + "▱" * (BAR_WIDTH - filled)
        text = tr.gettext(
            ":stopwatch: *Your meeting hours this week:* {hours} of {limit} hours ({percent}%)",
            hours=decimal(tr, hours),
            limit=decimal(tr, limit),
            percent=round(share * 100),
        )
        text += "\n" + bar
        if hours > limit:
            text += "\n" + tr.gettext(
                ":warning: That is {over} hours over the limit: every hour in a meeting is an"
                " hour not selling. Could one of them be an email?",
                over=decimal(tr, hours - limit),
            )
    return SectionBlock(block_id=HOURS_BLOCK, text=MarkdownTextObject(text=text))


def answer_text(tr: Translator, answer: str | None) -> str:
    if answer == GOING:
        return tr.gettext("Your answer: :white_check_mark: going")
    if answer == NOT_GOING:
        return tr.gettext("Your answer: :x: not going")
    return tr.gettext("Your answer: :grey_question: not answered yet")


def meeting_blocks(tr: Translator, item: HomeMeeting) -> list[Block]:
    meeting, occurrence = item.meeting, item.occurrence
    value = button_value(meeting, occurrence)
    line = render.summary_line(tr, meeting, occurrence) + "\n" + answer_text(tr, item.answer)
    buttons = [
        ButtonElement(
            text=tr.gettext("Going"),
            action_id=GOING_ACTION,
            value=value,
            style="primary" if item.answer == GOING else None,
        ),
        ButtonElement(
            text=tr.gettext("Not going"),
            action_id=NOT_GOING_ACTION,
            value=value,
            style="danger" if item.answer == NOT_GOING else None,
        ),
        ButtonElement(text=tr.gettext("Add agenda item"), action_id=ADD_AGENDA_ACTION, value=value),
    ]
    return [
        render.section(line),
        ActionsBlock(block_id=f"home_meeting:{meeting.id}:{occurrence.key}", elements=buttons),
    ]


def _as_dict(block) -> dict:
    return block.to_dict() if hasattr(block, "to_dict") else dict(block)


def home_view(
    tr: Translator,
    meetings: list[HomeMeeting],
    total: int,
    hours: float,
    limit: float,
    items: list[ActionItem],
    items_total: int,
    extra: list,
    today: date,
) -> dict:
    """The App Home view. Other features' blocks (`extra`) are capped; then my meetings
    take what room is left, two blocks each, and the rest are counted."""
    extra_dicts = [_as_dict(b) for b in extra][:MAX_EXTRA]
    has_hours = any(b.get("block_id") == HOURS_BLOCK for b in extra_dicts)

    head: list[Block] = [
        HeaderBlock(text=tr.gettext("Your sales meetings")),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                ButtonElement(
                    text=tr.gettext("Schedule a meeting"),
                    action_id="open_schedule_modal",
                    style="primary",
                )
            ],
        ),
    ]
    if not has_hours:
        head.append(hours_block(tr, hours, limit))
    head.append(DividerBlock())

    tail: list[Block] = []
    if items:
        tail += [
            DividerBlock(),
            render.section(tr.gettext("*Your open action items*")),
            *[open_item_block(tr, item, today) for item in items[:MAX_ITEMS]],
        ]
        if items_total > min(len(items), MAX_ITEMS):
            more = items_total - min(len(items), MAX_ITEMS)
            tail.append(render.context(tr.gettext("…and {more} more.", more=more)))
    if extra_dicts:
        tail.append(DividerBlock())

    # Heading, up to N meetings at 2 blocks each, and a "more" line.
    room = MAX_VIEW_BLOCKS - len(head) - len(tail) - len(extra_dicts) - 2
    shown = meetings[: max(0, min(MAX_MEETINGS, room // 2))]
    body: list[Block] = []
    if not meetings:
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
        for item in shown:
            body += meeting_blocks(tr, item)
        if total > len(shown):
            body.append(
                render.context(
                    tr.gettext(
                        "…and {more} more. See them all with `/salesmeet list mine`.",
                        more=total - len(shown),
                    )
                )
            )
    blocks = [_as_dict(b) for b in [*head, *body, *tail]] + extra_dicts
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
