"""Block Kit for every message SalesMeet sends about meetings (one renderer per thing).

Every builder takes the reader's Translator and returns a message dict with a
plain `text` fallback (notifications, screen readers) and `blocks`.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.mrkdwn import channel, escape, escape_params, mention
from entities.errors import N_, UserError
from entities.meetings import (
    LENGTH,
    PEOPLE,
    POSTS,
    PURPOSE,
    REPEATS,
    TIME,
    TITLE,
    VENUE,
    Meeting,
    weeks_apart,
)
from entities.notices import ChangeNotice
from entities.recurrence import Occurrence

MAX_BLOCKS = 50  # Slack's limit per message
BUTTON_VALUE_LIMIT = 2000  # characters in a button's value
BUTTON_TEXT_LIMIT = 75
SECTION_LIMIT = 3000  # characters in one section's text

PURPOSE_LABELS = {
    "motivation": N_("Motivation & recognition"),
    "product": N_("Product update"),
    "challenges": N_("Challenges"),
    "shortfall": N_("Sales shortfall"),
    "strategy": N_("Strategy"),
    "customer": N_("Customer presentation"),
    "general": N_("General"),
}
FORMAT_LABELS = {
    "in-person": N_("In person"),
    "one-on-one": N_("One-on-one"),
    "call": N_("Conference call"),
    "video": N_("Video call"),
}


def message(text: str, blocks: list[Block]) -> dict:
    if len(blocks) > MAX_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks is over Slack's limit of {MAX_BLOCKS}")
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}


def section(text: str) -> SectionBlock:
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return SectionBlock(text=MarkdownTextObject(text=text))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def purpose_label(tr: Translator, purpose: str) -> str:
    return tr.gettext(PURPOSE_LABELS.get(purpose, PURPOSE_LABELS["general"]))


def venue_text(tr: Translator, meeting: Meeting) -> str:
    venue = meeting.venue
    if venue.link:
        safe = escape(venue.link.replace("|", "%7C"))
        return f"<{safe}|{escape(venue.service or tr.gettext(FORMAT_LABELS['video']))}>"
    if venue.format:
        return tr.gettext(FORMAT_LABELS[venue.format])
    return tr.gettext("Format not set")


def attendee_text(tr: Translator, meeting: Meeting) -> str:
    if not meeting.attendees:
        return tr.gettext("No attendees yet")
    names = [
        mention(a.user_id)
        if a.user_id
        else tr.gettext("{name} (guest)", name=escape(a.guest or ""))
        for a in meeting.attendees
    ]
    return ", ".join(names)


def when_text(tr: Translator, meeting: Meeting, occurrence: Occurrence | None = None) -> str:
    start = occurrence.start if occurrence else meeting.starts_at
    return tr.gettext(
        "{start} for {duration}", start=tr.date(start), duration=tr.duration(meeting.duration)
    )


_WEEKDAYS = {
    "MO": N_("Monday"),
    "TU": N_("Tuesday"),
    "WE": N_("Wednesday"),
    "TH": N_("Thursday"),
    "FR": N_("Friday"),
    "SA": N_("Saturday"),
    "SU": N_("Sunday"),
}


def repeat_text(tr: Translator, meeting: Meeting) -> str:
    """A series' rule in words: "every 2 weeks on Monday, Wednesday; 10 times"."""
    parts = dict(p.split("=", 1) for p in (meeting.rrule or "").split(";") if "=" in p)
    freq, interval = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1"))
    days = [d.lstrip("+-0123456789") for d in parts.get("BYDAY", "").split(",") if d]
    if freq == "DAILY":
        rule = tr.ngettext("every day", "every {n} days", interval)
    elif freq == "MONTHLY":
        rule = tr.ngettext("every month", "every {n} months", interval)
    elif days == ["MO", "TU", "WE", "TH", "FR"]:
        rule = tr.gettext("every weekday")
    elif len(days) > 1:
        names = ", ".join(tr.gettext(_WEEKDAYS[d]) for d in days if d in _WEEKDAYS)
        rule = tr.ngettext(
            "every week on {days}", "every {n} weeks on {days}", interval, days=names
        )
    else:
        rule = tr.ngettext("every week", "every {n} weeks", interval)
    if "COUNT" in parts:
        return tr.ngettext("{rule}, {n} time", "{rule}, {n} times", int(parts["COUNT"]), rule=rule)
    if "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        return tr.gettext(
            "{rule} until {day}", rule=rule, day=f"{until[:4]}-{until[4:6]}-{until[6:8]}"
        )
    return rule


