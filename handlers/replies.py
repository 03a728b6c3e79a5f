"""Work that finishes after the ack, and answering the user when it is done or fails."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, Respond
from slack_sdk.errors import SlackClientError

from bot import render
from bot.channel_posts import tell_user
from bot.feature import Services
from bot.i18n import Translator
from entities.errors import N_, AlreadyDone, DatabaseBusy, UserError
from handlers.context import RequestContext
from handlers.errors import BUSY, reference

log = logging.getLogger(__name__)

ALREADY_DONE = N_(
    "SalesMeet restarted before it could confirm this, but it was done; nothing was done twice."
)

# A feature's command handlers used to take this; the request context has every field.
Invocation = RequestContext


def reader(services: Services, team_id: str, user_id: str) -> Translator:
    """The user's language from what we already know; never waits on Slack."""
    return services.directory.reader(team_id, user_id)


def answer_later(
    services: Services,
    ctx: RequestContext,
    ack: Ack,
    respond: Respond,
    work: Callable[[], dict],
) -> None:
    """Ack now, run `work` after the ack and send its message (or the error) to the user,
    ephemeral.

    The request is already in the inbox (bot/retries.py): its first change commits
    "done" with it, and once the user has heard, it is finished; a process that dies in
    between leaves it to the next one, which carries it out without doing it twice.
    Whatever happens, the user hears back: a UserError becomes its message; anything else
    is logged with its traceback and a short reference, and the user gets an apology
    with the same reference. When the response_url fails, the answer goes as an ephemeral
    message or a DM instead.
    """
    services.retries.defer(ctx.request_key)
    ack()

    def run() -> None:
        try:
            with services.retries.acting_for(ctx.request_key):
                msg = work()
        except AlreadyDone:
            msg = render.error(ctx.tr, UserError(ALREADY_DONE))
        except UserError as error:
            msg = render.error(ctx.tr, error)
        except DatabaseBusy as error:
            log.warning("database busy after ack team=%s: %s", ctx.team_id, error)
            msg = render.error(ctx.tr, UserError(BUSY))
        except Exception:
            ref = reference()
            log.exception("command failed after ack [ref %s] team=%s", ref, ctx.team_id)
            msg = render.unexpected(ctx.tr, ref)
        told = True
        try:
            response = respond(response_type="ephemeral", replace_original=False, **msg)
            if getattr(response, "status_code", 200) >= 400:
                raise SlackClientError(f"response_url answered {response.status_code}")
        except (SlackClientError, OSError) as error:
            log.warning("could not answer through response_url: %r", error)
            told = tell_user(ctx.client, ctx.channel_id, ctx.user_id, msg)
        if told:
            services.retries.replied(ctx.request_key)

    services.retries.carry_out(ctx.request_key, run, services.background)


def tell_later(services: Services, ctx: RequestContext, work: Callable[[], dict | None]) -> None:
    """Run `work` after the ack of a click or a form (no response_url to answer through):
    the message it returns, or what went wrong, reaches the user as an ephemeral message
    in the channel (or a DM): a UserError as its message, anything else as an apology
    with the reference of its log line. None: nothing to say."""

    def run() -> None:
        try:
            msg = work()
        except UserError as error:
            msg = render.error(ctx.tr, error)
        except Exception:
            ref = reference()
            log.exception("action failed after ack [ref %s] team=%s", ref, ctx.team_id)
            msg = render.unexpected(ctx.tr, ref)
        if msg is not None:
            tell_user(ctx.client, ctx.channel_id or None, ctx.user_id, msg)

    services.background.submit(run)
