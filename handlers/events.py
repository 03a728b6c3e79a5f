"""Events: App Home shows my next meetings with my RSVP, my meeting hours this week
against the limit, my open action items, what other features add, and buttons to
schedule a meeting or add an agenda item."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.factory import Services
from bot.followups.home import MAX_ITEMS, MAX_MEETINGS, HomeMeeting, home_view
from bot.followups.periods import hours, occurrences_between, period_bounds
from handlers.replies import reader
from storage.followups import ActionItemStore, PeriodStore, RsvpStore

log = logging.getLogger(__name__)


def build_home(services: Services, team_id: str, user_id: str) -> dict:
    """The user's App Home from what is stored; no Slack calls."""
    tr = reader(services, team_id, user_id)
    now = services.clock.now()
    settings = services.workspaces.settings(team_id)
    upcoming, total = services.book.upcoming(team_id, user_id, limit=MAX_MEETINGS)
    answers = RsvpStore(services.database).answers_of(
        team_id, user_id, [(m.id, o.key) for m, o in upcoming]
    )
    meetings = [HomeMeeting(m, o, answers.get((m.id, o.key))) for m, o in upcoming]
    week_start, week_end = period_bounds(now, settings.tz, "this", "week")
    mine = occurrences_between(
        PeriodStore(services.database),
        services.book.store,
        team_id,
        week_start,
        week_end,
        user_id=user_id,
    )
    items = ActionItemStore(services.database)
    extra = services.features.home_blocks(tr, team_id, user_id)
    return home_view(
        tr,
        meetings,
        total,
        hours=hours(mine),
        limit=settings.weekly_hours_limit,
        items=items.open_for_owner(team_id, user_id, limit=MAX_ITEMS),
        items_total=items.count_open_for_owner(team_id, user_id),
        extra=extra,
        today=now.astimezone(ZoneInfo(settings.tz)).date(),
    )


def publish_home(services: Services, client: WebClient, team_id: str, user_id: str) -> None:
    try:
        view = build_home(services, team_id, user_id)
        client.views_publish(user_id=user_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("views.publish failed for %s: %r", user_id, error)


def register(app: App, services: Services) -> None:
    def home_opened(event: dict, body: dict, client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        team_id = body.get("team_id") or ""
        publish_home(services, client, team_id, event["user"])

    app.event("app_home_opened")(home_opened)
