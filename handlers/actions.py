"""Buttons: open the scheduling modal; add an agenda item to an occurrence."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.agenda_modal import agenda_item_view
from bot.feature import Core
from bot.meeting_posts import ADD_AGENDA_ACTION
from entities.meetings import DEFAULT_PURPOSE, PURPOSES
from handlers.modals import open_schedule_modal
from handlers.replies import reader

log = logging.getLogger(__name__)


def _team_id(body: dict) -> str:
    return (body.get("team") or {}).get("id") or body["user"].get("team_id", "")


def register(app: App, core: Core) -> None:
    def open_modal(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        purpose = action.get("value") if action.get("value") in PURPOSES else DEFAULT_PURPOSE
        channel_id = (body.get("channel") or {}).get("id")
        open_schedule_modal(
            core,
            client,
            body.get("trigger_id"),
            _team_id(body),
            body["user"]["id"],
            channel_id,
            purpose,
        )

    def add_agenda_item(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        team_id, user_id = _team_id(body), body["user"]["id"]
        value = (body.get("actions") or [{}])[0].get("value") or ""
        number, _, occurrence = value.partition(":")
        tr = reader(core, team_id, user_id)
        meeting = core.book.store.get(team_id, int(number)) if number.isdigit() else None
        if meeting is None or not occurrence.isdigit():
            return
        metadata = json.dumps(
            {
                "number": meeting.number,
                "occurrence": int(occurrence),
                "channel_id": (body.get("channel") or {}).get("id"),
            }
        )
        try:
            client.views_open(
                trigger_id=body.get("trigger_id") or "",
                view=agenda_item_view(tr, meeting, metadata),
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("views.open for an agenda item failed: %r", error)

    app.action("open_schedule_modal")(open_modal)
    app.action(ADD_AGENDA_ACTION)(add_agenda_item)
