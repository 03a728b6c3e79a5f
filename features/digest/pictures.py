"""The digest's pictures for one reader: the PNG (charts.py), and the same in words in
their language (the alt text, and the caption under the image)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.numbers import format_compact_currency

from bot.i18n import Translator
from features.digest import charts
from features.digest.blocks import hours_text, money
from features.digest.history import WeekTotal
from features.digest.service import Report

ALT_LIMIT = 2000  # Slack's limit on an image's alt text
ALT_PEOPLE = 25  # people named in the alt text; the rest are counted


@dataclass(frozen=True)
class Picture:
    png: bytes
    alt: str  # what the picture shows, in words, for screen readers and failed loads
    caption: str  # what its colours and lines mean, under it
    filename: str


def _shown_weeks(report: Report) -> list[WeekTotal]:
    """The weeks drawn: from the first with any meeting (a new workspace has no past)."""
    weeks = list(report.weeks)
    while len(weeks) > 1 and not weeks[0].attendee_hours:
        weeks.pop(0)
    return weeks


def _week_labels(weeks: list[WeekTotal], tz: str) -> list[str]:
    zone = ZoneInfo(tz)
    days = [w.start.astimezone(zone).date() for w in weeks]
    # Numbers only (the chart's font has no Devanagari): "30/11", then "7/12", "14", "21":
    # the month where it changes, so eight weeks fit at Slack's preview size.
    return [
        f"{d.day}/{d.month}" if i == 0 or d.month != days[i - 1].month else str(d.day)
        for i, d in enumerate(days)
    ]


def _compact(amount: float, currency: str) -> str:
    """`$7.2K`: short enough to sit over a bar; written the same in every language."""
    return format_compact_currency(amount, currency, locale="en", fraction_digits=1)


def _cut(text: str) -> str:
    return text if len(text) <= ALT_LIMIT else text[: ALT_LIMIT - 1] + "…"


def team_picture(
    tr: Translator,
    report: Report,
    name_of: Callable[[str], str],
    with_people: bool,
    reader: str,
) -> Picture:
    """A manager's picture: hours per person against the limit (when they may see
    everyone's), and the team's attendee-hours and cost over the weeks shown."""
    f = report.figures
    s = f.settings
    limit = s.weekly_hours_limit
    weeks = _shown_weeks(report)
    labels = _week_labels(weeks, s.tz)
    points = [
        charts.Point(label, w.attendee_hours, _compact(w.cost, s.currency))
        for label, w in zip(labels, weeks, strict=True)
    ]
    people = f.people if with_people else ()
    bars = [
        charts.Bar(charts.short_name(name_of(p.user_id)) or p.user_id, p.hours)
        for p in people[: charts.PEOPLE_DRAWN]
    ]
    png = charts.team_chart(bars, limit, points)
    weeks_text = ", ".join(
        tr.gettext(
            "{week}: {hours} h, {cost}",
            week=label,
            hours=hours_text(w.attendee_hours),
            cost=money(tr, w.cost, s.currency),
        )
        for label, w in zip(labels, weeks, strict=True)
    )
    team = tr.gettext(
        "The team's attendee-hours and estimated cost, week by week: {weeks}.", weeks=weeks_text
    )
    if not people:
        alt = team
        caption = tr.gettext(
            "The team's attendee-hours each week for the last {n} weeks, with the estimated"
            " cost over each bar; this week in orange.",
            n=len(weeks),
        )
    else:
        named = []
        for p in people[:ALT_PEOPLE]:
            values = {"person": name_of(p.user_id), "hours": hours_text(p.hours)}
            if p.hours > limit:
                named.append(tr.gettext("{person} {hours} h (over the limit)", **values))
            else:
                named.append(tr.gettext("{person} {hours} h", **values))
        listed = ", ".join(named)
        if len(people) > ALT_PEOPLE:
            listed = tr.gettext("{items} and {n} more", items=listed, n=len(people) - ALT_PEOPLE)
        alt = (
            tr.gettext(
                "Meeting hours per person this week, against the limit of {limit} h: {people}.",
                limit=hours_text(limit),
                people=listed,
            )
            + " "
            + team
        )
        caption = tr.gettext(
            "Above: meeting hours per person against the {limit} h limit (dashed line), the"
            " people over it in red; the {n} with most hours are drawn. Below: the team's"
            " attendee-hours each week for the last {weeks} weeks, with the estimated cost"
            " over each bar; this week in orange.",
            limit=hours_text(limit),
            n=len(bars),
            weeks=len(weeks),
        )
    week = int(f.week_start.timestamp())
    return Picture(png, _cut(alt), caption, f"salesmeet-digest-{reader}-{week}.png")


def person_picture(tr: Translator, report: Report, user_id: str) -> Picture:
    """One person's hours a week over the weeks shown, against the limit."""
    f = report.figures
    limit = f.settings.weekly_hours_limit
    weeks = _shown_weeks(report)
    labels = _week_labels(weeks, f.settings.tz)
    values = [w.people.get(user_id, 0.0) for w in weeks]
    points = [charts.Point(label, h) for label, h in zip(labels, values, strict=True)]
    png = charts.person_chart(points, limit)
    weeks_text = ", ".join(
        tr.gettext("{week}: {hours} h", week=label, hours=hours_text(h))
        for label, h in zip(labels, values, strict=True)
    )
    alt = tr.gettext(
        "Your meeting hours week by week, against the limit of {limit} h: {weeks}.",
        limit=hours_text(limit),
        weeks=weeks_text,
    )
    caption = tr.gettext(
        "Your meeting hours each week for the last {n} weeks; the dashed line is the {limit} h"
        " limit, weeks over it in red.",
        n=len(values),
        limit=hours_text(limit),
    )
    week = int(f.week_start.timestamp())
    return Picture(png, _cut(alt), caption, f"salesmeet-my-week-{user_id}-{week}.png")
