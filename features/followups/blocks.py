"""The Block Kit of followups: RSVP counts and buttons, the outcome prompt, form and
summary, action items with their Done buttons, what it adds to App Home, and the answers
to `/salesmeet export` and `rsvp`. No rules here (service.py); only words and layout."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot import render
from bot.hooks import HomeEntry
from bot.i18n import Translator
from bot.meeting_posts import late_note
from bot.mrkdwn import escape, mention
from entities.errors import N_
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.service import (
    MAX_ACTION,
    MAX_ROWS,
    MAX_TEXT,
    Answers,
    CostExport,
    OutcomeForm,
    PromptNow,
    Rated,
    Recorded,
    button_value,
    invitees,
    waiting_for,
)
from features.followups.store import GOING, NOT_GOING, ActionItem, Outcome, WorthCount

GOING_ACTION = "rsvp_going"
NOT_GOING_ACTION = "rsvp_not_going"
WHO_ACTION = "rsvp_who"
ANSWER_OF_ACTION = {GOING_ACTION: GOING, NOT_GOING_ACTION: NOT_GOING}
# The blocks a click replaces in place (chat.update); block ids are unique per message.
COUNTS_BLOCK = "salesmeet_rsvp_counts"
BUTTONS_BLOCK = "salesmeet_rsvp_buttons"
# Names shown per answer before "and N more"; keeps the context block far below 3000 chars.
MAX_NAMES = 15

RECORD_ACTION = "record_outcome"  # the button on the prompt
OUTCOME_CALLBACK = "meeting_outcome"  # the form
ADD_ROW_ACTION = "outcome_add_row"
# "Worth the time?" on the outcome prompt: the answer of each button, and its blocks.
WORTH_ACTION, NOT_WORTH_ACTION = "worth_yes", "worth_no"
WORTH_OF_ACTION = {WORTH_ACTION: True, NOT_WORTH_ACTION: False}
WORTH_COUNTS_BLOCK = "salesmeet_worth_counts"
WORTH_BUTTONS_BLOCK = "salesmeet_worth_buttons"
RECORDED_BLOCK = "salesmeet_outcome_recorded"
DONE_ACTION = "action_item_done"
ITEM_BLOCK = "action_item:"  # + the item's id: the block a Done click replaces
# Slack allows 10 options per checkbox group; agenda items are shown in groups of 10.
OPTIONS_PER_GROUP, MAX_GROUPS = 10, 5
OPTION_TEXT = 75
# Open items listed in a channel post before "…and N more".
MAX_OPEN_SHOWN = 8

HOURS_BLOCK = "home_hours"  # another feature's App Home block with this id replaces ours
BAR_WIDTH = 10


# --- words and numbers ----------------------------------------------------------------------


def due_text(tr: Translator, day: date) -> str:
    """A due date is a calendar day, the same in every zone: written, not a date token."""
    try:
        return format_date(day, format="medium", locale=tr.locale)
    except (ValueError, LookupError):
        return day.isoformat()


def period_text(tr: Translator, start: datetime, end: datetime, tz: str) -> str:
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date()
    last = (end.astimezone(zone) - timedelta(days=1)).date()
    return tr.gettext("{start} to {end}", start=due_text(tr, first), end=due_text(tr, last))


def money(tr: Translator, amount: float, currency: str) -> str:
    try:
        return format_currency(amount, currency, locale=tr.locale)
    except (ValueError, LookupError):
        return f"{amount:.2f} {currency}"


def decimal(tr: Translator, value: float) -> str:
    try:
        return format_decimal(round(value, 1), locale=tr.locale)
    except (ValueError, LookupError):
        return f"{value:.1f}"


# --- RSVP -------------------------------------------------------------------------------------


def people(tr: Translator, users: list[str]) -> str:
    shown = ", ".join(mention(u) for u in users[:MAX_NAMES])
    if len(users) > MAX_NAMES:
        return tr.gettext("{people} and {more} more", people=shown, more=len(users) - MAX_NAMES)
    return shown


def counts_text(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, answers: dict[str, str]
) -> str:
    going = [u for u, a in answers.items() if a == GOING]
    not_going = [u for u, a in answers.items() if a == NOT_GOING]
    line = tr.gettext(
        "*Going {when}?* :white_check_mark: {going} going · :x: {not_going} not going"
        " · :grey_question: {waiting} not answered yet",
        when=tr.date(occurrence.start),
        going=len(going),
        not_going=len(not_going),
        waiting=len(waiting_for(meeting, answers)),
    )
    lines = [line]
    if going:
        lines.append(tr.gettext("Going: {people}", people=people(tr, going)))
    if not_going:
        lines.append(tr.gettext("Not going: {people}", people=people(tr, not_going)))
    return "\n".join(lines)


def counts_block(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, answers: dict[str, str]
) -> ContextBlock:
    return ContextBlock(
        block_id=COUNTS_BLOCK,
        elements=[MarkdownTextObject(text=counts_text(tr, meeting, occurrence, answers))],
    )


def rsvp_blocks(
    tr: Translator, meeting: Meeting, occurrence: Occurrence | None, answers: dict[str, str]
) -> list[Block]:
    """The counts and the buttons, for an announcement or a reminder."""
    if occurrence is None or meeting.cancelled:
        return []
    value = button_value(meeting, occurrence)
    buttons = ActionsBlock(
        block_id=BUTTONS_BLOCK,
        elements=[
            ButtonElement(
                text=tr.gettext("Going"), action_id=GOING_ACTION, value=value, style="primary"
            ),
            ButtonElement(text=tr.gettext("Not going"), action_id=NOT_GOING_ACTION, value=value),
            ButtonElement(
                text=tr.gettext("Who hasn't answered?"), action_id=WHO_ACTION, value=value
            ),
        ],
    )
    return [counts_block(tr, meeting, occurrence, answers), buttons]


def replace_counts(message_blocks: list[dict], counts: ContextBlock) -> list[dict] | None:
    """The message's blocks with the counts block swapped for a fresh one; None when the
    message has no counts block (nothing of ours to update)."""
    fresh = counts.to_dict()
    replaced = False
    blocks = []
    for block in message_blocks:
        if block.get("block_id") == COUNTS_BLOCK:
            blocks.append(fresh)
            replaced = True
        else:
            blocks.append(block)
    return blocks if replaced else None


def rsvp_summary(tr: Translator, found: Answers) -> dict:
    """For the organiser: who is going, who is not, and who hasn't answered yet."""
    meeting, occurrence, answers = found.meeting, found.occurrence, found.answers
    head = tr.gettext(
        "*Answers for {ref} {title}*, {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
    )
    blocks: list[Block] = [render.section(head)]
    waiting = waiting_for(meeting, answers)
    if not invitees(meeting):
        blocks.append(
            render.section(tr.gettext("Nobody is invited by name, so there is nobody to wait for."))
        )
    elif waiting:
        blocks.append(
            render.section(
                tr.gettext(
                    ":grey_question: Not answered yet: {people}",
                    people=", ".join(mention(u) for u in waiting),
                )
            )
        )
    else:
        blocks.append(render.section(tr.gettext(":tada: Everyone invited has answered.")))
    going = [u for u, a in answers.items() if a == GOING]
    not_going = [u for u, a in answers.items() if a == NOT_GOING]
    if going:
        blocks.append(
            render.context(
                tr.gettext(
                    ":white_check_mark: Going: {people}",
                    people=", ".join(mention(u) for u in going),
                )
            )
        )
    if not_going:
        blocks.append(
            render.context(
                tr.gettext(
                    ":x: Not going: {people}", people=", ".join(mention(u) for u in not_going)
                )
            )
        )
    return render.message(head, blocks)