def kind_text(tr: Translator, meeting: Meeting) -> str:
    return tr.gettext("Customer-facing") if meeting.customer_facing else tr.gettext("Internal")


def summary_line(tr: Translator, meeting: Meeting, occurrence: Occurrence | None = None) -> str:
    """One meeting on one line: number, title, (next) time, type, format."""
    line = tr.gettext(
        "*{ref} {title}* · {when} · {purpose} · {venue}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=when_text(tr, meeting, occurrence),
        purpose=purpose_label(tr, meeting.purpose),
        venue=venue_text(tr, meeting),
    )
    if meeting.is_series:
        line += " · " + tr.gettext(":repeat: {rule}", rule=repeat_text(tr, meeting))
    return line


def details_text(tr: Translator, meeting: Meeting, occurrence: Occurrence | None = None) -> str:
    text = tr.gettext(
        "*When:* {when}\n*Type:* {purpose} ({kind})\n*Format:* {venue}\n"
        "*Organiser:* {organiser}\n*Channel:* {channel}\n*Attendees:* {attendees}",
        when=when_text(tr, meeting, occurrence),
        purpose=purpose_label(tr, meeting.purpose),
        kind=kind_text(tr, meeting),
        venue=venue_text(tr, meeting),
        organiser=mention(meeting.organiser_id),
        channel=channel(meeting.channel_id),
        attendees=attendee_text(tr, meeting),
    )
    if meeting.is_series:
        text += "\n" + tr.gettext("*Repeats:* {rule}", rule=repeat_text(tr, meeting))
    return text


def error(tr: Translator, err: UserError) -> dict:
    """An ephemeral error: user text echoed in it is escaped (modals show plain text and
    use `tr.error` as it is)."""
    text = tr.gettext(err.message, **escape_params(tr.localised(err.params)))
    return message(text, [section(":warning: " + text)])


def help_message(tr: Translator, feature_lines: Sequence[str] = ()) -> dict:
    text = tr.gettext(
        "*SalesMeet: fewer, better sales meetings*\n"
        "`/salesmeet` opens the scheduling form.\n"
        '`/salesmeet schedule "<title>" <when> [for <duration>] [with <attendees>]'
        " [type <purpose>] [via <format or link>]`\n"
        "`/salesmeet list [mine] [page <n>]` shows upcoming meetings, 20 a page.\n"
        "`/salesmeet show #<id>` shows one meeting.\n"
        "`/salesmeet cancel #<id>` cancels a meeting or ends a series (organiser or manager).\n"
        "`/salesmeet agenda #<id> [add <text>]` shows or adds to the next agenda.\n"
        "`/salesmeet skip #<id> <date>` skips one occurrence of a series.\n"
        "`/salesmeet move #<id> <when>` reschedules; for a series,"
        " `move #<id> <date> to <when>`.\n"
        "`/salesmeet edit #<id> [for <duration>] [with +@a -@b] [via <link>] ...` changes a"
        " meeting; without clauses it opens the form.\n"
        "`/salesmeet language [ms|hi|en]` shows or sets the language you read SalesMeet in.\n"
        "`/salesmeet help` shows this."
    )
    words = tr.gettext(
        "Commands are typed in English (`schedule`, `list`, `for`, `with` ...); times and"
        " lengths can also be written in Bahasa Melayu or Hindi: `esok 3 petang`,"
        " `कल दोपहर 3 बजे`."
    )
    details = tr.gettext(
        "*When:* `tomorrow 3pm`, `fri 9:30`, `next tuesday 10am`, `Dec 3 14:00`,"
        " `in 2 hours`, read in your own time zone.\n"
        "*Duration:* `45m`, `1h`, `1h30`, `90 minutes` (default 30 minutes, at most 8 hours).\n"
        "*Attendees:* @mentions or teammates' names, and customers by email"
        " (`Jane Doe <jane@acme.com>`).\n"
        "*Type:* motivation, product, challenges, shortfall, strategy, customer, general.\n"
        "*Via:* in-person, one-on-one, call, video, or a Zoom, Meet, Teams or Webex link.\n"
        "*Every:* `every week`, `every weekday`, `every 2 weeks`, `every month`,"
        " `every mon, wed`, with `until <date>` or `<n> times`.\n"
        "*Agenda / reminder:* `agenda 2h`, `reminder 30m` change when the agenda prompt"
        " (default 24 hours before) and the reminder (15 minutes before) go out."
    )
    more = [tr.gettext(line) for line in feature_lines]
    example = tr.gettext(
        'Example: `/salesmeet schedule "Q4 pipeline review" tomorrow 3pm for 45m'
        " with @maya, jane@acme.com type strategy via https://zoom.us/j/123`"
    )
    # The reference shows `<title>` and the like: escaped, or Slack would read them as markup.
    blocks: list[Block] = [section(escape(text))]
    if more:
        blocks.append(section(escape("\n".join(more))))
    blocks += [section(escape(details)), context(escape(example)), context(escape(words))]
    return message(text, blocks)


