"""Schema migrations, applied in order at start and recorded by name in the database.

Append new migrations; never edit one that has shipped. Hand-rolled rather than
sqlite-utils' `Migrations` helper: each step runs inside our own `BEGIN IMMEDIATE`, so
two processes starting on one file cannot both apply it, and a failed step leaves no half
of itself behind; and features contribute their steps to one ordered list.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class Migration:
    name: str  # recorded in schema_migrations; never renamed once shipped
    apply: Callable[[sqlite_utils.Database], None]


def _v1_meetings(db: sqlite_utils.Database) -> None:
    db["meetings"].create(
        {
            "id": int,
            "team_id": str,
            "number": int,  # shown to users as #number, counted per workspace
            "title": str,
            "starts_at": int,  # UTC epoch seconds
            "duration_min": int,
            "tz": str,  # IANA zone the meeting was scheduled in (the organiser's)
            "purpose": str,
            "format": str,
            "link": str,
            "channel_id": str,
            "organiser_id": str,
            "status": str,  # scheduled | cancelled
            "created_at": int,
            "cancelled_at": int,
            "cancelled_by": str,
        },
        pk="id",
        not_null={"team_id", "number", "title", "starts_at", "duration_min", "tz", "status"},
    )
    db["meetings"].create_index(["team_id", "number"], unique=True)
    db["meetings"].create_index(["team_id", "status", "starts_at"])
    db["attendees"].create(
        {
            "id": int,
            "team_id": str,
            "meeting_id": int,
            "user_id": str,  # a Slack member, or NULL for an external guest
            "guest": str,  # an external guest's name or email
        },
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
        not_null={"team_id", "meeting_id"},
    )
    db["attendees"].create_index(["team_id", "meeting_id"])
    db["attendees"].create_index(["team_id", "user_id"])
    db["people"].create(
        {
            "team_id": str,
            "user_id": str,
            "name": str,
            "tz": str,
            "locale": str,
            "is_admin": int,
            "is_owner": int,
            "fetched_at": int,
        },
        pk=("team_id", "user_id"),
    )
    db["schedule_requests"].create(
        {
            "team_id": str,
            "user_id": str,
            "channel_id": str,
            "request_key": str,  # the request's text, normalised
            "meeting_id": int,
            "received_at": int,
        },
        pk=("team_id", "user_id", "channel_id", "request_key"),
    )


def _v2_timed_posts(db: sqlite_utils.Database) -> None:
    meetings = db["meetings"]
    meetings.add_column("rrule", str)  # RFC 5545 RRULE for a series; NULL for a one-off
    meetings.add_column("agenda_lead_min", int)  # NULL: the workspace's default
    meetings.add_column("reminder_lead_min", int)
    meetings.add_column("planned_until", int)  # deliveries exist up to this instant
    # Skipped or moved occurrences; `occurrence` is the original start (epoch seconds).
    db["occurrence_changes"].create(
        {
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,
            "skipped": int,
            "moved_to": int,
            "changed_by": str,
            "changed_at": int,
        },
        pk=("meeting_id", "occurrence"),
        foreign_keys=[("meeting_id", "meetings", "id")],
        not_null={"team_id"},
    )
    db["agenda_items"].create(
        {
            "id": int,
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,
            "text": str,
            "author_id": str,
            "created_at": int,
        },
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
        not_null={"team_id", "meeting_id", "occurrence", "text"},
    )
    db["agenda_items"].create_index(["team_id", "meeting_id", "occurrence"])
    # Every timed post is a row; the unique key makes "post it twice" impossible to store.
    db["deliveries"].create(
        {
            "id": int,
            "team_id": str,
            "kind": str,  # agenda | reminder | ...
            "meeting_id": int,  # 0 for workspace-wide posts
            "occurrence": int,  # the occurrence's original start, or a period's start
            "due_at": int,
            "state": str,  # pending | sending | sent | failed | missed | skipped
            "attempts": int,
            "last_error": str,
            "uncertain": int,  # the last try timed out: Slack may have posted it
            "message_ts": str,
            "channel_id": str,
            "late": int,
            "claimed_by": str,
            "claimed_at": int,
            "sent_at": int,
            "created_at": int,
        },
        pk="id",
        not_null={"team_id", "kind", "meeting_id", "occurrence", "due_at", "state"},
        defaults={"attempts": 0, "uncertain": 0, "late": 0, "state": "pending"},
    )
    db["deliveries"].create_index(["team_id", "kind", "meeting_id", "occurrence"], unique=True)
    db["deliveries"].create_index(["state", "due_at"])
    db["leases"].create({"name": str, "holder": str, "expires_at": int}, pk="name")
    db["workspace_settings"].create(
        {"team_id": str, "key": str, "value": str}, pk=("team_id", "key")
    )


def _v6_workspace_admins(db: sqlite_utils.Database) -> None:
    """Who Slack says the admins and owners are (always managers), from users.list, and
    when it was last asked, so that it is asked at most hourly per workspace."""
    db["workspace_admins"].create({"team_id": str, "user_id": str}, pk=("team_id", "user_id"))
    db["admin_syncs"].create({"team_id": str, "synced_at": int}, pk="team_id")


# The core's schema; each feature brings its own (Feature.migrations) and the composition
# root hands the whole list, core first, to Database.
def _v8_install_identity(db: sqlite_utils.Database) -> None:
    """A random id for this database, made once: our posts' metadata keys start with it,
    so a post of another install, or of this install's database before a reset, is never
    mistaken for one of ours when the channel's history is checked."""
    db["install_identity"].create({"id": str}, pk="id")
    db["install_identity"].insert({"id": secrets.token_hex(16)})


