"""App Home: published when the user opens the tab, and again by features after a change."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feature import Services
from bot.home import MAX_MEETINGS, home_view
from handlers.context import RequestContext

log = logging.getLogger(__name__)


def build_home(services: Services, team_id: str, user_id: str) -> dict:
    """The user's App Home from what is stored; no Slack calls."""
    tr = services.directory.reader(team_id, user_id)
    upcoming, total = services.book.upcoming(team_id, user_id, limit=MAX_MEETINGS)
    return home_view(tr, services.hooks, team_id, user_id, upcoming, total)


def publish_home(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    """Publish the user's App Home; a failure only costs this refresh (it is logged)."""
    try:
        client.views_publish(user_id=user_id, view=build_home(services, team_id, user_id))
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("views.publish failed for %s: %r", user_id, error)


def register(app: App, services: Services) -> None:
    def home_opened(event: dict, ctx: RequestContext) -> None:
        if event.get("tab") != "home":
            return
        publish_home(services, ctx.client, ctx.team_id, ctx.user_id)

    app.event("app_home_opened")(home_opened)
