"""The local console: SalesMeet in a terminal, with a simulated workspace and no Slack.

The real app runs behind it: `create_app` with the same handlers and database code.
What you type becomes the request Slack would send (the simulator's builders: form-encoded
or JSON, signed with a per-run secret, checked and dispatched as the HTTP transport does,
salesmeet/transport.py `answer_signed`); what the app sends to Slack goes to the Slack
simulator (simulator/webapi.py, answering from the simulated workspace) and is shown here
as text. The clock is a ManualClock that starts at the real time and moves only when
told; moving it does what the alarm does (extend the horizon, send what is due).

Its people read SalesMeet in their own languages (Maya in Bahasa Melayu, Ravi in Hindi,
the others and the channel in English), set at start as `/salesmeet language` sets them;
`:lang` changes the current person's. What the console says of its own goes through the
same catalogue, in the current person's language.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from slack_bolt.response import BoltResponse

from bot.alarm import HORIZON_EVERY
from bot.clock import ManualClock, SystemClock
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from bot.when import parse_when
from console import forms
from console.activity import Activity
from console.blocks import Reader, clock_text, duration_text, mrkdwn, render_blocks, when_line
from entities.errors import N_, UserError
from salesmeet.compose import create_app, open_database
from salesmeet.config import Settings
from salesmeet.transport import answer_signed
from simulator.requests import (
    FORM,
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    markup,
    signature_headers,
    slash_command_body,
    view_submission_payload,
)
from simulator.webapi import FILE_UPLOAD_METHOD, Call, FakeSlack, Response
from simulator.workspace import LOCAL
from storage.db import Database

log = logging.getLogger(__name__)

APP_ID = "ACONSOLE"
MAX_ADVANCE = timedelta(days=92)

BANNER = N_(
    "SalesMeet local console: no Slack tokens are set, so this is a simulated"
    " workspace with the real app behind it."
)
# Who reads SalesMeet in which language when the console starts (by handle); everyone
# else, and the channel, reads the workspace's (English).
PEOPLE_LANGUAGES: Mapping[str, str] = {"maya": "ms", "ravi": "hi"}

# :help's list: what to type, and what it does (a catalogue id, in the reader's language).
COMMANDS = (
    ("/salesmeet …", N_("run a command as the current user in #sales (try /salesmeet help)")),
    (":as <name>", N_("become someone else: maya, ravi, sam or olivia (the admin)")),
    (":who", N_("the people here, their zones, local times and languages")),
    (
        ":lang ms|hi|en|default",
        N_(
            "read SalesMeet in Bahasa Melayu, Hindi or English (as /salesmeet language);"
            " default: Slack's language, else the workspace's"
        ),
    ),
    (":press <n> [option]", N_("press button n (pick an option for a menu)")),
    (":press <label>", N_("press the latest button with that label: :press Add agenda item")),
    (
        ":modal name=value …",
        N_(
            "fill in and submit the open modal, e.g.\n"
            ":modal title=Forecast date=2026-12-01 time=15:00 attendees=ravi, sam"
        ),
    ),
    (":modal", N_("fill it in field by field (empty keeps what is there)")),
    (":close", N_("close the open modal without submitting")),
    (":home", N_("open SalesMeet's App Home")),
    (
        ":advance <span>",
        N_("move the clock on: 30m, 2h, 1d, 1w, 1d2h; timed posts go out on time"),
    ),
    (":at <when>", N_("move the clock to a time in your zone: fri 16:00, tomorrow 9am")),
    (":now", N_("the time for everyone")),
    (":help", N_("this list")),
    (":quit", N_("leave (the database keeps what you did)")),
)
HELP_COLUMN = 24


def help_text(tr: Translator) -> str:
    """:help, in the reader's language (the commands themselves are typed as they are)."""
    lines = [
        tr.gettext("Console commands (anything starting with / goes to the app, as in Slack):")
    ]
    for typed, meaning in COMMANDS:
        first, *more = tr.gettext(meaning).splitlines() or [""]
        lines.append(f"  {typed:<{HELP_COLUMN}}{first}")
        lines += [" " * (HELP_COLUMN + 2) + line for line in more]
    lines.append(tr.gettext("In scripts, lines starting with # are printed as narration."))
    return "\n".join(lines)


@dataclass
class Pressable:
    """A button or menu the console showed, and what Slack would send when it is used."""

    element: dict
    block: dict
    channel_id: str | None
    viewer: str | None  # None: anyone in the channel sees it
    message: dict | None = None
    view: dict | None = None


