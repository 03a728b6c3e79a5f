"""Reading what Slack received as a person reads it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Slack's date token, as SalesMeet writes meeting times: readers see them in their zone.
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^\{date_short_pretty\} at \{time\}\|[^>]+>")


def text_of(message: dict) -> str:
    """Everything a reader sees in a message: fallback text and every block's text."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        for item in [block.get("text") or {}, *(block.get("elements") or [])]:
            if isinstance(item, dict):
                parts.append(item.get("text") if isinstance(item.get("text"), str) else "")
    return "\n".join(parts)


def token_times(text: str) -> list[datetime]:
    """The instants of the date tokens in `text`, in order."""
    return [datetime.fromtimestamp(int(e), UTC) for e in DATE_TOKEN.findall(text)]
