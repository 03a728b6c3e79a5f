"""Reading a console transcript: what the console printed after a line was typed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from simulator.workspace import LOCAL

# Monday 23 November 2026: 09:00 in Kuala Lumpur, 06:30 in Mumbai, 01:00 in London and
# still Sunday 20:00 in New York.
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
# A prompt: the current person's handle, where and when (in their language), then "> ".
PROMPT = re.compile(r"^(?:" + "|".join(m.name for m in LOCAL.members) + r") .*> ")


def after(transcript: str, typed: str, nth: int = -1) -> str:
    """What the console printed after the `nth` time `typed` was entered, up to the next
    prompt."""
    tail = transcript.split("> " + typed + "\n")[1:][nth]
    lines = []
    for line in tail.splitlines():
        if PROMPT.match(line):
            break
        lines.append(line)
    return "\n".join(lines)
