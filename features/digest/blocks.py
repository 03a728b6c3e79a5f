"""Block Kit for the weekly digest: readable at a glance, always within Slack's limits.

A long team is summarised (the people with most hours, then "…and N more"), lists of
flagged meetings are capped, and text is packed into sections of at most 3,000
characters without ever cutting a line in two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_percent
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ImageBlock,
)

from bot import render
from bot.i18n import Translator
from bot.meeting_posts import late_note
from bot.mrkdwn import channel, escape, mention
from entities.meetings import Meeting
from features.digest.figures import LONG_MEETING, MAX_ATTENDEES, PersonLoad, WeekFigures
from features.digest.service import Load, Report
from features.digest.worth import CUT, SHORTEN, SPACE, SeriesWorth

BAR_CELLS = 10
PEOPLE_SHOWN = 25  # people listed with a bar; the rest are summed up in one line
ITEMS_SHOWN = 5  # meetings or people named per flag
T = TypeVar("T")
SECTION_BUDGET = render.SECTION_LIMIT - 100  # room for the heading of a section
WARN_PEOPLE = 10  # names in one load warning
HOME_PEOPLE = 10  # people listed on a manager's App Home
APPLY_ACTION = "digest_apply"  # a button that runs a suggestion's command (`cancel #4`)


def week_label(tr: Translator, start: datetime, tz: str) -> str:
    """ "Nov 23, 2026": the Monday a week starts on, in the workspace's zone."""
    return format_date(start.astimezone(ZoneInfo(tz)).date(), "medium", locale=tr.locale)


def hours_text(value: float) -> str:
    """11.5, 15: hours to one decimal, no trailing zero."""
    return f"{value:.1f}".removesuffix(".0")


def money(tr: Translator, amount: float, currency: str) -> str:
    """$1,250, RM12,500, ₹12,50,000: whole units, in the reader's locale."""
    return tr.money(round(amount), currency)


def percent(tr: Translator, share: float) -> str:
    return format_percent(share, locale=tr.locale)


def bar(hours: float, limit: float) -> str:
    """`▇▇▇▇▇▇▇░░░`: hours against the limit, full at or over it."""
    share = min(hours / limit, 1.0) if limit > 0 else 1.0
    filled = round(share * BAR_CELLS)
    if hours > 0 and filled == 0:
        filled = 1  # anyone with a meeting shows
    return "▇" * filled + "░" * (BAR_CELLS - filled)


def ref_title(meeting: Meeting) -> str:
    return f"{meeting.ref} *{escape(meeting.title)}*"


def pack(lines: list[str], heading: str = "") -> list[Block]:
    """Sections holding whole lines, each within Slack's 3,000 characters."""
    blocks: list[Block] = []
    current = heading
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_BUDGET and current and current != heading:
            blocks.append(render.section(current))
            current = line
        else:
            current = candidate
    if current:
        blocks.append(render.section(current))
    return blocks


def _capped(tr: Translator, items: Sequence[T], show: Callable[[T], str]) -> str:
    """The first ITEMS_SHOWN items as `show` writes them, and how many more: only those
    are written (a flag's meetings are made when read, and a week can flag hundreds)."""
    shown = ", ".join(show(item) for item in items[:ITEMS_SHOWN])
    if len(items) > ITEMS_SHOWN:
        return tr.gettext("{items} and {n} more", items=shown, n=len(items) - ITEMS_SHOWN)
    return shown


# -- parts ---------------------------------------------------------------------------------


def summary(tr: Translator, f: WeekFigures) -> str:
    s = f.settings
    week = week_label(tr, f.week_start, s.tz)
    if not f.totals.occurrences:
        return tr.gettext("No meetings in the week of {week}.", week=week)
    return tr.ngettext(
        "{n} meeting, {hours} h in all: {person_hours} attendee-hours, an estimated {cost}.",
        "{n} meetings, {hours} h in all: {person_hours} attendee-hours, an estimated {cost}.",
        f.totals.occurrences,
        hours=hours_text(f.totals.meeting_hours),
        person_hours=hours_text(f.totals.attendee_hours),
        cost=money(tr, f.totals.cost, s.currency),
    )