@dataclass
class Modal:
    view: dict
    values: dict[str, dict] = field(default_factory=dict)  # block_id -> state


_SPAN = re.compile(r"(\d+)\s*(w|d|h|m)", re.IGNORECASE)


def parse_span(text: str) -> timedelta | None:
    """`1d2h`, `30m`, `1w`: how far to move the clock."""
    cleaned = text.replace(" ", "").lower()
    parts = _SPAN.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts) != cleaned:
        return None
    unit = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
    return sum((int(n) * unit.get(u, timedelta(minutes=1)) for n, u in parts), timedelta())


class Console:
    """The simulated workspace and the real app; `run(lines)` plays input, returns output."""

    def __init__(
        self,
        db_path: str,
        start: datetime | None = None,
        echo: Callable[[str], None] | None = None,
        languages: Mapping[str, str] | None = None,
    ) -> None:
        """`languages`: who reads which language at start, by handle (default
        `PEOPLE_LANGUAGES`; `{}` leaves everyone on the workspace's)."""
        self._wall = SystemClock()  # request signatures carry the real time, as Slack's do
        self.clock = ManualClock(start or self._wall.now())
        self.output: list[str] = []
        self._echo = echo
        self.user = LOCAL.member("maya") or LOCAL.members[0]
        self.channel = LOCAL.sales
        self.modals: dict[str, list[Modal]] = {}
        self.pressables: dict[int, Pressable] = {}
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1)
        self._triggers: dict[str, str] = {}  # trigger_id -> user who caused it
        self._responses: dict[str, tuple[str, str]] = {}  # token -> (user, channel)
        self._secret = secrets.token_hex(16)  # what requests are signed with
        self._checks_with = self._secret  # what the app checks them with
        self._read: Callable[[str], str | None] = lambda prompt: None
        self.db_path = db_path
        self.languages = dict(PEOPLE_LANGUAGES if languages is None else languages)
        for name, language in self.languages.items():
            if LOCAL.member(name) is None:
                raise ValueError(f"languages: nobody called {name!r} in {LOCAL.name}")
            if language not in LANGUAGES:
                raise ValueError(f"languages: {language!r} is not one of {', '.join(LANGUAGES)}")
        # The workspace's Slack, on the console's clock (message ts, zone offsets).
        self.slack = FakeSlack(now=self.clock.now).start()
        self.slack.add_workspace(LOCAL)
        self.database: Database | None = None
        try:
            self.database = open_database(db_path)
            settings = Settings(
                bot_token=LOCAL.bot_token,
                signing_secret=self._checks_with,
                api_url=self.slack.url,
                db_path=db_path,
            )
            # The console waits until the app's pools are idle before it prints.
            self.activity = Activity()
            background = self.activity.wrap(ThreadPoolExecutor(8, thread_name_prefix="work"))
            self.app, self.services = create_app(
                settings, self.clock, self.database, background=background
            )
        except BaseException:
            self.close()
            raise
        runner = self.app.listener_runner
        runner.listener_executor = self.activity.wrap(runner.listener_executor)
        lazy = runner.lazy_listener_runner
        lazy.executor = self.activity.wrap(lazy.executor)  # type: ignore[attr-defined]
        self._set_up_workspace()
        self._set_up_people()

    # -- the session ----------------------------------------------------------------------
    def _set_up_workspace(self) -> None:
        """Weekly posts go to #sales in the team's zone, unless someone changed that."""
        current = self.services.workspaces.raw(LOCAL.team_id)
        defaults = {
            "tz": LOCAL.tz,
            "digest_channel": LOCAL.sales.channel_id,
            "shoutout_channel": LOCAL.sales.channel_id,
        }
        for key, value in defaults.items():
            if key not in current:
                self.services.workspaces.set(LOCAL.team_id, key, value)

    def _set_up_people(self) -> None:
        """Each person's language, kept where `/salesmeet language` keeps it, unless they
        already chose one on this database (`:lang en` outlives a restart)."""
        directory = self.services.directory
        for name, language in self.languages.items():
            who = LOCAL.member(name)
            if who and directory.people.language(LOCAL.team_id, who.user_id) is None:
                directory.choose_language(LOCAL.team_id, who.user_id, language)

    @property
    def tr(self) -> Translator:
        """The current person's translator: the console talks to them in their language."""
        return self.services.directory.reader(LOCAL.team_id, self.user.user_id)

    def _chosen(self, user_id: str) -> str | None:
        """The language someone chose for themselves (None: Slack's, else the workspace's)."""
        return self.services.directory.people.language(LOCAL.team_id, user_id)

    def start(self) -> None:
        """The banner; then what the alarm does at start: catch up on what came due."""
        tr = self.tr
        people = []
        for m in LOCAL.members:
            about = [m.city] + [tr.gettext("admin")] * m.is_admin
            chosen = self._chosen(m.user_id)
            about += [LANGUAGE_NAMES[chosen]] if chosen in LANGUAGE_NAMES else []
            people.append(f"{m.name} ({', '.join(about)})")
        self.say(
            tr.gettext(BANNER),
            tr.gettext(
                'Workspace "{workspace}": {people}; channel #{channel}.',
                workspace=LOCAL.name,
                people=", ".join(people),
                channel=LOCAL.sales.name,
            ),
            tr.gettext(
                "Database: {path}. Clock: {now}, moving only when you say so.",
                path=self.db_path,
                now=self._now_text(),
            ),
            tr.gettext(
                "You are {name} and read SalesMeet in {language}; :lang en (or ms, hi)"
                " changes your language, :as <name> who you are.",
                name=self.user.name,
                language=LANGUAGE_NAMES[tr.language],
            ),
            tr.gettext("Type /salesmeet help for the bot's commands and :help for the console's."),
            tr.gettext(
                "To connect a real Slack instead, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
                " (Socket Mode) or SLACK_SIGNING_SECRET (HTTP); see README.md."
            ),
        )
        self.services.dispatcher.recover()
        self._alarm(header=True)

    def close(self) -> None:
        if hasattr(self, "services"):
            self.services.background.shutdown(wait=True)
            self.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        self.slack.stop()
        if self.database is not None:
            self.database.close()
            self.database = None

    def run(self, lines: Iterable[str]) -> str:
        """Play `lines` as typed input (echoed after the prompt); returns the transcript."""
        source = iter(lines)
        shown = Echo(self._emit)

        def read(prompt: str) -> str | None:
            line = next(source, None)
            if line is not None:
                shown(prompt, line)
            return line

        self.loop(read)
        return "\n".join(self.output)

    def loop(self, read: Callable[[str], str | None]) -> None:
        self._read = read
        self.start()
        while True:
            line = read(self.prompt())
            if line is None:
                break
            try:
                if not self.handle(line):
                    break
            except Exception:  # a console bug must not end the session (the app's are its own)
                log.exception("the console failed on %r", line)
                self.say(
                    "! "
                    + self.tr.gettext("The console itself failed on that line (details on stderr).")
                )

    def prompt(self) -> str:
        now = clock_text(self.clock.now(), self.user.tz)
        where = self.tr.gettext(
            "{name} in #{channel} · {now}", name=self.user.name, channel=self.channel.name, now=now
        )
        return where + "> "

    def say(self, *lines: str) -> None:
        for text in lines:
            for line in text.splitlines() or [""]:
                self._emit(line)

    def _emit(self, line: str) -> None:
        self.output.append(line)
        if self._echo:
            self._echo(line)

    def _now_text(self) -> str:
        return self.tr.gettext(
            "{clock} {place} time",
            clock=clock_text(self.clock.now(), self.user.tz),
            place=self.user.city,
        )

    # -- input ----------------------------------------------------------------------------
    def handle(self, line: str) -> bool:
        """One line of input; False when the user leaves."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("#"):
            return True  # narration: already shown as typed
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            if command.lower() != "/salesmeet":
                self.say(
                    self.tr.gettext(
                        "Only /salesmeet is installed in this workspace, not {command}.",
                        command=command,
                    )
                )
            else:
                self.slash_command(rest.strip())
            return True
        if not text.startswith(":"):
            self.say(
                self.tr.gettext("Type /salesmeet … to talk to SalesMeet, or :help for the console.")
            )
            return True
        verb, _, rest = text[1:].partition(" ")
        verb, rest = verb.lower(), rest.strip()
        if verb in ("quit", "q", "exit"):
            self.say(
                self.tr.gettext("Bye. Everything you did is kept in {path}.", path=self.db_path)
            )
            return False
        actions: dict[str, Callable[[str], None]] = {
            "help": lambda _: self.say(help_text(self.tr)),
            "as": self.switch_user,
            "lang": self.switch_language,
            "who": lambda _: self.who(),
            "now": lambda _: self.who(),
            "press": self.press,
            "modal": self.fill_modal,
            "close": lambda _: self.close_modal(),
            "home": lambda _: self.open_home(),
            "advance": self.advance,
            "at": self.move_to,
        }
        action = actions.get(verb)
        if action is None:
            self.say(
                self.tr.gettext(
                    "There is no :{verb}. Type :help for the console's commands.", verb=verb
                )
            )
        else:
            action(rest)
        return True

    def switch_user(self, name: str) -> None:
        who = LOCAL.member(name)
        if who is None:
            self.say(
                self.tr.gettext(
                    "Nobody called “{name}” here. People: {people}",
                    name=name,
                    people=", ".join(m.name for m in LOCAL.members),
                )
            )
            return
        self.user = who
        tr = self.tr  # theirs, now
        self.say(
            tr.gettext(
                "You are now {name} ({real_name}, {city}); it is {now}.",
                name=who.name,
                real_name=who.real_name,
                city=who.city,
                now=self._now_text(),
            )
        )
        modal = self._modal()
        if modal is not None:
            self.say(tr.gettext("{name} has a modal open:", name=who.name))
            self._show_modal(modal)

    def switch_language(self, rest: str) -> None:
        """`:lang ms`: the current person's language, chosen as they would choose it in
        Slack (`/salesmeet language ms`); the answer comes in the language chosen. Without
        a language, which one they read."""
        self.slash_command(f"language {rest}".strip())

    def who(self) -> None:
        tr = self.tr
        for m in LOCAL.members:
            me = "  ← " + tr.gettext("you") if m is self.user else ""
            admin = ", " + tr.gettext("admin") if m.is_admin else ""
            now = clock_text(self.clock.now(), m.tz)
            reads = LANGUAGE_NAMES[
                self.services.directory.reader(LOCAL.team_id, m.user_id).language
            ]
            self.say(f"  {m.name:<7} {m.real_name:<13} {m.city}{admin}: {now} · {reads}{me}")

    # -- requests as Slack sends them -------------------------------------------------------
    def _dispatch(self, body: str, content_type: str):
        signed = signature_headers(self._secret, body, self._wall.epoch(), content_type)
        headers = {name.lower(): value for name, value in signed.items()}
        answer = answer_signed(self.app, self._checks_with, body.encode(), headers)
        response = BoltResponse(
            status=answer.status,
            body=answer.body.decode(),
            headers={"content-type": answer.content_type},
        )
        if not self.activity.wait_idle():
            self.say(
                "! "
                + self.tr.gettext(
                    "SalesMeet is still busy with that; its answer may show up later."
                )
            )
        return response

    def _trigger(self) -> str:
        trigger = f"{next(self._ids)}.{self.user.user_id}.console"
        self._triggers[trigger] = self.user.user_id
        return trigger

    def slash_command(self, text: str) -> None:
        token = f"cmd{next(self._ids)}"
        self._responses[token] = (self.user.user_id, self.channel.channel_id)
        body = slash_command_body(
            team_id=LOCAL.team_id,
            user_id=self.user.user_id,
            channel_id=self.channel.channel_id,
            text=markup(text, LOCAL),
            response_url=self.slack.response_url(token),
            trigger_id=self._trigger(),
            user_name=self.user.name,
            channel_name=self.channel.name,
            api_app_id=APP_ID,
            team_domain=LOCAL.domain,
        )
        response = self._dispatch(body, FORM)
        self._show_ack(response, self.channel.channel_id)
        self._after_request()

    def _show_ack(self, response, channel_id: str) -> None:
        if response.status != 200:
            self.say(
                "! "
                + self.tr.gettext(
                    "SalesMeet answered HTTP {status}: {body}",
                    status=response.status,
                    body=response.body[:200],
                )
            )
            return
        if not response.body:
            return
        try:
            body = json.loads(response.body)
        except ValueError:
            body = {"text": response.body}
        if isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            self._show_message(body, channel_id, only=self.user.user_id)

    def _event(self, event: dict) -> None:
        body = event_body(
            team_id=LOCAL.team_id,
            event=event,
            api_app_id=APP_ID,
            event_id=f"Ev{next(self._ids):08d}",
            event_time=int(self.clock.now().timestamp()),
            bot_user_id=LOCAL.bot_user_id,
        )
        response = self._dispatch(body, JSON)
        if response.status != 200:
            self.say(
                "! " + self.tr.gettext("SalesMeet answered HTTP {status}.", status=response.status)
            )
        self._after_request()

    def open_home(self) -> None:
        self._event(
            {
                "type": "app_home_opened",
                "user": self.user.user_id,
                "channel": "D" + self.user.user_id,
                "tab": "home",
                "event_ts": f"{self.clock.now().timestamp():.6f}",
            }
        )

    def _interaction(self, payload: dict):
        return self._dispatch(interaction_body(payload), FORM)

    # -- buttons ------------------------------------------------------------------------------
    def _find_button(self, label: str) -> Pressable | None:
        """The latest button you can see whose label starts with `label`."""
        wanted = label.strip().strip("[]").lower()
        for n in sorted(self.pressables, reverse=True):
            target = self.pressables[n]
            text = str((target.element.get("text") or {}).get("text", "")).lower()
            mine = target.viewer in (None, self.user.user_id)
            if mine and wanted and text.startswith(wanted):
                return target
        return None

    def press(self, rest: str) -> None:
        number, _, option = rest.partition(" ")
        if number.isdigit():
            target = self.pressables.get(int(number))
        else:
            target, option = self._find_button(rest), ""
        if target is None:
            self.say(
                self.tr.gettext(
                    "Say which button, by its number or label: :press 2, :press Add agenda item"
                )
            )
            return
        if target.viewer and target.viewer != self.user.user_id:
            owner = LOCAL.member(target.viewer)
            self.say(
                self.tr.gettext(
                    "Only {name} can see that button.", name=owner.name if owner else target.viewer
                )
            )
            return
        element = target.element
        selected: dict[str, Any] = {}
        if element.get("type") != "button":
            try:
                state = forms.state_from_text(element, option, self.clock.now(), self.user.tz)
            except forms.FieldError as error:
                self.say(error.text(self.tr))
                return
            selected = {k: v for k, v in state.items() if k != "type"}
        token = f"act{next(self._ids)}"
        self._responses[token] = (self.user.user_id, target.channel_id or "")
        on_message = target.view is None
        message = target.message or {}
        payload = block_actions_payload(
            team_id=LOCAL.team_id,
            user_id=self.user.user_id,
            channel_id=target.channel_id if on_message else None,
            action_id=element.get("action_id", ""),
            block_id=target.block.get("block_id", ""),
            trigger_id=self._trigger(),
            response_url=self.slack.response_url(token) if on_message else None,
            # Slack sends the message only when everyone sees it, never an ephemeral one.
            message=message if on_message and target.viewer is None else None,
            message_ts=message.get("ts", ""),
            view=target.view,
            user_name=self.user.name,
            channel_name=self._channel_name(target.channel_id),
            team_domain=LOCAL.domain,
            api_app_id=APP_ID,
            action_ts=f"{self.clock.now().timestamp():.6f}",
            element=element,
            selected=selected,
        )
        response = self._interaction(payload)
        if response.status != 200:
            self.say(
                "! " + self.tr.gettext("SalesMeet answered HTTP {status}.", status=response.status)
            )
        self._after_request()

    # -- modals -------------------------------------------------------------------------------
    def _modal(self) -> Modal | None:
        stack = self.modals.get(self.user.user_id) or []
        return stack[-1] if stack else None

    def fill_modal(self, rest: str) -> None:
        modal = self._modal()
        if modal is None:
            self.say(
                self.tr.gettext(
                    "No modal is open for you. /salesmeet (with nothing after it) opens one."
                )
            )
            return
        if rest:
            try:
                typed = forms.split_assignments(rest)
            except forms.FieldError as error:
                self.say(error.text(self.tr))
                return
        else:
            typed = self._ask_fields(modal)
            if typed is None:
                self.say(
                    self.tr.gettext("Left the modal open; :modal to try again, :close to cancel.")
                )
                return
        values = dict(modal.values)
        for name, text in typed.items():
            block = forms.find_block(modal.view, name)
            if block is None:
                names = ", ".join(str(b.get("block_id")) for b in forms.inputs(modal.view))
                self.say(
                    self.tr.gettext(
                        "The modal has no field “{name}”. Its fields: {names}.",
                        name=name,
                        names=names,
                    )
                )
                return
            try:
                values[block["block_id"]] = forms.state_from_text(
                    block.get("element") or {}, text, self.clock.now(), self.user.tz
                )
            except forms.FieldError as error:
                self.say(f"{block['block_id']}: {error.text(self.tr)}")
                return
        modal.values = values
        missing = [
            str((b.get("label") or {}).get("text", b.get("block_id")))
            for b in forms.inputs(modal.view)
            if not b.get("optional") and forms.is_empty(values.get(b["block_id"], {}))
        ]
        if missing:
            self.say(
                self.tr.gettext(
                    "Slack wouldn't submit yet: fill in {fields}.", fields=", ".join(missing)
                )
            )
            return
        self._submit(modal)

    def _ask_fields(self, modal: Modal) -> dict[str, str] | None:
        typed: dict[str, str] = {}
        for block in forms.inputs(modal.view):
            label = str((block.get("label") or {}).get("text", block.get("block_id")))
            now = forms.shown(modal.values.get(block["block_id"], {}))
            line = self._read(f"  {label}{f' [{now}]' if now else ''}: ")
            if line is None:
                return None
            if line.strip():
                typed[block["block_id"]] = line.strip()
        return typed

    def _submit(self, modal: Modal) -> None:
        payload = view_submission_payload(
            team_id=LOCAL.team_id,
            user_id=self.user.user_id,
            callback_id=str(modal.view.get("callback_id", "")),
            values=self._state_values(modal),
            trigger_id=self._trigger(),
            user_name=self.user.name,
            team_domain=LOCAL.domain,
            api_app_id=APP_ID,
            view=modal.view,
        )
        response = self._interaction(payload)
        stack = self.modals.get(self.user.user_id) or []
        answer: dict = {}
        if response.status == 200 and response.body:
            try:
                answer = json.loads(response.body)
            except ValueError:
                answer = {}
        action = answer.get("response_action")
        if response.status != 200:
            self.say(
                "! "
                + self.tr.gettext(
                    "SalesMeet answered HTTP {status}; the modal stays open.",
                    status=response.status,
                )
            )
        elif action == "errors":
            self.say(self.tr.gettext("The modal says:"))
            for block_id, problem in (answer.get("errors") or {}).items():
                self.say(f"  {block_id}: {mrkdwn(problem, self._reader())}")
        elif action == "update" and stack:
            stack[-1] = self._new_modal(answer["view"], stack[-1].view.get("id"))
            self._show_modal(stack[-1])
        elif action == "push":
            stack.append(self._new_modal(answer["view"]))
            self._show_modal(stack[-1])
        elif action == "clear":
            stack.clear()
        elif stack:
            stack.pop()
        self._after_request()

    def _state_values(self, modal: Modal) -> dict:
        values: dict[str, dict] = {}
        for block in forms.inputs(modal.view):
            element = block.get("element") or {}
            state = modal.values.get(block["block_id"]) or forms.initial_state(
                element, self.channel.channel_id
            )
            values[block["block_id"]] = {element.get("action_id", "value"): state}
        return values

    def _new_modal(self, view: dict, view_id: str | None = None) -> Modal:
        view = {"id": view_id or f"VCONSOLE{next(self._ids):04d}", **view}
        modal = Modal(view)
        for block in forms.inputs(view):
            modal.values[block["block_id"]] = forms.initial_state(
                block.get("element") or {}, self.channel.channel_id
            )
        return modal

    def close_modal(self) -> None:
        stack = self.modals.get(self.user.user_id) or []
        if not stack:
            self.say(self.tr.gettext("No modal is open."))
            return
        closed = stack.pop()
        title = (closed.view.get("title") or {}).get("text") or self.tr.gettext("modal")
        self.say(self.tr.gettext("Closed “{title}”.", title=title))

    def _show_modal(self, modal: Modal) -> None:
        view, reader = modal.view, self._reader()
        title = (view.get("title") or {}).get("text", "")
        submit = (view.get("submit") or {}).get("text")
        head = reader.tr.gettext("Modal for {name}: {title}", name=self.user.name, title=title)
        self.say("┌ " + head + (f"   [{submit}]" if submit else ""))
        for block in view.get("blocks") or []:
            if block.get("type") == "input":
                now = forms.shown(modal.values.get(block["block_id"], {}))
                line = render_blocks([block], reader, self._no_press)[0]
                self.say(line + (f"  = {now}" if now else ""))
            else:
                self.say(*render_blocks([block], reader, self._register(None, view=view)))
        if forms.inputs(view):
            self.say(
                "└ "
                + reader.tr.gettext(
                    "Fill it in: :modal name=value … (or :modal alone, one by one); :close cancels."
                )
            )
        else:
            self.say("└ " + reader.tr.gettext(":close to close it."))

    # -- the clock ------------------------------------------------------------------------------
    def advance(self, rest: str) -> None:
        span = parse_span(rest)
        if span is None or span <= timedelta(0):
            self.say(
                self.tr.gettext(
                    "Say how far: :advance 30m, :advance 2h, :advance 1d, :advance 1w2d."
                )
            )
            return
        if span > MAX_ADVANCE:
            self._too_far()
            return
        self._move(self.clock.now() + span)

    def move_to(self, rest: str) -> None:
        if not rest:
            self.say(
                self.tr.gettext("Say when, in your own zone: :at fri 16:00, :at tomorrow 9am.")
            )
            return
        try:
            target = parse_when(rest, self.clock.now(), self.user.tz)
        except UserError as error:
            self.say(self.tr.error(error))
            return
        if target - self.clock.now() > MAX_ADVANCE:
            self._too_far()
            return
        self._move(target)

    def _too_far(self) -> None:
        self.say(self.tr.gettext("At most {days} days at a time, please.", days=MAX_ADVANCE.days))

    def _move(self, target: datetime) -> None:
        """Move the clock to `target`, stopping wherever the alarm would ring on the way."""
        start = self.clock.now()
        deliveries = self.services.dispatcher.deliveries
        self._ring()
        while self.clock.now() < target:
            now = self.clock.now()
            self.services.planner.extend_horizon(LOCAL.team_id)  # hourly in the real alarm
            step = min(target, now + HORIZON_EVERY)
            due = deliveries.next_due(LOCAL.team_id)
            if due is not None and now < due < step:
                step = due
            self.clock.set(step)
            self._alarm(header=True)
        self.say(
            self.tr.gettext(
                "It is now {now} ({span} later).",
                now=self._now_text(),
                span=duration_text(target - start),
            )
        )

    def _after_request(self) -> None:
        """Show what the request did; then, as the real alarm is woken by every change,
        send what became due at once (a meeting booked inside its reminder lead)."""
        self._show_records()
        self._ring()

    def _ring(self) -> None:
        due = self.services.dispatcher.deliveries.next_due(LOCAL.team_id)
        if due is not None and due <= self.clock.now():
            self._alarm(header=False)

    def _alarm(self, header: bool) -> None:
        """What the alarm does when it rings: plan ahead, send everything due (this
        workspace's only: the database may hold a real install's rows too)."""
        self.services.alarm.run_pass(plan=True)  # the alarm's own pass, of its workspace
        self.activity.wait_idle()
        self._show_records(header)

    # -- what Slack received, as text -----------------------------------------------------------
    def _reader(self) -> Reader:
        return Reader(tz=self.user.tz, now=self.clock.now(), tr=self.tr)

    def _channel_name(self, channel_id: str | None) -> str:
        where = LOCAL.channel(channel_id or "")
        return where.name if where else channel_id or ""

    def _place(self, channel_id: str) -> str:
        if channel_id.startswith("D"):
            who = LOCAL.member(channel_id[1:])
            return self.tr.gettext("DM to {name}", name=who.name if who else channel_id[1:])
        return "#" + self._channel_name(channel_id)

    def _no_press(self, element: dict, block: dict) -> int:
        return 0

    def _register(
        self,
        channel_id: str | None,
        viewer: str | None = None,
        message: dict | None = None,
        view: dict | None = None,
    ) -> Callable[[dict, dict], int]:
        def number(element: dict, block: dict) -> int:
            n = next(self._numbers)
            self.pressables[n] = Pressable(element, block, channel_id, viewer, message, view)
            return n

        return number

    def _show_message(
        self,
        message: dict,
        channel_id: str,
        only: str | None = None,
        note: str = "",
        stored: dict | None = None,
    ) -> None:
        where, reader = self._place(channel_id), self._reader()
        if only:
            who = LOCAL.member(only)
            seen = (
                reader.tr.gettext("only you see this")
                if only == self.user.user_id
                else reader.tr.gettext("only {name} sees this", name=who.name if who else only)
            )
            head = f"{where} · SalesMeet ({seen})"
        else:
            head = f"{where} · SalesMeet"
        self.say(head + (f" {note}" if note else ""))
        register = self._register(channel_id, only, stored or message)
        blocks = message.get("blocks") or []
        if blocks:
            self.say(*render_blocks(blocks, reader, register))
        else:
            self.say(
                *["  " + line for line in mrkdwn(message.get("text") or "", reader).splitlines()]
            )

    def _show_records(self, header: bool = False) -> None:
        shown = [entry for entry in self.slack.take() if self._visible(entry)]
        if header and shown:
            self.say(when_line(self.clock.now(), self.user.tz, self.user.city, self.tr))
        for entry in shown:
            if isinstance(entry, Response):
                self._show_response(entry.path_token, entry.body)
            else:
                self._show(entry)

    def _visible(self, entry: Call | Response) -> bool:
        quiet = {
            "auth.test",
            "users.info",
            "users.list",
            "conversations.history",
            "conversations.info",
            "conversations.open",
            "files.getUploadURLExternal",
            FILE_UPLOAD_METHOD,
        }
        return isinstance(entry, Response) or entry.method not in quiet

    def _show(self, call: Call) -> None:
        p, r, method, tr = call.params, call.response or {}, call.method, self.tr
        if not r.get("ok"):
            error = r.get("error")
            if error == "unknown_method":
                self.say(
                    "! "
                    + tr.gettext(
                        "The Slack simulator does not know {method}; it was not shown.",
                        method=method,
                    )
                )
            else:
                self.say(
                    "! "
                    + tr.gettext("Slack refused {method} ({error}).", method=method, error=error)
                )
            return
        if method == "chat.postMessage":
            self._show_message(p, r["channel"], stored=r.get("message"))
        elif method == "chat.postEphemeral":
            self._show_message(p, str(p.get("channel")), only=str(p.get("user")))
        elif method == "chat.update":
            note = "(" + tr.gettext("edited") + ")"
            self._show_message(p, r["channel"], note=note, stored=r.get("message"))
        elif method == "chat.delete":
            self.say(
                tr.gettext(
                    "{place} · SalesMeet deleted one of its messages.",
                    place=self._place(str(r.get("channel"))),
                )
            )
        elif method in ("views.open", "views.push"):
            user = self._triggers.get(str(p.get("trigger_id")), self.user.user_id)
            modal = self._new_modal(r["view"], r["view"]["id"])
            self.modals.setdefault(user, []).append(modal)
            if user == self.user.user_id:
                self._show_modal(modal)
        elif method == "views.update":
            for stack in self.modals.values():
                for i, modal in enumerate(stack):
                    if modal.view.get("id") == r["view"]["id"]:
                        stack[i] = self._new_modal(r["view"], r["view"]["id"])
                        self._show_modal(stack[i])
        elif method == "views.publish":
            who = LOCAL.member(str(p.get("user_id")))
            self.say(
                tr.gettext(
                    "App Home of {name} · SalesMeet", name=who.name if who else p.get("user_id")
                )
            )
            viewer = str(p.get("user_id"))
            self.say(
                *render_blocks(
                    r["view"].get("blocks") or [],
                    self._reader(),
                    self._register(None, viewer, view=r["view"]),
                )
            )
        elif method == "files.completeUploadExternal":
            names = ", ".join(str(f.get("title") or f.get("id")) for f in r.get("files") or [])
            self.say(tr.gettext("SalesMeet shared a file: {names}", names=names))
            for path in self._keep_pictures([str(f.get("id")) for f in r.get("files") or []]):
                self.say(tr.gettext("The picture is written to {path}", path=str(path)))
        else:
            self.say(tr.gettext("SalesMeet called {method}.", method=method))

    def _keep_pictures(self, file_ids: list[str]) -> list[Path]:
        """A terminal shows no images: the charts SalesMeet sent (PNG) are written to
        `charts/` beside the database, to be opened there."""
        folder = Path(self.db_path).resolve().parent / "charts"
        kept = []
        for upload in self.slack.files():
            if upload.file_id in file_ids and upload.filename.endswith(".png") and upload.content:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / Path(upload.filename).name
                path.write_bytes(upload.content)
                kept.append(path)
        return kept

    def _show_response(self, token: str, body: dict) -> None:
        user, channel_id = self._responses.get(token, (self.user.user_id, self.channel.channel_id))
        if body.get("delete_original"):
            self.say(
                self.tr.gettext(
                    "{place} · SalesMeet removed the message with the button.",
                    place=self._place(channel_id),
                )
            )
            return
        if not (body.get("text") or body.get("blocks")):
            return
        note = (
            "(" + self.tr.gettext("replaces the message with the button") + ")"
            if body.get("replace_original")
            else ""
        )
        if body.get("response_type") == "in_channel":
            self._show_message(body, channel_id, note=note)
        else:
            self._show_message(body, channel_id, only=user, note=note)


class Echo:
    """Shows typed lines in a transcript: after the prompt; narration (`# …`) on its own,
    with a blank line before each paragraph of it."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.emit = emit
        self.narrating = False

    def __call__(self, prompt: str, line: str) -> None:
        narration = line.lstrip().startswith("#")
        if narration and not self.narrating:
            self.emit("")
        self.emit(line if narration else prompt + line)
        self.narrating = narration


def interactive_reader(stdin: Iterator[str] | None, tty: bool, echo: Callable[[str], None]):
    """Read lines: with line editing at a terminal, else from stdin, echoed after the prompt."""
    if tty:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())

        def read_tty(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                echo("")
                return None

        return read_tty

    shown = Echo(echo)

    def read_pipe(prompt: str) -> str | None:
        line = next(stdin, None) if stdin is not None else None
        if line is None:
            return None
        line = line.rstrip("\n")
        shown(prompt, line)
        return line

    return read_pipe
