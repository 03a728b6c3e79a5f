"""Meetings and their attendees. Every query is scoped to one workspace (`team_id`)."""

from __future__ import annotations

import heapq
import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from math import gcd

from entities.deliveries import ANNOUNCE, Planned
from entities.instants import epoch, from_epoch
from entities.meetings import Attendee, Meeting, MeetingDraft, Venue
from entities.recurrence import (
    SEARCH_HORIZON,
    Occurrence,
    rule_of,
    rule_start,
    wall_clock,
    zone_of,
)
from storage.db import Database, named, named_one
from storage.deliveries import add_notice, plan_rows

# No meeting lasts longer (bot/when.py MAX_DURATION): a lower bound on starts_at for the
# meetings still under way lets SQLite range-scan its (team_id, status, starts_at) index.
LONGEST_MEETING_S = 8 * 3600


def _minutes(lead: timedelta | None) -> int | None:
    return None if lead is None else int(lead.total_seconds() // 60)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _lead(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


# The columns `meeting_from_row` reads.
MEETING_COLUMNS = (
    "id, team_id, number, title, starts_at, duration_min, tz, purpose, format, link,"
    " channel_id, organiser_id, status, cancelled_by, rrule, agenda_lead_min,"
    " reminder_lead_min, outcome_prompt"
)


def meeting_from_row(row: Mapping, attendees, skipped, moved) -> Meeting:
    """A Meeting from a MEETING_COLUMNS row, its attendees and its occurrence changes."""
    return Meeting(
        id=row["id"],
        team_id=row["team_id"],
        number=row["number"],
        title=row["title"],
        starts_at=from_epoch(row["starts_at"]),
        duration=timedelta(minutes=row["duration_min"]),
        tz=row["tz"],
        purpose=row["purpose"],
        venue=Venue(row["format"], row["link"]),
        channel_id=row["channel_id"],
        organiser_id=row["organiser_id"],
        status=row["status"],
        cancelled_by=row["cancelled_by"],
        rrule=row["rrule"],
        agenda_lead=_lead(row["agenda_lead_min"]),
        reminder_lead=_lead(row["reminder_lead_min"]),
        outcome_prompt=None if row["outcome_prompt"] is None else bool(row["outcome_prompt"]),
        attendees=tuple(attendees),
        skipped=frozenset(skipped),
        moved=dict(moved),
    )


# Rules whose wall-clock times repeat every so many days, whatever the date: daily and
# weekly ones with plain weekdays and one time of day. Anything else (monthly, BYSETPOS,
# "2MO") is expanded from its first meeting, as before.
_PERIODIC_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "WKST", "COUNT", "UNTIL"}
_PLAIN_DAYS = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")
_SLACK = timedelta(days=2)  # more than the day each side recurrence._expand reads


def _period_days(parts: dict[str, str]) -> int | None:
    """Days after which the rule's wall-clock times repeat, or None if it is not that kind."""
    if not parts.keys() <= _PERIODIC_PARTS or ("COUNT" in parts and "UNTIL" in parts):
        return None
    if "BYDAY" in parts and not _PLAIN_DAYS.match(parts["BYDAY"]):
        return None
    if not all(parts.get(k, "0").isdigit() for k in ("INTERVAL", "BYHOUR", "BYMINUTE", "COUNT")):
        return None
    interval = int(parts.get("INTERVAL", "1"))
    if interval < 1:
        return None
    if parts.get("FREQ") == "WEEKLY":
        return 7 * interval
    if parts.get("FREQ") == "DAILY":
        return interval * 7 // gcd(interval, 7) if "BYDAY" in parts else interval
    return None


def from_later(meeting: Meeting, lower: datetime) -> Meeting | None:
    """The same meeting with its series told from a later start, so that expanding it
    from `lower` on costs the window, not the series' age (dateutil steps from the
    first meeting). The occurrences from `lower` on, their keys, skips and moves are
    the same; None when a counted series has ended before. A one-off, a rule that is
    not periodic, or a series too young to gain from it, comes back as it is.

    The rule's local times repeat every `period` days, so the k-th period's first local
    time stands for the first meeting, and a COUNT loses what the k periods before held
    (every period holds as many). Moves are kept by their original key, so the new
    start is before the earliest moved key too."""
    if meeting.rrule is None:
        return meeting
    parts = _parts(meeting.rrule)
    period_days = _period_days(parts)
    if period_days is None:
        return meeting
    zone = zone_of(meeting.tz)
    first_local = rule_start(meeting.starts_at, zone, meeting.rrule)
    low = wall_clock(lower, zone) - _SLACK
    if meeting.moved:
        low = min(low, wall_clock(from_epoch(min(meeting.moved)), zone) - _SLACK)
    period = timedelta(days=period_days)
    periods = (low - first_local) // period
    # A new first start in a spring-forward gap would move the series' time: go back one.
    while periods > 0:
        local = first_local + periods * period
        start = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if wall_clock(start, zone) == local:
            break
        periods -= 1
    if periods <= 0:
        return meeting
    rule = meeting.rrule
    if "COUNT" in parts:
        uncounted = ";".join(f"{k}={v}" for k, v in parts.items() if k != "COUNT")
        each = 0  # local times in one period, the first one's
        for local in rule_of(uncounted, first_local):
            if local >= first_local + period:
                break
            each += 1
        left = int(parts["COUNT"]) - periods * each
        if left <= 0:
            return None
        rule = ";".join(f"{k}={left if k == 'COUNT' else v}" for k, v in parts.items())
    return replace(meeting, starts_at=start, rrule=rule)


