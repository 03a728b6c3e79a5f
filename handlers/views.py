"""Modal submissions: validate with inline errors, then book exactly as the command would."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot import render
from bot.agenda_modal import CALLBACK_ID as AGENDA_CALLBACK_ID
from bot.booking import UNCHANGED, local_start
from bot.channel_posts import tell_user
from bot.feature import Services
from bot.modal import CALLBACK_ID, EDIT_CALLBACK_ID, read_submission
from bot.values import read_agenda_form
from entities.errors import N_, AmbiguousName, UserError
from entities.meetings import Attendee, Invitees, Meeting, MeetingEdit
from handlers.changes import after_edit
from handlers.context import RequestContext
from handlers.replies import tell_later

log = logging.getLogger(__name__)

FORM_EXPIRED = N_("This form is out of date. Press the button on the agenda prompt again.")
EDIT_EXPIRED = N_("This form is out of date. Try `/salesmeet edit #<id>` again.")

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


def register(app: App, services: Services) -> None:
    def submitted(ack: Ack, view: dict, ctx: RequestContext) -> None:
        try:
            person = ctx.person
        except UserError as error:
            ack(response_action="errors", errors={"title": ctx.tr.error(error)})
            return
        tr = ctx.tr
        try:
            entered = read_submission(view)
            if not entered.day:
                raise UserError(N_("Pick a date."), "date")
            if not entered.at:
                raise UserError(N_("Pick a time."), "when")
            if not entered.channel_id:
                raise UserError(N_("Pick a channel to announce the meeting in."), "channel")
            typed = _typed_people(services, ctx, entered.guests)
            draft = services.book.draft(
                title=entered.title,
                starts_at=local_start(entered.day, entered.at, person.tz),
                duration=entered.duration,
                organiser=person,
                channel_id=entered.channel_id,
                purpose=entered.purpose,
                venue=entered.venue,
                attendees=_unique(entered.attendees + typed),
            )
        except UserError as error:
            block = FIELD_BLOCKS.get(error.field or "", "title")
            ack(response_action="errors", errors={block: tr.error(error)})
            return
        request_key = "modal\x1f" + repr(draft)
        meeting, created = services.book.book(ctx.team_id, draft, request_key)
        ack()
        services.background.submit(_announce, services, ctx, meeting, created)

    def edit_submitted(ack: Ack, view: dict, ctx: RequestContext) -> None:
        tr = ctx.tr
        try:
            person = ctx.person
            entered = read_submission(view)
            if entered.number is None:
                log.warning("edit form with metadata we never wrote, team=%s", ctx.team_id)
                raise UserError(EDIT_EXPIRED)
            typed = _typed_people(services, ctx, entered.guests)
            starts_at = None
            if entered.day and entered.at:  # a one-off's form has its date and time
                starts_at = local_start(entered.day, entered.at, person.tz)
            change = MeetingEdit(
                title=entered.title,
                duration=entered.duration,
                attendees=_unique(entered.attendees + typed),
                purpose=entered.purpose,
                venue=entered.venue,
                starts_at=starts_at,
            )
            done = services.book.edit(ctx.team_id, entered.number, change, person)
        except UserError as error:
            if error.field == UNCHANGED:
                ack()  # saved as it was: the form simply closes
                return
            block = FIELD_BLOCKS.get(error.field or "", "title")
            ack(response_action="errors", errors={block: tr.error(error)})
            return
        ack()
        tell_later(services, ctx, lambda: after_edit(services, ctx, done))

    def agenda_item(ack: Ack, view: dict, ctx: RequestContext) -> None:
        form = read_agenda_form(view.get("private_metadata"))
        if form is None:
            log.warning("agenda form with metadata we never wrote, team=%s", ctx.team_id)
            ack(response_action="errors", errors={"item": ctx.tr.gettext(FORM_EXPIRED)})
            return
        values = (view.get("state") or {}).get("values") or {}
        text = ((values.get("item") or {}).get("value") or {}).get("value") or ""
        try:
            meeting, occurrence, item = services.book.add_agenda_item(
                ctx.team_id, form.number, str(text), ctx.person, form.occurrence
            )
        except UserError as error:
            ack(response_action="errors", errors={"item": ctx.tr.error(error)})
            return
        ack()
        msg = render.agenda_added(ctx.tr, meeting, occurrence, item.text)
        channel_id = form.channel_id or meeting.channel_id
        services.background.submit(tell_user, ctx.client, channel_id, ctx.user_id, msg)

    app.view(CALLBACK_ID)(submitted)
    app.view(EDIT_CALLBACK_ID)(edit_submitted)
    app.view(AGENDA_CALLBACK_ID)(agenda_item)


def _typed_people(services: Services, ctx: RequestContext, typed: Invitees) -> tuple:
    """The form's typed guests and names: names matched to members. A name that fits
    several people is an error on the field (a modal can't hold buttons in its errors)."""
    try:
        return services.roster.attendees(ctx.team_id, typed, ctx.client)
    except AmbiguousName as error:
        raise UserError(
            N_(
                "More than one person here answers to “{name}”: {people}. Pick the one you"
                " mean under Attendees."
            ),
            "guests",
            name=error.name,
            people=", ".join(label for _, label in error.candidates),
        ) from error


def _unique(attendees: tuple[Attendee, ...]) -> tuple[Attendee, ...]:
    """Someone both picked and typed is invited once."""
    return tuple({attendee.key: attendee for attendee in attendees}.values())


def _announce(services: Services, ctx: RequestContext, meeting: Meeting, created: bool) -> None:
    """After the ack: the channel hears of the meeting, the organiser gets the confirmation."""
    try:
        now = services.clock.now()
        notes = services.announcements.announce(ctx.tr, meeting) if created else []
        confirmation = services.announcements.confirmation(ctx.tr, meeting, created, notes, now)
        tell_user(ctx.client, meeting.channel_id, ctx.user_id, confirmation)
    except Exception:
        log.exception("announcing meeting %s failed", meeting.ref)
