"""The check-in survey definition: intimacy types and reflection prompts, loaded from data/."""

from __future__ import annotations

import tomllib
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


def dimension(key: str) -> Dimension:
    """The intimacy type with this key."""
    for d in dimensions():
        if d.key == key:
            return d
    raise KeyError(f"unknown intimacy type: {key!r}")


def reflection_prompts() -> tuple[ReflectionPrompt, ...]:
    """All reflection prompts, in display order."""
    return _load()[1]
