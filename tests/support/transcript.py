"""Tests that read like the conversation: people type, press and read; time passes.

In the spirit of errbot's testbot and zulip's verify_dialog, but on the real app: every
`says`, `presses`, `submits` and `opens_home` is a signed HTTP request to SalesMeet's
production server (tests/support/harness.py), built by the simulator exactly as Slack
sends it, and what people see is what the app sent to the Slack simulator. Each step
waits until SalesMeet has finished what it started (its thread pools are idle), as a
person reads the answer before typing on; nothing here measures time.

- `team` (Acme, T1), `maya`, `ravi`, `sam`, `olivia`, `globex_team` are fixtures
  (tests/conftest.py); `team.person(name)` and `team.channel("#sales")` find the others.
- `person.says(text)` types a slash command (`@ravi` goes as `<@URAVI|ravi>`);
  `presses(label, on=message)`, `submits(values, on=modal)`, `opens_home()`.
- `person.sees()` / `answer()`: the private answer to what they last did; `modal()`,
  `dms`, `ephemerals`; `team.channel(...).posts`: what the channel shows now.
- `team.clock` (a ManualClock), `team.alarm_rings()` (the alarm's pass: send what is
  due), `team.time_passes(hours=...)` (both), `team.plan_ahead()` (its hourly planning);
  `team.meeting(n)`, `team.upcoming()`: what is stored; `team.slack`: faults and calls.

    def test_rsvp(team, maya, ravi):
        maya.says('/salesmeet schedule "Q4 review" tomorrow 3pm with @ravi')
        assert "Scheduled meeting #1" in maya.sees()
        (announcement,) = team.channel("#sales").posts
        ravi.presses("Going", on=announcement)
        team.time_passes(hours=6)  # the clock moves on and the alarm rings
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slack_bolt import App

from bot.clock import ManualClock
from bot.feature import Core
from console.activity import Activity
from entities.meetings import Meeting
from simulator.requests import (
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    markup,
    slash_command_body,
    view_submission_payload,
)
from simulator.webapi import Call, FakeSlack, Response
from simulator.workspace import Member, Workspace
from storage.db import Database
from storage.meetings import MeetingStore
from tests.support.harness import Harness, Reply
from tests.support.messages import text_of

# How long a person waits for an answer before the test says what Slack got instead.
ANSWER_TIMEOUT = 5.0
# How long a look waits for SalesMeet to finish what it was asked.
QUIET_TIMEOUT = 10.0
# Trigger ids and response_url tokens, unique across every team sharing one fake Slack.
_SERIAL = itertools.count(1)


@dataclass(frozen=True)
class Message:
    """A message as its readers get it. `raw` is what the app sent; in a channel or a DM,
    `stored` is the message Slack holds (with its ts), which a button press sends back."""

    raw: dict
    channel: str | None = None
    ts: str | None = None
    stored: dict | None = None
    view: dict | None = None  # for App Home: the published view, as Slack holds it

    @property
    def text(self) -> str:
        """Everything a reader sees: the fallback text and every block's text."""
        return text_of(self.raw)

    @property
    def blocks(self) -> list[dict]:
        return self.raw.get("blocks") or []

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def element(self, label: str) -> tuple[dict, dict]:
        """The (block, element) of the button or menu labelled `label` (or with that
        action id): an exact label first, else the first that starts with it."""
        found = [
            (block, element)
            for block in self.blocks
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]
            if isinstance(element, dict) and element.get("action_id")
        ]
        wanted = label.strip().lower()
        for exact in (True, False):
            for block, element in found:
                names = (_label(element).lower(), str(element["action_id"]).lower())
                if any(n == wanted if exact else n.startswith(wanted) for n in names):
                    return block, element
        labels = ", ".join(repr(_label(e) or e["action_id"]) for _, e in found) or "none"
        raise AssertionError(f"no {label!r} to press; the message has: {labels}\n{self.text}")


