"""Slack surfaces of followups: `/salesmeet export` and `rsvp`, the RSVP buttons, the
outcome form and the Done button of action items.

Each listener takes the request context, reads its payload through the service's strict
readers, calls the service (features/followups/service.py), renders with blocks.py and
answers. Buttons are acked at once; what the user must hear about afterwards goes to
them as an ephemeral message (or a DM) from the background pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.channel_posts import post_to_channel, tell_user
from bot.feature import Services
from entities.errors import N_, UserError
from features.followups import blocks
from features.followups.grammar import ExportCalendar, ExportCsv, ShowRsvps
from features.followups.service import (
    Followups,
    FormState,
    OutcomeErrors,
    Recorded,
    read_button,
    read_item_id,
    read_outcome,
)
from handlers.context import RequestContext
from handlers.home import publish_home
from handlers.replies import tell_later

log = logging.getLogger(__name__)


def send_file(
    client: WebClient, user_id: str, intro: dict, content: bytes | str, name: str, title: str
) -> None:
    """DM the user a message, then the file under it. Slack shares files in conversations
    only (a D… id, not a user id); posting the message first gives us the DM's id
    without the im:write scope that conversations.open would need."""
    try:
        posted = client.chat_postMessage(channel=user_id, **intro)
        client.files_upload_v2(
            channel=posted["channel"], content=content, filename=name, title=title
        )
    except SlackApiError as error:
        code = error.response.get("error") or ""
        log.warning("sending %s to %s failed: %s", name, user_id, code)
        if code == "missing_scope":
            raise UserError(
                N_(
                    "I'm not allowed to send files yet: SalesMeet needs the files:write"
                    " permission. Ask a workspace admin to reinstall the app."
                )
            ) from error
        raise UserError(
            N_("I couldn't send you the file: Slack answered “{error}”. Please try again."),
            error=code,
        ) from error
    except (SlackClientError, OSError) as error:
        log.warning("sending %s to %s failed: %r", name, user_id, error)
        raise UserError(
            N_("I couldn't reach Slack to send you the file. Please try again.")
        ) from error


# --- commands (run after the ack, handlers/commands.py) ---------------------------------------


def export_calendar(followups: Followups, ctx: RequestContext, command: ExportCalendar) -> dict:
    _, tr = ctx.person, ctx.tr  # the person first: the file is in their language
    export = followups.calendar(tr, ctx.team_id, ctx.user_id)
    if export is None:
        return blocks.no_calendar(tr)
    intro = blocks.calendar_intro(tr, export.meetings)
    send_file(
        ctx.client, ctx.user_id, intro, export.content, export.filename, blocks.calendar_title(tr)
    )
    return blocks.calendar_sent(tr, export.meetings)


def export_csv(followups: Followups, ctx: RequestContext, command: ExportCsv) -> dict:
    person, tr = ctx.person, ctx.tr
    export = followups.cost_export(tr, ctx.client, ctx.team_id, person, command.which, command.unit)
    if export.totals is None:
        return blocks.no_costs(tr, export)
    intro = blocks.costs_intro(tr, export)
    name = export.filename(tr)
    send_file(ctx.client, ctx.user_id, intro, export.csv, name, blocks.costs_title(tr))
    return blocks.costs_sent(tr, export)


def show_rsvps(followups: Followups, ctx: RequestContext, command: ShowRsvps) -> dict:
    person, tr = ctx.person, ctx.tr
    return blocks.rsvp_summary(tr, followups.next_answers(ctx.team_id, person, command.number))


# Command type (grammar.py) -> handler(followups, ctx, command) -> the ephemeral answer
COMMANDS: dict[type, Callable[..., dict]] = {
    ExportCalendar: export_calendar,
    ExportCsv: export_csv,
    ShowRsvps: show_rsvps,
}


# --- buttons and the form ---------------------------------------------------------------------


def tell(services: Services, ctx: RequestContext, error: UserError) -> None:
    tell_later(services, ctx, lambda: render.error(ctx.tr, error))


def register(app: App, *, services: Services, followups: Followups) -> None:
    """Wire this feature's buttons and its form."""

    def rsvp(ack: Ack, action: dict, body: dict, ctx: RequestContext) -> None:
        ack()
        answer = blocks.ANSWER_OF_ACTION.get(action.get("action_id") or "")
        parsed = read_button(action.get("value") or "")
        if answer is None or parsed is None:
            return
        number, key = parsed
        try:
            meeting = followups.answer(ctx.team_id, ctx.user_id, number, key, answer)
        except UserError as error:
            tell(services, ctx, error)
            return
        tell_later(services, ctx, lambda: refresh_counts(body, ctx, meeting, key))

    def refresh_counts(body: dict, ctx: RequestContext, meeting, key: int) -> None:
        """Counts updated in place on the message clicked, or the App Home republished."""
        container = body.get("container") or {}
        if container.get("type") == "view":
            publish_home(services, ctx.client, ctx.team_id, ctx.user_id)
            return
        message = body.get("message") or {}
        occurrence = meeting.occurrence(key)
        if not message.get("blocks") or occurrence is None:
            return
        answers = followups.answers(meeting, occurrence)
        counts = blocks.counts_block(
            services.workspaces.channel_tr(meeting.team_id), meeting, occurrence, answers
        )
        updated = blocks.replace_counts(message["blocks"], counts)
        if updated is None:
            return
        try:
            ctx.client.chat_update(
                channel=ctx.channel_id,
                ts=container.get("message_ts") or message.get("ts"),
                text=message.get("text") or "",
                blocks=updated,
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("could not update the RSVP counts: %r", error)

    def who(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        parsed = read_button(action.get("value") or "")
        if parsed is None:
            return

        def answers() -> dict:
            person = ctx.person  # first: the answer is in their language
            return blocks.rsvp_summary(ctx.tr, followups.answers_at(ctx.team_id, person, *parsed))

        tell_later(services, ctx, answers)

    def record(ack: Ack, action: dict, body: dict, ctx: RequestContext) -> None:
        ack()
        parsed = read_button(action.get("value") or "")
        if parsed is None:
            return
        message_ts = (body.get("container") or {}).get("message_ts")
        try:
            form = followups.opening_form(ctx.team_id, *parsed, ctx.channel_id or None, message_ts)
        except UserError as error:
            tell(services, ctx, error)
            return
        try:
            ctx.client.views_open(
                trigger_id=ctx.trigger_id or "", view=blocks.outcome_view(ctx.tr, form)
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for the outcome form failed: %r", error)
            tell(services, ctx, UserError(N_("I couldn't open the form. Please try again.")))

    def add_row(ack: Ack, body: dict, ctx: RequestContext) -> None:
        ack()
        view = body.get("view") or {}
        state = FormState.read(view.get("private_metadata") or "")
        form = followups.outcome_form(ctx.team_id, state.with_another_row()) if state else None
        if form is None:
            return
        try:
            ctx.client.views_update(
                view_id=view.get("id"),
                hash=view.get("hash"),
                view=blocks.outcome_view(ctx.tr, form),
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            # A stale hash means the form changed meanwhile; the user can press again.
            log.info("views.update for the outcome form failed: %r", error)

    def submitted(ack: Ack, view: dict, ctx: RequestContext) -> None:
        state = FormState.read(view.get("private_metadata") or "")
        try:
            if state is None:
                raise OutcomeErrors.expired()
            entry = read_outcome(view, state)
            recorded = followups.record_outcome(
                ctx.team_id, ctx.user_id, state, entry, source=f"{view.get('id')}"
            )
        except OutcomeErrors as problems:
            errors = {block: ctx.tr.error(error) for block, error in problems.errors.items()}
            ack(response_action="errors", errors=errors)
            return
        ack()
        services.background.submit(after_outcome, ctx, recorded)

    def after_outcome(ctx: RequestContext, recorded: Recorded) -> None:
        """After the ack: owners' zones from Slack, the channel summary, the prompt marked."""
        meeting = recorded.meeting
        try:
            followups.follow_owner_zones(ctx.client, recorded)
            tr = services.workspaces.channel_tr(ctx.team_id)  # the workspace's language
            outcome, items = followups.saved(recorded)
            if outcome is not None:
                summary = blocks.outcome_summary(tr, recorded, outcome, items)
                _, note = post_to_channel(ctx.client, meeting.channel_id, summary, ctx.tr)
                if note:
                    msg = render.message(note, [render.context(note)])
                    tell_user(ctx.client, None, ctx.user_id, msg)
            state = recorded.state
            if state.channel_id and state.message_ts:
                mark_prompt(ctx.client, recorded)
        except Exception:
            log.exception("finishing the outcomes of %s failed", meeting.ref)

    def mark_prompt(client: WebClient, recorded: Recorded) -> None:
        """Say on the prompt who recorded the outcomes; its button stays, to add more."""
        if followups.prompt_of(recorded) is not None:
            refresh_prompt(client, recorded.meeting, recorded.occurrence)

    def refresh_prompt(client: WebClient, meeting, occurrence) -> None:
        """The outcome prompt edited to read as stored now: who recorded the outcomes and
        the "Worth the time?" counts. Rebuilt whole, so neither edit undoes the other."""
        now = followups.prompt_now(meeting, occurrence)
        if now is None:
            return
        tr = services.workspaces.channel_tr(meeting.team_id)
        prompt = blocks.prompt_as_now(tr, meeting, occurrence, now)
        try:
            client.chat_update(channel=now.channel_id, ts=now.ts, **prompt)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("could not update the outcome prompt of %s: %r", meeting.ref, error)

    def worth(ack: Ack, action: dict, ctx: RequestContext) -> None:
        """A tap on "Worth the time?": stored first, then the counts on the prompt and,
        to the person who tapped alone, what they answered."""
        ack()
        answer = blocks.WORTH_OF_ACTION.get(action.get("action_id") or "")
        parsed = read_button(action.get("value") or "")
        if answer is None or parsed is None:
            return
        try:
            rated = followups.rate(ctx.team_id, ctx.user_id, *parsed, answer)
        except UserError as error:
            tell(services, ctx, error)
            return

        def answered() -> dict:
            refresh_prompt(ctx.client, rated.meeting, rated.occurrence)
            return blocks.worth_answered(ctx.tr, rated)

        tell_later(services, ctx, answered)

    def done(ack: Ack, action: dict, body: dict, ctx: RequestContext) -> None:
        ack()
        item_id = read_item_id(action.get("value") or "")
        if item_id is not None:
            tell_later(services, ctx, lambda: mark_done(body, ctx, item_id))

    def mark_done(body: dict, ctx: RequestContext, item_id: int) -> None:
        finished = followups.mark_done(ctx.client, ctx.team_id, ctx.user_id, item_id)
        if finished is None:
            return  # not this workspace's
        container = body.get("container") or {}
        try:
            if container.get("type") == "view":
                publish_home(services, ctx.client, ctx.team_id, ctx.user_id)
                return
            message = body.get("message") or {}
            updated = blocks.replace_item_block(
                message.get("blocks") or [],
                item_id,
                blocks.done_item_block(
                    services.workspaces.channel_tr(ctx.team_id), finished, ctx.user_id
                ),
            )
            if updated is not None and ctx.channel_id:
                ctx.client.chat_update(
                    channel=ctx.channel_id,
                    ts=container.get("message_ts") or message.get("ts"),
                    text=message.get("text") or "",
                    blocks=updated,
                )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("could not update the message of action item %s: %r", item_id, error)

    app.action(blocks.GOING_ACTION)(rsvp)
    app.action(blocks.NOT_GOING_ACTION)(rsvp)
    app.action(blocks.WHO_ACTION)(who)
    app.action(blocks.RECORD_ACTION)(record)
    app.action(blocks.ADD_ROW_ACTION)(add_row)
    app.action(blocks.DONE_ACTION)(done)
    app.action(blocks.WORTH_ACTION)(worth)
    app.action(blocks.NOT_WORTH_ACTION)(worth)
    app.view(blocks.OUTCOME_CALLBACK)(submitted)
