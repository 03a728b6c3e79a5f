"""The simulated workspaces: a sales team in four zones, and who is where.

One team, three installs of it: `ACME` for the tests (with a channel the bot is not in),
`GLOBEX` as the tests' second workspace on the same database, and `LOCAL` behind the
local console. `FakeSlack.add_workspace` registers one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """A person in the workspace; `name` is their Slack handle (`@maya`)."""

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


@dataclass(frozen=True)
class Workspace:
    team_id: str
    name: str
    bot_token: str
    members: tuple[Member, ...]
    channels: tuple[Channel, ...]
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    domain: str = "salesteam"
    # Weekly posts (digest, shout-outs) follow the workspace's zone.
    tz: str = "Asia/Kuala_Lumpur"

    def member(self, name_or_id: str) -> Member | None:
        """A member by handle (`ravi`, `@ravi`), first or full name, or user id."""
        key = name_or_id.strip().lstrip("@").lower()
        for m in self.members:
            names = (m.name, m.user_id.lower(), m.real_name.lower(), m.real_name.split()[0].lower())
            if key in names:
                return m
        return None

    def channel(self, name_or_id: str) -> Channel | None:
        """A channel by name (`sales`, `#sales`) or id."""
        key = name_or_id.strip().lstrip("#").lower()
        for c in self.channels:
            if key in (c.name, c.channel_id.lower()):
                return c
        return None

    @property
    def sales(self) -> Channel:
        """#sales, where the team meets."""
        found = self.channel("sales")
        assert found is not None, f"{self.name} has no #sales"
        return found


MAYA = Member("UMAYA", "maya", "Maya Tan", "Asia/Kuala_Lumpur", "Kuala Lumpur")
RAVI = Member("URAVI", "ravi", "Ravi Kumar", "Asia/Kolkata", "Mumbai")
SAM = Member("USAM", "sam", "Sam Carter", "America/New_York", "New York")
OLIVIA = Member("UOLIVIA", "olivia", "Olivia Brown", "Europe/London", "London", is_admin=True)
SALES_TEAM = (MAYA, RAVI, SAM, OLIVIA)

SALES = Channel("CSALES", "sales")
QUIET = Channel("CQUIET", "quiet", bot_member=False)

# The tests' workspace; its tokens are placeholders no scanner takes for real ones.
ACME = Workspace("T1", "Acme", "xoxb-t1-test", SALES_TEAM, (SALES, QUIET))

# A second install on the same database: the same channel id and one user id in common
# (a different person there), and Greg in New York as its admin.
GLOBEX = Workspace(
    "T2",
    "Globex",
    "xoxb-t2-test",
    (
        Member("UMAYA", "maya-at-globex", "Maya Lee", "Europe/London", "London"),
        Member("UGREG", "greg", "Greg Olsen", "America/New_York", "New York", is_admin=True),
    ),
    (SALES,),
    domain="globex",
)

# Behind the local console (`make run` without tokens, `make demo`).
LOCAL = Workspace(
    "TLOCAL",
    "Acme Sales (local console)",
    "xoxb-console",
    SALES_TEAM,
    (SALES,),
    bot_user_id="USALESMEET",
    bot_id="BSALESMEET",
    domain="acme-sales",
)
