"""What a feature is: one record that declares everything it brings to the core.

The composition root (salesmeet/features.py) lists the features once. The core reads the
records and never imports a feature: verbs and help go into the `/salesmeet` grammar,
settings into `/salesmeet config`, migrations into the database, and `build(core)` is
called once at start for the feature's running parts (bot/hooks.py): its timed posts, the
blocks it adds to shared messages, its command handlers and its Slack listeners.

Every feature package has the same files: `grammar.py` (its verbs and their commands),
`settings.py` (its workspace settings), `schema.py` (its migrations), `store.py` (its
SQL), `service.py` (its rules), `blocks.py` (its Block Kit), `timed.py` (its timed
posts), `listeners.py` (its Slack surfaces) and `__init__.py` (the record).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

from bot.alarm import Alarm
from bot.announcements import Announcements
from bot.booking import MeetingBook
from bot.clock import Clock
from bot.directory import Directory
from bot.forget import Forgetting
from bot.hooks import Hooks, Parts
from bot.i18n import Translator
from bot.managers import Managers
from bot.notices import ChannelNotices
from bot.retries import RetryGuard
from bot.roster import Roster
from bot.settings import LEAD_KEYS, Setting
from bot.timed_posts import Dispatcher, Planner
from bot.web import Site
from bot.workspace import Workspaces
from storage.db import Database
from storage.forget import ForgetStore
from storage.migrations import Migration

# verb -> reader of the rest of the command text, giving the feature's command object
Verb = Callable[[str], object]


@dataclass(frozen=True)
class Services:
    """What the core's Slack listeners are handed: domain services, no database, no store."""

    clock: Clock
    workspaces: Workspaces
    book: MeetingBook
    directory: Directory
    announcements: Announcements
    hooks: Hooks
    background: Executor  # work that follows an ack (handlers/replies.py)
    managers: Managers
    roster: Roster  # the workspace's members, so typed names become attendees
    # (translator, team, stored keys that changed) -> notes: timed posts follow the change
    settings_changed: Callable[[Translator, str, frozenset[str]], list[str]]
    retries: RetryGuard  # the inbox: work after the ack is done once and replied to
    notices: ChannelNotices  # a change's notice to its channel, stored with the change
    forget: Forgetting  # `/salesmeet forget`: a person's data, the core's and the features'


@dataclass
class Core:
    """The shared domain services, built once per process; what a feature is built on."""

    database: Database
    clock: Clock
    workspaces: Workspaces
    book: MeetingBook
    directory: Directory
    managers: Managers  # who may change settings and who gets managers' posts
    roster: Roster  # the workspace's members (users.list), for names typed as attendees
    background: Executor  # work that follows an ack (handlers/replies.py)
    planner: Planner
    dispatcher: Dispatcher
    alarm: Alarm
    hooks: Hooks
    announcements: Announcements
    retries: RetryGuard  # Slack's resends of a request change nothing twice
    notices: ChannelNotices
    site: Site = field(default_factory=Site)  # the public URL and secret, for links handed out

    def services(self) -> Services:
        return Services(
            clock=self.clock,
            workspaces=self.workspaces,
            book=self.book,
            directory=self.directory,
            announcements=self.announcements,
            hooks=self.hooks,
            background=self.background,
            managers=self.managers,
            roster=self.roster,
            settings_changed=self.settings_changed,
            retries=self.retries,
            notices=self.notices,
            forget=Forgetting(ForgetStore(self.database), self.hooks, self.workspaces),
        )

    def settings_changed(self, tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        """Timed posts follow new workspace settings: the core re-plans meetings when a
        lead changed, each feature its own posts. Returns notes for whoever changed them."""
        if keys & LEAD_KEYS:
            # Pending agenda prompts and reminders move to the new lead times.
            for meeting in self.planner.meetings.active(team_id, self.clock.now()):
                self.planner.meeting_changed(meeting)
        notes = self.hooks.settings_changed(tr, team_id, keys)
        # Plan what is missing now, not at the next hourly pass, and set the alarm.
        self.planner.extend_horizon(team_id)
        self.alarm.wake()
        return notes


@dataclass(frozen=True)
class Feature:
    """Everything one feature declares. Only `name` and `build` are required."""

    name: str
    build: Callable[[Core], Parts]
    verbs: Mapping[str, Verb] = field(default_factory=dict)
    help: Sequence[str] = ()  # catalogue ids of its lines in `/salesmeet help`
    settings: Sequence[Setting] = ()
    migrations: Sequence[Migration] = ()


def verbs(features: Sequence[Feature]) -> dict[str, Verb]:
    return {verb: read for f in features for verb, read in f.verbs.items()}


def settings(features: Sequence[Feature]) -> list[Setting]:
    return [s for f in features for s in f.settings]


def migrations(features: Sequence[Feature]) -> list[Migration]:
    return [m for f in features for m in f.migrations]
