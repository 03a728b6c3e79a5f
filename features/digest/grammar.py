"""The digest's verbs: `/salesmeet digest [last|this|next]`."""

from __future__ import annotations

from dataclasses import dataclass

from entities.errors import N_, UserError

WEEKS = ("last", "this", "next")


@dataclass(frozen=True)
class ShowDigest:
    which: str = "this"  # last | this | next


def parse_digest(text: str) -> ShowDigest:
    """`/salesmeet digest [last|this|next]`; this week when nothing follows."""
    which = text.strip().lower() or "this"
    if which in ("last week", "this week", "next week"):
        which = which.split()[0]
    if which not in WEEKS:
        raise UserError(
            N_("Say which week: `/salesmeet digest`, `/salesmeet digest last` or `{example}`."),
            example="/salesmeet digest next",
        )
    return ShowDigest(which)


# verb -> reader of the rest of the command text (see bot/command.py)
VERBS = {"digest": parse_digest}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP = (
    N_("`/salesmeet digest [last|this|next]` shows the week's meeting load, cost and what to cut."),
)
