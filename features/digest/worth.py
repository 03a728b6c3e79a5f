"""Recurring series ranked by what they cost against how many found them worth the time
(the "Worth the time?" answers, through the `worth_counts` hook), and what to try with
the weak ones. Pure: the counts come in, a ranking goes out.

A series is weak when at least MIN_ANSWERS people answered and fewer than WEAK_SHARE of
them found it worth the time. What to try, in order: cut it when almost nobody does;
else shorten it when it is long; else meet half as often. Each is a command SalesMeet
runs for the organiser when they press its button (`cancel #n`, `edit #n for 30m`,
`edit #n every other week`), under that command's own rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from entities.meetings import Meeting, weeks_apart
from features.digest.figures import WEEKS_PER_MONTH, hours, members, occurrences_per_month

MIN_ANSWERS = 3
WEAK_SHARE = 0.6  # fewer than this found it worth the time: weak
CUT_SHARE = 0.25  # fewer than this: suggest cutting it
SHORT_ENOUGH = timedelta(minutes=30)  # no shorter than this is suggested
RANKED = 5  # series named in the ranking
ANSWERS_WEEKS = 4  # the answers of the last four weeks count

CUT, SHORTEN, SPACE = "cut", "shorten", "space"


@dataclass(frozen=True)
class SeriesWorth:
    meeting: Meeting
    per_month: float  # cost
    attendee_hours_week: float
    worth: int  # answers "worth it"
    not_worth: int

    @property
    def answers(self) -> int:
        return self.worth + self.not_worth

    @property
    def share(self) -> float:
        return self.worth / self.answers if self.answers else 0.0

    @property
    def weak(self) -> bool:
        return self.answers >= MIN_ANSWERS and self.share < WEAK_SHARE

    @property
    def wasted(self) -> float:
        """The cost a month of the part people did not find worth it: the ranking."""
        return self.per_month * (1 - self.share)

    @property
    def suggestion(self) -> str | None:
        if not self.weak:
            return None
        if self.share < CUT_SHARE:
            return CUT
        if self.meeting.duration > SHORT_ENOUGH:
            return SHORTEN
        return SPACE

    @property
    def shorter(self) -> timedelta:
        """Half as long, in quarter hours, never under SHORT_ENOUGH."""
        minutes = self.meeting.duration.total_seconds() / 60 / 2
        return max(SHORT_ENOUGH, timedelta(minutes=round(minutes / 15) * 15))

    @property
    def command(self) -> str | None:
        """The `/salesmeet` text that applies the suggestion, when SalesMeet can."""
        number = self.meeting.number
        if self.suggestion == CUT:
            return f"cancel #{number}"
        if self.suggestion == SHORTEN:
            return f"edit #{number} for {int(self.shorter.total_seconds() // 60)}m"
        weekly = "FREQ=WEEKLY" in (self.meeting.rrule or "").upper()
        if self.suggestion == SPACE and weekly and weeks_apart(self.meeting.rrule) == 1:
            return f"edit #{number} every other week"
        return None


def rank(
    series: list[Meeting],
    in_week: Mapping[int, int],
    rate: float,
    counts: Mapping[int, tuple[int, int]],
) -> tuple[SeriesWorth, ...]:
    """The series someone answered about, most cost not found worth it first."""
    ranked = []
    for meeting in series:
        up, down = counts.get(meeting.id, (0, 0))
        if up + down < MIN_ANSWERS:
            continue
        per_week = (
            len(members(meeting))
            * hours(meeting.duration)
            * occurrences_per_month(meeting, in_week.get(meeting.id, 0))
            / WEEKS_PER_MONTH
        )
        ranked.append(SeriesWorth(meeting, per_week * WEEKS_PER_MONTH * rate, per_week, up, down))
    ranked.sort(key=lambda s: (-s.wasted, s.meeting.number))
    return tuple(ranked[:RANKED])
