"""The digest's verbs: `/salesmeet digest [last|this|next]`."""

from __future__ import annotations

from dataclasses import dataclass

from entities.errors import N_, UserError

DIGEST_EXAMPLE = "/salesmeet digest last"
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
