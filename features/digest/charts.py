"""The digest's pictures, as PNG bytes: pure functions of figures, no Slack, no database.

- `team_chart`: hours per person against the weekly limit (the ones over it in red),
  above the team's attendee-hours and cost over the last weeks (the managers' digest).
- `person_chart`: one person's own hours over the last weeks, against the limit.

Drawn for Slack's preview, about 360 px wide in a message: the PNG is twice that (sharp on
high-density screens) with type large enough to read at half size, on a solid light card
so it reads the same on a dark theme (a transparent background would put dark text on
dark). The chart carries numbers and names only: its words (titles, what the colours
mean) go in the alt text and the caption, in the reader's language, because the fonts
here have no Devanagari, and Matplotlib does not shape Indic scripts (its conjuncts
would come out wrong even with a font that has the letters).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display: render to bytes only

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

WIDTH_PX = 720  # shown at ~360 px in a message: twice that for high-density screens
DPI = 100
TEAM_HEIGHT_PX = 760
PERSON_HEIGHT_PX = 400
SLOTS = 8  # weeks' room on the x axis, however few there are yet
PEOPLE_DRAWN = 12  # bars in the per-person panel; the alt text says how many more
NAME_CHARS = 11

CARD = "#F7F8FA"  # a solid light card: readable on light and dark themes alike
INK = "#1D1C1D"
MUTED = "#616061"
GRID = "#DDDDDD"
UNDER = "#3B6EA8"
OVER = "#D1334A"
COST = "#E8912D"
FONT = 22  # at 720 px: 8-11 px at Slack's 360 px preview

# Matplotlib keeps global state (font cache, rcParams): one drawing at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Bar:
    label: str  # a person's name, as the chart can write it
    hours: float


@dataclass(frozen=True)
class Point:
    label: str  # the week, short ("23/11")
    hours: float
    cost_label: str = ""  # written above the bar ("$2.6K"); empty for a person


def _figure(height_px: int) -> Figure:
    figure = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor=CARD)
    FigureCanvasAgg(figure)
    return figure


def _style(axes) -> None:
    axes.set_facecolor(CARD)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MUTED)
    axes.tick_params(colors=INK, labelsize=FONT - 3)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor=CARD)
    return out.getvalue()


def _hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def short_name(name: str) -> str:
    """A name the chart's font can write, short enough for its label column."""
    name = name if name.isascii() or all(ord(c) < 0x0250 for c in name) else ""
    return name[: NAME_CHARS - 1] + "…" if len(name) > NAME_CHARS else name


def _people_panel(axes, bars: Sequence[Bar], limit: float) -> None:
    _style(axes)
    shown = list(bars[:PEOPLE_DRAWN])[::-1]  # most hours at the top
    ys = range(len(shown))
    colours = [OVER if b.hours > limit else UNDER for b in shown]
    axes.barh(list(ys), [b.hours for b in shown], color=colours, height=0.7)
    axes.set_yticks(list(ys), [b.label for b in shown], fontsize=FONT - 3)
    axes.axvline(limit, color=INK, linestyle="--", linewidth=2)
    top = max([limit, *(b.hours for b in shown)]) * 1.22
    axes.set_xlim(0, top)
    axes.set_ylim(-0.6, len(shown) + 0.3)  # a row's room above the bars for the limit's label
    axes.text(limit, len(shown) - 0.45, f" {_hours(limit)} h", color=INK, fontsize=FONT - 2)
    for y, b in zip(ys, shown, strict=True):
        axes.text(
            b.hours + top * 0.01,
            y,
            _hours(b.hours),
            va="center",
            color=OVER if b.hours > limit else INK,
            fontsize=FONT - 3,
            fontweight="bold" if b.hours > limit else "normal",
        )
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=GRID)
    axes.set_axisbelow(True)


def _weeks_panel(axes, points: Sequence[Point], limit: float | None = None) -> None:
    _style(axes)
    xs = list(range(len(points)))
    values = [p.hours for p in points]
    top = max([*values, limit or 0.0, 1.0]) * 1.3
    if limit is None:  # the team: attendee-hours as bars, the cost written on each
        colours = [UNDER] * (len(points) - 1) + [COST]  # this week stands out
        axes.bar(xs, values, color=colours, width=0.7)
        for x, p in zip(xs, points, strict=True):
            axes.text(x, p.hours + top * 0.02, p.cost_label, ha="center", fontsize=FONT - 7)
    else:  # a person: their hours as a line against the limit
        axes.plot(xs, values, color=UNDER, linewidth=3, marker="o", markersize=9)
        axes.axhline(limit, color=INK, linestyle="--", linewidth=2)
        axes.text(
            0.01,
            limit + top * 0.02,
            f"{_hours(limit)} h",
            fontsize=FONT - 3,
            transform=axes.get_yaxis_transform(),  # x in axes fractions: at the left edge
        )
        for x, v in zip(xs, values, strict=True):
            if v > limit:
                axes.plot([x], [v], marker="o", markersize=12, color=OVER)
        last = values[-1]
        axes.text(
            xs[-1],
            last + top * 0.05,
            f"{_hours(last)} h",
            ha="right",
            fontsize=FONT - 1,
            fontweight="bold",
            color=OVER if last > limit else INK,
        )
    axes.set_ylim(0, top)
    # Room for the last label; a short history keeps the bars' width, this week at the right.
    pad = max(0, SLOTS - len(points)) / 2
    axes.set_xlim(-0.6 - 2 * pad, len(points) - 0.4)
    axes.set_xticks(xs, [p.label for p in points], fontsize=FONT - 6)
    # "10", not "10.0": a short label stays inside the card's left margin.
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _hours(value)))
    axes.grid(axis="y", color=GRID)
    axes.set_axisbelow(True)


def team_chart(bars: Sequence[Bar], limit: float, weeks: Sequence[Point]) -> bytes:
    """Hours per person against the limit (none when the reader may not see them), then
    the team's attendee-hours a week with the cost over each bar."""
    with _DRAWING:
        people = bool(bars)
        rows = min(len(bars), PEOPLE_DRAWN)
        height = TEAM_HEIGHT_PX if people else PERSON_HEIGHT_PX
        if people and rows < 6:
            height -= (6 - rows) * 50
        figure = _figure(height)
        if people:
            # Laid out by hand: the names need a wide left margin, the weeks don't.
            share = max(rows, 3) / (max(rows, 3) + 6)
            usable = 0.97 - 0.06 - 0.09  # top margin, bottom margin, gap between panels
            low = 0.06 + usable * (1 - share)
            _people_panel(figure.add_axes((0.25, low + 0.09, 0.72, usable * share)), bars, limit)
            _weeks_panel(figure.add_axes((0.09, 0.06, 0.88, usable * (1 - share))), weeks)
        else:
            _weeks_panel(figure.add_subplot(), weeks)
            figure.subplots_adjust(left=0.09, right=0.97, top=0.97, bottom=0.1)
        return _png(figure)


def person_chart(points: Sequence[Point], limit: float) -> bytes:
    """One person's hours a week, the last one labelled, against the limit."""
    with _DRAWING:
        figure = _figure(PERSON_HEIGHT_PX)
        _weeks_panel(figure.add_subplot(), points, limit)
        figure.subplots_adjust(left=0.1, right=0.97, top=0.95, bottom=0.12)
        return _png(figure)
