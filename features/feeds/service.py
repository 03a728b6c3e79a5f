"""The rules of calendar feeds: whose link is whose, and what a calendar app is served.

A link is `<public URL>/calendar/<token>.ics`. The token is derived (HMAC) from the
person, a nonce of theirs and a key made of the server's secret and the database's own
half, so the same link is shown every time it is asked for, and only its hash is
stored. `reset` draws a new nonce and forgets every old hash: the old link answers 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot import ical
from bot.feature import Core
from bot.web import WebAnswer
from features.feeds.store import FeedStore

FEED_PATH = "/calendar/"
# A meeting stays in the feed this long after it ended, so calendars keep what happened
# instead of dropping each meeting the moment it is over.
KEPT_AFTER = timedelta(days=30)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
# Calendar apps poll; they may keep a copy but must ask again (with the ETag) each time.
CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True)
class FeedLink:
    https: str  # Google Calendar and Outlook subscribe to this
    webcal: str  # Apple Calendar (and Outlook) open this one directly


class Feeds:
    def __init__(self, core: Core) -> None:
        self.store = FeedStore(core.database)
        self.meetings = core.book.store
        self.clock = core.clock
        self.directory = core.directory
        self.site = core.site
        self._key: bytes | None = None

    @property
    def available(self) -> bool:
        """Links need the address calendars reach the app at (SALESMEET_PUBLIC_URL)."""
        return bool(self.site.public_url)

    def link(self, team_id: str, user_id: str) -> FeedLink:
        token = self.store.issue(
            team_id, user_id, self.clock.now(), self._deriver(team_id, user_id)
        )
        return self._link(token)

    def reset(self, team_id: str, user_id: str) -> tuple[FeedLink, int]:
        """A new link; returns it and how many old ones stopped working."""
        token, gone = self.store.reset(
            team_id, user_id, self.clock.now(), self._deriver(team_id, user_id)
        )
        return self._link(token), gone

    def forget(self, team_id: str, user_id: str) -> int:
        return self.store.forget(team_id, user_id)

    def page(self, path: str, headers: Mapping[str, str]) -> WebAnswer:
        """GET /calendar/<token>.ics: the owner's meetings as iCalendar, 304 when the
        calendar's copy (If-None-Match) is current, 404 for a link that isn't one."""
        token = path.removesuffix(".ics")
        owner = self.store.owner(token) if TOKEN.match(token) else None
        if owner is None:
            return WebAnswer(404, [("Content-Type", "text/plain; charset=utf-8")], b"No such feed.")
        team_id, user_id = owner
        content = self.calendar(team_id, user_id)
        etag = entity_tag(content)
        cached = [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
        if matches(headers.get("if-none-match"), etag):
            return WebAnswer(304, cached)
        return WebAnswer(
            200,
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", 'inline; filename="salesmeet.ics"'),
                *cached,
            ],
            content,
        )

    def calendar(self, team_id: str, user_id: str) -> bytes:
        """What `export` sends (their meetings, series with their rules, cancelled ones
        left out), plus meetings that ended within KEPT_AFTER."""
        now = self.clock.now()
        tr = self.directory.reader(team_id, user_id)
        kept = self.meetings.upcoming(team_id, now - KEPT_AFTER, user_id=user_id, limit=0)
        return ical.calendar_file(tr, team_id, [m for m, _ in kept], now)

    def _deriver(self, team_id: str, user_id: str) -> Callable[[str], str]:
        if self._key is None:
            self._key = hmac.new(self.site.secret, self.store.key(), hashlib.sha256).digest()
        key = self._key

        def derive(nonce: str) -> str:
            mac = hmac.new(key, f"{team_id}\n{user_id}\n{nonce}".encode(), hashlib.sha256)
            return base64.urlsafe_b64encode(mac.digest()[:24]).decode()  # 32 characters

        return derive

    def _link(self, token: str) -> FeedLink:
        https = f"{self.site.public_url}{FEED_PATH}{token}.ics"
        return FeedLink(https, "webcal://" + https.split("://", 1)[1])


def entity_tag(content: bytes) -> str:
    """The same while the meetings are: DTSTAMP (the time of serving) is left out."""
    lines = [line for line in content.splitlines() if not line.startswith(b"DTSTAMP")]
    return '"' + hashlib.sha256(b"\n".join(lines)).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110's weak comparison: `*`, or any listed tag equal to ours, W/ or not."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return etag in tags
