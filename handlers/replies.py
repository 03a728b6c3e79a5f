"""Shared by handlers: the reader's language, and work that finishes after the ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot import render
from bot.feature import Core
from bot.i18n import Translator, translator
from entities.errors import UserError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    """Who asked, where, and the client to answer with: what a feature handler needs."""

    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str | None
    client: WebClient


def reader(core: Core, team_id: str, user_id: str) -> Translator:
    """The user's language from what we already know; never waits on Slack."""
    person = core.directory.cached(team_id, user_id)
    return translator(person.locale if person else None)


def answer_later(
    core: Core,
    respond: Respond,
    tr: Translator,
    work: Callable[[], dict],
    fallback: Callable[[dict], object] | None = None,
) -> None:
    """Run `work` after the ack and send its message (or the error) to the user, ephemeral.

    Whatever happens, the user hears back: a UserError becomes its message, anything
    else is logged with its traceback and the user gets an apology. When the
    response_url fails, `fallback` delivers the message another way (ephemeral or DM).
    """

    def run() -> None:
        try:
            msg = work()
        except UserError as error:
            msg = render.error(tr, error)
        except Exception:
            log.exception("command failed after ack")
            msg = render.unexpected(tr)
        try:
            response = respond(response_type="ephemeral", replace_original=False, **msg)
            if getattr(response, "status_code", 200) >= 400:
                raise SlackClientError(f"response_url answered {response.status_code}")
        except (SlackClientError, OSError) as error:
            log.warning("could not answer through response_url: %r", error)
            if fallback is not None:
                fallback(msg)

    core.background.submit(run)