def window_occurrences(meeting: Meeting, start: datetime, end: datetime) -> list[Occurrence]:
    """`meeting.occurrences(start, end)`, worked out from the series' pattern when its
    rule repeats every so many days: one period of local times, read from dateutil once
    per series and process, then shifted by whole periods to the window. Otherwise the
    series told from a later start (`from_later`) is expanded by dateutil."""
    pattern = _pattern_of(meeting)
    if pattern is None:
        later = from_later(meeting, start)
        return later.occurrences(start, end) if later is not None else []
    first_local, period, offsets, count, until = pattern
    zone = zone_of(meeting.tz)
    moved = {key: at.astimezone(UTC) for key, at in meeting.moved.items()}
    for key in meeting.skipped:
        moved.pop(key, None)  # skipping wins: the meeting is off
    # As recurrence._expand: a day of slack each side, and far enough to meet every move.
    low, high = start, end
    if moved:
        low = min(low, from_epoch(min(moved)))
        high = max(high, from_epoch(max(moved)) + timedelta(seconds=1))
    low_local = wall_clock(low, zone, shift=-_DAY)
    high_local = wall_clock(high, zone, shift=_DAY)
    first = max(0, (low_local - first_local) // period)
    found: list[Occurrence] = []
    seen: set[int] = set()
    periods = first
    while True:
        base = first_local + periods * period
        if base > high_local:
            break
        for n, offset in enumerate(offsets):
            local = base + offset
            if local < low_local or local > high_local:
                continue
            if count is not None and periods * len(offsets) + n >= count:
                break
            if until is not None and local > until:
                break
            if local == first_local:
                at = meeting.starts_at.astimezone(UTC)  # the first meeting is itself
            else:
                at = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
            key = epoch(at)
            if key in seen:
                continue  # two wall-clock times in one spring-forward gap
            seen.add(key)
            if key in meeting.skipped:
                continue
            at = moved.pop(key, at)
            if start <= at < end:
                found.append(Occurrence(key, at, at + meeting.duration))
        periods += 1
    found.sort(key=lambda occurrence: (occurrence.start, occurrence.key))
    return found


_DAY = timedelta(days=1)


def _pattern_of(meeting: Meeting):
    """(first local time, period, local offsets in a period, COUNT, UNTIL as local time)
    for a series whose rule repeats every so many days, else None."""
    if meeting.rrule is None:
        return None
    return series_pattern(meeting.rrule, meeting.tz, epoch(meeting.starts_at))


@lru_cache(maxsize=8192)
def series_pattern(rule_value: str, tz: str, first_start: int):
    """_pattern_of for a series' stored rule, zone and first start (cached: the digest
    and the window sums ask for the same few series again and again)."""
    parts = _parts(rule_value)
    period_days = _period_days(parts)
    until_text = parts.get("UNTIL")
    if period_days is None or (until_text is not None and not _FLOATING.match(until_text)):
        return None  # a UTC or date-only UNTIL: dateutil reads those
    zone = zone_of(tz)
    first_local = rule_start(from_epoch(first_start), zone, rule_value)
    period = timedelta(days=period_days)
    uncounted = ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    offsets = []
    for local in rule_of(uncounted, first_local):
        if local >= first_local + period:
            break
        offsets.append(local - first_local)
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    # Floating local time, as the rule is expanded (bot/recurrence.py writes it so).
    until = datetime.strptime(until_text, "%Y%m%dT%H%M%S") if until_text else None  # noqa: DTZ007
    return first_local, period, tuple(offsets), count, until


_FLOATING = re.compile(r"^\d{8}T\d{6}$")


def next_after(meeting: Meeting, now: datetime) -> Occurrence | None:
    """`meeting.next_occurrence(now)`, looked for in the coming week first (most series
    meet weekly or more often): the first occurrence not ended there is the first of any
    longer search too. Else the series told from shortly before now searches on."""
    soon = window_occurrences(meeting, now - meeting.duration, now + _SOON)
    soon = [o for o in soon if o.end > now]
    if soon:
        return soon[0]
    later = from_later(meeting, now - meeting.duration)
    return later.next_occurrence(now) if later is not None else None


_SOON = timedelta(days=8)


# How far past `now` a series' occurrences are worked out at once (a week and a day: one
# of a weekly series at least; more costs the first `list` of a process), and how many of
# them are kept.
_KEEP_SPAN = timedelta(days=8)
_KEEP = 8
_ENDED = datetime.max.replace(tzinfo=UTC)


class _Ahead:
    """A series' next occurrences, worked out from one `now` and kept, so that `list`
    finds each series' next occurrence with a bisect until those have passed.

    `kept` is (after, until, starts, (epoch, occurrence) pairs): every occurrence
    starting in (after, until), soonest first (sorted as `occurrences` sorts them), and
    possibly some starting at `until`; any other starts later. The next occurrence at a
    `now` with `now - duration >= after` is the first starting after `now - duration`,
    when one is kept; else none if `until` is past `now + SEARCH_HORIZON` (as far as
    `Meeting.next_occurrence` looks); else it is worked out again."""

    __slots__ = ("kept", "meeting")

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.kept: tuple | None = None

    def describes(self, meeting: Meeting) -> bool:
        """Whether `meeting` has the occurrences this was made for."""
        mine = self.meeting
        return (
            meeting.starts_at == mine.starts_at
            and meeting.duration == mine.duration
            and meeting.tz == mine.tz
            and meeting.rrule == mine.rrule
            and meeting.skipped == mine.skipped
            and dict(meeting.moved) == dict(mine.moved)
        )

    def next(self, now: datetime) -> tuple[int, Occurrence] | None:
        """(start in epoch seconds, occurrence): `meeting.next_occurrence(now)`."""
        after = now - self.meeting.duration
        kept = self.kept
        if kept is not None and after < kept[0]:
            # An earlier `now` (a feed's): worked out alone, the later one kept.
            occurrence = next_after(self.meeting, now)
            return None if occurrence is None else (epoch(occurrence.start), occurrence)
        if kept is not None:
            found = _look(kept, now, after)
            if found is not _UNKNOWN:
                return found
        kept = self._keep(now, after)
        self.kept = kept  # one assignment: a thread reading meanwhile sees one or the other
        return _look(kept, now, after)

    def _keep(self, now: datetime, after: datetime) -> tuple:
        meeting = self.meeting
        until = after + _KEEP_SPAN
        ahead = [o for o in window_occurrences(meeting, after, until) if o.start > after]
        if not ahead:  # sparse, or over: as `next_occurrence` looks, as far as it looks
            nxt = next_after(meeting, now)
            if nxt is not None:
                ahead, until = [nxt], nxt.start  # the first of (after, until] is all
            else:
                last = meeting.last_start()  # moves included
                until = _ENDED if last is not None and last <= after else now + SEARCH_HORIZON
        if len(ahead) > _KEEP:
            until = ahead[_KEEP].start
            del ahead[_KEEP:]
        return after, until, [o.start for o in ahead], [(epoch(o.start), o) for o in ahead]


_UNKNOWN = object()


def _look(kept: tuple, now: datetime, after: datetime):
    """The next occurrence from what `kept` holds, or _UNKNOWN if it holds too few."""
    _, until, starts, pairs = kept
    at = bisect_right(starts, after)  # the first starting after `after`
    if at < len(starts):
        # Kept at an earlier or the same `now`, so it starts within this one's horizon.
        return pairs[at]
    return None if until >= now + SEARCH_HORIZON else _UNKNOWN


@lru_cache(maxsize=4096)
def _ahead(starts_at: int, duration_min: int, tz: str, rrule: str, changes: str | None) -> _Ahead:
    """One `_Ahead` per series as stored (a series row, its changes as `MeetingStore._SERIES`
    writes them): an edit, skip or move makes another."""
    skipped, moved = _changes_of(changes)
    meeting = Meeting(
        title="",
        starts_at=from_epoch(starts_at),
        duration=timedelta(minutes=duration_min),
        tz=tz,
        channel_id="",
        organiser_id="",
        rrule=rrule,
        skipped=frozenset(skipped),
        moved=moved,
    )
    return _Ahead(meeting)


def forget_kept_series() -> None:
    """Drop every series' kept next occurrences, as a process starting afresh has none
    (bench.reads times `list` so)."""
    _ahead.cache_clear()


def _changes_of(changes: str | None) -> tuple[set[int], dict[int, datetime]]:
    """Skipped keys and moves from "occurrence skipped moved_to" items, comma-separated,
    read as `load_meetings` reads the rows: skipping wins over a move."""
    skipped: set[int] = set()
    moved: dict[int, datetime] = {}
    for item in changes.split(",") if changes else ():
        occurrence, was_skipped, moved_to = item.split(" ")
        if int(was_skipped):
            skipped.add(int(occurrence))
        elif moved_to:
            moved[int(occurrence)] = from_epoch(int(moved_to))
    return skipped, moved


def _parts(rule_value: str) -> dict[str, str]:
    value = rule_value.strip().removeprefix("RRULE:")
    pairs = (pair.split("=", 1) for pair in value.split(";") if "=" in pair)
    return {name.strip().upper(): setting.strip() for name, setting in pairs}


def load_meetings(db, team_id: str, ids: list[int]) -> list[Meeting]:
    """The meetings with these ids, in that order (each once), with their attendees and occurrence
    changes: three queries however many there are."""
    ids = list(dict.fromkeys(ids))  # each meeting once, however often it was asked for
    if not ids:
        return []
    keys = json.dumps(ids)
    rows = {
        row["id"]: row
        for row in named(
            db.execute(
                # CROSS JOIN: the ids drive (SQLite would rather scan the workspace).
                "SELECT "
                + ", ".join(f"m.{c.strip()}" for c in MEETING_COLUMNS.split(","))
                + " FROM json_each(?) j CROSS JOIN meetings m"
                " WHERE m.id = j.value AND m.team_id = ?",
                [keys, team_id],
            )
        )
    }
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    for meeting_id, user_id, guest, email in db.execute(
        "SELECT a.meeting_id, a.user_id, a.guest, a.email FROM json_each(?) j"
        " CROSS JOIN attendees a WHERE a.team_id = ? AND a.meeting_id = j.value ORDER BY a.id",
        [keys, team_id],
    ):
        attendees[meeting_id].append(Attendee(user_id=user_id, guest=guest, email=email))
    skipped: dict[int, set[int]] = defaultdict(set)
    moved: dict[int, dict[int, datetime]] = defaultdict(dict)
    for meeting_id, occurrence, was_skipped, moved_to in db.execute(
        "SELECT c.meeting_id, c.occurrence, c.skipped, c.moved_to FROM json_each(?) j"
        " CROSS JOIN occurrence_changes c WHERE c.meeting_id = j.value AND c.team_id = ?",
        [keys, team_id],
    ):
        if was_skipped:
            skipped[meeting_id].add(occurrence)
        elif moved_to is not None:
            moved[meeting_id][occurrence] = from_epoch(moved_to)
    return [
        meeting_from_row(rows[i], attendees.get(i, ()), skipped.get(i, ()), moved.get(i, {}))
        for i in ids
        if i in rows
    ]


def add_attendees(db, team_id: str, meeting_id: int, attendees) -> None:
    db.conn.executemany(
        "INSERT INTO attendees (team_id, meeting_id, user_id, guest, email) VALUES (?, ?, ?, ?, ?)",
        [(team_id, meeting_id, a.user_id, a.guest, a.email) for a in attendees],
    )


class MeetingStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def create(
        self,
        team_id: str,
        draft: MeetingDraft,
        now: datetime,
        request_key: str | None = None,
        repeat_window: timedelta = timedelta(minutes=2),
        announce: bool = False,
    ) -> tuple[Meeting, bool]:
        """Store a meeting; returns (meeting, created).

        With a `request_key`, the same user repeating the same request in the same
        channel within `repeat_window` gets the meeting the first request made, and
        nothing new is stored. The check and the insert share one transaction, so
        two identical requests racing each other still make one meeting.
        """
        with self.database.transaction() as db:
            if request_key is not None:
                row = named_one(
                    db.execute(
                        "SELECT meeting_id, received_at FROM schedule_requests WHERE team_id = ?"
                        " AND user_id = ? AND channel_id = ? AND request_key = ?",
                        [team_id, draft.organiser_id, draft.channel_id, request_key],
                    )
                )
                if row and epoch(now) - row["received_at"] < repeat_window.total_seconds():
                    first = self._get_by_id(db, team_id, row["meeting_id"])
                    if first is not None:
                        return first, False
            number = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE team_id = ?", [team_id]
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO meetings (team_id, number, title, starts_at, duration_min, tz,"
                " purpose, format, link, channel_id, organiser_id, status, created_at, rrule,"
                " agenda_lead_min, reminder_lead_min, outcome_prompt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)",
                [
                    team_id,
                    number,
                    draft.title,
                    epoch(draft.starts_at),
                    int(draft.duration.total_seconds() // 60),
                    draft.tz,
                    draft.purpose,
                    draft.venue.format,
                    draft.venue.link,
                    draft.channel_id,
                    draft.organiser_id,
                    epoch(now),
                    draft.rrule,
                    _minutes(draft.agenda_lead),
                    _minutes(draft.reminder_lead),
                    _flag(draft.outcome_prompt),
                ],
            )
            meeting_id = cursor.lastrowid
            add_attendees(db, team_id, meeting_id, draft.attendees)
            if announce:  # the channel's announcement, stored with the meeting
                plan_rows(db, [Planned(team_id, ANNOUNCE, meeting_id, 0, now)], now)
            if request_key is not None:
                db.execute(
                    "INSERT OR REPLACE INTO schedule_requests (team_id, user_id, channel_id,"
                    " request_key, meeting_id, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        team_id,
                        draft.organiser_id,
                        draft.channel_id,
                        request_key,
                        meeting_id,
                        epoch(now),
                    ],
                )
            meeting = self._get_by_id(db, team_id, meeting_id)
            assert meeting is not None
            return meeting, True

    def get(self, team_id: str, number: int) -> Meeting | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT id FROM meetings WHERE team_id = ? AND number = ? AND edited_into IS NULL",
                [team_id, number],
            ).fetchone()
            return self._get_by_id(db, team_id, row[0]) if row else None

    # Who a meeting belongs to, for "mine": its organiser or a Slack-member attendee.
    # (attendees_by_user answers the EXISTS from the index alone.)
    _MINE = (
        " AND (m.organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
        " WHERE a.team_id = :team AND a.user_id = :user AND a.meeting_id = m.id))"
    )
    # The scheduled one-offs that have not ended (meetings_upcoming_plain holds them in
    # order, with their length), changed or not.
    _ONE_OFFS = " m.team_id = :team AND m.status = 'scheduled' AND m.rrule IS NULL"
    _ONE_OFFS_AHEAD = (
        _ONE_OFFS
        + " AND m.starts_at > :now - :longest AND m.starts_at + m.duration_min * 60 > :now"
    )
    _UNCHANGED = " AND NOT EXISTS (SELECT 1 FROM occurrence_changes c WHERE c.meeting_id = m.id)"
    # Everything a person organises or attends, ever: a few thousand ids at most, so a
    # person's reads start from them, not from the workspace's meetings.
    _MY_IDS = (
        "SELECT id FROM meetings WHERE team_id = :team AND organiser_id = :user UNION"
        " SELECT meeting_id FROM attendees WHERE team_id = :team AND user_id = :user"
    )
    # One-offs with a changed occurrence, found from the few changes (their one
    # occurrence's key is their start); `mv` is that occurrence's change, if any.
    _CHANGED_FROM = (
        " FROM (SELECT DISTINCT meeting_id AS id FROM occurrence_changes WHERE team_id = :team) c"
        " CROSS JOIN meetings m LEFT JOIN occurrence_changes mv"
        " ON mv.meeting_id = m.id AND mv.occurrence = m.starts_at"
        " WHERE m.id = c.id AND m.team_id = :team AND m.status = 'scheduled' AND m.rrule IS NULL"
    )
    # Where it is now, unless it was skipped, if it has not ended.
    _CHANGED_ALIVE = (
        "COALESCE(mv.skipped, 0) = 0 AND COALESCE(mv.moved_to, m.starts_at)"
        " + m.duration_min * 60 > :now"
    )
    _CHANGED_ONE_OFFS = (
        "SELECT m.id, COALESCE(mv.moved_to, m.starts_at), m.number"
        + _CHANGED_FROM
        + " AND "
        + _CHANGED_ALIVE
    )
    # In one pass: how many are listed, and how many meetings_upcoming_plain counts among
    # the one-offs ahead by their original start (`_count_plain` takes those out).
    _CHANGED_COUNTS = (
        f"SELECT COALESCE(SUM({_CHANGED_ALIVE}), 0), COALESCE(SUM(m.starts_at > :now - :longest"
        " AND m.starts_at + m.duration_min * 60 > :now), 0)" + _CHANGED_FROM
    )
    # Scheduled series with what their occurrences depend on; their occurrence changes as
    # one string (`_changes_of`), so no Meeting is built for a series already known.
    _SERIES = (
        "SELECT m.id, m.number, m.starts_at, m.duration_min, m.tz, m.rrule, (SELECT"
        " group_concat(c.occurrence || ' ' || COALESCE(c.skipped, 0) || ' '"
        " || COALESCE(c.moved_to, '')) FROM occurrence_changes c"
        " WHERE c.meeting_id = m.id AND c.team_id = :team)"
        " FROM meetings m WHERE m.team_id = :team AND m.rrule IS NOT NULL"
        " AND m.status = 'scheduled'"
    )

    def _plain_ahead(self, user_id: str | None, what: str, tail: str = "") -> str:
        """SQL selecting `what` from the unchanged one-offs that have not ended; a
        person's from their own ids, everyone's from meetings_upcoming_plain in order."""
        if user_id is None:
            source = "meetings m"
        else:
            source = f"({self._MY_IDS}) mine CROSS JOIN meetings m"
            tail = " AND m.id = mine.id" + tail
        return f"SELECT {what} FROM {source} WHERE {self._ONE_OFFS_AHEAD}{self._UNCHANGED}{tail}"

    def _others(
        self, db, params: dict[str, object], now: datetime, want: int | None
    ) -> tuple[list, int, int]:
        """The first `want` (None: all) of the scheduled series with an occurrence ahead
        and the changed one-offs that have not ended, as (sort key, meeting id, next
        occurrence or None for a one-off, the series' `_Ahead` or None), soonest first;
        how many there are in all; and how many changed one-offs have their original
        start ahead. A series' next occurrence comes from `_ahead` (kept per process),
        so no series is loaded here; the workspace's changed one-offs are placed, counted
        and cut in SQL (a person's few are all read)."""
        mine = self._MINE if params["user"] is not None else ""
        if mine:  # a person's few: all read, in one pass
            changed_ahead = 0  # not needed: `_count_plain` counts theirs unchanged
            found: list = [
                ((at, number), meeting_id, None, None)
                for meeting_id, at, number in db.execute(self._CHANGED_ONE_OFFS + mine, params)
            ]
            changed = len(found)
        else:  # the workspace's: counted, and only the first `want` read
            changed, changed_ahead = db.execute(self._CHANGED_COUNTS, params).fetchone()
            found = []
            if changed and want != 0:
                cut = " ORDER BY 2, 3, 1" + (" LIMIT :want" if want else "")
                found = [
                    ((at, number), meeting_id, None, None)
                    for meeting_id, at, number in db.execute(
                        self._CHANGED_ONE_OFFS + cut, {**params, "want": want}
                    )
                ]
        series = 0

        def ahead():
            nonlocal series
            for meeting_id, number, *timing in db.execute(self._SERIES + mine, params):
                known = _ahead(*timing)
                nxt = known.next(now)
                if nxt is not None:
                    series += 1
                    yield ((nxt[0], number), meeting_id, nxt[1], known)

        if want is None:
            found += ahead()
        elif want:
            # Only `want` of them kept at a time: the rest are never more than a tuple.
            found += heapq.nsmallest(want, ahead())
        else:
            for _ in ahead():
                pass
        found.sort(key=lambda item: item[:2])
        return (found if want is None else found[:want]), changed + series, changed_ahead

    def upcoming(
        self,
        team_id: str,
        now: datetime,
        user_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[tuple[Meeting, Occurrence]]:
        """Scheduled meetings with an occurrence that has not ended, by their next
        occurrence; with `user_id`, only those that user organises or attends; `limit=0`
        for all; `offset` skips that many first (a page of `list`)."""
        return self.upcoming_page(team_id, now, user_id, limit, offset)[0]

    def count_upcoming(self, team_id: str, now: datetime, user_id: str | None = None) -> int:
        """How many meetings `upcoming` would list without a limit."""
        params = self._params(team_id, now, user_id)
        with self.database.reading() as db:
            _, others, changed_ahead = self._others(db, params, now, 0)
            return self._count_plain(db, params, changed_ahead) + others

    def upcoming_page(
        self,
        team_id: str,
        now: datetime,
        user_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[tuple[Meeting, Occurrence]], int]:
        """`upcoming` and `count_upcoming` in one read. One-offs are ordered, cut
        (LIMIT/OFFSET, by their ids only) and counted in SQL; series are placed by their
        kept next occurrences (`_ahead`); only the page's meetings are loaded, so a
        workspace with many meetings stays fast."""
        params = self._params(team_id, now, user_id)
        offset = max(0, offset) if limit else 0
        with self.database.reading() as db:
            # Of each kind, only its first offset + limit can reach the page.
            others, n_others, changed_ahead = self._others(
                db, params, now, offset + limit if limit else None
            )
            total = self._count_plain(db, params, changed_ahead) + n_others
            # Whatever comes before the page holds at most n_others of the others, so the
            # page's plain one-offs are at least `offset - n_others` into theirs.
            skip = max(0, offset - n_others)
            plain_sql = self._plain_ahead(
                user_id,
                "m.id, m.starts_at, m.number",
                " ORDER BY m.starts_at, m.number" + (" LIMIT :take OFFSET :skip" if limit else ""),
            )
            take = {"take": offset + limit - skip, "skip": skip}
            plain = [
                ((row[1], row[2]), row[0], None, None)
                for row in db.execute(plain_sql, {**params, **take})
            ]
            if skip and not plain:
                return [], total  # fewer than `offset` meetings in all: past the end
            if skip:
                # Then n_others < offset, so `others` holds every one of them. One before
                # the first plain one read is before the page too (at most
                # skip + n_others - 1 come before it); the rest have every skipped one-off
                # and every dropped meeting before them.
                dropped = sum(1 for other in others if other[:2] < plain[0][:2])
                others = others[dropped:]
                start = offset - skip - dropped
            else:
                start = offset
            merged = sorted(plain + others, key=lambda item: item[:2])
            chosen = merged[start : start + limit] if limit else merged
            loaded = {m.id: m for m in load_meetings(db, team_id, [item[1] for item in chosen])}
        found = []
        for _key, meeting_id, occurrence, known in chosen:
            meeting = loaded.get(meeting_id)
            if meeting is None:
                continue
            if known is None:
                occurrence = meeting.next_occurrence(now)
            elif not known.describes(meeting):
                occurrence = next_after(meeting, now)  # changed since its row was read
            if occurrence is not None:
                found.append((meeting, occurrence))
        return found, total

    @staticmethod
    def _params(team_id: str, now: datetime, user_id: str | None) -> dict[str, object]:
        return {"team": team_id, "now": epoch(now), "user": user_id, "longest": LONGEST_MEETING_S}

    def _count_plain(self, db, params: dict[str, object], changed_ahead: int) -> int:
        """How many unchanged one-offs have not ended; `changed_ahead` is how many of
        the changed ones the index counts (`_CHANGED_COUNTS`)."""
        if params["user"] is not None:
            return db.execute(self._plain_ahead(params["user"], "COUNT(*)"), params).fetchone()[0]
        # Every one-off ahead, counted in meetings_upcoming_plain alone, less the few with
        # a changed occurrence. One that starts after now has not ended (no meeting has a
        # negative length): only those under way need their end worked out, which halves
        # the count's time over 100,000 rows.
        every = db.execute(
            f"SELECT (SELECT COUNT(*) FROM meetings m WHERE {self._ONE_OFFS}"
            " AND m.starts_at > :now) + (SELECT COUNT(*) FROM meetings m WHERE"
            f" {self._ONE_OFFS_AHEAD} AND m.starts_at <= :now)",
            params,
        ).fetchone()[0]
        return every - changed_ahead

    def active(self, team_id: str, now: datetime, user_id: str | None = None) -> list[Meeting]:
        """Scheduled meetings that may still have an occurrence ahead: series, one-offs
        that have not ended, and one-offs moved later."""
        sql = (
            "SELECT id FROM meetings m WHERE team_id = :team AND status = 'scheduled' AND ("
            " rrule IS NOT NULL OR starts_at + duration_min * 60 > :now OR EXISTS ("
            "  SELECT 1 FROM occurrence_changes c WHERE c.meeting_id = m.id"
            "  AND c.moved_to + m.duration_min * 60 > :now))"
        )
        params: dict[str, object] = {"team": team_id, "now": epoch(now)}
        if user_id is not None:
            sql += (
                " AND (organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
                " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
            )
            params["user"] = user_id
        with self.database.reading() as db:
            ids = [row[0] for row in db.execute(sql + " ORDER BY id", params).fetchall()]
            return [m for m in (self._get_by_id(db, team_id, i) for i in ids) if m is not None]

    def needing_plan(
        self, now: datetime, threshold: datetime, team_id: str | None = None
    ) -> list[Meeting]:
        """Meetings (of one workspace, or all) whose delivery rows end before `threshold`."""
        sql = (
            "SELECT team_id, id FROM meetings m WHERE status = 'scheduled'"
            " AND (:team IS NULL OR team_id = :team)"
            " AND (planned_until IS NULL OR planned_until < :threshold) AND ("
            " rrule IS NOT NULL OR starts_at > :now OR EXISTS ("
            "  SELECT 1 FROM occurrence_changes c WHERE c.meeting_id = m.id"
            "  AND c.moved_to > :now)) ORDER BY id"
        )
        params = {"now": epoch(now), "threshold": epoch(threshold), "team": team_id}
        with self.database.reading() as db:
            rows = db.execute(sql, params).fetchall()
            found = (self._get_by_id(db, team, i) for team, i in rows)
            return [m for m in found if m is not None]

    def set_planned_until(self, team_id: str, reaches: list[tuple[int, datetime]]) -> None:
        """Record, for (meeting id, until) pairs, how far their delivery rows reach."""
        with self.database.transaction(bookkeeping=True) as db:
            db.conn.executemany(
                "UPDATE meetings SET planned_until = ? WHERE team_id = ? AND id = ?",
                [(epoch(until), team_id, meeting_id) for meeting_id, until in reaches],
            )

    def by_request(
        self, team_id: str, user_id: str, channel_id: str, request_key: str
    ) -> Meeting | None:
        """The meeting that a schedule request (by its key) stored."""
        with self.database.reading() as db:
            row = named_one(
                db.execute(
                    "SELECT meeting_id FROM schedule_requests WHERE team_id = ? AND user_id = ?"
                    " AND channel_id = ? AND request_key = ?",
                    [team_id, user_id, channel_id, request_key],
                )
            )
        return self.by_id(team_id, row["meeting_id"]) if row else None

    def by_id(self, team_id: str, meeting_id: int) -> Meeting | None:
        with self.database.reading() as db:
            return self._get_by_id(db, team_id, meeting_id)

    def change_occurrence(
        self,
        team_id: str,
        meeting_id: int,
        occurrence: int,
        by_user: str,
        now: datetime,
        skipped: bool = False,
        moved_to: datetime | None = None,
        notice: str | None = None,
        duration: timedelta | None = None,
    ) -> int | None:
        """Skip one occurrence, or move it (its key stays its original start). A
        `duration` is the meeting's new length, set in the same transaction (a one-off
        moved to a range). With a `notice` (its payload), the channel's notice is stored
        with the change; returns its number."""
        with self.database.transaction() as db:
            if duration is not None:
                db.execute(
                    "UPDATE meetings SET duration_min = ? WHERE team_id = ? AND id = ?",
                    [int(duration.total_seconds() // 60), team_id, meeting_id],
                )
            db.execute(
                "INSERT OR REPLACE INTO occurrence_changes (team_id, meeting_id, occurrence,"
                " skipped, moved_to, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    team_id,
                    meeting_id,
                    occurrence,
                    int(skipped),
                    epoch(moved_to) if moved_to else None,
                    by_user,
                    epoch(now),
                ],
            )
            return add_notice(db, team_id, meeting_id, notice, now) if notice else None

    def edit(
        self,
        team_id: str,
        meeting_id: int,
        changed: MeetingDraft,
        by_user: str,
        now: datetime,
        keep_past_before: datetime | None = None,
        moved: tuple[int, datetime] | None = None,
        notice: str | None = None,
    ) -> int | bool:
        """Change a scheduled meeting to `changed` (its number, RSVPs and agenda stay), in
        one transaction; False when it is no longer scheduled.

        `keep_past_before`, for a series already under way, is the original start of its
        next occurrence: the occurrences before it are kept as they were in a row of their
        own (`edited_into` this meeting, cancelled at that instant, so they count as held
        and nothing more), and the series goes on from there. `moved` moves a one-off's
        occurrence (key, new start). With a `notice`, the channel's notice is stored with
        the change and its number returned."""
        with self.database.transaction() as db:
            if keep_past_before is not None:
                cut = epoch(keep_past_before)
                past = db.execute(
                    "INSERT INTO meetings (team_id, number, title, starts_at, duration_min, tz,"
                    " purpose, format, link, channel_id, organiser_id, status, created_at,"
                    " cancelled_at, cancelled_by, rrule, agenda_lead_min, reminder_lead_min,"
                    " outcome_prompt, planned_until, edited_into)"
                    " SELECT team_id, number, title, starts_at, duration_min, tz, purpose, format,"
                    " link, channel_id, organiser_id, 'cancelled', created_at, ?, ?, rrule,"
                    " agenda_lead_min, reminder_lead_min, outcome_prompt, planned_until, id"
                    " FROM meetings WHERE team_id = ? AND id = ? AND status = 'scheduled'",
                    [cut, by_user, team_id, meeting_id],
                )
                if past.rowcount != 1:
                    return False
                db.execute(
                    "INSERT INTO attendees (team_id, meeting_id, user_id, guest, email)"
                    " SELECT team_id, ?, user_id, guest, email FROM attendees"
                    " WHERE team_id = ? AND meeting_id = ?",
                    [past.lastrowid, team_id, meeting_id],
                )
                db.execute(
                    "UPDATE occurrence_changes SET meeting_id = ?"
                    " WHERE team_id = ? AND meeting_id = ? AND occurrence < ?",
                    [past.lastrowid, team_id, meeting_id, cut],
                )
            cursor = db.execute(
                "UPDATE meetings SET title = ?, starts_at = ?, duration_min = ?, purpose = ?,"
                " format = ?, link = ?, agenda_lead_min = ?, reminder_lead_min = ?,"
                " outcome_prompt = ?, rrule = ? WHERE team_id = ? AND id = ?"
                " AND status = 'scheduled'",
                [
                    changed.title,
                    epoch(keep_past_before or changed.starts_at),
                    int(changed.duration.total_seconds() // 60),
                    changed.purpose,
                    changed.venue.format,
                    changed.venue.link,
                    _minutes(changed.agenda_lead),
                    _minutes(changed.reminder_lead),
                    _flag(changed.outcome_prompt),
                    changed.rrule,
                    team_id,
                    meeting_id,
                ],
            )
            if cursor.rowcount != 1:
                return False
            db.execute(
                "DELETE FROM attendees WHERE team_id = ? AND meeting_id = ?", [team_id, meeting_id]
            )
            add_attendees(db, team_id, meeting_id, changed.attendees)
            if moved is not None:
                key, new_start = moved
                db.execute(
                    "INSERT OR REPLACE INTO occurrence_changes (team_id, meeting_id, occurrence,"
                    " skipped, moved_to, changed_by, changed_at) VALUES (?, ?, ?, 0, ?, ?, ?)",
                    [team_id, meeting_id, key, epoch(new_start), by_user, epoch(now)],
                )
            if notice:
                return add_notice(db, team_id, meeting_id, notice, now)
            return True

    def cancel(
        self,
        team_id: str,
        number: int,
        by_user: str,
        now: datetime,
        notice: str | None = None,
        meeting_id: int | None = None,
    ) -> int | bool:
        """Mark a meeting cancelled; False when it was not scheduled (already cancelled).
        With a `notice` (and the meeting's id), the channel's notice is stored with the
        change and its number returned; else True."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE meetings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?"
                " WHERE team_id = ? AND number = ? AND status = 'scheduled'"
                " AND edited_into IS NULL",
                [epoch(now), by_user, team_id, number],
            )
            if cursor.rowcount != 1:
                return False
            if notice and meeting_id is not None:
                return add_notice(db, team_id, meeting_id, notice, now)
            return True

    @staticmethod
    def _get_by_id(db, team_id: str, meeting_id: int) -> Meeting | None:
        row = named_one(
            db.execute(
                f"SELECT {MEETING_COLUMNS} FROM meetings WHERE team_id = ? AND id = ?",
                [team_id, meeting_id],
            )
        )
        if row is None:
            return None
        attendees = tuple(
            Attendee(user_id=user_id, guest=guest, email=email)
            for user_id, guest, email in db.execute(
                "SELECT user_id, guest, email FROM attendees WHERE team_id = ? AND meeting_id = ?"
                " ORDER BY id",
                [team_id, meeting_id],
            ).fetchall()
        )
        skipped: set[int] = set()
        moved: dict[int, datetime] = {}
        for occurrence, was_skipped, moved_to in db.execute(
            "SELECT occurrence, skipped, moved_to FROM occurrence_changes"
            " WHERE team_id = ? AND meeting_id = ?",
            [team_id, meeting_id],
        ).fetchall():
            if was_skipped:
                skipped.add(occurrence)
            elif moved_to is not None:
                moved[occurrence] = from_epoch(moved_to)
        return meeting_from_row(row, attendees, skipped, moved)
