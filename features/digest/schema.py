"""Schema of the digest feature: migration 4 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v4_digest(db: sqlite_utils.Database) -> None:
    """Who receives the weekly digest by DM, and an index to find a workspace's series.

    `digest_recipients` gives each manager of a workspace a stable number: the manager's
    DM of the week is the delivery row (team, "digest-dm", -number, week start), so the
    deliveries' unique key keeps each manager's DM to one a week. Negative, because
    positive meeting ids belong to meetings. `slack_admin` is what users.list said at
    the last sync (admins and owners are always managers); `digest_admin_sync` records
    when that was, so Slack is asked at most once an hour per workspace.
    """
    db["digest_recipients"].create(
        {"id": int, "team_id": str, "user_id": str, "slack_admin": int},
        pk="id",
        not_null={"team_id", "user_id"},
        defaults={"slack_admin": 0},
    )
    db["digest_recipients"].create_index(["team_id", "user_id"], unique=True)
    db["digest_admin_sync"].create({"team_id": str, "synced_at": int}, pk="team_id")
    # The digest reads every series of a workspace each week; without this it walks all
    # the one-off meetings ever held to find them (storage/digest.py, _WINDOW).
    db.execute(
        "CREATE INDEX idx_meetings_series ON meetings (team_id, starts_at) WHERE rrule IS NOT NULL"
    )
