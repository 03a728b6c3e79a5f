"""Slack surfaces of the digest: `/salesmeet digest [last|this|next]`.

Its handler runs after the ack (handlers/commands.py) and returns the ephemeral answer.
"""

from __future__ import annotations

from features.digest import blocks
from features.digest.grammar import ShowDigest
from features.digest.service import Digests
from features.digest.settings import digest_channel
from handlers.context import RequestContext


def show_digest(digests: Digests, ctx: RequestContext, command: ShowDigest) -> dict:
    # The person as Slack says now, not as cached: their zone and language.
    tr = ctx.directory.reader(ctx.team_id, ctx.user_id, ctx.person)
    figures = digests.figures(ctx.team_id, digests.week(ctx.team_id, command.which))
    where = digest_channel(figures.settings) or figures.busiest_channel
    return blocks.digest_message(tr, figures, where=where)
