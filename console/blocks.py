"""Block Kit and mrkdwn as plain text for the terminal.

Mentions and channels become names, links become `label (url)`, Slack date tokens are
written in the reader's own zone (as each Slack client would), and every button gets a
number the console can press. What the console adds of its own (`(press 3)`, a field's
`required`) is in the reader's language, through the catalogue; Slack's own words (its
date tokens' "today", "in 2 hours") stay as Slack's clients write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator, translator
from simulator.workspace import LOCAL

# Called for each interactive element; returns the number to press it with.
OnElement = Callable[[dict, dict], int]

_TOKEN = re.compile(r"<([^<>]*)>")
_DATE = re.compile(r"^!date\^(-?\d+)\^([^^|]*)(?:\^[^|]*)?(?:\|(.*))?$", re.DOTALL)
INDENT = "  "


@dataclass(frozen=True)
class Reader:
    """Whose eyes: their zone decides how date tokens read, their language the console's
    own words."""

    tz: str
    now: datetime
    tr: Translator = field(default_factory=translator)


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def short_day(day: datetime) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def clock_text(instant: datetime, tz: str) -> str:
    """`Mon 23 Nov 09:00` in `tz`."""
    at = local(instant, tz)
    return f"{short_day(at)} {at:%H:%M}"


def _pretty(at: datetime, reader: Reader, plain: str) -> str:
    today = local(reader.now, reader.tz).date()
    names = {0: "today", 1: "tomorrow", -1: "yesterday"}
    return names.get((at.date() - today).days, plain)


def _ago(at: datetime, reader: Reader) -> str:
    seconds = int((at - reader.now).total_seconds())
    span = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if span >= size:
            n = span // size
            words = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {words}" if seconds > 0 else f"{words} ago"
    return "now"


def date_text(epoch: int, fmt: str, reader: Reader) -> str:
    """A Slack date token's format, filled in for the reader's zone."""
    at = local(datetime.fromtimestamp(epoch, ZoneInfo("UTC")), reader.tz)
    short = short_day(at)
    long_ = f"{at:%A} {at.day} {at:%B} {at.year}"
    values = {
        "date_num": at.date().isoformat(),
        "date": f"{at.day} {at:%B} {at.year}",
        "date_short": short,
        "date_long": long_,
        "date_pretty": _pretty(at, reader, f"{at.day} {at:%B} {at.year}"),
        "date_short_pretty": _pretty(at, reader, short),
        "date_long_pretty": _pretty(at, reader, long_),
        "day_divider_pretty": _pretty(at, reader, long_),
        "time": f"{at:%H:%M}",
        "time_secs": f"{at:%H:%M:%S}",
        "ago": _ago(at, reader),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), fmt)


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn(text: str, reader: Reader) -> str:
    """Slack's markup as a person reads it (escaped user text shows literally)."""

    def token(match: re.Match) -> str:
        inner = match.group(1)
        label = inner.split("|", 1)[1] if "|" in inner else None
        if inner.startswith("@"):
            who = LOCAL.member(inner[1:].split("|")[0])
            return "@" + (who.name if who else label or inner[1:].split("|")[0])
        if inner.startswith("#"):
            where = LOCAL.channel(inner[1:].split("|")[0])
            return "#" + (where.name if where else label or inner[1:].split("|")[0])
        if inner.startswith("!date^"):
            date = _DATE.match(inner)
            if date:
                return date_text(int(date.group(1)), date.group(2), reader)
            return label or inner
        if inner.startswith("!subteam^"):
            return label or "@group"
        if inner.startswith("!"):
            return "@" + inner[1:].split("|")[0]
        url = inner.split("|", 1)[0]
        if url.startswith("mailto:"):
            return label or url[len("mailto:") :]
        return f"{label} ({url})" if label and label != url else url

    return unescape(_TOKEN.sub(token, text))


def _text(obj: dict | str | None, reader: Reader) -> str:
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    raw = obj.get("text") or ""
    return mrkdwn(raw, reader) if obj.get("type") == "mrkdwn" else unescape(raw)


