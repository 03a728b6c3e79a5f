"""The rules of followups: who may answer, see answers or mark an item done; what the
outcome form offers and what saving it does; the periods and figures of the exports and
App Home; and the strict readers of what Slack sends back (button values, the form).

`Followups` is built once (features/followups/__init__.py) with its stores. It renders
nothing and asks Slack nothing itself: only the directory does (who someone is), with
the client of the request it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot import ical
from bot.feature import Core
from bot.i18n import Translator
from bot.values import read_channel_id, read_id, read_occurrence_ref, read_user_id
from entities.agenda import AgendaItem
from entities.deliveries import Planned
from entities.errors import N_, UserError
from entities.meetings import Meeting
from entities.people import Person
from entities.recurrence import Occurrence
from entities.text import without_controls
from features.followups.csv_export import Totals, cost_csv, csv_filename, people_of
from features.followups.store import (
    ActionItem,
    ActionItemStore,
    NewActionItem,
    Outcome,
    OutcomeStore,
    RsvpStore,
    WorthCount,
    WorthStore,
)
from storage.windows import WindowStore

# Delivery kinds. An "outcome" row is keyed like the agenda prompt (meeting, occurrence).
# An "action" row is keyed (meeting_id=0, occurrence=action item id): the item's id is
# unique, and meeting_id 0 keeps the row out of the planner's per-meeting clean-ups
# (a moved or cancelled meeting must not drop the DMs of work already agreed).
OUTCOME, ACTION = "outcome", "action"
# DMs about action items go out at this local time on the due date.
DUE_TIME = time(9, 0)

DEFAULT_ROWS, MAX_ROWS = 3, 10  # action item rows in the outcome form
MAX_TEXT = 3000
MAX_ACTION = 300
MAX_OFFERED = 50  # agenda items offered as "discussed" (5 checkbox groups of 10)
MAX_HOME_ITEMS = 5  # open action items on App Home; the rest are counted
# Names looked up for the CSV: beyond this many people, the rest show as user ids.
MAX_NAME_LOOKUPS = 200

MEETING_OVER = N_("{ref} ({when}) is over, so answers are closed.")
NOT_HAPPENING = N_("That occurrence of {ref} was skipped or moved off the calendar.")
CANCELLED = N_("Meeting {ref} is cancelled.")
FORM_EXPIRED = N_("This form is out of date. Press the button on the meeting's post again.")
GONE = N_("That meeting or occurrence no longer exists.")

# "Worth the time?" answers can change until the next occurrence starts; with none to
# come (a one-off, a series' last), for this long after the end, so counts settle.
WORTH_OPEN_AFTER_LAST = timedelta(days=7)
NOT_AN_ATTENDEE = N_(
    "Thanks, but only the attendees of {ref} are asked whether it was worth their time."
)
NOT_ENDED = N_(
    "{ref} ({when}) hasn't ended yet, so it's too early to say whether it was worth the time."
)
WORTH_CLOSED_NEXT = N_(
    "Answers to “Worth the time?” for {ref} ({when}) closed when the next occurrence"
    " started ({closed}), so nothing was changed."
)
WORTH_CLOSED_LAST = N_(
    "Answers to “Worth the time?” for {ref} ({when}) closed a week after it ended"
    " ({closed}), so nothing was changed."
)


# --- strict readers -----------------------------------------------------------------------


def read_button(value: str) -> tuple[int, int] | None:
    """(meeting number, occurrence key) from a button's value, or None if it is not ours."""
    return read_occurrence_ref(value)


def button_value(meeting: Meeting, occurrence: Occurrence) -> str:
    return f"{meeting.number}:{occurrence.key}"


def read_item_id(value: str) -> int | None:
    """An action item's id from its Done button, or None if it is not ours."""
    return read_id(value)


# More agenda items than a form can offer as checkboxes is not a form we wrote.
MAX_AGENDA_CHECKBOXES = 100


