"""The weekly plan, pure: what the couple has tried, recent levels, follow-ups and timers.

The Suggestions and Our talk pages gather plan items, follow-ups, scores and CSI-4 answers
from ``closer.store``; everything they need to decide or count is worked out here, so the
pages only show it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from closer import content
from closer.analysis import RECENT_CHECKINS, type_name
from closer.csi4 import CsiResult, csi_total
from closer.plan_items import CATALOGUE_KINDS, ItemKind, Rating
from closer.suggest import TriedItem
from closer.weeks import week_start
from closer.words import plural

if TYPE_CHECKING:
    from closer.checkin import Checkin
    from closer.content import Exercise
    from closer.store import CsiRecord, Followup, PlanItem

REPLY_MAX_CHARS = 500
COMMITMENT_MAX_CHARS = 500

# The care note looks at this many weeks of check-ins, so an old low stretch the couple
# has long moved past does not keep a note on screen.
CARE_LOOKBACK_WEEKS = 8
# A CSI-4 answer older than this no longer says how things are now.
CSI_LOOKBACK_WEEKS = 12

GENERAL_AREA_NAME = "The two of you"

_FOLLOWUP_WORDS = {
    Rating.HELPED: "did it, and it helped",
    Rating.NOT_SURE: "did it, not sure yet if it helped",
    Rating.DID_NOT_HELP: "did it, and it didn't help this time",
    None: "did it",
}


@dataclass(frozen=True)
class TriedEntry:
    """One past plan item, with the follow-ups the viewer may see and who else answered."""

    item: PlanItem
    answers: tuple[Followup, ...]  # by partner id
    hidden: tuple[int, ...]  # partners who answered, shown once the viewer has answered too


@dataclass(frozen=True)
class PlanWeek:
    """One week's plan in the history."""

    week: date
    entries: tuple[TriedEntry, ...]


@dataclass(frozen=True)
class Countdown:
    """Where a running step timer stands."""

    seconds_left: int
    fraction_left: float
    text: str  # "m:ss"


def visible_followups(followups: Sequence[Followup], viewer_id: int) -> list[Followup]:
    """The follow-ups a viewer may see: their own, and a partner's on items they answered too.

    Follow-ups are given in a check-in, so they follow the reveal rule: a partner's answer
    about an item stays hidden until the viewer has given their own about the same item.
    """
    answered = {f.plan_item_id for f in followups if f.partner_id == viewer_id}
    return [f for f in followups if f.partner_id == viewer_id or f.plan_item_id in answered]


def tried_items(
    plans: Sequence[PlanItem], followups: Sequence[Followup], *, before: date | None = None
) -> list[TriedItem]:
    """The questions and exercises of past plans, with their ratings, for ``suggest``.

    Commitments are left out (they are the couple's own words, not something to offer
    again). With ``before``, plans of that week and later are left out too, so what the
    couple picks this week does not reshuffle this week's offers. Ratings are those given,
    in partner id order; a follow-up without a rating adds none.
    """
    ratings: dict[int, list[tuple[int, int]]] = {}
    for f in followups:
        if f.rating is not None:
            ratings.setdefault(f.plan_item_id, []).append((f.partner_id, f.rating))
    return [
        TriedItem(
            week=p.week,
            kind=p.kind,
            item_id=p.item_id,
            ratings=tuple(r for _, r in sorted(ratings.get(p.id, []))),
        )
        for p in plans
        if p.kind in CATALOGUE_KINDS
        and p.item_id is not None
        and (before is None or p.week < before)
    ]


def followup_week(week: date) -> date:
    """The plan a check-in for ``week`` asks about: the one made the week before, only.

    A plan is made in a week's talk and lived in the days after, so the next week's
    check-in asks how it went, once. A later check-in never asks again (nor shows the
    old answers ticked), even when no plan was made in between.
    """
    return week_start(week) - timedelta(weeks=1)


def plan_for(plans: Sequence[PlanItem], week: date) -> list[PlanItem]:
    """The items of one week's plan, in the order they were added."""
    return [p for p in plans if p.week == week]


def chosen(plan: Sequence[PlanItem]) -> set[tuple[str, str]]:
    """The (kind, item id) pairs already in a plan, to mark offers as added."""
    return {(p.kind, p.item_id) for p in plan if p.item_id is not None}


def picked_items(plan: Sequence[PlanItem]) -> list[PlanItem]:
    """The questions and exercises of a week's plan (its commitments left out)."""
    return [p for p in plan if p.kind in CATALOGUE_KINDS]


