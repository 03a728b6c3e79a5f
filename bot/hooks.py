"""What a built feature plugs into the core (`Parts`), and each hook run across all of them.

The core's planner, composers and views call `Hooks`; they never see a feature itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block, ButtonElement

from bot.i18n import Translator
from bot.web import WebPage
from entities.deliveries import Composer, Planned
from entities.meetings import Meeting
from entities.recurrence import Occurrence

# (now, until) -> workspace-wide posts due in (now, until], e.g. the weekly digest
TeamPosts = Callable[[datetime, datetime], list[Planned]]
# (meeting, occurrence, now) -> extra posts for one occurrence, e.g. an outcome prompt
MeetingPosts = Callable[[Meeting, Occurrence, datetime], list[Planned]]
# (translator, meeting, occurrence) -> blocks added to a meeting's announcement or reminder
MeetingBlocks = Callable[[Translator, Meeting, Occurrence | None], list[Block]]
# (translator, team_id, user_id) -> blocks for that user's App Home
HomeBlocks = Callable[[Translator, str, str], list[Block]]


@dataclass(frozen=True)
class HomeEntry:
    """What a feature adds to one meeting listed on App Home: lines under its summary
    and buttons before the core's own (bot/home.py)."""

    lines: Sequence[str] = ()
    buttons: Sequence[ButtonElement] = ()


# (translator, team_id, user_id, the (meeting, occurrence) pairs shown) ->
# (meeting id, occurrence key) -> what the feature adds to that meeting's entry
HomeMeetings = Callable[
    [Translator, str, str, list[tuple[Meeting, Occurrence]]], Mapping[tuple[int, int], HomeEntry]
]
# (translator, a meeting just booked) -> sentences for the organiser's confirmation
BookingNotes = Callable[[Translator, Meeting], list[str]]
# (translator, team_id, the stored setting keys that changed) -> re-plan what depends on
# them; returns notes for the person who changed them, e.g. when the next digest goes out
SettingsChanged = Callable[[Translator, str, frozenset[str]], list[str]]
# (team_id, start, end) -> meeting id -> (worth it, not worth it): the answers to "Worth
# the time?" for that meeting's occurrences held in [start, end); counts only, never who
WorthCounts = Callable[[str, datetime, datetime], Mapping[int, tuple[int, int]]]
# (translator, team_id, start, end) -> sentences for the channel digest of that window,
# e.g. "3 meetings replaced by written updates this week: 9 attendee-hours saved"
DigestNotes = Callable[[Translator, str, datetime, datetime], list[str]]
# (team_id, user_id) -> rows changed: `/salesmeet forget me` for the feature's own tables,
# deleting what is the person's own (answers, ratings, settings) and anonymising their
# name where it sits in text someone else wrote
ForgetPerson = Callable[[str, str], int]
# (request context, command) -> the reply, run after the ack (handlers/replies.py)
CommandHandler = Callable[[Any, Any], dict]
# (Bolt app) -> None: registers the feature's buttons, forms and events
Listeners = Callable[[Any], None]


@dataclass
class Parts:
    """A built feature: the running pieces it plugs into the core. Every one is optional."""

    commands: Mapping[type, CommandHandler] = field(default_factory=dict)
    listeners: Listeners | None = None
    composers: Mapping[str, Composer] = field(default_factory=dict)
    team_posts: TeamPosts | None = None
    meeting_posts: MeetingPosts | None = None
    announcement_blocks: MeetingBlocks | None = None
    reminder_blocks: MeetingBlocks | None = None
    agenda_blocks: MeetingBlocks | None = None  # added to an occurrence's agenda prompt
    home_blocks: HomeBlocks | None = None  # App Home, at the bottom (e.g. the leaderboard)
    home_summary: HomeBlocks | None = None  # App Home, under its buttons (e.g. hours this week)
    home_meetings: HomeMeetings | None = None  # App Home, on each meeting (e.g. my RSVP)
    home_todo: HomeBlocks | None = None  # App Home, under the meetings (e.g. my action items)
    booking_notes: BookingNotes | None = None  # e.g. the meeting-load warnings
    settings_changed: SettingsChanged | None = None
    worth_counts: WorthCounts | None = None  # e.g. the followups' "Worth the time?" answers
    digest_notes: DigestNotes | None = None  # e.g. meetings replaced by written updates
    forget_person: ForgetPerson | None = None  # `/salesmeet forget me`, the feature's tables
    web: Mapping[str, WebPage] = field(default_factory=dict)  # path prefix -> page (GET)


