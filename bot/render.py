"""Block Kit for every message SalesMeet sends about meetings (one renderer per thing).

Every builder takes the reader's Translator and returns a message dict with a
plain `text` fallback (notifications, screen readers) and `blocks`.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.errors import N_, UserError
from bot.i18n import Translator
from bot.meetings import Meeting
from bot.mrkdwn import channel, date_token, escape, mention

MAX_BLOCKS = 50  # Slack's limit per message
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


def _section(text: str) -> SectionBlock:
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return SectionBlock(text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
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


def when_text(tr: Translator, meeting: Meeting) -> str:
    minutes = int(meeting.duration.total_seconds() // 60)
    return tr.ngettext(
        "{start} for {n} minute",
        "{start} for {n} minutes",
        minutes,
        start=date_token(meeting.starts_at),
    )


def kind_text(tr: Translator, meeting: Meeting) -> str:
    return tr.gettext("Customer-facing") if meeting.customer_facing else tr.gettext("Internal")


def summary_line(tr: Translator, meeting: Meeting) -> str:
    """One meeting on one line: number, title, time, type, format."""
    return tr.gettext(
        "*{ref} {title}* · {when} · {purpose} · {venue}",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=when_text(tr, meeting),
        purpose=purpose_label(tr, meeting.purpose),
        venue=venue_text(tr, meeting),
    )


def details_text(tr: Translator, meeting: Meeting) -> str:
    return tr.gettext(
        "*When:* {when}\n*Type:* {purpose} ({kind})\n*Format:* {venue}\n"
        "*Organiser:* {organiser}\n*Channel:* {channel}\n*Attendees:* {attendees}",
        when=when_text(tr, meeting),
        purpose=purpose_label(tr, meeting.purpose),
        kind=kind_text(tr, meeting),
        venue=venue_text(tr, meeting),
        organiser=mention(meeting.organiser_id),
        channel=channel(meeting.channel_id),
        attendees=attendee_text(tr, meeting),
    )


def error(tr: Translator, err: UserError) -> dict:
    text = tr.error(err)
    return message(text, [_section(":warning: " + text)])


def help_message(tr: Translator) -> dict:
    text = tr.gettext(
        "*SalesMeet: fewer, better sales meetings*\n"
        "`/salesmeet` opens the scheduling form.\n"
        '`/salesmeet schedule "<title>" <when> [for <duration>] [with <attendees>]'
        " [type <purpose>] [via <format or link>]`\n"
        "`/salesmeet list [mine]` shows upcoming meetings.\n"
        "`/salesmeet show #<id>` shows one meeting.\n"
        "`/salesmeet cancel #<id>` cancels a meeting (organiser or manager).\n"
        "`/salesmeet help` shows this."
    )
    details = tr.gettext(
        "*When:* `tomorrow 3pm`, `fri 9:30`, `next tuesday 10am`, `Dec 3 14:00`,"
        " `in 2 hours`, read in your own time zone.\n"
        "*Duration:* `45m`, `1h`, `1h30`, `90 minutes` (default 30 minutes, at most 8 hours).\n"
        "*Attendees:* @mentions, and customers by name or email.\n"
        "*Type:* motivation, product, challenges, shortfall, strategy, customer, general.\n"
        "*Via:* in-person, one-on-one, call, video, or a Zoom, Meet, Teams or Webex link."
    )
    example = tr.gettext(
        'Example: `/salesmeet schedule "Q4 pipeline review" tomorrow 3pm for 45m'
        " with @maya, jane@acme.com type strategy via https://zoom.us/j/123`"
    )
    return message(text, [_section(text), _section(details), _context(example)])


def confirmation(tr: Translator, meeting: Meeting, repeat: bool, notes: list[str]) -> dict:
    if repeat:
        head = tr.gettext(
            "You already scheduled this a moment ago, so I kept that one: meeting {ref}.",
            ref=meeting.ref,
        )
    else:
        head = tr.gettext(
            ":white_check_mark: Scheduled meeting {ref}: *{title}*",
            ref=meeting.ref,
            title=escape(meeting.title),
        )
    blocks: list[Block] = [_section(head), _section(details_text(tr, meeting))]
    blocks += [_context(note) for note in notes]
    return message(head, blocks)


def announcement(tr: Translator, meeting: Meeting) -> dict:
    head = tr.gettext(
        ":calendar: {organiser} scheduled meeting {ref}: *{title}*",
        organiser=mention(meeting.organiser_id),
        ref=meeting.ref,
        title=escape(meeting.title),
    )
    return message(head, [_section(head), _section(details_text(tr, meeting))])


def cancelled_notice(tr: Translator, meeting: Meeting, by_user: str) -> dict:
    text = tr.gettext(
        ":no_entry_sign: Meeting {ref} *{title}* on {when} was cancelled by {user}.",
        ref=meeting.ref,
        title=escape(meeting.title),
        when=date_token(meeting.starts_at),
        user=mention(by_user),
    )
    return message(text, [_section(text)])


def cancel_confirmation(tr: Translator, meeting: Meeting, notes: list[str]) -> dict:
    text = tr.gettext(
        "Cancelled meeting {ref} *{title}*.", ref=meeting.ref, title=escape(meeting.title)
    )
    return message(text, [_section(text)] + [_context(note) for note in notes])


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


def meeting_list(tr: Translator, meetings: list[Meeting], total: int, mine: bool) -> dict:
    if not meetings:
        text = (
            tr.gettext("You have no upcoming meetings.")
            if mine
            else tr.gettext("No upcoming meetings in this workspace.")
        )
        hint = tr.gettext(
            'Schedule one with `/salesmeet` or `/salesmeet schedule "Title" fri 10am`.'
        )
        return message(text, [_section(text), _context(hint)])
    head = (
        tr.ngettext("Your next meeting", "Your next {n} meetings", len(meetings))
        if mine
        else tr.ngettext("The next meeting", "The next {n} meetings", len(meetings))
    )
    blocks: list[Block] = [_section(f"*{head}*")]
    blocks += [_section(summary_line(tr, m)) for m in meetings]
    if total > len(meetings):
        blocks.append(_context(tr.gettext("…and {more} more.", more=total - len(meetings))))
    return message(head, blocks[:MAX_BLOCKS])


def meeting_details(tr: Translator, meeting: Meeting) -> dict:
    head = tr.gettext("*{ref} {title}*", ref=meeting.ref, title=escape(meeting.title))
    if meeting.cancelled:
        head += " " + tr.gettext("(cancelled)")
    return message(head, [_section(head), _section(details_text(tr, meeting))])


def schedule_button(tr: Translator) -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=tr.gettext("Schedule a meeting"),
                action_id="open_schedule_modal",
                style="primary",
            )
        ]
    )


def unexpected(tr: Translator) -> dict:
    text = tr.gettext(
        ":warning: Something went wrong on my side and I couldn't finish that. Please try again."
    )
    return message(text, [_section(text)])


def home_view(tr: Translator, meetings: list[Meeting], total: int) -> dict:
    """App Home: the user's next meetings and a way to schedule one (within 100 blocks)."""
    listing = meeting_list(tr, meetings, total, mine=True)
    blocks = [schedule_button(tr).to_dict(), *listing["blocks"]]
    return {"type": "home", "blocks": blocks[:100]}
