"""How a feature plugs into the core: timed posts it owns, and blocks it adds to shared views.

Each feature module (bot/recognition.py, bot/digest.py, bot/followups.py) offers a
`feature(database, clock, workspaces) -> Feature`; bot/factory.py collects them.
Every hook is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.models.blocks import Block

from bot.i18n import Translator
from bot.meetings import Meeting
from bot.recurrence import Occurrence
from bot.timed_posts import Composer
from storage.deliveries import Planned

# (now, until) -> workspace-wide posts due in (now, until], e.g. the weekly digest
TeamPosts = Callable[[datetime, datetime], list[Planned]]
# (meeting, occurrence, now) -> extra posts for one occurrence, e.g. an outcome prompt
MeetingPosts = Callable[[Meeting, Occurrence, datetime], list[Planned]]
# (translator, meeting, occurrence) -> blocks added to a meeting's announcement or reminder
MeetingBlocks = Callable[[Translator, Meeting, Occurrence | None], list[Block]]
# (translator, team_id, user_id) -> blocks for that user's App Home
HomeBlocks = Callable[[Translator, str, str], list[Block]]


@dataclass
class Feature:
    name: str
    composers: dict[str, Composer] = field(default_factory=dict)
    team_posts: TeamPosts | None = None
    meeting_posts: MeetingPosts | None = None
    announcement_blocks: MeetingBlocks | None = None
    reminder_blocks: MeetingBlocks | None = None
    agenda_blocks: MeetingBlocks | None = None  # added to an occurrence's agenda prompt
    home_blocks: HomeBlocks | None = None


@dataclass
class Features:
    """All features, with helpers that run a hook across them in order."""

    items: list[Feature] = field(default_factory=list)

    def composers(self) -> dict[str, Composer]:
        merged: dict[str, Composer] = {}
        for feature in self.items:
            merged.update(feature.composers)
        return merged

    def team_posts(self, now: datetime, until: datetime) -> list[Planned]:
        return [p for f in self.items if f.team_posts for p in f.team_posts(now, until)]

    def meeting_posts(self, meeting: Meeting, occurrence: Occurrence, now: datetime):
        return [
            p
            for f in self.items
            if f.meeting_posts
            for p in f.meeting_posts(meeting, occurrence, now)
        ]

    def announcement_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return [
            b
            for f in self.items
            if f.announcement_blocks
            for b in f.announcement_blocks(tr, meeting, occurrence)
        ]

    def reminder_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return [
            b
            for f in self.items
            if f.reminder_blocks
            for b in f.reminder_blocks(tr, meeting, occurrence)
        ]

    def agenda_blocks(self, tr: Translator, meeting: Meeting, occurrence):
        return [
            b
            for f in self.items
            if f.agenda_blocks
            for b in f.agenda_blocks(tr, meeting, occurrence)
        ]

    def home_blocks(self, tr: Translator, team_id: str, user_id: str):
        return [b for f in self.items if f.home_blocks for b in f.home_blocks(tr, team_id, user_id)]
