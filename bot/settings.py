"""Workspace settings as people change them: `/salesmeet config`, its grammar, and reading values.

Each row of `config` is a `Setting`: the core's below (zone, cost, limits, leads), and
each feature's own, listed in its record (`Feature.settings`). A row has a key people
type, writes one or more stored keys as text in the format its reader of stored values
expects (`bot.workspace.parse_settings` for the core's), and shows its current value as
one line of the `config` list. Reading a value raises UserError with an example when it
is not a good one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from babel.numbers import is_currency

from bot import render
from bot.i18n import LANGUAGE_NAMES, Translator
from bot.languages import read_language
from bot.mrkdwn import mention
from bot.weekdays import DAY_NAMES as TYPED_DAYS
from bot.when import parse_lead
from bot.workspace import OFF, WorkspaceSettings
from entities.errors import N_, UserError

# What a value means once read: stored keys -> text (None: back to the default).
Stored = dict[str, str | None]


@dataclass(frozen=True)
class Setting:
    """One row of `/salesmeet config`."""

    key: str  # as people type it: `reminder-lead`
    aliases: tuple[str, ...]  # other names people may type for it
    stored: tuple[str, ...]  # the stored keys it writes
    example: str  # a value, for the error that asks for one
    read: Callable[[str, WorkspaceSettings], Stored]  # (text, current) -> stored values
    show: Callable[[Translator, WorkspaceSettings], str]  # its line in the `config` list
    order: int = 0  # its place in that list; the core's rows are 10, 40, 50, ... 90
    channel: bool = False  # its value is a channel SalesMeet posts in (the id in stored[0])
    hint: bool = False  # its key and example are the ones the hint under the list shows


# -- commands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowConfig:
    pass


@dataclass(frozen=True)
class SetConfig:
    key: str  # a Setting's key
    value: str


@dataclass(frozen=True)
class ChangeManagers:
    add: bool
    user_ids: tuple[str, ...]


MANAGERS_EXAMPLE = "/salesmeet config managers add @maya"


# -- reading values ------------------------------------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_HOURS = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:h|hr|hrs|hour|hours)?$")
_COUNT = re.compile(r"^(\d{1,3})$")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_COST = re.compile(
    r"^(?:(?P<pre>[A-Za-z]{3})\s*)?(?P<sym>[$€£¥₹])?\s*(?P<amount>\d{1,6}(?:[.,]\d{1,2})?)"
    r"\s*(?P<post>[A-Za-z]{3})?$"
)
_CLEAR = {"none", "off", "unset"}
DEFAULT = "default"
MAX_WEEK_HOURS = 168
MAX_HOURLY_COST = 100_000

_ZONES: dict[str, str] | None = None


def _zones() -> dict[str, str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = {name.lower(): name for name in available_timezones()}
    return _ZONES


def read_zone(text: str) -> str:
    name = _zones().get(text.strip().lower().replace(" ", "_"))
    if name is None:
        raise UserError(
            N_(
                "“{text}” is not a time zone I know. Use its IANA name, like"
                " `/salesmeet config timezone Europe/London` or `America/New_York`."
            ),
            text=text.strip()[:60],
        )
    ZoneInfo(name)  # available_timezones() only lists loadable zones
    return name


def read_channel(text: str, key: str) -> str | None:
    """A channel's id from its # mention; None for `none`, `off` or `unset` (no channel)."""
    if text.strip().lower() in _CLEAR:
        return None
    match = _CHANNEL.match(text.strip())
    if not match:
        raise UserError(
            N_(
                "Name the channel with a # mention, like `/salesmeet config {key} #sales`,"
                " or write `none` for no channel."
            ),
            key=key,
        )
    return match.group(1)


