"""Sales meetings: what one is, and the rules for scheduling and cancelling one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from entities.errors import N_, UserError
from entities.instants import from_epoch
from entities.recurrence import Occurrence, next_occurrences, occurrences, series_end
from entities.text import visible, without_controls

MAX_TITLE = 150
MAX_ATTENDEES = 100
MAX_GUEST = 100

# Why sales meetings are held; `general` when nobody says.
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
DEFAULT_PURPOSE = "general"

# How they are held. A meeting link implies `video`.
FORMATS = ("in-person", "one-on-one", "call", "video")
_FORMAT_ALIASES = {
    "in-person": "in-person",
    "inperson": "in-person",
    "in person": "in-person",
    "onsite": "in-person",
    "one-on-one": "one-on-one",
    "one on one": "one-on-one",
    "1:1": "one-on-one",
    "1-on-1": "one-on-one",
    "call": "call",
    "phone": "call",
    "conference call": "call",
    "video": "video",
    "video call": "video",
}
# Video services recognised from a link's host (the host or any subdomain of it).
VIDEO_SERVICES = {
    "zoom.us": "Zoom",
    "meet.google.com": "Google Meet",
    "teams.microsoft.com": "Microsoft Teams",
    "teams.live.com": "Microsoft Teams",
    "webex.com": "Webex",
}

_EMAIL = re.compile(r"^[^@\s<>|]+@[^@\s<>|]+\.[^@\s<>|]+$")


@dataclass(frozen=True)
class Attendee:
    """A Slack member (`user_id`) or an external guest such as a customer (`guest`, their
    name, or their email when that is all we were given; `email` when we have it)."""

    user_id: str | None = None
    guest: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        """Who this is, for telling one attendee from another: a member's id or a guest's
        email, else their name (case-insensitively)."""
        return self.user_id or (self.email or self.guest or "").casefold()


@dataclass(frozen=True)
class Invitees:
    """Attendees as typed: those already known (@mentions, guests with an email), and
    plain names still to be matched against the workspace's members (bot/members.py)."""

    attendees: tuple[Attendee, ...] = ()
    names: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.attendees or self.names)


@dataclass(frozen=True)
class Venue:
    format: str | None
    link: str | None = None

    @property
    def service(self) -> str | None:
        """The video service a link belongs to (Zoom, Google Meet, ...), if known."""
        if not self.link:
            return None
        host = (urlsplit(self.link).hostname or "").lower()
        for domain, name in VIDEO_SERVICES.items():
            if host == domain or host.endswith("." + domain):
                return name
        return None


@dataclass(frozen=True)
class MeetingDraft:
    """A meeting as requested, validated, not yet stored."""

    title: str
    starts_at: datetime  # aware, UTC
    duration: timedelta
    tz: str
    channel_id: str
    organiser_id: str
    purpose: str = DEFAULT_PURPOSE
    venue: Venue = field(default_factory=lambda: Venue(None))
    attendees: tuple[Attendee, ...] = ()
    rrule: str | None = None  # a series when set (bot/recurrence.py)
    agenda_lead: timedelta | None = None  # None: the workspace's default
    reminder_lead: timedelta | None = None
    outcome_prompt: bool | None = None  # None: the workspace's default (`outcome off`)

    @property
    def is_series(self) -> bool:
        return self.rrule is not None

    @property
    def customer_facing(self) -> bool:
        return any(a.guest for a in self.attendees)


