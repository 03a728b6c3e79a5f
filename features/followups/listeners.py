"""Slack surfaces of the followups feature (bot/followups/): `export` and `rsvp`, the
RSVP buttons, the outcome form and the Done button of action items."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.channel_posts import post_to_channel, tell_user
from bot.feature import Core
from bot.i18n import Translator, translator
from bot.mrkdwn import date_token
from entities.deliveries import Planned
from entities.errors import N_, UserError
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups import app_home
from features.followups.app_home import publish_home
from features.followups.commands import ExportCalendar, ExportCsv, ShowRsvps
from features.followups.csv_export import (
    cost_csv,
    csv_filename,
    decimal,
    money,
    people_of,
    period_text,
)
from features.followups.ical import calendar_file
from features.followups.ical import filename as ics_filename
from features.followups.outcomes import (
    ACTION,
    ADD_ROW_ACTION,
    DONE_ACTION,
    FORM_EXPIRED,
    OUTCOME_CALLBACK,
    RECORD_ACTION,
    FormState,
    action_due,
    check_outcome,
    done_item_block,
    outcome_prompt,
    outcome_summary,
    outcome_view,
    read_outcome,
    recorded_prompt,
    replace_item_block,
)
from features.followups.periods import occurrences_between, period_bounds
from features.followups.rsvp import (
    ANSWER_OF_ACTION,
    GOING_ACTION,
    NOT_GOING_ACTION,
    WHO_ACTION,
    counts_block,
    read_value,
    replace_counts,
    rsvp_summary,
)
from features.followups.store import (
    ActionItem,
    ActionItemStore,
    OutcomeStore,
    PeriodStore,
    RsvpStore,
)
from handlers.replies import Invocation, reader
from storage.agenda import AgendaStore
from storage.deliveries import DeliveryStore

log = logging.getLogger(__name__)

# Names looked up for the CSV: beyond this many people, the rest show as user ids.
MAX_NAME_LOOKUPS = 200

MEETING_OVER = N_("{ref} on {when} is over, so answers are closed.")
NOT_HAPPENING = N_("That occurrence of {ref} was skipped or moved off the calendar.")
CANCELLED = N_("Meeting {ref} is cancelled.")


# --- shared ------------------------------------------------------------------------------


def _team_id(body: dict) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")


def _action(body: dict) -> dict:
    return (body.get("actions") or [{}])[0]


def _container(body: dict) -> dict:
    return body.get("container") or {}


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


def _occurrence_problem(meeting: Meeting | None, key: int, now: datetime) -> UserError | None:
    """Why nobody can answer for this occurrence any more, if so."""
    if meeting is None:
        return UserError(N_("That meeting no longer exists."))
    if meeting.cancelled:
        return UserError(CANCELLED, ref=meeting.ref)
    occurrence = meeting.occurrence(key)
    if occurrence is None:
        return UserError(NOT_HAPPENING, ref=meeting.ref)
    if occurrence.end <= now:
        return UserError(MEETING_OVER, ref=meeting.ref, when=date_token(occurrence.start))
    return None


def _may_see_answers(meeting: Meeting, user_id: str, is_manager: bool) -> bool:
    return is_manager or meeting.organiser_id == user_id


# --- commands ----------------------------------------------------------------------------


def export_calendar(core: Core, inv: Invocation, command: ExportCalendar) -> dict:
    person = core.directory.person(inv.client, inv.team_id, inv.user_id)
    tr = translator(person.locale)
    now = core.clock.now()
    upcoming = core.book.store.upcoming(inv.team_id, now, user_id=inv.user_id, limit=0)
    if not upcoming:
        text = tr.gettext(
            "You have no upcoming meetings, so there is nothing to put in a calendar file yet."
        )
        return render.message(text, [render.section(text)])
    content = calendar_file(tr, inv.team_id, [m for m, _ in upcoming], now)
    n = len(upcoming)
    intro_text = tr.ngettext(
        ":calendar: Your SalesMeet calendar: {n} upcoming meeting. Open the file below to add"
        " it to Google Calendar, Outlook or Apple Calendar.",
        ":calendar: Your SalesMeet calendar: {n} upcoming meetings. Open the file below to add"
        " them to Google Calendar, Outlook or Apple Calendar.",
        n,
    )
    send_file(
        inv.client,
        inv.user_id,
        render.message(intro_text, [render.section(intro_text)]),
        content,
        ics_filename(now),
        tr.gettext("SalesMeet meetings"),
    )
    text = tr.ngettext(
        "I've sent you a calendar file with {n} meeting in a direct message.",
        "I've sent you a calendar file with {n} meetings in a direct message.",
        n,
    )
    return render.message(text, [render.section(text)])


def _names(core: Core, inv: Invocation, user_ids: set[str]) -> dict[str, str]:
    """Display names for the CSV: the cache first, then Slack for a bounded few."""
    names: dict[str, str] = {}
    lookups = 0
    for user_id in sorted(user_ids):
        person = core.directory.cached(inv.team_id, user_id)
        if person is None and lookups < MAX_NAME_LOOKUPS:
            lookups += 1
            try:
                person = core.directory.person(inv.client, inv.team_id, user_id)
            except UserError:
                person = None
        names[user_id] = person.name if person and person.name else user_id
    return names


def export_csv(core: Core, inv: Invocation, command: ExportCsv) -> dict:
    person = core.directory.person(inv.client, inv.team_id, inv.user_id)
    tr = translator(person.locale)
    if not person.is_manager:
        raise UserError(
            N_(
                "Sorry, the meeting cost spreadsheet is for managers. You can still get your"
                " own meetings as a calendar file with `/salesmeet export`."
            )
        )
    now = core.clock.now()
    settings = core.workspaces.settings(inv.team_id)
    start, end = period_bounds(now, settings.tz, command.which, command.unit)
    pairs = occurrences_between(
        PeriodStore(core.database), core.book.store, inv.team_id, start, end
    )
    period = period_text(tr, start, end, settings.tz)
    if not pairs:
        text = tr.gettext(
            "There are no meetings from {period}, so there is nothing to export.", period=period
        )
        return render.message(text, [render.section(text)])
    users = {u for meeting, _ in pairs for u in people_of(meeting)}
    rsvps = RsvpStore(core.database)
    answers = {(m.id, o.key): rsvps.answers(inv.team_id, m.id, o.key) for m, o in pairs}
    text, totals = cost_csv(tr, pairs, settings, _names(core, inv, users), answers, now)
    intro_text = tr.ngettext(
        ":bar_chart: Meeting costs from {period}: {n} meeting, {hours} person-hours,"
        " about {cost}. The spreadsheet below has one row per meeting.",
        ":bar_chart: Meeting costs from {period}: {n} meetings, {hours} person-hours,"
        " about {cost}. The spreadsheet below has one row per meeting.",
        totals.occurrences,
        period=period,
        hours=decimal(tr, totals.person_hours),
        cost=money(tr, totals.cost, settings.currency),
    )
    send_file(
        inv.client,
        inv.user_id,
        render.message(intro_text, [render.section(intro_text)]),
        text,
        csv_filename(start, end, settings.tz),
        tr.gettext("SalesMeet meeting costs"),
    )
    done = tr.gettext(
        "I've sent you the meeting cost spreadsheet from {period} in a direct message.",
        period=period,
    )
    return render.message(done, [render.section(done)])


def show_rsvps(core: Core, inv: Invocation, command: ShowRsvps) -> dict:
    person = core.directory.person(inv.client, inv.team_id, inv.user_id)
    tr = translator(person.locale)
    meeting = core.book.find(inv.team_id, command.number)
    if not _may_see_answers(meeting, inv.user_id, person.is_manager):
        raise UserError(
            N_(
                "Only the organiser (<@{organiser}>) or a manager can see who hasn't answered"
                " for meeting #{number}."
            ),
            organiser=meeting.organiser_id,
            number=meeting.number,
        )
    _, occurrence = core.book.next_for_agenda(inv.team_id, command.number)
    answers = RsvpStore(core.database).answers(inv.team_id, meeting.id, occurrence.key)
    return rsvp_summary(tr, meeting, occurrence, answers)


COMMANDS: dict[type, Callable[..., dict]] = {
    ExportCalendar: export_calendar,
    ExportCsv: export_csv,
    ShowRsvps: show_rsvps,
}


# --- the outcome form ----------------------------------------------------------------------


def _form(
    core: Core,
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    state: FormState,
) -> tuple[dict, FormState]:
    """The outcome form, offering this occurrence's agenda items not carried over yet."""
    team_id = meeting.team_id
    outcomes = OutcomeStore(core.database)
    nxt = _next_after(meeting, occurrence, core.clock.now())
    offered = []
    if nxt is not None:
        items = AgendaStore(core.database).items(team_id, meeting.id, occurrence.key)
        carried = outcomes.carried(team_id, [i.id for i in items])
        offered = [i for i in items if i.id not in carried]
    shown = offered[:50]
    state = FormState(
        state.number,
        state.occurrence,
        state.channel_id,
        state.message_ts,
        state.rows,
        tuple(i.id for i in shown),
    )
    outcome = outcomes.get(team_id, meeting.id, occurrence.key)
    return outcome_view(tr, meeting, occurrence, state, outcome, shown, nxt), state


