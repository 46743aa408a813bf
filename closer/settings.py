"""The couple's preferences: the dimensions they track, when they check in, how they live."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import time

from closer.survey import dimension_keys

DEFAULT_WEEKDAY = 6  # Sunday: the evening most couples pick for a weekly talk.
DEFAULT_TIME = time(20, 0)
SETTING_KEYS = (
    "active_dimensions",
    "checkin_weekday",
    "checkin_time",
    "csi_enabled",
    "living_together",
    "guessing_partners",
)
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


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
    # Partner ids (never names) who chose to guess the other's scores before the reveal.
    # Off by default; written only by store.set_guessing, one partner at a time.
    guessing_partners: frozenset[int] = frozenset()

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


def setting_problem(key: str, raw: str) -> str | None:
    """What is wrong with a stored setting value (JSON text), or None when it is fine."""
    if not isinstance(raw, str):
        return "must be a value Closer saves, not this text"
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested beyond Python's stack
        return "must be a value Closer saves, not this text"
    if key == "active_dimensions":
        known = dimension_keys()
        ok = (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(v, str) and v in known for v in value)
            and len(set(value)) == len(value)
        )
        return None if ok else f"must list one or more of {', '.join(known)}, each once"
    if key == "checkin_weekday":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6
        return None if ok else "must be a day from 0 (Monday) to 6 (Sunday)"
    if key == "checkin_time":
        ok = isinstance(value, str) and _TIME.fullmatch(value) is not None
        return None if ok else "must be a time of day such as 20:00"
    if key == "csi_enabled":
        return None if isinstance(value, bool) else "must be true or false"
    if key == "living_together":
        return None if value is None or isinstance(value, bool) else "must be true, false or empty"
    if key == "guessing_partners":
        ok = (
            isinstance(value, list)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and len(set(value)) == len(value)
        )
        return None if ok else "must list partner ids, each once"
    return None