def _indent(text: str, prefix: str = INDENT) -> list[str]:
    return [prefix + line if line else "" for line in text.splitlines() or [""]]


def element_text(element: dict, reader: Reader, number: int | None) -> str:
    """A button as `[Label] (press 3)`; a menu with its options."""
    kind = element.get("type", "")
    label = _text(element.get("text") or element.get("placeholder"), reader) or kind
    press = " " + reader.tr.gettext("(press {n})", n=number) if number is not None else ""
    if kind == "button":
        link = f" {element['url']}" if element.get("url") else ""
        return f"[{label}]{link}{press}"
    options = [
        _text(o.get("text"), reader)
        for group in [element.get("options") or []]
        + [g.get("options") or [] for g in element.get("option_groups") or []]
        for o in group
    ]
    choices = f": {' | '.join(options)}" if options else ""
    return f"[{label} ▾{choices}]{press}"


def render_blocks(blocks: list[dict], reader: Reader, on_element: OnElement) -> list[str]:
    """Lines for a message's or a view's blocks (inputs excepted: see `input_line`)."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            if block.get("text"):
                lines += _indent(_text(block["text"], reader))
            for f in block.get("fields") or []:
                lines += _indent(_text(f, reader), INDENT * 2)
            accessory = block.get("accessory")
            if accessory and accessory.get("type") not in ("image", None):
                lines.append(
                    INDENT * 2 + element_text(accessory, reader, on_element(accessory, block))
                )
        elif kind == "header":
            lines += _indent(_text(block.get("text"), reader).upper())
        elif kind == "divider":
            lines.append(INDENT + "─" * 40)
        elif kind == "context":
            parts = [
                _text(e, reader) if e.get("type") != "image" else f"[{e.get('alt_text', 'image')}]"
                for e in block.get("elements") or []
            ]
            lines += _indent("  ".join(parts), INDENT + "· ")
        elif kind == "actions":
            shown = [
                element_text(e, reader, on_element(e, block)) for e in block.get("elements") or []
            ]
            lines.append(INDENT + "  ".join(shown))
        elif kind == "image":
            image = reader.tr.gettext("image: {description}", description=block.get("alt_text", ""))
            lines.append(INDENT + f"[{image}]")
        elif kind == "rich_text":
            lines += _indent(_rich_text(block, reader))
        elif kind == "input":
            lines.append(INDENT + input_line(block, reader))
        else:
            lines.append(INDENT + "[" + reader.tr.gettext("{kind} block", kind=kind) + "]")
    return lines


def _rich_text(block: dict, reader: Reader) -> str:
    out: list[str] = []

    def walk(node: dict) -> None:
        if node.get("type") == "text":
            out.append(node.get("text", ""))
        elif node.get("type") == "user":
            who = LOCAL.member(node.get("user_id", ""))
            out.append("@" + (who.name if who else node.get("user_id", "")))
        elif node.get("type") == "link":
            out.append(node.get("text") or node.get("url", ""))
        for child in node.get("elements") or []:
            walk(child)
        if node.get("type") in ("rich_text_section", "rich_text_preformatted"):
            out.append("\n")

    walk(block)
    return "".join(out).strip()


def input_line(block: dict, reader: Reader) -> str:
    """One modal field: its name to type, label, kind, options and hint."""
    element = block.get("element") or {}
    label = _text(block.get("label"), reader)
    kind = element.get("type", "").replace("_", " ")
    options = [str(o.get("value")) for o in element.get("options") or []]
    parts = [f"{block.get('block_id')}: {label} ({kind}"]
    if options:
        parts.append(f": {', '.join(options)}")
    parts.append(")" if block.get("optional") else ", " + reader.tr.gettext("required") + ")")
    hint = _text(block.get("hint"), reader)
    return "".join(parts) + (f" — {hint}" if hint else "")


def when_line(instant: datetime, tz: str, place: str, tr: Translator | None = None) -> str:
    """A header for things that happened at a (simulated) time."""
    at = (tr or translator()).gettext(
        "{clock} ({place} time)", clock=clock_text(instant, tz), place=place
    )
    return f"── {at} " + "─" * 8


def duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"