def commitments(plan: Sequence[PlanItem]) -> dict[int, PlanItem]:
    """Each partner's commitment in a week's plan, by partner id."""
    return {
        p.partner_id: p for p in plan if p.kind == ItemKind.COMMITMENT and p.partner_id is not None
    }


def plan_history(
    plans: Sequence[PlanItem],
    followups: Sequence[Followup],
    viewer_id: int,
    *,
    before: date,
    weeks: int | None = None,
) -> list[PlanWeek]:
    """Past plans, newest week first, each item with the follow-ups the viewer may see.

    Only weeks before ``before`` count; ``weeks`` keeps the newest that many.
    """
    visible = visible_followups(followups, viewer_id)
    shown: dict[int, list[Followup]] = {}
    for f in sorted(visible, key=lambda f: f.partner_id):
        shown.setdefault(f.plan_item_id, []).append(f)
    seen = {(f.plan_item_id, f.partner_id) for f in visible}
    hidden: dict[int, list[int]] = {}
    for f in sorted(followups, key=lambda f: f.partner_id):
        if (f.plan_item_id, f.partner_id) not in seen:
            hidden.setdefault(f.plan_item_id, []).append(f.partner_id)

    by_week: dict[date, list[TriedEntry]] = {}
    for p in plans:
        if p.week < before:
            entry = TriedEntry(p, tuple(shown.get(p.id, ())), tuple(hidden.get(p.id, ())))
            by_week.setdefault(p.week, []).append(entry)
    newest = sorted(by_week, reverse=True)[:weeks]
    return [PlanWeek(w, tuple(by_week[w])) for w in newest]


def followup_words(followup: Followup | None) -> str:
    """A partner's follow-up in a few plain words."""
    if followup is None:
        return "hasn't said yet"
    if not followup.done:
        return "didn't get to it"
    return _FOLLOWUP_WORDS.get(followup.rating, "did it")


def followup_summary(entry: TriedEntry, partner_ids: Sequence[int]) -> list[tuple[int, str]]:
    """Per partner, in the order given, how they said a past plan item went, in words."""
    answers = {f.partner_id: f for f in entry.answers}
    lines = []
    for pid in partner_ids:
        if pid in answers:
            lines.append((pid, followup_words(answers[pid])))
        elif pid in entry.hidden:
            lines.append((pid, "has answered; you'll see it once you've answered too"))
        else:
            lines.append((pid, followup_words(None)))
    return lines


def question_text(item_id: str) -> str | None:
    """The text of a question in the bank, or None if it is no longer there."""
    return next((q.text for q in content.questions() if q.id == item_id), None)


def find_exercise(item_id: str) -> Exercise | None:
    """The exercise in the catalogue with this id, or None if it is no longer there."""
    return next((e for e in content.exercises() if e.id == item_id), None)


def catalogue_text(kind: ItemKind, item_id: str | None) -> str:
    """What a planned question or exercise says: the question, or the exercise's title."""
    if kind == ItemKind.QUESTION:
        found = question_text(item_id or "")
        return found or "A question that is no longer in Closer's list"
    if kind == ItemKind.EXERCISE:
        exercise = find_exercise(item_id or "")
        return exercise.title if exercise else "An exercise that is no longer in Closer's list"
    raise ValueError(f"{kind!r} items are the couple's own words, not catalogue text")


def area_name(key: str | None) -> str:
    """The name of an area of the plan: an intimacy type, or the two of you as a whole."""
    if key is None or key == content.GENERAL:
        return GENERAL_AREA_NAME
    return type_name(key)


def minutes_words(minutes: int) -> str:
    """A duration in words: '1 minute', '20 minutes', '1 hour 30 minutes', '3 hours'."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(plural(hours, "hour"))
    if rest or not hours:
        parts.append(plural(rest, "minute"))
    return " ".join(parts)


def countdown(started_at: float, minutes: int, now: float) -> Countdown:
    """How much of a step's time is left, started at ``started_at`` (seconds, like ``now``)."""
    total = minutes * 60
    left = min(total, max(0, math.ceil(total - (now - started_at))))
    return Countdown(left, left / total if total else 0.0, f"{left // 60}:{left % 60:02d}")


def short_text_problem(text: str, limit: int, empty: str) -> str | None:
    """What is wrong with a short typed text (a promise, a reply) before saving, or None."""
    if not text.strip():
        return empty
    if len(text) > limit:
        return (
            f"This is {len(text):,} characters; the limit is {limit}. "
            "Shorten it a little and save again."
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text):
        return (
            "This text contains hidden control characters (often from a paste). "
            "Retype the affected part and save again."
        )
    return None


