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
    """The check-in as its author's partner may see it: shared reflections only.

    Guesses stay: this is only called once both have checked in, when they are revealed.
    """
    shared = {k: r for k, r in checkin.answers.reflections.items() if r.shared}
    answers = Answers(
        checkin.answers.scores, checkin.answers.wants_more, shared, guesses=checkin.answers.guesses
    )
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
    """Both partners' scores per dimension, with the difference where both scored."""
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


# Both at this level or above, and this close to each other, reads as "you both felt close".
AGREE_MIN = 7
AGREE_MAX_APART = 2


def agreements(rows: list[ScoreRow]) -> list[ScoreRow]:
    """The dimensions both partners scored high and alike this week, the highest together first."""
    agreed = [
        r
        for r in rows
        if r.mine is not None
        and r.theirs is not None
        and min(r.mine, r.theirs) >= AGREE_MIN
        and abs(r.mine - r.theirs) <= AGREE_MAX_APART
    ]
    return sorted(agreed, key=lambda r: -((r.mine or 0) + (r.theirs or 0)))


def closest(rows: list[ScoreRow]) -> ScoreRow | None:
    """The dimension both scored with the highest total, for a week with no clear agreement."""
    both = [r for r in rows if r.mine is not None and r.theirs is not None]
    return max(both, key=lambda r: (r.mine or 0) + (r.theirs or 0)) if both else None


def agreement_words(row: ScoreRow, dimension_name: str) -> str:
    """'You both felt close intellectually: 8 and 7' (your score first)."""
    return f"You both felt close {dimension_name.lower()}ly: {row.mine} and {row.theirs}"


def wish_words(
    mine: Answers, theirs: Answers | None, partner: str, names: dict[str, str]
) -> list[str]:
    """Who would like more of what, in words, in the order of ``names`` (key → dimension name)."""
    lines = []
    for key, name in names.items():
        me, them = key in mine.wants_more, theirs is not None and key in theirs.wants_more
        what = f"more {name.lower()} closeness"
        if me and them:
            lines.append(f"You would both like {what}.")
        elif me:
            lines.append(f"You would like {what}.")
        elif them:
            lines.append(f"{partner} would like {what}.")
    return lines


@dataclass(frozen=True)
class Topic:
    """Something the couple could talk about: a marked note or a "what I need more of" note."""

    author_id: int
    prompt: str
    text: str
    marked: bool


NEED_PROMPT = "lacking"  # "What I need more of, or what feels missing"


def talk_topics(visible: list[Checkin | None], marks: list[tuple[int, str]]) -> list[Topic]:
    """Marked notes first (in the order marked), then unmarked "need more" notes.

    ``visible`` are the check-ins both may see at this screen (the viewer's own and, once
    revealed, the partner's); only their shared notes are topics. ``marks`` are
    (author id, prompt) pairs.
    """
    notes = {
        (c.partner_id, key): r.text
        for c in visible
        if c is not None
        for key, r in c.answers.reflections.items()
        if r.shared
    }
    marked = [Topic(a, p, notes[(a, p)], True) for a, p in marks if (a, p) in notes]
    needs = [
        Topic(a, p, text, False)
        for (a, p), text in notes.items()
        if p == NEED_PROMPT and (a, p) not in set(marks)
    ]
    return marked + needs


# Three or more apart on the 1–10 scale reads as "you felt this differently".
DIFFER_MIN_APART = 3


def differences(rows: list[ScoreRow]) -> list[ScoreRow]:
    """The dimensions both scored this far apart or more, the widest gap first."""
    apart = [r for r in rows if r.difference is not None and abs(r.difference) >= DIFFER_MIN_APART]
    return sorted(apart, key=lambda r: -abs(r.difference or 0))


def difference_words(row: ScoreRow, dimension_name: str, partner: str) -> str:
    """'Physical felt different: you said 4, Kai 8' (your score first)."""
    return f"{dimension_name} felt different: you said {row.mine}, {partner} {row.theirs}"


def score_change(now: Answers, before: Answers | None, key: str) -> int | None:
    """How a partner's score for one type moved since their previous week (None: no pair)."""
    if before is None:
        return None
    a, b = before.scores.get(key), now.scores.get(key)
    return None if a is None or b is None else b - a


def change_words(change: int | None) -> str:
    """A change since last week in a few words ('' when there is nothing to compare)."""
    if change is None:
        return ""
    if change == 0:
        return "same as last week"
    return f"{'up' if change > 0 else 'down'} {abs(change)} since last week"


def mark_words(marked_by: list[int], viewer_id: int, partner: str) -> list[str]:
    """Who would like to talk about a note, in words, the viewer first."""
    lines = []
    if viewer_id in marked_by:
        lines.append("You'd like to talk about this")
    if any(m != viewer_id for m in marked_by):
        lines.append(f"{partner} would like to talk about this")
    return lines


# A note longer than this folds after its opening, so one long note can't fill a phone.
FOLD_CHARS = 280
FOLD_LINES = 5


def fold(text: str) -> tuple[str, bool]:
    """The opening of a long note (cut at a word) and whether anything was folded away."""
    lines = text.split("\n")
    if len(text) <= FOLD_CHARS and len(lines) <= FOLD_LINES:
        return text, False
    opening = "\n".join(lines[:FOLD_LINES])[:FOLD_CHARS]
    cut = opening.rfind(" ")
    if cut > FOLD_CHARS // 2:
        opening = opening[:cut]
    return opening.rstrip() + " …", True


_RATING_WORDS = {1: "it helped", 0: "not sure it helped", -1: "it didn't help"}


def followup_words(done: bool | None, rating: int | None) -> str:
    """How a plan item went for one partner, in words ('done, it helped'; None: no answer)."""
    if done is None:
        return "didn't say"
    words = "done" if done else "not done"
    return words + (f", {_RATING_WORDS[rating]}" if rating in _RATING_WORDS else "")
