"""Events: App Home shows my next meetings with my RSVP, my meeting hours this week
against the limit, my open action items, what other features add, and buttons to
schedule a meeting or add an agenda item."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feature import Core
from features.followups.home import MAX_ITEMS, MAX_MEETINGS, HomeMeeting, home_view
from features.followups.periods import hours, occurrences_between, period_bounds
from features.followups.store import ActionItemStore, PeriodStore, RsvpStore
from handlers.replies import reader

log = logging.getLogger(__name__)


def build_home(core: Core, team_id: str, user_id: str) -> dict:
    """The user's App Home from what is stored; no Slack calls."""
    tr = reader(core, team_id, user_id)
    now = core.clock.now()
    settings = core.workspaces.settings(team_id)
    upcoming, total = core.book.upcoming(team_id, user_id, limit=MAX_MEETINGS)
    answers = RsvpStore(core.database).answers_of(
        team_id, user_id, [(m.id, o.key) for m, o in upcoming]
    )
    meetings = [HomeMeeting(m, o, answers.get((m.id, o.key))) for m, o in upcoming]
    week_start, week_end = period_bounds(now, settings.tz, "this", "week")
    mine = occurrences_between(
        PeriodStore(core.database),
        core.book.store,
        team_id,
        week_start,
        week_end,
        user_id=user_id,
    )
    items = ActionItemStore(core.database)
    extra = core.hooks.home_blocks(tr, team_id, user_id)
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


def publish_home(core: Core, client: WebClient, team_id: str, user_id: str) -> None:
    try:
        view = build_home(core, team_id, user_id)
        client.views_publish(user_id=user_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("views.publish failed for %s: %r", user_id, error)


def register(app: App, core: Core) -> None:
    def home_opened(event: dict, body: dict, client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        team_id = body.get("team_id") or ""
        publish_home(core, client, team_id, event["user"])

    app.event("app_home_opened")(home_opened)
