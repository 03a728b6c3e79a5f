"""Shared by the followups tests: finding posts and clicking the buttons on them."""

from __future__ import annotations

from simulator.webapi import Call
from tests.support.messages import text_of


def posted(slack, contains: str, channel: str = "CSALES") -> list[Call]:
    """chat.postMessage calls to `channel` whose text contains `contains`, oldest first."""
    return [
        c
        for c in slack.fake.calls_to("chat.postMessage")
        if not c.faulted and c.params.get("channel") == channel and contains in text_of(c.params)
    ]


def button(message: dict, action_id: str) -> dict:
    """The first button with this action id in a message or view's blocks."""
    for block in message.get("blocks") or []:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button in {message}")


def click_on(slack, call: Call, action_id: str, user: str = "UMAYA", team: str = "T1"):
    """Click a button on a message the bot posted, as Slack sends it (message in the payload)."""
    message = dict(call.response["message"])
    value = button(message, action_id).get("value")
    return slack.click(
        action_id,
        user=user,
        team=team,
        channel=call.response["channel"],
        value=value,
        message=message,
    )


def block_text(message: dict, block_id: str) -> str:
    for block in message.get("blocks") or []:
        if block.get("block_id") == block_id:
            return text_of({"blocks": [block]})
    raise AssertionError(f"no block {block_id} in {message}")


def updates(slack, ts: str) -> list[dict]:
    return [c.params for c in slack.fake.calls_to("chat.update") if c.params.get("ts") == ts]


__all__ = ["block_text", "button", "click_on", "posted", "text_of", "updates"]
