"""Who may see what: a partner's answers stay hidden until both have checked in that week."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

import pandas as pd

from closer.checkin import Answers, Checkin


class WeekStatus(StrEnum):
    """Where a week stands, from the viewer's side."""

    SOLO = "solo"  # only one partner is set up
    NOBODY_YET = "nobody_yet"
    WAITING_FOR_PARTNER = "waiting_for_partner"  # I have checked in, my partner not yet
    WAITING_FOR_ME = "waiting_for_me"  # my partner has checked in, I not yet
    REVEALED = "revealed"


@dataclass(frozen=True)
class WeekView:
    """What one partner may see of one week."""

    week: date
    status: WeekStatus
    mine: Checkin | None
    theirs: Checkin | None  # None unless revealed; never holds their private reflections


@dataclass(frozen=True)
class ScoreRow:
    """One intimacy type compared across the two partners for a week."""

    dimension: str
    mine: int | None
    theirs: int | None
    difference: int | None  # theirs minus mine; None when either skipped


def without_private(checkin: Checkin) -> Checkin:
    """The check-in as its author's partner may see it: shared reflections only."""
    shared = {k: r for k, r in checkin.answers.reflections.items() if r.shared}
    answers = Answers(checkin.answers.scores, checkin.answers.wants_more, shared)
    return replace(checkin, answers=answers)


def view_week(
    week: date, viewer_id: int, partner_id: int | None, checkins: list[Checkin]
) -> WeekView:
    """Apply the reveal and privacy rules to the raw check-ins of one week."""
    mine = next((c for c in checkins if c.partner_id == viewer_id), None)
    if partner_id is None:
        return WeekView(week, WeekStatus.SOLO, mine, None)
    theirs = next((c for c in checkins if c.partner_id == partner_id), None)
    if mine and theirs:
        return WeekView(week, WeekStatus.REVEALED, mine, without_private(theirs))
    if mine:
        return WeekView(week, WeekStatus.WAITING_FOR_PARTNER, mine, None)
    if theirs:
        return WeekView(week, WeekStatus.WAITING_FOR_ME, None, None)
    return WeekView(week, WeekStatus.NOBODY_YET, None, None)


def compare_scores(mine: Answers, theirs: Answers, dimensions: list[str]) -> list[ScoreRow]:
    """Both partners' scores per type, with the difference where both scored."""
    rows = []
    for key in dimensions:
        a, b = mine.scores.get(key), theirs.scores.get(key)
        if key not in mine.scores and key not in theirs.scores:
            continue
        rows.append(ScoreRow(key, a, b, None if a is None or b is None else b - a))
    return rows


def visible_scores(scores: pd.DataFrame, viewer_id: int, partner_ids: list[int]) -> pd.DataFrame:
    """The score rows a viewer may see: their own, and others' only in weeks everyone answered."""
    if scores.empty:
        return scores
    per_week = scores.groupby("week")["partner_id"].nunique()
    complete = per_week.index[per_week >= len(partner_ids)]
    keep = (scores["partner_id"] == viewer_id) | scores["week"].isin(complete)
    return scores.loc[keep].reset_index(drop=True)