def commitment_problem(text: str) -> str | None:
    """What is wrong with a commitment before it can be saved, or None when it is fine."""
    return short_text_problem(
        text, COMMITMENT_MAX_CHARS, "Write one small thing first: a sentence is plenty."
    )


def reply_problem(text: str) -> str | None:
    """What is wrong with a reply to a shared note before it can be saved, or None."""
    return short_text_problem(text, REPLY_MAX_CHARS, "Write a few words first.")


def shared_notes(checkins: Sequence[Checkin | None], prompt: str) -> dict[int, str]:
    """The shared reflections for one prompt, by author; private ones never appear."""
    notes = {}
    for checkin in checkins:
        if checkin is None:
            continue
        reflection = checkin.answers.reflections.get(prompt)
        if reflection is not None and reflection.shared:
            notes[checkin.partner_id] = reflection.text
    return notes


def couple_means(scores: pd.DataFrame) -> dict[tuple[date, str], float]:
    """The couple mean per (week, dimension), oldest week first: partners averaged, skips ignored.

    A week and dimension nobody scored has no entry. Plain Python: the frames here hold a year
    at most, where pandas' group-by overhead costs more than the work.
    """
    scored: dict[tuple[date, str], dict[int, list[float]]] = {}
    columns = (
        scores["week"].dt.date.tolist(),
        scores["dimension"].tolist(),
        scores["partner_id"].tolist(),
        scores["score"].tolist(),
    )
    for week, dim, partner_id, score in zip(*columns, strict=True):
        if not math.isnan(score):
            scored.setdefault((week, dim), {}).setdefault(partner_id, []).append(score)
    return {
        key: math.fsum(math.fsum(s) / len(s) for s in scored[key].values()) / len(scored[key])
        for key in sorted(scored)
    }


def recent_levels(
    scores: pd.DataFrame, dims: Sequence[str], checkins: int = RECENT_CHECKINS
) -> dict[str, float]:
    """Per dimension, the mean of its latest ``checkins`` couple means; unscored ones left out."""
    series: dict[str, list[float]] = {}
    for (_, dim), mean in couple_means(scores).items():
        series.setdefault(dim, []).append(mean)
    return {
        d: math.fsum(series[d][-checkins:]) / len(series[d][-checkins:])
        for d in dims
        if d in series
    }


def weekly_couple_means(scores: pd.DataFrame, *, since: date | None = None) -> list[float]:
    """Per week with a score (from week ``since`` on), oldest first, the mean over dimensions of
    the couple means."""
    weeks: dict[date, list[float]] = {}
    for (week, _), mean in couple_means(scores).items():
        if since is None or week >= since:
            weeks.setdefault(week, []).append(mean)
    return [math.fsum(means) / len(means) for means in weeks.values()]


HISTORY_LOOKBACK_WEEKS = 52


def history_window_start(today: date) -> date:
    """The first week the suggestions and the talk look at: a year holds every signal they use."""
    return week_start(today) - timedelta(weeks=HISTORY_LOOKBACK_WEEKS - 1)


def care_window_start(today: date) -> date:
    """The first week whose scores the care note looks at."""
    return week_start(today) - timedelta(weeks=CARE_LOOKBACK_WEEKS - 1)


def csi_window_start(today: date) -> date:
    """The first week whose CSI-4 answer still counts as a partner's latest."""
    return week_start(today) - timedelta(weeks=CSI_LOOKBACK_WEEKS - 1)


def checkin_weeks(scores: pd.DataFrame, partner_id: int) -> set[date]:
    """The weeks in which this partner checked in (has any score row, skipped or not)."""
    weeks = scores.loc[scores["partner_id"] == partner_id, "week"]
    return {ts.date() for ts in pd.to_datetime(weeks).unique()}


def latest_csi(records: Sequence[CsiRecord], *, since: date | None = None) -> list[CsiRecord]:
    """Each partner's latest CSI-4 answer (from week ``since`` on), by partner id.

    Pick the latest before applying who may see what: a partner's newer private answer
    must not let an older shared one stand in for how they feel now.
    """
    latest: dict[int, CsiRecord] = {}
    for r in records:
        if since is not None and r.week < since:
            continue
        if r.partner_id not in latest or r.week >= latest[r.partner_id].week:
            latest[r.partner_id] = r
    return [latest[pid] for pid in sorted(latest)]


def csi_results(records: Sequence[CsiRecord]) -> list[CsiResult]:
    """CSI-4 answers as totals for the care note (None where an answer is incomplete)."""
    return [CsiResult(r.partner_id, csi_total(list(r.values)), r.shared, r.week) for r in records]
