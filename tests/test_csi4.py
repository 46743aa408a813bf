"""Tests for the CSI-4: its published wording, scoring, schedule and the care note."""

from __future__ import annotations

from datetime import date

import pytest

from closer import csi4
from closer.csi4 import (
    BOTH_NOTE,
    CARE_MEAN_MAX,
    CITATION,
    CUTOFF,
    ITEMS,
    MAX_TOTAL,
    ONCE_LINE,
    PARTNER_NOTE,
    PERSISTING_NOTE,
    SCORES_NOTE,
    CareNote,
    CsiItem,
    CsiResult,
    below_cutoff,
    care_note,
    csi_due,
    csi_total,
)

ME, PARTNER = 1, 2
FIRST = date(2026, 1, 5)  # a Monday


def test_items_use_the_published_wording_and_answer_labels() -> None:
    assert ITEMS == (
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
        CsiItem(
            2,
            "I have a warm and comfortable relationship with my partner.",
            (
                "Not at all true",
                "A little true",
                "Somewhat true",
                "Mostly true",
                "Almost completely true",
                "Completely true",
            ),
        ),
        CsiItem(
            3,
            "How rewarding is your relationship with your partner?",
            ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
        ),
        CsiItem(
            4,
            "In general, how satisfied are you with your relationship?",
            ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
        ),
    )


def test_citation_and_constants() -> None:
    assert CITATION == (
        "Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: "
        "Increasing precision of measurement for relationship satisfaction with the Couples "
        "Satisfaction Index. Journal of Family Psychology, 21(4), 572–583."
    )
    assert CUTOFF == 13.5
    assert MAX_TOTAL == 21 == sum(len(item.options) - 1 for item in ITEMS)


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ([0, 0, 0, 0], 0),
        ([6, 5, 5, 5], 21),
        ([3, 3, 4, 3], 13),
        ([4, 3, 4, 3], 14),
        ([3, None, 4, 3], None),
        ([None, None, None, None], None),
    ],
)
def test_csi_total(answers: list[int | None], total: int | None) -> None:
    assert csi_total(answers) == total


@pytest.mark.parametrize(
    "answers",
    [
        [7, 0, 0, 0],  # item 1 goes up to 6
        [0, 6, 0, 0],  # the other items up to 5
        [0, 0, 0, -1],
        [None, 9, None, None],  # out of range even in a partial answer
        [True, 0, 0, 0],
        [2.0, 0, 0, 0],
        [0, 0, 0],
        [0, 0, 0, 0, 0],
    ],
)
def test_csi_total_rejects_impossible_answers(answers: list) -> None:
    with pytest.raises(ValueError):
        csi_total(answers)


@pytest.mark.parametrize(("total", "below"), [(13, True), (14, False), (0, True), (None, False)])
def test_below_cutoff(total: int | None, below: bool) -> None:
    assert below_cutoff(total) is below


@pytest.mark.parametrize(
    ("week", "due"),
    [
        (date(2026, 1, 5), False),  # the first week: start short
        (date(2026, 1, 19), False),  # 3rd week
        (date(2026, 1, 26), True),  # 4th week (3 weeks after the first)
        (date(2026, 1, 29), True),  # any day of that week
        (date(2026, 2, 2), False),  # 5th week
        (date(2026, 2, 23), True),  # 8th week
        (date(2026, 3, 23), True),  # 12th week
        (date(2025, 12, 29), False),  # the week before the first (-1 ≡ 3 mod 4): not due
    ],
)
def test_csi_due_every_fourth_week_from_the_first(week: date, due: bool) -> None:
    assert csi_due(week, FIRST, enabled=True) is due


def test_csi_due_counts_from_the_week_of_a_mid_week_first_day() -> None:
    assert csi_due(date(2026, 1, 26), date(2026, 1, 8), enabled=True) is True


def test_csi_not_due_when_disabled_or_before_any_checkin() -> None:
    assert csi_due(date(2026, 1, 26), FIRST, enabled=False) is False
    assert csi_due(date(2026, 1, 26), None, enabled=True) is False


FINE_WEEKS = [7.0, 7.5, 8.0]


# Monthly checks four weeks apart; the cut-off is 13.5, so 13 is just under it.
MAY, JUNE = date(2026, 5, 4), date(2026, 6, 1)


def mine(total: int | None, week: date = JUNE, shared: bool = False) -> CsiResult:
    return CsiResult(ME, total, shared, week)


def theirs(total: int | None, week: date = JUNE, shared: bool = True) -> CsiResult:
    return CsiResult(PARTNER, total, shared, week)


ONCE = CareNote(ONCE_LINE, "csi-once", full=False)
PERSISTING = CareNote(PERSISTING_NOTE, "csi-persisting", full=True)
BOTH = CareNote(BOTH_NOTE, "csi-both", full=True)
PARTNERS = CareNote(PARTNER_NOTE, "csi-partner", full=True)