def _next_after(meeting: Meeting, occurrence: Occurrence, now: datetime) -> Occurrence | None:
    """Where items not discussed go: the next occurrence that has not ended yet."""
    if meeting.cancelled:
        return None
    after = max(now, occurrence.end)
    nxt = meeting.next_occurrence(after)
    return nxt if nxt is not None and nxt.key != occurrence.key else None


def _zone_of(core: Core, team_id: str, user_id: str) -> str:
    person = core.directory.cached(team_id, user_id)
    return person.tz if person else core.workspaces.settings(team_id).tz


def _plan_dms(core: Core, team_id: str, items: list[ActionItem], zones: dict) -> None:
    now = core.clock.now()
    planned = [
        Planned(team_id, ACTION, 0, item.id, action_due(item.due_on, zones[item.owner_id], now))
        for item in items
    ]
    DeliveryStore(core.database).plan(planned, now, reschedule=True)
    core.alarm.wake()


def _after_outcome(
    core: Core,
    client: WebClient,
    meeting: Meeting,
    occurrence: Occurrence,
    state: FormState,
    user_id: str,
    added: list[ActionItem],
    zones: dict[str, str],
    carried: list[str],
    nxt: Occurrence | None,
    submitter: Translator,
) -> None:
    """After the ack: owners' zones from Slack, the channel summary, the prompt updated."""
    team_id = meeting.team_id
    try:
        fresh = {}
        for owner in {i.owner_id for i in added}:
            try:
                fresh[owner] = core.directory.person(client, team_id, owner).tz
            except UserError:
                fresh[owner] = zones[owner]
        if any(fresh[o] != zones[o] for o in fresh):
            _plan_dms(core, team_id, added, fresh)
        tr = translator(None)  # channel posts use the workspace's language
        outcome = OutcomeStore(core.database).get(team_id, meeting.id, occurrence.key)
        items = ActionItemStore(core.database).for_occurrence(team_id, meeting.id, occurrence.key)
        if outcome is not None:
            summary = outcome_summary(
                tr, meeting, occurrence, user_id, outcome, items, carried, nxt
            )
            _, note = post_to_channel(client, meeting.channel_id, summary, submitter)
            if note:
                tell_user(client, None, user_id, render.message(note, [render.context(note)]))
        if state.channel_id and state.message_ts:
            _mark_prompt(client, state, tr, meeting, occurrence, user_id)
    except Exception:
        log.exception("finishing the outcomes of %s failed", meeting.ref)


