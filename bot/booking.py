"""Booking meetings: the rules every surface (command, modal) goes through."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.command import Schedule
from bot.errors import N_, UserError
from bot.meetings import (
    DEFAULT_PURPOSE,
    Attendee,
    Meeting,
    MeetingDraft,
    Venue,
    can_cancel,
    check_start,
    check_title,
    parse_attendees,
    parse_purpose,
    parse_venue,
)
from bot.when import DEFAULT_DURATION, parse_duration, parse_when
from storage.meetings import MeetingStore
from storage.people import Person

# The same request again within this window is taken as a repeat, not a new meeting.
REPEAT_WINDOW = timedelta(minutes=2)


def local_start(day: str, at: str, tz: str) -> datetime:
    """A date picker's `YYYY-MM-DD` and a time picker's `HH:MM`, read in `tz`."""
    try:
        local = datetime.combine(datetime.fromisoformat(day).date(), time.fromisoformat(at))
    except ValueError as error:
        raise UserError(N_("Pick a date and a time."), "when") from error
    # fold=0: a wall time skipped by a spring-forward change lands after it (2:30 -> 3:30),
    # and an ambiguous fall-back time means its first occurrence.
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


class MeetingBook:
    """Schedules, finds and cancels a workspace's meetings."""

    def __init__(self, store: MeetingStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def draft_from_command(self, command: Schedule, organiser: Person, channel_id: str):
        """Read a `schedule` command's parts in the organiser's own time zone."""
        now = self.clock.now()
        starts_at = parse_when(command.when, now, organiser.tz)
        return self.draft(
            title=command.title,
            starts_at=starts_at,
            duration=parse_duration(command.duration) if command.duration else DEFAULT_DURATION,
            organiser=organiser,
            channel_id=channel_id,
            purpose=parse_purpose(command.purpose) if command.purpose else DEFAULT_PURPOSE,
            venue=parse_venue(command.venue) if command.venue else Venue(None),
            attendees=parse_attendees(command.attendees) if command.attendees else (),
        )

    def draft(
        self,
        *,
        title: str,
        starts_at: datetime,
        duration: timedelta,
        organiser: Person,
        channel_id: str,
        purpose: str = DEFAULT_PURPOSE,
        venue: Venue | None = None,
        attendees: tuple[Attendee, ...] = (),
    ) -> MeetingDraft:
        check_start(starts_at, self.clock.now())
        return MeetingDraft(
            title=check_title(title),
            starts_at=starts_at,
            duration=duration,
            tz=organiser.tz,
            channel_id=channel_id,
            organiser_id=organiser.user_id,
            purpose=purpose,
            venue=venue or Venue(None),
            attendees=attendees,
        )

    def book(
        self, team_id: str, draft: MeetingDraft, request_key: str | None
    ) -> tuple[Meeting, bool]:
        """Store the meeting; (first meeting, False) when this is a repeat of a recent request."""
        return self.store.create(
            team_id, draft, self.clock.now(), request_key=request_key, repeat_window=REPEAT_WINDOW
        )

    def find(self, team_id: str, number: int) -> Meeting:
        meeting = self.store.get(team_id, number)
        if meeting is None:
            raise UserError(
                N_("There is no meeting #{number} in this workspace. See `/salesmeet list`."),
                number=number,
            )
        return meeting

    def upcoming(self, team_id: str, user_id: str | None = None, limit: int = 20):
        now = self.clock.now()
        meetings = self.store.upcoming(team_id, now, user_id=user_id, limit=limit)
        total = self.store.count_upcoming(team_id, now, user_id=user_id)
        return meetings, total

    def cancel(self, team_id: str, number: int, person: Person) -> Meeting:
        meeting = self.find(team_id, number)
        if meeting.cancelled:
            raise UserError(N_("Meeting #{number} is already cancelled."), number=number)
        if not can_cancel(meeting, person.user_id, person.is_manager):
            raise UserError(
                N_(
                    "Sorry, only the organiser (<@{organiser}>) or a manager can cancel"
                    " meeting #{number}."
                ),
                organiser=meeting.organiser_id,
                number=number,
            )
        if meeting.ends_at <= self.clock.now():
            raise UserError(N_("Meeting #{number} has already taken place."), number=meeting.number)
        if not self.store.cancel(team_id, number, person.user_id, self.clock.now()):
            raise UserError(N_("Meeting #{number} is already cancelled."), number=number)
        return self.find(team_id, number)
