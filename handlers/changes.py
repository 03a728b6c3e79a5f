"""After a change to a meeting: the people it concerns hear of it.

The channel's notice is a delivery row stored with the change (bot/notices.py) and is sent
here at once; the announcement is edited in place; an organiser whose meeting someone else
changed gets a DM saying who did what; people an edit invited or took off get a DM, each in
their own language.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot import render
from bot.booking import Edited
from bot.channel_posts import tell_user
from bot.command import EditMeeting, Schedule, command_text
from bot.feature import Services
from bot.i18n import Translator
from entities.errors import AmbiguousName
from entities.meetings import Attendee, Invitees, Meeting
from handlers.context import RequestContext
from handlers.replies import reader

PICK_ACTION = "pick_attendee"  # a button naming one of the people a typed name fits
MAX_CHOICES = 10


def attendees_of(services: Services, ctx: RequestContext):
    """Typed people to attendees: names matched to the workspace's members."""

    def match(typed: Invitees) -> tuple[Attendee, ...]:
        return services.roster.attendees(ctx.team_id, typed, ctx.client)

    return match


def tell_the_others(services: Services, ctx: RequestContext, meeting: Meeting, notice: dict):
    """The announcement shows the meeting as it now is, and an organiser whose meeting a
    manager changed hears who did what."""
    services.announcements.refresh(meeting, ctx.user_id)
    if meeting.organiser_id and meeting.organiser_id != ctx.user_id:
        tell_user(ctx.client, None, meeting.organiser_id, notice)


def after_edit(services: Services, ctx: RequestContext, done: Edited) -> dict:
    """Tell everyone an edit concerns; returns the editor's confirmation."""
    meeting, tr = done.after, ctx.tr
    note = services.notices.send_now(tr, ctx.team_id, meeting, done.told)
    organiser_tr = reader(services, ctx.team_id, meeting.organiser_id)
    notice = render.edited_notice(organiser_tr, meeting, done.notice)
    tell_the_others(services, ctx, meeting, notice)
    upcoming = meeting.next_occurrence(services.clock.now())
    for user_id in done.notice.added:
        if user_id != ctx.user_id:
            them = reader(services, ctx.team_id, user_id)
            invited = render.invited_dm(them, meeting, ctx.user_id, upcoming)
            tell_user(ctx.client, None, user_id, invited)
    for user_id in done.notice.removed:
        if user_id != ctx.user_id:
            them = reader(services, ctx.team_id, user_id)
            tell_user(ctx.client, None, user_id, render.uninvited_dm(them, meeting, ctx.user_id))
    return render.edit_confirmation(tr, meeting, done.notice, [note] if note else [])


def which_person(tr: Translator, error: AmbiguousName, command: Schedule | EditMeeting) -> dict:
    """Nothing booked yet: who did they mean? Each button asks for the same command with
    that person's @mention in place of the name."""
    choices = []
    typed = command.attendees or ""
    pattern = re.compile(
        r"(?<![\w<@])@?" + r"\s+".join(re.escape(word) for word in error.name.split()) + r"(?!\w)",
        re.IGNORECASE,
    )
    for user_id, label in error.candidates[:MAX_CHOICES]:
        chosen = pattern.sub(f"<@{user_id}>", typed, count=1)
        text = command_text(replace(command, attendees=chosen))
        if text is not None and len(text) <= render.BUTTON_VALUE_LIMIT:
            choices.append((label, text))
    return render.which_person(tr, error, choices, PICK_ACTION)
