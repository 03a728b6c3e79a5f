"""Shared by the recognition tests: reading answers, posts and stored rows."""

from __future__ import annotations

from tests.support.messages import text_of

__all__ = ["rows", "shoutout_posts", "text_of"]


def shoutout_posts(slack, channel: str = "CSALES") -> list[str]:
    return [text_of(p) for p in slack.posts(channel) if "gave a shout-out" in text_of(p)]


def rows(slack, sql: str, *params) -> list[tuple]:
    with slack.database.reading() as db:
        return db.execute(sql, list(params)).fetchall()