# The buttons under a booking's confirmation.
EDIT_ACTION = "edit_meeting"
UNDO_ACTION = "undo_schedule"


def confirmation(
    tr: Translator,
    meeting: Meeting,
    repeat: bool,
    notes: list[str],
    occurrence: Occurrence | None = None,
    posted: bool = True,
) -> dict:
    """The organiser's short confirmation: where it was posted, when and with whom, and
    Edit and Undo; the channel has the full announcement."""
    if repeat:
        head = tr.gettext(
            "You already scheduled this a moment ago, so I kept that one: meeting {ref}.",
            ref=meeting.ref,
        )
    elif posted:
        head = tr.gettext(
            ":white_check_mark: Scheduled meeting {ref} *{title}*, posted in {channel}.",
            ref=meeting.ref,
            title=escape(meeting.title),
            channel=channel(meeting.channel_id),
        )
    else:
        head = tr.gettext(
            ":white_check_mark: Scheduled meeting {ref} *{title}*.",
            ref=meeting.ref,
            title=escape(meeting.title),
        )
    summary = tr.gettext(
        "{when} · {attendees}",
        when=when_text(tr, meeting, occurrence),
        attendees=attendee_text(tr, meeting),
    )
    if meeting.is_series:
        summary += " · " + repeat_text(tr, meeting)
    blocks: list[Block] = [section(head), context(summary)]
    blocks += [context(note) for note in notes]
    if not repeat:
        blocks.append(change_buttons(tr, meeting, undo=True))
    return message(head, blocks)


def change_buttons(tr: Translator, meeting: Meeting, undo: bool = False) -> ActionsBlock:
    """Edit (the form, filled in) and, just after booking, Undo (cancels it, after asking)."""
    buttons = [
        ButtonElement(text=tr.gettext("Edit"), action_id=EDIT_ACTION, value=str(meeting.number))
    ]
    if undo:
        buttons.append(
            ButtonElement(
                text=tr.gettext("Undo"),
                action_id=UNDO_ACTION,
                value=str(meeting.number),
                style="danger",
                confirm=ConfirmObject(
                    title=tr.gettext("Undo #{number}?", number=meeting.number),
                    text=tr.gettext(
                        "This cancels {ref} *{title}* and tells the channel.",
                        ref=meeting.ref,
                        title=escape(meeting.title),
                    ),
                    confirm=tr.gettext("Cancel it"),
                    deny=tr.gettext("Keep it"),
                ),
            )
        )
    return ActionsBlock(elements=buttons)


