"""Booking meetings: the rules every surface (command, modal) goes through."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.agenda import check_item
from bot.clock import Clock
from bot.command import EditMeeting, Schedule, read_weeks_apart
from bot.recurrence import parse_recurrence, read_series, typed_wall_clock
from bot.weekdays import DAY_NAMES
from bot.when import (
    DEFAULT_DURATION,
    NOTE_NEXT_WEEKDAY,
    RANGE_AND_DURATION,
    Note,
    parse_day,
    parse_duration,
    parse_lead,
    read_when,
)
from entities.errors import N_, UserError
from entities.meetings import (
    DEFAULT_PURPOSE,
    LEAD_OFF,
    TIME,
    TITLE,
    Attendee,
    Invitees,
    Meeting,
    MeetingDraft,
    MeetingEdit,
    Venue,
    can_cancel,
    changes,
    check_start,
    check_title,
    edited,
    parse_purpose,
    parse_venue,
    read_invitees,
)
from entities.notices import CANCELLED, EDITED, MOVED, SKIPPED, ChangeNotice
from entities.people import Person
from entities.recurrence import Occurrence, occurrence_on, occurrences
from storage.agenda import AgendaStore
from storage.meetings import MeetingStore

# The same request again within this window is taken as a repeat, not a new meeting.
REPEAT_WINDOW = timedelta(minutes=2)
YEAR = timedelta(days=366)  # every series repeats at least yearly (bot/recurrence.py)
UNCHANGED = "unchanged"  # the field of an edit's error when it would change nothing
WEEK = timedelta(days=7)
# Month names as commands are typed (in English, whatever the reader's language).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SERIES_KEEPS_ITS_LENGTH = N_(
    "“{text}” gives a length, but one meeting of a series lasts as long as the series: "
    "give only its new start, like `{example}`. To change how long every meeting of "
    "#{number} lasts, use `/salesmeet edit #{number} for {duration}`."
)

# Day phrases as bot/when.py reads them (`parse_day`), for what `parse_day` does not
# return: a weekday alone (`wed`, `this wednesday`, `on wed`) names today while today's
# meeting is still ahead, and `next friday` is told which Friday it took.
_DAY_WORD = "|".join(sorted(DAY_NAMES, key=len, reverse=True))
_WEEKDAY_ALONE = re.compile(rf"(?:on\s+)?(?:this\s+(?:coming\s+)?|coming\s+)?(?:{_DAY_WORD})\.?")
_NEXT_WEEKDAY = re.compile(rf"next\s+(?P<day>{_DAY_WORD})\.?")


def _day_words(text: str) -> str:
    """A typed day as the day phrases above match it: folded, lower case, spaces single."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split()).rstrip(".")


def _next_weekday_note(text: str, took: date, today: date) -> Note | None:
    """What `read_when` says of `next friday` when a day is read alone: which Friday
    was taken, when the Friday of next week (the other reading) is another day."""
    found = _NEXT_WEEKDAY.fullmatch(_day_words(text))
    if found is None:
        return None
    typed = found["day"].rstrip(".")
    other = today + timedelta(days=7 - today.weekday() + DAY_NAMES[typed])
    if other == took:
        return None
    return Note(
        NOTE_NEXT_WEEKDAY, {"day": typed, "took": took.isoformat(), "other": other.isoformat()}
    )


