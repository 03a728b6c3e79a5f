"""Slack surfaces: each module wires plain functions to Bolt in `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.factory import Services
from handlers import actions, commands, digest, events, followups, recognition, views

# Commands of the features, by command type (see handlers/commands.py).
FEATURE_COMMANDS = {**recognition.COMMANDS, **digest.COMMANDS, **followups.COMMANDS}


def register_all(app: App, services: Services) -> None:
    commands.register(app, services, FEATURE_COMMANDS)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
    for feature in (recognition, digest, followups):
        feature.register(app, services)
