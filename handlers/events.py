"""Events: App Home shows the user's next meetings and a button to schedule one."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.factory import Services
from handlers.replies import reader

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def home_opened(event: dict, body: dict, client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        team_id = body.get("team_id") or ""
        user_id = event["user"]
        tr = reader(services, team_id, user_id)
        meetings, total = services.book.upcoming(team_id, user_id, limit=20)
        extra = services.features.home_blocks(tr, team_id, user_id)
        view = render.home_view(tr, meetings, total, extra)
        try:
            client.views_publish(user_id=user_id, view=view)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.publish failed for %s: %r", user_id, error)

    app.event("app_home_opened")(home_opened)
