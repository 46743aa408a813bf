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
    """A partner's CSI-4 total in one week (None if incomplete) and whether they shared it."""

    partner_id: int
    total: int | None
    shared: bool
    week: date | None = None


@dataclass(frozen=True)
class CareNote:
    """A pointer to outside help: its words, which signal led to it, and how much to say.

    ``full`` is False for the short line a single low monthly check gets (its author alone
    sees it, below the week's status); True for the fuller note, when a low persists, when
    both partners are low, or when the weekly scores have been low for weeks.
    """

    text: str
    reason: Literal["csi-once", "csi-persisting", "csi-partner", "csi-both", "scores"]
    full: bool


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

# Every text rests only on what its reader may see, and none says "between you" unless
# both partners' own answers say so.
ONCE_LINE = (
    "Your answers to the monthly questions came out on the low side this time. One month "
    "says little on its own. If it would help to talk it over with someone, here is where "
    "to turn."
)
PERSISTING_NOTE = (
    "Your answers to the monthly questions have been on the low side two months running. "
    "That happens, and it deserves some care. Many people find it helpful to talk with "
    "someone outside: a couples therapist or a relationship coach with your partner, or a "
    "counsellor of your own. Closer is not therapy; it can sit alongside that kind of support."
)
PARTNER_NOTE = (
    "The monthly answers your partner chose to share have been on the low side two months "
    "running. Asking how they are, with time to listen, is a good first step. Some couples "
    "also find a couples therapist or a relationship coach helps. Closer is not therapy; it "
    "can sit alongside that kind of support."
)
BOTH_NOTE = (
    "You both answered the monthly questions on the low side this time. That happens in "
    "many relationships, and it is something you can work on together. Many couples find "
    "a couples therapist or a relationship coach makes the hard conversations easier. "
    "Closer is not therapy; it can sit alongside that kind of support."
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


def _latest_totals(results: Sequence[CsiResult], partner_id: int, count: int) -> list[int]:
    """This partner's last ``count`` complete totals, newest first (incomplete is no check)."""
    own = [r for r in results if r.partner_id == partner_id and r.total is not None]
    own.sort(key=lambda r: r.week or date.min, reverse=True)
    return [r.total for r in own[:count] if r.total is not None]


def _low_run(totals: Sequence[int], length: int) -> bool:
    """Whether the newest ``length`` totals are all below the cut-off."""
    return len(totals) >= length and all(below_cutoff(t) for t in totals[:length])


def care_note(
    viewer_id: int,
    csi: Sequence[CsiResult],
    recent_couple_means: Sequence[float],
    viewer_weeks: Collection[date] | None = None,
) -> CareNote | None:
    """The care note this partner should see, if any signal asks for one.

    ``csi`` holds the recent monthly checks of both partners (any order). The viewer's own
    count always; the partner's only where shared and, with ``viewer_weeks`` (the weeks the
    viewer checked in), revealed. The partner's newest complete checks decide: an older shared
    one never stands in for a newer private one. Once below the cut-off: a short line for its
    author only. Two checks in a row below it, or both partners below it: the fuller note.
    A mean of the last ``CARE_WEEKS`` weekly couple means at or below ``CARE_MEAN_MAX``
    (oldest first; needs that many): the fuller note for both.
    """
    mine = _latest_totals(csi, viewer_id, 2)
    others = {r.partner_id for r in csi if r.partner_id != viewer_id}
    theirs: list[int] = []
    for other in sorted(others):
        newest = sorted(
            (r for r in csi if r.partner_id == other and r.total is not None),
            key=lambda r: r.week or date.min,
            reverse=True,
        )[:2]
        # Only a run of checks the viewer may see, from the newest on, speaks for the partner.
        for r in newest:
            if not r.shared or (viewer_weeks is not None and r.week not in viewer_weeks):
                break
            if r.total is not None:
                theirs.append(r.total)
    if _low_run(mine, 1) and _low_run(theirs, 1):
        return CareNote(BOTH_NOTE, "csi-both", full=True)
    if _low_run(mine, 2):
        return CareNote(PERSISTING_NOTE, "csi-persisting", full=True)
    if _low_run(theirs, 2):
        return CareNote(PARTNER_NOTE, "csi-partner", full=True)
    # A week without a mean is no check-in week, so it neither counts nor reads as a zero.
    weeks = [m for m in recent_couple_means if m is not None and not math.isnan(m)]
    if len(weeks) >= CARE_WEEKS:
        latest = weeks[-CARE_WEEKS:]
        if math.fsum(latest) / len(latest) <= CARE_MEAN_MAX + _EPS:
            return CareNote(SCORES_NOTE, "scores", full=True)
    if _low_run(mine, 1):
        return CareNote(ONCE_LINE, "csi-once", full=False)
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
