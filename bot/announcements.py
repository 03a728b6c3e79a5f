"""Telling the channel about a meeting just booked: the one path for the command and the
form alike.

The announcement is a delivery row written in the same transaction as the meeting
(storage/meetings.py `create(..., announce=True)`), so a crash or a Slack outage after
the booking still announces it, once. The booking's own request sends it at once
(`announce`), so the organiser hears whether the channel was told; if not, the alarm
keeps trying like any timed post.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.channel_posts import post_key
from bot.hooks import Hooks
from bot.i18n import Translator
from bot.mrkdwn import escape
from bot.notices import delivery_note
from bot.timed_posts import Dispatcher
from entities.deliveries import ANNOUNCE, SENDING, SENT, Composed, Delivery
from entities.meetings import Meeting
from storage.meetings import MeetingStore

log = logging.getLogger(__name__)


class Announcements:
    def __init__(
        self, hooks: Hooks, install_id: str, dispatcher: Dispatcher, meetings: MeetingStore
    ) -> None:
        self.hooks = hooks
        self.install_id = install_id
        self.dispatcher = dispatcher
        self.meetings = meetings

    def key(self, meeting: Meeting, kind: str) -> str:
        """The metadata key of a post about `meeting`, unique across installs."""
        return post_key(self.install_id, meeting.team_id, kind, meeting.id, 0)

    def announce(self, tr: Translator, meeting: Meeting) -> list[str]:
        """Send the new meeting's announcement row now; returns the notes for the
        organiser's confirmation (the channel could not be told; the features' warnings)."""
        row = self.dispatcher.send_one(meeting.team_id, ANNOUNCE, meeting.id, 0)
        note = delivery_note(tr, row, meeting.channel_id)
        return ([note] if note else []) + self.hooks.booking_notes(tr, meeting)

    def refresh(self, meeting: Meeting, by_user: str) -> bool:
        """Edit the meeting's announcement in place (`chat.update`) to show the meeting as
        it now is, or as cancelled, so a reader scrolling up sees the truth. False when
        there is none to edit or Slack refused (the change's notice still tells)."""
        row = self.dispatcher.deliveries.find(meeting.team_id, ANNOUNCE, meeting.id, 0)
        if row is None or row.state != SENT or not row.message_ts or not row.channel_id:
            return False
        composed = self.compose(row, self.dispatcher.clock.now(), False)
        if composed is not None:
            message = composed.message
        elif meeting.cancelled:
            tr = self.dispatcher.workspaces.channel_tr(meeting.team_id)
            message = render.cancelled_notice(tr, meeting, by_user)
        else:
            return False  # over: what it said was true
        try:
            self.dispatcher.client_for(meeting.team_id).chat_update(
                channel=row.channel_id, ts=row.message_ts, **message
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("could not update the announcement of %s: %r", meeting.ref, error)
            return False
        return True

    def compose(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """The composer of ANNOUNCE rows: the meeting as it is when the row is sent (a
        meeting cancelled or over by then is not announced)."""
        meeting = self.meetings.by_id(row.team_id, row.meeting_id)
        if meeting is None or meeting.cancelled:
            return None
        first = meeting.next_occurrence(now)
        if first is None:
            return None
        tr = self.dispatcher.workspaces.channel_tr(row.team_id)  # the workspace's language
        extra = self.hooks.announcement_blocks(tr, meeting, first)
        return Composed(
            channel_id=meeting.channel_id,
            message=render.announcement(tr, meeting, first, extra),
            owner_id=meeting.organiser_id,
            what=tr.gettext(
                "the announcement of {ref} *{title}*", ref=meeting.ref, title=escape(meeting.title)
            ),
        )

    def confirmation(
        self, tr: Translator, meeting: Meeting, created: bool, notes: list[str], now: datetime
    ) -> dict:
        """What the organiser is told, only them: short, since the channel has it all."""
        first = meeting.next_occurrence(now)
        row = self.dispatcher.deliveries.find(meeting.team_id, ANNOUNCE, meeting.id, 0)
        # Under way counts as posted, as for delivery_note: the post is being sent now.
        posted = row is not None and row.state in (SENT, SENDING)
        return render.confirmation(
            tr, meeting, repeat=not created, notes=notes, occurrence=first, posted=posted
        )