@dataclass(frozen=True)
class FormState:
    """What the outcome form carries between opening and submission (private_metadata)."""

    number: int
    occurrence: int
    channel_id: str | None = None
    message_ts: str | None = None
    rows: int = DEFAULT_ROWS
    agenda: tuple[int, ...] = ()  # the agenda items offered as "discussed" checkboxes

    def dump(self) -> str:
        return json.dumps(
            {
                "number": self.number,
                "occurrence": self.occurrence,
                "channel_id": self.channel_id,
                "message_ts": self.message_ts,
                "rows": self.rows,
                "agenda": list(self.agenda),
            }
        )

    def with_another_row(self) -> FormState:
        return replace(self, rows=self.rows + 1)

    @classmethod
    def read(cls, text: str) -> FormState | None:
        """The state of one of our forms, or None for metadata that is not ours."""
        try:
            data = json.loads(text or "{}")
            ref = read_occurrence_ref(f"{data['number']}:{data['occurrence']}")
            agenda = tuple(read_id(str(i)) for i in data.get("agenda") or ())
            channel = data.get("channel_id")
            if ref is None or None in agenda or len(agenda) > MAX_AGENDA_CHECKBOXES:
                return None
            if channel is not None and read_channel_id(channel) is None:
                return None
            return cls(
                number=ref[0],
                occurrence=ref[1],
                channel_id=channel,
                message_ts=str(data["message_ts"])[:32] if data.get("message_ts") else None,
                rows=max(1, min(MAX_ROWS, int(data.get("rows") or DEFAULT_ROWS))),
                agenda=agenda,  # type: ignore[arg-type]
            )
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            return None


@dataclass(frozen=True)
class ItemRow:
    index: int
    text: str
    owner_id: str | None
    due: str | None  # YYYY-MM-DD from the date picker


@dataclass(frozen=True)
class OutcomeEntry:
    notes: str
    decisions: str
    rows: list[ItemRow]
    discussed: set[int] = field(default_factory=set)


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get("value") or {}


def read_outcome(view: dict, state: FormState) -> OutcomeEntry:
    """What the form held. Unknown or missing fields read as empty."""
    values = (view.get("state") or {}).get("values") or {}
    rows = []
    for i in range(state.rows):
        rows.append(
            ItemRow(
                index=i,
                text=" ".join((_value(values, f"item_{i}").get("value") or "").split()),
                owner_id=read_user_id(_value(values, f"owner_{i}").get("selected_user")),
                due=_value(values, f"due_{i}").get("selected_date") or None,
            )
        )
    discussed: set[int] = set()
    for block_id in values:
        if block_id.startswith("discussed_"):
            for option in _value(values, block_id).get("selected_options") or []:
                item_id = read_id(option.get("value") if isinstance(option, dict) else None)
                if item_id is not None:
                    discussed.add(item_id)
    return OutcomeEntry(
        notes=without_controls(_value(values, "notes").get("value") or "", True).strip(),
        decisions=without_controls(_value(values, "decisions").get("value") or "", True).strip(),
        rows=rows,
        discussed=discussed,
    )


