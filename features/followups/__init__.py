"""After the meeting: RSVP, outcomes and action items, App Home, calendar and CSV export.

The files, as in every feature: grammar.py (the verbs), schema.py (the tables), store.py
(the SQL), service.py (the rules), blocks.py (the Block Kit), timed.py (the timed posts),
listeners.py (the Slack surfaces); csv_export.py writes the cost spreadsheet (the .ics
file is bot/ical.py, shared with the calendar feeds).

Hooks into the core (bot/hooks.py):
- announcement and reminder blocks: Going / Not going for that occurrence, with counts;
  the reminder also lists open action items of earlier occurrences, with a Done button;
- agenda blocks: the same open action items in the agenda prompt;
- meeting posts: an "outcome" prompt in the channel when each occurrence ends, with
  "Worth the time?" for its attendees (counts only, never who answered what);
- composers for "outcome" rows and "action" rows (the owner's DM on the due date);
- App Home: my hours this week (summary), my RSVP on each meeting, my open action items;
- worth_counts (the digest ranks series by it) and forget_person (a person's answers and
  RSVPs, and their name in notes: forget.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from bot.i18n import Translator
from entities.errors import N_
from entities.meetings import Meeting, is_short
from entities.recurrence import Occurrence
from features.followups import blocks, forget, listeners, timed
from features.followups.grammar import parse_export, parse_rsvp
from features.followups.schema import v5_followups, v16_worth_answers
from features.followups.service import Followups
from features.followups.settings import OUTCOME_PROMPT, SETTINGS, outcome_prompts
from storage.migrations import Migration

# verb -> parser of the rest of the command text (see bot/command.py)
VERBS: dict[str, Callable[[str], object]] = {"export": parse_export, "rsvp": parse_rsvp}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP: list[str] = [
    N_("`/salesmeet export` sends you a calendar file (.ics) of your upcoming meetings."),
    N_(
        "`/salesmeet export csv [last|this|next] [week|month]` sends managers a spreadsheet"
        " of meetings, attendees, hours and estimated cost."
    ),
    N_("`/salesmeet rsvp #<id>` shows who is going and who hasn't answered yet."),
]


def build(core: Core) -> Parts:
    followups = Followups(core)

    def rsvp(tr: Translator, meeting: Meeting, occurrence: Occurrence | None):
        if occurrence is None:
            return []
        return blocks.rsvp_blocks(tr, meeting, occurrence, followups.answers(meeting, occurrence))

    def open_items(tr: Translator, meeting: Meeting, occurrence: Occurrence | None):
        if occurrence is None:
            return []
        found = followups.open_items_before(meeting, occurrence)
        return blocks.open_items_blocks(tr, found, followups.today(meeting.team_id))

    def reminder(tr: Translator, meeting: Meeting, occurrence: Occurrence | None):
        return rsvp(tr, meeting, occurrence) + open_items(tr, meeting, occurrence)

    def outcome_posts(meeting: Meeting, occurrence: Occurrence, now: datetime):
        """Quiet channels: the meeting's own `outcome on|off` first; else none for a short
        meeting or when the workspace said off."""
        wanted = meeting.outcome_prompt
        if wanted is None:
            settings = core.workspaces.settings(meeting.team_id)
            wanted = not is_short(meeting) and outcome_prompts(settings)
        if not wanted:
            return []
        return timed.outcome_posts(meeting, occurrence, now)

    def settings_changed(tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        if OUTCOME_PROMPT in keys:  # pending prompts follow the new setting
            for meeting in core.planner.meetings.active(team_id, core.clock.now()):
                core.planner.meeting_changed(meeting)
        return []

    def home_hours(tr: Translator, team_id: str, user_id: str):
        return [blocks.hours_block(tr, *followups.hours_this_week(team_id, user_id))]

    def home_answers(tr: Translator, team_id: str, user_id: str, shown):
        return blocks.home_entries(tr, shown, followups.my_answers(team_id, user_id, shown))

    def home_items(tr: Translator, team_id: str, user_id: str):
        items, total = followups.my_open_items(team_id, user_id)
        return blocks.home_items(tr, items, total, followups.today(team_id))

    return Parts(
        commands={kind: partial(run, followups) for kind, run in listeners.COMMANDS.items()},
        listeners=partial(listeners.register, services=core.services(), followups=followups),
        composers=timed.composers(followups),
        meeting_posts=outcome_posts,
        settings_changed=settings_changed,
        announcement_blocks=rsvp,
        reminder_blocks=reminder,
        agenda_blocks=open_items,
        home_summary=home_hours,
        home_meetings=home_answers,
        home_todo=home_items,
        worth_counts=followups.worth_counts,
        # RSVPs and names in notes (forget.py), with the service's own part
        forget_person=forget.forget_person(core.database, core.workspaces, followups.forget_person),
    )


FEATURE = Feature(
    "followups",
    build,
    verbs=VERBS,
    help=HELP,
    settings=SETTINGS,
    migrations=(
        Migration("v5_followups", v5_followups),
        Migration("v16_worth_answers", v16_worth_answers),
    ),
)
