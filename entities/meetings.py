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
    """A Slack member (`user_id`) or an external guest such as a customer (`guest`)."""

    user_id: str | None = None
    guest: str | None = None


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
_OTHER_SPECIAL = re.compile(r"<[!#][^>]*>")


def parse_attendees(text: str) -> tuple[Attendee, ...]:
    """Slack mentions plus external guests by name or email, separated by commas or `and`."""
    attendees: list[Attendee] = []
    seen: set[str] = set()

    def add(attendee: Attendee, key: str) -> None:
        if key.lower() not in seen:
            seen.add(key.lower())
            attendees.append(attendee)

    for user_id in _MENTION.findall(text):
        add(Attendee(user_id=user_id), user_id)
    rest = _MENTION.sub(",", text)
    special = _OTHER_SPECIAL.search(rest)
    if special:
        raise UserError(
            N_("Invite people one by one with @mentions; {what} can't be an attendee."),
            field="attendees",
            what=special.group(0),
        )
    for chunk in re.split(r",|;|\band\b|&", rest):
        guest = _unwrap_link(chunk.strip())
        if guest.startswith("mailto:"):
            guest = guest[len("mailto:") :]
        guest = " ".join(guest.split())
        if not guest:
            continue
        if "@" in guest and not _EMAIL.match(guest):
            raise UserError(
                N_("“{text}” doesn't look like an email address."), field="attendees", text=guest
            )
        if len(guest) > MAX_GUEST:
            raise UserError(
                N_("A guest's name can be at most {limit} characters."),
                field="attendees",
                limit=MAX_GUEST,
            )
        add(Attendee(guest=guest), guest)
    if len(attendees) > MAX_ATTENDEES:
        raise UserError(
            N_("A meeting can have at most {limit} attendees."),
            field="attendees",
            limit=MAX_ATTENDEES,
        )
    return tuple(attendees)


def check_start(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise UserError(N_("That time has already passed. Pick a time in the future."), "when")


def can_cancel(meeting: Meeting, user_id: str, is_manager: bool) -> bool:
    """The organiser or a manager may cancel a meeting."""
    return is_manager or meeting.organiser_id == user_id