def _length_text(length: timedelta) -> str:
    """A length as `edit ... for` reads it: `45m`, `2h`, `1h30`."""
    hours, minutes = divmod(int(length.total_seconds() // 60), 60)
    if hours and minutes:
        return f"{hours}h{minutes:02d}"
    return f"{hours}h" if hours else f"{minutes}m"


@dataclass(frozen=True)
class Edited:
    """An edit done: the meeting before and after, what its notice says, and the notice's
    number (its delivery row)."""

    before: Meeting
    after: Meeting
    notice: ChangeNotice
    told: int


def local_start(day: str, at: str, tz: str) -> datetime:
    """A date picker's `YYYY-MM-DD` and a time picker's `HH:MM`, read in `tz`."""
    try:
        local = datetime.combine(datetime.fromisoformat(day).date(), time.fromisoformat(at))
    except ValueError as error:
        raise UserError(N_("Pick a date and a time."), "when") from error
    # fold=0: a wall time skipped by a spring-forward change lands after it (2:30 -> 3:30),
    # and an ambiguous fall-back time means its first occurrence.
    try:
        return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    except (OverflowError, ValueError) as error:  # year 1 or 9999 moved across a zone
        raise UserError(N_("Pick a date and a time."), "when") from error


def _meeting_lead(text: str | None) -> timedelta | None:
    """A lead the meeting names (`agenda 2h`), `off` for none of those posts, or None for
    the workspace's default."""
    if not text:
        return None
    return LEAD_OFF if text.strip().lower() == "off" else parse_lead(text)


def _switch(text: str | None) -> bool | None:
    """`outcome off` / `outcome on`; None when not said."""
    if text is None:
        return None
    word = text.strip().lower()
    if word not in ("on", "off"):
        raise UserError(
            N_("Say `on` or `off`, like `{example}`."), "outcome", example="outcome off"
        )
    return word == "on"


# `with +@sam -@ravi, +jane@acme.com`: a sign starts a chunk after a space or a comma.
_SIGNED = re.compile(r"(?:^|[\s,;]+)(?=[+-])")


def _attendee_changes(
    text: str, attendees_of: Callable[[Invitees], tuple[Attendee, ...]]
) -> tuple[tuple[Attendee, ...] | None, tuple[Attendee, ...], tuple[Attendee, ...]]:
    """An edit's `with`: (replacement, added, removed). `@a, @b` replaces the attendees;
    `+@sam` adds and `-@ravi` removes; the two ways can't be mixed."""
    chunks = [c for c in _SIGNED.split(text) if c.strip()]
    signed = [c for c in chunks if c.lstrip()[:1] in "+-"]
    if not signed:
        return attendees_of(read_invitees(text)), (), ()
    if len(signed) != len(chunks):
        raise UserError(
            N_(
                "Either list everyone (`with @a, @b`) or say who joins and who leaves"
                " (`with +@sam -@ravi`), not both."
            ),
            "attendees",
        )
    plus = ", ".join(c.lstrip()[1:] for c in signed if c.lstrip().startswith("+"))
    minus = ", ".join(c.lstrip()[1:] for c in signed if c.lstrip().startswith("-"))
    added = attendees_of(read_invitees(plus)) if plus.strip() else ()
    removed = attendees_of(read_invitees(minus)) if minus.strip() else ()
    return None, added, removed


class MeetingBook:
    """Schedules, finds, moves, skips and cancels a workspace's meetings."""

    def __init__(
        self,
        store: MeetingStore,
        agenda: AgendaStore,
        clock: Clock,
        on_change: Callable[[Meeting], None] = lambda meeting: None,
    ) -> None:
        self.store = store
        self.agenda = agenda
        self.clock = clock
        # Told of every stored change, so timed posts follow the meeting.
        self.on_change = on_change

    def draft_from_command(
        self,
        command: Schedule,
        organiser: Person,
        channel_id: str,
        attendees_of: Callable[[Invitees], tuple[Attendee, ...]],
        notes: list[Note] | None = None,
    ):
        """Read a `schedule` command's parts in the organiser's own time zone.

        `attendees_of` turns the people typed into attendees (bot/roster.py matches the
        names to members). `notes`, when given, receives what the confirmation should
        tell the organiser about how the time was read (`bot.when.Note`: a bare hour,
        `next friday`).
        """
        now = self.clock.now()
        if command.until and not command.every:
            raise UserError(
                N_("“until” goes with “every”, like `{example}`."),
                "every",
                example='/salesmeet schedule "Forecast" every monday 9am until Mar 31',
            )
        rrule = None
        if not command.when and command.every:  # "every monday 9am": the rule holds the time
            read, recurrence = read_series(command.every, now, organiser.tz, command.until)
            rrule = recurrence.rrule
        else:
            read = read_when(command.when, now, organiser.tz)
            if command.every:
                # `sun 1:30am every week` on a spring-forward Sunday keeps 01:30 after it.
                typed = typed_wall_clock(command.when, read.start, now, organiser.tz)
                rrule = parse_recurrence(
                    command.every, read.start, organiser.tz, command.until, now=now, wall_time=typed
                ).rrule
        if read.duration is not None and command.duration:
            raise UserError(
                RANGE_AND_DURATION,
                "duration",
                text=command.when or command.every,
                duration=command.duration,
            )
        if read.duration is not None:
            duration = read.duration
        else:
            duration = parse_duration(command.duration) if command.duration else DEFAULT_DURATION
        if notes is not None:
            notes.extend(read.notes)
        return self.draft(
            rrule=rrule,
            agenda_lead=_meeting_lead(command.agenda_lead),
            reminder_lead=_meeting_lead(command.reminder_lead),
            outcome_prompt=_switch(command.outcome),
            title=command.title,
            starts_at=read.start,
            duration=duration,
            organiser=organiser,
            channel_id=channel_id,
            purpose=parse_purpose(command.purpose) if command.purpose else DEFAULT_PURPOSE,
            venue=parse_venue(command.venue) if command.venue else Venue(None),
            attendees=attendees_of(read_invitees(command.attendees)) if command.attendees else (),
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
        rrule: str | None = None,
        agenda_lead: timedelta | None = None,
        reminder_lead: timedelta | None = None,
        outcome_prompt: bool | None = None,
    ) -> MeetingDraft:
        check_start(starts_at, self.clock.now())
        return MeetingDraft(
            rrule=rrule,
            agenda_lead=agenda_lead,
            reminder_lead=reminder_lead,
            outcome_prompt=outcome_prompt,
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
        self, team_id: str, draft: MeetingDraft, request_key: str | None, announce: bool = True
    ) -> tuple[Meeting, bool]:
        """Store the meeting, and its channel announcement as a post to send (`announce`);
        (first meeting, False) when this is a repeat of a recent request."""
        meeting, created = self.store.create(
            team_id,
            draft,
            self.clock.now(),
            request_key=request_key,
            repeat_window=REPEAT_WINDOW,
            announce=announce,
        )
        if created:
            self.on_change(meeting)
        return meeting, created

    def booked(self, team_id: str, draft: MeetingDraft, request_key: str | None) -> Meeting | None:
        """The meeting an earlier run of the same request stored, if any."""
        if request_key is None:
            return None
        return self.store.by_request(team_id, draft.organiser_id, draft.channel_id, request_key)

    def get(self, team_id: str, number: int) -> Meeting | None:
        return self.store.get(team_id, number)

    def find(self, team_id: str, number: int) -> Meeting:
        meeting = self.store.get(team_id, number)
        if meeting is None:
            raise UserError(
                N_("There is no meeting #{number} in this workspace. See `/salesmeet list`."),
                number=number,
            )
        return meeting

    def upcoming(self, team_id: str, user_id: str | None = None, limit: int = 20, page: int = 1):
        """(meeting, next occurrence) pairs, soonest first, `limit` to a page (page 1 the
        soonest), and how many there are in all. A page past the end is empty."""
        offset = (max(1, page) - 1) * limit
        # One read counts and pages: the series are expanded once, not twice.
        found, total = self.store.upcoming_page(
            team_id, self.clock.now(), user_id=user_id, limit=limit, offset=offset
        )
        return (found if offset < total else []), total

    def _check_may_change(self, meeting: Meeting, person: Person) -> None:
        if not can_cancel(meeting, person.user_id, person.is_manager):
            raise UserError(
                N_(
                    "Sorry, only the organiser (<@{organiser}>) or a manager can change"
                    " meeting #{number}."
                ),
                organiser=meeting.organiser_id,
                number=meeting.number,
            )
        if meeting.cancelled:
            raise UserError(N_("Meeting #{number} is cancelled."), number=meeting.number)

    def _occurrence_on(
        self, meeting: Meeting, day_text: str, person: Person, notes: list[Note] | None = None
    ) -> Occurrence:
        """The occurrence of a series originally on the day the person named.

        Days are read as `schedule` reads them: a weekday alone (`wed`) is today's while
        today's meeting has not started, else the one a week on; `notes` (when given)
        receives what the answer should say of the reading (`next friday`).
        """
        now = self.clock.now()
        day = parse_day(day_text, now, person.tz)
        today = now.astimezone(ZoneInfo(person.tz)).date()
        if day == today and _WEEKDAY_ALONE.fullmatch(_day_words(day_text)):
            todays = occurrence_on(
                meeting.starts_at,
                meeting.duration,
                meeting.tz,
                meeting.rrule,
                day,
                skipped=frozenset(),  # a skipped one that has started is today's too
                moved=meeting.moved,
            )
            if todays is not None and todays.start <= now:
                day += WEEK
        note = _next_weekday_note(day_text, day, today)
        if notes is not None and note is not None:
            notes.append(note)
        occurrence = occurrence_on(
            meeting.starts_at,
            meeting.duration,
            meeting.tz,
            meeting.rrule,
            day,
            skipped=meeting.skipped,
            moved=meeting.moved,
        )
        if occurrence is None:
            original = occurrence_on(
                meeting.starts_at, meeting.duration, meeting.tz, meeting.rrule, day
            )
            if original is not None and original.key in meeting.skipped:
                raise UserError(
                    N_("That occurrence of #{number} ({when}) is already skipped."),
                    number=meeting.number,
                    when=original.start,
                )
            raise UserError(
                N_(
                    "Meeting #{number} has no occurrence on {day}. See `/salesmeet show #{number}`."
                ),
                number=meeting.number,
                day=day.isoformat(),
            )
        return occurrence

    def skip(
        self,
        team_id: str,
        number: int,
        day_text: str,
        person: Person,
        notes: list[Note] | None = None,
    ):
        """Skip one occurrence of a series; returns (meeting, skipped occurrence, number of
        the channel's notice, stored with the change). `notes`, when given, receives what
        the answer should tell the person about how the day was read (`next friday`)."""
        meeting = self.find(team_id, number)
        self._check_may_change(meeting, person)
        if not meeting.is_series:
            raise UserError(
                N_(
                    "Meeting #{number} happens once: to call it off, use"
                    " `/salesmeet cancel #{number}`."
                ),
                number=number,
            )
        now = self.clock.now()
        occurrence = self._occurrence_on(meeting, day_text, person, notes)
        if occurrence.start <= now:
            raise UserError(N_("That occurrence has already started."), number=number)
        notice = ChangeNotice(SKIPPED, person.user_id, before=occurrence)
        told = self.store.change_occurrence(
            team_id,
            meeting.id,
            occurrence.key,
            person.user_id,
            now,
            skipped=True,
            notice=notice.dump(),
        )
        changed = self.find(team_id, number)
        self.on_change(changed)
        return changed, occurrence, told

    def move(
        self,
        team_id: str,
        number: int,
        when_text: str,
        day_text: str | None,
        person: Person,
        notes: list[Note] | None = None,
    ):
        """Move a one-off meeting, or one occurrence of a series; returns (meeting,
        occurrence before, occurrence after, number of the channel's notice).

        The new time is read as `schedule` reads it. A range (`fri 3pm-5pm`) gives a
        one-off meeting its length too; one occurrence of a series keeps the series'
        length, so a range that gives another is refused. `notes`, when given, receives
        what the answer should tell the person about how the day and time were read."""
        meeting = self.find(team_id, number)
        self._check_may_change(meeting, person)
        now = self.clock.now()
        if meeting.is_series:
            if not day_text:
                raise UserError(
                    N_("#{number} is a series: say which occurrence, like `{example}`."),
                    number=number,
                    example=f"/salesmeet move #{number} Dec 8 to Dec 9 10am",
                )
            before = self._occurrence_on(meeting, day_text, person, notes)
        else:
            before = meeting.next_occurrence(now)
            if before is None:
                raise UserError(N_("Meeting #{number} has already taken place."), number=number)
        if before.start <= now:
            raise UserError(N_("That occurrence has already started."), number=number)
        read = read_when(when_text, now, person.tz)
        duration = meeting.duration if read.duration is None else read.duration
        if meeting.is_series and duration != meeting.duration:
            local = read.start.astimezone(ZoneInfo(person.tz))
            start_only = f"{_MONTHS[local.month - 1]} {local.day} {local:%H:%M}"  # `Nov 27 15:00`
            raise UserError(
                SERIES_KEEPS_ITS_LENGTH,
                "when",
                text=when_text.strip(),
                number=number,
                example=f"/salesmeet move #{number} {day_text} to {start_only}",
                duration=_length_text(duration),
            )
        new_start = read.start
        after = Occurrence(before.key, new_start, new_start + duration)
        notice = ChangeNotice(MOVED, person.user_id, before=before, after=after)
        told = self.store.change_occurrence(
            team_id,
            meeting.id,
            before.key,
            person.user_id,
            now,
            moved_to=new_start,
            duration=None if duration == meeting.duration else duration,
            notice=notice.dump(),
        )
        if notes is not None:
            notes.extend(read.notes)
        changed = self.find(team_id, number)
        self.on_change(changed)
        return changed, before, after, told

    def edit_from_command(
        self, command: EditMeeting, attendees_of: Callable[[Invitees], tuple[Attendee, ...]]
    ) -> MeetingEdit:
        """Read `edit`'s clauses: only what they name changes."""
        replaced, added, removed = (None, (), ())
        if command.attendees is not None:
            replaced, added, removed = _attendee_changes(command.attendees, attendees_of)
        return MeetingEdit(
            title=command.title,
            duration=parse_duration(command.duration) if command.duration else None,
            attendees=replaced,
            add=added,
            remove=removed,
            purpose=parse_purpose(command.purpose) if command.purpose else None,
            venue=parse_venue(command.venue) if command.venue else None,
            agenda_lead=_meeting_lead(command.agenda_lead),
            reminder_lead=_meeting_lead(command.reminder_lead),
            outcome_prompt=_switch(command.outcome),
            weeks_apart=read_weeks_apart(command.every) if command.every else None,
        )

    def check_may_edit(self, meeting: Meeting, person: Person) -> None:
        """Raises UserError unless `person` may edit `meeting` now (before a form opens)."""
        self._check_may_change(meeting, person)
        if meeting.next_occurrence(self.clock.now()) is None:
            raise UserError(N_("Meeting #{number} has already taken place."), number=meeting.number)

    def edit(self, team_id: str, number: int, edit: MeetingEdit, person: Person) -> Edited:
        """Change a meeting, in one transaction; for a series, from its next occurrence
        on (those already held keep what they were). Its number, RSVPs and agenda stay;
        pending posts follow the change."""
        meeting = self.find(team_id, number)
        self._check_may_change(meeting, person)
        now = self.clock.now()
        upcoming = meeting.next_occurrence(now)
        if upcoming is None:
            raise UserError(N_("Meeting #{number} has already taken place."), number=number)
        if not meeting.is_series and upcoming.start <= now:
            raise UserError(N_("That occurrence has already started."), number=number)
        after = edited(meeting, edit)
        changed = list(changes(meeting, after))
        moved = None
        before_time = after_time = None
        if (
            edit.starts_at is not None
            and not meeting.is_series
            and edit.starts_at != upcoming.start
        ):
            check_start(edit.starts_at, now)
            moved = (upcoming.key, edit.starts_at)
            before_time = upcoming
            after_time = Occurrence(upcoming.key, edit.starts_at, edit.starts_at + after.duration)
            changed.append(TIME)
        if not changed:
            raise UserError(N_("That leaves #{number} as it is: nothing to change."), number=number)
        keep_past_before = None
        if meeting.is_series:
            first = self._first_ahead(meeting, now)
            if first is not None and first > meeting.starts_at:
                keep_past_before = first
        before_ids = {a.user_id for a in meeting.attendees if a.user_id}
        after_ids = {a.user_id for a in after.attendees if a.user_id}
        notice = ChangeNotice(
            EDITED,
            person.user_id,
            before=before_time,
            after=after_time,
            changed=tuple(changed),
            was=meeting.title if TITLE in changed else None,
            added=tuple(
                u for u in (a.user_id for a in after.attendees) if u and u not in before_ids
            ),
            removed=tuple(
                u for u in (a.user_id for a in meeting.attendees) if u and u not in after_ids
            ),
        )
        told = self.store.edit(
            team_id,
            meeting.id,
            after,
            person.user_id,
            now,
            keep_past_before=keep_past_before,
            moved=moved,
            notice=notice.dump(),
        )
        if told is False:
            raise UserError(N_("Meeting #{number} is cancelled."), number=number)
        current = self.find(team_id, number)
        self.on_change(current)
        return Edited(meeting, current, notice, int(told))

    @staticmethod
    def _first_ahead(meeting: Meeting, now: datetime) -> datetime | None:
        """The original start of the series' first occurrence not yet begun (skipped or
        moved ones too: a key is an original start)."""
        ahead = occurrences(
            meeting.starts_at, meeting.duration, meeting.tz, meeting.rrule, now, now + YEAR
        )
        starts = [o.start for o in ahead if o.start >= now]
        return min(starts) if starts else None

    def next_for_agenda(self, team_id: str, number: int):
        """The meeting and its next occurrence that has not ended."""
        meeting = self.find(team_id, number)
        occurrence = None if meeting.cancelled else meeting.next_occurrence(self.clock.now())
        if occurrence is None:
            raise UserError(
                N_("Meeting #{number} has no upcoming occurrence."), number=meeting.number
            )
        return meeting, occurrence

    def add_agenda_item(
        self,
        team_id: str,
        number: int,
        text: str,
        person: Person,
        occurrence_key: int | None = None,
    ):
        meeting, occurrence = self.next_for_agenda(team_id, number)
        if occurrence_key is not None and occurrence_key != occurrence.key:
            found = meeting.occurrence(occurrence_key)
            if found is None or found.end <= self.clock.now():
                raise UserError(N_("That occurrence is over or was skipped."), number=number)
            occurrence = found
        item = self.agenda.add(
            team_id, meeting.id, occurrence.key, check_item(text), person.user_id, self.clock.now()
        )
        return meeting, occurrence, item

    def agenda_items(self, team_id: str, meeting: Meeting, occurrence: Occurrence):
        return self.agenda.items(team_id, meeting.id, occurrence.key)

    def cancel(self, team_id: str, number: int, person: Person) -> tuple[Meeting, int]:
        """Cancel a meeting (a series ends); returns it and its channel notice's number."""
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
        if meeting.next_occurrence(self.clock.now()) is None:
            raise UserError(N_("Meeting #{number} has already taken place."), number=meeting.number)
        notice = ChangeNotice(CANCELLED, person.user_id)
        told = self.store.cancel(
            team_id, number, person.user_id, self.clock.now(), notice.dump(), meeting.id
        )
        if told is False:
            raise UserError(N_("Meeting #{number} is already cancelled."), number=number)
        cancelled = self.find(team_id, number)
        self.on_change(cancelled)
        return cancelled, int(told)
