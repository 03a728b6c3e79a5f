"""Buttons: open the scheduling modal; add an agenda item to an occurrence."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.agenda_modal import agenda_item_view
from bot.feature import Services
from bot.meeting_posts import ADD_AGENDA_ACTION
from bot.values import AgendaForm, read_channel_id, read_occurrence_ref
from entities.errors import N_, UserError
from entities.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.context import RequestContext
from handlers.modals import open_schedule_modal

log = logging.getLogger(__name__)

FORM_EXPIRED = N_("That button is out of date. Try `/salesmeet agenda #<id> add <text>` instead.")


def register(app: App, services: Services) -> None:
    def open_modal(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        purpose = action.get("value") if action.get("value") in PURPOSES else DEFAULT_PURPOSE
        open_schedule_modal(services, ctx, purpose)

    def add_agenda_item(ack: Ack, action: dict, ctx: RequestContext) -> None:
        # Checked before the ack: a UserError raised here becomes the ack's answer.
        ref = read_occurrence_ref(action.get("value"))
        if ref is None:
            log.warning("add-agenda button with a value we never wrote, team=%s", ctx.team_id)
            raise UserError(FORM_EXPIRED)
        meeting = services.book.find(ctx.team_id, ref[0])
        metadata = AgendaForm(meeting.number, ref[1], read_channel_id(ctx.channel_id)).dump()
        tr = ctx.tr
        ack()
        try:
            ctx.client.views_open(
                trigger_id=ctx.trigger_id or "",
                view=agenda_item_view(tr, meeting, metadata),
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for an agenda item failed: %r", error)

    app.action("open_schedule_modal")(open_modal)
    app.action(ADD_AGENDA_ACTION)(add_agenda_item)
