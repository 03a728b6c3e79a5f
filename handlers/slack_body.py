"""What a request from Slack says, read once: its kind, its workspace, and its body as
Bolt's listeners read it.

The HTTP transport reads a signed body here before Bolt sees it, to refuse what Slack
never sends with a 400 rather than a traceback, and hands Bolt the parsed body; the
inbox reads a kept request the same way when it carries it out again. Bolt's own
parser is not used: it takes any form containing the word "payload" for an
interaction, so a command such as `schedule "Demo payload review"` reached the
listeners empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

FORM = "application/x-www-form-urlencoded"
# Bolt's mode for a request whose signature was checked already and whose body is
# parsed: in "http" mode Bolt would hash the body again and parse it with its own
# parser. (Bolt reads the mode for nothing else.)
VERIFIED = "socket_mode"


@dataclass(frozen=True)
class Shape:
    """What a request body is, and the body as the listeners read it."""

    content_type: str = ""
    problem: str | None = None  # why it is not a request Slack sends
    team_id: str = ""
    event_id: str | None = None
    body: dict = field(default_factory=dict)


def slack_shape(body: bytes) -> Shape:
    """The content type Slack used for `body` and the body parsed as Bolt parses it
    (slack_bolt.request.internals.parse_body, less its "payload" slip), or a reason it
    is not a request Slack sends: events are JSON objects; commands and interactions are
    forms, an interaction's `payload` a JSON object, a command with its team and user."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Shape(problem="The body is not UTF-8.")
    if text.lstrip().startswith("{"):
        try:
            event = json.loads(text)
        except ValueError:
            return Shape(problem="The body is not valid JSON.")
        if not isinstance(event, dict):
            return Shape(problem="The body is not a JSON object.")
        event_id = event.get("event_id")
        return Shape(
            "application/json",
            team_id=str(event.get("team_id") or ""),
            event_id=event_id if isinstance(event_id, str) else None,
            body=event,
        )
    # As Bolt reads a form: the last value of a repeated field. The checks below read
    # the same values the listeners will.
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        try:
            payload = json.loads(form["payload"])
        except ValueError:
            return Shape(problem="The payload is not valid JSON.")
        if not isinstance(payload, dict):
            return Shape(problem="The payload is not a JSON object.")
        team = payload.get("team")
        team_id = str(team.get("id") or "") if isinstance(team, dict) else ""
        return Shape(FORM, team_id=team_id, body=payload)
    if "command" in form:
        team_id, user_id = form.get("team_id", ""), form.get("user_id", "")
        if not team_id or not user_id:
            return Shape(problem="A command needs team_id and user_id.")
        return Shape(FORM, team_id=team_id, body=form)
    if "ssl_check" in form:
        return Shape(FORM, body=form)
    return Shape(problem="Not a request Slack sends.")
