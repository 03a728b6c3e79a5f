"""The simulated workspace behind the local console: a sales team in four zones."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    real_name: str
    tz: str
    city: str
    is_admin: bool = False


@dataclass(frozen=True)
class Channel:
    channel_id: str
    name: str
    bot_member: bool = True


TEAM_ID = "TLOCAL"
TEAM_NAME = "Acme Sales (local console)"
BOT_USER_ID = "USALESMEET"
BOT_ID = "BSALESMEET"
BOT_TOKEN = "xoxb-console"  # a placeholder: the console talks to its own double

MEMBERS = (
    Member("UMAYA", "maya", "Maya Tan", "Asia/Kuala_Lumpur", "Kuala Lumpur"),
    Member("URAVI", "ravi", "Ravi Kumar", "Asia/Kolkata", "Mumbai"),
    Member("USAM", "sam", "Sam Carter", "America/New_York", "New York"),
    Member("UOLIVIA", "olivia", "Olivia Brown", "Europe/London", "London", is_admin=True),
)
CHANNELS = (Channel("CSALES", "sales"),)
SALES = CHANNELS[0]
# Weekly posts (digest, shout-outs) follow the workspace's zone.
WORKSPACE_TZ = "Asia/Kuala_Lumpur"


def member(name_or_id: str) -> Member | None:
    """A member by user name (`ravi`, `@ravi`), first name or user id."""
    key = name_or_id.strip().lstrip("@").lower()
    for m in MEMBERS:
        if key in (m.name, m.user_id.lower(), m.real_name.lower(), m.real_name.split()[0].lower()):
            return m
    return None


def channel(name_or_id: str) -> Channel | None:
    key = name_or_id.strip().lstrip("#").lower()
    for c in CHANNELS:
        if key in (c.name, c.channel_id.lower()):
            return c
    return None
