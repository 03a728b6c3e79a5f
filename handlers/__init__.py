"""Slack surfaces: each module wires plain functions to Bolt in `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.factory import Services
from handlers import actions, commands, events, views


def register_all(app: App, services: Services) -> None:
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
