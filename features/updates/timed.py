"""The timed posts of written updates, each a delivery row so it goes out once, on time
or late, across restarts:

- "async-check" (meeting, occurrence): the organiser's DM about an empty agenda, the
  `async-check` lead before each occurrence of a series (planned by the meeting_posts
  hook; composed only if the agenda is still empty then);
- "updates-ask" (0, round): the request in the meeting's channel, due when the organiser
  chose to skip (and sent at once);
- "updates-summary" (0, round): every update together, at the meeting's time.
"""

from __future__ import annotations

from datetime import datetime

from bot.meeting_posts import late_note
from bot.mrkdwn import escape
from entities.deliveries import Composed, Composer, Delivery
from features.updates import blocks
from features.updates.service import ASK, CHECK, SUMMARY, Updates


def composers(updates: Updates) -> dict[str, Composer]:
    def check(row: Delivery, now: datetime, late: bool) -> Composed | None:
        due = updates.check_due(row.team_id, row.meeting_id, row.occurrence, now, row.due_at)
        if due is None:
            return None  # an agenda item came, someone decided, or the occurrence is off
        meeting, occurrence = due
        tr = updates.directory.reader(row.team_id, meeting.organiser_id)  # a DM: theirs
        note = late_note(tr, row.due_at) if late else None
        return Composed(
            channel_id=meeting.organiser_id,  # a DM: Slack opens it from the user id
            message=blocks.check_dm(tr, meeting, occurrence, note),
            owner_id=meeting.organiser_id,
            what=tr.gettext(
                "the question whether {ref} *{title}* should be written updates instead",
                ref=meeting.ref,
                title=escape(meeting.title),
            ),
        )

    def ask(row: Delivery, now: datetime, late: bool) -> Composed | None:
        found = updates.round_of(row.team_id, row.occurrence)
        if found is None or now >= found[0].starts_at:
            return None  # too late to ask: the summary is due
        round_, meeting = found
        tr = updates.workspaces.channel_tr(row.team_id)  # the workspace's language
        asked = [u.user_id for u in updates.updates(round_)]
        note = late_note(tr, row.due_at) if late else None
        return Composed(
            channel_id=round_.channel_id,
            message=blocks.ask_post(tr, meeting, round_, asked, note),
            owner_id=round_.decided_by or meeting.organiser_id,
            what=tr.gettext(
                "the request for written updates for {ref} *{title}*",
                ref=meeting.ref,
                title=escape(meeting.title),
            ),
        )

    def summary(row: Delivery, now: datetime, late: bool) -> Composed | None:
        found = updates.round_of(row.team_id, row.occurrence)
        if found is None:
            return None
        round_, meeting = found
        tr = updates.workspaces.channel_tr(row.team_id)
        note = late_note(tr, row.due_at) if late else None
        return Composed(
            channel_id=round_.channel_id,
            message=blocks.summary(tr, meeting, round_, updates.updates(round_), note),
            owner_id=round_.decided_by or meeting.organiser_id,
            what=tr.gettext(
                "the written updates for {ref} *{title}*",
                ref=meeting.ref,
                title=escape(meeting.title),
            ),
        )

    return {CHECK: check, ASK: ask, SUMMARY: summary}