# --- outcomes ---------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def outcome_prompt(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    late_note: str | None = None,
    worth: WorthCount | None = None,
) -> dict:
    head = tr.gettext(
        ":clipboard: *{ref} {title}* ({when}) has ended. What came out of it?",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
    )
    ask = tr.gettext(
        "{organiser} Record the notes, decisions and action items, each with an owner and"
        " a due date, so nothing gets lost. Owners get a reminder on the due date.",
        organiser=mention(meeting.organiser_id),
    )
    blocks: list[Block] = [
        render.section(head),
        render.section(ask),
        ActionsBlock(
            block_id="salesmeet_outcome",
            elements=[
                ButtonElement(
                    text=tr.gettext("Record outcomes"),
                    action_id=RECORD_ACTION,
                    value=button_value(meeting, occurrence),
                    style="primary",
                )
            ],
        ),
        *worth_blocks(tr, meeting, occurrence, worth or WorthCount()),
    ]
    if late_note:
        blocks.append(render.context(late_note))
    return render.message(head, blocks)


def worth_blocks(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, worth: WorthCount
) -> list[Block]:
    """The question "Worth the time?" with its counts (never names) and two buttons."""
    value = button_value(meeting, occurrence)
    counts = tr.gettext(
        "*Worth the time?* :+1: {worth} · :-1: {not_worth}",
        worth=worth.worth,
        not_worth=worth.not_worth,
    )
    promise = tr.gettext(
        "Attendees, one tap each. Anonymous: only the counts are shown, never who answered what."
    )
    return [
        SectionBlock(block_id=WORTH_COUNTS_BLOCK, text=MarkdownTextObject(text=counts)),
        ContextBlock(elements=[MarkdownTextObject(text=promise)]),
        ActionsBlock(
            block_id=WORTH_BUTTONS_BLOCK,
            elements=[
                ButtonElement(
                    text=tr.gettext(":+1: Worth it"), action_id=WORTH_ACTION, value=value
                ),
                ButtonElement(
                    text=tr.gettext(":-1: Not worth it"), action_id=NOT_WORTH_ACTION, value=value
                ),
            ],
        ),
    ]