@pytest.mark.parametrize(
    ("checks", "note"),
    [
        ([mine(13)], ONCE),  # "Very happy / Mostly true / Mostly / Mostly": once, just under
        ([mine(14)], None),
        ([mine(None)], None),  # incomplete: not scored, no note
        ([mine(18, MAY), mine(13)], ONCE),  # a good month, then one low: still once
        ([mine(13, MAY), mine(18)], None),  # low once, then better: the newest decides
        ([mine(12, MAY), mine(13)], PERSISTING),  # two monthly checks in a row below
        ([mine(13), mine(12, MAY)], PERSISTING),  # in any order
        ([mine(12, MAY), mine(None), mine(13, date(2026, 6, 29))], PERSISTING),
    ],
)
def test_own_checks_once_or_persisting(checks: list[CsiResult], note: CareNote | None) -> None:
    assert care_note(ME, checks, FINE_WEEKS) == note


def test_the_line_for_once_is_short_and_about_your_own_answers_only() -> None:
    assert "between you" not in ONCE_LINE and "between you" not in PERSISTING_NOTE
    assert ONCE_LINE.startswith("Your answers") and len(ONCE_LINE) < 200


def test_a_partners_private_or_single_low_never_reaches_the_other() -> None:
    # Kai (PARTNER) is low once and shared it; Robin (ME) is fine: nothing for either but
    # the short line for Kai.
    checks = [mine(18), theirs(10)]
    assert care_note(ME, checks, FINE_WEEKS) is None
    assert care_note(PARTNER, checks, FINE_WEEKS) == ONCE
    # Low twice, private: only its author knows.
    private = [mine(18), theirs(10, MAY, shared=False), theirs(10, shared=False)]
    assert care_note(ME, private, FINE_WEEKS) is None
    assert care_note(PARTNER, private, FINE_WEEKS) == PERSISTING


def test_a_partners_shared_low_two_months_running_reaches_the_other() -> None:
    checks = [mine(18), theirs(10, MAY), theirs(12)]
    assert care_note(ME, checks, FINE_WEEKS) == PARTNERS
    # Not before the viewer has checked in those weeks (the reveal rule).
    assert care_note(ME, checks, FINE_WEEKS, viewer_weeks={JUNE}) is None
    assert care_note(ME, checks, FINE_WEEKS, viewer_weeks={MAY, JUNE}) == PARTNERS
    # A newer private check: the older shared ones don't speak for how they feel now.
    newer = [*checks, theirs(9, date(2026, 6, 29), shared=False)]
    assert care_note(ME, newer, FINE_WEEKS) is None


def test_both_partners_below_the_cut_off() -> None:
    both = [mine(13), theirs(12)]
    assert care_note(ME, both, FINE_WEEKS) == BOTH
    # Each sees it only through the other's shared answer.
    assert care_note(PARTNER, both, FINE_WEEKS) == ONCE
    assert care_note(PARTNER, [mine(13, shared=True), theirs(12)], FINE_WEEKS) == BOTH
    # A private low of the partner is not "both".
    assert care_note(ME, [mine(13), theirs(12, shared=False)], FINE_WEEKS) == ONCE


@pytest.mark.parametrize(
    ("means", "note"),
    [
        ([3.0, 3.0, 3.0], True),
        ([2.9, 3.0, 3.1], True),  # exactly 3.0 on average, despite float rounding
        ([3.0, 3.0, 3.03], False),  # 3.01 on average
        ([2.0, 2.0], False),  # two weeks are not enough
        ([9.0, 2.0, 2.0, 2.0], True),  # only the last three weeks count
        ([2.0, 2.0, 2.0, 9.0], False),
    ],
)
def test_low_weekly_scores_show_a_note_to_both(means: list[float], note: bool) -> None:
    expected = CareNote(SCORES_NOTE, "scores", full=True) if note else None
    assert care_note(ME, [], means) == expected
    assert care_note(PARTNER, [], means) == expected


def test_weeks_without_a_mean_are_not_counted() -> None:
    assert care_note(ME, [], [2.0, float("nan"), 2.0]) is None


def test_a_fuller_note_wins_over_the_short_line() -> None:
    assert care_note(ME, [mine(5)], [1.0, 1.0, 1.0]).reason == "scores"
    assert care_note(PARTNER, [mine(5)], [1.0, 1.0, 1.0]).reason == "scores"
    assert care_note(ME, [mine(5, MAY), mine(5)], [1.0, 1.0, 1.0]).reason == "csi-persisting"


@pytest.mark.parametrize("text", [PERSISTING_NOTE, PARTNER_NOTE, BOTH_NOTE, SCORES_NOTE])
def test_note_points_to_outside_help_without_alarm(text: str) -> None:
    lowered = text.lower()
    assert "couples therapist" in lowered and "relationship coach" in lowered
    assert "closer is not therapy" in lowered
    for word in ("diagnos", "warning", "danger", "urgent", "!", "fault", "disorder"):
        assert word not in lowered


@pytest.mark.parametrize("text", [ONCE_LINE, PERSISTING_NOTE, PARTNER_NOTE, SCORES_NOTE])
def test_no_note_from_one_persons_answers_says_between_you(text: str) -> None:
    assert "between you" not in text.lower()


def test_threshold_constant_matches_the_brief() -> None:
    assert CARE_MEAN_MAX == 3.0 and csi4.CARE_WEEKS == 3
