"""The updates feature's workspace setting: how long before each occurrence of a series
its organiser is asked whether an empty agenda means written updates instead
(`/salesmeet config async-check 2h`, or `off`)."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import Translator
from bot.settings import Setting, Stored, lead_text
from bot.when import parse_lead
from bot.workspace import OFF, WorkspaceSettings, stored_minutes

CHECK_LEAD = "async_check_min"  # stored: minutes before the occurrence, or "off"
DEFAULT_CHECK_LEAD = timedelta(hours=2)


def check_lead(s: WorkspaceSettings) -> timedelta | None:
    """How long before an occurrence the organiser is asked; None when switched off."""
    if s.raw.get(CHECK_LEAD) == OFF:
        return None
    return stored_minutes(s.raw, CHECK_LEAD, DEFAULT_CHECK_LEAD)


def _read(text: str, s: WorkspaceSettings) -> Stored:
    if text.strip().lower() == OFF:
        return {CHECK_LEAD: OFF}
    return {CHECK_LEAD: str(int(parse_lead(text).total_seconds() // 60))}


def _show(tr: Translator, s: WorkspaceSettings) -> str:
    lead = check_lead(s)
    if lead is None:
        return tr.gettext("`async-check`: off")
    return tr.gettext(
        "`async-check`: {lead} before each meeting of a series, its organiser is asked"
        " whether an empty agenda means written updates instead",
        lead=lead_text(tr, lead),
    )


# After the core's leads (80, 90) and the outcome prompt (95).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "async-check",
        ("async-checks", "written-updates"),
        (CHECK_LEAD,),
        "2h",
        _read,
        _show,
        order=97,
    ),
)
