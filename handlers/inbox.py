"""Carrying out requests that a process acked and then died before finishing.

Each one is in the inbox (bot/retries.py) exactly as Slack sent it. It is dispatched
through the same Bolt app again, as a request already verified (it was, when it first
came in), with its ledger key, so its work commits "done" with its change and a run
that already did the change does not do it again. What a listener answered in its ack
goes to the request's response_url: Slack heard only a plain ack from the dead process.

A worker process (salesmeet/worker.py) carries out, the same way, the requests its
server acked and handed over: `carry_out_handed`, and `carry_out_left` for those whose
hand-over was lost with an earlier worker.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from threading import Event

from slack_bolt import App, BoltRequest
from slack_sdk.webhook import WebhookClient

from bot.retries import RetryGuard, Unfinished
from handlers.context import REQUEST_HEADER
from handlers.slack_body import VERIFIED, slack_shape

log = logging.getLogger(__name__)


def replay_orphans(app: App, retries: RetryGuard, stop: Event | None = None) -> int:
    """Carry out every request acked by a process that is gone (until `stop` is set);
    returns how many."""
    done = 0
    for item in retries.orphans():
        if stop is not None and stop.is_set():
            break  # taken over but not carried out: the next process takes it
        try:
            replay(app, retries, item)
            done += 1
        except Exception:  # one bad request must not keep the others from running
            log.exception("replay of request %s failed", item.key[:24])
    if done:
        log.info("carried out %d request(s) acked before a restart", done)
    return done


def carry_out_handed(app: App, retries: RetryGuard, key: str, server: str) -> bool:
    """Carry out request `key`, acked by the process `server` and handed over to this one;
    False when it was finished or taken already."""
    item = retries.hand_over(key, server)
    if item is None:
        return False
    replay(app, retries, item)
    return True


def carry_out_left(
    app: App, retries: RetryGuard, server: str, older_than: timedelta, stop: Event
) -> int:
    """Carry out what `server` acked over `older_than` ago and nobody answered (until
    `stop` is set): its hand-over went to a worker that died before taking it. Returns
    how many."""
    done = 0
    for key in retries.left_by(server, older_than):
        if stop.is_set():
            break
        try:
            done += carry_out_handed(app, retries, key, server)
        except Exception:
            log.exception("request %s left by its worker failed", key[:24])
    return done


def replay(app: App, retries: RetryGuard, item: Unfinished) -> None:
    body = slack_shape(item.request).body
    request = BoltRequest(
        body=body,
        headers={"content-type": [item.request_type], REQUEST_HEADER: [item.key]},
        # Verified when it came in; its signature's timestamp is stale by now.
        mode=VERIFIED,
    )
    response = app.dispatch(request)
    if retries.deferred(item.key):
        return  # its work runs after the ack and replies itself
    url = body.get("response_url")
    if response.body and isinstance(url, str) and url and response.status == 200:
        try:
            message = json.loads(response.body)
        except ValueError:
            message = {"text": response.body}
        if isinstance(message, dict) and message.get("response_action") is None:
            WebhookClient(url).send_dict({"replace_original": False, **message})
    retries.replied(item.key)
