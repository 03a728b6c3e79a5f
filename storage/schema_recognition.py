"""Schema of the recognition feature: migration 3 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v3_recognition(db: sqlite_utils.Database) -> None:
    """Tables for recognition (none yet)."""
