"""An item on the agenda of one occurrence of a meeting."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaItem:
    id: int
    text: str
    author_id: str
