"""`/salesmeet forget`: one person's rows in the core's tables, and the one way every part
(the core here, each feature in its own `forget.py`) replaces their name in text that
others wrote, so it reads the same wherever it was.

What stays is the meetings' record: meetings they organised, attendee rows, agenda items
they added, who changed what. Those hold a Slack user id, which Slack itself shows as the
person is now (a deactivated account once they left); only free text is rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import replace as replace_fields

import sqlite_utils

from entities.people import Member, fold
from storage.db import Database
from storage.members import MemberStore

# Shorter whole names match too much ordinary text ("Al", "Jo").
MIN_NAME = 3


@dataclass(frozen=True)
class Anonymiser:
    """Replaces one person's mentions (`<@U123>`, `<@U123|maya>`) and names in a text."""

    pattern: re.Pattern[str]
    likes: tuple[str, ...]  # SQL LIKE patterns that find the rows worth reading
    former: str  # what they become: "a former member", in the workspace's language

    def __call__(self, text: str) -> str:
        return self.pattern.sub(self.former, text)


def _names(db: sqlite_utils.Database, team_id: str, user_id: str) -> list[str]:
    """The names this person is known by here: their @handle, whole display and real
    names, and a first name no other member of the workspace answers to."""
    found: set[str] = set()
    firsts: set[str] = set()
    for handle, display, real in db.execute(
        "SELECT handle, display_name, real_name FROM workspace_members"
        " WHERE team_id = ? AND user_id = ?",
        [team_id, user_id],
    ).fetchall():
        if handle:
            found.add("@" + handle)
        for whole in (display, real):
            if whole and whole.strip():
                found.add(" ".join(whole.split()))
                firsts.add(whole.split()[0])
    for (cached,) in db.execute(
        "SELECT name FROM people WHERE team_id = ? AND user_id = ?", [team_id, user_id]
    ).fetchall():
        if cached and cached.strip():
            found.add(" ".join(cached.split()))
            firsts.add(cached.split()[0])
    for first in firsts:
        # Someone else called Maya keeps their name: a first name alone could be theirs.
        shared = db.execute(
            "SELECT 1 FROM member_names WHERE team_id = ? AND name_key = ? AND user_id != ?"
            " LIMIT 1",
            [team_id, fold(first), user_id],
        ).fetchone()
        if shared is None:
            found.add(first)
    return sorted((n for n in found if len(n.lstrip("@")) >= MIN_NAME), key=len, reverse=True)


def anonymiser(db: sqlite_utils.Database, team_id: str, user_id: str, former: str) -> Anonymiser:
    """How to take this person out of a text, from what the workspace knows of them now
    (read before their rows go)."""
    names = _names(db, team_id, user_id)
    mention = rf"<@{re.escape(user_id)}(?:\|[^>]*)?>"
    # Whole words only, longest first: "Maya Tan" before "Maya", never "Mayday". A name of
    # one word is also an ordinary word ("Will", "Hope"): only as written or capitalised.
    spoken = [rf"(?<![\w@]){_cased(name)}(?!\w)" for name in names]
    pattern = re.compile("|".join([mention, *spoken]))
    likes = (f"%<@{_like(user_id)}%", *(f"%{_like(name)}%" for name in names))
    return Anonymiser(pattern, likes, former)


def _cased(name: str) -> str:
    if name.startswith("@") or " " in name:
        return f"(?i:{re.escape(name)})"
    forms = dict.fromkeys([name, name[:1].upper() + name[1:]])
    return "(?:" + "|".join(re.escape(form) for form in forms) + ")"


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def anonymise(
    db: sqlite_utils.Database,
    table: str,
    columns: Sequence[str],
    team_id: str,
    replace: Anonymiser,
    key: str = "rowid",
) -> int:
    """Rewrite `columns` of the workspace's rows of `table` that name the person; how many
    rows changed. Only rows LIKE finds are read (case-insensitive, as the names are)."""
    where = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns for _ in replace.likes)
    params = [like for _ in columns for like in replace.likes]
    rows = db.execute(
        f"SELECT {key}, {', '.join(columns)} FROM {table} WHERE team_id = ? AND ({where})",
        [team_id, *params],
    ).fetchall()
    changed = 0
    for row_key, *texts in rows:
        after = [replace(t) if t else t for t in texts]
        if after != texts:
            sets = ", ".join(f"{c} = ?" for c in columns)
            db.execute(
                f"UPDATE {table} SET {sets} WHERE team_id = ? AND {key} = ?",
                [*after, team_id, row_key],
            )
            changed += 1
    return changed


@dataclass(frozen=True)
class CoreForgotten:
    """What the core's tables let go of, for the person's answer."""

    settings: int  # their own choices (language)
    profile: int  # a leaver's row in the roster (names, handle); their cache row is not
    # counted: each request anyone makes looks them up again, so it always "goes"
    texts: int  # meeting titles and agenda items that now say "a former member"


class ForgetStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.members = MemberStore(database)

    def remember(self, team_id: str, member: Member) -> None:
        """Their names as Slack has them now, so every part replaces those too (a leaver
        has dropped out of the roster); the core deletes them again with the rest."""
        self.members.add(team_id, member)

    @contextmanager
    def before_the_change(self) -> Iterator[None]:
        """The features' parts come first and commit on their own; the request counts as
        done only with the core's rows (`forget`, last), so a process that dies between
        them does it all again after the restart, not half (bot/retries.py)."""
        with self.database.acting_for(lambda db: None):
            yield

    def forget(self, team_id: str, user_id: str, former: str, left: bool) -> CoreForgotten:
        """Everything of the person in the core's tables, in one transaction. `left`: they
        are no longer a member, so their row in the roster goes too (a member's comes back
        with the next hourly read of Slack's member list anyway)."""
        with self.database.transaction() as db:
            replace = anonymiser(db, team_id, user_id, former)  # before their names go
            texts = anonymise(db, "meetings", ["title"], team_id, replace, key="id")
            texts += anonymise(db, "agenda_items", ["text"], team_id, replace, key="id")
            # A change's notice keeps the old title in its JSON (not counted: never shown
            # but in that notice); the phrase goes in as JSON would write it.
            in_json = replace_fields(replace, former=json.dumps(former)[1:-1])
            anonymise(db, "deliveries", ["payload"], team_id, in_json, key="id")
            settings = db.execute(
                "DELETE FROM person_settings WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            ).rowcount
            db.execute("DELETE FROM people WHERE team_id = ? AND user_id = ?", [team_id, user_id])
            profile = 0
            # What they typed, kept two minutes for the repeat check: not counted.
            db.execute(
                "DELETE FROM schedule_requests WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            )
            if left:
                profile = db.execute(
                    "DELETE FROM workspace_members WHERE team_id = ? AND user_id = ?",
                    [team_id, user_id],
                ).rowcount
                db.execute(
                    "DELETE FROM member_names WHERE team_id = ? AND user_id = ?",
                    [team_id, user_id],
                )
        return CoreForgotten(settings=settings, profile=profile, texts=texts)
