"""Posting to channels and people, with Slack's refusals turned into notes for the user."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.i18n import Translator

log = logging.getLogger(__name__)

# Slack errors that mean "invite the bot to that channel".
NOT_A_MEMBER = {"not_in_channel", "channel_not_found", "is_archived"}
# Our posts carry message metadata naming what they are, so that after a timeout or a
# dropped connection we can look in the channel instead of guessing.
METADATA_EVENT = "salesmeet_post"


def post_key(install_id: str, team_id: str, kind: str, meeting_id: int, occurrence: int) -> str:
    """What a post is, unique across installs and databases: this database's random id,
    the workspace, what kind of post, the meeting (its id, stable within the database) and
    the occurrence. A per-database counter alone (`announce:1`) repeats after a reset."""
    return f"{install_id}:{team_id}:{kind}:{meeting_id}:{occurrence}"


def tagged(msg: dict, field: str, value: object) -> dict:
    return {**msg, "metadata": {"event_type": METADATA_EVENT, "event_payload": {field: value}}}


def find_posted(
    client: WebClient, channel_id: str, field: str, value: object, since: datetime | None = None
) -> str | None:
    """The ts of our post tagged `field = value` if it is in the channel's recent history.

    Any error (no history scope, Slack down) means "not found": a rare double post beats
    a lost one.
    """
    window = {"oldest": str(int(since.timestamp()) - 60)} if since else {}
    try:
        response = client.conversations_history(
            channel=channel_id, include_all_metadata=True, limit=200, **window
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        log.info("could not check %s for %s=%s: %r", channel_id, field, value, error)
        return None
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get(field) == value:
            return message.get("ts")
    return None


def post_to_channel(
    client: WebClient, channel_id: str, msg: dict, reader: Translator, key: str | None = None
) -> tuple[str | None, str | None]:
    """Post `msg` in a channel. Returns (ts, note): ts when posted, else a note telling
    the reader (in their language) why not and what to do.

    With a `key`, a post whose outcome is unknown (timeout, dropped connection) is looked
    for in the channel and sent again only if it is not there."""
    message = tagged(msg, "post", key) if key else msg
    for _ in range(3):  # as many tries as slack_sdk gives a dropped connection elsewhere
        try:
            response = client.chat_postMessage(channel=channel_id, **message)
            return response.get("ts"), None
        except SlackApiError as error:
            code = error.response.get("error")
            log.warning("chat.postMessage to %s failed: %s", channel_id, code)
            if code in NOT_A_MEMBER:
                return None, render.not_in_channel(reader, channel_id)
            return None, render.post_failed(reader, channel_id)
        except (SlackClientError, OSError) as error:
            log.warning("chat.postMessage to %s unconfirmed: %r", channel_id, error)
            if key is None:
                break
            ts = find_posted(client, channel_id, "post", key)
            if ts:
                return ts, None
    return None, render.post_unconfirmed(reader, channel_id)


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
