"""What helps us: did the things a couple tried lift the area they tried them for?

Pure and honest. A plan is usually made for an area that was low, and a low week is often
followed by a better one anyway (regression to the mean), so the rise after a try is held
against how this couple's scores usually bounce back from a week at the same level. The
difference is shrunk toward zero by how few tries there are, and only three plain labels
are ever said. CONTRIBUTING.md explains the method in words.

The scores given here must already be what the viewer may see (``reveal.visible_scores``):
a partner's unrevealed week then never enters a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from closer.analysis import type_name
from closer.plan_items import CATALOGUE_KINDS, ItemKind, Rating

if TYPE_CHECKING:
    from closer.store import Followup, PlanItem

SEEMS_TO_HELP = "seems to help"
NO_SIGN_YET = "no sign yet"
TOO_EARLY = "too early to tell"
LABELS = (SEEMS_TO_HELP, NO_SIGN_YET, TOO_EARLY)

MIN_TRIES = 3  # fewer tries than this say nothing either way
PRIOR_TRIES = 3  # the shrinkage n / (n + PRIOR_TRIES): three tries count half
HELPS_MIN = 1.0  # points above the usual bounce, after shrinking
SAME_LEVEL = 1.0  # "about as low": within this many points
MIN_COMPARISONS = 3  # fewer earlier weeks in the same area than this: use every area
_EPS = 1e-9

EXPLANATION = (
    "Scores often rise after a low week anyway; this compares with how your scores usually "
    "bounce back."
)


@dataclass(frozen=True)
class Try:
    """One week an item was planned for an area, and what happened to that area next week."""

    week: date
    dimension: str
    level: float  # the area's score in the week of the try (the partners counted)
    change: float  # next week's score minus this week's, averaged over the partners counted
    bounce: float | None  # the usual change after an earlier week at this level; None: none
    bounce_weeks: int  # how many earlier weeks that rests on
    fallback: bool  # the same area had too few such weeks, so every area's were used


@dataclass(frozen=True)
class Verdict:
    """What the tries of one question or exercise say, in one of three labels."""

    kind: ItemKind
    item_id: str
    tries: tuple[Try, ...]  # every try with a change, oldest first
    waiting: int  # tries with no next week to compare with yet (or a skipped score)
    label: str
    estimate: float | None  # shrunk difference from the usual bounce; None without tries

    @property
    def counted(self) -> tuple[Try, ...]:
        """The tries that enter the estimate: those with a usual bounce to compare with."""
        return tuple(t for t in self.tries if t.bounce is not None)

    @property
    def mean_change(self) -> float | None:
        """The average change after the counted tries."""
        return _mean(t.change for t in self.counted)

    @property
    def usual_bounce(self) -> float | None:
        """The average usual bounce the counted tries are compared with."""
        return _mean(t.bounce for t in self.counted if t.bounce is not None)

    @property
    def fallback(self) -> bool:
        """Whether any counted try was compared with every area's weeks, not its own."""
        return any(t.fallback for t in self.counted)


def label_for(tries: int, estimate: float | None) -> str:
    """The label for an item with this many counted tries and this shrunk estimate."""
    if tries < MIN_TRIES or estimate is None:
        return TOO_EARLY
    return SEEMS_TO_HELP if estimate >= HELPS_MIN - _EPS else NO_SIGN_YET


def shrunk(differences: Sequence[float]) -> float | None:
    """n / (n + 3) × the mean difference: few tries pull the estimate toward zero."""
    n = len(differences)
    if not n:
        return None
    # Multiplying before dividing keeps the boundary cases exact (4 × 1.75 / 7 is 1.0).
    return n * (math.fsum(differences) / n) / (n + PRIOR_TRIES)