def change(tr: Translator, f: WeekFigures) -> str | None:
    before, now = f.previous, f.totals
    if before is None or (not before.occurrences and not now.occurrences):
        return None
    if not before.occurrences:
        return tr.gettext("There were no meetings the week before.")
    diff = now.attendee_hours - before.attendee_hours
    share = abs(diff) / before.attendee_hours if before.attendee_hours else 0.0
    values = {
        "hours": hours_text(abs(diff)),
        "percent": percent(tr, share),
        "cost": money(tr, abs(now.cost - before.cost), f.settings.currency),
    }
    if abs(diff) < 0.05:
        return tr.gettext(":left_right_arrow: The same attendee-hours as the week before.")
    if diff > 0:
        return tr.gettext(
            ":arrow_up: {hours} attendee-hours ({percent}) more than the week before, {cost} more.",
            **values,
        )
    return tr.gettext(
        ":arrow_down: {hours} attendee-hours ({percent}) fewer than the week before, {cost} less.",
        **values,
    )


def person_line(tr: Translator, p: PersonLoad, f: WeekFigures) -> str:
    s = f.settings
    values = {
        "bar": bar(p.hours, s.weekly_hours_limit),
        "hours": hours_text(p.hours),
        "limit": hours_text(s.weekly_hours_limit),
        "person": mention(p.user_id),
        "share": percent(tr, p.hours / s.working_hours if s.working_hours else 0.0),
        "working": hours_text(s.working_hours),
    }
    if p.hours > s.weekly_hours_limit:
        return tr.gettext(
            "`{bar}` {hours} h / {limit} h · {person} · {share} of a {working} h week"
            " · :red_circle: over the limit",
            **values,
        )
    return tr.gettext(
        "`{bar}` {hours} h / {limit} h · {person} · {share} of a {working} h week", **values
    )


def people_blocks(tr: Translator, f: WeekFigures) -> list[Block]:
    if not f.people:
        return []
    heading = tr.gettext("*Meeting load per person*")
    lines = [person_line(tr, p, f) for p in f.people[:PEOPLE_SHOWN]]
    rest = f.people[PEOPLE_SHOWN:]
    if rest:
        over = sum(1 for p in rest if p.hours > f.settings.weekly_hours_limit)
        if over:
            lines.append(
                tr.ngettext(
                    "…and {n} more person, over the limit.",
                    "…and {n} more people, {over} of them over the limit.",
                    len(rest),
                    over=over,
                )
            )
        else:
            lines.append(
                tr.ngettext(
                    "…and {n} more person under the limit.",
                    "…and {n} more people under the limit.",
                    len(rest),
                )
            )
    return pack(lines, heading)


def breakdown(tr: Translator, f: WeekFigures) -> list[Block]:
    if not f.totals.occurrences:
        return []
    purposes = " · ".join(f"{render.purpose_label(tr, p)} {n}" for p, n in f.by_purpose)
    formats = " · ".join(
        f"{tr.gettext(render.FORMAT_LABELS[fmt]) if fmt else tr.gettext('Format not set')} {n}"
        for fmt, n in f.by_format
    )
    whole = f.internal_hours + f.customer_hours
    lines = [
        tr.gettext("*By purpose:* {counts}", counts=purposes),
        tr.gettext("*By format:* {counts}", counts=formats),
        tr.gettext(
            "*Internal:* {internal} h ({internal_share}) · *Customer-facing:* {customer} h"
            " ({customer_share})",
            internal=hours_text(f.internal_hours),
            internal_share=percent(tr, f.internal_hours / whole if whole else 0.0),
            customer=hours_text(f.customer_hours),
            customer_share=percent(tr, f.customer_hours / whole if whole else 0.0),
        ),
    ]
    return pack(lines)