@dataclass(frozen=True)
class Meeting(MeetingDraft):
    """A stored meeting. `number` is what users see: `#12`, counted per workspace."""

    id: int = 0
    team_id: str = ""
    number: int = 0
    status: str = "scheduled"
    cancelled_by: str | None = None
    skipped: frozenset[int] = frozenset()  # occurrence keys
    moved: Mapping[int, datetime] = field(default_factory=dict)  # occurrence key -> new start

    @property
    def ref(self) -> str:
        return f"#{self.number}"

    def occurrences(self, window_start: datetime, window_end: datetime) -> list[Occurrence]:
        """This meeting's occurrences starting in [window_start, window_end)."""
        return occurrences(
            self.starts_at,
            self.duration,
            self.tz,
            self.rrule,
            window_start,
            window_end,
            skipped=self.skipped,
            moved=self.moved,
        )

    def next_occurrences(self, after: datetime, n: int = 1) -> list[Occurrence]:
        """The next `n` occurrences that have not ended by `after`."""
        return next_occurrences(
            self.starts_at,
            self.duration,
            self.tz,
            self.rrule,
            after,
            n,
            skipped=self.skipped,
            moved=self.moved,
        )

    def last_start(self) -> datetime | None:
        """When the last occurrence starts (moves included); None for an endless series."""
        end = series_end(self.starts_at, self.tz, self.rrule)
        if end is None:
            return None
        return max([end, *self.moved.values()])

    def occurrence(self, key: int) -> Occurrence | None:
        """The occurrence with this key, where it is now (moved or not); None if skipped,
        or if the meeting has no occurrence with this key (a key is the original start:
        one a series never had comes only from a crafted button or form)."""
        if key in self.skipped or not self.has_key(key):
            return None
        start = self.moved.get(key) or from_epoch(key)
        return Occurrence(key=key, start=start, end=start + self.duration)

    def has_key(self, key: int) -> bool:
        """Whether an occurrence of this meeting originally started at `key`."""
        try:
            at = from_epoch(key)
        except (OverflowError, ValueError, OSError):
            return False
        if self.rrule is None:
            return at == self.starts_at
        if at < self.starts_at:
            return False
        originals = occurrences(
            self.starts_at, self.duration, self.tz, self.rrule, at, at + timedelta(seconds=1)
        )
        return any(o.key == key for o in originals)

    def next_occurrence(self, after: datetime) -> Occurrence | None:
        upcoming = self.next_occurrences(after, 1)
        return upcoming[0] if upcoming else None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


# A meeting's own lead that means "no such post" (`agenda off`): a typed lead is never 0.
LEAD_OFF = timedelta(0)

# A meeting this short (a standup) gets at most one channel post per occurrence unless it
# asks for more: its reminder.
SHORT_MEETING = timedelta(minutes=15)


def is_short(meeting: Meeting) -> bool:
    return meeting.duration <= SHORT_MEETING


def check_title(title: str) -> str:
    title = " ".join(without_controls(title).split())
    if not visible(title):
        raise UserError(N_("The meeting needs a title."), field="title")
    if len(title) > MAX_TITLE:
        raise UserError(
            N_("A title can be at most {limit} characters; yours has {length}."),
            field="title",
            limit=MAX_TITLE,
            length=len(title),
        )
    return title


def parse_purpose(text: str) -> str:
    purpose = text.strip().lower()
    if purpose not in PURPOSES:
        raise UserError(
            N_("“{text}” is not a meeting type. Choose one of: {choices}."),
            field="purpose",
            text=text.strip(),
            choices=", ".join(PURPOSES),
        )
    return purpose


