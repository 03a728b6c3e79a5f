"""Who people are: zone, locale and admin flags from Slack's users.info, cached in SQLite."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import Clock
from bot.i18n import Translator, reader_locale, translator
from bot.workspace import Workspaces
from entities.errors import N_, UserError
from entities.people import Person
from storage.people import PeopleStore

log = logging.getLogger(__name__)

# Zones and admin flags change rarely; an hour keeps users.info calls rare without
# leaving someone who just moved (or lost admin rights) wrong for long.
CACHE_TTL = timedelta(hours=1)


def _zone(name: str | None) -> str:
    try:
        ZoneInfo(name or "")
        return name or "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"


class Directory:
    def __init__(
        self,
        people: PeopleStore,
        clock: Clock,
        workspaces: Workspaces | None = None,
        ttl: timedelta = CACHE_TTL,
    ) -> None:
        self.people = people
        self.clock = clock
        self.workspaces = workspaces
        self.ttl = ttl

    def _with_role(self, person: Person | None) -> Person | None:
        if person is None or self.workspaces is None:
            return person
        managers = self.workspaces.settings(person.team_id).managers
        return replace(person, configured_manager=person.user_id in managers)

    def reader(self, team_id: str, user_id: str, person: Person | None = None) -> Translator:
        """The translator of what this person reads alone: their own language (their
        choice, else their Slack locale when SalesMeet speaks it, else the workspace's),
        dates in their zone. Never waits on Slack."""
        known = person or self.people.get(team_id, user_id)
        chosen = known.language if known else self.people.language(team_id, user_id)
        workspace = self.workspaces.settings(team_id).language if self.workspaces else None
        locale = reader_locale(chosen, known.locale if known else None, workspace)
        return translator(locale, known.tz if known else None)

    def choose_language(self, team_id: str, user_id: str, language: str | None) -> None:
        self.people.set_language(team_id, user_id, language)

    def cached(self, team_id: str, user_id: str) -> Person | None:
        """What we know without asking Slack (possibly stale)."""
        return self._with_role(self.people.get(team_id, user_id))

    def person(self, client: WebClient, team_id: str, user_id: str) -> Person:
        """The person, fresh enough, with their manager role from the workspace settings."""
        person = self._fetch(client, team_id, user_id)
        return self._with_role(person) or person

    def _fetch(self, client: WebClient, team_id: str, user_id: str) -> Person:
        """The person, fresh enough; asks Slack when the cache is old or empty.

        When Slack cannot be reached, a stale entry is better than nothing; with no
        entry at all the user is asked to try again.
        """
        now = self.clock.now()
        known = self.people.get(team_id, user_id)
        if known and now.timestamp() - known.fetched_at < self.ttl.total_seconds():
            return known
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.info failed for %s/%s: %s", team_id, user_id, error)
            if known:
                return known
            raise UserError(
                N_("I couldn't reach Slack to look up your time zone. Please try again.")
            ) from error
        profile = user.get("profile") or {}
        person = Person(
            team_id=team_id,
            user_id=user_id,
            name=profile.get("display_name") or user.get("real_name") or user.get("name") or "",
            tz=_zone(user.get("tz")),
            locale=user.get("locale") or "en-US",
            is_admin=bool(user.get("is_admin")),
            is_owner=bool(user.get("is_owner")),
        )
        return self.people.save(person, now)
