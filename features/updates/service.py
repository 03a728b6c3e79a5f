"""The rules of written updates: when the organiser is asked about an empty agenda, who
may answer, what skipping for updates does, who may write one and until when, and the
hours it saved.

`Updates` is built once (features/updates/__init__.py). It never talks to Slack itself:
the skip goes through the core's booking (bot/booking.py), and the posts it plans are
delivery rows that the dispatcher sends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.feature import Core
from bot.forget import former_member
from bot.values import read_channel_id, read_id
from entities.deliveries import SENT, Delivery, Planned
from entities.errors import N_, UserError
from entities.instants import from_epoch
from entities.meetings import Meeting, can_cancel
from entities.people import Person
from entities.recurrence import Occurrence
from entities.text import visible, without_controls
from features.updates.settings import check_lead
from features.updates.store import KEEP, SKIP, Round, UpdateStore, WrittenUpdate

# Delivery kinds. The check is keyed like the agenda prompt (meeting, occurrence): one per
# occurrence. The ask and the summary are keyed (meeting_id=0, occurrence=round id): the
# occurrence they belong to is skipped, and meeting 0 keeps them out of the planner's
# clean-up of a meeting's pending posts (which settles a skipped occurrence's posts).
CHECK, ASK, SUMMARY = "async-check", "updates-ask", "updates-summary"
NOT_ASKED = N_(
    "I haven't asked about that occurrence of {ref}: nothing was changed."
    " To skip it, use `/salesmeet skip`."
)

MAX_FIELD = 500  # characters in each part of an update

NOT_YOURS = N_(
    "Sorry, only the organiser (<@{organiser}>) or a manager can change meeting #{number}."
)
ALREADY_STARTED = N_("That occurrence has already started.")
NO_SUCH_OCCURRENCE = N_("That occurrence of {ref} was skipped or moved off the calendar.")
CLOSED = N_("The written updates for {ref} were already posted, so this one is closed.")
NOT_ASKED = N_(
    "Only the people asked for an update for {ref} can write one. Ask <@{organiser}> to"
    " add yours to the channel."
)
EXPIRED = N_("This form is out of date. Press the button on the request again.")
EMPTY = N_("Say what you did since last time, or what comes next.")


@dataclass(frozen=True)
class Decision:
    """What pressing Skip or Keep did (or found done already: `created` False)."""

    meeting: Meeting
    occurrence: Occurrence
    round: Round
    created: bool
    told: int | None = None  # the number of the skip's channel notice, when this skipped it


@dataclass(frozen=True)
class UpdateForm:
    """The form for one person's written update."""

    round: Round
    meeting: Meeting
    mine: WrittenUpdate
    channel_id: str | None = None  # where the request was, to thank them there

    def dump(self) -> str:
        return json.dumps({"round": self.round.id, "channel_id": self.channel_id})


@dataclass(frozen=True)
class FormState:
    round_id: int
    channel_id: str | None = None