def _unwrap_link(text: str) -> str:
    """Slack escapes links in command text as `<https://x|label>`; take the URL."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0]
    return text


def parse_venue(text: str) -> Venue:
    """`in-person`, `one-on-one`, `call`, `video`, or an http(s) meeting link."""
    raw = " ".join(text.split())
    known = _FORMAT_ALIASES.get(raw.lower())
    if known:
        return Venue(known)
    link = _unwrap_link(raw)
    parts = urlsplit(link) if " " not in link else None
    if parts and parts.scheme in ("http", "https") and parts.hostname and "." in parts.hostname:
        return Venue("video", link)
    if parts and parts.scheme and parts.netloc:
        raise UserError(
            N_("A meeting link must start with http:// or https://, like {example}."),
            field="venue",
            example="https://zoom.us/j/123456789",
        )
    raise UserError(
        N_("“{text}” is not a format I know. Use in-person, one-on-one, call, video, or a link."),
        field="venue",
        text=raw,
    )


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_MAILTO = re.compile(r"<mailto:([^|>]+)(?:\|[^>]*)?>")
_OTHER_SPECIAL = re.compile(r"<[!#][^>]*>")
# `Jane Doe <jane@acme.com>` and `Jane Doe (jane@acme.com)`: a guest's name and email.
_NAMED_EMAIL = re.compile(
    r"^(?P<name>[^<>()]*?)\s*(?:<\s*(?P<a>[^<>\s]+)\s*>|\(\s*(?P<b>[^()\s]+)\s*\))$"
)
_SEPARATORS = re.compile(r",|;|\band\b|&")


def read_invitees(text: str) -> Invitees:
    """Slack @mentions, external guests by email (`jane@acme.com`, `Jane Doe
    <jane@acme.com>`, `Jane Doe (jane@acme.com)`), and names to look up, separated by
    commas or `and`. A name alone is never taken for a guest: it is looked up."""
    attendees: list[Attendee] = []
    names: list[str] = []
    seen: set[str] = set()

    def once(key: str) -> bool:
        fresh = key.casefold() not in seen
        seen.add(key.casefold())
        return fresh

    for user_id in _MENTION.findall(text):
        if once(user_id):
            attendees.append(Attendee(user_id=user_id))
    rest = _MENTION.sub(",", text)
    # Slack turns a typed address into `<mailto:jane@acme.com|jane@acme.com>`.
    rest = _MAILTO.sub(lambda match: match.group(1), rest)
    special = _OTHER_SPECIAL.search(rest)
    if special:
        raise UserError(
            N_("Invite people one by one with @mentions; {what} can't be an attendee."),
            field="attendees",
            what=special.group(0),
        )
    for chunk in _SEPARATORS.split(rest):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        guest = _guest(chunk)
        if guest is not None:
            if once(guest.email or ""):
                attendees.append(guest)
        elif "@" in chunk.lstrip("@"):
            raise UserError(
                N_("“{text}” doesn't look like an email address."), field="attendees", text=chunk
            )
        else:
            name = chunk.lstrip("@").strip()
            if len(name) > MAX_GUEST:
                raise UserError(
                    N_("A name can be at most {limit} characters."),
                    field="attendees",
                    limit=MAX_GUEST,
                )
            if name and once("name:" + name):
                names.append(name)
    if len(attendees) + len(names) > MAX_ATTENDEES:
        raise UserError(
            N_("A meeting can have at most {limit} attendees."),
            field="attendees",
            limit=MAX_ATTENDEES,
        )
    return Invitees(tuple(attendees), tuple(names))


def _guest(chunk: str) -> Attendee | None:
    """An outside guest from `jane@acme.com` or `Jane Doe <jane@acme.com>`; None when the
    chunk gives no email address."""
    named = _NAMED_EMAIL.match(chunk)
    if named:
        email = named.group("a") or named.group("b") or ""
        name = named.group("name").strip().strip("\"'“”")
    else:
        email, name = chunk, ""
    email = email.removeprefix("mailto:")
    if not _EMAIL.match(email):
        return None
    if len(name) > MAX_GUEST or len(email) > MAX_GUEST:
        raise UserError(
            N_("A guest's name can be at most {limit} characters."),
            field="attendees",
            limit=MAX_GUEST,
        )
    return Attendee(guest=name or email, email=email)


@dataclass(frozen=True)
class MeetingEdit:
    """What `edit` changes; a part left None stays as it is. `attendees` replaces them
    all; `add` and `remove` change them one by one."""

    title: str | None = None
    duration: timedelta | None = None
    attendees: tuple[Attendee, ...] | None = None
    add: tuple[Attendee, ...] = ()
    remove: tuple[Attendee, ...] = ()
    purpose: str | None = None
    venue: Venue | None = None
    agenda_lead: timedelta | None = None  # LEAD_OFF for off
    reminder_lead: timedelta | None = None
    outcome_prompt: bool | None = None
    starts_at: datetime | None = None  # a one-off's new start (the edit form)
    weeks_apart: int | None = None  # a weekly series, met every N weeks from now on


# The parts of a meeting an edit can change, as its notice names them.
REPEATS = "repeats"
TITLE, LENGTH, PEOPLE, PURPOSE, VENUE, POSTS, TIME = (
    "title",
    "duration",
    "attendees",
    "purpose",
    "venue",
    "posts",
    "time",
)


def edited(meeting: Meeting, edit: MeetingEdit) -> MeetingDraft:
    """The meeting as the edit would leave it (its time aside: a one-off's new start is
    a move, kept with its occurrence). Raises UserError when a removal names someone who
    isn't invited."""
    attendees = list(meeting.attendees if edit.attendees is None else edit.attendees)
    keys = {a.key for a in attendees}
    for attendee in edit.add:
        if attendee.key not in keys:
            attendees.append(attendee)
            keys.add(attendee.key)
    for attendee in edit.remove:
        if attendee.key not in keys and attendee.user_id:
            raise UserError(
                N_("<@{user}> isn't invited to #{number}."),
                "attendees",
                user=attendee.user_id,
                number=meeting.number,
            )
        if attendee.key not in keys:
            raise UserError(
                N_("{guest} isn't invited to #{number}."),
                "attendees",
                guest=attendee.guest,
                number=meeting.number,
            )
        attendees = [a for a in attendees if a.key != attendee.key]
    if len(attendees) > MAX_ATTENDEES:
        raise UserError(
            N_("A meeting can have at most {limit} attendees."),
            field="attendees",
            limit=MAX_ATTENDEES,
        )

    def pick(new, old):
        return old if new is None else new

    return MeetingDraft(
        title=check_title(edit.title) if edit.title is not None else meeting.title,
        starts_at=meeting.starts_at,
        duration=pick(edit.duration, meeting.duration),
        tz=meeting.tz,
        channel_id=meeting.channel_id,
        organiser_id=meeting.organiser_id,
        purpose=pick(edit.purpose, meeting.purpose),
        venue=pick(edit.venue, meeting.venue),
        attendees=tuple(attendees),
        rrule=meeting.rrule if edit.weeks_apart is None else spaced(meeting, edit.weeks_apart),
        agenda_lead=pick(edit.agenda_lead, meeting.agenda_lead),
        reminder_lead=pick(edit.reminder_lead, meeting.reminder_lead),
        outcome_prompt=pick(edit.outcome_prompt, meeting.outcome_prompt),
    )


