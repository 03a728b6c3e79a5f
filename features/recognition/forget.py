"""`/salesmeet forget`: recognition's part (bot/forget.py has the whole story). The
shout-outs the person gave (their own ratings of others) and received (others' ratings of
them) go; their name leaves the reasons and win notes others wrote. Wins stay: they are
the team's sales, which its goal counts."""

from __future__ import annotations

from bot.forget import former_member
from bot.hooks import ForgetPerson
from bot.workspace import Workspaces
from storage.db import Database
from storage.forget import anonymise, anonymiser


def forget_person(database: Database, workspaces: Workspaces) -> ForgetPerson:
    def forget(team_id: str, user_id: str) -> int:
        former = former_member(workspaces, team_id)
        with database.transaction() as db:
            replace = anonymiser(db, team_id, user_id, former)
            changed = db.execute(
                "DELETE FROM shoutouts WHERE team_id = ? AND (giver_id = ? OR recipient_id = ?)",
                [team_id, user_id, user_id],
            ).rowcount
            changed += anonymise(db, "shoutouts", ["reason"], team_id, replace, key="id")
            changed += anonymise(db, "wins", ["note"], team_id, replace, key="id")
        return changed

    return forget
