"""After the meeting: RSVP, outcomes and action items, App Home, calendar and CSV export.

Hooks into the core (bot/hooks.py):
- announcement and reminder blocks: Going / Not going for that occurrence, with counts;
  the reminder also lists open action items of earlier occurrences, with a Done button;
- meeting posts: an "outcome" prompt in the channel when each occurrence ends;
- composers for "outcome" rows and "action" rows (the owner's DM on the due date);
- agenda blocks (when the core offers that hook): open action items in the agenda prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.clock import Clock
from bot.feature import Core, Feature
from bot.hooks import Parts
from bot.i18n import Translator, translator
from bot.meeting_posts import late_note
from bot.mrkdwn import escape
from bot.workspace import Workspaces
from entities.deliveries import Composed, Composer, Delivery, Planned
from entities.errors import N_
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups import listeners
from features.followups.commands import parse_export, parse_rsvp
from features.followups.outcomes import (
    ACTION,
    OUTCOME,
    action_dm,
    open_items_blocks,
    outcome_prompt,
)
from features.followups.rsvp import rsvp_blocks
from features.followups.schema import v5_followups
from features.followups.store import ActionItemStore, RsvpStore
from storage.meetings import MeetingStore
from storage.migrations import Migration

# verb -> parser of the rest of the command text (see bot/command.py)
VERBS: dict[str, Callable[[str], object]] = {"export": parse_export, "rsvp": parse_rsvp}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP: list[str] = [
    N_("`/salesmeet export` sends you a calendar file (.ics) of your upcoming meetings."),
    N_(
        "`/salesmeet export csv [last|this|next] [week|month]` sends managers a spreadsheet"
        " of meetings, attendees, hours and estimated cost."
    ),
    N_("`/salesmeet rsvp #<id>` shows who is going and who hasn't answered yet."),
]


def open_action_items_blocks(
    items: ActionItemStore, clock: Clock, workspaces: Workspaces
) -> Callable[[Translator, Meeting, Occurrence | None], list[Block]]:
    """The hook (translator, meeting, occurrence) -> blocks listing the meeting's open
    action items agreed at earlier occurrences, each with a Done button."""

    def blocks(tr: Translator, meeting: Meeting, occurrence: Occurrence | None) -> list[Block]:
        if occurrence is None:
            return []
        found = items.open_for_meeting(meeting.team_id, meeting.id, occurrence.key)
        tz = workspaces.settings(meeting.team_id).tz
        today = clock.now().astimezone(ZoneInfo(tz)).date()
        return open_items_blocks(tr, found, today)

    return blocks


def outcome_posts(meeting: Meeting, occurrence: Occurrence, now: datetime) -> list[Planned]:
    """An outcome prompt when the occurrence ends. The planner only asks about
    occurrences still to start, so the one in progress now is added here too: otherwise
    re-planning the meeting mid-occurrence would retire its prompt."""
    planned = [Planned(meeting.team_id, OUTCOME, meeting.id, occurrence.key, occurrence.end)]
    for current in meeting.occurrences(now - meeting.duration, now + timedelta(seconds=1)):
        if current.start <= now < current.end and current.key != occurrence.key:
            planned.append(Planned(meeting.team_id, OUTCOME, meeting.id, current.key, current.end))
    return planned


def outcome_composer(meetings: MeetingStore) -> Composer:
    def compose(row: Delivery, now: datetime, late: bool) -> Composed | None:
        meeting = meetings.by_id(row.team_id, row.meeting_id)
        if meeting is None or meeting.cancelled:
            return None
        occurrence = meeting.occurrence(row.occurrence)
        if occurrence is None:
            return None
        tr = translator(None)  # channel posts use the workspace's language
        note = late_note(tr, row.due_at) if late else None
        return Composed(
            channel_id=meeting.channel_id,
            message=outcome_prompt(tr, meeting, occurrence, note),
            owner_id=meeting.organiser_id,
            what=tr.gettext(
                "the outcome prompt for {ref} *{title}*",
                ref=meeting.ref,
                title=escape(meeting.title),
            ),
        )

    return compose


def action_composer(meetings: MeetingStore, items: ActionItemStore) -> Composer:
    def compose(row: Delivery, now: datetime, late: bool) -> Composed | None:
        item = items.get(row.team_id, row.occurrence)
        if item is None or item.done:
            return None  # done before its due date: nothing to remind
        meeting = meetings.by_id(row.team_id, item.meeting_id)
        if meeting is None:
            return None
        tr = translator(None)
        return Composed(
            channel_id=item.owner_id,  # a DM: Slack opens it from the user id
            message=action_dm(tr, item, meeting, meeting.occurrence(item.occurrence)),
            owner_id=item.created_by,
            what=tr.gettext("the due-date reminder for an action item from {ref}", ref=meeting.ref),
        )

    return compose


def build(core: Core) -> Parts:
    meetings = MeetingStore(core.database)
    rsvps = RsvpStore(core.database)
    items = ActionItemStore(core.database)
    open_items = open_action_items_blocks(items, core.clock, core.workspaces)

    def announcement(tr: Translator, meeting: Meeting, occurrence: Occurrence | None):
        if occurrence is None:
            return []
        return rsvp_blocks(
            tr, meeting, occurrence, rsvps.answers(meeting.team_id, meeting.id, occurrence.key)
        )

    def reminder(tr: Translator, meeting: Meeting, occurrence: Occurrence | None):
        return announcement(tr, meeting, occurrence) + open_items(tr, meeting, occurrence)

    return Parts(
        commands={kind: partial(handler, core) for kind, handler in listeners.COMMANDS.items()},
        listeners=partial(listeners.register, core=core),
        composers={OUTCOME: outcome_composer(meetings), ACTION: action_composer(meetings, items)},
        meeting_posts=outcome_posts,
        announcement_blocks=announcement,
        reminder_blocks=reminder,
        agenda_blocks=open_items,
    )


FEATURE = Feature(
    "followups",
    build,
    verbs=VERBS,
    help=HELP,
    migrations=(Migration("v5_followups", v5_followups),),
)
