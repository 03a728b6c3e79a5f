"""The followups feature's workspace settings: none of its own yet. RSVPs, outcomes and
exports follow the core's settings (the workspace's zone, hourly cost and limits)."""

from __future__ import annotations

from bot.settings import Setting

SETTINGS: tuple[Setting, ...] = ()
