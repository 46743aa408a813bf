"""The couple's preferences: the types they track, when they check in, how they live."""

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
    """Active intimacy types (in survey order), the weekly slot, the monthly measure, the home."""

    active_dimensions: tuple[str, ...] = field(default_factory=_all_dimensions)
    checkin_weekday: int = DEFAULT_WEEKDAY
    checkin_time: time = DEFAULT_TIME
    csi_enabled: bool = True  # the four-question satisfaction measure, every fourth week
    # Whether they share a home: True, False, or None while they haven't said. Items that
    # take a shared home for granted are only offered on True.
    living_together: bool | None = None

    def __post_init__(self) -> None:
        known = dimension_keys()
        unknown = set(self.active_dimensions) - set(known)
        if unknown:
            raise ValueError(f"unknown intimacy types: {sorted(unknown)}")
        if not self.active_dimensions:
            raise ValueError("at least one intimacy type must be active")
        if not 0 <= self.checkin_weekday <= 6:
            raise ValueError("checkin_weekday must be 0 (Monday) to 6 (Sunday)")
        if self.living_together not in (True, False, None):
            raise ValueError("living_together must be True, False or None")
        # Keep survey order whatever order the caller passed, so every page agrees.
        ordered = tuple(k for k in known if k in self.active_dimensions)
        object.__setattr__(self, "active_dimensions", ordered)


# How the choice reads on Settings and Welcome, in the order offered.
LIVING_CHOICES: dict[bool | None, str] = {
    True: "We live together",
    False: "We live apart",
    None: "We'd rather not say",
}