def what_helps(scores: pd.DataFrame, plans: Sequence[PlanItem]) -> list[Verdict]:
    """A verdict per question or exercise tried for an area, most tries first.

    ``scores`` is ``store.load_scores`` output already passed through the reveal rule;
    ``plans`` every plan item (commitments and items for the couple as a whole are not tries
    for an area, but a question for an area does make its week "planned").
    """
    table = _score_table(scores)
    planned = {
        (p.week, p.dimension)
        for p in plans
        if p.kind in CATALOGUE_KINDS and p.dimension is not None
    }
    moves = _moves(table)
    unplanned = {key: move for key, move in moves.items() if key not in planned}
    grouped: dict[tuple[ItemKind, str], list[tuple[date, str]]] = {}
    for p in sorted(plans, key=lambda p: (p.week, p.id)):
        if p.kind in CATALOGUE_KINDS and p.item_id is not None and p.dimension is not None:
            grouped.setdefault((ItemKind(p.kind), p.item_id), []).append((p.week, p.dimension))
    verdicts = []
    for (kind, item_id), tried in grouped.items():
        tries, waiting = [], 0
        for week, dim in dict.fromkeys(tried):
            move = moves.get((week, dim))
            if move is None:
                waiting += 1
                continue
            level, change = move
            bounce, count, fallback = usual_bounce(unplanned, week, dim, level)
            tries.append(Try(week, dim, level, change, bounce, count, fallback))
        counted = [t.change - t.bounce for t in tries if t.bounce is not None]
        estimate = shrunk(counted)
        verdicts.append(
            Verdict(
                kind, item_id, tuple(tries), waiting, label_for(len(counted), estimate), estimate
            )
        )
    return sorted(verdicts, key=lambda v: (LABELS.index(v.label), -len(v.tries), v.item_id))


def usual_bounce(
    unplanned: dict[tuple[date, str], tuple[float, float]], week: date, dim: str, level: float
) -> tuple[float | None, int, bool]:
    """The mean change after earlier unplanned weeks at about this level: (bounce, weeks, fallback).

    ``unplanned`` maps (week, area) to (level, change) for weeks nothing was planned for that
    area. The same area's weeks first; with fewer than three, every area's, and say so.
    """
    alike = {
        key: change
        for key, (was, change) in unplanned.items()
        if key[0] < week and abs(was - level) <= SAME_LEVEL + _EPS
    }
    own = [change for (_, d), change in alike.items() if d == dim]
    if len(own) >= MIN_COMPARISONS:
        return math.fsum(own) / len(own), len(own), False
    if not alike:
        return None, 0, True
    return math.fsum(alike.values()) / len(alike), len(alike), True


def followup_counts(
    verdict: Verdict, plans: Sequence[PlanItem], followups: Iterable[Followup]
) -> dict[str, int]:
    """How the follow-ups the viewer may see went for this item: shown beside the scores."""
    ids = {p.id for p in plans if p.kind == verdict.kind and p.item_id == verdict.item_id}
    counts = {"helped": 0, "not sure": 0, "didn't help": 0, "didn't get to it": 0}
    words = {
        Rating.HELPED: "helped",
        Rating.NOT_SURE: "not sure",
        Rating.DID_NOT_HELP: "didn't help",
    }
    for f in followups:
        if f.plan_item_id in ids:
            if not f.done:
                counts["didn't get to it"] += 1
            elif f.rating is not None:
                counts[words[f.rating]] += 1
    return counts


def change_words(value: float) -> str:
    """A change in points, signed: '+1.5', '−0.5', '0'."""
    if abs(value) < 0.05:
        return "0"
    return f"+{value:.1f}" if value > 0 else f"−{-value:.1f}"


@dataclass(frozen=True)
class _Table:
    """Scores by (week, area) → {partner id: score}, and the weeks present."""

    cells: dict[tuple[date, str], dict[int, float]]
    weeks: frozenset[date]


def _score_table(scores: pd.DataFrame) -> _Table:
    cells: dict[tuple[date, str], dict[int, float]] = {}
    if scores.empty:
        return _Table(cells, frozenset())
    columns = (
        pd.to_datetime(scores["week"]).dt.date.tolist(),
        scores["dimension"].astype(str).tolist(),
        scores["partner_id"].tolist(),
        pd.to_numeric(scores["score"], errors="coerce").tolist(),
    )
    weeks = set()
    for week, dim, partner_id, score in zip(*columns, strict=True):
        weeks.add(week)
        # A value read back from the file is checked like any other: only 1–10 counts.
        if isinstance(score, float) and not math.isnan(score) and 1 <= score <= 10:
            cells.setdefault((week, dim), {})[int(partner_id)] = score
    return _Table(cells, frozenset(weeks))


def _moves(table: _Table) -> dict[tuple[date, str], tuple[float, float]]:
    """Per (week, area) with a score the week after: (level, change) over the partners in both."""
    moves = {}
    for (week, dim), now in table.cells.items():
        after = table.cells.get((week + timedelta(weeks=1), dim))
        both = sorted(set(now) & set(after or {}))
        if both and after is not None:
            level = math.fsum(now[p] for p in both) / len(both)
            change = math.fsum(after[p] - now[p] for p in both) / len(both)
            moves[(week, dim)] = (level, change)
    return moves


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return math.fsum(items) / len(items) if items else None


TABLE_COLUMNS = ("item", "label", "row", "try", "when", "area", "change", "bounce")


