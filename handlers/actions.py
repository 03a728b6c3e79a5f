"""Buttons."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.factory import Services
from bot.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.modals import open_schedule_modal


def register(app: App, services: Services) -> None:
    def open_modal(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        purpose = action.get("value") if action.get("value") in PURPOSES else DEFAULT_PURPOSE
        channel_id = (body.get("channel") or {}).get("id")
        open_schedule_modal(
            services,
            client,
            body.get("trigger_id"),
            body["team"]["id"] if body.get("team") else body["user"]["team_id"],
            body["user"]["id"],
            channel_id,
            purpose,
        )

    app.action("open_schedule_modal")(open_modal)