@dataclass
class Hooks:
    """The built features' parts, in the composition root's order, and each hook run
    across them. Filled once at start, after the core it is handed to exists."""

    parts: list[Parts] = field(default_factory=list)

    def commands(self) -> dict[type, CommandHandler]:
        return {kind: run for p in self.parts for kind, run in p.commands.items()}

    def composers(self) -> dict[str, Composer]:
        return {kind: compose for p in self.parts for kind, compose in p.composers.items()}

    def team_posts(self, now: datetime, until: datetime) -> list[Planned]:
        return [post for p in self.parts if p.team_posts for post in p.team_posts(now, until)]

    def meeting_posts(self, meeting: Meeting, occurrence: Occurrence, now: datetime):
        return [
            post
            for p in self.parts
            if p.meeting_posts
            for post in p.meeting_posts(meeting, occurrence, now)
        ]

    def announcement_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return self._blocks("announcement_blocks", tr, meeting, occurrence)

    def reminder_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return self._blocks("reminder_blocks", tr, meeting, occurrence)

    def agenda_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return self._blocks("agenda_blocks", tr, meeting, occurrence)

    def home_blocks(self, tr: Translator, team_id: str, user_id: str):
        return [b for p in self.parts if p.home_blocks for b in p.home_blocks(tr, team_id, user_id)]

    def home_summary(self, tr: Translator, team_id: str, user_id: str) -> list[Block]:
        return self._blocks("home_summary", tr, team_id, user_id)

    def home_todo(self, tr: Translator, team_id: str, user_id: str) -> list[Block]:
        return self._blocks("home_todo", tr, team_id, user_id)

    def home_meetings(
        self, tr: Translator, team_id: str, user_id: str, shown: list[tuple[Meeting, Occurrence]]
    ) -> dict[tuple[int, int], HomeEntry]:
        """Every feature's additions to each meeting shown, merged in the features' order."""
        merged: dict[tuple[int, int], HomeEntry] = {}
        for p in self.parts:
            if not p.home_meetings or not shown:
                continue
            for key, entry in p.home_meetings(tr, team_id, user_id, shown).items():
                before = merged.get(key, HomeEntry())
                merged[key] = HomeEntry(
                    [*before.lines, *entry.lines], [*before.buttons, *entry.buttons]
                )
        return merged

    def booking_notes(self, tr: Translator, meeting: Meeting) -> list[str]:
        return [n for p in self.parts if p.booking_notes for n in p.booking_notes(tr, meeting)]

    def settings_changed(self, tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        return [
            note
            for p in self.parts
            if p.settings_changed
            for note in p.settings_changed(tr, team_id, keys)
        ]

    def worth_counts(self, team_id: str, start: datetime, end: datetime) -> dict[int, tuple]:
        """Every feature's "Worth the time?" counts per meeting, summed."""
        merged: dict[int, tuple[int, int]] = {}
        for p in self.parts:
            if not p.worth_counts:
                continue
            for meeting_id, (up, down) in p.worth_counts(team_id, start, end).items():
                before = merged.get(meeting_id, (0, 0))
                merged[meeting_id] = (before[0] + up, before[1] + down)
        return merged

    def digest_notes(self, tr: Translator, team_id: str, start: datetime, end: datetime):
        return [
            n for p in self.parts if p.digest_notes for n in p.digest_notes(tr, team_id, start, end)
        ]

    def web_pages(self) -> dict[str, WebPage]:
        return {prefix: page for p in self.parts for prefix, page in p.web.items()}

    def forget_person(self, team_id: str, user_id: str) -> int:
        return sum(p.forget_person(team_id, user_id) for p in self.parts if p.forget_person)

    def _blocks(self, hook: str, *args) -> list[Block]:
        return [b for p in self.parts if (run := getattr(p, hook)) for b in run(*args)]
