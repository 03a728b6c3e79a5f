"""The small modal behind the **Add agenda item** button."""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.agenda import MAX_ITEM
from bot.i18n import Translator
from entities.meetings import Meeting

CALLBACK_ID = "add_agenda_item"


def agenda_item_view(tr: Translator, meeting: Meeting, private_metadata: str) -> dict:
    title = meeting.title if len(meeting.title) <= 60 else meeting.title[:59] + "…"
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=tr.gettext("Add agenda item"),
        submit=tr.gettext("Add"),
        close=tr.gettext("Cancel"),
        private_metadata=private_metadata,
        blocks=[
            InputBlock(
                block_id="item",
                label=tr.gettext("Item for {ref} {title}", ref=meeting.ref, title=title),
                element=PlainTextInputElement(action_id="value", max_length=MAX_ITEM),
            )
        ],
    ).to_dict()
