"""Slack surfaces of recognition: shout-outs, wins, the goal, the leaderboard, App Home.

Each command handler runs after the ack (handlers/commands.py) and returns the ephemeral
answer. The weekly post's "Schedule a shortfall meeting" button reuses the
`open_schedule_modal` action of handlers/actions.py (its value, `shortfall`, prefills the
purpose), so this feature registers no Bolt listener of its own.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block

from bot.channel_posts import NOT_A_MEMBER
from bot.directory import Directory
from bot.hooks import CommandHandler
from bot.i18n import Translator
from features.recognition import blocks
from features.recognition.amounts import WIN_EXAMPLE
from features.recognition.grammar import (
    GOAL_EXAMPLE,
    ClearGoal,
    GiveShoutout,
    LogWin,
    SetGoal,
    ShowGoal,
    ShowLeaderboard,
)
from features.recognition.records import Win
from features.recognition.service import Recognition
from features.recognition.timed import WeeklyPost
from handlers.context import RequestContext

log = logging.getLogger(__name__)

# The bot's own user id per workspace (auth.test), asked once per process: it never changes.
_bot_ids: dict[str, str] = {}
_bot_ids_lock = threading.Lock()


def bot_user_id(client: WebClient, team_id: str) -> str | None:
    """Our bot's user id, so nobody can give it a shout-out; None if Slack can't say."""
    with _bot_ids_lock:
        known = _bot_ids.get(team_id)
    if known:
        return known
    try:
        user_id = client.auth_test().get("user_id")
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("auth.test failed: %r", error)
        return None
    if user_id:
        with _bot_ids_lock:
            _bot_ids[team_id] = user_id
    return user_id


class Surfaces:
    """The command handlers and App Home blocks, on the feature's one service."""

    def __init__(self, recognition: Recognition, weekly: WeeklyPost, directory: Directory):
        self.recognition = recognition
        self.weekly = weekly
        self.directory = directory

    def commands(self) -> dict[type, CommandHandler]:
        return {
            GiveShoutout: self.give_shoutout,
            LogWin: self.log_win,
            SetGoal: self.goal,
            ShowGoal: self.goal,
            ClearGoal: self.goal,
            ShowLeaderboard: self.leaderboard,
        }

    def give_shoutout(self, ctx: RequestContext, command: GiveShoutout) -> dict:
        tr = self.directory.reader(ctx.team_id, ctx.user_id, ctx.person)
        given = self.recognition.give(
            ctx.team_id,
            ctx.user_id,
            command,
            ctx.channel_id,
            bot_user_id(ctx.client, ctx.team_id),
        )
        if not given.recorded:
            return blocks.repeated(tr, "shoutout")
        # The channel reads the post in the workspace's language.
        message = blocks.shoutout_post(
            self.directory.workspaces.channel_tr(ctx.team_id),
            ctx.user_id,
            command.recipients,
            command.reason,
        )
        note = None
        try:
            ctx.client.chat_postMessage(channel=ctx.channel_id, **message)
        except SlackApiError as error:
            code = error.response.get("error")
            log.info("shout-out post in %s failed: %s", ctx.channel_id, code)
            note = blocks.not_posted(tr, ctx.channel_id, code in NOT_A_MEMBER)
        except (SlackClientError, OSError) as error:
            log.warning("shout-out post in %s failed: %r", ctx.channel_id, error)
            note = blocks.not_posted(tr, ctx.channel_id, False)
        # A channel the bot could post in is where the weekly post goes (unless configured).
        self.recognition.touch(ctx.team_id, ctx.user_id, ctx.channel_id if note is None else None)
        self.weekly.plan_now(ctx.team_id)
        return blocks.shoutout_done(tr, command.recipients, ctx.channel_id, note, given.left_today)

    def log_win(self, ctx: RequestContext, command: LogWin) -> dict:
        person = ctx.person
        tr = self.directory.reader(ctx.team_id, ctx.user_id, person)
        win = self.recognition.log_win(
            ctx.team_id,
            ctx.user_id,
            command,
            ctx.channel_id,
            person.is_manager,
            bot_user_id(ctx.client, ctx.team_id),
        )
        if win is None:
            return blocks.repeated(tr, "win")
        self.recognition.touch(ctx.team_id, ctx.user_id, ctx.channel_id)
        self.weekly.plan_now(ctx.team_id)
        if win.user_id != ctx.user_id:
            self._tell_winner(ctx, win)
        return blocks.win_done(
            tr,
            win,
            win.user_id == ctx.user_id,
            self.recognition.currency(ctx.team_id),
            self.recognition.progress(ctx.team_id),
        )

    def _tell_winner(self, ctx: RequestContext, win: Win) -> None:
        """A DM to the person a manager logged a win for; a failure only costs the DM."""
        tr = self.directory.reader(ctx.team_id, win.user_id)
        try:
            ctx.client.chat_postMessage(channel=win.user_id, **blocks.win_dm(tr, ctx.user_id, win))
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("could not tell %s about their win: %r", win.user_id, error)

    def goal(self, ctx: RequestContext, command: SetGoal | ShowGoal | ClearGoal) -> dict:
        person = ctx.person
        tr = self.directory.reader(ctx.team_id, ctx.user_id, person)
        if isinstance(command, SetGoal):
            saved = self.recognition.set_goal(ctx.team_id, ctx.user_id, command, person.is_manager)
            self.recognition.touch(ctx.team_id, ctx.user_id, ctx.channel_id)
            self.weekly.plan_now(ctx.team_id)
            return blocks.goal_set(tr, saved, self.recognition.progress(ctx.team_id))
        if isinstance(command, ClearGoal):
            cleared = self.recognition.clear_goal(ctx.team_id, person.is_manager)
            return blocks.goal_cleared(tr, cleared)
        return blocks.goal_view(tr, self.recognition.progress(ctx.team_id), GOAL_EXAMPLE)

    def leaderboard(self, ctx: RequestContext, command: ShowLeaderboard) -> dict:
        tr = self.directory.reader(ctx.team_id, ctx.user_id, ctx.person)
        board = self.recognition.board(ctx.team_id, command.period, command.previous)
        return blocks.leaderboard(tr, board, command.previous, WIN_EXAMPLE)

    def home_blocks(self, tr: Translator, team_id: str, user_id: str) -> list[Block]:
        """Feature hook: this week's top performers and the goal, on App Home."""
        current, last = self.recognition.recent(team_id)
        progress = self.recognition.progress(team_id)
        return blocks.summary_blocks(tr, "home", current, last, progress)
