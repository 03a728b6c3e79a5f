"""Telling the channel about a meeting just booked: the one path for the command and the
form alike.

The announcement is a delivery row written in the same transaction as the meeting
(storage/meetings.py `create(..., announce=True)`), so a crash or a Slack outage after
the booking still announces it, once. The booking's own request sends it at once
(`announce`), so the organiser hears whether the channel was told; if not, the alarm
keeps trying like any timed post.
"""

from __future__ import annotations

from datetime import datetime

from bot import render
from bot.channel_posts import post_key
from bot.hooks import Hooks
from bot.i18n import Translator, translator
from bot.notices import delivery_note
from bot.timed_posts import Dispatcher
from entities.deliveries import ANNOUNCE, Composed, Delivery
from entities.meetings import Meeting
from storage.meetings import MeetingStore


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

    def compose(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """The composer of ANNOUNCE rows: the meeting as it is when the row is sent (a
        meeting cancelled or over by then is not announced)."""
        meeting = self.meetings.by_id(row.team_id, row.meeting_id)
        if meeting is None or meeting.cancelled:
            return None
        first = meeting.next_occurrence(now)
        if first is None:
            return None
        tr = translator(None)  # channel posts use the workspace's language
        extra = self.hooks.announcement_blocks(tr, meeting, first)
        return Composed(
            channel_id=meeting.channel_id,
            message=render.announcement(tr, meeting, first, extra),
            owner_id=meeting.organiser_id,
            what=tr.gettext(
                "the announcement of {ref} *{title}*", ref=meeting.ref, title=meeting.title
            ),
        )

    def confirmation(
        self, tr: Translator, meeting: Meeting, created: bool, notes: list[str], now: datetime
    ) -> dict:
        """What the organiser is told, only them."""
        first = meeting.next_occurrence(now)
        return render.confirmation(tr, meeting, repeat=not created, notes=notes, occurrence=first)
