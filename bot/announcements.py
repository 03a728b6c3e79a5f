"""Telling the channel about a meeting just booked: the one path for the command and the
form alike."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from bot import render
from bot.channel_posts import find_posted, post_key, post_to_channel
from bot.hooks import Hooks
from bot.i18n import Translator
from entities.meetings import Meeting


class Announcements:
    def __init__(self, hooks: Hooks, install_id: str) -> None:
        self.hooks = hooks
        self.install_id = install_id

    def key(self, meeting: Meeting, kind: str) -> str:
        """The metadata key of a post about `meeting`, unique across installs."""
        return post_key(self.install_id, meeting.team_id, kind, meeting.id, 0)

    def announce(
        self,
        client: WebClient,
        tr: Translator,
        meeting: Meeting,
        now: datetime,
        check_first: bool = False,
    ) -> list[str]:
        """Post the announcement of a new meeting in its channel; returns the notes for the
        organiser's confirmation (the channel could not be told; the features' warnings).
        `check_first`: an earlier run may have posted it (a replay after a restart), so
        look for it in the channel before posting."""
        key = self.key(meeting, "announce")
        if check_first and find_posted(client, meeting.channel_id, "post", key):
            return self.hooks.booking_notes(tr, meeting)
        first = meeting.next_occurrence(now)
        extra = self.hooks.announcement_blocks(tr, meeting, first)
        announcement = render.announcement(tr, meeting, first, extra)
        _, note = post_to_channel(client, meeting.channel_id, announcement, tr, key)
        return ([note] if note else []) + self.hooks.booking_notes(tr, meeting)

    def confirmation(
        self, tr: Translator, meeting: Meeting, created: bool, notes: list[str], now: datetime
    ) -> dict:
        """What the organiser is told, only them."""
        first = meeting.next_occurrence(now)
        return render.confirmation(tr, meeting, repeat=not created, notes=notes, occurrence=first)