def flag_lines(tr: Translator, f: WeekFigures, everyone: bool = True) -> list[str]:
    """The flags; those that name people's hours (over the limit, mostly in series) only
    for a reader who may see everyone's."""
    s = f.settings
    lines = []
    if f.over_limit and everyone:
        items = _capped(
            tr,
            f.over_limit,
            lambda p: tr.gettext(
                "{person} ({hours} h)", person=mention(p.user_id), hours=hours_text(p.hours)
            ),
        )
        lines.append(
            tr.gettext(
                ":red_circle: Over the {limit} h weekly limit: {items}.",
                limit=hours_text(s.weekly_hours_limit),
                items=items,
            )
        )
    if f.long_meetings:
        items = _capped(
            tr,
            f.long_meetings,
            lambda m: tr.gettext(
                "{meeting} ({duration})",
                meeting=ref_title(m.meeting),
                duration=tr.duration(timedelta(minutes=m.value)),
            ),
        )
        lines.append(
            tr.gettext(
                ":hourglass: Longer than {duration}: {items}.",
                duration=tr.duration(LONG_MEETING),
                items=items,
            )
        )
    if f.crowded_meetings:
        items = _capped(
            tr,
            f.crowded_meetings,
            lambda m: tr.gettext("{meeting} ({n} people)", meeting=ref_title(m.meeting), n=m.value),
        )
        lines.append(
            tr.gettext(
                ":busts_in_silhouette: More than {max} attendees: {items}.",
                max=MAX_ATTENDEES,
                items=items,
            )
        )
    if f.mostly_recurring and everyone:
        items = _capped(
            tr,
            f.mostly_recurring,
            lambda p: tr.gettext(
                "{person} ({share} of {hours} h)",
                person=mention(p.user_id),
                share=percent(tr, p.recurring_share),
                hours=hours_text(p.hours),
            ),
        )
        lines.append(
            tr.gettext(
                ":repeat: More than half their meeting time in recurring meetings: {items}.",
                items=items,
            )
        )
    if f.endless_series:
        lines.append(
            tr.gettext(
                ":infinity: Recurring with no end date: {items}.",
                items=_capped(tr, f.endless_series, ref_title),
            )
        )
    if f.no_agenda:
        items = _capped(
            tr,
            f.no_agenda,
            lambda mo: tr.gettext(
                "{meeting}, {when}", meeting=ref_title(mo[0]), when=tr.date(mo[1].start)
            ),
        )
        lines.append(
            tr.gettext(
                ":memo: No agenda when the agenda prompt went out: {items}.",
                items=items,
            )
        )
    return lines


def flag_blocks(tr: Translator, f: WeekFigures, everyone: bool = True) -> list[Block]:
    if not f.totals.occurrences:
        return []
    lines = flag_lines(tr, f, everyone) or [
        tr.gettext(":white_check_mark: Nothing flagged this week.")
    ]
    return pack(lines, tr.gettext("*Flags*"))


def cut_blocks(tr: Translator, f: WeekFigures) -> list[Block]:
    if not f.to_cut:
        return []
    lines = []
    for c in f.to_cut:
        lines.append(
            tr.ngettext(
                "{meeting}: about {cost} a month ({times} times a month, {people} people,"
                " {duration}). Agenda items so far: {items} in {n} meeting.",
                "{meeting}: about {cost} a month ({times} times a month, {people} people,"
                " {duration}). Agenda items so far: {items} in {n} meetings.",
                c.held,
                meeting=ref_title(c.meeting),
                cost=money(tr, c.per_month, f.settings.currency),
                times=hours_text(c.per_month / c.per_occurrence if c.per_occurrence else 0.0),
                people=c.people,
                duration=tr.duration(c.meeting.duration),
                items=c.agenda_items,
            )
        )
    return pack(lines, tr.gettext("*What to cut:* the costliest recurring series"))


def footnote(tr: Translator, f: WeekFigures) -> str:
    return tr.gettext(
        "Estimated cost = attendee-hours × {rate} per person-hour. Attendee-hours count the"
        " organiser and the Slack members invited, not external guests. Managers change the"
        " limit, working week and cost with `/salesmeet config`.",
        rate=money(tr, f.settings.hourly_cost, f.settings.currency),
    )


@dataclass(frozen=True)
class Image:
    """An uploaded chart as a message shows it."""

    file_id: str
    alt: str
    caption: str


