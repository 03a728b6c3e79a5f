"""Opening the scheduling modal, from the command, a button or App Home; and the same
form filled in with a meeting, to edit it."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.channel_posts import tell_user
from bot.feature import Services
from bot.modal import schedule_view
from entities.errors import N_, UserError
from entities.meetings import DEFAULT_PURPOSE
from handlers.context import RequestContext

log = logging.getLogger(__name__)


def open_schedule_modal(
    services: Services, ctx: RequestContext, purpose: str = DEFAULT_PURPOSE
) -> None:
    """views.open at once (a trigger_id lives 3 seconds), then warm the user's cache entry
    so the submission can read their time zone without waiting on Slack."""
    client, team_id, user_id = ctx.client, ctx.team_id, ctx.user_id
    channel_id = ctx.channel_id or None
    person = services.directory.cached(team_id, user_id)
    tr = ctx.tr
    view = schedule_view(
        tr, person.tz if person else None, services.clock.now(), channel_id, purpose
    )
    try:
        client.views_open(trigger_id=ctx.trigger_id or "", view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("views.open failed: %r", error)
        problem = UserError(N_("I couldn't open the scheduling form. Please try again."))
        tell_user(client, channel_id, user_id, render.error(tr, problem))
        return
    if person is None:
        services.background.submit(_warm, services, client, team_id, user_id)


def open_edit_modal(services: Services, ctx: RequestContext, number: int) -> None:
    """The scheduling form filled in with meeting `number`, for its organiser or a
    manager; anyone else, or a meeting that is over, hears why instead."""
    tr = ctx.tr
    try:
        meeting = services.book.find(ctx.team_id, number)
        services.book.check_may_edit(meeting, ctx.person)
        view = schedule_view(
            tr, ctx.person.tz, services.clock.now(), meeting.channel_id, meeting=meeting
        )
    except UserError as error:
        tell_user(ctx.client, ctx.channel_id or None, ctx.user_id, render.error(ctx.tr, error))
        return
    try:
        ctx.client.views_open(trigger_id=ctx.trigger_id or "", view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("views.open for an edit failed: %r", error)
        problem = UserError(
            N_("I couldn't open the form. Try `/salesmeet edit #{number} for 45m` instead."),
            number=number,
        )
        tell_user(ctx.client, ctx.channel_id or None, ctx.user_id, render.error(tr, problem))


def _warm(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    try:
        services.directory.person(client, team_id, user_id)
    except UserError:
        log.info("could not warm the cache for %s/%s", team_id, user_id)