def _v9_slack_requests(db: sqlite_utils.Database) -> None:
    """Requests already received (storage/requests.py), so Slack's retries do nothing twice."""
    db["slack_requests"].create(
        {
            "key": str,
            "team_id": str,  # the workspace that sent it, for retention and deletion
            "received_at": int,
            "status": int,
            "content_type": str,
            "body": bytes,
        },
        pk="key",
        not_null={"received_at"},
    )
    db["slack_requests"].create_index(["received_at"])


def _v10_request_inbox(db: sqlite_utils.Database) -> None:
    """The ledger is also the inbox: each request is kept as received, before it is acked,
    with who is handling it and when its work was done and answered, so a request acked
    by a process that then died is carried out after the restart."""
    requests = db["slack_requests"]
    requests.add_column("request", bytes)  # the body as Slack sent it
    requests.add_column("request_type", str)  # its content type
    requests.add_column("holder", str)  # host:pid:nonce of the process handling it
    requests.add_column("done_at", int)  # the change it asked for was committed
    requests.add_column("replied_at", int)  # and the user was answered
    requests.add_column("replays", int, not_null_default=0)
    requests.create_index(["replied_at", "received_at"])


def _v11_notice_payloads(db: sqlite_utils.Database) -> None:
    """A post that follows a user's change (a move, skip or cancel notice) is a delivery
    row written with the change; what it says is kept with it, as JSON."""
    db["deliveries"].add_column("payload", str)


def _v12_people_and_edits(db: sqlite_utils.Database) -> None:
    """Guests' emails; each workspace's members by the names they can be invited by (from
    users.list); a meeting's own outcome-prompt switch; and, for a series edited after it
    began, the row that keeps its past as it was (`edited_into` the meeting it became,
    which keeps the number: numbers are unique among current meetings only)."""
    db["attendees"].add_column("email", str)
    db["meetings"].add_column("outcome_prompt", int)  # NULL: as the workspace says; 0: off
    db["meetings"].add_column("edited_into", int)
    db.execute("DROP INDEX idx_meetings_team_id_number")
    db.execute(
        "CREATE UNIQUE INDEX meetings_current_number ON meetings (team_id, number)"
        " WHERE edited_into IS NULL"
    )
    db["workspace_members"].create(
        {"team_id": str, "user_id": str, "handle": str, "display_name": str, "real_name": str},
        pk=("team_id", "user_id"),
    )
    db["member_names"].create(
        {"team_id": str, "name_key": str, "user_id": str, "rank": int},
        pk=("team_id", "name_key", "user_id"),
    )


def _v13_personal_settings(db: sqlite_utils.Database) -> None:
    """What a person chose for themselves (their language), apart from the `people`
    cache that each users.info read replaces."""
    db["person_settings"].create(
        {"team_id": str, "user_id": str, "key": str, "value": str},
        pk=("team_id", "user_id", "key"),
    )


def _v14_installations(db: sqlite_utils.Database) -> None:
    """Installs over OAuth (tokens sealed), the OAuth flow's states, and workspaces that
    uninstalled, with when their data goes (SALESMEET_RETENTION_DAYS)."""
    db["installations"].create(
        {
            "enterprise_key": str,  # '' when not on Enterprise Grid
            "team_key": str,  # '' for an org-wide install
            "team_id": str,
            "enterprise_id": str,
            "is_enterprise_install": int,
            "team_name": str,
            "details": str,  # the installation without its secrets, as JSON
            "secrets": str,  # its tokens, sealed (storage/seal.py)
            "installed_at": int,
        },
        pk=("enterprise_key", "team_key"),
    )
    db["oauth_states"].create({"state": str, "expires_at": int}, pk="state")
    db["uninstalls"].create(
        {"team_id": str, "uninstalled_at": int, "delete_after": int}, pk="team_id"
    )
    # Workspaces whose token Slack refused: their posts wait until it is installed again.
    db["workspace_holds"].create({"team_id": str, "reason": str, "since": int}, pk="team_id")
    # The org of each workspace of an Enterprise Grid org-wide install, as requests show.
    db["workspace_orgs"].create({"team_id": str, "enterprise_id": str}, pk="team_id")