def image_blocks(image: Image) -> list[Block]:
    return [
        ImageBlock(slack_file={"id": image.file_id}, alt_text=image.alt),
        render.context(image.caption),
    ]


def own_line(tr: Translator, f: WeekFigures, user_id: str) -> str:
    """The reader's own hours, when they may not see everyone's."""
    mine = next((p for p in f.people if p.user_id == user_id), None)
    if mine is None:
        return tr.gettext("*Yours:* no meetings this week.")
    return tr.gettext("*Yours:* {line}", line=person_line(tr, mine, f))


def private_note(tr: Translator) -> str:
    return tr.gettext(
        ":lock: Each person's hours are theirs and their managers': everyone gets their own by DM."
    )


def worth_line(tr: Translator, w: SeriesWorth, currency: str) -> str:
    values = {
        "meeting": ref_title(w.meeting),
        "hours": hours_text(w.attendee_hours_week),
        "share": percent(tr, w.share),
        "cost": money(tr, w.per_month, currency),
    }
    if w.suggestion == CUT:
        return tr.gettext(
            "{meeting}: {hours} attendee-hours a week ({cost} a month), {share} found it"
            " worth the time. Cancel it?",
            **values,
        )
    if w.suggestion == SHORTEN:
        return tr.gettext(
            "{meeting}: {hours} attendee-hours a week ({cost} a month), {share} found it"
            " worth the time. Try {duration} instead of {current}?",
            duration=tr.duration(w.shorter),
            current=tr.duration(w.meeting.duration),
            **values,
        )
    if w.suggestion == SPACE:
        return tr.gettext(
            "{meeting}: {hours} attendee-hours a week ({cost} a month), {share} found it"
            " worth the time. Try every other week?",
            **values,
        )
    return tr.gettext(
        "{meeting}: {hours} attendee-hours a week ({cost} a month), {share} found it worth"
        " the time.",
        **values,
    )


def apply_button(tr: Translator, w: SeriesWorth) -> ButtonElement | None:
    """Runs the suggestion's command for whoever presses it; only the organiser or a
    manager gets it done (the command's own rule)."""
    if w.command is None:
        return None
    number = w.meeting.number
    if w.suggestion == CUT:
        label = tr.gettext("Cancel #{number}", number=number)
    elif w.suggestion == SPACE:
        label = tr.gettext("Every other week for #{number}", number=number)
    else:
        label = tr.gettext(
            "Shorten #{number} to {duration}", number=number, duration=tr.duration(w.shorter)
        )
    return ButtonElement(
        text=label[: render.BUTTON_TEXT_LIMIT],
        action_id=f"{APPLY_ACTION}:{number}",
        value=w.command,
    )


def worth_blocks(tr: Translator, series: tuple[SeriesWorth, ...], currency: str) -> list[Block]:
    """The series ranked by cost against "Worth the time?", with what to try."""
    if not series:
        return []
    lines = [worth_line(tr, w, currency) for w in series]
    heading = tr.gettext(
        "*Worth the time?* Recurring meetings by the cost people did not find worth it"
    )
    blocks = pack(lines, heading)
    buttons = [b for b in (apply_button(tr, w) for w in series) if b is not None]
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def digest_message(
    tr: Translator,
    f: WeekFigures,
    late_since: datetime | None = None,
    where: str | None = None,
    *,
    everyone: bool = False,  # private unless the caller says the reader may see them
    viewer: str | None = None,
    report: Report | None = None,
    notes: Sequence[str] = (),
    image: Image | None = None,
) -> dict:
    """The digest as one message: heading, totals, people, breakdown, flags, what to cut,
    the series ranked by worth, the features' notes, the picture.

    `everyone`: the reader may see each person's hours (else the channel's digest: the
    team's figures, and `viewer`'s own line when one reads alone). `where` is the
    channel the weekly post goes to, named in DMs and on-demand answers.
    """
    head = tr.gettext(
        ":bar_chart: *Weekly meeting digest: week of {week}*",
        week=week_label(tr, f.week_start, f.settings.tz),
    )
    top = [summary(tr, f)]
    moved = change(tr, f)
    if moved:
        top.append(moved)
    blocks: list[Block] = [render.section(head), *pack(top)]
    if everyone:
        blocks += people_blocks(tr, f)
    elif viewer:
        blocks += pack([own_line(tr, f, viewer)])
    blocks += breakdown(tr, f)
    blocks += flag_blocks(tr, f, everyone)
    blocks += cut_blocks(tr, f)
    if report is not None:
        blocks += worth_blocks(tr, report.series, f.settings.currency)
    if notes:
        blocks += pack(list(notes))
    if image is not None:
        blocks += image_blocks(image)
    footer = [footnote(tr, f)]
    if not everyone:
        footer.append(private_note(tr))
    if where:
        footer.append(
            tr.gettext("The weekly digest is posted in {channel}.", channel=channel(where))
        )
    if late_since:
        footer.append(late_note(tr, late_since))
    blocks.append(render.context("\n".join(footer)))
    # Every part above is bounded; this only guards the guarantee.
    blocks = blocks[: render.MAX_BLOCKS]
    return render.message(head + "\n" + summary(tr, f), blocks)


