"""The simulator's request builders, signed on the wall clock Bolt checks signatures
against (the simulator reads no clock of its own)."""

from __future__ import annotations

from bot.clock import SystemClock
from simulator import requests as simulated
from simulator.requests import (
    FORM,
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    post,
    slash_command_body,
    view_submission_payload,
)

WALL = SystemClock()


def signature_headers(
    signing_secret: str, body: str, timestamp: float | None = None, content_type: str = FORM
) -> dict[str, str]:
    """Slack's signing headers for `body`, sent now unless `timestamp` says when."""
    when = WALL.epoch() if timestamp is None else timestamp
    return simulated.signature_headers(signing_secret, body, when, content_type)


__all__ = [
    "FORM",
    "JSON",
    "WALL",
    "block_actions_payload",
    "event_body",
    "interaction_body",
    "post",
    "signature_headers",
    "slash_command_body",
    "view_submission_payload",
]
