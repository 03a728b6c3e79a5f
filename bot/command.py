"""The `/salesmeet` grammar: text in, a command out (or a UserError that says how to write it).

This module only splits and names the parts; times, durations, attendees and
formats are read by their own functions when the command runs, because reading
a time needs the user's zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import ClassVar

from bot.mrkdwn import unescape
from entities.errors import N_, Example, UserError

MAX_COMMAND = 2000
SCHEDULE_EXAMPLE = Example('/salesmeet schedule "Pipeline review" tomorrow 3pm for 45m with @maya')
LIST_PAGE_SIZE = 20  # meetings on one page of `list`
LIST_MORE_ACTION = "list_show_more"  # the Show more button under a page of `list`
MAX_PAGE = 999_999_999


@dataclass(frozen=True)
class OpenModal:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class ListMeetings:
    """`list [mine] [page <n>]`: one page of upcoming meetings, LIST_PAGE_SIZE a page."""

    mine: bool = False
    page: int = 1
    size: ClassVar[int] = LIST_PAGE_SIZE

    @property
    def value(self) -> str:
        """What a Show more button carries to ask for this page (read by `read_list_page`)."""
        return f"{'mine' if self.mine else 'all'}:{self.page}"

    @property
    def more(self) -> tuple[str, str]:
        """The Show more button under this page: its action id and the next page's value."""
        return LIST_MORE_ACTION, ListMeetings(self.mine, self.page + 1).value


@dataclass(frozen=True)
class ShowMeeting:
    number: int


@dataclass(frozen=True)
class CancelMeeting:
    number: int


@dataclass(frozen=True)
class ShowAgenda:
    number: int


@dataclass(frozen=True)
class AddAgendaItem:
    number: int
    text: str


@dataclass(frozen=True)
class SkipOccurrence:
    number: int
    day: str


@dataclass(frozen=True)
class MoveMeeting:
    number: int
    when: str
    day: str | None = None  # which occurrence of a series


@dataclass(frozen=True)
class Schedule:
    """`when` is empty when a leading repeating schedule holds the time (`every monday
    9am`, `weekly on mon and wed at 10`): then `every` is that whole phrase (without
    `every`, with its `weekly`/`daily` word) and the time is read from it."""

    title: str
    when: str
    duration: str | None = None
    attendees: str | None = None
    purpose: str | None = None
    venue: str | None = None
    every: str | None = None
    until: str | None = None
    agenda_lead: str | None = None
    reminder_lead: str | None = None
    outcome: str | None = None  # `outcome off`: no outcome prompt for this meeting

    @property
    def request_key(self) -> str:
        """What makes two requests "the same" for the repeat check."""
        parts = (
            self.title,
            self.when,
            self.duration,
            self.attendees,
            self.purpose,
            self.venue,
            self.every,
            self.until,
            self.agenda_lead,
            self.reminder_lead,
            self.outcome,
        )
        return "\x1f".join(" ".join((p or "").lower().split()) for p in parts)


@dataclass(frozen=True)
class EditMeeting:
    """`edit #3 [clauses]`: with no clause the form opens filled in with the meeting; each
    clause changes only what it names (the words are read as in `schedule`)."""

    number: int
    title: str | None = None
    duration: str | None = None
    attendees: str | None = None  # `@a, @b` replaces; `+@sam` adds; `-@ravi` removes
    purpose: str | None = None
    venue: str | None = None
    agenda_lead: str | None = None
    reminder_lead: str | None = None
    outcome: str | None = None
    every: str | None = None  # a weekly series, met every N weeks: `every other week`

    @property
    def opens_form(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self) if f.name != "number")


Command = (
    OpenModal
    | Help
    | ListMeetings
    | ShowMeeting
    | CancelMeeting
    | Schedule
    | ShowAgenda
    | AddAgendaItem
    | SkipOccurrence
    | MoveMeeting
    | EditMeeting
)