# -- one person's own figures --------------------------------------------------------------

TOP_MEETINGS = 3  # the meetings named in a person's DM


def seen_by(tr: Translator, shown: str) -> str:
    """Who else can see a person's figures, as the workspace set it."""
    if shown == "team":
        return tr.gettext(":lock: Only you see your own figures.")
    if shown == "everyone":
        return tr.gettext(
            ":eyes: In this workspace everyone's hours are shared with the team"
            " (`digest-visibility everyone`)."
        )
    return tr.gettext(":lock: Only you and your managers see these figures.")


def person_message(
    tr: Translator,
    report: Report,
    user_id: str,
    shown: str,
    image: Image | None = None,
    late_since: datetime | None = None,
) -> dict:
    """One person's week by DM: their hours against the limit, their share of the
    working week, the meetings that took most of it, their weeks in a line."""
    f = report.figures
    s = f.settings
    head = tr.gettext(
        ":bar_chart: *Your meetings: week of {week}*",
        week=week_label(tr, f.week_start, s.tz),
    )
    mine = next((p for p in f.people if p.user_id == user_id), None)
    hours = mine.hours if mine else 0.0
    values = {
        "bar": bar(hours, s.weekly_hours_limit),
        "hours": hours_text(hours),
        "limit": hours_text(s.weekly_hours_limit),
        "share": percent(tr, hours / s.working_hours if s.working_hours else 0.0),
        "working": hours_text(s.working_hours),
    }
    if hours > s.weekly_hours_limit:
        line = tr.gettext(
            "`{bar}` {hours} h of meetings, over your limit of {limit} h: {share} of a"
            " {working} h week.",
            **values,
        )
    else:
        line = tr.gettext(
            "`{bar}` {hours} h of meetings against a limit of {limit} h: {share} of a"
            " {working} h week.",
            **values,
        )
    lines = [line]
    top = report.top_meetings(user_id, TOP_MEETINGS)
    if top:
        items = ", ".join(
            tr.gettext("{meeting} ({hours} h)", meeting=ref_title(m), hours=hours_text(h))
            for m, h in top
        )
        lines.append(tr.gettext("Most of it went to {items}.", items=items))
    blocks: list[Block] = [render.section(head), *pack(lines)]
    if image is not None:
        blocks += image_blocks(image)
    footer = [seen_by(tr, shown)]
    if late_since:
        footer.append(late_note(tr, late_since))
    blocks.append(render.context("\n".join(footer)))
    return render.message(head + "\n" + line, blocks)


def person_what(tr: Translator, f: WeekFigures) -> str:
    return tr.gettext(
        "your own meeting figures for the week of {week}",
        week=week_label(tr, f.week_start, f.settings.tz),
    )


