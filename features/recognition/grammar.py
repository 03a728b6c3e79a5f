"""The recognition verbs of `/salesmeet`: text in, a command out (or a UserError with an example).

Slack sends mentions escaped (`<@U123|maya>` or `<@U123>`), because the manifest sets
`should_escape: true`. Who may do what (managers, yourself, the bot) is checked when
the command runs, since that needs to know who asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entities.errors import N_, UserError
from features.recognition.amounts import (
    WIN_EXAMPLE,
    currency_code,
    looks_like_amount,
    parse_amount,
)
from features.recognition.periods import MONTH, QUARTER, WEEK

SHOUTOUT_EXAMPLE = "/salesmeet shoutout @maya for turning the Acme renewal around"
WIN_FOR_EXAMPLE = "/salesmeet win 12,500 Acme renewal for @maya"
GOAL_EXAMPLE = "/salesmeet goal 100k per month"
LEADERBOARD_EXAMPLE = "/salesmeet leaderboard month"
MAX_REASON = 500
MAX_NOTE = 300
MAX_RECIPIENTS = 10

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_LEADING_MENTION = re.compile(r"^\s*(?:,|&amp;|&|\band\b)?\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"^<[!#][^>]*>")
_RAW_AT = re.compile(r"^@(\S+)")
_FOR_MENTION = re.compile(r"(?:^|\s)for\s+<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", re.IGNORECASE)
_FOR_RAW = re.compile(r"(?:^|\s)for\s+@(\S+)", re.IGNORECASE)
_GOAL_PERIOD = re.compile(
    r"(?:(?:\s+(?:per|a|an|each|every)\s+|\s*/\s*)(?P<unit>month|quarter|qtr|week|year|day)"
    r"|\s+(?P<adverb>monthly|quarterly|weekly|yearly|annually|daily))$",
    re.IGNORECASE,
)
_CLEAR = {"clear", "off", "none", "remove", "reset"}
_LEADERBOARD_PERIOD = re.compile(
    r"^(?:(?P<which>this|last|previous)\s+)?(?P<kind>week|month|quarter)$", re.IGNORECASE
)


@dataclass(frozen=True)
class GiveShoutout:
    recipients: tuple[str, ...]
    reason: str

    @property
    def request_key(self) -> str:
        """What makes two shout-outs "the same" for the repeat check."""
        return ",".join(sorted(self.recipients)) + "\x1f" + " ".join(self.reason.lower().split())


@dataclass(frozen=True)
class LogWin:
    amount_cents: int
    currency: str | None  # an ISO code, "$" (read in the workspace's favour) or the default
    note: str
    for_user: str | None = None

    def request_key(self, user_id: str, currency: str) -> str:
        note = " ".join(self.note.lower().split())
        return f"{user_id}\x1f{self.amount_cents}\x1f{currency}\x1f{note}"


@dataclass(frozen=True)
class SetGoal:
    amount_cents: int
    period: str  # month | quarter
    currency: str | None = None


@dataclass(frozen=True)
class ShowGoal:
    pass


@dataclass(frozen=True)
class ClearGoal:
    pass


@dataclass(frozen=True)
class ShowLeaderboard:
    period: str = WEEK
    previous: bool = False


def parse_shoutout(text: str) -> GiveShoutout:
    """`@maya @ravi for the demo` → recipients (U ids) and the reason."""
    text = text.strip()
    recipients: list[str] = []
    while True:
        match = _LEADING_MENTION.match(text) if recipients else MENTION.match(text)
        if not match:
            break
        if match.group(1) not in recipients:
            recipients.append(match.group(1))
        text = text[match.end() :].strip()
    if not recipients:
        _no_person(text, SHOUTOUT_EXAMPLE)
    if len(recipients) > MAX_RECIPIENTS:
        raise UserError(
            N_("Give a shout-out to at most {limit} people at once."), limit=MAX_RECIPIENTS
        )
    reason = text.lstrip(":-–—,").strip()
    if not reason:
        raise UserError(
            N_("Say why they deserve it, like `{example}`."), "reason", example=SHOUTOUT_EXAMPLE
        )
    if len(reason) > MAX_REASON:
        raise UserError(
            N_("Keep the reason under {limit} characters (yours has {length})."),
            "reason",
            limit=MAX_REASON,
            length=len(reason),
        )
    return GiveShoutout(tuple(recipients), reason)


def _no_person(text: str, example: str) -> None:
    if _SPECIAL.match(text):
        raise UserError(
            N_(
                "Shout-outs go to people, not to channels or groups. Mention a person,"
                " like `{example}`."
            ),
            example=example,
        )
    raw = _RAW_AT.match(text)
    if raw:
        raise UserError(
            N_(
                "I couldn't tell who “@{name}” is. Pick the person from Slack's @ list so the"
                " name becomes a mention, like `{example}`."
            ),
            name=raw.group(1)[:40],
            example=example,
        )
    raise UserError(N_("Say who the shout-out is for, like `{example}`."), example=example)


def parse_win(text: str) -> LogWin:
    """`12,500 USD Acme renewal for @maya` → amount, currency, note, and whose win it is."""
    text = text.strip()
    found = _FOR_MENTION.findall(text)
    if len(set(found)) > 1:
        raise UserError(
            N_("Log a win for one person at a time, like `{example}`."), example=WIN_FOR_EXAMPLE
        )
    for_user = found[0] if found else None
    text = _FOR_MENTION.sub(" ", text).strip()
    raw = _FOR_RAW.search(text) if for_user is None else None
    if raw:
        raise UserError(
            N_(
                "I couldn't tell who “@{name}” is. Pick the person from Slack's @ list so the"
                " name becomes a mention, like `{example}`."
            ),
            name=raw.group(1)[:40],
            example=WIN_FOR_EXAMPLE,
        )
    words = text.split()
    if not words:
        raise UserError(
            N_("Say how much the deal was worth and what it was, like `{example}`."),
            "amount",
            example=WIN_EXAMPLE,
        )
    currency = None
    # `USD 12,500 …` as well as `12,500 USD …`
    if len(words) > 1 and currency_code(words[0]) and looks_like_amount(words[1]):
        currency = currency_code(words.pop(0))
    amount, symbol = parse_amount(words.pop(0), WIN_EXAMPLE)
    currency = currency or symbol
    if words and currency is None and currency_code(words[0]):
        currency = currency_code(words.pop(0))
    note = " ".join(words)
    if not note:
        raise UserError(
            N_("Add a few words about the deal, like `{example}`."), "note", example=WIN_EXAMPLE
        )
    if len(note) > MAX_NOTE:
        raise UserError(
            N_("Keep the note under {limit} characters (yours has {length})."),
            "note",
            limit=MAX_NOTE,
            length=len(note),
        )
    return LogWin(amount, currency, note, for_user)


def parse_goal(text: str) -> ShowGoal | ClearGoal | SetGoal:
    """`` → show; `clear` → clear; `100k per month` / `250,000 USD per quarter` → set."""
    text = text.strip()
    if not text:
        return ShowGoal()
    if text.lower() in _CLEAR:
        return ClearGoal()
    match = _GOAL_PERIOD.search(" " + text)
    if not match:
        if looks_like_amount(text.split()[0]):
            raise UserError(
                N_("Say whether the goal is per month or per quarter, like `{example}`."),
                "period",
                example=GOAL_EXAMPLE,
            )
        raise UserError(
            N_(
                "Use `/salesmeet goal` to see the team's progress, or `{example}` to set the"
                " goal (managers)."
            ),
            example=GOAL_EXAMPLE,
        )
    unit = (match.group("unit") or match.group("adverb") or "").lower()
    if unit in ("month", "monthly"):
        period = MONTH
    elif unit in ("quarter", "qtr", "quarterly"):
        period = QUARTER
    else:
        raise UserError(
            N_("A team goal is per month or per quarter, like `{example}`."),
            "period",
            example=GOAL_EXAMPLE,
        )
    words = (" " + text)[: match.start()].split()
    if not words:
        raise UserError(
            N_("Say how much the goal is, like `{example}`."), "amount", example=GOAL_EXAMPLE
        )
    currency = None
    if len(words) > 1 and currency_code(words[0]):
        currency = currency_code(words.pop(0))
    amount, symbol = parse_amount(words.pop(0), GOAL_EXAMPLE)
    currency = currency or symbol
    if words and currency is None and currency_code(words[0]):
        currency = currency_code(words.pop(0))
    if words:
        raise UserError(
            N_("Write the goal as an amount and a period, like `{example}`."),
            example=GOAL_EXAMPLE,
        )
    return SetGoal(amount, period, currency)


def parse_leaderboard(text: str) -> ShowLeaderboard:
    """`` / `week` / `this month` / `last quarter`."""
    text = " ".join(text.split())
    if not text:
        return ShowLeaderboard()
    match = _LEADERBOARD_PERIOD.match(text)
    if not match:
        raise UserError(
            N_(
                "Use `/salesmeet leaderboard` (this week), or add `week`, `month` or `quarter`,"
                " like `{example}`."
            ),
            example=LEADERBOARD_EXAMPLE,
        )
    previous = (match.group("which") or "").lower() in ("last", "previous")
    return ShowLeaderboard(match.group("kind").lower(), previous)


# verb -> reader of the rest of the command text (see bot/command.py)
VERBS = {
    "shoutout": parse_shoutout,
    "shout-out": parse_shoutout,
    "win": parse_win,
    "goal": parse_goal,
    "leaderboard": parse_leaderboard,
}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP = (
    N_("`/salesmeet shoutout @person <reason>` thanks a teammate in this channel."),
    N_(
        "`/salesmeet win <amount> [<currency>] <note>` logs a closed deal, like"
        " `win 12.5k Acme renewal`; managers add `for @person`."
    ),
    N_(
        "`/salesmeet goal <amount> per month|quarter` sets the team's target (managers);"
        " `/salesmeet goal` shows progress and the pace needed."
    ),
    N_(
        "`/salesmeet leaderboard [week|month|quarter]` ranks wins and shout-outs"
        " (default: this week; `last month` works too)."
    ),
)
