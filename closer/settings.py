"""The couple's preferences: which intimacy types they track and when they check in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from closer.survey import dimension_keys

DEFAULT_WEEKDAY = 6  # Sunday: the evening most couples pick for a weekly talk.
DEFAULT_TIME = time(20, 0)


def _all_dimensions() -> tuple[str, ...]:
    return dimension_keys()


@dataclass(frozen=True)
class Settings:
    """Active intimacy types (in survey order), the weekly slot, and the monthly measure."""

    active_dimensions: tuple[str, ...] = field(default_factory=_all_dimensions)
    checkin_weekday: int = DEFAULT_WEEKDAY
    checkin_time: time = DEFAULT_TIME
    csi_enabled: bool = True  # the four-question satisfaction measure, every fourth week

    def __post_init__(self) -> None:
        known = dimension_keys()
        unknown = set(self.active_dimensions) - set(known)
        if unknown:
            raise ValueError(f"unknown intimacy types: {sorted(unknown)}")
        if not self.active_dimensions:
            raise ValueError("at least one intimacy type must be active")
        if not 0 <= self.checkin_weekday <= 6:
            raise ValueError("checkin_weekday must be 0 (Monday) to 6 (Sunday)")
        # Keep survey order whatever order the caller passed, so every page agrees.
        ordered = tuple(k for k in known if k in self.active_dimensions)
        object.__setattr__(self, "active_dimensions", ordered)
