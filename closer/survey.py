"""The check-in survey definition: intimacy types and reflection prompts, loaded from data/."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SURVEY_PATH = Path(__file__).resolve().parent.parent / "data" / "survey.toml"

SCORE_MIN = 1
SCORE_MAX = 10
REFLECTION_MAX_CHARS = 2000


@dataclass(frozen=True)
class Dimension:
    """One intimacy type the check-in scores."""

    key: str
    name: str
    icon: str
    description: str


@dataclass(frozen=True)
class ReflectionPrompt:
    """One open question in the check-in, answered in free text."""

    key: str
    label: str
    help: str
    shared_by_default: bool


@cache
def _load(path: Path = SURVEY_PATH) -> tuple[tuple[Dimension, ...], tuple[ReflectionPrompt, ...]]:
    """Read and parse the survey file once per process."""
    with path.open("rb") as f:
        raw = tomllib.load(f)
    dims = tuple(Dimension(**d) for d in raw["dimensions"])
    prompts = tuple(ReflectionPrompt(**r) for r in raw["reflections"])
    return dims, prompts


def dimensions() -> tuple[Dimension, ...]:
    """All intimacy types, in display order."""
    return _load()[0]


def dimension_keys() -> tuple[str, ...]:
    """The keys of all intimacy types, in display order."""
    return tuple(d.key for d in dimensions())


@cache
def _positions() -> dict[str, int]:
    """Each dimension key's place in survey order, worked out once per process."""
    return {key: i for i, key in enumerate(dimension_keys())}


def survey_position(key: str) -> int:
    """Where a dimension key comes in survey order; unknown keys after every known one."""
    positions = _positions()
    return positions.get(key, len(positions))


def in_survey_order(keys: Iterable[str]) -> list[str]:
    """Distinct keys sorted in survey order, unknown keys last in their given order."""
    return sorted(dict.fromkeys(str(k) for k in keys), key=survey_position)


def dimension(key: str) -> Dimension:
    """The intimacy type with this key."""
    for d in dimensions():
        if d.key == key:
            return d
    raise KeyError(f"unknown intimacy type: {key!r}")


def reflection_prompts() -> tuple[ReflectionPrompt, ...]:
    """All reflection prompts, in display order."""
    return _load()[1]
