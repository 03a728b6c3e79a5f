"""Schema of the updates feature: migration 18 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v18_written_updates(db: sqlite_utils.Database) -> None:
    """The organiser's answer to "nothing on the agenda: skip it?", and the written
    updates that replace a skipped occurrence."""
    # One decision per occurrence: the first press wins, a second changes nothing.
    db["update_rounds"].create(
        {
            "id": int,
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,  # the occurrence's key (original start, epoch seconds)
            "decision": str,  # skip | keep
            "decided_by": str,  # NULL once that person asked to be forgotten
            "decided_at": int,
            "starts_at": int,  # when it would have started: the summary goes out then
            "channel_id": str,  # the meeting's channel: the ask and the summary go there
            "saved_minutes": int,  # the meeting's length times the people asked
        },
        pk="id",
        not_null={"team_id", "meeting_id", "occurrence", "decision", "decided_at"},
    )
    db["update_rounds"].create_index(["team_id", "meeting_id", "occurrence"], unique=True)
    db["update_rounds"].create_index(["team_id", "starts_at"])
    # One row per person asked; written_at stays NULL until they write. Writing again
    # replaces their update.
    db["written_updates"].create(
        {
            "team_id": str,
            "round_id": int,
            "user_id": str,
            "done": str,
            "next_steps": str,
            "blockers": str,
            "written_at": int,
        },
        pk=("team_id", "round_id", "user_id"),
    )
    db["written_updates"].create_index(["team_id", "user_id"])
