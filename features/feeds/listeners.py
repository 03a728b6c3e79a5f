"""The Slack surfaces of calendar feeds: `/salesmeet calendar [reset]`."""

from __future__ import annotations

from collections.abc import Callable

from features.feeds import blocks
from features.feeds.grammar import ResetFeed, ShowFeed
from features.feeds.service import Feeds
from handlers.context import RequestContext


def show_feed(feeds: Feeds, ctx: RequestContext, command: ShowFeed) -> dict:
    if not feeds.available:
        return blocks.no_public_url(ctx.tr)
    return blocks.feed_link(ctx.tr, feeds.link(ctx.team_id, ctx.user_id))


def reset_feed(feeds: Feeds, ctx: RequestContext, command: ResetFeed) -> dict:
    if not feeds.available:
        return blocks.no_public_url(ctx.tr)
    link, gone = feeds.reset(ctx.team_id, ctx.user_id)
    return blocks.feed_link(ctx.tr, link, gone)


# Command type (grammar.py) -> handler(feeds, ctx, command) -> the ephemeral answer
COMMANDS: dict[type, Callable[..., dict]] = {ShowFeed: show_feed, ResetFeed: reset_feed}
