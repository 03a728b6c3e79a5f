"""Day names as people type them, and as settings store them: the one table."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Stored form of a weekday in settings ("digest_day": "mon"), Monday first (date.weekday()).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_SPELLINGS = (
    ("mon", "monday"),
    ("tue", "tues", "tuesday"),
    ("wed", "weds", "wednesday"),
    ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
)

# What people type -> weekday number (Monday 0); plurals too: "every mondays", "fridays".
DAY_NAMES: Mapping[str, int] = MappingProxyType(
    {
        spelled: number
        for number, names in enumerate(_SPELLINGS)
        for name in names
        for spelled in (name, name + "s")
    }
)
