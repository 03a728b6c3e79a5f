"""Slack surfaces of the digest feature (bot/digest/): `/salesmeet digest` and `config`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError

from bot import render
from bot.feature import Core
from bot.i18n import Translator, translator
from bot.mrkdwn import channel, date_token, mention
from bot.settings import (
    MANAGERS,
    REPLAN_DIGEST,
    REPLAN_MEETINGS,
    REPLAN_SHOUTOUTS,
    SETTINGS,
    ChangeManagers,
    SetConfig,
    ShowConfig,
    changed_text,
    managers_after,
    read_value,
    settings_lines,
)
from entities.errors import N_, UserError
from entities.people import Person
from features.digest import render as digest_render
from features.digest.grammar import ShowDigest
from features.digest.posts import DigestPosts
from features.digest.service import Digests
from handlers.replies import Invocation
from storage.meetings import MeetingStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestParts:
    """The digest's services, built once (features/digest/__init__.py)."""

    digests: Digests
    posts: DigestPosts


MANAGERS_ONLY = N_(
    "Sorry, only managers can see or change the workspace settings. Workspace admins and"
    " owners are managers, and can make you one with `/salesmeet config managers add @you`."
)


def show_digest(
    core: Core, feature: DigestParts, invocation: Invocation, command: ShowDigest
) -> dict:
    person = _person(core, invocation)
    tr = translator(person.locale)
    team = invocation.team_id
    figures = feature.digests.figures(team, feature.digests.week(team, command.which))
    where = figures.settings.digest_channel or figures.busiest_channel
    return digest_render.digest_message(tr, figures, where=where)


def show_config(
    core: Core, feature: DigestParts, invocation: Invocation, command: ShowConfig
) -> dict:
    person = _manager(core, invocation)
    tr = translator(person.locale)
    settings = core.workspaces.settings(invocation.team_id)
    head = tr.gettext("*Workspace settings*")
    hint = tr.gettext(
        "Change one with `/salesmeet config <setting> <value>`, like `{example}`;"
        " `default` puts a setting back to its default.",
        example="/salesmeet config digest-time mon 09:00",
    )
    lines = "\n".join(f"• {line}" for line in settings_lines(tr, settings))
    return render.message(head, [render.section(head), render.section(lines), render.context(hint)])


def set_config(
    core: Core, feature: DigestParts, invocation: Invocation, command: SetConfig
) -> dict:
    person = _manager(core, invocation)
    tr = translator(person.locale)
    team = invocation.team_id
    values = read_value(command, core.workspaces.settings(team))
    for key, value in values.items():
        core.workspaces.set(team, key, value)
    notes = _replan(core, feature, team, SETTINGS[command.key].replan, tr)
    channel_id = values.get("digest_channel") or values.get("shoutout_channel")
    if channel_id:
        notes += _membership_note(invocation, channel_id, tr)
    text = changed_text(tr, command.key, core.workspaces.settings(team))
    return render.message(text, [render.section(text)] + [render.context(n) for n in notes])


def change_managers(
    core: Core, feature: DigestParts, invocation: Invocation, command: ChangeManagers
) -> dict:
    person = _manager(core, invocation)
    tr = translator(person.locale)
    team = invocation.team_id
    current = core.workspaces.settings(team).managers
    if not command.add:
        admins = core.managers.admins(team)
        for user_id in command.user_ids:
            if user_id not in current:
                if user_id in admins:
                    raise UserError(
                        N_("{person} is a workspace admin or owner, and they are always managers."),
                        person=mention(user_id),
                    )
                raise UserError(
                    N_("{person} is not one of the managers set here."), person=mention(user_id)
                )
    core.workspaces.set(team, "managers", managers_after(current, command))
    feature.posts.replan(team)
    _extend(core, team)
    text = changed_text(tr, MANAGERS, core.workspaces.settings(team))
    return render.message(text, [render.section(text)])


def _person(core: Core, invocation: Invocation) -> Person:
    return core.directory.person(invocation.client, invocation.team_id, invocation.user_id)


def _manager(core: Core, invocation: Invocation) -> Person:
    """The person asking, if they are a manager; admins and owners always are."""
    person = _person(core, invocation)
    if not person.is_manager:
        raise UserError(MANAGERS_ONLY)
    return person


def _replan(
    core: Core, feature: DigestParts, team: str, what: tuple[str, ...], tr: Translator
) -> list[str]:
    """Timed posts follow the new settings; returns notes for the person who changed them."""
    notes: list[str] = []
    if REPLAN_DIGEST in what:
        feature.posts.replan(team)
        due = feature.posts.next_due(team, core.clock.now())
        notes.append(tr.gettext("The next digest goes out {when}.", when=date_token(due)))
    if REPLAN_SHOUTOUTS in what:
        # The recognition feature's workspace posts (meeting 0) follow the new schedule.
        core.planner.deliveries.drop_pending(team, "shoutouts")
    if REPLAN_MEETINGS in what:
        # Pending agenda prompts and reminders move to the new lead times.
        for meeting in MeetingStore(core.database).active(team, core.clock.now()):
            core.planner.meeting_changed(meeting)
    _extend(core, team)
    return notes


def _extend(core: Core, team: str) -> None:
    """Plan what is missing now, not at the next hourly pass, and set the alarm."""
    core.planner.extend_horizon(team)
    core.alarm.wake()


def _membership_note(invocation: Invocation, channel_id: str, tr: Translator) -> list[str]:
    """Tell the person now, not on Monday, when SalesMeet cannot post in that channel."""
    try:
        info = invocation.client.conversations_info(channel=channel_id)
        if (info.get("channel") or {}).get("is_member"):
            return []
    except SlackApiError as error:
        log.info("conversations.info %s: %s", channel_id, error.response.get("error"))
    except (SlackClientError, OSError) as error:
        log.info("conversations.info %s failed: %r", channel_id, error)
        return []
    return [
        tr.gettext(
            ":information_source: I'm not in {channel} yet. Type `/invite @SalesMeet` there"
            " so I can post in it.",
            channel=channel(channel_id),
        )
    ]


# Command type (from bot/digest VERBS) -> handler(core, invocation, command) -> message
COMMANDS: dict[type, Callable[..., dict]] = {
    ShowDigest: show_digest,
    ShowConfig: show_config,
    SetConfig: set_config,
    ChangeManagers: change_managers,
}