class OutcomeErrors(Exception):
    """What is wrong with a submitted outcome form, by block id: Slack shows each under
    its field."""

    def __init__(self, errors: dict[str, UserError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors

    @classmethod
    def expired(cls) -> OutcomeErrors:
        """The form is not one we can read, or its meeting or occurrence is gone."""
        return cls({"notes": UserError(FORM_EXPIRED, "notes")})


def check_outcome(
    entry: OutcomeEntry, source: str, today: date
) -> tuple[list[NewActionItem], dict[str, UserError]]:
    """Action items ready to store, and what is wrong, by block id."""
    errors: dict[str, UserError] = {}
    items: list[NewActionItem] = []
    for row in entry.rows:
        item_block, owner_block, due_block = (
            f"item_{row.index}",
            f"owner_{row.index}",
            f"due_{row.index}",
        )
        if not row.text:
            if row.owner_id or row.due:
                errors[item_block] = UserError(
                    N_("Say what needs doing, or clear the owner and due date."), item_block
                )
            continue
        if len(row.text) > MAX_ACTION:
            errors[item_block] = UserError(
                N_("An action item can be at most {limit} characters."),
                item_block,
                limit=MAX_ACTION,
            )
            continue
        if not row.owner_id:
            errors[owner_block] = UserError(N_("Pick who owns this action item."), owner_block)
        due: date | None = None
        if not row.due:
            errors[due_block] = UserError(N_("Pick a due date."), due_block)
        else:
            try:
                due = date.fromisoformat(row.due)
            except ValueError:
                errors[due_block] = UserError(N_("Pick a due date."), due_block)
            else:
                if due < today:
                    errors[due_block] = UserError(
                        N_("That day has passed. Pick today or a later day."), due_block
                    )
        if row.owner_id and due and due_block not in errors:
            items.append(NewActionItem(row.text, row.owner_id, due, f"{source}:{row.index}"))
    if len(entry.notes) > MAX_TEXT:
        errors["notes"] = UserError(
            N_("Notes can be at most {limit} characters."), "notes", limit=MAX_TEXT
        )
    if len(entry.decisions) > MAX_TEXT:
        errors["decisions"] = UserError(
            N_("Decisions can be at most {limit} characters."), "decisions", limit=MAX_TEXT
        )
    return items, errors


# --- rules without state ------------------------------------------------------------------


def invitees(meeting: Meeting) -> list[str]:
    """Members expected to answer: the attendees with a Slack account, not the organiser
    (who called the meeting) nor guests (who have no buttons)."""
    seen: list[str] = []
    for attendee in meeting.attendees:
        user = attendee.user_id
        if user and user != meeting.organiser_id and user not in seen:
            seen.append(user)
    return seen


def waiting_for(meeting: Meeting, answers: dict[str, str]) -> list[str]:
    return [u for u in invitees(meeting) if u not in answers]


def action_due(day: date, tz: str, now: datetime) -> datetime:
    """When the owner's DM goes out: 09:00 in their zone on the due date, or at once when
    that has passed (an item due today, entered in the afternoon)."""
    at = datetime.combine(day, DUE_TIME, tzinfo=ZoneInfo(tz))
    return max(at, now)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def period_bounds(now: datetime, tz: str, which: str, unit: str) -> tuple[datetime, datetime]:
    """[start, end) of last/this/next week (Monday to Monday) or month, midnight to
    midnight in `tz`: a week is 7 local days even across a daylight-saving change."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    shift = {"last": -1, "this": 0, "next": 1}[which]
    if unit == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
        last = first + timedelta(weeks=1)
    else:
        month = today.year * 12 + today.month - 1 + shift
        first = date(month // 12, month % 12 + 1, 1)
        following = month + 1
        last = date(following // 12, following % 12 + 1, 1)
    return _midnight(first, zone), _midnight(last, zone)


def hours(pairs: list[tuple[Meeting, Occurrence]]) -> float:
    return sum((o.end - o.start).total_seconds() for _, o in pairs) / 3600


def _may_see_answers(meeting: Meeting, person: Person) -> None:
    if not (person.is_manager or meeting.organiser_id == person.user_id):
        raise UserError(
            N_(
                "Only the organiser (<@{organiser}>) or a manager can see who hasn't answered"
                " for meeting #{number}."
            ),
            organiser=meeting.organiser_id,
            number=meeting.number,
        )


def worth_attendees(meeting: Meeting) -> set[str]:
    """Who is asked "Worth the time?": the organiser and the attendees with a Slack
    account (guests have no buttons)."""
    return {meeting.organiser_id} | {a.user_id for a in meeting.attendees if a.user_id}


def worth_closes(meeting: Meeting, occurrence: Occurrence) -> tuple[datetime, bool]:
    """When answers to "Worth the time?" for this occurrence close, and whether that is
    the next occurrence's start (else a week after this one ended). A cancelled series
    closes when its next occurrence would have started."""
    nxt = meeting.next_occurrence(occurrence.end)
    if nxt is not None and nxt.key != occurrence.key:
        return nxt.start, True
    return occurrence.end + WORTH_OPEN_AFTER_LAST, False


def _next_after(meeting: Meeting, occurrence: Occurrence, now: datetime) -> Occurrence | None:
    """Where agenda items not discussed go: the next occurrence that has not ended yet."""
    if meeting.cancelled:
        return None
    nxt = meeting.next_occurrence(max(now, occurrence.end))
    return nxt if nxt is not None and nxt.key != occurrence.key else None


# --- what the service answers -------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """The RSVPs of one occurrence: user id -> answer, in the order people answered."""

    meeting: Meeting
    occurrence: Occurrence
    answers: dict[str, str]


@dataclass(frozen=True)
class OutcomeForm:
    """What the outcome form shows for one occurrence."""

    meeting: Meeting
    occurrence: Occurrence
    state: FormState
    outcome: Outcome | None  # recorded before: the form starts from it
    offered: list[AgendaItem]  # this occurrence's agenda items not carried over yet
    next_occurrence: Occurrence | None  # where the items not discussed go


@dataclass(frozen=True)
class Recorded:
    """An outcome just saved."""

    meeting: Meeting
    occurrence: Occurrence
    state: FormState
    user_id: str
    added: list[ActionItem]  # the action items added now
    zones: dict[str, str]  # owner -> the zone their DM was planned in
    carried: list[str]  # the agenda items carried over now
    next_occurrence: Occurrence | None


@dataclass(frozen=True)
class Rated:
    """Someone's answer to "Worth the time?", just stored."""

    meeting: Meeting
    occurrence: Occurrence
    worth: bool
    closes: datetime  # until when they can change it


@dataclass(frozen=True)
class PromptNow:
    """The outcome prompt of an occurrence as it should read now, and where it is."""

    channel_id: str
    ts: str
    late_since: datetime | None  # its due time, when it went out late
    worth: WorthCount
    recorded_by: str | None  # who last recorded the outcomes


@dataclass(frozen=True)
class CalendarExport:
    content: bytes
    meetings: int
    filename: str


@dataclass(frozen=True)
class CostExport:
    start: datetime
    end: datetime
    tz: str
    currency: str
    csv: str = ""  # empty: no meetings in the period
    totals: Totals | None = None

    def filename(self, tr: Translator) -> str:
        return csv_filename(tr, self.start, self.end, self.tz)


class Followups:
    def __init__(self, core: Core) -> None:
        self.book = core.book
        self.meetings = core.book.store
        self.clock = core.clock
        self.workspaces = core.workspaces
        self.directory = core.directory
        self.deliveries = core.planner.deliveries
        self.alarm = core.alarm
        self.rsvps = RsvpStore(core.database)
        self.outcomes = OutcomeStore(core.database)
        self.items = ActionItemStore(core.database)
        self.worth = WorthStore(core.database)
        self.windows = WindowStore(core.database)

    # -- lookups --------------------------------------------------------------------------

    def meeting(self, team_id: str, meeting_id: int) -> Meeting | None:
        return self.meetings.by_id(team_id, meeting_id)

    def item(self, team_id: str, item_id: int) -> ActionItem | None:
        return self.items.get(team_id, item_id)

    def today(self, team_id: str) -> date:
        """Today in the workspace's zone: what "overdue" is measured against."""
        tz = self.workspaces.settings(team_id).tz
        return self.clock.now().astimezone(ZoneInfo(tz)).date()

    def _zone_of(self, team_id: str, user_id: str) -> str:
        person = self.directory.cached(team_id, user_id)
        return person.tz if person else self.workspaces.settings(team_id).tz

    # -- RSVP -----------------------------------------------------------------------------

    def answer(self, team_id: str, user_id: str, number: int, key: int, answer: str) -> Meeting:
        """Record someone's answer (going | not_going) for an occurrence still to end."""
        now = self.clock.now()
        meeting = self.meetings.get(team_id, number)
        if meeting is None:
            raise UserError(N_("That meeting no longer exists."))
        if meeting.cancelled:
            raise UserError(CANCELLED, ref=meeting.ref)
        occurrence = meeting.occurrence(key)
        if occurrence is None:
            raise UserError(NOT_HAPPENING, ref=meeting.ref)
        if occurrence.end <= now:
            raise UserError(MEETING_OVER, ref=meeting.ref, when=occurrence.start)
        self.rsvps.answer(team_id, meeting.id, key, user_id, answer, now)
        return meeting

    def answers(self, meeting: Meeting, occurrence: Occurrence) -> dict[str, str]:
        return self.rsvps.answers(meeting.team_id, meeting.id, occurrence.key)

    def next_answers(self, team_id: str, person: Person, number: int) -> Answers:
        """For the organiser or a manager: the answers for the meeting's next occurrence."""
        meeting = self.book.find(team_id, number)
        _may_see_answers(meeting, person)
        _, occurrence = self.book.next_for_agenda(team_id, number)
        return Answers(meeting, occurrence, self.answers(meeting, occurrence))

    def answers_at(self, team_id: str, person: Person, number: int, key: int) -> Answers:
        """For the organiser or a manager: the answers for one occurrence."""
        meeting = self.book.find(team_id, number)
        _may_see_answers(meeting, person)
        occurrence = meeting.occurrence(key)
        if occurrence is None:
            raise UserError(NOT_HAPPENING, ref=meeting.ref)
        return Answers(meeting, occurrence, self.answers(meeting, occurrence))

    def my_answers(
        self, team_id: str, user_id: str, pairs: list[tuple[Meeting, Occurrence]]
    ) -> dict[tuple[int, int], str]:
        """(meeting id, occurrence key) -> this user's answer, for the occurrences given."""
        return self.rsvps.answers_of(team_id, user_id, [(m.id, o.key) for m, o in pairs])

    # -- outcomes -------------------------------------------------------------------------

    def outcome_form(self, team_id: str, state: FormState) -> OutcomeForm | None:
        """The form for the occurrence in `state`, offering its agenda items not carried
        over yet; None when the meeting or the occurrence is gone."""
        meeting = self.meetings.get(team_id, state.number)
        occurrence = meeting.occurrence(state.occurrence) if meeting else None
        if meeting is None or occurrence is None:
            return None
        nxt = _next_after(meeting, occurrence, self.clock.now())
        offered: list[AgendaItem] = []
        if nxt is not None:
            items = self.book.agenda_items(team_id, meeting, occurrence)
            carried = self.outcomes.carried(team_id, [i.id for i in items])
            offered = [i for i in items if i.id not in carried][:MAX_OFFERED]
        outcome = self.outcomes.get(team_id, meeting.id, occurrence.key)
        state = replace(state, agenda=tuple(i.id for i in offered))
        return OutcomeForm(meeting, occurrence, state, outcome, offered, nxt)

    def opening_form(
        self, team_id: str, number: int, key: int, channel_id: str | None, message_ts: str | None
    ) -> OutcomeForm:
        """The form as the prompt's button opens it."""
        form = self.outcome_form(team_id, FormState(number, key, channel_id, message_ts))
        if form is None:
            raise UserError(GONE)
        return form

    def record_outcome(
        self, team_id: str, user_id: str, state: FormState, entry: OutcomeEntry, source: str
    ) -> Recorded:
        """Save what the form holds, in one transaction: notes and decisions, the new
        action items with their owners' DMs (at 09:00 in the owner's zone on the due
        date, as far as we know it now), and the agenda items not discussed, carried
        over to the next occurrence. Raises OutcomeErrors when the form needs fixing.
        `source` names the form, so the same form sent twice adds nothing twice."""
        meeting = self.meetings.get(team_id, state.number)
        occurrence = meeting.occurrence(state.occurrence) if meeting else None
        if meeting is None or occurrence is None:
            raise OutcomeErrors.expired()
        now = self.clock.now()
        today = now.astimezone(ZoneInfo(self._zone_of(team_id, user_id))).date()
        new_items, errors = check_outcome(entry, source, today)
        if errors:
            raise OutcomeErrors(errors)
        zones = {i.owner_id: self._zone_of(team_id, i.owner_id) for i in new_items}
        nxt = _next_after(meeting, occurrence, now)
        undiscussed = [i for i in state.agenda if i not in entry.discussed]
        added, carried = self.outcomes.record(
            team_id,
            meeting.id,
            occurrence.key,
            entry.notes,
            entry.decisions,
            new_items,
            user_id,
            now,
            dm_of=lambda item: self._dm(item, zones[item.owner_id], now),
            carry=undiscussed,
            next_occurrence=nxt.key if nxt else None,
        )
        if added:
            self.alarm.wake()
        zones = {i.owner_id: zones[i.owner_id] for i in added}
        return Recorded(meeting, occurrence, state, user_id, added, zones, carried, nxt)

    def prompt_of(self, recorded: Recorded) -> tuple[str, str] | None:
        """(channel, ts) of the outcome prompt this form answered: as we posted it, not as
        the form's metadata says (a crafted one could name any of our messages)."""
        row = self.deliveries.find(
            recorded.meeting.team_id, OUTCOME, recorded.meeting.id, recorded.occurrence.key
        )
        if row is None or not row.message_ts or not row.channel_id:
            return None
        if recorded.state.message_ts and recorded.state.message_ts != row.message_ts:
            return None  # opened from another message than the prompt: leave it alone
        return row.channel_id, row.message_ts

    def _dm(self, item: ActionItem, tz: str, now: datetime) -> Planned:
        return Planned(item.team_id, ACTION, 0, item.id, action_due(item.due_on, tz, now))

    def follow_owner_zones(self, client: WebClient, recorded: Recorded) -> None:
        """Owners' zones as Slack has them now: a DM planned in a stale zone moves."""
        team_id = recorded.meeting.team_id
        fresh = {}
        for owner, planned_in in recorded.zones.items():
            try:
                fresh[owner] = self.directory.person(client, team_id, owner).tz
            except UserError:
                fresh[owner] = planned_in
        if fresh == recorded.zones:
            return
        now = self.clock.now()
        planned = [self._dm(item, fresh[item.owner_id], now) for item in recorded.added]
        self.deliveries.plan(planned, now, reschedule=True)
        self.alarm.wake()

    def saved(self, recorded: Recorded) -> tuple[Outcome | None, list[ActionItem]]:
        """The occurrence's outcome as stored now, and every action item agreed at it."""
        team_id, meeting = recorded.meeting.team_id, recorded.meeting
        key = recorded.occurrence.key
        return (
            self.outcomes.get(team_id, meeting.id, key),
            self.items.for_occurrence(team_id, meeting.id, key),
        )

    # -- "Worth the time?" ----------------------------------------------------------------

    def rate(self, team_id: str, user_id: str, number: int, key: int, worth: bool) -> Rated:
        """Record an attendee's answer to "Worth the time?" for an occurrence that has
        ended; they may change it until answers close (worth_closes)."""
        now = self.clock.now()
        meeting = self.meetings.get(team_id, number)
        if meeting is None:
            raise UserError(N_("That meeting no longer exists."))
        occurrence = meeting.occurrence(key)
        if occurrence is None:
            raise UserError(NOT_HAPPENING, ref=meeting.ref)
        if now < occurrence.end:
            raise UserError(NOT_ENDED, ref=meeting.ref, when=occurrence.start)
        if user_id not in worth_attendees(meeting):
            raise UserError(NOT_AN_ATTENDEE, ref=meeting.ref)
        closes, at_next = worth_closes(meeting, occurrence)
        if now >= closes:
            raise UserError(
                WORTH_CLOSED_NEXT if at_next else WORTH_CLOSED_LAST,
                ref=meeting.ref,
                when=occurrence.start,
                closed=closes,
            )
        # A repeated tap stores nothing new; the prompt is still edited from the stored
        # counts, which mends an edit Slack refused before.
        self.worth.answer(team_id, meeting.id, key, occurrence.start, user_id, worth, now)
        return Rated(meeting, occurrence, worth, closes)

    def worth_counts(
        self, team_id: str, start: datetime, end: datetime
    ) -> dict[int, tuple[int, int]]:
        """The `worth_counts` hook: meeting id -> (worth, not worth) for its occurrences
        held in [start, end). Counts only."""
        return self.worth.counts_between(team_id, start, end)

    def forget_person(self, team_id: str, user_id: str) -> int:
        """The `forget_person` hook, for this feature's "Worth the time?" answers."""
        return self.worth.forget(team_id, user_id)

    def prompt_now(self, meeting: Meeting, occurrence: Occurrence) -> PromptNow | None:
        """The outcome prompt as stored: where we posted it (never where a payload says),
        its counts and who recorded the outcomes; None when it was not posted."""
        team_id = meeting.team_id
        row = self.deliveries.find(team_id, OUTCOME, meeting.id, occurrence.key)
        if row is None or not row.message_ts or not row.channel_id:
            return None
        outcome = self.outcomes.get(team_id, meeting.id, occurrence.key)
        return PromptNow(
            channel_id=row.channel_id,
            ts=row.message_ts,
            late_since=row.due_at if row.late else None,
            worth=self.worth.counts(team_id, meeting.id, occurrence.key),
            recorded_by=outcome.recorded_by if outcome else None,
        )

    def worth_count(self, meeting: Meeting, occurrence: Occurrence) -> WorthCount:
        return self.worth.counts(meeting.team_id, meeting.id, occurrence.key)

    # -- action items ---------------------------------------------------------------------

    def mark_done(
        self, client: WebClient, team_id: str, user_id: str, item_id: int
    ) -> ActionItem | None:
        """Mark an action item done: its owner, whoever recorded it, the meeting's
        organiser or a manager may. The item as it is now; None when it is not this
        workspace's."""
        item = self.items.get(team_id, item_id)
        if item is None:
            return None
        meeting = self.meetings.by_id(team_id, item.meeting_id)
        involved = {item.owner_id, item.created_by, meeting.organiser_id if meeting else ""}
        if (
            user_id not in involved
            and not self.directory.person(client, team_id, user_id).is_manager
        ):
            raise UserError(
                N_(
                    "Only the owner (<@{owner}>), whoever recorded it, the organiser or"
                    " a manager can mark this action item done."
                ),
                owner=item.owner_id,
            )
        if not self.items.mark_done(team_id, item_id, user_id, self.clock.now()):
            current = self.items.get(team_id, item_id)
            raise UserError(
                N_("That action item was already marked done by <@{user}>."),
                user=(current.done_by if current else None) or user_id,
            )
        return self.items.get(team_id, item_id) or item

    def open_items_before(self, meeting: Meeting, occurrence: Occurrence) -> list[ActionItem]:
        """The meeting's open action items agreed at earlier occurrences."""
        return self.items.open_for_meeting(meeting.team_id, meeting.id, occurrence.key)

    def my_open_items(self, team_id: str, user_id: str) -> tuple[list[ActionItem], int]:
        """The first of this person's open action items, and how many they have."""
        items = self.items.open_for_owner(team_id, user_id, limit=MAX_HOME_ITEMS)
        return items, self.items.count_open_for_owner(team_id, user_id)

    # -- App Home -------------------------------------------------------------------------

    def hours_this_week(self, team_id: str, user_id: str) -> tuple[float, float]:
        """This person's meeting hours in the workspace's week (held and to come), and
        the workspace's weekly limit."""
        settings = self.workspaces.settings(team_id)
        start, end = period_bounds(self.clock.now(), settings.tz, "this", "week")
        mine = self.windows.occurrences_in_window(team_id, start, end, user_id=user_id)
        return hours(mine), settings.weekly_hours_limit

    # -- exports --------------------------------------------------------------------------

    def calendar(self, tr: Translator, team_id: str, user_id: str) -> CalendarExport | None:
        """An .ics file of this person's upcoming meetings; None when they have none."""
        now = self.clock.now()
        upcoming = self.meetings.upcoming(team_id, now, user_id=user_id, limit=0)
        if not upcoming:
            return None
        content = ical.calendar_file(tr, team_id, [m for m, _ in upcoming], now)
        return CalendarExport(content, len(upcoming), ical.filename(tr, now))

    def cost_export(
        self,
        tr: Translator,
        client: WebClient,
        team_id: str,
        person: Person,
        which: str,
        unit: str,
    ) -> CostExport:
        """For managers: the period's occurrences as a CSV with hours and estimated cost."""
        if not person.is_manager:
            raise UserError(
                N_(
                    "Sorry, the meeting cost spreadsheet is for managers. You can still get"
                    " your own meetings as a calendar file with `/salesmeet export`."
                )
            )
        now = self.clock.now()
        settings = self.workspaces.settings(team_id)
        start, end = period_bounds(now, settings.tz, which, unit)
        empty = CostExport(start, end, settings.tz, settings.currency)
        pairs = self.windows.occurrences_in_window(team_id, start, end)
        if not pairs:
            return empty
        users = {u for meeting, _ in pairs for u in people_of(meeting)}
        answers = self.rsvps.answers_for(team_id, [(m.id, o.key) for m, o in pairs])
        names = self._names(client, team_id, users)
        text, totals = cost_csv(tr, pairs, settings, names, answers, now)
        return replace(empty, csv=text, totals=totals)

    def _names(self, client: WebClient, team_id: str, user_ids: set[str]) -> dict[str, str]:
        """Display names for the CSV: the cache first, then Slack for a bounded few."""
        names: dict[str, str] = {}
        lookups = 0
        for user_id in sorted(user_ids):
            person = self.directory.cached(team_id, user_id)
            if person is None and lookups < MAX_NAME_LOOKUPS:
                lookups += 1
                try:
                    person = self.directory.person(client, team_id, user_id)
                except UserError:
                    person = None
            names[user_id] = person.name if person and person.name else user_id
        return names