def prompt_as_now(tr: Translator, meeting: Meeting, occurrence: Occurrence, now: PromptNow):
    """The whole prompt rebuilt from what is stored (its late note, the counts, who
    recorded the outcomes), so an edit never takes blocks from a payload."""
    late = late_note(tr, now.late_since) if now.late_since else None
    prompt = outcome_prompt(tr, meeting, occurrence, late, now.worth)
    if now.recorded_by:
        prompt["blocks"] = recorded_prompt(tr, prompt["blocks"], now.recorded_by)
    return prompt


def worth_answered(tr: Translator, rated: Rated) -> dict:
    """For the person who tapped only: what they answered, that nobody sees it, and
    until when they can change it."""
    meeting, occurrence = rated.meeting, rated.occurrence
    said = (
        N_("You answered :+1: *worth the time* for {ref} *{title}* ({when}).")
        if rated.worth
        else N_("You answered :-1: *not worth the time* for {ref} *{title}* ({when}).")
    )
    head = tr.gettext(
        said, ref=meeting.ref, title=escape(meeting.title), when=tr.date(occurrence.start)
    )
    anonymous = tr.gettext(
        ":lock: Your answer is anonymous: the organiser and managers see only the counts,"
        " never who answered what. You can change it until {closes}.",
        closes=tr.date(rated.closes),
    )
    return render.message(head, [render.section(head), render.context(anonymous)])


def recorded_prompt(tr: Translator, message_blocks: list[dict], user_id: str) -> list[dict]:
    """The prompt's blocks with a line saying who recorded the outcomes (the button stays,
    so they can be added to)."""
    note = render.context(
        tr.gettext(":white_check_mark: Outcomes recorded by {user}.", user=mention(user_id))
    ).to_dict()
    note["block_id"] = RECORDED_BLOCK
    kept = [b for b in message_blocks if b.get("block_id") != RECORDED_BLOCK]
    return [*kept, note]


