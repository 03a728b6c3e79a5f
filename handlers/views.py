"""Modal submissions: validate with inline errors, then book exactly as the command would."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import render
from bot.agenda_modal import CALLBACK_ID as AGENDA_CALLBACK_ID
from bot.booking import local_start
from bot.channel_posts import post_to_channel, tell_user
from bot.feature import Core
from bot.i18n import translator
from bot.modal import CALLBACK_ID, read_submission
from entities.errors import N_, UserError
from entities.meetings import Meeting

log = logging.getLogger(__name__)

FORM_EXPIRED = N_("This form is out of date. Press the button on the agenda prompt again.")

# Which input block shows an error about which part of the request.
FIELD_BLOCKS = {
    "title": "title",
    "when": "time",
    "date": "date",
    "duration": "duration",
    "purpose": "purpose",
    "format": "format",
    "venue": "link",
    "link": "link",
    "attendees": "guests",
    "guests": "guests",
    "channel": "channel",
}


def register(app: App, core: Core) -> None:
    def submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id = (body.get("team") or {}).get("id") or view.get("team_id") or ""
        user_id = body["user"]["id"]
        try:
            person = core.directory.person(client, team_id, user_id)
        except UserError as error:
            ack(response_action="errors", errors={"title": translator().error(error)})
            return
        tr = translator(person.locale)
        try:
            entered = read_submission(view)
            if not entered.day:
                raise UserError(N_("Pick a date."), "date")
            if not entered.at:
                raise UserError(N_("Pick a time."), "when")
            if not entered.channel_id:
                raise UserError(N_("Pick a channel to announce the meeting in."), "channel")
            draft = core.book.draft(
                title=entered.title,
                starts_at=local_start(entered.day, entered.at, person.tz),
                duration=entered.duration,
                organiser=person,
                channel_id=entered.channel_id,
                purpose=entered.purpose,
                venue=entered.venue,
                attendees=entered.attendees,
            )
        except UserError as error:
            block = FIELD_BLOCKS.get(error.field or "", "title")
            ack(response_action="errors", errors={block: tr.error(error)})
            return
        request_key = "modal\x1f" + repr(draft)
        meeting, created = core.book.book(team_id, draft, request_key)
        now = core.clock.now()
        ack()
        extra = core.hooks.announcement_blocks(tr, meeting, meeting.next_occurrence(now))
        core.background.submit(_announce, core, client, meeting, created, user_id, tr, extra)

    def agenda_item(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id = (body.get("team") or {}).get("id") or view.get("team_id") or ""
        user_id = body["user"]["id"]
        try:
            person = core.directory.person(client, team_id, user_id)
            tr = translator(person.locale)
            metadata = json.loads(view.get("private_metadata") or "{}")
            values = (view.get("state") or {}).get("values") or {}
            text = ((values.get("item") or {}).get("value") or {}).get("value") or ""
            meeting, occurrence, item = core.book.add_agenda_item(
                team_id, int(metadata["number"]), text, person, int(metadata["occurrence"])
            )
        except UserError as error:
            ack(response_action="errors", errors={"item": translator().error(error)})
            return
        except (ValueError, KeyError, TypeError):
            ack(response_action="errors", errors={"item": translator().gettext(FORM_EXPIRED)})
            return
        ack()
        msg = render.agenda_added(tr, meeting, occurrence, item.text)
        channel_id = metadata.get("channel_id") or meeting.channel_id
        core.background.submit(tell_user, client, channel_id, user_id, msg)

    app.view(CALLBACK_ID)(submitted)
    app.view(AGENDA_CALLBACK_ID)(agenda_item)


def _announce(
    core: Core,
    client: WebClient,
    meeting: Meeting,
    created: bool,
    user_id: str,
    tr,
    extra: list,
) -> None:
    try:
        notes: list[str] = []
        if created:
            msg = render.announcement(tr, meeting, extra=extra)
            key = f"announce:{meeting.id}"
            _, note = post_to_channel(client, meeting.channel_id, msg, tr, key)
            notes += [note] if note else []
            notes += core.hooks.booking_notes(tr, meeting)
        confirmation = render.confirmation(tr, meeting, repeat=not created, notes=notes)
        tell_user(client, meeting.channel_id, user_id, confirmation)
    except Exception:
        log.exception("announcing meeting %s failed", meeting.ref)
