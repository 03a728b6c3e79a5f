"""The one error handler of the app: an unexpected failure is an answer, never a 500.

Bolt calls it for an exception in any listener or middleware. Before the ack, it becomes
the ack itself: an ephemeral message with a short reference (a modal submission keeps the
modal open with that message on its first field). After the ack, the user is told through
the response_url, or else as an ephemeral message or a DM. The same reference is in the log
line with the traceback, so a user's screenshot leads to the line.
"""

from __future__ import annotations

import json
import logging
import secrets

from slack_bolt import BoltResponse

from bot import render
from bot.channel_posts import tell_user
from entities.errors import N_, DatabaseBusy, UserError
from handlers.context import RequestContext

log = logging.getLogger(__name__)

BUSY = N_(
    "I'm busy for a moment and couldn't do that; nothing was changed. Please try again in a"
    " few seconds."
)


def reference() -> str:
    """A short id for one failure, to find its log line."""
    return secrets.token_hex(4)


def handle_error(
    error: Exception, body: dict, response: BoltResponse | None, context: dict
) -> BoltResponse | None:
    ctx: RequestContext | None = context.get("ctx")
    if isinstance(error, DatabaseBusy) and ctx is not None:
        log.warning("database busy team=%s: %s", ctx.team_id, error)
        error = UserError(BUSY)
    if isinstance(error, UserError) and ctx is not None:
        # Something the user can fix: say what, and how; nothing for the log.
        if response is not None and body.get("type") == "view_submission":
            view = body.get("view") or {}
            ids = {b.get("block_id") for b in view.get("blocks") or [] if isinstance(b, dict)}
            block_id = error.field if error.field in ids else _first_input(view)
            return _json({"response_action": "errors", "errors": {block_id: ctx.tr.error(error)}})
        if response is not None:
            return _json({"response_type": "ephemeral", **render.error(ctx.tr, error)})
        tell_user(ctx.client, ctx.channel_id, ctx.user_id, render.error(ctx.tr, error))
        return None
    ref = reference()
    team = ctx.team_id if ctx else "?"
    log.error("unexpected error [ref %s] team=%s: %r", ref, team, error, exc_info=error)
    if ctx is None:  # the request context itself failed: nobody to address
        return BoltResponse(status=200, body="") if response is not None else None
    text = render.unexpected_text(ctx.tr, ref)
    if response is not None:  # not acked yet: this is the ack
        if body.get("type") == "view_submission":
            block_id = _first_input(body.get("view") or {})
            if block_id:
                answer = {"response_action": "errors", "errors": {block_id: text[:150]}}
                return _json(answer)
            tell_user(ctx.client, ctx.channel_id, ctx.user_id, render.unexpected(ctx.tr, ref))
            return BoltResponse(status=200, body="")
        if body.get("command") or body.get("type") == "block_actions":
            return _json({"response_type": "ephemeral", **render.unexpected(ctx.tr, ref)})
        return BoltResponse(status=200, body="")
    # Already acked: tell the user another way.
    respond = context.get("respond")
    try:
        if respond is not None and (body.get("response_url") or body.get("response_urls")):
            respond(response_type="ephemeral", replace_original=False, text=text)
            return None
    except Exception as failed:  # the answer itself failed; fall back below
        log.warning("could not answer through response_url [ref %s]: %r", ref, failed)
    if ctx.user_id:
        tell_user(ctx.client, ctx.channel_id, ctx.user_id, render.unexpected(ctx.tr, ref))
    return None


def _first_input(view: dict) -> str | None:
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return block["block_id"]
    return None


def _json(payload: dict) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(payload),
        headers={"content-type": "application/json;charset=utf-8"},
    )