def _edit_parts(tr: Translator, meeting: Meeting, notice: ChangeNotice) -> list[str]:
    """What an edit changed, in words."""
    parts: list[str] = []
    for part in notice.changed:
        if part == TITLE:
            parts.append(tr.gettext("renamed from *{was}*", was=escape(notice.was or "")))
        elif part == LENGTH:
            parts.append(tr.gettext("now {duration}", duration=tr.duration(meeting.duration)))
        elif part == PEOPLE:
            if notice.added:
                people = ", ".join(mention(u) for u in notice.added)
                parts.append(tr.gettext("{people} invited", people=people))
            if notice.removed:
                people = ", ".join(mention(u) for u in notice.removed)
                parts.append(tr.gettext("{people} no longer invited", people=people))
            if not notice.added and not notice.removed:
                parts.append(tr.gettext("guests now {guests}", guests=attendee_text(tr, meeting)))
        elif part == PURPOSE:
            parts.append(
                tr.gettext("type now {purpose}", purpose=purpose_label(tr, meeting.purpose))
            )
        elif part == VENUE:
            parts.append(tr.gettext("format now {venue}", venue=venue_text(tr, meeting)))
        elif part == POSTS:
            parts.append(tr.gettext("its agenda prompt, reminder or outcome prompt changed"))
        elif part == REPEATS:
            weeks = weeks_apart(meeting.rrule)
            parts.append(
                tr.gettext("now every {n} weeks", n=weeks)
                if weeks > 1
                else tr.gettext("now every week")
            )
        elif part == TIME and notice.before and notice.after:
            parts.append(
                tr.gettext(
                    "moved from {before} to {after}",
                    before=tr.date(notice.before.start),
                    after=tr.date(notice.after.start),
                )
            )
    return parts


def which_person(
    tr: Translator, error: UserError, choices: Sequence[tuple[str, str]], action_id: str
) -> dict:
    """A name fits several people: the question, and a button for each (label, value)."""
    text = tr.gettext(error.message, **escape_params(tr.localised(error.params)))
    blocks: list[Block] = [section(":raising_hand: " + text)]
    if choices:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=label[:BUTTON_TEXT_LIMIT] or "?",
                        action_id=f"{action_id}:{n}",
                        value=value,
                    )
                    for n, (label, value) in enumerate(choices)
                ]
            )
        )
    return message(text, blocks)


def edited_notice(tr: Translator, meeting: Meeting, notice: ChangeNotice) -> dict:
    """The channel's notice of an edit: who changed what, for the people it concerns."""
    text = tr.gettext(
        ":pencil2: {user} changed {ref} *{title}*: {changes}.",
        user=mention(notice.by),
        ref=meeting.ref,
        title=escape(meeting.title),
        changes="; ".join(_edit_parts(tr, meeting, notice)),
    )
    if meeting.is_series:
        text += " " + tr.gettext("From the next occurrence on.")
    return message(text, [section(text), *concerned(tr, meeting, notice.by)])


def edit_confirmation(
    tr: Translator, meeting: Meeting, notice: ChangeNotice, notes: list[str]
) -> dict:
    head = tr.gettext(
        ":white_check_mark: Saved {ref} *{title}*: {changes}.",
        ref=meeting.ref,
        title=escape(meeting.title),
        changes="; ".join(_edit_parts(tr, meeting, notice)),
    )
    blocks: list[Block] = [section(head)] + [context(note) for note in notes]
    blocks.append(change_buttons(tr, meeting))
    return message(head, blocks)


def invited_dm(
    tr: Translator, meeting: Meeting, by_user: str, occurrence: Occurrence | None
) -> dict:
    """To someone an edit added: the meeting, as the announcement shows it."""
    head = tr.gettext(
        ":wave: {user} invited you to meeting {ref} *{title}*.",
        user=mention(by_user),
        ref=meeting.ref,
        title=escape(meeting.title),
    )
    return message(head, [section(head), section(details_text(tr, meeting, occurrence))])


def uninvited_dm(tr: Translator, meeting: Meeting, by_user: str) -> dict:
    """To someone an edit removed."""
    text = tr.gettext(
        "{user} took you off meeting {ref} *{title}*: you no longer need to attend.",
        user=mention(by_user),
        ref=meeting.ref,
        title=escape(meeting.title),
    )
    return message(text, [section(text)])