def tries_table(
    verdicts: Sequence[Verdict], titles: Mapping[tuple[ItemKind, str], str]
) -> pd.DataFrame:
    """Every try of these verdicts as a row, for the dot plot and its table.

    ``titles`` maps (kind, item id) to what the couple knows the item as. ``row`` is the
    title and the label joined by "|", which the chart draws as two lines; ``bounce`` is
    NaN for a try with nothing earlier to compare with.
    """
    rows = []
    for v in verdicts:
        title = titles.get((v.kind, v.item_id), v.item_id)
        for number, t in enumerate(v.tries, start=1):
            rows.append(
                (
                    title,
                    v.label,
                    f"{title}|{v.label}",
                    number,
                    f"week of {t.week.day} {t.week:%b %Y}",
                    type_name(t.dimension),
                    t.change,
                    math.nan if t.bounce is None else t.bounce,
                )
            )
    frame = pd.DataFrame.from_records(rows, columns=list(TABLE_COLUMNS))
    return frame.astype(
        {"item": "str", "label": "str", "row": "str", "try": "int64", "when": "str", "area": "str"}
        | {"change": "float64", "bounce": "float64"}
    )


@dataclass(frozen=True)
class Finding:
    """One exercise in What helps us: its verdict, in words ready to show."""

    verdict: Verdict
    title: str
    area: str  # the area of its latest try, for "try it again"
    label: str
    words: str  # what the scores say
    said: str | None  # what the two of you said afterwards (never mixed into the scores)
    planned_again: date | None  # a later week it is already planned for, if any


def findings(
    verdicts: Sequence[Verdict],
    titles: Mapping[tuple[ItemKind, str], str],
    plans: Sequence[PlanItem],
    followups: Iterable[Followup],
    week: date,
) -> list[Finding]:
    """What helps us in words: per verdict, what the scores say and what you said.

    ``followups`` must be those the viewer may see (``plans.visible_followups``); ``week``
    is the current plan week, from which "planned again" looks ahead.
    """
    seen = list(followups)
    found = []
    for v in verdicts:
        later = sorted(
            p.week for p in plans if p.kind == v.kind and p.item_id == v.item_id and p.week >= week
        )
        latest = max(
            (p for p in plans if p.kind == v.kind and p.item_id == v.item_id and p.dimension),
            key=lambda p: p.week,
        )
        found.append(
            Finding(
                verdict=v,
                title=titles.get((v.kind, v.item_id), v.item_id),
                area=str(latest.dimension),
                label=v.label,
                words=verdict_words(v),
                said=said_words(followup_counts(v, plans, seen)),
                planned_again=later[0] if later else None,
            )
        )
    return found


def verdict_words(v: Verdict) -> str:
    """What the scores say about one exercise, plainly, with nothing claimed beyond them."""
    counted, areas = len(v.counted), sorted({type_name(t.dimension) for t in v.tries})
    area = " and ".join(areas) or "its area"
    parts = []
    if not v.tries:
        parts.append("No week after a try to compare with yet.")
    elif counted == 0:
        parts.append(
            f"{_tries(len(v.tries))} so far, with no earlier weeks like "
            f"{'it' if len(v.tries) == 1 else 'them'} to compare with."
        )
    else:
        mean, bounce = v.mean_change or 0.0, v.usual_bounce or 0.0
        moved = f"moved {change_words(mean)}" if change_words(mean) != "0" else "held level"
        usual = f"moves {change_words(bounce)}" if change_words(bounce) != "0" else "holds level"
        parts.append(
            f"After {_tries(counted).lower()}, {area} {moved} on average the week after; "
            f"from weeks like those it usually {usual}."
        )
        if v.label == TOO_EARLY:
            parts.append(f"It takes {MIN_TRIES} tries before Closer says more.")
        if v.fallback:
            parts.append(
                f"{area} had few earlier weeks at that level, so this compares with every "
                "area's weeks at that level."
            )
    if v.waiting:
        parts.append(
            f"{_tries(v.waiting)} still {'waits' if v.waiting == 1 else 'wait'} for the "
            "next week's check-ins."
        )
    return " ".join(parts)


def said_words(counts: dict[str, int]) -> str | None:
    """'You said: helped 3 times, not sure once', or None when nobody answered."""
    parts = [f"{what} {_times(n)}" for what, n in counts.items() if n]
    return "What you said afterwards: " + ", ".join(parts) + "." if parts else None


def _tries(n: int) -> str:
    return "One try" if n == 1 else f"{n} tries"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")
