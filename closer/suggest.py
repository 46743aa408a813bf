"""This week's suggestions: questions and exercises for the areas that need attention.

Pure functions: the caller gathers the weak areas (``analysis.weak_areas``), the couple's
plan history and the recent levels, and gets back what to offer, area by area.

The rules, each one a constant below:

- Depth grows with practice: a dimension the couple has not worked on yet gets light questions,
  medium after ``MEDIUM_AFTER`` distinct questions of that dimension in their plans, deep after
  ``DEEP_AFTER``.
- A question never comes back while it is recent: anything planned in the current week or
  the ``REPEAT_AFTER_WEEKS`` weeks before it (or planned for a later week) is left out, so a
  question planned exactly twelve weeks ago is still out and one planned thirteen weeks ago
  may return. Exercises may repeat: doing a good one again is the point.
- The couple's ratings reorder things: items rated helpful on average come first, items
  rated unhelpful on average come last, unrated or mixed-to-zero ones sit in between.
- Exercises follow the tagging rule in ``data/tagging.toml`` (``content.offered_for``): one
  aimed at an area comes before a general one ("us"), which fits every area whatever dimensions
  are switched off; one that needs a dimension (it is about sex, say) only while it is tracked.
- Items that take a shared home for granted only go to couples who said they live together.
- "Show me others" (``page``) pages through each area's pool in a fixed shuffled order,
  so consecutive pages show different items until the pool runs out; then it starts a new
  pass with a fresh shuffle (the pass number is part of the seed).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from closer import content
from closer.analysis import WeakArea, type_name
from closer.content import Exercise, Question
from closer.plan_items import ItemKind
from closer.weeks import week_start

# Distinct questions of a dimension the couple has had in their plans before the depth steps up.
MEDIUM_AFTER = 1
DEEP_AFTER = 3

# A question planned this many weeks before the current week (or later) is not offered again.
REPEAT_AFTER_WEEKS = 12

# Without a weak area, this many of the best-scoring dimensions are offered to keep them strong.
STRONG_AREAS = 2

START_AREA = content.GENERAL
START_REASON = "A gentle way to start."

# Where to look when a depth runs short, nearest first. Light never borrows deeper
# questions: the couple has not worked on this area yet, so start short and sweet.
FILL_FROM: dict[str, tuple[str, ...]] = {
    "light": (),
    "medium": ("light", "deep"),
    "deep": ("medium",),
}

BOTH_HELPED = "You both found this one helpful before."
ONE_HELPED = "Last time this helped one of you."
HELPED_BEFORE = "This one has helped you before."

_T = TypeVar("_T")


@dataclass(frozen=True)
class TriedItem:
    """A question or exercise the couple put in a past weekly plan, with its follow-up ratings.

    ``ratings`` holds one ``closer.plan_items.Rating`` value per partner who rated it; empty
    while nobody has rated it.
    """

    week: date
    kind: ItemKind
    item_id: str
    ratings: tuple[int, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """One question or exercise on offer, with the reason it is offered when that is history."""

    kind: ItemKind
    item_id: str
    text: str
    depth: str | None
    because: str | None


@dataclass(frozen=True)
class AreaSuggestions:
    """What to offer for one area: why it was picked, at what depth, and the items."""

    dimension: str
    reasons: tuple[str, ...]
    strong: bool
    depth: str
    questions: tuple[Suggestion, ...]
    exercises: tuple[Suggestion, ...]


@dataclass(frozen=True)
class _Feedback:
    """How the couple rated one item: its rank tier (1, 0, -1) and the words for a helpful one."""

    tier: int
    because: str | None


_NONE = _Feedback(0, None)


def depth_for(dimension: str, history: Sequence[TriedItem], questions: Sequence[Question]) -> str:
    """The question depth for a dimension, from how many of its questions the couple planned."""
    area_of = {q.id: q.type for q in questions}
    # Distinct ids: the same question planned twice is still one step of practice.
    used = {
        t.item_id
        for t in history
        if t.kind == ItemKind.QUESTION and area_of.get(t.item_id) == dimension
    }
    if len(used) >= DEEP_AFTER:
        return "deep"
    if len(used) >= MEDIUM_AFTER:
        return "medium"
    return "light"


def suggest(
    weak: Sequence[WeakArea],
    history: Sequence[TriedItem],
    today: date,
    active_dimensions: Sequence[str],
    levels: Mapping[str, float],
    *,
    questions: Sequence[Question] | None = None,
    exercises: Sequence[Exercise] | None = None,
    page: int = 0,
    per_area_questions: int = 3,
    per_area_exercises: int = 2,
    max_areas: int = 3,
    living_together: bool | None = None,
) -> list[AreaSuggestions]:
    """Questions and exercises for this week, one block per area, most in need first.

    Weak areas come first, in the given order, up to ``max_areas``. Without an active weak
    area the best-scoring active dimensions (by ``levels``, the recent couple mean) are offered
    to keep them strong, and without any level yet a few light questions about the two of
    you make a gentle start. Types outside ``active_dimensions`` never appear. Items that
    assume a shared home are offered only when ``living_together`` is True.
    """
    bank = content.questions() if questions is None else tuple(questions)
    bank = tuple(q for q in bank if content.fits(q, living_together))
    catalogue = content.exercises() if exercises is None else tuple(exercises)
    week = week_start(today)
    active = list(dict.fromkeys(active_dimensions))

    areas: list[tuple[str, tuple[str, ...], bool, str]] = []
    for area in weak:
        if area.dimension in active and len(areas) < max_areas:
            depth = depth_for(area.dimension, history, bank)
            areas.append((area.dimension, tuple(area.reasons), False, depth))
    if not areas:
        known = [d for d in active if levels.get(d) is not None and not math.isnan(levels[d])]
        # sorted() is stable, so equal levels keep the order of the active dimensions.
        best = sorted(known, key=lambda d: -levels[d])[: min(STRONG_AREAS, max_areas)]
        for dim in best:
            reason = f"{type_name(dim)} is going well: keep it that way."
            areas.append((dim, (reason,), True, depth_for(dim, history, bank)))
    if not areas and max_areas > 0:
        areas.append((START_AREA, (START_REASON,), False, "light"))

    blocked = _recent_questions(history, week)
    feedback = _feedback(history)
    offered: set[str] = set()
    result = []
    for dim, reasons, strong, depth in areas:
        salt = f"{dim}|{week.isoformat()}"
        picked_questions = _pick_questions(
            bank, dim, depth, blocked, feedback, per_area_questions, page, salt
        )
        picked_exercises = _pick_exercises(
            catalogue,
            dim,
            active,
            living_together,
            offered,
            feedback,
            per_area_exercises,
            page,
            salt,
        )
        offered.update(e.id for e in picked_exercises)
        result.append(
            AreaSuggestions(
                dimension=dim,
                reasons=reasons,
                strong=strong,
                depth=depth,
                questions=tuple(
                    Suggestion(
                        ItemKind.QUESTION,
                        q.id,
                        q.text,
                        q.depth,
                        _because(feedback, ItemKind.QUESTION, q.id),
                    )
                    for q in picked_questions
                ),
                exercises=tuple(
                    Suggestion(
                        ItemKind.EXERCISE,
                        e.id,
                        e.title,
                        None,
                        _because(feedback, ItemKind.EXERCISE, e.id),
                    )
                    for e in picked_exercises
                ),
            )
        )
    return result


def _because(
    feedback: Mapping[tuple[str, str], _Feedback], kind: ItemKind, item_id: str
) -> str | None:
    """Why an item is offered, when the couple's own ratings are the reason."""
    return feedback.get((kind, item_id), _NONE).because


