"""The followups feature's workspace settings: whether outcome prompts are posted. RSVPs,
outcomes and exports otherwise follow the core's settings (the workspace's zone, hourly
cost and limits)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.settings import Setting
from bot.workspace import OFF, WorkspaceSettings
from entities.errors import N_, UserError

OUTCOME_PROMPT = "outcome_prompt"  # stored key: "on" (the default) or "off"


def outcome_prompts(settings: WorkspaceSettings) -> bool:
    return settings.raw.get(OUTCOME_PROMPT) != OFF


def _read(text: str, s: WorkspaceSettings) -> dict[str, str]:
    value = text.strip().lower()
    if value not in ("on", OFF):
        raise UserError(
            N_("Say `on` or `off`, like `{example}`."), example="config outcome-prompt off"
        )
    return {OUTCOME_PROMPT: value}


def _show(tr: Translator, s: WorkspaceSettings) -> str:
    if outcome_prompts(s):
        return tr.gettext(
            "`outcome-prompt`: on (the channel is asked what came out of each meeting)"
        )
    return tr.gettext("`outcome-prompt`: off")


SETTINGS: tuple[Setting, ...] = (
    Setting("outcome-prompt", ("outcome-prompts",), (OUTCOME_PROMPT,), "off", _read, _show, 95),
)
