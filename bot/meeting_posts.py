"""What timed posts say: agenda prompts, reminders, and the DM when one could not go out."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import render
from bot.agenda import TEMPLATES
from bot.hooks import Hooks
from bot.i18n import Translator
from bot.mrkdwn import channel, escape, mention
from bot.timed_posts import AGENDA, REMINDER
from bot.workspace import Workspaces
from entities.agenda import AgendaItem
from entities.deliveries import FAILED, Composed, Composer, Delivery
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from storage.agenda import AgendaStore
from storage.meetings import MeetingStore

ADD_AGENDA_ACTION = "add_agenda_item"


def agenda_lines(tr: Translator, meeting: Meeting, items: list[AgendaItem]) -> str:
    if items:
        return "\n".join(f"• {escape(item.text)} ({mention(item.author_id)})" for item in items)
    return "\n".join(f"• {tr.gettext(t)}" for t in TEMPLATES.get(meeting.purpose, ()))


def late_note(tr: Translator, due_at: datetime) -> str:
    return tr.gettext(
        ":hourglass: Sent late: SalesMeet was offline when this was due ({when}).",
        when=tr.date(due_at),
    )


def agenda_button(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=tr.gettext("Add agenda item"),
                action_id=ADD_AGENDA_ACTION,
                value=f"{meeting.number}:{occurrence.key}",
            )
        ]
    )


def agenda_prompt(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    items: list[AgendaItem],
    late_since: datetime | None = None,
    extra: list[Block] | None = None,
) -> dict:
    head = tr.gettext(
        ":memo: *Agenda for {ref} {title}*, {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
    )
    people = " ".join(mention(a.user_id) for a in meeting.attendees if a.user_id)
    ask = tr.gettext(
        "{people} What should we cover? Add items below so the meeting earns its time.",
        people=people or mention(meeting.organiser_id),
    )
    heading = (
        tr.gettext("*Agenda so far*")
        if items
        else tr.gettext(
            "*Suggested agenda for a {purpose} meeting*",
            purpose=render.purpose_label(tr, meeting.purpose),
        )
    )
    blocks: list[Block] = [
        render.section(head),
        render.section(ask),
        render.section(heading + "\n" + agenda_lines(tr, meeting, items)),
        agenda_button(tr, meeting, occurrence),
        *(extra or []),
    ]
    if late_since:
        blocks.append(render.context(late_note(tr, late_since)))
    return render.message(head, blocks)


def reminder(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    items: list[AgendaItem],
    late_since: datetime | None = None,
    extra: list[Block] | None = None,
) -> dict:
    head = tr.gettext(
        ":alarm_clock: *{ref} {title}* starts {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
    )
    blocks: list[Block] = [render.section(head)]
    if meeting.venue.link:
        blocks.append(
            render.section(tr.gettext("Join: {link}", link=render.venue_text(tr, meeting)))
        )
    people = " ".join(mention(a.user_id) for a in meeting.attendees if a.user_id)
    if people:
        blocks.append(render.context(people))
    agenda = tr.gettext("*Agenda so far*") if items else tr.gettext("*Suggested agenda*")
    blocks.append(render.section(agenda + "\n" + agenda_lines(tr, meeting, items)))
    blocks += extra or []
    if late_since:
        blocks.append(render.context(late_note(tr, late_since)))
    return render.message(head, blocks)


def what_text(tr: Translator, kind: str, meeting: Meeting, occurrence: Occurrence) -> str:
    values = {
        "ref": meeting.ref,
        "title": escape(meeting.title),
        "when": tr.date(occurrence.start),
    }
    if kind == AGENDA:
        return tr.gettext("the agenda prompt for {ref} *{title}* ({when})", **values)
    return tr.gettext("the reminder for {ref} *{title}* ({when})", **values)


def meeting_composers(
    meetings: MeetingStore,
    agenda: AgendaStore,
    workspaces: Workspaces,
    features: Hooks | None = None,
) -> dict[str, Composer]:
    """Composers for the meeting posts; they read the meeting as it is when the post is due."""

    def build(kind: str) -> Composer:
        def compose(row: Delivery, now: datetime, late: bool) -> Composed | None:
            meeting = meetings.by_id(row.team_id, row.meeting_id)
            if meeting is None or meeting.cancelled:
                return None
            occurrence = meeting.occurrence(row.occurrence)
            if occurrence is None:
                return None
            tr = workspaces.channel_tr(row.team_id)  # channel posts: the workspace's language
            items = agenda.items(row.team_id, meeting.id, occurrence.key)
            late_since = row.due_at if late else None
            if kind == AGENDA:
                extra = features.agenda_blocks(tr, meeting, occurrence) if features else []
                message = agenda_prompt(tr, meeting, occurrence, items, late_since, extra)
            else:
                extra = features.reminder_blocks(tr, meeting, occurrence) if features else []
                message = reminder(tr, meeting, occurrence, items, late_since, extra)
            return Composed(
                channel_id=meeting.channel_id,
                message=message,
                owner_id=meeting.organiser_id,
                what=what_text(tr, kind, meeting, occurrence),
            )

        return compose

    return {AGENDA: build(AGENDA), REMINDER: build(REMINDER)}


def owner_notice(tr: Translator, composed: Composed, problem: str, error: str | None) -> dict:
    """The DM to a post's owner when it was missed (bot offline too long) or failed, in
    the owner's language."""
    if problem == FAILED:
        text = tr.gettext(
            ":warning: I couldn't post {what} in {channel}: Slack answered “{error}”."
            " If I'm not in that channel, type `/invite @SalesMeet` there.",
            what=composed.what,
            channel=channel(composed.channel_id),
            error=escape(error or ""),
        )
    else:
        text = tr.gettext(
            ":warning: I didn't post {what} in {channel}: SalesMeet was offline when it was"
            " due, and it was too late to be useful by the time I was back.",
            what=composed.what,
            channel=channel(composed.channel_id),
        )
    return render.message(text, [render.section(text)])