def outcome_view(tr: Translator, form: OutcomeForm) -> dict:
    """The modal: notes, decisions, action items (text, owner, due date), and the agenda
    items discussed (those not carried over already)."""
    meeting, occurrence, state, outcome = form.meeting, form.occurrence, form.state, form.outcome
    blocks: list[Block] = [
        render.section(
            tr.gettext(
                "*{ref} {title}*, {when}",
                ref=meeting.ref,
                title=escape(meeting.title),
                when=tr.date(occurrence.start),
            )
        ),
        InputBlock(
            block_id="notes",
            label=tr.gettext("Notes"),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=MAX_TEXT,
                initial_value=(outcome.notes if outcome and outcome.notes else None),
            ),
        ),
        InputBlock(
            block_id="decisions",
            label=tr.gettext("Decisions"),
            hint=tr.gettext("One decision per line."),
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=MAX_TEXT,
                initial_value=(outcome.decisions if outcome and outcome.decisions else None),
            ),
        ),
        render.section(tr.gettext("*Action items*")),
        render.context(
            tr.gettext(
                "Each action item needs an owner and a due date. The owner gets a DM on"
                " the due date, and open items are listed at the next meeting until done."
            )
        ),
    ]
    for i in range(state.rows):
        blocks += [
            InputBlock(
                block_id=f"item_{i}",
                label=tr.gettext("Action item {n}", n=i + 1),
                optional=True,
                element=PlainTextInputElement(action_id="value", max_length=MAX_ACTION),
            ),
            InputBlock(
                block_id=f"owner_{i}",
                label=tr.gettext("Owner"),
                optional=True,
                element=UserSelectElement(action_id="value"),
            ),
            InputBlock(
                block_id=f"due_{i}",
                label=tr.gettext("Due date"),
                optional=True,
                element=DatePickerElement(action_id="value"),
            ),
        ]
    if state.rows < MAX_ROWS:
        blocks.append(
            ActionsBlock(
                block_id="more_rows",
                elements=[
                    ButtonElement(
                        text=tr.gettext("Add another action item"), action_id=ADD_ROW_ACTION
                    )
                ],
            )
        )
    offered = form.offered[: OPTIONS_PER_GROUP * MAX_GROUPS]
    if offered and form.next_occurrence is not None:
        blocks.append(
            render.context(
                tr.gettext(
                    "Tick the agenda items you discussed. Items left unticked move to the"
                    " agenda of the next meeting ({when}).",
                    when=tr.date(form.next_occurrence.start),
                )
            )
        )
        for g in range(0, len(offered), OPTIONS_PER_GROUP):
            group = offered[g : g + OPTIONS_PER_GROUP]
            blocks.append(
                InputBlock(
                    block_id=f"discussed_{g // OPTIONS_PER_GROUP}",
                    label=tr.gettext("Agenda items discussed"),
                    optional=True,
                    element=CheckboxesElement(
                        action_id="value",
                        options=[
                            Option(value=str(item.id), text=_short(item.text, OPTION_TEXT))
                            for item in group
                        ],
                    ),
                )
            )
    return View(
        type="modal",
        callback_id=OUTCOME_CALLBACK,
        title=tr.gettext("Meeting outcomes"),
        submit=tr.gettext("Save"),
        close=tr.gettext("Cancel"),
        private_metadata=state.dump(),
        blocks=blocks,
    ).to_dict()


def decisions_list(text: str) -> list[str]:
    return [line.strip(" •-*\t") for line in text.splitlines() if line.strip(" •-*\t")]


def item_line(tr: Translator, item: ActionItem) -> str:
    return tr.gettext(
        "{item}: {owner}, due {due}",
        item=escape(item.text),
        owner=mention(item.owner_id),
        due=due_text(tr, item.due_on),
    )


def outcome_summary(
    tr: Translator, recorded: Recorded, outcome: Outcome, items: list[ActionItem]
) -> dict:
    """The channel post after the form is saved: everything that came out of the meeting."""
    meeting, occurrence, next_occurrence = (
        recorded.meeting,
        recorded.occurrence,
        recorded.next_occurrence,
    )
    carried = recorded.carried
    head = tr.gettext(
        ":clipboard: *Outcomes of {ref} {title}* ({when}), recorded by {user}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
        user=mention(recorded.user_id),
    )
    blocks: list[Block] = [render.section(head)]
    if outcome.notes:
        blocks.append(render.section(tr.gettext("*Notes*") + "\n" + escape(outcome.notes)))
    decisions = decisions_list(outcome.decisions)
    if decisions:
        lines = "\n".join(f"• {escape(d)}" for d in decisions)
        blocks.append(render.section(tr.gettext("*Decisions*") + "\n" + lines))
    if items:
        lines = "\n".join(f"• {item_line(tr, item)}" for item in items)
        blocks.append(render.section(tr.gettext("*Action items*") + "\n" + lines))
    if carried and next_occurrence is not None:
        heading = tr.gettext(
            "*Moved to the agenda of the next meeting ({when})*",
            when=tr.date(next_occurrence.start),
        )
        lines = "\n".join(f"• {escape(text)}" for text in carried)
        blocks.append(render.section(heading + "\n" + lines))
    if len(blocks) == 1:
        blocks.append(render.context(tr.gettext("Nothing was written down this time.")))
    return render.message(head, blocks)