def _mark_prompt(
    client: WebClient,
    state: FormState,
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    user_id: str,
) -> None:
    """Say on the prompt who recorded the outcomes; its button stays, to add more."""
    prompt = outcome_prompt(tr, meeting, occurrence)
    try:
        client.chat_update(
            channel=state.channel_id or "",
            ts=state.message_ts or "",
            text=prompt["text"],
            blocks=recorded_prompt(tr, prompt["blocks"], user_id),
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        log.info("could not mark the outcome prompt as recorded: %r", error)


# --- listeners -----------------------------------------------------------------------------


def register(app: App, *, core: Core) -> None:
    """Wire this feature's buttons, its form and App Home."""
    app_home.register(app, core)
    store = core.book.store

    def rsvp(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        action = _action(body)
        answer = ANSWER_OF_ACTION.get(action.get("action_id") or "")
        parsed = read_value(action.get("value") or "")
        if answer is None or parsed is None:
            return
        number, key = parsed
        container = _container(body)
        channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id")
        tr = reader(core, team_id, user_id)
        meeting = store.get(team_id, number)
        problem = _occurrence_problem(meeting, key, core.clock.now())
        if problem is not None or meeting is None:
            msg = render.error(tr, problem) if problem else render.unexpected(tr)
            core.background.submit(tell_user, client, channel_id, user_id, msg)
            return
        RsvpStore(core.database).answer(team_id, meeting.id, key, user_id, answer, core.clock.now())
        core.background.submit(_refresh, client, body, team_id, user_id, meeting, key)

    def _refresh(
        client: WebClient, body: dict, team_id: str, user_id: str, meeting: Meeting, key: int
    ) -> None:
        """Counts updated in place on the message clicked, or the App Home republished."""
        container = _container(body)
        try:
            if container.get("type") == "view":
                publish_home(core, client, team_id, user_id)
                return
            message = body.get("message") or {}
            occurrence = meeting.occurrence(key)
            if not message.get("blocks") or occurrence is None:
                return
            answers = RsvpStore(core.database).answers(team_id, meeting.id, key)
            counts = counts_block(translator(None), meeting, occurrence, answers)
            blocks = replace_counts(message["blocks"], counts)
            if blocks is None:
                return
            client.chat_update(
                channel=container.get("channel_id") or (body.get("channel") or {}).get("id"),
                ts=container.get("message_ts") or message.get("ts"),
                text=message.get("text") or "",
                blocks=blocks,
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("could not update the RSVP counts: %r", error)

    def who(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        parsed = read_value(_action(body).get("value") or "")
        channel_id = _container(body).get("channel_id") or (body.get("channel") or {}).get("id")
        if parsed is None:
            return
        core.background.submit(_who, client, team_id, user_id, channel_id, *parsed)

    def _who(
        client: WebClient, team_id: str, user_id: str, channel_id: str | None, number: int, key
    ) -> None:
        tr = reader(core, team_id, user_id)
        try:
            person = core.directory.person(client, team_id, user_id)
            tr = translator(person.locale)
            meeting = core.book.find(team_id, number)
            if not _may_see_answers(meeting, user_id, person.is_manager):
                raise UserError(
                    N_(
                        "Only the organiser (<@{organiser}>) or a manager can see who hasn't"
                        " answered for meeting #{number}."
                    ),
                    organiser=meeting.organiser_id,
                    number=meeting.number,
                )
            occurrence = meeting.occurrence(key)
            if occurrence is None:
                raise UserError(NOT_HAPPENING, ref=meeting.ref)
            answers = RsvpStore(core.database).answers(team_id, meeting.id, key)
            msg = rsvp_summary(tr, meeting, occurrence, answers)
        except UserError as error:
            msg = render.error(tr, error)
        tell_user(client, channel_id, user_id, msg)

    def record(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        parsed = read_value(_action(body).get("value") or "")
        if parsed is None:
            return
        number, key = parsed
        container = _container(body)
        channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id")
        tr = reader(core, team_id, user_id)
        meeting = store.get(team_id, number)
        occurrence = meeting.occurrence(key) if meeting else None
        if meeting is None or occurrence is None:
            error = UserError(N_("That meeting or occurrence no longer exists."))
            core.background.submit(tell_user, client, channel_id, user_id, render.error(tr, error))
            return
        state = FormState(number, key, channel_id, container.get("message_ts"))
        view, _ = _form(core, tr, meeting, occurrence, state)
        try:
            client.views_open(trigger_id=body.get("trigger_id") or "", view=view)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for the outcome form failed: %r", error)
            problem = UserError(N_("I couldn't open the form. Please try again."))
            core.background.submit(
                tell_user, client, channel_id, user_id, render.error(tr, problem)
            )

    def add_row(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        view = body.get("view") or {}
        try:
            state = FormState.load(view.get("private_metadata") or "")
        except (ValueError, KeyError, TypeError):
            return
        meeting = store.get(team_id, state.number)
        occurrence = meeting.occurrence(state.occurrence) if meeting else None
        if meeting is None or occurrence is None:
            return
        tr = reader(core, team_id, user_id)
        bigger = FormState(
            state.number, state.occurrence, state.channel_id, state.message_ts, state.rows + 1
        )
        updated, _ = _form(core, tr, meeting, occurrence, bigger)
        try:
            client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=updated)
        except (SlackApiError, SlackClientError, OSError) as error:
            # A stale hash means the form changed meanwhile; the user can press again.
            log.info("views.update for the outcome form failed: %r", error)

    def submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        team_id = _team_id(body) or view.get("team_id") or ""
        user_id = body["user"]["id"]
        tr = reader(core, team_id, user_id)
        try:
            state = FormState.load(view.get("private_metadata") or "")
        except (ValueError, KeyError, TypeError):
            ack(response_action="errors", errors={"notes": tr.gettext(FORM_EXPIRED)})
            return
        meeting = store.get(team_id, state.number)
        occurrence = meeting.occurrence(state.occurrence) if meeting else None
        if meeting is None or occurrence is None:
            ack(response_action="errors", errors={"notes": tr.gettext(FORM_EXPIRED)})
            return
        now = core.clock.now()
        entry = read_outcome(view, state)
        today = now.astimezone(ZoneInfo(_zone_of(core, team_id, user_id))).date()
        new_items, errors = check_outcome(tr, entry, f"{view.get('id')}", today)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        outcomes = OutcomeStore(core.database)
        added = outcomes.record(
            team_id,
            meeting.id,
            occurrence.key,
            entry.notes,
            entry.decisions,
            new_items,
            user_id,
            now,
        )
        zones = {i.owner_id: _zone_of(core, team_id, i.owner_id) for i in added}
        if added:
            _plan_dms(core, team_id, added, zones)
        nxt = _next_after(meeting, occurrence, now)
        carried: list[str] = []
        if nxt is not None:
            agenda = AgendaStore(core.database)
            texts = {i.id: i for i in agenda.items(team_id, meeting.id, occurrence.key)}
            undiscussed = [i for i in state.agenda if i in texts and i not in entry.discussed]

            def copy(item_id: int) -> int:
                item = texts[item_id]
                return agenda.add(team_id, meeting.id, nxt.key, item.text, item.author_id, now).id

            moved = outcomes.carry_over(team_id, undiscussed, copy, now)
            carried = [texts[i].text for i in moved]
        ack()
        core.background.submit(
            _after_outcome,
            core,
            client,
            meeting,
            occurrence,
            state,
            user_id,
            added,
            zones,
            carried,
            nxt,
            tr,
        )

    def done(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        value = _action(body).get("value") or ""
        if not value.isdigit():
            return
        core.background.submit(_done, client, body, team_id, user_id, int(value))

    def _done(client: WebClient, body: dict, team_id: str, user_id: str, item_id: int) -> None:
        container = _container(body)
        channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id")
        tr = reader(core, team_id, user_id)
        items = ActionItemStore(core.database)
        item = items.get(team_id, item_id)
        if item is None:
            return  # not this workspace's
        try:
            meeting = store.by_id(team_id, item.meeting_id)
            involved = {item.owner_id, item.created_by, meeting.organiser_id if meeting else ""}
            if user_id not in involved:
                person = core.directory.person(client, team_id, user_id)
                if not person.is_manager:
                    raise UserError(
                        N_(
                            "Only the owner (<@{owner}>), whoever recorded it, the organiser or"
                            " a manager can mark this action item done."
                        ),
                        owner=item.owner_id,
                    )
            if not items.mark_done(team_id, item_id, user_id, core.clock.now()):
                current = items.get(team_id, item_id)
                raise UserError(
                    N_("That action item was already marked done by <@{user}>."),
                    user=(current.done_by if current else None) or user_id,
                )
        except UserError as error:
            tell_user(client, channel_id, user_id, render.error(tr, error))
            return
        try:
            if container.get("type") == "view":
                publish_home(core, client, team_id, user_id)
                return
            message = body.get("message") or {}
            finished = items.get(team_id, item_id) or item
            blocks = replace_item_block(
                message.get("blocks") or [],
                item_id,
                done_item_block(translator(None), finished, user_id),
            )
            if blocks is not None and channel_id:
                client.chat_update(
                    channel=channel_id,
                    ts=container.get("message_ts") or message.get("ts"),
                    text=message.get("text") or "",
                    blocks=blocks,
                )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("could not update the message of action item %s: %r", item_id, error)

    app.action(GOING_ACTION)(rsvp)
    app.action(NOT_GOING_ACTION)(rsvp)
    app.action(WHO_ACTION)(who)
    app.action(RECORD_ACTION)(record)
    app.action(ADD_ROW_ACTION)(add_row)
    app.action(DONE_ACTION)(done)
    app.view(OUTCOME_CALLBACK)(submitted)
