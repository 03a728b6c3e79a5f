"""`/salesmeet forget me` / `forget @person`: ask first, forget on Forget, nothing on
Cancel. The rules are bot/forget.py's; both the question and the forgetting run after
the ack, since finding out who may be forgotten asks Slack."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackClientError

from bot.channel_posts import tell_user
from bot.feature import Services
from bot.forget import (
    EXPIRED,
    FORGET_ACTION,
    HELP,
    KEEP_ACTION,
    Forget,
    confirm_message,
    forgotten_message,
    kept_message,
    parse_forget,
    read_target,
)
from entities.errors import UserError
from handlers.context import RequestContext
from handlers.replies import answer_later

log = logging.getLogger(__name__)

__all__ = ["HELP", "commands", "register", "verbs"]


def verbs() -> dict:
    return {"forget": parse_forget}


def commands() -> dict:
    return {Forget: ask}


def ask(services: Services, ctx: RequestContext, command: Forget) -> dict:
    """Nothing goes yet: who may be forgotten is checked, and they are asked to confirm."""
    target = services.forget.target(ctx.client, ctx.person, command.user_id)
    return confirm_message(ctx.tr, target, services.forget.former(ctx.team_id))


def register(app: App, services: Services) -> None:
    def forget(ack: Ack, action: dict, respond: Respond, ctx: RequestContext) -> None:
        user_id = read_target(action.get("value"))
        if user_id is None:
            log.warning("forget button with a value we never wrote, team=%s", ctx.team_id)
            raise UserError(EXPIRED)

        def work() -> dict:
            # Checked again at the press: the button only says whom, never who may.
            target = services.forget.target(ctx.client, ctx.person, user_id)
            tr = ctx.tr  # read now: their own language setting is about to go
            done = services.forget.forget(ctx.team_id, target)
            return forgotten_message(tr, target, done)

        answer_later(services, ctx, ack, _in_place(respond), work)

    def keep(ack: Ack, respond: Respond, ctx: RequestContext) -> None:
        ack()
        message = kept_message(ctx.tr)
        if respond.response_url:  # the question, replaced; a press from nowhere gets a note
            respond(response_type="ephemeral", replace_original=True, **message)
        else:
            tell_user(ctx.client, ctx.channel_id, ctx.user_id, message)

    app.action(FORGET_ACTION)(forget)
    app.action(KEEP_ACTION)(keep)


def _in_place(respond: Respond):
    """The answer takes the question's place, so its buttons can't be pressed again."""

    def send(**message):
        if not respond.response_url:  # not pressed on a message: answer_later tells them
            raise SlackClientError("no response_url to answer the press through")
        return respond(**{**message, "replace_original": True})

    return send