def announcement(
    tr: Translator,
    meeting: Meeting,
    occurrence: Occurrence | None = None,
    extra: list[Block] | None = None,
) -> dict:
    head = tr.gettext(
        ":calendar: {organiser} scheduled meeting {ref}: *{title}*",
        organiser=mention(meeting.organiser_id),
        ref=meeting.ref,
        title=escape(meeting.title),
    )
    blocks = [section(head), section(details_text(tr, meeting, occurrence)), *(extra or [])]
    return message(head, blocks)


def concerned(tr: Translator, meeting: Meeting, by_user: str) -> list[Block]:
    """A line under a change's notice that mentions the people it concerns (the organiser
    and the attendees who are members, not the one who made it), so Slack tells them."""
    people = dict.fromkeys([meeting.organiser_id, *(a.user_id for a in meeting.attendees)])
    named = [mention(u) for u in people if u and u != by_user]
    if not named:
        return []
    return [context(tr.gettext("For {people}", people=", ".join(named)))]


def cancelled_notice(tr: Translator, meeting: Meeting, by_user: str) -> dict:
    if meeting.is_series:
        text = tr.gettext(
            ":no_entry_sign: The series {ref} *{title}* was cancelled by {user}:"
            " no more occurrences.",
            ref=meeting.ref,
            title=escape(meeting.title),
            user=mention(by_user),
        )
    else:
        text = tr.gettext(
            ":no_entry_sign: Meeting {ref} *{title}* was cancelled by {user}.",
            ref=meeting.ref,
            title=escape(meeting.title),
            user=mention(by_user),
        )
    return message(text, [section(text), *concerned(tr, meeting, by_user)])


def skipped_notice(tr: Translator, meeting: Meeting, occurrence: Occurrence, by_user: str):
    text = tr.gettext(
        ":fast_forward: {ref} *{title}* ({when}) will not take place: {user} skipped it."
        " The series goes on.",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
        user=mention(by_user),
    )
    return message(text, [section(text), *concerned(tr, meeting, by_user)])


def moved_notice(
    tr: Translator, meeting: Meeting, before: Occurrence, after: Occurrence, by_user: str
) -> dict:
    text = tr.gettext(
        ":arrow_right: {user} moved {ref} *{title}* from {before} to {after}.",
        ref=meeting.ref,
        title=escape(meeting.title),
        before=tr.date(before.start),
        after=tr.date(after.start),
        user=mention(by_user),
    )
    return message(text, [section(text), *concerned(tr, meeting, by_user)])


def cancel_confirmation(tr: Translator, meeting: Meeting, notes: list[str]) -> dict:
    text = tr.gettext(
        "Cancelled meeting {ref} *{title}*.", ref=meeting.ref, title=escape(meeting.title)
    )
    return message(text, [section(text)] + [context(note) for note in notes])


def not_in_channel(tr: Translator, channel_id: str) -> str:
    return tr.gettext(
        ":information_source: I couldn't post in {channel} because I'm not a member."
        " Type `/invite @SalesMeet` in that channel so its meetings are announced there.",
        channel=channel(channel_id),
    )


def post_failed(tr: Translator, channel_id: str) -> str:
    return tr.gettext(
        ":information_source: Slack didn't accept my post in {channel} just now;"
        " the meeting is saved all the same.",
        channel=channel(channel_id),
    )


def post_queued(tr: Translator, channel_id: str) -> str:
    return tr.gettext(
        ":information_source: {channel} has had several posts just now, so mine follows in a"
        " moment (Slack allows about one a second there).",
        channel=channel(channel_id),
    )


def post_unconfirmed(tr: Translator, channel_id: str) -> str:
    return tr.gettext(
        ":information_source: Slack didn't confirm my post in {channel}, so it may or may not"
        " be there; the meeting is saved all the same.",
        channel=channel(channel_id),
    )


