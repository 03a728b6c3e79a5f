"""`/salesmeet config`: managers see and change the workspace settings.

The rows are the core's and every feature's (`Feature.settings`); the grammar and the
answers are in bot/settings.py. After a change the core plans meetings' posts again when
their leads changed, and each feature re-plans its own posts in its `settings_changed`
hook, which may add notes to the answer (e.g. when the next digest goes out).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feature import Feature, Services, Verb
from bot.feature import settings as feature_settings
from bot.i18n import Translator
from bot.mrkdwn import channel, mention
from bot.settings import (
    MANAGERS,
    ChangeManagers,
    SetConfig,
    Setting,
    ShowConfig,
    config_message,
    config_rows,
    managers_after,
    managers_line,
    parse_config,
    read_value,
    row_of,
    saved_message,
)
from entities.errors import N_, UserError
from entities.people import Person
from handlers.context import RequestContext

log = logging.getLogger(__name__)

HELP = N_(
    "`/salesmeet config [<setting> <value>]` shows or changes the workspace settings (managers)."
)
MANAGERS_ONLY = N_(
    "Sorry, only managers can see or change the workspace settings. Workspace admins and"
    " owners are managers, and can make you one with `/salesmeet config managers add @you`."
)

# (services, request context, command) -> the reply, run after the ack (handlers/commands.py)
Run = Callable[[Services, RequestContext, Any], dict]


def verbs(features: Sequence[Feature]) -> dict[str, Verb]:
    rows = config_rows(feature_settings(features))
    return {"config": partial(parse_config, rows=rows)}


def commands(features: Sequence[Feature]) -> dict[type, Run]:
    rows = config_rows(feature_settings(features))
    return {
        ShowConfig: partial(show_config, rows),
        SetConfig: partial(set_config, rows),
        ChangeManagers: change_managers,
    }


def help_lines(features: Sequence[Feature]) -> list[str]:
    """The features' lines of `/salesmeet help`, with `config`'s after those of the
    features whose settings it changes (first when none has any)."""
    with_settings = [i for i, f in enumerate(features) if f.settings]
    lines = [] if with_settings else [HELP]
    for i, feature in enumerate(features):
        lines += feature.help
        if with_settings and i == with_settings[-1]:
            lines.append(HELP)
    return lines


def show_config(
    rows: Sequence[Setting], services: Services, ctx: RequestContext, command: ShowConfig
) -> dict:
    _manager(ctx)
    return config_message(ctx.tr, rows, services.workspaces.settings(ctx.team_id))


def set_config(
    rows: Sequence[Setting], services: Services, ctx: RequestContext, command: SetConfig
) -> dict:
    _manager(ctx)
    tr, team = ctx.tr, ctx.team_id
    setting = row_of(rows, command.key)
    values = read_value(setting, command.value, services.workspaces.settings(team))
    for key, value in values.items():
        services.workspaces.set(team, key, value)
    notes = services.settings_changed(tr, team, frozenset(values))
    channel_id = values.get(setting.stored[0]) if setting.channel else None
    if channel_id:
        notes += _membership_note(ctx, channel_id, tr)
    return saved_message(tr, setting.show(tr, services.workspaces.settings(team)), notes)


def change_managers(services: Services, ctx: RequestContext, command: ChangeManagers) -> dict:
    _manager(ctx)
    tr, team = ctx.tr, ctx.team_id
    current = services.workspaces.settings(team).managers
    if not command.add:
        admins = services.managers.admins(team)
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
    services.workspaces.set(team, MANAGERS, managers_after(current, command))
    notes = services.settings_changed(tr, team, frozenset({MANAGERS}))
    return saved_message(tr, managers_line(tr, services.workspaces.settings(team)), notes)


def _manager(ctx: RequestContext) -> Person:
    """The person asking, if they are a manager; admins and owners always are."""
    if not ctx.person.is_manager:
        raise UserError(MANAGERS_ONLY)
    return ctx.person


def _membership_note(ctx: RequestContext, channel_id: str, tr: Translator) -> list[str]:
    """Tell the person now, not when the first post fails, that SalesMeet cannot post in
    that channel yet."""
    try:
        info = ctx.client.conversations_info(channel=channel_id)
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
