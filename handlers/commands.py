"""`/salesmeet`: parse, ack within Slack's 3 seconds, finish slow work afterwards."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_bolt import Ack, App, Respond

from bot import render
from bot.command import (
    AddAgendaItem,
    CancelMeeting,
    EditMeeting,
    Help,
    ListMeetings,
    MoveMeeting,
    OpenModal,
    Schedule,
    ShowAgenda,
    ShowMeeting,
    SkipOccurrence,
    parse_command,
)
from bot.feature import Feature, Services
from bot.feature import verbs as feature_verbs
from bot.i18n import Translator
from bot.mrkdwn import escape_params
from bot.when import Note
from entities.errors import AlreadyDone, AmbiguousName, UserError
from entities.text import without_controls
from handlers import config, forget, language
from handlers.changes import after_edit, attendees_of, tell_the_others, which_person
from handlers.context import RequestContext
from handlers.modals import open_edit_modal, open_schedule_modal
from handlers.replies import answer_later

log = logging.getLogger(__name__)


def register(app: App, services: Services, features: Sequence[Feature]) -> None:
    verbs = {
        **feature_verbs(features),
        **config.verbs(features),
        **language.verbs(),
        **forget.verbs(),
    }
    lines = [*config.help_lines(features), forget.HELP]
    feature_commands = services.hooks.commands()

    # Commands that need Slack calls: acked at once, finished after the ack.
    after_ack = {
        Schedule: schedule,
        CancelMeeting: cancel,
        AddAgendaItem: add_item,
        SkipOccurrence: skip,
        MoveMeeting: move,
        EditMeeting: edit,
        **config.commands(features),
        **language.commands(),
        **forget.commands(),
    }

    def salesmeet(ack: Ack, command: dict, respond: Respond, ctx: RequestContext) -> None:
        try:
            typed = command.get("text") or ""
            cleaned = without_controls(typed)
            # Control characters only: answered like any other text nobody can read.
            parsed = parse_command(cleaned if cleaned.strip() else typed, verbs)
            if isinstance(parsed, Help):
                ack(response_type="ephemeral", **render.help_message(ctx.tr, lines))
            elif isinstance(parsed, ListMeetings):
                # One page of meetings; the store reads only that page (LIMIT/OFFSET).
                mine = ctx.user_id if parsed.mine else None
                meetings, total = services.book.upcoming(
                    ctx.team_id, mine, limit=parsed.size, page=parsed.page
                )
                ack(
                    response_type="ephemeral",
                    **render.meeting_list(
                        ctx.tr, meetings, total, parsed.mine, parsed.page, parsed.size, parsed.more
                    ),
                )
            elif isinstance(parsed, ShowMeeting):
                meeting = services.book.find(ctx.team_id, parsed.number)
                upcoming = (
                    [] if meeting.cancelled else meeting.next_occurrences(services.clock.now(), 3)
                )
                ack(response_type="ephemeral", **render.meeting_details(ctx.tr, meeting, upcoming))
            elif isinstance(parsed, ShowAgenda):
                meeting, occurrence = services.book.next_for_agenda(ctx.team_id, parsed.number)
                items = services.book.agenda_items(ctx.team_id, meeting, occurrence)
                ack(
                    response_type="ephemeral",
                    **render.agenda_view(ctx.tr, meeting, occurrence, items),
                )
            elif isinstance(parsed, OpenModal):
                ack()
                open_schedule_modal(services, ctx)
            elif isinstance(parsed, EditMeeting) and parsed.opens_form:
                ack()
                open_edit_modal(services, ctx, parsed.number)
            elif type(parsed) in after_ack:
                run = after_ack[type(parsed)]
                answer_later(services, ctx, ack, respond, lambda: run(services, ctx, parsed))
            elif type(parsed) in feature_commands:
                handler = feature_commands[type(parsed)]
                answer_later(services, ctx, ack, respond, lambda: handler(ctx, parsed))
        except UserError as error:
            ack(response_type="ephemeral", **render.error(ctx.tr, error))

    app.command("/salesmeet")(salesmeet)
    forget.register(app, services)  # its Forget and Cancel buttons


def schedule(services: Services, ctx: RequestContext, command: Schedule) -> dict:
    reading: list[Note] = []  # how the time was read, where another reading was possible
    try:
        draft = services.book.draft_from_command(
            command, ctx.person, ctx.channel_id, attendees_of(services, ctx), reading
        )
    except AmbiguousName as error:  # nothing booked: they say who they meant
        return which_person(ctx.tr, error, command)
    try:
        meeting, created = services.book.book(ctx.team_id, draft, command.request_key)
    except AlreadyDone:
        # A replay after a restart: the meeting and its announcement row were stored.
        meeting = services.book.booked(ctx.team_id, draft, command.request_key)
        created = meeting is not None
        if meeting is None:
            raise
    now = services.clock.now()
    notes = services.announcements.announce(ctx.tr, meeting) if created else []
    read_as = _read_as(ctx.tr, reading)
    return services.announcements.confirmation(ctx.tr, meeting, created, read_as + notes, now)


def edit(services: Services, ctx: RequestContext, command: EditMeeting) -> dict:
    try:
        changes = services.book.edit_from_command(command, attendees_of(services, ctx))
    except AmbiguousName as error:  # nothing changed: they say who they meant
        return which_person(ctx.tr, error, command)
    done = services.book.edit(ctx.team_id, command.number, changes, ctx.person)
    return after_edit(services, ctx, done)


def cancel(services: Services, ctx: RequestContext, command: CancelMeeting) -> dict:
    person, tr = ctx.person, ctx.tr
    meeting, told = services.book.cancel(ctx.team_id, command.number, person)
    note = services.notices.send_now(tr, ctx.team_id, meeting, told)
    tell_the_others(services, ctx, meeting, render.cancelled_notice(tr, meeting, ctx.user_id))
    return render.cancel_confirmation(tr, meeting, [note] if note else [])


def add_item(services: Services, ctx: RequestContext, command: AddAgendaItem) -> dict:
    person, tr = ctx.person, ctx.tr
    meeting, occurrence, item = services.book.add_agenda_item(
        ctx.team_id, command.number, command.text, person
    )
    return render.agenda_added(tr, meeting, occurrence, item.text)


def skip(services: Services, ctx: RequestContext, command: SkipOccurrence) -> dict:
    person, tr = ctx.person, ctx.tr
    reading: list[Note] = []  # how the day was read, where another reading was possible
    meeting, occurrence, told = services.book.skip(
        ctx.team_id, command.number, command.day, person, reading
    )
    notice = render.skipped_notice(tr, meeting, occurrence, ctx.user_id)
    note = services.notices.send_now(tr, ctx.team_id, meeting, told)
    tell_the_others(services, ctx, meeting, notice)
    return _told(notice, note, _read_as(tr, reading))


def move(services: Services, ctx: RequestContext, command: MoveMeeting) -> dict:
    person, tr = ctx.person, ctx.tr
    reading: list[Note] = []  # how the day and time were read, where another reading was possible
    meeting, before, after, told = services.book.move(
        ctx.team_id, command.number, command.when, command.day, person, reading
    )
    notice = render.moved_notice(tr, meeting, before, after, ctx.user_id)
    note = services.notices.send_now(tr, ctx.team_id, meeting, told)
    tell_the_others(services, ctx, meeting, notice)
    read_as = _read_as(tr, reading)
    if after.end - after.start != before.end - before.start:  # a range gave a new length
        read_as.append(
            tr.gettext(
                "Meeting #{number} now lasts {duration}.",
                number=meeting.number,
                duration=tr.duration(after.end - after.start),
            )
        )
    return _told(notice, note, read_as)


def _read_as(tr: Translator, reading: Sequence[Note]) -> list[str]:
    """The notes on how a time or day was read (bot.when.Note), in the user's words."""
    return [tr.gettext(note.message, **escape_params(note.params)) for note in reading]


def _told(notice: dict, note: str | None, read_as: Sequence[str] = ()) -> dict:
    """The user sees the words the channel got, how their text was read, and a note if
    the channel could not be told."""
    lines = [*read_as, *([note] if note else [])]
    blocks = [render.section(notice["text"])] + [render.context(line) for line in lines]
    return render.message(notice["text"], blocks)
