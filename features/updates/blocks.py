"""The Block Kit of written updates: the organiser's DM about an empty agenda (and how it
reads once answered), the request in the channel, the form, the summary, and the digest's
line. No rules here (service.py); only words and layout."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot import render
from bot.i18n import Translator
from bot.mrkdwn import channel, escape, mention
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.updates.service import MAX_FIELD, UpdateForm
from features.updates.store import SKIP, Round, WrittenUpdate

SKIP_ACTION = "updates_skip"  # the organiser's DM: skip and ask for updates
KEEP_ACTION = "updates_keep"  # the organiser's DM: keep the meeting
WRITE_ACTION = "updates_write"  # the request in the channel: opens the form
UPDATE_CALLBACK = "written_update"  # the form
MAX_SECTIONS = 45  # the summary's sections, under Slack's 50 blocks a message


def _meeting(tr: Translator, meeting: Meeting, occurrence: Occurrence) -> dict[str, object]:
    return {"ref": meeting.ref, "title": escape(meeting.title), "when": tr.date(occurrence.start)}


def check_dm(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, note: str | None = None
) -> dict:
    """To the organiser: nothing on the agenda; skip it for written updates, or keep it."""
    text = tr.gettext(
        ":spiral_note_pad: Nothing on the agenda for {ref} *{title}* ({when})."
        " Skip it and ask for written updates instead?",
        **_meeting(tr, meeting, occurrence),
    )
    how = tr.gettext(
        "Skipping tells {channel} as `/salesmeet skip` does and asks each attendee for a"
        " short update (done since last time, next, blockers); the updates are posted"
        " there together at the meeting's time.",
        channel=channel(meeting.channel_id),
    )
    value = f"{meeting.number}:{occurrence.key}"
    buttons = ActionsBlock(
        block_id="updates_decide",
        elements=[
            ButtonElement(
                text=tr.gettext("Skip and ask for updates"),
                action_id=SKIP_ACTION,
                value=value,
                style="primary",
            ),
            ButtonElement(text=tr.gettext("Keep it"), action_id=KEEP_ACTION, value=value),
        ],
    )
    blocks: list[Block] = [render.section(text), render.context(how), buttons]
    if note:
        blocks.append(render.context(note))
    return render.message(text, blocks)


def decided_dm(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, round_: Round, asked: int
) -> dict:
    """The organiser's DM once answered, in place of its buttons."""
    params = _meeting(tr, meeting, occurrence)
    if round_.decision == SKIP:
        text = tr.ngettext(
            ":fast_forward: Skipped {ref} *{title}* ({when}). I asked {n} person for a written"
            " update; the updates are posted in {channel} at the meeting's time.",
            ":fast_forward: Skipped {ref} *{title}* ({when}). I asked {n} people for a written"
            " update; the updates are posted in {channel} at the meeting's time.",
            asked,
            channel=channel(round_.channel_id),
            **params,
        )
    else:
        text = tr.gettext(
            ":white_check_mark: Keeping {ref} *{title}* ({when}) as planned. Add to its agenda"
            " with `/salesmeet agenda {ref} add <text>`.",
            **params,
        )
    blocks: list[Block] = [render.section(text)]
    if round_.decided_by and round_.decided_by != meeting.organiser_id:  # a manager
        by = mention(round_.decided_by)
        blocks.append(render.context(tr.gettext("Decided by {user}.", user=by)))
    return render.message(text, blocks)


def already_decided(tr: Translator, meeting: Meeting, round_: Round) -> dict:
    """A second press, or the other button after the first: the first answer stands."""
    if round_.decision == SKIP:
        text = tr.gettext(
            "{ref} was already skipped and its attendees asked for written updates.",
            ref=meeting.ref,
        )
    else:
        text = tr.gettext("{ref} is already kept as planned.", ref=meeting.ref)
    return render.message(text, [render.section(text)])


