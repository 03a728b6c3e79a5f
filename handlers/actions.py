"""Buttons: open the scheduling modal; add an agenda item to an occurrence; show the next
page of `list`; edit or undo a booking; pick the person a typed name meant."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.agenda_modal import agenda_item_view
from bot.channel_posts import tell_user
from bot.command import (
    LIST_MORE_ACTION,
    CancelMeeting,
    EditMeeting,
    Schedule,
    parse_command,
    read_list_page,
)
from bot.feature import Services
from bot.meeting_posts import ADD_AGENDA_ACTION
from bot.render import EDIT_ACTION, UNDO_ACTION
from bot.values import AgendaForm, read_channel_id, read_id, read_occurrence_ref
from entities.errors import N_, UserError
from entities.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.changes import PICK_ACTION
from handlers.commands import cancel, edit, schedule
from handlers.context import RequestContext
from handlers.modals import open_edit_modal, open_schedule_modal
from handlers.replies import answer_later

log = logging.getLogger(__name__)

FORM_EXPIRED = N_("That button is out of date. Try `/salesmeet agenda #<id> add <text>` instead.")
UNDO_EXPIRED = N_("Sorry, I couldn't read that button. Use `/salesmeet cancel #<id>` instead.")
PICK_EXPIRED = N_("Sorry, I couldn't read that button. Name them with an @mention instead.")
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

    def edit_meeting(ack: Ack, action: dict, ctx: RequestContext) -> None:
        number = read_id(action.get("value"))
        ack()
        if number is None:
            log.warning("edit button with a value we never wrote, team=%s", ctx.team_id)
            return
        open_edit_modal(services, ctx, number)

    def undo_schedule(ack: Ack, action: dict, respond: Respond, ctx: RequestContext) -> None:
        """Undo a booking just made: it is cancelled like `/salesmeet cancel`, channel told."""
        number = read_id(action.get("value"))
        if number is None:
            raise UserError(UNDO_EXPIRED)
        undo = CancelMeeting(number)
        answer_later(services, ctx, ack, respond, lambda: cancel(services, ctx, undo))

    def pick_attendee(ack: Ack, action: dict, respond: Respond, ctx: RequestContext) -> None:
        """The person meant by a name that fits several: the same request, with them."""
        try:
            wanted = parse_command(str(action.get("value") or ""))
        except UserError:
            wanted = None
        if isinstance(wanted, Schedule):
            run = schedule
        elif isinstance(wanted, EditMeeting) and not wanted.opens_form:
            run = edit
        else:
            log.warning("pick button with a value we never wrote, team=%s", ctx.team_id)
            raise UserError(PICK_EXPIRED)
        answer_later(services, ctx, ack, respond, lambda: run(services, ctx, wanted))

    app.action("open_schedule_modal")(open_modal)
    app.action(EDIT_ACTION)(edit_meeting)
    app.action(UNDO_ACTION)(undo_schedule)
    app.action(re.compile(f"^{PICK_ACTION}:[0-9]+$"))(pick_attendee)
    app.action(ADD_AGENDA_ACTION)(add_agenda_item)
    app.action(LIST_MORE_ACTION)(show_more)
