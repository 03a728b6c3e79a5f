"""RSVP: Going / Not going on a meeting's announcement and reminder, per occurrence."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
)

from bot import render
from bot.i18n import Translator
from bot.mrkdwn import date_token, escape, mention
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.store import GOING, NOT_GOING

GOING_ACTION = "rsvp_going"
NOT_GOING_ACTION = "rsvp_not_going"
WHO_ACTION = "rsvp_who"
ANSWER_OF_ACTION = {GOING_ACTION: GOING, NOT_GOING_ACTION: NOT_GOING}
# The blocks a click replaces in place (chat.update); block ids are unique per message.
COUNTS_BLOCK = "salesmeet_rsvp_counts"
BUTTONS_BLOCK = "salesmeet_rsvp_buttons"
# Names shown per answer before "and N more"; keeps the context block far below 3000 chars.
MAX_NAMES = 15


def button_value(meeting: Meeting, occurrence: Occurrence) -> str:
    return f"{meeting.number}:{occurrence.key}"


def read_value(value: str) -> tuple[int, int] | None:
    """(meeting number, occurrence key) from a button's value, or None if it is not ours."""
    number, _, key = (value or "").partition(":")
    if not (number.isdigit() and key.isdigit()):
        return None
    return int(number), int(key)


def invitees(meeting: Meeting) -> list[str]:
    """Members expected to answer: the attendees with a Slack account, not the organiser
    (who called the meeting) nor guests (who have no buttons)."""
    seen: list[str] = []
    for attendee in meeting.attendees:
        user = attendee.user_id
        if user and user != meeting.organiser_id and user not in seen:
            seen.append(user)
    return seen


def people(tr: Translator, users: list[str]) -> str:
    shown = ", ".join(mention(u) for u in users[:MAX_NAMES])
    if len(users) > MAX_NAMES:
        return tr.gettext("{people} and {more} more", people=shown, more=len(users) - MAX_NAMES)
    return shown


def waiting_for(meeting: Meeting, answers: dict[str, str]) -> list[str]:
    return [u for u in invitees(meeting) if u not in answers]


def counts_text(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, answers: dict[str, str]
) -> str:
    going = [u for u, a in answers.items() if a == GOING]
    not_going = [u for u, a in answers.items() if a == NOT_GOING]
    line = tr.gettext(
        "*Going on {when}?* :white_check_mark: {going} going · :x: {not_going} not going"
        " · :grey_question: {waiting} not answered yet",
        when=date_token(occurrence.start),
        going=len(going),
        not_going=len(not_going),
        waiting=len(waiting_for(meeting, answers)),
    )
    lines = [line]
    if going:
        lines.append(tr.gettext("Going: {people}", people=people(tr, going)))
    if not_going:
        lines.append(tr.gettext("Not going: {people}", people=people(tr, not_going)))
    return "\n".join(lines)


def counts_block(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, answers: dict[str, str]
) -> ContextBlock:
    return ContextBlock(
        block_id=COUNTS_BLOCK,
        elements=[MarkdownTextObject(text=counts_text(tr, meeting, occurrence, answers))],
    )


def rsvp_blocks(
    tr: Translator, meeting: Meeting, occurrence: Occurrence | None, answers: dict[str, str]
) -> list[Block]:
    """The counts and the buttons, for an announcement or a reminder."""
    if occurrence is None or meeting.cancelled:
        return []
    value = button_value(meeting, occurrence)
    buttons = ActionsBlock(
        block_id=BUTTONS_BLOCK,
        elements=[
            ButtonElement(
                text=tr.gettext("Going"), action_id=GOING_ACTION, value=value, style="primary"
            ),
            ButtonElement(text=tr.gettext("Not going"), action_id=NOT_GOING_ACTION, value=value),
            ButtonElement(
                text=tr.gettext("Who hasn't answered?"), action_id=WHO_ACTION, value=value
            ),
        ],
    )
    return [counts_block(tr, meeting, occurrence, answers), buttons]


def replace_counts(message_blocks: list[dict], counts: ContextBlock) -> list[dict] | None:
    """The message's blocks with the counts block swapped for a fresh one; None when the
    message has no counts block (nothing of ours to update)."""
    fresh = counts.to_dict()
    replaced = False
    blocks = []
    for block in message_blocks:
        if block.get("block_id") == COUNTS_BLOCK:
            blocks.append(fresh)
            replaced = True
        else:
            blocks.append(block)
    return blocks if replaced else None


def rsvp_summary(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, answers: dict[str, str]
) -> dict:
    """For the organiser: who is going, who is not, and who hasn't answered yet."""
    head = tr.gettext(
        "*Answers for {ref} {title}* on {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=date_token(occurrence.start),
    )
    blocks: list[Block] = [render.section(head)]
    waiting = waiting_for(meeting, answers)
    if not invitees(meeting):
        blocks.append(
            render.section(tr.gettext("Nobody is invited by name, so there is nobody to wait for."))
        )
    elif waiting:
        blocks.append(
            render.section(
                tr.gettext(
                    ":grey_question: Not answered yet: {people}",
                    people=", ".join(mention(u) for u in waiting),
                )
            )
        )
    else:
        blocks.append(render.section(tr.gettext(":tada: Everyone invited has answered.")))
    going = [u for u, a in answers.items() if a == GOING]
    not_going = [u for u, a in answers.items() if a == NOT_GOING]
    if going:
        blocks.append(
            render.context(
                tr.gettext(
                    ":white_check_mark: Going: {people}",
                    people=", ".join(mention(u) for u in going),
                )
            )
        )
    if not_going:
        blocks.append(
            render.context(
                tr.gettext(
                    ":x: Not going: {people}", people=", ".join(mention(u) for u in not_going)
                )
            )
        )
    return render.message(head, blocks)