def ask_post(
    tr: Translator,
    meeting: Meeting,
    round_: Round,
    asked: Sequence[str],
    note: str | None = None,
) -> dict:
    """In the meeting's channel: instead of meeting, a short written update from each."""
    text = tr.gettext(
        ":memo: Instead of meeting, {ref} *{title}* ({when}) runs on written updates."
        " Please write yours: what you did since last time, what comes next, and any"
        " blockers. They are posted here together at {when}.",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(round_.starts_at),
    )
    blocks: list[Block] = [render.section(text)]
    if asked:
        people = ", ".join(mention(u) for u in asked)
        blocks.append(render.context(tr.gettext("For {people}", people=people)))
    blocks.append(
        ActionsBlock(
            block_id="updates_write",
            elements=[
                ButtonElement(
                    text=tr.gettext("Write my update"),
                    action_id=WRITE_ACTION,
                    value=str(round_.id),
                    style="primary",
                )
            ],
        )
    )
    if note:
        blocks.append(render.context(note))
    return render.message(text, blocks)


def update_view(tr: Translator, form: UpdateForm) -> dict:
    """The form: done since last time, next, blockers; filled in with what they wrote."""
    mine, meeting = form.mine, form.meeting

    def field(block_id: str, label: str, value: str, optional: bool = True) -> InputBlock:
        return InputBlock(
            block_id=block_id,
            label=label,
            optional=optional,
            element=PlainTextInputElement(
                action_id="value", multiline=True, max_length=MAX_FIELD, initial_value=value or None
            ),
        )

    head = tr.gettext(
        "*{ref} {title}*, instead of the meeting at {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(form.round.starts_at),
    )
    return View(
        type="modal",
        callback_id=UPDATE_CALLBACK,
        title=tr.gettext("Written update"),
        submit=tr.gettext("Send"),
        close=tr.gettext("Cancel"),
        private_metadata=form.dump(),
        blocks=[
            render.section(head),
            field("done", tr.gettext("Done since last time"), mine.done),
            field("next", tr.gettext("Next"), mine.next_steps),
            field("blockers", tr.gettext("Blockers"), mine.blockers),
            render.context(tr.gettext("Sending again replaces your update.")),
        ],
    ).to_dict()


def thanks(tr: Translator, form: UpdateForm) -> dict:
    text = tr.gettext(
        ":white_check_mark: Thanks, your update for {ref} is in. It is posted in {channel}"
        " with the others at {when}.",
        ref=form.meeting.ref,
        channel=channel(form.round.channel_id),
        when=tr.date(form.round.starts_at),
    )
    return render.message(text, [render.section(text)])


def _update_text(tr: Translator, update: WrittenUpdate) -> str:
    lines = [f"*{mention(update.user_id)}*"]
    for label, said in (
        (tr.gettext("Done"), update.done),
        (tr.gettext("Next"), update.next_steps),
        (tr.gettext("Blockers"), update.blockers),
    ):
        if said:
            lines.append(f"• _{label}:_ {escape(' '.join(said.split()))}")
    return "\n".join(lines)


def summary(
    tr: Translator,
    meeting: Meeting,
    round_: Round,
    updates: Sequence[WrittenUpdate],
    note: str | None = None,
) -> dict:
    """In the channel at the meeting's time: every update, then who hasn't written."""
    written = [u for u in updates if u.written]
    silent = [u.user_id for u in updates if not u.written]
    text = tr.gettext(
        ":memo: Written updates for {ref} *{title}*, instead of the meeting at {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(round_.starts_at),
    )
    blocks: list[Block] = [render.section(text)]
    # Several people to a section, so a large team still fits Slack's 50 blocks.
    chunks: list[str] = []
    for update in written:
        part = _update_text(tr, update)
        if chunks and len(chunks[-1]) + len(part) + 2 <= render.SECTION_LIMIT:
            chunks[-1] += "\n\n" + part
        else:
            chunks.append(part)
    blocks += [render.section(chunk) for chunk in chunks[:MAX_SECTIONS]]
    if not written:
        blocks.append(render.section(tr.gettext("Nobody wrote an update.")))
    if silent:
        people = ", ".join(mention(u) for u in silent)
        blocks.append(render.context(tr.gettext("No update from {people}.", people=people)))
    if note:
        blocks.append(render.context(note))
    return render.message(text, blocks)


def digest_note(tr: Translator, meetings: int, hours: float) -> str:
    return tr.ngettext(
        ":memo: {n} meeting replaced by written updates: {hours} attendee-hours saved.",
        ":memo: {n} meetings replaced by written updates: {hours} attendee-hours saved.",
        meetings,
        hours=tr.number(round(hours, 1)),
    )
