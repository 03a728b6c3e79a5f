"""Slack surfaces of recognition (bot/recognition/): shout-outs, wins, the goal, the leaderboard.

Each handler runs after the ack (handlers/commands.py) and returns the ephemeral answer.
The weekly post's "Schedule a shortfall meeting" button reuses the `open_schedule_modal`
action of handlers/actions.py (its value, `shortfall`, prefills the purpose), so this
module registers no listener of its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.channel_posts import NOT_A_MEMBER
from bot.feature import Core
from bot.i18n import translator
from bot.timed_posts import HORIZON
from features.recognition import posts
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
from features.recognition.service import Recognition, currency_of
from features.recognition.store import Win
from handlers.replies import Invocation

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


def _plan_weekly_post(core: Core, recognition: Recognition, team_id: str) -> None:
    """The first recognition of a workspace must not wait for the hourly planning pass."""
    now = core.clock.now()
    core.planner.deliveries.plan(recognition.weekly_posts(team_id, now, now + HORIZON), now)
    core.alarm.wake()


def give_shoutout(
    core: Core, recognition: Recognition, invocation: Invocation, command: GiveShoutout
) -> dict:
    client, team_id, user_id = invocation.client, invocation.team_id, invocation.user_id
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    given = recognition.give(
        team_id, user_id, command, invocation.channel_id, bot_user_id(client, team_id)
    )
    if not given.recorded:
        return posts.repeated(tr, "shoutout")
    # The channel reads the post in the workspace's language.
    message = posts.shoutout_post(translator(None), user_id, command.recipients, command.reason)
    note = None
    try:
        client.chat_postMessage(channel=invocation.channel_id, **message)
    except SlackApiError as error:
        code = error.response.get("error")
        log.info("shout-out post in %s failed: %s", invocation.channel_id, code)
        note = posts.not_posted(tr, invocation.channel_id, code in NOT_A_MEMBER)
    except (SlackClientError, OSError) as error:
        log.warning("shout-out post in %s failed: %r", invocation.channel_id, error)
        note = posts.not_posted(tr, invocation.channel_id, False)
    # A channel the bot could post in is where the weekly post goes (unless configured).
    recognition.touch(team_id, user_id, invocation.channel_id if note is None else None)
    _plan_weekly_post(core, recognition, team_id)
    return posts.shoutout_done(
        tr, command.recipients, invocation.channel_id, note, given.left_today
    )


def log_win(core: Core, recognition: Recognition, invocation: Invocation, command: LogWin) -> dict:
    client, team_id, user_id = invocation.client, invocation.team_id, invocation.user_id
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    win = recognition.log_win(
        team_id,
        user_id,
        command,
        invocation.channel_id,
        person.is_manager,
        bot_user_id(client, team_id),
    )
    if win is None:
        return posts.repeated(tr, "win")
    recognition.touch(team_id, user_id, invocation.channel_id)
    _plan_weekly_post(core, recognition, team_id)
    if win.user_id != user_id:
        _tell_winner(core, client, team_id, user_id, win)
    default = currency_of(core.workspaces.settings(team_id))
    return posts.win_done(tr, win, win.user_id == user_id, default, recognition.progress(team_id))


def _tell_winner(core: Core, client: WebClient, team_id: str, manager: str, win: Win) -> None:
    """A DM to the person a manager logged a win for; a failure only costs the DM."""
    known = core.directory.cached(team_id, win.user_id)
    tr = translator(known.locale if known else None)
    try:
        client.chat_postMessage(channel=win.user_id, **posts.win_dm(tr, manager, win))
    except (SlackApiError, SlackClientError, OSError) as error:
        log.info("could not tell %s about their win: %r", win.user_id, error)


def goal(
    core: Core,
    recognition: Recognition,
    invocation: Invocation,
    command: SetGoal | ShowGoal | ClearGoal,
) -> dict:
    client, team_id, user_id = invocation.client, invocation.team_id, invocation.user_id
    person = core.directory.person(client, team_id, user_id)
    tr = translator(person.locale)
    if isinstance(command, SetGoal):
        saved = recognition.set_goal(team_id, user_id, command, person.is_manager)
        recognition.touch(team_id, user_id, invocation.channel_id)
        _plan_weekly_post(core, recognition, team_id)
        return posts.goal_set(tr, saved, recognition.progress(team_id))
    if isinstance(command, ClearGoal):
        return posts.goal_cleared(tr, recognition.clear_goal(team_id, person.is_manager))
    return posts.goal_view(tr, recognition.progress(team_id), GOAL_EXAMPLE)


def leaderboard(
    core: Core, recognition: Recognition, invocation: Invocation, command: ShowLeaderboard
) -> dict:
    person = core.directory.person(invocation.client, invocation.team_id, invocation.user_id)
    tr = translator(person.locale)
    board = recognition.board(invocation.team_id, command.period, command.previous)
    return posts.leaderboard(tr, board, command.previous, WIN_EXAMPLE)


# Command type (from bot/recognition VERBS) -> handler(core, invocation, command) -> message
COMMANDS: dict[type, Callable[..., dict]] = {
    GiveShoutout: give_shoutout,
    LogWin: log_win,
    SetGoal: goal,
    ShowGoal: goal,
    ClearGoal: goal,
    ShowLeaderboard: leaderboard,
}
