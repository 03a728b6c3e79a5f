"""Slack surfaces of written updates: the organiser's Skip / Keep buttons, the Write my
update button on the request in the channel, and the form.

Each listener acks at once, reads its payload through the service's strict readers,
calls the service (features/updates/service.py), renders with blocks.py and answers.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.channel_posts import tell_user
from bot.feature import Services
from bot.notices import delivery_note
from bot.values import read_id, read_occurrence_ref
from entities.errors import N_, UserError
from features.updates import blocks
from features.updates.service import (
    EXPIRED,
    SKIP,
    Decision,
    Updates,
    check_update,
    read_form_state,
    read_update,
)
from handlers.changes import tell_the_others
from handlers.context import RequestContext
from handlers.replies import tell_later

log = logging.getLogger(__name__)


def register(app: App, *, services: Services, updates: Updates) -> None:
    """Wire this feature's buttons and its form."""

    def tell(ctx: RequestContext, error: UserError) -> None:
        tell_later(services, ctx, lambda: render.error(ctx.tr, error))

    def show_decided(body: dict, ctx: RequestContext, decision: Decision) -> None:
        """The organiser's DM says what was decided, in place of its buttons: the DM the
        question went out as (its delivery row), never whatever message the press names."""
        meeting = decision.meeting
        asked_in = updates.check_sent(ctx.team_id, meeting.id, decision.occurrence.key)
        if asked_in is None:
            return
        tr = services.directory.reader(ctx.team_id, meeting.organiser_id)  # their DM
        asked = len(updates.updates(decision.round))
        message = blocks.decided_dm(tr, meeting, decision.occurrence, decision.round, asked)
        try:
            ctx.client.chat_update(
                channel=asked_in.channel_id or "", ts=asked_in.message_ts or "", **message
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("could not update the async check of %s: %r", meeting.ref, error)

    def skip_and_ask(body: dict, ctx: RequestContext, number: int, key: int) -> dict | None:
        person, tr = ctx.person, ctx.tr
        decision = updates.skip_and_ask(ctx.team_id, person, number, key)
        meeting = decision.meeting
        note = None
        if decision.told:  # this press skipped it: the same notices as `/salesmeet skip`
            notice = render.skipped_notice(tr, meeting, decision.occurrence, ctx.user_id)
            note = services.notices.send_now(tr, ctx.team_id, meeting, decision.told)
            tell_the_others(services, ctx, meeting, notice)
        if decision.round.decision == SKIP:
            # At once; a row Slack refused (or a restart cut short) stays for the alarm.
            row = updates.send_ask(decision.round)
            note = note or delivery_note(tr, row, decision.round.channel_id)
        show_decided(body, ctx, decision)
        if not decision.created:
            return blocks.already_decided(tr, meeting, decision.round)
        return render.message(note, [render.context(note)]) if note else None

    def keep(body: dict, ctx: RequestContext, number: int, key: int) -> dict | None:
        person, tr = ctx.person, ctx.tr
        decision = updates.keep(ctx.team_id, person, number, key)
        show_decided(body, ctx, decision)
        return (
            None
            if decision.created
            else blocks.already_decided(tr, decision.meeting, decision.round)
        )

    def decide(work):
        def listener(ack: Ack, action: dict, body: dict, ctx: RequestContext) -> None:
            ack()
            parsed = read_occurrence_ref(action.get("value") or "")
            if parsed is not None:
                tell_later(services, ctx, lambda: work(body, ctx, *parsed))

        return listener

    def write(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        round_id = read_id(action.get("value") or "")
        if round_id is None:
            return
        try:
            form = updates.update_form(ctx.team_id, ctx.user_id, round_id, ctx.channel_id or None)
        except UserError as error:
            tell(ctx, error)
            return
        try:
            ctx.client.views_open(
                trigger_id=ctx.trigger_id or "", view=blocks.update_view(ctx.tr, form)
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for a written update failed: %r", error)
            tell(ctx, UserError(N_("I couldn't open the form. Please try again.")))

    def submitted(ack: Ack, view: dict, ctx: RequestContext) -> None:
        state = read_form_state(view.get("private_metadata") or "")
        update = read_update(view)
        problems = {"done": UserError(EXPIRED, "done")} if state is None else check_update(update)
        if state is not None and not problems:
            try:
                form = updates.write(ctx.team_id, ctx.user_id, state, update)
            except UserError as error:
                problems = {"done": error}
        if problems:
            errors = {block: ctx.tr.error(error) for block, error in problems.items()}
            ack(response_action="errors", errors=errors)
            return
        ack()
        where = form.channel_id
        services.background.submit(
            lambda: tell_user(ctx.client, where, ctx.user_id, blocks.thanks(ctx.tr, form))
        )

    app.action(blocks.SKIP_ACTION)(decide(skip_and_ask))
    app.action(blocks.KEEP_ACTION)(decide(keep))
    app.action(blocks.WRITE_ACTION)(write)
    app.view(blocks.UPDATE_CALLBACK)(submitted)
