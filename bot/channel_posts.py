"""Posting to channels and people, with Slack's refusals turned into notes for the user."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.i18n import Translator

log = logging.getLogger(__name__)

# Slack errors that mean "invite the bot to that channel".
NOT_A_MEMBER = {"not_in_channel", "channel_not_found", "is_archived"}


def post_to_channel(
    client: WebClient, channel_id: str, msg: dict, reader: Translator
) -> tuple[str | None, str | None]:
    """Post `msg` in a channel. Returns (ts, note): ts when posted, else a note telling
    the reader (in their language) why not and what to do."""
    try:
        response = client.chat_postMessage(channel=channel_id, **msg)
        return response.get("ts"), None
    except SlackApiError as error:
        code = error.response.get("error")
        log.warning("chat.postMessage to %s failed: %s", channel_id, code)
        if code in NOT_A_MEMBER:
            return None, render.not_in_channel(reader, channel_id)
        return None, render.post_failed(reader, channel_id)
    except (SlackClientError, OSError) as error:
        log.warning("chat.postMessage to %s failed: %r", channel_id, error)
        return None, render.post_failed(reader, channel_id)


def tell_user(client: WebClient, channel_id: str | None, user_id: str, msg: dict) -> bool:
    """An ephemeral message in the channel, or a DM when that is not possible."""
    if channel_id:
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, **msg)
            return True
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("ephemeral in %s failed (%r); sending a DM instead", channel_id, error)
    try:
        client.chat_postMessage(channel=user_id, **msg)
        return True
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("could not reach %s at all: %r", user_id, error)
        return False
