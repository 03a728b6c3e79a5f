"""Writing for Slack's mrkdwn: escaping user text and dates every reader sees in their own zone."""

from __future__ import annotations

from datetime import UTC, datetime


class Markup(str):
    """Text that is already Slack markup we wrote (a mention, a channel, a date token), so
    it is never escaped again when it fills a sentence."""


def escape(text: str) -> str:
    """Escape user text so Slack shows it literally: `<!channel>` pings nobody.

    Slack's rule: only `&`, `<` and `>` are control characters in message text.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's own escaping of what people typed (`&lt;` back to `<`), so we store and
    read their words; Slack's real markup (`<@U123|maya>`, `<https://…>`) is untouched."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def date_token(instant: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """Slack's date token: each reader's client renders it in their own time zone.

    The fallback (for clients and notifications that cannot render tokens) is UTC.
    """
    when = instant.astimezone(UTC)
    fallback = when.strftime("%a %d %b %Y %H:%M UTC")
    return Markup(f"<!date^{int(when.timestamp())}^{fmt}|{fallback}>")


def mention(user_id: str) -> str:
    return Markup(f"<@{user_id}>")


def channel(channel_id: str) -> str:
    return Markup(f"<#{channel_id}>")


def escape_params(params: dict[str, object]) -> dict[str, object]:
    """A sentence's parameters with every text that is not our own markup escaped: what a
    user typed and is echoed back (`I don't know “<!here>”`) pings nobody."""
    return {
        k: v if isinstance(v, Markup) or not isinstance(v, str) else escape(v)
        for k, v in params.items()
    }
