"""The real SalesMeet app, served over HTTP by the production server, talking to a fake
Slack. Tests drive it the way Slack does: signed form posts in, Web API calls out."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from slack_bolt import App

from bot.clock import ManualClock
from bot.feature import Core
from console.activity import Activity
from salesmeet.compose import create_app, open_database
from salesmeet.config import Settings
from salesmeet.transport import http_server
from simulator.webapi import FakeSlack, Response
from simulator.workspace import ACME, GLOBEX
from storage.db import Database
from tests.support.requests import (
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    post,
    signature_headers,
    slash_command_body,
    view_submission_payload,
)

SECRET = "test-signing-secret"
# Where links SalesMeet hands out point (calendar feeds); tests swap it for the server's.
PUBLIC_URL = "https://salesmeet.example.com"
# response_url tokens, unique across every harness sharing one fake Slack.
_RESPONSE_TOKENS = itertools.count(1)
# Monday 23 November 2026, 09:00 in Kuala Lumpur, 06:30 in Mumbai, 01:00 in London,
# and still Sunday evening (20:00) in New York.
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@dataclass
class Reply:
    """What Slack got back from one request to the app."""

    status: int
    body: str
    response_token: str | None = None

    @property
    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}

    @property
    def errors(self) -> dict[str, str]:
        """A modal's inline errors, by block id: what Slack shows under each field."""
        answer = self.json
        return answer.get("errors") or {} if answer.get("response_action") == "errors" else {}


@dataclass
class Harness:
    fake: FakeSlack
    clock: ManualClock
    database: Database
    app: App
    services: Core
    url: str

    def members(self, *user_ids: str, team: str = "T1") -> str:
        """Make these people members of the workspace (only members can be invited) and
        return their @mentions, comma-separated, as Slack sends them."""
        for user_id in user_ids:
            self.fake.add_user(team, user_id, user_id.lower())
        return ", ".join(f"<@{user_id}>" for user_id in user_ids)

    # -- sending what Slack sends ------------------------------------------------------
    def send(self, body: str, content_type: str = "application/x-www-form-urlencoded", **sig):
        headers = signature_headers(SECRET, body, content_type=content_type, **sig)
        status, _headers, text = post(self.url, body, headers)
        return status, text

    def command(
        self, text: str, user: str = "UMAYA", channel: str = "CSALES", team: str = "T1"
    ) -> Reply:
        token = f"cmd{next(_RESPONSE_TOKENS)}"
        body = slash_command_body(
            team_id=team,
            user_id=user,
            channel_id=channel,
            text=text,
            response_url=self.fake.response_url(token),
        )
        status, text_ = self.send(body)
        return Reply(status, text_, token)

    def ask(self, text: str, user: str = "UMAYA", channel: str = "CSALES", team: str = "T1"):
        """The ephemeral answer the user sees: the ack itself, or the reply that follows."""
        reply = self.command(text, user=user, channel=channel, team=team)
        assert reply.status == 200, reply
        if reply.body:
            return reply.json
        return self.followup(reply).body

    def followup(self, reply: Reply, timeout: float = 5.0) -> Response:
        responses = self.fake.wait_for_response(
            timeout=timeout, where=lambda r: r.path_token == reply.response_token
        )
        return responses[0]

    def click(self, action_id: str, user: str = "UMAYA", team: str = "T1", **kwargs) -> Reply:
        payload = block_actions_payload(
            team_id=team,
            user_id=user,
            channel_id=kwargs.pop("channel", "CSALES"),
            action_id=action_id,
            **kwargs,
        )
        return Reply(*self.send(interaction_body(payload)))

    def submit(
        self,
        values: dict,
        user: str = "UMAYA",
        team: str = "T1",
        metadata: str = "",
        callback_id: str = "schedule_meeting",
        **kw,
    ) -> Reply:
        payload = view_submission_payload(
            team_id=team,
            user_id=user,
            callback_id=callback_id,
            values=values,
            private_metadata=metadata,
            **kw,
        )
        return Reply(*self.send(interaction_body(payload)))

    def event(self, event: dict, team: str = "T1") -> Reply:
        return Reply(*self.send(event_body(team_id=team, event=event), content_type=JSON))

    # -- what Slack received ------------------------------------------------------------
    def posts(self, channel: str = "CSALES") -> list[dict]:
        return [
            c.params
            for c in self.fake.calls_to("chat.postMessage")
            if c.params.get("channel") == channel and not c.faulted
        ]

    def deliver(self) -> int:
        """What the alarm does when it fires: send every post that is due now."""
        return self.services.alarm.run_pass()

    def advance(self, delta) -> int:
        """Move the clock on, then let due posts go out."""
        self.clock.advance(delta)
        return self.deliver()

    def close(self) -> None:
        self.services.background.shutdown(wait=True)
        self.database.close()

    def stop(self) -> None:
        """The process goes away: its HTTP server, its threads, its database handle."""
        self.server.close()  # type: ignore[attr-defined]
        self.close()


def seed(fake: FakeSlack) -> None:
    """Workspace T1, Acme: the sales team in four zones, #sales, and #quiet without the bot."""
    fake.add_workspace(ACME)


def seed_globex(fake: FakeSlack) -> None:
    """Workspace T2, Globex, beside T1 on the same fake Slack."""
    fake.add_workspace(GLOBEX)


def start(
    tmp_path: Path,
    fake: FakeSlack,
    token: str = ACME.bot_token,
    public_url: str | None = PUBLIC_URL,
) -> Harness:
    settings = Settings(
        bot_token=token,
        signing_secret=SECRET,
        api_url=fake.url,
        db_path=str(tmp_path / "t.db"),
        public_url=public_url,
    )
    clock = ManualClock(START)
    database = open_database(settings.db_path)
    # Work after the ack is counted, so a transcript can wait until the app is quiet.
    activity = Activity()
    background = activity.wrap(ThreadPoolExecutor(8, thread_name_prefix="work"))
    app, services = create_app(settings, clock, database, background=background)
    server = http_server(
        app,
        port=0,
        host="127.0.0.1",
        signing_secret=SECRET,
        retries=services.retries,
        pages=services.hooks.web_pages(),
    )

    def serve() -> None:
        # Closing the server from the test thread interrupts waitress's select loop;
        # that OSError is the shutdown, not a failure.
        with contextlib.suppress(OSError, ValueError):
            server.run()

    threading.Thread(target=serve, daemon=True).start()
    harness = Harness(
        fake=fake,
        clock=clock,
        database=database,
        app=app,
        services=services,
        url=f"http://127.0.0.1:{server.effective_port}/slack/events",
    )
    harness.server = server  # type: ignore[attr-defined]
    harness.activity = activity  # type: ignore[attr-defined]
    return harness