@dataclass(frozen=True)
class Modal:
    """A modal open in someone's Slack, as Slack holds it (id, hash, metadata)."""

    view: dict

    @property
    def callback_id(self) -> str:
        return str(self.view.get("callback_id", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.view.get("private_metadata", ""))

    @property
    def blocks(self) -> list[dict]:
        return self.view.get("blocks") or []

    @property
    def block_ids(self) -> list[str]:
        return [b.get("block_id", "") for b in self.blocks]

    def block(self, block_id: str) -> dict:
        return next(b for b in self.blocks if b.get("block_id") == block_id)


class Channel:
    """A channel of the team, as its members read it."""

    def __init__(self, team: Team, channel_id: str) -> None:
        self.team = team
        self.channel_id = channel_id

    @property
    def posts(self) -> list[Message]:
        """What SalesMeet posted here and Slack took, oldest first, as it reads now."""
        return [m for m in self.team._posted() if m.channel == self.channel_id]

    def posts_saying(self, words: str) -> list[Message]:
        return [m for m in self.posts if words in m.text]


@dataclass
class Person:
    """Someone in the workspace, at their Slack client."""

    team: Team
    member: Member
    _reply: Reply | None = None
    _mark: int = 0  # where Slack's log stood when they last sent something
    _token: str | None = None  # the response_url of their last request
    _where: str = ""  # the channel of their last command
    _triggers: set[str] = field(default_factory=set)

    @property
    def user_id(self) -> str:
        return self.member.user_id

    @property
    def name(self) -> str:
        return self.member.name

    # -- what they do ----------------------------------------------------------------
    def says(self, text: str, channel: str = "#sales") -> Reply:
        """Type a slash command in `channel`; Slack sends it with mentions, channels,
        links and emails as markup (`@ravi` becomes `<@URAVI|ravi>`)."""
        command, _, rest = text.partition(" ")
        if not command.startswith("/"):
            raise ValueError(f"SalesMeet hears slash commands only, not {text!r}")
        workspace = self.team.workspace
        where = workspace.channel(channel)
        assert where is not None, f"{workspace.name} has no {channel}"
        self._where = where.channel_id
        token = self._expect_answer()
        body = slash_command_body(
            team_id=workspace.team_id,
            user_id=self.user_id,
            channel_id=where.channel_id,
            text=markup(rest, workspace),
            response_url=self.team.slack.response_url(token),
            command=command,
            trigger_id=self._trigger(),
            user_name=self.name,
            channel_name=where.name,
            team_domain=workspace.domain,
        )
        return self._send(body)

    def presses(self, label: str, on: Message, option: str | None = None) -> Reply:
        """Press the button labelled `label` on a message or App Home (pick `option` on a
        menu). Slack sends the message back with the click when everyone sees it."""
        block, element = on.element(label)
        selected = {"selected_option": _option(element, option)} if option is not None else None
        workspace = self.team.workspace
        token = self._expect_answer()
        in_view = on.view is not None
        channel_id = None if in_view else (on.channel or self._where or None)
        where = workspace.channel(channel_id or "")
        payload = block_actions_payload(
            team_id=workspace.team_id,
            user_id=self.user_id,
            channel_id=channel_id,
            action_id=str(element["action_id"]),
            block_id=str(block.get("block_id", "")),
            trigger_id=self._trigger(),
            response_url=None if in_view else self.team.slack.response_url(token),
            message=on.stored,
            message_ts=on.ts,
            view=on.view,
            user_name=self.name,
            channel_name=where.name if where else "directmessage",
            team_domain=workspace.domain,
            action_ts=f"{self.team.clock.now().timestamp():.6f}",
            element=element,
            selected=selected,
        )
        return self._send(interaction_body(payload))

    def submits(
        self, values: dict, on: Modal | None = None, callback_id: str = "schedule_meeting"
    ) -> Reply:
        """Submit a modal with `values` (Slack's state.values shape): the one open in
        their Slack (`on`), or, without one, a view with `callback_id`."""
        self._expect_answer(response_url=False)
        workspace = self.team.workspace
        payload = view_submission_payload(
            team_id=workspace.team_id,
            user_id=self.user_id,
            callback_id=on.callback_id if on else callback_id,
            values=values,
            trigger_id=self._trigger(),
            user_name=self.name,
            team_domain=workspace.domain,
            view=on.view if on else None,
        )
        return self._send(interaction_body(payload))

    def opens_home(self) -> Message:
        """Open SalesMeet's App Home tab; what they see there once it is published."""
        workspace, now = self.team.workspace, self.team.clock.now()
        self._expect_answer(response_url=False)
        event = {
            "type": "app_home_opened",
            "user": self.user_id,
            "channel": "D" + self.user_id,
            "tab": "home",
            "event_ts": f"{now.timestamp():.6f}",
        }
        body = event_body(
            team_id=workspace.team_id,
            event=event,
            event_id=f"Ev{next(_SERIAL):08d}",
            event_time=int(now.timestamp()),
            bot_user_id=workspace.bot_user_id,
        )
        reply = self._send(body, JSON)
        assert reply.status == 200, reply
        call = self._wait(
            lambda e: _is_call(e, "views.publish") and e.params.get("user_id") == self.user_id,
            f"App Home published for {self.name}",
        )
        assert isinstance(call, Call) and call.response is not None
        return Message(call.params["view"], view=call.response["view"])

    # -- what they see ---------------------------------------------------------------
    def answer(self, timeout: float = ANSWER_TIMEOUT) -> Message:
        """The answer only they see to what they last did: the ack itself, the reply to
        its response_url, or an ephemeral message (when the response_url failed, or
        after a modal)."""
        reply = self._reply
        assert reply is not None, f"{self.name} has not done anything yet"
        assert reply.status == 200, reply
        if reply.body:
            body = reply.json
            if body.get("text") or body.get("blocks"):
                return Message(body, channel=self._where)

        def mine(entry: Call | Response) -> bool:
            if isinstance(entry, Response):
                return not entry.faulted and entry.path_token == self._token
            return (
                _is_call(entry, "chat.postEphemeral")
                and entry.team_id == self.team.team_id
                and entry.params.get("user") == self.user_id
            )

        found = self._wait(mine, f"an answer to {self.name}", timeout)
        if isinstance(found, Response):
            return Message(found.body, channel=self._where)
        ts = (found.response or {}).get("message_ts")
        return Message(found.params, channel=found.params.get("channel"), ts=ts)

    def sees(self, timeout: float = ANSWER_TIMEOUT) -> str:
        """The text of that answer."""
        return self.answer(timeout).text

    def modal(self, timeout: float = ANSWER_TIMEOUT) -> Modal:
        """The modal Slack opened for them after what they last did (as last updated)."""
        opened = self._wait(
            lambda e: (
                _is_call(e, "views.open", "views.push")
                and e.params.get("trigger_id") in self._triggers
            ),
            f"a modal opened for {self.name}",
            timeout,
        )
        assert isinstance(opened, Call) and opened.response is not None
        view = opened.response["view"]
        for call in self.team.slack.calls_to("views.update"):
            if call.ok and call.response and call.response["view"]["id"] == view["id"]:
                view = call.response["view"]
        return Modal(view)

    @property
    def dms(self) -> list[Message]:
        """What SalesMeet sent them in a direct message, oldest first."""
        return [m for m in self.team._posted() if m.channel == "D" + self.user_id]

    @property
    def ephemerals(self) -> list[Message]:
        """Messages only they saw in a channel (chat.postEphemeral), oldest first."""
        self.team.quiet()
        return [
            Message(c.params, c.params.get("channel"), (c.response or {}).get("message_ts"))
            for c in self.team.slack.calls_to("chat.postEphemeral")
            if c.ok and c.team_id == self.team.team_id and c.params.get("user") == self.user_id
        ]

    # -- the wire --------------------------------------------------------------------
    def _trigger(self) -> str:
        trigger = f"{next(_SERIAL)}.{self.user_id}.trigger"
        self._triggers.add(trigger)
        return trigger

    def _expect_answer(self, response_url: bool = True) -> str:
        """Start a new request: answers are looked for from here on."""
        self._mark = len(self.team.slack.log)
        self._triggers.clear()
        self._token = f"say{next(_SERIAL)}" if response_url else None
        return self._token or ""

    def _send(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> Reply:
        status, text = self.team.harness.send(body, content_type=content_type)
        self._reply = Reply(status, text, self._token)
        # As in a conversation, the next line waits for SalesMeet to finish with this one.
        self.team.quiet()
        return self._reply

    def _wait(
        self,
        where: Callable[[Call | Response], bool],
        what: str,
        timeout: float = ANSWER_TIMEOUT,
    ) -> Call | Response:
        return self.team.slack.wait_for_entry(where, since=self._mark, timeout=timeout, what=what)


class Team:
    """One workspace's conversation with SalesMeet: its people, channels and clock, and
    the SalesMeet process (or processes) serving it."""

    def __init__(self, harness: Harness, workspace: Workspace, spawn: Callable[[], Harness]):
        self.harness = harness
        self.workspace = workspace
        self._spawn = spawn
        self._people: dict[str, Person] = {}
        self._processes: list[Team] = []
        # Count what the app's thread pools run (listeners, after-ack work), as the
        # console does, so every look waits until SalesMeet has done what it was asked.
        self.activity: Activity = harness.activity  # type: ignore[attr-defined]
        runner = harness.app.listener_runner
        runner.listener_executor = self.activity.wrap(runner.listener_executor)
        lazy = runner.lazy_listener_runner
        lazy.executor = self.activity.wrap(lazy.executor)  # type: ignore[attr-defined]

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def slack(self) -> FakeSlack:
        """The Slack simulator: for faults (`team.slack.fail(...)`) and what Slack got."""
        return self.harness.fake

    @property
    def clock(self) -> ManualClock:
        """This process's clock (a ManualClock): it moves only when a test moves it."""
        return self.harness.clock

    @property
    def database(self) -> Database:
        return self.harness.database

    @property
    def services(self) -> Core:
        return self.harness.services

    @property
    def app(self) -> App:
        return self.harness.app

    def person(self, name: str) -> Person:
        member = self.workspace.member(name)
        assert member is not None, f"nobody called {name} in {self.workspace.name}"
        return self._people.setdefault(member.user_id, Person(self, member))

    def channel(self, name: str) -> Channel:
        where = self.workspace.channel(name)
        assert where is not None, f"{self.workspace.name} has no {name}"
        return Channel(self, where.channel_id)

    def quiet(self) -> None:
        """Wait until SalesMeet has finished what it was asked (its pools are idle)."""
        assert self.activity.wait_idle(QUIET_TIMEOUT), "SalesMeet is still busy"

    # -- what is stored --------------------------------------------------------------
    def meeting(self, number: int) -> Meeting | None:
        self.quiet()
        return MeetingStore(self.database).get(self.team_id, number)

    def upcoming(self) -> list[Meeting]:
        self.quiet()
        return MeetingStore(self.database).upcoming(self.team_id, self.clock.now())

    # -- time ------------------------------------------------------------------------
    def alarm_rings(self) -> int:
        """What the alarm does when it rings: send every post that is due now."""
        self.quiet()
        sent = self.harness.deliver()
        self.quiet()
        return sent

    def time_passes(self, delta: timedelta | None = None, **span: float) -> int:
        """Move the clock on (`time_passes(hours=5)`), then the alarm rings."""
        self.clock.advance(delta if delta is not None else timedelta(**span))
        return self.alarm_rings()

    def plan_ahead(self) -> None:
        """What the alarm does every hour: plan the timed posts of the coming days."""
        self.services.planner.extend_horizon()

    # -- processes -------------------------------------------------------------------
    def another_process(self) -> Team:
        """A second SalesMeet process on the same database and Slack, with its own clock."""
        other = Team(self._spawn(), self.workspace, self._spawn)
        self._processes.append(other)
        return other

    def restarted(self) -> Team:
        """This process stops; a new one starts on the same database."""
        self.harness.stop()
        return self.another_process()

    def close(self) -> None:
        for process in self._processes:
            process.close()
            process.harness.stop()

    # -- what Slack holds ------------------------------------------------------------
    def _posted(self) -> list[Message]:
        """What SalesMeet posted in this workspace and Slack took, oldest first, as it
        reads now: edits (chat.update) applied, deleted messages gone."""
        self.quiet()
        shown: dict[tuple[str, str], Message] = {}
        for c in self.slack.calls_to("chat.postMessage", "chat.update", "chat.delete"):
            if not c.ok or c.team_id != self.team_id or c.response is None:
                continue
            key = (c.response.get("channel", ""), c.response.get("ts", ""))
            if c.method == "chat.postMessage":
                shown[key] = Message(c.params, *key, stored=dict(c.response["message"]))
            elif c.method == "chat.update" and key in shown:
                edited = {**shown[key].raw, **c.params}
                shown[key] = Message(edited, *key, stored=dict(c.response["message"]))
            elif c.method == "chat.delete":
                shown.pop(key, None)
        return list(shown.values())


def _is_call(entry: Call | Response, *methods: str) -> bool:
    return isinstance(entry, Call) and entry.method in methods and entry.ok


def _label(element: dict) -> str:
    text = element.get("text") or element.get("placeholder") or {}
    return str(text.get("text", "")) if isinstance(text, dict) else ""


def _option(element: dict, wanted: str) -> dict:
    options = list(element.get("options") or []) + [
        o for g in element.get("option_groups") or [] for o in g.get("options") or []
    ]
    for o in options:
        if wanted.lower() in (str(o.get("value", "")).lower(), _label(o).lower()):
            return o
    raise AssertionError(f"no option {wanted!r} in {element.get('action_id')}")
