"""Schema of the recognition feature: migration 3 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v3_recognition(db: sqlite_utils.Database) -> None:
    """Shout-outs, wins, the team goal, and where recognition last happened."""
    db["shoutouts"].create(
        {
            "id": int,
            "team_id": str,
            "giver_id": str,
            "recipient_id": str,
            "reason": str,  # as typed (escaped when posted)
            "channel_id": str,  # where the command was typed
            "request_key": str,  # recipients + reason, normalised: the repeat check
            "created_at": int,  # UTC epoch seconds
        },
        pk="id",
        not_null={"team_id", "giver_id", "recipient_id", "reason", "created_at"},
    )
    db["shoutouts"].create_index(["team_id", "created_at"])
    db["shoutouts"].create_index(["team_id", "giver_id", "created_at"])
    db["wins"].create(
        {
            "id": int,
            "team_id": str,
            "user_id": str,  # who closed the deal
            "logged_by": str,  # the same person, or a manager
            "amount_cents": int,  # hundredths of the currency unit, always positive
            "currency": str,  # ISO 4217 code
            "note": str,
            "channel_id": str,
            "request_key": str,
            "created_at": int,
        },
        pk="id",
        not_null={"team_id", "user_id", "logged_by", "amount_cents", "currency", "created_at"},
    )
    db["wins"].create_index(["team_id", "created_at"])
    db["wins"].create_index(["team_id", "logged_by", "created_at"])
    # One current goal per workspace; setting a new one replaces it.
    db["team_goals"].create(
        {
            "team_id": str,
            "amount_cents": int,
            "currency": str,
            "period": str,  # month | quarter
            "set_by": str,
            "set_at": int,
        },
        pk="team_id",
        not_null={"amount_cents", "currency", "period"},
    )
    # Where the weekly post goes when no shout-out channel is configured, and whom to
    # tell when it cannot go out: the last channel and person of any recognition.
    db["recognition_places"].create(
        {"team_id": str, "channel_id": str, "user_id": str, "updated_at": int},
        pk="team_id",
    )