def _pick_questions(
    bank: Sequence[Question],
    dim: str,
    depth: str,
    blocked: set[str],
    feedback: Mapping[tuple[str, str], _Feedback],
    count: int,
    page: int,
    salt: str,
) -> list[Question]:
    """This page's questions for an area at a depth, topped up from the neighbouring depths."""
    eligible = [q for q in bank if q.type == dim and q.id not in blocked]

    def rank(q: Question) -> tuple[int, ...]:
        return (-feedback.get((ItemKind.QUESTION, q.id), _NONE).tier,)

    def ident(q: Question) -> str:
        return q.id

    at_depth = [q for q in eligible if q.depth == depth]
    if len(at_depth) >= count:
        return _page(at_depth, rank, ident, count, page, f"question|{salt}")
    picked = _page(at_depth, rank, ident, len(at_depth), page, f"question|{salt}")
    for other in FILL_FROM[depth]:
        more = [q for q in eligible if q.depth == other]
        picked += _page(more, rank, ident, count - len(picked), page, f"question|{salt}")
        if len(picked) >= count:
            break
    return picked


def _pick_exercises(
    catalogue: Sequence[Exercise],
    dim: str,
    active: Sequence[str],
    living_together: bool | None,
    offered: set[str],
    feedback: Mapping[tuple[str, str], _Feedback],
    count: int,
    page: int,
    salt: str,
) -> list[Exercise]:
    """This page's exercises for an area: fresh to this list, helpful, aimed, specific first."""
    pool = [e for e in catalogue if content.offered_for(e, dim, active, living_together)]

    def rank(e: Exercise) -> tuple[int, ...]:
        # An exercise already offered for an earlier area goes last so each area adds
        # something new; one aimed at this area beats a general one that merely fits it,
        # and fewer listed dimensions means it is aimed at this area more specifically.
        tier = feedback.get((ItemKind.EXERCISE, e.id), _NONE).tier
        return (e.id in offered, -tier, dim not in e.types, len(e.types))

    return _page(pool, rank, lambda e: e.id, count, page, f"exercise|{salt}")