def read_form_state(metadata: object) -> FormState | None:
    """The modal's private_metadata, read strictly: only the shape we write."""
    try:
        data = json.loads(metadata) if isinstance(metadata, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    round_id = read_id(str(data.get("round"))) if isinstance(data.get("round"), int) else None
    channel = data.get("channel_id")
    if round_id is None or (channel is not None and read_channel_id(channel) is None):
        return None
    return FormState(round_id, channel)


def read_update(view: dict) -> WrittenUpdate:
    """What the form held; missing fields read as empty."""
    values = (view.get("state") or {}).get("values") or {}

    def field(block_id: str) -> str:
        entry = (values.get(block_id) or {}).get("value") or {}
        text = entry.get("value") if isinstance(entry, dict) else None
        return without_controls(text if isinstance(text, str) else "", True).strip()[:MAX_FIELD]

    return WrittenUpdate("", field("done"), field("next"), field("blockers"))


def check_update(update: WrittenUpdate) -> dict[str, UserError]:
    """What is wrong with an update, by block id: it must say something."""
    if not (visible(update.done) or visible(update.next_steps)):
        return {"done": UserError(EMPTY, "done")}
    return {}


def asked_people(meeting: Meeting) -> list[str]:
    """Whoever would have sat in the meeting and has a Slack account: the organiser and
    the attendees who are members (guests are not asked)."""
    people = [meeting.organiser_id, *(a.user_id for a in meeting.attendees if a.user_id)]
    return [p for p in dict.fromkeys(people) if p]


class Updates:
    def __init__(self, core: Core) -> None:
        self.book = core.book
        self.meetings = core.book.store
        self.clock = core.clock
        self.workspaces = core.workspaces
        self.directory = core.directory
        self.dispatcher = core.dispatcher
        self.alarm = core.alarm
        self.store = UpdateStore(core.database)

    # -- the check ------------------------------------------------------------------------

    def check_posts(self, meeting: Meeting, occurrence: Occurrence, now: datetime):
        """The organiser's DM about an empty agenda, a set time before each occurrence of
        a series. One-off meetings get none; a check whose time has passed is not sent
        late at once (the occurrence is about to start: there is nothing left to save)."""
        if not meeting.is_series or meeting.cancelled:
            return []
        lead = check_lead(self.workspaces.settings(meeting.team_id))
        if lead is None:
            return []
        due = occurrence.start - lead
        if due <= now:
            return []
        return [Planned(meeting.team_id, CHECK, meeting.id, occurrence.key, due)]

    def check_due(self, team_id: str, meeting_id: int, key: int, now: datetime, due: datetime):
        """(meeting, occurrence) when the check should go out now: the series and the
        occurrence are still on, nobody decided yet, and the agenda is still empty.
        None otherwise (the row is settled as skipped)."""
        settings = self.workspaces.settings(team_id)
        if check_lead(settings) is None:
            return None
        if now - due > settings.late_limit:
            return None  # too late to matter: not even a "missed" DM to the organiser
        meeting = self.meetings.by_id(team_id, meeting_id)
        if meeting is None or meeting.cancelled or not meeting.is_series:
            return None
        occurrence = meeting.occurrence(key)
        if occurrence is None or occurrence.start <= now:
            return None
        if self.store.find(team_id, meeting.id, key) is not None:
            return None
        if self.book.agenda_items(team_id, meeting, occurrence):
            return None
        return meeting, occurrence

    # -- the organiser's answer -----------------------------------------------------------

    def _decidable(self, team_id: str, person: Person, number: int, key: int):
        meeting = self.book.find(team_id, number)
        if not can_cancel(meeting, person.user_id, person.is_manager):
            raise UserError(NOT_YOURS, organiser=meeting.organiser_id, number=meeting.number)
        if meeting.cancelled:
            raise UserError(N_("Meeting #{number} is cancelled."), number=meeting.number)
        if not meeting.has_key(key):
            raise UserError(NO_SUCH_OCCURRENCE, ref=meeting.ref)
        if self.check_sent(team_id, meeting.id, key) is None:
            # Only the question SalesMeet asked can be answered: a button that says so
            # anywhere else skips nothing (the organiser has `/salesmeet skip` for that).
            raise UserError(NOT_ASKED, ref=meeting.ref)
        start = meeting.moved.get(key) or from_epoch(key)
        return meeting, Occurrence(key=key, start=start, end=start + meeting.duration)

    def check_sent(self, team_id: str, meeting_id: int, key: int) -> Delivery | None:
        """The organiser's DM asking about this occurrence, if it went out: where it is."""
        row = self.dispatcher.deliveries.find(team_id, CHECK, meeting_id, key)
        return row if row is not None and row.state == SENT and row.message_ts else None

    def skip_and_ask(self, team_id: str, person: Person, number: int, key: int) -> Decision:
        """Skip the occurrence through the core's skip (its notice and announcement, as
        `/salesmeet skip`), then ask everyone for an update, posted together at its start.

        Each step is done once however often this runs: a second press, or a press after
        a restart cut the first one short, finds the skip (or the round) and goes on."""
        meeting, occurrence = self._decidable(team_id, person, number, key)
        decided = self.store.find(team_id, meeting.id, key)
        if decided is not None:
            return Decision(meeting, occurrence, decided, False)
        now = self.clock.now()
        if occurrence.start <= now:
            raise UserError(ALREADY_STARTED)
        told = None
        if key not in meeting.skipped:
            day = occurrence_day(meeting, key)
            try:
                meeting, _, told = self.book.skip(team_id, number, day, person)
            except UserError:
                meeting = self.book.find(team_id, number)
                if key not in meeting.skipped:
                    raise
        asked = asked_people(meeting)
        minutes = int(meeting.duration / timedelta(minutes=1)) * len(asked)
        wanted = Round(
            0, team_id, meeting.id, key, SKIP, person.user_id, occurrence.start,
            meeting.channel_id, minutes,
        )  # fmt: skip
        posts = [
            Planned(team_id, ASK, 0, 0, now),
            Planned(team_id, SUMMARY, 0, 0, occurrence.start),
        ]
        found, created = self.store.decide(wanted, asked, posts, now)
        self.alarm.wake()  # the summary's time may be the next one due
        return Decision(meeting, occurrence, found, created, told)

    def keep(self, team_id: str, person: Person, number: int, key: int) -> Decision:
        """Keep the occurrence as planned; the first answer stands."""
        meeting, occurrence = self._decidable(team_id, person, number, key)
        decided = self.store.find(team_id, meeting.id, key)
        if decided is not None:
            return Decision(meeting, occurrence, decided, False)
        if key in meeting.skipped:  # skipped with `/salesmeet skip`: nothing to keep
            raise UserError(NO_SUCH_OCCURRENCE, ref=meeting.ref)
        wanted = Round(
            0, team_id, meeting.id, key, KEEP, person.user_id, occurrence.start,
            meeting.channel_id, 0,
        )  # fmt: skip
        found, created = self.store.decide(wanted, [], [], self.clock.now())
        return Decision(meeting, occurrence, found, created)

    def send_ask(self, round_: Round):
        """The request for updates goes out now, for the organiser waiting on it; if Slack
        refuses, the row stays and the alarm tries again."""
        return self.dispatcher.send_one(round_.team_id, ASK, 0, round_.id)

    # -- writing an update ----------------------------------------------------------------

    def round_of(self, team_id: str, round_id: int) -> tuple[Round, Meeting] | None:
        found = self.store.get(team_id, round_id)
        if found is None or found.decision != SKIP:
            return None
        meeting = self.meetings.by_id(team_id, found.meeting_id)
        return (found, meeting) if meeting is not None else None

    def updates(self, round_: Round) -> list[WrittenUpdate]:
        return self.store.updates(round_.team_id, round_.id)

    def update_form(
        self, team_id: str, user_id: str, round_id: int, channel_id: str | None = None
    ) -> UpdateForm:
        """The form for this person's update, with what they wrote already."""
        found = self.round_of(team_id, round_id)
        if found is None:
            raise UserError(EXPIRED)
        round_, meeting = found
        if self.clock.now() >= round_.starts_at:
            raise UserError(CLOSED, ref=meeting.ref)
        mine = next((u for u in self.updates(round_) if u.user_id == user_id), None)
        if mine is None:
            raise UserError(NOT_ASKED, ref=meeting.ref, organiser=meeting.organiser_id)
        return UpdateForm(round_, meeting, mine, channel_id)

    def write(self, team_id: str, user_id: str, state: FormState, update: WrittenUpdate):
        """Store the update (again: it replaces theirs). Raises UserError when the round
        is closed or they weren't asked."""
        form = self.update_form(team_id, user_id, state.round_id, state.channel_id)
        if not self.store.write(team_id, form.round.id, user_id, update, self.clock.now()):
            raise UserError(NOT_ASKED, ref=form.meeting.ref, organiser=form.meeting.organiser_id)
        return form

    # -- the digest and `forget me` -------------------------------------------------------

    def saved(self, team_id: str, start: datetime, end: datetime) -> tuple[int, float]:
        """Meetings replaced by written updates in [start, end), and the attendee-hours."""
        rounds = self.store.skipped_between(team_id, start, end)
        return len(rounds), sum(r.saved_minutes for r in rounds) / 60

    def forget(self, team_id: str, user_id: str) -> int:
        """The `forget_person` hook: their updates, and their name in others'."""
        return self.store.forget(team_id, user_id, former_member(self.workspaces, team_id))


def occurrence_day(meeting: Meeting, key: int) -> str:
    """The day an occurrence was originally on, in the meeting's zone, as the core's
    skip reads a day (`YYYY-MM-DD`)."""
    original = datetime.fromtimestamp(key, ZoneInfo(meeting.tz))
    return original.date().isoformat()
