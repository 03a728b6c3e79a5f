"""The timed posts of followups: the outcome prompt when an occurrence ends, and the DM
to an action item's owner on its due date (planned when the outcome is saved, see
service.py). Each is a delivery row, so it goes out once, on time or late."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.meeting_posts import late_note
from bot.mrkdwn import escape
from entities.deliveries import Composed, Composer, Delivery, Planned
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.blocks import action_dm, outcome_prompt
from features.followups.service import ACTION, OUTCOME, Followups


def outcome_posts(meeting: Meeting, occurrence: Occurrence, now: datetime) -> list[Planned]:
    """An outcome prompt when the occurrence ends. The planner only asks about
    occurrences still to start, so the one in progress now is added here too: otherwise
    re-planning the meeting mid-occurrence would retire its prompt."""
    planned = [Planned(meeting.team_id, OUTCOME, meeting.id, occurrence.key, occurrence.end)]
    for current in meeting.occurrences(now - meeting.duration, now + timedelta(seconds=1)):
        if current.start <= now < current.end and current.key != occurrence.key:
            planned.append(Planned(meeting.team_id, OUTCOME, meeting.id, current.key, current.end))
    return planned


def composers(followups: Followups) -> dict[str, Composer]:
    def outcome(row: Delivery, now: datetime, late: bool) -> Composed | None:
        meeting = followups.meeting(row.team_id, row.meeting_id)
        if meeting is None or meeting.cancelled:
            return None
        occurrence = meeting.occurrence(row.occurrence)
        if occurrence is None:
            return None
        tr = followups.workspaces.channel_tr(row.team_id)  # the workspace's language
        note = late_note(tr, row.due_at) if late else None
        return Composed(
            channel_id=meeting.channel_id,
            message=outcome_prompt(
                tr, meeting, occurrence, note, followups.worth_count(meeting, occurrence)
            ),
            owner_id=meeting.organiser_id,
            what=tr.gettext(
                "the outcome prompt for {ref} *{title}*",
                ref=meeting.ref,
                title=escape(meeting.title),
            ),
        )

    def action(row: Delivery, now: datetime, late: bool) -> Composed | None:
        item = followups.item(row.team_id, row.occurrence)
        if item is None or item.done:
            return None  # done before its due date: nothing to remind
        meeting = followups.meeting(row.team_id, item.meeting_id)
        if meeting is None:
            return None
        tr = followups.directory.reader(row.team_id, item.owner_id)  # a DM: theirs
        return Composed(
            channel_id=item.owner_id,  # a DM: Slack opens it from the user id
            message=action_dm(tr, item, meeting, meeting.occurrence(item.occurrence)),
            owner_id=item.created_by,
            what=tr.gettext("the due-date reminder for an action item from {ref}", ref=meeting.ref),
        )

    return {OUTCOME: outcome, ACTION: action}
