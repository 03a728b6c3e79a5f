"""The Slack edge: each module wires plain functions to Bolt; `register_core` wires them all.

Features register their own listeners (their `listeners.py`); the core never names one.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt import App

from bot.feature import Core, Feature
from handlers import actions, commands, home, language, views


def register_core(app: App, core: Core, features: Sequence[Feature]) -> None:
    services = core.services()
    commands.register(app, services, features)
    actions.register(app, services)
    views.register(app, services)
    home.register(app, services)
    language.register(app, services)
