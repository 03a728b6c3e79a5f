"""Schema of the followups feature: migration 5 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v5_followups(db: sqlite_utils.Database) -> None:
    """Tables for followups (none yet)."""
