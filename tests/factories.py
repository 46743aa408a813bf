"""Literal builders for tests: check-in answers from short tuples."""

from __future__ import annotations

from datetime import date

from closer.checkin import Answers, Reflection

MONDAY = date(2026, 11, 16)  # the week of 16–22 Nov 2026


def answers(
    scores: dict[str, int | None] | None = None,
    more: tuple[str, ...] = (),
    **reflections: tuple[str, bool],
) -> Answers:
    """Build answers from literals: answers({'physical': 7}, working=('hugs', True))."""
    return Answers(
        scores=scores if scores is not None else {"emotional": 7},
        wants_more=frozenset(more),
        reflections={k: Reflection(text, shared) for k, (text, shared) in reflections.items()},
    )
