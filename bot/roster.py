"""Who is in a workspace: its members from Slack's users.list, read at most hourly and
only with that workspace's own token, so that typed names become attendees.

The same read tells who the admins and owners are (always managers, bot/managers.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import Clock
from bot.mrkdwn import Markup, mention
from entities.errors import N_, AmbiguousName, UserError
from entities.meetings import Attendee, Invitees
from entities.people import Member
from storage.admins import AdminStore
from storage.members import MemberStore

log = logging.getLogger(__name__)

# People join, leave and change names rarely; users.list is read at most this often.
SYNC_EVERY = timedelta(hours=1)
USERS_PAGE = 200
MAX_PAGES = 1000  # 200,000 people

NOT_A_MEMBER = N_(
    "“{name}” isn't a member of this workspace — for an outside guest give their email,"
    " like `{example}`."
)
UNKNOWN_MENTION = N_("<@{user}> isn't a member of this workspace.")
NO_ROSTER = N_(
    "I couldn't look up “{name}” in Slack just now. Invite them with an @mention, or try again."
)
GUEST_EXAMPLE = "Jane Doe <jane@acme.com>"


def _member(user: dict) -> Member | None:
    """A person users.list lists who can be invited: not deleted, not a bot."""
    if user.get("deleted") or user.get("is_bot") or user.get("id") == "USLACKBOT":
        return None
    profile = user.get("profile") or {}
    return Member(
        user_id=str(user.get("id") or ""),
        handle=str(user.get("name") or ""),
        display_name=str(profile.get("display_name") or ""),
        real_name=str(profile.get("real_name") or user.get("real_name") or ""),
    )


class Roster:
    def __init__(
        self,
        admins: AdminStore,
        members: MemberStore,
        clock: Clock,
        client_for: Callable[[str], WebClient],
        team_id: str | None = None,
    ) -> None:
        self.admins = admins
        self.members = members
        self.clock = clock
        self.client_for = client_for
        # The workspace the token belongs to, when known; else asked per workspace.
        self._only = team_id
        self._served: dict[str, bool] = {team_id: True} if team_id else {}

    def sync(self, team_id: str, force: bool = False) -> bool:
        """Read the workspace's members from users.list, at most hourly. Any Slack error
        keeps what we knew. Returns whether a read happened."""
        now = self.clock.now()
        last = self.admins.synced_at(team_id)
        if not force and last is not None and timedelta(0) <= now - last < SYNC_EVERY:
            return False
        client = self._client(team_id)
        if client is None:
            return False
        members: list[Member] = []
        admins: set[str] = set()
        cursor = None
        try:
            for _ in range(MAX_PAGES):
                page = client.users_list(limit=USERS_PAGE, cursor=cursor)
                for user in page.get("members") or []:
                    member = _member(user)
                    if member is None or not member.user_id:
                        continue
                    members.append(member)
                    if user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"):
                        admins.add(member.user_id)
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.list failed for %s: %r", team_id, error)
            return False
        self.members.replace(team_id, members)
        self.admins.sync(team_id, admins, now)
        return True

    def attendees(
        self, team_id: str, invitees: Invitees, client: WebClient
    ) -> tuple[Attendee, ...]:
        """The attendees `invitees` names: every typed name matched to one member (by
        display name, real name or first name, ignoring case and accents) and every
        @mention checked to be a member. Raises AmbiguousName when a name fits several
        people and UserError when it fits nobody: a name never silently becomes a guest."""
        if not invitees:
            return ()
        self.sync(team_id)
        known = self.members.known(team_id)
        found: list[Attendee] = []
        for attendee in invitees.attendees:
            if (
                attendee.user_id
                and known
                and not self._is_member(team_id, attendee.user_id, client)
            ):
                raise UserError(UNKNOWN_MENTION, "attendees", user=attendee.user_id)
            found.append(attendee)
        for name in invitees.names:
            if not known:
                raise UserError(NO_ROSTER, "attendees", name=name)
            matches = self.members.named(team_id, name)
            if not matches:
                raise UserError(NOT_A_MEMBER, "attendees", name=name, example=GUEST_EXAMPLE)
            # Everyone the name fits is a candidate, whether it is their whole name or
            # only their first: two Priyas means asking which, even if one's handle is
            # `priya`.
            best = [member for member, _ in matches]
            if len(best) > 1:
                people = Markup(", ".join(mention(m.user_id) for m in best))
                raise AmbiguousName(name, tuple((m.user_id, m.shown_name) for m in best), people)
            found.append(Attendee(user_id=best[0].user_id))
        return tuple({attendee.key: attendee for attendee in found}.values())

    def _is_member(self, team_id: str, user_id: str, client: WebClient) -> bool:
        """In the last read, or someone who joined since (asked of users.info)."""
        if self.members.has(team_id, user_id):
            return True
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if (error.response or {}).get("error") in ("user_not_found", "users_not_found"):
                return False
            log.warning("users.info failed for %s/%s: %r", team_id, user_id, error)
            return True  # can't tell: don't refuse someone over Slack's hiccup
        except (SlackClientError, OSError) as error:
            log.warning("users.info failed for %s/%s: %r", team_id, user_id, error)
            return True
        member = _member(user)
        if member is None or user.get("team_id", team_id) != team_id:
            return False
        self.members.add(team_id, member)
        return True

    def _client(self, team_id: str) -> WebClient | None:
        """The client if its token belongs to `team_id` (asked once, via auth.test)."""
        if self._only is not None and team_id != self._only:
            return None
        client = self.client_for(team_id)
        if team_id not in self._served:
            try:
                self._served[team_id] = client.auth_test().get("team_id") == team_id
            except (SlackApiError, SlackClientError, OSError) as error:
                log.info("auth.test failed: %r", error)
                return None
        return client if self._served[team_id] else None