# Straight and typographic quotes: Slack clients may "smarten" what people type.
_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“", "«": "»", "'": "'", "‘": "’"}
_CLAUSES = {
    "for": "duration",
    "with": "attendees",
    "type": "purpose",
    "via": "venue",
    "every": "every",
    "until": "until",
    "agenda": "agenda_lead",
    "reminder": "reminder_lead",
    "outcome": "outcome",
}
# Malay clause words where its word order is English's (`selama 1 jam`, `dengan @ravi`);
# हर/har (Hindi "every") comes first too. Latin `har` is also a name (Har Kishan), so
# mid-command it is a clause word only before a word of time (`har hafte`, `har somvar`).
# Hindi users write the English clause words otherwise.
_ALIASES = {
    "selama": "for",
    "dengan": "with",
    "setiap": "every",
    "melalui": "via",
    "हर": "every",
    "har": "every",
}
_HAR_BEFORE = (
    r"har(?=\s+(?:hafte|hafta|din|roz|mahine|mahina|saal|dusre|somvar|mangalvar|budhvar"
    r"|guruvar|shukravar|shanivar|ravivar|\d))"
)
_CLAUSE_SPLIT = re.compile(
    rf"\s+({'|'.join([*_CLAUSES, *(a for a in _ALIASES if a != 'har'), _HAR_BEFORE])})\s+",
    re.IGNORECASE,
)
# Hindi says a length after it: `कल 3 बजे 1 घंटे के लिए` is `कल 3 बजे for 1 घंटे`. A number
# (or आधे, डेढ़, ढाई: half, one and a half, two and a half; डेढ़ with ढ़ as one character or
# two) and a unit, once or twice; never a clock time (`3 बजे`).
_HINDI_AMOUNT = (
    r"(?:\d+(?:[.,]\d+)?|आधा|आधे|डे\u0922\u093c|डे\u095d|ढाई|aadha|aadhe|adha|adhe|dedh|dhai)"
)
_HINDI_LENGTH = re.compile(
    rf"(?<!\S)(?P<length>(?:{_HINDI_AMOUNT}\s*(?!(?:बजे|baje)(?!\S))[^\s\d]+\s+){{1,2}}?)"
    r"(?:के\s+लिए|ke\s+liye)(?!\S)",
    re.IGNORECASE,
)
EDIT_EXAMPLE = Example("/salesmeet edit #3 for 45m via https://zoom.us/j/1 reminder off")
# A repeating schedule may come first and hold the time: `weekly on mon and wed at 10`.
_LEADING_RULE = re.compile(r"(?:weekly|daily|fortnightly|monthly|har)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^#?(\d{1,9})$")
_NUMBER_THEN = re.compile(r"^#?(\d{1,9})(?:\s+(.*))?$", re.DOTALL)
_MOVE_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
# fullmatch, ASCII digits only (bot/values.py): a page number, and a Show more button's value.
_PAGE = re.compile(r"[0-9]{1,9}")
_LIST_PAGE = re.compile(r"(all|mine):([0-9]{1,9})")


def parse_command(text: str, verbs: Mapping[str, Callable[[str], object]] | None = None) -> Command:
    """The command `text` asks for; `verbs` are the features' (their readers of the rest)."""
    # Slack sends what people typed with &, < and > escaped; we work on their words and
    # escape again whenever we post (bot/mrkdwn.py).
    text = unescape(text or "").strip()
    if len(text) > MAX_COMMAND:
        raise UserError(
            N_("That command is too long ({length} characters; at most {limit})."),
            length=len(text),
            limit=MAX_COMMAND,
        )
    if not text:
        return OpenModal()
    verb, _, rest = text.partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb == "help":
        return Help()
    if verb == "list":
        return _parse_list(rest)
    if verb == "show":
        return ShowMeeting(_meeting_number(rest, "/salesmeet show #12"))
    if verb == "cancel":
        return CancelMeeting(_meeting_number(rest, "/salesmeet cancel #12"))
    if verb == "schedule":
        return _parse_schedule(rest)
    if verb == "agenda":
        return _parse_agenda(rest)
    if verb == "skip":
        number, day = _number_then(rest, "/salesmeet skip #12 Dec 8")
        if not day:
            raise UserError(
                N_("Say which day to skip, like `{example}`."), example="/salesmeet skip #12 Dec 8"
            )
        return SkipOccurrence(number, day)
    if verb == "move":
        return _parse_move(rest)
    if verb == "edit":
        return _parse_edit(rest)
    feature_parser = (verbs or {}).get(verb)
    if feature_parser is not None:
        return feature_parser(rest)
    raise UserError(
        N_("I don't know “{verb}”. Try `/salesmeet help` for the commands."), verb=verb[:40]
    )


