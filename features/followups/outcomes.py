"""Meeting outcomes: the prompt when an occurrence ends, the form behind it, the summary
it posts, and action items (a DM to the owner on the due date, listed until done)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot import render
from bot.i18n import Translator
from bot.mrkdwn import date_token, escape, mention
from entities.agenda import AgendaItem
from entities.errors import N_
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.store import ActionItem, NewActionItem, Outcome

# Delivery kinds. An "outcome" row is keyed like the agenda prompt (meeting, occurrence).
# An "action" row is keyed (meeting_id=0, occurrence=action item id): the item's id is
# unique, and meeting_id 0 keeps the row out of the planner's per-meeting clean-ups
# (a moved or cancelled meeting must not drop the DMs of work already agreed).
OUTCOME, ACTION = "outcome", "action"

RECORD_ACTION = "record_outcome"  # the button on the prompt
OUTCOME_CALLBACK = "meeting_outcome"  # the form
ADD_ROW_ACTION = "outcome_add_row"
DONE_ACTION = "action_item_done"
ITEM_BLOCK = "action_item:"  # + the item's id: the block a Done click replaces

DEFAULT_ROWS, MAX_ROWS = 3, 10
MAX_TEXT = 3000
MAX_ACTION = 300
# Slack allows 10 options per checkbox group; agenda items are shown in groups of 10.
OPTIONS_PER_GROUP, MAX_GROUPS = 10, 5
OPTION_TEXT = 75
# Open items listed in a channel post before "…and N more".
MAX_OPEN_SHOWN = 8
# DMs about action items go out at this local time on the due date.
DUE_TIME = time(9, 0)

FORM_EXPIRED = N_("This form is out of date. Press the button on the meeting's post again.")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def due_text(tr: Translator, day: date) -> str:
    """A due date is a calendar day, the same in every zone: written, not a date token."""
    try:
        return format_date(day, format="medium", locale=tr.locale)
    except (ValueError, LookupError):
        return day.isoformat()


def action_due(day: date, tz: str, now: datetime) -> datetime:
    """When the owner's DM goes out: 09:00 in their zone on the due date, or at once when
    that has passed (an item due today, entered in the afternoon)."""
    at = datetime.combine(day, DUE_TIME, tzinfo=ZoneInfo(tz))
    return max(at, now)


# --- the prompt ------------------------------------------------------------------------


def outcome_prompt(
    tr: Translator, meeting: Meeting, occurrence: Occurrence, late_note: str | None = None
) -> dict:
    head = tr.gettext(
        ":clipboard: *{ref} {title}* ({when}) has ended. What came out of it?",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=date_token(occurrence.start),
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
                    value=f"{meeting.number}:{occurrence.key}",
                    style="primary",
                )
            ],
        ),
    ]
    if late_note:
        blocks.append(render.context(late_note))
    return render.message(head, blocks)


def recorded_prompt(tr: Translator, message_blocks: list[dict], user_id: str) -> list[dict]:
    """The prompt's blocks with a line saying who recorded the outcomes (the button stays,
    so they can be added to)."""
    note = render.context(
        tr.gettext(":white_check_mark: Outcomes recorded by {user}.", user=mention(user_id))
    ).to_dict()
    note["block_id"] = "salesmeet_outcome_recorded"
    kept = [b for b in message_blocks if b.get("block_id") != "salesmeet_outcome_recorded"]
    return [*kept, note]


# --- the form --------------------------------------------------------------------------


@dataclass(frozen=True)
class FormState:
    """What the form carries between opening and submission (private_metadata)."""

    number: int
    occurrence: int
    channel_id: str | None = None
    message_ts: str | None = None
    rows: int = DEFAULT_ROWS
    agenda: tuple[int, ...] = ()  # the agenda items offered as "discussed" checkboxes

    def dump(self) -> str:
        return json.dumps(
            {
                "number": self.number,
                "occurrence": self.occurrence,
                "channel_id": self.channel_id,
                "message_ts": self.message_ts,
                "rows": self.rows,
                "agenda": list(self.agenda),
            }
        )

    @classmethod
    def load(cls, text: str) -> FormState:
        """Raises ValueError (or KeyError/TypeError) for metadata that is not ours."""
        data = json.loads(text or "{}")
        return cls(
            number=int(data["number"]),
            occurrence=int(data["occurrence"]),
            channel_id=data.get("channel_id"),
            message_ts=data.get("message_ts"),
            rows=max(1, min(MAX_ROWS, int(data.get("rows") or DEFAULT_ROWS))),
            agenda=tuple(int(i) for i in data.get("agenda") or ()),
        )


def outcome_view(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    state: FormState,
    outcome: Outcome | None,
    agenda_items: list[AgendaItem],
    next_occurrence: Occurrence | None,
) -> dict:
    """The modal: notes, decisions, action items (text, owner, due date), and the agenda
    items discussed. `agenda_items` are those offered (not carried over already)."""
    blocks: list[Block] = [
        render.section(
            tr.gettext(
                "*{ref} {title}* on {when}",
                ref=meeting.ref,
                title=escape(meeting.title),
                when=date_token(occurrence.start),
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
    offered = agenda_items[: OPTIONS_PER_GROUP * MAX_GROUPS]
    if offered and next_occurrence is not None:
        blocks.append(
            render.context(
                tr.gettext(
                    "Tick the agenda items you discussed. Items left unticked move to the"
                    " agenda of the next meeting ({when}).",
                    when=date_token(next_occurrence.start),
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


@dataclass(frozen=True)
class ItemRow:
    index: int
    text: str
    owner_id: str | None
    due: str | None  # YYYY-MM-DD from the date picker


@dataclass(frozen=True)
class OutcomeEntry:
    notes: str
    decisions: str
    rows: list[ItemRow]
    discussed: set[int] = field(default_factory=set)


def _value(values: dict, block: str) -> dict:
    return (values.get(block) or {}).get("value") or {}


def read_outcome(view: dict, state: FormState) -> OutcomeEntry:
    """What the form held. Unknown or missing fields read as empty."""
    values = (view.get("state") or {}).get("values") or {}
    rows = []
    for i in range(state.rows):
        rows.append(
            ItemRow(
                index=i,
                text=" ".join((_value(values, f"item_{i}").get("value") or "").split()),
                owner_id=_value(values, f"owner_{i}").get("selected_user") or None,
                due=_value(values, f"due_{i}").get("selected_date") or None,
            )
        )
    discussed: set[int] = set()
    for block_id in values:
        if block_id.startswith("discussed_"):
            for option in _value(values, block_id).get("selected_options") or []:
                if str(option.get("value", "")).isdigit():
                    discussed.add(int(option["value"]))
    return OutcomeEntry(
        notes=(_value(values, "notes").get("value") or "").strip(),
        decisions=(_value(values, "decisions").get("value") or "").strip(),
        rows=rows,
        discussed=discussed,
    )


def check_outcome(
    tr: Translator, entry: OutcomeEntry, source: str, today: date
) -> tuple[list[NewActionItem], dict[str, str]]:
    """Action items ready to store, and errors by block id (Slack shows them inline)."""
    errors: dict[str, str] = {}
    items: list[NewActionItem] = []
    for row in entry.rows:
        if not row.text:
            if row.owner_id or row.due:
                errors[f"item_{row.index}"] = tr.gettext(
                    "Say what needs doing, or clear the owner and due date."
                )
            continue
        if len(row.text) > MAX_ACTION:
            errors[f"item_{row.index}"] = tr.gettext(
                "An action item can be at most {limit} characters.", limit=MAX_ACTION
            )
            continue
        if not row.owner_id:
            errors[f"owner_{row.index}"] = tr.gettext("Pick who owns this action item.")
        due: date | None = None
        if not row.due:
            errors[f"due_{row.index}"] = tr.gettext("Pick a due date.")
        else:
            try:
                due = date.fromisoformat(row.due)
            except ValueError:
                errors[f"due_{row.index}"] = tr.gettext("Pick a due date.")
            else:
                if due < today:
                    errors[f"due_{row.index}"] = tr.gettext(
                        "That day has passed. Pick today or a later day."
                    )
        if row.owner_id and due and f"due_{row.index}" not in errors:
            items.append(NewActionItem(row.text, row.owner_id, due, f"{source}:{row.index}"))
    if len(entry.notes) > MAX_TEXT:
        errors["notes"] = tr.gettext("Notes can be at most {limit} characters.", limit=MAX_TEXT)
    if len(entry.decisions) > MAX_TEXT:
        errors["decisions"] = tr.gettext(
            "Decisions can be at most {limit} characters.", limit=MAX_TEXT
        )
    return items, errors


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
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence,
    user_id: str,
    outcome: Outcome,
    items: list[ActionItem],
    carried: list[str],
    next_occurrence: Occurrence | None,
) -> dict:
    """The channel post after the form is saved: everything that came out of the meeting."""
    head = tr.gettext(
        ":clipboard: *Outcomes of {ref} {title}* on {when}, recorded by {user}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=date_token(occurrence.start),
        user=mention(user_id),
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
            when=date_token(next_occurrence.start),
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
                    "Agreed at the meeting on {when}; recorded by {user}.",
                    when=date_token(occurrence.start),
                    user=mention(item.created_by),
                )
            )
        )
    return render.message(head, blocks)
