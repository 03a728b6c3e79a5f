"""The weeks behind the digest's picture, and the charts already sent (schema.py,
v15_digest_history). Every query is scoped to one workspace (`team_id`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from features.digest.figures import people_minutes, week_totals_of, weeks_of_parts
from storage.db import Database
from storage.windows import WindowStore

TEAM_CHART, OWN_CHART = "team", "own"  # a manager's picture; a person's own weeks


@dataclass(frozen=True)
class WeekTotal:
    start: datetime
    attendee_hours: float
    cost: float
    people: Mapping[str, float] = field(default_factory=dict)  # user -> hours


@dataclass(frozen=True)
class Chart:
    file_id: str
    alt: str
    caption: str
    week: int
    kind: str = TEAM_CHART


class HistoryStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def kept_weeks(self, team_id: str, keys: list[int]) -> dict[int, WeekTotal]:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT week, attendee_hours, cost, people FROM digest_weeks"
                    " WHERE team_id = ? AND week IN (SELECT value FROM json_each(?))",
                    [team_id, json.dumps(keys)],
                )
            )
        return {
            r["week"]: WeekTotal(
                datetime.fromtimestamp(r["week"], UTC),
                r["attendee_hours"],
                r["cost"],
                json.loads(r["people"] or "{}"),
            )
            for r in rows
        }

    def keep_weeks(self, team_id: str, weeks: list[WeekTotal]) -> None:
        if not weeks:
            return
        with self.database.transaction() as db:
            db.conn.executemany(
                "INSERT OR REPLACE INTO digest_weeks (team_id, week, attendee_hours, cost, people)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        team_id,
                        int(w.start.timestamp()),
                        w.attendee_hours,
                        w.cost,
                        json.dumps(dict(w.people)),
                    )
                    for w in weeks
                ],
            )

    def chart(self, team_id: str, user_id: str, week: int, kind: str) -> Chart | None:
        """The chart of that week and kind already uploaded for this person, if any."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT * FROM digest_charts WHERE team_id = ? AND user_id = ?"
                    " AND week = ? AND kind = ?",
                    [team_id, user_id, week, kind],
                )
            )
        return _chart(rows[0]) if rows else None

    def latest_chart(self, team_id: str, user_id: str, kind: str = TEAM_CHART) -> Chart | None:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT * FROM digest_charts WHERE team_id = ? AND user_id = ?"
                    " AND kind = ? ORDER BY week DESC LIMIT 1",
                    [team_id, user_id, kind],
                )
            )
        return _chart(rows[0]) if rows else None

    def keep_chart(self, team_id: str, user_id: str, chart: Chart) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO digest_charts"
                " (team_id, user_id, week, kind, file_id, alt, caption)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    team_id,
                    user_id,
                    chart.week,
                    chart.kind,
                    chart.file_id,
                    chart.alt,
                    chart.caption,
                ],
            )


def _chart(row: dict) -> Chart:
    return Chart(row["file_id"], row["alt"] or "", row["caption"] or "", row["week"], row["kind"])


def week_totals(
    window: WindowStore, team_id: str, starts: list[datetime], end: datetime, rate: float
) -> list[WeekTotal]:
    """Attendee-hours, cost and hours per person of each week starting at `starts` (in
    order, the last one ending at `end`): one read and one expansion for all of them."""
    weeks = weeks_of_parts(window.week_parts(team_id, starts[0], end), starts, end)
    found = []
    for start, week in zip(starts, weeks, strict=True):
        totals = week_totals_of(week, rate)
        people = {user_id: m / 60 for user_id, (m, _, _) in people_minutes(week).items()}
        found.append(WeekTotal(start, totals.attendee_hours, totals.cost, people))
    return found
