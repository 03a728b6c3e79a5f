"""The one list of SalesMeet's features, in the order their hooks run."""

from __future__ import annotations

from bot.feature import Feature
from features import digest, feeds, followups, recognition, updates

FEATURES: tuple[Feature, ...] = (
    recognition.FEATURE,
    digest.FEATURE,
    followups.FEATURE,
    feeds.FEATURE,
    updates.FEATURE,
)
