"""The CSI-4 relationship satisfaction check, its schedule, and the care note it can lead to.

The four items, their answers and the cut-off are the published ones (see ``CITATION``): a
validated scale is only valid with its exact wording, so none of it is rephrased here.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, TypeVar

from closer.weeks import week_start

CITATION = (
    "Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: "
    "Increasing precision of measurement for relationship satisfaction with the Couples "
    "Satisfaction Index. Journal of Family Psychology, 21(4), 572–583."
)

# The published cut-off: totals below it suggest notable relationship dissatisfaction.
CUTOFF = 13.5
MAX_TOTAL = 21

# Every fourth week from the couple's first check-in week: the 4th, 8th, 12th... The first
# week is left out on purpose: a new couple's first check-in should be short and sweet.
EVERY_WEEKS = 4
DUE_OFFSET = EVERY_WEEKS - 1

# The score signal for the care note: the mean of the latest weekly couple means (1–10).
CARE_WEEKS = 3
CARE_MEAN_MAX = 3.0
# Means of one-decimal scores drift by ~1e-15; without this 3.0 could miss by rounding.
_EPS = 1e-9


@dataclass(frozen=True)
class CsiItem:
    """One CSI-4 item; ``options[i]`` is the answer that scores ``i``."""

    number: int
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class CsiResult:
    """A partner's latest CSI-4 total (None if incomplete) and whether they shared it."""

    partner_id: int
    total: int | None
    shared: bool


@dataclass(frozen=True)
class CareNote:
    """A gentle pointer to outside help, and which signal led to it."""

    text: str
    reason: Literal["csi", "scores"]


_TRUE_SCALE = (
    "Not at all true",
    "A little true",
    "Somewhat true",
    "Mostly true",
    "Almost completely true",
    "Completely true",
)
_AMOUNT_SCALE = ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely")

ITEMS: tuple[CsiItem, ...] = (
    CsiItem(
        1,
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        (
            "Extremely unhappy",
            "Fairly unhappy",
            "A little unhappy",
            "Happy",
            "Very happy",
            "Extremely happy",
            "Perfect",
        ),
    ),
    CsiItem(2, "I have a warm and comfortable relationship with my partner.", _TRUE_SCALE),
    CsiItem(3, "How rewarding is your relationship with your partner?", _AMOUNT_SCALE),
    CsiItem(4, "In general, how satisfied are you with your relationship?", _AMOUNT_SCALE),
)

CSI_NOTE = (
    "The latest answers to the four relationship questions suggest that things may feel "
    "heavy between you at the moment. That happens in many relationships, and it is "
    "something you can work on together. When things feel stuck, many couples find it "
    "helpful to talk with a couples therapist or a relationship coach: someone outside can "
    "make the hard conversations easier. Closer is not therapy; it can sit alongside that "
    "kind of support."
)
SCORES_NOTE = (
    "Your weekly check-ins have been low for a few weeks now. Stretches like this happen, "
    "and noticing them together is already a caring step. When things feel stuck, many "
    "couples find it helpful to talk with a couples therapist or a relationship coach: "
    "reaching out is an ordinary thing to do, not a last resort. Closer is not therapy; it "
    "can sit alongside that kind of support."
)


def csi_total(answers: Sequence[int | None]) -> int | None:
    """The CSI-4 total of four answers, or None while any is unanswered."""
    if len(answers) != len(ITEMS):
        raise ValueError(f"expected {len(ITEMS)} answers, got {len(answers)}")
    for item, answer in zip(ITEMS, answers, strict=True):
        if answer is None:
            continue
        # bool is an int subclass, and True is not an answer.
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"item {item.number}: answer must be a whole number, got {answer!r}")
        if not 0 <= answer < len(item.options):
            raise ValueError(
                f"item {item.number}: answer {answer} is outside 0–{len(item.options) - 1}"
            )
    if any(answer is None for answer in answers):
        return None
    return sum(answer for answer in answers if answer is not None)


def below_cutoff(total: int | None) -> bool:
    """Whether a CSI-4 total is below the published cut-off (False when there is none)."""
    return total is not None and total < CUTOFF


def csi_due(week: date, first_week: date | None, enabled: bool) -> bool:
    """Whether this week's check-in includes the CSI-4: every fourth week from the first."""
    if not enabled or first_week is None:
        return False
    weeks_since = (week_start(week) - week_start(first_week)).days // 7
    return weeks_since >= 0 and weeks_since % EVERY_WEEKS == DUE_OFFSET


def care_note(
    viewer_id: int, csi: Sequence[CsiResult], recent_couple_means: Sequence[float]
) -> CareNote | None:
    """The care note this partner should see, if either signal asks for one.

    A CSI-4 total below the cut-off shows a note to the partner who gave it, and to the
    other partner only if it was shared. A mean of the last ``CARE_WEEKS`` weekly couple
    means (oldest first; needs that many) at or below ``CARE_MEAN_MAX`` shows it to both.
    """
    if any(below_cutoff(r.total) and (r.partner_id == viewer_id or r.shared) for r in csi):
        return CareNote(CSI_NOTE, "csi")
    # A week without a mean is no check-in week, so it neither counts nor reads as a zero.
    weeks = [m for m in recent_couple_means if m is not None and not math.isnan(m)]
    if len(weeks) >= CARE_WEEKS:
        latest = weeks[-CARE_WEEKS:]
        if math.fsum(latest) / len(latest) <= CARE_MEAN_MAX + _EPS:
            return CareNote(SCORES_NOTE, "scores")
    return None


class _CsiAnswer(Protocol):
    """What visibility needs of a CSI-4 answer (``closer.store.CsiRecord`` has it)."""

    @property
    def partner_id(self) -> int: ...
    @property
    def week(self) -> date: ...
    @property
    def shared(self) -> bool: ...


_Answer = TypeVar("_Answer", bound=_CsiAnswer)


def visible_csi(
    records: Sequence[_Answer], viewer_id: int, viewer_weeks: Collection[date] | None = None
) -> list[_Answer]:
    """The CSI-4 answers a viewer may see: their own, and their partner's only if shared.

    ``viewer_weeks``, the weeks in which the viewer has checked in, adds the reveal rule
    every other answer follows: a partner's shared answer stays hidden until the viewer has
    checked in that week too. Without it only the sharing choice is applied.
    """
    return [
        r
        for r in records
        if r.partner_id == viewer_id
        or (r.shared and (viewer_weeks is None or r.week in viewer_weeks))
    ]
