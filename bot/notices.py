"""Telling a meeting's channel that it moved, lost an occurrence, was edited or cancelled.

Each notice is a delivery row written in the same transaction as the change it tells of
(storage/deliveries.py `add_notice`), with what it says kept as JSON, so a crash or a
Slack outage sends it later, once. The change's own request sends it at once
(`ChannelNotices.send_now`) so the person who made the change hears whether the channel
was told; if not, the alarm keeps trying like any timed post.
"""

from __future__ import annotations

from datetime import datetime

from bot import render
from bot.channel_posts import NOT_A_MEMBER
from bot.i18n import Translator
from bot.mrkdwn import escape
from bot.timed_posts import Dispatcher
from bot.workspace import Workspaces
from entities.deliveries import (
    NOTICE,
    PENDING,
    SENDING,
    SENT,
    Composed,
    Composer,
    Delivery,
)
from entities.deliveries import SKIPPED as ROW_SKIPPED
from entities.meetings import Meeting
from entities.notices import CANCELLED, EDITED, MOVED, SKIPPED, ChangeNotice
from storage.meetings import MeetingStore


def compose_notice(tr: Translator, meeting: Meeting, notice: ChangeNotice) -> dict | None:
    if notice.what == MOVED and notice.before and notice.after:
        return render.moved_notice(tr, meeting, notice.before, notice.after, notice.by)
    if notice.what == SKIPPED and notice.before:
        return render.skipped_notice(tr, meeting, notice.before, notice.by)
    if notice.what == CANCELLED:
        return render.cancelled_notice(tr, meeting, notice.by)
    if notice.what == EDITED:
        return render.edited_notice(tr, meeting, notice)
    return None


def notice_composer(meetings: MeetingStore, workspaces: Workspaces) -> Composer:
    """The composer of NOTICE rows: the notice as it was when the change was made."""

    def compose(row: Delivery, now: datetime, late: bool) -> Composed | None:
        notice = ChangeNotice.read(row.payload)
        meeting = meetings.by_id(row.team_id, row.meeting_id)
        if notice is None or meeting is None:
            return None
        tr = workspaces.channel_tr(row.team_id)  # channel posts: the workspace's language
        message = compose_notice(tr, meeting, notice)
        if message is None:
            return None
        return Composed(
            channel_id=meeting.channel_id,
            message=message,
            owner_id=notice.by,
            what=tr.gettext(
                "the notice that {ref} *{title}* changed ({when})",
                ref=meeting.ref,
                title=escape(meeting.title),
                when=tr.date(row.due_at),
            ),
        )

    return compose


def delivery_note(tr: Translator, row: Delivery | None, channel_id: str) -> str | None:
    """For the person who made a change: why its post is not in the channel yet (the
    row stays, and the alarm tries again), or None when it went out or is under way."""
    if row is None or row.state in (SENT, SENDING, ROW_SKIPPED):
        return None
    if row.state == PENDING and row.uncertain:
        return render.post_unconfirmed(tr, channel_id)
    if row.state == PENDING and row.last_error is None:  # waiting its turn in the channel
        return render.post_queued(tr, channel_id)
    if row.last_error in NOT_A_MEMBER:
        return render.not_in_channel(tr, channel_id)
    return render.post_failed(tr, channel_id)


class ChannelNotices:
    """Sends a change's notice row now, for the person who made the change."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def send_now(
        self, tr: Translator, team_id: str, meeting: Meeting, number: int | None
    ) -> str | None:
        """Post notice `number` of `meeting`; a note for its author when the channel
        could not be told (the row stays, and the alarm tries again)."""
        if not number:
            return None
        row = self.dispatcher.send_one(team_id, NOTICE, meeting.id, number)
        return delivery_note(tr, row, meeting.channel_id)