def _page(
    pool: Sequence[_T],
    rank: Callable[[_T], tuple[int, ...]],
    ident: Callable[[_T], str],
    count: int,
    page: int,
    salt: str,
) -> list[_T]:
    """Items ``page * count`` onwards of an endless run of passes through the ranked pool.

    Each pass orders the pool by rank, ties broken by a hash of (pass, salt, id): a shuffle
    that is stable (the same inputs always give the same order, and removing one item does
    not reorder the rest). A page that runs past the end of a pass continues into the next,
    skipping items it already holds.
    """
    n = len(pool)
    count = min(count, n)
    if count <= 0:
        return []
    start_pass, offset = divmod(max(page, 0) * count, n)
    stream = [
        *_ordered(pool, rank, ident, f"{start_pass}|{salt}")[offset:],
        *_ordered(pool, rank, ident, f"{start_pass + 1}|{salt}"),
    ]
    picked: list[_T] = []
    seen: set[str] = set()
    for item in stream:
        if ident(item) not in seen:
            seen.add(ident(item))
            picked.append(item)
            if len(picked) == count:
                break
    return picked


def _ordered(
    pool: Sequence[_T], rank: Callable[[_T], tuple[int, ...]], ident: Callable[[_T], str], seed: str
) -> list[_T]:
    """The pool by rank, shuffled within a rank by a hash that does not depend on the process."""
    # hashlib rather than hash(): str hashes change per process (PYTHONHASHSEED).
    return sorted(
        pool,
        key=lambda item: (
            rank(item),
            hashlib.sha256(f"{seed}|{ident(item)}".encode()).hexdigest(),
        ),
    )


def _recent_questions(history: Sequence[TriedItem], week: date) -> set[str]:
    """Ids of questions planned in the current week, the weeks just before it, or later."""
    oldest = week - timedelta(weeks=REPEAT_AFTER_WEEKS)
    return {
        t.item_id for t in history if t.kind == ItemKind.QUESTION and week_start(t.week) >= oldest
    }


def _feedback(history: Sequence[TriedItem]) -> dict[tuple[str, str], _Feedback]:
    """Per (kind, id), the rank tier from the mean of all its ratings and, if helpful, why."""
    entries: dict[tuple[str, str], list[TriedItem]] = {}
    for t in history:
        if t.ratings:
            entries.setdefault((t.kind, t.item_id), []).append(t)
    found = {}
    for key, rated in entries.items():
        ratings = [r for t in rated for r in t.ratings]
        mean = sum(ratings) / len(ratings)
        if mean > 0:
            # "Last time" is the latest week it was rated; max() keeps the first of equal weeks,
            # so reversing makes the later entry of the same week win.
            latest = max(reversed(rated), key=lambda t: week_start(t.week)).ratings
            if len(latest) >= 2 and all(r == 1 for r in latest):
                because = BOTH_HELPED
            elif latest.count(1) == 1:
                because = ONE_HELPED
            else:
                because = HELPED_BEFORE
            found[key] = _Feedback(1, because)
        else:
            found[key] = _Feedback(-1 if mean < 0 else 0, None)
    return found