def meeting_list(
    tr: Translator,
    meetings: list[tuple[Meeting, Occurrence]],
    total: int,
    mine: bool,
    page: int = 1,
    per_page: int = 20,
    more: tuple[str, str] | None = None,
) -> dict:
    """One page of `list` (`per_page` meetings a page, of `total`); `more` is the Show
    more button's (action_id, value) for the next page, shown when there is one."""
    if not total:
        text = (
            tr.gettext("You have no upcoming meetings.")
            if mine
            else tr.gettext("No upcoming meetings in this workspace.")
        )
        hint = tr.gettext(
            'Schedule one with `/salesmeet` or `/salesmeet schedule "Title" fri 10am`.'
        )
        return message(text, [section(text), context(hint)])
    pages = -(-total // max(1, per_page))
    if not meetings:  # a page past the end
        command = "/salesmeet list mine" if mine else "/salesmeet list"
        text = tr.ngettext(
            "There is no page {page}: there is {n} page of meetings, `{example}`.",
            "There is no page {page}: there are {n} pages of meetings, the last is `{example}`.",
            pages,
            page=page,
            example=command if pages == 1 else f"{command} page {pages}",
        )
        return message(text, [section(":warning: " + text)])
    if page == 1:
        head = (
            tr.ngettext("Your next meeting", "Your next {n} meetings", len(meetings))
            if mine
            else tr.ngettext("The next meeting", "The next {n} meetings", len(meetings))
        )
    else:
        first = (page - 1) * per_page + 1
        spans = {"first": first, "last": first + len(meetings) - 1, "total": total}
        head = (
            tr.gettext("Your meetings {first}–{last} of {total}", **spans)
            if mine
            else tr.gettext("Meetings {first}–{last} of {total}", **spans)
        )
    blocks: list[Block] = [section(f"*{head}*")]
    blocks += [section(summary_line(tr, m, o)) for m, o in meetings]
    if pages > 1:
        where = tr.ngettext(
            "Page {page} of {pages} ({n} meeting in all).",
            "Page {page} of {pages} ({n} meetings in all).",
            total,
            page=page,
            pages=pages,
        )
        blocks.append(context(where))
        head = f"{head} ({where})"
    if more is not None and page < pages:
        button = ButtonElement(text=tr.gettext("Show more"), action_id=more[0], value=more[1])
        blocks.append(ActionsBlock(block_id="list_more", elements=[button]))
    return message(head, blocks[:MAX_BLOCKS])


def meeting_details(tr: Translator, meeting: Meeting, upcoming: list[Occurrence]) -> dict:
    head = tr.gettext("*{ref} {title}*", ref=meeting.ref, title=escape(meeting.title))
    if meeting.cancelled:
        head += " " + tr.gettext("(cancelled)")
    nxt = upcoming[0] if upcoming else None
    blocks: list[Block] = [section(head), section(details_text(tr, meeting, nxt))]
    if meeting.is_series and upcoming and not meeting.cancelled:
        dates = "\n".join(f"• {tr.date(o.start)}" for o in upcoming)
        blocks.append(section(tr.gettext("*Next occurrences*") + "\n" + dates))
    return message(head, blocks)


def agenda_view(tr: Translator, meeting: Meeting, occurrence: Occurrence, items) -> dict:
    head = tr.gettext(
        "*Agenda for {ref} {title}*, {when}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
    )
    if items:
        lines = "\n".join(f"• {escape(i.text)} ({mention(i.author_id)})" for i in items)
    else:
        lines = tr.gettext(
            "Nothing yet. Add an item with `/salesmeet agenda {ref} add <text>`.", ref=meeting.ref
        )
    return message(head, [section(head), section(lines)])


def agenda_added(tr: Translator, meeting: Meeting, occurrence: Occurrence, text: str) -> dict:
    line = tr.gettext(
        "Added to the agenda of {ref} *{title}* ({when}): {item}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=tr.date(occurrence.start),
        item=escape(text),
    )
    return message(line, [section(line)])


def schedule_button(tr: Translator, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(
        block_id=block_id,
        elements=[
            ButtonElement(
                text=tr.gettext("Schedule a meeting"),
                action_id="open_schedule_modal",
                style="primary",
            )
        ],
    )


def unexpected(tr: Translator, ref: str) -> dict:
    """The answer to a failure of ours; `ref` is also in the log line with the traceback."""
    text = unexpected_text(tr, ref)
    return message(text, [section(text)])


def unexpected_text(tr: Translator, ref: str) -> str:
    return tr.gettext(
        ":warning: Something went wrong on my side and I couldn't finish that. Please try"
        " again. (Reference: `{ref}`)",
        ref=ref,
    )