# --- action items ----------------------------------------------------------------------


def done_button(tr: Translator, item: ActionItem) -> ButtonElement:
    return ButtonElement(text=tr.gettext("Done"), action_id=DONE_ACTION, value=str(item.id))


def open_item_block(tr: Translator, item: ActionItem, today: date | None = None) -> SectionBlock:
    if today is not None and item.due_on < today:
        line = tr.gettext(
            "{item}: {owner}, due {due} (:warning: overdue)",
            item=escape(item.text),
            owner=mention(item.owner_id),
            due=due_text(tr, item.due_on),
        )
    else:
        line = item_line(tr, item)
    text = "• " + line
    return SectionBlock(
        block_id=f"{ITEM_BLOCK}{item.id}",
        text=MarkdownTextObject(text=text[: render.SECTION_LIMIT]),
        accessory=done_button(tr, item),
    )


def done_item_block(tr: Translator, item: ActionItem, user_id: str) -> dict:
    text = tr.gettext(
        ":white_check_mark: ~{item}~ done, marked by {user}",
        item=escape(item.text),
        user=mention(user_id),
    )
    block = render.section(text).to_dict()
    block["block_id"] = f"{ITEM_BLOCK}{item.id}"
    return block


def open_items_blocks(
    tr: Translator, items: list[ActionItem], today: date | None = None
) -> list[Block]:
    """Open action items with a Done button each, at most MAX_OPEN_SHOWN of them."""
    if not items:
        return []
    blocks: list[Block] = [
        SectionBlock(
            block_id="salesmeet_open_items",
            text=MarkdownTextObject(text=tr.gettext("*Open action items from earlier meetings*")),
        )
    ]
    blocks += [open_item_block(tr, item, today) for item in items[:MAX_OPEN_SHOWN]]
    if len(items) > MAX_OPEN_SHOWN:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=tr.gettext("…and {more} more.", more=len(items) - MAX_OPEN_SHOWN)
                    )
                ]
            )
        )
    return blocks


def replace_item_block(message_blocks: list[dict], item_id: int, new: dict) -> list[dict] | None:
    """The message's blocks with this item's block replaced; None when it has none."""
    wanted = f"{ITEM_BLOCK}{item_id}"
    if not any(b.get("block_id") == wanted for b in message_blocks):
        return None
    return [new if b.get("block_id") == wanted else b for b in message_blocks]


def action_dm(
    tr: Translator, item: ActionItem, meeting: Meeting, occurrence: Occurrence | None
) -> dict:
    """The owner's DM on the due date, with a Done button."""
    head = tr.gettext(
        ":pushpin: Your action item from {ref} *{title}* is due today: {item}",
        ref=meeting.ref,
        title=escape(meeting.title),
        item=escape(item.text),
    )
    blocks: list[Block] = [
        SectionBlock(
            block_id=f"{ITEM_BLOCK}{item.id}",
            text=MarkdownTextObject(text=head[: render.SECTION_LIMIT]),
            accessory=done_button(tr, item),
        )
    ]
    if occurrence is not None:
        blocks.append(
            render.context(
                tr.gettext(
                    "Agreed at the meeting ({when}); recorded by {user}.",
                    when=tr.date(occurrence.start),
                    user=mention(item.created_by),
                )
            )
        )
    return render.message(head, blocks)


# --- App Home ---------------------------------------------------------------------------------


def hours_block(tr: Translator, hours: float, limit: float) -> SectionBlock:
    if hours <= 0:
        text = tr.gettext(
            ":stopwatch: *Your meeting hours this week:* none yet, against a limit of"
            " {limit} hours.",
            limit=decimal(tr, limit),
        )
    else:
        share = hours / limit if limit > 0 else 1.0
        filled = min(BAR_WIDTH, round(share * BAR_WIDTH))
        bar = "▰" * filled + "▱" * (BAR_WIDTH - filled)
        text = tr.gettext(
            ":stopwatch: *Your meeting hours this week:* {hours} of {limit} hours ({percent}%)",
            hours=decimal(tr, hours),
            limit=decimal(tr, limit),
            percent=round(share * 100),
        )
        text += "\n" + bar
        if hours > limit:
            text += "\n" + tr.gettext(
                ":warning: That is {over} hours over the limit: every hour in a meeting is an"
                " hour not selling. Could one of them be an email?",
                over=decimal(tr, hours - limit),
            )
    return SectionBlock(block_id=HOURS_BLOCK, text=MarkdownTextObject(text=text))


