"""Schema of the followups feature: migrations 5 and 16 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v5_followups(db: sqlite_utils.Database) -> None:
    """RSVPs per occurrence, meeting outcomes, action items, agenda carry-overs."""
    # One answer per person and occurrence; answering again replaces it.
    db["rsvps"].create(
        {
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,  # the occurrence's key (original start, epoch seconds)
            "user_id": str,
            "answer": str,  # going | not_going
            "answered_at": int,
        },
        pk=("team_id", "meeting_id", "occurrence", "user_id"),
        not_null={"answer"},
    )
    # Notes and decisions of one occurrence; recording again replaces them.
    db["outcomes"].create(
        {
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,
            "notes": str,
            "decisions": str,
            "recorded_by": str,
            "recorded_at": int,
        },
        pk=("team_id", "meeting_id", "occurrence"),
    )
    db["action_items"].create(
        {
            "id": int,
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,  # the occurrence it was agreed at
            "text": str,
            "owner_id": str,
            "due_on": str,  # a calendar day, YYYY-MM-DD: due dates have no zone
            "created_by": str,
            "created_at": int,
            "done_at": int,
            "done_by": str,
            # The form and row it came from: a repeated submission adds nothing twice.
            "source": str,
        },
        pk="id",
        not_null={"team_id", "meeting_id", "occurrence", "text", "owner_id", "due_on"},
    )
    db["action_items"].create_index(["team_id", "source"], unique=True)
    db["action_items"].create_index(["team_id", "meeting_id", "done_at"])
    db["action_items"].create_index(["team_id", "owner_id", "done_at"])
    # An agenda item not discussed is copied to the next occurrence once, however often
    # the outcome form is sent.
    db["agenda_carryovers"].create(
        {"team_id": str, "item_id": int, "new_item_id": int, "carried_at": int},
        pk=("team_id", "item_id"),
    )


def v16_worth_answers(db: sqlite_utils.Database) -> None:
    """ "Worth the time?" after an occurrence: one answer per attendee and occurrence,
    changed in place until answers close. Read back only as counts (who answered what is
    never shown)."""
    db["worth_answers"].create(
        {
            "team_id": str,
            "meeting_id": int,
            "occurrence": int,  # the occurrence's key (original start, epoch seconds)
            "user_id": str,
            "worth": int,  # 1: worth the time, 0: not
            # When the occurrence was held (moves included): what the digest's window reads.
            "started_at": int,
            "answered_at": int,
        },
        pk=("team_id", "meeting_id", "occurrence", "user_id"),
        not_null={"worth", "started_at"},
    )
    db["worth_answers"].create_index(["team_id", "started_at"])
    db["worth_answers"].create_index(["team_id", "user_id"])
