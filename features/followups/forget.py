"""`/salesmeet forget`: followups' part (bot/forget.py has the whole story). The person's
RSVPs go; their name leaves the outcome notes, decisions and action items others wrote;
the due-date DMs still waiting for them are not sent. Their action items stay, with the
meeting's record."""

from __future__ import annotations

from bot.forget import former_member
from bot.hooks import ForgetPerson
from bot.workspace import Workspaces
from features.followups.service import ACTION
from storage.db import Database
from storage.forget import anonymise, anonymiser


def forget_person(
    database: Database, workspaces: Workspaces, also: ForgetPerson | None = None
) -> ForgetPerson:
    """The feature's hook: these tables, and `also` (its other tables' part, e.g. the
    "Worth the time?" answers)."""

    def forget(team_id: str, user_id: str) -> int:
        changed = also(team_id, user_id) if also else 0
        return changed + _forget(database, workspaces, team_id, user_id)

    return forget


def _forget(database: Database, workspaces: Workspaces, team_id: str, user_id: str) -> int:
    former = former_member(workspaces, team_id)
    with database.transaction() as db:
        replace = anonymiser(db, team_id, user_id, former)
        changed = db.execute(
            "DELETE FROM rsvps WHERE team_id = ? AND user_id = ?", [team_id, user_id]
        ).rowcount
        changed += anonymise(db, "outcomes", ["notes", "decisions"], team_id, replace)
        changed += anonymise(db, "action_items", ["text"], team_id, replace, key="id")
        # An action row is keyed (0, item id): the DM goes to the item's owner.
        db.execute(
            "UPDATE deliveries SET state = 'skipped' WHERE team_id = ? AND kind = ?"
            " AND state = 'pending' AND occurrence IN"
            " (SELECT id FROM action_items WHERE team_id = ? AND owner_id = ?)",
            [team_id, ACTION, team_id, user_id],
        )
    return changed
