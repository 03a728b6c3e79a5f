"""Buttons: open the scheduling modal; add an agenda item to an occurrence; show the next
page of `list`."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.agenda_modal import agenda_item_view
from bot.channel_posts import tell_user
from bot.command import LIST_MORE_ACTION, read_list_page
from bot.feature import Services
from bot.meeting_posts import ADD_AGENDA_ACTION
from bot.values import AgendaForm, read_channel_id, read_occurrence_ref
from entities.errors import N_, UserError
from entities.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.context import RequestContext
from handlers.modals import open_schedule_modal

log = logging.getLogger(__name__)

FORM_EXPIRED = N_("That button is out of date. Try `/salesmeet agenda #<id> add <text>` instead.")
LIST_EXPIRED = N_(
    "Sorry, I couldn't read that button. Try `/salesmeet list page 2` or"
    " `/salesmeet list mine page 2` instead."
)


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

    def show_more(
        ack: Ack, action: dict, body: dict, respond: Respond, ctx: RequestContext
    ) -> None:
        """The next page of `list`, in place of the page the button was on: Slack lets a
        response_url replace the message it came from, ephemeral or not."""
        ack()
        tr = ctx.tr
        wanted = read_list_page(action.get("value"))
        if wanted is None:
            log.warning("show-more button with a value we never wrote, team=%s", ctx.team_id)
            answer = render.error(tr, UserError(LIST_EXPIRED))
        else:
            mine = ctx.user_id if wanted.mine else None
            meetings, total = services.book.upcoming(
                ctx.team_id, mine, limit=wanted.size, page=wanted.page
            )
            answer = render.meeting_list(
                tr, meetings, total, wanted.mine, wanted.page, wanted.size, wanted.more
            )
        if body.get("response_url"):
            # A value we never wrote leaves the page as it was and answers beside it.
            respond(response_type="ephemeral", replace_original=wanted is not None, **answer)
        else:  # not from a message (App Home has no response_url): answer them privately
            tell_user(ctx.client, ctx.channel_id, ctx.user_id, answer)

    app.action("open_schedule_modal")(open_modal)
    app.action(ADD_AGENDA_ACTION)(add_agenda_item)
    app.action(LIST_MORE_ACTION)(show_more)
