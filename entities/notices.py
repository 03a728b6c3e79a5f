"""What a notice of a change to a meeting says, kept with its delivery row as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from entities.instants import epoch, from_epoch
from entities.recurrence import Occurrence

MOVED, SKIPPED, CANCELLED, EDITED = "moved", "skipped", "cancelled", "edited"


@dataclass(frozen=True)
class ChangeNotice:
    """What a notice says: which change, by whom, and the occurrence before and after."""

    what: str
    by: str
    before: Occurrence | None = None
    after: Occurrence | None = None
    # An edit: which parts changed (entities.meetings TITLE, LENGTH, ...), the old title,
    # and the members added and removed.
    changed: tuple[str, ...] = ()
    was: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def dump(self) -> str:
        def span(o: Occurrence | None) -> list[int] | None:
            return [o.key, epoch(o.start), epoch(o.end)] if o else None

        return json.dumps(
            {
                "what": self.what,
                "by": self.by,
                "before": span(self.before),
                "after": span(self.after),
                "changed": list(self.changed),
                "was": self.was,
                "added": list(self.added),
                "removed": list(self.removed),
            }
        )

    @staticmethod
    def read(payload: str | None) -> ChangeNotice | None:
        try:
            data = json.loads(payload or "")
            return ChangeNotice(
                what=str(data["what"]),
                by=str(data["by"]),
                before=_occurrence(data.get("before")),
                after=_occurrence(data.get("after")),
                changed=tuple(str(c) for c in data.get("changed") or ()),
                was=None if data.get("was") is None else str(data["was"]),
                added=tuple(str(u) for u in data.get("added") or ()),
                removed=tuple(str(u) for u in data.get("removed") or ()),
            )
        except (ValueError, TypeError, KeyError):
            return None


def _occurrence(span) -> Occurrence | None:
    if not span:
        return None
    key, start, end = span
    return Occurrence(int(key), from_epoch(int(start)), from_epoch(int(end)))