def answer_text(tr: Translator, answer: str | None) -> str:
    if answer == GOING:
        return tr.gettext("Your answer: :white_check_mark: going")
    if answer == NOT_GOING:
        return tr.gettext("Your answer: :x: not going")
    return tr.gettext("Your answer: :grey_question: not answered yet")


def home_entries(
    tr: Translator, pairs: list[tuple[Meeting, Occurrence]], answers: dict[tuple[int, int], str]
) -> dict[tuple[int, int], HomeEntry]:
    """On each of my meetings on App Home: my answer, and Going / Not going (the one I
    gave stands out)."""
    entries = {}
    for meeting, occurrence in pairs:
        answer = answers.get((meeting.id, occurrence.key))
        value = button_value(meeting, occurrence)
        buttons = [
            ButtonElement(
                text=tr.gettext("Going"),
                action_id=GOING_ACTION,
                value=value,
                style="primary" if answer == GOING else None,
            ),
            ButtonElement(
                text=tr.gettext("Not going"),
                action_id=NOT_GOING_ACTION,
                value=value,
                style="danger" if answer == NOT_GOING else None,
            ),
        ]
        entries[(meeting.id, occurrence.key)] = HomeEntry([answer_text(tr, answer)], buttons)
    return entries


def home_items(tr: Translator, items: list[ActionItem], total: int, today: date) -> list[Block]:
    """My open action items on App Home, each with a Done button, and how many more."""
    if not items:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        render.section(tr.gettext("*Your open action items*")),
        *[open_item_block(tr, item, today) for item in items],
    ]
    if total > len(items):
        blocks.append(render.context(tr.gettext("…and {more} more.", more=total - len(items))))
    return blocks


# --- exports -----------------------------------------------------------------------------------


def _said(text: str) -> dict:
    return render.message(text, [render.section(text)])


def calendar_title(tr: Translator) -> str:
    return tr.gettext("SalesMeet meetings")


def costs_title(tr: Translator) -> str:
    return tr.gettext("SalesMeet meeting costs")


def no_calendar(tr: Translator) -> dict:
    return _said(
        tr.gettext(
            "You have no upcoming meetings, so there is nothing to put in a calendar file yet."
        )
    )


def calendar_intro(tr: Translator, n: int) -> dict:
    return _said(
        tr.ngettext(
            ":calendar: Your SalesMeet calendar: {n} upcoming meeting. Open the file below to"
            " add it to Google Calendar, Outlook or Apple Calendar.",
            ":calendar: Your SalesMeet calendar: {n} upcoming meetings. Open the file below to"
            " add them to Google Calendar, Outlook or Apple Calendar.",
            n,
        )
    )


def calendar_sent(tr: Translator, n: int) -> dict:
    return _said(
        tr.ngettext(
            "I've sent you a calendar file with {n} meeting in a direct message.",
            "I've sent you a calendar file with {n} meetings in a direct message.",
            n,
        )
    )


def no_costs(tr: Translator, export: CostExport) -> dict:
    return _said(
        tr.gettext(
            "There are no meetings from {period}, so there is nothing to export.",
            period=period_text(tr, export.start, export.end, export.tz),
        )
    )


def costs_intro(tr: Translator, export: CostExport) -> dict:
    totals = export.totals
    assert totals is not None
    return _said(
        tr.ngettext(
            ":bar_chart: Meeting costs from {period}: {n} meeting, {hours} person-hours,"
            " about {cost}. The spreadsheet below has one row per meeting.",
            ":bar_chart: Meeting costs from {period}: {n} meetings, {hours} person-hours,"
            " about {cost}. The spreadsheet below has one row per meeting.",
            totals.occurrences,
            period=period_text(tr, export.start, export.end, export.tz),
            hours=decimal(tr, totals.person_hours),
            cost=money(tr, totals.cost, export.currency),
        )
    )


def costs_sent(tr: Translator, export: CostExport) -> dict:
    return _said(
        tr.gettext(
            "I've sent you the meeting cost spreadsheet from {period} in a direct message.",
            period=period_text(tr, export.start, export.end, export.tz),
        )
    )