def read_clock(text: str, key: str) -> time:
    match = _CLOCK.match(text.strip().lower())
    hour = minute = -1
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        half = (match.group(3) or "").replace(".", "")
        if half:
            hour = -1 if not 1 <= hour <= 12 else hour % 12 + (12 if half == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise UserError(
            N_(
                "I couldn't read “{text}” as a time of day. Try"
                " `/salesmeet config {key} mon 09:00`."
            ),
            text=text.strip()[:40],
            key=key,
        )
    return time(hour, minute)


def read_day_and_time(text: str, key: str, day: int, at: time) -> tuple[int, time]:
    """`mon 09:00`, `friday 4pm`, `16:00` (keeps the day) or `tue` (keeps the time)."""
    words = text.lower().replace(",", " ").split()
    words = [w for w in words if w != "at"]
    # "9 am" is one time of day.
    joined: list[str] = []
    for word in words:
        if word in ("am", "pm", "a.m.", "p.m.") and joined:
            joined[-1] += word
        else:
            joined.append(word)
    days = [w for w in joined if w in TYPED_DAYS]
    clocks = [w for w in joined if w not in TYPED_DAYS]
    if not joined or len(days) > 1 or len(clocks) > 1:
        raise UserError(
            N_("Give one day and one time, like `/salesmeet config {key} mon 09:00`."), key=key
        )
    if days:
        day = TYPED_DAYS[days[0]]
    if clocks:
        at = read_clock(clocks[0], key)
    return day, at


def read_hours(text: str, key: str, low: float, high: float) -> float:
    match = _HOURS.match(text.strip().lower())
    value = float(match.group(1).replace(",", ".")) if match else None
    if value is None or not low < value <= high:
        raise UserError(
            N_(
                "Give a number of hours a week, more than {low} and at most {high},"
                " like `/salesmeet config {key} 15`."
            ),
            key=key,
            low=number_text(low),
            high=number_text(high),
        )
    return value


def read_cost(text: str, currency: str) -> tuple[float, str]:
    """`100 USD`, `USD 100`, `$100`, `85.50 eur`, or a bare `100` (keeps the currency)."""
    match = _COST.match(text.strip())
    example = "/salesmeet config hourly-cost 100 USD"
    if not match or (match["pre"] and match["post"]):
        raise UserError(
            N_("Give the loaded cost of one person-hour and its currency code, like `{example}`."),
            example=example,
        )
    amount = float(match["amount"].replace(",", "."))
    code = (match["pre"] or match["post"] or _SYMBOLS.get(match["sym"] or "") or currency).upper()
    if not is_currency(code):
        raise UserError(
            N_(
                "“{code}” is not a currency code I know. Use one like USD, EUR or GBP: `{example}`."
            ),
            code=code,
            example=example,
        )
    if not 0 < amount <= MAX_HOURLY_COST:
        raise UserError(
            N_("The hourly cost must be more than 0 and at most {limit}, like `{example}`."),
            limit=f"{MAX_HOURLY_COST:,}",
            example=example,
        )
    return amount, code


def read_currency(text: str) -> str:
    code = _SYMBOLS.get(text.strip(), text.strip()).upper()
    if not is_currency(code):
        raise UserError(
            N_(
                "“{code}” is not a currency code I know. Use one like USD, EUR or GBP: `{example}`."
            ),
            code=code[:20],
            example="/salesmeet config currency EUR",
        )
    return code


def read_count(text: str, key: str, high: int) -> int:
    match = _COUNT.match(text.strip())
    if not match or not 1 <= int(match.group(1)) <= high:
        raise UserError(
            N_("Give a whole number from 1 to {high}, like `/salesmeet config {key} 5`."),
            key=key,
            high=high,
        )
    return int(match.group(1))


def read_users(text: str) -> tuple[str, ...]:
    users = tuple(dict.fromkeys(_USER.findall(text)))
    rest = _USER.sub("", text).replace(",", " ").replace(" and ", " ").strip()
    if not users or rest:
        raise UserError(
            N_("Name people with @mentions, like `{example}`."), example=MANAGERS_EXAMPLE
        )
    return users


def number_text(value: float) -> str:
    """15.0 -> "15", 12.5 -> "12.5": how numbers are stored and shown."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _minutes(lead: timedelta) -> str:
    return str(int(lead.total_seconds() // 60))


# -- showing values ------------------------------------------------------------------------

DAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def lead_text(tr: Translator, lead: timedelta) -> str:
    return tr.duration(lead)


def schedule_text(tr: Translator, day: int, at: time, tz: str) -> str:
    """When a weekly post goes out: "Monday at 09:00 (Europe/London)"."""
    return tr.gettext(
        "{day} at {time} ({zone})", day=tr.gettext(DAY_NAMES[day]), time=f"{at:%H:%M}", zone=tz
    )


# -- the core's settings -------------------------------------------------------------------


def _read_tz(text: str, s: WorkspaceSettings) -> Stored:
    return {"tz": read_zone(text)}


def _read_limit(text: str, s: WorkspaceSettings) -> Stored:
    return {"weekly_hours_limit": number_text(read_hours(text, "meeting-hours-limit", 0, 168))}


def _read_working(text: str, s: WorkspaceSettings) -> Stored:
    return {"working_hours": number_text(read_hours(text, "working-hours", 0, MAX_WEEK_HOURS))}


def _read_cost(text: str, s: WorkspaceSettings) -> Stored:
    amount, code = read_cost(text, s.currency)
    return {"hourly_cost": number_text(amount), "currency": code}


def _read_currency(text: str, s: WorkspaceSettings) -> Stored:
    return {"currency": read_currency(text)}


def _lead_reader(stored_key: str) -> Callable[[str, WorkspaceSettings], Stored]:
    def read(text: str, s: WorkspaceSettings) -> Stored:
        if text.strip().lower() == OFF:
            return {stored_key: OFF}  # no such posts in the channel at all
        return {stored_key: _minutes(parse_lead(text))}

    return read


# Pending agenda prompts and reminders follow these: the core plans them again.
LEAD_KEYS = frozenset({"agenda_lead_min", "reminder_lead_min"})


def _read_language(text: str, s: WorkspaceSettings) -> Stored:
    return {"language": read_language(text)}


CORE_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "language",
        ("lang", "bahasa", "bhasha"),
        ("language",),
        "ms",
        _read_language,
        lambda tr, s: tr.gettext(
            "`language`: {language} (channel posts, and anyone who hasn't chosen their own)",
            language=LANGUAGE_NAMES[s.language],
        ),
        order=5,
    ),
    Setting(
        "timezone",
        ("tz", "time-zone", "zone"),
        ("tz",),
        "Europe/London",
        _read_tz,
        lambda tr, s: tr.gettext(
            "`timezone`: {value} (weeks and weekly posts follow it)", value=s.tz
        ),
        order=10,
    ),
    Setting(
        "meeting-hours-limit",
        (
            "hours-limit",
            "weekly-limit",
            "weekly-hours-limit",
            "meeting-hours",
            "meeting-limit",
            "limit",
        ),
        ("weekly_hours_limit",),
        "15",
        _read_limit,
        lambda tr, s: tr.gettext(
            "`meeting-hours-limit`: {hours} h of meetings per person a week",
            hours=number_text(s.weekly_hours_limit),
        ),
        order=40,
    ),
    Setting(
        "working-hours",
        ("work-hours",),
        ("working_hours",),
        "40",
        _read_working,
        lambda tr, s: tr.gettext(
            "`working-hours`: {hours} h per person a week", hours=number_text(s.working_hours)
        ),
        order=50,
    ),
    Setting(
        "hourly-cost",
        ("cost", "hourly-rate"),
        ("hourly_cost", "currency"),
        "100 USD",
        _read_cost,
        lambda tr, s: tr.gettext(
            "`hourly-cost`: {amount} {currency} per person-hour",
            amount=number_text(s.hourly_cost),
            currency=s.currency,
        ),
        order=60,
    ),
    Setting(
        "currency",
        (),
        ("currency",),
        "EUR",
        _read_currency,
        lambda tr, s: tr.gettext("`currency`: {currency}", currency=s.currency),
        order=70,
    ),
    Setting(
        "agenda-lead",
        (),
        ("agenda_lead_min",),
        "24h",
        _lead_reader("agenda_lead_min"),
        lambda tr, s: (
            tr.gettext(
                "`agenda-lead`: {lead} before each meeting", lead=lead_text(tr, s.agenda_lead)
            )
            if s.agenda_prompts
            else tr.gettext("`agenda-lead`: off (no agenda prompts)")
        ),
        order=80,
    ),
    Setting(
        "reminder-lead",
        (),
        ("reminder_lead_min",),
        "15m",
        _lead_reader("reminder_lead_min"),
        lambda tr, s: (
            tr.gettext(
                "`reminder-lead`: {lead} before each meeting", lead=lead_text(tr, s.reminder_lead)
            )
            if s.reminders
            else tr.gettext("`reminder-lead`: off (no reminders)")
        ),
        order=90,
    ),
)


def config_rows(feature_rows: Sequence[Setting]) -> tuple[Setting, ...]:
    """Every row of `config`, the core's and the features', in list order. Two rows may
    not answer to one name: the second would never be reached."""
    rows = tuple(sorted([*CORE_SETTINGS, *feature_rows], key=lambda s: s.order))
    names = [name for s in rows for name in (s.key, *s.aliases)]
    clashes = sorted({n for n in names if names.count(n) > 1 or n in _MANAGER_NAMES})
    if clashes:
        raise ValueError(f"config settings share a name: {', '.join(clashes)}")
    return rows


# -- the `config` grammar ------------------------------------------------------------------

MANAGERS = "managers"
_MANAGER_NAMES = (MANAGERS, "manager")


def setting_names(rows: Sequence[Setting]) -> str:
    return ", ".join(f"`{key}`" for key in [*(s.key for s in rows), MANAGERS])


def parse_config(text: str, rows: Sequence[Setting]) -> ShowConfig | SetConfig | ChangeManagers:
    """`config`, `config <setting> <value>`, `config managers add|remove @someone`.

    Only the setting's name is checked here; its value is read by `read_value` once we
    know the person may change settings.
    """
    text = " ".join(text.split())
    if not text:
        return ShowConfig()
    names = {
        **{s.key: s.key for s in rows},
        **{alias: s.key for s in rows for alias in s.aliases},
        **dict.fromkeys(_MANAGER_NAMES, MANAGERS),
    }
    words = text.split(" ")
    # A name may be written with spaces or underscores: "reminder lead", "hourly_cost".
    for size in (3, 2, 1):
        name = "-".join(words[:size]).lower().replace("_", "-")
        if name in names and len(words) >= size:
            key, value = names[name], " ".join(words[size:]).strip()
            break
    else:
        raise UserError(
            N_("I don't know the setting “{name}”. The settings are: {names}."),
            name=words[0][:40],
            names=setting_names(rows),
        )
    if key == MANAGERS:
        verb, _, rest = value.partition(" ")
        if verb.lower() not in ("add", "remove"):
            raise UserError(
                N_(
                    "Use `{example}` or `/salesmeet config managers remove @maya`"
                    " to change who the managers are."
                ),
                example=MANAGERS_EXAMPLE,
            )
        return ChangeManagers(verb.lower() == "add", read_users(rest))
    if not value:
        raise UserError(
            N_("Give a value for {key}, like `/salesmeet config {key} {example}`."),
            key=key,
            example=row_of(rows, key).example,
        )
    return SetConfig(key, value)


def row_of(rows: Sequence[Setting], key: str) -> Setting:
    return next(s for s in rows if s.key == key)


def read_value(setting: Setting, text: str, current: WorkspaceSettings) -> Stored:
    """The stored values a `config <setting> <value>` command means; `default` puts a
    setting back to its default."""
    if text.strip().lower() == DEFAULT:
        return dict.fromkeys(setting.stored)
    return setting.read(text, current)


def managers_after(current: frozenset[str], command: ChangeManagers) -> str | None:
    """The stored `managers` value after adding or removing people."""
    if command.add:
        changed = [*sorted(current), *(u for u in command.user_ids if u not in current)]
    else:
        changed = sorted(u for u in current if u not in command.user_ids)
    return ",".join(changed) or None


# -- answers -------------------------------------------------------------------------------


def managers_line(tr: Translator, s: WorkspaceSettings) -> str:
    managers = (
        tr.gettext(
            "{people}, and the workspace's admins and owners",
            people=", ".join(mention(u) for u in sorted(s.managers)),
        )
        if s.managers
        else tr.gettext("the workspace's admins and owners")
    )
    return tr.gettext("`managers`: {value}", value=managers)


def config_message(tr: Translator, rows: Sequence[Setting], s: WorkspaceSettings) -> dict:
    """Every setting with its current value, and how to change one."""
    head = tr.gettext("*Workspace settings*")
    example = next((r for r in rows if r.hint), rows[0])
    hint = tr.gettext(
        "Change one with `/salesmeet config <setting> <value>`, like `{example}`;"
        " `default` puts a setting back to its default.",
        example=f"/salesmeet config {example.key} {example.example}",
    )
    lines = [row.show(tr, s) for row in rows] + [managers_line(tr, s)]
    body = "\n".join(f"• {line}" for line in lines)
    return render.message(head, [render.section(head), render.section(body), render.context(hint)])


def saved_message(tr: Translator, line: str, notes: Sequence[str] = ()) -> dict:
    """A setting just changed: its line as it is now, and notes about what follows."""
    text = tr.gettext(":white_check_mark: Saved. {setting}", setting=line)
    return render.message(text, [render.section(text)] + [render.context(n) for n in notes])
