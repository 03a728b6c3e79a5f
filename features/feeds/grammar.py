"""The `/salesmeet calendar` verb: my calendar subscription link, or a new one."""

from __future__ import annotations

from dataclasses import dataclass

from entities.errors import N_, UserError


@dataclass(frozen=True)
class ShowFeed:
    """My private subscription link (made on first asking)."""


@dataclass(frozen=True)
class ResetFeed:
    """Turn my old link off and give me a new one."""


RESET_WORDS = ("reset", "revoke", "new")


def parse_calendar(text: str) -> ShowFeed | ResetFeed:
    words = text.lower().split()
    if not words:
        return ShowFeed()
    if words in ([w] for w in RESET_WORDS):
        return ResetFeed()
    raise UserError(
        N_(
            "Use `/salesmeet calendar` for your calendar subscription link, or"
            " `/salesmeet calendar reset` to turn the old link off and get a new one."
        )
    )
