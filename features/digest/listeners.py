"""Slack surfaces of the digest: `/salesmeet digest [last|this|next]`, the buttons that
apply a suggestion of the ranking by worth, and its part of App Home.

The command's handler runs after the ack (handlers/commands.py) and returns the
ephemeral answer: everyone's hours for a reader the workspace lets see them
(`digest-visibility`), else the team's figures and the reader's own line.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk.models.blocks import Block

from bot.command import CancelMeeting, EditMeeting, parse_command
from bot.directory import Directory
from bot.feature import Services
from bot.hooks import Hooks
from bot.i18n import Translator
from entities.errors import N_, UserError
from features.digest import blocks
from features.digest.grammar import ShowDigest
from features.digest.service import Digests
from features.digest.settings import digest_channel, may_see_everyone
from handlers.commands import cancel, edit
from handlers.context import RequestContext
from handlers.replies import answer_later

log = logging.getLogger(__name__)

APPLY_EXPIRED = N_("That suggestion is no longer valid. Look at this week's digest again.")


def show_digest(digests: Digests, hooks: Hooks, ctx: RequestContext, command: ShowDigest) -> dict:
    # The person as Slack says now, not as cached: their zone, language and role.
    person = ctx.person
    tr = ctx.directory.reader(ctx.team_id, ctx.user_id, person)
    report = digests.report(ctx.team_id, digests.week(ctx.team_id, command.which))
    figures = report.figures
    where = digest_channel(figures.settings) or figures.busiest_channel
    notes = hooks.digest_notes(tr, ctx.team_id, figures.week_start, figures.week_end)
    return blocks.digest_message(
        tr,
        figures,
        where=where,
        everyone=may_see_everyone(figures.settings, person.is_manager),
        viewer=ctx.user_id,
        report=report,
        notes=notes,
    )


def home(
    digests: Digests, directory: Directory, tr: Translator, team_id: str, user_id: str
) -> list[Block]:
    """A manager's App Home: the last digest's picture and, when the workspace lets them,
    everyone's hours this week. Nothing for anyone else: their own hours are already
    there (followups), and nobody else's are theirs to see."""
    person = directory.cached(team_id, user_id)
    if not (person and person.is_manager):
        return []
    report = digests.report(team_id, digests.week(team_id), reuse=True)
    everyone = may_see_everyone(report.figures.settings, manager=True)
    kept = digests.history.latest_chart(team_id, user_id)
    image = blocks.Image(kept.file_id, kept.alt, kept.caption) if kept else None
    return blocks.home_blocks(tr, report, everyone, image)


def register(app: App, *, services: Services) -> None:
    """The ranking's buttons: each runs the command it carries (`cancel #4`, `edit #4
    for 30m`) as the person who pressed it, so the command's own rule holds: only the
    organiser or a manager gets it done; anyone else is told so."""

    def apply(ack: Ack, action: dict, respond: Respond, ctx: RequestContext) -> None:
        try:
            wanted = parse_command(str(action.get("value") or ""))
        except UserError:
            wanted = None
        if isinstance(wanted, CancelMeeting):
            answer_later(services, ctx, ack, respond, lambda: cancel(services, ctx, wanted))
        elif isinstance(wanted, EditMeeting) and not wanted.opens_form:
            answer_later(services, ctx, ack, respond, lambda: edit(services, ctx, wanted))
        else:
            log.warning("digest button with a value we never wrote, team=%s", ctx.team_id)
            raise UserError(APPLY_EXPIRED)

    app.action(re.compile(f"^{blocks.APPLY_ACTION}:[0-9]+$"))(apply)
