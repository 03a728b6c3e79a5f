"""`/salesmeet`: parse, ack within Slack's 3 seconds, finish slow work afterwards."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import render
from bot.channel_posts import post_to_channel, tell_user
from bot.command import (
    AddAgendaItem,
    CancelMeeting,
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
from bot.feature import Core, Feature, help_lines
from bot.feature import verbs as feature_verbs
from bot.i18n import translator
from entities.errors import UserError
from handlers.modals import open_schedule_modal
from handlers.replies import Invocation, answer_later, reader

log = logging.getLogger(__name__)


def register(app: App, core: Core, features: Sequence[Feature]) -> None:
    verbs = feature_verbs(features)
    lines = help_lines(features)
    feature_commands = core.hooks.commands()

    def salesmeet(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        team_id, user_id = command["team_id"], command["user_id"]
        channel_id = command.get("channel_id") or ""
        tr = reader(core, team_id, user_id)

        def later(work) -> None:
            """Finish after the ack; if the response_url fails, tell the user directly."""
            answer_later(
                core,
                respond,
                tr,
                work,
                fallback=lambda msg: tell_user(client, channel_id, user_id, msg),
            )

        try:
            parsed = parse_command(command.get("text") or "", verbs)
            if isinstance(parsed, Help):
                ack(response_type="ephemeral", **render.help_message(tr, lines))
            elif isinstance(parsed, ListMeetings):
                meetings, total = core.book.upcoming(team_id, user_id if parsed.mine else None)
                ack(
                    response_type="ephemeral",
                    **render.meeting_list(tr, meetings, total, parsed.mine),
                )
            elif isinstance(parsed, ShowMeeting):
                meeting = core.book.find(team_id, parsed.number)
                upcoming = (
                    [] if meeting.cancelled else meeting.next_occurrences(core.clock.now(), 3)
                )
                ack(response_type="ephemeral", **render.meeting_details(tr, meeting, upcoming))
            elif isinstance(parsed, ShowAgenda):
                meeting, occurrence = core.book.next_for_agenda(team_id, parsed.number)
                items = core.book.agenda_items(team_id, meeting, occurrence)
                ack(response_type="ephemeral", **render.agenda_view(tr, meeting, occurrence, items))
            elif isinstance(parsed, OpenModal):
                ack()
                open_schedule_modal(
                    core, client, command.get("trigger_id"), team_id, user_id, channel_id
                )
            elif isinstance(parsed, Schedule):
                ack()
                later(
                    lambda: schedule(core, client, parsed, team_id, user_id, channel_id),
                )
            elif isinstance(parsed, CancelMeeting):
                ack()
                later(
                    lambda: cancel(core, client, parsed.number, team_id, user_id),
                )
            elif isinstance(parsed, AddAgendaItem):
                ack()
                later(
                    lambda: add_item(core, client, parsed, team_id, user_id),
                )
            elif isinstance(parsed, SkipOccurrence):
                ack()
                later(lambda: skip(core, client, parsed, team_id, user_id))
            elif isinstance(parsed, MoveMeeting):
                ack()
                later(lambda: move(core, client, parsed, team_id, user_id))
            elif type(parsed) in feature_commands:
                ack()
                handler = feature_commands[type(parsed)]
                invocation = Invocation(
                    team_id, user_id, channel_id, command.get("trigger_id"), client
                )
                later(lambda: handler(invocation, parsed))
        except UserError as error:
            ack(response_type="ephemeral", **render.error(tr, error))

    app.command("/salesmeet")(salesmeet)


def schedule(
    core: Core,
    client: WebClient,
    command: Schedule,
    team_id: str,
    user_id: str,
    channel_id: str,
) -> dict:
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    draft = core.book.draft_from_command(command, person, channel_id)
    meeting, created = core.book.book(team_id, draft, command.request_key)
    first = meeting.next_occurrence(core.clock.now())
    notes: list[str] = []
    if created:
        extra = core.hooks.announcement_blocks(tr, meeting, first)
        announcement = render.announcement(tr, meeting, first, extra)
        key = f"announce:{meeting.id}"
        _, note = post_to_channel(client, meeting.channel_id, announcement, tr, key)
        notes += [note] if note else []
        notes += core.hooks.booking_notes(tr, meeting)
    return render.confirmation(tr, meeting, repeat=not created, notes=notes, occurrence=first)


def cancel(core: Core, client: WebClient, number: int, team_id: str, user_id: str) -> dict:
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    meeting = core.book.cancel(team_id, number, person)
    notice = render.cancelled_notice(tr, meeting, user_id)
    _, note = post_to_channel(client, meeting.channel_id, notice, tr, f"cancel:{meeting.id}")
    return render.cancel_confirmation(tr, meeting, [note] if note else [])


def add_item(
    core: Core, client: WebClient, command: AddAgendaItem, team_id: str, user_id: str
) -> dict:
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    meeting, occurrence, item = core.book.add_agenda_item(
        team_id, command.number, command.text, person
    )
    return render.agenda_added(tr, meeting, occurrence, item.text)


def skip(
    core: Core, client: WebClient, command: SkipOccurrence, team_id: str, user_id: str
) -> dict:
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    meeting, occurrence = core.book.skip(team_id, command.number, command.day, person)
    notice = render.skipped_notice(tr, meeting, occurrence, user_id)
    return _tell_channel(client, meeting.channel_id, notice, tr)


def move(core: Core, client: WebClient, command: MoveMeeting, team_id: str, user_id: str) -> dict:
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    meeting, before, after = core.book.move(
        team_id, command.number, command.when, command.day, person
    )
    notice = render.moved_notice(tr, meeting, before, after, user_id)
    return _tell_channel(client, meeting.channel_id, notice, tr)


def _tell_channel(client: WebClient, channel_id: str, notice: dict, tr) -> dict:
    """Post a change in the meeting's channel; the user sees the same words, plus a note
    if the channel could not be told."""
    _, note = post_to_channel(client, channel_id, notice, tr)
    blocks = [render.section(notice["text"])] + ([render.context(note)] if note else [])
    return render.message(notice["text"], blocks)
