"""Posting to channels and people, with Slack's refusals turned into notes for the user."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

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


# What a check of recent history asks for: the few messages since the post was tried.
# Outside the Slack Marketplace Slack returns at most 15 a call (May 2025).
HISTORY_LIMIT = 15
# A post that went out did so while its try ran: it is looked for from a little before
# the try began (clock skew, whole seconds) to a little after the client's timeout, so a
# busy channel's other messages rarely fill the page.
HISTORY_BEFORE = timedelta(seconds=5)
HISTORY_AFTER = timedelta(seconds=20)
# Answers meaning "Slack could not answer now", as opposed to a refusal that will stand.
TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass(frozen=True)
class Lookup:
    """Whether a post is in its conversation: found (its ts), not there, or unknown (Slack
    rate-limited the check or could not answer: ask again later, never post again now)."""

    ts: str | None = None
    channel: str | None = None  # the conversation it was found in (a DM's D… id)
    unknown: bool = False
    retry_after: float | None = None  # Slack's Retry-After, when it rate-limited the check
    error: str | None = None

    @property
    def found(self) -> bool:
        return self.ts is not None


NOT_THERE = Lookup()


def is_user(target: str) -> bool:
    """A user id (a DM is posted to the person): U… or, on Enterprise Grid, W…."""
    return target[:1] in ("U", "W")


def _unknown(error: Exception) -> Lookup | None:
    """Lookup for a failed call, or None when Slack refused for good (no scope to read
    history, not in the channel): then a post is sent again rather than lost."""
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        code = response.get("error") or ""
        if status == 429:
            retry = (getattr(response, "headers", None) or {}).get("Retry-After")
            seconds = float(retry) if retry and str(retry).isdigit() else 60.0
            return Lookup(unknown=True, retry_after=seconds, error="ratelimited")
        if status >= 500 or code in TRANSIENT:
            return Lookup(unknown=True, error=code or str(status))
        return None
    return Lookup(unknown=True, error=type(error).__name__)


def find_posted(
    client: WebClient,
    target: str,
    field: str,
    value: object,
    since: datetime | None = None,
    limit: int = HISTORY_LIMIT,
    pages: int = 1,
    until: datetime | None = None,
) -> Lookup:
    """Is our post tagged `field = value` in the conversation `target` (a channel, or a
    person for a DM), posted from `since` (when its first unconfirmed try began) to
    `until` (when its last try began; default `since`)?

    conversations.history takes a conversation id, never a user id: for a DM, the DM is
    opened (conversations.open) and its id is read. Only the few messages around the try
    are asked for, at most `pages` pages of them. A rate limit or Slack failure is
    `unknown`: the caller keeps the post and asks again later rather than posting it
    twice; so is a window with more messages than the pages held."""
    window = {}
    if since is not None:
        window = {
            "oldest": str(int((since - HISTORY_BEFORE).timestamp())),
            "latest": str(int(((until or since) + HISTORY_AFTER).timestamp())),
            "inclusive": True,
        }
    channel, cursor = target, None
    try:
        if is_user(target):
            opened = client.conversations_open(users=target)
            channel = (opened.get("channel") or {}).get("id") or ""
        for _ in range(max(pages, 1)):
            response = client.conversations_history(
                channel=channel,
                include_all_metadata=True,
                limit=limit,
                **window,
                **({"cursor": cursor} if cursor else {}),
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get(field) == value:
                    return Lookup(ts=message.get("ts"), channel=channel)
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                return NOT_THERE
    except (SlackApiError, SlackClientError, OSError) as error:
        log.info("could not check %s for %s=%s: %r", target, field, value, error)
        return _unknown(error) or NOT_THERE
    # More messages in the window than the pages read: ours may be among the rest.
    return Lookup(unknown=True, error="has_more")


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
            looked = find_posted(client, channel_id, "post", key)
            if looked.found:
                return looked.ts, None
            if looked.unknown:
                break  # it may be there: better unconfirmed than posted twice
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