def _v17_pacing(db: sqlite_utils.Database) -> None:
    """A post held back by pacing (Slack's one post a second per channel, a Retry-After)
    waits in its row until `not_before`; `paced_for` is how long, in seconds, which is
    not lateness (a post is judged late or missed on the rest)."""
    db["deliveries"].add_column("not_before", int)
    db["deliveries"].add_column("paced_for", int, not_null_default=0)
    # When its outcome first became unknown: history is read from then on.
    db["deliveries"].add_column("unsure_since", int)
    db.execute(
        "CREATE INDEX deliveries_paced ON deliveries (not_before)"
        " WHERE state = 'pending' AND not_before IS NOT NULL"
    )


def _v15_read_indexes(db: sqlite_utils.Database) -> None:
    """Indexes for the reads that must not scan (issue 15): `list` takes the one-offs
    ahead in start order (and counts them) from one index; a person's meetings start
    from their ids (as organiser, as attendee); the window query finds one-offs by start
    and moved occurrences by where they moved. The two attendee indexes are replaced by
    ones holding both ids."""
    # With status as a column (not in the WHERE) SQLite, which never runs ANALYZE here,
    # prefers these to the (team_id, status, starts_at) index for the same terms.
    db.execute(
        "CREATE INDEX meetings_upcoming_plain ON meetings"
        " (team_id, status, starts_at, number, duration_min) WHERE rrule IS NULL"
    )
    db.execute("CREATE INDEX meetings_series ON meetings (team_id, status, rrule)")
    db.execute("CREATE INDEX meetings_by_organiser ON meetings (team_id, organiser_id)")
    db.execute(
        "CREATE INDEX meetings_window_one_offs ON meetings (team_id, starts_at) WHERE rrule IS NULL"
    )
    # Both attendee indexes hold the two ids, so both cover a lookup of seats: else
    # SQLite reads a meeting's seats through attendees_by_user, the whole workspace's.
    db.execute("CREATE INDEX attendees_by_user ON attendees (team_id, user_id, meeting_id)")
    db.execute("DROP INDEX IF EXISTS idx_attendees_team_id_user_id")
    db.execute("CREATE INDEX attendees_by_meeting ON attendees (team_id, meeting_id, user_id)")
    db.execute("DROP INDEX IF EXISTS idx_attendees_team_id_meeting_id")
    db.execute(
        "CREATE INDEX occurrence_changes_by_team ON occurrence_changes (team_id, meeting_id)"
    )
    db.execute(
        "CREATE INDEX occurrence_changes_moved ON occurrence_changes (team_id, moved_to)"
        " WHERE moved_to IS NOT NULL"
    )


CORE_MIGRATIONS: tuple[Migration, ...] = (
    Migration("v1_meetings", _v1_meetings),
    Migration("v2_timed_posts", _v2_timed_posts),
    Migration("v6_workspace_admins", _v6_workspace_admins),
    Migration("v8_install_identity", _v8_install_identity),
    Migration("v9_slack_requests", _v9_slack_requests),
    Migration("v10_request_inbox", _v10_request_inbox),
    Migration("v11_notice_payloads", _v11_notice_payloads),
    Migration("v12_people_and_edits", _v12_people_and_edits),
    Migration("v13_personal_settings", _v13_personal_settings),
    Migration("v14_installations", _v14_installations),
    Migration("v17_pacing", _v17_pacing),
    Migration("v15_read_indexes", _v15_read_indexes),
)


def applied(db: sqlite_utils.Database) -> set[str]:
    """Names of the migrations this database has seen."""
    if "schema_migrations" not in db.table_names():
        return set()
    return {row[0] for row in db.execute("SELECT name FROM schema_migrations")}


def migrate(db: sqlite_utils.Database, migrations: Sequence[Migration]) -> list[str]:
    """Apply, in order, every migration the database has not seen yet; return their names.

    Known by name, not by position: a feature's migrations can be listed without the core
    numbering them, and a database made before a feature was added still gets its tables.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT)"
    )
    done: list[str] = []
    for migration in migrations:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-checked inside the lock: another process may have migrated meanwhile.
            if migration.name in applied(db):
                db.execute("ROLLBACK")
                continue
            migration.apply(db)
            db.execute("INSERT INTO schema_migrations (name) VALUES (?)", [migration.name])
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        done.append(migration.name)
    return done