def home_blocks(
    tr: Translator,
    report: Report,
    everyone: bool,
    image: Image | None,
) -> list[Block]:
    """A manager's App Home: the people with most hours this week (when the workspace
    lets them see everyone's) and the last digest's picture. Their own hours are
    followups' line at the top, as for everyone."""
    f = report.figures
    lines = [
        tr.gettext(
            ":bar_chart: *Meeting load, week of {week}*",
            week=week_label(tr, f.week_start, f.settings.tz),
        )
    ]
    if everyone and f.people:
        lines += [person_line(tr, p, f) for p in f.people[:HOME_PEOPLE]]
        rest = len(f.people) - HOME_PEOPLE
        if rest > 0:
            lines.append(tr.gettext("…and {n} more in `/salesmeet digest`.", n=rest))
    blocks = pack(lines)
    if image is not None:
        blocks += image_blocks(image)
    return blocks if (everyone and f.people) or image else []


def what_text(tr: Translator, f: WeekFigures) -> str:
    """Names the digest in the DM sent when it could not be posted."""
    return tr.gettext(
        "the weekly digest for the week of {week}", week=week_label(tr, f.week_start, f.settings.tz)
    )


# -- notes elsewhere -----------------------------------------------------------------------


def load_warnings(tr: Translator, load: Load) -> list[str]:
    """Sentences for a new meeting's confirmation: people it takes over the weekly
    limit (in the week of its first occurrence), and a crowd of more than 8."""
    notes: list[str] = []
    if load.over and load.week_start is not None:
        people = ", ".join(
            tr.gettext("{person} ({hours} h)", person=mention(u), hours=hours_text(h))
            for u, h in load.over[:WARN_PEOPLE]
        )
        values = {
            "people": people,
            "limit": hours_text(load.limit),
            "week": week_label(tr, load.week_start, load.tz),
        }
        if len(load.over) > WARN_PEOPLE:
            notes.append(
                tr.gettext(
                    ":warning: This meeting puts {people} and {more} more over the"
                    " limit of {limit} h of meetings a week, in the week of {week}.",
                    more=len(load.over) - WARN_PEOPLE,
                    **values,
                )
            )
        else:
            notes.append(
                tr.gettext(
                    ":warning: This meeting puts {people} over the limit of {limit} h"
                    " of meetings a week, in the week of {week}.",
                    **values,
                )
            )
    if load.crowded:
        notes.append(
            tr.gettext(
                ":warning: This meeting has {n} attendees, more than the {max} a productive"
                " meeting needs; the weekly digest will flag it.",
                n=load.attendees,
                max=MAX_ATTENDEES,
            )
        )
    for user_id, other in load.clashes[:WARN_PEOPLE]:
        notes.append(
            tr.gettext(
                ":warning: {person} already has {ref} *{title}* then; the meeting is booked"
                " all the same.",
                person=mention(user_id),
                ref=other.ref,
                title=escape(other.title),
            )
        )
    if load.first_start is not None:
        ours = load.first_start.astimezone(ZoneInfo(load.organiser_tz))
        for user_id, tz in load.off_hours[:WARN_PEOPLE]:
            theirs = load.first_start.astimezone(ZoneInfo(tz))
            notes.append(
                tr.gettext(
                    ":warning: {ours} in {our_city} is {theirs} for {person} in {their_city},"
                    " outside their working day.",
                    ours=f"{ours:%H:%M}",
                    our_city=city(load.organiser_tz),
                    theirs=_local_time(tr, theirs, ours),
                    person=mention(user_id),
                    their_city=city(tz),
                )
            )
    return notes


def city(tz: str) -> str:
    """`Asia/Kuala_Lumpur` → `Kuala Lumpur`: how people name a zone."""
    return tz.rsplit("/", 1)[-1].replace("_", " ")


def _local_time(tr: Translator, theirs: datetime, ours: datetime) -> str:
    """Their clock time, with the weekday when it is another day than ours."""
    if theirs.date() == ours.date():
        return f"{theirs:%H:%M}"
    day = format_date(theirs, "EEE", locale=tr.locale)
    return tr.gettext("{time} on {day}", time=f"{theirs:%H:%M}", day=day)


def next_digest_note(tr: Translator, due: datetime) -> str:
    """For the manager who just changed when or where the digest goes."""
    return tr.gettext("The next digest goes out {when}.", when=tr.date(due))