def _meeting_number(text: str, example: str) -> int:
    match = _NUMBER.match(text.strip())
    if not match:
        raise UserError(
            N_("Give the meeting's number, like `{example}`."),
            example=example,
        )
    return int(match.group(1))


def _number_then(text: str, example: str) -> tuple[int, str]:
    match = _NUMBER_THEN.match(text.strip())
    if not match:
        raise UserError(N_("Give the meeting's number, like `{example}`."), example=example)
    return int(match.group(1)), (match.group(2) or "").strip()


def _parse_list(text: str) -> ListMeetings:
    words = text.lower().split()
    mine = words[:1] == ["mine"]
    words = words[1:] if mine else words
    if not words:
        return ListMeetings(mine=mine)
    if words[0] != "page":
        raise UserError(
            N_("Use `/salesmeet list`, `/salesmeet list mine` or `/salesmeet list page 2`.")
        )
    page = words[1] if len(words) == 2 else ""
    if not _PAGE.fullmatch(page) or not 1 <= int(page) <= MAX_PAGE:
        raise UserError(
            N_("Pages are numbered from 1: write `{example}`."),
            example="/salesmeet list mine page 2" if mine else "/salesmeet list page 2",
        )
    return ListMeetings(mine=mine, page=int(page))


def read_list_page(value: object) -> ListMeetings | None:
    """The page a Show more button asks for (`all:2`, `mine:3`); None for anything else."""
    match = _LIST_PAGE.fullmatch(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= MAX_PAGE:
        return None
    return ListMeetings(mine=match.group(1) == "mine", page=int(match.group(2)))


def _parse_agenda(text: str) -> ShowAgenda | AddAgendaItem:
    example = "/salesmeet agenda #12 add Q4 pipeline by region"
    number, rest = _number_then(text, example)
    if not rest:
        return ShowAgenda(number)
    verb, _, item = rest.partition(" ")
    if verb.lower() != "add":
        raise UserError(
            N_("Use `/salesmeet agenda #12` to see an agenda, or `{example}` to add to it."),
            example=example,
        )
    if not item.strip():
        raise UserError(N_("Say what to add, like `{example}`."), "agenda", example=example)
    return AddAgendaItem(number, item.strip())


def _parse_move(text: str) -> MoveMeeting:
    example = "/salesmeet move #12 fri 10am"
    number, rest = _number_then(text, example)
    if not rest:
        raise UserError(N_("Say when to move it to, like `{example}`."), example=example)
    parts = _MOVE_TO.split(rest, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return MoveMeeting(number, parts[1].strip(), day=parts[0].strip())
    return MoveMeeting(number, rest)


def _parse_edit(text: str) -> EditMeeting:
    number, rest = _number_then(text, "/salesmeet edit #3")
    title = None
    close = _QUOTES.get(rest[:1])
    if close:
        end = rest.find(close, 1)
        if end < 0:
            raise UserError(
                N_("Put the new title in quotes, like `{example}`."),
                "title",
                example=f'/salesmeet edit #{number} "Q1 pipeline review"',
            )
        title, rest = rest[1:end], rest[end + 1 :]
    rest, length = _length_after(rest)
    pieces = _CLAUSE_SPLIT.split(" " + rest + " ")
    if pieces[0].strip():
        raise UserError(
            N_(
                "I can't change “{text}” with edit. Name what to change, like `{example}`;"
                " to change the time, use `/salesmeet move #{number} <when>`."
            ),
            text=pieces[0].strip()[:80],
            example=EDIT_EXAMPLE,
            number=number,
        )
    clauses = _read_clauses(pieces)
    _add_length(clauses, length)
    if "until" in clauses or ("every" in clauses and read_weeks_apart(clauses["every"]) is None):
        raise UserError(
            N_(
                "A weekly series can meet less often (`/salesmeet edit #{number} every other"
                " week`); for any other change to how it repeats, cancel it"
                " (`/salesmeet cancel #{number}`) and schedule the new one."
            ),
            "every",
            number=number,
        )
    return EditMeeting(number, title, **clauses)


_WEEKS_APART = re.compile(r"^(?:(other)|(\d{1,2}))?\s*weeks?$")


def read_weeks_apart(text: str) -> int | None:
    """`every other week` -> 2, `every 3 weeks` -> 3, `every week` -> 1; None otherwise."""
    found = _WEEKS_APART.match(" ".join(text.lower().split()))
    if found is None:
        return None
    weeks = 2 if found[1] else int(found[2] or 1)
    return weeks if 1 <= weeks <= 12 else None


def _read_clauses(pieces: list[str]) -> dict[str, str]:
    """The clauses after the split on their keywords: name -> text, each said once."""
    clauses: dict[str, str] = {}
    for keyword, value in zip(pieces[1::2], pieces[2::2], strict=True):
        name = _clause(keyword)
        if name in clauses:
            raise UserError(N_("Say “{keyword}” only once."), name, keyword=keyword.lower())
        if not value.strip():
            raise UserError(
                N_("“{keyword}” needs something after it, like `{example}`."),
                name,
                keyword=keyword.lower(),
                example=SCHEDULE_EXAMPLE,
            )
        clauses[name] = value.strip()
    return clauses


def _clause(keyword: str) -> str:
    """The part a clause keyword names: `for` and `selama` are both the duration."""
    keyword = keyword.lower()
    return _CLAUSES[_ALIASES.get(keyword, keyword)]


def _length_after(text: str) -> tuple[str, dict[str, str]]:
    """`text` without a Hindi length said with its postposition (`1 घंटे के लिए`), and
    that length as the duration clause."""
    found = _HINDI_LENGTH.search(text)
    if found is None:
        return text, {}
    rest = f"{text[: found.start()]} {text[found.end() :]}"
    return " ".join(rest.split()), {"duration": found["length"].strip()}


def _add_length(clauses: dict[str, str], length: dict[str, str]) -> None:
    if length and "duration" in clauses:
        raise UserError(N_("Say “{keyword}” only once."), "duration", keyword="for")
    clauses.update(length)


def _parse_schedule(text: str) -> Schedule:
    if not text:
        raise UserError(
            N_("Tell me what and when, like `{example}`."), "title", example=SCHEDULE_EXAMPLE
        )
    close = _QUOTES.get(text[0])
    end = text.find(close, 1) if close else -1
    if end < 0:
        raise UserError(
            N_("Put the title in quotes, like `{example}`."), "title", example=SCHEDULE_EXAMPLE
        )
    title = text[1:end]
    if not title.strip():
        raise UserError(N_("The meeting needs a title."), "title")
    rest, length = _length_after(text[end + 1 :].strip())
    # Split on the clause keywords; the text before the first one is the time.
    pieces = _CLAUSE_SPLIT.split(" " + rest + " ")
    when = pieces[0].strip()
    clauses: dict[str, str] = {}
    if _LEADING_RULE.match(when):  # "weekly on mon at 10": the rule holds the time
        clauses["every"], when = when, ""
    elif not when and pieces[1:2] and _clause(pieces[1]) == "every":
        pass  # "every monday 9am": the `every` clause holds the time
    elif not when:
        raise UserError(
            N_("Say when the meeting is, like `{example}`."), "when", example=SCHEDULE_EXAMPLE
        )
    for name, value in _read_clauses(pieces).items():
        if name in clauses:  # `every` said twice: before the time and after it
            raise UserError(N_("Say “{keyword}” only once."), name, keyword=name)
        clauses[name] = value
    _add_length(clauses, length)
    return Schedule(title=title, when=when, **clauses)


def command_text(command: Schedule | EditMeeting) -> str | None:
    """The `/salesmeet` text that asks for `command` again (read back by parse_command to
    the same command); None when its title can't be quoted."""
    title = getattr(command, "title", None)
    quoted = ""
    if title is not None:
        quote = next((q for q in ('"', "“") if _QUOTES[q] not in title), None)
        if quote is None:
            return None
        quoted = f"{quote}{title}{_QUOTES[quote]}"
    if isinstance(command, Schedule):
        head = ["schedule", quoted]
        if command.when:
            head += [command.when] + (["every", command.every] if command.every else [])
        elif command.every and _LEADING_RULE.match(command.every):
            head.append(command.every)
        else:
            head += ["every", command.every or ""]
        skip = {"title", "when", "every"}
    else:
        head = ["edit", f"#{command.number}"] + ([quoted] if quoted else [])
        skip = {"title", "number"}
    keywords = {name: keyword for keyword, name in _CLAUSES.items()}
    for part in fields(command):
        value = getattr(command, part.name)
        if part.name not in skip and value is not None:
            head += [keywords[part.name], value]
    return " ".join(word for word in head if word)
