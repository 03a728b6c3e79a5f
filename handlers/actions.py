"""Buttons: open the scheduling modal; add an agenda item to an occurrence."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.agenda_modal import agenda_item_view
from bot.feature import Services
from bot.meeting_posts import ADD_AGENDA_ACTION
from entities.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.context import RequestContext
from handlers.modals import open_schedule_modal

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def open_modal(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        purpose = action.get("value") if action.get("value") in PURPOSES else DEFAULT_PURPOSE
        open_schedule_modal(services, ctx, purpose)

    def add_agenda_item(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        value = action.get("value") or ""
        number, _, occurrence = value.partition(":")
        tr = ctx.tr
        meeting = services.book.get(ctx.team_id, int(number)) if number.isdigit() else None
        if meeting is None or not occurrence.isdigit():
            return
        metadata = json.dumps(
            {
                "number": meeting.number,
                "occurrence": int(occurrence),
                "channel_id": ctx.channel_id or None,
            }
        )
        try:
            ctx.client.views_open(
                trigger_id=ctx.trigger_id or "",
                view=agenda_item_view(tr, meeting, metadata),
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for an agenda item failed: %r", error)

    app.action("open_schedule_modal")(open_modal)
    app.action(ADD_AGENDA_ACTION)(add_agenda_item)
