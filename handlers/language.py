"""`/salesmeet language [ms|hi|en|default]` and App Home's language menu: a person's own
language. The answer comes in the language just chosen."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App

from bot.feature import Services
from bot.i18n import LANGUAGES
from bot.languages import (
    LANGUAGE_ACTION,
    SetLanguage,
    ShowLanguage,
    language_message,
    parse_language,
)
from handlers.context import RequestContext
from handlers.home import publish_home

log = logging.getLogger(__name__)


def verbs() -> dict:
    return {"language": parse_language}


def commands() -> dict:
    return {ShowLanguage: show_language, SetLanguage: set_language}


def show_language(services: Services, ctx: RequestContext, command: ShowLanguage) -> dict:
    chosen = services.directory.people.language(ctx.team_id, ctx.user_id)
    workspace = services.workspaces.settings(ctx.team_id).language
    tr = services.directory.reader(ctx.team_id, ctx.user_id)
    return language_message(tr, chosen, workspace)


def set_language(services: Services, ctx: RequestContext, command: SetLanguage) -> dict:
    services.directory.choose_language(ctx.team_id, ctx.user_id, command.language)
    publish_home(services, ctx.client, ctx.team_id, ctx.user_id)
    return show_language(services, ctx, ShowLanguage())


def register(app: App, services: Services) -> None:
    def chosen(ack: Ack, action: dict, ctx: RequestContext) -> None:
        ack()
        value = (action.get("selected_option") or {}).get("value")
        if value not in LANGUAGES:
            log.warning("language menu with a value we never wrote, team=%s", ctx.team_id)
            return
        services.directory.choose_language(ctx.team_id, ctx.user_id, value)
        publish_home(services, ctx.client, ctx.team_id, ctx.user_id)

    app.action(LANGUAGE_ACTION)(chosen)
