"""Schema of the calendar feeds (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v19_calendar_feeds(db: sqlite_utils.Database) -> None:
    """Each person's feed: a nonce the link is derived from (a reset draws a new one),
    and the hashes of the links handed out, by which a calendar's request is found.
    No link is stored: a copy of the database alone can't read anyone's calendar."""
    db["calendar_feeds"].create(
        {"team_id": str, "user_id": str, "nonce": str, "created_at": int},
        pk=("team_id", "user_id"),
    )
    db["calendar_feed_links"].create(
        {"token_hash": str, "team_id": str, "user_id": str, "created_at": int},
        pk="token_hash",
    )
    db["calendar_feed_links"].create_index(["team_id", "user_id"])
    # The database's own half of the key links are derived with (the server's secret
    # is the other half), so links still work with no secret set, as in the console.
    db["calendar_feed_key"].create({"id": int, "key": str}, pk="id")
