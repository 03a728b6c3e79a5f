"""One request context for every listener: who asked, where, and how to answer them.

A Bolt middleware builds it from Bolt's own `context` for every request and puts it in
the context as `ctx`, so a listener names `ctx` among its arguments and Bolt passes it.
No listener reads team, user or channel out of the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.directory import Directory
from bot.i18n import Translator, translator
from entities.errors import DatabaseBusy
from entities.people import Person
from handlers.ack_wait import AckSignal, expect_ack

# Set by the HTTP transport (salesmeet/transport.py) and by a replay (handlers/inbox.py).
REQUEST_HEADER = "x-salesmeet-request"


@dataclass
class RequestContext:
    """One request from Slack. `person` and `tr` are looked up at most once per request."""

    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str | None
    client: WebClient
    directory: Directory = field(repr=False)
    enterprise_id: str | None = None
    # The request's key in the ledger and inbox (bot/retries.py); None in Socket Mode.
    request_key: str | None = None

    @cached_property
    def person(self) -> Person:
        """The person asking, from the directory (Slack's users.info when not cached).
        Raises UserError when Slack cannot tell us who they are."""
        return self.directory.person(self.client, self.team_id, self.user_id)

    @property
    def tr(self) -> Translator:
        """The reader's language: once `person` has been looked up, theirs; before that,
        what the cache knows, so the ack path never waits on Slack."""
        if "person" in self.__dict__:
            return self._person_tr
        return self._cached_tr

    @cached_property
    def _person_tr(self) -> Translator:
        """Read once a request: their language and zone as Slack now says."""
        return self.directory.reader(self.team_id, self.user_id, self.person)

    @cached_property
    def _cached_tr(self) -> Translator:
        try:
            return self.directory.reader(self.team_id, self.user_id)
        except DatabaseBusy:
            return translator(None)  # the answer still goes out, in the default language


class ContextMiddleware(Middleware):
    """The Bolt middleware that builds `ctx` for every request. A Middleware of its own
    rather than a function: Bolt calls it directly, without working out which
    arguments a function middleware wants on every request (the ack path's cost)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        context, body = req.context, req.body
        # Bolt's Ack, which also wakes the request's thread when given (ack_wait.py).
        if "ack" not in context:
            ack = AckSignal()
            context["ack"] = ack
            expect_ack(ack, inline="command" in body)
        keys = req.headers.get(REQUEST_HEADER) or [None]
        context["ctx"] = RequestContext(
            team_id=context.team_id or _team_of(body),
            user_id=context.user_id or "",
            channel_id=context.channel_id or "",
            trigger_id=body.get("trigger_id"),
            client=context.client,
            directory=self.directory,
            enterprise_id=context.enterprise_id,
            request_key=keys[0],
        )
        return next()


def context_middleware(directory: Directory) -> ContextMiddleware:
    """The middleware that builds `ctx` (register it with `app.middleware`)."""
    return ContextMiddleware(directory)


def _team_of(body: dict) -> str:
    """Where Bolt found no team: a view submitted from App Home carries it in the view."""
    return (body.get("view") or {}).get("team_id") or ""
