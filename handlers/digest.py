"""Slack surfaces of the digest feature (bot/digest/): its commands, buttons and modals."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.factory import Services

# Command type (from bot/digest VERBS) -> handler(services, invocation, command) -> message
COMMANDS: dict[type, Callable[..., dict]] = {}


def register(app: App, services: Services) -> None:
    """Wire this feature's buttons, modals and events."""
