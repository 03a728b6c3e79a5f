"""Schema of the digest feature (see storage/migrations.py)."""

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
    # the one-off meetings ever held to find them (storage/windows.py, _WINDOW).
    db.execute(
        "CREATE INDEX idx_meetings_series ON meetings (team_id, starts_at) WHERE rrule IS NOT NULL"
    )


def v7_digest_admins_to_core(db: sqlite_utils.Database) -> None:
    """Who the admins and owners are is the core's now (v6_workspace_admins): what the
    digest last read from users.list moves there, so nobody's role blinks during the
    upgrade, and the digest's own copy goes."""
    db.execute(
        "INSERT OR IGNORE INTO workspace_admins (team_id, user_id)"
        " SELECT team_id, user_id FROM digest_recipients WHERE slack_admin = 1"
    )
    db.execute(
        "INSERT OR REPLACE INTO admin_syncs (team_id, synced_at)"
        " SELECT team_id, synced_at FROM digest_admin_sync"
    )
    db.execute("ALTER TABLE digest_recipients DROP COLUMN slack_admin")
    db.execute("DROP TABLE digest_admin_sync")


def v15_digest_history(db: sqlite_utils.Database) -> None:
    """The weeks behind the digest's chart, and the charts sent.

    `digest_weeks` keeps each finished week's attendee-hours, cost and hours per person
    (JSON), so the 8-week picture expands only the weeks not kept yet (one week, once
    the first digest has run), not eight weeks of series every Monday.
    `digest_charts` keeps the file each person's chart of a week was uploaded as: a
    retried DM shows the same file rather than uploading another, and App Home shows
    the last one.
    """
    db["digest_weeks"].create(
        {"team_id": str, "week": int, "attendee_hours": float, "cost": float, "people": str},
        pk=("team_id", "week"),
        not_null={"team_id", "week"},
    )
    db["digest_charts"].create(
        {
            "team_id": str,
            "user_id": str,
            "week": int,
            "kind": str,  # "team": a manager's picture; "own": a person's own weeks
            "file_id": str,
            "alt": str,
            "caption": str,
        },
        pk=("team_id", "user_id", "week", "kind"),
        not_null={"team_id", "user_id", "week", "kind", "file_id"},
    )
