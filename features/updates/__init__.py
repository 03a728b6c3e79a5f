"""Written updates instead of an empty meeting (issue #16).

A set time before each occurrence of a series (`config async-check`, default 2 hours),
if its agenda is still empty, the organiser gets a DM: skip it and ask for written
updates, or keep it. Skipping goes through the core's skip (the same notices as
`/salesmeet skip`), asks each attendee in the meeting's channel for a short update
through a form, and posts the updates together at the meeting's time, naming who
hasn't written. The digest counts the attendee-hours saved.

The files, as in every feature: settings.py (`async-check`), schema.py and store.py (the
tables and their SQL), service.py (the rules), blocks.py (the Block Kit), timed.py (the
check, the request and the summary as delivery rows), listeners.py (the buttons and the
form).

Hooks into the core (bot/hooks.py): meeting posts (the check of each occurrence), three
composers, settings_changed (the lead), digest_notes and forget_person.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from bot.i18n import Translator
from features.updates import blocks, listeners, timed
from features.updates.schema import v18_written_updates
from features.updates.service import Updates
from features.updates.settings import CHECK_LEAD, SETTINGS
from storage.migrations import Migration


def build(core: Core) -> Parts:
    updates = Updates(core)

    def settings_changed(tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        if CHECK_LEAD in keys:  # pending checks move to the new lead, or go when off
            for meeting in core.planner.meetings.active(team_id, core.clock.now()):
                core.planner.meeting_changed(meeting)
        return []

    def digest_notes(tr: Translator, team_id: str, start: datetime, end: datetime) -> list[str]:
        meetings, hours = updates.saved(team_id, start, end)
        return [blocks.digest_note(tr, meetings, hours)] if meetings else []

    return Parts(
        listeners=partial(listeners.register, services=core.services(), updates=updates),
        composers=timed.composers(updates),
        meeting_posts=updates.check_posts,
        settings_changed=settings_changed,
        digest_notes=digest_notes,
        forget_person=updates.forget,
    )


FEATURE = Feature(
    "updates",
    build,
    settings=SETTINGS,
    migrations=(Migration("v18_written_updates", v18_written_updates),),
)