def changes(before: MeetingDraft, after: MeetingDraft) -> tuple[str, ...]:
    """Which parts differ (TITLE, LENGTH, ...), in the order a notice lists them."""
    found = []
    if before.title != after.title:
        found.append(TITLE)
    if before.duration != after.duration:
        found.append(LENGTH)
    if [a.key for a in before.attendees] != [a.key for a in after.attendees]:
        found.append(PEOPLE)
    if before.purpose != after.purpose:
        found.append(PURPOSE)
    if before.venue != after.venue:
        found.append(VENUE)
    leads = ("agenda_lead", "reminder_lead", "outcome_prompt")
    if any(getattr(before, lead) != getattr(after, lead) for lead in leads):
        found.append(POSTS)
    if before.rrule != after.rrule:
        found.append(REPEATS)
    return tuple(found)


def spaced(meeting: Meeting, weeks: int) -> str:
    """A weekly series' rule, met every `weeks` weeks (its days and time unchanged)."""
    parts = [p for p in (meeting.rrule or "").removeprefix("RRULE:").split(";") if p]
    named = dict(p.split("=", 1) for p in parts if "=" in p)
    if not meeting.is_series or named.get("FREQ", "").upper() != "WEEKLY":
        raise UserError(
            N_("Only a weekly series can meet every few weeks; #{number} isn't one."),
            "every",
            number=meeting.number,
        )
    kept = [p for p in parts if not p.upper().startswith("INTERVAL=")]
    return ";".join(kept + ([f"INTERVAL={weeks}"] if weeks > 1 else []))


def weeks_apart(rrule: str | None) -> int:
    """How many weeks apart a weekly rule meets (1 without INTERVAL)."""
    for part in (rrule or "").removeprefix("RRULE:").split(";"):
        if part.upper().startswith("INTERVAL="):
            value = part.split("=", 1)[1]
            return int(value) if value.isdigit() else 1
    return 1


def check_start(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise UserError(N_("That time has already passed. Pick a time in the future."), "when")


def can_cancel(meeting: Meeting, user_id: str, is_manager: bool) -> bool:
    """The organiser or a manager may cancel a meeting."""
    return is_manager or meeting.organiser_id == user_id
