"""How well we read each other: guesses at the partner's scores, against honest baselines.

Pure statistics, no storage and no page. The baselines follow West & Kenny's truth-and-bias
model (2011): a guess is worth comparing with two easy strategies, guessing your own score
(projection) and guessing the partner's last answer (perseveration).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean, median

from closer.checkin import Answers

# Six weeks before any summary: fewer would read a pattern into a few lucky or unlucky guesses.
MIN_WEEKS = 6
# A type either partner scored this low is never graded: being "read" about something that
# hurts can hurt more (Simpson, Ickes and colleagues), so it is offered as a talk instead.
LOW_SCORE = 3
# A mean lean smaller than half a point is no lean at all on a 1–10 scale.
LEAN = 0.5


@dataclass(frozen=True)
class GuessPair:
    """One guess and what it is held against: the answer, your own score, their last answer."""

    week: date
    dimension: str
    guess: int | None  # None: "not sure"
    answer: int | None  # None: they skipped the type
    own: int | None  # the guesser's own score for the type that week
    previous: int | None  # the partner's answer for the type in the week before, if any


@dataclass(frozen=True)
class Reading:
    """What six or more guessed weeks say: the typical miss, its lean, and the two baselines."""

    weeks: int
    typical_miss: float
    lean: float  # mean of guess minus answer: below zero, guesses run lower than the answers
    direction: str  # "lower", "higher" or "none"
    projection_miss: float | None  # had you guessed your own score
    perseveration_miss: float | None  # had you guessed their last answer


def is_low(*scores: int | None) -> bool:
    """Whether any of these scores is at or below the level where no guess is graded."""
    return any(s is not None and s <= LOW_SCORE for s in scores)


def reading(pairs: Iterable[GuessPair]) -> Reading | None:
    """The summary over every gradable pair; None before MIN_WEEKS weeks with one.

    Gradable: a numeric guess at a numeric answer, neither partner low that week ("not sure"
    and skipped types say nothing about reading each other; lows are never graded).
    """
    weeks: set[date] = set()
    misses: list[int] = []
    own: list[int] = []
    last: list[int] = []
    for p in pairs:
        if p.guess is None or p.answer is None or is_low(p.answer, p.own):
            continue
        weeks.add(p.week)
        misses.append(p.guess - p.answer)
        if p.own is not None:
            own.append(abs(p.own - p.answer))
        if p.previous is not None:
            last.append(abs(p.previous - p.answer))
    if len(weeks) < MIN_WEEKS:
        return None
    lean = mean(misses)
    direction = "lower" if lean <= -LEAN else "higher" if lean >= LEAN else "none"
    return Reading(
        weeks=len(weeks),
        typical_miss=median(abs(m) for m in misses),
        lean=lean,
        direction=direction,
        projection_miss=median(own) if own else None,
        perseveration_miss=median(last) if last else None,
    )


def guess_pairs(
    weeks: Sequence[tuple[date, Answers, Answers]],
    their_scores: dict[date, dict[str, int | None]] | None = None,
) -> list[GuessPair]:
    """Every guess made, from (week, guesser's answers, partner's answers), oldest first.

    Pass only weeks both checked in (revealed). "Their last answer" is the partner's score
    for the type the week before, from ``their_scores`` (weeks the guesser may see) or, when
    it is not given, from the week before in ``weeks``.
    """
    seen = their_scores if their_scores is not None else {w: t.scores for w, _, t in weeks}
    pairs = []
    for week, mine, theirs in sorted(weeks, key=lambda w: w[0]):
        before = seen.get(week - timedelta(weeks=1), {})
        for key, guess in mine.guesses.items():
            pairs.append(
                GuessPair(
                    week, key, guess, theirs.scores.get(key), mine.scores.get(key), before.get(key)
                )
            )
    return pairs


def direction_words(direction: str, partner: str) -> str:
    """The lean in words, never as a grade ('you tend to guess lower than Kai feels')."""
    if direction == "lower":
        return f"You tend to guess lower than {partner} feels."
    if direction == "higher":
        return f"You tend to guess higher than {partner} feels."
    return f"Your guesses lean neither higher nor lower than {partner} feels."


def points(value: float) -> str:
    """A distance on the 1–10 scale in words: '1 point', '1.5 points'."""
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown} point" + ("" if shown == "1" else "s")
