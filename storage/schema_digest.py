"""Schema of the digest feature: migration 4 (see storage/migrations.py)."""

from __future__ import annotations

import sqlite_utils


def v4_digest(db: sqlite_utils.Database) -> None:
    """Tables for digest (none yet)."""
